"""Input problems. Each names the file and says what is wrong in one line."""
from __future__ import annotations


class InputError(Exception):
    """A problem with one input file (article, meta.json, rules file).

    ``line`` is 1-based when known.
    """

    def __init__(self, path: str, problem: str, line: int | None = None):
        self.path = str(path)
        self.problem = problem
        self.line = line
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {problem}")
