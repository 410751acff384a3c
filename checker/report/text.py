"""The terminal report (``claimcheck check``, the default format): header, findings by severity
(errors first) with their evidence, the quotes side by side, input problems, footer."""
from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from checker.console import DEFAULT_WIDTH, terminal_data, terminal_text
from checker.engine.findings import SEVERITIES
from checker.report.common import (about, facts_by_id, label_of, SEVERITY_HELP, SEVERITY_TITLES, arranged_evidence, articles_by_id, badge,
                                   by_severity, changed_families, diff_segments, evidence_context, fix_first,
                                   fix_first_left_out_line,
                                   folded_line, format_diff, hidden_info_line, ordered_findings, published,
                                   review_counts_line, review_line, source_name, value_span)
from checker.report.common import settings_footer

if TYPE_CHECKING:
    from checker.pipeline.check import StoryResult

SEVERITY_STYLES = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}
# text report: longest outlet, article id or speaker shown; a name is a label, and a 10,000
# character one would push everything else off the screen (the data formats keep it whole)
NAME_LIMIT = 80
# a finding's message names its outlets, so a huge name makes a huge message; real messages stay
# under 500 characters, so this cuts only what a name blew up
MESSAGE_LIMIT = 1000


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _counts_line(data: dict) -> str:
    counts = data.get("summary", {}).get("findings", {})
    parts = []
    for sev in SEVERITIES:
        n = counts.get(sev, 0)
        parts.append(f"{n} info" if sev == "info" else _plural(n, sev))
    return ", ".join(parts)


def segments_text(segments, color: bool) -> Text:
    """Segments for the terminal: deletions struck through in red, insertions in green; without
    colour wdiff's [-deleted-] {+inserted+}."""
    text = Text()
    for op, part in segments:
        part = str(part).strip()
        if not part:
            continue
        if text.plain and not text.plain.endswith(" "):
            text.append(" ")
        if op == "delete":
            text.append(part if color else f"[-{part.strip()}-]", style="red strike" if color else "")
        elif op == "insert":
            text.append(part if color else f"{{+{part.strip()}+}}", style="bold green" if color else "")
        elif op == "break":
            text.append(part, style="dim")
        else:
            text.append(part)
    return text


def _highlighted(ev: dict, color: bool) -> Text:
    """The evidence in its sentence: the verbatim span in yellow, the value in reverse video.

    Without colour the span is bracketed with » « so plain-text reports still show it.
    """
    shown, start, end = evidence_context(ev)
    if end <= start:
        return Text(shown)
    if not color:
        if (start, end) == (0, len(shown)):
            return Text(shown)
        return Text(shown[:start] + "»" + shown[start:end] + "«" + shown[end:])
    text = Text(shown)
    text.stylize("yellow", start, end)
    span = value_span(shown, start, end, ev.get("value") or "")
    if span:
        text.stylize("bold reverse", *span)
    return text


def _finding_block(finding: dict, articles: dict[str, dict], color: bool, facts: dict[str, dict]) -> Group:
    sev = finding.get("severity", "info")
    head = Text()
    head.append(f"[{badge(finding).upper()}] ", style=SEVERITY_STYLES.get(sev, "bold"))
    head.append(terminal_text(finding.get("message", ""), MESSAGE_LIMIT), style="bold")
    meta = Text(style="dim")
    meta.append(f"rule {finding.get('rule')} ({finding.get('kind')})")
    meta.append(f" · {about(finding, facts)}")
    conf = finding.get("confidence")
    if isinstance(conf, (int, float)) and math.isfinite(conf):
        meta.append(f" · confidence {conf:.2f}")
    meta.append(f" · id {finding.get('id')}")
    review = review_line(finding)
    if review:
        meta.append(f"\nreview: {review}")

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, expand=True, pad_edge=False)
    table.add_column("Source", ratio=2, overflow="fold")
    table.add_column("Published", width=10, overflow="fold")
    table.add_column("Evidence", ratio=6, overflow="fold")
    shown, folded = arranged_evidence(finding)
    for ev in shown:
        source = Text(terminal_text(source_name(ev, articles) or label_of(ev, articles), NAME_LIMIT),
                      style="bold" if color else "")
        source.append("\n" + terminal_text(ev.get("article", ""), NAME_LIMIT), style="dim")
        table.add_row(source, terminal_text(published(ev, articles), NAME_LIMIT), _highlighted(ev, color))
    parts: list[Any] = [head, meta, table]
    if folded:
        parts.append(Text(terminal_text(folded_line(finding, folded, articles), MESSAGE_LIMIT), style="dim"))
    diff = (finding.get("details") or {}).get("diff")
    if isinstance(diff, str) and diff:
        parts.append(Text("Quote differences:", style="bold"))
        for line in diff.split(" / "):
            parts.append(Padding(segments_text(diff_segments(line), color), (0, 0, 0, 2)))
    elif diff:
        parts.append(Text("Quote differences:", style="bold"))
        parts.append(Padding(Text(format_diff(diff)), (0, 0, 0, 2)))
    return Group(*parts)


def _family_block(family: dict, color: bool) -> Group:
    ref = family.get("reference") or {}
    head = Text(f"Quote of {terminal_text(family.get('speaker'), NAME_LIMIT)}", style="bold")
    head.append(f" · {1 + len(family.get('variants', []))} sources · family {family.get('id')}", style="dim")
    parts: list[Any] = [head, Text(f"{terminal_text(ref.get('outlet'), NAME_LIMIT)} (reference, "
                                   f"{terminal_text(ref.get('article'), NAME_LIMIT)})", style="bold" if color else "")]
    parts.append(Padding(Text(str(ref.get("text", ""))), (0, 0, 0, 2)))
    for variant in family.get("variants", []):
        label = Text(f"{terminal_text(variant.get('outlet'), NAME_LIMIT)} "
                     f"({terminal_text(variant.get('article'), NAME_LIMIT)})", style="bold" if color else "")
        label.append(f" · {variant.get('status')}", style="dim")
        if variant.get("speaker") and variant.get("speaker") != family.get("speaker"):
            label.append(f" · speaker: {terminal_text(variant.get('speaker'), NAME_LIMIT)}", style="dim")
        parts.append(label)
        parts.append(Padding(segments_text(variant.get("segments", []), color), (0, 0, 0, 2)))
    return Group(*parts)


def _fix_first_lines(data: dict, color: bool) -> list[Text]:
    """"Fix before publishing": each error and warning in one line, most important first."""
    loud, left_out = fix_first(data), fix_first_left_out_line(data)
    if not loud and not left_out:
        return []
    lines = [Text(f"Fix before publishing ({len(loud)})", style="bold")]
    for n, finding in enumerate(loud, 1):
        sev = str(finding.get("severity"))
        line = Text(f"{n:>3}. ")
        line.append(f"[{badge(finding).upper()}] ", style=SEVERITY_STYLES.get(sev, "bold"))
        line.append(terminal_text(finding.get("message", ""), MESSAGE_LIMIT))
        line.append(f" ({terminal_text(finding.get('rule'), NAME_LIMIT)})", style="dim")
        lines.append(line)
    if left_out:
        lines.append(Text(f"     {left_out}", style="dim"))
    return lines


def render_text(data: dict, result: StoryResult | None = None, *, color: bool = False,
                width: int = DEFAULT_WIDTH, show_info: bool = False) -> str:
    """A terminal report: header, "Fix before publishing" (errors and warnings, one line each),
    findings by severity (errors first, the most important first within each), input problems,
    footer. Info findings are counted in one line unless ``show_info``.

    Every string of the report is untrusted (article text, outlet names, titles, file names,
    rule ids and messages from a user's rules file), so each is shown through ``terminal_text``:
    on one line, with control characters and bidi overrides escaped (``\\x1b``).
    """
    data = terminal_data(data)
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, highlight=False,
                      emoji=False, markup=False, legacy_windows=False)
    story = data.get("story", {})
    summary = data.get("summary", {})
    articles = articles_by_id(data)
    facts = facts_by_id(data)

    title = Text("claimcheck", style="bold")
    title.append(f" · story {terminal_text(story.get('id'), NAME_LIMIT)}", style="bold")
    console.print(title)
    n_articles, n_claims = summary.get("articles", len(articles)), summary.get("claims", 0)
    console.print(Text(f"{_plural(n_articles, 'article')}, {_plural(n_claims, 'claim')} · "
                       f"findings: {_counts_line(data)}"))
    if review_counts_line(data):
        console.print(Text(f"review: {review_counts_line(data)}"))
    if story.get("path"):
        console.print(Text(f"{story['path']}", style="dim"))
    console.print()
    fix = _fix_first_lines(data, color)
    for line in fix:
        console.print(line)
    if fix:
        console.print()

    sources = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    sources.add_column("Article", overflow="fold")
    sources.add_column("Outlet", overflow="fold")
    sources.add_column("Published")
    sources.add_column("Claims", justify="right")
    for article in data.get("articles", []):
        outlet = terminal_text(article.get("outlet") or "(no outlet)", NAME_LIMIT)
        claims = str(article.get("claims", 0)) + (" (truncated)" if article.get("truncated") else "")
        sources.add_row(terminal_text(article.get("id"), NAME_LIMIT), outlet,
                        terminal_text(published({"article": article.get("id")}, articles), NAME_LIMIT), claims)
    console.print(sources)
    console.print()

    groups = by_severity(data)
    if not data.get("findings"):
        console.print(Text("No findings: the sources agree on every claim checked.", style="green" if color else ""))
    for sev in SEVERITIES:
        findings = ordered_findings(groups.get(sev) or [])
        if not findings:
            continue
        console.print(Rule(Text(f"{SEVERITY_TITLES[sev]} ({len(findings)})", style=SEVERITY_STYLES[sev]),
                           align="left", style="dim"))
        if sev == "info" and not show_info:
            console.print(Text(hidden_info_line(len(findings)), style="dim"))
            console.print()
            continue
        for finding in findings:
            console.print(_finding_block(finding, articles, color, facts))
            console.print()

    changed = changed_families(data)
    if changed:
        console.print(Rule(Text(f"Quotes side by side ({len(changed)} quoted differently)", style="bold"),
                           align="left", style="dim"))
        for family in changed:
            console.print(_family_block(family, color))
            console.print()

    problems = data.get("problems") or []
    if problems:
        console.print(Rule(Text(f"Input problems ({len(problems)})", style="bold red"), align="left", style="dim"))
        for p in problems:
            where = f"{p.get('path')}:{p['line']}" if p.get("line") else str(p.get("path"))
            console.print(Text(f"  skipped {where}: {p.get('problem')}"))
        console.print()

    console.print(Rule(style="dim"))
    for sev in SEVERITIES:
        line = Text(f"{sev:<8}", style=SEVERITY_STYLES[sev])
        line.append(SEVERITY_HELP[sev], style="dim")
        console.print(line)
    console.print(Text("".join(f"'{t}'" if code else t for t, code in settings_footer(data)), style="dim"))
    return buffer.getvalue()
