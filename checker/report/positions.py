"""Where an evidence lies in its article, as line and column: what the editor-facing formats
(``line``, ``github``, ``sarif``) point at.

An evidence's ``start``/``end`` are character offsets into the article's text *as read*
(``claims.model.Article.text``): for a .txt or .md file its decoded text, for an .html page the
text extracted from it, for a feed record its text field (HTML extracted the same way). Lines
and columns count in that text, both from 1; a column counts Unicode code points (characters,
as Python indexes them; SARIF calls this ``unicodeCodePoints``); a line ends at CR LF, CR or LF,
as SARIF defines lines. So for a plain-text article the position is the place in the file an
editor shows; for an HTML page or a feed record it is the place in the extracted text
(``claimcheck claims`` lists the claims of that text).

The text comes from the checked story (``StoryResult``) when the renderer has it; a report
re-rendered from saved JSON alone reads the articles again from their paths, and an article that
cannot be read again (moved, changed so that the offset lies past its end) has no line and
column: the formats then give the path alone.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from claims.errors import InputError

if TYPE_CHECKING:
    from checker.pipeline.check import StoryResult

_LINE_END = re.compile(r"\r\n|\r|\n")
FEED_SUFFIXES = (".json", ".jsonl")


class LineIndex:
    """The start offset of every line of one text, to turn an offset into (line, column)."""

    def __init__(self, text: str):
        self.length = len(text)
        self.starts = [0] + [m.end() for m in _LINE_END.finditer(text)]

    def position(self, offset: int) -> tuple[int, int] | None:
        """1-based (line, column) of ``offset`` (``len(text)`` is the place after the last
        character), or None when the offset is not in the text."""
        if not 0 <= offset <= self.length:
            return None
        line = bisect_right(self.starts, offset)  # starts[line - 1] <= offset
        return line, offset - self.starts[line - 1] + 1


@dataclass(frozen=True)
class Place:
    """One evidence located: the article's path as the report gives it and, when known, where
    in the article's text the evidence runs (``end_line``/``end_column`` name the character
    just after it, as SARIF's ``endColumn`` does)."""

    article: str
    path: str
    start: int | None = None
    end: int | None = None
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None

    @property
    def known(self) -> bool:
        return self.line is not None

    def label(self) -> str:
        """``path:line:col``, or ``path`` alone when the position is unknown."""
        return f"{self.path}:{self.line}:{self.column}" if self.known else self.path


def is_feed(path: str) -> bool:
    return PurePath(path).suffix.lower() in FEED_SUFFIXES


class Locator:
    """Places evidence in its articles; each article's lines are indexed once."""

    def __init__(self, data: dict, result: StoryResult | None = None):
        self.articles = {a["id"]: a for a in data.get("articles", [])}
        self.story_path = (data.get("story") or {}).get("path") or ""
        self._texts = ({a.id: a.text for a in result.story.articles} if result is not None
                       else _read_again(list(self.articles.values())))
        self._indexes: dict[str, LineIndex] = {}

    def place(self, ev: dict) -> Place:
        article_id = str(ev.get("article") or "")
        path = str(self.articles.get(article_id, {}).get("path") or self.story_path)
        start, end = ev.get("start"), ev.get("end")
        if not isinstance(start, int) or not isinstance(end, int) or end < start:
            return Place(article_id, path)
        index = self.line_index(article_id)
        begin = index.position(start) if index else None
        finish = index.position(end) if index else None
        if begin is None or finish is None:
            return Place(article_id, path, start, end)
        return Place(article_id, path, start, end, begin[0], begin[1], finish[0], finish[1])

    def text(self, article_id: str) -> str | None:
        return self._texts.get(article_id)

    def line_index(self, article_id: str) -> LineIndex | None:
        if article_id not in self._indexes:
            text = self._texts.get(article_id)
            if text is None:
                return None
            self._indexes[article_id] = LineIndex(text)
        return self._indexes[article_id]


def _read_again(articles: list[dict]) -> dict[str, str]:
    """Each article's text read again from its path (a report rendered from saved JSON): the
    same reading as the check, so the offsets fall where they did."""
    from claims.read import read_feed, read_file_article

    texts: dict[str, str] = {}
    feeds: set[str] = set()
    for article in articles:
        path = article.get("path")
        if not path or article["id"] in texts:
            continue
        try:
            if is_feed(path):
                if path not in feeds:
                    feeds.add(path)
                    texts.update({a.id: a.text for a in read_feed(Path(path), problems=[])})
            else:
                texts[article["id"]] = read_file_article(Path(path), None).text
        except (InputError, OSError, ValueError):
            continue  # moved or unreadable: its evidence is reported by path alone
    return texts
