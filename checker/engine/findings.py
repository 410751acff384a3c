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
import string
from dataclasses import asdict, dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")
# what a fact-checker can decide about a finding (the review store records it, the reports show it)
REVIEW_STATUSES = ("open", "confirmed", "dismissed", "corrected", "follow-up")
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}


def dismissed(finding: dict) -> bool:
    """Whether a fact-checker dismissed the finding (a finding as the JSON report holds it, with
    its review attached): ``--fail-on`` does not count it, "Fix before publishing" does not list
    it, and the nightly run does not call it new."""
    return (finding.get("review") or {}).get("status") == "dismissed"


def subject_label(finding: dict) -> str:
    """What a finding is about, for a report line: "age: Kennedy", or "count (whole story)" for a
    finding with no subject of its own (a toll only one source gives, a negated statement). A
    count is the story's, never the person nearest it in a sentence (whose name would label an
    injured count with a victim's)."""
    claim_type, subject = finding.get("claim_type") or "", finding.get("subject") or ""
    if claim_type == "count":
        subject = ""
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
    fact: str | None = None  # the story fact a value rule's finding is about (checker.engine.facts)

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
        if data["fact"] is None:
            data.pop("fact")  # only value rules' findings are about a fact
        return data


def fingerprint(*parts: Any) -> str:
    text = "\x1f".join(str(p).strip().lower() for p in parts)
    return "cc-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def evidence_fingerprint(evidence: list[Evidence]) -> str:
    return fingerprint(*sorted({f"{e.article}\x1e{e.text}\x1e{e.normalized}" for e in evidence}))


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-SEVERITY_RANK[f.severity], f.rule, f.subject, f.id))


_FORMATTER = string.Formatter()


def message_placeholders(template: str) -> list[str]:
    """The placeholder names of a message template, in order of appearance.

    Only plain ``{name}`` placeholders are allowed, and ``{{`` / ``}}`` for literal braces. Anything
    else raises ValueError saying what is wrong: the rules file is checked with this when it is
    loaded, so a template can never fail later, half-way through a report.
    """
    try:
        parsed = list(_FORMATTER.parse(template))
    except ValueError as exc:
        if "Single '}'" in str(exc):
            raise ValueError("a '}' with no '{' before it (write '}}' for a literal brace)") from None
        raise ValueError("a '{' that is never closed (write '{{' for a literal brace)") from None
    names = []
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        shown = "{" + name + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}"
        if name == "" or name.isdigit():
            raise ValueError(f"positional placeholder {shown}: name a field instead, such as {{subject}}")
        if "." in name or "[" in name:
            raise ValueError(f"placeholder {shown}: attribute or index access is not allowed, only plain {{name}}")
        if not name.isidentifier():
            raise ValueError(f"placeholder {shown} is not a name (letters, digits and _, no spaces)")
        if conversion is not None:
            raise ValueError(f"placeholder {shown}: conversions (!r, !s, !a) are not allowed, only plain {{name}}")
        if spec:
            raise ValueError(f"placeholder {shown}: format specifications are not allowed, only plain {{name}}")
        names.append(name)
    return names


def format_message(template: str, **values: Any) -> str:
    """Fill a rule's message template. Never an error: a placeholder with no value, or one that is
    more than a plain ``{name}``, stays as written, and a malformed template is shown as it is
    (a rules file is checked when loaded; a rule built in code is not)."""
    try:
        parsed = list(_FORMATTER.parse(template))
    except ValueError:
        return template
    out = []
    for literal, name, spec, conversion in parsed:
        out.append(literal)
        if name is None:
            continue
        if name in values and not spec and conversion is None:
            out.append(str(values[name]))
        else:
            out.append("{" + name + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}")
    return "".join(out)
