"""The story built so far set aside from the garbage collector while the rules run.

CPython's full collections walk every object it tracks. The rules of a big story allocate in
bursts (word indexes, candidate pairs, facts) that set off several full collections, and each
walked the hundreds of thousands of objects extraction had built (articles, sentences,
claims), which the rules only read: on a story of 1,000 articles, a quarter of the rules'
time, growing faster than the story. ``gc.freeze()`` moves what exists into a permanent
generation that collections skip; ``gc.unfreeze()`` gives it back afterwards, so any garbage
among it is collected as before. Nothing is kept alive that would otherwise be freed, only
collected later. A process that froze objects itself (a server before forking) is left alone.
"""
from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0  # how many settled_heap blocks are open (threads, nesting); the first froze


@contextmanager
def settled_heap() -> Iterator[None]:
    """Within the block, full collections skip every object that existed when it began."""
    global _depth
    with _lock:
        ours = _depth > 0 or gc.get_freeze_count() == 0
        if ours:
            if _depth == 0:
                gc.freeze()
            _depth += 1
    try:
        yield
    finally:
        if ours:
            with _lock:
                _depth -= 1
                if _depth == 0:
                    gc.unfreeze()
