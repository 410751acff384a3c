"""checker.api: a story's claims and findings as pandas DataFrames, holding what the JSON report
holds (the command line's ``--format json`` is the reference)."""
from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd

from checker import api
from claims.model import CLAIM_COLUMNS
from tests.helpers import EXAMPLE, HARBOUR_FIRE, ROOT, run_cli


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
    assert code == 0 and list(frame.columns) == CLAIM_COLUMNS and len(frame) == len(listed) > 0
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
