"""How the check's time grows with story size, on stories of distinct articles.

    python bench/scaling.py [--sizes 50 200 1000] [--corpus DIR ...]

Pools the articles of every story under the corpora (default: ../shared/corpora DUC and ECB+),
each article once, and checks one story of the first N of them for each size N (articles in a
fixed shuffled order, so every size mixes stories). Prints per size the CPU seconds of each stage
(clean, entities, claims, rules and, within the rules, the quote families, the story fact model
and each rule) and the growth exponent
of each stage between the smallest and the largest size (1.0 is linear, 2.0 quadratic).
Each size is checked in a forked child process, which also reports its peak resident memory
(``ru_maxrss``: the interpreter, the pooled articles it inherited and the check). Also timed,
each on a fresh story context after the check: every rule alone (``rule:ID``; the first rule to
need the quote families or the fact model pays for building them, so those are timed apart as
``quote families`` and ``facts``), as ``apply_rules`` runs them: with what extraction built
set aside from the garbage collector (``checker.engine.heap``). Figures are CPU seconds of the
child (user + system), so other load on a shared machine does not inflate them. Interpreter start-up and imports are not
timed; each figure is one run, so repeat the command to see the spread.
"""
from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import random
import resource
import time
from dataclasses import replace
from pathlib import Path

from claims.clean import clean
from claims.entities import StoryEntities
from claims.extract import extract_claims
from claims.read import Story, read_story
from checker.engine.heap import settled_heap
from checker.pipeline.check import Extraction, apply_rules, quote_family_view, story_context
from checker.pipeline.rules_file import load_rules
from checker.rules import KINDS

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


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(articles: list, rules) -> dict[str, float]:
    """CPU seconds of each stage of checking one story of ``articles`` (the stages as
    ``checker.pipeline.check`` runs them; its own timings are wall-clock, which load from
    other processes inflates)."""
    story = Story(id=f"pool-{len(articles)}", path="pool", articles=articles)
    row: dict = {}
    t0 = cpu()
    docs = [clean(article) for article in story.articles]
    row["clean"] = cpu() - t0
    t0 = cpu()
    entities = StoryEntities(docs)
    row["entities"] = cpu() - t0
    t0 = cpu()
    claims = extract_claims(docs, entities, problems=story.problems, warnings=story.warnings)
    row["claims"] = cpu() - t0
    extraction = Extraction(story, docs, entities, claims, {})
    t0 = cpu()
    context = story_context(extraction, rules)
    apply_rules(rules, context, problems=story.problems, path=story.path)
    quote_family_view(rules, context)
    row["rules"] = cpu() - t0
    row["total"] = row["clean"] + row["entities"] + row["claims"] + row["rules"]
    # the same rules again on a fresh context, each part apart (as apply_rules runs them: with
    # what extraction built set aside from the garbage collector)
    context = story_context(extraction, rules)
    failed = []
    with settled_heap():
        t0 = cpu()
        context.quote_families()
        row["quote families"] = cpu() - t0
        t0 = cpu()
        for rule in rules.enabled:
            if rule.kind == "value_conflict":
                context.facts(rule.claim_types, rule.params)
        row["facts"] = cpu() - t0
        for rule in rules.enabled:  # the shared parts are built by now: each rule's own cost
            t0 = cpu()
            try:
                KINDS[rule.kind].check(rule, context)
            except Exception as exc:  # noqa: BLE001 - the check lists it as a problem too; time the rest
                failed.append(f"{rule.id}: {type(exc).__name__}: {exc}")
            row[f"rule:{rule.id}"] = cpu() - t0
    row["peak MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    row["problems"] = [str(p) for p in story.problems] + failed
    return row


def _child(articles: list, rules, out) -> None:
    try:
        out.send(run(articles, rules))
    except BaseException as exc:  # the parent must not wait for ever on a child that failed
        out.send({"error": f"{type(exc).__name__}: {exc}"})
        raise
    finally:
        out.close()


def run_apart(articles: list, rules) -> dict[str, float]:
    """``run`` in a forked child: its peak memory is this size's alone."""
    receive, send = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_child, args=(articles, rules, send))
    child.start()
    row = receive.recv()
    child.join()
    if "error" in row:
        raise SystemExit(f"{len(articles)} articles: {row['error']}")
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 1000])
    parser.add_argument("--corpus", type=Path, nargs="*",
                        default=[CORPORA / "duc0607-newswire-clusters", CORPORA / "ecbplus"])
    args = parser.parse_args()
    pool = pooled_articles([c for c in args.corpus if c.is_dir()])
    rules = load_rules()
    sizes = [n for n in args.sizes if n <= len(pool)]
    rows = {n: run_apart(pool[:n], rules) for n in sizes}
    problems = {n: rows[n].pop("problems") for n in sizes}
    stages = list(next(iter(rows.values())))
    print(f"{len(pool)} distinct articles pooled; sizes {sizes}; CPU seconds (peak MB: resident memory)")
    small, large = sizes[0], sizes[-1]
    exponents = {s: math.log(max(rows[large][s], 1e-3) / max(rows[small][s], 1e-3)) / math.log(large / small)
                 for s in stages}
    width = max(len(s) for s in stages) + 2
    print(f"{'stage':{width}}" + "".join(f"{n:>10}" for n in sizes) + f"{'exponent':>10}")
    for stage in stages:
        print(f"{stage:{width}}" + "".join(f"{rows[n][stage]:10.3f}" for n in sizes) + f"{exponents[stage]:10.2f}")
    worst = max((s for s in stages if s != "peak MB" and rows[large][s] >= 0.05), key=lambda s: exponents[s])
    print(f"exponent {small}->{large} (1.0 linear, 2.0 quadratic); steepest stage taking at least 0.05 s: "
          f"{worst} {exponents[worst]:.2f}; peak memory at {large}: {rows[large]['peak MB']:.0f} MB")
    for n in sizes:
        for problem in problems[n]:
            print(f"problem at {n} articles: {problem}")
    print(json.dumps({"sizes": sizes, "rows": {n: {k: round(v, 3) for k, v in r.items()} for n, r in rows.items()},
                      "exponents": {k: round(v, 2) for k, v in exponents.items()}}))


if __name__ == "__main__":
    main()
