"""Nightly benchmark: throughput, peak memory and scaling of ``claimcheck nightly``.

    python bench/nightly.py [--articles 10000] [--per-story 5] [--sizes 1000,5000,10000]
                            [--story-sizes 10,50,200] [--jobs 2] [--json FILE]

Builds a large inbox from the real stories (the 50 DUC clusters and the ECB+ stories in
../shared, licensed for internal testing only, so the generated inbox lives in a temporary
folder and is deleted, plus the bundled example): each generated story resamples the articles
of one real story, gives the copies new ids, and changes one number in one copy (a controlled
edit, so stories differ and have findings to report). Every generated story also varies its
text: its capitalised words (names, places) get a vowel changed and its figures (not years) a
per-story shift, the same way in all its articles, so the stories still agree within
themselves but no two generated articles are the same text and no text-keyed cache answers
from a repeat. Then it measures, end to end (a fresh ``claimcheck nightly`` process,
interpreter start included):

- articles/s and peak memory (resident memory of the whole process tree, sampled every 0.1 s)
  for each corpus size in --sizes;
- CPU seconds of the whole process tree (user + system), articles per CPU-second, and the plain
  floor (bench/floor.py: read, NFC, one-regex sentence split, one numbers/dates regex) on the same
  inbox in the same run, with claimcheck's CPU time as a multiple of the floor's;
- seconds per story for stories of --story-sizes articles (one process, so it is the algorithm,
  not the pool), with the growth exponent between sizes (1 is linear, n log n is a little above
  1, 2 is quadratic).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from floor import floor  # noqa: E402 - bench/floor.py beside this script

ROOT = Path(__file__).resolve().parent.parent
DUC = ROOT.parent / "shared" / "corpora" / "duc0607-newswire-clusters"
ECBPLUS = ROOT.parent / "shared" / "corpora" / "ecbplus"
EXAMPLE = ROOT / "examples" / "maks-returns-to-poland"
NUMBER = re.compile(r"\b\d{1,4}\b")


def source_stories() -> list[Path]:
    stories = [EXAMPLE]
    for corpus in (DUC, ECBPLUS):
        if corpus.is_dir():
            stories += sorted(p for p in corpus.iterdir() if (p / "meta.json").is_file())
    return stories


def load_story(folder: Path) -> list[dict]:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    out = []
    for article in meta["articles"]:
        text = (folder / article["file"]).read_text(encoding="utf-8")
        out.append({"outlet": article.get("outlet"), "date": article.get("date") or article.get("datetime"),
                    "headline": article.get("headline"), "text": text})
    return out


def edited(text: str, rng: random.Random) -> str:
    numbers = list(NUMBER.finditer(text))
    if not numbers:
        return text
    m = rng.choice(numbers)
    value = int(m.group()) + rng.choice([-2, -1, 1, 2, 10])
    return text[:m.start()] + str(max(0, value)) + text[m.end():]


CAPITALISED = re.compile(r"\b[A-Z][a-z]{3,}\b")
VOWELS = "aeiou"


class Variation:
    """One generated story's changes: names and places get one vowel changed, figures other
    than years a shift, each the same in every article of the story."""

    def __init__(self, rng: random.Random) -> None:
        self.seed = rng.randrange(1 << 30)
        self.shift = rng.randint(1, 9)
        self.names: dict[str, str] = {}

    def name(self, m: re.Match) -> str:
        word = m.group()
        if word not in self.names:
            vowels = [i for i, c in enumerate(word) if c in VOWELS and i > 0]
            if not vowels:
                self.names[word] = word
            else:
                pick = random.Random(f"{self.seed}:{word}")
                i = pick.choice(vowels)
                self.names[word] = word[:i] + pick.choice([v for v in VOWELS if v != word[i]]) + word[i + 1:]
        return self.names[word]

    def figure(self, m: re.Match) -> str:
        value = int(m.group())
        return m.group() if 1900 <= value <= 2100 else str(value + self.shift)

    def __call__(self, text: str) -> str:
        return NUMBER.sub(self.figure, CAPITALISED.sub(self.name, text))


def write_story(folder: Path, articles: list[dict], size: int, rng: random.Random, vary: bool = True) -> int:
    folder.mkdir(parents=True)
    chosen = [articles[i % len(articles)] for i in range(size)] if size >= len(articles) else rng.sample(articles, size)
    target = rng.randrange(len(chosen))
    variation = Variation(rng) if vary else (lambda text: text)
    meta = []
    for i, article in enumerate(chosen):
        name = f"a{i:04d}"
        text = variation(article["text"])
        text = edited(text, rng) if i == target else text
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        meta.append({"id": name, "file": f"{name}.txt", "outlet": article["outlet"], "date": article["date"],
                     "headline": article["headline"]})
    (folder / "meta.json").write_text(json.dumps({"articles": meta}), encoding="utf-8")
    return len(chosen)


def build_inbox(root: Path, articles: int, per_story: int, seed: int) -> tuple[int, int]:
    rng = random.Random(seed)
    sources = [load_story(p) for p in source_stories()]
    n_stories = max(1, articles // per_story)
    total = 0
    for i in range(n_stories):
        total += write_story(root / f"story-{i:05d}", sources[i % len(sources)], per_story, rng)
    return n_stories, total


class TreeMemory:
    """Peak resident memory of a process and all its descendants, from /proc; and the CPU
    time each of them was last seen to have used (worker processes that end unreaped are
    missing from the parent's own accounting)."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.pid, self.interval, self.peak = pid, interval, 0
        self.cpu_ticks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat", encoding="utf-8") as handle:
                        fields = handle.read().rsplit(")", 1)[1].split()
                    children.setdefault(int(fields[1]), []).append(int(entry))
                except (OSError, IndexError, ValueError):
                    continue
        out, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            out.append(pid)
            todo.extend(children.get(pid, []))
        return out

    def _rss(self, pid: int) -> int:
        try:
            with open(f"/proc/{pid}/status", encoding="utf-8") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def _cpu(self, pid: int) -> None:
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            self.cpu_ticks[pid] = max(self.cpu_ticks.get(pid, 0), int(fields[11]) + int(fields[12]))
        except (OSError, IndexError, ValueError):
            pass

    @property
    def cpu_seconds(self) -> float:
        return sum(self.cpu_ticks.values()) / os.sysconf("SC_CLK_TCK")

    def _run(self) -> None:
        while not self._stop.is_set():
            tree = self._tree()
            self.peak = max(self.peak, sum(self._rss(p) for p in tree))
            for pid in tree:
                self._cpu(pid)
            self._stop.wait(self.interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def run_night(inbox: Path, work: Path, jobs: int) -> dict:
    out, db = work / "out", work / "review.db"
    command = [sys.executable, "-m", "checker", "nightly", str(inbox), "--out", str(out), "--db", str(db),
               "--jobs", str(jobs), "--date", "2026-01-01", "--fail-on", "never"]
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    memory = TreeMemory(proc.pid)
    _, err = proc.communicate()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the workers are the nightly process's children
    reaped = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak = memory.stop()
    cpu_seconds = max(reaped, memory.cpu_seconds)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"nightly failed ({proc.returncode}): {err.strip()[-500:]}")
    summary = json.loads((out / "2026-01-01" / "summary.json").read_text(encoding="utf-8"))
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "peak_bytes": peak, "articles": summary["counts"]["articles"],
            "stories": summary["counts"]["stories"], "failed": summary["counts"]["failed"],
            "findings": sum(summary["counts"]["findings"].values())}


def story_size_times(sizes: list[int], seed: int, repeat: int = 3) -> list[dict]:
    """Seconds to check one story of each size (best of ``repeat``), over a few source stories."""
    from checker.pipeline.check import check_story
    from checker.pipeline.rules_file import load_rules

    rules = load_rules()
    rng = random.Random(seed)
    sources = [load_story(p) for p in source_stories()]
    picks = [sources[i] for i in rng.sample(range(len(sources)), min(3, len(sources)))]
    rows = []
    with tempfile.TemporaryDirectory(prefix="claimcheck-bench-") as tmp:
        for size in sizes:
            seconds = 0.0
            for k, articles in enumerate(picks):
                folder = Path(tmp) / f"s{size}-{k}"
                write_story(folder, articles, size, rng)
                best = math.inf
                for _ in range(repeat if size <= 50 else 1):
                    t0 = time.perf_counter()
                    check_story(folder, rules)
                    best = min(best, time.perf_counter() - t0)
                seconds += best
            rows.append({"articles_per_story": size, "seconds_per_story": seconds / len(picks)})
    for previous, row in zip(rows, rows[1:]):
        ratio = row["articles_per_story"] / previous["articles_per_story"]
        row["growth_exponent"] = math.log(row["seconds_per_story"] / previous["seconds_per_story"]) / math.log(ratio)
        # n log n between the two sizes, as an exponent, for comparison
        n0, n1 = previous["articles_per_story"], row["articles_per_story"]
        row["nlogn_exponent"] = math.log((n1 * math.log(n1)) / (n0 * math.log(n0))) / math.log(ratio)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,10000", help="corpus sizes in articles")
    parser.add_argument("--per-story", type=int, default=5)
    parser.add_argument("--story-sizes", default="10,50,200")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if not DUC.is_dir():
        print(f"note: {DUC} is absent; generating from the bundled example only", file=sys.stderr)
    results = {"jobs": args.jobs, "per_story": args.per_story, "corpus": [], "story_sizes": []}
    print(f"{'articles':>9} {'stories':>8} {'seconds':>8} {'articles/s':>11} {'peak MB':>8} {'findings':>9} {'failed':>7} {'CPU s':>8} {'art/CPU-s':>10} {'floor s':>8} {'x floor':>8}")
    for size in [int(s) for s in args.sizes.split(",") if s]:
        with tempfile.TemporaryDirectory(prefix="claimcheck-bench-") as tmp:
            inbox = Path(tmp) / "inbox"
            build_inbox(inbox, size, args.per_story, args.seed)
            row = run_night(inbox, Path(tmp), args.jobs)
            row["floor"] = floor([inbox])
            shutil.rmtree(inbox)
        row["articles_per_s"] = row["articles"] / row["seconds"]
        row["articles_per_cpu_s"] = row["articles"] / row["cpu_seconds"]
        row["floor_ratio"] = row["cpu_seconds"] / row["floor"]["cpu_seconds"]
        results["corpus"].append(row)
        print(f"{row['articles']:>9} {row['stories']:>8} {row['seconds']:>8.1f} {row['articles_per_s']:>11.0f} "
              f"{row['peak_bytes'] / 2**20:>8.0f} {row['findings']:>9} {row['failed']:>7} {row['cpu_seconds']:>8.1f} "
              f"{row['articles_per_cpu_s']:>10.0f} {row['floor']['cpu_seconds']:>8.2f} {row['floor_ratio']:>7.1f}x",
              flush=True)
    if not args.story_sizes:
        if args.json:
            args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
        return 0
    print()
    print(f"{'articles/story':>15} {'s/story':>9} {'growth exponent':>16} {'n log n would be':>17}")
    for row in story_size_times([int(s) for s in args.story_sizes.split(",") if s], args.seed):
        results["story_sizes"].append(row)
        growth = f"{row['growth_exponent']:.2f}" if "growth_exponent" in row else ""
        nlogn = f"{row['nlogn_exponent']:.2f}" if "nlogn_exponent" in row else ""
        print(f"{row['articles_per_story']:>15} {row['seconds_per_story']:>9.2f} {growth:>16} {nlogn:>17}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
