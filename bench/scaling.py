"""How the check's time grows with story size, on stories of distinct articles.

    python bench/scaling.py [--sizes 10 50 100 284] [--corpus DIR ...]

Pools the articles of every story under the corpora (default: ../shared/corpora DUC and ECB+),
each article once, and checks one story of the first N of them for each size N (articles in a
fixed shuffled order, so every size mixes stories). Prints per size the seconds of each stage
(read+clean, claims, rules and, within the rules, the story fact model) and the growth exponent
of each stage between the smallest and the largest size (1.0 is linear, 2.0 quadratic).
Interpreter start-up and imports are not timed; each figure is one run, so repeat the command
to see the spread.
"""
from __future__ import annotations

import argparse
import math
import random
import time
from dataclasses import replace
from pathlib import Path

from claims.read import Story, read_story
from checker.pipeline.check import check_story, extract_story, story_context
from checker.pipeline.rules_file import load_rules

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"


def pooled_articles(corpora: list[Path]) -> list:
    articles, seen = [], set()
    for corpus in corpora:
        for story in sorted(p for p in corpus.iterdir() if p.is_dir() and (p / "meta.json").exists()):
            for article in read_story(story).articles:
                if article.text not in seen:
                    seen.add(article.text)
                    articles.append(replace(article, id=f"{story.name}/{article.id}"))
    random.Random(7).shuffle(articles)
    return articles


def run(articles: list, rules) -> dict[str, float]:
    story = Story(id=f"pool-{len(articles)}", path="pool", articles=articles)
    start = time.perf_counter()
    result = check_story(story, rules)
    total = time.perf_counter() - start
    context = story_context(extract_story(story), rules)  # the fact model alone, on a fresh context
    t0 = time.perf_counter()
    for rule in rules.enabled:
        if rule.kind == "value_conflict":
            context.facts(rule.claim_types, rule.params)
    facts = time.perf_counter() - t0
    return {"read+clean": result.timings.get("read", 0) + result.timings.get("clean", 0),
            "claims": result.timings.get("claims", 0.0), "rules": result.timings.get("align+rules", 0.0),
            "facts": facts, "total": total}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 100, 284])
    parser.add_argument("--corpus", type=Path, nargs="*",
                        default=[CORPORA / "duc0607-newswire-clusters", CORPORA / "ecbplus"])
    args = parser.parse_args()
    pool = pooled_articles([c for c in args.corpus if c.is_dir()])
    rules = load_rules()
    sizes = [n for n in args.sizes if n <= len(pool)]
    rows = {n: run(pool[:n], rules) for n in sizes}
    stages = list(next(iter(rows.values())))
    print(f"{len(pool)} distinct articles pooled; sizes {sizes}")
    print("articles " + "".join(f"{s:>12}" for s in stages))
    for n, row in rows.items():
        print(f"{n:8d} " + "".join(f"{row[s]:12.3f}" for s in stages))
    small, large = sizes[0], sizes[-1]
    exponents = {s: math.log(max(rows[large][s], 1e-6) / max(rows[small][s], 1e-6)) / math.log(large / small)
                 for s in stages}
    print(f"exponent {small}->{large}: " + ", ".join(f"{s} {e:.2f}" for s, e in exponents.items()))


if __name__ == "__main__":
    main()
