"""``claimcheck rules RULE``: one rule as it is in force: what it flags, its kind, severity, claim
types and message, every option of its kind with its default and the value in force (after the
rules file and claimcheck.yaml), where it was defined and changed, its kind's example, and how to
change it in claimcheck.yaml. The options come from the kind's ``OPTIONS`` table and the example
from its docstring, as docs/rules.md does, so the three never disagree.
"""
from __future__ import annotations

import difflib
import textwrap

from checker.console import terminal_text
from checker.engine.options import accepts_text, yaml_text
from checker.engine.rule import Rule, RuleSet
from checker.rules import KINDS
from checker.rules.docs import description, summary

WIDTH = 96


def find_rule(ruleset: RuleSet, name: str) -> Rule | None:
    return next((r for r in ruleset.rules if r.id == name), None)


def unknown_rule(ruleset: RuleSet, name: str) -> str:
    """The problem line for a name that is neither a rule id nor a kind, with the nearest id."""
    ids = [r.id for r in ruleset.rules]
    close = difflib.get_close_matches(name, ids + sorted(KINDS), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"no rule {name!r}{hint} (rules: {', '.join(ids)}; or a kind: {', '.join(sorted(KINDS))})"


def example(module) -> str:
    """The kind's example: its docstring from the paragraph starting "Example" (rules.yaml and
    the PASS/FAIL cases), without the options section."""
    text = description(module)
    at = text.find("\nExample")
    if at < 0:
        return ""
    block = text[at + 1:]
    first, _, rest = block.partition("\n")
    return first.rstrip(":") + ":\n" + textwrap.indent(textwrap.dedent(rest).strip("\n"), "    ")


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, width=WIDTH, initial_indent=indent, subsequent_indent=indent,
                         break_on_hyphens=False) or [indent.rstrip()]


def _shown(value) -> str:
    return terminal_text(yaml_text(value))


def render_rule(rule: Rule, ruleset: RuleSet) -> str:
    module = KINDS[rule.kind]
    state = "enabled" if rule.enabled else "disabled"
    lines = [f"{terminal_text(rule.id)}: {terminal_text(rule.kind)} rule, {terminal_text(rule.severity)}, {state}"]
    meaning = rule.description or summary(module)
    lines += _wrap(terminal_text(meaning), "  ")
    lines.append("")
    lines += _wrap(f"Kind {rule.kind}: {summary(module)}", "")
    lines.append(f"Claim types: {terminal_text(', '.join(rule.claim_types)) or '(none: it reads the text)'}")
    lines.append(f"Message: {terminal_text(rule.message)}")
    fields = ", ".join("{" + f + "}" for f in module.MESSAGE_FIELDS)
    lines += _wrap(f"Message fields: {fields}", "")
    where = f"Defined at: {terminal_text(rule.source)}"
    if rule.changed_by:
        where += "; changed by " + ", ".join(terminal_text(c) for c in rule.changed_by)
    lines += [where, ""]
    if len(module.OPTIONS):
        lines.append("Options (in force; the default when it differs; what it accepts and does):")
        for option in module.OPTIONS:
            value = rule.params.get(option.name, option.default)
            head = f"  {option.name}: {_shown(value)}"
            if value != option.default:
                head += f"   (default {_shown(option.default)})"
            lines += textwrap.wrap(head, width=WIDTH, subsequent_indent="      ", break_on_hyphens=False)
            lines += _wrap(f"{accepts_text(option.accepts)}; {option.meaning}", "      ")
    else:
        lines.append("Options: none.")
    shown = example(module)
    if shown:
        lines += ["", *shown.splitlines()]
    first = next(iter(module.OPTIONS), None)
    lines += ["", "Change it in claimcheck.yaml (beside the story or in a folder above it):", "  rules:",
              f"    {terminal_text(rule.id)}:", "      severity: warning      # or error, info; 'off' turns it off"]
    if first is not None:
        lines.append(f"      params: {{{first.name}: {_shown(rule.params.get(first.name, first.default))}}}")
    if rule.kind == "house_style":
        lines.append("  (or set its lists once in claimcheck.yaml's house_style: block, as in the example)")
    lines.append(f"Or run without it: claimcheck check STORY --ignore {terminal_text(rule.id)}")
    return "\n".join(lines).rstrip() + "\n"
