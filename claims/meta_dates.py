"""Publication dates as metadata gives them: meta.json entries, feed records, a web page's markup.

What is read, in this order (the first that fits wins):

1. ISO 8601 and its common variants (``1999-08-17``, ``1999-08-17 08:30``, ``1999-08-17T08:30:00Z``,
   ``19990817``), offsets honoured;
2. RFC 2822 as RSS and e-mail write it (``Tue, 17 Aug 1999 08:30:00 GMT``, ``... -0400``, ``EST``),
   by the standard library's ``email.utils.parsedate_to_datetime``;
3. all-numeric day and month, whatever separates them (``02/11/1999``, ``2.11.1999``,
   ``02-11-99``, ``2 11 1999``, ``2. 11. 1999``): see below;
4. dates in words, by python-dateutil (``November 1, 1999``, ``1 Nov 1999 8:30 pm EST``,
   ``Tuesday, November 2, 1999``). A value without a day or a year (``November 1999``, ``1999``,
   ``Mar 4``) is not a publication date and is refused, saying which part is missing, rather than
   completed with a made-up one.

Every date with an offset or a known zone is turned into naive UTC, as the rest of claimcheck
holds times. A zone name dateutil does not know is read as UTC and said so. An offset beyond the
world's time zones (``MAX_OFFSET``: -14:00 to +14:00, minutes under 60) is a typo, and the date is
refused saying so (``time zone offset -99:00 is out of range``).

All-numeric day and month. ``02/11/1999`` is 2 November to most of the world and February 11 to
the United States. The reading is chosen by this rule, and a warning names the file, the raw value
and the reading whenever it was a guess:

1. only one reading is a date (``13/02/1999``, ``02/13/1999``): that one, no warning;
2. dots (``02.11.1999``): day first, the only order written with dots, no warning;
3. the same entry's other date field (``"date": "1999-02-11"`` beside ``"datetime":
   "02/11/1999 08:30"``) is one of the two readings: that one, no warning;
4. the story says which: ``"date_order": "day-first"`` or ``"month-first"`` (or a ``"locale"``
   such as ``en-US``, month first, or ``en-GB``, day first) at the top of meta.json or of a .json
   feed, or in the entry or record itself: that order, no warning;
5. another numeric date in the same file can only be read one way (``08/13/1998`` is month
   first): the file's order, no warning;
6. otherwise day first (``DEFAULT_ORDER``), with a warning.

The year of an all-numeric date has four digits, or two: ``69``-``99`` are 1969-1999 and ``00``-
``68`` are 2000-2068 (the pivot of C's and Python's ``%y``). A year of one or three digits
(``1/2/3``) says nothing certain and the date is refused.
"""
from __future__ import annotations

import email.utils
import re
import warnings
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

DAY_FIRST, MONTH_FIRST = "day-first", "month-first"
DEFAULT_ORDER = DAY_FIRST
MAX_DATE_CHARS = 64  # no date is longer; dateutil on megabytes of text is slow for nothing
MAX_OFFSET = timedelta(hours=14)  # Kiribati's +14:00 is the furthest from UTC any zone lies

# Locales whose numeric dates put the month first (the US and the few that follow it).
MONTH_FIRST_LOCALES = {"en-us", "en-ph", "en-as", "en-gu", "en-mp", "en-pr", "en-um", "en-vi", "es-us",
                       "en-fm", "en-mh", "en-pw"}

_ISO_FORMATS = ("%Y-%m-%d %H:%M:%S%z", "%Y-%m-%d %H:%M%z", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
                "%Y-%m-%d", "%Y%m%d")
# day and month in either order, then the year (of any length here: a wrong length is refused by
# name), each separated by a slash, dot or hyphen (spaces around it allowed) or by spaces alone,
# then optionally a time (and zone)
_SEPARATOR = r"( ?[/.\-] ?| )"
_NUMERIC = re.compile(rf"(\d{{1,2}}){_SEPARATOR}(\d{{1,2}}){_SEPARATOR}(\d{{1,4}})(?=$|[ T,])(.*)", re.DOTALL)
# an offset after a time of day (ISO, RFC 2822, numeric dates): checked before any parser sees it
_OFFSET = re.compile(r"\d:\d{2}(?::\d{2}(?:[.,]\d+)?)? ?(?:(?:GMT|UTC) ?)?([+-])(\d{2}):?(\d{2})$", re.IGNORECASE)
_RFC2822_START = re.compile(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")

# Zones news metadata uses that dateutil does not know by name (RFC 2822's are read by email.utils).
_ZONES = {"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "BST": 3600, "IST": 19800, "CET": 3600, "CEST": 7200,
          "EET": 7200, "EEST": 10800, "MSK": 10800, "JST": 32400, "AEST": 36000, "AEDT": 39600,
          "EST": -18000, "EDT": -14400, "CST": -21600, "CDT": -18000, "MST": -25200, "MDT": -21600,
          "PST": -28800, "PDT": -25200, "AKST": -32400, "AKDT": -28800, "HST": -36000}


class DateError(ValueError):
    """Why a value is not a publication date, worded to follow the value in a warning
    (``'date' 'Mar 4' has no year``)."""


@dataclass(frozen=True)
class DateReading:
    """A date read from metadata: ``when`` in naive UTC, and ``note`` when the reader should know
    how it was read (a day/month order guessed, a zone not known)."""

    when: datetime
    note: str | None = None


def spelled(day: date) -> str:
    """``2 November 1999``: a date no reader can take the wrong way round."""
    return f"{day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"


def order_from_locale(value) -> str | None:
    """The numeric-date order of a locale tag with a country (``en-US``, ``en_GB``, ``fr-FR``), or
    None: a language alone (``en``) does not say whether its writers are American."""
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})+", value.strip()):
        return None
    language, country = value.strip().lower().replace("_", "-").split("-")[:2]
    return MONTH_FIRST if f"{language}-{country}" in MONTH_FIRST_LOCALES else DAY_FIRST


def declared_order(fields: dict) -> str | None:
    """The order a record, entry or file declares: ``date_order`` (``day-first``/``month-first``,
    ``DMY``/``MDY``), else a ``locale`` or ``language`` tag with a country."""
    order = fields.get("date_order")
    if isinstance(order, str):
        normal = order.strip().lower().replace("_", "-").replace(" ", "-")
        if normal in (DAY_FIRST, "dmy", "day"):
            return DAY_FIRST
        if normal in (MONTH_FIRST, "mdy", "month"):
            return MONTH_FIRST
    return order_from_locale(fields.get("locale")) or order_from_locale(fields.get("language"))


def order_complaint(fields: dict) -> str | None:
    """Why a ``date_order`` or ``locale`` given in ``fields`` says nothing, or None."""
    order = fields.get("date_order")
    if isinstance(order, str) and order.strip() and declared_order({"date_order": order}) is None:
        return f"'date_order' {order[:40]!r} is not \"day-first\" or \"month-first\"; ignored"
    locale = fields.get("locale")
    if isinstance(locale, str) and locale.strip() and order_from_locale(locale) is None:
        return f"'locale' {locale[:40]!r} is not a locale with a country (such as en-US or en-GB); ignored"
    return None


@dataclass(frozen=True)
class _NumericParts:
    first: int
    second: int
    year_text: str
    dotted: bool  # 2.11.1999: the day-first form by itself
    rest: str     # what follows the year: a time, or nothing


def _numeric_parts(text: str) -> _NumericParts | None:
    match = _NUMERIC.match(text)
    if not match:
        return None
    first, separator, second, separator2, year_text, rest = match.groups()
    dotted = separator.strip() == separator2.strip() == "."
    return _NumericParts(int(first), int(second), year_text, dotted, rest)


def _numeric_order(value) -> str | None:
    """The only order a numeric date can be read in, or None (not numeric, or both orders fit)."""
    if not isinstance(value, str):
        return None
    parts = _numeric_parts(" ".join(value.split()))
    if not parts or parts.dotted:
        return None
    first, second = parts.first, parts.second
    if first > 12 >= second >= 1:
        return DAY_FIRST
    if second > 12 >= first >= 1:
        return MONTH_FIRST
    return None


def file_order(records: list, keys: tuple[str, ...], top: dict | None = None) -> str | None:
    """The numeric-date order of a whole meta.json or feed: declared at its top, or shown by its
    numeric dates that can be read only one way (when they all agree)."""
    if isinstance(top, dict):
        declared = declared_order(top)
        if declared:
            return declared
    shown = {_numeric_order(record.get(key)) for record in records if isinstance(record, dict) for key in keys}
    shown.discard(None)
    return shown.pop() if len(shown) == 1 else None


def _utc(when: datetime) -> datetime:
    return when.astimezone(timezone.utc).replace(tzinfo=None) if when.tzinfo else when


def _iso(text: str) -> datetime | None:
    text = text.replace("T", " ").replace("Z", "+00:00")
    for fmt in _ISO_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _rfc2822(text: str) -> datetime | None:
    if not _RFC2822_START.match(text):
        return None
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _numeric(text: str, other_days: set[date], hint: str | None) -> tuple[datetime, str | None] | None:
    parts = _numeric_parts(text)
    if not parts:
        return None
    year_text = parts.year_text
    if len(year_text) not in (2, 4):
        raise DateError(f"has a {len(year_text)}-digit year")
    year = int(year_text)
    if len(year_text) == 2:  # as strptime's %y: 69-99 are 1900s, 00-68 2000s
        year += 1900 if year >= 69 else 2000
    readings = {}
    for order, (day, month) in ((DAY_FIRST, (parts.first, parts.second)), (MONTH_FIRST, (parts.second, parts.first))):
        try:
            readings[order] = date(year, month, day)
        except ValueError:
            continue
    if not readings:
        raise ValueError("no such day")
    clock = _clock(parts.rest)
    note = None
    if len(readings) == 1 or readings[DAY_FIRST] == readings[MONTH_FIRST]:
        order = next(iter(readings))
    elif parts.dotted:
        order = DAY_FIRST
    elif agreeing := [o for o, d in readings.items() if d in other_days]:
        order = agreeing[0]
    elif hint is not None:
        order = hint
    else:
        order = DEFAULT_ORDER
        other = MONTH_FIRST if order == DAY_FIRST else DAY_FIRST
        note = (f"{text!r} could be {spelled(readings[DAY_FIRST])} or {spelled(readings[MONTH_FIRST])}; "
                f"read as {spelled(readings[order])} ({order.replace('-', ' ')}, the default; "
                f'set "date_order": "{other}" in meta.json or the feed if that is wrong)')
    day = readings[order]
    return datetime(day.year, day.month, day.day, *clock[0]).replace(tzinfo=clock[1]), note


_CLOCK = re.compile(r"[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?\s*(Z|[+-]\d{2}:?\d{2}|[A-Z]{2,5})?\s*",
                    re.IGNORECASE)


def _clock(rest: str) -> tuple[tuple[int, int, int], timezone | None]:
    """(hour, minute, second) and zone of what follows a numeric date; ValueError when it is not a time."""
    if not rest.strip():
        return (0, 0, 0), None
    match = _CLOCK.fullmatch(rest)
    if not match:
        raise ValueError("not a time")
    hour, minute, second, half, zone = match.groups()
    hour, minute, second = int(hour), int(minute), int(second or 0)
    if half:
        if hour > 12:
            raise ValueError("not a time")
        hour = hour % 12 + (12 if half[0].lower() == "p" else 0)
    tz = None
    if zone:
        if zone.upper() in _ZONES:
            tz = timezone(timedelta(seconds=_ZONES[zone.upper()]))
        elif zone[0] in "+-":
            digits = zone[1:].replace(":", "")
            sign = -1 if zone[0] == "-" else 1
            tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        else:
            raise ValueError("unknown zone")
    return (hour, minute, second), tz


def _in_words(text: str) -> tuple[datetime, str | None] | None:
    from dateutil import parser as dateutil_parser

    note = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            # two different defaults: a part the text does not give comes out different
            first = dateutil_parser.parse(text, default=datetime(2000, 1, 1), tzinfos=_ZONES)
            second = dateutil_parser.parse(text, default=datetime(2001, 2, 2), tzinfos=_ZONES)
        except (ValueError, OverflowError, TypeError):
            return None
    missing = [part for part in ("day", "month", "year") if getattr(first, part) != getattr(second, part)]
    if len(missing) == 3:  # "Tuesday": a weekday only
        raise ValueError("not a date")
    if missing:
        raise DateError("has no " + " or ".join(missing))
    if any("tzname" in str(w.message) for w in caught):
        note = f"{text!r}: time zone not known; read as UTC"
    return first, note


def _read(value, other_days: set[date], hint: str | None) -> tuple[datetime, str | None]:
    """(date as written, with its zone when it has one; note) or ValueError."""
    text = " ".join(str(value).split())
    if not text or len(text) > MAX_DATE_CHARS:
        raise ValueError("not a date")
    _check_offset(text)
    when = _iso(text) or _rfc2822(text)
    if when is not None:
        return when, None
    read = _numeric(text, other_days, hint) or _in_words(text)
    if read is None:
        raise ValueError("not a date")
    return read


def _check_offset(text: str) -> None:
    """DateError when the text ends in a time zone offset no zone has (``-99:00``, ``+05:75``)."""
    match = _OFFSET.search(text)
    if not match:
        return
    sign, hours, minutes = match.groups()
    if int(minutes) >= 60 or timedelta(hours=int(hours), minutes=int(minutes)) > MAX_OFFSET:
        raise DateError(f"is not a date (time zone offset {sign}{hours}:{minutes} is out of range)")


def read_date(value, *, other_days: set[date] | None = None, hint: str | None = None) -> DateReading:
    """A publication date from metadata text (or a whole number such as 19990817).

    ``other_days``: the calendar days the same record's other date fields give (rule 3 above);
    ``hint``: the order the story or record declares or shows (rules 4 and 5).
    ValueError when the value is not a date (a DateError, whose message says why in words that
    follow the value, when there is more to say than that), OverflowError when its offset pushes
    it past year 1 or 9999."""
    when, note = _read(value, other_days or set(), hint)
    try:
        return DateReading(_utc(when), note)
    except ValueError:  # an offset some parser let through that Python cannot apply
        raise DateError("is not a date (its time zone offset is out of range)") from None


def plain_days(values: dict, keys: tuple[str, ...]) -> set[date]:
    """The calendar days, as written, of those ``keys`` that read one way only (no day/month guess)."""
    days = set()
    for key in keys:
        value = values.get(key)
        if value is None:
            continue
        numeric = _numeric_parts(" ".join(str(value).split()))
        if numeric and not numeric.dotted and not _numeric_order(str(value)):
            continue  # itself ambiguous: proves nothing
        try:
            days.add(_read(value, set(), DAY_FIRST)[0].date())
        except (ValueError, OverflowError):
            continue
    return days
