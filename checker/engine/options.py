"""What a rule kind's options accept, and the regexes rules run on.

``Param`` says what one option accepts (type, list items, range, choices); ``param_problem``
says what is wrong with a given value, in the words a rules-file error shows. Rule regexes are
compiled with RE2 (``compile_pattern``), which runs in time linear in the text.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import re2

from checker.engine.findings import SEVERITIES


@dataclass(frozen=True)
class Param:
    """What one rule parameter accepts: its type, for a list the spec of each item, for a number
    its range (``low``/``high`` inclusive; ``off`` a value outside it that switches the option
    off), for a string its choices, for a list its exact length."""

    type: type
    item: Param | None = None
    low: float | None = None
    high: float | None = None
    off: float | None = None
    choices: tuple[str, ...] = ()
    length: int | None = None


FLAG = Param(bool)
COUNT = Param(int, low=0)
POSITIVE = Param(int, low=1)
FRACTION = Param(float, low=0, high=1)
PERCENT = Param(float, low=0, high=100)
NON_NEGATIVE = Param(float, low=0)
SHARE_OR_OFF = Param(float, low=0)  # a share of words; anything above 1 switches the test off
TEXT = Param(str)
WORDS = Param(list, item=TEXT)
SEVERITY = Param(str, choices=SEVERITIES)

# --- checking values ---------------------------------------------------------------------------

TYPE_NAMES = {str: "a string", list: "a list", dict: "a mapping", bool: "true or false",
               int: "a whole number", float: "a number"}


def short_value(value) -> str:
    """A scalar as written in an error message, cut short."""
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def describe(value) -> str:
    """A value as an error message shows it: short scalars as written, containers by kind."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    kind = "true/false" if isinstance(value, bool) else TYPE_NAMES.get(type(value), type(value).__name__)
    return f"{short_value(value)} ({kind})"


def is_type(value, expected: type) -> bool:
    if expected in (int, float) and isinstance(value, bool):
        return False
    if expected is float:
        return isinstance(value, (int, float))
    return isinstance(value, expected)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _range_text(spec: Param) -> str:
    if spec.low is not None and spec.high is not None:
        text = f"between {_number(spec.low)} and {_number(spec.high)}"
    else:
        text = f"at least {_number(spec.low)}" if spec.low is not None else f"at most {_number(spec.high)}"
    return f"{_number(spec.off)} (off) or {text}" if spec.off is not None else text


def param_problem(spec: Param, value) -> tuple[str, int | None] | None:
    """What is wrong with a parameter's value, and the line of the list item at fault if known;
    None when the value is fine."""
    if not is_type(value, spec.type):
        return f"must be {TYPE_NAMES.get(spec.type, spec.type.__name__)}, got {describe(value)}", None
    if spec.type is list:
        if spec.length is not None and len(value) != spec.length:
            return f"must have {spec.length} items, got {len(value)}", None
        if spec.item is not None:
            lines = getattr(value, "item_lines", [])
            for i, item in enumerate(value):
                found = param_problem(spec.item, item)
                if found:
                    problem, line = found
                    return f"item {i + 1} {problem}", line or (lines[i] if i < len(lines) else None)
        return None
    if spec.type in (int, float):
        if not math.isfinite(value):
            return f"must be a finite number, got {value}", None
        if spec.off is not None and value == spec.off:
            return None
        if (spec.low is not None and value < spec.low) or (spec.high is not None and value > spec.high):
            return f"must be {_range_text(spec)}, got {_number(value)}", None
    if spec.choices and value not in spec.choices:
        return f"must be one of {', '.join(spec.choices)}, got {describe(value)}", None
    return None


_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False  # a refused pattern is one input error, not RE2 log lines on stderr


@lru_cache(maxsize=512)
def compile_pattern(pattern: str):
    """A rule's regex, compiled with RE2: matching takes time linear in the text, so no pattern
    can hang a check the way ``^(a|aa)+$`` hangs Python's backtracking ``re``. ValueError, saying
    why, for a pattern RE2 cannot run (backreferences, lookarounds)."""
    if not isinstance(pattern, str):
        raise ValueError(f"a pattern must be a string, got {describe(pattern)}")
    try:
        return re2.compile(pattern, options=_RE2_OPTIONS)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else "unknown error"
        reason = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
        hint = "; write \\z, not \\Z, for the end of the text" if "\\Z" in pattern else ""
        raise ValueError(f"{reason} (rule patterns run on RE2, which has no backreferences or "
                         f"lookarounds{hint})") from None


def compiled_patterns(patterns) -> list:
    """The RE2 objects of a list of rule patterns (compiled once, then cached)."""
    return [compile_pattern(p) for p in patterns or ()]
