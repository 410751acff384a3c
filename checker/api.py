"""A small Python API for notebooks: check a story and read its claims and findings as pandas
DataFrames.

    from checker import api

    story = api.check("examples/maks-returns-to-poland")
    story.findings      # one row per finding: id, rule, kind, severity, subject, message, ...
    story.evidence      # one row per piece of evidence: finding_id, article, outlet, text, ...
    story.claims        # one row per extracted claim (the columns of ``claimcheck claims``)
    story.data          # the JSON report (``claimcheck check --format json``) as a dict

    api.claims("examples/maks-returns-to-poland")   # the claims alone, no rules applied

The frames hold what the JSON report holds, so a notebook and the command line agree. pandas is
imported only when a frame is first asked for.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claims.model import CLAIM_COLUMNS
from claims.read import Story
from checker.engine.rule import RuleSet
from checker.pipeline.check import StoryResult, check_story, extract_story, result_to_dict
from checker.pipeline.rules_file import load_rules
from checker.report.claims_table import claims_records

if TYPE_CHECKING:
    import pandas as pd

FINDING_COLUMNS = ["id", "rule", "kind", "severity", "claim_type", "subject", "message", "confidence",
                   "articles", "evidence_hash", "details"]
EVIDENCE_COLUMNS = ["finding_id", "rule", "severity", "article", "outlet", "published", "value", "normalized",
                    "start", "end", "text", "sentence"]


@dataclass
class CheckedStory:
    """A checked story: the pipeline's ``result``, its JSON report ``data`` and, built on first
    use, the frames ``findings``, ``evidence`` and ``claims``."""

    result: StoryResult
    data: dict[str, Any]
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict, init=False, repr=False)

    @property
    def problems(self) -> list[str]:
        """The story's input problems, one line each (as ``claimcheck check`` prints them)."""
        return [str(p) for p in self.result.problems]

    @property
    def findings(self) -> pd.DataFrame:
        if "findings" not in self._frames:
            rows = [{**{c: f.get(c) for c in FINDING_COLUMNS},
                     "articles": sorted({e["article"] for e in f["evidence"]})} for f in self.data["findings"]]
            self._frames["findings"] = _frame(rows, FINDING_COLUMNS)
        return self._frames["findings"]

    @property
    def evidence(self) -> pd.DataFrame:
        if "evidence" not in self._frames:
            rows = [{"finding_id": f["id"], "rule": f["rule"], "severity": f["severity"],
                     **{c: e.get(c) for c in EVIDENCE_COLUMNS[3:]}}
                    for f in self.data["findings"] for e in f["evidence"]]
            self._frames["evidence"] = _frame(rows, EVIDENCE_COLUMNS)
        return self._frames["evidence"]

    @property
    def claims(self) -> pd.DataFrame:
        if "claims" not in self._frames:
            self._frames["claims"] = _frame(claims_records(self.result.claims), CLAIM_COLUMNS)
        return self._frames["claims"]


def check(story: str | Path | Story, rules: str | Path | RuleSet | None = None, *,
          timeout: float | None = None) -> CheckedStory:
    """Check a story (a folder, a feed file, or a ``Story`` already read) with ``rules`` (a rules
    file, a loaded ``RuleSet``, or None for the shipped rules.yaml). With ``timeout`` (seconds)
    the check stops there and the result holds what was done, the time limit among its
    ``problems``, as ``claimcheck check --timeout`` does."""
    ruleset = rules if isinstance(rules, RuleSet) else load_rules(rules)
    deadline = time.monotonic() + timeout if timeout is not None else None
    result = check_story(story, ruleset, deadline=deadline, keep_partial=deadline is not None)
    return CheckedStory(result, result_to_dict(result))


def claims(story: str | Path | Story) -> pd.DataFrame:
    """The story's extracted claims, no rules applied (``claimcheck claims --format json``)."""
    return _frame(claims_records(extract_story(story).claims), CLAIM_COLUMNS)


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    import pandas as pd  # only here: the command line never needs it

    return pd.DataFrame(rows, columns=columns)
