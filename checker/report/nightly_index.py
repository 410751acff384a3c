"""The night's ``index.html``: one self-contained page an editor reads in the morning.

Stories ranked by new errors, what is new and what was resolved since the previous night, a
scorecard of which outlets disagree with which and how often, failed stories with the reason,
warnings, and how feed articles were grouped into stories. Built from ``summary.json`` alone, escaped
throughout (story ids, outlets and messages come from feeds), with a Content-Security-Policy
that allows no script at all and only its own style.
"""
from __future__ import annotations

from typing import Any

from checker.engine.findings import SEVERITIES
from checker.report.common import csp_hash, esc

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f5f7;color:#1d2330;line-height:1.45}
main{max-width:1200px;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.2rem;margin:2rem 0 .6rem;border-bottom:1px solid #d6d9e0;padding-bottom:.3rem}
.card{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:1rem 1.2rem}
.stats{display:flex;flex-wrap:wrap;gap:.6rem;margin:.8rem 0}.stat{border:1px solid #dde1e8;border-radius:6px;padding:.4rem .8rem;background:#fafbfc}
.stat b{display:block;font-size:1.3rem}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #dde1e8}
th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #eceef2;vertical-align:top}
th{background:#f7f8fa;font-size:.8rem;text-transform:uppercase;letter-spacing:.03em;color:#555}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.error{color:#b42318;font-weight:600}.warning{color:#9a6700;font-weight:600}.info{color:#1f5fad}
.failed{color:#b42318}.muted{color:#667085}.new{background:#fff4e5}
ul{margin:.3rem 0 .3rem 1.2rem;padding:0}
code{font-size:.85em}
"""

def _link(report: str | None, text: str, anchor: str | None = None) -> str:
    if not report:
        return esc(text)
    href = report + (f"#{anchor}" if anchor else "")
    return f'<a href="{esc(href)}">{esc(text)}</a>'


def _stat(value: Any, label: str, css: str = "") -> str:
    return f'<div class="stat"><b class="{css}">{esc(value)}</b>{esc(label)}</div>'


def _header(summary: dict) -> str:
    counts = summary["counts"]
    findings, new = counts["findings"], counts["new"]
    previous = summary.get("previous")
    stats = [_stat(counts["checked"], "stories checked"), _stat(counts["failed"], "failed", "failed" if counts["failed"] else ""),
             _stat(counts["articles"], "articles")]
    stats += [_stat(new.get(s, 0), f"new {s}s" if s != "info" else "new info", s) for s in SEVERITIES]
    stats += [_stat(counts["resolved"], "resolved")]
    stats += [_stat(findings.get(s, 0), f"{s}s in all" if s != "info" else "info in all") for s in SEVERITIES]
    since = f"compared with {esc(previous)}" if previous else "first night: every finding is new"
    return (f'<div class="card"><div class="muted">claimcheck nightly</div><h1>{esc(summary["date"])}</h1>'
            f'<div class="muted">inbox {esc(summary["inbox"])} · {since}</div>'
            f'<div class="stats">{"".join(stats)}</div></div>')


def _stories(summary: dict) -> str:
    rows = []
    for story in summary["stories"]:
        new, found, review = story["new"], story["findings"], story.get("review") or {}
        status = "" if story["status"] == "ok" else f'<span class="failed">{esc(story["status"])}: {esc(story["reason"])}</span>'
        cells = [f"<td>{_link(story['report'], story['id'])}{'<br>' + status if status else ''}</td>",
                 f'<td class="n">{story["articles"]}</td>']
        cells += [f'<td class="n {s if new.get(s) else ""}">{new.get(s, 0)}</td>' for s in ("error", "warning")]
        cells += [f'<td class="n">{found.get(s, 0)}</td>' for s in SEVERITIES]
        cells += [f'<td class="n">{review.get("open", 0)}</td>', f'<td class="n">{review.get("dismissed", 0)}</td>']
        rows.append(f'<tr class="{"new" if new.get("error") else ""}">{"".join(cells)}</tr>')
    head = ("<tr><th>Story</th><th>Articles</th><th>New errors</th><th>New warnings</th><th>Errors</th>"
            "<th>Warnings</th><th>Info</th><th>Open</th><th>Dismissed</th></tr>")
    return f"<h2>Stories ({len(summary['stories'])}), most new errors first</h2><table>{head}{''.join(rows)}</table>"


def _finding_rows(rows: list[dict], reports: dict[str, str | None], limit: int = 500) -> str:
    items = []
    for row in rows[:limit]:
        items.append(f'<tr><td class="{esc(row["severity"])}">{esc(row["severity"])}</td>'
                     f'<td>{_link(reports.get(row["story"]), row["story"], row["finding_id"])}</td>'
                     f'<td>{esc(row["message"])}</td><td>{esc(", ".join(row.get("outlets", [])))}</td>'
                     f'<td><code>{esc(row["finding_id"])}</code></td></tr>')
    more = f'<p class="muted">and {len(rows) - limit} more in findings.jsonl</p>' if len(rows) > limit else ""
    head = "<tr><th>Severity</th><th>Story</th><th>Finding</th><th>Outlets</th><th>Id</th></tr>"
    return f"<table>{head}{''.join(items)}</table>{more}" if items else '<p class="muted">None.</p>'


def _outlets(summary: dict) -> str:
    findings = summary["outlets"]["findings"]
    pairs = summary["outlets"]["pairs"]
    if not findings:
        return "<h2>Outlets</h2><p class=\"muted\">No warnings or errors between outlets tonight.</p>"
    partners: dict[str, list[tuple[int, str]]] = {}
    for pair in pairs:
        a, b = pair["outlets"]
        partners.setdefault(a, []).append((pair["findings"], b))
        partners.setdefault(b, []).append((pair["findings"], a))
    rows = []
    for outlet, n in findings.items():
        top = sorted(partners.get(outlet, []), key=lambda item: (-item[0], item[1]))[:3]
        rows.append(f"<tr><td>{esc(outlet)}</td><td class=\"n\">{n}</td>"
                    f"<td>{esc(', '.join(f'{other} ({k})' for k, other in top))}</td></tr>")
    pair_rows = "".join(f"<tr><td>{esc(p['outlets'][0])}</td><td>{esc(p['outlets'][1])}</td>"
                        f"<td class=\"n\">{p['findings']}</td></tr>" for p in pairs[:40])
    return ("<h2>Outlets: who disagrees with whom</h2>"
            "<p class=\"muted\">Warnings and errors not dismissed, counted once per finding for every outlet "
            "in its evidence.</p>"
            "<table><tr><th>Outlet</th><th>Findings</th><th>Disagrees most with</th></tr>" + "".join(rows) + "</table>"
            "<h2>Outlet pairs</h2><table><tr><th>Outlet</th><th>Outlet</th><th>Findings together</th></tr>"
            + pair_rows + "</table>")


def _grouping(summary: dict) -> str:
    groups = [s for s in summary["stories"] if s.get("grouping")]
    if not groups:
        return ""
    items = []
    for story in groups:
        reasons = story["grouping"].get("reasons") or {}
        members = "".join(f"<li><code>{esc(article)}</code>: {esc(why)}</li>" for article, why in sorted(reasons.items()))
        items.append(f"<li>{_link(story['report'], story['id'])}<ul>{members}</ul></li>")
    return ("<h2>Stories grouped automatically</h2><p class=\"muted\">Feed articles without a story id, grouped by "
            "shared names, places, numbers and wording within a time window. Give the records a story id to "
            f"override.</p><ul>{''.join(items)}</ul>")


def _problems(summary: dict) -> str:
    failed = [s for s in summary["stories"] if s["status"] != "ok"]
    skipped = [(s["id"], p) for s in summary["stories"] for p in s.get("problems") or []]
    inbox = summary.get("inbox_problems") or []
    if not (failed or skipped or inbox):
        return ""
    items = [f"<li class=\"failed\">story {esc(s['id'])} {esc(s['status'])}: {esc(s['reason'])}</li>" for s in failed]
    items += [f"<li>story {esc(story)}: skipped {esc(problem)}</li>" for story, problem in skipped]
    items += [f"<li>inbox: skipped {esc(problem)}</li>" for problem in inbox]
    return f"<h2>Problems ({len(items)})</h2><ul>{''.join(items)}</ul>"


def _warnings(summary: dict) -> str:
    """Things read or done with a guess: a damaged earlier night passed over, a dead run cleaned
    up, two story folders sharing one name (summaries from before warnings existed have none)."""
    night = summary.get("warnings") or []
    stories = [(s["id"], w) for s in summary["stories"] for w in s.get("warnings") or [] if w not in night]
    if not (night or stories):
        return ""
    items = [f"<li>{esc(warning)}</li>" for warning in night]
    items += [f"<li>story {esc(story)}: {esc(warning)}</li>" for story, warning in stories]
    return f"<h2>Warnings ({len(items)})</h2><ul>{''.join(items)}</ul>"


def render_index(summary: dict) -> str:
    reports = {s["id"]: s.get("report") for s in summary["stories"]}
    policy = f"default-src 'none'; style-src {csp_hash(STYLE)}; img-src data:; base-uri 'none'; form-action 'none'"
    body = [
        _header(summary), _stories(summary),
        f"<h2>New since {esc(summary.get('previous') or 'the first night')} ({len(summary['new'])})</h2>",
        _finding_rows(summary["new"], reports),
        f"<h2>Resolved since {esc(summary.get('previous') or 'the first night')} ({len(summary['resolved'])})</h2>",
        '<p class="muted">Found last night, no longer found in tonight\'s check of the same story.</p>',
        _finding_rows(summary["resolved"], reports),
        _outlets(summary), _grouping(summary), _problems(summary), _warnings(summary),
    ]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{esc(policy)}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>claimcheck nightly {esc(summary['date'])}</title><style>{STYLE}</style></head>"
            f"<body><main>{''.join(body)}</main></body></html>\n")
