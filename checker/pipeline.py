"""The whole check, in order: read -> clean -> claims -> align/rules -> findings -> report data.

``check_story`` returns a ``StoryResult``; ``result_to_dict`` gives the JSON contract that every
report format is written from.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from claims.clean import clean
from claims.entities import StoryEntities
from claims.errors import InputError
from claims.extract import extract_claims
from claims.model import Claim, Document
from claims.read import Story, read_story
from checker import __version__
from checker.context import StoryContext
from checker.findings import SEVERITIES, Finding, sort_findings
from checker.kinds import KINDS
from checker.quote_families import families, render_family
from checker.rules_config import RuleSet, load_rules


class StoryTimeout(Exception):
    """The story's time limit ran out (``check_story(..., deadline=...)``)."""


def check_deadline(deadline: float | None, stage: str) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise StoryTimeout(f"time limit reached during {stage}")


@dataclass
class StoryResult:
    story: Story
    docs: list[Document]
    claims: list[Claim]
    findings: list[Finding]
    rules: RuleSet
    timings: dict[str, float] = field(default_factory=dict)
    quote_families: list[dict] = field(default_factory=list)  # quote_families.render_family, for reports

    @property
    def problems(self) -> list[InputError]:
        return self.story.problems


def apply_rules(rules: RuleSet, ctx: StoryContext, deadline: float | None = None) -> list[Finding]:
    findings: list[Finding] = []
    subsets: dict[tuple, list[Claim]] = {}  # rules often share claim types: filter once per set
    for rule in rules.enabled:
        check_deadline(deadline, f"rule {rule.id}")
        types = tuple(rule.claim_types)
        if types not in subsets:
            subsets[types] = [c for c in ctx.claims if c.claim_type in types]
        subset = subsets[types]
        findings.extend(KINDS[rule.kind].check(rule, subset, ctx))
    merged: dict[str, Finding] = {}
    for finding in findings:
        # one conflict, one finding: a second rule raising the same id keeps the stronger one
        if finding.id not in merged or len(finding.evidence) > len(merged[finding.id].evidence):
            merged[finding.id] = finding
    return sort_findings(list(merged.values()))


@dataclass
class Extraction:
    """A story read, cleaned and split into claims: everything before the rules."""

    story: Story
    docs: list[Document]
    entities: StoryEntities
    claims: list[Claim]
    timings: dict[str, float]


def extract_story(source: str | Path | Story) -> Extraction:
    """``source`` is a story's path, or a Story already read (the accuracy benchmark edits
    articles in memory)."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    story = source if isinstance(source, Story) else read_story(source)
    t1 = time.perf_counter()
    timings["read"] = t1 - t0
    docs = [clean(a) for a in story.articles]
    entities = StoryEntities(docs)
    t2 = time.perf_counter()
    timings["clean"] = t2 - t1
    claims = extract_claims(docs, entities)
    timings["claims"] = time.perf_counter() - t2
    return Extraction(story, docs, entities, claims, timings)


def story_context(ex: Extraction, rules: RuleSet) -> StoryContext:
    return StoryContext(articles={a.id: a for a in ex.story.articles}, docs={d.article.id: d for d in ex.docs},
                        entities=ex.entities, claims=ex.claims, rules_dir=Path(rules.path).parent)


def quote_family_view(rules: RuleSet, ctx: StoryContext) -> list[dict]:
    """Every quote family side by side, aligned with the parameters of the first enabled quote
    rule (the families are already built and cached by then)."""
    quote_rules = [r for r in rules.enabled if r.kind.startswith("quote_")]
    if not quote_rules or not ctx.claims:
        return []
    params = quote_rules[0].params
    return [render_family(f, ctx) for f in families(ctx, params)]


def check_story(source: str | Path | Story, rules: RuleSet | None = None,
                deadline: float | None = None) -> StoryResult:
    """``deadline`` (a ``time.monotonic()`` value) is checked between stages and rules; past it
    the check stops with StoryTimeout. (Extraction has its own per-article budget.)"""
    rules = rules or load_rules()
    ex = extract_story(source)
    check_deadline(deadline, "claim extraction")
    t0 = time.perf_counter()
    ctx = story_context(ex, rules)
    findings = apply_rules(rules, ctx, deadline)
    check_deadline(deadline, "rules")
    views = quote_family_view(rules, ctx)
    timings = {**ex.timings, "align+rules": time.perf_counter() - t0}
    return StoryResult(story=ex.story, docs=ex.docs, claims=ex.claims, findings=findings, rules=rules,
                       timings=timings, quote_families=views)


def result_to_dict(result: StoryResult) -> dict:
    counts = Counter(c.article for c in result.claims)
    summary = {s: 0 for s in SEVERITIES}
    for finding in result.findings:
        summary[finding.severity] += 1
    return {
        "tool": {"name": "claimcheck", "version": __version__},
        "story": {"id": result.story.id, "path": result.story.path},
        "rules": result.rules.path,
        "articles": [
            {"id": a.id, "path": a.path, "outlet": a.outlet,
             "published": a.published.isoformat(sep=" ") if a.published else None,
             "published_estimated": a.published_estimated, "title": a.title, "url": a.url,
             "claims": int(counts.get(a.id, 0)),
             "truncated": next((d.truncated for d in result.docs if d.article.id == a.id), False)}
            for a in result.story.articles
        ],
        "findings": [f.to_dict() for f in result.findings],
        "quote_families": result.quote_families,
        "problems": [p.to_dict() for p in result.problems],
        "warnings": [w.to_dict() for w in result.story.warnings],
        "summary": {"articles": len(result.story.articles), "claims": len(result.claims),
                    "findings": summary},
    }
