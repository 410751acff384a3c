"""The report as GitHub Actions workflow commands: run ``claimcheck check STORY --format github``
in a workflow step and each finding becomes an annotation on the article it points at::

    ::error file=stories/ferry/wire-a.txt,line=2,col=147,endLine=2,endColumn=160,title=count-conflict::Sources disagree ...

One annotation per finding, at its first evidence (as the ``line`` format: in a pre-publication
check, ``--ours``, our article's evidence), levels error,
warning and notice (claimcheck's info). The message lists every source's evidence with its
place, one per line, so the annotation names all the articles involved; GitHub shows only so
many annotations per step, and one per finding keeps a story's annotations to its findings.
A problem reading the story (an unreadable article, a time limit) is an ``::error`` too, on
the file it names. ``file`` is the article's path as claimcheck was given it: run from the
repository root so that it matches the repository's paths. ``line``/``col`` are those of
``positions``, given for a .txt or .md article only: the text of an HTML page or a feed record
is extracted from the file, and a place in it is not a line of the file, so such an annotation
names the file alone (the message still quotes the evidence).

Escaping (as the Actions toolkit does): in the message ``%``, CR and LF become ``%25``,
``%0D`` and ``%0A``; in a property value ``:`` and ``,`` also become ``%3A`` and ``%2C``. So
untrusted text can neither end a command nor start a new one (no line of the output starts
with anything but ``::``); control characters and bidi overrides, in the message and in every
property (a file name too), are escaped as the text report shows them (``\\x1b``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from checker.console import terminal_text, visible_controls
from checker.report.common import published, source_name
from checker.report.line import place_label
from checker.report.positions import Locator, Place

if TYPE_CHECKING:
    from checker.pipeline.check import StoryResult

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, properties: dict[str, object]) -> str:
    given = ",".join(f"{name}={escape_property(visible_controls(str(value)))}" for name, value in properties.items()
                     if value is not None and value != "")
    return f"::{level}{' ' + given if given else ''}::{escape_data(message)}"


def _position(place: Place) -> dict[str, object]:
    if not place.in_file_known:
        return {}
    return {"line": place.line, "col": place.column, "endLine": place.end_line, "endColumn": place.end_column}


def finding_command(finding: dict, locator: Locator, articles: dict[str, dict]) -> str:
    evidence = locator.primary_first(finding.get("evidence") or [])
    places = [locator.place(ev) for ev in evidence]
    properties: dict[str, object] = {"file": places[0].path if places else locator.story_path}
    if places:
        properties.update(_position(places[0]))
    properties["title"] = terminal_text(f"{finding.get('rule', '')} ({finding.get('severity', 'info')})")
    lines = [terminal_text(finding.get("message", ""))]
    for ev, place in zip(evidence, places):
        source = source_name(ev, articles) or ev.get("article") or ""
        lines.append(terminal_text(f"- {source}, {published(ev, articles)}: \"{ev.get('text') or ''}\" "
                                   f"({place_label(place, locator.story_path)})"))
    return command(LEVELS.get(str(finding.get("severity")), "notice"), "\n".join(lines), properties)


def render_github(data: dict, result: StoryResult | None = None) -> str:
    locator = Locator(data, result)
    articles = locator.articles
    out = [finding_command(f, locator, articles) for f in data.get("findings", [])]
    for problem in data.get("problems", []):
        out.append(command("error", terminal_text(f"cannot check: {problem.get('problem', '')}"),
                           {"file": problem.get("path"), "line": problem.get("line"), "title": "claimcheck"}))
    return "".join(line + "\n" for line in out)
