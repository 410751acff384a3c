"""Numbers written as digits or words: "10,059", "2.5 million", "Thirteen", "forty-two", "a dozen".

``NUMBER`` is a regex fragment (no nested quantifiers) that extractors embed; ``parse_number``
turns the matched text into a float.
"""
from __future__ import annotations

import re

from claims.base import has_any
from claims.model import ascii_lowered
from claims.lazy_re import lazy_compile

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000}
OTHER = {"a dozen": 12, "dozen": 12, "a couple of": 2, "a couple": 2, "couple of": 2,
         "a pair of": 2, "a single": 1, "a": 1, "an": 1, "half a": 0.5}

_UNIT_WORDS = "|".join(sorted(UNITS, key=len, reverse=True))
_TENS_WORDS = "|".join(TENS)
_SCALE_WORDS = "|".join(SCALES)
WORD_NUMBER = (
    rf"(?:(?:{_TENS_WORDS})(?:[- ](?:{_UNIT_WORDS}))?|{_UNIT_WORDS})"
    rf"(?:[ -](?:{_SCALE_WORDS}))?(?:(?: and)? (?:(?:{_TENS_WORDS})(?:[- ](?:{_UNIT_WORDS}))?|{_UNIT_WORDS}))?"
)
DIGIT_NUMBER = rf"\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?(?: (?:{_SCALE_WORDS}))?|\d+(?:\.\d+)?(?: (?:{_SCALE_WORDS}))?"
NUMBER = rf"(?:{DIGIT_NUMBER}|\b(?:{WORD_NUMBER})\b|\ba dozen\b)"
NUMBER_RE = lazy_compile(NUMBER, re.IGNORECASE)
# every NUMBER match contains a digit or one of these words
_NUMBER_WORDS = tuple(sorted({*UNITS, *TENS, "dozen"}))
_DIGIT = lazy_compile(r"\d")


def may_hold_number(text: str) -> bool:
    """False only when ``NUMBER`` cannot match anywhere in ``text``: a cheap test that lets
    extractors skip the (slow, IGNORECASE alternation) number regexes on most sentences.
    Non-ASCII text always says True, as regex case folding goes beyond ``str.lower``."""
    return _DIGIT.search(text) is not None or has_any(ascii_lowered(text), _NUMBER_WORDS)


def parse_number(text: str) -> float | None:
    """Value of a number phrase, or None when it is not one."""
    t = text.strip().lower().replace("-", " ")
    if not t:
        return None
    if t in OTHER:
        return float(OTHER[t])
    m = re.fullmatch(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?: (\w+))?", t)
    if m:
        value = float(m.group(1).replace(",", "") + (m.group(2) or ""))
        if m.group(3):
            if m.group(3) not in SCALES:
                return None
            value *= SCALES[m.group(3)]
        return value
    total = 0.0
    current = 0.0
    seen = False
    for word in t.replace(" and ", " ").split():
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in SCALES:
            total += (current or 1) * SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def format_number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
