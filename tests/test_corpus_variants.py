"""Every story of the news corpora beside the project (DUC newswire, ECB+; skipped when absent)
and the bundled example, rewritten the way other outlets' web text comes: curly quotes, em
dashes, a few names in accented form ("Jose" -> "José"), an accented letter inside a word. The
variant of each story is checked in full: it must complete, and report no problem.

The articles are read from the corpora and rewritten into a temporary folder at test time; no
corpus text is kept in the project. All stories are checked (about 120, some 20 s in all).
"""
from __future__ import annotations

import re
import shutil
import time
import zlib
from pathlib import Path

import pytest

from checker.pipeline.check import check_story
from checker.pipeline.rules_file import load_rules
from tests.helpers import EXAMPLE, ROOT

CORPORA = ROOT.parent / "shared" / "corpora"
ARTICLE_SUFFIXES = {".txt", ".md"}
ACCENTED = str.maketrans({"e": "\u00e9", "a": "\u00e1", "o": "\u00f6", "u": "\u00fc", "i": "\u00ed"})


def _stories() -> list:
    found = [pytest.param(EXAMPLE, id="example")]
    for corpus, pattern in (("duc0607-newswire-clusters", "D0*"), ("ecbplus", "[0-9]*")):
        folder = CORPORA / corpus
        if folder.is_dir():
            found += [pytest.param(p, id=f"{corpus}/{p.name}") for p in sorted(folder.glob(pattern)) if p.is_dir()]
    if len(found) == 1:
        found.append(pytest.param(None, id="corpora", marks=pytest.mark.skip(reason=f"no corpora in {CORPORA}")))
    return found


def _accent_name(match: re.Match) -> str:
    """One capitalised word in five (the same ones every run) gets an accented vowel: "Jose"
    -> "José", "Moscow" -> "Möscow"."""
    word = match.group()
    if zlib.crc32(word.encode()) % 5:
        return word
    head, tail = word[:1], word[1:]
    for vowel in "eaoui":
        if vowel in tail:
            at = tail.rindex(vowel)
            return head + tail[:at] + tail[at].translate(ACCENTED) + tail[at + 1:]
    return word


def non_ascii_variant(text: str) -> str:
    """The article as a non-ASCII outlet would carry it."""
    opened = [False]

    def curly(_):
        opened[0] = not opened[0]
        return "\u201c" if opened[0] else "\u201d"
    text = re.sub('"', curly, text).replace("'", "\u2019")
    text = text.replace(" -- ", " \u2014 ").replace("--", "\u2014").replace(" - ", " \u2014 ")
    text = re.sub(r"\b[A-Z][a-z]{3,}\b", _accent_name, text)
    long_words = list(re.finditer(r"\b[a-z]{7,}\b", text))
    if long_words:
        word = long_words[len(long_words) // 2]
        text = text[:word.start() + 3] + "\u00e9" + text[word.start() + 3:]
    return text


@pytest.fixture(scope="module")
def rules():
    return load_rules()


@pytest.mark.parametrize("story", _stories())
def test_non_ascii_variant_of_every_story_is_checked_cleanly(story: Path, tmp_path, rules):
    variant = tmp_path / story.name
    shutil.copytree(story, variant)
    rewritten = 0
    for path in sorted(variant.iterdir()):
        if path.suffix in ARTICLE_SUFFIXES:
            original = path.read_text(encoding="utf-8")
            text = non_ascii_variant(original)
            path.write_text(text, encoding="utf-8")
            rewritten += text != original
    assert rewritten, "the variant must differ from the story"
    # the limit only turns a hang into a failure: a time limit reached is a problem below
    result = check_story(variant, rules, deadline=time.monotonic() + 120, keep_partial=True)
    assert [str(p) for p in result.problems] == []
    assert result.claims
