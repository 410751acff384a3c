"""How much of a saved web page's boilerplate becomes claims, and how much of its story is kept.

    python bench/boilerplate.py [--pages DIR] [--corpora DIR]

Pages: ``tests/fixtures/pages`` (hand-made pages in the style of news sites, with ``truth.json``
naming each page's body paragraphs, the text that is neither body nor boilerplate - headline,
byline, dateline, captions - and its publication day). Every other visible text of a page is
boilerplate: menus, cookie banners, "most read", related stories, comments, footers.

Each page is read three ways:

- ``before``: the reader before trafilatura (``claims.html_text`` text; a date only from a date
  line in that text);
- ``simple``: the same text, with today's date reading of the page's markup (meta, JSON-LD,
  ``<time>``): what a base install (no ``web`` extra) does;
- ``trafilatura``: the default with the ``web`` extra.

Figures per reader, over all pages: the share of boilerplate sentences that reach the article's
text, the share that become at least one claim, the share of body sentences kept, and how many
publication days are read right (and headlines and authors). Sentences are split at ``. ! ?``
followed by a space; a sentence is in the text when it occurs there after spaces are collapsed.

``--corpora``: also reads every .html/.htm file under that folder (by default
``../shared/corpora``) and prints, per reader, the characters of text kept and the claims made
(no truth there, so no accuracy figure).

``--speed``: seconds to read pages built to be slow (the markup that once made html.parser
quadratic, from ``tests/test_input_robustness.py``, and big pages of 2.4 to 2.9 MB), by each
reader, and the reader ``claims.webpage.read_web_page`` chose (a page over
``MAX_MAIN_TEXT_ELEMENTS`` elements goes to the simple reader).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.pipeline.check import extract_story  # noqa: E402
from claims import webpage  # noqa: E402
from claims.html_text import html_to_text  # noqa: E402
from claims.read import Story, date_line_in_text, read_file_article  # noqa: E402

PAGES = ROOT / "tests" / "fixtures" / "pages"
CORPORA = ROOT.parent / "shared" / "corpora"
READERS = ("before", "simple", "trafilatura")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"\u201d]?\s+(?=[\"\u201cA-Z0-9])")
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "figcaption", "td", "tr", "br", "ul", "ol",
           "section", "article", "header", "footer", "nav", "hr", "aside", "main", "table", "form", "body"}


class _VisibleText(HTMLParser):
    """Every visible block of text of a page, as a browser would show it (scripts, styles and the
    title left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.hidden = 0

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "title", "template", "noscript"):
            self.hidden += 1
        if tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title", "template", "noscript"):
            self.hidden = max(0, self.hidden - 1)
        if tag in _BLOCKS:
            self._flush()

    def handle_data(self, data):
        if not self.hidden:
            self.current.append(data)


def visible_blocks(source: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(source)
    parser.close()
    parser._flush()
    return parser.blocks


def sentences(block: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(block) if s.strip()]


def squeeze(text: str) -> str:
    return " ".join(text.split())


def read_page(path: Path, reader: str):
    """(Article, seconds) for ``path`` read as ``reader`` says."""
    started = time.perf_counter()
    if reader == "before":
        from claims.read import decode_article, read_article_bytes

        text = decode_article(path, read_article_bytes(path))
        title, body = html_to_text(text)
        article = read_file_article(path, None)
        article.text, article.title, article.author = body, title, None
        article.published = date_line_in_text(body)
    else:
        with mock.patch.object(webpage, "trafilatura_available", lambda: reader == "trafilatura"):
            article = read_file_article(path, None)
    return article, time.perf_counter() - started


def claim_spans(article) -> list[tuple[int, int]]:
    story = Story(id="page", path=article.path, articles=[article])
    return [(claim.start, claim.end) for claim in extract_story(story).claims]


def became_claims(sentence: str, text: str, spans: list[tuple[int, int]]) -> bool:
    """Whether a claim's span lies in an occurrence of ``sentence`` in ``text`` (matched with
    its spaces as they are in the text)."""
    pattern = r"\s+".join(re.escape(word) for word in sentence.split())
    for match in re.finditer(pattern, text):
        if any(match.start() <= start and end <= match.end() for start, end in spans):
            return True
    return False


def score_pages(pages: Path) -> dict:
    truth = json.loads((pages / "truth.json").read_text(encoding="utf-8"))["pages"]
    totals = {reader: {"boiler": 0, "boiler_kept": 0, "boiler_claimed": 0, "body": 0, "body_kept": 0,
                       "dates": 0, "titles": 0, "authors": 0, "seconds": 0.0} for reader in READERS}
    rows = []
    for name, expected in sorted(truth.items()):
        path = pages / name
        source = path.read_text(encoding="utf-8")
        body = [s for paragraph in expected["body"] for s in sentences(paragraph)]
        known = {squeeze(s) for s in expected["body"] + expected["neutral"]}
        boiler = [s for block in visible_blocks(source) if squeeze(block) not in known for s in sentences(block)]
        for reader in READERS:
            article, seconds = read_page(path, reader)
            text = squeeze(article.text)
            spans = claim_spans(article)
            t = totals[reader]
            t["seconds"] += seconds
            t["boiler"] += len(boiler)
            t["boiler_kept"] += sum(squeeze(s) in text for s in boiler)
            t["boiler_claimed"] += sum(became_claims(s, article.text, spans) for s in boiler)
            t["body"] += len(body)
            t["body_kept"] += sum(squeeze(s) in text for s in body)
            day = article.published.date().isoformat() if article.published else None
            t["dates"] += day == expected["published"]
            t["titles"] += article.title == expected["title"]
            t["authors"] += article.author == expected["author"]
            rows.append((name, reader, day, expected["published"], article.title == expected["title"],
                         article.author))
    return {"pages": len(truth), "totals": totals, "rows": rows}


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}% ({part}/{whole})" if whole else "  n/a"


def corpora_pages(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".html", ".htm") and p.is_file())


def slow_pages() -> dict[str, str]:
    lead = ("<html><body><p>A fire on the cargo ship Polar Star killed 12 sailors in Murmansk harbour on Tuesday, "
            "officials said, and the port stayed shut.</p>")
    paragraph = "The council met on Tuesday and voted to build the bridge. " * 5
    return {name: lead + markup for name, markup in {
        "stray tags <i>*160k </q>*160k": "<i>" * 160_000 + "</q>" * 160_000,
        "comment opens <!--*160k": "<!--" * 160_000,
        "tag opens <a*160k": "<a" * 160_000,
        "cdata runs <![CDATA[x>*160k": "<![CDATA[x>" * 160_000,
        "nested <div>*100k": "<div>" * 100_000 + "text" + "</div>" * 100_000,
        "2.9 MB, 24k elements": "".join(f"<div class='c{i}'><p>{i}: {paragraph}</p></div>" for i in range(10_000)),
        "2.8 MB, 350k <p>x</p>": "<p>x</p>" * 350_000,
        "2.4 MB, 60k list links": "<ul>" + "<li><a href='/x'>Link text here</a></li>" * 60_000 + "</ul>",
        "list links just under the limit": "<ul>" + "<li><a href='/x'>Link text here</a></li>"
                                           * (webpage.MAX_MAIN_TEXT_ELEMENTS // 2 - 10) + "</ul>",
        "2.8 MB, one paragraph": "<p>" + paragraph * 15_000 + "</p>",
    }.items()}


def print_speed() -> None:
    """CPU seconds of this process (the machine may be shared: wall time would measure the others):
    the simple reader, trafilatura with no element limit, and the default (limit in force)."""
    print(f"{'page':34s} {'MB':>5s} {'simple':>7s} {'trafilatura':>12s} {'default':>8s} {'read by':>12s}"
          "   (CPU seconds)")
    for name, source in slow_pages().items():
        started = time.process_time()
        webpage.read_web_page(source, reader="simple")
        simple = time.process_time() - started
        unlimited = default = "-"
        reader = "simple"
        if webpage.trafilatura_available():
            with mock.patch.object(webpage, "MAX_MAIN_TEXT_ELEMENTS", 10**9):
                started = time.process_time()
                webpage.read_web_page(source, reader="trafilatura")
                unlimited = f"{time.process_time() - started:.2f}"
            started = time.process_time()
            reader = webpage.read_web_page(source).reader
            default = f"{time.process_time() - started:.2f}"
        print(f"{name:34s} {len(source.encode()) / 1e6:5.2f} {simple:7.2f} {unlimited:>12s} {default:>8s} {reader:>12s}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=PAGES)
    parser.add_argument("--corpora", type=Path, default=CORPORA)
    parser.add_argument("--speed", action="store_true", help="time the readers on pages built to be slow")
    args = parser.parse_args()
    if args.speed:
        print_speed()
        return 0
    if not webpage.trafilatura_available():
        print("trafilatura is not installed (pip install -e '.[web]'); its column is the simple reader's")
    result = score_pages(args.pages)
    print(f"{result['pages']} pages in {args.pages.relative_to(ROOT) if args.pages.is_relative_to(ROOT) else args.pages}")
    print(f"{'reader':12s} {'boilerplate in text':22s} {'boilerplate -> claims':22s} {'body kept':22s} "
          f"{'dates right':12s} {'titles':7s} {'authors':8s} {'read s':>6s}")
    n = result["pages"]
    for reader in READERS:
        t = result["totals"][reader]
        print(f"{reader:12s} {percent(t['boiler_kept'], t['boiler']):22s} {percent(t['boiler_claimed'], t['boiler']):22s} "
              f"{percent(t['body_kept'], t['body']):22s} {t['dates']}/{n:<10d} {t['titles']}/{n:<5d} "
              f"{t['authors']}/{n:<6d} {t['seconds']:6.2f}")
    print()
    for name, reader, day, want, title_right, author in result["rows"]:
        print(f"  {name:36s} {reader:12s} date {day or '-':10s} (true {want})  title {'ok' if title_right else 'wrong'}"
              f"  author {author!r}")
    found = corpora_pages(args.corpora)
    print()
    if not found:
        print(f"no saved HTML pages under {args.corpora} (the shared corpora are plain text)")
        return 0
    print(f"{len(found)} saved HTML pages under {args.corpora}:")
    for reader in READERS:
        chars = claims = 0
        for path in found:
            try:
                article, _ = read_page(path, reader)
            except Exception as exc:  # noqa: BLE001 - one unreadable page is reported, not fatal
                print(f"  {path}: {type(exc).__name__}: {exc}")
                continue
            chars += len(article.text)
            claims += len(claim_spans(article))
        print(f"  {reader:12s} {chars} characters of text, {claims} claims")
    return 0


if __name__ == "__main__":
    sys.exit(main())
