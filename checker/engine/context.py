"""What a rule kind gets besides its claims: the story's articles, documents and entities.

A rule-kind module in ``checker/`` exposes ``KIND`` (its name in rules.yaml), ``DEFAULTS``
(its parameters with default values; the type of each default is the type rules.yaml must
give), optionally ``REGEX_PARAMS`` and ``validate(rule, rules_dir)``, and
``check(rule, claims, ctx) -> list[Finding]`` where ``claims`` lists the story's claims of the
rule's claim types (``claims.model.Claim`` records, in story order).
"""
from __future__ import annotations

import time
from collections import Counter
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Hashable, Iterable, Iterator

from claims.entities import StoryEntities
from claims.model import Article, Claim, Document
from checker.engine.findings import Evidence


def by_fields(*names: str) -> Callable[[Claim], tuple]:
    """A grouping key: the claim's values of these fields, as a tuple."""
    return lambda claim: tuple(getattr(claim, name) for name in names)


def group_by(claims: Iterable[Claim], key: Callable[[Claim], tuple],
             dropna: bool = True) -> list[tuple[tuple, list[Claim]]]:
    """[(key, claims)]: groups in key order, claims in story order. A key holding None sorts
    last, or is dropped with ``dropna``."""
    groups: dict[tuple, list[Claim]] = {}
    for claim in claims:
        groups.setdefault(key(claim), []).append(claim)
    keys = [k for k in groups if not (dropna and None in k)]
    return [(k, groups[k]) for k in sorted(keys, key=_missing_last)]


def _missing_last(key: tuple) -> tuple[tuple[bool, Hashable], ...]:
    return tuple((value is None, "" if value is None else value) for value in key)


MAX_IDS_NAMED = 3  # article ids a message lists for one outlet; past that, a count


class StoryTimeout(Exception):
    """The story's time limit ran out (``check_story(..., deadline=...)``) during ``stage``."""

    def __init__(self, stage: str):
        self.stage = stage
        super().__init__(f"time limit reached during {stage}")


def check_deadline(deadline: float | None, stage: str) -> None:
    """Raise StoryTimeout when the ``time.monotonic()`` deadline (None: none) has passed."""
    if deadline is not None and time.monotonic() > deadline:
        raise StoryTimeout(stage)


# The deadline of the rules running now, for helpers that get no StoryContext (alignment):
# set around the rules by ``rules_deadline``, read by ``within_time``.
_RULES_DEADLINE: ContextVar[float | None] = ContextVar("claimcheck_rules_deadline", default=None)


@contextmanager
def rules_deadline(deadline: float | None) -> Iterator[None]:
    """Within the block, ``within_time`` holds loops to ``deadline`` (None: no limit)."""
    token = _RULES_DEADLINE.set(deadline)
    try:
        yield
    finally:
        _RULES_DEADLINE.reset(token)


def within_time(items: Iterable, stage: str, every: int = 256) -> Iterable:
    """``items``, raising StoryTimeout once the rules' deadline has passed (looked at every
    ``every`` items): wraps the loops over pairs of claims, which a hostile story can make
    quadratic, so the check stops on time wherever it is. With no deadline, ``items`` itself."""
    deadline = _RULES_DEADLINE.get()
    return items if deadline is None else _until(items, deadline, stage, every)


def _until(items: Iterable, deadline: float, stage: str, every: int) -> Iterator:
    for count, item in enumerate(items):
        if count % every == 0 and time.monotonic() > deadline:
            raise StoryTimeout(stage)
        yield item


@dataclass
class StoryContext:
    articles: dict[str, Article]
    docs: dict[str, Document]
    entities: StoryEntities
    claims: list[Claim]  # the story's claims, in extraction order
    rules_dir: Path
    cache: dict = field(default_factory=dict)  # work shared by rule kinds (e.g. quote families)
    # the story's time limit (time.monotonic(); None: none), which apply_rules also holds the
    # rules' long loops to (within_time)
    deadline: float | None = None

    def span_evidence(self, article_id: str, start: int, end: int, *, value: str,
                      normalized: str, sentence: str = "") -> Evidence:
        """Evidence for ``article.text[start:end]``, with the article's outlet and time."""
        article = self.articles[article_id]
        return Evidence(
            article=article_id, text=article.text[start:end], start=start, end=end, value=value,
            normalized=normalized, sentence=sentence, outlet=article.outlet,
            published=article.published.isoformat(sep=" ") if article.published else None,
        )

    def evidence(self, claim: Claim) -> Evidence:
        return self.span_evidence(claim.article, claim.start, claim.end, value=claim.value,
                                  normalized=str(claim.normalized), sentence=claim.sentence)

    def outlet(self, article_id: str) -> str:
        article = self.articles[article_id]
        return article.outlet or article_id

    def sources(self, article_ids) -> str:
        """The outlets of these articles, each once. An outlet that filed more articles in the
        story than are given here is named with the articles' ids, since its name alone would
        not say which ("13 (AP [a1]) vs 12 (AP [a2])"), or past three ids with how many of its
        articles ("AP x4 of 6": the evidence lists them); one given with all its articles reads
        "AP" or "AP x3"."""
        given: dict[str, list[str]] = {}
        for article_id in sorted(set(article_ids)):
            given.setdefault(self.outlet(article_id), []).append(article_id)
        filed = Counter(self.outlet(article_id) for article_id in self.articles)

        def label(name: str, ids: list[str]) -> str:
            if len(ids) < filed[name]:
                return f"{name} [{', '.join(ids)}]" if len(ids) <= MAX_IDS_NAMED else f"{name} x{len(ids)} of {filed[name]}"
            return name if len(ids) == 1 else f"{name} x{len(ids)}"
        return ", ".join(label(name, ids) for name, ids in given.items())
