"""Rule kind ``statement_negation``: one source negates a statement that another makes.

"The plane was carrying 217 people" in one article and "The plane was not carrying 217
people" in another. A negated sentence is compared with the sentences of other articles in
which the words either side of its negation ("was ... carrying") stand next to each other
without it; a pair is reported when the two share at least ``min_shared_words`` content words
and ``min_overlap`` of the shorter one's, and the figures agree: those in the ``number_window``
words the negation denies ("did not kill 15 people") stand in the other sentence, or the other
gives no figure this one lacks (different figures are the value rules' business). Requiring
the negated phrase itself keeps a negation elsewhere in a similar sentence ("... but did not
say why") from counting.

Guidance: SummEdits (Laban et al., 2023) and FactCC (Kryscinski et al., 2020) both use
negation as one of the basic single-edit inconsistencies a checker must catch.

Example (rules.yaml; cases in tests/fixtures/rules/statement_negation.yaml)::

    - id: statement-negation
      kind: statement_negation
      severity: warning
      message: '{negating} negates what {stating} states: "{statement}"'
      claim_types: []

    PASS  "Officials did not say how many died." / "Officials said 12 died." (not the same statement)
    FAIL  "The reactor was shut down on Monday." / "The reactor was not shut down on Monday."
"""
from __future__ import annotations

import re

from checker.engine.context import StoryContext
from checker.engine.findings import Finding, format_message
from checker.engine.options import COUNT, FRACTION, Option, Options, with_options
from checker.engine.rule import Rule
from checker.rules.negation import CONTRACTED, is_negated, strip_negation
from claims.base import content_words

KIND = "statement_negation"
READS = ("sentences",)
MESSAGE_FIELDS = ("negating", "stating", "statement", "value", "subject")
OPTIONS = Options(
    Option("min_shared_words", 4, COUNT, "content words the negated and the stating sentence must share"),
    Option("min_overlap", 0.5, FRACTION, "... and the share of the shorter sentence's content words they make"),
    Option("min_words", 6, COUNT, "shorter sentences are not compared (too little context)"),
    Option("number_window", 6, COUNT, "words after the negation whose figures the other sentence must give"),
)
__doc__ = with_options(__doc__, OPTIONS)
_NUMBER = re.compile(r"\d+")
# "$500,000" is one word, one figure; "3rd" and "1990s" stay words
_WORD = re.compile(r"\d{1,3}(?:,\d{3})+(?![\w,])|[a-z0-9]+(?:\.\d+)?(?:'[a-z]+)?")


def _numbers(text: str) -> set[str]:
    return set(_NUMBER.findall(re.sub(r"(?<=\d),(?=\d{3})", "", text)))


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _hinges(words: list[str]) -> list[tuple[str, str, int | None]]:
    """(word before, word after, where the word after stands) each negation of a sentence's
    ``_words``: "was not carrying" -> ("was", "carrying", 2). A "no" has no denied words of
    its own (None)."""
    out = []
    for i, word in enumerate(words):
        if word in CONTRACTED:
            before = CONTRACTED[word]
        elif word.endswith("n't"):
            before = word[:-3]
        elif word in ("not", "never", "no"):
            before = words[i - 1] if i else ""
        else:
            continue
        j = next((k for k in range(i + 1, len(words)) if words[k] not in ("not", "never")), None)
        out.append((before, words[j] if j is not None else "", j if word != "no" else None))
    return out


def _denied(words: list[str], hinges, window: int) -> dict[tuple[str, str], list[str]]:
    """For each hinge, the ``window`` words its first not/never/n't denies ("did not kill 15
    people" -> "kill 15 people"); a hinge only a "no" negates denies the whole sentence."""
    out: dict[tuple[str, str], list[str]] = {}
    for before, after, j in hinges:
        if j is not None and after:
            out.setdefault((before, after), words[j:j + window])
    return out


def check(rule: Rule, ctx: StoryContext) -> list[Finding]:
    params = rule.params
    negated, stating = [], []
    for article in ctx.article_ids():
        for sent in ctx.sentences(article):
            if len(sent.text.split()) < params["min_words"]:
                continue
            words = _words(sent.text)
            if is_negated(sent.text):
                negated.append((article, sent, words, _hinges(words)))
            else:
                stating.append((article, sent, words))
    # only the bigrams a negation hinges on are ever looked up: index just those
    hinges = {hinge[:2] for *_, sentence_hinges in negated for hinge in sentence_hinges}
    by_bigram: dict[tuple[str, str], list] = {}
    for article, sent, words in stating:
        for bigram in hinges.intersection(zip(words, words[1:])):
            by_bigram.setdefault(bigram, []).append((article, sent, words))
    # each stating sentence's content words and figures, read once however many negations meet it
    read: dict[tuple[str, int], tuple[set[str], set[str]]] = {}
    findings = []
    for article, sent, words, sentence_hinges in negated:
        mine = set(content_words(strip_negation(sent.text)))
        all_numbers = _numbers(sent.text)
        seen = set()
        denied = _denied(words, sentence_hinges, params["number_window"])
        for hinge in (h[:2] for h in sentence_hinges):
            numbers = _numbers(" ".join(denied.get(hinge, words)))
            for other_article, other, other_words in by_bigram.get(hinge, []):
                if other_article == article or (other_article, other.index) in seen:
                    continue
                seen.add((other_article, other.index))
                key = (other_article, other.index)
                if key not in read:
                    read[key] = (set(content_words(other.text)), _numbers(other.text))
                theirs, other_numbers = read[key]
                shared = len(mine & theirs)
                if shared < params["min_shared_words"] or shared < params["min_overlap"] * min(len(mine), len(theirs)) \
                        or not (numbers <= other_numbers or other_numbers <= all_numbers):
                    continue
                findings.append(_finding(rule, ctx, (article, sent), (other_article, other)))
    return findings


def _finding(rule, ctx, negating, stating) -> Finding:
    evidence = [ctx.sentence_evidence(article, sent, strip_negation) for article, sent in (negating, stating)]
    message = format_message(rule.message, negating=ctx.sources([negating[0]]),
                             stating=ctx.sources([stating[0]]), statement=evidence[1].text.strip(),
                             value=evidence[0].text.strip(), subject="")
    return Finding(rule=rule.id, kind=KIND, severity=rule.severity, claim_type="sentence", subject="",
                   message=message, evidence=evidence, key=("negation", strip_negation(evidence[1].text)),
                   confidence=0.7)
