"""Whether two values can both be true: the ranges claims stand for, compared.

A claim's value is a range, not a point: "at least 10" is [10, inf), "about 100" is [90, 110],
"early March" is March 1-10, "over a week" is more than 7 days; an age is the span of birth
dates it implies. Two values of one fact conflict when their ranges do not meet after the
tolerances a rule allows, with the finer tests news needs: the same hedge around different
figures ("up to 120 days" / "up to 180 days") is a conflict; two figures hedged both ways
("about", "some") agree only within a tenth of each other; values more than ``max_ratio`` times
apart are about different things; a count that is a rounded form of another (333,000 /
333,333) differs only by rounding. Categorical values (citizenship, places) conflict when one
source asserts what another negates, or, ``exclusive``, when they name different places that
are neither variant spellings nor one inside the other.

``params`` are a value rule's options (``checker.rules.value_conflict``): relative_tolerance,
absolute_tolerance, rounding_tolerance, max_ratio, compare_birth_years, exclusive. The story
fact model (``checker.engine.facts``) asks the same question to keep two facts apart.
"""
from __future__ import annotations

import math
import re
from datetime import date

from claims.gazetteer import country_of


def value_range(row, params) -> tuple[float, float] | None:
    """The range a claim's value stands for, widened by the tolerances; an age's is the span of
    days its holder can have been born on; None when the value is no range."""
    extra = row.extra or {}
    if row.claim_type == "age" and params["compare_birth_years"] and extra.get("birth_low"):
        return birth_span(row)
    if row.low is None:
        if "month" in extra and "day" in extra:  # a date with no year and no reference time
            return float(extra["month"] * 100 + extra["day"]), float(extra["month"] * 100 + extra["day"])
        return None
    low, high = float(row.low), float(row.high)
    widen = max(abs(low), abs(high) if not math.isinf(high) else abs(low)) * params["relative_tolerance"]
    widen += params["absolute_tolerance"]
    return low - widen, high + widen


def birth_span(row) -> tuple[float, float] | None:
    """The first and last day (ordinals) its holder can have been born on, for an age known to
    hold on a day (the report's) or only in a year (one its sentence names): 38 on 10 April 2007
    is born 11 April 1968 to 10 April 1969; 38 in 1993 is born 1954-01-01 to 1955-12-31."""
    extra, age = row.extra, int(row.low)
    try:
        if extra.get("as_of_day"):
            day = date.fromisoformat(extra["as_of_day"])
            return float(_years_before(day, age + 1).toordinal() + 1), float(_years_before(day, age).toordinal())
        return float(date(int(extra["birth_low"]), 1, 1).toordinal()), float(date(int(extra["birth_high"]), 12, 31).toordinal())
    except ValueError:  # a birth before the calendar's first year: no age to compare
        return None


def _years_before(day: date, years: int) -> date:
    if day.month == 2 and day.day == 29:
        day = day.replace(day=28)  # 29 February, in a year that may lack one
    return day.replace(year=day.year - years)


def scale(row) -> str:
    """Values compare only on the same scale: birth years, ordinals, month*100+day, amounts."""
    extra = row.extra or {}
    if row.claim_type == "age":
        return "birth" if extra.get("birth_low") else "age"
    if row.claim_type == "date":
        return "ordinal" if row.low is not None else "monthday"
    return row.unit or ""


def _trailing_zeros(value: float) -> int:
    digits = str(int(value)) if float(value).is_integer() else "1"
    return len(digits) - len(digits.rstrip("0"))


def categorical_conflict(a, b, params) -> bool:
    if a.negated != b.negated:
        return a.normalized == b.normalized
    if a.negated or not params["exclusive"] or a.normalized == b.normalized:
        return False
    na, nb = str(a.normalized), str(b.normalized)
    if na in nb or nb in na:
        return False
    countries = {country_of(a.value.split(",")[-1].strip()), country_of(b.value.split(",")[-1].strip())}
    return None in countries or len(countries) > 1 and not (country_of(a.value) or country_of(b.value))


_TWO_SIDED = {"about", "around", "approximately", "roughly", "some", "~", "nearly", "almost", "close to"}


_BOTH_WAYS = _TWO_SIDED - {"nearly", "almost"}  # "nearly 100" is at most 100


_HEDGED = re.compile(r"^(?P<hedge>[^\d$]+)(?P<number>[$\d][\d,.]*)\s*(?P<unit>.*)$")


def _hedge(row) -> tuple[str, str, str] | None:
    """(hedge, figure, unit) of a hedged value ("about 40 km" -> "about", "40", "km")."""
    m = _HEDGED.match(str(row.normalized))
    return (m.group("hedge").strip(), m.group("number"), m.group("unit")) if m else None


def _overlap(ra: tuple[float, float], rb: tuple[float, float]) -> bool:
    return ra[0] <= rb[1] and rb[0] <= ra[1]


def _same_hedge_different_figure(a, b) -> bool:
    """"up to 120 days" / "up to 180 days", "about 40" / "about 52": the ranges overlap, but the
    two sources hedge the same way around different figures, so they report different figures."""
    ha, hb = _hedge(a), _hedge(b)
    if not ha or not hb or ha[0] != hb[0]:
        return False
    if ha[0].lower() in _TWO_SIDED:
        return False  # "about 100" and "about 107" can both be right: their ranges say so
    return ha[2] == hb[2] and ha[1] != hb[1]


APPROX_AGREE = 0.1  # two figures hedged both ways agree when this close ("about 100" / "about 107")


def _approximations_apart(a, b) -> bool:
    """"some 60 miles" / "some 72 miles", "about four hours" / "about five hours": both figures
    hedged both ways and more than ``APPROX_AGREE`` apart, so the sources give different
    estimates, though each hedge's range reaches the other ("about 100" / "about 107" agree:
    107 is about 100)."""
    return hedged_both_ways(a) and hedged_both_ways(b) and figures_apart(a, b)


def hedged_both_ways(row) -> bool:
    """"about 40", "some 60 miles": a figure hedged both ways ("nearly 100" is not)."""
    hedge = _hedge(row)
    return bool(hedge) and hedge[0].lower() in _BOTH_WAYS


def figures_apart(a, b) -> bool:
    """The two stated figures (a hedged duration's: the middle of its range) are more than
    ``APPROX_AGREE`` apart."""
    pa, pb = ((a.extra or {}).get("number"), (b.extra or {}).get("number"))
    if pa is None or pb is None:  # durations: the middle of a range hedged both ways
        pa, pb = (a.low + a.high) / 2, (b.low + b.high) / 2
    if math.isinf(pa) or math.isinf(pb):
        return False
    return abs(pa - pb) > APPROX_AGREE * max(abs(pa), abs(pb))


def _ratio(ra: tuple[float, float], rb: tuple[float, float]) -> float:
    """How many times larger one range's nearest finite end is than the other's."""
    def point(r):
        finite = [v for v in r if not math.isinf(v) and v > 0]
        return sum(finite) / len(finite) if finite else None
    pa, pb = point(ra), point(rb)
    if not pa or not pb:
        return 1.0
    return max(pa, pb) / min(pa, pb)


def _same_age_guessed_year(a, b) -> bool:
    """"Lawrence, 18," filed in 1999 and "an 18-year-old stabbed in 1993": the same age, whose
    year one report only implies by its filing date, is the age at the event, not two birth years."""
    if not (a.claim_type == b.claim_type == "age" and a.low == b.low):
        return False
    guessed, stated = sorted((a, b), key=lambda r: (r.extra or {}).get("as_of_basis") != "published")
    return (guessed.extra or {}).get("as_of_basis") == "published" and \
        (stated.extra or {}).get("as_of_basis") == "sentence" and \
        stated.extra["as_of"] <= guessed.extra["as_of"]


def numeric_conflict(a, b, params) -> str | None:
    """'conflict', 'rounding' or None when the ranges agree."""
    return numeric_verdict(a, b, params)[0]


def numeric_verdict(a, b, params) -> tuple[str | None, str]:
    """(``numeric_conflict``'s answer, why): the why is one of ``VERDICT_REASONS`` (what
    ``claimcheck explain`` says about two values)."""
    if scale(a) != scale(b):
        return None, "scale"
    if _same_age_guessed_year(a, b):
        return None, "age at the event"
    ra, rb = value_range(a, params), value_range(b, params)
    if ra is None or rb is None:
        return None, "no range"
    if _overlap(ra, rb):
        if _same_hedge_different_figure(a, b):
            reason = "same hedge"
        elif _approximations_apart(a, b):
            reason = "approximations apart"
        else:
            return None, "overlap"
    else:
        reason = "apart"
    if params["max_ratio"] is not None and _ratio(ra, rb) > params["max_ratio"]:
        return None, "max_ratio"  # "45 seconds" and "2 days" measure different things, whatever the words say
    if a.low == a.high and b.low == b.high and a.claim_type == "count":
        va, vb = float(a.low), float(b.low)
        # one figure is a rounded form of the other: 333,000 vs 333,333, 350 vs 354
        if abs(va - vb) <= params["rounding_tolerance"] * max(va, vb) and _trailing_zeros(va) != _trailing_zeros(vb):
            return "rounding", "rounding_tolerance"
    return "conflict", reason


# why two values do or do not conflict (``numeric_verdict``), in words
VERDICT_REASONS = {
    "scale": "they are on different scales (one is not comparable with the other)",
    "age at the event": "the same age, one report dating it only by its filing year: the age at the event",
    "no range": "one of them is no range that can be compared",
    "overlap": "their ranges overlap (after the tolerances)",
    "same hedge": "both hedge the same way around different figures",
    "approximations apart": "both are approximations, more than a tenth apart",
    "apart": "their ranges do not overlap (after the tolerances)",
    "max_ratio": "they are more than max_ratio times apart: about different things",
    "rounding_tolerance": "one is a rounded form of the other (within rounding_tolerance)",
}


def is_numeric(row) -> bool:
    return row.low is not None or (row.extra or {}).get("month") is not None


def same_figure(a, b, params) -> bool:
    """The two ranges overlap (not merely too far apart to compare, as ``max_ratio`` allows)."""
    ra, rb = value_range(a, params), value_range(b, params)
    return scale(a) == scale(b) and ra is not None and rb is not None and _overlap(ra, rb)
