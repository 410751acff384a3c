"""A rule as loaded from rules.yaml, and the rules in force."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Rule:
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

    @property
    def enabled(self) -> list[Rule]:
        return [r for r in self.rules if r.enabled]
