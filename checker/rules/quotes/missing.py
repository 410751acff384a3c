"""Rule kind ``quote_missing``: a statement other sources quote directly, which one source gives
only as paraphrase, or not at all.

A statement is a quote family (``checker/engine/quote_families.py``) or, with
``min_quoting_sources`` 1, a single source's quote (of at least the quote family setting
``min_words`` words). For every article that does not quote it:

- paraphrase: a sentence of that article outside quote marks, in reported speech (a speech
  verb such as "said", or "according to"), that shares at least ``min_shared_content_words``
  content words (stemmed, stopwords dropped) with the quote, covering ``min_content_overlap`` of
  the smaller side's content words;
- absent (``report_absent``, only for statements quoted by ``min_quoting_for_absent`` or more
  sources): neither quote nor paraphrase, although the article names the speaker.

Default severity info: choosing what to quote is an editor's call; the finding tells a
fact-checker which sources carry the exact words.

In a message ``{sources}`` are the quoting sources, ``{paraphrased}`` and ``{absent}`` the
others, and ``{change}`` a sentence saying both.

Example (rules.yaml; cases in tests/fixtures/rules/quote_missing.yaml)::

    - id: quote-missing
      kind: quote_missing
      severity: info
      message: "Quote of {subject} missing from some sources: quoted by {sources}; {change}"
      claim_types: [quote]

    PASS  b: "The camps cannot take one more family," said Ilona Varga.
    FAIL  (info) b: Varga said the republic was unable to take one more family.
          (a quotes it; b paraphrases it)
"""
from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict

from checker.engine.context import StoryContext
from checker.engine.findings import Finding
from checker.engine.options import COUNT, FLAG, FRACTION, Option, Options, with_options
from checker.engine.quote_families import Piece, content_stems, is_role
from checker.engine.rule import Rule
from checker.rules.quotes.common import message, piece_evidence, short
from claims.entities import name_key
from claims.model import Claim
from claims.quotes import SPEECH_VERBS

KIND = "quote_missing"
READS = ("claims", "quote_families", "quote_pieces", "sentences", "article_text")
MESSAGE_FIELDS = ("subject", "sources", "paraphrased", "absent", "change", "values", "count")
OPTIONS = Options(
    Option("min_quoting_sources", 1, COUNT,
           "sources that must quote a statement for it to count (1: one source's quote is a statement too)"),
    Option("min_quoting_for_absent", 2, COUNT,
           "sources that must quote a statement before an article that leaves it out is reported"),
    Option("report_absent", True, FLAG,
           "report an article that names the speaker but neither quotes nor paraphrases the statement"),
    Option("min_shared_content_words", 3, COUNT,
           "content words a sentence in reported speech must share with a quote to be its paraphrase"),
    Option("min_content_overlap", 0.6, FRACTION, "... making this share of the smaller side's content words"),
)
__doc__ = with_options(__doc__, OPTIONS)
_REPORTED = re.compile(r"\b(?:" + "|".join(sorted(set(SPEECH_VERBS), key=len, reverse=True))
                       + r"|according to)\b", re.I)
_REPORTED_WORDS = frozenset(v.lower() for v in SPEECH_VERBS if re.fullmatch(r"\w+", v))
_ONE_WORD_VERBS = len(_REPORTED_WORDS) == len(set(SPEECH_VERBS))
_WORD = re.compile(r"\w+")


def _is_reported(text: str) -> bool:
    """``_REPORTED.search(text)``, faster: a long alternation is tried at every character, while
    a set lookup per word is one pass. For ASCII text a match of ``\\bverb\\b`` is exactly a
    whole word equal to the verb; anything else (non-ASCII case folding, "according to", verbs
    that are not one word) goes to the regex."""
    if not text.isascii() or not _ONE_WORD_VERBS:
        return bool(_REPORTED.search(text))
    lowered = text.lower()
    if not _REPORTED_WORDS.isdisjoint(_WORD.findall(lowered)):
        return True
    return "according to" in lowered and bool(_REPORTED.search(text))


def check(rule: Rule, ctx: StoryContext) -> list[Finding]:
    params = rule.params
    fams = ctx.quote_families()
    statements: list[tuple[str, list[Piece], str]] = []  # (text, quoting pieces, speaker)
    in_family = set()
    for family in fams:
        statements.append((family.ref_text(), family.pieces, family.speaker()))
        in_family.update(p.pos for p in family.pieces)
    if params["min_quoting_sources"] <= 1:
        for piece in ctx.quote_pieces():
            if piece.pos not in in_family:
                statements.append((piece.text, [piece], piece.speaker))
    index = SentenceIndex(_reported_sentences(ctx, ctx.claims_of(rule.claim_types)))
    naming: dict[str, list[str]] = {}  # surname -> the articles whose names hold it
    findings = []
    for text, pieces, speaker in statements:
        quoting = sorted({p.article for p in pieces})
        if len(quoting) < params["min_quoting_sources"]:
            continue
        finding = _statement(rule, ctx, params, text, pieces, speaker, quoting, index, naming)
        if finding is not None:
            findings.append(finding)
    return findings


def _reported_sentences(ctx: StoryContext, claims: list[Claim]) -> dict[str, list[tuple]]:
    """Per article: (sentence, content stems) of sentences in reported speech with no quote."""
    quoted = defaultdict(set)
    for row in claims:
        if row.claim_type == "quote":
            quoted[row.article].add(row.sentence_index)
    out: dict[str, list[tuple]] = {}
    for article in ctx.article_ids():
        out[article] = [(s, content_stems(s.text)) for s in ctx.sentences(article)
                        if s.index not in quoted[article] and '"' not in s.text and _is_reported(s.text)]
    return out


def paraphrasing_sentences(stems: set[str], quoting: list[str], sentences: dict[str, list[tuple]],
                           params: dict) -> dict[str, object]:
    """Per article not quoting the statement: its reported sentence sharing the most content
    words with it (the first of equals), if it shares enough. The plain scan over every
    sentence, which ``SentenceIndex.paraphrasing`` replaces (a test holds them equal)."""
    paraphrased: dict[str, object] = {}
    for article, candidates in sentences.items():
        if article in quoting:
            continue
        best, best_shared = None, 0
        for sent, sent_stems in candidates:
            shared = len(stems & sent_stems)
            need = max(params["min_shared_content_words"],
                       math.ceil(params["min_content_overlap"] * min(len(stems), len(sent_stems))))
            if shared >= need and shared > best_shared:
                best, best_shared = sent, shared
        if best is not None:
            paraphrased[article] = best
    return paraphrased


class SentenceIndex:
    """The reported sentences by content stem. Comparing every quoted statement with every
    reported sentence grew with the square of the story; a sentence sharing at least k of a
    statement's n stems must hold one of its n - k + 1 rarest, so only the sentences under
    those stems are compared. A sentence of at least n stems must share the overlap share of n
    (often more than k), so it is looked up under fewer of the rarest stems: each stem's
    sentences are kept shortest first, to take just the short ones under the others."""

    def __init__(self, sentences: dict[str, list[tuple]]) -> None:
        self.sentences = sentences
        # rows in story order: article order, then sentence order, as the plain scan reads them
        self.rows = [(article, sent, sent_stems) for article, candidates in sentences.items()
                     for sent, sent_stems in candidates]
        self.postings: dict[str, list[int]] = defaultdict(list)
        for row, (_, _, sent_stems) in enumerate(self.rows):
            for stem in sent_stems:
                self.postings[stem].append(row)
        self.lengths: dict[str, list[int]] = {}  # each posting's sentence sizes, ascending
        for stem, rows in self.postings.items():
            rows.sort(key=lambda row: (len(self.rows[row][2]), row))
            self.lengths[stem] = [len(self.rows[row][2]) for row in rows]

    def paraphrasing(self, stems: set[str], quoting: list[str], params: dict) -> dict[str, object]:
        """What ``paraphrasing_sentences`` gives, from the sentences sharing a rare stem."""
        at_least = max(1, params["min_shared_content_words"])  # a best sentence shares at least one
        n = len(stems)
        if n < at_least:
            return {}
        # a sentence of n stems or more needs this many shared (the plain test with min() = n)
        long_need = max(params["min_shared_content_words"], math.ceil(params["min_content_overlap"] * n), at_least)
        long_prefix = max(0, n - long_need + 1)
        empty: list[int] = []
        rarest = sorted(stems, key=lambda stem: (len(self.postings.get(stem, empty)), stem))
        found: set[int] = set()
        for i, stem in enumerate(rarest[:n - at_least + 1]):
            posting = self.postings.get(stem, empty)
            if i < long_prefix:
                found.update(posting)
            elif posting:
                found.update(posting[:bisect.bisect_left(self.lengths[stem], n)])  # only the shorter sentences
        quoting_set = set(quoting)
        best: dict[str, tuple[object, int]] = {}
        for row in sorted(found):
            article, sent, sent_stems = self.rows[row]
            if article in quoting_set:
                continue
            shared = len(stems & sent_stems)
            need = max(params["min_shared_content_words"],
                       math.ceil(params["min_content_overlap"] * min(len(stems), len(sent_stems))))
            if shared >= need and shared > best.get(article, (None, 0))[1]:
                best[article] = (sent, shared)
        return {article: sent for article, (sent, _) in best.items()}


def _statement(rule, ctx, params, text, pieces, speaker, quoting, index: SentenceIndex,
               naming: dict[str, list[str]]) -> Finding | None:
    stems = content_stems(text)
    if len(stems) < params["min_shared_content_words"]:
        return None
    paraphrased = index.paraphrasing(stems, quoting, params)
    absent = []
    if params["report_absent"] and len(quoting) >= params["min_quoting_for_absent"] and speaker and not is_role(speaker):
        surname = name_key(speaker).split()[-1]
        if surname not in naming:
            naming[surname] = ctx.articles_naming(surname)
        quoting_set = set(quoting)
        absent = [a for a in naming[surname] if a not in quoting_set and a not in paraphrased]
    if not paraphrased and not absent:
        return None
    quoting_named, paraphrased_named, absent_named = ctx.sources_apart([quoting, paraphrased, absent])
    parts = []
    if paraphrased:
        parts.append(f"{paraphrased_named} {'gives' if len(paraphrased) == 1 else 'give'} it only as paraphrase")
    if absent:
        parts.append(f"{absent_named} {'does' if len(absent) == 1 else 'do'} not report it")
    change = " and ".join(parts) + f': "{short(text.strip(), 14)}"'
    values = {"subject": speaker or "someone", "sources": quoting_named,
              "paraphrased": paraphrased_named, "absent": absent_named, "change": change,
              "values": change, "count": len(quoting)}
    evidence = piece_evidence(ctx, pieces)
    for article, sent in sorted(paraphrased.items()):
        evidence.append(ctx.sentence_evidence(article, sent, lambda _text: "paraphrase"))
    words = " ".join(sorted(pieces, key=lambda p: -len(p.words))[0].words[:8])
    return Finding(rule=rule.id, kind=KIND, severity=rule.severity, claim_type="quote", subject=speaker,
                   message=message(rule, values, f"{values['subject']}: quoted by {values['sources']}; {change}"),
                   evidence=evidence, key=("missing", words), confidence=0.5,
                   details={"change": "missing", "quoted_by": quoting, "paraphrased_by": sorted(paraphrased),
                            "absent_from": sorted(absent)})
