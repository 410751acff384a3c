"""Speed benchmark: all DUC stories and the bundled example, per-stage timings and articles/s.

    python bench/speed.py [--corpus ../shared/corpora/duc0607-newswire-clusters] [--repeat 3]

Interpreter start and imports are excluded; each figure is the best of --repeat runs.
"""
from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from checker.pipeline.check import check_story, result_to_dict
from checker.report.json import render_json
from checker.pipeline.rules_file import load_rules

ROOT = Path(__file__).resolve().parent.parent


def run(stories: list[Path], rules) -> tuple[float, dict[str, float], int, int]:
    stages: dict[str, float] = defaultdict(float)
    articles = findings = 0
    start = time.perf_counter()
    for story in stories:
        result = check_story(story, rules)
        t0 = time.perf_counter()
        render_json(result_to_dict(result))
        stages["report"] += time.perf_counter() - t0
        for stage, seconds in result.timings.items():
            stages[stage] += seconds
        articles += len(result.story.articles)
        findings += len(result.findings)
    return time.perf_counter() - start, dict(stages), articles, findings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpora" / "duc0607-newswire-clusters"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rules = load_rules()
    check_story(ROOT / "examples" / "maks-returns-to-poland", rules)  # warm caches (variant list)
    sets = {"bundled example": [ROOT / "examples" / "maks-returns-to-poland"]}
    corpus = Path(args.corpus)
    if corpus.exists():
        sets["DUC 50 stories"] = sorted(p for p in corpus.glob("D0*") if p.is_dir())
    report = {}
    for name, stories in sets.items():
        best = min((run(stories, rules) for _ in range(args.repeat)), key=lambda r: r[0])
        total, stages, articles, findings = best
        report[name] = {"stories": len(stories), "articles": articles, "findings": findings,
                        "seconds": round(total, 3), "articles_per_s": round(articles / total, 1),
                        "stages_s": {k: round(v, 3) for k, v in stages.items()}}
        print(f"{name}: {len(stories)} stories, {articles} articles, {findings} findings, "
              f"{total:.3f} s, {articles / total:.0f} articles/s")
        print("   " + ", ".join(f"{k} {v:.3f} s" for k, v in stages.items()))
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
