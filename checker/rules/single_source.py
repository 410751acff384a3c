"""Rule kind ``single_source``: a notable claim that only one outlet makes (info).

A fact that one source alone reports is not wrong, but an editor may want it confirmed before
relying on it. Only attributes matching ``attributes`` are considered (by default death and
injury tolls and ages), and only in stories with at least ``min_articles`` articles, so that
the report does not list every number in the story. An age is a person's, so it is single when
no other source gives that person an age; a toll is the story's (the person nearest a toll in
its sentence is rarely whose toll it is), so it is single when no other source gives any
figure for it. In a message ``{what}`` says what is given, in words ("how many police
officers were killed", "how old Linda Tripp is"; ``checker.engine.wording``), and
``{for_subject}`` is " for <person>" for an age, empty for a toll.

Example (rules.yaml; cases in tests/fixtures/rules/single_source.yaml)::

    - id: single-source
      kind: single_source
      severity: info
      message: "Only {sources} says {what}: {values}"
      claim_types: [count, age]

    PASS  "13 people were injured" in three of four articles
    FAIL  (info) "13 people were injured" in one article of four, no other source gives a figure
"""
from __future__ import annotations

from checker.engine.align import group_by
from checker.engine.context import StoryContext
from checker.engine.findings import Finding, format_message
from checker.engine.options import COUNT, REGEXES, Option, Options, compiled_patterns, with_options
from checker.engine.rule import Rule
from checker.engine.wording import question

KIND = "single_source"
READS = ("claims",)
MESSAGE_FIELDS = ("what", "subject", "values", "for_subject", "attribute", "sources")
OPTIONS = Options(
    Option("attributes", [r"\|killed$", r"\|injured$", r"^age$"], REGEXES,
           "the claim attributes considered (death and injury tolls and ages)"),
    Option("min_articles", 3, COUNT, "only stories of at least this many articles are checked"),
)
__doc__ = with_options(__doc__, OPTIONS)


def check(rule: Rule, ctx: StoryContext) -> list[Finding]:
    claims = ctx.claims_of(rule.claim_types)
    if not claims or len(ctx.articles) < rule.params["min_articles"]:
        return []
    patterns = compiled_patterns(rule.params["attributes"])  # RE2: a user's pattern cannot hang the check
    claims = [c for c in claims if any(p.search(str(c.attribute)) for p in patterns)]
    findings = []
    for (ctype, subject, attribute), group in group_by(claims, _whose):
        if len({r.article for r in group}) != 1:
            continue
        rows = _first_per_value(group)
        article = rows[0].article
        values = ", ".join(sorted({str(r.normalized) for r in rows}))
        asked = question(ctype, rows, about=subject if ctype == "age" else "")
        message = format_message(rule.message, subject=subject or "the story", values=values,
                                 what=asked.indirect,
                                 for_subject=f" for {subject}" if subject else "",
                                 attribute=str(attribute).replace("|", " "), sources=_which(ctx, article))
        findings.append(Finding(rule=rule.id, kind=KIND, severity=rule.severity, claim_type=ctype,
                                subject=subject, message=message,
                                evidence=[ctx.evidence(r) for r in rows],
                                key=(attribute, values), confidence=0.5))
    return findings


def _which(ctx, article: str) -> str:
    """The source, and which of its outlet's reports when it filed others: "AP (30 Jul 11:30)",
    "Wire One (second)"; just "AP" when that is its only article."""
    name, label = ctx.outlet(article), ctx.article_label(article)
    if label != name and label.startswith(name + " ") and not label.endswith(")"):
        return f"{name} ({label[len(name) + 1:]})"
    return label


def _whose(claim) -> tuple:
    """What a claim is grouped by: an age by its person, a toll by the story alone."""
    return claim.claim_type, claim.subject if claim.claim_type == "age" else "", claim.attribute


def _first_per_value(rows: list) -> list:
    """The first claim of each value."""
    first: dict[str, object] = {}
    for r in rows:
        first.setdefault(r.normalized, r)
    return list(first.values())
