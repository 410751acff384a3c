"""Rule kind ``quote_truncation``: a source quotes only the start or only the end of a quote.

One utterance quoted by several sources (a quote family, see ``checker/engine/quote_families.py``)
is aligned against the longest version. A source whose pieces, together, start ``min_missing``
or more words after the longest version starts, or end that many words before it ends, quotes
part of it. Usually fine (quoting part of a statement is normal), so the default severity is
info: it tells a fact-checker where the full version is.

In a message ``{sources}`` are who quote part, ``{reference}`` who has the longest version,
``{missing}`` how many words are left out and ``{quote}`` the start of the full version.

Example (rules.yaml; cases in tests/fixtures/rules/quote_truncation.yaml)::

    - id: quote-truncation
      kind: quote_truncation
      severity: info
      message: '{sources} quote only part of what {subject} said: "{quote}" ({reference} has it in full)'
      claim_types: [quote]

    PASS  a: "I spent some time at home. I enjoyed some of that Los Angeles weather."
          b: "I spent some time at home. I enjoyed some of that Los Angeles weather," he said.
    FAIL  (info) a: "... Los Angeles weather. Saw my family, saw my friends."  b ends at "weather"
"""
from __future__ import annotations

from checker.engine.context import StoryContext
from checker.engine.findings import Finding
from checker.engine.options import POSITIVE, Option, Options, with_options
from checker.engine.rule import Rule
from checker.rules.quotes.common import message, piece_evidence, short

KIND = "quote_truncation"
READS = ("quote_families",)
MESSAGE_FIELDS = ("subject", "sources", "reference", "missing", "change", "count", "values", "diff", "quote")
OPTIONS = Options(
    Option("min_missing", 3, POSITIVE,
           "words a source leaves out at the start and end together to quote only part of the longest version"),
)
__doc__ = with_options(__doc__, OPTIONS)
def check(rule: Rule, ctx: StoryContext) -> list[Finding]:
    params = rule.params
    findings: list[Finding] = []
    for family in ctx.quote_families():
        partial: dict[str, int] = {}
        for article, cov in family.coverage.items():
            if article == family.ref_article or not cov.eq:
                continue
            missing = min(cov.eq) + (len(family.ref) - 1 - max(cov.eq))
            if missing >= params["min_missing"]:
                partial[article] = missing
        if not partial:
            continue
        pieces = [p for a in [family.ref_article, *partial] for p in family.by_article[a]]
        subject = family.speaker()
        sources, reference = ctx.sources_apart([partial, [family.ref_article]])
        values = {"subject": subject or "someone", "sources": sources,
                  "reference": reference, "missing": max(partial.values()),
                  "change": f"truncation: {sources} quote only part of \"{short(family.ref_text())}\"",
                  "count": len(partial), "values": "", "diff": "", "quote": short(family.ref_text(), 10)}
        findings.append(Finding(
            rule=rule.id, kind=KIND, severity=rule.severity, claim_type="quote", subject=subject,
            message=message(rule, values, f"{values['sources']} quote only part of what {values['subject']} said"),
            evidence=piece_evidence(ctx, pieces), key=("truncation", " ".join(family.ref[:8])),
            confidence=0.5,
            details={"change": "truncation", "reference_article": family.ref_article, "family": family.id,
                     "missing_words": dict(sorted(partial.items()))},
        ))
    return findings
