"""The plain data that the pipeline stages hand each other.

read -> ``Article``; clean -> ``Document`` (normalised text, sentences, offset map);
extractors -> ``Claim`` records, one list per story in extraction order (``Claim.index`` is the
position in it); ``CLAIM_COLUMNS`` is their column order in claim listings and tables.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime
from typing import Any


def ascii_lowered(text: str) -> str | None:
    """``text`` lower-cased with every offset kept, for keyword tests and case-sensitive scans
    that stand for IGNORECASE ones; None when it is not ASCII (then lower-casing may change
    lengths, and regex case folding goes beyond ``str.lower``: "K", "ſ")."""
    return text.lower() if text.isascii() else None


@dataclass
class Article:
    """One article as read from disk. ``text`` is what offsets index."""

    id: str
    path: str
    text: str
    outlet: str | None = None
    published: datetime | None = None
    published_estimated: bool = False  # True when taken from a date line in the text, not metadata
    title: str | None = None
    format: str = "txt"
    url: str | None = None  # where the article was published, when the metadata says


@dataclass
class Sentence:
    index: int
    paragraph: int
    start: int  # offsets into Document.norm
    end: int
    text: str

    @cached_property
    def lowered(self) -> str | None:
        """``ascii_lowered(text)``, kept: several extractors test it before their scans."""
        return ascii_lowered(self.text)


@dataclass
class Paragraph:
    index: int
    start: int  # offsets into Document.norm
    end: int
    noise: str | None = None  # why the paragraph is boilerplate, or None for article text


@dataclass
class Document:
    """An article's normalised text with a map back to the original offsets.

    Normalisation (quotes, spaces, mojibake) can change lengths, so ``edits`` records every
    replaced run as (norm_start, norm_end, orig_start, orig_end); positions between edits
    shift by a constant. Paragraphs marked as ``noise`` (boilerplate, repeated
    captions) have no sentences, so extractors never see them.
    """

    article: Article
    norm: str
    edits: list[tuple[int, int, int, int]] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    truncated: bool = False

    def __post_init__(self) -> None:
        self._edit_starts = [e[0] for e in self.edits]

    @cached_property
    def lowered(self) -> str | None:
        """``ascii_lowered(norm)``, kept for scans over the whole article."""
        return ascii_lowered(self.norm)

    def to_orig(self, pos: int, *, end: bool = False) -> int:
        i = bisect.bisect_right(self._edit_starts, pos) - 1
        if i < 0:
            return pos
        ns, ne, os_, oe = self.edits[i]
        if pos < ne or (end and pos == ne):
            # inside a replaced run: a start maps to the run start, an end to the run end
            if end and pos > ns:
                return oe
            return os_
        return oe + (pos - ne)

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        return self.to_orig(start), self.to_orig(end, end=True)

    def evidence(self, start: int, end: int) -> tuple[str, int, int]:
        s, e = self.orig_span(start, end)
        return self.article.text[s:e], s, e


@dataclass(slots=True)
class Claim:
    """One atomic, typed claim. Offsets ``start``/``end`` index ``Article.text``.

    Rules read claims as these plain records: a story has thousands, and indexing a DataFrame
    per rule and per group cost more than the comparisons themselves."""

    article: str
    claim_type: str
    subject: str
    attribute: str
    value: str  # as written
    normalized: str
    start: int
    end: int
    sentence: str
    sentence_index: int
    low: float | None = None  # numeric range of the value (None when not numeric)
    high: float | None = None
    unit: str = ""
    negated: bool = False
    context: str = ""  # content words near the value, used to align claims across sources
    extra: dict[str, Any] = field(default_factory=dict)
    index: int = -1  # position in the story's claim list, set when the story's claims are collected


def claim_id(claim: Claim) -> str:
    """The claim's id as ``claimcheck claims`` lists it and ``claimcheck explain --claim`` takes
    it: its place in the story's claims ("c17"), the same for every run over the same articles."""
    return f"c{claim.index}"


CLAIM_COLUMNS = [
    "article", "claim_type", "subject", "attribute", "value", "normalized", "low", "high",
    "unit", "negated", "context", "sentence", "sentence_index", "start", "end", "extra",
]
