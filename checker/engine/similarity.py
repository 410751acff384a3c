"""All-pairs string similarity, with and without numpy.

rapidfuzz's ``process.cdist`` scores every pair at once in C, but its result is a numpy array:
the first call imports numpy (about 50 ms) and starts OpenBLAS's threads, which then burn CPU
on the other core until the process exits. A single check of a small story scores a few hundred
pairs, which rapidfuzz's plain scorers do in a millisecond or two from Python; only past
``CDIST_MIN_PAIRS`` pairs is the array worth its start-up. Both paths give the same scores:
cdist stores them as float32, so the plain path rounds each score to float32 as well.
"""
from __future__ import annotations

import struct
from typing import Callable, Sequence

CDIST_MIN_PAIRS = 40_000  # below this many pairs, Python loops beat importing numpy

_FLOAT32 = struct.Struct("f")


def as_float32(value: float) -> float:
    """``value`` rounded to float32 and back, as a cdist cell holds it."""
    return _FLOAT32.unpack(_FLOAT32.pack(value))[0]


def score_matrix(queries: Sequence[str], choices: Sequence[str], scorer: Callable, score_cutoff: float,
                 *, upper_only: bool = False, workers: int = 1):
    """``m[i][j]``: ``scorer(queries[i], choices[j])``, 0 below ``score_cutoff``, as float32 values
    (exactly what ``process.cdist`` gives). With ``upper_only`` (``queries`` and ``choices`` the
    same list) only ``j >= i`` is filled on the plain path; read no other cell."""
    if len(queries) * len(choices) >= CDIST_MIN_PAIRS:
        from rapidfuzz import process

        return process.cdist(queries, choices, scorer=scorer, score_cutoff=score_cutoff, workers=workers)
    rows = []
    for i, query in enumerate(queries):
        start = i if upper_only else 0
        row = [0.0] * start
        row.extend(as_float32(scorer(query, choice, score_cutoff=score_cutoff)) for choice in choices[start:])
        rows.append(row)
    return rows


def pairs_scoring(queries: Sequence[str], choices: Sequence[str], scorer: Callable, score_cutoff: float,
                  *, workers: int = 1) -> list[tuple[int, int]]:
    """The (query index, choice index) pairs scoring above 0 with ``score_cutoff`` (cdist's
    ``nonzero()``), in row-major order."""
    if len(queries) * len(choices) >= CDIST_MIN_PAIRS:
        from rapidfuzz import process

        scores = process.cdist(queries, choices, scorer=scorer, score_cutoff=score_cutoff, workers=workers)
        return [(int(a), int(b)) for a, b in zip(*scores.nonzero())]
    return [(i, j) for i, query in enumerate(queries) for j, choice in enumerate(choices)
            if scorer(query, choice, score_cutoff=score_cutoff) > 0]
