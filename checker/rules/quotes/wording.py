"""Rule kind ``quote_wording``: a word substituted, added or dropped inside the same quote.

One utterance quoted by several sources (a quote family, see ``checker/engine/quote_families.py``)
is aligned word by word against the longest version. A change of fewer than
``elision_min_words`` words (a quote family setting), or a longer run that mostly repeats the
words around it (a reworded phrase), is a wording change. Articles sharing a reading share the
finding: "join" (Diply, 001) vs "joining" (002, ET).

Never differences: punctuation, case, curly vs straight or single vs double marks, British vs
American punctuation placement, a sentence split differently ("worse. People" / "worse,
people"), contractions (I'm / I am), British vs American spelling, 1 / one. With the quote
family settings left at their defaults, these are left to others: a name respelled inside a
quote (Odessa/Odesa: spelling-variant; ``ignore_name_spelling``), spoken filler ("you know",
"sort of": ``ignore_fillers``), a one-letter misspelling of a long word ("affected" /
"effected": ``ignore_typos``, a spell checker's job), a version reworded throughout
(``quote_paraphrase``).

Guidance: a direct quote reproduces the speaker's words exactly (AP Stylebook, "quotations in
the news": "Never alter quotations even to correct minor grammatical errors or word usage").

In a message ``{subject}`` is the speaker, ``{change}`` reads 'wording: "join" (Diply, 001) vs
"joining" (002, ET)' and ``{diff}`` '... and ~~join~~ **joining** efforts ...'. An outlet with
reports on two sides of a change is named per report ("AP 2 Mar", "AP 3 Mar"), in every quote
kind's source lists (``StoryContext.sources_apart``).

Example (rules.yaml; cases in tests/fixtures/rules/quote_wording.yaml)::

    - id: quote-wording
      kind: quote_wording
      severity: warning
      message: "Quote of {subject} differs between sources: {change}"
      claim_types: [quote]

    PASS  a: "... go back to Poland and join efforts on the ground," he said.
          b: "... go back to Poland and join efforts on the ground." Maks said.  (punctuation only)
    FAIL  b: "... go back to Poland and joining efforts on the ground," he said. (join | joining)
"""
from __future__ import annotations

from checker.engine.context import StoryContext
from checker.engine.findings import Finding
from checker.engine.options import Options, with_options
from checker.engine.rule import Rule
from checker.rules.quotes.common import QUOTE_SITE_FIELDS, change_findings

KIND = "quote_wording"
READS = ("quote_families",)
MESSAGE_FIELDS = QUOTE_SITE_FIELDS
OPTIONS = Options()
__doc__ = with_options(__doc__, OPTIONS)
def check(rule: Rule, ctx: StoryContext) -> list[Finding]:
    return change_findings(rule, ctx, "wording", KIND)
