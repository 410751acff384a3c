"""Durations: how long something lasted or will last ("the next five days", "over a week").

Each claim's ``low``/``high`` is the range of the duration in seconds (``unit`` "s"; an open
upper bound is ``float('inf')``); ``normalized`` is a short human form. What is recognised::

    PASS  "stuck for the next five days"    5 days            frame=next
    PASS  "stuck for over a week"           >7 days           qualifier=over (low 7 days, high inf)
    PASS  "less than 3 weeks"               <21 days          low 0
    PASS  "at least three days"             >=3 days
    PASS  "nearly two hours"                ~2 hours          [0.8 x, x]
    PASS  "about 10 minutes"                ~10 minutes       [0.9 x, 1.1 x], as for counts: "about
                                            six months" is not "five months"
    PASS  "in 36 seconds", "for two years"  36 seconds, 2 years   (the preposition is not in the value)
    PASS  "a couple of days"                2-3 days
    PASS  "several days", "a few weeks"     3-7 days, 2-4 weeks
    PASS  "two to three weeks", "5-6 hours" 2-3 weeks, 5-6 hours
    PASS  "an hour and a half"              1.5 hours
    PASS  "2 minutes and 40 seconds"        2 minutes 40 seconds (160 s): adjacent exact amounts in
                                            falling units are one duration, extra parts=[...]
    PASS  "23-hour train ride"              23 hours          value "23-hour", attribute "ride"
    PASS  "a weeklong strike"               1 week            attribute "strike"
    PASS  "the past week"                   7 days            frame=past (no number: one unit)
    FAIL  "three weeks ago"                 a date (claims.dates), not a duration
    FAIL  "42-year-old", "14 years old"     ages
    FAIL  "5-year-old son", "years of age"  ages
    FAIL  "24 hours a day", "twice a week"  rates
    FAIL  "for years", "for hours"          no number
    FAIL  "One day, he..."                  means 'some day' (see below)
    FAIL  "the next day"                    a date, not a length of time
    FAIL  "a second explosion"              an ordinal ("for a second" is kept)

``normalized`` keeps the written unit, except that a single number of weeks is given in days
(so "over a week" and "eight days" read alike: ">7 days"); fuzzy counts and ranges keep the
written unit ("2-4 weeks"). Months are a twelfth of a 365.25-day year, so "12 months" and
"a year" are the same number of seconds.

Time allowed for a deed is a deadline and reads as "within": "gave his wife 14 days to transfer
the money" is "<=14 days", as "within 14 days" is (not "took six days to complete", nor "gave 20
years to the orchestra").

"one day"/"one night" counts only when framed as a length: preceded by a framing word (for, in,
over, within, after, than, about, nearly, spent, took, lasted, another, the next/past...) or
followed by later/earlier/after/before/long/of. Otherwise ("One day, he...") it means 'some day'
and is skipped.

``attribute`` is "duration", except for compound adjectives ("23-hour train ride"), where it is
the head noun they modify ("ride"): the next content word, or the one after it when the first is
singular and the second is a lowercase word that is not a preposition, a common verb or an
-ed/-ly/-ing form ("train ride" -> ride, "talks began" -> talks, "drama surrounding" -> drama).
``context`` (the words around the value, filled in by ``ExtractContext.claim``)
is what lines durations up across sources: "stuck for the next five days" and "stuck in the
country for over a week" both carry "stuck".

The quantity helpers (``QUANTITY``, ``quantity_range``, ``UNIT_SECONDS``) are shared with
``claims.dates`` for "three weeks ago".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from claims.base import has_any, keyword_text
from claims.context import ExtractContext
from claims.model import Claim, Document, Sentence
from claims.numbers import NUMBER, format_number, parse_number
from claims.lazy_re import lazy_compile

CLAIM_TYPE = "duration"
# Durations align on the words right beside them ("got stuck for the next five days" /
# "stuck in the country for over a week"); a wider window mostly adds unrelated words.
CONTEXT_WINDOW = 30

DAY = 86_400
YEAR = 31_557_600  # 365.25 days
UNIT_SECONDS = {
    "second": 1, "minute": 60, "hour": 3_600, "day": DAY, "night": DAY, "week": 7 * DAY,
    "fortnight": 14 * DAY, "month": YEAR // 12, "year": YEAR, "decade": 10 * YEAR,
    "century": 100 * YEAR,
}
_UNIT_ALIASES = {"sec": "second", "secs": "second", "min": "minute", "mins": "minute",
                 "hr": "hour", "hrs": "hour", "yr": "year", "yrs": "year", "centuries": "century"}

UNIT = (r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|fortnights?|months?"
        r"|years?|yrs?|decades?|century|centuries)\b")

# Vague counts that are still bounded: (low, high) number of units.
FUZZY = {"a few": (2, 4), "few": (2, 4), "several": (3, 7), "a couple of": (2, 3),
         "a couple": (2, 3), "couple of": (2, 3)}
_FUZZY = r"a\s+few|a\s+couple(?:\s+of)?|couple\s+of|several|few"

# One alternation, so no quantifier is nested inside another: the text is untrusted.
QUANTITY = (
    rf"(?:between\s+(?P<b1>{NUMBER})\s+and\s+(?P<b2>{NUMBER})"
    rf"|(?P<n1>{NUMBER})(?P<frac>\s+1/2|\s?½)?(?:\s?(?:-|–|to|or)\s?(?P<n2>{NUMBER}))?(?P<half1>\s+and\s+a\s+half)?"
    rf"|(?P<fuzzy>{_FUZZY})|(?P<halfa>half\s+an?|a\s+half)|(?P<art>an?))"
)

_QUALIFIERS = {
    # qualifier -> how it bends the stated amount x: (low factor, high factor, prefix)
    "more than": (1, None, ">"), "over": (1, None, ">"), "longer than": (1, None, ">"),
    "upwards of": (1, None, ">"), "in excess of": (1, None, ">"), "just over": (1, None, ">"),
    "well over": (1, None, ">"), "a little over": (1, None, ">"),
    "a little more than": (1, None, ">"), "at least": (1, None, ">="),
    "no less than": (1, None, ">="), "not less than": (1, None, ">="),
    "less than": (0, 1, "<"), "fewer than": (0, 1, "<"), "shorter than": (0, 1, "<"),
    "under": (0, 1, "<"), "just under": (0, 1, "<"), "well under": (0, 1, "<"),
    "a little less than": (0, 1, "<"), "barely": (0, 1, "<="), "within": (0, 1, "<="),
    "up to": (0, 1, "<="), "at most": (0, 1, "<="), "no more than": (0, 1, "<="),
    "not more than": (0, 1, "<="), "as long as": (0, 1, "<="), "as much as": (0, 1, "<="),
    "about": (0.9, 1.1, "~"), "around": (0.9, 1.1, "~"), "approximately": (0.9, 1.1, "~"),
    "roughly": (0.9, 1.1, "~"), "some": (0.9, 1.1, "~"), "an estimated": (0.9, 1.1, "~"),
    "nearly": (0.8, 1, "~"), "almost": (0.8, 1, "~"), "close to": (0.8, 1, "~"),
    "not quite": (0.8, 1, "~"),
}
_QUAL = (r"(?:just|well|a\s+little|not)\s+(?:over|under|more\s+than|less\s+than|quite)"
         r"|more\s+than|less\s+than|fewer\s+than|longer\s+than|shorter\s+than|upwards\s+of"
         r"|in\s+excess\s+of|at\s+least|at\s+most|up\s+to|no\s+(?:more|less)\s+than"
         r"|not\s+(?:more|less)\s+than|close\s+to|as\s+(?:long|much)\s+as|an\s+estimated"
         r"|nearly|almost|about|around|approximately|roughly|some|over|under|barely|within")
_FRAME = (r"(?:the|these|those)\s+(?:next|past|last|previous|following|first|final|coming"
          r"|preceding|entire|whole|full|ensuing|remaining)"
          r"|another|a\s+further|an?\s+(?:additional|extra|full|whole|entire)")
# Frames under which a bare unit means one of it ("the past week"); "the next day" is a date.
_ONE_UNIT_FRAMES = {"past", "whole", "entire", "full"}

# A duration is found from its unit word, then the words before it are read back from there:
# scanning for the (rarer, cheaper) unit first keeps the whole pass fast.
UNIT_RE = lazy_compile(rf"(?<![A-Za-z])(?P<unit>{UNIT})(?P<half2>\s+and\s+a\s+half)?(?P<long>-long\b)?", re.I)
_UNIT_RE_LOWER = lazy_compile(UNIT_RE.pattern)  # the same on lower-cased ASCII text, without slow IGNORECASE
PREFIX_RE = lazy_compile(
    rf"(?<![\w$£€.,:/'-])(?:(?P<qual>{_QUAL})\s+)?(?:(?P<frame>{_FRAME})\s+)?"
    rf"(?:{QUANTITY}\s?(?P<hy>-)?\s?)?\Z",
    re.IGNORECASE,
)
PREFIX_WINDOW = 90
LONE_RE = lazy_compile(r"(?<![\w-])(?P<unit>hour|day|week|month|year|decade|night)-?long\b", re.I)

# What right after a number-and-unit makes it an age, a date or a rate rather than a duration.
_AFTER_REJECT = lazy_compile(
    r"(?:-|\s+)olds?\b|\s+of\s+age\b|\s+(?:ago|hence)\b|\s+from\s+now\b"
    r"|\s+(?:a|an|per|each|every)\s+(?:second|minute|hour|day|night|week|month|year)\b"
    r"|[\s-]+(?:trad(?:er|ers|ing)|care|school|student|job|shift|pass)\b",  # "day trader", "day care"
    re.IGNORECASE,
)
_RATE_BEFORE = lazy_compile(
    r"(?:\d[\d.,]*\d|\d|\$\S*|times|once|twice|thrice|hours|days|weeks|months|years|minutes|seconds"
    r"|miles|kilometers|kilometres|km|meters|metres|dollars|cents|pounds|euros|percent|calls"
    r"|meals|cigarettes|shifts|flights|trains|visits|sessions|classes|games|patients|people"
    r"|tons|tonnes|barrels|gallons|liters|litres)\s+$",
    re.IGNORECASE,
)
_ONE_DAY_BEFORE = lazy_compile(
    r"\b(?:for|in|over|within|after|than|about|around|nearly|almost|least|just|only|spent|spend"
    r"|spends|spending|took|take|takes|taking|last|lasted|lasts|lasting|another|during|up\s+to"
    r"|under|by|extra|additional|full|whole|entire|past|next|first|final|previous|following"
    r"|missing|lost|wasted|gained|saved)\s+$",
    re.IGNORECASE,
)
_ONE_DAY_AFTER = lazy_compile(r"\s+(?:later|earlier|after|before|long|of|in\s+(?:jail|prison|custody))\b", re.I)
# an offset from another event ("five hours later") or a distance ("10 minutes away"), not a length
_RELATION_AFTER = lazy_compile(r"\s+(later|earlier|after|before|afterwards?|away)\b", re.I)
_LENGTH_VERB_BEFORE = lazy_compile(
    r"\b(?:wait|waits|waited|waiting|took|takes|take|spent|spend|spends|lasted|lasts|for)\s+"
    r"(?:only\s+|just\s+|about\s+|nearly\s+|almost\s+|at\s+least\s+|more\s+than\s+)?$", re.I)
_NEXT_WORDS = lazy_compile(r"\s+([A-Za-z][A-Za-z'-]*)(?:\s+([A-Za-z][A-Za-z'-]*))?")
_NOT_HEAD = lazy_compile(r"(?:ed|ly|ing)$")
_NOT_NOUNS = {
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "by", "with", "from",
    "is", "was", "are", "were", "be", "been", "that", "which", "who", "as", "it", "he", "she",
    "they", "we", "i", "you", "his", "her", "their", "its", "this", "these", "than", "into",
    "after", "before", "during", "since", "until", "when", "while", "where", "has", "had",
    "have", "will", "would", "could", "should", "can", "may", "might", "must", "not", "so",
    "abroad", "away", "back", "home", "again", "ago", "later", "earlier", "long", "through",
    "over", "under", "about", "around", "then", "there", "here", "now", "up", "down", "out",
    "off", "also", "each", "every", "per", "period", "old", "near", "across", "against", "between",
    "within", "without", "amid", "among", "toward", "towards", "beyond", "along", "behind", "inside",
    "outside", "upon", "despite", "via", "like", "plus", "including", "earlier", "early", "late",
}


_VERBS = set("""
began begins begun ends starts came comes went goes took takes left leaves saw sees got gets made
makes gave gives kept keeps broke breaks led leads brought brings ran runs held holds fell falls
rose rises met meets won wins lost loses cost costs became becomes remains seems appears means
includes follows shows says said brought caused causes marks marked expires runs lasts
""".split())


def _unit_name(word: str) -> str:
    w = word.lower()
    w = _UNIT_ALIASES.get(w, w)
    return w[:-1] if w.endswith("s") and w[:-1] in UNIT_SECONDS else w


def quantity_range(m: re.Match) -> tuple[float, float, bool] | None:
    """(low, high, fuzzy) count of units for a match of ``QUANTITY``; None when unreadable."""
    if m.group("b1"):
        low, high = parse_number(m.group("b1")), parse_number(m.group("b2"))
        return (low, high, True) if low is not None and high is not None and low <= high else None
    if m.group("n1"):
        low = parse_number(m.group("n1"))
        if low is None:
            return None
        if m.group("frac"):
            low += 0.5
        high = low
        if m.group("n2"):
            high = parse_number(m.group("n2"))
            if high is None or high <= low:
                return None
        if m.group("half1"):
            low, high = low + 0.5, high + 0.5
        return low, high, high != low
    if m.group("fuzzy"):
        low, high = FUZZY[re.sub(r"\s+", " ", m.group("fuzzy").lower())]
        return low, high, True
    if m.group("halfa"):
        return 0.5, 0.5, False
    if m.group("art"):
        return 1.0, 1.0, False
    return None


def _plural(unit: str, amount: float) -> str:
    if amount == 1:
        return unit
    return "centuries" if unit == "century" else unit + "s"


def _normalized(prefix: str, unit: str, low: float, high: float, fuzzy: bool) -> str:
    if unit in ("week", "fortnight") and not fuzzy:
        factor = 7 if unit == "week" else 14
        low, high, unit = low * factor, high * factor, "day"
    if fuzzy and high != low:
        return f"{prefix}{format_number(low)}-{format_number(high)} {_plural(unit, high)}"
    return f"{prefix}{format_number(low)} {_plural(unit, low)}"


def _head_noun(ctx: ExtractContext, sent, end: int) -> str | None:
    m = _NEXT_WORDS.match(ctx.doc.norm, end, sent.end)
    if not m:
        return None
    first = m.group(1).lower()
    # a capitalised second word is a name or a weekday ("a day-long slowdown Monday")
    second = m.group(2).lower() if m.group(2) and m.group(2)[0].islower() else ""
    if first in _NOT_NOUNS:
        return None
    # "train ride": a singular modifier noun before the head; "talks began": the head is plural
    if (second and second not in _NOT_NOUNS and second not in _VERBS and not _NOT_HEAD.search(second)
            and not (first.endswith("s") and not first.endswith("ss"))):
        return second
    return first


def _one_day_is_length(text: str, start: int, end: int, sent_start: int) -> bool:
    before = text[max(sent_start, start - 30):start]
    return bool(_ONE_DAY_BEFORE.search(before) or _ONE_DAY_AFTER.match(text, end))


@dataclass
class _Piece:
    """One duration before it becomes a claim; adjacent pieces may merge ("2 minutes and 40 seconds")."""

    start: int
    end: int
    unit: str
    low_n: float
    high_n: float
    fuzzy: bool
    qual: str | None = None
    frame: str | None = None
    compound: bool = False
    attribute: str = "duration"
    relation: str | None = None
    parts: list[tuple[float, str]] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        return self.low_n == self.high_n and not self.fuzzy


_JOIN = lazy_compile(r",?\s+(?:and\s+)?\Z|,\s*\Z")


def extract(ctx: ExtractContext) -> list[Claim]:
    norm = ctx.doc.norm
    claims: list[Claim] = []
    for sent in ctx.doc.sentences:
        ctx.check_budget()
        pieces: list[_Piece] = []
        for u in unit_matches(ctx.doc, sent):
            m = PREFIX_RE.search(norm, max(sent.start, u.start() - PREFIX_WINDOW), u.start())
            piece = _piece(ctx, sent, m, u) if m else None
            if piece is None:
                continue
            if not piece.qual and not piece.relation and _allotted(norm, sent.start, piece):
                piece.qual = "within"  # "gave her 14 days to pay" sets a deadline, as "within 14 days" does
            prev = pieces[-1] if pieces else None
            if (prev and prev.exact and piece.exact and not piece.qual and not piece.frame
                    and not prev.compound and not piece.compound
                    and UNIT_SECONDS[piece.unit] < UNIT_SECONDS[prev.unit]
                    and _JOIN.match(norm, prev.end, piece.start)):
                # "2 minutes and 40 seconds", "12 days, 4 hours and 10 minutes": one duration
                prev.parts = (prev.parts or [(prev.low_n, prev.unit)]) + [(piece.low_n, piece.unit)]
                prev.end, prev.unit, prev.relation = piece.end, piece.unit, piece.relation
                continue
            pieces.append(piece)
        for m in (LONE_RE.finditer(norm, sent.start, sent.end) if has_any(keyword_text(sent), ("long",)) else ()):
            if any(p.start < m.end() and m.start() < p.end for p in pieces):
                continue  # "a day-long" was read with its article already
            pieces.append(_Piece(m.start(), m.end(), m.group("unit").lower(), 1.0, 1.0, False,
                                 compound=True,
                                 attribute=_head_noun(ctx, sent, m.end()) or "duration"))
        claims.extend(_claim(ctx, sent, p) for p in pieces)
    return claims


# time given to do something: "gave his wife 14 days to transfer", "were given just five days to
# win a stay" (not "planned for a month to sell", "has been ... to")
_ALLOT_BEFORE = lazy_compile(r"\b(?:give|gives|gave|given|giving|grant|grants|granted|allow|allows|allowed)"
                           r"(?:\s+(?!for\b|from\b|of\b|in\b|been\b)[\w'.-]+){0,3}\s+$", re.I)
_ALLOT_AFTER = lazy_compile(r"\s+(?:in\s+which\s+)?to\s+(?!(?:the|a|an|his|her|its|their|our|my|your)\b)[a-z]")


def _allotted(norm: str, sent_start: int, piece) -> bool:
    """The duration is a time allowed for a deed, a deadline like "within N days"."""
    return bool(_ALLOT_AFTER.match(norm, piece.end)
                and _ALLOT_BEFORE.search(norm, max(sent_start, piece.start - 60), piece.start))


def unit_matches(doc: Document, sent: Sentence):
    """``UNIT_RE.finditer(doc.norm, sent.start, sent.end)``, found on the lower-cased text when
    the article is ASCII (lower-casing keeps every offset), then matched in the real text."""
    if doc.lowered is None:
        yield from UNIT_RE.finditer(doc.norm, sent.start, sent.end)
        return
    for found in _UNIT_RE_LOWER.finditer(doc.lowered, sent.start, sent.end):
        yield UNIT_RE.match(doc.norm, found.start(), sent.end)


def _claim(ctx: ExtractContext, sent, p: _Piece) -> Claim:
    prefix = ""
    if p.parts:
        seconds = sum(n * UNIT_SECONDS[u] for n, u in p.parts)
        low = high = float(seconds)
        text = " ".join(f"{format_number(n)} {_plural(u, n)}" for n, u in p.parts)
    else:
        unit_seconds = float(UNIT_SECONDS[p.unit])
        low, high = p.low_n * unit_seconds, p.high_n * unit_seconds
        text = None
    if p.qual:
        lo_f, hi_f, prefix = _QUALIFIERS.get(p.qual, (1, 1, ""))
        low = low * lo_f
        high = float("inf") if hi_f is None else high * hi_f
    normalized = prefix + text if text else _normalized(prefix, p.unit, p.low_n, p.high_n, p.fuzzy)
    extra: dict = {}
    if p.parts:
        extra["parts"] = [f"{format_number(n)} {_plural(u, n)}" for n, u in p.parts]
    else:
        extra.update(count_low=p.low_n, count_high=p.high_n, unit_word=p.unit)
    if p.qual:
        extra["qualifier"] = p.qual
    if p.frame:
        extra["frame"] = p.frame
    if p.relation:
        extra["relation"] = p.relation
    if p.compound:
        extra["compound"] = True
    return ctx.claim(sent, p.start, p.end, claim_type=CLAIM_TYPE, attribute=p.attribute,
                     normalized=normalized, low=low, high=high, unit="s", window=CONTEXT_WINDOW,
                     clause=True, **extra)


def _piece(ctx: ExtractContext, sent, m: re.Match, u: re.Match) -> _Piece | None:
    """``m`` is what precedes the unit (qualifier, frame, quantity), ``u`` the unit itself."""
    norm = ctx.doc.norm
    unit_word = u.group("unit")
    unit = _unit_name(unit_word)
    if unit not in UNIT_SECONDS:
        return None
    qual = re.sub(r"\s+", " ", m.group("qual").lower()) if m.group("qual") else None
    frame_text = re.sub(r"\s+", " ", m.group("frame").lower()) if m.group("frame") else None
    frame = frame_text.split()[-1] if frame_text else None
    has_qty = any(m.group(g) for g in ("b1", "n1", "fuzzy", "halfa", "art"))
    if not has_qty:
        # a bare unit is a duration only as "the past week", "the whole day"
        if frame not in _ONE_UNIT_FRAMES or unit_word.lower().endswith("s"):
            return None
        count = (1.0, 1.0, False)
        qty_start = u.start()
    else:
        count = quantity_range(m)
        if count is None:
            return None
        qty_start = min(m.start(g) for g in ("b1", "n1", "fuzzy", "halfa", "art") if m.group(g))
    low_n, high_n, fuzzy = count
    if u.group("half2"):
        low_n, high_n = low_n + 0.5, high_n + 0.5
    if _AFTER_REJECT.match(norm, u.end()):
        return None
    qty_text = norm[qty_start:u.start()].strip(" -").lower()
    if m.group("art") and unit == "second" and not qual and not frame:
        return None  # "a second attack": an ordinal, not a second of time
    hyphen = bool(m.group("hy"))
    if (m.group("art") or qty_text == "one") and not qual and not frame and not hyphen:
        before = norm[max(sent.start, qty_start - 30):qty_start]
        if _RATE_BEFORE.search(before) and not _RELATION_AFTER.match(norm, u.end()):
            return None  # "$5 a day", "twice a week" (but "trains a day after the strike")
        if qty_text == "one" and unit in ("day", "night") and not _one_day_is_length(
                norm, qty_start, u.end(), sent.start):
            return None  # "One day, he..." means some day

    start = m.start()
    if qual and frame and qual == "over":
        # "over the next five days": 'over' means during, not more than
        qual, start = None, m.start("frame")
    # "23-hour train ride": a hyphen and a singular unit make an adjective ("five-days" does not)
    compound = bool(u.group("long")) or (bool(m.group("hy")) and not unit_word.lower().endswith("s"))
    rel = _RELATION_AFTER.match(norm, u.end())
    if rel and _LENGTH_VERB_BEFORE.search(norm, max(sent.start, start - 40), start):
        rel = None  # "waited 24 hours before calling" is a length
    return _Piece(
        start, u.end(), unit, low_n, high_n, fuzzy, qual=qual, frame=frame, compound=compound,
        attribute=(_head_noun(ctx, sent, u.end()) or "duration") if compound else "duration",
        relation=rel.group(1).lower() if rel else None)
