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


@dataclass
class RuleSet:
    path: str
    rules: list[Rule]
    # how quotes are aligned into families for the whole story (rules.yaml's 'quote_families:')
    quote_families: dict[str, Any] = field(default_factory=SETTINGS.defaults)

    @property
    def enabled(self) -> list[Rule]:
        return [r for r in self.rules if r.enabled]
