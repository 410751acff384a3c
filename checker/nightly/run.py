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
and running the same date again replaces that night with the same result (swapped in with one
atomic ``renameat2(RENAME_EXCHANGE)`` on Linux, so no moment is without ``OUT/DATE``). "New" and
"resolved" compare with the latest readable complete night before DATE, never with DATE itself.

Faults: one story that fails, times out or kills its worker is listed as failed and the night
goes on; a disk that fills up ends the run with one line and no partial folder; each run holds
a lock file ``OUT/.nightly-PID-*.lock`` while it lives, so a later run knows a run killed with
SIGKILL is dead, marks it failed in the review database and removes what it left. Pool workers
exit when the main process dies.
"""
from __future__ import annotations

import csv
import errno
import io
import json
import math
import os
import re
import secrets
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

from checker.engine.findings import SEVERITY_RANK
from checker.nightly.inbox import Inbox, StoryJob, file_name, read_inbox
from checker.review.store import CheckScope, ReviewStore, attach_reviews, counts_toward_failure
from claims.errors import InputError, InputWarning

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: dead runs are found by their pid alone
    fcntl = None

DEFAULT_STORY_TIMEOUT_S = 120.0
MIN_STORY_TIMEOUT_S = 0.001
MAX_STORY_TIMEOUT_S = 86_400.0  # a day: a larger limit means none, and overflows the timer
_NIGHT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
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
    # what the check could have found (its rules, its min_severity): what it did not find outside
    # this is not resolved, only not looked for
    scope: CheckScope | None = None


_RULES: dict = {}


def _rules(path):
    """The rule set, parsed once per worker process (parsing rules.yaml costs more than
    checking a small story). ``path`` may be the RuleSet itself, as the command line loads it
    with claimcheck.yaml and --select/--ignore applied (a few KB to pickle per story)."""
    from checker.engine.rule import RuleSet
    from checker.pipeline.rules_file import load_rules

    if isinstance(path, RuleSet):
        return path

    key = (path, os.stat(path).st_mtime_ns if path and os.path.exists(path) else None)
    if key not in _RULES:
        _RULES.clear()
        _RULES[key] = load_rules(path) if path else load_rules()
    return _RULES[key]


class _Alarm(BaseException):
    """The story's time is up. A BaseException, so that the checker's per-article and per-rule
    ``except Exception`` guards cannot turn it into one more problem and carry on."""


# A signal handler's exception is lost when the signal arrives inside a garbage-collector callback
# or a __del__ (Python prints "Exception ignored" and goes on), so the alarm repeats every
# ALARM_REPEAT_S seconds until check_one has caught it and disarmed.
ALARM_REPEAT_S = 0.5
_alarm_armed = False


def _on_alarm(signum, frame):  # noqa: ARG001 - the signal handler signature
    if _alarm_armed:
        raise _Alarm()


def _disarm() -> None:
    global _alarm_armed
    _alarm_armed = False
    signal.setitimer(signal.ITIMER_REAL, 0)


def check_one(job: StoryJob, rules_path: str | None, timeout_s: float) -> StoryOutcome:
    """Check one story within ``timeout_s``. Never raises: a failure is an outcome.

    In a process's main thread (the local pool) a SIGALRM interrupts the check wherever it is;
    elsewhere (Dask runs tasks in threads) the limit is checked between stages and rules.
    """
    from checker.engine.deadline import StoryTimeout
    from checker.pipeline.check import check_story, result_to_dict

    started = time.perf_counter()
    deadline = time.monotonic() + timeout_s
    use_alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    previous = signal.signal(signal.SIGALRM, _on_alarm) if use_alarm else None
    global _alarm_armed
    try:
        if use_alarm:
            _alarm_armed = True
            signal.setitimer(signal.ITIMER_REAL, timeout_s, ALARM_REPEAT_S)
        rules = _rules(rules_path)
        # feed records that may hold HTML are parsed here, inside the time limit
        result = check_story(job.source(), rules, deadline=deadline)
        data = result_to_dict(result)
        data["story"]["id"] = job.id  # the inbox's id wins (feeds; a renamed duplicate)
        if job.grouping:
            data["grouping"] = job.grouping
        return StoryOutcome(job.id, "ok", seconds=time.perf_counter() - started, data=data,
                            scope=CheckScope.of(rules))
    except (_Alarm, StoryTimeout):
        if use_alarm:
            _disarm()
        return StoryOutcome(job.id, "timeout", f"took longer than the {timeout_s:g} s limit",
                            seconds=time.perf_counter() - started)
    except InputError as exc:
        return StoryOutcome(job.id, "failed", str(exc), seconds=time.perf_counter() - started)
    except Exception as exc:  # noqa: BLE001 - one bad story never sinks a night
        return StoryOutcome(job.id, "failed", f"internal error: {type(exc).__name__}: {exc}",
                            seconds=time.perf_counter() - started)
    finally:
        if use_alarm:
            try:
                _disarm()
            finally:  # restored even when the alarm goes off on the way out
                signal.signal(signal.SIGALRM, previous)


# --- running many stories -----------------------------------------------------------------------

def run_local(jobs: Iterable[StoryJob], workers: int, rules_path: str | None,
              timeout_s: float, *, worker: Callable = check_one) -> Iterator[StoryOutcome]:
    """Outcomes in completion order, from a pool of ``workers`` processes (1: in this process).

    A worker that dies (killed for memory, a crash in a library, the hard time limit) breaks the
    whole pool and every story in flight with it. Those stories are then checked again one at a
    time, each in a fresh one-worker pool (a story that was alone in flight is the culprit
    already), so the story that kills its worker is the only one reported as failed; the rest
    of the inbox goes on in a new pool.
    """
    if workers <= 1:
        for job in jobs:
            yield worker(job, rules_path, timeout_s)
        return
    source = iter(jobs)
    while True:
        suspects = yield from _run_pool(source, workers, worker, rules_path, timeout_s)
        if not suspects:
            return
        if len(suspects) == 1:  # alone in flight: it is the one that killed its worker
            job, submitted = suspects[0]
            yield _died(job, time.perf_counter() - submitted, timeout_s)
            continue
        for job, _ in suspects:
            yield _run_alone(job, worker, rules_path, timeout_s)


def _new_pool(workers: int):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["checker.pipeline.check", "checker.nightly.run"])
    # recycled workers keep a long night's memory flat
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, max_tasks_per_child=500,
                               initializer=_pool_worker_init)


def _run_pool(source: Iterator[StoryJob], workers: int, worker: Callable, rules_path: str | None,
              timeout_s: float):
    """Check stories from ``source`` in one pool, at most ``2 * workers`` in flight, yielding
    outcomes; returns the stories in flight when the pool broke, each with the time it was
    submitted ([] when all are done)."""
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    pool = _new_pool(workers)
    pending: dict = {}
    finished = False
    try:
        exhausted = False
        while True:
            while not exhausted and len(pending) < workers * 2:
                job = next(source, None)
                if job is None:
                    exhausted = True
                    break
                try:
                    pending[pool.submit(_guarded, worker, job, rules_path, timeout_s)] = (job, time.perf_counter())
                except BrokenProcessPool:
                    finished = True
                    return list(pending.values()) + [(job, time.perf_counter())]
            if not pending:
                finished = True
                return []
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = []
            for future in done:
                job, submitted = pending.pop(future)
                if isinstance(future.exception(), BrokenProcessPool):
                    broken.append((job, submitted))
                else:
                    yield _outcome(future, job)
            if broken:
                finished = True
                return broken + list(pending.values())
    finally:
        if not finished:
            # the night stops early (a full disk, Ctrl-C): stop the workers now rather than
            # wait for every story in flight
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                try:
                    process.terminate()
                except (OSError, AttributeError):
                    pass
        pool.shutdown(wait=True, cancel_futures=True)


def _run_alone(job: StoryJob, worker: Callable, rules_path: str | None, timeout_s: float) -> StoryOutcome:
    """One story in a one-worker pool of its own: if the worker dies, this story killed it."""
    from concurrent.futures.process import BrokenProcessPool

    started = time.perf_counter()
    pool = _new_pool(1)
    try:
        future = pool.submit(_guarded, worker, job, rules_path, timeout_s)
        try:
            return future.result()
        except BrokenProcessPool:
            return _died(job, time.perf_counter() - started, timeout_s)
        except Exception as exc:  # noqa: BLE001 - one bad story never sinks a night
            return StoryOutcome(job.id, "failed", f"worker failed: {type(exc).__name__}: {exc}",
                                seconds=time.perf_counter() - started)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _died(job: StoryJob, seconds: float, timeout_s: float) -> StoryOutcome:
    """The outcome of a story whose worker died: past its time limit, the hard limit stopped it."""
    if seconds >= timeout_s:
        return StoryOutcome(job.id, "timeout", f"took longer than the {timeout_s:g} s limit and was stopped by force",
                            seconds=seconds)
    return StoryOutcome(job.id, "failed", "the worker process checking it died (out of memory, or a crash in a "
                                          "library)", seconds=seconds)


# --- inside a pool worker -----------------------------------------------------------------------

_IN_POOL_WORKER = False


def _pool_worker_init() -> None:
    """Runs first in every pool worker: the worker exits as soon as the main process dies.

    The worker's parent is the forkserver, which outlives a main process killed with SIGKILL
    (the workers keep it alive), so neither the parent pid nor PR_SET_PDEATHSIG can tell. The
    main process holds the write end of a pipe whose read end is ``parent_process().sentinel``:
    it reads as closed the moment the main process is gone, however it died.
    """
    global _IN_POOL_WORKER
    import multiprocessing

    _IN_POOL_WORKER = True
    try:
        import resource

        # a worker stopped by the hard limit must not leave a core file in the working folder
        resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))
    except (ImportError, OSError, ValueError):
        pass
    parent = multiprocessing.parent_process()
    sentinel = getattr(parent, "sentinel", None)
    if sentinel is None:  # pragma: no cover - every start method we use has one
        return
    threading.Thread(target=_exit_with_parent, args=(sentinel,), name="claimcheck-parent-watch",
                     daemon=True).start()


def _exit_with_parent(sentinel) -> None:
    from multiprocessing.connection import wait

    wait([sentinel])
    os._exit(1)  # skip cleanup: nobody is left to report to


def _guarded(worker: Callable, job: StoryJob, rules_path: str | None, timeout_s: float) -> StoryOutcome:
    """``worker`` under a hard limit as well as its own. The timer signal in ``check_one`` is
    only seen between Python bytecodes; C code that loops holding the interpreter lock never
    sees it. A CPU-time limit (RLIMIT_CPU) is enforced by the kernel: past one and a half times
    the story's limit (plus 2 s) the worker is killed, and the pool reports that story as timed
    out."""
    limit = _hard_limit(timeout_s) if _IN_POOL_WORKER else None
    try:
        return worker(job, rules_path, timeout_s)
    finally:
        if limit is not None:
            _restore_limit(limit)


def _hard_limit(timeout_s: float):
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return None
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        wanted = math.ceil(usage.ru_utime + usage.ru_stime + 1.5 * timeout_s + 2)
        if hard != resource.RLIM_INFINITY:
            wanted = min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (wanted, hard))
    except (OSError, ValueError):
        return None
    return soft, hard


def _restore_limit(limit) -> None:
    import resource

    try:
        resource.setrlimit(resource.RLIMIT_CPU, limit)
    except (OSError, ValueError):
        pass


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

def parse_night(value: str) -> str:
    """``value`` if it is a real day written YYYY-MM-DD, else InputError. (``date.fromisoformat``
    alone also takes 20260101, a name no night folder has.)"""
    if not _NIGHT.fullmatch(value or ""):
        raise InputError("--date", f"{value!r} is not a date (YYYY-MM-DD)")
    try:
        Date.fromisoformat(value)
    except ValueError:
        raise InputError("--date", f"{value!r} is not a date (YYYY-MM-DD): no such day") from None
    return value


def check_timeout(timeout_s: float) -> float:
    """The per-story time limit, or InputError when it is no usable limit (NaN, infinite, or
    longer than a day, which the timer cannot hold)."""
    if not (isinstance(timeout_s, (int, float)) and math.isfinite(timeout_s)
            and MIN_STORY_TIMEOUT_S <= timeout_s <= MAX_STORY_TIMEOUT_S):
        raise InputError("--story-timeout", f"{timeout_s!r} is not a time limit: give seconds from "
                                            f"{MIN_STORY_TIMEOUT_S:g} to {MAX_STORY_TIMEOUT_S:g} (a day)")
    return float(timeout_s)


def _is_night(name: str) -> bool:
    try:
        parse_night(name)
    except InputError:
        return False
    return True


def previous_night(out: Path, night: str) -> Path | None:
    """The latest complete night before ``night`` (a folder with summary.json)."""
    nights = _earlier_nights(out, night)
    return nights[0] if nights else None


def _earlier_nights(out: Path, night: str) -> list[Path]:
    """Complete nights before ``night``, latest first."""
    return sorted((p for p in out.glob("????-??-??") if _is_night(p.name) and p.name < night and p.is_dir()
                   and (p / "summary.json").is_file()), reverse=True)


def readable_previous_night(out: Path, night: str,
                            warn: Callable[[InputWarning], None]) -> tuple[Path | None, dict]:
    """The latest complete night before ``night`` whose findings can be read, and its findings.
    A damaged night (a truncated findings.jsonl, a disk error) is passed over with a warning:
    comparing with an older night beats failing every night from now on."""
    for folder in _earlier_nights(out, night):
        try:
            return folder, load_findings(folder)
        except InputError as exc:
            warn(InputWarning(exc.path, f"{exc.problem}; night {folder.name} is damaged, so tonight is compared "
                                        "with the night before it", line=exc.line))
    return None, {}


UNCHECKED = "unchecked.jsonl"  # earlier findings a filtered night did not look for, carried forward


def load_findings(folder: Path | None) -> dict[tuple[str, str], dict]:
    """A night's findings by (story, finding id), with the earlier ones it carried forward
    unchecked (``UNCHECKED``); InputError naming the file and line when one cannot be read whole."""
    if folder is None:
        return {}
    out = _read_rows(folder / UNCHECKED) if (folder / UNCHECKED).is_file() else {}
    out.update(_read_rows(folder / "findings.jsonl"))
    return out


def _read_rows(path: Path) -> dict[tuple[str, str], dict]:
    out = {}
    lineno = 0
    try:
        with path.open(encoding="utf-8") as handle:
            for lineno, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                row = json.loads(line)
                if not (isinstance(row, dict) and isinstance(row.get("story"), str)
                        and all(isinstance(row.get(k), str) for k in ("finding_id", "severity", "message"))):
                    raise InputError(str(path), "not a findings row", line=lineno)
                out[(row["story"], row["finding_id"])] = row
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"invalid JSON: {exc.msg}", line=lineno) from None
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not valid UTF-8 (byte {exc.start})", line=lineno + 1) from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None
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
    warnings: list = field(default_factory=list)
    grouping: dict | None = None


class NightWriteError(Exception):
    """The night's folder cannot be written (a full disk, a read-only file system)."""


class NightWriter:
    """Writes one night into a temporary folder and moves it into place at the end.

    Whatever fails, the temporary folder goes: a full disk must not leave a half night that
    keeps the disk full for the next one.
    """

    def __init__(self, out: Path, night: str, previous: dict[tuple[str, str], dict], store: ReviewStore | None,
                 warn: Callable[[InputWarning], None] | None = None):
        self.out, self.night, self.previous, self.store = out, night, previous, store
        self.warn = warn or (lambda warning: None)
        self.final = out / night
        self.tmp = out / partial_name(night)
        self.spool = None
        self.stories: list[StoryLine] = []
        self.seen: set[tuple[str, str]] = set()
        self.new_findings: list[dict] = []
        self.outlet_pairs: Counter = Counter()
        self.outlet_findings: Counter = Counter()
        self.checked_stories: dict[str, CheckScope | None] = {}  # story -> what its check could find
        self.warnings: list[InputWarning] = []
        # Stories finish in any order. Each story's rows are appended to one spool file (not
        # two part files per story) and copied out in story order at the end, so the same
        # night gives the same files however the work was scheduled, and memory does not grow
        # with the night.
        self.spooled: dict[str, tuple[int, int, int]] = {}  # story file name -> (start, csv start, end)
        # where each story was last recorded before tonight, to tell two folders of one name apart
        self.recorded = {row["story"]: row["path"] for row in store.stories()} if store is not None else {}
        try:
            if self.tmp.exists():
                shutil.rmtree(self.tmp)
            (self.tmp / "stories").mkdir(parents=True)
            self.spool = (self.tmp / ".rows.spool").open("w+b")
        except OSError as exc:
            self.abandon()
            raise NightWriteError(exc) from exc

    def add(self, outcome: StoryOutcome, job: StoryJob | None = None) -> StoryLine:
        """Record one story's outcome. A story whose report cannot be made (an exception while
        recording or rendering it) is listed as failed; only a write error (OSError) stops the
        night, as NightWriteError."""
        try:
            line = self._add(outcome, job)
        except OSError as exc:
            raise NightWriteError(exc) from exc
        except Exception as exc:  # noqa: BLE001 - one bad story never sinks a night
            line = StoryLine(outcome.id, "failed", f"internal error while writing its report: {type(exc).__name__}: "
                                                   f"{' '.join(str(exc).split())[:200]}", round(outcome.seconds, 3))
        self.stories.append(line)
        return line

    def _add(self, outcome: StoryOutcome, job: StoryJob | None) -> StoryLine:
        line = StoryLine(outcome.id, outcome.status, outcome.reason, round(outcome.seconds, 3))
        if outcome.data is None:
            return line
        data = outcome.data
        line.articles = len(data["articles"])
        line.problems = [f"{p['path']}: {p['problem']}" for p in data.get("problems", [])]
        line.grouping = data.get("grouping")
        shared = self._same_name_warning(data, job)
        if self.store is not None:
            attach_reviews(data, _record_check(self.store, data, outcome.scope))
        line.warnings = [str(InputError(w["path"], w["problem"], line=w.get("line"))) for w in data.get("warnings", [])]
        if shared is not None:
            line.warnings.append(str(shared))
        line.counts = dict(Counter(f["severity"] for f in data["findings"]))
        line.review = dict(Counter((f.get("review") or {}).get("status", "open") for f in data["findings"]))
        new = Counter()
        new_rows, seen = [], []
        outlet_of = {a["id"]: a.get("outlet") for a in data["articles"]}
        jsonl, table = io.StringIO(), io.StringIO()
        rows = csv.writer(table, lineterminator="\n")
        for finding in data["findings"]:
            key = (outcome.id, finding["id"])
            seen.append(key)
            finding["new"] = key not in self.previous and counts_toward_failure(finding)
            row = _finding_row(self.night, outcome.id, finding, _outlets(finding, outlet_of))
            if finding["new"]:
                new[finding["severity"]] += 1
                new_rows.append(row)
            jsonl.write(json.dumps({**row, "finding": finding}, ensure_ascii=False, sort_keys=True) + "\n")
            rows.writerow(_csv_row(row))
        from checker.report.html import render_html

        page = render_html(data)
        # everything that can fail on this story's data has run: now the night's state changes
        line.report = f"stories/{file_name(outcome.id)}.html"
        (self.tmp / line.report).write_text(page, encoding="utf-8")
        self._spool(file_name(outcome.id), jsonl.getvalue().encode("utf-8"), table.getvalue().encode("utf-8"))
        self.checked_stories[outcome.id] = outcome.scope
        self.seen.update(seen)
        self.new_findings.extend(new_rows)
        for finding, row_outlets in ((f, _outlets(f, outlet_of)) for f in data["findings"]):
            self._count_outlets(finding, row_outlets)
        line.new = dict(new)
        if shared is not None:
            self.warn(shared)
        return line

    def _same_name_warning(self, data: dict, job: StoryJob | None) -> InputWarning | None:
        """Review decisions are kept by story id, the folder's name. A story folder whose id was
        last recorded from another folder that still exists and has no article file in common
        with it is a different story under the same name: say so, since the two now share one
        set of decisions. (The same story moved to tonight's dated inbox keeps its articles and
        says nothing.)"""
        if self.store is None or job is None or not job.path:
            return None
        before = self.recorded.get(data["story"]["id"])
        here = Path(job.path)
        if not before or "#" in before:
            return None
        try:
            there = Path(before)
            if not there.is_dir() or there.resolve() == here.resolve() or _share_an_article(here, there):
                return None
        except OSError:
            return None
        return InputWarning(str(here), f"story id {data['story']['id']!r} was recorded in {self.store.path} from "
                                       f"{before}, a different story folder of the same name (no article in common); "
                                       "the two share one set of review decisions: rename one folder to keep them apart")

    def _count_outlets(self, finding: dict, outlets: list[str]) -> None:
        """``outlets``: the finding's outlets, sorted."""
        if finding["severity"] == "info" or (finding.get("review") or {}).get("status") == "dismissed":
            return
        for outlet in outlets:
            self.outlet_findings[outlet] += 1
        for i, a in enumerate(outlets):
            for b in outlets[i + 1:]:
                self.outlet_pairs[(a, b)] += 1

    def unchecked(self) -> list[dict]:
        """Earlier findings of tonight's stories that tonight's check could not have found (its
        rules did not run, or their severity is below its min_severity): carried to the next
        night, so a finding a filtered night did not look for is neither resolved tonight nor
        new when an unfiltered night finds it again."""
        return [row for key, row in sorted(self.previous.items())
                if key[0] in self.checked_stories and key not in self.seen
                and not _could_find(self.checked_stories[key[0]], row)]

    def resolved(self) -> list[dict]:
        """Last night's findings that tonight's check of the same story no longer finds, among
        those it could have found (a rule not run tonight, or a severity below tonight's
        min_severity, resolves nothing)."""
        return [row for key, row in sorted(self.previous.items())
                if key[0] in self.checked_stories and key not in self.seen
                and _could_find(self.checked_stories[key[0]], row)]

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
        try:
            self._join_parts()
            unchecked = self.unchecked()
            if unchecked:
                (self.tmp / UNCHECKED).write_text("".join(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n"
                                                          for row in unchecked), encoding="utf-8")
            summary = build_summary(self, inbox, meta)
            (self.tmp / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False, sort_keys=True)
                                                   + "\n", encoding="utf-8")
            from checker.report.nightly_index import render_index

            (self.tmp / "index.html").write_text(render_index(summary), encoding="utf-8")
            self._move_into_place()
        except OSError as exc:
            raise NightWriteError(exc) from exc
        return summary

    def _move_into_place(self) -> None:
        """Replace ``OUT/DATE`` with the finished night without a moment where it is missing.

        On Linux the two folders are swapped in one step (renameat2 RENAME_EXCHANGE): a kill at
        any point leaves ``OUT/DATE`` whole, old or new, and the old night in the partial folder,
        which a later run removes. Elsewhere (or on a file system without the exchange) the old
        night is renamed aside first; if the process dies between the two renames a later run
        puts it back (``sweep_leftovers``).
        """
        if not os.path.lexists(self.final):
            os.replace(self.tmp, self.final)
            return
        if exchange(self.tmp, self.final):
            shutil.rmtree(self.tmp, ignore_errors=True)  # the old night, swapped out
            return
        old = self.out / old_name(self.night)
        os.replace(self.final, old)
        try:
            os.replace(self.tmp, self.final)
        except BaseException:
            try:
                os.replace(old, self.final)  # the old night back: never no night at all
            except OSError:
                pass  # left as .DATE.old-PID, which the next run puts back
            raise
        shutil.rmtree(old, ignore_errors=True)

    def abandon(self) -> None:
        """Remove the partial folder. Never raises: it runs on the way out of another failure."""
        if self.spool is not None:
            try:
                self.spool.close()  # flushes; on a full disk that fails too
            except OSError:
                pass
        shutil.rmtree(self.tmp, ignore_errors=True)


def partial_name(night: str) -> str:
    return f".{night}.partial-{os.getpid()}"


def old_name(night: str) -> str:
    return f".{night}.old-{os.getpid()}"


def _share_an_article(a: Path, b: Path) -> bool:
    """Whether two story folders hold at least one identical article file (same name, same
    bytes). Only files whose names and sizes match are read."""
    from claims.read import ARTICLE_SUFFIXES

    for entry in a.iterdir():
        if not entry.is_file() or entry.suffix.lower() not in ARTICLE_SUFFIXES or entry.name == "meta.json":
            continue
        other = b / entry.name
        try:
            if other.is_file() and other.stat().st_size == entry.stat().st_size \
                    and other.read_bytes() == entry.read_bytes():
                return True
        except OSError:
            continue
    return False


def _could_find(scope: CheckScope | None, row: dict) -> bool:
    return scope is None or scope.covers(str(row.get("rule", "")), str(row.get("severity", "")))


_STORE_OPTIONS: dict[type, set[str]] = {}


def _record_check(store: ReviewStore, data: dict, scope: CheckScope | None = None) -> dict[str, dict]:
    """``store.record_check``, telling it (when it knows the options) that a nightly story may
    come from a new folder every night: the nightly run makes its own check for a different
    story under the same name (``NightWriter._same_name_warning``); and what tonight's check
    could have found (``scope``)."""
    kind = type(store)
    if kind not in _STORE_OPTIONS:
        import inspect

        _STORE_OPTIONS[kind] = set(inspect.signature(store.record_check).parameters)
    options = {"path_may_change": True, "scope": scope}
    return store.record_check(data, **{k: v for k, v in options.items() if k in _STORE_OPTIONS[kind]})


# --- swapping folders ---------------------------------------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_renameat2 = None


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE, through ctypes).
    False when this system or file system cannot; OSError for any other failure."""
    global _renameat2
    if _renameat2 is None:
        _renameat2 = False
        if sys.platform.startswith("linux"):
            try:
                import ctypes

                function = ctypes.CDLL(None, use_errno=True).renameat2
                function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
                function.restype = ctypes.c_int
                _renameat2 = function
            except (OSError, AttributeError):
                pass
    if not _renameat2:
        return False
    import ctypes

    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _outlets(finding: dict, outlet_of: dict[str, str | None]) -> list[str]:
    """The outlets in a finding's evidence, sorted; an article with no outlet counts by its id."""
    return sorted({ev.get("outlet") or outlet_of.get(ev["article"]) or ev["article"] for ev in finding["evidence"]})


def _csv_row(row: dict) -> list:
    from checker.report.csv import csv_safe

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
                     "problems": s.problems, "warnings": s.warnings, "grouping": s.grouping} for s in stories],
        "new": sorted(writer.new_findings, key=lambda r: (-SEVERITY_RANK[r["severity"]], r["story"], r["finding_id"])),
        "resolved": resolved,
        "outlets": {"findings": dict(sorted(writer.outlet_findings.items(), key=lambda i: (-i[1], i[0]))),
                    "pairs": pairs},
        "inbox_problems": [str(p) for p in inbox.problems],
        "warnings": [str(w) for w in writer.warnings],
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
            # story ids and paths come from feeds: never read as rich markup ("[/]" would raise)
            self.bar.console.print(message, markup=False, highlight=False)
        else:
            self.stream.write(f"claimcheck nightly: {message}\n")
            self.stream.flush()

    def warn(self, warning: InputWarning) -> None:
        if self.bar is not None:
            self.bar.console.print(f"claimcheck: warning: {warning}", markup=False, highlight=False)
        else:
            from checker.console import warning_line

            warning_line(str(warning))

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
    night = parse_night(night if night is not None else Date.today().isoformat())
    timeout_s = check_timeout(timeout_s)
    started = time.perf_counter()
    inbox = read_inbox(inbox_path)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(str(out), f"cannot create the output folder: {exc.strerror}") from None
    progress = Progress(len(inbox.jobs), progress_stream)
    warnings: list[InputWarning] = []

    def warn(warning: InputWarning) -> None:
        warnings.append(warning)
        progress.warn(warning)

    lock = writer = run_id = None
    status = "failed"
    try:
        lock = RunLock(out, night, store)
        if store is not None:
            run_id = store.start_run(night, str(inbox_path), str(out))
            lock.note_run(run_id)
        sweep_leftovers(out, store, warn)
        previous_folder, previous = readable_previous_night(out, night, warn)
        writer = NightWriter(out, night, previous, store, warn)
        writer.warnings = warnings
        for problem in inbox.problems:
            progress.log(f"skipped {problem}")
        for warning in inbox.warnings:
            warn(warning)
        workers = jobs or os.cpu_count() or 1
        if runner is None:
            runner = (lambda js: run_dask(js, scheduler, workers, rules_path, timeout_s)) if scheduler else \
                (lambda js: run_local(js, workers, rules_path, timeout_s))
        by_id = {job.id: job for job in inbox.jobs}
        for outcome in runner(inbox.jobs):
            progress.step(writer.add(outcome, by_id.get(outcome.id)))
        summary = writer.finish(inbox, {"inbox": str(inbox_path),
                                        "previous": previous_folder.name if previous_folder else None})
        status = "ok"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    except (NightWriteError, OSError) as exc:
        cause = exc.__cause__ if isinstance(exc, NightWriteError) and exc.__cause__ is not None else exc
        raise InputError(getattr(cause, "filename", None) or str(out),
                         f"the night was not written: {getattr(cause, 'strerror', None) or cause}") from None
    finally:
        if status != "ok" and writer is not None:
            writer.abandon()
        progress.close()
        if run_id is not None:
            _finish_run(store, run_id, status, writer)
        if lock is not None:
            lock.release()
    return NightResult(summary, out / night, time.perf_counter() - started)


def _finish_run(store: ReviewStore, run_id: int, status: str, writer: NightWriter | None) -> None:
    """Record how the run ended. Never raises: on a full disk the database may fail as well,
    and that must not hide why the night failed (a later run marks the run failed then)."""
    stories = writer.stories if writer is not None else []
    counts = {"stories": len(stories), "failed": sum(1 for s in stories if s.status != "ok"),
              "articles": sum(s.articles for s in stories),
              "findings": sum(sum(s.counts.values()) for s in stories),
              "new": len(writer.new_findings) if writer is not None else 0,
              "resolved": len(writer.resolved()) if writer is not None else 0}
    failures = [{"story": s.id, "status": s.status, "reason": s.reason} for s in stories if s.status != "ok"]
    try:
        store.finish_run(run_id, status, counts, failures)
    except (InputError, OSError):
        pass


# --- runs that died -----------------------------------------------------------------------------

class RunLock:
    """``OUT/.nightly-PID-TOKEN.lock``, locked (flock) for as long as this run lives.

    The kernel drops the lock when the process dies, however it dies (SIGKILL included), so a
    later run that can take the lock knows the run is dead, whatever has become of its pid since.
    The file says which night, review database, run and folders were the dead run's.
    """

    def __init__(self, out: Path, night: str, store: ReviewStore | None):
        self.info = {"pid": os.getpid(), "night": night, "run_id": None,
                     "db": str(store.path.resolve()) if store is not None else None,
                     "folders": [partial_name(night), old_name(night)]}
        token = secrets.token_hex(4)
        self.path = out / f".nightly-{os.getpid()}-{token}.lock"
        self.fd = None
        if fcntl is None:
            return
        # locked under a name no other run looks at, then renamed: a run sweeping leftovers
        # never sees this file unlocked
        pending = out / f".nightly-{os.getpid()}-{token}.pending"
        try:
            fd = os.open(pending, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
        except OSError:
            return  # an unwritable OUT fails the night a moment later, with a clearer message
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self.fd = fd
            self._write()
            os.replace(pending, self.path)
        except OSError:
            # a file system without locks (some network mounts): dead runs are then found by
            # their pid alone
            os.close(fd)
            self.fd = None
            _unlink(pending)
        except BaseException:
            os.close(fd)
            self.fd = None
            _unlink(pending)
            raise

    def note_run(self, run_id: int) -> None:
        self.info["run_id"] = run_id
        self._write()

    def _write(self) -> None:
        if self.fd is None:
            return
        data = json.dumps(self.info).encode("utf-8")
        try:
            os.ftruncate(self.fd, 0)
            os.pwrite(self.fd, data, 0)
        except OSError:
            pass  # the lock still marks this run alive; only what a later run can say of it is less

    def release(self) -> None:
        if self.fd is None:
            return
        _unlink(self.path)
        os.close(self.fd)
        self.fd = None


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _dead_lock(path: Path) -> dict | None:
    """The run a lock file names when that run is dead (the lock could be taken), else None.
    The lock file is removed then."""
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return None  # held: that run is alive
        try:
            info = json.loads(os.pread(fd, 1 << 16, 0).decode("utf-8") or "{}")
        except (ValueError, OSError):
            info = {}
        _unlink(path)
        return info if isinstance(info, dict) else {}
    finally:
        os.close(fd)


def _live_lock_folders(path: Path) -> list[str]:
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return []
    folders = info.get("folders") if isinstance(info, dict) else None
    return [f for f in folders if isinstance(f, str)] if isinstance(folders, list) else []


def sweep_leftovers(out: Path, store: ReviewStore | None, warn: Callable[[InputWarning], None]) -> None:
    """Clean up after runs that died: mark each dead run failed in the review database, remove
    its partial folders (of any night), and put back a night it had renamed aside when it died
    between the two renames. A folder of a run still alive is left alone."""
    live: set[str] = set()
    dead: set[str] = set()
    if fcntl is not None:
        for path in sorted(out.glob(".nightly-*.lock")):
            info = _dead_lock(path)
            if info is None:
                live.update(_live_lock_folders(path))
                continue
            folders = info.get("folders") if isinstance(info.get("folders"), list) else []
            dead.update(f for f in folders if isinstance(f, str))
            _mark_dead_run(store, info, warn)
    for folder in sorted(out.glob(".*.partial-*")) + sorted(out.glob(".*.old-*")):
        name = folder.name
        if name in live:
            continue
        pid = name.rsplit("-", 1)[-1]
        if name not in dead and pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue
        night = name[1:].split(".", 1)[0]
        final = out / night
        if ".old-" in name and _is_night(night) and not os.path.lexists(final):
            try:
                os.replace(folder, final)
                warn(InputWarning(str(final), f"put back from {name}: a run died while replacing this night"))
                continue
            except OSError:
                pass
        shutil.rmtree(folder, ignore_errors=True)


def _mark_dead_run(store: ReviewStore | None, info: dict, warn: Callable[[InputWarning], None]) -> None:
    run_id, db = info.get("run_id"), info.get("db")
    if store is None or not isinstance(run_id, int) or db != str(store.path.resolve()):
        return
    try:
        run = next((r for r in store.runs() if r["id"] == run_id), None)
        if run is None or run["status"] != "running":
            return
        store.finish_run(run_id, "failed", {}, [{"story": "", "status": "killed",
                                                  "reason": f"the run's process (pid {info.get('pid')}) died before "
                                                            "the night was written"}])
    except (InputError, OSError):
        return
    warn(InputWarning(str(store.path), f"run {run_id} of {run['date']} (pid {info.get('pid')}) died before it "
                                       "finished; marked failed"))


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

