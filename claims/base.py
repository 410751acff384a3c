"""The word helpers extractors share: stopwords, stems, content words, clause breaks and fast
keyword tests. What each extractor is given is ``claims.context.ExtractContext``."""
from __future__ import annotations

import re
from functools import lru_cache

from claims.model import Sentence
from claims.lazy_re import lazy_compile

STOPWORDS = set("""
a an the and or but if then than that this these those there here of to in on at by for from with
without into onto over under about after before during since until as is are was were be been
being am has have had having do does did done will would shall should can could may might must
not no nor so too very just also only even still yet already ever never again more most less
least some any each every all both either neither other another such own same he she it they we
i you him her them us me my his its their our your who whom whose which what when where why how
said says told say saying according while because although though however also up down out off
one two three four five first last next new per via its it's he's she's they're we're i'm
""".split())

CLAUSE_BREAK = lazy_compile(r"\s*(?:--|[,;:()\u2013\u2014\"]|\s_\s)\s*")
_CONTENT_WORD = lazy_compile(r"[A-Za-z][A-Za-z'-]+")


# Pure functions of one word or sentence, called for every claim and again by several rules on
# the same sentences: cached once per process (bounded, as a nightly run sees many stories).
@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A crude stem so that "killed/kills/killing", "sailor/sailors" and "dropping/drop" meet."""
    w = word.lower().strip("'-")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ied", "y"), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: len(w) - len(suffix)] + keep
            break
    if len(w) >= 4 and w[-1] == w[-2] and w[-1] not in "aeioulsz":
        w = w[:-1]  # "dropped", "dropping", "drop"; "boycotted", "boycott"; not "fall", "miss"
    return w


def match_stem(word: str) -> str:
    """``stem`` without a final "e", for matching words only (never shown): "raise", "raised" and
    "raises" meet, as do "state" and "states"."""
    w = stem(word)
    return w[:-1] if len(w) >= 4 and w.endswith("e") else w


def content_words(text: str) -> list[str]:
    return list(_content_words(text))


@lru_cache(maxsize=1 << 14)
def _content_words(text: str) -> tuple[str, ...]:
    return tuple(match_stem(w) for w in _CONTENT_WORD.findall(text) if w.lower() not in STOPWORDS)


# The only characters outside ASCII that IGNORECASE regexes match to an ASCII letter
# (Python 3.11, every code point tried): folded first, so a keyword test never misses them.
_ASCII_LOOKALIKES = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def keyword_text(sent: Sentence) -> str:
    """The sentence lower-cased for ``has_any`` keyword tests: ``Sentence.lowered`` when the
    sentence is ASCII, else its text lower-cased here (lengths may change, so never use it for
    offsets). A sentence with an em dash or an accented name passes exactly the tests it would
    pass written in ASCII, and every text an IGNORECASE regex can match in still holds the
    regex's lower-case keyword."""
    if sent.lowered is not None:
        return sent.lowered
    return sent.text.translate(_ASCII_LOOKALIKES).lower()


def has_any(text: str | None, words: tuple[str, ...]) -> bool:
    """Whether ``text`` holds one of ``words`` (True when ``text`` is None, i.e. unknown).

    A cheap test before a slow scan: a regex that can only match text holding one of its
    literal words need not scan text that holds none. Regexes that open with an alternation,
    a word boundary or IGNORECASE make the engine try every position; on this project's
    sentences skipping this way cut such scans 4-8 fold. Give case-insensitive patterns
    ``keyword_text(sentence)`` (or ``model.ascii_lowered``) and lower-case words.
    """
    if text is None:
        return True
    for word in words:  # a loop, not any(): this runs for every sentence and pattern
        if word in text:
            return True
    return False


NEGATION = lazy_compile(r"\b(?:not|never|no longer|n't|neither|nor)\b|n't\b", re.I)
