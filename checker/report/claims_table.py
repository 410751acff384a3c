"""The extracted claims as a table, CSV or JSON, for ``claimcheck claims``."""
from __future__ import annotations

import io
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from checker.console import DEFAULT_WIDTH, terminal_text
from checker.report.common import dumps_json, jsonable
from checker.report.csv import csv_text
from claims.model import CLAIM_COLUMNS, Claim, claim_id

CLAIM_TABLE_COLUMNS = ["id", "article", "claim_type", "subject", "attribute", "value", "normalized", "sentence"]
# claims table: longest text kept per column (cut with …); the sentence gets the rest of the line
CLAIM_FIELD_WIDTHS = {"id": 8, "article": 24, "claim_type": 12, "subject": 24, "attribute": 18, "value": 20,
                      "normalized": 20}
MIN_SENTENCE = 24


def _trim(text: Any, limit: int) -> str:
    """One table cell: safe for a terminal (see ``terminal_text``) and at most ``limit`` long."""
    return terminal_text(text, limit)


def claims_records(claims: list[Claim]) -> list[dict]:
    """The claims as plain dicts with ``CLAIM_COLUMNS``; numeric ranges as floats, a missing or
    infinite end as None."""
    records = []
    for claim in claims:
        record = {column: getattr(claim, column) for column in CLAIM_COLUMNS}
        for end in ("low", "high"):
            if record[end] is not None:
                record[end] = float(record[end])
        records.append(record)
    return jsonable(records)


def render_claims(claims: list[Claim], fmt: str, *, color: bool = False, width: int = DEFAULT_WIDTH) -> str:
    """The extracted claims as a rich table, CSV or JSON, for ``claimcheck claims``."""
    # each claim with its id first: what ``claimcheck explain --claim`` takes
    records = [{"id": claim_id(c), **r} for c, r in zip(claims, claims_records(claims))]
    if fmt == "json":
        return dumps_json(records, indent=2, allow_nan=False) + "\n"
    if fmt == "csv":
        columns = ["id", *CLAIM_COLUMNS]
        rows = [[dumps_json(r[c]) if isinstance(r.get(c), (dict, list)) else r.get(c)
                 for c in columns] for r in records]
        return csv_text(rows, columns)
    if fmt != "table":
        raise ValueError(f"unknown claims format {fmt!r} (known: table, csv, json)")
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, highlight=False, emoji=False,
                      markup=False, legacy_windows=False)
    labels = ["id", "article", "type", "subject", "attribute", "value", "normalized", "sentence"]
    cells = [[_trim(r.get(c), CLAIM_FIELD_WIDTHS[c]) for c in CLAIM_TABLE_COLUMNS[:-1]] for r in records]
    widths = [max([len(label)] + [len(row[i]) for row in cells]) for i, label in enumerate(labels[:-1])]
    # one line per claim keeps the table scannable: the sentence gets what is left of the width
    # (the full sentence is in the csv and json output)
    gaps = 3 * (len(labels) - 1)  # padding and divider between neighbouring columns
    # too wide: narrow the widest field, sparing the claim and article ids (needed to find the
    # claim and its text) until last
    while sum(widths) + gaps + MIN_SENTENCE > width and max(widths) > 8:
        others = widths[2:]
        widest = 2 + others.index(max(others)) if max(others) > 8 else 1
        widths[widest] -= 1
    cells = [[_trim(cell, w) for cell, w in zip(row, widths)] for row in cells]
    sentence_width = max(MIN_SENTENCE, width - sum(widths) - gaps)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for label, col_width in zip(labels, widths + [sentence_width]):
        table.add_column(label, width=col_width, no_wrap=True, overflow="ellipsis")
    for r, row in zip(records, cells):
        table.add_row(*row, _trim(r.get("sentence"), sentence_width))
    console.print(table)
    console.print(Text(f"{len(records)} claims", style="dim"))
    return buffer.getvalue()
