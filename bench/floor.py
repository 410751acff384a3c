"""The plain floor: the least any checker must do to every article, for comparison with claimcheck.

    python bench/floor.py INBOX_OR_STORY [...]

Reads every article file (.txt/.md/.html) in the story folders under the given folders (a
corpus's own README or SOURCE file beside the stories is not an article), normalises it to NFC, splits
it into sentences with one regex and scans it with one combined numbers-and-dates regex. Prints
the articles, the CPU seconds (user + system) and articles per CPU-second. bench/nightly.py runs
it on the same inbox in the same run and gives claimcheck's CPU time as a multiple of it.
"""
from __future__ import annotations

import argparse
import json
import re
import resource
import unicodedata
from pathlib import Path

SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")
FIGURES = re.compile(
    r"\b(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\b"
    r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b"
    r"|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|dozens?|hundreds?|thousands?)\b",
    re.IGNORECASE)
SUFFIXES = {".txt", ".md", ".html", ".htm"}


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def floor(folders: list[Path]) -> dict:
    start = cpu()
    articles = sentences = figures = 0
    for folder in folders:
        nested = any(p.is_dir() for p in folder.iterdir())  # an inbox or corpus of story folders
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() not in SUFFIXES or not path.is_file() or (nested and path.parent == folder):
                continue
            text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8", errors="replace"))
            sentences += sum(1 for _ in SENTENCE.finditer(text))
            figures += sum(1 for _ in FIGURES.finditer(text))
            articles += 1
    seconds = cpu() - start
    return {"articles": articles, "sentences": sentences, "figures": figures, "cpu_seconds": round(seconds, 3),
            "articles_per_cpu_s": round(articles / seconds, 1) if seconds else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", type=Path, nargs="+")
    args = parser.parse_args()
    result = floor(args.folders)
    print(f"floor: {result['articles']} articles in {result['cpu_seconds']:.3f} CPU s, "
          f"{result['articles_per_cpu_s']} articles per CPU-second")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
