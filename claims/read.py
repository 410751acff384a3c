"""Read a story: a folder of articles (.txt, .md, .html, .json, .jsonl) or one feed file.

An optional ``meta.json`` (``articles[]``: id, file, outlet, date/datetime, headline, author)
gives each file its id, outlet and publication time; its entries and feed records are checked
against the field table of ``claims.meta_schema``, and their dates read by ``claims.meta_dates``
(the day/month order of all-numeric dates from the entry, the file's ``date_order``/``locale``
or its other dates, ``meta_dates.file_order``). A web page (``.html``, or HTML in a feed record)
is read by ``claims.webpage``: its main text, and the headline, author and date its markup gives
where the metadata gives none.

Everything is per file and per record: a bad article, feed record or meta.json entry is one
``InputError`` naming the file (and line or record), a field read with a guess (an encoding, a
dropped date) one ``InputWarning``, and the rest of the story is still read. ``read_story``
raises only when nothing at all can be read.

Files: a symbolic link is followed only to a file inside the story folder (one leading out is
refused, as is one whose target is missing); a file name that is not valid UTF-8 is read and
shown with ``\\xNN`` escapes (``shown_path``), so no report writer ever meets an unencodable
path. Articles in UTF-16/32 or a legacy code page are read with a warning naming the encoding
(``claims.encoding``).
"""
from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from claims.encoding import NotText, decode_bytes
from claims.errors import InputError, InputWarning
from claims.html_text import HTMLError
from claims.meta_dates import declared_order, file_order, order_complaint
from claims.meta_schema import (FEED_DATE_KEYS, MAX_FEED_RECORDS, META_DATE_KEYS, TEXT_KEYS, JSONLimitError,
                                check_fields, date_in_range, first_date, kind_of, loads, parse_date, shown)
from claims.webpage import WebPage, read_web_page, trafilatura_available
from claims.model import Article
from claims.lazy_re import lazy_compile

ARTICLE_SUFFIXES = {".txt", ".md", ".html", ".htm", ".json", ".jsonl"}
MAX_ARTICLE_BYTES = 5_000_000
MAX_META_BYTES = 5_000_000


@dataclass
class Story:
    id: str
    path: str
    articles: list[Article] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)
    warnings: list[InputWarning] = field(default_factory=list)
    meta: dict = field(default_factory=dict)


def parse_published(value) -> datetime | None:
    """Parse a metadata date (``claims.meta_dates``: ISO, RFC 2822, numeric day first, words);
    None when absent, unreadable or past what a datetime holds in UTC. (Whether the date is
    plausible is ``meta_schema.checked_date``.)"""
    if value is None or value == "":
        return None
    try:
        return parse_date(value)
    except (ValueError, OverflowError):
        return None


def shown_path(path) -> str:
    """``path`` as printable text that encodes as UTF-8: bytes of a file name that are not UTF-8
    (surrogate escapes in ``str`` paths) show as ``\\xNN``."""
    try:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    except UnicodeError:  # a lone surrogate that no file system produced
        return str(path).encode("utf-8", "backslashreplace").decode("utf-8")


_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
# A line that is nothing but a date stamp, as scraped pages often carry ("Mar 08, 2022 07:29am PDT").
# The leading space stops at the line's end: "^\s*" would run on through every following blank
# line from each line start, quadratic on a text of newlines.
_DATE_LINE = lazy_compile(
    rf"^[^\S\n]*(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+)?({_MONTHS})[a-z]*\.?\s+(\d{{1,2}}),?\s+(\d{{4}})"
    r"(?:\s+\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?\s*$",
    re.IGNORECASE | re.MULTILINE,
)


def date_line_in_text(text: str) -> datetime | None:
    """The publication date from a stand-alone date-stamp line, when the page carries one."""
    match = _DATE_LINE.search(text)
    if not match:
        return None
    month, day, year = match.groups()
    try:
        when = datetime.strptime(f"{month[:3].title()} {day} {year}", "%b %d %Y")
    except ValueError:
        return None
    return None if date_in_range(when) else when


def decode_article(path: Path, data: bytes, *, warnings: list | None = None, html: bool = False) -> str:
    """The text of an article's bytes. UTF-8 is read as is; another encoding is guessed and
    named in an InputWarning appended to ``warnings`` (when given); binary data, or no text at
    all, is an InputError."""
    where = shown_path(path)
    if not data.strip():
        raise InputError(where, "empty article")
    if len(data) > MAX_ARTICLE_BYTES:
        raise InputError(where, f"article too large ({len(data)} bytes; limit {MAX_ARTICLE_BYTES})")
    try:
        decoded = decode_bytes(data, html=html)
    except NotText as exc:
        raise InputError(where, str(exc)) from None
    if not decoded.text.strip():  # UTF-16 spaces are not blank bytes
        raise InputError(where, "empty article")
    if warnings is not None:
        warnings.extend(InputWarning(where, note) for note in (decoded.declaration_note, decoded.note) if note)
    return decoded.text


def read_article_bytes(path: Path, limit: int = MAX_ARTICLE_BYTES, what: str = "article") -> bytes:
    """A file's bytes, never reading more than ``limit`` of them (a huge file is refused by its
    size, not loaded first)."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise InputError(shown_path(path), f"{what} too large ({size} bytes; limit {limit})")
        return handle.read(limit + 1)


def article_from_record(record: dict, path: Path, index: int, source_format: str, *,
                        line: int | None = None, warnings: list | None = None,
                        date_order: str | None = None) -> Article:
    """The article in feed record number ``index`` (0-based) of ``path``.

    Fields are checked against ``meta_schema.FIELDS``: a record without text (or not an object)
    is an InputError, a badly typed or implausible optional field an InputWarning appended to
    ``warnings`` (when given) and the field dropped. ``line`` is the record's line in a .jsonl
    feed; every message names the record. ``date_order``: the day/month order the feed declares
    or shows (``meta_dates.file_order``); the record's own ``locale`` or ``date_order`` wins."""
    where = shown_path(path)
    label = f"record {index + 1}"
    if not isinstance(record, dict):
        raise InputError(where, f"{label} is {kind_of(record)}, not an object", line=line)
    checked = check_fields(record, "feed")
    if checked.problems:
        raise InputError(where, f"{label}: {checked.problems[0]}", line=line)
    notes = list(checked.warnings)
    values = checked.values
    text = next((values[k] for k in TEXT_KEYS if values.get(k, "").strip()), None)
    if text is None:
        raise InputError(where, f"{label} has no text", line=line)
    page = None
    if source_format == "html" or "<p" in text[:2000].lower():
        try:
            page = read_web_page(text)
        except HTMLError as exc:
            raise InputError(where, f"{label}: {exc}", line=line) from None
        if not page.text.strip():
            raise InputError(where, f"{label}: no article text found in the HTML", line=line)
        text = page.text
        notes.extend(page.notes)
    published, date_notes = first_date(values, FEED_DATE_KEYS, hint=declared_order(values) or date_order)
    notes.extend(date_notes + [complaint for complaint in [order_complaint(values)] if complaint])
    if published is None and page is not None:
        published = page.published
    if warnings is not None:
        warnings.extend(InputWarning(where, f"{label}: {note}", line=line) for note in notes)
    return Article(
        id=values.get("id") or f"{shown_path(path.stem)}-{index + 1}", path=where, text=text,
        outlet=values.get("outlet") or values.get("source"), published=published,
        title=values.get("title") or values.get("headline") or (page.title if page else None), format="json",
        url=_url(values.get("url") or values.get("link")),
        author=values.get("author") or values.get("byline") or (page.author if page else None),
    )


def _url(value) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def json_records(data) -> list:
    """The records of a parsed .json feed: a list, {"articles": [...]}, or one record."""
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        return data["articles"]
    return data if isinstance(data, list) else [data]


def load_json(path: Path, text: str, *, line: int | None = None):
    """``text`` (all of ``path``, or its line ``line``) parsed within the limits of
    ``meta_schema``; InputError naming the file and line otherwise."""
    where = shown_path(path)
    try:
        return loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(where, f"invalid JSON: {exc.msg}", line=line or exc.lineno) from None
    except JSONLimitError as exc:
        raise InputError(where, str(exc), line=line) from None


def feed_records(path: Path, text: str, problems: list,
                 top: dict | None = None) -> list[tuple[int | None, int, object]]:
    """(line or None, record index, record) for every record of a feed's text, at most
    MAX_FEED_RECORDS. A .jsonl line that does not parse is a problem appended to ``problems``
    and keeps its record number, so the ids of the records after it do not shift; a .json
    feed that does not parse raises InputError (nothing in it can be read). A .json feed that
    is an object with ``articles`` leaves its other fields in ``top`` (when given)."""
    where = shown_path(path)
    if path.suffix.lower() != ".jsonl":
        data = load_json(path, text)
        if top is not None and isinstance(data, dict) and isinstance(data.get("articles"), list):
            top.update((key, value) for key, value in data.items() if key != "articles")
        items = json_records(data)
        if len(items) > MAX_FEED_RECORDS:
            problems.append(InputError(where, f"{len(items)} records; only the first {MAX_FEED_RECORDS} are read"))
        return [(None, i, record) for i, record in enumerate(items[:MAX_FEED_RECORDS])]
    out: list[tuple[int | None, int, object]] = []
    index = 0
    # split on "\n" only: splitlines() would also break a record at a U+2028 inside a string
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        if index == MAX_FEED_RECORDS:
            problems.append(InputError(where, f"more than {MAX_FEED_RECORDS} records; the rest are not read",
                                       line=lineno))
            break
        try:
            out.append((lineno, index, load_json(path, line, line=lineno)))
        except InputError as exc:
            problems.append(InputError(where, f"{exc.problem}; record {index + 1} skipped", line=lineno))
        index += 1
    return out


def read_feed(path: Path, problems: list | None = None, warnings: list | None = None) -> list[Article]:
    """Articles from a .json (list, {"articles": [...]}, or one record) or .jsonl feed.

    A record that cannot be read is an InputError appended to ``problems``; without that list
    the first one is raised. A feed that cannot be read at all always raises."""
    collect = problems if problems is not None else []
    text = decode_article(path, read_article_bytes(path), warnings=warnings)
    articles = []
    top: dict = {}
    records = feed_records(path, text, collect, top)
    date_order = file_order([record for _, _, record in records], FEED_DATE_KEYS, top)
    complaint = order_complaint(top)
    if complaint and warnings is not None:
        warnings.append(InputWarning(shown_path(path), complaint))
    for line, index, record in records:
        try:
            articles.append(article_from_record(record, path, index, "json", line=line, warnings=warnings,
                                                date_order=date_order))
        except InputError as exc:
            collect.append(exc)
    if problems is None and collect:
        raise collect[0]
    return articles


def read_file_article(path: Path, meta: dict | None, *, warnings: list | None = None,
                      meta_label: tuple[str, str] | None = None, date_order: str | None = None) -> Article:
    """One .txt/.md/.html article with its meta.json entry ``meta`` (or None).

    The entry's fields are checked against ``meta_schema.FIELDS``; a bad one is dropped with an
    InputWarning appended to ``warnings`` (when given), naming ``meta_label`` (meta.json's path
    and the entry). ``date_order``: the day/month order meta.json declares or shows
    (``meta_dates.file_order``); the entry's own ``locale`` or ``date_order`` wins.

    A web page's headline, author and publication date (``claims.webpage``) fill in what the
    entry does not give: meta.json wins."""
    fmt = path.suffix.lstrip(".").lower()
    text = decode_article(path, read_article_bytes(path), warnings=warnings, html=fmt in ("html", "htm"))
    page: WebPage | None = None
    if fmt in ("html", "htm"):
        try:
            page = read_web_page(text)
        except HTMLError as exc:
            raise InputError(shown_path(path), str(exc)) from None
        fmt, text = "html", page.text
        if not text.strip():
            raise InputError(shown_path(path), "no article text found in the HTML")
        if page.notes and warnings is not None:
            warnings.extend(InputWarning(shown_path(path), note) for note in page.notes)
    checked = check_fields(meta or {}, "meta")
    values = checked.values
    # the first field that parses: a datetime in an odd format must not hide a plain date
    published, date_notes = first_date(values, META_DATE_KEYS, hint=declared_order(values) or date_order)
    notes = checked.warnings + date_notes + [complaint for complaint in [order_complaint(values)] if complaint]
    if notes and warnings is not None:
        meta_path, entry = meta_label or (shown_path(path), "metadata")
        warnings.extend(InputWarning(meta_path, f"{entry}: {note}") for note in notes)
    estimated = False
    if published is None and page is not None:
        published = page.published
    if published is None:
        published = date_line_in_text(text)
        estimated = published is not None
    return Article(
        id=values.get("id") or shown_path(path.stem), path=shown_path(path), text=text,
        outlet=values.get("outlet"), published=published, published_estimated=estimated,
        title=values.get("headline") or values.get("title") or (page.title if page else None), format=fmt,
        url=_url(values.get("url")),
        author=values.get("author") or values.get("byline") or (page.author if page else None),
    )


def _inside(path: Path, folder: Path) -> str | None:
    """Why ``path`` may not be read as part of ``folder`` (a resolved path), or None.

    Symbolic links are followed only to files inside the story folder: a story is what its
    folder holds, and a link out of it could read any file the user can."""
    if not path.is_symlink():
        return None
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        return "dangling symbolic link (its target does not exist)"
    except (OSError, RuntimeError):  # a loop: RuntimeError up to Python 3.12, OSError after
        return "symbolic link that cannot be followed (a loop)"
    if not target.is_relative_to(folder):
        return f"symbolic link to {shown_path(target)}, outside the story folder; refused"
    return None


def read_meta(folder: Path, *, warnings: list | None = None) -> dict:
    """The story's meta.json as a dict ({} when there is none); InputError when it cannot be read."""
    meta_path = folder / "meta.json"
    where = shown_path(meta_path)
    if not meta_path.exists() and not meta_path.is_symlink():
        return {}
    refused = _inside(meta_path, folder.resolve())
    if refused:
        raise InputError(where, refused)
    data = read_article_bytes(meta_path, MAX_META_BYTES, what="meta.json")
    try:
        text = decode_bytes(data)
    except NotText as exc:
        raise InputError(where, str(exc)) from None
    if text.note and warnings is not None:
        warnings.append(InputWarning(where, text.note))
    meta = load_json(meta_path, text.text)
    if not isinstance(meta, dict) or not isinstance(meta.get("articles", []), list):
        raise InputError(where, "expected an object with an 'articles' list")
    return meta


def meta_entries(meta: dict, meta_path: Path, names: set[str], problems: list,
                 warnings: list) -> dict[str, tuple[dict, str]]:
    """meta.json's ``articles[]`` by file name: (entry, label naming it). An entry that is not an
    object, has no usable ``file``, or names a file the folder does not hold (or holds but
    does not read) is a problem naming meta.json and the entry."""
    where = shown_path(meta_path)
    by_file: dict[str, tuple[dict, str]] = {}
    for i, entry in enumerate(meta.get("articles", [])):
        label = f"articles[{i}]"
        if not isinstance(entry, dict):
            problems.append(InputError(where, f"{label} is {kind_of(entry)}, not an object; ignored"))
            continue
        checked = check_fields(entry, "meta")
        if checked.problems:
            problems.append(InputError(where, f"{label}: {checked.problems[0]}"))
            continue
        name = checked.values.get("file")
        if name is None:
            problems.append(InputError(where, f"{label} names no 'file'; ignored"))
            continue
        label = f"{label} ({shown(name)})"
        if name not in names:
            problems.append(InputError(where, f"{label}: no such file in the story folder"))
            continue
        if not _is_article_name(name):
            problems.append(InputError(where, f"{label}: not an article file "
                                              f"({', '.join(sorted(ARTICLE_SUFFIXES))}); ignored"))
            continue
        if name in by_file:
            warnings.append(InputWarning(where, f"{label}: same file as {by_file[name][1]}; this later entry is used"))
        by_file[name] = (entry, label)
    return by_file


def _is_article_name(name: str) -> bool:
    return (Path(name).suffix.lower() in ARTICLE_SUFFIXES and name != "meta.json"
            and not name.startswith(".") and "/" not in name)


def article_files(root: Path, names: list[str], problems: list, warnings: list) -> list[Path]:
    """The article files among ``names`` (the folder's entries), in order; a link leading out of
    the folder or nowhere, or a special file (a pipe, a device), is a problem instead."""
    folder = root.resolve()
    files = []
    for name in names:
        if not _is_article_name(name):
            continue
        path = root / name
        where = shown_path(path)
        refused = _inside(path, folder)
        if refused:
            problems.append(InputError(where, refused))
            continue
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            problems.append(InputError(where, f"cannot read: {exc.strerror or exc}"))
            continue
        if stat.S_ISDIR(mode):
            continue
        if not stat.S_ISREG(mode):
            problems.append(InputError(where, "not a regular file (a pipe, socket or device); refused"))
            continue
        if shown_path(name) != name:
            warnings.append(InputWarning(where, "file name is not valid UTF-8; shown with \\x escapes"))
        files.append(path)
    return files


def read_story(path: str | Path) -> Story:
    """Read every article of a story. Raises InputError only when nothing can be read at all."""
    root = Path(path)
    where = shown_path(root)
    if not root.exists():
        raise InputError(where, "no such file or folder")
    if root.is_file():
        if root.suffix.lower() not in (".json", ".jsonl"):
            raise InputError(where, "a story is a folder of articles or a .json/.jsonl feed")
        story = Story(id=shown_path(root.stem), path=where)
        story.articles = read_feed(root, story.problems, story.warnings)
        return _finish(story, root)
    if not root.is_dir():
        raise InputError(where, "a story is a folder of articles or a .json/.jsonl feed")

    story = Story(id=shown_path(root.name or root.resolve().name), path=where)
    try:
        names = sorted(os.listdir(root))
    except OSError as exc:
        raise InputError(where, f"cannot read the folder: {exc.strerror or exc}") from None
    try:
        story.meta = read_meta(root, warnings=story.warnings)
    except InputError as exc:
        story.problems.append(exc)
    except OSError as exc:
        story.problems.append(InputError(shown_path(root / "meta.json"), f"cannot read: {exc.strerror or exc}"))
    by_file = meta_entries(story.meta, root / "meta.json", set(names), story.problems, story.warnings)
    date_order = file_order([entry for entry, _ in by_file.values()], META_DATE_KEYS, story.meta)
    complaint = order_complaint(story.meta)
    if complaint:
        story.warnings.append(InputWarning(shown_path(root / "meta.json"), complaint))
    for file in article_files(root, names, story.problems, story.warnings):
        try:
            if file.suffix.lower() in (".json", ".jsonl"):
                story.articles.extend(read_feed(file, story.problems, story.warnings))
            else:
                entry, label = by_file.get(file.name, (None, ""))
                story.articles.append(read_file_article(file, entry, warnings=story.warnings,
                                                        meta_label=(shown_path(root / "meta.json"), label),
                                                        date_order=date_order))
        except InputError as exc:
            story.problems.append(exc)
        except OSError as exc:
            story.problems.append(InputError(shown_path(file), f"cannot read: {exc.strerror or exc}"))
    _note_simple_html(story)
    return _finish(story, root)


def _note_simple_html(story: Story) -> None:
    """One warning for a story whose web pages were read without trafilatura: their menus,
    banners and comments may have become claims, and the fix is one install away."""
    pages = [article for article in story.articles if article.format == "html"]
    if pages and not trafilatura_available():
        story.warnings.append(InputWarning(pages[0].path, (
            f"{len(pages)} web page{'s' if len(pages) > 1 else ''} read without trafilatura: menus, cookie "
            "banners, 'most read' lists and comments may be read as article text "
            "(pip install 'claimcheck[web]' to leave them out)")))


def _finish(story: Story, root: Path) -> Story:
    """One article per id (a repeated id is a problem); raise when nothing was read."""
    seen: set[str] = set()
    for article in story.articles:
        if article.id in seen:
            story.problems.append(InputError(article.path, f"duplicate article id {article.id!r}"))
        seen.add(article.id)
    story.articles = list({a.id: a for a in story.articles}.values())
    if not story.articles:
        if story.problems:
            raise story.problems[0]
        raise InputError(shown_path(root), "no articles found (.txt, .md, .html, .json, .jsonl)")
    return story
