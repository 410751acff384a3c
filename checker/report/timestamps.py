"""Dates and times as ISO 8601, for the formats other programs read (CSV, the ClaimReview export).

The report contract writes a publication time as ``2024-05-07 00:00:00`` (``isoformat(sep=" ")``)
and a review decision as ``2026-11-21T10:00:00Z``. A spreadsheet or a schema.org reader wants
ISO 8601 proper: a date alone when the article gave only a date (time 00:00:00, no zone: what
meta.json's ``"date": "2024-05-07"`` becomes), else the date and time joined by ``T``, with the
zone when one is known (UTC as ``Z``).
"""
from __future__ import annotations

from datetime import date, datetime, time
from typing import Any


def iso8601(value: Any) -> str | None:
    """``value`` (a datetime, a date or such a string) in ISO 8601; None for nothing; a string
    that is not a date is returned unchanged, never dropped."""
    if value is None or value == "":
        return None
    when = value
    if isinstance(value, str):
        text = value.strip()
        try:
            when = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
        except ValueError:
            return value
    if isinstance(when, datetime):
        if when.tzinfo is None and when.time() == time(0, 0):
            return when.date().isoformat()
        shown = when.isoformat()
        if when.utcoffset() is not None and not when.utcoffset():
            shown = shown[: -len("+00:00")] + "Z"
        return shown
    if isinstance(when, date):
        return when.isoformat()
    return str(value)
