"""Which of many texts hold a word as a substring, without scanning every text for every word.

A word with no whitespace in it can only occur inside one whitespace-separated token of a text,
so the texts holding it are those holding one of the distinct tokens that hold it. The distinct
tokens of a story grow far slower than its text (most words recur) and are searched as one
string by ``str.find``; each text is then asked only whether it has one of the few tokens
found. Looking up every speaker's surname in every article of a big story scanned the whole
story's text once per surname.
"""
from __future__ import annotations

from bisect import bisect_right


class SubstringIndex:
    """``holding(word)``: the keys whose text holds ``word``, in the order the texts were given;
    what ``[key for key, text in texts if word in text]`` gives (a test holds them equal)."""

    def __init__(self, texts: list[tuple[str, str]]) -> None:
        self.texts = texts
        self.tokens = [frozenset(text.split()) for _, text in texts]
        vocabulary = list(frozenset().union(*self.tokens))
        self.vocabulary = vocabulary
        self.starts: list[int] = []  # where each distinct token begins in the joined string
        at = 0
        for token in vocabulary:
            self.starts.append(at)
            at += len(token) + 1
        self.joined = "\n".join(vocabulary)

    def holding(self, word: str) -> list[str]:
        if not word or word.split() != [word]:
            # empty, or with whitespace (it may span tokens): read every text
            return [key for key, text in self.texts if word in text]
        matching = set()
        at = self.joined.find(word)
        while at >= 0:
            token = bisect_right(self.starts, at) - 1
            matching.add(self.vocabulary[token])
            if token + 1 >= len(self.starts):
                break
            at = self.joined.find(word, self.starts[token + 1])  # the next token holding it
        if not matching:
            return []
        return [key for (key, _), tokens in zip(self.texts, self.tokens) if not tokens.isdisjoint(matching)]
