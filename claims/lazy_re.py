"""Regexes compiled on first use, not at import.

The extractors hold a few hundred module-level regexes; compiling them all (``re``'s compiler is
Python code) cost about 60 ms of every process's start-up, including ``claimcheck --help`` and
the commands that never extract a claim, and a small story never touches some of them.
``lazy_compile`` returns a stand-in that compiles on the first attribute read, then keeps the
compiled pattern's methods as its own attributes, so later calls cost what the pattern's own do.
"""
from __future__ import annotations

import re

# what the stand-in copies from the compiled pattern on first use
_ATTRIBUTES = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner",
               "flags", "groups", "groupindex")


class LazyPattern:
    """A ``re.Pattern`` in waiting: ``pattern`` is there at once; anything else compiles it."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags

    @property
    def compiled(self) -> re.Pattern:
        return re.compile(self.pattern, self._flags)

    def __getattr__(self, name: str):
        # only called for attributes not yet set: the first use of a method
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self._flags)
        for attribute in _ATTRIBUTES:
            self.__dict__[attribute] = getattr(compiled, attribute)
        return getattr(compiled, name)

    def __reduce__(self):
        return (LazyPattern, (self.pattern, self._flags))

    def __repr__(self) -> str:
        return f"lazy_compile({self.pattern!r}, {self._flags!r})"


def lazy_compile(pattern: str, flags: int = 0) -> LazyPattern:
    return LazyPattern(pattern, flags)
