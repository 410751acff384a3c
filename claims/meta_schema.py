"""The declared shape of story metadata (``meta.json`` entries) and feed records, and the limits
on the JSON they come in. Everything here is checked at the edge, before any other code sees it.

Fields, one table (``FIELDS``): what each accepts, and what a value of any other type costs.
``null`` and ``""`` mean absent and cost nothing; fields not listed are ignored.

==========================  ========  ====================  ==========================================
field                       in        accepts               a value of another type
==========================  ========  ====================  ==========================================
file                        meta      text                  problem: the entry is ignored (the file is
                                                            still read, without its metadata)
text, body, content,        feed      text                  problem when no text field is text: the
article                                                     record is skipped; otherwise a warning
id                          both      text, whole number    warning: the default id is used (file
                                                            name, or feed name and record number)
outlet, source              both      text                  warning: outlet left unknown
headline, title             both      text                  warning: title left unknown
author, byline              both      text                  warning: author left unknown
locale, language,           both      text                  warning: ignored (they say which order an
date_order                                                  all-numeric date is in: claims.meta_dates)
date, datetime, published   both      text, whole number    warning: date dropped, article kept
url, link                   both      text                  warning: url left unknown
==========================  ========  ====================  ==========================================

Only the fields an article cannot do without are problems (a meta entry's ``file`` names which
article it describes; a record's text is the article); everything else is description, so a
wrong one is dropped with a warning and the article is still checked.

Dates are read by ``claims.meta_dates`` (ISO, RFC 2822, all-numeric with a stated rule for the
order of day and month, dates in words); a date read with a guess is kept with a warning. A date
that does not parse, lies before ``EARLIEST_YEAR`` or more than
``MAX_DAYS_AHEAD`` days after today, or overflows when turned into UTC (year 1 with a
positive offset, year 9999 with a negative one) is dropped with a warning naming the record.

JSON: at most ``MAX_JSON_DEPTH`` levels of nesting (checked by a linear scan before parsing, so a
file of 100,000 ``[`` never reaches the parser's recursion), numbers of at most 4,300 digits
(Python's limit) and ``MAX_FEED_RECORDS`` records per feed. Text taken from JSON has its lone
surrogates (``"\\ud800"``, valid JSON but not encodable text) replaced by U+FFFD, one character
for one, so offsets into it keep their meaning.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from claims.lazy_re import lazy_compile
from claims.meta_dates import DateError, plain_days, read_date

MAX_JSON_DEPTH = 64
MAX_FEED_RECORDS = 10_000
EARLIEST_YEAR = 1800
MAX_DAYS_AHEAD = 7

PROBLEM, WARNING = "problem", "warning"
TEXT = (str,)
TEXT_OR_NUMBER = (str, int)


@dataclass(frozen=True)
class Field:
    accepts: tuple[type, ...]
    inputs: tuple[str, ...]   # "meta" (meta.json articles[]) and/or "feed" (records of .json/.jsonl)
    if_wrong: str             # PROBLEM or WARNING
    consequence: str          # what a wrong value costs, said in the message


FIELDS: dict[str, Field] = {
    "file": Field(TEXT, ("meta",), PROBLEM, "entry ignored"),
    **{key: Field(TEXT, ("feed",), PROBLEM, "record skipped") for key in ("text", "body", "content", "article")},
    "id": Field(TEXT_OR_NUMBER, ("meta", "feed"), WARNING, "default id used"),
    "outlet": Field(TEXT, ("meta", "feed"), WARNING, "outlet left unknown"),
    "source": Field(TEXT, ("feed",), WARNING, "outlet left unknown"),
    **{key: Field(TEXT, ("meta", "feed"), WARNING, "title left unknown") for key in ("headline", "title")},
    **{key: Field(TEXT_OR_NUMBER, ("meta", "feed"), WARNING, "date dropped")
       for key in ("date", "datetime", "published")},
    "url": Field(TEXT, ("meta", "feed"), WARNING, "url left unknown"),
    **{key: Field(TEXT, ("meta", "feed"), WARNING, "author left unknown") for key in ("author", "byline")},
    **{key: Field(TEXT, ("meta", "feed"), WARNING, "ignored") for key in ("locale", "language", "date_order")},
    "link": Field(TEXT, ("feed",), WARNING, "url left unknown"),
}
TEXT_KEYS = ("text", "body", "content", "article")
META_DATE_KEYS = ("datetime", "date", "published")  # the first that parses wins
FEED_DATE_KEYS = ("published", "date", "datetime")

_KIND_NAMES = {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "an object",
               str: "text"}
_ACCEPT_NAMES = {TEXT: "text", TEXT_OR_NUMBER: "text or a whole number"}


@dataclass
class Checked:
    """A record's fields that have the declared type, and what was wrong with the others."""

    values: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def kind_of(value) -> str:
    return _KIND_NAMES.get(type(value), type(value).__name__)


def _accepted(value, accepts: tuple[type, ...]) -> bool:
    # JSON true/false are Python ints; an id or a date of True is not meant
    return isinstance(value, accepts) and not isinstance(value, bool)


def check_fields(record: dict, source: str) -> Checked:
    """Check a meta.json entry (``source="meta"``) or a feed record (``"feed"``) against FIELDS.

    ``values`` keeps the present, well-typed fields (numbers as text, lone surrogates replaced);
    each badly typed one is a message in ``warnings`` or ``problems`` as the table says."""
    out = Checked()
    for key, spec in FIELDS.items():
        if source not in spec.inputs or key not in record:
            continue
        value = record[key]
        if value is None or value == "":
            continue
        if _accepted(value, spec.accepts):
            out.values[key] = clean_text(value if isinstance(value, str) else str(value))
            continue
        message = f"'{key}' is {kind_of(value)}, not {_ACCEPT_NAMES[spec.accepts]}"
        if spec.if_wrong == WARNING:
            out.warnings.append(f"{message}; {spec.consequence}")
        elif key in TEXT_KEYS and _has_text(record):  # another text field carries the article
            out.warnings.append(f"{message}; ignored")
        else:
            out.problems.append(f"{message}; {spec.consequence}")
    return out


def _has_text(record: dict) -> bool:
    return any(isinstance(record.get(k), str) and record[k].strip() for k in TEXT_KEYS)


# --- dates -------------------------------------------------------------------------------------

def parse_date(value, *, other_days=None, hint: str | None = None) -> datetime:
    """A naive UTC datetime from a metadata date (ISO, RFC 2822, numeric, in words: see
    ``claims.meta_dates``); ValueError when it is not one, OverflowError when its offset pushes it
    past year 1 or 9999."""
    return read_date(value, other_days=other_days, hint=hint).when


def date_in_range(when: datetime, now: datetime | None = None) -> str | None:
    """Why a publication date cannot be right, or None when it can."""
    if when.year < EARLIEST_YEAR:
        return f"is before {EARLIEST_YEAR}"
    latest = (now or datetime.now(timezone.utc).replace(tzinfo=None)) + timedelta(days=MAX_DAYS_AHEAD)
    if when > latest:
        return f"is more than {MAX_DAYS_AHEAD} days in the future"
    return None


def checked_date(value, *, other_days=None, hint: str | None = None) -> tuple[datetime | None, str | None, str | None]:
    """(date, None, note) when ``value`` is a sane publication date, else (None, why not, None).
    ``note`` says how a date was read when that was a guess (an ambiguous day and month)."""
    try:
        reading = read_date(value, other_days=other_days, hint=hint)
    except ValueError as exc:
        return None, (str(exc) if isinstance(exc, DateError) else "is not a date"), None
    except OverflowError:
        return None, "is out of range", None
    why = date_in_range(reading.when)
    return (None, why, None) if why else (reading.when, None, reading.note)


def first_date(values: dict, keys: tuple[str, ...], *, hint: str | None = None) -> tuple[datetime | None, list[str]]:
    """The first of ``keys`` holding a sane date, and the warnings to give: how it was read when
    that was a guess, or, when no key holds a date, why the first one given is not — none when
    no date was given at all. ``hint``: the day/month order the file or record declares or shows."""
    complaint = None
    other_days = plain_days(values, keys)
    for key in keys:
        if key not in values:
            continue
        when, why, note = checked_date(values[key], other_days=other_days, hint=hint)
        if when is not None:
            return when, [f"'{key}' {note}"] if note else []
        complaint = complaint or f"'{key}' {shown(values[key])} {why}; date dropped"
    return None, [complaint] if complaint else []


def shown(value, limit: int = 40) -> str:
    text = str(value)
    return repr(text if len(text) <= limit else text[:limit] + "...")


# --- text from JSON ----------------------------------------------------------------------------

_LONE_SURROGATE = lazy_compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` with lone surrogates (from JSON escapes) replaced by U+FFFD, one for one."""
    return text if text.isascii() else _LONE_SURROGATE.sub("\ufffd", text)


# --- JSON limits -------------------------------------------------------------------------------

# Quotes, escapes and brackets: enough to follow nesting outside strings in one linear pass.
_JSON_TOKEN = lazy_compile(r'\\.|["\[\]{}]', re.DOTALL)


class JSONLimitError(ValueError):
    """The JSON is too deeply nested (or otherwise past a limit) to be read safely."""


def check_depth(text: str, limit: int = MAX_JSON_DEPTH) -> None:
    """Raise JSONLimitError when brackets outside strings nest deeper than ``limit``."""
    if text.count("[") + text.count("{") <= limit:
        return
    depth, in_string = 0, False
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token == '"':
            in_string = not in_string
        elif in_string or token[0] == "\\":
            continue
        elif token in "[{":
            depth += 1
            if depth > limit:
                raise JSONLimitError(f"JSON nested more than {limit} levels deep")
        else:
            depth -= 1


def loads(text: str):
    """``json.loads`` within the limits: JSONLimitError for deep nesting or a number too long,
    json.JSONDecodeError for bad syntax."""
    check_depth(text)
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except RecursionError:  # a backstop: check_depth keeps nesting far below the recursion limit
        raise JSONLimitError("JSON nested too deeply") from None
    except ValueError as exc:  # Python refuses integers of more than 4,300 digits
        raise JSONLimitError(f"JSON value out of range ({str(exc).split(':')[0]})") from None
