"""Can any similarity of two sentences tell one event's date from two events' dates?

    python bench/accuracy.py --seed 1 --json bench/results/seed1.json
    python bench/date_separability.py bench/results/seed1.json [--embed MODEL_DIR]

Positives: every date edit the accuracy run missed, as the pair (edited sentence, the witness
article's sentences dating the same day): one event, which claimcheck failed to align.
Negatives: every pair of one-day dates in two different articles of the unchanged stories
that differ by at most 14 days, have the same role (a statement's or an event's date) and
whose articles do not also state each other's day: had claimcheck aligned them, each would be
a date warning on a story that holds none (a few are real conflicts; nearly all are two events).

For each measure and threshold it prints how many positives reach it and how many negatives
do. A measure that could raise date recall without noise would find many positives while
admitting few negatives; judged precision has room for only a few more false findings.

Measures: ``lexical``, the sum of the story IDF of the content words (stems, synonym groups,
time words removed) two sentences share, the best over the witness's sentences; and, with
``--embed``, the cosine of two sentence embeddings from a sentence-transformers model in a local
folder (claimcheck does not depend on one; this only measures what one would give).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

from checker.engine.align import word_set
from checker.pipeline.check import extract_story
from checker.engine.facts import one_day as _one_day, same_role as _same_role
from claims.base import content_words
from claims.events import TIME_WORDS
from claims.read import Story, read_story

ROOT = Path(__file__).resolve().parent.parent


DUC = ROOT.parent / "shared" / "corpora" / "duc0607-newswire-clusters"
EXAMPLE = ROOT / "examples" / "maks-returns-to-poland"
MAX_GAP = 14
TIME_STEMS = set(word_set(" ".join(content_words(" ".join(TIME_WORDS)))))


def story_path(story_id: str) -> Path:
    return EXAMPLE if story_id == EXAMPLE.name else DUC / story_id


def one_day_dates(claims) -> list:
    return [c for c in claims if c.claim_type == "date" and _one_day(c)]


def negatives(claims) -> list[tuple[str, str]]:
    days = one_day_dates(claims)
    stated: dict[str, set[float]] = {}
    for c in days:
        stated.setdefault(c.article, set()).add(c.low)
    out = []
    for i, a in enumerate(days):
        for b in days[i + 1:]:
            if a.article == b.article or a.low == b.low or abs(a.low - b.low) > MAX_GAP:
                continue
            if b.low in stated[a.article] or a.low in stated[b.article] or not _same_role(a, b):
                continue
            out.append((str(a.sentence), str(b.sentence)))
    return out


def positive(story: Story, claims, case: dict) -> tuple[str, list[str]] | None:
    """The edited sentence and the witness's sentences dating the day the edit replaced."""
    _, _, article, _, change = case["id"].split(":", 4)
    old, new = change.split("->")
    start = int(case["start"])
    days = one_day_dates(claims)
    edited = []
    for a in story.articles:
        if a.id == article:
            if a.text[start:start + len(old)] != old:
                start = a.text.rfind(old, 0, start + len(old))
            a = replace(a, text=a.text[:start] + new + a.text[start + len(old):])
        edited.append(a)
    before = [c for c in days if c.article == article and c.start <= start + len(old) and c.end >= start]
    after = [c for c in one_day_dates(extract_story(replace(story, articles=edited)).claims)
             if c.article == article and c.start <= start + len(new) and c.end >= start]
    if not before or not after:
        return None
    witness = [str(c.sentence) for c in days if c.article == case["witness"] and c.low == before[0].low]
    return (str(after[0].sentence), witness) if witness else None


class Lexical:
    """Shared content words weighted by their rarity in the story's sentences."""

    def __init__(self, sentences: list[str]):
        self.words = {s: set(word_set(" ".join(content_words(s)))) - TIME_STEMS for s in sentences}
        df = Counter(w for ws in self.words.values() for w in ws)
        self.idf = {w: math.log(len(sentences) / n) for w, n in df.items()}

    def __call__(self, a: str, b: str) -> float:
        return sum(self.idf[w] for w in self.words[a] & self.words[b])


def report(name: str, pos: list[float], neg: list[float], thresholds) -> None:
    print(f"{name}: {len(pos)} missed edits, {len(neg)} disagreeing pairs")
    for t in thresholds:
        print(f"  >= {t:g}: edits {sum(x >= t for x in pos)}/{len(pos)}, "
              f"disagreeing pairs {sum(x >= t for x in neg)}/{len(neg)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path, help="a bench/accuracy.py --json file")
    parser.add_argument("--embed", type=Path, help="a local sentence-transformers model folder")
    args = parser.parse_args(argv)
    results = json.loads(args.results.read_text(encoding="utf-8"))
    lexical_pos, lexical_neg, pairs_pos, pairs_neg = [], [], [], []
    for entry in results["stories"]:
        path = story_path(entry["story"])
        if not path.exists():
            continue
        story = read_story(path)
        claims = extract_story(story).claims
        neg = negatives(claims)
        pos = [p for c in entry["cases"] if c["type"] == "date" and not c["flagged"]
               for p in [positive(story, claims, c)] if p]
        measure = Lexical(sorted({s for d in claims if d.claim_type == "date" for s in [str(d.sentence)]}
                                 | {a for a, _ in pos}))
        lexical_pos += [max(measure(a, b) for b in bs) for a, bs in pos]
        lexical_neg += [measure(a, b) for a, b in neg]
        pairs_pos += pos
        pairs_neg += neg
    report("lexical (shared IDF)", lexical_pos, lexical_neg, (9, 11, 13, 15, 17))
    if args.embed:
        from sentence_transformers import SentenceTransformer  # optional: measurement only
        model = SentenceTransformer(str(args.embed))
        sentences = sorted({s for a, bs in pairs_pos for s in [a, *bs]} | {s for pair in pairs_neg for s in pair})
        vectors = dict(zip(sentences, model.encode(sentences, batch_size=64, normalize_embeddings=True)))
        cosine = lambda a, b: float(vectors[a] @ vectors[b])  # noqa: E731
        report(f"embedding ({args.embed.name})", [max(cosine(a, b) for b in bs) for a, bs in pairs_pos],
               [cosine(a, b) for a, b in pairs_neg], (0.5, 0.6, 0.65, 0.7, 0.75, 0.8))
    return 0


if __name__ == "__main__":
    sys.exit(main())
