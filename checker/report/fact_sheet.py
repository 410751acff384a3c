"""The story's fact sheet (``claimcheck facts``) as a table, JSON or CSV, and the fact-sheet
section the HTML report and the HTML fact page (``checker.report.html``) show: every fact, its
values with who gives them, first and last seen, and its status; facts in conflict first. Works
from the sheet dicts of ``checker.pipeline.facts`` alone."""
from __future__ import annotations

import io

from rich import box
from rich.console import Console
from rich.table import Table

from checker.console import DEFAULT_WIDTH, terminal_text
from checker.engine.wording import short_outlet, value_words
from checker.report.common import dumps_json, esc, what
from checker.report.csv import csv_text

FACT_FORMATS = ("table", "json", "csv", "html")
CSV_COLUMNS = ["fact", "status", "severity", "kind", "about", "attribute", "value", "normalized", "support",
               "first_seen", "last_seen", "article", "outlet", "text", "start", "end"]
QUIET = ("single source", "agree")  # statuses the HTML report folds away


def outlets(value: dict) -> str:
    names: list[str] = []
    for source in value.get("sources") or []:
        name = short_outlet(source["outlet"]) if source.get("outlet") else str(source.get("article") or "")
        if name not in names:
            names.append(name)
    return ", ".join(names)


def values_line(fact: dict) -> str:
    """ "12 (AP, Reuters) vs 14 (NYT)"; dates and bounds in words ("31 Oct 1999", "more than 7 days")."""
    return " vs ".join(f"{value_words(v['normalized'])} ({outlets(v)})" for v in fact.get("values") or [])


def render_facts(data: dict, fmt: str, *, color: bool = False, width: int = DEFAULT_WIDTH) -> str:
    if fmt == "json":
        return dumps_json(data, indent=2) + "\n"
    if fmt == "csv":
        rows = []
        for fact in data["facts"]:
            for value in fact["values"]:
                for source in value["sources"]:
                    rows.append([fact["id"], fact["status"], fact["severity"] or "", fact["kind"], fact["about"],
                                 fact["attribute"], value["value"], value["normalized"], value["support"],
                                 value["first_seen"] or "", value["last_seen"] or "", source["article"],
                                 source["outlet"] or "", source["text"], source["start"], source["end"]])
        return csv_text(rows, CSV_COLUMNS)
    if fmt != "table":  # (html: checker.report.html.render_fact_page, as all HTML is written there)
        raise ValueError(f"unknown fact sheet format {fmt!r} (known: {', '.join(FACT_FORMATS)})")
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, highlight=False, emoji=False, markup=False)
    story = (data.get("story") or {}).get("id")
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title_justify="left",
                  title=f"{len(data['facts'])} facts in story {terminal_text(story)}")
    for name in ("status", "fact", "values (sources)", "first seen", "last seen"):
        table.add_column(name, overflow="fold")
    for fact in data["facts"]:
        status = fact["status"] + (f" ({fact['severity']})" if fact.get("severity") else "")
        table.add_row(status, terminal_text(what(fact), 60), terminal_text(values_line(fact), 400),
                      (fact.get("first_seen") or "")[:10], (fact.get("last_seen") or "")[:10])
    console.print(table)
    return buffer.getvalue()


def _fact_row(fact: dict) -> str:
    values = "<br>".join(
        f'<span class="mono">{esc(value_words(v["normalized"]))}</span> '
        f'<span class="muted">{esc(outlets(v))}{" · " + str(v["support"]) + " sources" if v["support"] > 1 else ""}</span>'
        for v in fact.get("values") or [])
    status = esc(fact["status"]) + (f' <span class="muted">({esc(fact["severity"])})</span>' if fact.get("severity") else "")
    return (f'<tr id="{esc(fact["id"])}" data-status="{esc(fact["status"])}"><td>{status}</td>'
            f"<td>{esc(what(fact))}</td><td>{values}</td>"
            f'<td>{esc((fact.get("first_seen") or "")[:10])}</td><td>{esc((fact.get("last_seen") or "")[:10])}</td></tr>')


def _table(facts: list[dict]) -> str:
    return "\n".join(['<div class="table-wrap"><table class="sources facts">',
                      "<thead><tr><th>Status</th><th>Fact</th><th>Values (sources)</th><th>First seen</th>"
                      "<th>Last seen</th></tr></thead>", "<tbody>", *(_fact_row(f) for f in facts), "</tbody>",
                      "</table></div>"])


def html_section(facts: list[dict]) -> str:
    """The HTML report's fact sheet: facts in conflict, updated or differing first; facts that
    agree or have one source folded below them."""
    if not facts:
        return ""
    loud = [f for f in facts if f["status"] not in QUIET]
    quiet = [f for f in facts if f["status"] in QUIET]
    out = ['<section id="facts">', f"<h2>Fact sheet ({len(facts)} facts, {len(loud)} in dispute or updated)</h2>",
           '<p class="muted">Each fact is one thing the story gives a value for; claims of one fact were '
           'compared with each other, claims of two facts were not.</p>']
    if loud:
        out.append(_table(loud))
    if quiet:
        out += [f"<details><summary>{len(quiet)} facts agree or have a single source</summary>", _table(quiet),
                "</details>"]
    out.append("</section>")
    return "\n".join(out)
