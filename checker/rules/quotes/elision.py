"""Rule kind ``quote_elision``: words cut from the middle of a quote with no ellipsis.

One utterance quoted by several sources (a quote family, see ``checker/engine/quote_families.py``)
is aligned word by word against the longest version. ``elision_min_words`` (a quote family
setting, 3) or more words missing from the middle of one piece, with no ``...``, ``…`` or
``[...]`` at that point, is an unmarked cut. Either side can be the one that cut: when the
longest version lacks words that a shorter one has, the longest is reported. Not cuts: a quote
that starts later or ends earlier (``quote_truncation``), a gap where a source splits the quote
into pieces with narration between ("A," he said. "B."), a gap that mostly repeats the words
around it (a reworded phrase: ``quote_wording``).

Guidance: the AP Stylebook ("ellipsis") asks for an ellipsis wherever words are removed from a
quotation; a quote cut silently reads as one continuous statement the speaker never made.

In a message (the fields of ``quote_wording``) ``{change}`` reads 'unmarked cut: Diply leaves
out "I believe that that's what it's called" without an ellipsis (kept by 001, ET)'.

Example (rules.yaml; cases in tests/fixtures/rules/quote_elision.yaml)::

    - id: quote-elision
      kind: quote_elision
      severity: warning
      message: "Quote of {subject} cut without an ellipsis: {change}"
      claim_types: [quote]

    PASS  b: "I spent the last couple of days with survivor's remorse ... and I'm currently working"
    FAIL  b: "I spent the last couple of days with survivor's remorse, and I'm currently working"
          (a: "... survivor's remorse, I believe that that's what it's called, and I'm ...")
"""
from __future__ import annotations

from checker.engine.context import StoryContext
from checker.engine.findings import Finding
from checker.engine.options import Options, with_options
from checker.engine.rule import Rule
from checker.rules.quotes.common import QUOTE_SITE_FIELDS, change_findings

KIND = "quote_elision"
READS = ("quote_families",)
MESSAGE_FIELDS = QUOTE_SITE_FIELDS
OPTIONS = Options()
__doc__ = with_options(__doc__, OPTIONS)
def check(rule: Rule, ctx: StoryContext) -> list[Finding]:
    return change_findings(rule, ctx, "elision", KIND)
