"""The editor- and CI-facing formats (``line``, ``sarif``, ``github``): positions that point at the
evidence in the article files, SARIF valid against the OASIS schema, workflow-command escaping,
HTML pages and feeds, and the same output from saved JSON as from the check itself; and the CSV's
sentences and ISO 8601 dates."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from checker.pipeline.check import check_story, result_to_dict
from checker.pipeline.rules_file import load_rules
from checker.report import render
from checker.report.github import escape_data, escape_property, render_github
from checker.report.line import render_line
from checker.report.positions import LineIndex
from checker.report.sarif import sarif_log
from tests.helpers import FIXTURES, REPORT_STORY, ROOT, check_report_story

STORY = REPORT_STORY
SCHEMA = FIXTURES / "sarif" / "sarif-schema-2.1.0.json"
LINE = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning|info) "
                  r"(?P<rule>[\w-]+) (?P<message>.+)$")


@pytest.fixture(scope="module")
def checked():
    return check_report_story()


def _at(path: Path, line: int, col: int, length: int) -> str:
    """The characters at 1-based ``line``/``col`` of a file, as an editor finds them."""
    text = path.read_text(encoding="utf-8")
    return re.split(r"\r\n|\r|\n", text)[line - 1][col - 1:col - 1 + length]


# --- positions ---------------------------------------------------------------------------------

def test_line_index_counts_lines_and_characters_from_one_for_every_line_ending():
    text = "Zürich\r\nline two\rthird 🚢 x\nlast"
    index = LineIndex(text)
    assert index.position(0) == (1, 1)
    assert index.position(text.index("two")) == (2, 6)
    assert index.position(text.index("x")) == (3, 9)  # the ship is one character
    assert index.position(text.index("last")) == (4, 1)
    assert index.position(len(text)) == (4, 5)
    assert index.position(len(text) + 1) is None and index.position(-1) is None


# --- line --------------------------------------------------------------------------------------

def test_each_line_points_at_its_first_evidence_in_the_file(checked):
    data, result = checked
    lines = render_line(data, result).splitlines()
    assert len(lines) == len(data["findings"])
    for line, finding in zip(lines, data["findings"]):
        match = LINE.match(line)
        assert match, line
        assert (match["severity"], match["rule"]) == (finding["severity"], finding["rule"])
        first = finding["evidence"][0]
        assert _at(ROOT / match["path"], int(match["line"]), int(match["col"]), len(first["text"])) == first["text"]
        for other in finding["evidence"][1:]:  # the other sources, relative to the story folder
            assert f"{other['article']}.txt:" in match["message"]


def test_a_story_without_findings_gives_no_lines():
    assert render_line({"story": {"path": "s"}, "articles": [], "findings": []}) == ""


def test_hostile_text_cannot_break_a_line_or_drive_the_terminal():
    data = {"story": {"id": "s", "path": "s"}, "articles": [{"id": "a", "path": "s/a.txt"}],
            "findings": [{"rule": "r", "severity": "error", "message": "two\nlines \x1b[31mred\u202e",
                          "evidence": [{"article": "a", "start": 0, "end": 1, "text": "x"}]}]}
    [line] = render_line(data).splitlines()  # the article cannot be read: the path alone
    assert line.startswith("s/a.txt: error r two lines ") and "\x1b" not in line and "\u202e" not in line


# --- sarif -------------------------------------------------------------------------------------

def test_sarif_is_valid_against_the_oasis_schema(checked):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    log = json.loads(render("sarif", *checked))
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)]
    assert not errors, errors[:5]
    # and the schema is not vacuous: a log without runs, or a result with an unknown level, fails
    assert not validator.is_valid({"version": "2.1.0"})
    broken = json.loads(json.dumps(log))
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert not validator.is_valid(broken)


def test_sarif_results_and_related_locations_point_at_each_source(checked):
    data, result = checked
    run = sarif_log(data, result)["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert {"count-conflict", "single-source"} <= set(rule_ids)
    assert run["columnKind"] == "unicodeCodePoints"
    levels = {f["rule"]: r["level"] for f, r in zip(data["findings"], run["results"])}
    assert levels["count-conflict"] == "error" and levels["single-source"] == "note"
    for finding, res in zip(data["findings"], run["results"]):
        assert rule_ids[res["ruleIndex"]] == res["ruleId"] == finding["rule"]
        locations = res["locations"] + res.get("relatedLocations", [])
        assert len(locations) == len(finding["evidence"])
        for loc, ev in zip(locations, finding["evidence"]):
            physical = loc["physicalLocation"]
            region = physical["region"]
            assert physical["artifactLocation"] == {"uri": f"{ev['article']}.txt", "uriBaseId": "STORYROOT"}
            assert region["snippet"]["text"] == ev["text"]
            assert region["endLine"] == region["startLine"]
            assert region["endColumn"] - region["startColumn"] == len(ev["text"])
            assert _at(ROOT / STORY / physical["artifactLocation"]["uri"], region["startLine"],
                       region["startColumn"], len(ev["text"])) == ev["text"]
            assert ev["text"] in physical["contextRegion"]["snippet"]["text"]


def test_sarif_names_the_problems_of_a_story_as_failed_notifications(tmp_path):
    story = tmp_path / "story"
    shutil.copytree(ROOT / STORY, story)
    (story / "broken.txt").write_bytes(b"\x00\x01\x02 binary \xff\xfe" * 50)
    data = result_to_dict(check_story(story, load_rules(ROOT / "rules.yaml")))
    invocation = sarif_log(data)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert any("broken.txt" in n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
               for n in invocation["toolExecutionNotifications"])


# --- github ------------------------------------------------------------------------------------

def test_github_escapes_data_and_properties_as_the_actions_toolkit_does():
    assert escape_data("50% of\r\nit") == "50%25 of%0D%0Ait"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_github_annotations_cannot_be_ended_or_forged_by_article_text():
    data = {"story": {"id": "s", "path": "s"}, "articles": [{"id": "a", "path": "s/a,b:c.txt", "outlet": "O\n::x"}],
            "findings": [{"rule": "r", "severity": "info", "message": "m\n::error file=x::forged",
                          "evidence": [{"article": "a", "start": 0, "end": 1, "text": "%0A"}]}]}
    out = render_github(data)
    assert out.count("\n") == 1 and out.startswith("::notice file=s/a%2Cb%3Ac.txt,title=r (info)::")
    assert "%250A" in out  # a literal "%0A" in the text is not a newline for the runner


def test_github_properties_show_control_characters_escaped():
    data = {"story": {"id": "s", "path": "s"}, "articles": [{"id": "a", "path": "s/evil\x1b[2J\u202e.txt"}],
            "findings": [{"rule": "r\x9b", "severity": "info", "message": "m",
                          "evidence": [{"article": "a", "start": 0, "end": 1, "text": "x"}]}]}
    out = render_github(data)
    assert "\x1b" not in out and "\x9b" not in out and "\u202e" not in out
    assert "file=s/evil\\x1b[2J\\u202e.txt," in out


def test_github_annotations_carry_place_level_and_every_source(checked):
    data, result = checked
    lines = render_github(data, result).splitlines()
    assert len(lines) == len(data["findings"])
    first = lines[0]
    finding = data["findings"][0]
    assert first.startswith(f"::error file={STORY}/{finding['evidence'][0]['article']}.txt,line=")
    assert all(f"{ev['article']}.txt:" in first for ev in finding["evidence"])
    assert lines[-1].startswith("::notice ")  # info


# --- csv ---------------------------------------------------------------------------------------

def test_csv_rows_carry_the_whole_sentence_and_iso_dates(checked):
    import csv
    import io

    from checker.report.timestamps import iso8601

    data, result = checked
    rows = list(csv.DictReader(io.StringIO(render("csv", data, result))))
    evidence = [ev for f in data["findings"] for ev in f["evidence"]]
    assert len(rows) == len(evidence)
    for row, ev in zip(rows, evidence):
        assert row["sentence"] == ev["sentence"] and row["text"] in row["sentence"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["published"])
    assert iso8601("2024-05-07 14:30:00") == "2024-05-07T14:30:00"
    assert iso8601("2024-05-07 00:00:00+02:00") == "2024-05-07T00:00:00+02:00"
    assert iso8601("2026-11-21T10:00:00+00:00") == "2026-11-21T10:00:00Z"
    assert iso8601("not a date") == "not a date" and iso8601(None) is None


# --- html pages, feeds, saved JSON ---------------------------------------------------------------

def _story_with_page_and_feed(tmp_path) -> Path:
    """The ferry story with news-e as a web page and radio-d as a feed record."""
    story = tmp_path / "story"
    shutil.copytree(ROOT / STORY, story)
    meta = json.loads((story / "meta.json").read_text(encoding="utf-8"))
    meta["articles"] = [a for a in meta["articles"] if a["id"] not in ("news-e", "radio-d")]
    (story / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    news = (story / "news-e.txt").read_text(encoding="utf-8").split("\n\n")
    (story / "news-e.txt").unlink()
    (story / "news-e.html").write_text(
        "<html><head><title>Odessa ferry crash</title></head><body>\r\n<article><h1>Odessa ferry crash</h1>"
        + "".join(f"<p>{p}</p>\r\n" for p in news[1:]) + "</article></body></html>", encoding="utf-8")
    radio = (story / "radio-d.txt").read_text(encoding="utf-8")
    (story / "radio-d.txt").unlink()
    (story / "feed.jsonl").write_text(json.dumps({"id": "radio-d", "outlet": "Radio D", "published": "2024-05-08",
                                                  "text": radio}) + "\n", encoding="utf-8")
    return story


def test_html_and_feed_articles_get_no_line_or_column_in_the_file(tmp_path):
    # their text is extracted: a line and column in it is not one in the file a viewer opens
    result = check_story(_story_with_page_and_feed(tmp_path), load_rules(ROOT / "rules.yaml"))
    data = result_to_dict(result)
    [conflict] = [f for f in data["findings"] if f["rule"] == "count-conflict"]
    texts = {a.id: a.text for a in result.story.articles}
    [line] = [x for x in render_line(data, result).splitlines() if " count-conflict " in x]
    assert "feed.jsonl[radio-d]" in line and "news-e.html" in line
    assert not re.search(r"feed\.jsonl\[radio-d\]:\d|news-e\.html:\d", line)
    assert re.search(r"wire-a\.txt:\d+:\d+", line)  # a plain-text article keeps its place
    [annotation] = [x for x in render_github(data, result).splitlines() if "count-conflict" in x]
    assert "(feed.jsonl[radio-d])" in annotation and "(news-e.html)" in annotation
    run = sarif_log(data, result)["runs"][0]
    [res] = [r for r in run["results"] if r["ruleId"] == "count-conflict"]
    by_article = {loc["logicalLocations"][0]["name"]: loc for loc in res["locations"] + res["relatedLocations"]}
    assert by_article["radio-d"]["physicalLocation"]["artifactLocation"]["uri"] == "feed.jsonl"
    assert by_article["news-e"]["physicalLocation"]["artifactLocation"]["uri"] == "news-e.html"
    ev_of = {ev["article"]: ev for ev in conflict["evidence"]}
    for article in ("radio-d", "news-e"):
        loc = by_article[article]
        assert "region" not in loc["physicalLocation"] and "contextRegion" not in loc["physicalLocation"]
        extracted = loc["properties"]["extractedText"]  # the place in the extracted text, kept
        ev = ev_of[article]
        assert extracted["charOffset"] == ev["start"] and extracted["snippet"]["text"] == ev["text"]
        shown = re.split(r"\r\n|\r|\n", texts[article])[extracted["startLine"] - 1][extracted["startColumn"] - 1:]
        assert shown.startswith(ev["text"])
    assert "region" in by_article["wire-a"]["physicalLocation"]
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert not list(validator.iter_errors(sarif_log(data, result)))


def test_a_story_that_is_one_feed_names_the_feed_file(tmp_path):
    story = _story_with_page_and_feed(tmp_path)
    records = [{"id": a.stem, "outlet": a.stem.upper(), "text": a.read_text(encoding="utf-8")}
               for a in sorted(story.glob("*.txt"))]
    feed = tmp_path / "ferry.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = check_story(feed, load_rules(ROOT / "rules.yaml"))
    data = result_to_dict(result)
    lines = render_line(data, result).splitlines()
    assert lines and all(x.startswith(f"{feed}[") for x in lines)
    assert "[also ferry.jsonl[" in "".join(lines) and ".[" not in "".join(lines).replace("ferry.jsonl[", "")
    assert "(ferry.jsonl[" in render_github(data, result)
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for r in sarif_log(data, result)["runs"][0]["results"]
            for loc in r["locations"] + r.get("relatedLocations", [])}
    assert uris == {"ferry.jsonl"}


@pytest.mark.parametrize("fmt", ["line", "sarif", "github"])
def test_a_report_from_saved_json_reads_the_articles_again_for_the_same_positions(checked, fmt, monkeypatch):
    data, result = checked
    monkeypatch.chdir(ROOT)
    saved = json.loads(json.dumps(data))
    expected = render(fmt, data, result)
    if fmt == "sarif":  # without the check at hand the rules are those that gave findings
        expected_run, got_run = json.loads(expected)["runs"][0], json.loads(render(fmt, saved))["runs"][0]
        got_rules = [r["id"] for r in got_run["tool"]["driver"]["rules"]]
        assert sorted(got_rules) == sorted({f["rule"] for f in data["findings"]})
        for got, want in zip(got_run["results"], expected_run["results"], strict=True):
            assert got_rules[got.pop("ruleIndex")] == got["ruleId"]
            want.pop("ruleIndex")
            assert got == want
    else:
        assert render(fmt, saved) == expected
