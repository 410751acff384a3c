"""Findings: what a rule reports, with verbatim evidence from every source involved.

A finding's ``id`` is a fingerprint of what the conflict is (rule, claim type, subject and the
conflicting values or wording), never of where it was found, so checking the story again, or
adding unrelated articles, gives the same id. ``evidence_hash`` changes when the evidence does:
a source added or dropped, or the words of a claim edited in an article. It ignores offsets, so
an edit elsewhere in an article (a paragraph added above the claim) does not reopen a reviewed
finding.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1, "never": 99}


def subject_label(finding: dict) -> str:
    """What a finding is about, for a report line: "age: Kennedy", or "count (whole story)" for a
    finding with no subject of its own (a toll only one source gives, a negated statement)."""
    claim_type, subject = finding.get("claim_type") or "", finding.get("subject") or ""
    return f"{claim_type}: {subject}" if subject else f"{claim_type} (whole story)"


@dataclass
class Evidence:
    article: str
    text: str  # verbatim from the article: article_text[start:end]
    start: int
    end: int
    value: str  # the claim's value as written
    normalized: str
    sentence: str = ""
    outlet: str | None = None
    published: str | None = None


@dataclass
class Finding:
    rule: str
    kind: str
    severity: str
    claim_type: str
    subject: str
    message: str
    evidence: list[Evidence]
    key: tuple = ()  # what the conflict is; hashed into the id
    confidence: float = 0.8
    details: dict[str, Any] = field(default_factory=dict)
    id: str = ""
    evidence_hash: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = fingerprint(self.rule, self.claim_type, self.subject, *self.key)
        if not self.evidence_hash:
            self.evidence_hash = evidence_fingerprint(self.evidence)

    @property
    def articles(self) -> list[str]:
        return sorted({e.article for e in self.evidence})

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("key")
        return data


def fingerprint(*parts: Any) -> str:
    text = "\x1f".join(str(p).strip().lower() for p in parts)
    return "cc-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def evidence_fingerprint(evidence: list[Evidence]) -> str:
    return fingerprint(*sorted({f"{e.article}\x1e{e.text}\x1e{e.normalized}" for e in evidence}))


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-SEVERITY_RANK[f.severity], f.rule, f.subject, f.id))


class _KeepUnknown(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def format_message(template: str, **values: Any) -> str:
    """Fill a rule's message template; an unknown placeholder stays as written, never an error."""
    return template.format_map(_KeepUnknown(values))
