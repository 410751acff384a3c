"""The story's fact sheet: every fact the value rules resolved, its values and who gives them,
and its status, from the story fact model (``checker.engine.facts``) and the findings.

Status, per fact:
    conflict       a value rule found values that cannot both be true (the finding's severity
                   says how sure: info when only the story model ties the claims)
    update         the figure changed as the story ran, later outlets agreeing on the new one
    single source  one source gives it (wire copies of one text count once)
    differ         its values cannot all be true, but no rule raised it (too unsure: two weekdays
                   of undated reports, a report dating the event to its own filing day)
    agree          several sources, one value (or values that can all be true)

This is also what an editor reads to see why two claims were or were not compared: two claims
of one fact were compared; claims of two facts were not.

JSON contract (``claimcheck facts --format json``)::

    {"tool", "story", "facts": [{"id", "about", "attribute", "kind", "status", "severity",
      "first_seen", "last_seen", "values": [{"value", "normalized", "support", "first_seen",
      "last_seen", "sources": [{"article", "outlet", "label", "text", "start", "end"}]}]}]}

``support`` counts a value's independent sources; values are ordered by support, then by
where the story first gives them. Fact ids are stable across checks, like finding ids.
"""
from __future__ import annotations

from checker import __version__
from checker.engine.facts import Fact
from checker.engine.findings import SEVERITY_RANK

# ``result`` below is a checker.pipeline.check.StoryResult; check.py writes the sheet into every
# report, so this module cannot import it back

STATUS_ORDER = ("conflict", "update", "differ", "single source", "agree")


def fact_status(fact: Fact, findings: list, groups) -> tuple[str, str | None]:
    """(status, severity of its findings or None)."""
    about = [f for f in findings if f.fact == fact.id]
    if about:
        worst = max(about, key=lambda f: SEVERITY_RANK[f.severity])
        updated = all(any(n.startswith("updated figure") or "likely an update" in n for n in f.details.get("notes", []))
                      for f in about)
        return ("update" if updated else "conflict"), worst.severity
    if groups.count(fact.articles) < 2:
        return "single source", None
    return ("differ" if fact.differs else "agree"), None


def every_finding(result) -> list:
    """Every finding the rules raised: those reported, those between other sources that a
    pre-publication check leaves out, and those min_severity dropped. A fact's status reads
    them all, so a report filter never turns a conflict into 'differ'."""
    return [*result.findings, *getattr(result, "other_findings", []), *getattr(result, "below_min_severity", [])]


def _when(result, articles) -> tuple[str | None, str | None]:
    times = sorted(t for t in (result.story_articles[a].published for a in articles) if t is not None)
    return (times[0].isoformat(sep=" "), times[-1].isoformat(sep=" ")) if times else (None, None)


def fact_sheet(result) -> list[dict]:
    """Every fact as the JSON contract holds it, facts in conflict first, then updates, single
    sources and agreements, each group in story order."""
    if result.context is None:
        return []
    groups = result.context.source_groups()
    findings = every_finding(result)
    sheet = []
    for fact in result.facts:
        status, severity = fact_status(fact, findings, groups)
        values = []
        for normalized, claims in fact.values().items():
            articles = sorted({c.article for c in claims})
            first, last = _when(result, articles)
            values.append({
                "value": claims[0].value, "normalized": normalized, "support": groups.count(articles),
                "first_seen": first, "last_seen": last,
                "sources": [{"article": c.article, "outlet": result.story_articles[c.article].outlet,
                             # how reports name the source: outlet, else short headline, else file name
                             "label": result.context.outlet(c.article),
                             "text": result.story_articles[c.article].text[c.start:c.end],
                             "start": c.start, "end": c.end} for c in claims]})
        order = {v["normalized"]: n for n, v in enumerate(values)}
        values.sort(key=lambda v: (-v["support"], order[v["normalized"]]))
        first, last = _when(result, fact.articles)
        sheet.append({"id": fact.id, "about": fact.about, "attribute": fact.attribute, "kind": fact.claim_type,
                      "status": status, "severity": severity, "first_seen": first, "last_seen": last,
                      "values": values})
    rank = {s: n for n, s in enumerate(STATUS_ORDER)}
    return sorted(sheet, key=lambda f: (rank[f["status"]], -SEVERITY_RANK.get(f["severity"] or "", 0)))


def facts_to_dict(result) -> dict:
    return {"tool": {"name": "claimcheck", "version": __version__},
            "story": {"id": result.story.id, "path": result.story.path},
            "facts": fact_sheet(result)}
