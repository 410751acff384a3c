"""Speed benchmark: all DUC stories and the bundled example, per-stage timings and articles/s.

    python bench/speed.py [--corpus ../shared/corpora/duc0607-newswire-clusters] [--repeat 3]

Interpreter start and imports are excluded. Each of the --repeat runs is a fresh forked process
(after one check of the bundled example has loaded the word lists), so no text-keyed cache
answers from an earlier pass over the same text: running the same stories again in one process
overstated throughput by about 15%. Figures are CPU seconds (user + system) of that process,
so other load on a shared machine does not inflate them; the median and the best run are shown.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import statistics
import time
from collections import defaultdict
from pathlib import Path

from checker.pipeline.check import check_story, result_to_dict
from checker.report.json import render_json
from checker.pipeline.rules_file import load_rules

ROOT = Path(__file__).resolve().parent.parent


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(stories: list[Path], rules) -> tuple[float, dict[str, float], int, int]:
    stages: dict[str, float] = defaultdict(float)
    articles = findings = 0
    start = cpu()
    for story in stories:
        result = check_story(story, rules)
        t0 = time.perf_counter()
        render_json(result_to_dict(result))
        stages["report"] += time.perf_counter() - t0
        for stage, seconds in result.timings.items():
            stages[stage] += seconds
        articles += len(result.story.articles)
        findings += len(result.findings)
    return cpu() - start, dict(stages), articles, findings


def _child(stories: list[Path], rules, out) -> None:
    out.send(run(stories, rules))
    out.close()


def run_fresh(stories: list[Path], rules) -> tuple[float, dict[str, float], int, int]:
    """``run`` in a forked child: its caches hold nothing of these stories' text."""
    receive, send = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_child, args=(stories, rules, send))
    child.start()
    figures = receive.recv()
    child.join()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpora" / "duc0607-newswire-clusters"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rules = load_rules()
    check_story(ROOT / "examples" / "maks-returns-to-poland", rules)  # load the word lists (variant list)
    sets = {"bundled example": [ROOT / "examples" / "maks-returns-to-poland"]}
    corpus = Path(args.corpus)
    if corpus.exists():
        sets["DUC 50 stories"] = sorted(p for p in corpus.glob("D0*") if p.is_dir())
    report = {}
    for name, stories in sets.items():
        runs = [run_fresh(stories, rules) for _ in range(args.repeat)]
        seconds = [r[0] for r in runs]
        total, stages, articles, findings = min(runs, key=lambda r: r[0])
        median = statistics.median(seconds)
        report[name] = {"stories": len(stories), "articles": articles, "findings": findings,
                        "cpu_seconds_median": round(median, 3), "cpu_seconds_best": round(total, 3),
                        "articles_per_cpu_s": round(articles / median, 1),
                        "stages_s_best_run": {k: round(v, 3) for k, v in stages.items()}}
        print(f"{name}: {len(stories)} stories, {articles} articles, {findings} findings, "
              f"CPU {median:.3f} s median ({total:.3f} s best), {articles / median:.0f} articles per CPU-second")
        print("   " + ", ".join(f"{k} {v:.3f} s" for k, v in stages.items()))
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
