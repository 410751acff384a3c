"""Article text from an HTML page: the <article> (or <main>, or <body>) text, one paragraph per
block element, with scripts, styles, navigation, headers, footers, forms and asides dropped.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

SKIP_TAGS = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button",
             "svg", "iframe", "template", "select", "option", "head"}
BLOCK_TAGS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li",
              "blockquote", "figcaption", "br", "tr", "pre", "ul", "ol", "table", "hr", "dd", "dt"}
VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "source", "wbr", "area", "base", "col",
             "embed", "param", "track"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_depth = 0
        self.stack: list[str] = []
        self.parts: dict[str, list[str]] = {"article": [], "main": [], "body": []}
        self.in_container = {"article": 0, "main": 0}
        self.title_parts: list[str] = []
        self.h1_parts: list[str] = []
        self.in_title = False
        self.in_h1 = False

    def _emit(self, text: str) -> None:
        self.parts["body"].append(text)
        for name, depth in self.in_container.items():
            if depth:
                self.parts[name].append(text)

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        if tag in VOID_TAGS:
            if tag in BLOCK_TAGS and not self.skip_depth:
                self._emit("\n\n")
            return
        self.stack.append(tag)
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
        if tag in VOID_TAGS or tag not in self.stack:
            return
        while self.stack:
            top = self.stack.pop()
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
        if self.in_title:
            self.title_parts.append(data)
            return
        if self.skip_depth:
            return
        if self.in_h1:
            self.h1_parts.append(data)
        self._emit(data)


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    paragraphs = [p.strip() for p in re.split(r"\s*\n\s*\n\s*", text)]
    return "\n\n".join(p for p in paragraphs if p)


def html_to_text(source: str) -> tuple[str | None, str]:
    """Return (title, text) of an HTML page. Entities are decoded; markup never reaches the text."""
    parser = _Collector()
    parser.feed(source)
    parser.close()
    for name in ("article", "main", "body"):
        text = _tidy("".join(parser.parts[name]))
        if len(text) > 200 or (name == "body" and text):
            break
    title = _tidy(" ".join(parser.h1_parts)) or _tidy(" ".join(parser.title_parts)) or None
    return (html.unescape(title) if title else None), text
