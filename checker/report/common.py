"""What the report writers share: the JSON contract's parts as every format reads them (articles by
id, an evidence's source, time and sentence, findings by severity, review lines, quote diffs), and
the safe forms of untrusted text (``dumps_json``: JSON that escapes what a terminal would act on;
``esc`` and ``csp_hash`` for HTML pages).

Every writer is ``render_<fmt>(data, result=None) -> str`` and works from the contract dict alone
(``checker.pipeline.check.result_to_dict``), so a report can be re-rendered from a saved JSON
file; ``result`` is accepted for writers that want more than the contract carries.

Report text is untrusted (articles, outlets, titles, file names, a user's rules). The text report
and the claims table show it through ``console.terminal_text`` (one line, control characters and
bidi overrides escaped, long names cut). The data formats keep it verbatim but keep their own
structure: JSON escapes what a terminal would act on (``dumps_json``); Markdown escapes its syntax
(a ``|`` cannot end a table cell), folds newlines and writes control characters out as the text
report does (``console.visible_controls``); a CSV cell starting with = + - @ tab or CR
gets a leading ``'``, as OWASP advises against formula injection (``csv.csv_safe``); HTML escapes
every value (``esc``).
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from collections import Counter
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from checker.engine.findings import SEVERITIES, SEVERITY_RANK, dismissed, subject_label
from checker.engine.wording import short_outlet, source_label, surface_word
from checker.rules.value_conflict import is_update as _value_update

SEVERITY_TITLES = {"error": "Errors", "warning": "Warnings", "info": "Info"}
SEVERITY_HELP = {
    "error": "sources state different facts; resolve before publishing",
    "warning": "likely inconsistency (spelling, quote wording, ...); worth a look",
    "info": "for awareness (e.g. a claim only one source makes)",
}


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


def articles_by_id(data: dict) -> dict[str, dict]:
    return {a["id"]: a for a in data.get("articles", [])}


def source_name(ev: dict, articles: dict[str, dict]) -> str:
    article = articles.get(ev.get("article"), {})
    return ev.get("outlet") or article.get("outlet") or ""


def label_of(ev: dict, articles: dict[str, dict]) -> str:
    """How the headlines name an evidence's source when it has no outlet: its short headline or
    its file name without hash-like ids ("article 002"), as ``checker.engine.wording`` does."""
    article_id = str(ev.get("article") or "")
    article = articles.get(article_id, {})
    position = list(articles).index(article_id) + 1 if article_id in articles else 0
    return source_label(None, article.get("title"), article_id, position)


def published(ev: dict, articles: dict[str, dict]) -> str:
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


def by_severity(data: dict) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = {s: [] for s in SEVERITIES}
    for finding in data.get("findings", []):
        groups.setdefault(finding.get("severity", "info"), []).append(finding)
    return groups


# what an editor fixes first, after severity: facts in dispute, then a report contradicting itself
# or another, then spellings, then quotes
KIND_RANK = {"value_conflict": 0, "self_contradiction": 1, "statement_negation": 1, "spelling_variant": 2}
FOLD_AFTER = 1  # evidence of the most common value or spelling shown before the rest is folded ...
FOLD_FROM = 4  # ... when it has at least this many pieces


def is_update(finding: dict) -> bool:
    """A figure the story revised (a later report's new count), labelled "update", not a dispute."""
    return finding.get("kind") == "value_conflict" and _value_update(finding.get("details") or {})


def importance(finding: dict) -> tuple:
    """Sort key, most important first: severity, then disputes before updates, facts before
    spellings before quotes, the more confident first."""
    confidence = finding.get("confidence")
    confidence = confidence if isinstance(confidence, (int, float)) and math.isfinite(confidence) else 0.0
    return (-SEVERITY_RANK.get(str(finding.get("severity")), 0), is_update(finding),
            KIND_RANK.get(str(finding.get("kind")), 3), -confidence)


def _loud(data: dict) -> list[dict]:
    return [f for f in data.get("findings") or [] if f.get("severity") in ("error", "warning")]


def fix_first(data: dict) -> list[dict]:
    """The errors and warnings, most important first, without those a fact-checker dismissed:
    the report's "Fix before publishing" list (what ``--fail-on`` counts)."""
    return sorted((f for f in _loud(data) if not dismissed(f)), key=importance)


def fix_first_left_out_line(data: dict) -> str | None:
    """"1 dismissed finding not listed": the errors and warnings "Fix before publishing" leaves
    out (None when it leaves out none)."""
    n = sum(1 for f in _loud(data) if dismissed(f))
    if not n:
        return None
    return f"{n} dismissed finding{'' if n == 1 else 's'} not listed"


def ordered_findings(findings: list[dict]) -> list[dict]:
    return sorted(findings, key=importance)


def hidden_info_line(n: int) -> str:
    return (f"{n} info finding{'' if n == 1 else 's'} not shown "
            "(possible disagreements and single-source figures); --min-severity info lists them.")


def _evidence_key(finding: dict, ev: dict) -> str | None:
    """Which value or spelling a piece of evidence gives, for the kinds that compare them."""
    if finding.get("kind") == "spelling_variant":
        return str(ev.get("text"))
    if finding.get("kind") == "value_conflict":
        return str(ev.get("normalized"))
    return None


def arranged_evidence(finding: dict) -> tuple[list[dict], list[dict]]:
    """(shown, folded): a finding's evidence with the odd value or spelling first (fewest
    sources, then mentions; a house-style spelling last, as the headline orders them) and the
    most common one last, of which only ``FOLD_AFTER`` pieces are shown and the rest folded
    when it has ``FOLD_FROM`` or more: "Piemont" before one "Piedmont", not behind fourteen."""
    evidence = list(finding.get("evidence") or [])
    keys = [_evidence_key(finding, ev) for ev in evidence]
    if any(k is None for k in keys) or len(set(keys)) < 2:
        return evidence, []
    counts = Counter(keys)
    sources = {k: len({ev.get("article") for ev, key in zip(evidence, keys) if key == k}) for k in counts}
    preferred = str((finding.get("details") or {}).get("preferred") or "").lower()
    if finding.get("kind") == "spelling_variant":
        order = sorted(counts, key=lambda k: (k.lower() == preferred, counts[k], sources[k], k))
    else:
        first = {k: keys.index(k) for k in counts}
        order = sorted(counts, key=lambda k: (sources[k], counts[k], first[k]))
    by_key = {k: [ev for ev, key in zip(evidence, keys) if key == k] for k in order}
    common = order[-1]
    if counts[common] < FOLD_FROM:
        return [ev for k in order for ev in by_key[k]], []
    shown = [ev for k in order for ev in (by_key[k] if k != common else by_key[k][:FOLD_AFTER])]
    return shown, by_key[common][FOLD_AFTER:]


def folded_line(finding: dict, folded: list[dict], articles: dict[str, dict]) -> str:
    """"13 more mentions of "Piedmont" (AP, NYT)": what the folded evidence holds."""
    if not folded:
        return ""
    key = _evidence_key(finding, folded[0])
    names = []
    for ev in folded:
        name = short_outlet(source_name(ev, articles)) if source_name(ev, articles) else str(ev.get("article"))
        if name not in names:
            names.append(name)
    what = f'"{key}"' if finding.get("kind") == "spelling_variant" else str(key)
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} others" if len(names) > 3 else "")
    return f"{len(folded)} more giving {what} ({shown})"


def what(fact: dict) -> str:
    """What the fact is, in words: "people killed", "date of the crash", "age of A. Smith"; a
    count's noun as its sources write it ("passengers killed", not the stem "passenger")."""
    attribute, about = fact.get("attribute") or fact.get("kind") or "", fact.get("about") or ""
    if fact.get("kind") == "count":
        texts = [str(source.get("text") or "") for value in fact.get("values") or []
                 for source in value.get("sources") or []]
        attribute = " ".join(surface_word(word, texts) or word for word in attribute.split())
    if not about:
        return attribute
    return f"{attribute} of {'the ' if fact.get('kind') == 'date' else ''}{about}"


def facts_by_id(data: dict) -> dict[str, dict]:
    return {str(f.get("id")): f for f in data.get("facts") or []}


def about(finding: dict, facts: dict[str, dict]) -> str:
    """What a finding is about, for its meta line: its story fact ("fact: passengers killed")
    when it has one, else its subject ("age: Kennedy", "count (whole story)")."""
    fact = facts.get(str(finding.get("fact")))
    return f"fact: {what(fact)}" if fact and what(fact) else subject_label(finding)


def badge(finding: dict) -> str:
    """The severity as a report shows it, with "update" for a revised figure: "warning · update"."""
    return str(finding.get("severity", "info")) + (" · update" if is_update(finding) else "")


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


def evidence_context(ev: dict) -> tuple[str, int, int]:
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


def value_span(shown: str, start: int, end: int, value: str) -> tuple[int, int] | None:
    if not value:
        return None
    at = shown.find(value, start, end) if end > start else -1
    if at < 0 and len(shown.lower()) == len(shown):  # lower() can change lengths ("İ")
        at = shown.lower().find(value.lower(), start, end) if end > start else -1
    return (at, at + len(value)) if at >= 0 else None


def format_diff(diff: Any) -> str:
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


def changed_families(data: dict) -> list[dict]:
    return [f for f in data.get("quote_families") or [] if any(v.get("status") != "same" for v in f.get("variants", []))]


# json.dumps escapes C0 controls itself; these it writes raw, and a terminal showing the JSON
# would act on them (C1 controls, DEL) or show the text reordered (bidi overrides). \u escapes
# keep the decoded text exactly as it was.
_JSON_ESCAPES = {c: f"\\u{c:04x}" for c in [0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F),
                                              *range(0x2066, 0x206A), 0x2028, 0x2029]}


def dumps_json(value: Any, **options: Any) -> str:
    """``json.dumps`` without ASCII-escaping, but with every character a terminal would act on
    escaped: safe to print, and the same data to any JSON reader."""
    return json.dumps(value, ensure_ascii=False, **options).translate(_JSON_ESCAPES)


def file_name(path: str | None) -> str:
    # a committed Markdown report must not depend on where the checker was run from
    return PurePath(path).name if path else "rules.yaml"


def settings_footer(data: dict) -> list[tuple[str, bool]]:
    """The reports' last line, how to change the rules, as (text, is_code) pieces each format
    marks up: a claimcheck.yaml beside the story, never an edit of the installed rules file; and
    which settings files were in force (by name: a committed report must not depend on where
    the checker was run from)."""
    pieces = [("To turn a rule off or change its severity or options, set it under ", False), ("rules:", True),
              (" in a ", False), ("claimcheck.yaml", True), (" beside the story or in a folder above it (", False),
              ("claimcheck rules RULE", True), (" shows what a rule does and its options).", False)]
    files = (data.get("settings") or {}).get("files") or []
    if files:
        pieces.append((" Settings in force: ", False))
        for i, path in enumerate(files):
            pieces += [(", ", False)] if i else []
            pieces.append((file_name(path), True))
        pieces.append((".", False))
    return pieces


def in_story(path: str | None, story_path: str | None) -> bool:
    """Whether ``path`` is the story's own file (a feed) or a file in the story folder."""
    if not path or not story_path:
        return False
    return PurePath(path) == PurePath(story_path) or PurePath(story_path) in PurePath(path).parents


def story_relative(path: str | None, story_path: str | None) -> str:
    """``path`` as a report names it: relative to the story folder; for a story that is one feed
    file, the feed's file name (``feed.jsonl``); a file outside the story (a draft checked with
    ``--ours``) by its path as given, relative to the working directory or absolute, since a
    name relative to the story folder would be a file that is not there."""
    if not path or not story_path:
        return str(path or "")
    if PurePath(path) == PurePath(story_path):
        return PurePath(path).name
    try:
        return PurePath(path).relative_to(PurePath(story_path)).as_posix()
    except ValueError:
        return str(path)


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def csp_hash(text: str) -> str:
    """The CSP source expression that allows an inline element whose text is ``text``."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"
