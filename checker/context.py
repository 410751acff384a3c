"""What a rule kind gets besides its claims: the story's articles, documents and entities.

A rule-kind module in ``checker/`` exposes ``KIND`` (its name in rules.yaml), ``DEFAULTS``
(its parameters with default values; the type of each default is the type rules.yaml must
give), optionally ``REGEX_PARAMS`` and ``validate(rule, rules_dir)``, and
``check(rule, claims, ctx) -> list[Finding]`` where ``claims`` holds only the rule's claim types.
"""
from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from claims.entities import StoryEntities
from claims.model import Article, Document
from checker.findings import Evidence


def claim_rows(frame: pd.DataFrame) -> list:
    """``list(frame.itertuples())`` (the same namedtuples and values), several times faster:
    one ``tolist()`` per column instead of pandas' per-value boxing."""
    row = namedtuple("Pandas", ["Index", *frame.columns], rename=True)
    columns = [frame.index.tolist()] + [frame[c].tolist() for c in frame.columns]
    return list(map(row._make, zip(*columns)))


def grouped_rows(frame: pd.DataFrame, keys: list[str], dropna: bool = True) -> list[tuple[tuple, list]]:
    """``[(key, rows) for key, group in frame.groupby(keys)]`` with ``claim_rows`` rows, in the
    same order (keys sorted, rows in frame order). Plain Python: a story has hundreds of small
    groups, and pandas builds a DataFrame for each."""
    if frame.empty:
        return []
    rows = claim_rows(frame)
    fields = ["Index", *frame.columns]
    positions = [fields.index(k) for k in keys]
    by_key: dict[tuple, list] = {}
    for r in rows:
        by_key.setdefault(tuple(r[p] for p in positions), []).append(r)
    if all(isinstance(v, str) for key in by_key for v in key):
        return [(key, by_key[key]) for key in sorted(by_key)]
    # a missing value somewhere: pandas decides where (or whether) it goes
    row_of = {r.Index: r for r in rows}
    return [(key, [row_of[i] for i in group.index])
            for key, group in frame.groupby(keys, sort=True, dropna=dropna)]


@dataclass
class StoryContext:
    articles: dict[str, Article]
    docs: dict[str, Document]
    entities: StoryEntities
    claims: pd.DataFrame
    rules_dir: Path
    cache: dict = field(default_factory=dict)  # work shared by rule kinds (e.g. quote families)

    def span_evidence(self, article_id: str, start: int, end: int, *, value: str,
                      normalized: str, sentence: str = "") -> Evidence:
        """Evidence for ``article.text[start:end]``, with the article's outlet and time."""
        article = self.articles[article_id]
        return Evidence(
            article=article_id, text=article.text[start:end], start=start, end=end, value=value,
            normalized=normalized, sentence=sentence, outlet=article.outlet,
            published=article.published.isoformat(sep=" ") if article.published else None,
        )

    def evidence(self, row) -> Evidence:
        return self.span_evidence(row.article, int(row.start), int(row.end), value=row.value,
                                  normalized=str(row.normalized), sentence=row.sentence)

    def outlet(self, article_id: str) -> str:
        article = self.articles[article_id]
        return article.outlet or article_id

    def sources(self, article_ids) -> str:
        """"Outlet" per article, an outlet with several articles once with a count."""
        counts: dict[str, int] = {}
        for article_id in sorted(set(article_ids)):
            name = self.outlet(article_id)
            counts[name] = counts.get(name, 0) + 1
        return ", ".join(name if n == 1 else f"{name} x{n}" for name, n in counts.items())

    def later_note(self, earlier_ids, later_ids) -> str:
        """'(X is later)' when every article of one side was published after the other side."""
        def times(ids):
            return [self.articles[a].published for a in ids if self.articles[a].published]
        first, second = times(earlier_ids), times(later_ids)
        if not first or not second or len(first) != len(set(earlier_ids)) or len(second) != len(set(later_ids)):
            return ""
        if min(second) > max(first):
            return "later"
        if min(first) > max(second):
            return "earlier"
        return ""
