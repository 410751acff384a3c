"""Where an evidence lies in its article, as line and column: what the editor-facing formats
(``line``, ``github``, ``sarif``) point at.

An evidence's ``start``/``end`` are character offsets into the article's text *as read*
(``claims.model.Article.text``): for a .txt or .md file its decoded text, for an .html page the
text extracted from it, for a feed record its text field (HTML extracted the same way). Lines
and columns count in that text, both from 1; a column counts Unicode code points (characters,
as Python indexes them; SARIF calls this ``unicodeCodePoints``); a line ends at CR LF, CR or LF,
as SARIF defines lines.

So for a plain-text article (.txt, .md) the position is the place in the file an editor shows,
and the formats give it as the file's line and column. For an HTML page or a feed record
(.html/.htm, .json/.jsonl) it is a place in the *extracted* text, which is not the file: line 3
of a page's text may be the page's ``<head>``, and a feed's record is one line of the file. The
readers keep no map back to the raw file, so for these articles (``Place.in_file`` false) the
formats give no line and column in the file: the ``line`` format names the article alone
(``page.html``, ``feed.jsonl[id]``), ``github`` annotates the file without ``line=``, and SARIF
gives the artifact, the article as a logical location and the place in the extracted text as
the location's properties (``claimcheck claims`` lists the claims of that text; ``claimcheck
explain --at ARTICLE:OFFSET`` takes the JSON report's ``start`` offset).

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
# articles whose text the reader extracts from the file (web pages, feed records): an offset in
# their text is not a place in the file
EXTRACTED_SUFFIXES = (".html", ".htm", *FEED_SUFFIXES)


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
    just after it, as SARIF's ``endColumn`` does). ``in_file``: whether the line and column are
    the file's own (a plain-text article), not a place in text extracted from it."""

    article: str
    path: str
    start: int | None = None
    end: int | None = None
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    in_file: bool = True

    @property
    def known(self) -> bool:
        return self.line is not None

    @property
    def in_file_known(self) -> bool:
        """Whether the place has a line and column in the article's file itself."""
        return self.known and self.in_file

    def label(self) -> str:
        """``path:line:col``, or ``path`` alone when there is no line and column in the file."""
        return f"{self.path}:{self.line}:{self.column}" if self.in_file_known else self.path


def is_feed(path: str) -> bool:
    return PurePath(path).suffix.lower() in FEED_SUFFIXES


def text_is_extracted(path: str) -> bool:
    """Whether an article read from ``path`` has text extracted from the file (a web page, a
    feed record), so that offsets in its text are not places in the file."""
    return PurePath(path).suffix.lower() in EXTRACTED_SUFFIXES


class Locator:
    """Places evidence in its articles; each article's lines are indexed once."""

    def __init__(self, data: dict, result: StoryResult | None = None):
        self.articles = {a["id"]: a for a in data.get("articles", [])}
        self.story_path = (data.get("story") or {}).get("path") or ""
        self.ours = str((data.get("ours") or {}).get("article") or "")
        self._texts = ({a.id: a.text for a in result.story.articles} if result is not None
                       else _read_again(list(self.articles.values())))
        self._indexes: dict[str, LineIndex] = {}

    def place(self, ev: dict) -> Place:
        article_id = str(ev.get("article") or "")
        path = str(self.articles.get(article_id, {}).get("path") or self.story_path)
        in_file = not text_is_extracted(path)
        start, end = ev.get("start"), ev.get("end")
        if not isinstance(start, int) or not isinstance(end, int) or end < start:
            return Place(article_id, path, in_file=in_file)
        index = self.line_index(article_id)
        begin = index.position(start) if index else None
        finish = index.position(end) if index else None
        if begin is None or finish is None:
            return Place(article_id, path, start, end, in_file=in_file)
        return Place(article_id, path, start, end, begin[0], begin[1], finish[0], finish[1], in_file=in_file)

    def primary_first(self, evidence: list[dict]) -> list[dict]:
        """A finding's evidence with the one it is located at first: in a pre-publication check
        (``--ours``) our article's first evidence, since the finding is about our article; else
        the evidence in its order."""
        mine = next((n for n, ev in enumerate(evidence) if self.ours and str(ev.get("article")) == self.ours), 0)
        return [evidence[mine], *evidence[:mine], *evidence[mine + 1:]] if evidence else []

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
