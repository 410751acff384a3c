"""A small Python API for notebooks: check a story and read its claims and findings as pandas
DataFrames.

    from checker import api

    story = api.check("examples/maks-returns-to-poland")
    story.findings      # one row per finding: id, rule, kind, severity, subject, message, ...
    story.evidence      # one row per piece of evidence: finding_id, article, outlet, text, ...
    story.claims        # one row per extracted claim (the columns of ``claimcheck claims``)
    story.facts         # one row per fact and value (``claimcheck facts``): status, support, outlets
    story.data          # the JSON report (``claimcheck check --format json``) as a dict
    story.explain(value="118")          # why claims were or were not flagged (``claimcheck explain``)
    api.check(story_path, ours="draft.txt")   # a pre-publication check (``claimcheck check --ours``)

    api.claims("examples/maks-returns-to-poland")   # the claims alone, no rules applied
    api.facts("examples/maks-returns-to-poland")    # the fact sheet alone

The settings file is read as the command line reads it: the nearest ``claimcheck.yaml``
(``.claimcheck.yaml``, ``pyproject.toml`` with ``[tool.claimcheck]``) beside the story or above
it, else from the working directory; ``config=`` names one, ``isolated=True`` reads none, and
``select=``, ``ignore=``, ``min_severity=`` are ``--select``, ``--ignore``, ``--min-severity``.
A ``RuleSet`` passed as ``rules`` is used as it is.

The frames hold what the JSON report holds, so a notebook and the command line agree. pandas is
imported only when a frame is first asked for.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claims.model import CLAIM_COLUMNS, claim_id
from claims.read import Story
from checker.engine.rule import RuleSet
from checker.pipeline.check import StoryResult, check_story, extract_story, result_to_dict
from checker.pipeline.explain import Explanation, explain_at, explain_claim, explain_value
from checker.pipeline.config import load_settings
from checker.report.claims_table import claims_records

if TYPE_CHECKING:
    import pandas as pd

FINDING_COLUMNS = ["id", "rule", "kind", "severity", "claim_type", "subject", "message", "confidence",
                   "articles", "evidence_hash", "details"]
FACT_COLUMNS = ["fact", "status", "severity", "kind", "about", "attribute", "value", "normalized", "support",
                "first_seen", "last_seen", "articles", "outlets"]
EVIDENCE_COLUMNS = ["finding_id", "rule", "severity", "article", "outlet", "published", "value", "normalized",
                    "start", "end", "text", "sentence", "ours"]
CLAIM_FRAME_COLUMNS = ["id", *CLAIM_COLUMNS]  # the claim's id is what ``explain(claim=...)`` takes


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
                     **{c: e.get(c) for c in EVIDENCE_COLUMNS[3:]}, "ours": bool(e.get("ours"))}
                    for f in self.data["findings"] for e in f["evidence"]]
            self._frames["evidence"] = _frame(rows, EVIDENCE_COLUMNS)
        return self._frames["evidence"]

    @property
    def claims(self) -> pd.DataFrame:
        if "claims" not in self._frames:
            self._frames["claims"] = _claims_frame(self.result.claims)
        return self._frames["claims"]

    @property
    def facts(self) -> pd.DataFrame:
        """One row per value of each fact (the fact sheet, ``claimcheck facts``): the fact's id,
        status and label, the value, how many independent sources give it, and who."""
        if "facts" not in self._frames:
            rows = []
            for fact in self.data["facts"]:
                for value in fact["values"]:
                    outlets: list[str] = []
                    for source in value["sources"]:
                        name = source["outlet"] or source["article"]
                        if name not in outlets:
                            outlets.append(name)
                    rows.append({"fact": fact["id"], "status": fact["status"], "severity": fact["severity"],
                                 "kind": fact["kind"], "about": fact["about"], "attribute": fact["attribute"],
                                 "value": value["value"], "normalized": value["normalized"],
                                 "support": value["support"], "first_seen": value["first_seen"],
                                 "last_seen": value["last_seen"],
                                 "articles": sorted({s["article"] for s in value["sources"]}), "outlets": outlets})
            self._frames["facts"] = _frame(rows, FACT_COLUMNS)
        return self._frames["facts"]

    @property
    def ours(self) -> str | None:
        """Our article's id in a pre-publication check (``check(..., ours=...)``), else None."""
        return self.result.ours

    @property
    def not_shown(self) -> int:
        """Findings between other sources a pre-publication check left out."""
        return len(self.result.other_findings)

    def explain(self, value: str | None = None, *, claim: str | None = None,
                at: tuple[str, str] | None = None) -> Explanation:
        """Why claims were or were not flagged, as ``claimcheck explain`` says it: give one of
        ``value`` ("118"), ``claim`` (an id of the ``claims`` frame, "c17") or ``at`` (two
        "ARTICLE:OFFSET"). ``print(answer.text())`` reads it; ``answer.to_dict()`` is the JSON."""
        if sum(x is not None for x in (value, claim, at)) != 1:
            raise ValueError("give one of value=, claim= or at=")
        if value is not None:
            return explain_value(self.result, str(value))
        if claim is not None:
            return explain_claim(self.result, claim)
        first, second = at
        return explain_at(self.result, first, second)


def _near(story: str | Path | Story) -> list[Path]:
    path = story.path if isinstance(story, Story) else story
    return [Path(path)] if path else []


def rules_in_force(story: str | Path | Story, rules: str | Path | RuleSet | None = None, *,
                   config: str | Path | None = None, isolated: bool = False, select: list[str] | None = None,
                   ignore: list[str] | None = None, min_severity: str | None = None) -> RuleSet:
    """The rules ``claimcheck check`` would apply to ``story``: the rules file (``rules``, else
    the shipped one) with the settings file (``config``, else the one nearest the story or the
    working directory, unless ``isolated``) and the selection applied. InputError for a bad file
    or selector, as the command line's one-line error."""
    if isinstance(rules, RuleSet):
        return rules
    return load_settings(rules, config=config, isolated=isolated, near=_near(story), select=select,
                         ignore=ignore, min_severity=min_severity)


def check(story: str | Path | Story, rules: str | Path | RuleSet | None = None, *,
          timeout: float | None = None, ours: str | Path | None = None, config: str | Path | None = None,
          isolated: bool = False, select: list[str] | None = None, ignore: list[str] | None = None,
          min_severity: str | None = None) -> CheckedStory:
    """Check a story (a folder, a feed file, or a ``Story`` already read) with ``rules`` (a rules
    file, a loaded ``RuleSet``, or None for the shipped rules.yaml) and the settings file in
    force (``rules_in_force``: ``config``, ``isolated``, ``select``, ``ignore``,
    ``min_severity`` as on the command line). With ``timeout`` (seconds)
    the check stops there and the result holds what was done, the time limit among its
    ``problems``, as ``claimcheck check --timeout`` does. With ``ours`` (a file of the story, an
    article id, or a draft outside it) it is a pre-publication check, as ``claimcheck check
    --ours`` does: the findings are those involving our article, worded to us."""
    ruleset = rules_in_force(story, rules, config=config, isolated=isolated, select=select, ignore=ignore,
                             min_severity=min_severity)
    deadline = time.monotonic() + timeout if timeout is not None else None
    result = check_story(story, ruleset, deadline=deadline, keep_partial=deadline is not None, ours=ours)
    return CheckedStory(result, result_to_dict(result))


def claims(story: str | Path | Story, rules: str | Path | RuleSet | None = None, *,
           config: str | Path | None = None, isolated: bool = False) -> pd.DataFrame:
    """The story's extracted claims, no rules applied (``claimcheck claims --format json``); as
    there, a bad rules or settings file is an error all the same."""
    rules_in_force(story, rules, config=config, isolated=isolated)
    return _claims_frame(extract_story(story).claims)


def facts(story: str | Path | Story, rules: str | Path | RuleSet | None = None, *,
          config: str | Path | None = None, isolated: bool = False, select: list[str] | None = None,
          ignore: list[str] | None = None, timeout: float | None = None) -> pd.DataFrame:
    """The story's fact sheet (``claimcheck facts``), one row per value of each fact: the
    ``facts`` frame of ``check`` with the same arguments."""
    return check(story, rules, timeout=timeout, config=config, isolated=isolated, select=select,
                 ignore=ignore).facts


def _claims_frame(found: list) -> pd.DataFrame:
    records = [{"id": claim_id(c), **r} for c, r in zip(found, claims_records(found))]
    return _frame(records, CLAIM_FRAME_COLUMNS)


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    import pandas as pd  # only here: the command line never needs it

    return pd.DataFrame(rows, columns=columns)
