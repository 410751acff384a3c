"""Which claims in different articles are about the same thing.

Claims are first blocked on exact keys (claim type, attribute, and the subject where the rule
asks for it), so no story ever loops over all claim pairs; inside a block, candidate pairs
come from an inverted index on context words, and a pair is aligned when the two contexts
share enough content words (count and Jaccard overlap, both thresholds set per rule).
"""
from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import pandas as pd


def blocks(claims: pd.DataFrame, keys: list[str]):
    """Yield (key, frame) for each block holding claims from at least two articles."""
    if claims.empty:
        return
    for key, frame in claims.groupby(keys, sort=True, dropna=False):
        if frame["article"].nunique() >= 2:
            yield key, frame


def aligned_pairs(frame: pd.DataFrame, min_shared: int, min_jaccard: float,
                  same_article: bool = False, max_df: float = 0.5) -> list[tuple[int, int, float]]:
    """Pairs (index_a, index_b, jaccard) of claims whose contexts overlap enough.

    Words that occur in more than ``max_df`` of the block's claims (and at least 5) carry no
    evidence of sameness and are not used to propose candidates.
    """
    contexts = {idx: set(str(ctx).split()) for idx, ctx in frame["context"].items()}
    articles = frame["article"].to_dict()
    if min_shared <= 0:
        pairs = combinations(frame.index, 2)
        return [(a, b, 1.0) for a, b in pairs if same_article or articles[a] != articles[b]]
    index: dict[str, list[int]] = defaultdict(list)
    for idx, words in contexts.items():
        for word in words:
            index[word].append(idx)
    limit = max(5, int(max_df * len(contexts)))
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for word, ids in index.items():
        if len(ids) > limit:
            continue
        for a, b in combinations(sorted(ids), 2):
            if same_article or articles[a] != articles[b]:
                shared[(a, b)] += 1
    out = []
    for (a, b), n in shared.items():
        if n < min_shared:
            continue
        union = len(contexts[a] | contexts[b]) or 1
        jaccard = len(contexts[a] & contexts[b]) / union
        if jaccard >= min_jaccard:
            out.append((a, b, jaccard))
    return out


def components(nodes, edges) -> list[list]:
    parent = {n: n for n in nodes}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict = defaultdict(list)
    for n in nodes:
        groups[find(n)].append(n)
    return [sorted(g) for g in groups.values()]
