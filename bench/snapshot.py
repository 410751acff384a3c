"""Freeze what claimcheck says about every story, to prove a refactor changed nothing.

    python bench/snapshot.py OUT_DIR                # write one JSON per story
    python bench/snapshot.py OUT_DIR --compare REF  # write, then diff against an earlier snapshot

Stories: the bundled example, the fixture stories, every DUC story and every ECB+ story found
beside the project (``../shared/corpora``). Each file holds the story's JSON findings and its
claims as ``claimcheck check --format json`` and ``claimcheck claims --format json`` give them,
with the rules path blanked (it differs between checkouts). Exit 1 when ``--compare`` finds a
difference, listing the stories that differ.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from checker.pipeline.check import check_story, result_to_dict
from checker.report.claims_table import claims_records
from checker.pipeline.rules_file import load_rules

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"


def stories() -> list[Path]:
    found = [ROOT / "examples" / "maks-returns-to-poland"]
    found += sorted(p for p in (ROOT / "tests" / "fixtures" / "stories").iterdir() if p.is_dir())
    for corpus, pattern in (("duc0607-newswire-clusters", "D0*"), ("ecbplus", "[0-9]*")):
        folder = CORPORA / corpus
        if folder.is_dir():
            found += sorted(p for p in folder.glob(pattern) if p.is_dir())
    return found


def snapshot(story: Path, rules) -> dict:
    try:
        result = check_story(story, rules)
    except Exception as exc:  # noqa: BLE001 - a crash is part of what the snapshot records
        return {"crash": f"{type(exc).__name__}: {exc}"}
    data = result_to_dict(result)
    data["rules"] = ""
    data["claims"] = claims_records(result.claims)
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--compare", type=Path, help="an earlier snapshot folder")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rules = load_rules()
    names = []
    for story in stories():
        name = f"{story.parent.name}--{story.name}.json"
        names.append(name)
        text = json.dumps(snapshot(story, rules), indent=1, ensure_ascii=False, sort_keys=True)
        (args.out / name).write_text(text + "\n", encoding="utf-8")
    crashed = sum('"crash"' in (args.out / n).read_text(encoding="utf-8")[:40] for n in names)
    print(f"{len(names)} stories written to {args.out} ({crashed} crashed)")
    if args.compare is None:
        return 0
    differ = [n for n in names if not (args.compare / n).is_file()
              or (args.compare / n).read_bytes() != (args.out / n).read_bytes()]
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(names) - len(differ)} identical, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
