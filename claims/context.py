"""What every extractor gets.

An extractor module exposes ``CLAIM_TYPE`` and ``extract(ctx: ExtractContext) -> list[Claim]``.
It reads ``ctx.doc.sentences`` (normalised text, offsets into ``doc.norm``) and builds claims
with ``ctx.claim(...)``, which maps offsets back to the original article text.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime

from claims.base import CLAUSE_BREAK, content_words
from claims.entities import StoryEntities
from claims.model import Claim, Document, Sentence


class BudgetSpent(Exception):
    """The article's time budget (or the story's time limit) ran out inside an extractor."""


@dataclass
class ExtractContext:
    doc: Document
    entities: StoryEntities
    reference_time: datetime | None  # the article's publication time, or the story's estimate
    deadline: float | None = None  # a time.monotonic() value: the article's budget ends then
    _sentence_texts: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def check_budget(self) -> None:
        """Raise BudgetSpent once the article's time is up. Every extractor calls this in its
        long loops (each sentence, each match), so that one hostile sentence holding thousands
        of matches stops on time instead of only between extractors."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise BudgetSpent()

    def _sentence_text(self, sent: Sentence) -> str:
        """The sentence as the article writes it (asked once per claim, so kept per sentence)."""
        key = (sent.start, sent.end)
        if key not in self._sentence_texts:
            self._sentence_texts[key] = self.doc.evidence(sent.start, sent.end)[0]
        return self._sentence_texts[key]

    def claim(self, sent: Sentence, start: int, end: int, *, claim_type: str, attribute: str,
              normalized: str, subject: str | None = None, low: float | None = None,
              high: float | None = None, unit: str = "", negated: bool = False,
              context: str | None = None, window: int = 60, clause: bool = False,
              context_also: frozenset[str] = frozenset(), **extra) -> Claim:
        """A claim at norm[start:end]. Unless ``context`` is given it is the content words within
        ``window`` characters either side (inside the clause with ``clause``), and
        ``context_also``: words of the claim's own span that say what it is about."""
        self.check_budget()
        value, o_start, o_end = self.doc.evidence(start, end)
        if subject is None:
            subject = self.entities.subject_at(self.doc, sent, start)
        if context is None:
            left = self.doc.norm[max(sent.start, start - window):start]
            right = self.doc.norm[end:min(sent.end, end + window)]
            if start - window > sent.start:
                left = left.split(" ", 1)[-1]  # no word cut in half at the window's edge
            if end + window < sent.end:
                right = right.rsplit(" ", 1)[0]
            words = set(content_words(left + " " + right))
            if clause:
                clipped = set(content_words(CLAUSE_BREAK.split(left)[-1] + " " + CLAUSE_BREAK.split(right)[0]))
                # a clause of one word or none ("Over the next 29 seconds,"): what follows says what lasted
                words = clipped if len(clipped) >= 2 else clipped | set(content_words(right))
            context = " ".join(sorted(words | context_also))
        return Claim(
            article=self.doc.article.id, claim_type=claim_type, subject=subject or "",
            attribute=attribute, value=value, normalized=normalized, start=o_start, end=o_end,
            sentence=self._sentence_text(sent), sentence_index=sent.index,
            low=low, high=high, unit=unit, negated=negated, context=context, extra=dict(extra),
        )
