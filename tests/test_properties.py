"""Property-based tests: every extractor and every rule kind, run through the whole check on
generated text and on real sentences mutated the way web text is (non-ASCII punctuation and
names, decomposed accents, zero-width and bidi characters, weekdays without dates, kinship
ages, huge numbers, missing metadata, empty and one-character articles).

Whatever the input: no exception, every claim's and every finding's evidence is the article's
own text at its offsets, and the story has no problem. The sentences come from the bundled
example story and the fixture stories. Examples are derandomized and bounded by the
``claimcheck`` settings profile, so every run (CI included) checks the same set.
"""
from __future__ import annotations

import json
import os
import re
import unicodedata
from contextlib import contextmanager
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.pipeline.check import check_story, result_to_dict
from checker.report.claims_table import claims_records
from checker.pipeline.rules_file import load_rules
from claims.clean import clean
from claims.model import Article
from claims.read import Story, read_story
from tests.helpers import EXAMPLE, FIXTURES

settings.register_profile(
    "claimcheck", max_examples=300, derandomize=True, deadline=None, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
BOUNDED = settings.get_profile("claimcheck")
RULES = load_rules()


def _sentences() -> list[str]:
    """Every sentence of the example and fixture stories, as the articles write them."""
    out = []
    for folder in [EXAMPLE, *sorted(p for p in (FIXTURES / "stories").iterdir() if p.is_dir())]:
        for art in read_story(folder).articles:
            doc = clean(art)
            out.extend(doc.evidence(s.start, s.end)[0] for s in doc.sentences)
    return sorted({s for s in out if s.strip()})


SENTENCES = _sentences()

NAMES = ["Jos\u00e9 Garc\u00eda", "Zo\u00eb", "\u0141ukasz Wi\u015bniewski", "\u041e\u043b\u044c\u0433\u0430",
         "\u0414\u043c\u0438\u0442\u0440\u0438\u0439 \u0418\u0432\u0430\u043d\u043e\u0432",
         "Nguy\u1ec5n V\u0103n An", "S\u00f8ren", "\u00d1u\u00f1o P\u00e9rez", "Bj\u00f6rk", "\u0130lker",
         "Fran\u00e7ois-Xavier"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u202e", "\u202c", "\u2066", "\u2069", "\u200f", "\u00ad",
             "\u2028"]
ADDED = [
    # weekdays with no date, kinship ages, huge and odd numbers
    "The funeral was on Tuesday.", "It happened last Friday night, officials said.",
    "His brother, 34, said he was there.", "Her mother, 61, and his wife, 29, were hurt.",
    "The 45-year-old sister of Ivan Petrov, 70, spoke.",
    "Officials said 1000000000000000000000000000000 people were evacuated.",
    "The fund holds 1e308 dollars.", "Some 999,999,999,999,999 sailors were rescued.",
    "A 999999-year-old man, aged 1000000000000, died.", "It lasted 10**30 hours.",
    "The toll rose to 1.7976931348623157e308 on Monday.", "Between 10 and 20 and 30 and 40 were killed.",
    "\"We will rebuild,\" said Jos\u00e9 Garc\u00eda, 52. \u201cNobody knew,\u201d he said.",
    "On Sunday, Aug. 13, 2000, at 3:02 a.m., the ship sank 30 km north of Oslo.",
    # dates the calendar cannot hold, read from any publication day
    "The town was founded 3,000 years ago, some 9999999999 years ago.",
    "It was December 31, 9999, next week, next month, next year, next Monday, tomorrow.",
    "It was January 1, 0001, last week, last month, last year, last Friday, yesterday.",
    "On Friday, Feb. 30, 2024, at 25:61 GMT, 10000 people came.",
    "He left in the '90s, in the winter of 0001, in March 0000, in the 9990s.",
    "\"We lost 3\u00b9 ships and \u0663 boats in \uff12\uff10\uff10\uff10,\" he said\u00b2.",
]


def _em_dashes(text: str, pick) -> str:
    text = text.replace(" -- ", " \u2014 ").replace("--", "\u2014").replace(" - ", " \u2013 ")
    return re.sub(r"(?<=\w)-(?=\w)", "\u2011", text) if pick.random() < 0.3 else text


def _curly_quotes(text: str, pick) -> str:
    opened = [False]

    def swap(_):
        opened[0] = not opened[0]
        return "\u201c" if opened[0] else "\u201d"
    return re.sub('"', swap, text).replace("'", "\u2019")


def _foreign_names(text: str, pick) -> str:
    return re.sub(r"\b[A-Z][a-z]{2,}\b", lambda m: pick.choice(NAMES) if pick.random() < 0.4 else m.group(), text)


def _accent_inside(text: str, pick) -> str:
    words = list(re.finditer(r"[a-z]{4,}", text))
    if not words:
        return text + " caf\u00e9"
    m = pick.choice(words)
    cut = m.start() + 2
    return text[:cut] + "\u00e9" + text[cut:]


def _decomposed(text: str, pick) -> str:
    return unicodedata.normalize("NFD", text)


def _invisible(text: str, pick) -> str:
    for _ in range(pick.randint(1, 6)):
        at = pick.randint(0, len(text))
        text = text[:at] + pick.choice(INVISIBLE) + text[at:]
    return text


def _added(text: str, pick) -> str:
    return f"{text} {pick.choice(ADDED)}" if pick.random() < 0.5 else f"{pick.choice(ADDED)} {text}"


MUTATIONS = [_em_dashes, _curly_quotes, _foreign_names, _accent_inside, _decomposed, _invisible, _added]


@st.composite
def sentence_pair(draw) -> tuple[str, str]:
    """A sentence as written, and mutated."""
    source = text = draw(st.sampled_from(SENTENCES + ADDED))
    pick = draw(st.randoms(use_true_random=False))
    for mutate in draw(st.lists(st.sampled_from(MUTATIONS), max_size=4)):
        text = mutate(text, pick)
    return source, text


def mutated_sentence():
    return sentence_pair().map(lambda pair: pair[1])


TINY = st.sampled_from(["", " ", "x", "\u00e9", "\u2014", "\"", "\n\n", "\u200b", "7", "A."])


@st.composite
def article_text(draw) -> str:
    if draw(st.integers(0, 9)) == 0:
        return draw(TINY)
    sentences = draw(st.lists(mutated_sentence(), min_size=1, max_size=10))
    joiner = draw(st.sampled_from([" ", "\n\n", "\n", " \u2014 "]))
    return joiner.join(sentences)


@st.composite
def story_articles(draw, text=article_text()) -> list[Article]:
    texts = draw(st.lists(text, min_size=1, max_size=4))
    articles = []
    for i, body in enumerate(texts):
        published = draw(st.sampled_from([None, None, datetime(2024, 3, 4, 9, 30), datetime(1999, 12, 31),
                                          datetime(1, 1, 2), datetime(9999, 12, 30)]))
        outlet = draw(st.sampled_from([None, f"Outlet {i}", "Le Monde \u2014 \u00c9dition"]))
        articles.append(Article(id=f"a{i}", path=f"a{i}.txt", text=body, outlet=outlet, published=published))
    return articles


@contextmanager
def exceptions_raised():
    """Faults are isolated into problems by default; here they must surface, with a traceback."""
    before = os.environ.get("CLAIMCHECK_DEBUG")
    os.environ["CLAIMCHECK_DEBUG"] = "1"
    try:
        yield
    finally:
        if before is None:
            del os.environ["CLAIMCHECK_DEBUG"]
        else:
            os.environ["CLAIMCHECK_DEBUG"] = before


def assert_checked_cleanly(articles: list[Article]) -> None:
    story = Story(id="generated", path="generated", articles=articles)
    with exceptions_raised():
        result = check_story(story, RULES)
    assert [str(p) for p in result.problems] == []
    texts = {a.id: a.text for a in articles}
    for claim in result.claims:
        assert texts[claim.article][claim.start:claim.end] == claim.value, claim
    for finding in result.findings:
        for ev in finding.evidence:
            assert texts[ev.article][ev.start:ev.end] == ev.text, (finding.rule, ev)
    json.dumps(result_to_dict(result))  # the JSON contract is written from this
    json.dumps(claims_records(result.claims), default=str)


@BOUNDED
@given(story_articles())
def test_mutated_real_sentences_are_checked_cleanly(articles):
    assert_checked_cleanly(articles)


@settings(BOUNDED, max_examples=150)
@given(story_articles(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)))
def test_arbitrary_text_is_checked_cleanly(articles):
    assert_checked_cleanly(articles)


@settings(BOUNDED, max_examples=150)
@given(st.lists(sentence_pair(), min_size=1, max_size=4),
       st.sampled_from([None, datetime(2024, 3, 4), datetime(1, 1, 2), datetime(9999, 12, 30)]))
def test_one_sentence_told_two_ways_is_checked_cleanly(pairs, published):
    """The same sentences in two articles, once as written and once mutated: every rule kind
    has claims to align across sources."""
    assert_checked_cleanly([
        Article(id="a", path="a.txt", text=" ".join(source for source, _ in pairs), published=published),
        Article(id="b", path="b.txt", text=" ".join(mutated for _, mutated in pairs), published=published)])


def test_the_example_story_with_every_mutation_at_once():
    """The bundled story, every article mutated by every mutation in turn (a fixed pass, not
    generated): the real-size case the generated stories are too small to be."""
    import random

    pick = random.Random(2024)
    articles = []
    for art in read_story(EXAMPLE).articles:
        text = art.text
        for mutate in MUTATIONS:
            text = mutate(text, pick)
        articles.append(Article(id=art.id, path=art.path, text=text, outlet=art.outlet))
    assert_checked_cleanly(articles)
