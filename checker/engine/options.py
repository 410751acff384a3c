"""A rule kind's options, declared once: ``OPTIONS`` is one table of ``Option`` (name, default,
what values it accepts, one line of meaning). From it come the defaults a rule starts from,
the check of every value a rules file gives (the error says what is wrong, in words a rules-file
error line shows), the options section of the kind's docstring (``with_options``) and the
options table of docs/rules.md. Regex options run on RE2 (``compile_pattern``), which takes
time linear in the text, so no pattern a user writes can hang a check.
"""
from __future__ import annotations

import copy
import math
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import re2

from checker.engine.findings import SEVERITIES


@dataclass(frozen=True)
class Value:
    """What a value may be: its type; for a number its range (``low``/``high`` inclusive); for a
    string its choices; for a list the ``Value`` of each item and its exact ``length``; for a
    mapping (``dict``) the ``Value`` of each key (``key``) and of each value (``item``);
    ``regex`` for a string that is a pattern; ``nullable`` when null (None) is accepted too: it
    switches the option off (no magic numbers standing for "off")."""

    type: type
    item: Value | None = None
    key: Value | None = None
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    length: int | None = None
    regex: bool = False
    nullable: bool = False

    def or_null(self) -> Value:
        """The same, with null accepted: the option is off."""
        return replace(self, nullable=True)


FLAG = Value(bool)
COUNT = Value(int, low=0)
POSITIVE = Value(int, low=1)
FRACTION = Value(float, low=0, high=1)
PERCENT = Value(float, low=0, high=100)
NON_NEGATIVE = Value(float, low=0)
TEXT = Value(str)
WORDS = Value(list, item=TEXT)
REGEXES = Value(list, item=Value(str, regex=True))
SEVERITY = Value(str, choices=SEVERITIES)


def choice(*choices: str) -> Value:
    return Value(str, choices=choices)


def list_of(item: Value, length: int | None = None) -> Value:
    return Value(list, item=item, length=length)


def mapping_of(key: Value, item: Value) -> Value:
    return Value(dict, key=key, item=item)


@dataclass(frozen=True)
class Option:
    """One option of a rule kind: ``name`` in rules.yaml's ``params``, its ``default``, the values
    it ``accepts`` and what it does, in one line of plain English (``meaning``)."""

    name: str
    default: Any
    accepts: Value
    meaning: str

    def problem(self, value: Any) -> tuple[str, int | None] | None:
        """What is wrong with ``value`` for this option, and the line of the list item at fault
        if known; None when it is fine."""
        return value_problem(self.accepts, value)


class Options:
    """A kind's options, in the order its documentation lists them."""

    def __init__(self, *options: Option | Options):
        self._options: dict[str, Option] = {}
        for option in options:
            for one in (option if isinstance(option, Options) else [option]):
                if one.name in self._options:
                    raise ValueError(f"option {one.name!r} declared twice")
                self._options[one.name] = one

    def __iter__(self) -> Iterator[Option]:
        return iter(self._options.values())

    def __contains__(self, name: object) -> bool:
        return name in self._options

    def __getitem__(self, name: str) -> Option:
        return self._options[name]

    def __len__(self) -> int:
        return len(self._options)

    @property
    def names(self) -> list[str]:
        return list(self._options)

    def defaults(self) -> dict[str, Any]:
        """Every option at its default (lists copied, so a rule may keep its own)."""
        return {o.name: copy.deepcopy(o.default) for o in self}

    @property
    def regexes(self) -> list[str]:
        """The options whose values are lists of regexes."""
        return [o.name for o in self if o.accepts.item is not None and o.accepts.item.regex]

    def docstring(self) -> str:
        """The options section of a kind's docstring: each option with its default, what it
        accepts and what it does."""
        if not self._options:
            return "Options: none."
        lines = ["Options (``params`` in rules.yaml; name: default, then what it accepts and does):"]
        for o in self:
            lines.append(f"  {o.name}: {yaml_text(o.default)}")
            lines += textwrap.wrap(f"{accepts_text(o.accepts)}; {o.meaning}", width=96,
                                   initial_indent="      ", subsequent_indent="      ", break_on_hyphens=False)
        return "\n".join(lines)

    def markdown(self) -> str:
        """The options as a Markdown table for docs/rules.md."""
        if not self._options:
            return "No options."
        rows = ["| option | default | accepts | what it does |", "|---|---|---|---|"]
        for o in self:
            cells = [f"`{o.name}`", f"`{yaml_text(o.default)}`", accepts_text(o.accepts), o.meaning]
            rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        return "\n".join(rows)


def with_options(doc: str | None, options: Options) -> str:
    """A kind's docstring with its options section appended (``__doc__ = with_options(__doc__,
    OPTIONS)``), so ``help()``, ``claimcheck rules`` and docs/rules.md show the same text."""
    return (doc or "").rstrip() + "\n\n" + options.docstring() + "\n"


# --- how values are shown ----------------------------------------------------------------------

_PLAIN = re.compile(r"^[A-Za-z_][\w.-]*$")


def yaml_text(value: Any) -> str:
    """A default as rules.yaml would write it: ``[claim_type, attribute]``, ``0.1``, ``null``."""
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{yaml_text(k)}: {yaml_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(yaml_text(v) for v in value) + "]"
    if isinstance(value, str):
        plain = _PLAIN.match(value) and value.lower() not in ("null", "true", "false", "yes", "no", "on", "off")
        return value if plain else "'" + value.replace("'", "''") + "'"
    return str(value)


def accepts_text(spec: Value) -> str:
    """What a ``Value`` accepts, in words: "a number between 0 and 1", "a list of regexes"."""
    if spec.type is list:
        count = f"{spec.length} " if spec.length is not None else ""
        items = _plural(accepts_text(spec.item)) if spec.item is not None else "values"
        return f"a list of {count}{items}" + (", or null (off)" if spec.nullable else "")
    if spec.type is dict:
        keys = _plural(accepts_text(spec.key)) if spec.key is not None else "names"
        items = accepts_text(spec.item) if spec.item is not None else "a value"
        return f"a mapping of {keys} to {items}" + (", or null (off)" if spec.nullable else "")
    if spec.regex:
        return "a regex (RE2)"
    text = TYPE_NAMES.get(spec.type, spec.type.__name__)
    if spec.type is bool:
        text = "true or false"
    if spec.type in (int, float) and (spec.low is not None or spec.high is not None):
        text += " " + range_text(spec)
    if spec.choices:
        text = "one of " + ", ".join(spec.choices)
    return text + ", or null (off)" if spec.nullable else text


def _plural(item: str) -> str:
    """ "a whole number at least 0" -> "whole numbers at least 0" (for "a list of ...")."""
    words = {"a string": "strings", "a whole number": "whole numbers", "a number": "numbers",
             "a regex (RE2)": "regexes (RE2)", "true or false": "true/false values", "a list": "lists"}
    for single, plural in words.items():
        if item.startswith(single):
            return plural + item[len(single):]
    if item.startswith("one of "):
        return "values, each " + item
    if item.startswith("a list"):
        return "lists" + item[len("a list"):]
    return item


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


def range_text(spec: Value) -> str:
    if spec.low is not None and spec.high is not None:
        return f"between {_number(spec.low)} and {_number(spec.high)}"
    return f"at least {_number(spec.low)}" if spec.low is not None else f"at most {_number(spec.high)}"


def value_problem(spec: Value, value) -> tuple[str, int | None] | None:
    """What is wrong with a value, and the line of the list item at fault if known; None when
    the value is fine."""
    if value is None and spec.nullable:
        return None
    null = ", or null (off)" if spec.nullable else ""
    if not is_type(value, spec.type):
        return f"must be {TYPE_NAMES.get(spec.type, spec.type.__name__)}{null}, got {describe(value)}", None
    if spec.type is list:
        if spec.length is not None and len(value) != spec.length:
            return f"must have {spec.length} items, got {len(value)}", None
        if spec.item is not None:
            lines = getattr(value, "item_lines", [])
            for i, item in enumerate(value):
                found = value_problem(spec.item, item)
                if found:
                    problem, line = found
                    return f"item {i + 1} {problem}", line or (lines[i] if i < len(lines) else None)
        return None
    if spec.type is dict:
        key_lines = getattr(value, "key_lines", {})
        for key, item in value.items():
            for part, part_spec in (("key", spec.key), ("value", spec.item)):
                found = value_problem(part_spec, key if part == "key" else item) if part_spec is not None else None
                if found:
                    problem, line = found
                    where = f"key {short_value(key)}" if part == "key" else f"{short_value(key)}"
                    return f"{where} {problem}", line or key_lines.get(key)
        return None
    if spec.type in (int, float):
        if not math.isfinite(value):
            return f"must be a finite number, got {value}", None
        if (spec.low is not None and value < spec.low) or (spec.high is not None and value > spec.high):
            return f"must be {range_text(spec)}{null}, got {_number(value)}", None
    if spec.choices and value not in spec.choices:
        return f"must be one of {', '.join(spec.choices)}{null}, got {describe(value)}", None
    return None


# --- regexes ------------------------------------------------------------------------------------

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
