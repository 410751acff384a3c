"""The report as Markdown: a summary table, a section per severity with sources as tables, the
quotes side by side. Only ids and file names appear, never absolute paths, so the same story gives
the same Markdown wherever it is checked (reports are committed next to the stories).

Article text is untrusted: Markdown syntax in it is escaped (``md_escape``), and every control
character and bidi override but newline and tab is written out as its escape (``\\x1b``), as the
text report shows them, so a Markdown report is as safe to print on a terminal (the default
without ``--output``) as to commit; renderers show such characters as nothing or boxes anyway."""
from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from checker.engine.findings import SEVERITIES
from checker.report.common import (about, facts_by_id, SEVERITY_HELP, SEVERITY_TITLES, arranged_evidence, articles_by_id, badge,
                                   by_severity, changed_families, diff_segments, evidence_context,
                                   fix_first, fix_first_left_out_line, folded_line, format_diff, hidden_info_line, ordered_findings,
                                   published, review_counts_line, review_line, source_name, story_relative,
                                   value_span)
from checker.report.common import settings_footer
from checker.console import visible_controls

if TYPE_CHECKING:
    from checker.pipeline.check import StoryResult

def segments_markdown(segments) -> str:
    """Segments as Markdown: ~~deleted~~ **inserted**, the text escaped."""
    parts = []
    for op, part in segments:
        shown = md_escape(part)
        if not shown:
            continue
        parts.append(f"~~{shown}~~" if op == "delete" else f"**{shown}**" if op == "insert" else shown)
    return " ".join(parts)


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
    shown, start, end = evidence_context(ev)
    if end <= start:
        return md_escape(shown)
    span = value_span(shown, start, end, ev.get("value") or "") or (start, end)
    a, b = span
    core = md_escape(shown[a:b])
    return md_escape(shown[:a]) + (" " if shown[a - 1:a].isspace() else "") + \
        (f"**{core}**" if core else "") + (" " if shown[b:b + 1].isspace() else "") + md_escape(shown[b:])


def _anchor(finding: dict) -> str:
    """An HTML anchor for a finding (its id is a fingerprint: letters, digits and '-')."""
    return "finding-" + re.sub(r"[^A-Za-z0-9-]", "", str(finding.get("id")))


def render_markdown(data: dict, result: StoryResult | None = None, *, show_info: bool = False) -> str:
    """The text report as Markdown: summary table, "Fix before publishing" (errors and warnings,
    one line each, most important first), a section per severity, sources as tables. Info
    findings are counted in one line unless ``show_info``.

    Only ids and file names appear, never absolute paths, so the same story gives the same
    Markdown wherever it is checked (reports are committed next to the stories).
    """
    story = data.get("story", {})
    summary = data.get("summary", {})
    counts = summary.get("findings", {})
    articles = articles_by_id(data)
    facts = facts_by_id(data)
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
    loud, left_out = fix_first(data), fix_first_left_out_line(data)
    if loud or left_out:
        out += ["", f"## Fix before publishing ({len(loud)})", ""]
        out += [f"{n}. **{md_escape(badge(f))}** [{md_escape(f.get('message'))}](#{_anchor(f)}) {md_code(f.get('rule'))}"
                for n, f in enumerate(loud, 1)]
        if left_out:
            out += ["", f"_{md_escape(left_out)}_"]
    out += ["", "**Articles**", "", "| article | outlet | published | claims |", "|---|---|---|---:|"]
    for article in data.get("articles", []):
        claims = f"{article.get('claims', 0)}" + (" (truncated)" if article.get("truncated") else "")
        out.append(f"| {md_escape(article.get('id'))} | {md_escape(article.get('outlet') or '')} | "
                   f"{md_escape(published({'article': article.get('id')}, articles))} | {claims} |")
    out.append("")

    groups = by_severity(data)
    for sev in SEVERITIES:
        out += [f"## {SEVERITY_TITLES[sev]}", ""]
        findings = ordered_findings(groups.get(sev) or [])
        if not findings:
            out += [f"No {SEVERITY_TITLES[sev].lower()}.", ""]
            continue
        if sev == "info" and not show_info:
            out += [md_escape(hidden_info_line(len(findings))), ""]
            continue
        for f in findings:
            out += [f'<a id="{_anchor(f)}"></a>', "", f"### [{md_escape(badge(f))}] {md_escape(f.get('message'))}", ""]
            out.append(f"- Rule: {md_code(f.get('rule'))} ({md_escape(f.get('kind'))})")
            out.append(f"- About: {md_escape(about(f, facts))}")
            conf = f.get("confidence")
            if isinstance(conf, (int, float)) and math.isfinite(conf):
                out.append(f"- Confidence: {conf:.2f}")
            out.append(f"- ID: {md_code(f.get('id'))}")
            review = review_line(f)
            if review:
                out.append(f"- Review: {md_escape(review)}")
            out += ["", "| source | published | evidence |", "|---|---|---|"]
            shown, folded = arranged_evidence(f)
            for ev in shown:
                name = source_name(ev, articles)
                source = f"{md_escape(name)} ({md_escape(ev.get('article'))})" if name else md_escape(ev.get("article"))
                out.append(f"| {source} | {md_escape(published(ev, articles))} | {_md_evidence(ev)} |")
            out.append("")
            if folded:
                out += [f"_{md_escape(folded_line(f, folded, articles))}_", ""]
            diff = (f.get("details") or {}).get("diff")
            if isinstance(diff, str) and diff:
                out += ["Quote differences:", ""]
                out += [f"- {segments_markdown(diff_segments(line))}" for line in diff.split(" / ")]
                out.append("")
            elif diff:
                text = format_diff(diff)
                fence = _md_fence(text)
                out += ["Quote differences:", "", f"{fence}diff", text, fence, ""]

    families = data.get("quote_families") or []
    if families:
        changed = changed_families(data)
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
            path = story_relative(p.get("path"), story.get("path"))
            where = f"{path}:{p['line']}" if p.get("line") else path
            out.append(f"- skipped {md_code(where)}: {md_escape(p.get('problem'))}")
        out.append("")

    out += ["---", "", "Severities: " + "; ".join(f"**{s}**: {SEVERITY_HELP[s]}" for s in SEVERITIES) + ".", "",
            "".join(md_code(t) if code else t for t, code in settings_footer(data)), ""]
    return visible_controls("\n".join(out), keep="\n\t")
