"""Rule kind ``self_contradiction``: one article states something and also its negation.

Two checks, both inside a single article:

- claims: the same subject, claim type and value, once asserted and once negated
  ("he is a Ukrainian citizen" ... "he is not a Ukrainian citizen");
- sentences: two sentences that are the same once negation words are removed (rapidfuzz
  ``token_sort_ratio`` of at least ``min_similarity``) while exactly one of them is negated and
  both give the same numbers ("The reactor was shut down." ... "The reactor was not shut down.").

Sentences inside quotation marks are compared too: a speaker contradicting himself is news.

Example (rules.yaml; cases in tests/fixtures/rules/self_contradiction.yaml)::

    - id: self-contradiction
      kind: self_contradiction
      severity: warning
      message: "{sources} contradicts itself: {value}"
      claim_types: [citizenship, place]

    PASS  "Maks is not a Ukrainian citizen, he's an American citizen." (two different countries)
    FAIL  "Divers found no survivors." ... "Divers found survivors." (same article)
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from rapidfuzz import fuzz

from checker.engine.align import by_fields, group_by
from checker.engine.context import StoryContext
from checker.engine.findings import Finding, format_message
from checker.engine.options import COUNT, PERCENT, Option, Options, with_options
from checker.engine.rule import Rule
from checker.engine.similarity import pairs_scoring
from checker.rules.negation import is_negated, strip_negation

KIND = "self_contradiction"
READS = ("claims", "sentences")
MESSAGE_FIELDS = ("subject", "value", "sources")
OPTIONS = Options(
    Option("min_similarity", 85.0, PERCENT, "how alike two sentences must be without their negations (percent)"),
    Option("min_words", 5, COUNT, "shorter sentences are not compared (too little context)"),
)
__doc__ = with_options(__doc__, OPTIONS)
_NUMBER = re.compile(r"\d+")


@lru_cache(maxsize=1 << 14)
def _sorted_words(text: str) -> str:
    return " ".join(sorted(text.split()))


def _claim_findings(rule, claims: list, ctx) -> list[Finding]:
    findings = []
    for (article, subject, ctype, value), rows in group_by(
            claims, by_fields("article", "subject", "claim_type", "normalized")):
        if len({r.negated for r in rows}) < 2:
            continue
        message = format_message(rule.message, subject=subject or "the story", value=value,
                                                sources=ctx.sources([article]))
        findings.append(Finding(rule=rule.id, kind=KIND, severity=rule.severity, claim_type=ctype,
                                subject=subject, message=message,
                                evidence=[ctx.evidence(r) for r in rows],
                                key=("claim", article, ctype, value), confidence=0.7))
    return findings


def _sentence_findings(rule, ctx) -> list[Finding]:
    findings = []
    for article in ctx.article_ids():
        sents = [s for s in ctx.sentences(article) if len(s.text.split()) >= rule.params["min_words"]]
        if len(sents) < 2:
            continue
        stripped = [strip_negation(s.text) for s in sents]
        # only a negated sentence against one that is not, with the same numbers, can
        # contradict: score those pairs (the scorer is symmetric), not all n x n
        sides: dict[tuple[str, ...], tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
        for i, sent in enumerate(sents):
            sides[tuple(_NUMBER.findall(sent.text))][0 if is_negated(sent.text) else 1].append(i)
        alike = []
        for neg, pos in sides.values():
            if neg and pos:
                # token_sort_ratio is the ratio of the sorted words: sort each sentence once
                cross = pairs_scoring([_sorted_words(stripped[i]) for i in neg],
                                      [_sorted_words(stripped[j]) for j in pos], fuzz.ratio,
                                      rule.params["min_similarity"])
                alike.extend((min(neg[a], pos[b]), max(neg[a], pos[b])) for a, b in cross)
        for i, j in sorted(alike):
            if stripped[i] and sents[i].text.strip().lower() != sents[j].text.strip().lower():
                evidence = [ctx.sentence_evidence(article, s, strip_negation) for s in (sents[i], sents[j])]
                message = format_message(rule.message, subject=article, value=stripped[i],
                                         sources=ctx.sources([article]))
                findings.append(Finding(rule=rule.id, kind=KIND, severity=rule.severity,
                                        claim_type="sentence", subject="", message=message,
                                        evidence=evidence, key=("sentence", article, stripped[i]),
                                        confidence=0.6))
    return findings


def check(rule: Rule, ctx: StoryContext) -> list[Finding]:
    return _claim_findings(rule, ctx.claims_of(rule.claim_types), ctx) + _sentence_findings(rule, ctx)

