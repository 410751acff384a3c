"""``claimcheck nightly`` under faults: stories that raise, hang or kill their worker, hostile feed
records, a full disk, SIGKILL, a damaged previous night, a kill between renames, bad options and
two story folders of one name."""
from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import checker.nightly.run as nightly
from checker.nightly.inbox import RawRecord, read_inbox
from checker.nightly.run import check_one, run_local, run_nightly
from checker.review.store import ReviewStore
from helpers import EXAMPLE, HARBOUR_FIRE, ROOT, run_cli, story_with_toll_conflict

NIGHT1, NIGHT2, NIGHT3 = "2026-11-19", "2026-11-20", "2026-11-21"
FIRE = "A fire on the cargo ship Polar Star killed {n} sailors in Murmansk harbour on Tuesday, officials said."


@pytest.fixture(autouse=True)
def _no_ambient_db(monkeypatch, tmp_path):
    monkeypatch.delenv("CLAIMCHECK_DB", raising=False)
    monkeypatch.chdir(tmp_path)


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def small_inbox(tmp_path: Path, stories: int = 3) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i in range(stories):
        story_with_toll_conflict(inbox, f"fire-{i}")
    return inbox


def night(tmp_path: Path, inbox: Path, date: str, **options):
    options.setdefault("store", ReviewStore(tmp_path / "review.db"))
    options.setdefault("jobs", 1)
    return run_nightly(inbox, tmp_path / "out", date, **options)


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith("."))


def summary_of(tmp_path: Path, date: str) -> dict:
    return json.loads((tmp_path / "out" / date / "summary.json").read_text(encoding="utf-8"))


# --- one story never sinks a night --------------------------------------------------------------

def test_a_story_whose_check_raises_is_listed_as_failed(tmp_path, monkeypatch, capsys):
    import checker.pipeline.check as pipeline

    inbox = small_inbox(tmp_path)
    real = pipeline.check_story

    def check_story(source, rules=None, deadline=None):
        if str(source).endswith("fire-1"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(source, rules, deadline)

    monkeypatch.setattr(pipeline, "check_story", check_story)
    code, _, err = run_cli(capsys, "nightly", inbox, "--out", tmp_path / "out", "--date", NIGHT1, "--db",
                           tmp_path / "review.db", "--jobs", "1")
    assert code == 2 and "story fire-1 failed: internal error: RecursionError" in err
    status = {s["id"]: s["status"] for s in summary_of(tmp_path, NIGHT1)["stories"]}
    assert status == {"fire-0": "ok", "fire-1": "failed", "fire-2": "ok"}


def test_a_story_whose_report_cannot_be_made_is_listed_as_failed(tmp_path, monkeypatch):
    import checker.report.html as html_report

    inbox = small_inbox(tmp_path)
    real = html_report.render_html

    def render_html(data, **options):
        if data["story"]["id"] == "fire-2":
            raise KeyError("quote_families")
        return real(data, **options)

    monkeypatch.setattr(html_report, "render_html", render_html)
    summary = night(tmp_path, inbox, NIGHT1).summary
    [failed] = [s for s in summary["stories"] if s["status"] != "ok"]
    assert failed["id"] == "fire-2" and "internal error while writing its report: KeyError" in failed["reason"]
    assert {r["story"] for r in summary["new"]} == {"fire-0", "fire-1"}
    assert not (tmp_path / "out" / NIGHT1 / "stories" / "fire-2.html").exists()


def _die_on_boom(job, rules_path, timeout_s):
    """A worker that dies outright on one story, as one killed for memory would."""
    if job.id == "boom":
        os._exit(9)
    return check_one(job, rules_path, timeout_s)


def _spin_on_stuck(job, rules_path, timeout_s):
    """A worker stuck in C code that holds the interpreter lock: the timer signal never runs."""
    if job.id == "stuck":
        sum(range(10 ** 15))
    return check_one(job, rules_path, timeout_s)


def test_a_worker_that_dies_takes_only_its_own_story(tmp_path):
    inbox = small_inbox(tmp_path, 4)
    shutil.copytree(HARBOUR_FIRE, inbox / "boom")
    summary = night(tmp_path, inbox, NIGHT1, jobs=2,
                    runner=lambda jobs: run_local(jobs, 2, None, 60.0, worker=_die_on_boom)).summary
    status = {s["id"]: (s["status"], s["reason"]) for s in summary["stories"]}
    assert status.pop("boom") == ("failed", "the worker process checking it died (out of memory, or a crash "
                                            "in a library)")
    assert set(status.values()) == {("ok", "")} and len(status) == 4


def test_a_worker_stuck_in_c_code_is_stopped_by_force(tmp_path):
    inbox = small_inbox(tmp_path, 2)
    shutil.copytree(HARBOUR_FIRE, inbox / "stuck")
    summary = night(tmp_path, inbox, NIGHT1, jobs=2,
                    runner=lambda jobs: run_local(jobs, 2, None, 2.0, worker=_spin_on_stuck)).summary
    status = {s["id"]: s["status"] for s in summary["stories"]}
    assert status == {"fire-0": "ok", "fire-1": "ok", "stuck": "timeout"}


# --- feed records -------------------------------------------------------------------------------

def test_a_record_dated_9999_never_sinks_the_night(tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_jsonl(inbox / "wire.jsonl", [
        {"id": "far", "story": "harbour", "outlet": "A", "published": "9999-12-31T23:00:00-05:00",
         "text": FIRE.format(n=12)},
        {"id": "near", "story": "harbour", "outlet": "B", "published": "2026-11-18", "text": FIRE.format(n=14)},
        {"id": "lost", "outlet": "C", "published": "9999-12-31T23:59:59-05:00", "text": FIRE.format(n=14)},
    ])
    code, _, err = run_cli(capsys, "nightly", inbox, "--out", tmp_path / "out", "--date", NIGHT1, "--db",
                           tmp_path / "review.db", "--jobs", "1")
    assert code in (0, 1, 2), err
    summary = summary_of(tmp_path, NIGHT1)
    assert "harbour" in {s["id"] for s in summary["stories"] if s["status"] == "ok"}


def test_any_exception_reading_a_record_skips_that_record_only(tmp_path, monkeypatch, capsys):
    import checker.nightly.inbox as inbox_module

    real = inbox_module.article_from_record

    def article_from_record(record, path, index, source_format, **options):
        if record.get("id") == "odd":
            raise OverflowError("date value out of range")
        return real(record, path, index, source_format, **options)

    monkeypatch.setattr(inbox_module, "article_from_record", article_from_record)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_jsonl(inbox / "wire.jsonl", [{"id": "a", "story": "s", "outlet": "A", "text": FIRE.format(n=12)},
                                       {"id": "odd", "story": "s", "outlet": "B", "text": FIRE.format(n=14)},
                                       {"id": "b", "story": "s", "outlet": "C", "text": FIRE.format(n=14)}])
    code, _, err = run_cli(capsys, "nightly", inbox, "--out", tmp_path / "out", "--date", NIGHT1, "--db",
                           tmp_path / "review.db", "--jobs", "1")
    assert code == 2
    assert "wire.jsonl:2: reading the record failed: OverflowError: date value out of range" in err
    [story] = summary_of(tmp_path, NIGHT1)["stories"]
    assert story["status"] == "ok" and story["articles"] == 2


def hostile_html(n: int = 3000) -> str:
    return "<html><body><p>" + FIRE.format(n=12) + "</p>" + "<b>" * n + "</i>" * n + "</body></html>"


def test_html_records_with_a_story_are_read_in_the_worker(tmp_path, monkeypatch):
    import checker.nightly.inbox as inbox_module

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_jsonl(inbox / "wire.jsonl", [
        {"id": "plain", "story": "s", "outlet": "A", "text": FIRE.format(n=12)},
        {"id": "page", "story": "s", "outlet": "B", "text": hostile_html()},
    ])
    read: list[str] = []
    real = inbox_module.article_from_record

    def article_from_record(record, path, index, source_format, **options):
        read.append(record["id"])
        if record["id"] == "page":
            time.sleep(60)  # a page that takes for ever to parse; the story's timer interrupts it
        return real(record, path, index, source_format, **options)

    monkeypatch.setattr(inbox_module, "article_from_record", article_from_record)
    [job] = read_inbox(inbox).jobs
    assert read == ["plain"] and job.story is None
    assert [type(e).__name__ for e in job.entries] == ["Article", "RawRecord"]
    assert isinstance(job.entries[1], RawRecord) and job.entries[1].number == 2
    outcome = check_one(job, None, 0.5)  # in this process: the page is parsed here, under the limit
    assert outcome.status == "timeout" and read == ["plain", "page"]


def test_an_html_record_without_a_story_is_read_within_a_limit(tmp_path, monkeypatch):
    import checker.nightly.inbox as inbox_module

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_jsonl(inbox / "wire.jsonl", [
        {"id": "page", "outlet": "B", "text": hostile_html()},
        {"id": "fine", "outlet": "A", "text": FIRE.format(n=12)},
    ])
    real = inbox_module.article_from_record

    def article_from_record(record, path, index, source_format, **options):
        if record["id"] == "page":
            time.sleep(60)
        return real(record, path, index, source_format, **options)

    monkeypatch.setattr(inbox_module, "article_from_record", article_from_record)
    result = read_inbox(inbox, record_limit_s=0.2)
    assert [str(p) for p in result.problems] == [f"{inbox / 'wire.jsonl'}:1: reading the record took longer than "
                                                 "0.2 s; skipped"]
    assert [len(job.story.articles) for job in result.jobs] == [1]


def test_a_hostile_html_record_costs_its_story_only(tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    story_with_toll_conflict(inbox, "quick")
    write_jsonl(inbox / "wire.jsonl", [{"id": "page", "story": "slow", "outlet": "B", "text": hostile_html(60_000)},
                                       {"id": "fine", "story": "slow", "outlet": "A", "text": FIRE.format(n=12)}])
    code, _, err = run_cli(capsys, "nightly", inbox, "--out", tmp_path / "out", "--date", NIGHT1, "--db",
                           tmp_path / "review.db", "--jobs", "1", "--story-timeout", "2")
    status = {s["id"]: s["status"] for s in summary_of(tmp_path, NIGHT1)["stories"]}
    assert status["quick"] == "ok" and status["slow"] in ("ok", "timeout"), err


# --- the disk fills up --------------------------------------------------------------------------

def _full(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("where", ["story report", "rows", "summary", "start"])
def test_a_full_disk_leaves_no_partial_night_and_the_next_night_works(tmp_path, monkeypatch, capsys, where):
    inbox = small_inbox(tmp_path)
    db = tmp_path / "review.db"
    night(tmp_path, inbox, NIGHT1)
    before = {p: p.read_bytes() for p in (tmp_path / "out" / NIGHT1).rglob("*") if p.is_file()}
    real_write_text = Path.write_text
    calls = {"n": 0}

    def write_text(self, *args, **kwargs):
        if where == "story report" and self.parent.name == "stories":
            calls["n"] += 1
            if calls["n"] == 2:
                _full()
        if where == "summary" and self.name == "summary.json":
            _full()
        return real_write_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", write_text)
    if where == "rows":
        monkeypatch.setattr(nightly.NightWriter, "_spool", _full)
    if where == "start":
        real_mkdir = Path.mkdir

        def mkdir(self, *args, **kwargs):
            if ".partial-" in str(self):
                _full()
            return real_mkdir(self, *args, **kwargs)

        monkeypatch.setattr(Path, "mkdir", mkdir)
    code, _, err = run_cli(capsys, "nightly", inbox, "--out", tmp_path / "out", "--date", NIGHT2, "--db", db,
                           "--jobs", "1")
    assert code == 2 and "No space left on device" in err
    assert [line for line in err.splitlines() if line.startswith("claimcheck: error:")] == \
        [next(line for line in err.splitlines() if "No space left" in line)]
    assert leftovers(tmp_path / "out") == [] and not (tmp_path / "out" / NIGHT2).exists()
    assert {p: p.read_bytes() for p in (tmp_path / "out" / NIGHT1).rglob("*") if p.is_file()} == before
    assert ReviewStore(db).runs()[-1]["status"] == "failed"

    monkeypatch.undo()
    monkeypatch.chdir(tmp_path)
    result = night(tmp_path, inbox, NIGHT2)
    assert result.summary["previous"] == NIGHT1 and leftovers(tmp_path / "out") == []


def test_a_spool_that_cannot_flush_on_the_way_out_is_still_removed(tmp_path, monkeypatch):
    inbox = small_inbox(tmp_path)

    class FullSpool:
        def __init__(self, real):
            self.real = real

        def __getattr__(self, name):
            return getattr(self.real, name)

        def close(self):
            self.real.close()
            _full()

    real_init = nightly.NightWriter.__init__

    def init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        self.spool = FullSpool(self.spool)

    monkeypatch.setattr(nightly.NightWriter, "__init__", init)
    monkeypatch.setattr(nightly.NightWriter, "_join_parts", lambda self: _full())
    from claims.errors import InputError

    with pytest.raises(InputError, match="No space left on device"):
        night(tmp_path, inbox, NIGHT1)
    assert leftovers(tmp_path / "out") == []


# --- killed ---------------------------------------------------------------------------------------

def _descendants(pid: int) -> list[int]:
    import psutil

    try:
        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _running(pids: list[int]) -> list[int]:
    import psutil

    alive = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                alive.append(pid)
        except psutil.NoSuchProcess:
            pass
    return alive


def test_sigkill_of_the_main_process_leaves_no_worker_and_a_later_run_cleans_up(tmp_path):
    pytest.importorskip("psutil")
    small = small_inbox(tmp_path, 1)
    out, db = tmp_path / "out", tmp_path / "review.db"
    night(tmp_path, small, NIGHT1)
    inbox = tmp_path / "big"
    inbox.mkdir()
    for i in range(60):
        shutil.copytree(EXAMPLE, inbox / f"story-{i:02d}")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "checker", "nightly", str(inbox), "--out", str(out), "--date",
                             NIGHT2, "--db", str(db), "--jobs", "2"], stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stderr.readline()  # the first progress line: the pool is up, stories are in flight
        assert "1/60 stories checked" in line, line
        family = _descendants(proc.pid)
        assert len(family) >= 3  # the forkserver and two workers at least
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        for _ in range(300):  # generous: they go within a second
            if not _running(family):
                break
            time.sleep(0.1)
        assert _running(family) == []
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stderr.close()

    assert [r["status"] for r in ReviewStore(db).runs()] == ["ok", "running"]
    assert any(name.startswith(f".{NIGHT2}.partial-") for name in leftovers(out))
    result = night(tmp_path, small, NIGHT3, store=ReviewStore(db))
    runs = ReviewStore(db).runs()
    assert [r["status"] for r in runs] == ["ok", "failed", "ok"]
    assert runs[1]["failures"][0]["status"] == "killed" and str(proc.pid) in runs[1]["failures"][0]["reason"]
    assert leftovers(out) == [] and result.summary["previous"] == NIGHT1
    assert any("died before it finished" in w for w in result.summary["warnings"])


def test_stale_partials_of_dead_runs_of_any_night_are_removed(tmp_path):
    psutil = pytest.importorskip("psutil")

    out = tmp_path / "out"
    out.mkdir()
    dead = max(psutil.pids()) + 10_000
    while psutil.pid_exists(dead):
        dead += 1
    (out / f".2026-01-01.partial-{dead}" / "stories").mkdir(parents=True)
    (out / f".{NIGHT2}.partial-{dead}").mkdir()
    alive = out / f".2026-01-02.partial-{os.getppid()}"  # a run still going (our parent lives)
    alive.mkdir()
    night(tmp_path, small_inbox(tmp_path), NIGHT1)
    assert leftovers(out) == [alive.name]


# --- the previous night ---------------------------------------------------------------------------

@pytest.mark.parametrize("damage", ["truncated", "not a row", "not utf-8", "missing"])
def test_a_damaged_previous_night_is_passed_over_with_a_warning(tmp_path, capsys, damage):
    inbox = small_inbox(tmp_path)
    story = inbox / "fire-0"
    night(tmp_path, inbox, NIGHT1)
    paper = story / "paper-b.txt"
    paper.write_text(paper.read_text().replace("killed 14 sailors", "killed 15 sailors"))
    night(tmp_path, inbox, NIGHT2)
    findings = tmp_path / "out" / NIGHT2 / "findings.jsonl"
    data = findings.read_bytes()
    if damage == "truncated":
        findings.write_bytes(data[: len(data) // 2])
    elif damage == "not a row":
        findings.write_bytes(data + b"[1, 2, 3]\n")
    elif damage == "not utf-8":
        findings.write_bytes(b"\xff\xfe" + data)
    else:
        findings.unlink()
    code, _, err = run_cli(capsys, "nightly", inbox, "--out", tmp_path / "out", "--date", NIGHT3, "--db",
                           tmp_path / "review.db", "--jobs", "1", "--fail-on", "never")
    assert code == 0, err
    [warning] = [line for line in err.splitlines() if line.startswith("claimcheck: warning:")]
    assert str(findings) in warning and f"night {NIGHT2} is damaged" in warning
    summary = summary_of(tmp_path, NIGHT3)
    assert summary["previous"] == NIGHT1 and summary["warnings"] == [warning.split("warning: ", 1)[1]]
    # compared with night 1: the 15-sailor conflict is new again, the 14-sailor one is resolved
    assert {r["story"] for r in summary["new"] if r["severity"] == "warning"} == {"fire-0"}
    assert any("15" in r["message"] for r in summary["new"] if r["severity"] == "warning")
    assert {r["story"] for r in summary["resolved"]} == {"fire-0"}


def test_folders_not_named_as_real_days_are_not_nights(tmp_path):
    inbox = small_inbox(tmp_path, 1)
    night(tmp_path, inbox, NIGHT1)
    shutil.copytree(tmp_path / "out" / NIGHT1, tmp_path / "out" / "2026-11-1x")  # sorts between the two
    assert night(tmp_path, inbox, NIGHT2).summary["previous"] == NIGHT1


# --- replacing a night ----------------------------------------------------------------------------

def test_a_rerun_swaps_the_night_in_one_step(tmp_path, monkeypatch):
    inbox = small_inbox(tmp_path, 1)
    night(tmp_path, inbox, NIGHT1)
    (tmp_path / "out" / NIGHT1 / "marker").write_text("the first run")
    real_replace = os.replace
    night_path = str(tmp_path / "out" / NIGHT1)

    def replace(src, dst, **kwargs):
        if night_path in (str(src), str(dst)):
            raise AssertionError("the night is swapped, not renamed twice")
        return real_replace(src, dst, **kwargs)

    probe = [tmp_path / "probe-a", tmp_path / "probe-b"]
    for folder in probe:
        folder.mkdir()
    if not nightly.exchange(*probe):
        pytest.skip("no renameat2 RENAME_EXCHANGE here")
    monkeypatch.setattr(os, "replace", replace)
    night(tmp_path, inbox, NIGHT1)
    assert (tmp_path / "out" / NIGHT1 / "summary.json").exists()
    assert not (tmp_path / "out" / NIGHT1 / "marker").exists() and leftovers(tmp_path / "out") == []


class Killed(BaseException):
    """Stands in for SIGKILL between the two renames: nothing after it runs."""


def test_a_kill_between_the_two_renames_is_repaired_by_the_next_run(tmp_path, monkeypatch, capsys):
    inbox = small_inbox(tmp_path, 1)
    out = tmp_path / "out"
    night(tmp_path, inbox, NIGHT1)
    (out / NIGHT1 / "marker").write_text("the first run")
    monkeypatch.setattr(nightly, "exchange", lambda a, b: False)  # a system without RENAME_EXCHANGE
    real_replace = os.replace
    calls = []

    def replace(src, dst, **kwargs):
        if Path(dst).name == NIGHT1 or Path(src).name == NIGHT1:
            calls.append((Path(src).name, Path(dst).name))
            if len(calls) > 1:
                raise Killed()
        return real_replace(src, dst, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(Killed):
        night(tmp_path, inbox, NIGHT1)
    assert calls[0] == (NIGHT1, f".{NIGHT1}.old-{os.getpid()}")
    assert not (out / NIGHT1).exists()  # the moment the swap closes

    monkeypatch.setattr(os, "replace", real_replace)
    code, _, err = run_cli(capsys, "nightly", inbox, "--out", out, "--date", NIGHT2, "--db",
                           tmp_path / "review.db", "--jobs", "1", "--fail-on", "never")
    assert code == 0 and f"{out / NIGHT1}: put back from .{NIGHT1}.old-{os.getpid()}" in err
    assert (out / NIGHT1 / "marker").read_text() == "the first run" and leftovers(out) == []
    assert summary_of(tmp_path, NIGHT2)["previous"] == NIGHT1


def test_a_failed_second_rename_puts_the_old_night_back(tmp_path, monkeypatch):
    from claims.errors import InputError

    inbox = small_inbox(tmp_path, 1)
    out = tmp_path / "out"
    night(tmp_path, inbox, NIGHT1)
    (out / NIGHT1 / "marker").write_text("the first run")
    monkeypatch.setattr(nightly, "exchange", lambda a, b: False)
    real_replace = os.replace

    def replace(src, dst, **kwargs):
        if Path(src).name.startswith(f".{NIGHT1}.partial-"):
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(dst))
        return real_replace(src, dst, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(InputError, match="the night was not written"):
        night(tmp_path, inbox, NIGHT1)
    assert (out / NIGHT1 / "marker").read_text() == "the first run" and leftovers(out) == []


# --- options --------------------------------------------------------------------------------------

@pytest.mark.parametrize("date", ["20260101", "2026-02-30", "2026-1-1", "\uff12\uff10\uff12\uff16-01-01", "", " 2026-01-01"])
def test_date_must_be_a_real_day_written_yyyy_mm_dd(tmp_path, capsys, date):
    inbox = small_inbox(tmp_path, 1)
    code, _, err = run_cli(capsys, "nightly", inbox, "--out", tmp_path / "out", "--date", date, "--db",
                           tmp_path / "review.db")
    assert code == 2 and err.count("\n") == 1 and err.startswith("claimcheck: error: --date: ") and "not a date" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("limit", ["1e308", "inf", "nan", "86401", "0", "-1"])
def test_story_timeout_must_be_at_most_a_day(tmp_path, capsys, limit):
    inbox = small_inbox(tmp_path, 1)
    code, _, err = run_cli(capsys, "nightly", inbox, "--out", tmp_path / "out", "--date", NIGHT1, "--db",
                           tmp_path / "review.db", "--story-timeout", limit)
    assert code == 2 and err.count("\n") == 1 and "--story-timeout" in err
    assert not (tmp_path / "out").exists()


def test_a_day_long_story_timeout_is_accepted(tmp_path):
    inbox = small_inbox(tmp_path, 1)
    summary = night(tmp_path, inbox, NIGHT1, timeout_s=86_400).summary
    assert summary["counts"]["checked"] == 1


# --- two folders, one name ------------------------------------------------------------------------

def test_two_story_folders_of_one_name_are_warned_about(tmp_path, capsys):
    db = tmp_path / "review.db"
    desk_a = tmp_path / "desk-a"
    desk_a.mkdir()
    story_with_toll_conflict(desk_a, "fire")
    code, _, err = run_cli(capsys, "nightly", desk_a, "--out", tmp_path / "out", "--date", NIGHT1, "--db", db,
                           "--jobs", "1")
    assert "claimcheck: warning" not in err

    tomorrow = tmp_path / "inbox-tomorrow"  # the same story in the next day's inbox: no warning
    tomorrow.mkdir()
    shutil.copytree(desk_a / "fire", tomorrow / "fire")
    code, _, err = run_cli(capsys, "nightly", tomorrow, "--out", tmp_path / "out", "--date", NIGHT2, "--db", db,
                           "--jobs", "1")
    assert "claimcheck: warning" not in err, err

    desk_b = tmp_path / "desk-b"  # another story that happens to have the same folder name
    (desk_b / "fire").mkdir(parents=True)
    for name in ("a.txt", "b.txt"):
        (desk_b / "fire" / name).write_text(f"Floods closed {len(name)} bridges in the valley on Monday.\n",
                                            encoding="utf-8")
    code, _, err = run_cli(capsys, "nightly", desk_b, "--out", tmp_path / "out", "--date", NIGHT3, "--db", db,
                           "--jobs", "1")
    [warning] = [line for line in err.splitlines() if line.startswith("claimcheck: warning:")]
    assert str(desk_b / "fire") in warning and "share one set of review decisions" in warning
    summary = summary_of(tmp_path, NIGHT3)
    assert summary["warnings"] == [warning.split("warning: ", 1)[1]]
    assert summary["stories"][0]["warnings"] == summary["warnings"]
