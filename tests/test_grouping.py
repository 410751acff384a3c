"""Automatic story grouping (checker/grouping.py): fixtures, time window, bridge articles, story
ids, stable ids, and the DUC pool (skipped when the internal corpus is absent)."""
from __future__ import annotations

import dataclasses
import importlib.util
import json
import random
import time
from datetime import timedelta

import pytest

from checker.nightly.grouping import (
    DEFAULT_THRESHOLD, _prepare, _similarities, features, format_groups,
    group_articles,
)
from claims.model import Article
from claims.read import read_story
from tests.helpers import DUC, FIXTURES, ROOT

FIRE = read_story(FIXTURES / "stories" / "harbour-fire").articles
BRIDGE = read_story(FIXTURES / "stories" / "bridge-collapse").articles
FIRE_IDS = {"wire-a", "paper-b", "site-c"}
BRIDGE_IDS = {"daily-d", "radio-e", "gazette-f"}


def members(groups) -> list[set[str]]:
    return sorted(({a.id for a in g.articles} for g in groups), key=sorted)


def shuffled(items, seed):
    items = list(items)
    random.Random(seed).shuffle(items)
    return items


def test_mixed_feed_of_two_stories_groups_correctly_with_stable_ids():
    # the stories share generic vocabulary (harbour, port, killed, firefighters, investigators,
    # "the port will remain closed until Friday", officials said) and the same days
    runs = [group_articles(shuffled(FIRE + BRIDGE, seed)) for seed in range(6)]
    for groups in runs:
        assert members(groups) == sorted([FIRE_IDS, BRIDGE_IDS], key=sorted)
    ids = [[g.id for g in groups] for groups in runs]
    assert all(i == ids[0] for i in ids)
    assert all(i.startswith("auto-") and len(i.rsplit("-", 1)[1]) == 6 for i in ids[0])
    by_members = {frozenset(a.id for a in g.articles): g.id for g in runs[0]}
    assert "murmansk" in by_members[frozenset(FIRE_IDS)]
    assert "duisburg" in by_members[frozenset(BRIDGE_IDS)]
    # the same articles give the same id in another feed too
    alone = group_articles(FIRE)
    assert [g.id for g in alone] == [by_members[frozenset(FIRE_IDS)]]


def test_reasons_for_every_article():
    groups = group_articles(shuffled(FIRE + BRIDGE, 1))
    for g in groups:
        assert set(g.reasons) == {a.id for a in g.articles}
        assert g.reasons[g.articles[0].id] == "first article of the group"
        for a in g.articles[1:]:
            reason = g.reasons[a.id]
            assert reason.startswith("shares ") and "similarity 0." in reason and "day" in reason
    fire = next(g for g in groups if {a.id for a in g.articles} == FIRE_IDS)
    assert any("'Murmansk'" in r for r in fire.reasons.values())
    assert any("'Polar Star'" in r or "'Dmitri Ustinov'" in r for r in fire.reasons.values())
    text = format_groups(groups)
    assert all(a.id in text for g in groups for a in g.articles)


def _months_later(article: Article, days: int) -> Article:
    """A second fire in the same port months later: another ship, another toll."""
    text = (article.text.replace("March 3", "July 2").replace("Polar Star", "Arctic Dawn")
            .replace("12", "7").replace("six hours", "two days"))
    return dataclasses.replace(article, id=article.id + "-july", text=text,
                               published=article.published + timedelta(days=days))


def test_time_window_separates_similar_events_far_apart():
    later = [_months_later(a, 120) for a in FIRE]  # another fire on the same ship, months later
    feed = shuffled(FIRE + later, 3)
    assert members(group_articles(feed)) == sorted(
        [FIRE_IDS, {i + "-july" for i in FIRE_IDS}], key=sorted)
    # the text alone would join them: only the window keeps them apart
    assert len(group_articles(feed, window=timedelta(days=365))) == 1


def test_articles_without_a_time_still_group():
    undated = [dataclasses.replace(a, published=None) for a in BRIDGE]
    groups = group_articles(shuffled(FIRE + undated, 4))
    assert members(groups) == sorted([FIRE_IDS, BRIDGE_IDS], key=sorted)
    bridge = next(g for g in groups if g.articles[0].id in BRIDGE_IDS)
    assert any("no publication time" in r for r in bridge.reasons.values())
    everything_undated = [dataclasses.replace(a, published=None) for a in FIRE + BRIDGE]
    assert members(group_articles(everything_undated)) == sorted([FIRE_IDS, BRIDGE_IDS], key=sorted)


ROUNDUP = (
    "Two disasters in one week\n\n"
    "A fire on the cargo ship Polar Star killed 12 sailors in Murmansk harbour on March 3, and "
    "harbour master Dmitri Ustinov said the port will stay shut until Friday. In Germany, the "
    "Karl-Lehr bridge collapsed into Duisburg harbour, killing four people; city engineer Petra "
    "Vogel said cracks were found in the girders last year."
)


def test_bridge_article_does_not_chain_two_stories():
    roundup = Article(id="roundup", path="roundup.txt", text=ROUNDUP, published=FIRE[0].published)
    feed = FIRE + BRIDGE + [roundup]
    # the roundup is strongly similar to both stories: single linkage would chain them
    docs = _prepare(feed, 3 * 86400)
    edges = _similarities(docs, 3 * 86400, 0.0)
    r = next(d.index for d in docs if d.article.id == "roundup")
    linked = {docs[j].article.id for j, s in edges[r].items() if s >= DEFAULT_THRESHOLD}
    assert linked & FIRE_IDS and linked & BRIDGE_IDS
    for seed in range(4):
        groups = group_articles(shuffled(feed, seed))
        for g in groups:
            ids = {a.id for a in g.articles}
            assert not (ids & FIRE_IDS and ids & BRIDGE_IDS), format_groups(groups)
        assert FIRE_IDS <= next(m for m in members(groups) if "wire-a" in m)
        assert BRIDGE_IDS <= next(m for m in members(groups) if "daily-d" in m)


def test_max_group_caps_group_size():
    copies = [dataclasses.replace(a, id=f"{a.id}-{k}") for k in range(3) for a in FIRE]
    groups = group_articles(copies, max_group=4)
    assert max(len(g.articles) for g in groups) <= 4
    assert sum(len(g.articles) for g in groups) == len(copies)


def test_given_story_ids_override_and_others_may_join():
    feed = shuffled(FIRE + BRIDGE, 5)
    # force wire-a into its own story, and put radio-e with the fire articles
    given = {"wire-a": "desk-1", "paper-b": "desk-2", "radio-e": "desk-2"}
    groups = group_articles(feed, story_ids=given)
    got = {g.id: {a.id for a in g.articles} for g in groups}
    assert got["desk-1"] >= {"wire-a"} and not got["desk-1"] & {"paper-b", "radio-e"}
    assert got["desk-2"] >= {"paper-b", "radio-e"}
    for g in groups:
        for a in g.articles:
            if a.id in given:
                assert g.reasons[a.id] == f"story id '{given[a.id]}' given in the feed"
            assert g.reasons[a.id]
    # the undated, unlabelled bridge articles still group among themselves or with desk-2
    assert {"daily-d", "gazette-f"} <= next(m for m in got.values() if "daily-d" in m)


def test_records_with_and_without_story_ids(tmp_path):
    from checker.nightly.inbox import feed_articles

    records = [{"id": a.id, "outlet": a.outlet, "published": a.published.isoformat(),
                "title": a.title, "text": a.text, "story_id": "fire" if a.id == "wire-a" else ""}
               for a in FIRE]
    feed = tmp_path / "wire.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    problems: list = []
    read = feed_articles(feed, problems)
    articles = [article for _, article in read]
    story_ids = {article.id: story for story, article in read if story}
    assert problems == []
    assert [a.id for a in articles] == [a.id for a in FIRE] and story_ids == {"wire-a": "fire"}
    groups = group_articles(articles, story_ids=story_ids)
    assert [(g.id, len(g.articles)) for g in groups] == [("fire", 3)]


def test_duplicate_ids_rejected_and_empty_feed():
    assert group_articles([]) == []
    with pytest.raises(ValueError):
        group_articles([FIRE[0], FIRE[0]])


def test_hostile_text_is_linear():
    nasty = ("A" + "-A" * 20000 + " ") + ("1," * 20000) + " " + ("Ab " * 20000) + ("x'" * 20000) \
        + "A." * 20000 + " " + "1 " * 20000
    start = time.perf_counter()
    features(Article(id="x", path="x", text=nasty))
    assert time.perf_counter() - start < 1.0


def _bench():
    spec = importlib.util.spec_from_file_location("bench_grouping", ROOT / "bench" / "grouping.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench


@pytest.mark.skipif(not DUC.exists(), reason="DUC corpus not present in ../shared")
def test_duc_pool_bcubed_floor_and_order_independence():
    bench = _bench()
    articles, truth = bench.load_pool(DUC)
    groups = group_articles(articles)
    s = bench.scores(groups, truth)
    # measured 0.833 B-cubed F1 (P 0.869, R 0.800) with the defaults; docs/grouping.md
    assert s["b3_f1"] >= 0.80, s
    assert s["b3_p"] >= 0.84, s
    again = group_articles(shuffled(articles, 7))
    assert [(g.id, [a.id for a in g.articles], g.reasons) for g in again] == \
        [(g.id, [a.id for a in g.articles], g.reasons) for g in groups]
