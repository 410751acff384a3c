"""The fast paths added for speed give exactly what the slow paths they replace gave."""
from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from checker.context import claim_rows, grouped_rows
from checker.quote_missing import _REPORTED, _is_reported
from claims.numbers import NUMBER_RE, may_hold_number


def _same(a, b) -> bool:
    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "article": ["b", "a", "a", "c", "b", "a"],
        "subject": ["Kyiv", "", "Odesa", "Kyiv", "", "Odesa"],
        "low": [1.0, None, 3.5, None, 2.0, 1.0],
        "negated": [True, False, False, True, False, True],
        "extra": [{}, {"x": 1}, {}, {}, {"y": 2}, {}],
    }, index=[7, 3, 9, 1, 4, 2])


def test_claim_rows_equal_itertuples():
    frame = _frame()
    fast, slow = claim_rows(frame), list(frame.itertuples())
    assert [r._fields for r in fast] == [r._fields for r in slow]
    for f, s in zip(fast, slow):
        assert all(_same(x, y) and type(x) is type(y) for x, y in zip(f, s))


@pytest.mark.parametrize("keys", [["article"], ["subject", "article"], ["article", "subject"]])
def test_grouped_rows_follow_groupby_order(keys):
    frame = _frame()
    fast = [(key, [r.Index for r in rows]) for key, rows in grouped_rows(frame, keys)]
    slow = [(key, list(group.index)) for key, group in frame.groupby(keys)]
    assert fast == slow


def test_grouped_rows_with_a_missing_key_defer_to_pandas():
    frame = _frame().astype({"subject": object})
    frame.loc[4, "subject"] = None
    for dropna in (True, False):
        fast = [[r.Index for r in rows] for _, rows in grouped_rows(frame, ["subject"], dropna=dropna)]
        slow = [list(g.index) for _, g in frame.groupby(["subject"], dropna=dropna)]
        assert fast == slow


@pytest.mark.parametrize("text", [
    "No figures here.", "Some 40 people.", "Forty-two were hurt.", "a dozen eggs", "someone said",
    "Caf\u00e9 owner, TWELVE", "nothing at all", "\u0661\u0662 in Arabic digits", "",
])
def test_number_hint_never_hides_a_number(text):
    if NUMBER_RE.search(text):
        assert may_hold_number(text)


@pytest.mark.parametrize("text", [
    "He said so.", "She SAID so.", "unsaid things", "according to police", "According  to",
    "the tweeted photo", "saidx", "x-said", "na\u00efve said", "Wrote_it", "",
])
def test_reported_speech_test_matches_the_regex(text):
    assert _is_reported(text) == bool(_REPORTED.search(text))


def test_number_hint_is_cheap_regex_free_for_words():
    assert not may_hold_number("The crash happened near the coast.")
    assert re.search(r"\d", "year 1999") and may_hold_number("year 1999")
