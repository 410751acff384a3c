"""Load and validate ``rules.yaml``.

Each rule: ``id`` (unique), ``kind`` (one of the rule-kind modules in ``checker/``),
``severity`` (error, warning, info), ``message`` (a template; ``{subject}``, ``{values}``,
``{sources}`` and kind-specific fields), ``claim_types`` (list), optional ``enabled`` (default
true) and the kind's own parameters under ``params``. Every problem is reported as an
``InputError`` naming the file and line: unknown kind, missing key, wrong type, bad regex,
unknown parameter.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from claims.errors import InputError
from checker.findings import SEVERITIES

REQUIRED = {"id": str, "kind": str, "severity": str, "message": str, "claim_types": list}
OPTIONAL = {"enabled": bool, "params": dict, "description": str}


@dataclass
class Rule:
    id: str
    kind: str
    severity: str
    message: str
    claim_types: list[str]
    params: dict[str, Any] = field(default_factory=dict)
    enabled: bool = True
    description: str = ""
    source: str = ""  # file:line where the rule is defined


@dataclass
class RuleSet:
    path: str
    rules: list[Rule]

    @property
    def enabled(self) -> list[Rule]:
        return [r for r in self.rules if r.enabled]


def default_rules_path() -> Path:
    """rules.yaml shipped in the wheel, else the one at the top of the source tree."""
    packaged = resources.files("checker") / "default_rules.yaml"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "rules.yaml"


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping, for error messages."""


def _construct_mapping(loader, node, deep=False):
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _strip_lines(value):
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def _check_type(path: str, line: int, where: str, value, expected) -> None:
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        names = {str: "a string", list: "a list", dict: "a mapping", bool: "true or false",
                 int: "an integer", float: "a number"}
        raise InputError(path, f"{where} must be {names.get(expected, expected.__name__)}, got {type(value).__name__}", line)


def load_rules(path: str | Path | None = None) -> RuleSet:
    from checker.kinds import KINDS  # imported here: kind modules import this module's types

    file = Path(path) if path else default_rules_path()
    shown = str(file)
    if not file.is_file():
        raise InputError(shown, "rules file not found")
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(shown, "rules file is not valid UTF-8") from None
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(shown, f"invalid YAML: {problem}", mark.line + 1 if mark else None) from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise InputError(shown, "expected a top-level 'rules:' list", 1)
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for entry in data["rules"]:
        if not isinstance(entry, dict):
            raise InputError(shown, "each rule must be a mapping", None)
        line = entry.get("__line__")
        for key, expected in REQUIRED.items():
            if key not in entry:
                raise InputError(shown, f"rule {entry.get('id', '?')!r} is missing '{key}'", line)
            _check_type(shown, line, f"rule {entry.get('id', '?')!r}: '{key}'", entry[key], expected)
        for key, value in entry.items():
            if key == "__line__":
                continue
            if key not in REQUIRED and key not in OPTIONAL:
                raise InputError(shown, f"rule {entry['id']!r}: unknown key '{key}'", line)
            if key in OPTIONAL:
                _check_type(shown, line, f"rule {entry['id']!r}: '{key}'", value, OPTIONAL[key])
        rule_id, kind = entry["id"], entry["kind"]
        if rule_id in seen:
            raise InputError(shown, f"duplicate rule id {rule_id!r} (first at line {seen[rule_id]})", line)
        seen[rule_id] = line
        if kind not in KINDS:
            raise InputError(shown, f"rule {rule_id!r}: unknown kind {kind!r} (known: {', '.join(sorted(KINDS))})", line)
        if entry["severity"] not in SEVERITIES:
            raise InputError(shown, f"rule {rule_id!r}: severity must be one of {', '.join(SEVERITIES)}", line)
        module = KINDS[kind]
        params = dict(module.DEFAULTS)
        given = entry.get("params") or {}
        pline = given.get("__line__", line) if isinstance(given, dict) else line
        for key, value in _strip_lines(given).items():
            if key not in module.DEFAULTS:
                raise InputError(shown, f"rule {rule_id!r}: unknown parameter '{key}' for kind {kind!r} "
                                        f"(known: {', '.join(sorted(module.DEFAULTS))})", pline)
            default = module.DEFAULTS[key]
            if default is not None:
                _check_type(shown, pline, f"rule {rule_id!r}: parameter '{key}'", value,
                            float if isinstance(default, float) else type(default))
            params[key] = value
        for key in getattr(module, "REGEX_PARAMS", ()):
            patterns = params.get(key) or []
            for pattern in patterns if isinstance(patterns, list) else [patterns]:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise InputError(shown, f"rule {rule_id!r}: bad regex in '{key}': {exc}", pline) from None
        rule = Rule(id=rule_id, kind=kind, severity=entry["severity"], message=entry["message"],
                    claim_types=list(entry["claim_types"]), params=params,
                    enabled=entry.get("enabled", True), description=entry.get("description", ""),
                    source=f"{shown}:{line}")
        validate = getattr(module, "validate", None)
        if validate:
            try:
                validate(rule, file.parent)
            except ValueError as exc:
                raise InputError(shown, f"rule {rule_id!r}: {exc}", pline) from None
        rules.append(rule)
    return RuleSet(path=shown, rules=rules)
