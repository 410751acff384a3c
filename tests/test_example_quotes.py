"""Quote fidelity on the bundled story, checked against its hand labels
(bench/quote_labels/maks-returns-to-poland.yaml): families, changes, cuts and speakers."""
from __future__ import annotations

import importlib.util
import re

import pytest
import yaml

from checker.engine.quote_families import SETTINGS
from checker.pipeline.check import check_story, extract_story, story_context
from checker.pipeline.rules_file import load_rules
from tests.helpers import EXAMPLE, ROOT

LABELS = ROOT / "bench" / "quote_labels" / "maks-returns-to-poland.yaml"
# every unmarked cut in the story, found by reading it: (source that cut, words it left out)
UNMARKED_CUTS = [
    ("000_3782a02c85af3306", "I believe that that's what it's called"),
    ("003_81f5b6ab55212cae", "that I'm literally"),
    ("003_81f5b6ab55212cae", "I literally moved out of the area"),
    ("003_81f5b6ab55212cae", "their needs and"),
    ("003_81f5b6ab55212cae", "They were prepared they were ready"),
    ("003_81f5b6ab55212cae", "Baranova 27 For those of who've been following"),
]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_quotes", ROOT / "bench" / "quotes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def result():
    return check_story(EXAMPLE)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'"))


def test_every_quote_carried_by_two_sources_is_one_family():
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    ex = extract_story(EXAMPLE)
    ctx = story_context(ex, load_rules())
    fams = ctx.quote_families()
    family_of = {}
    for n, family in enumerate(fams):
        for piece in family.pieces:
            family_of[(piece.article, int(piece.row.start))] = n
    by_file = {a.path.rsplit("/", 1)[-1]: a for a in ex.story.articles}
    quotes = [c for c in ex.claims if c.claim_type == "quote"]
    spans = []  # (article, label words as 6-gram set, claim start)
    for name, entry in labels["articles"].items():
        article = by_file[name]
        for q in entry["quotes"]:
            words = _words(article.text[q["start"]:q["end"]])
            grams = {tuple(words[i:i + 6]) for i in range(len(words) - 5)}
            hit = [c for c in quotes if c.article == article.id and c.start < q["end"] and c.end > q["start"]]
            spans.append((article.id, grams, [c.start for c in hit]))
    shared = 0
    for i, (art_a, grams_a, starts_a) in enumerate(spans):
        for art_b, grams_b, starts_b in spans[i + 1:]:
            if art_a == art_b or not grams_a & grams_b:
                continue
            shared += 1  # the same words (six in a row) in two sources: one utterance
            fam_a = {family_of.get((art_a, s)) for s in starts_a}
            fam_b = {family_of.get((art_b, s)) for s in starts_b}
            assert fam_a & fam_b - {None}, (art_a, art_b, sorted(grams_a & grams_b)[:1])
    assert shared >= 20


def test_wording_changes_found(result):
    wording = [f for f in result.findings if f.kind == "quote_wording"]
    texts = [" ".join(r["text"] for r in f.details["readings"]) for f in wording]
    assert any("join" in t and "joining" in t for t in texts), texts
    # DailyMail's "effected" misspells the "affected" the others carry: a typo, not a wording change
    assert not any("affected" in t and "effected" in t for t in texts), texts


def test_every_unmarked_cut_found(result):
    cuts = [f for f in result.findings if f.kind == "quote_elision" and f.severity == "warning"]
    for article, words in UNMARKED_CUTS:
        assert any(article in f.articles and words.lower() in f.message.lower().replace("\u2019", "'") for f in cuts), \
            (article, words, [f.message for f in cuts])


def test_punctuation_only_differences_not_flagged(result):
    for f in result.findings:
        if f.kind != "quote_wording":
            continue
        readings = {" ".join(_words(r["text"])).replace(" ", "") for r in f.details["readings"]}
        assert len(readings) > 1, f.message


def test_spans_and_speakers_against_hand_labels():
    bench = _bench()
    row = bench.score_story(LABELS, show_errors=False)
    assert row["fp"] == 0, row  # every quote found is a quote
    assert row["speaker_right"] == row["speaker_scored"], row  # every speaker right
    assert row["tp"] >= 0.9 * row["labels"], row


def test_family_view_reference_first_and_diff_marked(result):
    views = {v["id"]: v for v in result.quote_families}
    assert views
    join = next(v for v in views.values() if "join efforts" in v["reference"]["text"])
    segments = [seg for variant in join["variants"] for seg in variant["segments"]]
    assert ["delete", "join"] in segments and ["insert", "joining"] in segments


def test_quote_family_settings_are_one_block_for_the_story(tmp_path):
    """rules.yaml's 'quote_families:' sets how quotes align, for every quote rule and for the
    side-by-side view alike; the shipped block holds the defaults."""
    assert load_rules().quote_families == SETTINGS.defaults()
    text = (ROOT / "rules.yaml").read_text(encoding="utf-8")
    assert text.count("  min_words: 5\n") == 1
    strict = tmp_path / "rules.yaml"
    strict.write_text(text.replace("  min_words: 5\n", "  min_words: 400\n"), encoding="utf-8")
    ruleset = load_rules(strict)
    assert ruleset.quote_families["min_words"] == 400
    before = check_story(EXAMPLE)
    assert before.quote_families and any(f.kind.startswith("quote_") for f in before.findings)
    after = check_story(EXAMPLE, ruleset)
    assert after.quote_families == [] and not any(f.kind.startswith("quote_") for f in after.findings)
