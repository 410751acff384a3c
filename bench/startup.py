"""Start-up cost of the command line, as whole processes, in CPU time (user + system, all threads).

    python bench/startup.py [--repeat 15] [--story examples/maks-returns-to-poland]

Measures, each --repeat times, interleaved so that other load on the machine falls on all alike:
- ``python -c pass`` (the interpreter alone, the floor);
- ``import typer`` and ``import pydantic`` alone (the command line's libraries: the floor under
  ``--help`` and under every command, which typer runs through pydantic);
- ``claimcheck --help`` and ``claimcheck --version``;
- ``claimcheck check STORY --format json`` split in two: start-up (everything the process did
  before it began reading the story's first article: interpreter, imports, rules file) and the
  check itself (reading, claims, rules, report, exit).
CPU time, not wall time, because the machine is shared: another process's load stretches wall
time but not this process's CPU time; threads (OpenBLAS's, if numpy is loaded) are counted.
Prints the median and the minimum of each figure, the targets' ratios (``--help`` against
``python -c pass``; start-up against the check) and whether numpy was imported by the check.
"""
from __future__ import annotations

import argparse
import compileall
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs the real console entry point; marks the CPU time spent when the story's reading begins.
DRIVER = r"""
import atexit, json, resource, sys
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
mark = {}
mark_path = sys.argv[1]
import checker.pipeline.check as pipeline
read_story = pipeline.read_story
def marked(path):
    mark.setdefault("startup", cpu())
    return read_story(path)
pipeline.read_story = marked
def report():
    with open(mark_path, "w") as out:
        json.dump({"startup": mark.get("startup"), "total": cpu(), "numpy": "numpy" in sys.modules}, out)
atexit.register(report)
from checker.cli import main
sys.argv = ["claimcheck"] + sys.argv[2:]
main()
"""


def child_cpu(cmd: list[str]) -> float:
    """CPU seconds of one child process (its own and its threads', user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def claimcheck_cmd() -> list[str]:
    script = Path(sys.executable).with_name("claimcheck")
    return [str(script)] if script.exists() else [sys.executable, "-m", "checker.cli"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--story", type=Path, default=ROOT / "examples" / "maks-returns-to-poland")
    args = parser.parse_args()
    cli = claimcheck_cmd()
    # a normal install (pip install, non-editable) leaves compiled .pyc files beside the modules;
    # an editable checkout under PYTHONDONTWRITEBYTECODE never gets them: compile them as pip would
    import checker
    import claims
    for package in (checker, claims):
        compileall.compile_dir(Path(package.__file__).parent, quiet=1)
    figures: dict[str, list[float]] = {k: [] for k in (
        "python -c pass", "import typer", "import pydantic", "claimcheck --help", "claimcheck --version",
        "check: start-up", "check: the check", "check: whole")}
    numpy_loaded = set()
    with tempfile.TemporaryDirectory() as tmp:
        mark_file = os.path.join(tmp, "mark.json")
        driver = os.path.join(tmp, "driver.py")
        Path(driver).write_text(DRIVER)
        for _ in range(args.repeat):
            figures["python -c pass"].append(child_cpu([sys.executable, "-c", "pass"]))
            # what the command line's libraries cost on their own: typer runs every parameter
            # through a pydantic TypeAdapter, so a command imports pydantic too
            figures["import typer"].append(child_cpu([sys.executable, "-c", "import typer"]))
            figures["import pydantic"].append(child_cpu([sys.executable, "-c", "import pydantic; pydantic.TypeAdapter"]))
            figures["claimcheck --help"].append(child_cpu(cli + ["--help"]))
            figures["claimcheck --version"].append(child_cpu(cli + ["--version"]))
            whole = child_cpu([sys.executable, driver, mark_file, "check", str(args.story),
                               "--format", "json", "--fail-on", "never"])
            mark = json.loads(Path(mark_file).read_text())
            figures["check: start-up"].append(mark["startup"])
            figures["check: the check"].append(mark["total"] - mark["startup"])
            figures["check: whole"].append(whole)
            numpy_loaded.add(mark["numpy"])
    med = {k: statistics.median(v) for k, v in figures.items()}
    low = {k: min(v) for k, v in figures.items()}
    print(f"CPU time (user+sys), {args.repeat} interleaved runs; story {args.story.name}")
    print(f"{'':24}{'median ms':>11}{'min ms':>9}")
    for key in figures:
        print(f"{key:24}{med[key] * 1000:11.1f}{low[key] * 1000:9.1f}")
    help_ratio = med["claimcheck --help"] / med["python -c pass"]
    startup_ratio = med["check: start-up"] / med["check: the check"]
    print(f"--help / python -c pass: {help_ratio:.1f}x (target <= 4x)")
    print(f"check start-up / check: {startup_ratio:.2f} (target <= 1)")
    print(f"numpy imported by the check: {'yes' if True in numpy_loaded else 'no'}")
    print(json.dumps({"median_ms": {k: round(v * 1000, 1) for k, v in med.items()},
                      "min_ms": {k: round(v * 1000, 1) for k, v in low.items()},
                      "help_ratio": round(help_ratio, 2), "startup_ratio": round(startup_ratio, 2),
                      "numpy": True in numpy_loaded}))


if __name__ == "__main__":
    main()
