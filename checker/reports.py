"""Report writers: the JSON contract (``result_to_dict``) rendered as json, text, markdown or csv.

Every writer is ``render_<fmt>(data, result=None) -> str`` and works from the contract dict alone,
so a report can be re-rendered from a saved JSON file; ``result`` is accepted for writers that
want more than the contract carries. ``render_claims`` lists the extracted claims for
``claimcheck claims``.

Report text is untrusted (articles, outlets, titles, file names, a user's rules). The text report
and the claims table show it through ``cli_io.terminal_text`` (one line, control characters and
bidi overrides escaped, long names cut). The data formats keep it verbatim but keep their own
structure: JSON escapes what a terminal would act on (``dumps_json``); Markdown escapes its syntax
(a ``|`` cannot end a table cell) and folds newlines; a CSV cell starting with = + - @ tab or CR
gets a leading ``'``, as OWASP advises against formula injection (``csv_safe``).
"""
from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from checker.cli_io import terminal_data, terminal_text
from checker.engine.findings import SEVERITIES, subject_label
from claims.model import CLAIM_COLUMNS, Claim

if TYPE_CHECKING:
    from checker.pipeline.check import StoryResult

SEVERITY_TITLES = {"error": "Errors", "warning": "Warnings", "info": "Info"}
SEVERITY_STYLES = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}
SEVERITY_HELP = {
    "error": "sources state different facts; resolve before publishing",
    "warning": "likely inconsistency (spelling, quote wording, ...); worth a look",
    "info": "for awareness (e.g. a claim only one source makes)",
}
CSV_COLUMNS = ["finding_id", "rule", "kind", "severity", "claim_type", "subject", "message",
               "article", "outlet", "published", "value", "normalized", "start", "end", "text",
               "review_status", "review_note", "reviewer", "reviewed_at"]
CLAIM_TABLE_COLUMNS = ["article", "claim_type", "subject", "attribute", "value", "normalized", "sentence"]
# claims table: longest text kept per column (cut with …); the sentence gets the rest of the line
CLAIM_FIELD_WIDTHS = {"article": 24, "claim_type": 12, "subject": 24, "attribute": 18, "value": 20,
                      "normalized": 20}
MIN_SENTENCE = 24
DEFAULT_WIDTH = 110
# text report: longest outlet, article id or speaker shown; a name is a label, and a 10,000
# character one would push everything else off the screen (the data formats keep it whole)
NAME_LIMIT = 80
# a finding's message names its outlets, so a huge name makes a huge message; real messages stay
# under 500 characters, so this cuts only what a name blew up
MESSAGE_LIMIT = 1000


# --- helpers -----------------------------------------------------------------------------------

def jsonable(value: Any) -> Any:
    """``value`` with non-finite floats as None and numpy/pandas scalars as plain Python.

    ``json.dumps`` would otherwise write ``NaN``/``Infinity``, which is not JSON.
    """
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((jsonable(v) for v in value), key=str)
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if type(value).__name__ in ("NAType", "NaTType"):  # pandas missing values
        return None
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, int):
        return int(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item):
        try:
            return jsonable(item())
        except (TypeError, ValueError):
            pass
    return str(value)


def _articles_by_id(data: dict) -> dict[str, dict]:
    return {a["id"]: a for a in data.get("articles", [])}


def _source_name(ev: dict, articles: dict[str, dict]) -> str:
    article = articles.get(ev.get("article"), {})
    return ev.get("outlet") or article.get("outlet") or ""


def _published(ev: dict, articles: dict[str, dict]) -> str:
    article = articles.get(ev.get("article"), {})
    when = ev.get("published") or article.get("published")
    if not when:
        return "unknown"
    when = str(when)
    if when.endswith(" 00:00:00"):
        when = when[: -len(" 00:00:00")]
    if article.get("published_estimated"):
        when += " (est.)"
    return when


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _by_severity(data: dict) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = {s: [] for s in SEVERITIES}
    for finding in data.get("findings", []):
        groups.setdefault(finding.get("severity", "info"), []).append(finding)
    return groups


def _counts_line(data: dict) -> str:
    counts = data.get("summary", {}).get("findings", {})
    parts = []
    for sev in SEVERITIES:
        n = counts.get(sev, 0)
        parts.append(f"{n} info" if sev == "info" else _plural(n, sev))
    return ", ".join(parts)


def review_line(finding: dict) -> str | None:
    """A finding's review in one line ("dismissed by ana on 2026-11-21: same person, two
    spellings"), or None when no review database is in use."""
    review = finding.get("review")
    if not review:
        return None
    line = str(review.get("status"))
    if review.get("reviewer") and review.get("decisions"):
        line += f" by {review['reviewer']}"
    if review.get("decided_at"):
        line += f" on {str(review['decided_at'])[:10]}"
    if review.get("note"):
        line += f": {review['note']}"
    if review.get("reopened_because"):
        line += f" (reopened: {review['reopened_because']})"
    return " ".join(line.split())


def review_counts_line(data: dict) -> str | None:
    """"3 open, 1 dismissed" from ``summary["review"]``; None without a review database."""
    counts = (data.get("summary") or {}).get("review")
    if not counts:
        return None
    return ", ".join(f"{n} {status}" for status, n in counts.items() if n) or "no findings"


def _evidence_context(ev: dict) -> tuple[str, int, int]:
    """The text to show for one evidence and where the quoted span lies in it.

    The sentence gives context; when the verbatim span cannot be found in it (normalisation
    changed quotes or spaces), the verbatim span alone is shown, never a paraphrase.
    """
    text = ev.get("text") or ""
    sentence = (ev.get("sentence") or "").strip()
    if text and sentence:
        at = sentence.find(text)
        if at >= 0:
            return sentence, at, at + len(text)
    return text, 0, len(text)


def _value_span(shown: str, start: int, end: int, value: str) -> tuple[int, int] | None:
    if not value:
        return None
    at = shown.find(value, start, end) if end > start else -1
    if at < 0 and len(shown.lower()) == len(shown):  # lower() can change lengths ("İ")
        at = shown.lower().find(value.lower(), start, end) if end > start else -1
    return (at, at + len(value)) if at >= 0 else None


def _format_diff(diff: Any) -> str:
    """A quote diff from ``details['diff']`` as plain lines, whatever shape the kind gave it."""
    if diff is None:
        return ""
    if isinstance(diff, str):
        return diff.rstrip("\n")
    if isinstance(diff, list):
        lines = []
        for item in diff:
            if isinstance(item, str):
                lines.append(item)
            elif isinstance(item, (list, tuple)) and len(item) == 2:
                op, words = item
                mark = {"insert": "+", "delete": "-", "equal": " ", "+": "+", "-": "-", " ": " "}.get(str(op), str(op))
                lines.append(f"{mark} {words}")
            elif isinstance(item, dict):
                op = str(item.get("op", item.get("tag", "")))
                mark = {"insert": "+", "delete": "-", "equal": " ", "replace": "~"}.get(op, op)
                words = item.get("text", item.get("words", ""))
                lines.append(f"{mark} {words}")
            else:
                lines.append(str(item))
        return "\n".join(lines)
    return dumps_json(jsonable(diff), indent=2)


_DIFF_MARK = re.compile(r"~~(.+?)~~|\*\*(.+?)\*\*")


def diff_segments(diff: str) -> list[list[str]]:
    """A finding's diff string (``... and ~~join~~ **joining** efforts ...``) as [op, text]."""
    out: list[list[str]] = []
    last = 0
    for m in _DIFF_MARK.finditer(diff):
        if m.start() > last:
            out.append(["equal", diff[last:m.start()]])
        out.append(["delete", m.group(1)] if m.group(1) is not None else ["insert", m.group(2)])
        last = m.end()
    if last < len(diff):
        out.append(["equal", diff[last:]])
    return out


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


def segments_markdown(segments) -> str:
    """Segments as Markdown: ~~deleted~~ **inserted**, the text escaped."""
    parts = []
    for op, part in segments:
        shown = md_escape(part)
        if not shown:
            continue
        parts.append(f"~~{shown}~~" if op == "delete" else f"**{shown}**" if op == "insert" else shown)
    return " ".join(parts)


def _changed_families(data: dict) -> list[dict]:
    return [f for f in data.get("quote_families") or [] if any(v.get("status") != "same" for v in f.get("variants", []))]


# --- json --------------------------------------------------------------------------------------

# json.dumps escapes C0 controls itself; these it writes raw, and a terminal showing the JSON
# would act on them (C1 controls, DEL) or show the text reordered (bidi overrides). \u escapes
# keep the decoded text exactly as it was.
_JSON_ESCAPES = {c: f"\\u{c:04x}" for c in [0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F),
                                              *range(0x2066, 0x206A), 0x2028, 0x2029]}


def dumps_json(value: Any, **options: Any) -> str:
    """``json.dumps`` without ASCII-escaping, but with every character a terminal would act on
    escaped: safe to print, and the same data to any JSON reader."""
    return json.dumps(value, ensure_ascii=False, **options).translate(_JSON_ESCAPES)


def render_json(data: dict, result: StoryResult | None = None) -> str:
    """The contract itself, indented; NaN and infinities become null."""
    return dumps_json(jsonable(data), indent=2, allow_nan=False) + "\n"


# --- text --------------------------------------------------------------------------------------

def _highlighted(ev: dict, color: bool) -> Text:
    """The evidence in its sentence: the verbatim span in yellow, the value in reverse video.

    Without colour the span is bracketed with » « so plain-text reports still show it.
    """
    shown, start, end = _evidence_context(ev)
    if end <= start:
        return Text(shown)
    if not color:
        if (start, end) == (0, len(shown)):
            return Text(shown)
        return Text(shown[:start] + "»" + shown[start:end] + "«" + shown[end:])
    text = Text(shown)
    text.stylize("yellow", start, end)
    span = _value_span(shown, start, end, ev.get("value") or "")
    if span:
        text.stylize("bold reverse", *span)
    return text


def _finding_block(finding: dict, articles: dict[str, dict], color: bool) -> Group:
    sev = finding.get("severity", "info")
    head = Text()
    head.append(f"[{sev.upper()}] ", style=SEVERITY_STYLES.get(sev, "bold"))
    head.append(terminal_text(finding.get("message", ""), MESSAGE_LIMIT), style="bold")
    meta = Text(style="dim")
    meta.append(f"rule {finding.get('rule')} ({finding.get('kind')})")
    meta.append(f" · {subject_label(finding)}")
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
    for ev in finding.get("evidence", []):
        source = Text(terminal_text(_source_name(ev, articles) or "(no outlet)", NAME_LIMIT),
                      style="bold" if color else "")
        source.append("\n" + terminal_text(ev.get("article", ""), NAME_LIMIT), style="dim")
        table.add_row(source, terminal_text(_published(ev, articles), NAME_LIMIT), _highlighted(ev, color))
    parts: list[Any] = [head, meta, table]
    diff = (finding.get("details") or {}).get("diff")
    if isinstance(diff, str) and diff:
        parts.append(Text("Quote differences:", style="bold"))
        for line in diff.split(" / "):
            parts.append(Padding(segments_text(diff_segments(line), color), (0, 0, 0, 2)))
    elif diff:
        parts.append(Text("Quote differences:", style="bold"))
        parts.append(Padding(Text(_format_diff(diff)), (0, 0, 0, 2)))
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


def render_text(data: dict, result: StoryResult | None = None, *, color: bool = False,
                width: int = DEFAULT_WIDTH) -> str:
    """A terminal report: header, findings by severity (errors first), input problems, footer.

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
    articles = _articles_by_id(data)

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

    sources = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    sources.add_column("Article", overflow="fold")
    sources.add_column("Outlet", overflow="fold")
    sources.add_column("Published")
    sources.add_column("Claims", justify="right")
    for article in data.get("articles", []):
        outlet = terminal_text(article.get("outlet") or "(no outlet)", NAME_LIMIT)
        claims = str(article.get("claims", 0)) + (" (truncated)" if article.get("truncated") else "")
        sources.add_row(terminal_text(article.get("id"), NAME_LIMIT), outlet,
                        terminal_text(_published({"article": article.get("id")}, articles), NAME_LIMIT), claims)
    console.print(sources)
    console.print()

    groups = _by_severity(data)
    if not data.get("findings"):
        console.print(Text("No findings: the sources agree on every claim checked.", style="green" if color else ""))
    for sev in SEVERITIES:
        findings = groups.get(sev) or []
        if not findings:
            continue
        console.print(Rule(Text(f"{SEVERITY_TITLES[sev]} ({len(findings)})", style=SEVERITY_STYLES[sev]),
                           align="left", style="dim"))
        for finding in findings:
            console.print(_finding_block(finding, articles, color))
            console.print()

    changed = _changed_families(data)
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
    rules_path = data.get("rules") or "rules.yaml"
    console.print(Text(f"To turn a rule off, set 'enabled: false' on it in {rules_path} "
                       "(or copy that file and pass it with --rules).", style="dim"))
    return buffer.getvalue()


# --- markdown ----------------------------------------------------------------------------------

# ~ too: the quote differences mark left-out words with ~~, so a ~~ in article text must not
# read as one
_MD_ESCAPES = str.maketrans({"\\": "\\\\", "|": "\\|", "*": "\\*", "_": "\\_", "`": "\\`",
                             "<": "&lt;", ">": "&gt;", "[": "\\[", "]": "\\]", "#": "\\#", "~": "\\~"})


def md_escape(text: Any) -> str:
    """Escape Markdown syntax and fold newlines, so text stays inside one table cell or line."""
    out = str(text if text is not None else "").translate(_MD_ESCAPES)
    return " ".join(out.replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip()


def md_code(text: Any) -> str:
    """``text`` as an inline code span on one line, whatever backticks it holds (a rule id or a
    file name comes from the user): the fence is one backtick longer than the longest run inside."""
    value = " ".join(str(text if text is not None else "").split())
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def _md_fence(text: str) -> str:
    """A code fence longer than any run of backticks in ``text``, so the text cannot close it."""
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
    return "`" * (longest + 1)


def _md_evidence(ev: dict) -> str:
    shown, start, end = _evidence_context(ev)
    if end <= start:
        return md_escape(shown)
    span = _value_span(shown, start, end, ev.get("value") or "") or (start, end)
    a, b = span
    core = md_escape(shown[a:b])
    return md_escape(shown[:a]) + (" " if shown[a - 1:a].isspace() else "") + \
        (f"**{core}**" if core else "") + (" " if shown[b:b + 1].isspace() else "") + md_escape(shown[b:])


def _file_name(path: str | None) -> str:
    # a committed Markdown report must not depend on where the checker was run from
    return PurePath(path).name if path else "rules.yaml"


def _story_relative(path: str | None, story_path: str | None) -> str:
    if not path or not story_path:
        return str(path or "")
    try:
        return PurePath(path).relative_to(PurePath(story_path)).as_posix()
    except ValueError:
        return PurePath(path).name


def render_markdown(data: dict, result: StoryResult | None = None) -> str:
    """The text report as Markdown: summary table, a section per severity, sources as tables.

    Only ids and file names appear, never absolute paths, so the same story gives the same
    Markdown wherever it is checked (reports are committed next to the stories).
    """
    story = data.get("story", {})
    summary = data.get("summary", {})
    counts = summary.get("findings", {})
    articles = _articles_by_id(data)
    out: list[str] = [f"# claimcheck report: {md_escape(story.get('id'))}", ""]
    out += ["| | |", "|---|---|",
            f"| Story | {md_escape(story.get('id'))} |",
            f"| Articles | {summary.get('articles', len(articles))} |",
            f"| Claims | {summary.get('claims', 0)} |"]
    out += [f"| {SEVERITY_TITLES[s]} | {counts.get(s, 0)} |" for s in SEVERITIES]
    if review_counts_line(data):
        out.append(f"| Review | {review_counts_line(data)} |")
    tool = data.get("tool") or {}
    if tool:
        out.append(f"| Tool | {md_escape(tool.get('name'))} {md_escape(tool.get('version'))} |")
    out += ["", "**Articles**", "", "| article | outlet | published | claims |", "|---|---|---|---:|"]
    for article in data.get("articles", []):
        claims = f"{article.get('claims', 0)}" + (" (truncated)" if article.get("truncated") else "")
        out.append(f"| {md_escape(article.get('id'))} | {md_escape(article.get('outlet') or '')} | "
                   f"{md_escape(_published({'article': article.get('id')}, articles))} | {claims} |")
    out.append("")

    groups = _by_severity(data)
    for sev in SEVERITIES:
        out += [f"## {SEVERITY_TITLES[sev]}", ""]
        findings = groups.get(sev) or []
        if not findings:
            out += [f"No {SEVERITY_TITLES[sev].lower()}.", ""]
            continue
        for f in findings:
            out += [f"### [{sev}] {md_escape(f.get('message'))}", ""]
            out.append(f"- Rule: {md_code(f.get('rule'))} ({md_escape(f.get('kind'))})")
            out.append(f"- About: {md_escape(subject_label(f))}")
            conf = f.get("confidence")
            if isinstance(conf, (int, float)) and math.isfinite(conf):
                out.append(f"- Confidence: {conf:.2f}")
            out.append(f"- ID: {md_code(f.get('id'))}")
            review = review_line(f)
            if review:
                out.append(f"- Review: {md_escape(review)}")
            out += ["", "| source | published | evidence |", "|---|---|---|"]
            for ev in f.get("evidence", []):
                name = _source_name(ev, articles)
                source = f"{md_escape(name)} ({md_escape(ev.get('article'))})" if name else md_escape(ev.get("article"))
                out.append(f"| {source} | {md_escape(_published(ev, articles))} | {_md_evidence(ev)} |")
            out.append("")
            diff = (f.get("details") or {}).get("diff")
            if isinstance(diff, str) and diff:
                out += ["Quote differences:", ""]
                out += [f"- {segments_markdown(diff_segments(line))}" for line in diff.split(" / ")]
                out.append("")
            elif diff:
                text = _format_diff(diff)
                fence = _md_fence(text)
                out += ["Quote differences:", "", f"{fence}diff", text, fence, ""]

    families = data.get("quote_families") or []
    if families:
        changed = _changed_families(data)
        out += ["## Quotes side by side", "",
                f"{len(families)} quotes carried by more than one source; {len(changed)} quoted differently. "
                "Each starts with the reference (the longest version); other sources follow with "
                "~~words they leave out or replace~~ and **words they add**; [\u2026] is narration between pieces.", ""]
        for family in changed:
            ref = family.get("reference") or {}
            out += [f"### Quote of {md_escape(family.get('speaker'))} ({1 + len(family.get('variants', []))} sources)", "",
                     f"**{md_escape(ref.get('outlet'))}** ({md_escape(ref.get('article'))}, reference):", "",
                     f"> {md_escape(ref.get('text'))}", ""]
            for variant in family.get("variants", []):
                note = f"; speaker: {md_escape(variant.get('speaker'))}" if variant.get("speaker") != family.get("speaker") else ""
                out += [f"**{md_escape(variant.get('outlet'))}** ({md_escape(variant.get('article'))}, "
                        f"{md_escape(variant.get('status'))}{note}):", "",
                        f"> {segments_markdown(variant.get('segments', []))}", ""]

    problems = data.get("problems") or []
    if problems:
        out += ["## Input problems", ""]
        for p in problems:
            path = _story_relative(p.get("path"), story.get("path"))
            where = f"{path}:{p['line']}" if p.get("line") else path
            out.append(f"- skipped {md_code(where)}: {md_escape(p.get('problem'))}")
        out.append("")

    out += ["---", "", "Severities: " + "; ".join(f"**{s}**: {SEVERITY_HELP[s]}" for s in SEVERITIES) + ".", "",
            f"To turn a rule off, set `enabled: false` on it in {md_code(_file_name(data.get('rules')))} "
            "(or copy that file and pass it with `--rules`).", ""]
    return "\n".join(out)


# --- csv ---------------------------------------------------------------------------------------

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


def _csv_text(rows: list[list[Any]], header: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else csv_safe(v) for v in (jsonable(x) for x in row)])
    return buffer.getvalue()


def render_csv(data: dict, result: StoryResult | None = None) -> str:
    """One row per evidence of every finding (a finding without evidence still gets a row)."""
    articles = _articles_by_id(data)
    rows = []
    for f in data.get("findings", []):
        head = [f.get("id"), f.get("rule"), f.get("kind"), f.get("severity"), f.get("claim_type"),
                f.get("subject"), f.get("message")]
        review = f.get("review") or {}
        tail = [review.get("status"), review.get("note"), review.get("reviewer"), review.get("decided_at")]
        for ev in f.get("evidence") or [{}]:
            published = ev.get("published") or articles.get(ev.get("article"), {}).get("published")
            rows.append(head + [ev.get("article"), _source_name(ev, articles) or None, published,
                                ev.get("value"), ev.get("normalized"), ev.get("start"), ev.get("end"),
                                ev.get("text")] + tail)
    return _csv_text(rows, CSV_COLUMNS)


# --- dispatch ----------------------------------------------------------------------------------

def render_html(data: dict, result: StoryResult | None = None) -> str:
    """The self-contained HTML report (``checker/html_report.py``)."""
    from checker.html_report import render_html as render

    return render(data, result)


RENDERERS: dict[str, Callable[..., str]] = {
    "text": render_text, "json": render_json, "markdown": render_markdown, "csv": render_csv,
    "html": render_html,
}


def render(fmt: str, data: dict, result: StoryResult | None = None, **options: Any) -> str:
    """Render ``data`` in ``fmt``; ``options`` (color, width) apply to the text format only."""
    if fmt not in RENDERERS:
        raise ValueError(f"unknown report format {fmt!r} (known: {', '.join(RENDERERS)})")
    if fmt == "text":
        return render_text(data, result, **options)
    return RENDERERS[fmt](data, result)


# --- claims listing ----------------------------------------------------------------------------

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
    records = claims_records(claims)
    if fmt == "json":
        return dumps_json(records, indent=2, allow_nan=False) + "\n"
    if fmt == "csv":
        columns = CLAIM_COLUMNS
        rows = [[dumps_json(r[c]) if isinstance(r.get(c), (dict, list)) else r.get(c)
                 for c in columns] for r in records]
        return _csv_text(rows, columns)
    if fmt != "table":
        raise ValueError(f"unknown claims format {fmt!r} (known: table, csv, json)")
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, highlight=False, emoji=False,
                      markup=False, legacy_windows=False)
    labels = ["article", "type", "subject", "attribute", "value", "normalized", "sentence"]
    cells = [[_trim(r.get(c), CLAIM_FIELD_WIDTHS[c]) for c in CLAIM_TABLE_COLUMNS[:-1]] for r in records]
    widths = [max([len(label)] + [len(row[i]) for row in cells]) for i, label in enumerate(labels[:-1])]
    # one line per claim keeps the table scannable: the sentence gets what is left of the width
    # (the full sentence is in the csv and json output)
    gaps = 3 * (len(labels) - 1)  # padding and divider between neighbouring columns
    # too wide: narrow the widest field, sparing the article id (needed to find the text) until last
    while sum(widths) + gaps + MIN_SENTENCE > width and max(widths) > 8:
        others = widths[1:]
        widest = 1 + others.index(max(others)) if max(others) > 8 else 0
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
