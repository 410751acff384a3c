"""Articles that repeat one another word for word (wire copy run by many outlets).

value_conflict and quote_paraphrase compare each repeated claim once, standing for all its
copies (checker.engine.align.copy_groups); these tests check that the findings stay what they are
and cite every copy.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from checker.pipeline.check import check_story
from helpers import story_with_toll_conflict

COPIES = 3


def with_copies(story: Path, folder: Path, copies: int = COPIES) -> Path:
    """``story`` with each article carried ``copies`` times under new ids."""
    out = folder / f"{story.name}-copies"
    out.mkdir()
    meta = json.loads((story / "meta.json").read_text(encoding="utf-8"))
    articles = []
    for article in meta["articles"]:
        for n in range(copies):
            copy = dict(article, id=f"{article['id']}-{n}", file=f"{Path(article['file']).stem}-{n}.txt")
            shutil.copy(story / article["file"], out / copy["file"])
            articles.append(copy)
    meta["articles"] = articles
    (out / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return out


def count_conflicts(story: Path) -> list:
    return [f for f in check_story(story).findings if f.rule == "count-conflict"]


def test_copied_articles_keep_the_conflict_and_cite_every_copy(tmp_path):
    story = story_with_toll_conflict(tmp_path)
    [single] = count_conflicts(story)
    [copied] = count_conflicts(with_copies(story, tmp_path))
    assert copied.id == single.id
    cited = {(e.article, e.text) for e in copied.evidence}
    expected = {(f"{e.article}-{n}", e.text) for e in single.evidence for n in range(COPIES)}
    assert cited == expected
    assert len(copied.evidence) == COPIES * len(single.evidence)


def test_an_article_giving_both_values_is_not_a_disagreement_even_in_copies(tmp_path):
    story = story_with_toll_conflict(tmp_path)
    paper = story / "paper-b.txt"
    twelve = (story / "wire-a.txt").read_text(encoding="utf-8").splitlines()[2]
    assert "killed 12 sailors" in twelve
    paper.write_text(paper.read_text(encoding="utf-8") + "\n\n" + twelve + "\n", encoding="utf-8")
    # paper-b now also gives the others' 12, so its 14 is one more figure of the story
    assert count_conflicts(story) == []
    assert count_conflicts(with_copies(story, tmp_path)) == []


def test_copies_of_the_only_articles_still_conflict_across_articles(tmp_path):
    """Two articles, each copied: every copy of one against every copy of the other."""
    story = story_with_toll_conflict(tmp_path)
    meta = json.loads((story / "meta.json").read_text(encoding="utf-8"))
    meta["articles"] = [a for a in meta["articles"] if a["file"] in ("wire-a.txt", "paper-b.txt")]
    (story / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    (story / "site-c.txt").unlink()
    [copied] = count_conflicts(with_copies(story, tmp_path))
    assert {e.normalized for e in copied.evidence} == {"12", "14"}
    assert len({e.article for e in copied.evidence}) == 2 * COPIES
