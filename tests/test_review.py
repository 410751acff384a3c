"""The review store and ``claimcheck review``: decisions stick, reopen when the evidence changes,
keep their whole history, and survive reviewers writing at once."""
from __future__ import annotations

import csv
import io
import json
import multiprocessing
import re
import sqlite3
from pathlib import Path

import pytest

from checker.review.store import SCHEMA_VERSION, STATUSES, ReviewStore
from claims.errors import InputError
from helpers import run_cli, story_with_toll_conflict

TOLL = "count-conflict"


@pytest.fixture(autouse=True)
def _no_ambient_db(monkeypatch, tmp_path):
    # a reviewer's own $CLAIMCHECK_DB or ./reports/claimcheck.db must never leak into a test
    monkeypatch.delenv("CLAIMCHECK_DB", raising=False)
    monkeypatch.chdir(tmp_path)


def check_json(capsys, story: Path, db: Path, *extra) -> tuple[int, dict]:
    # the toll conflict is a warning (14 is one outlet's figure): fail on warnings
    code, out, err = run_cli(capsys, "check", story, "--db", db, "--format", "json", "--fail-on", "warning", *extra)
    assert code in (0, 1), err
    return code, json.loads(out)


def toll_finding(data: dict) -> dict:
    [finding] = [f for f in data["findings"] if f["rule"] == TOLL]
    return finding


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- decisions stick, and reopen ----------------------------------------------------------------

def test_dismissed_finding_stays_dismissed_and_stops_failing_the_check(capsys, tmp_path):
    story, db = story_with_toll_conflict(tmp_path), tmp_path / "review.db"
    code, data = check_json(capsys, story, db)
    finding = toll_finding(data)
    assert code == 1 and finding["severity"] == "warning"
    assert finding["review"] == {"status": "open", "note": "", "reviewer": None, "decided_at": None,
                                 "reopened_because": None, "decisions": 0}

    code, out, err = run_cli(capsys, "review", "set", finding["id"], "--status", "dismissed",
                             "--note", "Paper B counts two dock workers", "--by", "ana", "--db", db)
    assert code == 0, err
    assert f"{finding['id']} (harbour-fire): dismissed by ana" in out

    code, data = check_json(capsys, story, db)
    review = toll_finding(data)["review"]
    assert review["status"] == "dismissed" and review["reviewer"] == "ana"
    assert review["note"] == "Paper B counts two dock workers" and review["reopened_because"] is None
    assert code == 0  # --fail-on counts only findings nobody dismissed
    assert data["summary"]["review"]["dismissed"] == 1

    # every format shows the review
    _, text, _ = run_cli(capsys, "check", story, "--db", db, "--fail-on", "never")
    assert "review: dismissed by ana on " in text and "Paper B counts two dock workers" in text
    _, markdown, _ = run_cli(capsys, "check", story, "--db", db, "-f", "markdown", "--fail-on", "never")
    assert "- Review: dismissed by ana" in markdown and "| Review | " in markdown
    _, table, _ = run_cli(capsys, "check", story, "--db", db, "-f", "csv", "--fail-on", "never")
    rows = [r for r in csv.DictReader(io.StringIO(table)) if r["finding_id"] == finding["id"]]
    assert rows and {r["review_status"] for r in rows} == {"dismissed"}
    _, page, _ = run_cli(capsys, "check", story, "--db", db, "-f", "html", "--fail-on", "never")
    assert 'data-status="dismissed"' in page and "Paper B counts two dock workers" in page


def test_an_edit_elsewhere_in_the_article_keeps_the_decision(capsys, tmp_path):
    story, db = story_with_toll_conflict(tmp_path), tmp_path / "review.db"
    finding = toll_finding(check_json(capsys, story, db)[1])
    run_cli(capsys, "review", "set", finding["id"], "--status", "confirmed", "--db", db)
    paper = story / "paper-b.txt"
    # a paragraph added above the claim moves every offset but changes no evidence
    edit(paper, "A fire on the cargo ship", "Updated at 14:00.\n\nA fire on the cargo ship")
    again = toll_finding(check_json(capsys, story, db)[1])
    assert again["evidence"][0]["start"] != finding["evidence"][0]["start"] or len(again["evidence"]) > 1
    assert again["review"]["status"] == "confirmed" and again["review"]["decisions"] == 1


def test_a_new_source_with_the_same_values_reopens_with_the_reason(capsys, tmp_path):
    story, db = story_with_toll_conflict(tmp_path), tmp_path / "review.db"
    finding = toll_finding(check_json(capsys, story, db)[1])
    run_cli(capsys, "review", "set", finding["id"], "--status", "dismissed", "--note", "n", "--by", "ana", "--db", db)

    (story / "radio-d.txt").write_text(
        "Fire kills 14 in Murmansk\n\nA fire on the cargo ship Polar Star killed 14 sailors in Murmansk "
        "harbour on March 3, the regional radio said.\n", encoding="utf-8")
    code, data = check_json(capsys, story, db)
    again = toll_finding(data)
    assert again["id"] == finding["id"]  # the same conflict (14 vs 12), with more evidence
    review = again["review"]
    assert review["status"] == "open" and review["reviewer"] == "claimcheck"
    assert "marked dismissed by ana" in review["reopened_because"]
    assert "new source radio-d says '14 sailors'" in review["reopened_because"]
    assert code == 1  # reopened: it counts again

    _, out, _ = run_cli(capsys, "review", "history", finding["id"], "--db", db)
    assert "dismissed  ana: n" in out and "open       claimcheck" in out and "3 decisions" not in out


def test_an_edited_value_reopens_as_the_finding_that_replaces_it(capsys, tmp_path):
    story, db = story_with_toll_conflict(tmp_path), tmp_path / "review.db"
    finding = toll_finding(check_json(capsys, story, db)[1])
    run_cli(capsys, "review", "set", finding["id"], "--status", "dismissed", "--by", "ana", "--db", db)

    edit(story / "paper-b.txt", "killed 14 sailors", "killed 15 sailors")
    replacement = toll_finding(check_json(capsys, story, db)[1])
    assert replacement["id"] != finding["id"]  # ids name the conflicting values
    review = replacement["review"]
    assert review["status"] == "open"
    assert review["reopened_because"].startswith(f"replaces {finding['id']}, marked dismissed by ana")
    assert "Paper B (paper-b) was edited: '14 sailors' is now '15 sailors'" in review["reopened_because"]

    _, out, _ = run_cli(capsys, "review", "list", "--all", "--db", db)
    assert "(no longer found)" in " ".join(out.split())  # the old finding is kept, marked gone (may wrap)


def test_a_corrected_article_makes_the_finding_go_away(capsys, tmp_path):
    story, db = story_with_toll_conflict(tmp_path), tmp_path / "review.db"
    finding = toll_finding(check_json(capsys, story, db)[1])
    run_cli(capsys, "review", "set", finding["id"], "--status", "corrected", "--note", "asked Paper B", "--db", db)
    edit(story / "paper-b.txt", "killed 14 sailors", "killed 12 sailors")
    code, data = check_json(capsys, story, db)
    assert code == 0 and not [f for f in data["findings"] if f["rule"] == TOLL]
    _, out, _ = run_cli(capsys, "review", "list", "--status", "corrected", "--all", "--db", db)
    assert finding["id"] in out and "(no longer found)" in " ".join(out.split())


# --- the CLI -------------------------------------------------------------------------------------

def test_review_commands(capsys, tmp_path):
    story, db = story_with_toll_conflict(tmp_path), tmp_path / "review.db"
    finding = toll_finding(check_json(capsys, story, db)[1])
    short = finding["id"][:8]

    code, out, _ = run_cli(capsys, "review", "list", "--status", "open", "--db", db)
    assert code == 0 and finding["id"] in out and "not reviewed" in out

    code, out, err = run_cli(capsys, "review", "set", short, "--status", "follow-up", "--note", "call the port",
                             "--db", db)
    assert code == 0, err
    code, out, _ = run_cli(capsys, "review", "show", short, "--db", db)
    assert code == 0
    assert f"{finding['id']} [warning] {finding['message']}" in out
    assert "review: follow-up" in out and "call the port" in out
    assert "Paper B (paper-b): A fire on the cargo ship Polar Star killed 14 sailors" in out

    code, out, _ = run_cli(capsys, "review", "list", "--status", "open", "--db", db)
    assert finding["id"] not in out
    code, out, _ = run_cli(capsys, "review", "list", "--status", "follow-up", "--format", "json", "--db", db)
    [row] = json.loads(out)
    assert row["finding_id"] == finding["id"] and row["review"]["note"] == "call the port"


def test_export_is_claimreview_shaped(capsys, tmp_path):
    story, db = story_with_toll_conflict(tmp_path), tmp_path / "review.db"
    meta = story / "meta.json"
    data = json.loads(meta.read_text())
    for article in data["articles"]:
        article["url"] = f"https://example.org/{article['id']}"
    meta.write_text(json.dumps(data))
    finding = toll_finding(check_json(capsys, story, db)[1])
    run_cli(capsys, "review", "set", finding["id"], "--status", "confirmed", "--note", "Paper B is wrong",
            "--by", "ana", "--db", db)

    code, out, err = run_cli(capsys, "review", "export", "--format", "json", "--status", "confirmed", "--db", db)
    assert code == 0, err
    [review] = json.loads(out)
    assert review["@type"] == "ClaimReview" and review["identifier"] == finding["id"]
    assert review["claimReviewed"] == finding["message"]
    assert review["reviewRating"]["alternateName"].startswith("Confirmed")
    assert review["reviewRating"]["ratingExplanation"] == "Paper B is wrong"
    assert review["author"] == {"@type": "Person", "name": "ana"}
    assert review["datePublished"].endswith("Z")
    appearances = review["itemReviewed"]["appearance"]
    assert {a["url"] for a in appearances} == {"https://example.org/paper-b", "https://example.org/site-c",
                                               "https://example.org/wire-a"}
    assert {a["publisher"]["name"] for a in appearances} == {"Paper B", "Site C", "Wire A"}
    for appearance, ev in zip(appearances, finding["evidence"]):  # the whole sentence, ISO dates
        assert appearance["sentence"] == ev["sentence"] and appearance["text"] in appearance["sentence"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", appearance["datePublished"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z", review["datePublished"])

    out_file = tmp_path / "reviews.csv"
    code, _, err = run_cli(capsys, "review", "export", "--format", "csv", "--output", out_file, "--db", db)
    assert code == 0, err
    rows = list(csv.DictReader(out_file.open(encoding="utf-8")))
    confirmed = [r for r in rows if r["finding_id"] == finding["id"]]
    assert confirmed[0]["status"] == "confirmed" and "https://example.org/paper-b" in confirmed[0]["urls"]
    assert confirmed[0]["decided_at"] == review["datePublished"]
    sentences = confirmed[0]["sentences"].splitlines()
    assert len(sentences) == len(finding["evidence"])
    for line, ev in zip(sentences, finding["evidence"]):
        assert re.match(rf"{re.escape(ev['outlet'])}, \d{{4}}-\d{{2}}-\d{{2}}: ", line)
        assert line.endswith(" ".join(ev["sentence"].split()))
    assert {r["status"] for r in rows} >= {"confirmed", "open"}


@pytest.mark.parametrize("args, problem", [
    (["review", "show", "cc-000000000000"], "no such finding"),
    (["review", "set", "cc-000000000000", "--status", "dismissed"], "no such finding"),
    (["review", "set", "FINDING", "--status", "deleted"], "Invalid value for '--status'"),
    (["review", "history", "cc-0"], "finding id too short"),
    (["review", "list", "--status", "nope"], "Invalid value for '--status'"),
])
def test_unknown_ids_and_statuses_are_one_line_errors(capsys, tmp_path, args, problem):
    story, db = story_with_toll_conflict(tmp_path), tmp_path / "review.db"
    finding = toll_finding(check_json(capsys, story, db)[1])
    args = [finding["id"] if a == "FINDING" else a for a in args]
    code, out, err = run_cli(capsys, *args, "--db", db)
    assert code == 2 and problem in err
    assert len(err.strip().splitlines()) == 1 and err.startswith("claimcheck: error: ")


def test_an_id_found_in_two_stories_needs_the_story(capsys, tmp_path):
    db = tmp_path / "review.db"
    first = toll_finding(check_json(capsys, story_with_toll_conflict(tmp_path / "a", "fire-one"), db)[1])
    second = toll_finding(check_json(capsys, story_with_toll_conflict(tmp_path / "b", "fire-two"), db)[1])
    assert first["id"] == second["id"]  # same conflict, same id: ids do not depend on the story
    code, _, err = run_cli(capsys, "review", "set", first["id"], "--status", "dismissed", "--db", db)
    assert code == 2 and "ambiguous" in err and "fire-one" in err and "fire-two" in err
    code, _, err = run_cli(capsys, "review", "set", first["id"], "--status", "dismissed", "--story", "fire-two",
                           "--db", db)
    assert code == 0, err
    assert toll_finding(check_json(capsys, tmp_path / "a" / "fire-one", db)[1])["review"]["status"] == "open"
    assert toll_finding(check_json(capsys, tmp_path / "b" / "fire-two", db)[1])["review"]["status"] == "dismissed"


def test_the_database_comes_from_env_then_default_and_check_never_creates_the_default(capsys, tmp_path, monkeypatch):
    story = story_with_toll_conflict(tmp_path)
    run_cli(capsys, "check", story, "--fail-on", "never")
    assert not (tmp_path / "reports").exists()  # check without a database creates none

    monkeypatch.setenv("CLAIMCHECK_DB", str(tmp_path / "env.db"))
    code, out, _ = run_cli(capsys, "check", story, "-f", "json", "--fail-on", "never")
    assert (tmp_path / "env.db").exists() and "review" in json.loads(out)["summary"]
    monkeypatch.delenv("CLAIMCHECK_DB")

    code, _, err = run_cli(capsys, "review", "list")
    assert code == 2 and "reports/claimcheck.db" in err and "no review database" in err


# --- the store -----------------------------------------------------------------------------------

def test_schema_is_versioned_and_history_is_append_only(tmp_path):
    db = tmp_path / "review.db"
    store = ReviewStore(db)
    assert store.schema_version == SCHEMA_VERSION
    ReviewStore(db)  # opening again migrates nothing
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO decisions (story, finding_id, status, reviewer, decided_at) "
                     "VALUES ('s', 'cc-1', 'open', 'x', 't')")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("UPDATE decisions SET status = 'dismissed'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM decisions")
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("INSERT INTO decisions (story, finding_id, status, reviewer, decided_at) "
                         "VALUES ('s', 'cc-1', 'deleted', 'x', 't')")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(InputError, match="newer claimcheck"):
        ReviewStore(db)


def test_a_file_that_is_not_a_database_is_an_input_error(tmp_path, capsys):
    bad = tmp_path / "notes.db"
    bad.write_text("not sqlite at all " * 100)
    with pytest.raises(InputError, match="not a usable review database"):
        ReviewStore(bad)
    code, _, err = run_cli(capsys, "review", "list", "--db", bad)
    assert code == 2 and str(bad) in err


def _decide_many(db: str, story: str, finding_id: str, reviewer: str, n: int) -> None:
    store = ReviewStore(db)
    for i in range(n):
        store.decide(story, finding_id, STATUSES[i % len(STATUSES)], f"{reviewer} {i}", reviewer)


def test_two_processes_writing_at_once_lose_nothing(capsys, tmp_path):
    story, db = story_with_toll_conflict(tmp_path), tmp_path / "review.db"
    finding = toll_finding(check_json(capsys, story, db)[1])
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_decide_many, args=(str(db), "harbour-fire", finding["id"], name, 40))
               for name in ("ana", "bo")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    history = ReviewStore(db).history("harbour-fire", finding["id"])
    assert len(history) == 80
    for name in ("ana", "bo"):  # each reviewer's decisions all there, in their own order
        notes = [d.note for d in history if d.reviewer == name]
        assert notes == [f"{name} {i}" for i in range(40)]


def test_a_check_that_could_not_read_an_article_changes_no_decision(capsys, tmp_path):
    story, db = story_with_toll_conflict(tmp_path), tmp_path / "review.db"
    finding = toll_finding(check_json(capsys, story, db)[1])
    run_cli(capsys, "review", "set", finding["id"], "--status", "dismissed", "--by", "ana", "--db", db)
    site = story / "site-c.txt"
    saved = site.read_text(encoding="utf-8")
    site.write_text("", encoding="utf-8")  # an editor mid-save
    code, out, err = run_cli(capsys, "check", story, "--db", db, "-f", "json")
    assert code == 2 and "empty article" in err
    assert toll_finding(json.loads(out))["review"]["status"] == "dismissed"
    site.write_text(saved, encoding="utf-8")
    again = toll_finding(check_json(capsys, story, db)[1])
    assert again["review"]["status"] == "dismissed" and again["review"]["decisions"] == 1


def test_a_reopened_finding_whose_evidence_comes_back_gets_its_decision_back(capsys, tmp_path):
    story, db = story_with_toll_conflict(tmp_path), tmp_path / "review.db"
    finding = toll_finding(check_json(capsys, story, db)[1])
    run_cli(capsys, "review", "set", finding["id"], "--status", "dismissed", "--note", "dock workers",
            "--by", "ana", "--db", db)
    extra = story / "radio-d.txt"
    extra.write_text("Fire kills 14\n\nA fire on the cargo ship Polar Star killed 14 sailors in Murmansk harbour "
                     "on March 3, the radio said.\n", encoding="utf-8")
    assert toll_finding(check_json(capsys, story, db)[1])["review"]["status"] == "open"
    extra.unlink()  # the source is withdrawn
    review = toll_finding(check_json(capsys, story, db)[1])["review"]
    assert review["status"] == "dismissed" and review["reviewer"] == "claimcheck"
    assert review["note"].startswith("restored: the evidence is again what ana decided on")
    assert "dock workers" in review["note"]


@pytest.mark.parametrize("note, by, problem", [
    ("fine\x1b]0;pwned\x07", "ana", "control characters"),
    ("fine", "eve\x1b[31m", "control characters"),
    ("fine", "claimcheck", "the checker's own name"),
])
def test_notes_and_names_cannot_carry_terminal_escapes_or_pose_as_the_checker(capsys, tmp_path, note, by, problem):
    story, db = story_with_toll_conflict(tmp_path), tmp_path / "review.db"
    finding = toll_finding(check_json(capsys, story, db)[1])
    code, _, err = run_cli(capsys, "review", "set", finding["id"], "--status", "dismissed", "--note", note,
                           "--by", by, "--db", db)
    assert code == 2 and problem in err
    assert ReviewStore(db).history("harbour-fire", finding["id"]) == []


def test_another_programs_database_is_never_taken_over(tmp_path, capsys):
    other = tmp_path / "crm.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE customers (name TEXT)")
    code, _, err = run_cli(capsys, "review", "list", "--db", other)
    assert code == 2 and "another program" in err
    with sqlite3.connect(other) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["customers"]
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0


def test_a_check_that_ran_fewer_rules_or_severities_marks_nothing_else_gone(capsys, tmp_path):
    from helpers import EXAMPLE
    import shutil

    story = tmp_path / EXAMPLE.name
    shutil.copytree(EXAMPLE, story)
    db = tmp_path / "r.db"
    _, data = check_json(capsys, story, db)
    rules = {f["rule"] for f in data["findings"]}
    assert len(rules) >= 3 and "info" in {f["severity"] for f in data["findings"]}
    kept = next(f for f in data["findings"] if f["rule"] != TOLL)
    run_cli(capsys, "review", "set", kept["id"], "--status", "dismissed", "--by", "ana", "--db", db)
    store = ReviewStore(db)

    def present() -> set[str]:
        return {f["finding_id"] for f in store.findings(data["story"]["id"]) if f["present"]}

    everything = present()
    assert everything == {f["id"] for f in data["findings"]}
    for extra in (["--select", TOLL], ["--min-severity", "error"], ["--ignore", kept["rule"]]):
        check_json(capsys, story, db, *extra)
        assert present() == everything, extra  # not looked for is not gone
    _, out, _ = run_cli(capsys, "review", "list", "--all", "--db", db)
    assert "no longer found" not in " ".join(out.split())
    assert store.reviews(data["story"]["id"], [kept["id"]])[kept["id"]]["status"] == "dismissed"


def test_a_served_check_with_a_selection_marks_nothing_else_gone(tmp_path):
    from checker.pipeline.config import load_settings
    from checker.review.server import check_for_review

    story = story_with_toll_conflict(tmp_path)
    store = ReviewStore(tmp_path / "r.db")
    check_for_review(story, store, load_settings(isolated=True))
    before = {f["finding_id"] for f in store.findings() if f["present"]}
    assert len(before) >= 2
    check_for_review(story, store, load_settings(isolated=True, select=["single-source"]))
    assert {f["finding_id"] for f in store.findings() if f["present"]} == before
