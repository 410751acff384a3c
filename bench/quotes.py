"""Quote extraction against hand labels: span precision and recall, speaker accuracy.

    python bench/quotes.py [--labels bench/quote_labels] [--errors] [--json out.json]

Labels (``bench/quote_labels/*.yaml``, format and guidelines in its README) give every quote's
span and speaker as offsets; the text is read from the bundled story or from ``../shared``
(a story whose corpus is absent is skipped and said so). A prediction and a label match when
their spans, trimmed of spaces and punctuation at the edges, overlap by at least half of their
union; "exact" also requires the trimmed spans to be equal. Optional labels count neither way.
Speaker accuracy is over matched labels that name a speaker. ``--errors`` lists every miss,
false quote and wrong speaker (article text is printed to the terminal, never written).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import yaml
from anyascii import anyascii

from checker.pipeline.check import extract_story
from claims.entities import TITLE_WORDS

ROOT = Path(__file__).resolve().parent.parent


CORPORA = ROOT.parent / "shared" / "corpora"
MIN_OVERLAP = 0.5
_EDGE = " \t\r\n.,;:!?'\"`\u2018\u2019\u201c\u201d\u2026-\u2014\u2013()[]"
_PREPOSITIONS = {"for", "of", "at", "from", "in", "with", "to", "close", "on", "who", "whose", "that"}
_DETERMINERS = {"the", "a", "an", "one", "another", "his", "her", "their", "its", "two", "three", "several"}


def story_dir(label: dict) -> Path:
    if label.get("corpus") == "examples":
        return ROOT / "examples" / label["story"]
    return CORPORA / label["corpus"] / label["story"]


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if inter > 0 and union > 0 else 0.0


def _tokens(speaker: str) -> list[str]:
    words = anyascii(speaker).replace("'s", "").replace(".", " ").replace(",", " ").split()
    return [w for w in words if w not in TITLE_WORDS and w.lower() not in _DETERMINERS]


def speaker_key(speaker: str | None) -> tuple[str, str]:
    """("name", surname) or ("role", head noun) of a speaker as written."""
    tokens = _tokens(speaker or "")
    if not tokens:
        return ("none", "")
    head = []
    for t in tokens:
        if t.lower() in _PREPOSITIONS:
            break
        head.append(t)
    last = (head or tokens)[-1]
    if last[:1].isupper():
        return ("name", last.lower())
    return ("role", last.lower().rstrip("s"))


def speaker_matches(predicted: str | None, gold: str | None) -> bool:
    return speaker_key(predicted) == speaker_key(gold) and speaker_key(gold)[0] != "none"


def score_story(label_file: Path, show_errors: bool) -> dict | None:
    label = yaml.safe_load(label_file.read_text(encoding="utf-8"))
    folder = story_dir(label)
    if not folder.is_dir():
        print(f"skipped {label['story']}: {folder} not found", file=sys.stderr)
        return None
    ex = extract_story(folder)
    by_file = {Path(a.path).name: a for a in ex.story.articles}
    quotes = [c for c in ex.claims if c.claim_type == "quote"]
    counts = {"labels": 0, "predicted": 0, "tp": 0, "exact": 0, "fp": 0, "fn": 0,
              "speaker_scored": 0, "speaker_right": 0}
    errors: list[str] = []
    for name, entry in label["articles"].items():
        path = folder / name
        if hashlib.sha256(path.read_bytes()).hexdigest() != entry["sha256"]:
            raise SystemExit(f"{path}: file changed since it was labelled (sha256 differs)")
        article = by_file[name]
        text = article.text
        gold = [(trim(text, q["start"], q["end"]), q) for q in entry.get("quotes") or []]
        pred = [(trim(text, r.start, r.end), r) for r in quotes if r.article == article.id]
        used: set[int] = set()
        matched_pred: set[int] = set()
        # best overlap first, one to one
        pairs = sorted(((overlap(g[0], p[0]), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred)),
                       reverse=True)
        for ov, gi, pi in pairs:
            if ov < MIN_OVERLAP or gi in used or pi in matched_pred:
                continue
            used.add(gi)
            matched_pred.add(pi)
            (gspan, g), (pspan, p) = gold[gi], pred[pi]
            if g.get("optional"):
                continue
            counts["tp"] += 1
            counts["exact"] += gspan == pspan
            if g.get("speaker"):
                counts["speaker_scored"] += 1
                if speaker_matches(p.subject, g["speaker"]):
                    counts["speaker_right"] += 1
                elif show_errors:
                    errors.append(f"  speaker  {name}:{g['start']}  gold {g['speaker']!r}  got {p.subject!r}"
                                  f"  ({p.extra.get('speaker_source')})  {text[gspan[0]:gspan[1]][:70]!r}")
            if show_errors and gspan != pspan:
                errors.append(f"  bounds   {name}:{g['start']}  gold {text[gspan[0]:gspan[1]][:50]!r}..."
                              f"  got {text[pspan[0]:pspan[1]][:50]!r}...")
        for gi, (gspan, g) in enumerate(gold):
            if g.get("optional"):
                continue
            counts["labels"] += 1
            if gi not in used:
                counts["fn"] += 1
                if show_errors:
                    errors.append(f"  missed   {name}:{g['start']}  {text[gspan[0]:gspan[1]][:90]!r} ({g.get('speaker')})")
        for pi, (pspan, p) in enumerate(pred):
            optional_hit = any(g.get("optional") and overlap(gspan, pspan) >= MIN_OVERLAP for gspan, g in gold)
            if optional_hit:
                continue
            counts["predicted"] += 1
            if pi not in matched_pred:
                counts["fp"] += 1
                if show_errors:
                    errors.append(f"  false    {name}:{int(p.start)}  {text[pspan[0]:pspan[1]][:90]!r} ({p.subject})")
    if show_errors and errors:
        print(f"{label['story']}:")
        print("\n".join(errors))
    return {"story": label["story"], **counts}


def ratio(a: int, b: int) -> float:
    return round(100.0 * a / b, 1) if b else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", default=str(ROOT / "bench" / "quote_labels"))
    parser.add_argument("--errors", action="store_true", help="list every miss, false quote and wrong speaker")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    rows = [r for f in sorted(Path(args.labels).glob("*.yaml"))
            if (r := score_story(f, args.errors)) is not None]
    total = {k: sum(r[k] for r in rows) for k in rows[0] if k != "story"} if rows else {}
    header = f"{'story':<48} {'labels':>6} {'pred':>5} {'P%':>6} {'R%':>6} {'exactP':>7} {'exactR':>7} {'spk%':>6}"
    print(header)
    for r in rows + ([{"story": "TOTAL", **total}] if total else []):
        print(f"{r['story'][:48]:<48} {r['labels']:>6} {r['predicted']:>5} {ratio(r['tp'], r['predicted']):>6} "
              f"{ratio(r['tp'], r['labels']):>6} {ratio(r['exact'], r['predicted']):>7} "
              f"{ratio(r['exact'], r['labels']):>7} {ratio(r['speaker_right'], r['speaker_scored']):>6}")
    if args.json:
        summary = {"stories": rows, "total": total,
                   "precision": ratio(total["tp"], total["predicted"]), "recall": ratio(total["tp"], total["labels"]),
                   "exact_precision": ratio(total["exact"], total["predicted"]),
                   "exact_recall": ratio(total["exact"], total["labels"]),
                   "speaker_accuracy": ratio(total["speaker_right"], total["speaker_scored"])}
        Path(args.json).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
