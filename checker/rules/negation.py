"""Negation in a sentence, as the two negation kinds read it (``self_contradiction``,
``statement_negation``): whether a sentence is negated, and the sentence without its negations."""
from __future__ import annotations

import re
from functools import lru_cache

# matched on lower-cased text: an IGNORECASE alternation tried at every position cost 5x more
NEGATION_CUE = re.compile(r"\b(?:not|never|none|nobody|nothing|neither|nor|cannot)\b|\bno\b(?!\.|\s*\d)|n't\b")
CONTRACTED = {"can't": "can", "cannot": "can", "won't": "will", "shan't": "shall"}  # negation -> verb
_CONTRACTED = re.compile(r"\b(?:" + "|".join(CONTRACTED) + r")\b")
_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1 << 14)  # pure; both negation kinds ask about the same sentences
def strip_negation(text: str) -> str:
    """The sentence without its negations: "can't go" and "cannot go" -> "can go"."""
    text = text.lower().replace("\u2019", "'")
    text = _CONTRACTED.sub(lambda m: CONTRACTED[m.group()], text)
    text = re.sub(r"n't\b", "", text)
    text = NEGATION_CUE.sub(" ", text)
    return " ".join(_WORD.findall(text))


@lru_cache(maxsize=1 << 14)  # both negation kinds ask about the same sentences
def is_negated(text: str) -> bool:
    """Whether the sentence holds a negation ("not", "never", "no", "n't", ...)."""
    return NEGATION_CUE.search(text.lower()) is not None
