"""The nightly inbox: what stories there are to check tonight.

An inbox is a folder holding any mix of
- story folders (each one story, read as ``claimcheck check`` reads it, in the worker), and
- feeds: ``.jsonl``, ``.json`` or ``.csv`` files of article records (``id``, ``outlet``, ``url``,
  ``published``, ``title``, ``text``) that carry their story in ``story`` or ``story_id``.

or is a single feed file. Records without a story id are grouped into stories automatically
(``checker.grouping``); each such story says why each article joined it. Giving story ids
overrides the grouping. A bad record is reported and skipped; it never sinks its feed.

Story folders are listed, not read, here, so a large inbox streams: only the stories in flight
are in memory. Feed records are read up front, since grouping needs them all.
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from claims.errors import InputError
from claims.model import Article
from claims.read import Story, article_from_record, decode_article, json_records

FEED_SUFFIXES = {".jsonl", ".json", ".csv"}
STORY_KEYS = ("story", "story_id", "cluster")
MAX_FEED_BYTES = 2_000_000_000


@dataclass
class StoryJob:
    """One story to check: a folder (read by the worker) or a story already built from feeds."""

    id: str
    path: str | None = None
    story: Story | None = None
    grouping: dict | None = None  # automatic grouping: {"group": id, "reasons": {article: why}}

    @property
    def articles(self) -> int | None:
        return len(self.story.articles) if self.story is not None else None


@dataclass
class Inbox:
    jobs: list[StoryJob] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)
    grouped_articles: int = 0  # articles placed in stories by automatic grouping

    def __iter__(self) -> Iterator[StoryJob]:
        return iter(self.jobs)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def file_name(story_id: str) -> str:
    """A safe file name for a story's report: story ids come from feeds and may hold anything
    (``../``, slashes, control characters). Ids that had to change get a hash so that two ids
    never share a file."""
    slug = _UNSAFE.sub("-", story_id).strip(".-")[:80] or "story"
    if slug != story_id:
        slug += "-" + hashlib.sha1(story_id.encode("utf-8")).hexdigest()[:8]
    return slug


def read_inbox(path: str | Path) -> Inbox:
    root = Path(path)
    if not root.exists():
        raise InputError(str(root), "no such file or folder")
    inbox = Inbox()
    if root.is_file():
        if root.suffix.lower() not in FEED_SUFFIXES:
            raise InputError(str(root), "an inbox is a folder of stories and feeds, or a .jsonl/.json/.csv feed")
        feeds, folders = [root], []
    else:
        entries = sorted(p for p in root.iterdir() if not p.name.startswith("."))
        folders = [p for p in entries if p.is_dir()]
        feeds = [p for p in entries if p.is_file() and p.suffix.lower() in FEED_SUFFIXES]
    for folder in folders:
        inbox.jobs.append(StoryJob(id=folder.name, path=str(folder)))
    records: list[tuple[str | None, Article]] = []
    for feed in feeds:
        records.extend(feed_articles(feed, inbox.problems))
    _stories_from_records(records, inbox)
    seen: dict[str, StoryJob] = {}
    for job in inbox.jobs:
        if job.id in seen:
            inbox.problems.append(InputError(job.path or job.id, f"story id {job.id!r} given twice; "
                                                                   "the second is checked as "
                                                                   f"{job.id}~2"))
            job.id = _unique(job.id, seen)
        seen[job.id] = job
    if not inbox.jobs and not inbox.problems:
        raise InputError(str(root), "no stories found (story folders, or .jsonl/.json/.csv feeds)")
    return inbox


def _unique(story_id: str, seen: dict) -> str:
    n = 2
    while f"{story_id}~{n}" in seen:
        n += 1
    return f"{story_id}~{n}"


def _feed_records(feed: Path) -> Iterator[tuple[int, object]]:
    """(line or record number, record) for every record of a feed; unreadable lines raise
    InputError with their line number, which the caller reports and skips."""
    size = feed.stat().st_size
    if size > MAX_FEED_BYTES:
        raise InputError(str(feed), f"feed too large ({size} bytes; limit {MAX_FEED_BYTES})")
    suffix = feed.suffix.lower()
    if suffix == ".csv":
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
        with feed.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            for row in reader:
                yield reader.line_num, row
        return
    if suffix == ".jsonl":
        with feed.open(encoding="utf-8-sig") as handle:
            for lineno, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    yield lineno, json.loads(line)
                except json.JSONDecodeError as exc:
                    yield lineno, InputError(str(feed), f"invalid JSON: {exc.msg}", line=lineno)
        return
    try:
        data = json.loads(decode_article(feed, feed.read_bytes()))
    except json.JSONDecodeError as exc:
        raise InputError(str(feed), f"invalid JSON: {exc.msg}", line=exc.lineno) from None
    yield from enumerate(json_records(data), 1)


def feed_articles(feed: Path, problems: list[InputError]) -> list[tuple[str | None, Article]]:
    """(story id or None, article) for every readable record of a feed; the rest go to ``problems``."""
    out: list[tuple[str | None, Article]] = []
    try:
        for number, record in _feed_records(feed):
            if isinstance(record, InputError):
                problems.append(record)
                continue
            try:
                article = article_from_record(record, feed, number - 1, "json")
            except InputError as exc:
                problems.append(InputError(str(feed), exc.problem, line=number))
                continue
            story = next((str(record[k]).strip() for k in STORY_KEYS
                          if isinstance(record, dict) and record.get(k) not in (None, "")), None)
            out.append((story, article))
    except InputError as exc:
        problems.append(exc)
    except UnicodeDecodeError as exc:
        problems.append(InputError(str(feed), f"not valid UTF-8 (byte {exc.start})"))
    except (OSError, csv.Error) as exc:
        problems.append(InputError(str(feed), f"cannot read: {getattr(exc, 'strerror', None) or exc}"))
    return out


def _stories_from_records(records: list[tuple[str | None, Article]], inbox: Inbox) -> None:
    by_story: dict[str, list[Article]] = {}
    ungrouped: list[Article] = []
    for story, article in records:
        if story is None:
            ungrouped.append(article)
        else:
            by_story.setdefault(story, []).append(article)
    for story_id in sorted(by_story):
        inbox.jobs.append(StoryJob(id=story_id, story=_story(story_id, by_story[story_id], inbox)))
    if ungrouped:
        from checker.grouping import group_articles

        for group in group_articles(ungrouped):
            inbox.jobs.append(StoryJob(id=group.id, story=_story(group.id, group.articles, inbox),
                                       grouping={"group": group.id, "reasons": dict(group.reasons)}))
        inbox.grouped_articles = len(ungrouped)


def _story(story_id: str, articles: list[Article], inbox: Inbox) -> Story:
    """A story from feed records; a repeated article id keeps its first record."""
    kept: dict[str, Article] = {}
    for article in articles:
        if article.id in kept:
            inbox.problems.append(InputError(article.path, f"duplicate article id {article.id!r} in story "
                                                           f"{story_id!r}; the first is kept"))
            continue
        kept[article.id] = article
    return Story(id=story_id, path=f"{sorted({a.path for a in articles})[0]}#{story_id}",
                 articles=list(kept.values()))
