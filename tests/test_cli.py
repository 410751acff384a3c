"""The ``claimcheck`` command line and the report writers.

CLI tests run ``python -m checker`` in a subprocess (exit codes, stderr lines, files written);
a few use ``typer.testing.CliRunner`` to inject failures. Report writers are also tested on
hand-made results, so their formatting does not depend on what the extractors find.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "maks-returns-to-poland"
CONTRACT_KEYS = {"tool", "story", "articles", "findings", "summary"}
FINDING_KEYS = {"id", "rule", "kind", "severity", "claim_type", "subject", "message", "confidence", "evidence"}
EVIDENCE_KEYS = {"article", "text", "start", "end", "value", "normalized"}

MINIMAL_RULES = """\
rules:
  - id: count-conflict
    kind: value_conflict
    severity: error
    message: "Sources disagree on {attribute}: {values}"
    claim_types: [count]
"""


def cc(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m checker ARGS``; no run may ever print a traceback."""
    env = {k: v for k, v in os.environ.items() if k != "CLAIMCHECK_DEBUG"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["NO_COLOR"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    proc = subprocess.run([sys.executable, "-m", "checker", *map(str, args)], cwd=cwd or ROOT,
                          env=env, capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


@pytest.fixture
def story(tmp_path: Path) -> Path:
    """A private copy of the example story, safe to break."""
    dest = tmp_path / "story"
    shutil.copytree(EXAMPLE, dest)
    return dest


def write_rules(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


# --- basics ------------------------------------------------------------------------------------

def test_version():
    proc = cc("--version")
    assert proc.returncode == 0
    from checker import __version__
    assert proc.stdout.strip() == f"claimcheck {__version__}"


def test_help_lists_commands():
    proc = cc("--help")
    assert proc.returncode == 0
    for command in ("check", "claims", "rules"):
        assert command in proc.stdout


# --- exit codes --------------------------------------------------------------------------------

def test_json_contract_and_verbatim_evidence():
    proc = cc("check", EXAMPLE, "--format", "json", "--fail-on", "never")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert CONTRACT_KEYS <= set(data)
    assert data["tool"]["name"] == "claimcheck"
    assert len(data["articles"]) == data["summary"]["articles"] == 5
    assert set(data["summary"]["findings"]) == {"error", "warning", "info"}
    paths = {a["id"]: a["path"] for a in data["articles"]}
    for finding in data["findings"]:
        assert FINDING_KEYS <= set(finding), finding
        assert finding["severity"] in ("error", "warning", "info")
        assert finding["evidence"], finding
        for ev in finding["evidence"]:
            assert EVIDENCE_KEYS <= set(ev), ev
            path = Path(paths[ev["article"]])
            path = path if path.is_absolute() else ROOT / path
            if path.suffix == ".txt":
                text = path.read_bytes().decode("utf-8-sig")
                assert ev["text"] == text[ev["start"]:ev["end"]], (finding["id"], ev)
    assert "NaN" not in proc.stdout and "Infinity" not in proc.stdout


def test_fail_on_thresholds():
    data = json.loads(cc("check", EXAMPLE, "-f", "json", "--fail-on", "never").stdout)
    severities = {f["severity"] for f in data["findings"]}
    assert cc("check", EXAMPLE, "-f", "json", "--fail-on", "never").returncode == 0
    assert cc("check", EXAMPLE, "-f", "json", "--fail-on", "info").returncode == (1 if severities else 0)
    assert cc("check", EXAMPLE, "-f", "json").returncode == (1 if "error" in severities else 0)
    warn = cc("check", EXAMPLE, "-f", "json", "--fail-on", "warning").returncode
    assert warn == (1 if severities & {"error", "warning"} else 0)


def test_no_enabled_rules_exits_zero_even_with_fail_on_info(tmp_path):
    rules = write_rules(tmp_path, MINIMAL_RULES + "    enabled: false\n")
    proc = cc("check", EXAMPLE, "--rules", rules, "-f", "json", "--fail-on", "info")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["findings"] == []


# --- bad input: the story ----------------------------------------------------------------------

def test_missing_folder(tmp_path):
    missing = tmp_path / "no-such-story"
    proc = cc("check", missing)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert error_lines(proc.stderr) == [f"claimcheck: error: {missing}: no such file or folder"]


def test_folder_without_articles(tmp_path):
    empty = tmp_path / "empty-story"
    empty.mkdir()
    (empty / "notes.csv").write_text("a,b\n", encoding="utf-8")
    proc = cc("check", empty)
    assert proc.returncode == 2
    lines = error_lines(proc.stderr)
    assert len(lines) == 1 and lines[0].startswith(f"claimcheck: error: {empty}: no articles")


def test_folder_with_only_a_bad_article(tmp_path):
    folder = tmp_path / "bad-story"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"")
    proc = cc("check", folder)
    assert proc.returncode == 2
    assert error_lines(proc.stderr) == [f"claimcheck: error: {folder / 'a.txt'}: empty article"]


@pytest.mark.parametrize("name, content, problem", [
    ("999_empty.txt", b"", "empty article"),
    ("999_blank.txt", b"  \n\n \t\n", "empty article"),
    ("999_binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    ("999_badbom.txt", b"\xff\xfe\x00\xd8\x00\xd8", "byte-order mark"),
])
def test_bad_article_is_skipped_and_reported(story, tmp_path, name, content, problem):
    (story / name).write_bytes(content)
    out = tmp_path / "report.json"
    proc = cc("check", story, "--format", "json", "--output", out, "--fail-on", "never")
    assert proc.returncode == 2
    lines = error_lines(proc.stderr)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"claimcheck: error: {story / name}: ")
    assert problem in lines[0]
    data = json.loads(out.read_text(encoding="utf-8"))  # the report is still written
    assert len(data["articles"]) == 5
    assert [p["path"] for p in data["problems"]] == [str(story / name)]


def test_bad_article_text_report_lists_problem(story):
    (story / "999_empty.txt").write_bytes(b"")
    proc = cc("check", story, "--fail-on", "never")
    assert proc.returncode == 2
    assert "999_empty.txt" in proc.stdout and "Input problems" in proc.stdout
    assert proc.stderr.count("claimcheck: error:") == 1


def test_input_error_wins_over_findings(story):
    (story / "999_empty.txt").write_bytes(b"")
    assert cc("check", story, "-f", "json", "--fail-on", "info").returncode == 2


# --- bad input: the rules file -----------------------------------------------------------------

def _rules_error(tmp_path: Path, text: str) -> tuple[Path, str]:
    rules = write_rules(tmp_path, text)
    proc = cc("check", EXAMPLE, "--rules", rules)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = error_lines(proc.stderr)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"claimcheck: error: {rules}:")
    return rules, lines[0]


def test_rules_bad_yaml_syntax(tmp_path):
    text = MINIMAL_RULES.replace("claim_types: [count]", "claim_types: [count")
    rules, line = _rules_error(tmp_path, text)
    assert re.match(rf"claimcheck: error: {re.escape(str(rules))}:\d+: invalid YAML", line), line


def test_rules_unknown_kind(tmp_path):
    rules, line = _rules_error(tmp_path, MINIMAL_RULES.replace("value_conflict", "value_conflcit"))
    assert f"{rules}:{line_of(MINIMAL_RULES, 'id:')}:" in line
    assert "unknown kind 'value_conflcit'" in line


def test_rules_missing_key(tmp_path):
    text = MINIMAL_RULES.replace('    message: "Sources disagree on {attribute}: {values}"\n', "")
    rules, line = _rules_error(tmp_path, text)
    assert f"{rules}:{line_of(text, 'id:')}:" in line
    assert "missing 'message'" in line


def test_rules_wrong_type(tmp_path):
    text = MINIMAL_RULES.replace("claim_types: [count]", "claim_types: count")
    rules, line = _rules_error(tmp_path, text)
    assert f"{rules}:{line_of(text, 'id:')}:" in line
    assert "'claim_types' must be a list" in line


def test_rules_bad_regex(tmp_path):
    text = MINIMAL_RULES + "    params:\n      attributes: ['killed(']\n"
    rules, line = _rules_error(tmp_path, text)
    assert f"{rules}:{line_of(text, 'attributes:')}:" in line
    assert "bad regex" in line


def test_rules_file_missing(tmp_path):
    missing = tmp_path / "nope.yaml"
    proc = cc("check", EXAMPLE, "--rules", missing)
    assert proc.returncode == 2
    assert error_lines(proc.stderr) == [f"claimcheck: error: {missing}: rules file not found"]


# --- usage errors ------------------------------------------------------------------------------

@pytest.mark.parametrize("args, words", [
    (["check", str(EXAMPLE), "--format", "xml"], ["--format", "xml"]),
    (["check", str(EXAMPLE), "--fail-on", "sometimes"], ["--fail-on", "sometimes"]),
    (["check"], ["STORY"]),
    (["check", str(EXAMPLE), "--no-such-option"], ["--no-such-option"]),
    (["frobnicate"], ["frobnicate"]),
])
def test_usage_errors_are_one_line(args, words):
    proc = cc(*args)
    assert proc.returncode == 2
    lines = error_lines(proc.stderr)
    assert len(lines) == 1, lines
    assert lines[0].startswith("claimcheck: error: ")
    for word in words:
        assert word.lower() in lines[0].lower()


# --- output ------------------------------------------------------------------------------------

def test_output_file_written(tmp_path):
    out = tmp_path / "report.md"
    proc = cc("check", EXAMPLE, "--format", "markdown", "--output", out, "--fail-on", "never")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# claimcheck report: maks-returns-to-poland")
    for section in ("## Errors", "## Warnings", "## Info"):
        assert section in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]  # no temp file left behind


def test_failed_run_keeps_previous_report(tmp_path):
    out = tmp_path / "report.json"
    out.write_text("previous report\n", encoding="utf-8")
    proc = cc("check", tmp_path / "missing", "--format", "json", "--output", out)
    assert proc.returncode == 2
    assert out.read_text(encoding="utf-8") == "previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_output_into_missing_folder(tmp_path):
    out = tmp_path / "nowhere" / "report.json"
    proc = cc("check", EXAMPLE, "--output", out)
    assert proc.returncode == 2
    lines = error_lines(proc.stderr)
    assert len(lines) == 1 and lines[0].startswith(f"claimcheck: error: {out}: ")
    assert not out.parent.exists()


def test_csv_format_parses():
    proc = cc("check", EXAMPLE, "--format", "csv", "--fail-on", "never")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    data = json.loads(cc("check", EXAMPLE, "-f", "json", "--fail-on", "never").stdout)
    assert len(rows) == sum(len(f["evidence"]) for f in data["findings"])
    header = proc.stdout.splitlines()[0].split(",")
    assert header[:3] == ["finding_id", "rule", "kind"] and "text" in header and header[-1] == "reviewed_at"


def test_text_format(tmp_path):
    proc = cc("check", EXAMPLE, "--fail-on", "never")
    assert proc.returncode == 0, proc.stderr
    assert "maks-returns-to-poland" in proc.stdout
    assert "5 articles" in proc.stdout
    assert "\x1b[" not in proc.stdout  # no colour when not writing to a terminal
    # the footer says how to change a rule without editing the installed rules file
    assert "'claimcheck.yaml'" in proc.stdout and "'claimcheck rules RULE'" in proc.stdout
    assert "rules.yaml" not in proc.stdout.split("────")[-1]


# --- claims and rules commands -----------------------------------------------------------------

def test_claims_json_and_type_filter():
    proc = cc("claims", EXAMPLE, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    claims = json.loads(proc.stdout)
    assert claims and {"article", "claim_type", "subject", "value", "start", "end"} <= set(claims[0])
    kind = claims[0]["claim_type"]
    only = json.loads(cc("claims", EXAMPLE, "--format", "json", "--type", kind).stdout)
    assert only and {c["claim_type"] for c in only} == {kind}
    assert len(only) == sum(c["claim_type"] == kind for c in claims)


def test_claims_table_and_csv():
    table = cc("claims", EXAMPLE)
    assert table.returncode == 0, table.stderr
    assert "subject" in table.stdout and "claims" in table.stdout
    rows = list(csv.DictReader(io.StringIO(cc("claims", EXAMPLE, "-f", "csv").stdout)))
    assert rows and "claim_type" in rows[0]


def test_claims_missing_folder(tmp_path):
    proc = cc("claims", tmp_path / "missing")
    assert proc.returncode == 2
    assert error_lines(proc.stderr) == [f"claimcheck: error: {tmp_path / 'missing'}: no such file or folder"]


def test_rules_command(tmp_path):
    proc = cc("rules", "--rules", write_rules(tmp_path, MINIMAL_RULES))
    assert proc.returncode == 0, proc.stderr
    assert "count-conflict" in proc.stdout and "value_conflict" in proc.stdout
    default = cc("rules")
    assert default.returncode == 0, default.stderr
    assert "value_conflict" in default.stdout


def test_rules_command_bad_file(tmp_path):
    rules = write_rules(tmp_path, "rules: [\n")
    proc = cc("rules", "--rules", rules)
    assert proc.returncode == 2
    assert error_lines(proc.stderr)[0].startswith(f"claimcheck: error: {rules}:")


# --- unexpected failures (in-process, with an injected fault) ----------------------------------

def test_internal_error_is_one_line(monkeypatch):
    from typer.testing import CliRunner

    import checker.pipeline.check
    from checker.cli import app

    def boom(*args, **kwargs):
        raise RuntimeError("kaboom\nsecond line")

    monkeypatch.setattr(checker.pipeline.check, "check_story", boom)
    monkeypatch.delenv("CLAIMCHECK_DEBUG", raising=False)
    result = CliRunner().invoke(app, ["check", str(EXAMPLE)])
    assert result.exit_code == 3
    assert "claimcheck: internal error: RuntimeError: kaboom second line" in result.stderr
    assert "Traceback" not in result.stderr

    monkeypatch.setenv("CLAIMCHECK_DEBUG", "1")
    result = CliRunner().invoke(app, ["check", str(EXAMPLE)])
    assert result.exit_code == 3 and "Traceback" in result.stderr


def test_unreadable_file_is_an_input_error(monkeypatch):
    from typer.testing import CliRunner

    import checker.pipeline.check
    from checker.cli import app

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", "/stories/x/a.txt")

    monkeypatch.setattr(checker.pipeline.check, "check_story", denied)
    result = CliRunner().invoke(app, ["check", str(EXAMPLE)])
    assert result.exit_code == 2
    assert result.stderr.strip() == "claimcheck: error: /stories/x/a.txt: Permission denied"


def test_keyboard_interrupt_exits_130(monkeypatch):
    from typer.testing import CliRunner

    import checker.pipeline.check
    from checker.cli import app

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(checker.pipeline.check, "check_story", interrupted)
    result = CliRunner().invoke(app, ["check", str(EXAMPLE)])
    assert result.exit_code == 130


# --- report writers on a hand-made result ------------------------------------------------------

ARTICLE_A = "Officials said 12 people died. The mayor, 54, spoke.\n"
ARTICLE_B = "At least 15 people were killed | reports say.\nSecond line.\n"


@pytest.fixture
def hand_made():
    from claims.errors import InputError
    from claims.model import Article, Claim
    from claims.read import Story
    from checker.engine.findings import Evidence, Finding
    from checker.pipeline.check import StoryResult, result_to_dict
    from checker.engine.rule import RuleSet

    a = Article(id="a", path="story/a.txt", text=ARTICLE_A, outlet="Daily | Post",
                published=datetime(2024, 5, 1, 9, 30))
    b = Article(id="b", path="story/b.txt", text=ARTICLE_B, outlet=None)
    s_a, s_b = ARTICLE_A.index("12"), ARTICLE_B.index("15")
    text_b = ARTICLE_B[s_b:ARTICLE_B.index("say.") + 4]  # spans a '|'
    findings = [
        Finding(rule="count-conflict", kind="value_conflict", severity="error", claim_type="count",
                subject="people|killed", message="Sources disagree on the toll: 12 vs 15",
                evidence=[Evidence("a", "12", s_a, s_a + 2, "12", "12", "Officials said 12 people died.",
                                   "Daily | Post", "2024-05-01 09:30:00"),
                          Evidence("b", text_b, s_b, s_b + len(text_b), "15", "15",
                                   "At least 15 people were killed | reports say.")],
                key=("12", "15"), confidence=float("nan")),
        Finding(rule="quote-wording", kind="quote_wording", severity="warning", claim_type="quote",
                subject="mayor", message='Quote differs: "we will" vs "we shall"',
                evidence=[Evidence("a", "=cmd()", 0, 6, "=cmd()", "=cmd()")],
                key=("q",), details={"diff": ["- we will", "+ we shall"]}),
    ]
    story = Story(id="demo", path="story", articles=[a, b],
                  problems=[InputError("story/c.txt", "empty article")])
    claims = [Claim(article="a", claim_type="count", subject="people", attribute="killed", value="12",
                    normalized="12", low=12.0, high=float("inf"), sentence="Officials said 12 people died.",
                    sentence_index=0, start=s_a, end=s_a + 2, index=0)]
    result = StoryResult(story=story, docs=[], claims=claims, findings=findings,
                         rules=RuleSet(path="rules.yaml", rules=[]))
    return result, result_to_dict(result)


def test_render_json_has_no_nan(hand_made):
    from checker.report.json import render_json

    result, data = hand_made
    text = render_json(data, result)
    parsed = json.loads(text)
    assert parsed["findings"][0]["confidence"] is None
    assert parsed["findings"][0]["evidence"][0]["outlet"] == "Daily | Post"
    assert "NaN" not in text
    assert parsed["problems"] == [{"path": "story/c.txt", "line": None, "problem": "empty article", "stage": None}]


def test_render_markdown_escapes_cells(hand_made):
    from checker.report.markdown import render_markdown

    result, data = hand_made
    md = render_markdown(data, result)
    assert "## Errors" in md and "## Warnings" in md and "## Info" in md
    assert "### [error] Sources disagree on the toll: 12 vs 15" in md
    assert "`count-conflict`" in md and data["findings"][0]["id"] in md
    evidence_rows = [line for line in md.splitlines() if line.startswith("|") and "**1" in line]
    assert len(evidence_rows) == 2
    for row in evidence_rows:  # every row has exactly three cells once escaped pipes are ignored
        assert len(re.split(r"(?<!\\)\|", row)) == 5, row
    assert "**15**" in md
    assert "```diff\n- we will\n+ we shall\n```" in md
    assert "`c.txt`" in md and "empty article" in md  # story-relative: no machine paths
    assert "`claimcheck.yaml` beside the story" in md and "`claimcheck rules RULE` shows" in md


def test_render_csv_quotes_and_guards(hand_made):
    from checker.report.csv import CSV_COLUMNS, render_csv

    result, data = hand_made
    rows = list(csv.DictReader(io.StringIO(render_csv(data, result))))
    assert list(rows[0]) == CSV_COLUMNS
    assert len(rows) == 3
    b_row = next(r for r in rows if r["article"] == "b")
    assert b_row["text"] == ARTICLE_B[int(b_row["start"]):int(b_row["end"])]
    assert b_row["outlet"] == "" and b_row["published"] == ""
    formula = next(r for r in rows if r["rule"] == "quote-wording")
    assert formula["text"] == "'=cmd()"  # spreadsheets must not evaluate evidence


def test_render_text_content(hand_made):
    from checker.report.text import render_text

    result, data = hand_made
    text = render_text(data, result, color=False, width=100)
    assert "\x1b[" not in text
    for needle in ("demo", "2 articles", "1 error", "1 warning", "count-conflict", data["findings"][0]["id"],
                   "Daily | Post", "2024-05-01 09:30", "»12«", "story/c.txt", "empty article",
                   "claimcheck.yaml", "Errors (1)", "Warnings (1)"):
        assert needle in text, needle
    assert text.index("Errors (1)") < text.index("Warnings (1)")
    coloured = render_text(data, result, color=True, width=100)
    assert "\x1b[" in coloured


def test_render_claims_formats(hand_made):
    from checker.report.claims_table import render_claims

    result, _ = hand_made
    records = json.loads(render_claims(result.claims, "json"))
    assert records[0]["high"] is None and records[0]["low"] == 12.0
    assert "people" in render_claims(result.claims, "table")
    rows = list(csv.DictReader(io.StringIO(render_claims(result.claims, "csv"))))
    assert rows[0]["value"] == "12"
