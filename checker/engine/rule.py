"""A rule as loaded from rules.yaml, and the rules in force with the story-level quote settings."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checker.engine.quote_families import SETTINGS


@dataclass
class Rule:
    """One rule: ``params`` holds every option of its kind (the defaults where rules.yaml gives
    none)."""

    id: str
    kind: str
    severity: str
    message: str
    claim_types: list[str]
    params: dict[str, Any] = field(default_factory=dict)
    enabled: bool = True
    description: str = ""
    source: str = ""  # file:line where the rule is defined
    # file:line of each claimcheck.yaml entry that changed the rule, in the order applied
    changed_by: list[str] = field(default_factory=list)
    # the folder a file named in the rule's options (a variants_file) is looked for first: the
    # folder of the file that set it (None: beside the rules file)
    base_dir: str | None = None


@dataclass
class RuleSet:
    path: str
    rules: list[Rule]
    # how quotes are aligned into families for the whole story (rules.yaml's 'quote_families:')
    quote_families: dict[str, Any] = field(default_factory=SETTINGS.defaults)
    # findings less severe than this are dropped (claimcheck.yaml's min_severity, --min-severity)
    min_severity: str = "info"
    # what claimcheck.yaml and the command line changed (file, select, ignore, min_severity) for
    # the report; None when the rules file is in force as it is
    settings: dict[str, Any] | None = None

    @property
    def enabled(self) -> list[Rule]:
        return [r for r in self.rules if r.enabled]
