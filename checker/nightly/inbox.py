"""The nightly inbox: what stories there are to check tonight.

An inbox is a folder holding any mix of
- story folders (each one story, read as ``claimcheck check`` reads it, in the worker), and
- feeds: ``.jsonl``, ``.json`` or ``.csv`` files of article records (``id``, ``outlet``, ``url``,
  ``published``, ``title``, ``text``) that carry their story in ``story`` or ``story_id``.

or is a single feed file. Records without a story id are grouped into stories automatically
(``checker.nightly.grouping``); each such story says why each article joined it. Giving story ids
overrides the grouping. A bad record is reported and skipped; it never sinks its feed.

Story folders are listed, not read, here, so a large inbox streams: only the stories in flight
are in memory. Feed records are read up front, since grouping needs them all, with two guards
for hostile web text: a record whose text may hold HTML and that names its story travels raw to
the worker and is parsed there, under the story's time limit; one without a story id must be
read here for grouping, and each such record gets ``RECORD_READ_LIMIT_S`` (past it the record is
skipped as a problem). Any exception while reading one record skips that record only.
"""
from __future__ import annotations

import csv
import hashlib
import re
import signal
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from claims.errors import InputError, InputWarning, stage_failure
from claims.model import Article
from claims.encoding import NotText, decode_bytes
from claims.read import TEXT_KEYS, Story, article_from_record, json_records, load_json

FEED_SUFFIXES = {".jsonl", ".json", ".csv"}
STORY_KEYS = ("story", "story_id", "cluster")
MAX_FEED_BYTES = 2_000_000_000
RECORD_READ_LIMIT_S = 10.0  # per feed record read in the main process (records without a story id)


@dataclass
class RawRecord:
    """A feed record not yet read: its text may be HTML, which is parsed in the worker."""

    feed: str
    number: int  # the record's line (.jsonl, .csv) or position (.json) in its feed, from 1
    record: dict


@dataclass
class StoryJob:
    """One story to check: a folder (read by the worker), a story already built from feeds, or
    feed ``entries`` (articles and raw records, in feed order) that the worker builds it from."""

    id: str
    path: str | None = None
    story: Story | None = None
    grouping: dict | None = None  # automatic grouping: {"group": id, "reasons": {article: why}}
    entries: list | None = None  # Article | RawRecord

    @property
    def articles(self) -> int | None:
        if self.story is not None:
            return len(self.story.articles)
        return len(self.entries) if self.entries is not None else None

    def source(self) -> Story | str | None:
        """What the checker reads: the built story, the folder, or the story built now from raw
        records (in the worker, where the story's time limit applies)."""
        if self.story is not None:
            return self.story
        if self.entries is not None:
            return story_from_entries(self.id, self.entries)
        return self.path


@dataclass
class Inbox:
    jobs: list[StoryJob] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)
    warnings: list[InputWarning] = field(default_factory=list)  # records read with a field dropped
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


def read_inbox(path: str | Path, *, record_limit_s: float | None = RECORD_READ_LIMIT_S) -> Inbox:
    """The inbox's stories. ``record_limit_s`` bounds the reading of each feed record done here
    (records without a story id, read for grouping); None: no bound."""
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
    records: list[tuple[str | None, Article | RawRecord]] = []
    for feed in feeds:
        records.extend(feed_articles(feed, inbox.problems, warnings=inbox.warnings, record_limit_s=record_limit_s))
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
    try:
        text = decode_bytes(feed.read_bytes()).text
    except NotText as exc:
        raise InputError(str(feed), str(exc)) from None
    if suffix == ".jsonl":
        # records end at a newline only: U+2028 inside a string is no record break
        for lineno, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                yield lineno, load_json(feed, line, line=lineno)
            except InputError as exc:
                yield lineno, exc
        return
    yield from enumerate(json_records(load_json(feed, text)), 1)


def feed_articles(feed: Path, problems: list[InputError], *, warnings: list[InputWarning] | None = None,
                  record_limit_s: float | None = RECORD_READ_LIMIT_S) -> list[tuple[str | None, Article | RawRecord]]:
    """(story id or None, article) for every readable record of a feed; the rest go to ``problems``.

    A record that names its story and may hold HTML comes back as a ``RawRecord``, read later in
    the worker; every other record is read here, one at a time, within ``record_limit_s``.
    """
    out: list[tuple[str | None, Article | RawRecord]] = []
    try:
        for number, record in _feed_records(feed):
            if isinstance(record, InputError):
                problems.append(record)
                continue
            story = next((str(record[k]).strip() for k in STORY_KEYS
                          if isinstance(record, dict) and record.get(k) not in (None, "")), None)
            if story is not None and _may_hold_html(record):
                out.append((story, RawRecord(str(feed), number, record)))
                continue
            article = read_record(str(feed), number, record, problems, limit_s=record_limit_s,
                                  warnings=warnings)
            if article is not None:
                out.append((story, article))
    except InputError as exc:
        problems.append(exc)
    except UnicodeDecodeError as exc:
        problems.append(InputError(str(feed), f"not valid UTF-8 (byte {exc.start})"))
    except (OSError, csv.Error) as exc:
        problems.append(InputError(str(feed), f"cannot read: {getattr(exc, 'strerror', None) or exc}"))
    return out


def _may_hold_html(record) -> bool:
    """Whether reading the record may mean parsing HTML: no markup without a '<'."""
    return isinstance(record, dict) and any(isinstance(record.get(k), str) and "<" in record[k] for k in TEXT_KEYS)


class RecordTimeout(BaseException):
    """A record took too long to read. A BaseException, so that no ``except Exception`` on the
    way swallows it."""


# A signal handler's exception is lost when the signal lands in a garbage-collector callback or
# a __del__, so the alarm repeats every ALARM_REPEAT_S seconds until the block has ended.
ALARM_REPEAT_S = 0.5


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Interrupt the block after ``seconds`` with RecordTimeout. Only a process's main thread
    receives signals; elsewhere (or with no limit) the block runs unbounded."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    armed = [True]

    def on_alarm(signum, frame):  # noqa: ARG001 - the signal handler signature
        if armed[0]:
            raise RecordTimeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds, ALARM_REPEAT_S)
    try:
        yield
    finally:
        armed[0] = False
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:  # restored even when the alarm goes off on the way out
            signal.signal(signal.SIGALRM, previous)


def read_record(feed: str, number: int, record, problems: list[InputError], *,
                limit_s: float | None = None, warnings: list[InputWarning] | None = None) -> Article | None:
    """One feed record as an article, or None with the reason added to ``problems``: whatever
    goes wrong reading one record costs that record only."""
    try:
        with _time_limit(limit_s):
            return article_from_record(record, Path(feed), number - 1, "json", line=number, warnings=warnings)
    except InputError as exc:
        problems.append(InputError(feed, exc.problem, line=number))
    except RecordTimeout:
        problems.append(InputError(feed, f"reading the record took longer than {limit_s:g} s; skipped", line=number))
    except Exception as exc:  # noqa: BLE001 - a record of untrusted web text never sinks its feed
        problems.append(InputError(feed, stage_failure(feed, "reading the record", exc).problem, line=number,
                                   stage="read"))
    return None


def _stories_from_records(records: list[tuple[str | None, Article | RawRecord]], inbox: Inbox) -> None:
    by_story: dict[str, list[Article | RawRecord]] = {}
    ungrouped: list[Article] = []
    for story, article in records:
        if story is None:
            ungrouped.append(article)
        else:
            by_story.setdefault(story, []).append(article)
    for story_id in sorted(by_story):
        entries = by_story[story_id]
        if any(isinstance(e, RawRecord) for e in entries):
            inbox.jobs.append(StoryJob(id=story_id, entries=entries))
        else:
            inbox.jobs.append(StoryJob(id=story_id, story=_story(story_id, entries, inbox.problems)))
    if ungrouped:
        from checker.nightly.grouping import group_articles

        for group in group_articles(ungrouped):
            inbox.jobs.append(StoryJob(id=group.id, story=_story(group.id, group.articles, inbox.problems),
                                       grouping={"group": group.id, "reasons": dict(group.reasons)}))
        inbox.grouped_articles = len(ungrouped)


def story_from_entries(story_id: str, entries: list[Article | RawRecord]) -> Story:
    """The story of a job's feed entries, reading its raw records now; a record that cannot be
    read is one of the story's problems. Raises InputError when no record could be read."""
    problems: list[InputError] = []
    warnings: list[InputWarning] = []
    articles = []
    for entry in entries:
        if isinstance(entry, RawRecord):
            entry = read_record(entry.feed, entry.number, entry.record, problems, warnings=warnings)
            if entry is None:
                continue
        articles.append(entry)
    if not articles:
        raise problems[0] if problems else InputError(story_id, "no readable records")
    story = _story(story_id, articles, problems)
    story.problems = problems
    story.warnings = warnings
    return story


def _story(story_id: str, articles: list[Article], problems: list[InputError]) -> Story:
    """A story from feed records; a repeated article id keeps its first record."""
    kept: dict[str, Article] = {}
    for article in articles:
        if article.id in kept:
            problems.append(InputError(article.path, f"duplicate article id {article.id!r} in story "
                                                     f"{story_id!r}; the first is kept"))
            continue
        kept[article.id] = article
    return Story(id=story_id, path=f"{sorted({a.path for a in articles})[0]}#{story_id}",
                 articles=list(kept.values()))
