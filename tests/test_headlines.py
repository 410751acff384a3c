"""Findings an editor reads once: every headline (a finding's message) and every message template
is in words. No attribute stems ("reports pol killed", "Sources disagree on remain"), no hash-like
article ids ("001_4229d4f3bb958d1d"), no article ids at all where an outlet or headline names the
source. Runs the bundled story and every DUC story (skipped when ../shared is absent) in-process."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from claims.base import match_stem, stem
from checker.engine.wording import choices, file_label, name_list, short_outlet, short_title, value_words
from checker.pipeline.check import check_story
from tests.helpers import DUC, ROOT

FRAGMENTS = {line.strip() for line in (ROOT / "tests" / "fixtures" / "headlines" / "stem_fragments.txt")
             .read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")}
STORIES = [ROOT / "examples" / "maks-returns-to-poland"] + (
    sorted(p for p in DUC.glob("D0*") if p.is_dir()) if DUC.exists() else [])
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|‘[^’]*’')
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_HASHLIKE = re.compile(r"(?<![0-9a-z])[0-9a-f]{8,}(?![0-9a-z])", re.IGNORECASE)
# the tool's own words (its code and rules): a headline word the tool writes is no stem of the story's
TOOL_WORDS = {w.lower() for path in [*(ROOT / "checker").rglob("*.py"), ROOT / "rules.yaml"]
              for w in _WORD.findall(path.read_text(encoding="utf-8"))} - FRAGMENTS


def unquoted_words(message: str) -> list[str]:
    """The headline's own words: quoted article text (quotes, spellings, headlines) left out."""
    return _WORD.findall(_QUOTED.sub(" ", message))


def stem_problems(message: str, story_words: set[str], stems: dict[str, str]) -> list[str]:
    """Whole words of the headline that are a stem fragment (the list) or the stem of a word of
    the story that the story never writes itself ("injur" of "injured")."""
    found = []
    for word in unquoted_words(message):
        low = word.lower()
        if low in FRAGMENTS:
            found.append(word)
        elif low not in story_words and low not in TOOL_WORDS and low in stems:
            found.append(f"{word} (stem of {stems[low]})")
    return found


def id_problems(message: str, article_ids: list[str]) -> list[str]:
    found = [m.group() for m in _HASHLIKE.finditer(message)
             if re.search(r"\d", m.group()) and re.search(r"[a-f]", m.group(), re.IGNORECASE)]
    return found + [a for a in article_ids if a in message]


def test_the_checks_catch_what_users_saw():
    words, stems = {"police", "killed", "injured", "stabbings"}, {"stabbing": "stabbings", "kill": "killed"}
    assert stem_problems("Only AP reports pol killed: 2", words, stems) == ["pol"]
    assert stem_problems("Sources disagree on remain: 4 vs 7", words, stems) == ["remain"]
    assert stem_problems("Only AP reports deceas: 3", words, {"deceas": "deceased"}) == ["deceas (stem of deceased)"]
    # real words and quoted text pass: whole-word matching, quotes left out
    assert stem_problems('How many police officers were killed: 2 (AP) or 3 ("pol" NYT)?', words, stems) == []
    assert id_problems("12 (001_4229d4f3bb958d1d)", ["001_4229d4f3bb958d1d"]) == ["4229d4f3bb958d1d",
                                                                                   "001_4229d4f3bb958d1d"]
    assert id_problems("12 (AP [APW19990730.0067])", ["APW19990730.0067"]) == ["APW19990730.0067"]
    assert id_problems("in 19990730 and 2022", []) == []  # a date or number is no hash


def test_every_message_template_is_in_words():
    for path in (ROOT / "rules.yaml", ROOT / "tests" / "fixtures" / "reports" / "ferry-pier" / "rules.yaml"):
        if not path.exists():
            continue
        for rule in yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]:
            literal = re.sub(r"\{[^{}]*\}", " ", rule.get("message") or "")
            bad = [w for w in unquoted_words(literal) if w.lower() in FRAGMENTS]
            assert not bad, (path.name, rule["id"], bad)


def test_source_labels_and_choices():
    assert short_outlet("Associated Press (AP Worldstream, English)") == "AP"
    assert short_outlet("Xinhua News Agency (English service)") == "Xinhua"
    assert short_outlet("ET (Entertainment Tonight)") == "Entertainment Tonight"
    assert short_outlet("DailyMail.com") == "DailyMail.com"
    assert short_title("Maksim Chmerkovskiy Planning To Go BACK To Europe") == "“Maksim Chmerkovskiy Planning To…”"
    assert file_label("001_4229d4f3bb958d1d", 2) == "article 001"
    assert file_label("4229d4f3bb958d1d", 3) == "article 3"
    assert file_label("harbour-fire-bbc", 1) == "harbour-fire-bbc"
    assert name_list(["NYT", "Reuters", "AP", "BBC", "AFP"]) == "NYT, Reuters and 3 others"
    assert name_list(["NYT", "Reuters", "AP"]) == "NYT, Reuters, AP"
    assert choices([("12", "AP"), ("13", "NYT, Reuters")]) == "12 (AP) or 13 (NYT, Reuters)?"
    assert choices([("12", "AP 29 Jul"), ("13", "AP 30 Jul")], update=True) == "12 (AP 29 Jul), updated to 13 (AP 30 Jul)"
    assert [value_words(v) for v in (">7 days", ">=2 days", "1999-10-31", "1998-02", "15:00")] == \
        ["more than 7 days", "at least 2 days", "31 Oct 1999", "Feb 1998", "15:00"]


@pytest.mark.parametrize("story", STORIES, ids=lambda p: p.name)
def test_headlines_have_no_stems_or_article_ids(story: Path):
    result = check_story(story)
    texts = [a.text for a in result.story.articles]
    words = {w.lower() for text in texts for w in _WORD.findall(text)}
    stems: dict[str, str] = {}
    for word in words:
        for fragment in (stem(word), match_stem(word)):
            if fragment != word:
                stems.setdefault(fragment, word)
    ids = [a.id for a in result.story.articles]
    for finding in result.findings:
        assert not stem_problems(finding.message, words, stems), (finding.rule, finding.message)
        assert not id_problems(finding.message, ids), (finding.rule, finding.message)
