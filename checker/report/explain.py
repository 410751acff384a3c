"""``claimcheck explain`` output: the explanation's sentences for a terminal, or its JSON, from
the dict ``checker.pipeline.explain.Explanation.to_dict`` gives."""
from __future__ import annotations

from checker.console import terminal_text
from checker.report.common import dumps_json

EXPLAIN_FORMATS = ("text", "json")


def render_explanation(data: dict, fmt: str) -> str:
    if fmt == "json":
        return dumps_json(data, indent=2) + "\n"
    if fmt != "text":
        raise ValueError(f"unknown explain format {fmt!r} (known: {', '.join(EXPLAIN_FORMATS)})")
    lines = []
    for line in data["text"].splitlines():
        indent = len(line) - len(line.lstrip(" "))  # the nesting; article text inside is made safe
        lines.append(" " * indent + terminal_text(line))
    return "\n".join(lines) + "\n"
