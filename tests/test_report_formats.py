"""Every report format against its expected output for one fixture story: each format named in
``checker.report.FORMATS`` has tests/fixtures/reports/ferry-pier.<format>, written by

    claimcheck check tests/fixtures/reports/ferry-pier --rules rules.yaml --format FORMAT \\
        --output tests/fixtures/reports/ferry-pier.FORMAT --fail-on never

from the repository root (paths in the report are then relative, so the file is the same on every
machine). The story (made up for this test) has an error, warnings, an info finding and a quote
quoted differently, so every part of a report is exercised. The line, sarif and github formats
(positions, schema, escaping) have tests of their own in test_report_integration.py."""
from __future__ import annotations

import pytest

from checker.report import FORMATS, render
from tests.helpers import REPORT_STORY, ROOT, check_report_story

STORY = REPORT_STORY
EXPECTED = ROOT / "tests" / "fixtures" / "reports"


@pytest.fixture(scope="module")
def checked():
    return check_report_story()


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_gives_its_expected_report(checked, fmt):
    data, result = checked
    expected = (EXPECTED / f"ferry-pier.{fmt}").read_text(encoding="utf-8")
    assert render(fmt, data, result) == expected, f"regenerate tests/fixtures/reports/ferry-pier.{fmt} (see above)"


def test_every_format_has_its_expected_report_and_nothing_else():
    assert sorted(p.suffix[1:] for p in EXPECTED.glob("ferry-pier.*")) == sorted(FORMATS)



@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_fix_before_publishing_leaves_out_dismissed_findings_and_counts_them(checked, fmt):
    import json

    data = json.loads(json.dumps(checked[0]))
    loud = [f for f in data["findings"] if f["severity"] in ("error", "warning")]
    assert len(loud) >= 2
    gone, kept = loud[0], loud[1]
    for finding in data["findings"]:  # as a review database gives them (check --db)
        finding["review"] = {"status": "dismissed" if finding is gone else "open"}
    out = render(fmt, data)
    fix = out[out.index("Fix before publishing"):]
    fix = fix[:fix.index("not listed")]
    assert f"Fix before publishing ({len(loud) - 1})" in out and "1 dismissed finding not listed" in out
    first_words = " ".join(gone["message"].split()[:6])
    assert first_words not in fix and " ".join(kept["message"].split()[:3]) in fix


def test_markdown_shows_control_characters_escaped(checked):
    import json

    data = json.loads(json.dumps(checked[0]))
    data["findings"][0]["message"] = "Clear \x1b[2J screen\x9b and \u202ereversed\ttab"
    data["articles"][0]["outlet"] = "Evil\x07 Outlet"
    out = render("markdown", data)
    assert not any(c in out for c in "\x1b\x9b\u202e\x07\r")
    assert "Clear \\x1b\\[2J screen\\x9b and \\u202ereversed" in out and "Evil\\x07 Outlet" in out
