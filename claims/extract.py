"""Run every extractor over a story's documents and collect the claims into one list.

One module per claim type; ``EXTRACTORS`` lists them in the order they run. Each article gets a
time budget: when it is spent, the remaining extractors are skipped for that article and the
article is marked ``truncated`` (one pathological article never stalls a story).
"""
from __future__ import annotations

import time
from datetime import datetime

from claims import age, citizenship, counts, dates, durations, names, places, quotes
from claims.base import ExtractContext
from claims.entities import StoryEntities
from claims.model import Claim, Document

EXTRACTORS = [age, dates, durations, counts, citizenship, places, names, quotes]
ARTICLE_TIME_BUDGET_S = 5.0


def story_reference_time(docs: list[Document]) -> datetime | None:
    """The median known publication time: the 'now' for articles that carry none."""
    times = sorted(d.article.published for d in docs if d.article.published)
    return times[len(times) // 2] if times else None


def extract_claims(docs: list[Document], entities: StoryEntities,
                   budget_s: float = ARTICLE_TIME_BUDGET_S) -> list[Claim]:
    fallback_time = story_reference_time(docs)
    rows: list[Claim] = []
    for doc in docs:
        ctx = ExtractContext(doc=doc, entities=entities,
                             reference_time=doc.article.published or fallback_time)
        deadline = time.perf_counter() + budget_s
        for module in EXTRACTORS:
            if time.perf_counter() > deadline:
                doc.truncated = True
                break
            rows.extend(module.extract(ctx))
    for index, claim in enumerate(rows):
        claim.index = index
    return rows
