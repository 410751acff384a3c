"""The report as CSV: one row per evidence of every finding, safe to open in a spreadsheet.

``text`` is the evidence's words as matched (the span ``start``-``end`` of the article's text);
``sentence`` is the whole sentence they stand in, what a reader needs to judge them. Dates are
ISO 8601 (``timestamps.iso8601``): ``published`` a date alone when the article gave only a date,
``reviewed_at`` the decision's UTC time.
"""
from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from checker.report.common import articles_by_id, jsonable, source_name
from checker.report.timestamps import iso8601

if TYPE_CHECKING:
    from checker.pipeline.check import StoryResult

CSV_COLUMNS = ["finding_id", "rule", "kind", "severity", "claim_type", "subject", "message",
               "article", "outlet", "published", "value", "normalized", "start", "end", "text",
               "sentence", "review_status", "review_note", "reviewer", "reviewed_at"]


def csv_safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas: a cell starting with = + - @ is prefixed with '.

    Evidence is verbatim web text and the CSV is meant to be opened in a spreadsheet; plain
    numbers such as -3 or +1.5 are left alone.
    """
    if not isinstance(value, str) or not value:
        return value
    if value[0] in "=@\t\r" or (value[0] in "+-" and not _is_number(value)):
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def csv_text(rows: list[list[Any]], header: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else csv_safe(v) for v in (jsonable(x) for x in row)])
    return buffer.getvalue()


def render_csv(data: dict, result: StoryResult | None = None) -> str:
    """One row per evidence of every finding (a finding without evidence still gets a row)."""
    articles = articles_by_id(data)
    rows = []
    for f in data.get("findings", []):
        head = [f.get("id"), f.get("rule"), f.get("kind"), f.get("severity"), f.get("claim_type"),
                f.get("subject"), f.get("message")]
        review = f.get("review") or {}
        tail = [review.get("status"), review.get("note"), review.get("reviewer"), iso8601(review.get("decided_at"))]
        for ev in f.get("evidence") or [{}]:
            published = ev.get("published") or articles.get(ev.get("article"), {}).get("published")
            rows.append(head + [ev.get("article"), source_name(ev, articles) or None, iso8601(published),
                                ev.get("value"), ev.get("normalized"), ev.get("start"), ev.get("end"),
                                ev.get("text"), ev.get("sentence")] + tail)
    return csv_text(rows, CSV_COLUMNS)
