"""Benchmark automatic story grouping (checker/grouping.py) on the DUC newswire clusters.

    python bench/grouping.py                 # accuracy on the 284-article pool + scale test (10,000)
    python bench/grouping.py --scale 100000  # bigger scale test (0 skips it)
    python bench/grouping.py --sweep         # accuracy for a range of thresholds (tuning)

All articles of the 50 stories are pooled, their story ids dropped, and group_articles is scored
against the true stories: pairwise and B-cubed precision/recall/F1. The corpus (internal test
material, ../shared/corpora/duc0607-newswire-clusters) is read in place and never copied; the
bench skips with a message when it is absent.

read_story leaves 41 of the 284 DUC articles without a time (their meta "datetime" is
MM/DD/YYYY, which claims.read.parse_published does not read); the bench takes the meta "date"
for those, unless --no-date-fix (then they are compared with every article, as undated
articles are).

The same-week variant shifts every story so that all 50 start on the same day: then only the
text separates them (sub-stories of one DUC topic, e.g. Kursk rescue and Kursk crew declared
dead, become indistinguishable; so it is also scored against the 22 DUC topics).

The scale test replicates the pool: replica k gets ids "<id>~r<k>" and its dates shifted by
k * --shift-days, and is scored against (replica, story). --undated also times the worst case:
the same pool with every time removed, so nothing but the inverted index limits the pairs.
"""
from __future__ import annotations

import argparse
import dataclasses
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path

from checker.nightly.grouping import DEFAULT_THRESHOLD, group_articles
from claims.model import Article
from claims.read import parse_published, read_story

ROOT = Path(__file__).resolve().parent.parent


DUC = ROOT.parent / "shared" / "corpora" / "duc0607-newswire-clusters"


def load_pool(corpus: Path = DUC, date_fix: bool = True) -> tuple[list[Article], dict[str, str]]:
    """Every article of every story, and article id -> true story."""
    articles: list[Article] = []
    truth: dict[str, str] = {}
    for folder in sorted(p for p in corpus.glob("D0*") if p.is_dir()):
        story = read_story(folder)
        dates = {a.get("id"): a.get("date") for a in story.meta.get("articles", []) if isinstance(a, dict)}
        for article in story.articles:
            if article.published is None and date_fix and dates.get(article.id):
                article = dataclasses.replace(article, published=parse_published(dates[article.id]))
            articles.append(article)
            truth[article.id] = folder.name
    return articles, truth


def scores(groups, truth: dict[str, str]) -> dict[str, float]:
    """Pairwise and B-cubed precision/recall/F1 of predicted groups against true stories."""
    predicted = {a.id: g.id for g in groups for a in g.articles}
    ids = sorted(truth)
    pred_members: dict[str, list[str]] = defaultdict(list)
    true_members: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        pred_members[predicted[i]].append(i)
        true_members[truth[i]].append(i)
    tp = 0
    for members in pred_members.values():
        for lab, c in Counter(truth[i] for i in members).items():
            tp += c * (c - 1) // 2
    pred_pairs = sum(len(m) * (len(m) - 1) // 2 for m in pred_members.values())
    true_pairs = sum(len(m) * (len(m) - 1) // 2 for m in true_members.values())
    bp = br = 0.0
    for i in ids:
        pm = pred_members[predicted[i]]
        tm = true_members[truth[i]]
        both = sum(1 for j in pm if truth[j] == truth[i])
        bp += both / len(pm)
        br += both / len(tm)
    bp, br = bp / len(ids), br / len(ids)

    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    pp = tp / pred_pairs if pred_pairs else 1.0
    pr = tp / true_pairs if true_pairs else 1.0
    return {"pair_p": pp, "pair_r": pr, "pair_f1": f1(pp, pr), "b3_p": bp, "b3_r": br,
            "b3_f1": f1(bp, br), "groups": len(pred_members), "stories": len(true_members)}


def show(label: str, s: dict[str, float], seconds: float, n: int) -> None:
    print(f"{label}: {n} articles, {s['groups']} groups for {s['stories']} true stories, "
          f"{seconds:.2f} s ({n / seconds:,.0f} articles/s)")
    print(f"  pairwise  P {s['pair_p']:.3f}  R {s['pair_r']:.3f}  F1 {s['pair_f1']:.3f}")
    print(f"  B-cubed   P {s['b3_p']:.3f}  R {s['b3_r']:.3f}  F1 {s['b3_f1']:.3f}")


def replicate(articles: list[Article], truth: dict[str, str], n: int, shift_days: float,
              undated: bool = False) -> tuple[list[Article], dict[str, str]]:
    out: list[Article] = []
    labels: dict[str, str] = {}
    k = 0
    while len(out) < n:
        for a in articles:
            if len(out) >= n:
                break
            new_id = f"{a.id}~r{k}"
            when = None if undated or a.published is None else a.published + timedelta(days=k * shift_days)
            out.append(dataclasses.replace(a, id=new_id, published=when))
            labels[new_id] = f"{truth[a.id]}~r{k}"
        k += 1
    return out, labels


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DUC)
    ap.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    ap.add_argument("--window-days", type=float, default=3.0)
    ap.add_argument("--scale", type=int, default=10_000, help="articles in the scale test (0: skip)")
    ap.add_argument("--shift-days", type=float, default=1000.0,
                    help="date shift between replicas (the pool spans 840 days)")
    ap.add_argument("--undated", action="store_true", help="also time the scale pool without dates")
    ap.add_argument("--no-date-fix", action="store_true", help="keep read_story's missing times")
    ap.add_argument("--sweep", action="store_true", help="accuracy over a range of thresholds")
    ap.add_argument("--no-dense", action="store_true", help="skip the same-week variant")
    args = ap.parse_args(argv)
    if not args.corpus.exists():
        print(f"skipped: corpus not found at {args.corpus}")
        return 0
    articles, truth = load_pool(args.corpus, date_fix=not args.no_date_fix)
    window = timedelta(days=args.window_days)
    undated = sum(a.published is None for a in articles)
    print(f"DUC pool: {len(articles)} articles, {len(set(truth.values()))} stories, "
          f"{undated} without a time; window {args.window_days:g} days, threshold {args.threshold:g}")
    if args.sweep:
        print("threshold  groups  pair P  pair R  pair F1   B3 P   B3 R  B3 F1")
        for t in [round(0.04 + 0.01 * i, 2) for i in range(17)]:
            s = scores(group_articles(articles, window=window, threshold=t), truth)
            print(f"  {t:5.2f}    {s['groups']:5d}   {s['pair_p']:.3f}   {s['pair_r']:.3f}   "
                  f"{s['pair_f1']:.3f}   {s['b3_p']:.3f}  {s['b3_r']:.3f}  {s['b3_f1']:.3f}")
    start = time.perf_counter()
    groups = group_articles(articles, window=window, threshold=args.threshold)
    seconds = time.perf_counter() - start
    show("DUC pool", scores(groups, truth), seconds, len(articles))
    if not args.no_dense:
        # the same stories all starting on one day: the window no longer separates them, only
        # the text does; scored against stories and against DUC topics (Kursk 1 and 2 are one topic)
        first: dict[str, object] = {}
        for a in articles:
            if a.published is not None:
                first[truth[a.id]] = min(first.get(truth[a.id], a.published), a.published)
        dense = [a if a.published is None else dataclasses.replace(
            a, published=datetime(2000, 1, 3) + (a.published - first[truth[a.id]])) for a in articles]
        start = time.perf_counter()
        groups = group_articles(dense, window=window, threshold=args.threshold)
        seconds = time.perf_counter() - start
        show("same-week variant (every story starts on one day)", scores(groups, truth), seconds, len(dense))
        topics = {i: story.split("-")[0] for i, story in truth.items()}
        t = scores(groups, topics)
        print(f"  against the {t['stories']} DUC topics: B-cubed P {t['b3_p']:.3f}  R {t['b3_r']:.3f}  "
              f"F1 {t['b3_f1']:.3f}")
    if args.scale:
        big, labels = replicate(articles, truth, args.scale, args.shift_days)
        start = time.perf_counter()
        groups = group_articles(big, window=window, threshold=args.threshold)
        seconds = time.perf_counter() - start
        show(f"scale (replicas {args.shift_days:g} days apart)", scores(groups, labels), seconds, len(big))
        if args.undated:
            big, labels = replicate(articles, truth, args.scale, args.shift_days, undated=True)
            start = time.perf_counter()
            groups = group_articles(big, window=window, threshold=args.threshold)
            seconds = time.perf_counter() - start
            print(f"scale, no dates: {len(big)} articles, {len(groups)} groups, {seconds:.2f} s "
                  f"({len(big) / seconds:,.0f} articles/s; replicas are identical texts, so "
                  "grouping them together is expected)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
