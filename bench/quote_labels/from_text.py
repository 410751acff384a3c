"""Turn a labeller's working file (quotes as text) into a label file (offsets only).

Labellers write the quote text they see, which is easy to check by eye; this script finds each
quote in the article file and writes offsets, speaker and file checksum, so no article text is
kept in the label file.

    python bench/quote_labels/from_text.py WORK.yaml STORY_DIR > bench/quote_labels/STORY.yaml

WORK.yaml::

    story: D0000X-1_example-story
    corpus: duc0607-newswire-clusters
    articles:
      APW20000101.0001.txt:
        - quote: "We will open the gates at dawn,"   # exact characters between the marks
          speaker: Jana Novak
          nth: 1            # which occurrence of that text, when it appears more than once
          optional: false   # optional
          why: ""           # optional

Quotes of one article are found in order: each search starts after the previous quote's start,
so a repeated phrase is found at its next occurrence unless ``nth`` says otherwise.
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import yaml


def convert(work: dict, story_dir: Path) -> dict:
    out = {"story": work["story"], "corpus": work.get("corpus", ""),
           "labelled_by": work.get("labelled_by", "hand (reading the text, without looking at claimcheck's output)"),
           "articles": {}}
    problems = []
    for name, quotes in (work.get("articles") or {}).items():
        data = (story_dir / name).read_bytes()
        text = data.decode("utf-8-sig")
        labels = []
        cursor = 0
        for q in quotes or []:
            needle = q["quote"]
            if q.get("nth"):
                pos = -1
                for _ in range(int(q["nth"])):
                    pos = text.find(needle, pos + 1)
                    if pos < 0:
                        break
            else:
                pos = text.find(needle, cursor)
                if pos < 0:
                    pos = text.find(needle)
            if pos < 0:
                problems.append(f"{name}: not found: {needle[:60]!r}")
                continue
            cursor = pos + 1
            label = {"start": pos, "end": pos + len(needle), "speaker": q.get("speaker")}
            if q.get("optional"):
                label["optional"] = True
            if q.get("why"):
                label["why"] = q["why"]
            labels.append(label)
        labels.sort(key=lambda l: l["start"])
        out["articles"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "quotes": labels}
    return out, problems


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    work = yaml.safe_load(Path(argv[1]).read_text(encoding="utf-8"))
    out, problems = convert(work, Path(argv[2]))
    for p in problems:
        print("error:", p, file=sys.stderr)
    yaml.safe_dump(out, sys.stdout, sort_keys=False, allow_unicode=True, width=120)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
