"""``claimcheck nightly``: check every story of the day, in parallel, and say what changed.

In order:
1. ``inbox.read_inbox`` lists the stories (story folders, feeds, automatic grouping).
2. ``check_one`` checks one story with a time limit. It is a plain top-level function of
   picklable data, so the same function runs in a local process pool (default) or on a Dask
   cluster (``--scheduler``). At most ``jobs * 2`` stories are in flight, so memory does not
   grow with the size of the inbox.
3. The main process, as each story comes back: records the check in the review store (which
   reopens reviewed findings whose evidence changed), marks findings new against the previous
   night, and writes the story's HTML report and its rows of ``findings.jsonl``/``.csv``.
4. At the end: ``index.html`` and ``summary.json``, then the night's folder is moved into place.

Crash-safe and idempotent: everything is written into ``OUT/.DATE.partial-PID`` and renamed to
``OUT/DATE`` only when complete, so a run killed halfway leaves every earlier night as it was,
and running the same date again replaces that night with the same result. "New" and
"resolved" compare with the latest complete night before DATE, never with DATE itself.
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import sys
import threading
import time
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from typing import Callable, Iterable, Iterator

from checker.findings import SEVERITY_RANK
from checker.inbox import Inbox, StoryJob, file_name, read_inbox
from checker.review_store import ReviewStore, attach_reviews, counts_toward_failure
from claims.errors import InputError

DEFAULT_STORY_TIMEOUT_S = 120.0
FINDING_COLUMNS = ["date", "story", "finding_id", "new", "rule", "kind", "severity", "claim_type", "subject",
                   "message", "outlets", "articles", "review_status", "review_note", "reviewer"]


# --- one story (runs in a worker) ---------------------------------------------------------------

@dataclass
class StoryOutcome:
    id: str
    status: str  # "ok", "failed" or "timeout"
    reason: str = ""
    seconds: float = 0.0
    data: dict | None = None  # the report contract, when checked


_RULES: dict = {}


def _rules(path: str | None):
    """The rule set, parsed once per worker process (parsing rules.yaml costs more than
    checking a small story)."""
    from checker.rules_config import load_rules

    key = (path, os.stat(path).st_mtime_ns if path and os.path.exists(path) else None)
    if key not in _RULES:
        _RULES.clear()
        _RULES[key] = load_rules(path) if path else load_rules()
    return _RULES[key]


class _Alarm(Exception):
    pass


def _on_alarm(signum, frame):  # noqa: ARG001 - the signal handler signature
    raise _Alarm()


def check_one(job: StoryJob, rules_path: str | None, timeout_s: float) -> StoryOutcome:
    """Check one story within ``timeout_s``. Never raises: a failure is an outcome.

    In a process's main thread (the local pool) a SIGALRM interrupts the check wherever it is;
    elsewhere (Dask runs tasks in threads) the limit is checked between stages and rules.
    """
    from checker.pipeline import StoryTimeout, check_story, result_to_dict

    started = time.perf_counter()
    deadline = time.monotonic() + timeout_s
    use_alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    previous = signal.signal(signal.SIGALRM, _on_alarm) if use_alarm else None
    try:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, timeout_s)
        rules = _rules(rules_path)
        result = check_story(job.story if job.story is not None else job.path, rules, deadline=deadline)
        data = result_to_dict(result)
        data["story"]["id"] = job.id  # the inbox's id wins (feeds; a renamed duplicate)
        if job.grouping:
            data["grouping"] = job.grouping
        return StoryOutcome(job.id, "ok", seconds=time.perf_counter() - started, data=data)
    except (_Alarm, StoryTimeout):
        return StoryOutcome(job.id, "timeout", f"took longer than the {timeout_s:g} s limit",
                            seconds=time.perf_counter() - started)
    except InputError as exc:
        return StoryOutcome(job.id, "failed", str(exc), seconds=time.perf_counter() - started)
    except Exception as exc:  # noqa: BLE001 - one bad story never sinks a night
        return StoryOutcome(job.id, "failed", f"internal error: {type(exc).__name__}: {exc}",
                            seconds=time.perf_counter() - started)
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


# --- running many stories -----------------------------------------------------------------------

def run_local(jobs: Iterable[StoryJob], workers: int, rules_path: str | None,
              timeout_s: float) -> Iterator[StoryOutcome]:
    """Outcomes in completion order, from a pool of ``workers`` processes (1: in this process)."""
    if workers <= 1:
        for job in jobs:
            yield check_one(job, rules_path, timeout_s)
        return
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["checker.pipeline", "checker.nightly"])
    # recycled workers keep a long night's memory flat
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, max_tasks_per_child=500) as pool:
        pending: dict = {}
        for job in jobs:
            pending[pool.submit(check_one, job, rules_path, timeout_s)] = job
            if len(pending) >= workers * 2:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield _outcome(future, pending.pop(future))
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield _outcome(future, pending.pop(future))


def run_dask(jobs: Iterable[StoryJob], scheduler: str, workers: int, rules_path: str | None,
             timeout_s: float) -> Iterator[StoryOutcome]:
    """The same ``check_one`` on a Dask cluster: ``scheduler`` is ``local`` (start a local
    cluster of ``workers`` processes) or a scheduler address such as ``tcp://host:8786``."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise InputError("--scheduler", "the Dask backend needs: pip install 'claimcheck[dask]'") from None
    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler, timeout=30)
        except OSError as exc:
            raise InputError(scheduler, f"cannot reach the Dask scheduler: {exc}") from None
    try:
        window = max(2, 2 * sum(client.nthreads().values()))
        source = enumerate(jobs)

        def submit(item):
            number, job = item
            return client.submit(check_one, job, rules_path, timeout_s, pure=False, key=f"claimcheck-story-{number}")

        futures = as_completed()
        for item in source:
            futures.add(submit(item))
            if futures.count() >= window:
                break
        for future in futures:
            yield future.result()
            future.release()
            item = next(source, None)
            if item is not None:
                futures.add(submit(item))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _outcome(future, job: StoryJob) -> StoryOutcome:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - a worker that died takes only its story down
        return StoryOutcome(job.id, "failed", f"worker failed: {type(exc).__name__}: {exc}")


# --- the previous night -------------------------------------------------------------------------

def previous_night(out: Path, night: str) -> Path | None:
    """The latest complete night before ``night`` (a folder with summary.json)."""
    nights = sorted(p for p in out.glob("????-??-??") if p.is_dir() and p.name < night
                    and (p / "summary.json").is_file())
    return nights[-1] if nights else None


def load_findings(folder: Path | None) -> dict[tuple[str, str], dict]:
    if folder is None:
        return {}
    out = {}
    with (folder / "findings.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                out[(row["story"], row["finding_id"])] = row
    return out


# --- the night's output ---------------------------------------------------------------------

@dataclass
class StoryLine:
    """What the index needs of one story (kept for every story; the reports are on disk)."""

    id: str
    status: str
    reason: str = ""
    seconds: float = 0.0
    articles: int = 0
    report: str | None = None
    counts: dict = field(default_factory=dict)  # severity -> findings
    new: dict = field(default_factory=dict)  # severity -> new findings
    review: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    grouping: dict | None = None


class NightWriter:
    """Writes one night into a temporary folder and moves it into place at the end."""

    def __init__(self, out: Path, night: str, previous: dict[tuple[str, str], dict], store: ReviewStore | None):
        self.out, self.night, self.previous, self.store = out, night, previous, store
        self.final = out / night
        self.tmp = out / f".{night}.partial-{os.getpid()}"
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        (self.tmp / "stories").mkdir(parents=True)
        # Stories finish in any order. Each story's rows are appended to one spool file (not
        # two part files per story) and copied out in story order at the end, so the same
        # night gives the same files however the work was scheduled, and memory does not grow
        # with the night.
        self.spool = (self.tmp / ".rows.spool").open("w+b")
        self.spooled: dict[str, tuple[int, int, int]] = {}  # story file name -> (start, csv start, end)
        self.stories: list[StoryLine] = []
        self.seen: set[tuple[str, str]] = set()
        self.new_findings: list[dict] = []
        self.outlet_pairs: Counter = Counter()
        self.outlet_findings: Counter = Counter()
        self.checked_stories: set[str] = set()

    def add(self, outcome: StoryOutcome) -> StoryLine:
        line = StoryLine(outcome.id, outcome.status, outcome.reason, round(outcome.seconds, 3))
        self.stories.append(line)
        if outcome.data is None:
            return line
        data = outcome.data
        self.checked_stories.add(outcome.id)
        line.articles = len(data["articles"])
        line.problems = [f"{p['path']}: {p['problem']}" for p in data.get("problems", [])]
        line.grouping = data.get("grouping")
        if self.store is not None:
            attach_reviews(data, self.store.record_check(data))
        line.counts = dict(Counter(f["severity"] for f in data["findings"]))
        line.review = dict(Counter((f.get("review") or {}).get("status", "open") for f in data["findings"]))
        new = Counter()
        outlet_of = {a["id"]: a.get("outlet") for a in data["articles"]}
        jsonl, table = io.StringIO(), io.StringIO()
        rows = csv.writer(table, lineterminator="\n")
        for finding in data["findings"]:
            key = (outcome.id, finding["id"])
            self.seen.add(key)
            finding["new"] = key not in self.previous and counts_toward_failure(finding)
            row = _finding_row(self.night, outcome.id, finding, _outlets(finding, outlet_of))
            if finding["new"]:
                new[finding["severity"]] += 1
                self.new_findings.append(row)
            jsonl.write(json.dumps({**row, "finding": finding}, ensure_ascii=False, sort_keys=True) + "\n")
            rows.writerow(_csv_row(row))
            self._count_outlets(finding, row["outlets"])
        self._spool(file_name(outcome.id), jsonl.getvalue().encode("utf-8"), table.getvalue().encode("utf-8"))
        line.new = dict(new)
        from checker.html_report import render_html

        line.report = f"stories/{file_name(outcome.id)}.html"
        (self.tmp / line.report).write_text(render_html(data), encoding="utf-8")
        return line

    def _count_outlets(self, finding: dict, outlets: list[str]) -> None:
        """``outlets``: the finding's outlets, sorted."""
        if finding["severity"] == "info" or (finding.get("review") or {}).get("status") == "dismissed":
            return
        for outlet in outlets:
            self.outlet_findings[outlet] += 1
        for i, a in enumerate(outlets):
            for b in outlets[i + 1:]:
                self.outlet_pairs[(a, b)] += 1

    def resolved(self) -> list[dict]:
        """Last night's findings that tonight's check of the same story no longer finds."""
        return [row for key, row in sorted(self.previous.items())
                if key[0] in self.checked_stories and key not in self.seen]

    def _spool(self, name: str, jsonl: bytes, table: bytes) -> None:
        start = self.spool.seek(0, os.SEEK_END)
        self.spool.write(jsonl)
        self.spool.write(table)
        self.spooled[name] = (start, start + len(jsonl), start + len(jsonl) + len(table))

    def _join_parts(self) -> None:
        with (self.tmp / "findings.jsonl").open("wb") as jsonl, (self.tmp / "findings.csv").open("wb") as table:
            table.write((",".join(FINDING_COLUMNS) + "\n").encode("utf-8"))
            for name in sorted(self.spooled):
                start, csv_start, end = self.spooled[name]
                self.spool.seek(start)
                jsonl.write(self.spool.read(csv_start - start))
                table.write(self.spool.read(end - csv_start))
        self.spool.close()
        (self.tmp / ".rows.spool").unlink()

    def finish(self, inbox: Inbox, meta: dict) -> dict:
        self._join_parts()
        summary = build_summary(self, inbox, meta)
        (self.tmp / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
                                               encoding="utf-8")
        from checker.nightly_report import render_index

        (self.tmp / "index.html").write_text(render_index(summary), encoding="utf-8")
        self._move_into_place()
        return summary

    def _move_into_place(self) -> None:
        old = None
        if self.final.exists():
            old = self.out / f".{self.night}.old-{os.getpid()}"
            os.replace(self.final, old)
        os.replace(self.tmp, self.final)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def abandon(self) -> None:
        self.spool.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def _outlets(finding: dict, outlet_of: dict[str, str | None]) -> list[str]:
    """The outlets in a finding's evidence, sorted; an article with no outlet counts by its id."""
    return sorted({ev.get("outlet") or outlet_of.get(ev["article"]) or ev["article"] for ev in finding["evidence"]})


def _csv_row(row: dict) -> list:
    from checker.reports import csv_safe

    values = ("; ".join(row[c]) if isinstance(row[c], list) else row[c] for c in FINDING_COLUMNS)
    return [csv_safe(v) if isinstance(v, str) else v for v in values]


def _finding_row(night: str, story: str, finding: dict, outlets: list[str]) -> dict:
    review = finding.get("review") or {}
    return {"date": night, "story": story, "finding_id": finding["id"], "new": bool(finding.get("new")),
            "rule": finding["rule"], "kind": finding["kind"], "severity": finding["severity"],
            "claim_type": finding["claim_type"], "subject": str(finding["subject"]), "message": finding["message"],
            "outlets": outlets,
            "articles": sorted({ev["article"] for ev in finding["evidence"]}),
            "review_status": review.get("status", "open"), "review_note": review.get("note", ""),
            "reviewer": review.get("reviewer") or ""}


def build_summary(writer: NightWriter, inbox: Inbox, meta: dict) -> dict:
    stories = sorted(writer.stories, key=lambda s: (-s.new.get("error", 0), -s.new.get("warning", 0),
                                                    -s.counts.get("error", 0), -s.counts.get("warning", 0), s.id))
    resolved = writer.resolved()
    totals = Counter()
    for line in writer.stories:
        totals.update(line.counts)
    new_totals = Counter(row["severity"] for row in writer.new_findings)
    pairs = [{"outlets": list(pair), "findings": n} for pair, n in
             sorted(writer.outlet_pairs.items(), key=lambda item: (-item[1], item[0]))]
    return {
        "date": writer.night,
        "inbox": meta["inbox"],
        "previous": meta.get("previous"),
        "counts": {
            "stories": len(writer.stories),
            "checked": sum(1 for s in writer.stories if s.status == "ok"),
            "failed": sum(1 for s in writer.stories if s.status != "ok"),
            "articles": sum(s.articles for s in writer.stories),
            "findings": dict(sorted(totals.items())),
            "new": dict(sorted(new_totals.items())),
            "resolved": len(resolved),
            "grouped_articles": inbox.grouped_articles,
        },
        "stories": [{"id": s.id, "status": s.status, "reason": s.reason, "articles": s.articles,
                     "report": s.report, "findings": s.counts, "new": s.new, "review": s.review,
                     "problems": s.problems, "grouping": s.grouping} for s in stories],
        "new": sorted(writer.new_findings, key=lambda r: (-SEVERITY_RANK[r["severity"]], r["story"], r["finding_id"])),
        "resolved": resolved,
        "outlets": {"findings": dict(sorted(writer.outlet_findings.items(), key=lambda i: (-i[1], i[0]))),
                    "pairs": pairs},
        "inbox_problems": [str(p) for p in inbox.problems],
    }


# --- progress -----------------------------------------------------------------------------------

class Progress:
    """A progress bar on a terminal; under cron (no TTY) a plain log line every 10 s and one per
    failed story, so the log says what happened without filling up."""

    def __init__(self, total: int, stream=None, interval_s: float = 10.0):
        self.total, self.stream, self.interval = total, stream or sys.stderr, interval_s
        self.done = self.failed = 0
        self.started = self.last = time.monotonic()
        self.bar = None
        if getattr(self.stream, "isatty", lambda: False)():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeElapsedColumn

            from rich.console import Console

            self.bar = Bar(TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                           TextColumn("{task.fields[failed]} failed"), console=Console(file=self.stream),
                           transient=True)
            self.task = self.bar.add_task("stories", total=total, failed=0)
            self.bar.start()

    def log(self, message: str) -> None:
        if self.bar is not None:
            self.bar.console.print(message)
        else:
            self.stream.write(f"claimcheck nightly: {message}\n")
            self.stream.flush()

    def step(self, line: StoryLine) -> None:
        self.done += 1
        if line.status != "ok":
            self.failed += 1
            self.log(f"story {line.id} {line.status}: {line.reason}")
        if self.bar is not None:
            self.bar.update(self.task, advance=1, failed=self.failed)
            return
        now = time.monotonic()
        if now - self.last >= self.interval or self.done == self.total or self.done == 1:
            self.last = now
            self.log(f"{self.done}/{self.total} stories checked, {self.failed} failed, {now - self.started:.0f} s")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


# --- the whole night ----------------------------------------------------------------------------

@dataclass
class NightResult:
    summary: dict
    folder: Path
    seconds: float


def run_nightly(inbox_path: Path, out: Path, night: str | None = None, *, store: ReviewStore | None = None,
                jobs: int | None = None, rules_path: str | None = None, scheduler: str | None = None,
                timeout_s: float = DEFAULT_STORY_TIMEOUT_S, progress_stream=None,
                runner: Callable | None = None) -> NightResult:
    # one database connection for the whole night, not one per story
    with store.session() if store is not None else nullcontext():
        return _run_night(inbox_path, out, night, store, jobs, rules_path, scheduler, timeout_s,
                          progress_stream, runner)


def _run_night(inbox_path, out, night, store, jobs, rules_path, scheduler, timeout_s, progress_stream,
               runner) -> NightResult:
    night = night or Date.today().isoformat()
    try:
        Date.fromisoformat(night)
    except ValueError:
        raise InputError(night, "not a date (YYYY-MM-DD)") from None
    started = time.perf_counter()
    inbox = read_inbox(inbox_path)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(str(out), f"cannot create the output folder: {exc.strerror}") from None
    _remove_stale_partials(out, night)
    previous_folder = previous_night(out, night)
    writer = NightWriter(out, night, load_findings(previous_folder), store)
    run_id = store.start_run(night, str(inbox_path), str(out)) if store is not None else None
    progress = Progress(len(inbox.jobs), progress_stream)
    for problem in inbox.problems:
        progress.log(f"skipped {problem}")
    workers = jobs or os.cpu_count() or 1
    if runner is None:
        runner = (lambda js: run_dask(js, scheduler, workers, rules_path, timeout_s)) if scheduler else \
            (lambda js: run_local(js, workers, rules_path, timeout_s))
    status = "failed"
    try:
        for outcome in runner(inbox.jobs):
            progress.step(writer.add(outcome))
        summary = writer.finish(inbox, {"inbox": str(inbox_path),
                                        "previous": previous_folder.name if previous_folder else None})
        status = "ok"
    except KeyboardInterrupt:
        status = "interrupted"
        writer.abandon()
        raise
    except BaseException:
        writer.abandon()
        raise
    finally:
        progress.close()
        if run_id is not None:
            counts = {"stories": len(writer.stories), "failed": sum(1 for s in writer.stories if s.status != "ok"),
                      "articles": sum(s.articles for s in writer.stories),
                      "findings": sum(sum(s.counts.values()) for s in writer.stories),
                      "new": len(writer.new_findings), "resolved": len(writer.resolved())}
            failures = [{"story": s.id, "status": s.status, "reason": s.reason} for s in writer.stories
                        if s.status != "ok"]
            store.finish_run(run_id, status, counts, failures)
    return NightResult(summary, out / night, time.perf_counter() - started)


def _remove_stale_partials(out: Path, night: str) -> None:
    """Folders left by killed runs of this night (their process is gone)."""
    for stale in out.glob(f".{night}.partial-*"):
        pid = stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and _alive(int(pid)) and int(pid) != os.getpid():
            continue
        shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def new_at_or_above(summary: dict, fail_on: str) -> int:
    threshold = SEVERITY_RANK[fail_on]
    return sum(1 for row in summary["new"] if SEVERITY_RANK[row["severity"]] >= threshold)

