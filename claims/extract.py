"""Run every extractor over a story's documents and collect the claims into one list.

One module per claim type; ``EXTRACTORS`` lists them in the order they run. Each article gets a
time budget, checked inside every extractor's loops (each sentence, each match): when it is
spent, the extractor stops, the remaining ones are skipped for that article, the article is
marked ``truncated`` and a warning names the article and the extractor (one pathological
article never stalls a story). An extractor that fails on one article costs that extractor's
claims of that article, reported as a problem, not the story (``CLAIMCHECK_DEBUG=1`` lets the
exception through, for its traceback).
"""
from __future__ import annotations

import os
import time
from datetime import datetime

from claims import age, citizenship, counts, dates, durations, names, places, quotes
from claims.context import BudgetSpent, ExtractContext
from claims.errors import InputError, InputWarning, stage_failure
from claims.entities import StoryEntities
from claims.model import Claim, Document

EXTRACTORS = [age, dates, durations, counts, citizenship, places, names, quotes]
ARTICLE_TIME_BUDGET_S = 5.0


def past(deadline: float | None) -> bool:
    """Whether a ``time.monotonic()`` deadline (None: none) has passed."""
    return deadline is not None and time.monotonic() > deadline


def story_reference_time(docs: list[Document]) -> datetime | None:
    """The median known publication time: the 'now' for articles that carry none."""
    times = sorted(d.article.published for d in docs if d.article.published)
    return times[len(times) // 2] if times else None


def extract_claims(docs: list[Document], entities: StoryEntities,
                   budget_s: float = ARTICLE_TIME_BUDGET_S, *, deadline: float | None = None,
                   problems: list[InputError] | None = None,
                   warnings: list[InputWarning] | None = None) -> list[Claim]:
    """Every claim of the story's documents, in order. ``deadline`` (a ``time.monotonic()``
    value) is the story's time limit: past it no further article is read (the caller sees it
    has passed and says so). With ``problems`` an extractor's failure on one article is listed
    there instead of raised; with ``warnings`` a spent budget is listed there."""
    fallback_time = story_reference_time(docs)
    rows: list[Claim] = []
    for doc in docs:
        if past(deadline):
            doc.truncated = True  # not read at all
            continue
        rows.extend(extract_article(doc, entities, doc.article.published or fallback_time, budget_s,
                                    deadline=deadline, problems=problems, warnings=warnings))
    for index, claim in enumerate(rows):
        claim.index = index
    return rows


def extract_article(doc: Document, entities: StoryEntities, reference_time: datetime | None,
                    budget_s: float = ARTICLE_TIME_BUDGET_S, *, deadline: float | None = None,
                    problems: list[InputError] | None = None,
                    warnings: list[InputWarning] | None = None) -> list[Claim]:
    """One article's claims, extractor by extractor, within its time budget (and the story's
    ``deadline``); see the module docstring for what a spent budget or a failure costs."""
    budget_end = time.monotonic() + budget_s
    ctx = ExtractContext(doc=doc, entities=entities, reference_time=reference_time,
                         deadline=min(budget_end, deadline) if deadline is not None else budget_end)
    rows: list[Claim] = []
    for module in EXTRACTORS:
        name = module.__name__.rsplit(".", 1)[-1]
        try:
            ctx.check_budget()
            rows.extend(module.extract(ctx))
        except BudgetSpent:
            doc.truncated = True
            if warnings is not None and not past(deadline):
                warnings.append(InputWarning(
                    doc.article.path, f"time budget of {budget_s:g} s per article spent in the {name} "
                    f"extractor; the rest of this article was not read for claims", stage=name))
            break
        except Exception as exc:  # noqa: BLE001 - one extractor failing on one article costs only that
            if problems is None or os.environ.get("CLAIMCHECK_DEBUG") == "1" or past(deadline):
                raise  # past the story's deadline it may be the caller's own time limit (a signal)
            problems.append(stage_failure(doc.article.path, name, exc))
    return rows
