"""The story fact model's cases are data: tests/fixtures/facts/*.yaml (a few articles and the
facts the fact sheet must hold, or values it must keep apart). Adding a case needs no code."""
from __future__ import annotations

import pytest

from checker.pipeline.check import check_story
from checker.pipeline.facts import fact_sheet
from claims.read import Story
from tests.helpers import article, load_cases

CASES = load_cases("facts")


def sheet(case) -> list[dict]:
    articles = [article(a["text"], a["id"], a.get("published"), a.get("outlet")) for a in case["articles"]]
    return fact_sheet(check_story(Story(id="case", path="case", articles=articles)))


def values_of(fact: dict) -> set[str]:
    return {v["normalized"] for v in fact["values"]}


@pytest.mark.parametrize("case", [c[2] for c in CASES], ids=[c[0] for c in CASES])
def test_fact_case(case):
    facts = sheet(case)
    described = [(f["status"], f["attribute"], sorted(values_of(f))) for f in facts]
    for expected in case.get("facts", []):
        want = set(map(str, expected["values"]))
        found = [f for f in facts if values_of(f) == want]
        assert found, f"no fact holds exactly {sorted(want)}; facts: {described}"
        fact = found[0]
        if "status" in expected:
            assert fact["status"] == expected["status"], described
        for value, support in (expected.get("sources") or {}).items():
            [held] = [v for v in fact["values"] if v["normalized"] == str(value)]
            assert held["support"] == support, (value, held["support"])
    for a, b in case.get("apart", []):
        assert not any({str(a), str(b)} <= values_of(f) for f in facts), f"{a} and {b} in one fact: {described}"
