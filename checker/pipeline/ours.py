"""The pre-publication check: a story checked against our own article (``claimcheck check
STORY --ours ARTICLE``).

Our article is a file of the story (or an article id, for a feed), or a draft outside the story
folder, read as one more article of the story: a .txt/.md/.html draft under the outlet "Your
draft", a .json/.jsonl draft (one record) with its own outlet, date and title when it gives
them. The check itself is the usual one; afterwards only the findings that cite our article are
kept, each reworded to us ("Your draft says 116 sailors; 4 other sources say 118 (...)"), and
the findings between other sources are set aside and counted. The JSON report marks our
evidence (``"ours": true``) and says which article is ours (``"ours"``).
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from claims.errors import InputError
from claims.read import Story, read_feed, read_file_article, shown_path
from checker.engine.findings import Finding

DRAFT_OUTLET = "Your draft"
YOU = "your draft"
DRAFT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".json", ".jsonl")


def add_ours(story: Story, ours: str | Path) -> str:
    """The id of our article in ``story``: the story's own file or article of that name, else
    the draft at that path, added to the story as one more article."""
    path = Path(ours)
    if path.is_file():
        target = path.resolve()
        for article in story.articles:
            try:
                if Path(article.path).resolve() == target:
                    return article.id
            except (OSError, RuntimeError):
                continue
        if story.path and path.name == "meta.json" and target.parent == Path(story.path).resolve():
            raise InputError(shown_path(path), "is the story's metadata, not an article (--ours takes an "
                                               "article file, an article id or a draft)")
        return _add_draft(story, path)
    for article in story.articles:
        if str(ours) == article.id:
            return article.id
    if path.exists():
        raise InputError(shown_path(path), "not an article file (--ours takes a file or an article id)")
    raise InputError(shown_path(path), "no such file, and no article of the story has this id (--ours)")


def _add_draft(story: Story, path: Path) -> str:
    if path.suffix.lower() not in DRAFT_SUFFIXES:
        raise InputError(shown_path(path), f"not an article file ({', '.join(DRAFT_SUFFIXES)}); --ours refused")
    taken = {a.id for a in story.articles}
    if path.suffix.lower() in (".json", ".jsonl"):
        problems: list = []
        records = read_feed(path, problems, story.warnings)
        if problems:
            raise problems[0]
        if len(records) != 1:
            raise InputError(shown_path(path), f"a draft feed must hold one article, not {len(records)}")
        draft = records[0]
        if not draft.outlet:
            draft.outlet = DRAFT_OUTLET
    else:
        draft = read_file_article(path, {"outlet": DRAFT_OUTLET}, warnings=story.warnings)
    if draft.id in taken:
        base = f"draft-{draft.id}"
        draft.id = next(name for n in range(1, len(taken) + 2)
                        if (name := base if n == 1 else f"{base}-{n}") not in taken)
    story.articles.append(draft)
    return draft.id


# --- findings, addressed to us -----------------------------------------------------------------

def address_result(result, ours: str) -> None:
    """Keep in ``result.findings`` the findings that cite our article, reworded to us; set the
    others aside in ``result.other_findings``. (``result``: a ``check.StoryResult``.)"""
    result.ours = ours
    if result.context is None:
        return
    mine, others = [], []
    for finding in result.findings:
        (mine if ours in finding.articles else others).append(finding)
    result.findings = [address(f, ours, result.context) for f in mine]
    result.other_findings = others


def address(finding: Finding, ours: str, ctx) -> Finding:
    """The finding reworded relative to our article, in the second person: a value finding as
    what our draft says against what the other sources say; any other by naming our article
    "your draft". Its id, evidence and everything else stay as they are."""
    if finding.kind == "value_conflict" and isinstance(finding.details.get("values"), dict):
        message = _value_message(finding, ours, ctx)
    else:
        message = _named_you(finding.message, _our_names(finding, ours, ctx))
    return replace(finding, message=message)


def _value_message(finding: Finding, ours: str, ctx) -> str:
    groups = ctx.source_groups()
    by_value: dict[str, list[str]] = finding.details["values"]
    ours_evidence = [e for e in finding.evidence if e.article == ours]
    said = []
    for e in ours_evidence:
        text = " ".join(e.text.split())
        shown = f'"{text}"' + ("" if str(e.normalized).lower() in text.lower() else f" ({e.normalized})")
        if shown not in said:
            said.append(shown)
    our_values = [v for v, articles in by_value.items() if ours in articles]
    agreeing = sorted({a for v in our_values for a in by_value[v] if a != ours})
    parts = []
    for value, articles in by_value.items():
        if value in our_values:
            continue
        n = groups.count(articles)
        parts.append(f"{n} other source{'s say' if n != 1 else ' says'} {value} ({ctx.sources(articles)})")
    message = f"Your draft says {' and '.join(said) or ', '.join(our_values)}"
    if agreeing:
        n = groups.count(agreeing)
        message += f", as {'do' if n != 1 else 'does'} {ctx.sources(agreeing)}"
    message += ("; " + "; ".join(parts)) if parts else ""
    notes = [n for n in finding.details.get("notes") or []]
    return message + (f" ({'; '.join(notes)})" if notes else "") + "."


def _our_names(finding: Finding, ours: str, ctx) -> dict[str, str]:
    """How a finding's message may name our article, each with what to write instead. Only
    names that stand for our article alone, or for a group of the finding's articles that holds
    it, are given: another article of our outlet must not become "your draft".

    - our outlet's label ("Reuters"), when no other article of the story has that outlet;
    - our article's own label among its outlet's ("Reuters 4 Mar 08:00"), when no other has it;
    - "Reuters ×2" when the finding cites exactly two articles of our outlet, ours one of them:
      "your draft, Reuters" (×3: "your draft, Reuters ×2")."""
    label = ctx.outlet(ours)
    if not label:
        return {}
    shared = [a for a in ctx.articles if a != ours and ctx.outlet(a) == label]
    if not shared:
        return {label: YOU}
    names: dict[str, str] = {}
    own = ctx.article_label(ours)
    if own != label and all(ctx.article_label(a) != own for a in shared):
        names[own] = YOU
    cited = {a for a in finding.articles if ctx.outlet(a) == label}
    if ours in cited and len(cited) > 1:
        rest = len(cited) - 1
        names[f"{label} \u00d7{len(cited)}"] = f"{YOU}, {label}" + (f" \u00d7{rest}" if rest > 1 else "")
    return names


def _named_you(message: str, names: dict[str, str] | str) -> str:
    """``message`` with our article's names (``names``: each name as the finding may write it,
    with what to write instead; see ``_our_names``) as "your draft"; when the message gives
    none of them, "Your draft: " first."""
    if isinstance(names, str):
        names = {names: YOU} if names else {}
    out, named = message, False
    # longest first: "Reuters 4 Mar 08:00" before a bare "Reuters"
    for name in sorted(names, key=len, reverse=True):
        pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)")
        if pattern.search(out):
            out, named = pattern.sub(names[name], out), True
    if not named:
        return "Your draft: " + message
    return out[0].upper() + out[1:] if out.startswith(YOU) else out


def mark_ours(data: dict, result) -> None:
    """The JSON report of a pre-publication check: which article is ours, how many findings
    between other sources were left out, and ``"ours": true`` on our evidence."""
    for finding in data["findings"]:
        for evidence in finding["evidence"]:
            if evidence["article"] == result.ours:
                evidence["ours"] = True
    article = next((a for a in result.story.articles if a.id == result.ours), None)
    data["ours"] = {"article": result.ours, "path": article.path if article else None,
                    "outlet": article.outlet if article else None,
                    "findings": len(result.findings), "not_shown": len(result.other_findings)}


def not_shown_line(data: dict) -> str | None:
    """The one line counting the findings a pre-publication check left out (None when none)."""
    n = (data.get("ours") or {}).get("not_shown", 0)
    if not n:
        return None
    return f"{n} finding{'s' if n != 1 else ''} between other sources not shown"
