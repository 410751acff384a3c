"""checker.api: a story's claims and findings as pandas DataFrames, holding what the JSON report
holds (the command line's ``--format json`` is the reference)."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pandas as pd
import pytest

from checker import api
from claims.errors import InputError
from claims.model import CLAIM_COLUMNS
from tests.helpers import EXAMPLE, FIXTURES, HARBOUR_FIRE, ROOT, run_cli

QUARRY = FIXTURES / "explain" / "quarry-blast"


def test_findings_and_evidence_frames_hold_the_json_report(capsys):
    story = api.check(EXAMPLE)
    code, out, _ = run_cli(capsys, "check", EXAMPLE, "--format", "json", "--fail-on", "never")
    report = json.loads(out)
    assert code == 0 and story.problems == []
    findings = story.findings
    assert isinstance(findings, pd.DataFrame) and list(findings.columns) == api.FINDING_COLUMNS
    assert list(findings["id"]) == [f["id"] for f in report["findings"]]
    assert list(findings["message"]) == [f["message"] for f in report["findings"]]
    assert (findings["severity"] == "error").sum() == report["summary"]["findings"]["error"]
    evidence = story.evidence
    assert list(evidence.columns) == api.EVIDENCE_COLUMNS
    assert len(evidence) == sum(len(f["evidence"]) for f in report["findings"])
    first = report["findings"][0]
    rows = evidence[evidence["finding_id"] == first["id"]]
    assert list(rows["text"]) == [e["text"] for e in first["evidence"]]
    assert findings.iloc[0]["articles"] == sorted({e["article"] for e in first["evidence"]})


def test_claims_frame_is_the_claims_listing(capsys):
    frame = api.claims(HARBOUR_FIRE)
    code, out, _ = run_cli(capsys, "claims", HARBOUR_FIRE, "--format", "json")
    listed = json.loads(out)
    assert code == 0 and list(frame.columns) == ["id", *CLAIM_COLUMNS] and len(frame) == len(listed) > 0
    assert list(frame["id"]) == [c["id"] for c in listed]
    assert list(frame["value"]) == [c["value"] for c in listed]
    assert list(frame["normalized"]) == [c["normalized"] for c in listed]
    checked = api.check(HARBOUR_FIRE, ROOT / "rules.yaml")
    assert checked.claims.equals(frame)


def test_pandas_is_imported_only_for_a_frame():
    code = ("import sys\nfrom checker import api, cli\nassert 'pandas' not in sys.modules\n"
            "story = api.check(sys.argv[1])\nassert 'pandas' not in sys.modules\n"
            "story.findings\nassert 'pandas' in sys.modules\n")
    proc = subprocess.run([sys.executable, "-c", code, str(HARBOUR_FIRE)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_a_timeout_keeps_what_was_done():
    story = api.check(EXAMPLE, timeout=1e-9)
    assert story.problems and "time limit reached" in story.problems[0]
    assert story.findings.empty and list(story.findings.columns) == api.FINDING_COLUMNS


def test_facts_frame_is_the_fact_sheet(capsys):
    story = api.check(QUARRY)
    code, out, _ = run_cli(capsys, "facts", QUARRY, "--format", "json")
    sheet = json.loads(out)["facts"]
    facts = story.facts
    assert code == 0 and list(facts.columns) == api.FACT_COLUMNS
    assert len(facts) == sum(len(f["values"]) for f in sheet)
    assert list(dict.fromkeys(facts["fact"])) == [f["id"] for f in sheet]
    toll = facts[facts["attribute"] == "worker killed"].set_index("normalized")
    assert toll.loc["118", "status"] == "conflict" and toll.loc["118", "support"] == 2
    assert toll.loc["118", "outlets"] == ["Daily Post", "Radio North"] and toll.loc["113", "articles"] == ["star"]


def test_explain_from_python_is_the_command_line_answer(capsys):
    story = api.check(QUARRY)
    answer = story.explain(value="113")
    _, out, _ = run_cli(capsys, "explain", QUARRY, "--value", "113", "--format", "json")
    assert answer.to_dict() == json.loads(out)
    cid = story.claims.query("value == '36 hours'")["id"].iloc[0]
    assert "fewer than min_shared_words 2" in story.explain(claim=cid).text()
    with pytest.raises(ValueError):
        story.explain()


def test_ours_from_python():
    story = api.check(QUARRY, ours=FIXTURES / "explain" / "draft-116.txt")
    assert story.ours == "draft-116" and story.not_shown == 1
    assert story.findings["message"].str.startswith(("Your draft", "Only your draft")).all()
    mine = story.evidence[story.evidence["ours"]]
    assert set(mine["article"]) == {"draft-116"} and not story.evidence[~story.evidence["ours"]].empty


def test_the_readme_example_runs():
    """The README's Python API block, run as written from the repository root."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    block = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert "api.check(" in block and ".explain(" in block and ".facts" in block and "ours=" in block
    proc = subprocess.run([sys.executable, "-c", block], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Flagged: finding" in proc.stdout  # the explanation printed


def test_the_settings_file_near_the_story_is_read_as_the_command_line_reads_it(tmp_path, monkeypatch, capsys):
    story = tmp_path / "desk" / "strike"
    story.mkdir(parents=True)
    (story / "a.txt").write_text("A strike on a market in Kiev killed 12 people on Tuesday, officials said.\n")
    (story / "b.txt").write_text("A strike on a market in Kyiv killed 15 people on Tuesday, officials said.\n")
    (tmp_path / "desk" / "claimcheck.yaml").write_text("rules: {spelling-variant: off}\n")
    (tmp_path / "other.yaml").write_text("rules: {count-conflict: off}\n")
    monkeypatch.chdir(tmp_path)

    def rules_of(checked):
        return set(checked.findings["rule"])

    assert rules_of(api.check(story)) == {"count-conflict"}
    code, out, _ = run_cli(capsys, "check", story, "--format", "json", "--fail-on", "never")
    assert {f["rule"] for f in json.loads(out)["findings"]} == {"count-conflict"}
    assert rules_of(api.check(story, isolated=True)) == {"count-conflict", "spelling-variant"}
    assert rules_of(api.check(story, config=tmp_path / "other.yaml")) == {"spelling-variant"}
    assert rules_of(api.check(story, select=["spelling-variant"])) == {"spelling-variant"}
    assert rules_of(api.check(story, min_severity="error")) == set()
    assert set(api.facts(story)["status"]) >= {"conflict"}
    (tmp_path / "desk" / "claimcheck.yaml").write_text("rules: {no-such-rule: off}\n")
    with pytest.raises(InputError, match="claimcheck.yaml:1: .*no-such-rule"):
        api.claims(story)
