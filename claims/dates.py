"""Dates and times of day: absolute, partial and relative, each as a range of days.

Every date claim carries ``low``/``high`` = proleptic Gregorian ordinals
(``date.toordinal()``, ``unit`` "day") of the first and last day the expression can mean,
``extra['granularity']`` ("day", "week", "month", "season", "year", "decade", "century") and an
ISO-like ``normalized`` text. Times of day have ``attribute`` "time", granularity "time",
``normalized`` "HH:MM" and ``low``/``high`` in minutes after midnight (``unit`` "minute").
What is recognised::

    PASS  "July 16, 1999", "Aug. 12, 2000"    1999-07-16, 2000-08-12           day
    PASS  "24 February 2022", "2000-08-12"    2022-02-24, 2000-08-12           day
    PASS  "Sunday, Aug. 13"                   the year near the reference in which
                                              Aug. 13 is a Sunday               day, weekday
    PASS  "Aug. 12-13", "--Aug. 14 -- ..."    a two-day range; timeline entries day
    PASS  "February 24", "March 2", "Nov. 6"  2022-02-24 ... (year inferred)   day
    PASS  "in March", "March 1999"            2022-03, 1999-03                 month
    PASS  "early March", "mid-March"          2022-03 (early) = days 1-10; mid 11-20; late 21-end
    PASS  "September of last year"           2021-09                          month
    PASS  "in 1994", "since 1994", "early 1999"  1994, 1999 (early) = Jan-Apr  year
    PASS  "the 1998 bombings", "a 1966 law", "from 1994 to 1998", "1994-96"     year
    PASS  "the summer of 1999", "last fall"   1999 (summer)                    season
    PASS  "the '90s", "the 1990s", "the 1800s"  1990s; 1800s is a century     decade/century
    PASS  "3:02 a.m.", "8:10 p.m. (local time)", "1430 GMT", "at noon"   03:02, 20:10 ...   time
    PASS  "three weeks ago", "a couple of weeks ago"   ~2022-02-15            week (+-3 days)
    PASS  "yesterday", "today", "last night"  one day                          day
    PASS  "Sunday", "on Saturday", "Tuesday night"  the most recent such day on or before the
          reference date ("next Monday", "this Sunday" and "will ... on Sunday" look forward)
    PASS  "this past weekend", "last week", "next week", "earlier this month", "last year"
    FAIL  "we", "now", "may" (the verb), "protesters march", "the Sun", "Wed" on its own
    FAIL  "August Wilson", "the Long March", "to May" (a month name needs a day, a year, or
          in/of/since/until/early/late/mid/last/this/next... before it, and no name after it)
    FAIL  "Boeing 767", "Flight 990", "2000 people", "555-1234"   (a bare year needs
          in/since/by/until/before/after/during/from/between..., or a determiner and a word
          after it, and is never followed by a count noun: "in 2000 people")
    FAIL  "the past two weeks"                a duration (claims.durations), not a date

Year inference: a date without a year takes the reference time's year; when that puts it more
than 62 days after the reference time, the previous year (news looks back). ``extra`` then has
``year_inferred=True``. With no reference time the claim is kept with ``low``/``high`` None,
``normalized`` "--03-02" (or "--03" for a month) and ``extra`` month=3, day=2: two yearless
dates are compared on (month, day) - equal means they agree, different means they disagree,
whatever the year turns out to be.

Relative expressions ("three weeks ago", "Sunday", "last week") are resolved against
``ctx.reference_time``; with none they keep ``low``/``high`` None and ``normalized``
"relative:three weeks ago", ``extra['relative']=True`` either way. "N units ago" is widened by
half a unit (3 days for weeks, 15 for months, half a year for years); "more than N units ago"
has ``low`` -inf, "less than N units ago" ends at the reference date.

A weekday with no "next/last/this" looks forward when a future cue (will, 'll, going to,
scheduled, expected to, plans to...) or a scheduling verb in the present ("meets", "opens",
"arrives") comes earlier in the same clause, else back
(``extra['direction']``). Seasons: spring = Mar-May, summer = Jun-Aug, fall = Sep-Nov; "the
winter of 1999" is kept wide (Dec 1998 - Feb 2000) as it may mean either winter. Decade parts:
early = years 0-4, mid = 3-7, late = 6-9 (they overlap on purpose).

Overlapping matches resolve to the longest ("Sunday, Aug. 13, 2000" is one claim, its year is not
claimed again). Month names and weekdays are case-sensitive; every pattern is a linear regex,
and a sentence only runs the patterns whose cheap keyword test (a digit, a month stem, "ago",
"day"...) it passes.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from claims.context import ExtractContext
from claims.durations import QUANTITY, quantity_range
from claims.events import event_words
from claims.model import Claim
from claims.lazy_re import lazy_compile

CLAIM_TYPE = "date"

# calendar's name lists are rebuilt (strftime) on every lookup: read them once
MONTH_NAMES = tuple(calendar.month_name[1:])
DAY_NAMES = tuple(calendar.day_name)
MONTHS = {name: i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8,
               "Sep": 9, "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12})
WEEKDAYS = {name: i for i, name in enumerate(DAY_NAMES)}
WEEKDAY_ABBR = {"Mon": 0, "Tue": 1, "Tues": 1, "Wed": 2, "Thu": 3, "Thur": 3, "Thurs": 3,
                "Fri": 4, "Sat": 5, "Sun": 6}

_MONTH_FULL = "|".join(MONTH_NAMES)
_MONTH = rf"(?:{_MONTH_FULL}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)(?![\w-])"
_WD_FULL = "|".join(DAY_NAMES)
# Abbreviated weekdays only ever before a month ("Sun., Aug. 13"), so "Sun" and "Wed" stay words.
_WD_PREFIX = rf"(?:(?P<wd>{_WD_FULL}|(?:Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)\.?),?\s+)?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\w%]|[.,:/]\d)"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)(?![\w%]|[.,:/-]\d)"
_START = r"(?<![\w.,:/$#])(?<!\w-)"  # "--Aug. 14" in a timeline is fine, "x-Aug" is not

MDY_RE = lazy_compile(
    rf"{_START}{_WD_PREFIX}(?P<mon>{_MONTH})\s+(?:the\s+)?(?P<day>{_DAY})"
    rf"(?:\s?[-–]\s?(?P<day2>{_DAY}))?(?:,?\s+(?P<year>{_YEAR}))?")
DMY_RE = lazy_compile(
    rf"{_START}{_WD_PREFIX}(?:the\s+)?(?P<day>{_DAY})(?:\s?[-–]\s?(?P<day2>{_DAY}))?\s+(?:of\s+)?"
    rf"(?P<mon>{_MONTH})(?:,?\s+(?P<year>{_YEAR}))?")
ISO_RE = lazy_compile(r"(?<![\w./-])(?P<year>1[5-9]\d\d|20\d\d)-(?P<mon>0[1-9]|1[0-2])-(?P<day>[0-2]\d|3[01])(?![\w/-]|\.\d)")
# US numeric order only, and only with a four-digit year ("9/11" is not a date here)
NUMERIC_RE = lazy_compile(r"(?<![\w./-])(?P<mon>0?[1-9]|1[0-2])/(?P<day>0?[1-9]|[12]\d|3[01])/(?P<year>1[5-9]\d\d|20\d\d)(?![\w/]|\.\d)")

_PART = (r"(?i:early|late|mid|the\s+(?:beginning|start|end|middle)\s+of"
         r"|the\s+(?:first|second|latter)\s+half\s+of)")
MONTH_RE = lazy_compile(
    rf"{_START}(?:(?P<part>{_PART})(?:\s+|-))?(?:(?P<rel>(?i:this\s+past|this\s+coming|last|this|next))\s+)?"
    rf"(?P<mon>{_MONTH})(?:,?\s+(?:of\s+)?(?P<year>{_YEAR})|\s+(?:of\s+)?(?P<ryear>(?i:last|this|next))\s+year\b)?")
YEAR_RE = lazy_compile(
    rf"{_START}(?:(?P<part>{_PART})(?:\s+|-))?(?P<y1>1[5-9]\d\d|20\d\d)(?:\s?[-–]\s?(?P<y2>\d\d(?:\d\d)?))?"
    r"(?![\w%]|[.,:/-]\d|'\w\w)")
SEASON_RE = lazy_compile(
    rf"{_START}(?:(?P<rel>this\s+past|this\s+coming|last|this|next|the)\s+)?"
    rf"(?P<season>spring|summer|fall|autumn|winter)\b(?:,?\s+(?:of\s+)?(?P<year>{_YEAR}))?", re.I)
DECADE_RE = lazy_compile(
    r"(?<![\w$'.-])(?:(?P<the>(?i:the))\s+)?(?:(?P<part>(?i:early|late|mid))(?:\s+|-))?"
    r"(?:(?P<d4>1\d\d0|20\d0)'?s|'(?P<d2>\d0)s)(?![\w'])")
REL_PERIOD_RE = lazy_compile(
    r"(?<![\w-])(?P<mod>earlier\s+this|later\s+this|this\s+past|this\s+coming|this|last|next)\s+"
    r"(?P<per>week|weekend|month|year)\b", re.I)
AGO_RE = lazy_compile(
    rf"(?<![\w$.,:/-])(?:(?P<qual>more\s+than|less\s+than|over|under|about|around|nearly|almost|some"
    rf"|just|only|roughly|approximately)\s+)?{QUANTITY}\s+(?P<unit>minutes?|hours?|days?|weeks?"
    rf"|fortnights?|months?|years?|decades?)(?P<half2>\s+and\s+a\s+half)?\s+ago\b", re.I)
WEEKDAY_RE = lazy_compile(
    rf"(?<![\w-])(?:(?P<rel>(?i:this\s+past|this\s+coming|last|next|this|coming|past))\s+)?(?P<wd>{_WD_FULL})"
    r"(?:\s+(?P<tod>morning|afternoon|evening|night|overnight))?(?![\w-])")
SIMPLE_RE = lazy_compile(
    r"(?<![\w-])(?P<word>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|today"
    r"|tonight|tomorrow|last\s+night|this\s+(?:morning|afternoon|evening))"
    r"(?:\s+(?P<tod>morning|afternoon|evening|night))?\b", re.I)

_TZ = (r"\((?:local\s+time|[A-Z]{2,5})\)|local\s+time|(?:Moscow|Beijing|Tokyo|Paris|London|Greenwich|Eastern|Central|Mountain|Pacific)\s+time\b|(?:[ECMPA][SD]T|GMT|UTC|BST|CET|CEST|EET|EEST"
       r"|IST|JST|MSK|AEST|AEDT|HKT|SGT)\b")
TIME12_RE = lazy_compile(
    rf"(?<![\w:.,$/-])(?P<h>1[0-2]|0?[1-9])(?::(?P<m>[0-5]\d))?\s?(?P<ap>[ap]\.m\.|[ap]\.m\b|[ap]m\b|[AP]M\b|[AP]\.M\.)"
    rf"(?:\s+(?P<tz>{_TZ}))?")
TIME24_RE = lazy_compile(
    rf"(?<![\w:.,$/-])(?:(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)|(?P<hm>(?:[01]\d|2[0-3])[0-5]\d))"
    rf"\s?(?P<tz>{_TZ}|hours\b|hrs\b)")
NOON_RE = lazy_compile(
    r"\b(?:at|by|before|after|until|till|around|about|past|since|from|to)\s+(?P<nm>noon|midday|midnight)\b", re.I)

_MONTH_PREP = lazy_compile(
    r"(?:\b(?:in|of|since|until|till|through|throughout|by|during|from|to|before|after|between"
    r"|early|late|mid|last|this|next|around|except)\s+|\bmid-)$", re.I)
_MAY_PREP = lazy_compile(r"\b(?:in|since|until|till|through|during|from|between|early|late|mid|last|this|next)\s+$", re.I)
_YEAR_PREP = lazy_compile(
    r"(?:\b(?:in|since|by|until|till|before|after|during|from|through|between|around|circa|year"
    r"|early|late|for|back\s+to)\s+|\bc\.\s?|\bmid-)$", re.I)
_YEAR_OF = lazy_compile(
    rf"\b(?:end|beginning|start|middle|half|class|summer|spring|fall|autumn|winter|part|rest"
    rf"|remainder|most|much|{_MONTH_FULL})\s+of\s+$", re.I)
_YEAR_BEFORE_AND = lazy_compile(r"\b(?:1[5-9]\d\d|20\d\d)(?:'?s)?,?\s+(?:and|or|to|through|until|till)\s+$")
_THE_BEFORE = lazy_compile(r"\bthe\s+$", re.I)
# "the 1998 bombings", "a 1966 law": a year used as an adjective
_DETERMINER_BEFORE = lazy_compile(r"(?:\b(?:the|a|an|his|her|their|its|our|my)|\w's)\s+$", re.I)
_MONTH_AND_BEFORE = lazy_compile(rf"\b(?:{_MONTH_FULL})\s+(?:and|or|to|through|until|till)\s+$|\b(?:{_MONTH_FULL})\s?[-–]\s?$")
_COUNT_NOUN = lazy_compile(
    r"\s?(?:%|-strong\b|(?:people|persons|men|women|children|kids|troops|soldiers|police|officers|feet"
    r"|foot|ft|meters|metres|m|km|kilometers|kilometres|miles|yards|inches|tons|tonnes|pounds|lbs|kg"
    r"|kilograms|dollars|euros|yen|rupees|marks|francs|cases|deaths|votes|voters|residents|homes"
    r"|houses|buildings|percent|per|points|copies|units|cars|vehicles|refugees|prisoners|hostages"
    r"|passengers|workers|employees|jobs|students|members|delegates|calories|acres|hectares|square"
    r"|barrels|rounds|shares|seats|times|hours|minutes|days|weeks|months|years|GMT|UTC|hrs)\b)", re.I)
_NEXT_WORD = lazy_compile(r"\s+([A-Za-z][\w'-]*)")
_CAPITAL_NEXT = lazy_compile(r"\s+[A-Z][a-z]")
_HOLIDAY_BEFORE = lazy_compile(
    r"(?:\b(?:Bloody|Easter|Palm|Good|Black|Super|Ash|Holy|Cyber|Shrove|Maundy|Whit|Low)|\b(?:Mail|Independent)\s+on)\s+$")
_PAPER_AFTER = lazy_compile(
    r"\s+(?:Times|Telegraph|Mirror|Express|Herald|Post|Tribune|Independent|Sport|People|Mail|Star"
    r"|Business|Observer|Review|Magazine|School|Night|Morning|Today|Service|Bloody|Edition)\b")
_FUTURE_CUE = lazy_compile(
    r"\b(?:will|shall|going\s+to|scheduled|expected\s+to|plans?\s+to|planning\s+to|set\s+to|due\s+to"
    r"|hopes?\s+to|is\s+to|are\s+to|until|next)\b|'ll\b", re.I)
# A scheduled happening told in the present ("when Cook meets Kharrazi in New York on Thursday",
# "the trial opens Monday"): news tells past deeds in the past tense. Lower case only, so a
# headline's "Quake Kills 2,000 Tuesday" stays past.
_SCHEDULED = lazy_compile(
    r"\b(?:meets|arrives|begins|starts|opens|leaves|departs|returns|resumes|ends|closes|convenes"
    r"|travels|flies|heads|visits|hosts|faces|testifies|appears|unveils|launches|takes\s+office)\b")
_DECADE_JOIN = lazy_compile(r"\s*(?:,|and|or|to|through|until|into|-|–)\s*(?:the\s+)?")
# "his 1977 Datsun", "a 1998 Honda": a vehicle's model year, not a date
_VEHICLE = r"(?:car|truck|pickup|van|sedan|coupe|model|station\s+wagon)s?\b"
_MODEL_YEAR = lazy_compile(rf"\s+(?:{_VEHICLE}|[A-Z][a-z]+(?:\s+{_VEHICLE}|\s*[,.;)]|\s+(?:was|is|had|that|which|with|and)\b))")
_OWNER_BEFORE = lazy_compile(r"\b(?:a|his|her|their|its|my|your|our)\s+$", re.I)
_POSSESSIVE_BEFORE = lazy_compile(r"\b(?:his|her|their|its|my|your|our)\s+(?:(?:early|late|mid)[\s-]+)?$", re.I)

_MONTH_PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31), "first half": (1, 15),
                "second half": (16, 31), "latter half": (16, 31)}
_YEAR_PARTS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12), "first half": (1, 6),
               "second half": (7, 12), "latter half": (7, 12)}
_DECADE_PARTS = {"early": (0, 4), "mid": (3, 7), "late": (6, 9)}
_PART_ALIASES = {"beginning": "early", "start": "early", "end": "late", "middle": "mid"}
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11), "winter": (12, 14)}
_AGO_UNIT_DAYS = {"minute": 0, "hour": 0, "day": 1, "week": 7, "fortnight": 14, "month": 30.44,
                  "year": 365.25, "decade": 3652.5}
_AGO_SLACK = {"minute": 0, "hour": 0, "day": 0, "week": 3, "fortnight": 3, "month": 15,
              "year": 182, "decade": 1826}
_AGO_GRANULARITY = {"minute": "day", "hour": "day", "day": "day", "week": "week",
                    "fortnight": "week", "month": "month", "year": "year", "decade": "decade"}
INFER_AHEAD_DAYS = 62


def _part_key(text: str | None) -> str | None:
    if not text:
        return None
    words = re.sub(r"[\s-]+", " ", text.lower()).replace("the ", "").replace(" of", "").strip()
    return _PART_ALIASES.get(words, words)


def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _words(text: str) -> str:
    return " ".join(text.lower().split())


class _Candidates:
    """Matches found in one sentence; overlapping ones resolve to the longest."""

    def __init__(self) -> None:
        self.items: list[tuple[int, int, dict]] = []

    def add(self, start: int, end: int, **fields) -> None:
        self.items.append((start, end, fields))

    def chosen(self) -> list[tuple[int, int, dict]]:
        # one sweep by start (linear after sorting): of two overlapping matches the longer stays
        taken: list[tuple[int, int, dict]] = []
        for item in sorted(self.items, key=lambda it: (it[0], it[0] - it[1])):
            if taken and item[0] < taken[-1][1]:
                if item[1] - item[0] > taken[-1][1] - taken[-1][0]:
                    taken[-1] = item
                continue
            taken.append(item)
        return taken


# Publication years relative dates are read against: "the '90s", "last year" or "next decade"
# read on a day near the calendar's ends (year 1, year 9999) would fall off it
REFERENCE_YEARS = (100, 9899)


class _Finder:
    def __init__(self, ctx: ExtractContext, sent) -> None:
        self.norm = ctx.doc.norm
        self.sent = sent
        ref = ctx.reference_time
        self.ref: date | None = ref.date() if isinstance(ref, datetime) else ref
        if self.ref is not None and not REFERENCE_YEARS[0] <= self.ref.year <= REFERENCE_YEARS[1]:
            self.ref = None  # a publication date no newspaper has (0001-01-02): read nothing against it
        self.out = _Candidates()

    # ---- helpers -------------------------------------------------------------------------
    def before(self, pos: int, width: int = 40) -> str:
        return self.norm[max(self.sent.start, pos - width):pos]

    def day_range(self, start: int, end: int, low: date, high: date, normalized: str,
                  granularity: str, **extra) -> None:
        self.out.add(start, end, attribute="date", normalized=normalized, low=float(low.toordinal()),
                     high=float(high.toordinal()), unit="day", granularity=granularity, **extra)

    def unresolved(self, start: int, end: int, normalized: str, granularity: str, **extra) -> None:
        self.out.add(start, end, attribute="date", normalized=normalized, low=None, high=None,
                     unit="day", granularity=granularity, **extra)

    def infer_year(self, month: int, day: int = 1) -> int | None:
        if self.ref is None:
            return None
        year = self.ref.year
        probe = _safe_date(year, month, min(day, _month_end(year, month)))
        if probe and (probe - self.ref).days > INFER_AHEAD_DAYS:
            year -= 1
        return year

    def future(self, pos: int) -> bool:
        left = self.before(pos, 60)
        left = re.split(r"[,;:\"]", left)[-1]
        return bool(_FUTURE_CUE.search(left) or _SCHEDULED.search(left))

    # ---- absolute dates -----------------------------------------------------------------
    def day_dates(self) -> None:
        for regex in (MDY_RE, DMY_RE):
            for m in regex.finditer(self.norm, self.sent.start, self.sent.end):
                self._day_date(m, MONTHS[m.group("mon").rstrip(".")],
                               int(re.match(r"\d+", m.group("day")).group()),
                               int(re.match(r"\d+", m.group("day2")).group()) if m.group("day2") else None,
                               int(m.group("year")) if m.group("year") else None, m.group("wd"))
        self.numeric_dates()

    def numeric_dates(self) -> None:
        for regex in (ISO_RE, NUMERIC_RE):
            for m in regex.finditer(self.norm, self.sent.start, self.sent.end):
                self._day_date(m, int(m.group("mon")), int(m.group("day")), None,
                               int(m.group("year")), None)

    def _day_date(self, m: re.Match, month: int, day: int, day2: int | None, year: int | None,
                  weekday: str | None) -> None:
        if day2 is not None and day2 <= day:
            day2 = None
        extra: dict = {"month": month, "day": day}
        if day2:
            extra["day_end"] = day2
        if weekday:
            extra["weekday"] = DAY_NAMES[WEEKDAYS.get(weekday, WEEKDAY_ABBR.get(weekday.rstrip("."), 0))]
        if year is None:
            year = self.infer_year(month, day)
            if year is not None and weekday:
                year = self._year_matching_weekday(year, month, day, extra["weekday"])
            if year is None:
                if day > _month_end(2000, month):  # 2000 is a leap year: Feb 29 is allowed
                    return
                text = f"--{month:02d}-{day:02d}" + (f"/--{month:02d}-{day2:02d}" if day2 else "")
                self.unresolved(m.start(), m.end(), text, "day", **extra)
                return
            extra["year_inferred"] = True
        low = _safe_date(year, month, day)
        high = _safe_date(year, month, day2) if day2 else low
        if low is None or high is None:
            return
        extra["year"] = year
        if weekday and DAY_NAMES[low.weekday()] != extra["weekday"]:
            extra["weekday_mismatch"] = True
        text = low.isoformat() + (f"/{high.isoformat()}" if day2 else "")
        self.day_range(m.start(), m.end(), low, high, text, "day", **extra)

    def _year_matching_weekday(self, year: int, month: int, day: int, weekday: str) -> int:
        """'Sunday, Aug. 13' without a year: the nearest year in which Aug. 13 is a Sunday."""
        for y in (year, year - 1, year + 1):
            d = _safe_date(y, month, day)
            if d and DAY_NAMES[d.weekday()] == weekday:
                return y
        return year

    def months(self) -> None:
        for m in MONTH_RE.finditer(self.norm, self.sent.start, self.sent.end):
            name = m.group("mon")
            month = MONTHS[name.rstrip(".")]
            part = _part_key(m.group("part"))
            rel = _words(m.group("rel")) if m.group("rel") else None
            if not (part or rel or m.group("year") or m.group("ryear")):
                # a bare month name must look like a date: a preposition before, no name after
                if name not in MONTH_NAMES:
                    continue
                prep = _MAY_PREP if name == "May" else _MONTH_PREP
                before = self.before(m.start())
                if not (prep.search(before) or _MONTH_AND_BEFORE.search(before)) or _CAPITAL_NEXT.match(
                        self.norm, m.end()):
                    continue
            extra: dict = {"month": month}
            if part:
                extra["part"] = part
            if m.group("year"):
                year = int(m.group("year"))
            elif m.group("ryear") or rel:
                if self.ref is None:
                    self.unresolved(m.start(), m.end(), "relative:" + _words(m.group()), "month",
                                    relative=True, **extra)
                    continue
                which = _words(m.group("ryear") or rel)
                if m.group("ryear"):
                    year = self.ref.year + {"last": -1, "this": 0, "next": 1}[which]
                elif which in ("last", "this past"):
                    year = self.ref.year if month < self.ref.month else self.ref.year - 1
                elif which in ("next", "this coming"):
                    year = self.ref.year if month > self.ref.month else self.ref.year + 1
                else:
                    year = self.ref.year
                extra["relative"] = True
            else:
                year = self.infer_year(month)
                if year is None:
                    suffix = f" ({part})" if part else ""
                    self.unresolved(m.start(), m.end(), f"--{month:02d}{suffix}", "month", **extra)
                    continue
                extra["year_inferred"] = True
            first, last = 1, _month_end(year, month)
            if part:
                lo, hi = _MONTH_PARTS.get(part, (1, 31))
                first, last = lo, min(hi, last)
            extra["year"] = year
            text = f"{year:04d}-{month:02d}" + (f" ({part})" if part else "")
            self.day_range(m.start(), m.end(), date(year, month, first), date(year, month, last),
                           text, "month", **extra)

    def years(self) -> None:
        for m in YEAR_RE.finditer(self.norm, self.sent.start, self.sent.end):
            y1 = int(m.group("y1"))
            part = _part_key(m.group("part"))
            y2 = None
            if m.group("y2"):
                raw = m.group("y2")
                y2 = int(raw) if len(raw) == 4 else y1 // 100 * 100 + int(raw)
                if y2 <= y1 or y2 - y1 > 20:
                    continue
            if not part:
                before = self.before(m.start())
                ok = bool(_YEAR_PREP.search(before) or _YEAR_OF.search(before)
                          or _YEAR_BEFORE_AND.search(before))
                if not ok and _DETERMINER_BEFORE.search(before):
                    ok = bool(_NEXT_WORD.match(self.norm, m.end())) and y1 >= 1800 and (
                        self.ref is None or y1 <= self.ref.year + 1) and not (
                        _OWNER_BEFORE.search(before) and _MODEL_YEAR.match(self.norm, m.end()))
                if not ok or _COUNT_NOUN.match(self.norm, m.end()):
                    continue
            extra: dict = {"year": y1}
            lo_m, hi_m = 1, 12
            if part:
                extra["part"] = part
                lo_m, hi_m = _YEAR_PARTS.get(part, (1, 12))
            high_year = y2 or y1
            if y2:
                extra["year_end"] = y2
            text = f"{y1:04d}" + (f"/{y2:04d}" if y2 else "") + (f" ({part})" if part else "")
            self.day_range(m.start(), m.end(), date(y1, lo_m, 1),
                           date(high_year, hi_m, _month_end(high_year, hi_m)), text, "year", **extra)

    def seasons(self) -> None:
        for m in SEASON_RE.finditer(self.norm, self.sent.start, self.sent.end):
            season = m.group("season").lower()
            rel = _words(m.group("rel")) if m.group("rel") else None
            if not m.group("year") and rel in (None, "the"):
                continue  # "in the fall", "the fall of Saigon"
            lo_m, hi_m = _SEASONS[season]
            extra: dict = {"season": "fall" if season == "autumn" else season}
            if m.group("year"):
                year = int(m.group("year"))
                if season == "winter":
                    # "the winter of 1999" may be 1998-99 or 1999-2000: keep both
                    low, high = date(year - 1, 12, 1), date(year + 1, 2, _month_end(year + 1, 2))
                else:
                    low, high = date(year, lo_m, 1), date(year, hi_m, _month_end(year, hi_m))
            else:
                if self.ref is None:
                    self.unresolved(m.start(), m.end(), "relative:" + _words(m.group()), "season",
                                    relative=True, **extra)
                    continue
                extra["relative"] = True
                year = self._season_year(lo_m, hi_m, rel)
                low = date(year, lo_m, 1) if lo_m <= 12 else date(year + 1, lo_m - 12, 1)
                end_year, end_month = (year, hi_m) if hi_m <= 12 else (year + 1, hi_m - 12)
                high = date(end_year, end_month, _month_end(end_year, end_month))
                if season == "winter":
                    year = year + 1  # a winter is named after the year it ends in
            extra["year"] = year
            self.day_range(m.start(), m.end(), low, high, f"{year:04d} ({extra['season']})",
                           "season", **extra)

    def _season_year(self, lo_m: int, hi_m: int, rel: str) -> int:
        ref = self.ref
        # season starting in year y covers months lo_m..hi_m (winter runs into y+1)
        def span(y: int) -> tuple[date, date]:
            ey, em = (y, hi_m) if hi_m <= 12 else (y + 1, hi_m - 12)
            return date(y, lo_m, 1), date(ey, em, _month_end(ey, em))
        if rel in ("last", "this past"):
            y = ref.year
            while span(y)[1] >= ref:
                y -= 1
            return y
        if rel in ("next", "this coming"):
            y = ref.year - 1
            while span(y)[0] <= ref:
                y += 1
            return y
        # "this summer": the one around the reference date, or else this year's
        for y in (ref.year - 1, ref.year):
            lo, hi = span(y)
            if lo <= ref <= hi:
                return y
        return ref.year

    def decades(self) -> None:
        found = [m for m in DECADE_RE.finditer(self.norm, self.sent.start, self.sent.end)
                 if not (m.group("d2") and _POSSESSIVE_BEFORE.search(self.before(m.start())))]  # "in his '90s" is an age
        # "the 1960s, 1970s and 1980s": one span from the first decade to the last, not three dates
        runs: list[list] = []
        for m in found:
            if runs and _DECADE_JOIN.fullmatch(self.norm, runs[-1][-1][0].end(), m.start()):
                runs[-1].append((m, self._decade_span(m)))
            else:
                runs.append([(m, self._decade_span(m))])
        for run in runs:
            (first, (low, _, text_first, _, _)), (last, (_, high, text, granularity, extra)) = run[0], run[-1]
            if high < low:  # not a span in time order ("the '00s and '10s" read as 2000s, 1910s)
                for m, (lo, hi, txt, gran, ext) in run:
                    self.day_range(m.start(), m.end(), lo, hi, txt, gran, **ext)
                continue
            if len(run) > 1:
                text = f"{text_first}-{text}"
            self.day_range(first.start(), last.end(), low, high, text, granularity, **extra)

    def _decade_span(self, m):
        """(first day, last day, text, granularity, extra) of one decade or century match."""
        part = _part_key(m.group("part"))
        if m.group("d4"):
            start_year = int(m.group("d4"))
        else:
            d2 = int(m.group("d2"))
            if self.ref is not None:
                century = self.ref.year // 100 * 100
                start_year = century + d2 if century + d2 <= self.ref.year else century - 100 + d2
            else:
                start_year = (1900 if d2 >= 30 else 2000) + d2
        # "the 1800s" is a century; "the 2000s" is read as the decade
        span_years = 100 if start_year % 100 == 0 and start_year < 2000 and m.group("d4") else 10
        lo, hi = 0, span_years - 1
        extra: dict = {"decade": start_year}
        if part:
            extra["part"] = part
            p_lo, p_hi = _DECADE_PARTS.get(part, (0, 9))
            scale = span_years // 10
            lo, hi = p_lo * scale, (p_hi + 1) * scale - 1
        text = f"{start_year}s" + (f" ({part})" if part else "")
        granularity = "century" if span_years == 100 else "decade"
        return date(start_year + lo, 1, 1), date(start_year + hi, 12, 31), text, granularity, extra

    # ---- relative dates -----------------------------------------------------------------
    def relative_periods(self) -> None:
        for m in REL_PERIOD_RE.finditer(self.norm, self.sent.start, self.sent.end):
            if _THE_BEFORE.search(self.before(m.start())):
                continue  # "the last week" is a duration
            mod, per = _words(m.group("mod")), m.group("per").lower()
            granularity = "year" if per == "year" else "month" if per == "month" else "week"
            extra: dict = {"relative": True}
            if per == "weekend":
                extra["period"] = "weekend"
            if self.ref is None:
                self.unresolved(m.start(), m.end(), "relative:" + _words(m.group()), granularity, **extra)
                continue
            low, high, text = self._period(mod, per)
            self.day_range(m.start(), m.end(), low, high, text, granularity, **extra)

    def _period(self, mod: str, per: str) -> tuple[date, date, str]:
        ref = self.ref
        step = {"last": -1, "this past": -1, "next": 1, "this coming": 1}.get(mod, 0)
        if per == "weekend":
            wd = ref.weekday()
            if step < 0 or (step == 0 and wd == 0):
                back = (wd - 5) % 7 or 7
                sat = ref - timedelta(days=back)
            elif step > 0:
                sat = ref + timedelta(days=(5 - wd) % 7 or 7)
            else:
                sat = ref - timedelta(days=wd - 5) if wd >= 5 else ref + timedelta(days=5 - wd)
            sun = sat + timedelta(days=1)
            return sat, sun, f"{sat.isoformat()}/{sun.isoformat()}"
        if per == "week":
            monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=step)
            low, high = monday, monday + timedelta(days=6)
            iso = monday.isocalendar()
            text = f"{iso[0]:04d}-W{iso[1]:02d}"
        elif per == "month":
            y, mth = ref.year, ref.month + step
            if mth < 1:
                y, mth = y - 1, 12
            elif mth > 12:
                y, mth = y + 1, 1
            low, high = date(y, mth, 1), date(y, mth, _month_end(y, mth))
            text = f"{y:04d}-{mth:02d}"
        else:
            y = ref.year + step
            low, high = date(y, 1, 1), date(y, 12, 31)
            text = f"{y:04d}"
        if mod == "earlier this":
            high, text = ref, text + " (earlier)"
        elif mod == "later this":
            low, text = ref, text + " (later)"
        return low, high, text

    def ago(self) -> None:
        for m in AGO_RE.finditer(self.norm, self.sent.start, self.sent.end):
            count = quantity_range(m)
            if count is None:
                continue
            n_lo, n_hi, _ = count
            if m.group("half2"):
                n_lo, n_hi = n_lo + 0.5, n_hi + 0.5
            unit = m.group("unit").lower().rstrip("s")
            granularity = _AGO_GRANULARITY[unit]
            qual = _words(m.group("qual")) if m.group("qual") else None
            extra: dict = {"relative": True}
            if qual:
                extra["qualifier"] = qual
            try:
                low_d, high_d = self._ago_days(unit, n_lo, n_hi) if self.ref is not None else (None, None)
            except (OverflowError, ValueError):  # "3,000 years ago": before the calendar's year 1
                low_d = None
            if low_d is None:
                self.unresolved(m.start(), m.end(), "relative:" + _words(m.group()), granularity, **extra)
                continue
            low, high = float(low_d.toordinal()), float(high_d.toordinal())
            centre = date.fromordinal(int((low + high) // 2))
            prefix = "~" if low != high else ""
            if qual in ("more than", "over"):
                low, prefix = float("-inf"), "<"
            elif qual in ("less than", "under"):
                high, prefix = float(self.ref.toordinal()), ">"
                centre = date.fromordinal(int(low))
            text = {"month": centre.isoformat()[:7], "year": centre.isoformat()[:4],
                    "decade": centre.isoformat()[:4]}.get(granularity, centre.isoformat())
            self.out.add(m.start(), m.end(), attribute="date", normalized=prefix + text, low=low,
                         high=high, unit="day", granularity=granularity, **extra)

    def _ago_days(self, unit: str, n_lo: float, n_hi: float) -> tuple[date, date]:
        """The first and last day "N units ago" can mean, read from the reference day."""
        days, slack = _AGO_UNIT_DAYS[unit], _AGO_SLACK[unit]
        if unit in ("minute", "hour"):
            return self.ref - timedelta(days=1 if n_hi >= 1 and unit == "hour" else 0), self.ref
        low_d = self.ref - timedelta(days=round(n_hi * days) + slack)
        high_d = self.ref - timedelta(days=round(n_lo * days) - slack)
        return low_d, min(high_d, self.ref)

    def weekdays(self) -> None:
        for m in WEEKDAY_RE.finditer(self.norm, self.sent.start, self.sent.end):
            before = self.before(m.start())
            if _HOLIDAY_BEFORE.search(before) or _PAPER_AFTER.match(self.norm, m.end("wd")):
                continue  # "Bloody Sunday", "Mail on Sunday", "Sunday Times"
            wd = WEEKDAYS[m.group("wd")]
            rel = _words(m.group("rel")) if m.group("rel") else None
            if rel in ("last", "this past", "past"):
                direction = "before"
            elif rel in ("next", "this coming", "coming", "this"):
                direction = "after"
            else:
                direction = "future" if self.future(m.start()) else "past"
            extra: dict = {"relative": True, "weekday": m.group("wd"), "direction": direction}
            if m.group("tod"):
                extra["time_of_day"] = m.group("tod")
            if self.ref is None:
                self.unresolved(m.start(), m.end(), "relative:" + _words(m.group()), "day", **extra)
                continue
            extra["anchor"] = self.ref.isoformat()  # two weekdays read against one day compare safely
            ref_wd = self.ref.weekday()
            if direction == "past":
                day = self.ref - timedelta(days=(ref_wd - wd) % 7)
            elif direction == "before":
                day = self.ref - timedelta(days=(ref_wd - wd) % 7 or 7)
            elif direction == "future":
                day = self.ref + timedelta(days=(wd - ref_wd) % 7)
            else:
                day = self.ref + timedelta(days=(wd - ref_wd) % 7 or 7)
            self.day_range(m.start(), m.end(), day, day, day.isoformat(), "day", **extra)

    def simple(self) -> None:
        for m in SIMPLE_RE.finditer(self.norm, self.sent.start, self.sent.end):
            word = _words(m.group("word"))
            if m.group()[0].isupper() and self.before(m.start()).strip(" \"'(["):
                continue  # "USA Today", "The Tonight Show"
            offset = {"the day before yesterday": -2, "yesterday": -1, "last night": -1,
                      "tomorrow": 1, "the day after tomorrow": 2}.get(word, 0)
            extra: dict = {"relative": True}
            if m.group("tod"):
                extra["time_of_day"] = m.group("tod").lower()
            if self.ref is None:
                self.unresolved(m.start(), m.end(), "relative:" + _words(m.group()), "day", **extra)
                continue
            day = self.ref + timedelta(days=offset)
            low = day if word != "last night" else day
            high = day if word != "last night" else self.ref  # late-night events cross midnight
            text = low.isoformat() if low == high else f"{low.isoformat()}/{high.isoformat()}"
            self.day_range(m.start(), m.end(), low, high, text, "day", **extra)

    # ---- times of day ------------------------------------------------------------------
    def times(self, ampm: bool = True) -> None:
        for m in TIME12_RE.finditer(self.norm, self.sent.start, self.sent.end) if ampm else ():
            hour = int(m.group("h")) % 12
            if m.group("ap").lower().startswith("p"):
                hour += 12
            self._time(m, hour, int(m.group("m") or 0), m.group("tz"))
        for m in TIME24_RE.finditer(self.norm, self.sent.start, self.sent.end):
            if m.group("hm"):
                hour, minute = int(m.group("hm")[:2]), int(m.group("hm")[2:])
            else:
                hour, minute = int(m.group("h")), int(m.group("m"))
            tz = m.group("tz")
            self._time(m, hour, minute, None if tz.lower().startswith("h") else tz)

    def noon(self) -> None:
        for m in NOON_RE.finditer(self.norm, self.sent.start, self.sent.end):
            hour = 12 if m.group("nm").lower() in ("noon", "midday") else 0
            self._time(m, hour, 0, None, span=(m.start("nm"), m.end("nm")))

    def _time(self, m: re.Match, hour: int, minute: int, tz: str | None, span=None) -> None:
        start, end = span or m.span()
        extra: dict = {}
        if tz:
            extra["timezone"] = "local" if "local" in tz.lower() else tz.strip("()")
        minutes = float(hour * 60 + minute)
        self.out.add(start, end, attribute="time", normalized=f"{hour:02d}:{minute:02d}", low=minutes,
                     high=minutes, unit="minute", granularity="time", **extra)


# Cheap tests that let a sentence skip the patterns that cannot match in it.
_HAS_DIGIT = lazy_compile(r"\d")
_HAS_MONTH = lazy_compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_HAS_AMPM = lazy_compile(r"\d\s?[apAP]\.?[mM]")
_SEASON_WORDS = ("spring", "summer", "fall", "autumn", "winter")
_SIMPLE_WORDS = ("yesterday", "today", "tonight", "tomorrow", "last night", "this morning",
                 "this afternoon", "this evening")


_DATELINE = lazy_compile(r"^[A-Z][A-Z .'-]+(?:, [A-Za-z. ]+)?, $")


def extract(ctx: ExtractContext) -> list[Claim]:
    claims: list[Claim] = []
    for sent in ctx.doc.sentences:
        ctx.check_budget()
        text = sent.text
        lower = text.lower()
        digit = _HAS_DIGIT.search(text) is not None
        month = _HAS_MONTH.search(text) is not None
        finder = _Finder(ctx, sent)
        if digit and month:
            finder.day_dates()
        elif digit and ("-" in text or "/" in text):
            finder.numeric_dates()
        if month:
            finder.months()
        if digit:
            finder.years()
            if "0s" in text or "0's" in text:
                finder.decades()
            finder.times(ampm=_HAS_AMPM.search(text) is not None)
        if any(w in lower for w in _SEASON_WORDS):
            finder.seasons()
        if ("week" in lower or "month" in lower or "year" in lower) and (
                "this" in lower or "last" in lower or "next" in lower):
            finder.relative_periods()
        if " ago" in lower:
            finder.ago()
        if "day" in text:
            finder.weekdays()
        if any(w in lower for w in _SIMPLE_WORDS):
            finder.simple()
        if "noon" in lower or "midnight" in lower or "midday" in lower:
            finder.noon()
        for start, end, fields in finder.out.chosen():
            if _DATELINE.match(ctx.doc.norm[sent.start:start]):
                continue  # "MOSCOW, October 15 (Xinhua) --" dates the dispatch, not an event
            # a weekday or "earlier this week" depends on when each wire item was filed: it can
            # support a finding but is too uncertain to raise one (rules: min_claim_confidence)
            fields.setdefault("confidence", 0.5 if fields.get("relative") or fields.get("granularity") == "week"
                              or (fields.get("weekday") and not fields.get("year") and "month" not in fields) else 1.0)
            fields["event"], near, reported = event_words(ctx.doc.norm, sent, start, end)
            if near:
                fields["event_near"] = near
            if reported:
                fields["reported"] = True
            attribute = fields.pop("attribute")
            normalized = fields.pop("normalized")
            low, high, unit = fields.pop("low"), fields.pop("high"), fields.pop("unit")
            claims.append(ctx.claim(sent, start, end, claim_type=CLAIM_TYPE, attribute=attribute,
                                    normalized=normalized, low=low, high=high, unit=unit, **fields))
    return claims
