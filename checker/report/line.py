"""The report as one line per finding, as linters print them (ruff, Vale), for editors' quickfix
lists, ``grep`` and CI logs::

    stories/ferry/wire-a.txt:2:147: error count-conflict Sources disagree on ... [also paper-b.txt:3:81, ...]

``path:line:col: severity rule-id message``. A finding compares several articles; its line points
at its first evidence (the file and place an editor opens; in a pre-publication check,
``--ours``, our article's evidence) and ends with the places of the other evidence in brackets,
so a finding is still one line (``wc -l`` counts findings) and every source can be found from it.
The other places are given relative to the story folder (a story that is one feed file: the
feed's name; a draft outside the story: its path as given). Lines come in the order of the other
reports: errors, then warnings, then info.

Positions are those of ``positions``: line and column (from 1, in characters) in the file of a
.txt or .md article. An HTML page or a feed record has its text extracted from the file, and a
place in that text is not a place in the file, so it is named without line and column:
``page.html``, and for an article from a feed (.json/.jsonl) ``feed.jsonl[article-id]``, since one
file holds many articles (``claimcheck explain --at 'feed.jsonl[article-id]:OFFSET'`` takes it with
the JSON report's ``start`` offset). An evidence whose place is unknown gives its path alone too
(``path: error ...``).

Messages are untrusted text (outlets, names, quotes): each line is made safe for a terminal
(``console.terminal_text``: one line, control characters escaped).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from checker.console import terminal_text
from checker.report.common import story_relative
from checker.report.positions import Locator, Place, is_feed

if TYPE_CHECKING:
    from checker.pipeline.check import StoryResult


def place_label(place: Place, story_path: str | None = None) -> str:
    """``path:line:col`` (path relative to ``story_path`` when given, see
    ``common.story_relative``), a feed's article named in brackets after the feed's path; without
    ``:line:col`` when the place is not one in the file (extracted text, or unknown)."""
    path = story_relative(place.path, story_path) if story_path else place.path
    if is_feed(place.path) and place.article:
        path += f"[{place.article}]"
    return f"{path}:{place.line}:{place.column}" if place.in_file_known else path


def finding_line(finding: dict, locator: Locator) -> str:
    places = [locator.place(ev) for ev in locator.primary_first(finding.get("evidence") or [])]
    head = place_label(places[0]) if places else str(locator.story_path)
    line = f"{head}: {finding.get('severity', 'info')} {finding.get('rule', '')} {finding.get('message', '')}"
    others = list(dict.fromkeys(place_label(p, locator.story_path) for p in places[1:]))
    if others:
        line += f" [also {', '.join(others)}]"
    return terminal_text(line)


def render_line(data: dict, result: StoryResult | None = None) -> str:
    """One line per finding; nothing at all for a story without findings."""
    locator = Locator(data, result)
    return "".join(finding_line(f, locator) + "\n" for f in data.get("findings", []))
