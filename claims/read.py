"""Read a story: a folder of articles (.txt, .md, .html, .json, .jsonl) or one feed file.

An optional ``meta.json`` (``articles[]``: id, file, outlet, date/datetime, headline) gives
each file its id, outlet and publication time. A bad article is skipped and reported as an
``InputError``; it never sinks the rest of the story.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from claims.errors import InputError, InputWarning
from claims.html_text import html_to_text
from claims.model import Article

ARTICLE_SUFFIXES = {".txt", ".md", ".html", ".htm", ".json", ".jsonl"}
MAX_ARTICLE_BYTES = 5_000_000
TEXT_KEYS = ("text", "body", "content", "article")


@dataclass
class Story:
    id: str
    path: str
    articles: list[Article] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)
    warnings: list[InputWarning] = field(default_factory=list)
    meta: dict = field(default_factory=dict)


def parse_published(value) -> datetime | None:
    """Parse an ISO-like date or datetime from metadata; None when absent or unreadable."""
    if value in (None, ""):
        return None
    text = str(value).strip().replace("T", " ").replace("Z", "+00:00")
    for fmt in ("%Y-%m-%d %H:%M:%S%z", "%Y-%m-%d %H:%M%z", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
                "%Y-%m-%d", "%Y%m%d", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y"):
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return parsed.astimezone(timezone.utc).replace(tzinfo=None) if parsed.tzinfo else parsed
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.astimezone(timezone.utc).replace(tzinfo=None) if parsed.tzinfo else parsed


_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
# A line that is nothing but a date stamp, as scraped pages often carry ("Mar 08, 2022 07:29am PDT").
_DATE_LINE = re.compile(
    rf"^\s*(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+)?({_MONTHS})[a-z]*\.?\s+(\d{{1,2}}),?\s+(\d{{4}})"
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
        return datetime.strptime(f"{month[:3].title()} {day} {year}", "%b %d %Y")
    except ValueError:
        return None


def decode_article(path: Path, data: bytes) -> str:
    if not data.strip():
        raise InputError(str(path), "empty article")
    if len(data) > MAX_ARTICLE_BYTES:
        raise InputError(str(path), f"article too large ({len(data)} bytes; limit {MAX_ARTICLE_BYTES})")
    if b"\x00" in data[:8192]:
        raise InputError(str(path), "binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not valid UTF-8 (byte {exc.start})") from None


def article_from_record(record: dict, path: Path, index: int, source_format: str) -> Article:
    if not isinstance(record, dict):
        raise InputError(str(path), f"record {index + 1} is not an object")
    text = next((record[k] for k in TEXT_KEYS if isinstance(record.get(k), str)), None)
    if text is None or not text.strip():
        raise InputError(str(path), f"record {index + 1} has no text")
    if source_format == "html" or "<p" in text[:2000].lower():
        title, text = html_to_text(text)
        record.setdefault("title", title)
    art_id = str(record.get("id") or f"{path.stem}-{index + 1}")
    return Article(
        id=art_id, path=str(path), text=text, outlet=record.get("outlet") or record.get("source"),
        published=parse_published(record.get("published") or record.get("date") or record.get("datetime")),
        title=record.get("title") or record.get("headline"), format="json",
        url=_url(record.get("url") or record.get("link")),
    )


def _url(value) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def json_records(data) -> list:
    """The records of a parsed .json feed: a list, {"articles": [...]}, or one record."""
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        return data["articles"]
    return data if isinstance(data, list) else [data]


def read_feed(path: Path) -> list[Article]:
    """Articles from a .json (list, {"articles": [...]}, or one record) or .jsonl feed."""
    text = decode_article(path, path.read_bytes())
    records: list = []
    if path.suffix == ".jsonl":
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError(str(path), f"invalid JSON: {exc.msg}", line=lineno) from None
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(str(path), f"invalid JSON: {exc.msg}", line=exc.lineno) from None
        records = json_records(data)
    return [article_from_record(r, path, i, "json") for i, r in enumerate(records)]


def read_file_article(path: Path, meta: dict | None) -> Article:
    text = decode_article(path, path.read_bytes())
    title = None
    fmt = path.suffix.lstrip(".").lower()
    if fmt in ("html", "htm"):
        title, text = html_to_text(text)
        fmt = "html"
        if not text.strip():
            raise InputError(str(path), "no article text found in the HTML")
    meta = meta or {}
    # the first field that parses: a datetime in an odd format must not hide a plain date
    published = next((p for p in (parse_published(meta.get(k)) for k in ("datetime", "date", "published"))
                      if p is not None), None)
    estimated = False
    if published is None:
        published = date_line_in_text(text)
        estimated = published is not None
    return Article(
        id=str(meta.get("id") or path.stem), path=str(path), text=text,
        outlet=meta.get("outlet"), published=published, published_estimated=estimated,
        title=meta.get("headline") or meta.get("title") or title, format=fmt,
        url=_url(meta.get("url")),
    )


def read_meta(folder: Path) -> dict:
    meta_path = folder / "meta.json"
    if not meta_path.exists():
        return {}
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError(str(meta_path), "not valid UTF-8") from None
    except json.JSONDecodeError as exc:
        raise InputError(str(meta_path), f"invalid JSON: {exc.msg}", line=exc.lineno) from None
    if not isinstance(meta, dict) or not isinstance(meta.get("articles", []), list):
        raise InputError(str(meta_path), "expected an object with an 'articles' list")
    return meta


def read_story(path: str | Path) -> Story:
    """Read every article of a story. Raises InputError only when nothing can be read at all."""
    root = Path(path)
    if not root.exists():
        raise InputError(str(root), "no such file or folder")
    if root.is_file():
        if root.suffix not in (".json", ".jsonl"):
            raise InputError(str(root), "a story is a folder of articles or a .json/.jsonl feed")
        story = Story(id=root.stem, path=str(root))
        story.articles = read_feed(root)
        return story

    story = Story(id=root.name or root.resolve().name, path=str(root))
    try:
        story.meta = read_meta(root)
    except InputError as exc:
        story.problems.append(exc)
    by_file = {a.get("file"): a for a in story.meta.get("articles", []) if isinstance(a, dict)}
    files = sorted(p for p in root.iterdir()
                   if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
                   and p.name != "meta.json" and not p.name.startswith("."))
    for file in files:
        try:
            if file.suffix.lower() in (".json", ".jsonl"):
                story.articles.extend(read_feed(file))
            else:
                story.articles.append(read_file_article(file, by_file.get(file.name)))
        except InputError as exc:
            story.problems.append(exc)
        except OSError as exc:
            story.problems.append(InputError(str(file), f"cannot read: {exc.strerror}"))
    seen: set[str] = set()
    for article in story.articles:
        if article.id in seen:
            story.problems.append(InputError(article.path, f"duplicate article id {article.id!r}"))
        seen.add(article.id)
    story.articles = list({a.id: a for a in story.articles}.values())
    if not story.articles:
        if story.problems:
            raise story.problems[0]
        raise InputError(str(root), "no articles found (.txt, .md, .html, .json, .jsonl)")
    return story
