"""claimcheck check --ours: a pre-publication check of our article against the story (a file
of the story or a draft outside it): only findings involving it, worded to us."""
from __future__ import annotations

import json
import shutil

import pytest

from checker.pipeline.check import check_story, result_to_dict
from checker.report import FORMATS
from tests.helpers import FIXTURES, run_cli

QUARRY = FIXTURES / "explain" / "quarry-blast"
DRAFT = FIXTURES / "explain" / "draft-116.txt"


def test_a_draft_outside_the_story_is_one_more_article(capsys):
    code, out, err = run_cli(capsys, "check", QUARRY, "--ours", DRAFT, "--format", "json", "--fail-on", "never")
    data = json.loads(out)
    assert code == 0 and data["ours"]["article"] == "draft-116" and data["ours"]["outlet"] == "Your draft"
    assert any(a["id"] == "draft-116" and a["outlet"] == "Your draft" for a in data["articles"])
    assert data["findings"] and all(any(e["article"] == "draft-116" for e in f["evidence"]) for f in data["findings"])
    toll = next(f for f in data["findings"] if f["rule"] == "count-conflict")
    assert toll["message"].startswith('Your draft says "116 workers"; 2 other sources say 118 (Daily Post, '
                                      'Radio North); 1 other source says 113 (Evening Star)')
    assert [e.get("ours", False) for e in toll["evidence"]] == [e["article"] == "draft-116" for e in toll["evidence"]]
    # a finding of another kind names our article "your draft"
    single = next(f for f in data["findings"] if f["rule"] == "single-source")
    assert single["message"].startswith("Only your draft says how old") and single["message"].endswith("Vale is: 33")
    # the toll conflict of the other sources now involves ours too; Valley Ledger's lone age does not
    assert data["ours"]["not_shown"] == 1 and "1 finding between other sources not shown" in err
    assert data["summary"]["findings"]["warning"] == sum(f["severity"] == "warning" for f in data["findings"])


def test_a_story_file_as_ours_and_the_findings_left_out(capsys):
    plain = result_to_dict(check_story(QUARRY))
    code, out, err = run_cli(capsys, "check", QUARRY, "--ours", QUARRY / "radio.txt", "--format", "json",
                             "--fail-on", "never")
    data = json.loads(out)
    assert code == 0 and data["ours"]["article"] == "radio" and len(data["articles"]) == len(plain["articles"])
    cited = [f for f in plain["findings"] if any(e["article"] == "radio" for e in f["evidence"])]
    assert [f["id"] for f in data["findings"]] == [f["id"] for f in cited]
    assert data["findings"][0]["message"].startswith('Your draft says "118 workers", as does Daily Post; '
                                                     '1 other source says 113 (Evening Star)')
    left = len(plain["findings"]) - len(cited)
    assert data["ours"]["not_shown"] == left == 1
    assert "claimcheck: note: 1 finding between other sources not shown" in err
    # the fact sheet still reads every finding: the toll is a conflict whoever is ours
    assert [f["status"] for f in data["facts"]] == [f["status"] for f in plain["facts"]]


def test_fail_on_counts_only_our_findings(capsys):
    # the story has a toll conflict between others (a warning); Daily Post's only finding is that one
    assert run_cli(capsys, "check", QUARRY, "--fail-on", "warning")[0] == 1
    code, _, err = run_cli(capsys, "check", QUARRY, "--ours", QUARRY / "ledger.txt", "--fail-on", "warning")
    assert code == 0 and "1 finding between other sources not shown" in err
    assert run_cli(capsys, "check", QUARRY, "--ours", "star", "--fail-on", "warning")[0] == 1  # an article id


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_addresses_us(capsys, tmp_path, fmt):
    target = tmp_path / f"report.{fmt}"
    code, _, _ = run_cli(capsys, "check", QUARRY, "--ours", DRAFT, "--format", fmt, "--output", target,
                         "--fail-on", "never")
    assert code == 0 and "Your draft says" in target.read_text(encoding="utf-8")


def test_without_ours_nothing_changes():
    data = result_to_dict(check_story(QUARRY))
    assert "ours" not in data
    assert all("ours" not in e for f in data["findings"] for e in f["evidence"])


def test_a_draft_whose_name_is_taken_and_a_feed_draft(tmp_path, capsys):
    draft = tmp_path / "post.txt"  # the story has an article "post"
    shutil.copy(DRAFT, draft)
    result = check_story(QUARRY, ours=draft)
    assert result.ours == "draft-post" and {a.id for a in result.story.articles} >= {"post", "draft-post"}
    feed = tmp_path / "draft.json"
    feed.write_text(json.dumps({"id": "mine", "outlet": "Quarry Gazette", "published": "2026-03-03",
                                "text": DRAFT.read_text(encoding="utf-8")}), encoding="utf-8")
    result = check_story(QUARRY, ours=feed)
    mine = next(a for a in result.story.articles if a.id == "mine")
    assert mine.outlet == "Quarry Gazette" and mine.published is not None
    assert result.findings and all(m.message.startswith(("Your draft", "Only your draft")) for m in result.findings)


@pytest.mark.parametrize("ours, says", [("missing.txt", "no such file"), ("nobody", "no such file"),
                                        (f"{QUARRY}/meta.json", "the story's metadata, not an article")])
def test_bad_ours_is_a_one_line_error(capsys, ours, says):
    code, _, err = run_cli(capsys, "check", QUARRY, "--ours", ours)
    assert code == 2 and says in err and len(err.strip().splitlines()) == 1


def test_a_draft_that_is_no_article(tmp_path, capsys):
    odd = tmp_path / "draft.pdf"
    odd.write_bytes(b"%PDF-1.4")
    code, _, err = run_cli(capsys, "check", QUARRY, "--ours", odd)
    assert code == 2 and "not an article file" in err


def test_a_review_database_is_read_not_written(tmp_path, capsys):
    from checker.review.store import ReviewStore

    db = tmp_path / "reviews.db"
    assert run_cli(capsys, "check", QUARRY, "--db", db, "--fail-on", "never")[0] == 0
    store = ReviewStore(db)
    toll = next(f for f in store.findings("quarry-blast") if f["rule"] == "count-conflict")
    store.decide("quarry-blast", toll["finding_id"], "dismissed", reviewer="test")
    before = store.findings("quarry-blast", include_gone=True)
    code, out, _ = run_cli(capsys, "check", QUARRY, "--ours", "radio", "--db", db, "--format", "json",
                           "--fail-on", "warning")
    data = json.loads(out)
    assert code == 0  # our one finding was dismissed by a reviewer
    assert [f["review"]["status"] for f in data["findings"]] == ["dismissed"]
    # the findings between other sources are neither recorded as gone nor re-recorded
    assert store.findings("quarry-blast", include_gone=True) == before


def test_editor_formats_point_at_our_draft_by_its_real_path(monkeypatch):
    # the draft lies outside the story folder: named by its path as given, never as if in the story
    from checker.report.github import render_github
    from checker.report.line import render_line
    from checker.report.sarif import sarif_log

    monkeypatch.chdir(FIXTURES.parent.parent)
    result = check_story("tests/fixtures/explain/quarry-blast", ours="tests/fixtures/explain/draft-116.txt")
    data = result_to_dict(result)
    toll = next(line for line in render_line(data, result).splitlines() if " count-conflict " in line)
    assert toll.startswith("tests/fixtures/explain/draft-116.txt:3:54: warning count-conflict Your draft says")
    assert "[also post.txt:3:53, radio.txt:3:53, star.txt:3:54]" in toll
    annotation = next(line for line in render_github(data, result).splitlines() if "count-conflict" in line)
    assert annotation.startswith("::warning file=tests/fixtures/explain/draft-116.txt,line=3,col=54,")
    assert "(tests/fixtures/explain/draft-116.txt:3:54)" in annotation
    run = sarif_log(data, result)["runs"][0]
    toll_result = next(r for r in run["results"] if r["ruleId"] == "count-conflict")
    [primary] = toll_result["locations"]
    assert primary["physicalLocation"]["artifactLocation"] == {"uri": "tests/fixtures/explain/draft-116.txt"}
    assert primary["logicalLocations"][0]["name"] == "draft-116"
    related = [loc["physicalLocation"]["artifactLocation"] for loc in toll_result["relatedLocations"]]
    assert related == [{"uri": name, "uriBaseId": "STORYROOT"} for name in ("post.txt", "radio.txt", "star.txt")]


def test_another_article_of_our_outlet_is_not_called_your_draft(tmp_path):
    story = tmp_path / "same"
    story.mkdir()
    fire = ("Fire kills {n} in Murmansk harbour\n\nMURMANSK (Wire) -- A fire on the cargo ship Polar Star killed "
            "{n} sailors in Murmansk harbour on March 3, officials said.\n\nHarbour master Dmitri Ustinov said the "
            "crew had tried to fight the blaze. \"We did everything we could to save the ship and the men on "
            "board{tail}\" Ustinov said.\n")
    short, full = ",", ", and we will not stop until we know what happened,"
    for name, n, tail in (("a1", 12, short), ("a2", 13, short), ("b", 14, full), ("c", 12, short)):
        (story / f"{name}.txt").write_text(fire.format(n=n, tail=tail), encoding="utf-8")
    (story / "meta.json").write_text(json.dumps({"articles": [
        {"id": "a1", "file": "a1.txt", "outlet": "Reuters", "datetime": "2024-03-04T08:00:00"},
        {"id": "a2", "file": "a2.txt", "outlet": "Reuters", "datetime": "2024-03-04T08:00:00"},
        {"id": "b", "file": "b.txt", "outlet": "Paper B", "datetime": "2024-03-04T09:00:00"},
        {"id": "c", "file": "c.txt", "outlet": "Site C", "datetime": "2024-03-04T10:00:00"}]}), encoding="utf-8")
    plain = check_story(story)
    named = [f.message for f in plain.findings if f.kind != "value_conflict" and "Reuters \u00d72" in f.message]
    assert named, [f.message for f in plain.findings]  # the story gives a finding naming both Reuters reports
    ours = check_story(story, ours=story / "a2.txt")
    messages = [f.message for f in ours.findings if f.kind != "value_conflict"]
    assert messages and not any("Your draft \u00d7" in m or "your draft \u00d7" in m for m in messages)
    assert any(m.startswith("Your draft, Reuters, ") for m in messages), messages
    toll = next(f.message for f in ours.findings if f.kind == "value_conflict")
    assert toll.startswith('Your draft says "13 sailors"') and "(Reuters, Site C)" in toll
