"""Recall and precision on real disagreements that people found by reading the stories.

    python bench/disagreements.py [--split dev|test|all] [--json FILE] [--misses] [--unjudged]

The gold is hand-labelled (``bench/gold/disagreements_*.tsv``, one row per pair of disagreeing
values of one fact: the two phrases with their files and offsets, the kind, ``conflict`` or
``update``, and in ``more`` every other mention of either value). Stories are read from
``../shared/corpora`` (ECB+ and DUC); nothing of their text is kept here but the short phrases.

A gold row is **found** when one finding cites a mention of each of its two values (its
evidence spans overlap them). Recall is given loud (an error or warning finds it; conflict rows
only, as an update should be info) and at any severity (every row). Precision is over the loud
findings: a finding that finds a gold conflict is right; any other is looked up in
``bench/gold/finding_judgements.yaml`` (story -> finding id -> ``real: true|false`` and a note),
and one never judged is listed as unjudged (``--unjudged`` prints them to judge).

Splits: the ``split`` column. The test split is for the final figures only: ``--misses`` (what
was not found, with the phrases) refuses to print it, so nobody tunes on it by accident.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from checker.pipeline.check import check_story, result_to_dict
from checker.pipeline.rules_file import load_rules

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "bench" / "gold"
CORPORA = ROOT.parent / "shared" / "corpora"
LOUD = ("error", "warning")


@dataclass
class Row:
    story: str
    split: str
    kind: str
    relation: str
    fact: str
    mentions: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)  # "a"/"b" -> spans
    phrases: tuple[str, str] = ("", "")


def read_gold(split: str) -> list[Row]:
    rows = []
    for path in sorted(GOLD.glob("disagreements_*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for record in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if split != "all" and record["split"] != split:
                    continue
                row = Row(record["story"], record["split"], record["kind"], record["relation"] or "",
                          record["fact"] or "")
                if record["kind"] == "none":
                    rows.append(row)
                    continue
                row.mentions = {"a": [(record["file_a"], int(record["start_a"]), int(record["end_a"]))],
                                "b": [(record["file_b"], int(record["start_b"]), int(record["end_b"]))]}
                for item in filter(None, (record.get("more") or "").split(";")):
                    where, side = item.rsplit("=", 1)
                    file, start, end = where.rsplit(":", 2)
                    row.mentions[side.strip()].append((file, int(start), int(end)))
                row.phrases = (record["phrase_a"], record["phrase_b"])
                rows.append(row)
    return rows


def story_folder(story: str) -> Path | None:
    for corpus in ("ecbplus", "duc0607-newswire-clusters"):
        folder = CORPORA / corpus / story
        if folder.is_dir():
            return folder
    return None


def _spans(finding: dict, file_of: dict[str, str]) -> list[tuple[int, str, int, int]]:
    return [(i, file_of.get(e["article"], ""), e["start"], e["end"]) for i, e in enumerate(finding["evidence"])]


def _hits(spans, mentions) -> set[int]:
    """The evidence items that overlap one of the mentions."""
    return {i for i, file, start, end in spans for mfile, ms, me in mentions
            if file == mfile and start < me and ms < end}


def finds(finding: dict, row: Row, file_of: dict[str, str]) -> bool:
    spans = _spans(finding, file_of)
    on_a, on_b = _hits(spans, row.mentions["a"]), _hits(spans, row.mentions["b"])
    return any(i != j for i in on_a for j in on_b)  # two evidence items, one for each value


def load_judgements() -> dict[str, dict[str, dict]]:
    path = GOLD / "finding_judgements.yaml"
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def evaluate(split: str) -> dict:
    rows = read_gold(split)
    judgements = load_judgements()
    rules = load_rules()
    by_story: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_story[row.story].append(row)
    results: dict = {"split": split, "stories": {}, "rows": [], "loud": []}
    for story, story_rows in sorted(by_story.items()):
        folder = story_folder(story)
        if folder is None:
            print(f"skipped {story}: not found under {CORPORA}", file=sys.stderr)
            continue
        try:
            data = result_to_dict(check_story(folder, rules))
        except Exception as exc:  # noqa: BLE001 - a crash loses the story: every row is missed
            print(f"{story}: the check crashed ({type(exc).__name__}: {exc})", file=sys.stderr)
            data = {"articles": [], "findings": []}
        file_of = {a["id"]: Path(a["path"]).name for a in data["articles"]}
        findings = data["findings"]
        gold = [r for r in story_rows if r.kind != "none"]
        results["stories"][story] = {"split": story_rows[0].split, "articles": len(data["articles"]),
                                     "gold": len(gold), "findings": Counter(f["severity"] for f in findings)}
        matched_loud: set[str] = set()
        for row in gold:
            found_by = [f for f in findings if finds(f, row, file_of)]
            loud = [f for f in found_by if f["severity"] in LOUD]
            if row.relation == "conflict":
                matched_loud.update(f["id"] for f in loud)
            results["rows"].append({"story": story, "split": row.split, "kind": row.kind,
                                    "relation": row.relation, "fact": row.fact, "phrases": row.phrases,
                                    "found_loud": bool(loud), "found_any": bool(found_by),
                                    "by": sorted({f["rule"] for f in found_by})})
        for f in findings:
            if f["severity"] not in LOUD:
                continue
            judged = (judgements.get(story) or {}).get(f["id"])
            real = True if f["id"] in matched_loud else (judged or {}).get("real")
            results["loud"].append({"story": story, "id": f["id"], "rule": f["rule"], "severity": f["severity"],
                                    "message": f["message"], "real": real,
                                    "how": "gold" if f["id"] in matched_loud else ("judged" if judged else "unjudged")})
    return results


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}% ({part}/{whole})" if whole else "n/a"


def summary(results: dict) -> dict:
    rows = results["rows"]
    conflicts = [r for r in rows if r["relation"] == "conflict"]
    cross = [r for r in conflicts if not r["kind"].startswith("self-")]
    loud = results["loud"]
    judged = [f for f in loud if f["real"] is not None]
    by_kind = {}
    for kind in sorted({r["kind"] for r in rows}):
        of_kind = [r for r in rows if r["kind"] == kind]
        loud_kind = [r for r in of_kind if r["relation"] == "conflict"]
        by_kind[kind] = {"rows": len(of_kind), "loud": _pct(sum(r["found_loud"] for r in loud_kind), len(loud_kind)),
                         "any": _pct(sum(r["found_any"] for r in of_kind), len(of_kind))}
    return {
        "stories": len(results["stories"]),
        "gold rows": len(rows),
        "recall loud (cross-source conflicts)": _pct(sum(r["found_loud"] for r in cross), len(cross)),
        "recall any severity (all rows)": _pct(sum(r["found_any"] for r in rows), len(rows)),
        "loud findings": len(loud),
        "precision loud (judged)": _pct(sum(bool(f["real"]) for f in judged), len(judged)),
        "unjudged loud findings": len(loud) - len(judged),
        "by kind": by_kind,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--json", type=Path, help="write every row's result and every loud finding here")
    parser.add_argument("--misses", action="store_true", help="print the rows not found (dev split only)")
    parser.add_argument("--unjudged", action="store_true", help="print the loud findings nobody judged yet")
    args = parser.parse_args()
    if args.misses and args.split != "dev":
        parser.error("--misses prints phrases: only for the dev split (the test split is not for tuning)")
    results = evaluate(args.split)
    report = summary(results)
    print(f"split {args.split}: {report['stories']} stories, {report['gold rows']} gold rows")
    for key, value in report.items():
        if key not in ("stories", "gold rows", "by kind"):
            print(f"  {key}: {value}")
    print("  by kind (loud recall on conflicts; any-severity recall on all rows):")
    for kind, figures in report["by kind"].items():
        print(f"    {kind:12} {figures['rows']:4} rows   loud {figures['loud']:18}   any {figures['any']}")
    if args.misses:
        for r in results["rows"]:
            if not r["found_any"] or (r["relation"] == "conflict" and not r["found_loud"]):
                state = "quiet" if r["found_any"] else "missed"
                print(f"{state:6} {r['story']:14} {r['kind']:10} {r['fact'][:40]:40} {r['phrases'][0]!r} / {r['phrases'][1]!r}")
    if args.unjudged:
        for f in results["loud"]:
            if f["how"] == "unjudged" and (args.split == "dev" or args.json):
                print(f"unjudged {f['story']} {f['id']} {f['rule']} {f['severity']}: {f['message']}")
    if args.json:
        args.json.write_text(json.dumps({"summary": report, **results}, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
