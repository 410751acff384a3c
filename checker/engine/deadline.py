"""The story's time limit: ``StoryTimeout`` says at which stage it ran out. The pipeline checks
the deadline between stages, articles and rules (``check_deadline``); inside the rules, loops a
hostile story can make quadratic are wrapped in ``within_time``, which reads the deadline that
``rules_deadline`` sets around them, so helpers that get no story context stop on time too."""
from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterable, Iterator


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
