"""Every extractor's cases are data: tests/fixtures/extractors/<module>.yaml (input text,
expected claims, values that must not be extracted). Adding a case needs no code."""
from __future__ import annotations

import importlib
import math

import pytest

from tests.helpers import article, claim_field, contexts, load_cases

CASES = load_cases("extractors")


def _matches(claim, expected: dict) -> bool:
    for key, want in expected.items():
        got = claim_field(claim, key)
        if isinstance(want, (int, float)) and not isinstance(want, bool) and got is not None:
            if isinstance(got, str) or not math.isclose(float(got), float(want), rel_tol=1e-9, abs_tol=1e-9):
                return False
        elif str(got) != str(want):
            return False
    return True


@pytest.mark.parametrize("data,case", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_extractor_case(data, case):
    module = importlib.import_module(f"claims.{data['module']}")
    ctx = contexts([article(case["text"], published=case.get("published"))])[0]
    claims = [c for c in module.extract(ctx) if c.claim_type == data["claim_type"]]
    text = ctx.doc.article.text
    for claim in claims:
        assert text[claim.start:claim.end] == claim.value, "evidence must be verbatim"
    for expected in case.get("expect", []):
        assert any(_matches(c, expected) for c in claims), (
            f"expected {expected}; got {[(c.value, c.normalized, c.subject, c.attribute) for c in claims]}")
    for value in case.get("not_expected", []):
        assert all(c.value != value for c in claims), f"{value!r} must not be extracted"
    if "count" in case:
        assert len(claims) == case["count"], [(c.value, c.normalized) for c in claims]
