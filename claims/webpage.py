"""A saved web page as an article: its main text, headline, author and publication date.

Two readers, the same result shape (``WebPage``):

- ``trafilatura`` (the ``web`` extra, ``pip install 'claimcheck[web]'``; used whenever it is
  installed): main-text extraction that drops what surrounds a story on a news site (menus, cookie
  banners, "most read" and "related" lists, share bars, comments, footers), so none of it becomes
  claims. ``bench/boilerplate.py`` measures what it keeps and drops on ``tests/fixtures/pages``;
- the simple reader (``claims.html_text``, the standard library only): the text of ``<article>``
  (or ``<main>``, or ``<body>``) without scripts, navigation, headers, footers, forms and asides.
  It is the fallback when trafilatura is not installed, finds no main text, fails, or the page is
  too big for it (``MAX_MAIN_TEXT_ELEMENTS``).

``WebPage.text`` is what ``Article.text`` holds, so claims' offsets and evidence index it exactly
as they index a .txt article: paragraphs are separated by a blank line in both readers.

The publication date comes from the page's own markup, most explicit first: a ``<meta>`` the
publisher writes for it (``article:published_time``, ``datePublished``, ``pubdate``, ``dc.date``,
...), JSON-LD ``datePublished``, a ``<time>`` marked as the publication time or the first one inside
``<article>``, and last (trafilatura only) htmldate's reading of the page. Dates are read by
``claims.meta_dates``. Author: ``<meta name="author">``, JSON-LD ``author``, then trafilatura's.
Title: trafilatura's (og:title, the ``<h1>``, ``<title>``), else the simple reader's ``<h1>`` or
``<title>``. meta.json overrides all three (``claims.read``).

Time (``python bench/boilerplate.py --speed``, CPU seconds): trafilatura's cost grows with the
number of elements (a 2.4 MB page of 120,000 list elements: 14 s; 350,000 ``<p>``: 18 s; a
3.3 MB page of 24,000: 2.1 s), and it is linear on the markup that made html.parser quadratic
(``tests/test_input_robustness.py``: 0.25 s at most). So the page is parsed by lxml (linear)
first and one of more than ``MAX_MAIN_TEXT_ELEMENTS`` elements goes to the simple reader (2.2 s
for the 350,000), with a warning; at the limit, a page of nothing but links takes 3 s. News
article pages have a few thousand elements.
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime

from claims.html_text import MAX_JSON_LD_CHARS, parse_page, published_time_mark, tidy
from claims.meta_dates import DateError, read_date
from claims.meta_schema import JSONLimitError, date_in_range, loads, shown

TRAFILATURA, SIMPLE = "trafilatura", "simple"
MAX_MAIN_TEXT_ELEMENTS = 25_000
MIN_MAIN_TEXT_CHARS = 80  # less than this from trafilatura is a page it could not read

# <meta> names and properties that carry the publication time, most specific first
PUBLISHED_META = ("article:published_time", "og:article:published_time", "datepublished", "og:published_time",
                  "published_time", "publishdate", "publish-date", "publish_date", "pubdate", "date",
                  "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dcterms.created",
                  "sailthru.date", "parsely-pub-date", "article.published", "original-publish-date")
AUTHOR_META = ("author", "article:author", "byl", "dc.creator", "sailthru.author", "parsely-author")


@dataclass
class WebPage:
    text: str
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    reader: str = SIMPLE
    notes: list[str] = field(default_factory=list)  # warnings for the reader: the fallback taken, a date not read


@dataclass
class Markup:
    """What a page says about itself: <meta> content by lower-cased name/property/itemprop, JSON-LD
    texts, and <time datetime> values (marked ones, then those inside <article>, in page order)."""

    meta: dict[str, str] = field(default_factory=dict)
    json_ld: list[str] = field(default_factory=list)
    marked_times: list[str] = field(default_factory=list)
    article_times: list[str] = field(default_factory=list)
    h1: str | None = None
    og_title: str | None = None


def trafilatura_available() -> bool:
    try:
        import trafilatura  # noqa: F401
    except ImportError:
        return False
    return True


def read_web_page(source: str, *, reader: str | None = None) -> WebPage:
    """The article in an HTML page. ``reader``: ``"trafilatura"``, ``"simple"``, or None for
    trafilatura when it is installed. HTMLError when the page cannot be parsed at all."""
    notes: list[str] = []
    if reader == TRAFILATURA or (reader is None and trafilatura_available()):
        page = _with_trafilatura(source, notes)
        if page is not None:
            return page
    parsed = parse_page(source)
    page = WebPage(text=parsed.text, title=parsed.title, reader=SIMPLE, notes=notes)
    markup = Markup(meta=parsed.meta, json_ld=parsed.json_ld, marked_times=parsed.marked_times,
                    article_times=parsed.article_times, h1=parsed.h1, og_title=_clean(parsed.meta.get("og:title")))
    _apply_markup(page, markup, htmldate=None)
    return page


def _quiet_logs() -> None:
    # trafilatura and htmldate log a page they find odd at WARNING; that would reach stderr
    # through logging's last-resort handler, beside claimcheck's own one-line messages
    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _with_trafilatura(source: str, notes: list[str]) -> WebPage | None:
    """The page by trafilatura, or None when the simple reader must do it (a reason the user
    should know is appended to ``notes``)."""
    _quiet_logs()
    from trafilatura import bare_extraction, load_html

    try:
        tree = load_html(source)
    except Exception:  # noqa: BLE001 - lxml refuses some pages; the simple reader may not
        tree = None
    if tree is None:
        return None
    elements = sum(1 for _ in tree.iter())
    if elements > MAX_MAIN_TEXT_ELEMENTS:
        notes.append(f"page has {elements} HTML elements (over {MAX_MAIN_TEXT_ELEMENTS}); read with the "
                     "simple reader, so menus, lists and comments may be read as article text")
        return None
    markup = _markup_by_lxml(tree)
    try:
        document = bare_extraction(tree, with_metadata=True, include_comments=False, include_tables=True,
                                   date_extraction_params={"extensive_search": False, "original_date": True})
    except Exception:  # noqa: BLE001 - a fault inside the extractor costs the page its better reader only
        document = None
    body = getattr(document, "body", None)
    text = _paragraphs(body) if body is not None else ""
    if len(text) < MIN_MAIN_TEXT_CHARS:
        return None
    page = WebPage(text=text, title=_clean(getattr(document, "title", None)), reader=TRAFILATURA)
    _apply_markup(page, markup, htmldate=getattr(document, "date", None),
                  extractor_author=_clean(getattr(document, "author", None)))
    return page


# trafilatura's XML: each of these is a paragraph of its own, as block elements are to the simple reader
_XML_BLOCKS = {"p", "head", "item", "list", "quote", "table", "row", "cell", "code", "div", "figure", "note"}


def _paragraphs(body) -> str:
    """The text of trafilatura's XML body as claimcheck's: one paragraph per block (a line break
    counts as one, as ``<br>`` does to the simple reader), paragraphs split by a blank line,
    spaces collapsed. Its own text output would not do: it writes tables as Markdown rows, every
    cell of a layout table run together on one line."""
    from lxml import etree  # installed with trafilatura

    parts: list[str] = []
    for event, element in etree.iterwalk(body, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _XML_BLOCKS or tag == "lb":
                parts.append("\n\n")
            if element.text and tag != "lb":
                parts.append(element.text)
        else:
            if tag in _XML_BLOCKS:
                parts.append("\n\n")
            if element.tail and element is not body:
                parts.append(element.tail)
    return tidy("".join(parts))


def _clean(value) -> str | None:
    text = " ".join(str(value).split()) if value else ""
    return text or None


# --- what the page says about itself --------------------------------------------------------

def _markup_by_lxml(tree) -> Markup:
    markup = Markup()
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
        content = element.get("content")
        if key and content and key not in markup.meta:
            markup.meta[key] = content
    for element in tree.iter("script"):
        if (element.get("type") or "").strip().lower() == "application/ld+json" and element.text:
            markup.json_ld.append(element.text)
    for element in tree.iter("time"):
        value = element.get("datetime")
        if not value:
            continue
        if published_time_mark(element.get("itemprop"), element.get("pubdate"), element.get("class")):
            markup.marked_times.append(value)
        elif any(parent.tag == "article" for parent in element.iterancestors()):
            markup.article_times.append(value)
    heading = next(tree.iter("h1"), None)
    markup.h1 = _clean(heading.text_content()) if heading is not None else None
    markup.og_title = _clean(markup.meta.get("og:title"))
    return markup


def _json_ld_objects(texts: list[str]):
    """Every JSON object in the page's JSON-LD, through @graph and lists, depth-limited."""
    for text in texts:
        if len(text) > MAX_JSON_LD_CHARS:
            continue
        try:
            data = loads(text.strip())
        except (json.JSONDecodeError, JSONLimitError):
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                if isinstance(item.get("@graph"), list):
                    stack.extend(item["@graph"])


def _is_article(item: dict) -> bool:
    kinds = item.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(kind, str) and ("Article" in kind or kind in ("BlogPosting", "LiveBlogPosting"))
               for kind in kinds)


_BYLINE_BY = re.compile(r"^by\s+", re.IGNORECASE)


def _author_name(value) -> str | None:
    if isinstance(value, list):
        names = [name for name in (_author_name(item) for item in value) if name]
        return ", ".join(names) or None
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, str) and value.strip() and not value.strip().lower().startswith(("http:", "https:")):
        return _BYLINE_BY.sub("", _clean(value))[:200] or None
    return None


def _apply_markup(page: WebPage, markup: Markup, *, htmldate: str | None, extractor_author: str | None = None) -> None:
    """Fill the page's date, author and title from its markup, as the module docstring orders them."""
    ld_articles = [item for item in _json_ld_objects(markup.json_ld) if _is_article(item)]
    candidates = [(f"<meta {key}>", markup.meta[key]) for key in PUBLISHED_META if key in markup.meta]
    candidates += [("JSON-LD datePublished", item["datePublished"]) for item in ld_articles
                   if isinstance(item.get("datePublished"), (str, int))]
    candidates += [("<time datetime>", value) for value in markup.marked_times + markup.article_times[:1]]
    if htmldate:
        candidates.append(("the page's text (htmldate)", htmldate))
    for where, raw in candidates:
        try:
            reading = read_date(raw)
        except (ValueError, OverflowError) as exc:
            why = str(exc) if isinstance(exc, DateError) else "is not a date"
            page.notes.append(f"publication date {shown(raw)} in {where} {why}; ignored")
            continue
        why = date_in_range(reading.when)
        if why:
            page.notes.append(f"publication date {shown(raw)} in {where} {why}; ignored")
            continue
        if reading.note:
            page.notes.append(f"publication date in {where}: {reading.note}")
        page.published = reading.when
        break
    authors = [_author_name(markup.meta.get(key)) for key in AUTHOR_META]
    authors += [_author_name(item.get("author")) for item in ld_articles]
    page.author = next((name for name in authors if name), None) or _author_name(extractor_author)
    if page.title is None:
        page.title = markup.h1 or markup.og_title
