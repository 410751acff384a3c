"""Every rule kind's cases are data: tests/fixtures/rules/<kind>.yaml (a rule, a few articles,
the findings expected). Adding a case needs no code."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from claims.clean import clean
from claims.entities import StoryEntities
from claims.extract import extract_claims
from checker.engine.context import StoryContext
from checker.pipeline.check import apply_rules
from checker.pipeline.rules_file import load_rules
from tests.helpers import article, load_cases

CASES = load_cases("rules")


def run_case(case, tmp_path: Path):
    rules_file = tmp_path / "rules.yaml"
    rules_file.write_text(yaml.safe_dump({"rules": [case["rule"]]}), encoding="utf-8")
    rules = load_rules(rules_file)
    arts = [article(a["text"], a["id"], a.get("published"), a.get("outlet")) for a in case["articles"]]
    docs = [clean(a) for a in arts]
    entities = StoryEntities(docs)
    claims = extract_claims(docs, entities)
    ctx = StoryContext(articles={a.id: a for a in arts}, docs={d.article.id: d for d in docs},
                       entities=entities, claims=claims, rules_dir=tmp_path, quote_settings=rules.quote_families)
    return apply_rules(rules, ctx)


def _matches(finding, expected: dict) -> bool:
    for key, want in expected.items():
        if key == "evidence_contains":
            texts = " | ".join(e.text + " " + e.sentence for e in finding.evidence)
            if not all(w in texts for w in want):
                return False
        elif key == "message_contains":
            if not all(w in finding.message for w in want):
                return False
        elif key == "articles":
            if sorted(want) != finding.articles:
                return False
        elif str(getattr(finding, key)) != str(want):
            return False
    return True


@pytest.mark.parametrize("case", [c[2] for c in CASES], ids=[c[0] for c in CASES])
def test_rule_case(case, tmp_path):
    findings = run_case(case, tmp_path)
    described = [(f.severity, f.message) for f in findings]
    for expected in case.get("expect", []):
        assert any(_matches(f, expected) for f in findings), f"expected {expected}; got {described}"
    if "findings" in case:
        assert len(findings) == case["findings"], described
