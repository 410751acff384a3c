"""The accuracy benchmark's harness (bench/accuracy.py) on two small stories: the bundled
example and a three-article fixture written for this test. The full benchmark is run by hand
(docs/accuracy.md); this keeps the harness working and its scoring honest."""
from __future__ import annotations

import json
from pathlib import Path

import accuracy  # bench/ is on pytest's pythonpath (pyproject.toml)
import pytest
from edits import CONSISTENT, INCONSISTENT, Edit, respell

ROOT = Path(__file__).resolve().parent.parent

FIRE = ROOT / "tests" / "fixtures" / "stories" / "harbour-fire"
EXAMPLE = ROOT / "examples" / "maks-returns-to-poland"


@pytest.fixture(scope="module")
def fire():
    return accuracy.run_story(str(FIRE), seed=1, per_type=2, types=INCONSISTENT + CONSISTENT)


@pytest.fixture(scope="module")
def example():
    return accuracy.run_story(str(EXAMPLE), seed=1, per_type=1, types=INCONSISTENT + CONSISTENT)


def test_every_type_finds_sites_in_the_fixture(fire):
    found = {c["type"] for c in fire["cases"]}
    assert set(INCONSISTENT) - {"age"} <= found, found
    assert {"number_format", "date_format", "quote_ellipsis"} <= found


def test_clear_edits_in_the_fixture_are_flagged(fire):
    # one fact in three near-identical reports: each of these edits must raise a warning or error
    for kind in ("count", "duration", "name", "quote_word", "quote_cut", "negation"):
        cases = [c for c in fire["cases"] if c["type"] == kind]
        assert cases and all(c["flagged"] for c in cases), (kind, cases)


def test_controls_in_the_fixture_stay_quiet(fire):
    controls = [c for c in fire["cases"] if c["consistent"]]
    assert controls and not any(c["flagged"] for c in controls), controls


def test_unchanged_fixture_is_quiet(fire):
    assert fire["noise"] == []


def test_seed_reproduces_the_same_edits(example):
    again = accuracy.run_story(str(EXAMPLE), seed=1, per_type=1, types=INCONSISTENT + CONSISTENT)
    assert [c["id"] for c in again["cases"]] == [c["id"] for c in example["cases"]]
    other = accuracy.run_story(str(EXAMPLE), seed=2, per_type=1, types=INCONSISTENT + CONSISTENT)
    assert [c["id"] for c in other["cases"]] != [c["id"] for c in example["cases"]]


def test_example_noise_is_counted_and_judged(example):
    judgements = accuracy.load_judgements()
    summary = accuracy.summarise([example], judgements)
    assert summary["noise"]["flagged"] == len(example["noise"]) > 0
    assert summary["noise"]["judged"] + len(summary["noise"]["unjudged"]) == summary["noise"]["flagged"]


def test_edit_apply_tracks_changed_spans():
    edit = Edit("quote_cut", False, "a", [(4, 10, ""), (20, 25, "Kyiv")], "x", "", "b")
    text = "0123456789abcdefghijKievvmore"
    new = edit.apply(text)
    assert new == "0123abcdefghijKyivmore"
    assert new[edit.changed[1][0]:edit.changed[1][1]] == "Kyiv"
    assert edit.changed[0] == (3, 5)  # a cut is covered by the characters either side


def test_respellings_look_like_transliterations():
    import random
    for name in ("Ustinov", "Kharrazi", "Basayev", "Chechnya", "Nantucket", "Yeltsin"):
        for seed in range(5):
            other = respell(name, random.Random(seed))
            assert other and other != name, name
            assert other[0] == name[0] and abs(len(other) - len(name)) <= 3, (name, other)


def test_compare_reports_better_and_worse(tmp_path, example, capsys):
    summary = accuracy.summarise([example], {})
    old = {"summary": summary, "stories": [example]}
    flipped = json.loads(json.dumps(old))
    case = next(c for c in flipped["stories"][0]["cases"] if not c["consistent"])
    case["flagged"] = not case["flagged"]
    flipped["summary"] = accuracy.summarise(flipped["stories"], {})
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(flipped))
    accuracy.compare(tmp_path / "old.json", tmp_path / "new.json")
    out = capsys.readouterr().out
    expected = "better: 1" if case["flagged"] else "worse: 1"
    assert expected in out and case["id"] in out


def test_witness_judgements_give_recall_on_confirmed_sites(fire):
    witnesses = accuracy.load_witnesses()
    assert witnesses and all(site.count(":") == 3 for site in witnesses)
    cases = [c for c in fire["cases"] if c["type"] == "count"]
    sites = sorted({accuracy.site_of(c) for c in cases})
    assert len(sites) >= 2, sites
    mine = {sites[0]: True, sites[1]: False}
    row = accuracy.summarise([fire], {}, mine)["types"]["count"]["witness"]
    confirmed = [c for c in cases if accuracy.site_of(c) == sites[0]]
    assert row["judged"] == sum(accuracy.site_of(c) in mine for c in cases)
    assert row["confirmed"] == len(confirmed)
    assert row["flagged"] == sum(c["flagged"] for c in confirmed)


def test_a_witness_judgement_must_say_true_or_false(tmp_path):
    (tmp_path / "w.yaml").write_text("- {site: 's:count:a:1', same_fact: unsure}\n")
    with pytest.raises(ValueError, match="same_fact"):
        accuracy.load_witnesses(tmp_path / "w.yaml")


def test_date_separability_pairs_and_scores(tmp_path):
    """bench/date_separability.py: the disagreeing pairs are cross-article, within the gap, of one
    role; a missed date edit yields its edited sentence and the witness's; the lexical measure
    weighs shared rare words above shared common ones."""
    import date_separability as sep
    from checker.pipeline.check import extract_story
    from claims.read import read_story

    story = read_story(FIRE)
    claims = extract_story(story).claims
    for a, b in sep.negatives(claims):
        assert a != b
    run = accuracy.run_story(str(FIRE), seed=1, per_type=2, types=["date"])
    found = [(case, sep.positive(story, claims, case)) for case in run["cases"]]
    assert any(pair for _, pair in found)
    for case, pair in found:
        if pair:
            edited, witness = pair
            assert case["new"] in edited and witness
    measure = sep.Lexical(["the ferry sank off the coast", "the ferry sank at dawn", "a ferry left the port"])
    assert measure("the ferry sank off the coast", "the ferry sank at dawn") > \
        measure("the ferry sank at dawn", "a ferry left the port")
