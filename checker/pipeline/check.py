"""The whole check, in order: read -> clean -> claims -> align/rules -> findings -> report data.

``check_story`` returns a ``StoryResult``; ``result_to_dict`` gives the JSON contract that every
report format is written from.

Faults are isolated as linters do: an exception while cleaning one article, inside one
extractor on one article, or inside one rule on the story becomes a problem naming the file,
the stage and the error class (``claims.errors.stage_failure``), listed with the story's
problems (exit 2), and everything else is still checked and reported. ``CLAIMCHECK_DEBUG=1``
lets the exception through instead, for its traceback. Past the story's ``deadline`` an
exception is never isolated: it may be the caller's own time limit arriving as a signal.
"""
from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from claims.clean import clean
from claims.entities import StoryEntities
from claims.errors import InputError, stage_failure
from claims.extract import extract_claims, past
from claims.model import Claim, Document
from claims.read import Story, read_story
from checker import __version__
from checker.engine.context import StoryContext
from checker.engine.deadline import StoryTimeout, check_deadline, rules_deadline
from checker.engine.facts import Fact
from checker.pipeline.facts import fact_sheet
from checker.pipeline.ours import add_ours, address_result, mark_ours
from checker.engine.findings import SEVERITIES, SEVERITY_RANK, Finding, sort_findings
from checker.engine.quote_families import render_family
from checker.engine.heap import settled_heap
from checker.engine.rule import RuleSet
from checker.pipeline.rules_file import load_rules
from checker.rules import KINDS


def _isolated(deadline: float | None) -> bool:
    """Whether an exception inside one stage becomes a problem (else it is raised): not while
    debugging, and not past the deadline."""
    return os.environ.get("CLAIMCHECK_DEBUG") != "1" and not past(deadline)


class TimeLimitReached(InputError):
    """The problem for a check stopped by its time limit: the report holds what was done."""


def timeout_problem(path: str, exc: StoryTimeout) -> TimeLimitReached:
    return TimeLimitReached(path, f"{exc}; the report holds only what was checked before it", stage=exc.stage)


@dataclass
class StoryResult:
    story: Story
    docs: list[Document]
    claims: list[Claim]
    findings: list[Finding]
    rules: RuleSet
    timings: dict[str, float] = field(default_factory=dict)
    quote_families: list[dict] = field(default_factory=list)  # quote_families.render_family, for reports
    context: StoryContext | None = None  # what the rules read (None when the check stopped early)
    # a pre-publication check (``ours``): our article's id; ``findings`` are then only those
    # involving it, addressed to us, and ``other_findings`` those between other sources
    ours: str | None = None
    other_findings: list[Finding] = field(default_factory=list)
    # the findings claimcheck.yaml's min_severity (--min-severity) dropped: not reported, but the
    # fact sheet's statuses and ``explain`` read them, so a filter never changes what a fact is
    below_min_severity: list[Finding] = field(default_factory=list)

    @property
    def facts(self) -> list[Fact]:
        """The story's facts, as the value rules resolved them (the fact sheet's rows)."""
        return self.context.all_facts() if self.context is not None else []

    @property
    def story_articles(self) -> dict:
        return {a.id: a for a in self.story.articles}

    @property
    def problems(self) -> list[InputError]:
        return self.story.problems


def apply_rules(rules: RuleSet, ctx: StoryContext, deadline: float | None = None, *,
                problems: list[InputError] | None = None, path: str = "",
                keep_partial: bool = False, dropped: list[Finding] | None = None) -> list[Finding]:
    """Every enabled rule's findings, merged, less those below ``rules.min_severity`` (added to
    ``dropped`` when given). With ``problems`` a rule that fails is listed there
    (as a problem of ``path``, the story) and the other rules still run; with ``keep_partial`` a
    time limit reached is listed there too and the findings of the rules done are returned,
    else StoryTimeout is raised. ``deadline`` defaults to ``ctx.deadline``."""
    deadline = ctx.deadline if deadline is None else deadline
    findings: list[Finding] = []
    with settled_heap():  # the rules only read what extraction built: collections skip it
        for rule in rules.enabled:
            try:
                check_deadline(deadline, f"rule {rule.id}")
                with rules_deadline(deadline):
                    findings.extend(KINDS[rule.kind].check(rule, ctx))
            except StoryTimeout as exc:
                stop = exc if exc.stage.startswith("rule ") else StoryTimeout(f"rule {rule.id} ({exc.stage})")
                if problems is None or not keep_partial:
                    raise stop from None
                problems.append(timeout_problem(path, stop))
                break
            except Exception as exc:  # noqa: BLE001 - one rule failing on one story costs only that rule
                if problems is None or not _isolated(deadline):
                    raise
                problems.append(stage_failure(path, f"rule {rule.id}", exc))
    merged: dict[str, Finding] = {}
    for finding in findings:
        # one conflict, one finding: a second rule raising the same id keeps the stronger one
        if finding.id not in merged or len(finding.evidence) > len(merged[finding.id].evidence):
            merged[finding.id] = finding
    # claimcheck.yaml's min_severity (--min-severity): a rule's findings vary in severity (a
    # rounding difference is info), so findings are dropped, not rules
    floor = SEVERITY_RANK.get(rules.min_severity, 0)
    if dropped is not None:
        dropped.extend(sort_findings([f for f in merged.values() if SEVERITY_RANK.get(f.severity, 0) < floor]))
    return sort_findings([f for f in merged.values() if SEVERITY_RANK.get(f.severity, 0) >= floor])


@dataclass
class Extraction:
    """A story read, cleaned and split into claims: everything before the rules."""

    story: Story
    docs: list[Document]
    entities: StoryEntities
    claims: list[Claim]
    timings: dict[str, float]
    stopped: StoryTimeout | None = None  # the story's time limit ran out here: the rest is not done


def extract_story(source: str | Path | Story, deadline: float | None = None) -> Extraction:
    """``source`` is a story's path, or a Story already read (the accuracy benchmark edits
    articles in memory). A failure while cleaning one article, building the story's people and
    places, or in one extractor on one article is one of the story's problems; past
    ``deadline`` extraction stops and ``stopped`` says where."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    story = source if isinstance(source, Story) else read_story(source)
    t1 = time.perf_counter()
    timings["read"] = t1 - t0
    docs = []
    for article in story.articles:
        if past(deadline):
            return _stopped(story, docs, timings, StoryTimeout("cleaning"))
        try:
            docs.append(clean(article))
        except Exception as exc:  # noqa: BLE001 - one article that cannot be cleaned is skipped
            if not _isolated(deadline):
                raise
            story.problems.append(stage_failure(article.path, "cleaning", exc))
    entities, docs = _story_entities(story, docs, deadline)
    t2 = time.perf_counter()
    timings["clean"] = t2 - t1
    if past(deadline):
        return _stopped(story, docs, timings, StoryTimeout("cleaning"), entities)
    claims = extract_claims(docs, entities, deadline=deadline, problems=story.problems, warnings=story.warnings)
    timings["claims"] = time.perf_counter() - t2
    stopped = None
    if past(deadline):
        unread = sum(d.truncated for d in docs)
        stopped = StoryTimeout(f"claim extraction ({unread} of {len(docs)} articles not fully read)")
    return Extraction(story, docs, entities, claims, timings, stopped)


def _stopped(story: Story, docs: list[Document], timings: dict[str, float], stop: StoryTimeout,
             entities: StoryEntities | None = None) -> Extraction:
    return Extraction(story, docs, entities if entities is not None else StoryEntities([]), [], timings, stop)


def _story_entities(story: Story, docs: list[Document],
                    deadline: float | None) -> tuple[StoryEntities, list[Document]]:
    """The story's people and places, and the documents they were read from: when reading them
    fails, each article is tried alone and one that fails is left out (a problem of its own)."""
    try:
        return StoryEntities(docs), docs
    except Exception as exc:  # noqa: BLE001 - find the article at fault instead of losing the story
        if not _isolated(deadline):
            raise
        failure = exc
    kept = []
    for doc in docs:
        try:
            StoryEntities([doc])
            kept.append(doc)
        except Exception as exc:  # noqa: BLE001
            story.problems.append(stage_failure(doc.article.path, "entities", exc))
    try:
        return StoryEntities(kept), kept
    except Exception:  # noqa: BLE001 - it fails only with the articles together: none is read
        story.problems.append(stage_failure(story.path, "entities", failure))
        return StoryEntities([]), []


def story_context(ex: Extraction, rules: RuleSet, deadline: float | None = None) -> StoryContext:
    return StoryContext(articles={a.id: a for a in ex.story.articles}, docs={d.article.id: d for d in ex.docs},
                        entities=ex.entities, claims=ex.claims, rules_dir=Path(rules.path).parent,
                        deadline=deadline, quote_settings=rules.quote_families)


def quote_family_view(rules: RuleSet, ctx: StoryContext) -> list[dict]:
    """Every quote family side by side, as the quote rules read them (aligned with the story's
    quote family settings; already built by then), when any quote rule is enabled."""
    if not any(r.kind.startswith("quote_") for r in rules.enabled) or not ctx.claims:
        return []
    return [render_family(f, ctx.articles) for f in ctx.quote_families()]


def check_story(source: str | Path | Story, rules: RuleSet | None = None,
                deadline: float | None = None, keep_partial: bool = False,
                ours: str | Path | None = None) -> StoryResult:
    """``deadline`` (a ``time.monotonic()`` value) is checked between stages, articles and rules
    and inside the long loops of extraction and rules; past it the check stops with
    StoryTimeout, or with ``keep_partial`` returns what was done, the time limit listed among
    its problems. (Each article also has its own extraction budget.)

    ``ours`` makes it a pre-publication check of our article (``checker.pipeline.ours``): a file
    of the story, an article id, or a draft outside the story read as one more article; the
    result's ``findings`` are then those involving it, worded to us."""
    rules = rules or load_rules()
    ours_id = None
    if ours is not None:
        source = source if isinstance(source, Story) else read_story(source)
        ours_id = add_ours(source, ours)
    result = _check(source, rules, deadline, keep_partial)
    if ours_id is not None:
        address_result(result, ours_id)
    return result


def _check(source: str | Path | Story, rules: RuleSet, deadline: float | None, keep_partial: bool) -> StoryResult:
    ex = extract_story(source, deadline)
    story = ex.story
    if ex.stopped is not None:
        if not keep_partial:
            raise ex.stopped
        story.problems.append(timeout_problem(story.path, ex.stopped))
        return StoryResult(story=story, docs=ex.docs, claims=ex.claims, findings=[], rules=rules,
                           timings=ex.timings)
    t0 = time.perf_counter()
    ctx = story_context(ex, rules, deadline)
    before = len(story.problems)
    dropped: list[Finding] = []
    findings = apply_rules(rules, ctx, deadline, problems=story.problems, path=story.path,
                           keep_partial=keep_partial, dropped=dropped)
    views: list[dict] = []
    if not any(isinstance(p, TimeLimitReached) for p in story.problems[before:]):
        try:
            check_deadline(deadline, "rules")
            with rules_deadline(deadline):
                views = quote_family_view(rules, ctx)
        except StoryTimeout as exc:
            if not keep_partial:
                raise
            story.problems.append(timeout_problem(story.path, exc))
        except Exception as exc:  # noqa: BLE001 - the side-by-side view is not worth the report
            if not _isolated(deadline):
                raise
            story.problems.append(stage_failure(story.path, "quote families", exc))
    timings = {**ex.timings, "align+rules": time.perf_counter() - t0}
    return StoryResult(story=story, docs=ex.docs, claims=ex.claims, findings=findings, rules=rules,
                       timings=timings, quote_families=views, context=ctx, below_min_severity=dropped)


def result_to_dict(result: StoryResult) -> dict:
    counts = Counter(c.article for c in result.claims)
    summary = {s: 0 for s in SEVERITIES}
    for finding in result.findings:
        summary[finding.severity] += 1
    data = {
        "tool": {"name": "claimcheck", "version": __version__},
        "story": {"id": result.story.id, "path": result.story.path},
        "rules": result.rules.path,
        "articles": [
            {"id": a.id, "path": a.path, "outlet": a.outlet,
             "published": a.published.isoformat(sep=" ") if a.published else None,
             "published_estimated": a.published_estimated, "title": a.title, "author": a.author, "url": a.url,
             "claims": int(counts.get(a.id, 0)),
             "truncated": next((d.truncated for d in result.docs if d.article.id == a.id), False)}
            for a in result.story.articles
        ],
        "findings": [f.to_dict() for f in result.findings],
        # the fact sheet's statuses read every finding, also those a pre-publication check leaves
        # out and those min_severity dropped
        "facts": fact_sheet(result),
        "quote_families": result.quote_families,
        "problems": [p.to_dict() for p in result.problems],
        "warnings": [w.to_dict() for w in result.story.warnings],
        "summary": {"articles": len(result.story.articles), "claims": len(result.claims),
                    "findings": summary},
        # what claimcheck.yaml and the command line changed; absent when the rules file is in force as it is
        **({"settings": result.rules.settings} if result.rules.settings else {}),
    }
    if result.ours is not None:
        mark_ours(data, result)
    return data
