"""The real wire corpus (internal testing only: read from ../shared, skipped when absent)."""
from __future__ import annotations

import pytest

from checker.pipeline import check_story
from tests.helpers import DUC

STORIES = sorted(p for p in DUC.glob("D0*") if p.is_dir()) if DUC.exists() else []


@pytest.mark.skipif(not STORIES, reason="DUC corpus not present in ../shared")
def test_all_duc_stories_check_with_verbatim_evidence():
    total_serious = 0
    for story in STORIES:
        result = check_story(story)
        assert not result.problems, result.problems
        texts = {a.id: a.text for a in result.story.articles}
        for finding in result.findings:
            for e in finding.evidence:
                assert texts[e.article][e.start:e.end] == e.text, (story.name, finding.id)
        total_serious += sum(f.severity in ("error", "warning") for f in result.findings)
    # the noise ceiling: at most 15 warnings+errors per story on average
    assert total_serious / len(STORIES) <= 15
