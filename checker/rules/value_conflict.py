"""Rule kind ``value_conflict``: sources give values for the same thing that cannot both be true.

Claims are blocked on ``block_by`` columns (``head`` is the attribute's noun without its verb,
so "count|charged" meets "count" but "people|killed" never meets "people|injured";
``generic_attributes`` align with any head), aligned by shared context words
(``min_shared_words``, then ``min_context_jaccard`` or the overlap coefficient
``min_context_overlap``, words compared on their first ``word_prefix`` letters, or the whole
sentences nearly the same: ``min_sentence_overlap``), and two aligned claims from different
articles conflict when their value ranges do not overlap after widening by
``relative_tolerance`` / ``absolute_tolerance``. All conflicting claims of one aligned group
become one finding, citing every source.

Ranges keep the qualifiers and granularity: "at least 10" is [10, inf), "about 100" is
[90, 110], "early March" is March 1-10, "over a week" is more than 7 days. The same hedge around
different figures ("up to 120 days" / "up to 180 days") is a conflict; two figures hedged both
ways ("about", "some") agree only within a tenth of each other: "about 100" / "about 107" agree,
"some 60" / "some 72" and "about four hours" / "about five hours" do not, and an article whose
plain "four hours" fits another's "about five hours" does not thereby give that figure. Values
more than ``max_ratio`` times apart are about different things. Ages compare the birth years
they imply when both carry a year (42 in 2022, 14 in 1994 and 26 in 2006 all mean born
1979-80); the same age once at the event's year and once only at the filing year ("Lawrence,
18," filed in 1999; "an 18-year-old stabbed in 1993") is the age at the event, not two birth
years. Categorical claims (citizenship, places) conflict when one source asserts what another
negates, or, with ``exclusive``, when they name different places that are not variant
spellings and neither is a country containing the other.

Durations: a length ("stuck for five days") is never set against an offset from another event
("five hours later"), a distance in time ("10 minutes away") or the first part of a longer
period ("the first three days of the talks"); two "N later" offsets, whose starting point the
sentence does not say, are compared only when the rest of their sentences is mostly the same.

Counts: a report whose sentence adds two figures up to another's ("52 on the bus and three on
the road" / "55 killed") or gives the other's figure beside its own ("a $2 million fund --
$800,000 for the first year") does not disagree with it. Counts narrowed differently ("three
Atlanta-area bombings" / "four Southern bombings", "Argun, 10 km" / "Shali, 40 km", "110 km
southeast" / "130 km east" of one city) count different things; two distances locating one
place from one other place the same way ("the Harbor Refinery, 90 km north of Lakeport") align
however little else their sentences share. Two sentences identical apart from a figure always
align (one wire story carried twice with a figure changed). ``sole_min_shared`` aligns two
plain counts that are each the only one of their kind in their article on fewer shared words.
A report that gives both values counts as giving the other's only where that claim is at least
as close in context to the other as its own differing one (dates, ages, durations; counts keep
the looser test, as one sentence often gives two shares: "18 percent of the voters, but only
3.1 percent of the judges").

Dates: ``min_event_shared`` also aligns one-day dates of the same event (``claims/events.py``
reads it: "crashed on Oct. 31", "the Aug. 7 bombing"); two dates written with month and day
about the same person need only ``min_event_context_calendar`` shared context words, one of
them neither the deed nor the person's name ("filed for divorce July 27" / "filed for divorce
July 29", not "flew to London July 20" / "flew to Paris July 27"); two dates of a happening
listed in ``one_off_events``, which a story has once, such as a crash or an earthquake, align
on that word alone unless their sentences name different places; with ``quoted_statements``,
two statement dates, each alone in a sentence quoting one utterance, date one statement. Dates
of different known events never conflict, a statement's date ("said Sunday") is never set
against an event's ("the call Saturday"), weekdays are trusted when both articles were filed
the same day or when their names differ ("Tuesday" / "Thursday", within ``max_event_gap``
days), and with ``news_day_window`` a running story's reports each dating the event to their
own filing day are updates, not conflicts.

Labels, not silence: when the differing sources were published at different times the message
says which is later; a larger count of a ``cumulative`` attribute (killed, injured, ...) in the
later report, above every earlier figure, is likely an update and takes ``update_severity``; a
difference within ``rounding_tolerance`` where one value is round (333,333 vs 333,000) takes
``rounding_severity``.

Example (rules.yaml; cases in tests/fixtures/rules/value_conflict.yaml)::

    - id: duration-conflict
      kind: value_conflict
      severity: warning
      message: "Sources disagree on how long: {values}"
      claim_types: [duration]
      params: {block_by: [claim_type], generic_attributes: [duration], subject_as_context: true,
               max_ratio: 5, min_shared_words: 2, min_context_jaccard: 0.3, min_context_overlap: 0.5}

    PASS  "116 sailors trapped" / "116 sailors were trapped"; "March 2" / "early March";
          "U.S. citizen" / "American citizen"; "42" in 2022 / "a 14-year-old" in 1994
    FAIL  "So then I got stuck for the next five days" / "after being stuck in the country for
          over a week": 5 days vs more than 7 days, a warning
"""
from __future__ import annotations

import math
import re
from datetime import date

from claims.base import content_words, match_stem
from claims.dates import DAY_NAMES
from claims.events import base_word
from claims.gazetteer import country_of
from claims.numbers import NUMBER_RE
from checker.engine.align import (aligned_pairs, blocks, components, copy_groups, event_pairs, event_word_set,
                                  number_variant_pairs, same_but_number, word_set)
from checker.engine.context import StoryContext
from checker.engine.deadline import within_time
from checker.engine.findings import Finding, format_message
from checker.engine.options import (COUNT, FLAG, FRACTION, NON_NEGATIVE, POSITIVE, REGEXES, SEVERITY, WORDS, Option,
                                    Options, Value, choice, compiled_patterns, list_of, with_options)
from checker.engine.rule import Rule

KIND = "value_conflict"
READS = ("claims", "quote_families", "places")
BLOCK_FIELDS = ("claim_type", "subject", "attribute", "head", "unit")  # Claim fields (head: the attribute's noun)
MESSAGE_FIELDS = ("subject", "attribute", "values", "sources", "claim_type", "later")
OPTIONS = Options(
    Option("block_by", ["claim_type", "attribute"], list_of(choice(*BLOCK_FIELDS)),
           "claim fields two claims must share to be compared (head: the attribute's noun without its verb)"),
    Option("attributes", [], REGEXES, "only claims whose attribute matches one of these are compared (none: all)"),
    Option("min_shared_words", 2, COUNT, "context words two claims must share to align"),
    Option("min_context_jaccard", 0.1, FRACTION, "... and the share of all their context words the shared ones make"),
    Option("min_context_overlap", None, FRACTION.or_null(),
           "... or the share of the smaller context they make (null: not used)"),
    Option("word_prefix", None, POSITIVE.or_null(),
           "context words are compared on this many first letters (null: whole words)"),
    Option("min_sentence_overlap", None, FRACTION.or_null(),
           "also align two claims whose sentences share this share of the shorter one's content words "
           "(null: not used)"),
    Option("relative_tolerance", 0.0, NON_NEGATIVE, "values within this fraction of each other agree"),
    Option("absolute_tolerance", 0.0, NON_NEGATIVE, "values within this much of each other agree"),
    Option("rounding_tolerance", 0.02, FRACTION,
           "two counts this close (a fraction of the larger), one of them round, differ only by rounding"),
    Option("rounding_severity", "info", SEVERITY, "the severity of a difference that is only rounding"),
    Option("cumulative", ["killed", "injured", "dead", "missing", "arrested", "rescued", "evacuated", "victim"],
           REGEXES, "count attributes that grow as a story runs: a later report's higher figure is likely an update"),
    Option("update_severity", "info", SEVERITY, "the severity of such an update (a later, higher cumulative count)"),
    Option("exclusive", False, FLAG,
           "categorical values exclude each other: two different places conflict unless one contains the other"),
    Option("compare_birth_years", True, FLAG, "ages: compare the birth years they imply"),
    Option("min_claim_confidence", 0.0, FRACTION,
           "a claim the extractor is less sure of (an age bound to a person only by a pronoun) supports a "
           "finding but cannot raise one"),
    Option("confident_if_shared", None, POSITIVE.or_null(),
           "... unless the two contexts share this many words (null: never)"),
    Option("generic_attributes", [], WORDS,
           "attributes that align with any other (duration for a bare \"six days\")"),
    Option("subject_as_context", False, FLAG, "the same subject counts as one shared context word"),
    Option("max_ratio", None, Value(float, low=1).or_null(),
           "values more than this many times apart are about different things, not a conflict (null: no limit)"),
    Option("min_event_shared", None, POSITIVE.or_null(),
           "dates: also align two one-day dates whose event words share this many (null: off)"),
    Option("min_event_context", 2, COUNT, "... and whose contexts share this many words"),
    Option("min_event_context_calendar", None, COUNT.or_null(),
           "... or this many, for two dates written with month and day about the same person (null: off)"),
    Option("max_event_gap", 14, COUNT,
           "... at most this many days apart; within it two weekdays of different names raise a finding"),
    Option("news_day_window", None, COUNT.or_null(),
           "dates: reports each dating the event to its own filing day, or this many days before, are a "
           "running story's updates (null: off)"),
    Option("sole_min_shared", None, POSITIVE.or_null(),
           "counts: also align two plain counts, each the only one of its noun in its article, on this many "
           "shared words (null: off)"),
    Option("quoted_statements", False, FLAG,
           "dates: also align two statement dates whose sentences quote one utterance (needs min_event_shared)"),
    Option("one_off_events", [], WORDS,
           "dates: happenings a story has once (crash, earthquake; whole stems): two dates of one align on "
           "that word alone (needs min_event_shared)"),
)
__doc__ = with_options(__doc__, OPTIONS)


def _range(row, params) -> tuple[float, float] | None:
    extra = row.extra or {}
    if row.claim_type == "age" and params["compare_birth_years"] and extra.get("birth_low"):
        return float(extra["birth_low"]), float(extra["birth_high"])
    if row.low is None:
        if "month" in extra and "day" in extra:  # a date with no year and no reference time
            return float(extra["month"] * 100 + extra["day"]), float(extra["month"] * 100 + extra["day"])
        return None
    low, high = float(row.low), float(row.high)
    widen = max(abs(low), abs(high) if not math.isinf(high) else abs(low)) * params["relative_tolerance"]
    widen += params["absolute_tolerance"]
    return low - widen, high + widen


def _scale(row) -> str:
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


def _categorical_conflict(a, b, params) -> bool:
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
    return _hedged_both_ways(a) and _hedged_both_ways(b) and _figures_apart(a, b)


def _hedged_both_ways(row) -> bool:
    """"about 40", "some 60 miles": a figure hedged both ways ("nearly 100" is not)."""
    hedge = _hedge(row)
    return bool(hedge) and hedge[0].lower() in _BOTH_WAYS


def _figures_apart(a, b) -> bool:
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


def _numeric_conflict(a, b, params) -> str | None:
    """'conflict', 'rounding' or None when the ranges agree."""
    if _scale(a) != _scale(b) or _same_age_guessed_year(a, b):
        return None
    ra, rb = _range(a, params), _range(b, params)
    if ra is None or rb is None:
        return None
    if _overlap(ra, rb) and not _same_hedge_different_figure(a, b) and not _approximations_apart(a, b):
        return None
    if params["max_ratio"] is not None and _ratio(ra, rb) > params["max_ratio"]:
        return None  # "45 seconds" and "2 days" measure different things, whatever the words say
    if a.low == a.high and b.low == b.high and a.claim_type == "count":
        va, vb = float(a.low), float(b.low)
        # one figure is a rounded form of the other: 333,000 vs 333,333, 350 vs 354
        if abs(va - vb) <= params["rounding_tolerance"] * max(va, vb) and _trailing_zeros(va) != _trailing_zeros(vb):
            return "rounding"
    return "conflict"


def _is_numeric(row) -> bool:
    return row.low is not None or (row.extra or {}).get("month") is not None


def _confident(a, b, minimum: float, if_shared: int | None, weekday_gap: float = 0) -> bool:
    """Both claims sure enough to raise a finding. Weekdays ("on Tuesday") are unsure alone, as
    they depend on when each item was filed, but two read against the same filing day are not;
    an age bound to a person only by the sentence's topic is unsure, but two that also share
    ``if_shared`` context words ("the 51-year-old retired pilot") describe one person.

    A weekday in a story with no publication time at all cannot be placed on a calendar
    (``low`` is None): nothing says whether "Monday" and "Tuesday" lie within
    ``weekday_gap`` days of each other or weeks apart, so such weekdays stay unsure; they are
    never compared as days either (``_range``), so they raise no finding."""
    ea, eb = a.extra or {}, b.extra or {}
    if ea.get("anchor") and ea.get("anchor") == eb.get("anchor"):
        return True
    if (weekday_gap and (ea.get("weekday") or eb.get("weekday")) and a.low is not None and b.low is not None
            and abs(a.low - b.low) <= weekday_gap
            and None is not _weekday(a) != _weekday(b) is not None):
        return True  # "Tuesday" vs "Thursday" (or vs Oct. 31, a Sunday) differ whenever filed
    if if_shared and len(set(str(a.context).split()) & set(str(b.context).split()) - {"year-old"}) >= if_shared:
        return True
    return min(ea.get("confidence", 1.0), eb.get("confidence", 1.0)) >= minimum


_COMPOUND = re.compile(r"^[^-\s]+-")  # "five-story apartment" describes a thing, it does not count


def _merged(pairs: list[tuple[int, int, float]], more: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """``pairs`` and the pairs of ``more`` that it does not hold yet (the first score kept)."""
    known = {(a, b) for a, b, _ in pairs}
    return pairs + [p for p in more if (p[0], p[1]) not in known]


def _sole_pairs(rows: list, articles: dict[int, set[str]], params) -> list[tuple[int, int, float]]:
    """Pairs of plain counts ("116 sailors", "Three of the suspects"; no unit, no money, no
    "five-story") that are each the only claim of their block in every article carrying them,
    and whose contexts share
    ``sole_min_shared`` words: when each report counts suspects once, the two counts are the
    same count unless their words say otherwise."""
    per_article: dict[tuple[str, str], int] = {}
    for r in rows:
        for art in articles[r.index]:
            for key in (art, (art, r.attribute)):
                per_article[key] = per_article.get(key, 0) + 1
    # a part of a group ("Three of the suspects", attribute "suspect|of") is the only one of
    # its kind if no other part of that group is counted, whatever else counts suspects
    sole = [r for r in rows if not r.unit and not _COMPOUND.match(str(r.value))
            and all(per_article[(a, r.attribute) if str(r.attribute).endswith("|of") else a] == 1
                    for a in articles[r.index])]
    words = {r.index: word_set(r.context, params["word_prefix"]) for r in sole}
    out = []
    for i, a in enumerate(sole):
        for b in sole[i + 1:]:
            if articles[a.index] != articles[b.index] and len(words[a.index] & words[b.index]) >= params["sole_min_shared"]:
                out.append((a.index, b.index, 0.0))
    return out


def _same_role(a, b) -> bool:
    """A statement's date ("said Sunday") and an event's ("the call Saturday morning") date
    different things, however alike the sentences; so do a length ("stuck for five days") and
    an offset from some other event ("five hours later", "25 minutes after the crash")."""
    ea, eb = a.extra or {}, b.extra or {}
    return bool(ea.get("reported")) == bool(eb.get("reported")) and _span_kind(ea) == _span_kind(eb)


# durations: a length (no relation), an offset from another event, or a distance in time
_RELATION_KIND = {"later": "offset", "earlier": "offset", "after": "offset", "before": "offset",
                  "afterward": "offset", "afterwards": "offset", "away": "distance"}
_IMPLICIT_START = ("later", "earlier", "afterward", "afterwards")  # "five hours later": after what?
OFFSET_SENTENCE_OVERLAP = 0.6
_OFFSET_WORDS = set(content_words(" ".join(_IMPLICIT_START) + " seconds minutes hours days weeks months years"))


def _unanchored_offsets(a, b) -> bool:
    """Two offsets whose starting point the sentence does not say ("five hours later", "One day
    later, he ...") count from whatever each story told last: only when the rest of the two
    sentences is mostly the same ("she was freed five days later" / "where she was freed five days later")
    are they offsets of one event."""
    if not all((r.extra or {}).get("relation") in _IMPLICIT_START for r in (a, b)):
        return False
    wa, wb = (set(content_words(NUMBER_RE.sub(" ", r.sentence))) - _OFFSET_WORDS for r in (a, b))
    return not (wa and wb and len(wa & wb) >= OFFSET_SENTENCE_OVERLAP * min(len(wa), len(wb)))


def _span_kind(extra: dict) -> str | None:
    """A duration's kind: a length (None), an offset from another event, a distance in time,
    or the first or final part of a longer period ("the first three days of the talks"; "the last
    two days" stays a length, as "in the last two days" usually is)."""
    if extra.get("relation"):
        return _RELATION_KIND.get(extra["relation"])
    if str(extra.get("frame", "")).split()[-1:] in (["first"], ["final"]):
        return "part"
    return None


def _same_scope(a, b) -> bool:
    """Counts narrowed differently count different things: "three Atlanta-area bombings" and
    "four Southern bombings"; "Argun, 10 kilometers" and "Shali, 40 kilometers" from one city;
    "110 km southeast" and "130 km east" of it. A count with no narrowing words ("116 sailors")
    fits any."""
    if a.claim_type != "count":
        return True
    ea, eb = a.extra or {}, b.extra or {}
    for key in ("modifiers", "heading"):
        if ea.get(key) and eb.get(key) and not _name_words(ea[key]) & _name_words(eb[key]):
            return False
    # places and origins are names: "Al Kut" and "Al Amarah" share a word but not a place
    return all(_same_place(ea[key], eb[key]) for key in ("place", "from") if ea.get(key) and eb.get(key))


def _name_words(text: str) -> set[str]:
    """The words of a narrowing phrase, lower-cased, without the "of the" that joins two names
    ("Harbor Refinery of the National Oil Company")."""
    return set(text.lower().split()) - {"of", "the"}


def _same_place(a: str, b: str) -> bool:
    """One name holds the other's words: "Harbor Refinery" is "the Harbor Refinery of the
    National Oil Company"; "San Miguel" is not "San Vicente"."""
    wa, wb = _name_words(a), _name_words(b)
    return bool(wa and wb) and (wa <= wb or wb <= wa)


def _located_pairs(rows: list, articles: dict[int, set[str]]) -> list[tuple[int, int, float]]:
    """Pairs of distances that locate one place from one other place the same way ("the Harbor
    Refinery, about 90 kilometers north of Lakeport" in both reports), however little else
    their sentences share: the two names and the heading say what is measured (``_same_scope``)."""
    located = [r for r in rows if all((r.extra or {}).get(k) for k in ("place", "heading", "from"))]
    return [(a.index, b.index, 0.0) for i, a in enumerate(located) for b in located[i + 1:]
            if articles[a.index] != articles[b.index] and _same_scope(a, b)]


def _dated_event_pairs(rows, row_of, articles, copies, ctx, params, one_off) -> list[tuple[int, int, float]]:
    """Pairs of one-day dates aligned by what they are the dates of, however little else their
    sentences share: the same event word and ``min_event_context`` context words; for two
    calendar dates of one person's deed, ``min_event_context_calendar`` words, one of them
    neither the deed nor the person's name ("filed for divorce July 29"); for a happening a
    story has once (``one_off_events``), that word, unless the two sentences name different
    places; with ``quoted_statements``, the sentences quoting one utterance."""
    prefix = params["word_prefix"]
    days = [r for r in rows if _one_day(r)]
    out = event_pairs(days, params["min_event_shared"], params["min_event_context"], prefix=prefix, articles=articles)
    calendar = params["min_event_context_calendar"]
    if calendar is not None and calendar < params["min_event_context"]:
        for a, b, j in event_pairs([r for r in days if _calendar_day(r)], params["min_event_shared"], calendar,
                                   prefix=prefix, articles=articles):
            ra, rb = row_of[a], row_of[b]
            names = word_set(" ".join(content_words(ra.subject)), prefix)
            if ra.subject and ra.subject == rb.subject and _other_shared(ra, rb, prefix, names):
                out.append((a, b, j))
    if one_off:
        # every date here names such a happening: its word is common by design, not boilerplate
        dated = [r for r in days if event_word_set(r) & one_off]
        out += [(a, b, j) for a, b, j in event_pairs(dated, params["min_event_shared"], 0, prefix=prefix,
                                                     articles=articles, max_df=1.0)
                if not _placed_apart(row_of[a], row_of[b], ctx)]
    if params["quoted_statements"]:
        out += [(a, b, 0.0) for a, b in sorted(_quoted_pairs(days, articles, copies, ctx))]
    return out


def _placed_apart(a, b, ctx) -> bool:
    """Each sentence names places and none is the other's: "a bomb exploded Monday in Varna"
    and "a bomb exploded Wednesday in Ruse" are two bombings."""
    pa, pb = ctx.places_in(a.article, a.sentence_index), ctx.places_in(b.article, b.sentence_index)
    return bool(pa and pb) and not any(_same_place(x, y) for x in pa for y in pb)


def _other_shared(a, b, prefix: int | None, also_not: set[str] = frozenset()) -> bool:
    """The two contexts share a word besides the event words and those of ``also_not`` (a
    person's name): "filed for divorce July 27" meets "filed for divorce July 29"; "flew to
    London July 20" is not "flew to Paris July 27"."""
    shared = {base_word(w) for w in str(a.context).split()} & {base_word(w) for w in str(b.context).split()}
    return bool(word_set(" ".join(shared), prefix) - event_word_set(a, prefix) - event_word_set(b, prefix)
                - also_not)


def _quoted_pairs(days: list, articles: dict[int, set[str]], copies: dict[int, list], ctx) -> set[tuple[int, int]]:
    """Pairs of statement dates ("said Sunday", "Speaking to state radio Sunday night"), each
    the only one in its sentence, whose two sentences quote one utterance (a quote family,
    ``checker.quote_families``): "Asked Wednesday whether the pair were spies, Lund said, 'Each
    of our citizens matters to us'" and "In an interview on state radio Sunday night, Lund said
    that 'each of our citizens matters to us'" date one statement, however little else the
    sentences share. A date of anything else in such a sentence ("Lund, who arrives on Friday,
    said ...") is left to the other tests."""
    by_sentence: dict[tuple[str, int], list[int]] = {}
    for r in days:
        if (r.extra or {}).get("reported"):
            for copy in copies[r.index]:  # a copy may sit at another place in its article
                by_sentence.setdefault((copy.article, copy.sentence_index), []).append(r.index)
    lone = {key: found[0] for key, found in by_sentence.items() if len(found) == 1}
    if len(lone) < 2:
        return set()
    out: set[tuple[int, int]] = set()
    for family in ctx.quote_families():
        dated = sorted({lone[key] for key in {(p.article, p.row.sentence_index) for p in family.pieces}
                        if key in lone})
        out.update((a, b) for i, a in enumerate(dated) for b in dated[i + 1:] if articles[a] != articles[b])
    return out


def _different_events(a, b, prefix: int | None) -> bool:
    """Two dates whose event words are both known and share none date different events:
    "the 1994 slayings" and "acquitted Simpson in 1995"."""
    ea, eb = (a.extra or {}).get("event"), (b.extra or {}).get("event")
    if not ea or not eb:
        return False
    return not word_set(ea, prefix) & word_set(eb, prefix)


def _own_news_days(a, b, ctx, window: int) -> bool:
    """Each report dates the event to its own filing day (or up to ``window`` days before), the
    later report to the later day: "troops continued attacks Friday" filed Friday and "troops
    Tuesday continued attacks" filed Tuesday are a running story's daily updates, not a
    disagreement about one day."""
    if not (_one_day(a) and _one_day(b)):
        return False
    pa, pb = ctx.articles[a.article].published, ctx.articles[b.article].published
    if pa is None or pb is None or pa.date() == pb.date():
        return False
    da, db = int(a.low), int(b.low)
    own_a = 0 <= pa.date().toordinal() - da <= window
    own_b = 0 <= pb.date().toordinal() - db <= window
    return own_a and own_b and (da < db) == (pa < pb)


def _one_day(row) -> bool:
    """A date claim naming one day ("Oct. 31", "Tuesday"), not a month, year or span."""
    return (row.extra or {}).get("granularity") == "day" and row.low is not None and row.low == row.high


def _calendar_day(row) -> bool:
    """A one-day date written with its month and day ("July 29", "Oct. 31"), not a weekday
    resolved to one: the writer named the very day, so less context is needed to pair it."""
    extra = row.extra or {}
    return _one_day(row) and "month" in extra and "day" in extra and not extra.get("weekday")


def _weekday(row) -> str | None:
    """The weekday a one-day date claim names or falls on."""
    extra = row.extra or {}
    if extra.get("weekday"):
        return extra["weekday"]
    if row.claim_type == "date" and _one_day(row):
        return DAY_NAMES[date.fromordinal(int(row.low)).weekday()]
    return None


def _compatible(a: str, b: str, generic: list[str]) -> bool:
    """The same head noun (or one of them generic, like a bare "duration"), and the same verb:
    "people|killed" and "people|injured" count different things; a missing verb fits any."""
    ha, _, va = str(a).partition("|")
    hb, _, vb = str(b).partition("|")
    if ha != hb and ha not in generic and hb not in generic:
        return False
    return not va or not vb or va == vb


def _matches(attribute: str, patterns: list) -> bool:
    """Whether the attribute matches one of the compiled (RE2) patterns; no patterns match all."""
    return not patterns or any(p.search(attribute) for p in patterns)



def _block_key(fields: list[str]):
    """The block key: claim fields, where "head" is the attribute's head noun ("people" of
    "people|killed")."""
    def value(claim, name):
        return str(claim.attribute).split("|")[0] if name == "head" else getattr(claim, name)
    return lambda claim: tuple(value(claim, name) for name in fields)


def check(rule: Rule, ctx: StoryContext) -> list[Finding]:
    params = rule.params
    claims = ctx.claims_of(rule.claim_types)
    if params["attributes"]:  # (no patterns: every claim matches)
        wanted = compiled_patterns(params["attributes"])
        claims = [c for c in claims if _matches(c.attribute, wanted)]
    if not claims:
        return []
    findings: list[Finding] = []
    # full stems, not prefixes: "explored" is no explosion, "disappointed" no disappearance
    one_off = frozenset(word_set(" ".join(match_stem(w) for w in params["one_off_events"])))
    for _, rows in blocks(claims, _block_key(params["block_by"])):
        # a claim repeated word for word by several articles is compared once, as one claim
        # stated by all of them; its finding cites every copy
        copies = copy_groups(rows)
        rows = [members[0] for members in copies.values()]
        row_of = {r.index: r for r in rows}
        articles = {i: {c.article for c in members} for i, members in copies.items()}
        pairs = aligned_pairs(rows, params["min_shared_words"], params["min_context_jaccard"],
                              min_overlap=params["min_context_overlap"], prefix=params["word_prefix"],
                              min_sentence_overlap=params["min_sentence_overlap"],
                              subject_counts=params["subject_as_context"], articles=articles)
        pairs = _merged(pairs, number_variant_pairs(rows, articles))
        if params["sole_min_shared"] is not None:
            pairs = _merged(pairs, _sole_pairs(rows, articles, params))
        pairs = _merged(pairs, _located_pairs(rows, articles))
        if params["min_event_shared"] is not None:
            pairs = _merged(pairs, [p for p in _dated_event_pairs(rows, row_of, articles, copies, ctx, params, one_off)
                                    if abs(row_of[p[0]].low - row_of[p[1]].low) <= params["max_event_gap"]])
        pairs = [p for p in within_time(pairs, "comparing claims")
                 if _compatible(row_of[p[0]].attribute, row_of[p[1]].attribute, params["generic_attributes"])
                 and _same_role(row_of[p[0]], row_of[p[1]]) and _same_scope(row_of[p[0]], row_of[p[1]])
                 and not _unanchored_offsets(row_of[p[0]], row_of[p[1]])
                 and not _different_events(row_of[p[0]], row_of[p[1]], params["word_prefix"])]
        conflicts: list[tuple[int, int]] = []
        kinds: dict[tuple[int, int], str] = {}
        for a_idx, b_idx, _ in within_time(pairs, "comparing claims"):
            a, b = row_of[a_idx], row_of[b_idx]
            if not _confident(a, b, params["min_claim_confidence"], params["confident_if_shared"],
                              params["max_event_gap"] if params["min_event_shared"] is not None else 0):
                continue
            kind = _numeric_conflict(a, b, params) if _is_numeric(a) else (
                "conflict" if _categorical_conflict(a, b, params) else None)
            if kind and params["news_day_window"] is not None and _own_news_days(a, b, ctx, params["news_day_window"]):
                continue
            if kind:
                conflicts.append((a_idx, b_idx))
                kinds[(a_idx, b_idx)] = kind
        neighbours: dict[int, set[int]] = {}
        for a_idx, b_idx, _ in pairs:
            neighbours.setdefault(a_idx, set()).add(b_idx)
            neighbours.setdefault(b_idx, set()).add(a_idx)
        stated = _Stated(row_of, articles, neighbours, params)
        conflicts = [c for c in conflicts if stated.disagree(*c)]
        if not conflicts:
            continue
        aligned_edges = [(a, b) for a, b, _ in pairs]
        nodes = sorted({n for pair in conflicts for n in pair})
        for group in components(nodes, [c for c in conflicts]):
            core = set(group)
            # agreeing claims aligned directly with the group are evidence too (all occurrences,
            # one finding); only direct neighbours, so the result does not depend on edge order
            group_set = core | {b if a in core else a for a, b in aligned_edges
                                if (a in core) != (b in core) and (b if a in core else a) not in nodes}
            group_rows = sorted((c for i in group_set for c in copies[i]), key=lambda c: c.index)
            findings.append(_finding(rule, group_rows, [kinds[c] for c in conflicts if c[0] in group_set], ctx))
    return findings


def _same_figure(a, b, params) -> bool:
    """The two ranges overlap (not merely too far apart to compare, as ``max_ratio`` allows)."""
    ra, rb = _range(a, params), _range(b, params)
    return _scale(a) == _scale(b) and ra is not None and rb is not None and _overlap(ra, rb)


class _Stated:
    """Whether an article also gives a claim's value: then the two values are two facts of one
    story ("$450,000 ... $150,000 of that" in both), not a disagreement between sources."""

    def __init__(self, row_of: dict, articles: dict[int, set[str]], neighbours: dict[int, set[int]], params):
        self.row_of, self.articles, self.neighbours, self.params = row_of, articles, neighbours, params
        self._memo: dict[tuple[str, int, int], bool] = {}
        self.by_sentence: dict[tuple[str, str], list] = {}
        for r in row_of.values():
            self.by_sentence.setdefault((r.article, r.sentence), []).append(r)

    def _beside(self, a, b) -> bool:
        """``a``'s sentence also gives ``b``'s figure: "a $2 million fund -- $800,000 for the
        first year" states both the total and the part another report gives."""
        return any(other is not a and _same_figure(other, b, self.params)
                   for other in self.by_sentence.get((a.article, a.sentence), ()))

    def _part_of(self, part, total) -> bool:
        """``part`` is added to another figure of its sentence to make ``total``: "all 52 people
        on the bus and three people on the road" is the "55 people killed" of another report."""
        if not (_is_numeric(part) and _is_numeric(total)) or part.low != part.high or total.low != total.high:
            return False
        return any(other is not part and other.low is not None and other.low == other.high
                   and part.low + other.low == total.low
                   for other in self.by_sentence.get((part.article, part.sentence), ()))

    def disagree(self, a_idx: int, b_idx: int) -> bool:
        """Some article carrying claim a and another carrying b, neither of which gives the
        other's value too."""
        a, b = self.row_of[a_idx], self.row_of[b_idx]
        if same_but_number(a, b):
            return True  # one copy with a figure changed: what else each article says is beside the point
        if a.claim_type == "count" and (self._part_of(a, b) or self._part_of(b, a)
                                        or self._beside(a, b) or self._beside(b, a)):
            return False
        free_a = {x for x in self.articles[a_idx] if not self.states(x, b_idx, a_idx)}
        free_b = {y for y in self.articles[b_idx] if not self.states(y, a_idx, b_idx)}
        return bool(free_a and free_b and (len(free_a) > 1 or free_a != free_b))

    def states(self, article: str, target_idx: int, rival_idx: int) -> bool:
        key = (article, target_idx, rival_idx)
        if key not in self._memo:
            self._memo[key] = self._states(article, target_idx, rival_idx)
        return self._memo[key]

    def _closeness(self, a, b) -> int:
        prefix = self.params["word_prefix"]
        return len(word_set(a.context, prefix) & word_set(b.context, prefix))

    def _states(self, article: str, target_idx: int, rival_idx: int) -> bool:
        """Whether ``article`` gives the target's value, in a claim at least as close to the
        target as the article's rival claim: a report that says "24 hours of phone calls" and
        later "20 hours of tape" has its counterpart of another's "20 hours of recorded phone
        calls" in the first, and disagrees."""
        if article in self.articles[target_idx]:  # a copy of the same sentence
            return True
        target, rival = self.row_of[target_idx], self.row_of[rival_idx]
        # (counts keep the looser test: one sentence often gives two shares of one whole)
        rival_closeness = self._closeness(rival, target) if target.claim_type != "count" else 0
        for index in self.neighbours.get(target_idx, ()):
            if article not in self.articles[index]:
                continue
            r = self.row_of[index]
            if rival_closeness and r.sentence != rival.sentence and self._closeness(r, target) < rival_closeness:
                continue
            if r.sentence == target.sentence:
                return True
            if _is_numeric(r) and _is_numeric(target):
                # "four hours" fits "about five hours" but does not give it
                hedged = _hedged_both_ways(r) or _hedged_both_ways(target)
                if _scale(r) == _scale(target) and _numeric_conflict(r, target, self.params) is None \
                        and not (hedged and _figures_apart(r, target)):
                    return True
            elif str(r.normalized) == str(target.normalized) and r.negated == target.negated:
                return True
        return False


def _finding(rule, rows: list, pair_kinds: list[str], ctx) -> Finding:
    params = rule.params
    by_value: dict[str, list[str]] = {}
    for row in rows:
        by_value.setdefault(str(row.normalized), [])
        if row.article not in by_value[str(row.normalized)]:
            by_value[str(row.normalized)].append(row.article)
    values_text = " vs ".join(f"{value} ({ctx.sources(arts)})" for value, arts in by_value.items())
    severity = rule.severity
    notes = []
    if all(k == "rounding" for k in pair_kinds):
        severity = params["rounding_severity"]
        notes.append("the values differ only by rounding")
    ranked = _later_value(rows, ctx)
    if ranked:
        later_value, later_articles = ranked
        notes.append(f"the later report ({ctx.sources(later_articles)}) says {later_value}")
        attr = str(rows[0].attribute)
        if rows[0].claim_type == "count" and any(p.search(attr) for p in compiled_patterns(params["cumulative"])):
            later_lows = [r.low for r in rows if r.article in later_articles and r.low is not None]
            earlier_highs = [r.high for r in rows if r.article not in later_articles and r.high is not None]
            if later_lows and earlier_highs and min(later_lows) > max(earlier_highs):  # above every earlier figure
                severity = params["update_severity"]
                notes.append("a rising count in a later report is likely an update")
    first = rows[0]
    attribute = str(first.attribute).replace("|", " ")
    message = format_message(rule.message, 
        subject=first.subject or "the story", attribute=attribute, values=values_text,
        sources=ctx.sources([r.article for r in rows]), claim_type=first.claim_type,
        later="; ".join(notes))
    if notes and "{later}" not in rule.message:
        message += " (" + "; ".join(notes) + ")"
    distinct = sorted(by_value)
    return Finding(rule=rule.id, kind=KIND, severity=severity, claim_type=str(first.claim_type),
                   subject=str(first.subject), message=message,
                   evidence=[ctx.evidence(r) for r in rows],
                   key=(str(first.attribute), *distinct), confidence=0.7 if severity == "info" else 0.8,
                   details={"values": by_value, "notes": notes})


def _later_value(rows, ctx):
    """(value, articles) of the latest-published side when the sides' publication times differ."""
    dated = [(ctx.articles[r.article].published, str(r.normalized), r.article) for r in rows
             if ctx.articles[r.article].published]
    if len({d[1] for d in dated}) < 2:
        return None
    latest = max(d[0] for d in dated)
    latest_values = {d[1] for d in dated if d[0] == latest}
    earliest = min(d[0] for d in dated)
    if len(latest_values) != 1 or latest == earliest:
        return None
    value = latest_values.pop()
    return value, sorted({d[2] for d in dated if d[1] == value and d[0] == latest})

