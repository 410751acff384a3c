"""Input problems. Each names the file and says what is wrong in one line.

A problem (``InputError``) means something was not checked: a file refused, a record skipped, a
stage that failed on one article or story. It is listed in the report and makes the run exit 2.
A warning (``InputWarning``) means the input was read with a guess (an encoding, a date) and
everything was still checked; it is listed and printed but does not change the exit code.
"""
from __future__ import annotations


class InputError(Exception):
    """A problem with one input file (article, meta.json, feed, rules file) or one stage on it.

    ``line`` is 1-based when known (for a feed, the record's line); ``stage`` names the step
    that failed when the input was read but a later step could not handle it ("dates",
    "rule date-conflict").
    """

    def __init__(self, path: str, problem: str, line: int | None = None, stage: str | None = None):
        self.path = str(path)
        self.problem = problem
        self.line = line
        self.stage = stage
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {problem}")

    def to_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "problem": self.problem, "stage": self.stage}


class InputWarning(InputError):
    """Read, but with a guess the user should know about (an encoding, an ambiguous date)."""


def stage_failure(path: str, stage: str, exc: BaseException) -> InputError:
    """The problem for an exception raised inside one stage on one input: the stage and the error
    class in one line, so a crash in one extractor or rule costs that line, not the report."""
    message = " ".join(str(exc).split())[:200]
    return InputError(path, f"{stage} failed: {type(exc).__name__}" + (f": {message}" if message else ""),
                      stage=stage)
