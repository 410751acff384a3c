"""``claimcheck check --statistics``: how many findings each rule raised, as ``ruff --statistics``
prints: count, severity, rule id and what the rule flags, most frequent first. A rule whose
findings differ in severity (a value rule's rounding difference is info) has a row per severity.
"""
from __future__ import annotations

from collections import Counter

from checker.console import terminal_text
from checker.engine.findings import SEVERITY_RANK
from checker.engine.rule import RuleSet
from checker.report.common import dumps_json
from checker.report.csv import csv_text
from checker.rules import KINDS
from checker.rules.docs import summary

COLUMNS = ["count", "severity", "rule", "kind", "meaning"]
MAX_MEANING = 100  # a table line stays readable; the JSON and CSV keep the whole text


def rule_meaning(rule) -> str:
    """What a rule flags: its description in the rules file, else its kind's summary."""
    if rule.description:
        return " ".join(rule.description.split())
    return summary(KINDS[rule.kind]) if rule.kind in KINDS else ""


def statistics_rows(data: dict, ruleset: RuleSet) -> list[dict]:
    """One row per rule and severity with findings, most findings first."""
    rules = {r.id: r for r in ruleset.rules}
    counts = Counter((f["rule"], f["severity"]) for f in data.get("findings") or [])
    rows = []
    for (rule_id, severity), count in counts.items():
        rule = rules.get(rule_id)
        rows.append({"count": count, "severity": severity, "rule": rule_id,
                     "kind": rule.kind if rule else "", "meaning": rule_meaning(rule) if rule else ""})
    rows.sort(key=lambda r: (-r["count"], -SEVERITY_RANK.get(r["severity"], 0), r["rule"]))
    return rows


def render_statistics(data: dict, ruleset: RuleSet, fmt: str = "text") -> str:
    rows = statistics_rows(data, ruleset)
    if fmt == "json":
        return dumps_json(rows, indent=2) + "\n"
    if fmt == "csv":
        return csv_text([[r[c] for c in COLUMNS] for r in rows], COLUMNS)
    if fmt != "text":
        raise ValueError(f"--statistics prints text, json or csv, not {fmt!r}")
    if not rows:
        return "No findings.\n"
    cells = [[str(r["count"]), r["severity"], terminal_text(r["rule"], 40), terminal_text(r["meaning"], MAX_MEANING)]
             for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(3)]
    lines = [f"{row[0]:>{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]}".rstrip()
             for row in cells]
    total = sum(r["count"] for r in rows)
    lines.append(f"Found {total} finding{'s' if total != 1 else ''}.")
    return "\n".join(lines) + "\n"
