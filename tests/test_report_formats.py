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

from checker.pipeline.check import check_story, result_to_dict
from checker.pipeline.rules_file import load_rules
from checker.report import FORMATS, render
from tests.helpers import ROOT

STORY = "tests/fixtures/reports/ferry-pier"
EXPECTED = ROOT / "tests" / "fixtures" / "reports"


@pytest.fixture(scope="module")
def checked():
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        result = check_story(STORY, load_rules("rules.yaml"))
    return result_to_dict(result), result


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_gives_its_expected_report(checked, fmt):
    data, result = checked
    expected = (EXPECTED / f"ferry-pier.{fmt}").read_text(encoding="utf-8")
    assert render(fmt, data, result) == expected, f"regenerate tests/fixtures/reports/ferry-pier.{fmt} (see above)"


def test_every_format_has_its_expected_report_and_nothing_else():
    assert sorted(p.suffix[1:] for p in EXPECTED.glob("ferry-pier.*")) == sorted(FORMATS)

