"""``claimcheck.yaml``: a newsroom's settings on top of the shipped rules, as ruff's and Vale's
configuration files are, instead of an edited copy of rules.yaml.

Which file (``find_config``): ``--config FILE`` names it; else the nearest ``claimcheck.yaml``,
``.claimcheck.yaml`` or ``pyproject.toml`` with a ``[tool.claimcheck]`` table (in that order
within one folder) in the story's folder or a folder above it; else the same from the working
directory upward; ``--isolated`` reads none. Only the nearest file is read (no merging of every
file up the tree); it may name another with ``extend:``, applied first.

What it holds (every key optional; ``KEYS``)::

    extend: ../newsroom/claimcheck.yaml   # another settings file, applied before this one
    rules:                                # change a rule: only the keys given
      count-conflict:
        severity: warning
        params: {relative_tolerance: 0.05}
      quote-truncation: off               # shorthand: off / on, or a severity
      single-source: warning
      my-rule: {kind: ..., severity: ..., message: ..., claim_types: [...]}   # a new id adds a rule
    select: [value_conflict, quote]       # only these rules (ids, kinds, id prefixes, globs, ALL)
    ignore: [quote-missing]               # never these
    min_severity: warning                 # drop findings less severe
    house_style:                          # the house-style rule's lists (docs/rules.md)
      prefer: {Kyiv: [Kiev], Odesa: [Odessa]}
      reject: [Kiev Rus]
      accept: [Chicken Kiev]              # never flagged, by house-style nor as a spelling variant
    quote_families: {min_similarity: 65}  # as in rules.yaml

A settings file is checked as a rules file is (``checker.pipeline.rules_file``: size, UTF-8,
nesting, aliases, every key, type, option and RE2 regex), and every problem is one
``InputError`` naming the file, the line and the key.

Rule selection (``select_rules``): ``select`` keeps the rules it matches and switches them on,
every other rule off; then ``ignore`` switches off what it matches. A selector is a rule id, a
rule kind (``value_conflict``), an id prefix ending at a hyphen (``quote`` matches
``quote-wording``), a glob (``*-conflict``) or ``ALL``; one that matches no rule is an error,
and so is a selection that leaves no rule enabled. A rule a settings file turned off is switched
on again only by a selector that is its exact id.
The command line's ``--select`` replaces the file's ``select``; ``--ignore`` adds to its
``ignore``; ``--min-severity`` replaces ``min_severity``.
"""
from __future__ import annotations

import difflib
import fnmatch
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from claims.errors import InputError
from claims.extract import EXTRACTORS
from checker.engine.findings import SEVERITIES
from checker.engine.options import describe, short_value
from checker.engine.quote_families import SETTINGS
from checker.engine.rule import Rule, RuleSet
from checker.pipeline.rules_file import (MAX_DEPTH, LineMapping, build_rule, checked_options, load_rules, read_text,
                                         read_yaml)
from checker.rules import KINDS

CONFIG_NAMES = ("claimcheck.yaml", ".claimcheck.yaml")
PYPROJECT = "pyproject.toml"
KEYS = {"extend": str, "rules": dict, "select": list, "ignore": list, "min_severity": str, "house_style": dict,
        "quote_families": dict}
MAX_EXTENDS = 8  # a chain of extend: longer than this is a mistake
HOUSE_STYLE_KIND = "house_style"
ACCEPTING_KINDS = ("spelling_variant",)  # house_style's accept list joins these kinds' 'ignore'
# whether a pyproject.toml that is not valid TOML may hold claimcheck's settings ([tool.claimcheck],
# tool.claimcheck.x = ..., or claimcheck = {...} inside [tool]): then its error is ours to report.
# [ \t]*, not \s*, which would scan on across blank lines for every line
_MENTIONS_SETTINGS = re.compile(r"tool[ \t]*\.[ \t]*[\"']?claimcheck\b|^[ \t]*[\"']?claimcheck[\"']?[ \t]*[.=]",
                                re.MULTILINE)


@dataclass
class ConfigFile:
    """One settings file as read: its (checked) top-level mapping."""

    path: str
    data: dict[str, Any]
    line_of: dict[str, int | None] = field(default_factory=dict)  # top-level key -> line (YAML only)

    @property
    def folder(self) -> Path:
        return Path(self.path).resolve().parent

    def line(self, key: str) -> int | None:
        return self.line_of.get(key)


# --- finding the file ------------------------------------------------------------------------

def _config_in(folder: Path) -> Path | None:
    for name in CONFIG_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    pyproject = folder / PYPROJECT
    if pyproject.is_file() and _read_pyproject(pyproject, str(pyproject), explicit=False) is not None:
        return pyproject
    return None


def find_config(near: list[Path] | tuple[Path, ...] = (), cwd: Path | None = None) -> Path | None:
    """The settings file in force: the nearest one in the folders of ``near`` (stories, an
    inbox) or above them, else the nearest in the working directory or above it; None if none."""
    starts = [p if p.is_dir() else p.parent for p in (Path(n).absolute() for n in near)]
    for start in [*starts, (cwd or Path.cwd()).absolute()]:
        for folder in (start, *start.parents):
            found = _config_in(folder)
            if found is not None:
                return found
    return None


# --- reading it ----------------------------------------------------------------------------------

def _depth(value: Any, limit: int) -> bool:
    """Whether ``value`` nests deeper than ``limit`` (iteratively: a deep value must not overflow)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return False


def _read_pyproject(file: Path, shown: str, explicit: bool) -> dict | None:
    """The ``[tool.claimcheck]`` table of a pyproject.toml, parsed (so an inline table or dotted
    keys count as the table does); None when it has none. Looking for settings (not
    ``explicit``), a file that cannot be read, or is not valid TOML and never mentions
    claimcheck, is somebody else's and is passed over; invalid TOML that may hold our settings
    is an InputError, as it is for a file named with --config."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        text = read_text(file, shown, "settings file")
    except InputError:
        if explicit:
            raise
        return None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        if not explicit and not _MENTIONS_SETTINGS.search(text):
            return None
        found = re.search(r"\(at line (\d+)", str(exc))
        raise InputError(shown, f"invalid TOML: {str(exc).split(' (at line')[0]}",
                         int(found.group(1)) if found else None) from None
    except RecursionError:
        if not explicit and not _MENTIONS_SETTINGS.search(text):
            return None
        raise InputError(shown, f"nested more than {MAX_DEPTH} levels deep") from None
    table = document.get("tool", {}).get("claimcheck") if isinstance(document.get("tool"), dict) else None
    if table is None:
        if explicit:
            raise InputError(shown, "has no [tool.claimcheck] table")
        return None
    if not isinstance(table, dict):
        raise InputError(shown, f"'tool.claimcheck' must be a table, got {describe(table)}")
    if _depth(table, MAX_DEPTH):
        raise InputError(shown, f"[tool.claimcheck] is nested more than {MAX_DEPTH} levels deep")
    return table


def _suggest(word: str, known) -> str:
    close = difflib.get_close_matches(str(word), list(known), n=1, cutoff=0.6) or \
        difflib.get_close_matches(str(word).replace("-", "_"), list(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def read_config(path: str | Path) -> list[ConfigFile]:
    """The settings file and the ones it extends, the first to apply first; each checked for
    its keys and their types."""
    chain: list[ConfigFile] = []
    seen: list[Path] = []
    file = Path(path)
    while True:
        resolved = file.resolve()
        if resolved in seen:
            raise InputError(str(file), "'extend' goes round in a circle: "
                                        + " -> ".join(str(p) for p in [*seen, resolved]))
        if len(seen) >= MAX_EXTENDS:
            raise InputError(str(file), f"more than {MAX_EXTENDS} files extend one another")
        seen.append(resolved)
        config = _read_one(file)
        chain.append(config)
        extend = config.data.get("extend")
        if extend is None:
            break
        target = Path(extend)
        file = target if target.is_absolute() else config.folder / target
        if not file.exists():
            raise InputError(config.path, f"'extend': {short_value(extend)} not found (looked for {file})",
                             config.line("extend"))
    return list(reversed(chain))


def _read_one(file: Path) -> ConfigFile:
    shown = str(file)
    if file.name == PYPROJECT or file.suffix == ".toml":
        data = _read_pyproject(file, shown, explicit=True) or {}
    else:
        data = read_yaml(file, "settings file")
        if data is None:
            data = {}
    if not isinstance(data, dict):
        raise InputError(shown, f"expected a mapping of settings ({', '.join(KEYS)}), got {describe(data)}", 1)
    key_lines = getattr(data, "key_lines", {})
    for key, value in data.items():
        line = key_lines.get(key)
        if key not in KEYS:
            raise InputError(shown, f"unknown key {short_value(key)} (known: {', '.join(KEYS)})"
                                    f"{_suggest(key, KEYS)}", line)
        if not isinstance(value, KEYS[key]) or isinstance(value, bool):
            if key == "rules" and isinstance(value, list):
                raise InputError(shown, "'rules' must be a mapping of rule ids to changes (count-conflict: "
                                        "{severity: warning}), not a list; a whole rules file is passed with "
                                        "--rules", line)
            expected = {str: "a string", dict: "a mapping", list: "a list"}[KEYS[key]]
            raise InputError(shown, f"'{key}' must be {expected}, got {describe(value)}", line)
    for key in ("select", "ignore"):
        for i, item in enumerate(data.get(key) or [], 1):
            if not isinstance(item, str) or not item.strip():
                raise InputError(shown, f"'{key}' item {i} must be a rule id, kind, prefix or glob, got "
                                        f"{describe(item)}", key_lines.get(key))
    severity = data.get("min_severity")
    if severity is not None and severity not in SEVERITIES:
        raise InputError(shown, f"'min_severity' must be one of {', '.join(SEVERITIES)}, got {describe(severity)}",
                         key_lines.get("min_severity"))
    return ConfigFile(shown, data, dict(key_lines))


# --- applying it ---------------------------------------------------------------------------------

def _claim_types() -> list[str]:
    return sorted({m.CLAIM_TYPE for m in EXTRACTORS})


def _shorthand(change: Any) -> dict | None:
    """``off``/``false``, ``on``/``true`` or a severity for a rule, as Vale's ``Rule = NO``."""
    if isinstance(change, bool):  # YAML 1.1 reads off/on/no/yes as false/true
        return {"enabled": change}
    if isinstance(change, str) and change.lower() in ("off", "on"):  # TOML has no such words
        return {"enabled": change.lower() == "on"}
    if isinstance(change, str) and change in SEVERITIES:
        return {"enabled": True, "severity": change}
    return None


def _entry(value: Any, line: int | None) -> LineMapping:
    """A mapping with a line, for the rules file's checks (a TOML table has none)."""
    entry = value if isinstance(value, LineMapping) else LineMapping(value)
    if entry.line is None:
        entry.line = line
    return entry


def apply_config(ruleset: RuleSet, chain: list[ConfigFile]) -> RuleSet:
    """The rules in force after each settings file of ``chain`` (rule changes, added rules,
    house style, quote family settings), before selection."""
    rules = list(ruleset.rules)
    quote_settings = dict(ruleset.quote_families)
    rules_dir = Path(ruleset.path).parent
    for config in chain:
        if "quote_families" in config.data:
            quote_settings = checked_options(config.data["quote_families"], SETTINGS, config.path,
                                      config.line("quote_families"), where="'quote_families'", noun="setting",
                                      base=quote_settings)
        rules = _change_rules(rules, config, rules_dir)
        if "house_style" in config.data:
            rules = _house_style(rules, config, rules_dir)
    return replace(ruleset, rules=_accepted_everywhere(rules), quote_families=quote_settings)


def _change_rules(rules: list[Rule], config: ConfigFile, rules_dir: Path) -> list[Rule]:
    given = config.data.get("rules") or {}
    key_lines = getattr(given, "key_lines", {})
    by_id = {r.id: i for i, r in enumerate(rules)}
    rules = list(rules)
    for rule_id, change in given.items():
        line = key_lines.get(rule_id, config.line("rules"))
        if not isinstance(rule_id, str) or not rule_id.strip():
            raise InputError(config.path, f"'rules': a rule id must be a non-empty string, got {describe(rule_id)}",
                             line)
        shorthand = _shorthand(change)
        if shorthand is not None:
            change = shorthand
        elif not isinstance(change, dict):
            raise InputError(config.path, f"rule {short_value(rule_id)}: expected a mapping of changes (severity, "
                                          f"enabled, params, ...), off, on or a severity, got {describe(change)}", line)
        # the rule's problems are reported at its id's line (an option's at the option's own line)
        entry = LineMapping(change)
        entry.line, entry.key_lines = line, getattr(change, "key_lines", {})
        if rule_id in by_id:
            base = rules[by_id[rule_id]]
            rules[by_id[rule_id]] = build_rule(entry, config.path, rules_dir, KINDS, _claim_types(), base=base,
                                          base_dir=config.folder)
            continue
        if "kind" not in entry:
            raise InputError(config.path, f"rule {short_value(rule_id)} is not one of the rules in force"
                                          f"{_suggest(rule_id, by_id)} (to add a rule, give its kind, severity, "
                                          "message and claim_types)", line)
        if entry.get("id", rule_id) != rule_id:
            raise InputError(config.path, f"rule {short_value(rule_id)}: 'id' is {short_value(entry['id'])}; a new "
                                          "rule's id is its key under 'rules:'", line)
        new = LineMapping({**entry, "id": rule_id})
        new.line, new.key_lines = entry.line, getattr(entry, "key_lines", {})
        rule = build_rule(new, config.path, rules_dir, KINDS, _claim_types(), base_dir=config.folder)
        by_id[rule_id] = len(rules)
        rules.append(rule)
    return rules


def _house_style(rules: list[Rule], config: ConfigFile, rules_dir: Path) -> list[Rule]:
    """``house_style:`` sets the house-style rules' options (their lists), as
    ``rules: {house-style: {params: ...}}`` would."""
    given = config.data["house_style"]
    line = config.line("house_style")
    targets = [i for i, r in enumerate(rules) if r.kind == HOUSE_STYLE_KIND]
    if not targets:
        raise InputError(config.path, f"'house_style': no rule of kind {HOUSE_STYLE_KIND!r} is in force (the "
                                      "rules file has none: add one under 'rules:')", line)
    rules = list(rules)
    entry = _entry(LineMapping({"params": given}), line)
    entry.key_lines = {"params": line}
    for i in targets:
        rules[i] = build_rule(entry, config.path, rules_dir, KINDS, _claim_types(), base=rules[i], base_dir=config.folder)
    return rules


def _accepted_everywhere(rules: list[Rule]) -> list[Rule]:
    """The house-style rules' ``accept`` lists join the spelling-variant rules' ``ignore``: a
    name the house accepts is never flagged as a spelling variant either."""
    accepted: list[str] = []
    for rule in rules:
        if rule.kind == HOUSE_STYLE_KIND and rule.enabled:
            accepted += [a for a in rule.params.get("accept") or [] if a not in accepted]
    if not accepted:
        return rules
    out = []
    for rule in rules:
        ignore = list(rule.params.get("ignore") or [])
        added = [a for a in accepted if a not in ignore]
        if rule.kind in ACCEPTING_KINDS and added:
            rule = replace(rule, params={**rule.params, "ignore": ignore + added})
        out.append(rule)
    return out


# --- selecting rules -----------------------------------------------------------------------------

def split_selectors(values: list[str] | None) -> list[str]:
    """``--select a,b --select c`` -> [a, b, c]."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def selector_matches(selector: str, rule: Rule) -> bool:
    if selector.upper() == "ALL":
        return True
    if selector in (rule.id, rule.kind):
        return True
    if any(c in selector for c in "*?["):
        return fnmatch.fnmatchcase(rule.id, selector) or fnmatch.fnmatchcase(rule.kind, selector)
    prefix = selector if selector.endswith(("-", "_")) else selector + "-"
    return rule.id.startswith(prefix)


class SelectorError(ValueError):
    """A selector that matches no rule."""


def select_rules(rules: list[Rule], select: list[str] | None, ignore: list[str],
                 kept_off: set[str] | frozenset[str] = frozenset()) -> list[Rule]:
    """The rules with ``select`` (None: no selection) and ``ignore`` applied. SelectorError
    names a selector that matches none of them. A rule in ``kept_off`` (one a settings file
    turned off) is switched on again only by a selector that is its exact id, not by a kind,
    prefix, glob or ALL: ``--select quote`` must not undo ``quote-wording: off``."""
    for selector in [*(select or []), *ignore]:
        if not any(selector_matches(selector, r) for r in rules):
            known = sorted({r.id for r in rules})
            prefixes = sorted({r.id.split("-")[0] for r in rules if "-" in r.id})
            raise SelectorError(f"{selector!r} matches no rule{_suggest(selector, known + prefixes + sorted(KINDS))} "
                                f"(rules: {', '.join(known)}; or a kind, an id prefix such as 'quote', a glob, ALL)")
    out = []
    for rule in rules:
        enabled = rule.enabled
        if select is not None:
            if rule.id in kept_off:
                enabled = rule.id in select
            else:
                enabled = any(selector_matches(s, rule) for s in select)
        if any(selector_matches(s, rule) for s in ignore):
            enabled = False
        out.append(rule if enabled == rule.enabled else replace(rule, enabled=enabled))
    return out


# --- the whole: what the command line calls ----------------------------------------------------

def load_settings(rules_path: str | Path | None = None, *, config: str | Path | None = None,
                  isolated: bool = False, near: list[Path] | tuple[Path, ...] = (),
                  select: list[str] | None = None, ignore: list[str] | None = None,
                  min_severity: str | None = None, cwd: Path | None = None) -> RuleSet:
    """The rules in force: the rules file (``rules_path``, else the shipped one), the settings
    file (``config``, else the one found near ``near`` or ``cwd`` unless ``isolated``), then
    the command line's ``select``, ``ignore`` and ``min_severity``. InputError for a bad file
    or a selector that matches nothing (naming the file and line, or the option)."""
    ruleset = load_rules(rules_path) if rules_path is not None else load_rules()
    if config is not None and isolated:
        raise InputError("--config", "cannot be used with --isolated (which reads no settings file)")
    found = Path(config) if config is not None else (None if isolated else find_config(near, cwd))
    chain = read_config(found) if found is not None else []
    was_on = {r.id: r.enabled for r in ruleset.rules}
    ruleset = apply_config(ruleset, chain)
    # the rules a settings file switched off: a broad selector does not switch them back on
    turned_off = {r.id for r in ruleset.rules if not r.enabled and was_on.get(r.id, True)}
    file_select = next((c.data["select"] for c in reversed(chain) if "select" in c.data), None)
    file_ignore = next((c.data["ignore"] for c in reversed(chain) if "ignore" in c.data), [])
    file_severity = next((c.data["min_severity"] for c in reversed(chain) if "min_severity" in c.data), None)
    for one in chain:  # a file's selector that matches nothing is that file's error, at its line
        for key in ("select", "ignore"):
            try:
                select_rules(ruleset.rules, one.data.get(key) or [], [])
            except SelectorError as exc:
                raise InputError(one.path, f"'{key}': {exc}", one.line(key)) from None
    cli_select = split_selectors(select) if select else None
    cli_ignore = split_selectors(ignore)
    for option, given in (("--select", cli_select), ("--ignore", cli_ignore)):
        try:
            select_rules(ruleset.rules, given or [], [])
        except SelectorError as exc:
            raise InputError(option, str(exc)) from None
    chosen_select = cli_select if cli_select is not None else file_select
    selected = select_rules(ruleset.rules, chosen_select, [*file_ignore, *cli_ignore], turned_off)
    if not any(r.enabled for r in selected):
        _no_rule_left(ruleset.rules, chain, select, cli_select, cli_ignore, turned_off)
    severity = min_severity or file_severity or "info"
    if severity not in SEVERITIES:
        raise InputError("--min-severity", f"must be one of {', '.join(SEVERITIES)}, got {severity!r}")
    settings: dict[str, Any] = {}
    if chain:
        settings["files"] = [c.path for c in chain]
    if chosen_select is not None:
        settings["select"] = list(chosen_select)
    if list(file_ignore) + cli_ignore:
        settings["ignore"] = list(file_ignore) + cli_ignore
    if severity != "info" or min_severity or file_severity:
        # given, even as info: the text and Markdown reports then list info findings one by one
        settings["min_severity"] = severity
    return replace(ruleset, rules=selected, min_severity=severity, settings=settings or None)


def _no_rule_left(rules: list[Rule], chain: list[ConfigFile], given_select: list[str] | None,
                  cli_select: list[str] | None, cli_ignore: list[str], turned_off: set[str]) -> None:
    """Raise the InputError for a selection that leaves no rule to run (a check that runs none
    would report that the sources agree), naming what emptied it: the command line's option, else
    the settings file and its key."""
    if not chain and given_select is None and not cli_ignore:
        return  # a rules file with every rule disabled is that file's business (--rules)

    def any_on(select: list[str] | None, ignore: list[str]) -> bool:
        return any(r.enabled for r in select_rules(rules, select, ignore, turned_off))

    file_select, file_ignore = _file_key(chain, "select"), _file_key(chain, "ignore") or []
    if given_select is not None and not cli_select:
        raise InputError("--select", "selects no rule (give rule ids, kinds, id prefixes, globs or ALL)")
    if cli_select is not None and not any_on(cli_select, []):
        raise InputError("--select", f"{','.join(cli_select)} selects only rules a settings file turned off "
                                     "(select such a rule by its exact id to run it)")
    select = cli_select if cli_select is not None else file_select
    if cli_ignore and any_on(select, file_ignore):
        raise InputError("--ignore", "leaves no rule enabled")
    if cli_select is None and file_select is not None and not any_on(file_select, []):
        key = "select"
    elif file_ignore:
        key = "ignore"
    else:
        key = "rules"
    holder = next((c for c in reversed(chain) if key in c.data), chain[-1] if chain else None)
    if holder is None:
        raise InputError("--select" if cli_select is not None else "--ignore", "leaves no rule enabled")
    if key == "select" and not file_select:
        raise InputError(holder.path, "'select' is empty: it selects no rule", holder.line(key))
    raise InputError(holder.path, f"leaves no rule enabled (its '{key}')", holder.line(key))


def _file_key(chain: list[ConfigFile], key: str):
    return next((c.data[key] for c in reversed(chain) if key in c.data), None)


def config_summary(ruleset: RuleSet) -> str:
    """One line saying which settings file and selection are in force, for a listing."""
    settings = ruleset.settings or {}
    parts = []
    if settings.get("files"):
        parts.append("settings from " + " + ".join(settings["files"]))
    for key in ("select", "ignore"):
        if key in settings:
            parts.append(f"{key} {','.join(settings[key])}")
    if "min_severity" in settings:
        parts.append(f"min severity {settings['min_severity']}")
    return "; ".join(parts)
