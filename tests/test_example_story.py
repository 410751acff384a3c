"""End to end on the bundled example story: what an editor must see, and must not see."""
from __future__ import annotations

import pytest

from checker.pipeline.check import check_story, result_to_dict
from checker.report.markdown import render_markdown
from tests.helpers import EXAMPLE, ROOT


@pytest.fixture(scope="module")
def result():
    return check_story(EXAMPLE)


def _serious(result):
    return [f for f in result.findings if f.severity in ("error", "warning")]


def _find(findings, *words):
    return [f for f in findings if all(any(w in (e.text + " " + e.sentence) for e in f.evidence) for w in words)]


def test_odessa_odesa_one_finding_across_and_inside_one_article(result):
    hits = [f for f in _serious(result) if f.kind == "spelling_variant"
            and {e.text for e in f.evidence} >= {"Odessa", "Odesa"}]
    assert len(hits) == 1
    finding = hits[0]
    assert len(finding.articles) == 3
    assert finding.details["within_article"] == ["003_81f5b6ab55212cae"]
    assert finding.details["preferred"] == "Odesa"


def test_larisa_larissa_inside_one_article(result):
    hits = [f for f in _serious(result) if {e.text for e in f.evidence} == {"Larisa", "Larissa"}]
    assert len(hits) == 1 and hits[0].articles == ["003_81f5b6ab55212cae"]


def test_five_days_vs_over_a_week(result):
    hits = [f for f in _serious(result) if f.claim_type == "duration"]
    assert any({"five days", "over a week"} <= {e.value.replace("the next ", "").replace("for ", "") for e in f.evidence}
               or ("five days" in " ".join(e.value for e in f.evidence) and "week" in " ".join(e.value for e in f.evidence))
               for f in hits), [f.message for f in hits]


def test_no_false_alarms(result):
    serious = _serious(result)
    assert not [f for f in serious if f.claim_type == "citizenship"], "U.S. citizen = American citizen"
    assert not [f for f in serious if f.claim_type == "age"], "42 in 2022, 14 in 1994 and 26 in 2006 agree"
    dates = [f for f in serious if f.claim_type == "date"]
    assert not _find(dates, "March 2", "early March")


def test_evidence_is_verbatim(result):
    texts = {a.id: a.text for a in result.story.articles}
    for finding in result.findings:
        for e in finding.evidence:
            assert texts[e.article][e.start:e.end] == e.text


def test_ids_stable_when_unrelated_article_added(tmp_path, result):
    import shutil
    story = tmp_path / "story"
    shutil.copytree(EXAMPLE, story)
    (story / "unrelated.txt").write_text(
        "The city council approved a new budget for road repairs on Tuesday. "
        "Officials said the work would start in the spring and take about six months.\n", encoding="utf-8")
    again = check_story(story)
    assert {f.id for f in result.findings} <= {f.id for f in again.findings}


def test_committed_example_report_is_current(result):
    committed = (ROOT / "reports" / "maks-returns-to-poland.md").read_text(encoding="utf-8")
    assert committed == render_markdown(result_to_dict(result), result), \
        "regenerate: claimcheck check examples/maks-returns-to-poland --format markdown --output reports/maks-returns-to-poland.md"


def test_committed_html_report_is_current(result):
    from checker.report.html import render_html

    committed = (ROOT / "reports" / "maks-returns-to-poland.html").read_text(encoding="utf-8")
    assert committed == render_html(result_to_dict(result), result), \
        "regenerate: claimcheck check examples/maks-returns-to-poland --format html --output reports/maks-returns-to-poland.html"


def test_headlines_read_once(result):
    """The bundled story's headlines: the question in words, sources by outlet or short headline
    (never the hash ids of its file names), the house-style spelling last, as the editor fixes
    the others."""
    messages = {f.rule: f.message for f in result.findings}
    assert messages["duration-conflict"] == \
        "How long: 5 days (“Maksim Chmerkovskiy Planning To…”) or more than 7 days (Entertainment Tonight)?"
    odesa = next(f.message for f in result.findings if f.rule == "spelling-variant" and "Odesa" in f.message)
    assert odesa.startswith('Which spelling: "Odessa" (') and "or \"Odesa\" (" in odesa
    for finding in result.findings:
        assert not any(a.id in finding.message for a in result.story.articles), finding.message


def test_text_and_markdown_put_what_to_fix_first_and_count_info(result):
    from checker.report.text import render_text

    data = result_to_dict(result)
    loud = [f for f in data["findings"] if f["severity"] in ("error", "warning")]
    info = [f for f in data["findings"] if f["severity"] == "info"]
    for page in (render_text(data), render_markdown(data)):
        fix = page.index(f"Fix before publishing ({len(loud)})")
        assert fix < page.index("Diply")  # above the sources table
        assert f"{len(info)} info findings not shown" in page
        assert info[0]["message"][:60] not in page
    assert info[0]["message"][:40] in render_text(data, show_info=True, width=400)
    assert info[0]["message"][:40] in render_markdown(data, show_info=True)
