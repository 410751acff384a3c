"""The report as SARIF 2.1.0 (the OASIS Static Analysis Results Interchange Format), which code
scanning services, IDE viewers and SARIF tools read.

One run: ``tool.driver`` names claimcheck and lists the rules of the rules file (each with its
description and its kind's meaning, and its severity as the default level); each finding is one
result (``ruleId``, ``level``: error, warning, or note for info; its message; the finding id as
fingerprint) located at its first evidence (in a pre-publication check, ``--ours``, our
article's evidence), with every other source's evidence as a related location, so a viewer shows
all the articles that disagree.

A location is the article's file: its ``uri`` relative to the story folder (``uriBaseId``
``STORYROOT``; for a story that is one .json/.jsonl feed, the feed's own name); a draft outside
the story (``--ours``) has its path as given instead, without a base (absolute: a ``file:`` URI).
The article id is the location's logical location (a feed holds many articles in one file).
For a .txt or .md article the location has the region of the evidence: lines and columns
(``columnKind`` ``unicodeCodePoints``) and character offsets in the file's text, the matched
words as its snippet and, when it can be found in the text, the sentence as the context region.
An HTML page or a feed record has its text extracted from the file, and a place in that text is
not a place in the file (see ``positions``), so its location has no region: the same figures,
with the snippet, are the location's ``properties.extractedText`` (offsets, lines and columns in
the extracted text), and its message quotes the evidence.

Problems reading the story (an unreadable article, a time limit) are the invocation's
notifications, and it is then not ``executionSuccessful``. The output is deterministic: no
times, no absolute paths of the story (``STORYROOT`` says which folder it stands for, without a URI).
"""
from __future__ import annotations

from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from checker import __version__
from checker.report.common import dumps_json, in_story, jsonable, published, source_name, story_relative
from checker.report.positions import Locator, Place, is_feed

if TYPE_CHECKING:
    from checker.engine.rule import Rule
    from checker.pipeline.check import StoryResult

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
STORY_ROOT = "STORYROOT"
SENTENCE_WINDOW = 2000  # how far before an evidence its sentence is looked for in the text


def kind_meaning(kind: str) -> str:
    """The first sentence of the rule kind's documentation, without its "Rule kind ``x``:"."""
    from checker.rules import KINDS

    module = KINDS.get(kind)
    summary = " ".join(((module.__doc__ or "") if module else "").strip().split("\n\n")[0].split())
    _, _, meaning = summary.partition(": ")
    meaning = meaning or summary
    return f"{kind}: {meaning}" if meaning else kind


def rule_descriptor(rule_id: str, kind: str, severity: str, description: str = "",
                    claim_types: list[str] | None = None) -> dict:
    meaning = kind_meaning(kind)
    descriptor: dict[str, Any] = {
        "id": rule_id,
        "shortDescription": {"text": description or meaning},
        "fullDescription": {"text": f"{description} Rule kind {meaning}" if description else f"Rule kind {meaning}"},
        "defaultConfiguration": {"level": LEVELS.get(severity, "note")},
        "properties": {"kind": kind, "severity": severity},
    }
    if claim_types:
        descriptor["properties"]["claimTypes"] = list(claim_types)
    return descriptor


def rule_descriptors(data: dict, result: StoryResult | None) -> list[dict]:
    """Every enabled rule of the rules file when the check is at hand, else the rules that gave
    findings; a finding of a rule not listed (a re-rendered report) adds its rule."""
    rules: list[Rule] = result.rules.enabled if result is not None else []
    out = {r.id: rule_descriptor(r.id, r.kind, r.severity, r.description, r.claim_types) for r in rules}
    for finding in data.get("findings", []):
        rule_id = str(finding.get("rule", ""))
        if rule_id not in out:
            out[rule_id] = rule_descriptor(rule_id, str(finding.get("kind", "")), str(finding.get("severity", "")))
    return list(out.values())


def artifact_uri(path: str, story_path: str) -> str:
    return quote(story_relative(path, story_path), safe="/")


def artifact_location(path: str, story_path: str) -> dict:
    """The artifact of an article: relative to ``STORYROOT`` when it is in the story, else (a
    draft checked with ``--ours``) its path as given, an absolute one as a ``file:`` URI."""
    if in_story(path, story_path) or not path:
        return {"uri": artifact_uri(path, story_path), "uriBaseId": STORY_ROOT}
    if PurePath(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(PurePath(path).as_posix(), safe="/")}


def _region(start: int, end: int, snippet: str | None, index_of) -> dict | None:
    begin, finish = index_of(start), index_of(end)
    if begin is None or finish is None:
        return None
    region: dict[str, Any] = {"startLine": begin[0], "startColumn": begin[1], "endLine": finish[0],
                              "endColumn": finish[1], "charOffset": start, "charLength": end - start}
    if snippet:
        region["snippet"] = {"text": snippet}
    return region


def location(ev: dict, locator: Locator, articles: dict[str, dict], *, ident: int | None = None,
             described: bool = False) -> dict:
    place = locator.place(ev)
    physical: dict[str, Any] = {"artifactLocation": artifact_location(place.path, locator.story_path)}
    extracted: dict | None = None
    if place.known:
        index = locator.line_index(place.article)
        region = _region(place.start, place.end, ev.get("text") or None, index.position)
        if place.in_file:
            physical["region"] = region
            context = _sentence_span(locator.text(place.article) or "", ev, place)
            if context is not None:
                physical["contextRegion"] = _region(context[0], context[1],
                                                    (locator.text(place.article) or "")[context[0]:context[1]],
                                                    index.position)
        else:
            extracted = region
    out: dict[str, Any] = {"physicalLocation": physical}
    if ident is not None:
        out["id"] = ident
    if place.article:
        out["logicalLocations"] = [{"name": place.article, "kind": "resource"}]
    if described:
        source = source_name(ev, articles) or place.article
        out["message"] = {"text": f"{source}, {published(ev, articles)}: \"{ev.get('text') or ''}\""}
    if extracted is not None:
        # a place in the text extracted from a web page or feed record, not in the file
        out["properties"] = {"extractedText": extracted}
    return out


def _sentence_span(text: str, ev: dict, place: Place) -> tuple[int, int] | None:
    """Where the evidence's sentence lies in the article's text, when it is there verbatim and
    holds the evidence (the sentence is cleaned text, so for some articles it is not)."""
    sentence = (ev.get("sentence") or "").strip()
    if not sentence or place.start is None or place.end is None:
        return None
    at = text.rfind(sentence, max(0, place.start - SENTENCE_WINDOW), place.end + len(sentence))
    if at < 0 or at > place.start or at + len(sentence) < place.end:
        return None
    return at, at + len(sentence)


def sarif_result(finding: dict, rule_index: dict[str, int], locator: Locator, articles: dict[str, dict]) -> dict:
    evidence = locator.primary_first(finding.get("evidence") or [])
    rule_id = str(finding.get("rule", ""))
    out: dict[str, Any] = {
        "ruleId": rule_id,
        "ruleIndex": rule_index[rule_id],
        "level": LEVELS.get(str(finding.get("severity")), "note"),
        "message": {"text": str(finding.get("message", ""))},
    }
    if evidence:
        out["locations"] = [location(evidence[0], locator, articles, described=True)]
    if len(evidence) > 1:
        out["relatedLocations"] = [location(ev, locator, articles, ident=n, described=True)
                                   for n, ev in enumerate(evidence[1:], start=1)]
    if finding.get("id"):
        out["fingerprints"] = {"claimcheckFindingId/v1": str(finding["id"])}
    properties = {"kind": finding.get("kind"), "claimType": finding.get("claim_type"),
                  "subject": finding.get("subject"), "confidence": finding.get("confidence"),
                  "fact": finding.get("fact"), "review": finding.get("review")}
    properties = {k: jsonable(v) for k, v in properties.items() if v not in (None, "")}
    if properties:
        out["properties"] = properties
    return out


def notification(problem: dict) -> dict:
    note: dict[str, Any] = {"level": "error", "message": {"text": str(problem.get("problem", ""))}}
    if problem.get("path"):
        physical: dict[str, Any] = {"artifactLocation": {"uri": quote(str(problem["path"]), safe="/")}}
        if isinstance(problem.get("line"), int) and problem["line"] >= 1:
            physical["region"] = {"startLine": problem["line"]}
        note["locations"] = [{"physicalLocation": physical}]
    if problem.get("stage"):
        note["descriptor"] = {"id": str(problem["stage"])}
    return note


def _root_description(story_path: str) -> str:
    if is_feed(story_path):
        return f"the folder of the feed {story_path}"
    return f"the story folder {story_path}"


def sarif_log(data: dict, result: StoryResult | None = None) -> dict:
    locator = Locator(data, result)
    articles = locator.articles
    rules = rule_descriptors(data, result)
    rule_index = {r["id"]: n for n, r in enumerate(rules)}
    story = data.get("story") or {}
    problems = data.get("problems") or []
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "claimcheck", "version": str((data.get("tool") or {}).get("version") or __version__),
                            "rules": rules}},
        "invocations": [{"executionSuccessful": not problems,
                         "toolExecutionNotifications": [notification(p) for p in problems]}],
        "originalUriBaseIds": {STORY_ROOT: {"description": {"text": _root_description(str(story.get("path") or ""))}}},
        "columnKind": "unicodeCodePoints",
        "results": [sarif_result(f, rule_index, locator, articles) for f in data.get("findings", [])],
        "properties": {"story": story.get("id"), "rules": data.get("rules"),
                       "summary": jsonable(data.get("summary") or {})},
    }
    if not problems:
        del run["invocations"][0]["toolExecutionNotifications"]
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render_sarif(data: dict, result: StoryResult | None = None) -> str:
    return dumps_json(sarif_log(data, result), indent=2) + "\n"
