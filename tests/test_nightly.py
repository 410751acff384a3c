"""``claimcheck nightly``: a small inbox end to end, what is new and resolved across nights,
review decisions, crashes, time limits, and the Dask backend."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checker.nightly.run import run_nightly
from checker.review.store import MIGRATIONS, SCHEMA_VERSION, ReviewStore
from helpers import EXAMPLE, HARBOUR_FIRE, ROOT, run_cli, story_with_toll_conflict

NIGHT1, NIGHT2, NIGHT3 = "2026-11-19", "2026-11-20", "2026-11-21"


@pytest.fixture(autouse=True)
def _no_ambient_db(monkeypatch, tmp_path):
    monkeypatch.delenv("CLAIMCHECK_DB", raising=False)
    monkeypatch.chdir(tmp_path)


def feed_records(story: Path, story_id: str | None) -> list[dict]:
    """A story folder's articles as feed records (as a wire-monitoring desk would send them)."""
    meta = json.loads((story / "meta.json").read_text(encoding="utf-8"))
    records = []
    for article in meta["articles"]:
        record = {"id": f"{story.name}-{article['id']}", "outlet": article.get("outlet"),
                  "published": article.get("date"), "title": article.get("headline"),
                  "url": f"https://example.org/{article['id']}",
                  "text": (story / article["file"]).read_text(encoding="utf-8")}
        if story_id:
            record["story"] = story_id
        records.append(record)
    return records


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def make_inbox(tmp_path: Path) -> Path:
    """Two story folders (a toll conflict; the bundled example) and a feed with one story."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    story_with_toll_conflict(inbox, "harbour-fire")
    shutil.copytree(EXAMPLE, inbox / "maks")
    feed_story = story_with_toll_conflict(tmp_path / "feed-src", "ship-fire")
    write_jsonl(inbox / "wire.jsonl", feed_records(feed_story, "ship-fire-feed"))
    return inbox


def night(tmp_path: Path, inbox: Path, date: str, store: ReviewStore | None = None, **options):
    return run_nightly(inbox, tmp_path / "out", date, store=store or ReviewStore(tmp_path / "review.db"),
                       jobs=1, **options)


def findings_of(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "findings.jsonl").read_text(encoding="utf-8").splitlines()]


def test_a_small_inbox_end_to_end(tmp_path, capsys):
    inbox = make_inbox(tmp_path)
    code, _, err = run_cli(capsys, "nightly", inbox, "--out", tmp_path / "out", "--date", NIGHT1,
                           "--db", tmp_path / "review.db", "--jobs", "2", "--fail-on", "warning")
    # new warnings: the two toll conflicts (14 is one outlet's figure, so a warning, not an error)
    assert code == 1, err
    assert "3 stories checked, 0 failed" in err and "new: 0 errors" in err
    folder = tmp_path / "out" / NIGHT1
    assert sorted(p.name for p in folder.iterdir()) == ["findings.csv", "findings.jsonl", "index.html", "stories",
                                                        "summary.json"]
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["counts"]["stories"] == 3 and summary["counts"]["articles"] == 11
    ranked = [(s["new"].get("error", 0), s["new"].get("warning", 0)) for s in summary["stories"]]
    assert ranked == sorted(ranked, reverse=True)  # the most new errors, then warnings, first
    assert {s["report"] for s in summary["stories"]} == {"stories/harbour-fire.html", "stories/maks.html",
                                                         "stories/ship-fire-feed.html"}
    rows = findings_of(folder)
    assert len(rows) == sum(sum(s["findings"].values()) for s in summary["stories"])
    assert [r["story"] for r in rows] == sorted(r["story"] for r in rows)
    assert all(r["new"] for r in rows)  # the first night: everything is new
    csv_lines = (folder / "findings.csv").read_text().splitlines()
    assert csv_lines[0].startswith("date,story,finding_id,new") and len(csv_lines) == len(rows) + 1
    index = (folder / "index.html").read_text()
    assert "harbour-fire" in index and "Paper B" in index and "<script" not in index
    page = (folder / "stories" / "ship-fire-feed.html").read_text()
    assert "https://example.org/paper-b" in page  # the feed's urls reach the report
    [run] = ReviewStore(tmp_path / "review.db").runs()
    assert run["status"] == "ok" and run["stories"] == 3 and run["new"] == len(rows) and run["date"] == NIGHT1

    code, _, _ = run_cli(capsys, "nightly", inbox, "--out", tmp_path / "out", "--date", NIGHT2,
                         "--db", tmp_path / "review.db", "--fail-on", "warning")
    assert code == 0  # nothing new the second night


def test_new_and_resolved_across_nights(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    story = story_with_toll_conflict(inbox)
    first = night(tmp_path, inbox, NIGHT1).summary
    assert first["counts"]["new"]["warning"] == 1 and first["previous"] is None

    paper = story / "paper-b.txt"
    paper.write_text(paper.read_text().replace("killed 14 sailors", "killed 12 sailors"))
    second = night(tmp_path, inbox, NIGHT2).summary
    assert second["previous"] == NIGHT1 and second["counts"]["new"] == {}
    [resolved] = second["resolved"]
    assert resolved["rule"] == "count-conflict" and resolved["story"] == "harbour-fire"

    paper.write_text(paper.read_text().replace("killed 12 sailors", "killed 15 sailors"))
    third = night(tmp_path, inbox, NIGHT3).summary
    assert [r["rule"] for r in third["new"]] == ["count-conflict"] and third["resolved"] == []
    assert "15" in third["new"][0]["message"]

    # a story missing from tonight's inbox has nothing "resolved": it was not checked
    shutil.rmtree(story)
    story_with_toll_conflict(inbox, "other-story")
    fourth = night(tmp_path, inbox, "2026-11-22").summary
    assert fourth["resolved"] == []


def test_a_filtered_night_resolves_only_what_it_looked_for(tmp_path):
    from checker.pipeline.config import load_settings

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    story = story_with_toll_conflict(inbox)
    first = night(tmp_path, inbox, NIGHT1).summary
    assert first["counts"]["new"]["warning"] == 1  # the toll conflict
    # the toll conflict is a warning: a night at min_severity error, or without count-conflict, did not look
    errors_only = night(tmp_path, inbox, NIGHT2, rules_path=load_settings(isolated=True, min_severity="error"))
    assert errors_only.summary["resolved"] == []
    without = night(tmp_path, inbox, NIGHT3, rules_path=load_settings(isolated=True, ignore=["count-conflict"]))
    assert without.summary["resolved"] == []
    assert "count-conflict" not in [r["rule"] for r in findings_of(tmp_path / "out" / NIGHT3)]
    store = ReviewStore(tmp_path / "review.db")
    assert "count-conflict" in {f["rule"] for f in store.findings()}  # not marked gone in the review store
    # the next full night finds it again: not new, since no night in between looked for it
    fourth = night(tmp_path, inbox, "2026-11-22").summary
    assert fourth["counts"]["new"] == {} and fourth["resolved"] == []
    paper = story / "paper-b.txt"
    paper.write_text(paper.read_text().replace("killed 14 sailors", "killed 12 sailors"))
    fifth = night(tmp_path, inbox, "2026-11-23").summary
    assert [r["rule"] for r in fifth["resolved"]] == ["count-conflict"]


def test_the_default_database_sits_with_the_reports(tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    story_with_toll_conflict(inbox)
    code, _, err = run_cli(capsys, "nightly", inbox, "--out", tmp_path / "elsewhere", "--date", NIGHT1,
                           "--jobs", "1", "--fail-on", "never")
    assert code == 0, err
    assert (tmp_path / "elsewhere" / "claimcheck.db").is_file() and not (tmp_path / "reports").exists()
    code, _, err = run_cli(capsys, "nightly", inbox, "--date", NIGHT1, "--jobs", "1", "--fail-on", "never")
    assert code == 0, err
    assert (tmp_path / "reports" / "claimcheck.db").is_file()  # no --out: reports/, as check and serve use


def test_a_dismissed_finding_is_never_new(tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    story = story_with_toll_conflict(inbox)
    db = tmp_path / "review.db"
    code, out, _ = run_cli(capsys, "check", story, "--db", db, "-f", "json")
    [toll] = [f for f in json.loads(out)["findings"] if f["rule"] == "count-conflict"]
    run_cli(capsys, "review", "set", toll["id"], "--status", "dismissed", "--note", "harmless", "--db", db)

    result = night(tmp_path, inbox, NIGHT1, ReviewStore(db))  # the first night: all else is new
    assert [r["finding_id"] for r in result.summary["new"]] != [] and \
        toll["id"] not in {r["finding_id"] for r in result.summary["new"]}
    [row] = [r for r in findings_of(result.folder) if r["finding_id"] == toll["id"]]
    assert row["new"] is False and row["review_status"] == "dismissed" and row["review_note"] == "harmless"
    assert result.summary["outlets"]["findings"] == {}  # dismissed findings are not held against outlets


def test_rerunning_a_night_gives_the_same_result(tmp_path):
    inbox = make_inbox(tmp_path)
    night(tmp_path, inbox, NIGHT1)
    first = {p.relative_to(tmp_path): p.read_bytes() for p in (tmp_path / "out" / NIGHT1).rglob("*") if p.is_file()}
    night(tmp_path, inbox, NIGHT1)
    again = {p.relative_to(tmp_path): p.read_bytes() for p in (tmp_path / "out" / NIGHT1).rglob("*") if p.is_file()}
    assert first == again
    assert [p.name for p in (tmp_path / "out").iterdir()] == [NIGHT1]  # nothing temporary left behind


def test_a_run_killed_midway_leaves_earlier_nights_intact(tmp_path):
    small = tmp_path / "small"
    small.mkdir()
    story_with_toll_conflict(small)
    out, db = tmp_path / "out", tmp_path / "review.db"
    night(tmp_path, small, NIGHT1)
    before = {p: p.read_bytes() for p in (out / NIGHT1).rglob("*") if p.is_file()}

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i in range(40):
        shutil.copytree(EXAMPLE, inbox / f"story-{i:02d}")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "checker", "nightly", str(inbox), "--out", str(out), "--date",
                             NIGHT2, "--db", str(db), "--jobs", "1"], stderr=subprocess.PIPE, text=True, env=env)
    line = proc.stderr.readline()  # the first progress line: a story is done, the rest are not
    assert "1/40 stories checked" in line, line
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)

    assert {p: p.read_bytes() for p in (out / NIGHT1).rglob("*") if p.is_file()} == before
    assert not (out / NIGHT2).exists()
    assert list(out.glob(f".{NIGHT2}.partial-*"))  # the dead run's leftovers, not yet cleaned
    assert ReviewStore(db).runs()[-1]["status"] == "running"  # killed: never got to say otherwise

    result = night(tmp_path, small, NIGHT2, ReviewStore(db))
    assert result.summary["previous"] == NIGHT1 and (out / NIGHT2 / "summary.json").exists()
    assert not list(out.glob(f".{NIGHT2}.partial-*"))


def test_a_story_that_takes_too_long_is_reported_and_the_rest_go_on(tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copytree(HARBOUR_FIRE, inbox / "quick")
    slow = inbox / "slow"
    slow.mkdir()
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(EXAMPLE.glob("*.txt")))
    for i in range(6):
        (slow / f"a{i}.txt").write_text((text + "\n\n") * 4, encoding="utf-8")

    code, _, err = run_cli(capsys, "nightly", inbox, "--out", tmp_path / "out", "--date", NIGHT1, "--db",
                           tmp_path / "review.db", "--jobs", "1", "--story-timeout", "0.25")
    assert code == 2
    assert "story slow timeout: took longer than the 0.25 s limit" in err
    summary = json.loads((tmp_path / "out" / NIGHT1 / "summary.json").read_text())
    status = {s["id"]: (s["status"], s["reason"]) for s in summary["stories"]}
    assert status == {"quick": ("ok", ""), "slow": ("timeout", "took longer than the 0.25 s limit")}
    assert "slow timeout" in (tmp_path / "out" / NIGHT1 / "index.html").read_text()
    [run] = ReviewStore(tmp_path / "review.db").runs()
    assert run["failed"] == 1 and run["failures"][0]["story"] == "slow"


def test_an_alarm_lost_in_a_gc_callback_is_raised_again(monkeypatch):
    """Python drops a signal handler's exception when the signal lands in a garbage-collector
    callback or a __del__; the story's alarm repeats until the check has caught it."""
    from checker.nightly import run
    from checker.nightly.inbox import StoryJob

    swallowed = []

    def check_that_loses_the_first_alarm(source, rules, deadline=None):
        try:
            while True:
                time.sleep(0.01)
        except run._Alarm:  # what an ignored exception in a gc callback amounts to
            swallowed.append(True)
        for _ in range(300):  # 3 s of work after the lost alarm, no deadline check in it
            time.sleep(0.01)
        raise AssertionError("the check ran to its end: the alarm was not raised again")

    monkeypatch.setattr("checker.pipeline.check.check_story", check_that_loses_the_first_alarm)
    outcome = run.check_one(StoryJob("slow", path=str(HARBOUR_FIRE)), None, 0.1)
    assert swallowed == [True]
    assert outcome.status == "timeout" and "0.1 s limit" in outcome.reason
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # disarmed afterwards


def test_a_feed_record_whose_alarm_is_lost_is_still_stopped():
    from checker.nightly.inbox import RecordTimeout, _time_limit

    swallowed = []
    with pytest.raises(RecordTimeout):
        with _time_limit(0.1):
            try:
                while True:
                    time.sleep(0.01)
            except RecordTimeout:  # as if lost in a gc callback
                swallowed.append(True)
            for _ in range(300):
                time.sleep(0.01)
    assert swallowed == [True] and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_bad_input_never_sinks_the_night(tmp_path, capsys):
    inbox = make_inbox(tmp_path)
    (inbox / "empty-story").mkdir()
    with (inbox / "wire.jsonl").open("a") as feed:
        feed.write("{not json\n")
        feed.write(json.dumps({"id": "no-text", "story": "x"}) + "\n")
    write_jsonl(inbox / "odd.jsonl", [{"id": "odd-1", "story": "../../evil/x", "text": "A fire killed 3 people."}])
    code, _, err = run_cli(capsys, "nightly", inbox, "--out", tmp_path / "out", "--date", NIGHT1,
                           "--db", tmp_path / "review.db")
    assert code == 2
    assert "skipped " in err and "wire.jsonl:4: invalid JSON" in err
    summary = json.loads((tmp_path / "out" / NIGHT1 / "summary.json").read_text())
    assert summary["counts"]["checked"] == 4 and summary["counts"]["failed"] == 1
    assert any("invalid JSON" in p for p in summary["inbox_problems"])
    assert any("has no text" in p for p in summary["inbox_problems"])
    [odd] = [s for s in summary["stories"] if s["id"] == "../../evil/x"]
    assert odd["report"].startswith("stories/evil-x-") and (tmp_path / "out" / NIGHT1 / odd["report"]).exists()
    night_folder = tmp_path / "out" / NIGHT1
    assert all(p.parent in (night_folder, night_folder / "stories") for p in tmp_path.rglob("*.html")
               if "inbox" not in p.parts)

    code, _, err = run_cli(capsys, "nightly", tmp_path / "missing", "--out", tmp_path / "out")
    assert code == 2 and "missing: no such file or folder" in err
    code, _, err = run_cli(capsys, "nightly", inbox, "--date", "yesterday", "--out", tmp_path / "out")
    assert code == 2 and "not a date" in err


def test_feed_articles_without_a_story_are_grouped(tmp_path):
    pytest.importorskip("checker.nightly.grouping")
    from helpers import FIXTURES

    others = [p for p in sorted((FIXTURES / "stories").iterdir()) if p.name != "harbour-fire" and (p / "meta.json").exists()]
    if not others:
        pytest.skip("no second fixture story")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    records = feed_records(HARBOUR_FIRE, None) + feed_records(others[0], None)
    write_jsonl(inbox / "wire.jsonl", records[::2] + records[1::2])
    summary = night(tmp_path, inbox, NIGHT1).summary
    groups = {s["id"]: sorted(s["grouping"]["reasons"]) for s in summary["stories"]}
    assert sorted(groups.values()) == sorted([sorted(r["id"] for r in feed_records(HARBOUR_FIRE, None)),
                                              sorted(r["id"] for r in feed_records(others[0], None))])
    assert summary["counts"]["grouped_articles"] == len(records)
    index = (tmp_path / "out" / NIGHT1 / "index.html").read_text()
    assert "Stories grouped automatically" in index


def test_the_dask_backend_gives_the_same_night(tmp_path):
    pytest.importorskip("dask.distributed")
    inbox = make_inbox(tmp_path)
    local = run_nightly(inbox, tmp_path / "local", NIGHT1, store=ReviewStore(tmp_path / "a.db"), jobs=2)
    started = time.perf_counter()
    dask = run_nightly(inbox, tmp_path / "dask", NIGHT1, store=ReviewStore(tmp_path / "b.db"), jobs=2,
                       scheduler="local")
    assert time.perf_counter() - started < 120
    files = sorted(p.relative_to(local.folder) for p in local.folder.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(dask.folder) for p in dask.folder.rglob("*") if p.is_file())
    for name in files:
        if name.name != "summary.json":
            assert (local.folder / name).read_bytes() == (dask.folder / name).read_bytes(), name
    a, b = (json.loads((f / "summary.json").read_text()) for f in (local.folder, dask.folder))
    assert {k: v for k, v in a.items() if k != "inbox"} == {k: v for k, v in b.items() if k != "inbox"}


def test_an_older_database_is_migrated_with_its_decisions(tmp_path):
    db = tmp_path / "old.db"
    import sqlite3

    with sqlite3.connect(db) as conn:  # a database as the first release made it (schema 1)
        for statement in MIGRATIONS[0]:
            conn.execute(statement)
        conn.execute("PRAGMA user_version = 1")
        conn.execute("INSERT INTO decisions (story, finding_id, status, note, reviewer, decided_at) "
                     "VALUES ('s', 'cc-1', 'dismissed', 'kept', 'ana', '2026-01-01T00:00:00Z')")
    store = ReviewStore(db)
    assert store.schema_version == SCHEMA_VERSION == 2
    assert [d.note for d in store.history("s", "cc-1")] == ["kept"]
    assert store.runs() == []
