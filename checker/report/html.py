"""The report as one self-contained HTML page, for editors and fact-checkers.

``render_html(data)`` works from the JSON contract alone, like every other writer in
``checker.report``, so a saved report can be re-rendered. With ``review=ReviewControls(...)``
(``claimcheck serve``) every finding also gets a form to record a review decision.

Design:

* **Self-contained.** The page is mailed as an attachment, opened from disk, committed next to
  the story and printed. So there is nothing to fetch: one inline ``<style>``, one inline
  ``<script>``, no fonts, images or external files. The only URLs are links to the articles.
* **Hostile input.** Everything shown (article text, headlines, outlets, quotes, ids, review
  notes) comes from the web or from people, so every value is escaped with ``html.escape`` and
  only ``http(s)`` URLs ever become links. As a second line of defence the page carries a
  Content-Security-Policy that allows no scripts or styles but ours, named by the sha256 of
  their exact text. A hash, not ``'unsafe-inline'``, so markup that slipped past the escaping
  could neither run script nor restyle the page; a hash, not a nonce, because a nonce would have
  to change on every render and the output must be deterministic.
* **Deterministic.** The same data gives byte-identical output (no timestamps, random ids or
  absolute paths): the example report is committed and reviewed as a diff.
* **Works without JavaScript.** The script only filters; without it every finding is shown and
  the filter controls, which would do nothing, stay hidden. No data is embedded in the script:
  it reads the ``data-*`` attributes of the finding cards.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from checker.engine.findings import REVIEW_STATUSES, SEVERITIES
from checker.report.fact_sheet import html_section
from checker.report.common import (about, facts_by_id, label_of, SEVERITY_HELP, SEVERITY_TITLES, arranged_evidence, articles_by_id, by_severity,
                                   changed_families, csp_hash, diff_segments, esc, evidence_context,
                                   fix_first, fix_first_left_out_line, folded_line, format_diff, is_update, ordered_findings, published,
                                   source_name, story_relative)
from checker.report.common import settings_footer

if TYPE_CHECKING:
    from checker.pipeline.check import StoryResult


@dataclass
class ReviewControls:
    """Given when the report is served by `claimcheck serve`: each finding gets review buttons."""

    action: str  # URL the decision form POSTs to, e.g. "/decide"
    csrf_token: str  # put in a hidden input named "csrf_token"
    story: str  # story id, hidden input "story"
    reviewer: str = ""  # the name this reviewer gave last time, filled into the "by" input


STATUS_TITLES = {"open": "Open", "confirmed": "Confirmed", "dismissed": "Dismissed",
                 "corrected": "Corrected", "follow-up": "Follow-up"}
# review buttons, in the order they appear on a card: (status they set, label)
REVIEW_BUTTONS = (("confirmed", "Confirm"), ("dismissed", "Dismiss"), ("follow-up", "Follow up"),
                  ("corrected", "Corrected"), ("open", "Reopen"))
SEVERITY_SINGULAR = {"error": "Error", "warning": "Warning", "info": "Info"}
# word diffs between evidence texts: texts up to UNRELATED_WORDS long are always compared (a
# value, a name); longer ones only when the shorter has MIN_SHARED of its words in runs of
# MIN_RUN words found in the other, else they are different passages and marking every word is noise
UNRELATED_WORDS = 8
MIN_SHARED = 0.6
MIN_RUN = 2


# --- style and script --------------------------------------------------------------------------
# Both are hashed into the CSP exactly as written here: they must contain no "</" and no
# untrusted text, and no url( or http, so the page never reaches out.

CSS = """
:root {
  color-scheme: light;
  --fg: #1d2433; --muted: #5d6677; --line: #dfe3ea; --bg: #f4f5f7; --card: #ffffff;
  --error: #b42318; --error-bg: #fef3f2; --warning: #a15c07; --warning-bg: #fffaeb;
  --info: #1d5fb8; --info-bg: #eef5ff; --accent: #3b4bc8;
  --span: #fff4c2; --diff: #ffc97a; --del: #fde2e1; --ins: #dcf5e3;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Noto Sans", sans-serif;
}
.page { max-width: 1240px; margin: 0 auto; padding: 28px 24px 56px; }
h1, h2, h3 { line-height: 1.25; }
h1 { font-size: 1.7rem; margin: 2px 0 12px; overflow-wrap: anywhere; }
h2 { font-size: 1.25rem; margin: 36px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 0; }
a { color: var(--accent); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88em; }
.muted { color: var(--muted); }
.eyebrow { margin: 0; color: var(--muted); font-size: .8rem; letter-spacing: .08em; text-transform: uppercase; }

.report-head { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 20px 24px; }
.stats { display: flex; flex-wrap: wrap; gap: 10px; margin: 0; padding: 0; list-style: none; }
.stats li { border: 1px solid var(--line); border-radius: 8px; padding: 6px 14px; min-width: 96px; background: #fbfcfd; }
.stats .num { display: block; font-size: 1.35rem; font-weight: 700; }
.stats .stat-error .num { color: var(--error); }
.stats .stat-warning .num { color: var(--warning); }
.stats .stat-info .num { color: var(--info); }
.review-summary { margin: 12px 0 0; }
.toc { margin: 14px 0 0; font-size: .9rem; }
.toc a { margin-right: 14px; }

table.sources { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); }
.sources th, .sources td { text-align: left; vertical-align: top; padding: 8px 10px; border-bottom: 1px solid var(--line); }
.sources th { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); background: #fafbfc; }
.sources td.num { text-align: right; font-variant-numeric: tabular-nums; }
.table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; }
.table-wrap table.sources { border: 0; }
.sources td { overflow-wrap: break-word; }
.sources td.title { min-width: 14rem; }
.sources td.id { white-space: nowrap; overflow-wrap: normal; }

.filters { position: sticky; top: 0; z-index: 2; background: var(--card); border: 1px solid var(--line);
  border-radius: 10px; padding: 10px 16px; margin: 24px 0 0; box-shadow: 0 2px 6px rgba(16, 24, 40, .06); }
.filters fieldset { display: inline-block; border: 0; margin: 0 18px 0 0; padding: 2px 0; }
.filters legend { float: left; font-weight: 600; font-size: .85rem; margin-right: 8px; padding: 0; }
.filters label { font-size: .85rem; margin-right: 10px; white-space: nowrap; }
.filter-foot { display: flex; gap: 14px; align-items: center; margin-top: 6px; font-size: .85rem; }
.filter-count { font-weight: 600; }

.fix-first { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 20px;
  margin: 18px 0 0; }
.fix-first h2 { margin: 0 0 8px; border: 0; padding: 0; }
.fix-first ol { margin: 0; padding-left: 0; list-style-position: inside; }
.fix-first li { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; padding: 2px 0; }
.fix-first li .badge { margin-right: 8px; }
.fix-first li .rule { margin-left: 8px; }
.badge.update { background: #eef4ec; color: #2d6a2d; border-color: #9cc59c; }
details.info-fold > summary, details.more-evidence > summary { cursor: pointer; color: var(--muted); margin: 10px 0; }
details.info-fold > summary { font-weight: 600; }
.finding, .family { background: var(--card); border: 1px solid var(--line); border-left: 5px solid var(--info);
  border-radius: 10px; padding: 16px 20px; margin: 14px 0; scroll-margin-top: 120px; }
.finding.sev-error { border-left-color: var(--error); }
.finding.sev-warning { border-left-color: var(--warning); }
.family { border-left-color: #98a2b3; }
.finding:target, .family:target { box-shadow: 0 0 0 3px rgba(59, 75, 200, .35); }
.finding[data-status="dismissed"] .finding-body { opacity: .7; }
.finding-head { display: flex; gap: 10px; align-items: flex-start; }
.finding-head h3 { flex: 1; overflow-wrap: anywhere; }
.badge, .status { display: inline-block; border-radius: 999px; padding: 1px 10px; font-size: .75rem;
  font-weight: 700; white-space: nowrap; border: 1px solid transparent; }
.badge.sev-error { background: var(--error-bg); color: var(--error); border-color: #f7c1bc; }
.badge.sev-warning { background: var(--warning-bg); color: var(--warning); border-color: #f5d78e; }
.badge.sev-info { background: var(--info-bg); color: var(--info); border-color: #b9d3f5; }
.status { background: #f2f4f7; color: #475467; border-color: #d0d5dd; }
.status-confirmed { background: var(--error-bg); color: var(--error); border-color: #f7c1bc; }
.status-dismissed { background: #f2f4f7; color: #667085; border-color: #d0d5dd; }
.status-corrected { background: #ecfdf3; color: #067647; border-color: #abefc6; }
.status-follow-up { background: #f4f3ff; color: #5925dc; border-color: #d9d6fe; }
.finding-meta { margin: 6px 0 0; font-size: .85rem; color: var(--muted); }
.finding-meta span + span::before { content: "\\00b7"; margin: 0 7px; }
.review-info { margin: 10px 0 0; padding: 8px 12px; background: #f8f9fb; border-radius: 8px; font-size: .88rem; }
.review-info p { margin: 2px 0; }
.reopened { color: var(--error); font-weight: 600; }

.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(250px, 1fr)); gap: 12px; margin: 14px 0 0; }
.column { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; background: #fcfcfd;
  break-inside: avoid; min-width: 0; }
.column-head { margin: 0 0 6px; font-size: .85rem; overflow-wrap: anywhere; }
.column-head .outlet { font-weight: 700; font-size: .95rem; display: block; }
.column-head .headline { display: block; font-style: italic; }
.column-head .ref { color: var(--muted); font-weight: 600; font-size: .75rem; text-transform: uppercase; }
.evidence-text { margin: 0; overflow-wrap: anywhere; }
mark.span { background: var(--span); padding: 1px 0; }
mark.diff { background: var(--diff); font-weight: 700; border-radius: 3px; padding: 1px 2px; }
del { background: var(--del); color: #912018; }
ins { background: var(--ins); color: #05603a; text-decoration: none; font-weight: 600; }
.break { color: var(--muted); }
.quote-diff { margin: 14px 0 0; font-size: .92rem; }
.quote-diff p { margin: 4px 0 0 14px; }
.legend { font-size: .88rem; }

.review-form { margin: 14px 0 0; padding: 12px 0 0; border-top: 1px dashed var(--line);
  display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: flex-end; }
.review-form label { display: flex; flex-direction: column; font-size: .8rem; color: var(--muted); }
.review-form textarea { width: 22rem; max-width: 100%; min-height: 2.4rem; font: inherit; font-size: .9rem; }
.review-form input[type="text"] { width: 11rem; font: inherit; font-size: .9rem; }
.review-form .decisions { font-size: .8rem; color: var(--muted); }
.buttons { display: flex; flex-wrap: wrap; gap: 6px; }
.buttons button { font: inherit; font-size: .85rem; padding: 4px 12px; border-radius: 6px; cursor: pointer;
  border: 1px solid #c4c9d4; background: #fff; }
.buttons button:hover { background: #f2f4f7; }
.buttons button.current { border-color: var(--accent); box-shadow: inset 0 0 0 1px var(--accent); }

.problems li { margin: 4px 0; }
footer { margin-top: 40px; padding-top: 14px; border-top: 1px solid var(--line); font-size: .85rem; color: var(--muted); }
footer dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0 0 10px; }
footer dt { font-weight: 700; }
footer dd { margin: 0; }

@media (max-width: 640px) {
  .page { padding: 12px 10px 32px; }
  .finding { padding: 12px; }
  .filters { position: static; }
}
@media print {
  body { background: #fff; font-size: 10.5pt; }
  .page { max-width: none; padding: 0; }
  .filters fieldset, .filter-foot button, .review-form, .toc { display: none !important; }
  .filters { position: static; box-shadow: none; border: 0; padding: 0; margin: 8px 0 0; }
  .finding, .report-head { box-shadow: none; break-inside: auto; }
  .finding-head { break-after: avoid; }
  table.sources a[href]::after { content: " (" attr(href) ")"; font-size: .8em; overflow-wrap: anywhere; }
  mark.diff { outline: 1px solid #b36b00; }
}
"""

JS = """
(function () {
  "use strict";
  var bar = document.getElementById("filters");
  if (!bar) { return; }
  var cards = Array.prototype.slice.call(document.querySelectorAll(".finding"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".severity-group"));
  var boxes = Array.prototype.slice.call(bar.querySelectorAll("input[data-filter]"));
  var counter = document.getElementById("filter-count");

  function checked(facet) {
    var on = Object.create(null);
    boxes.forEach(function (box) {
      if (box.getAttribute("data-filter") === facet && box.checked) { on[box.value] = true; }
    });
    return on;
  }

  function apply() {
    var facets = ["severity", "kind", "status"];
    var wanted = facets.map(checked);
    var shown = 0;
    cards.forEach(function (card) {
      var ok = facets.every(function (facet, i) {
        return wanted[i][card.getAttribute("data-" + facet)] === true;
      });
      card.hidden = !ok;
      if (ok) { shown += 1; }
    });
    groups.forEach(function (group) {
      if (group.querySelector(".finding")) {
        group.hidden = !group.querySelector(".finding:not([hidden])");
      }
    });
    counter.textContent = "Showing " + shown + " of " + cards.length + " findings";
  }

  bar.addEventListener("change", apply);
  document.getElementById("filter-reset").addEventListener("click", function () {
    boxes.forEach(function (box) { box.checked = true; });
    apply();
  });
  bar.hidden = false;
  apply();
}());
"""


# --- small helpers -----------------------------------------------------------------------------

def _noun(n: Any, word: str) -> str:
    return word if n == 1 or word == "info" else word + "s"


def _plural(n: Any, word: str) -> str:
    return f"{n} {_noun(n, word)}"


def safe_url(url: Any) -> str | None:
    """``url`` when it is an absolute http(s) address that can safely become an ``href``.

    Browsers drop whitespace and control characters inside a scheme (``java\\tscript:``), so an
    address with any of them is refused outright rather than cleaned.
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or any(ord(c) <= 0x20 or 0x7F <= ord(c) <= 0x9F for c in url):
        return None
    scheme, sep, rest = url.partition(":")
    if not sep or scheme.lower() not in ("http", "https") or not rest.startswith("//"):
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return url if host else None


def content_security_policy(style: str = CSS, script: str = JS) -> str:
    return ("default-src 'none'; "
            f"style-src {csp_hash(style)}; script-src {csp_hash(script)}; "
            "img-src data:; form-action 'self'; base-uri 'none'")


def _status(finding: dict) -> str:
    status = (finding.get("review") or {}).get("status")
    return str(status) if status else "open"


def _confidence(finding: dict) -> str | None:
    conf = finding.get("confidence")
    if isinstance(conf, (int, float)) and not isinstance(conf, bool) and math.isfinite(conf):
        return f"{conf:.2f}"
    return None


# --- word diff of evidence -----------------------------------------------------------------------

# a word: letters and digits, with inner apostrophes and hyphens ("we've", "25-year-old") and
# inner separators of numbers ("1,000", "12.5"); punctuation between words never counts
_WORD = re.compile(r"\w+(?:(?:['\u2019\u2010\u2011-]|(?<=\d)[.,:](?=\d))\w+)*")
# typographic variants are not a difference between sources worth pointing at
_TYPOGRAPHY = str.maketrans({"\u2019": "'", "\u2010": "-", "\u2011": "-"})


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    key: str  # what is compared


@lru_cache(maxsize=1 << 12)  # a finding's texts are compared with each other wording, often repeated
def _words(text: str) -> tuple[_Word, ...]:
    return tuple(_Word(m.start(), m.end(), m.group().translate(_TYPOGRAPHY).lower()) for m in _WORD.finditer(text))


def _related(blocks, shorter: int) -> bool:
    """Whether two long texts are versions of one passage, not two passages of one interview.

    Judged on the shorter text (a short excerpt of a long quote is a version of it) and on runs
    of MIN_RUN words, as single words ("I", "the") are shared by any two passages.
    """
    in_runs = sum(b.size for b in blocks if b.size >= MIN_RUN)
    return in_runs >= MIN_SHARED * shorter


@lru_cache(maxsize=1 << 12)  # copies of one wording ask the same question
def differing_ranges(text: str, other: str) -> tuple[tuple[int, int], ...]:
    """Character ranges of ``text`` holding the words that ``other`` words differently.

    A word-level difflib diff, ignoring case, punctuation and curly vs straight apostrophes;
    neighbouring differing words make one range. Words that only extend the excerpt at either
    end are not marked: one source quoting more of a sentence is not a wording difference.
    Long passages that barely overlap are different passages, not variants: nothing is marked.
    """
    mine, theirs = _words(text), _words(other)
    matcher = SequenceMatcher(None, [w.key for w in theirs], [w.key for w in mine], autojunk=False)
    blocks = matcher.get_matching_blocks()
    shared = sum(b.size for b in blocks)
    if max(len(mine), len(theirs)) > UNRELATED_WORDS and not _related(blocks, min(len(mine), len(theirs))):
        return ()
    opcodes = [op for op in matcher.get_opcodes() if op[4] > op[3]]  # ops with words of ours
    if shared:
        if opcodes and opcodes[0][0] == "insert" and opcodes[0][3] == 0:
            opcodes = opcodes[1:]
        if opcodes and opcodes[-1][0] == "insert" and opcodes[-1][4] == len(mine):
            opcodes = opcodes[:-1]
    return tuple((mine[j1].start, mine[j2 - 1].end) for tag, _, _, j1, j2 in opcodes if tag != "equal")


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _evidence_diffs(evidence: list[dict]) -> list[list[tuple[int, int]]]:
    """For each evidence, the ranges of its text worded differently from other sources.

    Each text is diffed against every other wording in the finding (each distinct wording
    once), so with "join" (two sources) vs "joining" (two more) all four mark the word, even
    when a source also differs from its neighbour by where its excerpt starts.
    """
    texts = [ev.get("text") or "" for ev in evidence]
    keys = [tuple(w.key for w in _words(t)) for t in texts]
    firsts = {}
    for i, key in enumerate(keys):
        firsts.setdefault(key, i)
    out = []
    for text, key in zip(texts, keys):
        ranges = [r for other_key, j in firsts.items() if other_key != key
                  for r in differing_ranges(text, texts[j])]
        out.append(_merge(ranges))
    return out


def _marked_evidence(ev: dict, diffs: list[tuple[int, int]]) -> str:
    """The evidence sentence, escaped, with the verbatim span in ``<mark class=span>`` and the
    ``diffs`` (ranges of the evidence text) in ``<mark class=diff>``."""
    shown, start, end = evidence_context(ev)
    if end <= start:
        return esc(shown)
    inner, pos = [], start
    for a, b in diffs:
        inner.append(esc(shown[pos:start + a]))
        inner.append(f'<mark class="diff">{esc(shown[start + a:start + b])}</mark>')
        pos = start + b
    inner.append(esc(shown[pos:end]))
    core = "".join(inner)
    if (start, end) == (0, len(shown)):  # the whole text is the span: a yellow block says nothing
        return core
    return f'{esc(shown[:start])}<mark class="span">{core}</mark>{esc(shown[end:])}'


# --- page parts --------------------------------------------------------------------------------

def _head(title: str) -> str:
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{esc(content_security_policy())}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # links to articles carry rel=noreferrer; "no-referrer" here would also send the review
        # form's POST with "Origin: null", which `claimcheck serve` rightly refuses
        '<meta name="referrer" content="same-origin">',
        '<meta name="generator" content="claimcheck">',
        f"<title>{esc(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
    ])


def _review_counts(findings: list[dict]) -> str:
    counts = Counter(_status(f) for f in findings)
    order = list(REVIEW_STATUSES) + sorted(s for s in counts if s not in REVIEW_STATUSES)
    return ", ".join(f"{counts[s]} {s}" for s in order if counts[s])


def _header(data: dict) -> str:
    story = data.get("story") or {}
    summary = data.get("summary") or {}
    counts = summary.get("findings") or {}
    n_articles = summary.get("articles", len(data.get("articles") or []))
    n_claims = summary.get("claims", 0)
    stats = [("articles", n_articles, _noun(n_articles, "article")), ("claims", n_claims, _noun(n_claims, "claim"))]
    stats += [(sev, counts.get(sev, 0), _noun(counts.get(sev, 0), sev)) for sev in SEVERITIES]
    items = "\n".join(f'<li class="stat-{key}"><span class="num" data-count="{key}">{esc(n)}</span>'
                      f"{esc(label)}</li>" for key, n, label in stats)
    findings = data.get("findings") or []
    review = ""
    if any("review" in f for f in findings):
        review = f'<p class="review-summary"><strong>Review:</strong> {esc(_review_counts(findings))}</p>'
    toc = ['<a href="#sources">Sources</a>', '<a href="#findings">Findings</a>']
    if fix_first(data) or fix_first_left_out_line(data):
        toc.insert(0, '<a href="#fix-first">Fix before publishing</a>')
    if data.get("facts"):
        toc.append('<a href="#facts">Fact sheet</a>')
    if changed_families(data):
        toc.append('<a href="#quotes">Quotes side by side</a>')
    if data.get("problems"):
        toc.append('<a href="#problems">Input problems</a>')
    toc.append('<a href="#severities">What severities mean</a>')
    return "\n".join([
        '<header class="report-head">',
        '<p class="eyebrow">claimcheck report</p>',
        f'<h1 id="story" data-story="{esc(story.get("id"))}">{esc(story.get("id"))}</h1>',
        f'<ul class="stats">\n{items}\n</ul>',
        review,
        f'<nav class="toc">{" ".join(toc)}</nav>',
        "</header>",
    ])


def _link(url: Any, text: str) -> str:
    href = safe_url(url)
    if not href:
        return esc(text)
    return f'<a href="{esc(href)}" rel="noopener noreferrer" target="_blank">{esc(text)}</a>'


def _url_cell(url: Any) -> str:
    if not url:
        return ""
    href = safe_url(url)
    if href:
        return _link(href, urlsplit(href).hostname or href)
    # shown, not linked: the editor should know the metadata carries an odd address
    return f'<span class="muted mono">{esc(url)}</span> <span class="muted">(not linked)</span>'


def _sources_table(data: dict, articles: dict[str, dict]) -> str:
    with_links = any(a.get("url") for a in data.get("articles") or [])
    rows = []
    for article in data.get("articles") or []:
        claims = str(article.get("claims", 0)) + (" (truncated)" if article.get("truncated") else "")
        outlet = article.get("outlet")
        outlet_html = esc(outlet) if outlet else '<span class="muted">(no outlet)</span>'
        rows.append(
            f'<tr id="article-{esc(article.get("id"))}">'
            f'<td class="mono id">{esc(article.get("id"))}</td>'
            f"<td>{outlet_html}</td>"
            f'<td class="title">{esc(article.get("title") or "")}</td>'
            f'<td>{esc(published({"article": article.get("id")}, articles))}</td>'
            f'<td class="num">{esc(claims)}</td>'
            + (f"<td>{_url_cell(article.get('url'))}</td>" if with_links else "") + "</tr>")
    return "\n".join([
        '<section id="sources">',
        f'<h2>Sources ({len(rows)})</h2>',
        '<div class="table-wrap"><table class="sources">',
        "<thead><tr><th>Article</th><th>Outlet</th><th>Headline</th><th>Published</th>"
        "<th>Claims</th>" + ("<th>Link</th>" if with_links else "") + "</tr></thead>",
        "<tbody>", *rows, "</tbody>",
        "</table></div>",
        "</section>",
    ])


def _checkboxes(facet: str, legend: str, values: list[tuple[str, str, int]]) -> str:
    boxes = " ".join(f'<label><input type="checkbox" data-filter="{facet}" value="{esc(value)}" checked> '
                     f"{esc(label)} ({n})</label>" for value, label, n in values)
    return f"<fieldset><legend>{legend}</legend> {boxes}</fieldset>"


def _filters(findings: list[dict]) -> str:
    """Filter controls; ``hidden`` until the script shows them, as they only work with it."""
    severities = Counter(f.get("severity", "info") for f in findings)
    kinds = Counter(str(f.get("kind")) for f in findings)
    statuses = Counter(_status(f) for f in findings)
    sev_order = list(SEVERITIES) + sorted(s for s in severities if s not in SEVERITIES)
    status_order = list(REVIEW_STATUSES) + sorted(s for s in statuses if s not in REVIEW_STATUSES)
    return "\n".join([
        '<div id="filters" class="filters" role="search" aria-label="Filter findings" hidden>',
        _checkboxes("severity", "Severity",
                    [(s, SEVERITY_SINGULAR.get(s, s), severities[s]) for s in sev_order]),
        _checkboxes("kind", "Kind", [(k, k.replace("_", " "), kinds[k]) for k in sorted(kinds)]),
        _checkboxes("status", "Review", [(s, STATUS_TITLES.get(s, s), statuses[s]) for s in status_order]),
        '<div class="filter-foot"><span id="filter-count" class="filter-count" aria-live="polite">'
        f"Showing {len(findings)} of {len(findings)} findings</span>"
        '<button type="button" id="filter-reset">Show all</button></div>',
        "</div>",
    ])


def _status_badge(status: str) -> str:
    return (f'<span class="status status-{esc(status)}" data-status="{esc(status)}">'
            f"{esc(STATUS_TITLES.get(status, status))}</span>")


def _review_info(finding: dict) -> str:
    review = finding.get("review")
    if not review:
        return ""
    status = _status(finding)
    who = f" by {esc(review.get('reviewer'))}" if review.get("reviewer") else ""
    when = review.get("decided_at")
    when_html = (f' \u00b7 <time datetime="{esc(when)}">{esc(str(when).replace("T", " "))}</time>'
                 if when else "")
    decisions = review.get("decisions")
    count = f" \u00b7 {_plural(decisions, 'decision')}" if isinstance(decisions, int) else ""
    lines = [f"<p><strong>{esc(STATUS_TITLES.get(status, status))}</strong>{who}{when_html}"
             f'<span class="muted">{count}</span></p>']
    if review.get("note"):
        lines.append(f'<p class="review-note">Note: {esc(review.get("note"))}</p>')
    if review.get("reopened_because"):
        lines.append(f'<p class="reopened">reopened: {esc(review.get("reopened_because"))}</p>')
    return '<div class="review-info">' + "".join(lines) + "</div>"


def _finding_meta(finding: dict, family_link: str, facts: dict[str, dict]) -> str:
    parts = [f'<span>rule <code>{esc(finding.get("rule"))}</code> ({esc(finding.get("kind"))})</span>',
             f'<span>{esc(about(finding, facts))}</span>']
    conf = _confidence(finding)
    if conf:
        parts.append(f"<span>confidence {conf}</span>")
    fid = esc(finding.get("id"))
    parts.append(f'<span>id <a class="mono" href="#{fid}">{fid}</a></span>')
    if family_link:
        parts.append(f"<span>{family_link}</span>")
    return '<p class="finding-meta">' + "".join(parts) + "</p>"


def _evidence_column(ev: dict, diffs: list[tuple[int, int]], articles: dict[str, dict]) -> str:
    article = articles.get(ev.get("article"), {})
    outlet = source_name(ev, articles)
    outlet_html = esc(outlet) if outlet else f'<span class="muted">{esc(label_of(ev, articles))}</span>'
    if safe_url(article.get("url")):
        outlet_html = _link(article.get("url"), outlet or label_of(ev, articles))
    headline = article.get("title")
    return "\n".join([
        '<div class="column">',
        '<p class="column-head">'
        f'<span class="outlet">{outlet_html}</span>'
        + (f'<span class="headline">{esc(headline)}</span>' if headline else "")
        + f'<span class="muted">{esc(published(ev, articles))} \u00b7 '
        f'<a class="mono" href="#article-{esc(ev.get("article"))}">{esc(ev.get("article"))}</a></span></p>',
        f'<blockquote class="evidence-text">{_marked_evidence(ev, diffs)}</blockquote>',
        "</div>",
    ])


def _evidence_columns(evidence: list[dict], articles: dict[str, dict], diffs=None) -> str:
    if not evidence:
        return ""
    diffs = diffs if diffs is not None else _evidence_diffs(evidence)
    columns = [_evidence_column(ev, ranges, articles) for ev, ranges in zip(evidence, diffs)]
    return '<div class="columns">\n' + "\n".join(columns) + "\n</div>"


def _arranged_evidence(finding: dict, articles: dict[str, dict]) -> str:
    """The odd value or spelling first; the most common one's further evidence folded (each
    text still marked against all the others)."""
    shown, folded = arranged_evidence(finding)
    diffs = _evidence_diffs(shown + folded)
    out = _evidence_columns(shown, articles, diffs[:len(shown)])
    if folded:
        out += ('\n<details class="more-evidence">'
                f"<summary>{esc(folded_line(finding, folded, articles))}</summary>\n"
                + _evidence_columns(folded, articles, diffs[len(shown):]) + "\n</details>")
    return out


def _segments_html(segments: list) -> str:
    """[op, text] pairs: deletions in ``<del>``, insertions in ``<ins>``, breaks dimmed."""
    out = []
    for op, text in segments:
        if op == "delete":
            out.append(f"<del>{esc(text)}</del>")
        elif op == "insert":
            out.append(f"<ins>{esc(text)}</ins>")
        elif op == "break":
            out.append(f'<span class="break">{esc(text)}</span>')
        else:
            out.append(esc(text))
    return "".join(out)


def _family_segments_html(segments: list) -> str:
    parts = []
    for op, text in segments or []:
        text = str(text).strip()
        if text:
            parts.append(_segments_html([[op, text]]))
    return " ".join(parts)


def _quote_diff(finding: dict) -> str:
    diff = (finding.get("details") or {}).get("diff")
    if not diff:
        return ""
    if isinstance(diff, str):
        lines = [f"<p>{_segments_html(diff_segments(line))}</p>" for line in diff.split(" / ")]
    else:
        lines = [f"<pre>{esc(format_diff(diff))}</pre>"]
    return ('<div class="quote-diff"><strong>Quote differences</strong> '
            '<span class="muted legend">(<del>left out</del> <ins>added</ins>)</span>\n'
            + "\n".join(lines) + "</div>")


def _review_form(finding: dict, review: ReviewControls) -> str:
    fid = esc(finding.get("id"))
    status = _status(finding)
    current = ' class="current"'
    decisions = (finding.get("review") or {}).get("decisions")
    decisions = decisions if isinstance(decisions, int) else 0
    # a finding nobody has decided has nothing to reopen: "Reopen" is offered (and marked as
    # the current state, for a finding the checker reopened) only once it has been decided
    unreviewed = status == "open" and not decisions
    buttons = "".join(
        f'<button type="submit" name="status" value="{value}" data-action="{value}"'
        f'{current if value == status else ""}>{label}</button>'
        for value, label in REVIEW_BUTTONS if not (value == "open" and unreviewed))
    by_value = f' value="{esc(review.reviewer)}"' if review.reviewer else ""
    return "\n".join([
        f'<form class="review-form" method="post" action="{esc(review.action)}" data-finding="{fid}">',
        f'<input type="hidden" name="csrf_token" value="{esc(review.csrf_token)}">',
        f'<input type="hidden" name="story" value="{esc(review.story)}">',
        f'<input type="hidden" name="finding_id" value="{fid}">',
        # the evidence the reviewer is looking at: a decision on evidence that has changed since
        # the page was loaded is refused rather than applied to evidence nobody saw
        f'<input type="hidden" name="evidence_hash" value="{esc(finding.get("evidence_hash"))}">',
        '<label>Note <textarea name="note" rows="2"></textarea></label>',
        f'<label>Reviewer (optional) <input type="text" name="by" autocomplete="name"{by_value}></label>',
        f'<div class="buttons">{buttons}</div>',
        f'<span class="decisions" data-decisions="{esc(decisions)}">{esc(_plural(decisions, "decision"))}'
        " so far</span>",
        "</form>",
    ])


def _finding_card(finding: dict, articles: dict[str, dict], family_ids: set[str],
                  review: ReviewControls | None, facts: dict[str, dict] | None = None) -> str:
    facts = facts or {}
    sev = str(finding.get("severity", "info"))
    status = _status(finding)
    family = (finding.get("details") or {}).get("family")
    family_link = (f'<a href="#family-{esc(family)}">quote side by side</a>'
                   if isinstance(family, str) and family in family_ids else "")
    return "\n".join(part for part in [
        f'<article class="finding sev-{esc(sev)}" id="{esc(finding.get("id"))}" data-severity="{esc(sev)}" '
        f'data-kind="{esc(finding.get("kind"))}" data-status="{esc(status)}">',
        '<div class="finding-head">'
        f'<span class="badge sev-{esc(sev)}">{esc(SEVERITY_SINGULAR.get(sev, sev))}</span>'
        + ('<span class="badge update">Update</span>' if is_update(finding) else "")
        + f"<h3>{esc(finding.get('message'))}</h3>{_status_badge(status)}</div>",
        '<div class="finding-body">',
        _finding_meta(finding, family_link, facts),
        _review_info(finding),
        _arranged_evidence(finding, articles),
        _quote_diff(finding),
        "</div>",
        _review_form(finding, review) if review else "",
        "</article>",
    ] if part)


def _fix_first_section(data: dict) -> str:
    """"Fix before publishing": every error and warning in one line, most important first, each
    linking to its card."""
    loud, left_out = fix_first(data), fix_first_left_out_line(data)
    if not loud and not left_out:
        return ""
    items = []
    for finding in loud:
        sev = str(finding.get("severity"))
        items.append(
            f'<li><span class="badge sev-{esc(sev)}">{esc(SEVERITY_SINGULAR.get(sev, sev))}</span>'
            + ('<span class="badge update">Update</span>' if is_update(finding) else "")
            + f'<a href="#{esc(finding.get("id"))}" title="{esc(finding.get("message"))}">{esc(finding.get("message"))}</a>'
            f'<code class="rule muted">{esc(finding.get("rule"))}</code></li>')
    return "\n".join(['<section id="fix-first" class="fix-first">',
                      f"<h2>Fix before publishing ({len(loud)})</h2>",
                      *(["<ol>", *items, "</ol>"] if items else []),
                      *([f'<p class="muted">{esc(left_out)}</p>'] if left_out else []), "</section>"])


def _findings_section(data: dict, articles: dict[str, dict], review: ReviewControls | None) -> str:
    findings = data.get("findings") or []
    family_ids = {str(f.get("id")) for f in changed_families(data)}
    facts = facts_by_id(data)
    out = ['<section id="findings">', f"<h2>Findings ({len(findings)})</h2>"]
    if not findings:
        out.append("<p>No findings: the sources agree on every claim checked.</p>")
    else:
        out.append(_filters(findings))
    for sev, group in by_severity(data).items():
        title = SEVERITY_TITLES.get(sev, sev.title())
        out.append(f'<section class="severity-group" id="group-{esc(sev)}" data-severity="{esc(sev)}">')
        out.append(f"<h2>{esc(title)} ({len(group)})</h2>")
        if not group:
            out.append(f'<p class="muted">No {esc(title.lower())}.</p>')
        cards = [_finding_card(f, articles, family_ids, review, facts) for f in ordered_findings(group)]
        if sev == "info" and cards:
            # folded: possible disagreements and single-source figures are for awareness
            out += ['<details class="info-fold">',
                    f"<summary>{_plural(len(group), 'info finding')}: possible disagreements and single-source "
                    "figures (click to show)</summary>", *cards, "</details>"]
        else:
            out += cards
        out.append("</section>")
    out.append("</section>")
    return "\n".join(out)


def _family_block(family: dict) -> str:
    ref = family.get("reference") or {}
    variants = family.get("variants") or []
    columns = ['<div class="column">',
               f'<p class="column-head"><span class="outlet">{esc(ref.get("outlet"))}</span>'
               f'<span class="ref">reference</span> <span class="muted mono">{esc(ref.get("article"))}</span></p>',
               f'<blockquote class="evidence-text">{esc(ref.get("text"))}</blockquote>', "</div>"]
    for variant in variants:
        speaker = ""
        if variant.get("speaker") and variant.get("speaker") != family.get("speaker"):
            speaker = f" \u00b7 speaker: {esc(variant.get('speaker'))}"
        columns += ['<div class="column">',
                    f'<p class="column-head"><span class="outlet">{esc(variant.get("outlet"))}</span>'
                    f'<span class="ref">{esc(variant.get("status"))}</span>{speaker} '
                    f'<span class="muted mono">{esc(variant.get("article"))}</span></p>',
                    f'<blockquote class="evidence-text">{_family_segments_html(variant.get("segments"))}'
                    "</blockquote>", "</div>"]
    return "\n".join([
        f'<div class="family" id="family-{esc(family.get("id"))}">',
        f"<h3>Quote of {esc(family.get('speaker'))}</h3>",
        f'<p class="finding-meta"><span>{_plural(1 + len(variants), "source")}</span>'
        f'<span>family <span class="mono">{esc(family.get("id"))}</span></span></p>',
        '<div class="columns">', *columns, "</div>",
        "</div>",
    ])


def _families_section(data: dict) -> str:
    changed = changed_families(data)
    if not changed:
        return ""
    total = len(data.get("quote_families") or [])
    return "\n".join([
        '<section id="quotes">',
        f"<h2>Quotes side by side ({len(changed)} quoted differently)</h2>",
        f'<p class="legend">{_plural(total, "quote")} carried by more than one source; {len(changed)} quoted '
        "differently. Each starts with the reference (the longest version); the other sources show "
        "<del>words they leave out or replace</del> and <ins>words they add</ins>; "
        '<span class="break">[\u2026]</span> is narration between pieces.</p>',
        *[_family_block(f) for f in changed],
        "</section>",
    ])


def _problems_section(data: dict) -> str:
    problems = data.get("problems") or []
    if not problems:
        return ""
    story_path = (data.get("story") or {}).get("path")
    items = []
    for p in problems:
        where = story_relative(p.get("path"), story_path)
        if p.get("line"):
            where += f":{p.get('line')}"
        items.append(f'<li>skipped <code>{esc(where)}</code>: {esc(p.get("problem"))}</li>')
    return "\n".join(['<section id="problems">', f"<h2>Input problems ({len(problems)})</h2>",
                      '<ul class="problems">', *items, "</ul>", "</section>"])


def _footer(data: dict) -> str:
    tool = data.get("tool") or {}
    terms = "".join(f"<dt>{esc(sev)}</dt><dd>{esc(SEVERITY_HELP[sev])}</dd>" for sev in SEVERITIES)
    return "\n".join([
        '<footer id="severities">',
        f"<dl>{terms}</dl>",
        "<p>" + "".join(f"<code>{esc(t)}</code>" if code else esc(t) for t, code in settings_footer(data)) + "</p>",
        f"<p>{esc(tool.get('name') or 'claimcheck')} {esc(tool.get('version') or '')}</p>",
        "</footer>",
    ])


# --- entry point -------------------------------------------------------------------------------

def render_html(data: dict, result: StoryResult | None = None, *, review: ReviewControls | None = None) -> str:
    """The report contract as one self-contained HTML page (see the module docstring).

    ``review`` adds a decision form to every finding, for ``claimcheck serve``.
    """
    articles = articles_by_id(data)
    story_id = (data.get("story") or {}).get("id")
    body = [
        "<body>",
        '<div class="page">',
        _header(data),
        _fix_first_section(data),
        "<main>",
        _sources_table(data, articles),
        _findings_section(data, articles, review),
        html_section(data.get("facts") or []),
        _families_section(data),
        _problems_section(data),
        "</main>",
        _footer(data),
        "</div>",
        f"<script>{JS}</script>",
        "</body>",
        "</html>",
    ]
    return _head(f"claimcheck: {story_id}") + "\n" + "\n".join(part for part in body if part) + "\n"


def render_fact_page(data: dict) -> str:
    """``claimcheck facts --format html``: the story's fact sheet on a page of its own."""
    story = (data.get("story") or {}).get("id")
    body = ["<body>", '<div class="page">', f"<header><h1>Fact sheet: {esc(story)}</h1></header>", "<main>",
            html_section(data.get("facts") or []) or '<p class="muted">No facts: no value rule is enabled.</p>',
            "</main>", "</div>", "</body>", "</html>"]
    return _head(f"claimcheck facts: {story}") + "\n" + "\n".join(body) + "\n"
