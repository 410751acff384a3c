"""Article text from an HTML page: the <article> (or <main>, or <body>) text, one paragraph per
block element, with scripts, styles, navigation, headers, footers, forms and asides dropped.

Pages are untrusted web text, so the work is linear in the page's length whatever it holds.
CPython's ``html.parser`` is not: a construct opened and never closed (``<a`` with no ``>``
after it, ``<!--`` with no ``-->``) makes it search to the end of the page and then step one
character on, for every such opener, and ``<![`` followed by anything but a known keyword
raises AssertionError. ``_defused`` removes those cases before parsing, as an HTML5 browser
reads them: an unclosed comment or tag runs to the end of the page and shows nothing, and
``<![...`` outside foreign content is a bogus comment up to the next ``>``.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from html.parser import HTMLParser

from claims.lazy_re import lazy_compile

SKIP_TAGS = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button",
             "svg", "iframe", "template", "select", "option", "head"}
BLOCK_TAGS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li",
              "blockquote", "figcaption", "br", "tr", "pre", "ul", "ol", "table", "hr", "dd", "dt"}
VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "source", "wbr", "area", "base", "col",
             "embed", "param", "track"}


MAX_JSON_LD_CHARS = 200_000  # a JSON-LD block is a few kilobytes; more is not metadata


def published_time_mark(itemprop, pubdate, css_class) -> bool:
    """Whether a <time> element says it is the publication time (``pubdate`` is "" when present)."""
    return ((itemprop or "").strip().lower() == "datepublished" or pubdate is not None
            or "publish" in (css_class or "").lower())


class HTMLError(ValueError):
    """The page could not be parsed at all; ``str(exc)`` says why in a few words."""


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_depth = 0
        self.stack: list[str] = []
        # how many of each tag are open: a closing tag that matches none is ignored at once
        # instead of after a scan of the whole stack (quadratic on pages of stray tags)
        self.open_counts: dict[str, int] = {}
        self.parts: dict[str, list[str]] = {"article": [], "main": [], "body": []}
        self.in_container = {"article": 0, "main": 0}
        self.title_parts: list[str] = []
        self.h1_parts: list[str] = []
        self.in_title = False
        self.in_h1 = False
        # what the page says about itself, for claims.webpage: <meta> content by lower-cased
        # name/property/itemprop (the first of each), JSON-LD texts, <time datetime> values
        self.meta: dict[str, str] = {}
        self.json_ld: list[str] = []
        self.json_ld_parts: list[str] | None = None
        self.marked_times: list[str] = []
        self.article_times: list[str] = []

    def _emit(self, text: str) -> None:
        self.parts["body"].append(text)
        for name, depth in self.in_container.items():
            if depth:
                self.parts[name].append(text)

    def _note_markup(self, tag: str, attrs) -> None:
        attributes = {name: (value if value is not None else "") for name, value in attrs}
        if tag == "meta":
            key = (attributes.get("property") or attributes.get("name") or attributes.get("itemprop") or "")
            key = key.strip().lower()
            if key and attributes.get("content") and key not in self.meta:
                self.meta[key] = attributes["content"]
        elif tag == "script" and attributes.get("type", "").strip().lower() == "application/ld+json":
            self.json_ld_parts = []
        elif tag == "time" and attributes.get("datetime"):
            if published_time_mark(attributes.get("itemprop"), attributes.get("pubdate"), attributes.get("class")):
                self.marked_times.append(attributes["datetime"])
            elif self.in_container["article"]:
                self.article_times.append(attributes["datetime"])

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        if tag in ("meta", "script", "time"):
            self._note_markup(tag, attrs)
        if tag in VOID_TAGS:
            if tag in BLOCK_TAGS and not self.skip_depth:
                self._emit("\n\n")
            return
        self.stack.append(tag)
        self.open_counts[tag] = self.open_counts.get(tag, 0) + 1
        if tag in SKIP_TAGS and tag != "head":
            self.skip_depth += 1
        if tag in self.in_container:
            self.in_container[tag] += 1
        if tag == "h1":
            self.in_h1 = True
        if tag in BLOCK_TAGS and not self.skip_depth:
            self._emit("\n\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag == "script" and self.json_ld_parts is not None:
            self.json_ld.append("".join(self.json_ld_parts))
            self.json_ld_parts = None
        if tag in VOID_TAGS or not self.open_counts.get(tag):
            return
        while self.stack:
            top = self.stack.pop()
            self.open_counts[top] -= 1
            if top in SKIP_TAGS and top != "head":
                self.skip_depth -= 1
            if top in self.in_container:
                self.in_container[top] -= 1
            if top == "h1":
                self.in_h1 = False
            if top == tag:
                break
        if tag in BLOCK_TAGS and not self.skip_depth:
            self._emit("\n\n")

    def handle_data(self, data):
        if self.json_ld_parts is not None:
            if sum(map(len, self.json_ld_parts)) < MAX_JSON_LD_CHARS:
                self.json_ld_parts.append(data)
            return
        if self.in_title:
            self.title_parts.append(data)
            return
        if self.skip_depth:
            return
        if self.in_h1:
            self.h1_parts.append(data)
        self._emit(data)


_SPACE_RUN = lazy_compile(r"[ \t\r\f\v]+")


def tidy(text: str) -> str:
    """Spaces collapsed; paragraphs are runs of lines between blank (whitespace-only) lines.

    Done line by line: the equivalent split on ``\\s*\\n\\s*\\n\\s*`` backtracks
    quadratically over long runs of spaces the first substitution leaves (no-break spaces)."""
    paragraphs: list[str] = []
    lines: list[str] = []
    for line in _SPACE_RUN.sub(" ", text).split("\n"):
        if line.strip():
            lines.append(line)
        elif lines:
            paragraphs.append("\n".join(lines).strip())
            lines = []
    if lines:
        paragraphs.append("\n".join(lines).strip())
    return "\n\n".join(paragraphs)


_TAG_OPEN = lazy_compile(r"<[A-Za-z/!?]")
_COMMENT_CLOSE = lazy_compile(r"--\s*>")  # what html.parser accepts as the end of a comment


def _defused(source: str) -> str:
    """``source`` without the constructs that make ``html.parser`` quadratic or raise.

    Every step is a linear scan; the order matters: cutting an unclosed comment can remove the
    last ``>``, so tags left open by that cut are cut after it."""
    # "<![" is a marked section to html.parser (CDATA, MS Office "if"), which raises on any other
    # keyword and searches the whole page for "]]>"; "<!-[" makes it a bogus comment to ">"
    source = source.replace("<![", "<!-[")
    last_close = -1
    for match in _COMMENT_CLOSE.finditer(source):
        last_close = match.start()
    # the parser looks for a comment's end from 4 characters past its "<!--"
    unclosed = source.find("<!--", max(0, last_close - 3))
    if unclosed != -1:
        source = source[:unclosed]
    opened = _TAG_OPEN.search(source, source.rfind(">") + 1)
    if opened:
        source = source[:opened.start()]
    return source


@dataclass
class ParsedPage:
    """An HTML page as the simple reader sees it: title and text, and the page's own metadata."""

    title: str | None
    text: str
    meta: dict[str, str] = field(default_factory=dict)
    json_ld: list[str] = field(default_factory=list)
    marked_times: list[str] = field(default_factory=list)   # <time> marked as the publication time
    article_times: list[str] = field(default_factory=list)  # other <time datetime> inside <article>
    h1: str | None = None


def parse_page(source: str) -> ParsedPage:
    """The page's title, text and metadata, in one linear pass. Entities are decoded; markup never
    reaches the text. Raises HTMLError when the page cannot be parsed at all."""
    parser = _Collector()
    try:
        parser.feed(_defused(source))
        parser.close()
    except AssertionError as exc:  # html.parser's way of refusing markup _defused did not foresee
        raise HTMLError(f"unreadable HTML ({' '.join(str(exc).split())[:80]})") from None
    for name in ("article", "main", "body"):
        text = tidy("".join(parser.parts[name]))
        if len(text) > 200 or (name == "body" and text):
            break
    h1 = tidy(" ".join(parser.h1_parts)) or None
    title = h1 or tidy(" ".join(parser.title_parts)) or None
    return ParsedPage(title=html.unescape(title) if title else None, text=text, meta=parser.meta,
                      json_ld=parser.json_ld, marked_times=parser.marked_times,
                      article_times=parser.article_times, h1=html.unescape(h1) if h1 else None)


def html_to_text(source: str) -> tuple[str | None, str]:
    """Return (title, text) of an HTML page. Entities are decoded; markup never reaches the text.
    Raises HTMLError when the page cannot be parsed at all."""
    page = parse_page(source)
    return page.title, page.text
