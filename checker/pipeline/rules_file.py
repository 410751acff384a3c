"""Load and validate ``rules.yaml``.

Each rule: ``id`` (unique), ``kind`` (one of the rule-kind modules in ``checker/rules/``),
``severity`` (error, warning, info), ``message`` (a template of plain ``{name}`` placeholders,
the ones its kind fills: its ``MESSAGE_FIELDS``), ``claim_types`` (a list of the extractors'
claim types), optional ``enabled`` (default true) and the kind's own options under ``params``,
each checked against the kind's ``OPTIONS`` table (type, the type of a list's items, range or
choices). Regexes are compiled with RE2, which runs in time linear in the text, so a rule
cannot hang a check.

An optional top-level ``quote_families:`` mapping, next to ``rules:``, sets how quotes are
aligned into families for the whole story (``checker.engine.quote_families.SETTINGS``); every
quote rule, value_conflict's ``quoted_statements`` and the reports' quotes side by side read those
families. A rule that gives one of these settings itself is refused, saying where it moved.

``build_rule`` also checks a claimcheck.yaml entry changing one rule (``base``: only the keys it
gives), for ``checker.pipeline.config``, which reads that file with ``read_yaml`` under the same
limits.

Everything is checked when the file is loaded, never half-way through a report: every problem
is an ``InputError`` naming the file and line. The file itself must be a regular file of at
most ``MAX_RULES_BYTES`` in UTF-8; YAML nesting deeper than ``MAX_DEPTH`` or expanding (through
aliases) to more than ``MAX_NODES`` values is refused before anything is built from it.
"""
from __future__ import annotations

import os
import stat
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from claims.errors import InputError
from claims.extract import EXTRACTORS
from checker.engine.findings import SEVERITIES, message_placeholders
from checker.engine.options import TYPE_NAMES, Options, compile_pattern, describe, is_type, short_value
from checker.engine.quote_families import SETTINGS
from checker.engine.rule import Rule, RuleSet
from checker.rules import KINDS

REQUIRED = {"id": str, "kind": str, "severity": str, "message": str, "claim_types": list}
OPTIONAL = {"enabled": bool, "params": dict, "description": str}

MAX_RULES_BYTES = 1 << 20  # rules.yaml is a few KB; a bigger file is a mistake or an attack
MAX_DEPTH = 32  # rules.yaml nests 6 deep (rules > rule > params > pairs > pair)
MAX_NODES = 1_000_000  # values after expanding aliases; an alias-free file under the size limit has fewer


def default_rules_path() -> Path:
    """rules.yaml shipped in the wheel, else the one at the top of the source tree."""
    packaged = resources.files("checker") / "default_rules.yaml"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "rules.yaml"


# --- reading the file --------------------------------------------------------------------------

class _Refused(Exception):
    """A YAML structure refused before anything is built from it."""

    def __init__(self, problem: str, mark) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = mark.line + 1 if mark is not None else None


class LineMapping(dict):
    """A YAML mapping that knows its line and the line of each key, for error messages."""

    line: int | None = None
    key_lines: dict = {}


class _Sequence(list):
    """A YAML sequence that knows its line and the line of each item, for error messages."""

    line: int | None = None
    item_lines: list = []


class _RulesLoader(yaml.SafeLoader):
    """SafeLoader that measures the document while composing it, before anything is built.

    PyYAML composes an alias as a second reference to the same node, so nine lines of aliases
    of aliases are a few nodes that expand to a billion values as soon as anything walks them.
    Each node records how many values it stands for with aliases expanded, and how deep it
    reaches; past ``MAX_NODES`` or ``MAX_DEPTH`` the file is refused. An alias to a node that is
    not finished yet (a structure containing itself) is refused too.
    """

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._depth = 0
        self._measured: dict[int, tuple[int, int]] = {}  # id(node) -> (values expanded, depth)

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            target = self.anchors.get(event.anchor)
            if target is not None:  # (an undefined alias is the composer's own error)
                measured = self._measured.get(id(target))
                if measured is None:
                    raise _Refused(f"alias *{event.anchor} refers to a value that contains it", event.start_mark)
                if self._depth + measured[1] > MAX_DEPTH:
                    raise _Refused(f"nested more than {MAX_DEPTH} levels deep (through alias *{event.anchor})",
                                   event.start_mark)
            return super().compose_node(parent, index)
        if self._depth >= MAX_DEPTH:
            raise _Refused(f"nested more than {MAX_DEPTH} levels deep", self.peek_event().start_mark)
        self._depth += 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        else:
            children = node.value if isinstance(node, yaml.SequenceNode) else []
        values = 1 + sum(self._measured[id(child)][0] for child in children)
        depth = 1 + max((self._measured[id(child)][1] for child in children), default=0)
        if values > MAX_NODES:
            raise _Refused(f"the file expands to more than {MAX_NODES:,} values (aliases repeating aliases)",
                           node.start_mark)
        self._measured[id(node)] = (values, depth)
        return node


_MERGE_TAG = "tag:yaml.org,2002:merge"


def _construct_mapping(loader, node):
    first: dict[tuple[str, str], int] = {}
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag != _MERGE_TAG:
            # PyYAML keeps the last of two equal keys without a word; in a rule that silently
            # drops the first 'params:' or 'message:'
            ident = (key_node.tag, key_node.value)
            if ident in first:
                raise _Refused(f"duplicate key {key_node.value!r} (first at line {first[ident]})", key_node.start_mark)
            first[ident] = key_node.start_mark.line + 1
    mapping = LineMapping(yaml.SafeLoader.construct_mapping(loader, node))
    mapping.line = node.start_mark.line + 1
    # (after construct_mapping: merged '<<' keys come first, so a key written here wins)
    mapping.key_lines = {loader.construct_object(k): k.start_mark.line + 1 for k, _ in node.value}
    return mapping


def _construct_sequence(loader, node):
    items = _Sequence(loader.construct_sequence(node))
    items.line = node.start_mark.line + 1
    items.item_lines = [child.start_mark.line + 1 for child in node.value]
    return items


_RulesLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_RulesLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def read_text(file: Path, shown: str, what: str = "rules file") -> str:
    """The text of a rules (or ``what``) file: a regular file, at most MAX_RULES_BYTES, UTF-8."""
    if file.is_dir():
        raise InputError(shown, f"is a folder, not a {what}")
    try:
        # non-blocking: opening a FIFO with no writer would otherwise wait for ever
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputError(shown, f"{what} not found") from None
    except OSError as exc:
        raise InputError(shown, f"cannot read the {what}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(shown, f"is a folder, not a {what}")
        if not stat.S_ISREG(mode):
            raise InputError(shown, f"not a regular file (a device, FIFO or socket); a {what} must be a file")
        try:
            data = handle.read(MAX_RULES_BYTES + 1)
        except OSError as exc:
            raise InputError(shown, f"cannot read the {what}: {exc.strerror or exc}") from None
    if len(data) > MAX_RULES_BYTES:
        raise InputError(shown, f"{what} too large (over {MAX_RULES_BYTES:,} bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(shown, f"{what} is not valid UTF-8 (byte {exc.start})",
                         data.count(b"\n", 0, exc.start) + 1) from None


def _parse(text: str, shown: str):
    try:
        return yaml.load(text, Loader=_RulesLoader)  # noqa: S506 - a SafeLoader subclass
    except _Refused as exc:
        raise InputError(shown, exc.problem, exc.line) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(shown, f"invalid YAML: {problem}", mark.line + 1 if mark else None) from None


def read_yaml(file: Path, what: str = "rules file"):
    """A rules or settings file read and parsed with the checks above (size, UTF-8, nesting,
    aliases): mappings and lists that know their lines, or None for an empty file."""
    shown = str(file)
    return _parse(read_text(file, shown, what), shown)


# --- checking values -----------------------------------------------------------------------------

def _check_type(path: str, line: int | None, where: str, value, expected) -> None:
    if not is_type(value, expected):
        expected_name = TYPE_NAMES.get(expected, expected.__name__)
        raise InputError(path, f"{where} must be {expected_name}, got {describe(value)}", line)


def _plain(value):
    """Plain dicts and lists (the loader's line-aware ones dropped), each alias its own copy."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# --- the rules ------------------------------------------------------------------------------------

def load_rules(path: str | Path | None = None) -> RuleSet:
    file = Path(path) if path else default_rules_path()
    shown = str(file)
    data = _parse(read_text(file, shown), shown)
    if data is None:
        raise InputError(shown, "rules file is empty; expected a top-level 'rules:' list")
    if not isinstance(data, dict):
        raise InputError(shown, f"expected a top-level 'rules:' list, got {describe(data)}", 1)
    if "rules" not in data:
        raise InputError(shown, "expected a top-level 'rules:' list", data.line)
    entries = data["rules"]
    if not isinstance(entries, list):
        raise InputError(shown, f"'rules' must be a list of rules, got {describe(entries)}",
                         data.key_lines.get("rules"))
    claim_types = sorted({m.CLAIM_TYPE for m in EXTRACTORS})
    rules: list[Rule] = []
    seen: dict[str, int | None] = {}
    for position, entry in enumerate(entries):
        if not isinstance(entry, dict):
            lines = entries.item_lines if isinstance(entries, _Sequence) else []
            raise InputError(shown, f"rule {position + 1} must be a mapping (id, kind, severity, message, "
                                    f"claim_types), got {describe(entry)}",
                             lines[position] if position < len(lines) else None)
        rule = build_rule(entry, shown, file.parent, KINDS, claim_types)
        line = getattr(entry, "line", None)
        if rule.id in seen:
            raise InputError(shown, f"duplicate rule id {rule.id!r} (first at line {seen[rule.id]})", line)
        seen[rule.id] = line
        rules.append(rule)
    return RuleSet(path=shown, rules=rules, quote_families=_quote_settings(data, shown))


def _quote_settings(data: dict, shown: str) -> dict[str, Any]:
    """The story-level quote family settings: the defaults overridden by 'quote_families:'."""
    given = data.get("quote_families")
    line = data.key_lines.get("quote_families")
    if given is not None and not isinstance(given, dict):
        raise InputError(shown, f"'quote_families' must be a mapping of settings, got {describe(given)}", line)
    return checked_options(given or {}, SETTINGS, shown, line, where="'quote_families'", noun="setting")


def build_rule(entry: dict, shown: str, rules_dir: Path, kinds: dict, claim_types: list[str],
          base: Rule | None = None, base_dir: Path | None = None) -> Rule:
    """One rule entry checked and built; InputError at its line for anything wrong. With
    ``base`` the entry changes that rule (claimcheck.yaml's ``rules:``): only the keys it gives,
    each option it gives over the rule's own values; ``base_dir`` is the folder of the file
    that gives the entry, where a file its options name is looked for first."""
    line = getattr(entry, "line", None)
    if base is None:
        name = short_value(entry["id"]) if "id" in entry else "'?'"
        for key, expected in REQUIRED.items():
            if key not in entry:
                raise InputError(shown, f"rule {name} is missing '{key}'", line)
            _check_type(shown, line, f"rule {name}: '{key}'", entry[key], expected)
        merged = dict(entry)
    else:
        name = short_value(base.id)
        for key, expected in REQUIRED.items():
            if key in entry:
                _check_type(shown, line, f"rule {name}: '{key}'", entry[key], expected)
        if entry.get("id", base.id) != base.id:
            raise InputError(shown, f"rule {name}: 'id' is {short_value(entry['id'])}; a rule is changed under "
                                    "its own id (give a new rule a new id)", line)
        if entry.get("kind", base.kind) != base.kind:
            raise InputError(shown, f"rule {name}: its kind is {base.kind!r}; a rule's kind cannot be changed "
                                    "(add a new rule with its own id, kind, severity, message and claim_types)", line)
        merged = {"id": base.id, "kind": base.kind, "severity": base.severity, "message": base.message,
                  "claim_types": base.claim_types, "enabled": base.enabled, "description": base.description}
        merged.update(entry)
    for key, value in entry.items():
        if key not in REQUIRED and key not in OPTIONAL:
            raise InputError(shown, f"rule {name}: unknown key {short_value(key)} (known: "
                                    f"{', '.join([*REQUIRED, *OPTIONAL])})", line)
        if key in OPTIONAL and not (key == "params" and value is None):  # an empty 'params:' is no params
            _check_type(shown, line, f"rule {name}: '{key}'", value, OPTIONAL[key])
    rule_id, kind, severity, message = merged["id"], merged["kind"], merged["severity"], merged["message"]
    if not rule_id.strip():
        raise InputError(shown, "a rule's 'id' must not be empty", line)
    if kind not in kinds:
        raise InputError(shown, f"rule {name}: unknown kind {kind!r} (known: {', '.join(sorted(kinds))})", line)
    if severity not in SEVERITIES:
        raise InputError(shown, f"rule {name}: severity must be one of {', '.join(SEVERITIES)}, "
                                f"got {describe(severity)}", line)
    try:
        placeholders = message_placeholders(message)
    except ValueError as exc:
        raise InputError(shown, f"rule {name}: bad 'message' template: {exc}", line) from None
    module = kinds[kind]
    provided = module.MESSAGE_FIELDS
    unknown = [p for p in placeholders if p not in provided]
    if unknown:
        raise InputError(shown, f"rule {name}: 'message' uses {{{unknown[0]}}}, which kind {kind!r} does not "
                                f"provide (it provides {', '.join('{' + p + '}' for p in sorted(provided))})", line)
    for i, claim_type in enumerate(merged["claim_types"], 1):
        if not isinstance(claim_type, str) or claim_type not in claim_types:
            raise InputError(shown, f"rule {name}: 'claim_types' item {i} is {describe(claim_type)}, not a claim "
                                    f"type (known: {', '.join(claim_types)})", line)
    params = _params(entry, module, shown, name, line, base.params if base is not None else None)
    here = f"{shown}:{line}"
    rule = Rule(id=rule_id, kind=kind, severity=severity, message=message,
                claim_types=list(merged["claim_types"]), params=params,
                enabled=merged.get("enabled", True), description=merged.get("description", ""),
                source=base.source if base is not None else here,
                changed_by=[*base.changed_by, here] if base is not None else [],
                base_dir=str(base_dir) if base_dir is not None else (base.base_dir if base is not None else None))
    validate = getattr(module, "validate", None)
    if validate:
        given = entry.get("params")
        pline = getattr(given, "line", None) or line
        try:
            validate(rule, rules_dir)
        except Exception as exc:  # noqa: BLE001 - whatever the kind's own check trips on is this rule's input
            problem = str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"
            raise InputError(shown, f"rule {name}: {' '.join(problem.split())}", pline) from None
    return rule


def _params(entry: dict, module, shown: str, name: str, line: int | None,
            base: dict[str, Any] | None = None) -> dict[str, Any]:
    """The kind's defaults (or ``base``, a rule's own values) overridden by the rule's
    ``params``, each checked against the kind's ``OPTIONS``. A quote family setting given to a
    kind that reads quote families is refused with where it belongs now."""
    moved = [] if "quote_families" not in module.READS else [s for s in SETTINGS.names if s not in module.OPTIONS]
    return checked_options(entry.get("params") or {}, module.OPTIONS, shown, line, where=f"rule {name}", noun="parameter",
                    owner=f" for kind {module.KIND!r}", moved=moved, base=base)


def checked_options(given: dict, options: Options, shown: str, line: int | None, *, where: str, noun: str,
             owner: str = "", moved: list[str] = (), base: dict[str, Any] | None = None) -> dict[str, Any]:
    """``options``' defaults (or the ``base`` values) overridden by the ``given`` values, each
    checked; InputError at the line of the first wrong one ("rule 'r1': parameter 'max_ratio'
    must be ...")."""
    key_lines = getattr(given, "key_lines", {})
    given_line = getattr(given, "line", None) or line
    values = options.defaults() if base is None else _plain(base)
    for key, value in given.items():
        key_line = key_lines.get(key, given_line)
        if not isinstance(key, str):
            raise InputError(shown, f"{where}: a {noun} name must be a string, got {describe(key)}", key_line)
        if key in moved:
            raise InputError(shown, f"{where}: '{key}' is a quote family setting now: set it once for the story "
                                    "in the top-level 'quote_families:' block, next to 'rules:'", key_line)
        if key not in options:
            known = f"known: {', '.join(sorted(options.names))}" if len(options) else f"it takes no {noun}s"
            raise InputError(shown, f"{where}: unknown {noun} '{key}'{owner} ({known})", key_line)
        found = options[key].problem(value)
        if found:
            problem, item_line = found
            raise InputError(shown, f"{where}: {noun} '{key}' {problem}", item_line or key_line)
        values[key] = _plain(value)
    for key in options.regexes:
        for pattern in values.get(key) or []:
            try:
                compile_pattern(pattern)
            except ValueError as exc:
                raise InputError(shown, f"{where}: bad regex {short_value(pattern)} in '{key}': {exc}",
                                 key_lines.get(key, given_line)) from None
    return values
