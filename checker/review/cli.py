"""``claimcheck review``: list, show, decide on and export the findings in the review store.

Findings get into the store when a story is checked with a database (``claimcheck check STORY
--db FILE``, or ``claimcheck serve``). Ids may be shortened to any unique prefix of 6 or more
characters; ``--story`` picks one when the same conflict was found in two stories.
"""
from __future__ import annotations

import csv
import io
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from checker.console import (check_output_target, report_width, reporting_errors, terminal_text, use_color, write_report,
                            write_stdout)
from checker.review.store import STATUS_TEXT, STATUSES, ReviewStore, db_path, os_user

if TYPE_CHECKING:
    from rich.console import Console

review_app = typer.Typer(
    name="review", no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    help="Review flagged findings: confirm, dismiss, mark for follow-up; decisions stick across checks.",
    context_settings={"help_option_names": ["-h", "--help"]},
)

Status = Enum("Status", {s.replace("-", "_"): s for s in STATUSES}, type=str)


class ExportFormat(str, Enum):
    json = "json"
    csv = "csv"


class ListFormat(str, Enum):
    table = "table"
    json = "json"


DB_OPTION_HELP = "Review database. Default: $CLAIMCHECK_DB, else reports/claimcheck.db."
STORY_OPTION_HELP = "Only this story (a story id as reports show it)."
# the options every command shares, declared once
FINDING_ID = typer.Argument(..., metavar="ID", help="Finding id (or a unique prefix).")
STORY_OPTION = typer.Option(None, "--story", "-s", help=STORY_OPTION_HELP, show_default=False)
DB_OPTION = typer.Option(None, "--db", help=DB_OPTION_HELP, show_default=False)


def _store(db: Path | None) -> ReviewStore:
    path = db_path(db)
    if not path.exists():
        from claims.errors import InputError

        raise InputError(str(path), "no review database here yet; record a check first with "
                                    f"'claimcheck check STORY --db {path}'")
    return ReviewStore(path)


def _resolved(db: Path | None, finding_id: str, story: str | None) -> tuple[ReviewStore, str, str]:
    store = _store(db)
    return (store, *store.resolve(finding_id, story))


def _console(buffer: io.StringIO) -> Console:
    from rich.console import Console  # rich costs start-up for every command: only when a table is drawn

    color = use_color(None, None)
    return Console(file=buffer, width=report_width(None), force_terminal=color, no_color=not color,
                   color_system="standard" if color else None, highlight=False, markup=False, emoji=False)


def _decided(review: dict) -> str:
    if not review.get("decisions"):
        return "not reviewed"
    return terminal_text(f"{review.get('reviewer')} {str(review.get('decided_at'))[:16].replace('T', ' ')}")


# Everything the store holds came from articles, rules files or people (story ids are folder
# names, messages quote article text, notes are typed in): on the terminal every field goes
# through terminal_text, one line each, control characters escaped.
_shown = terminal_text


@review_app.command("list")
def list_findings(
    story: Optional[str] = STORY_OPTION,
    status: Optional[Status] = typer.Option(None, "--status", help="Only findings with this review status.",
                                            show_default=False, case_sensitive=False),
    include_gone: bool = typer.Option(False, "--all", help="Include findings the last check no longer found."),
    fmt: ListFormat = typer.Option(ListFormat.table, "--format", "-f", case_sensitive=False),
    db: Optional[Path] = DB_OPTION,
) -> None:
    """List recorded findings with their review status."""
    with reporting_errors():
        from checker.report.text import MESSAGE_LIMIT

        rows = _store(db).findings(story, status.value if status else None, include_gone)
        if fmt is ListFormat.json:
            from checker.report.common import dumps_json

            write_stdout(dumps_json(rows, indent=2) + "\n", for_terminal=False)
            return
        from rich.padding import Padding
        from rich.text import Text

        buffer = io.StringIO()
        console = _console(buffer)
        # two lines per finding: the message needs the whole width to stay readable
        for row in rows:
            head = Text(_shown(row["finding_id"]), style="bold")
            head.append(f"  {_shown(row['severity']):<8} {_shown(row['review']['status']):<10} "
                        f"{_decided(row['review'])}  ")
            head.append(_shown(row["story"]), style="dim")
            console.print(head)
            message = _shown(row["message"], MESSAGE_LIMIT)
            if not row["present"]:
                message += " (no longer found)"
            console.print(Padding(Text(message), (0, 0, 0, 4)))
        console.print(Text(f"{len(rows)} finding" + ("" if len(rows) == 1 else "s"), style="dim"))
        write_stdout("\n".join(line.rstrip() for line in buffer.getvalue().split("\n")))


@review_app.command("show")
def show(
    finding_id: str = FINDING_ID,
    story: Optional[str] = STORY_OPTION,
    db: Optional[Path] = DB_OPTION,
) -> None:
    """Show one finding: what it says, its evidence, and its review."""
    with reporting_errors():
        from checker.report.text import MESSAGE_LIMIT, NAME_LIMIT

        store, story_id, fid = _resolved(db, finding_id, story)
        finding = store.finding(story_id, fid)
        review = finding["review"]
        lines = [f"{_shown(finding['finding_id'])} [{_shown(finding['severity'])}] "
                 f"{_shown(finding['message'], MESSAGE_LIMIT)}",
                 f"story {_shown(finding['story'])} · rule {_shown(finding['rule'])} ({_shown(finding['kind'])}) · "
                 f"{_shown(finding['claim_type'])}: {_shown(finding['subject'])}",
                 f"last seen {_shown(finding['last_seen'])}"
                 + ("" if finding["present"] else " (the last check no longer found it)"),
                 f"review: {_shown(review['status'])} ({_decided(review)})"
                 + (f": {_shown(review['note'])}" if review["note"] else "")]
        if review.get("reopened_because"):
            lines.append(f"reopened: {_shown(review['reopened_because'])}")
        lines.append("evidence:")
        for ev in finding["evidence"]:
            source = _shown(ev.get("outlet") or "(no outlet)", NAME_LIMIT)
            article = _shown(ev.get("article"), NAME_LIMIT)
            lines.append(f"  - {source} ({article}): {_shown(ev.get('sentence') or ev.get('text'))}")
            if ev.get("url"):
                lines.append(f"    {_shown(ev['url'])}")
        write_stdout("\n".join(lines) + "\n")


@review_app.command("set")
def set_status(
    finding_id: str = FINDING_ID,
    status: Status = typer.Option(..., "--status", help="New status: " + ", ".join(STATUSES) + ".",
                                  case_sensitive=False, show_default=False),
    note: str = typer.Option("", "--note", "-m", help="Why: kept with the decision in the history."),
    by: Optional[str] = typer.Option(None, "--by", help="Reviewer (default: your login name).", show_default=False),
    story: Optional[str] = STORY_OPTION,
    db: Optional[Path] = DB_OPTION,
) -> None:
    """Record a decision on a finding (the history keeps every earlier one)."""
    with reporting_errors():
        store, story_id, fid = _resolved(db, finding_id, story)
        decision = store.decide(story_id, fid, status.value, note, by or os_user())
        write_stdout(f"{_shown(fid)} ({_shown(story_id)}): {_shown(decision.status)} by {_shown(decision.reviewer)} "
                     f"at {_shown(decision.decided_at)}\n")


@review_app.command("history")
def history(
    finding_id: str = FINDING_ID,
    story: Optional[str] = STORY_OPTION,
    db: Optional[Path] = DB_OPTION,
) -> None:
    """Every decision on a finding, oldest first, including reopenings by the checker."""
    with reporting_errors():
        store, story_id, fid = _resolved(db, finding_id, story)
        decisions = store.history(story_id, fid)
        lines = [f"{_shown(fid)} ({_shown(story_id)}): {len(decisions)} decision"
                 + ("" if len(decisions) == 1 else "s")]
        for d in decisions:
            # one line per decision, whatever a note holds
            line = f"{_shown(d.decided_at)}  {_shown(d.status):<10} {_shown(d.reviewer)}"
            if d.note:
                line += f": {_shown(d.note)}"
            if d.reopened_because:
                line += f" (reopened: {_shown(d.reopened_because)})"
            lines.append(line)
        write_stdout("\n".join(lines) + "\n")


@review_app.command("export")
def export(
    fmt: ExportFormat = typer.Option(ExportFormat.json, "--format", "-f", case_sensitive=False),
    story: Optional[str] = STORY_OPTION,
    status: Optional[Status] = typer.Option(None, "--status", help="Only findings with this review status.",
                                            show_default=False, case_sensitive=False),
    output: Optional[Path] = typer.Option(None, "--output", "-o", show_default=False,
                                          help="Write to this file instead of stdout."),
    db: Optional[Path] = DB_OPTION,
) -> None:
    """Export reviews: JSON shaped like schema.org ClaimReview, or CSV."""
    with reporting_errors():
        if output is not None:
            check_output_target(output)
        rows = _store(db).findings(story, status.value if status else None)
        text = export_json(rows) if fmt is ExportFormat.json else export_csv(rows)
        write_report(text, output)


def claim_review(row: dict) -> dict:
    """One finding and its review as a ClaimReview-like object (https://schema.org/ClaimReview):
    the claim is the inconsistency, each source stating part of it is an appearance, with the
    words matched (``text``) and the whole sentence they stand in (``sentence``). Dates are ISO
    8601: an appearance's publication date, the review's decision time (UTC)."""
    from checker.report.timestamps import iso8601

    review = row["review"]
    appearances = []
    for ev in row["evidence"]:
        appearance = {"@type": "CreativeWork", "url": ev.get("url"), "headline": ev.get("title"),
                      "datePublished": iso8601(ev.get("published")), "text": ev.get("text"),
                      "sentence": ev.get("sentence"), "identifier": ev.get("article")}
        if ev.get("outlet"):
            appearance["publisher"] = {"@type": "Organization", "name": ev["outlet"]}
        appearances.append(appearance)
    return {
        "@context": "https://schema.org", "@type": "ClaimReview",
        "identifier": row["finding_id"], "story": row["story"],
        "claimReviewed": row["message"],
        "itemReviewed": {"@type": "Claim", "appearance": appearances},
        "reviewRating": {"@type": "Rating", "alternateName": STATUS_TEXT[review["status"]],
                         "ratingExplanation": review["note"] or None},
        "reviewStatus": review["status"],
        "author": {"@type": "Person", "name": review["reviewer"]} if review["reviewer"] else None,
        "datePublished": iso8601(review["decided_at"]),
        "reopenedBecause": review["reopened_because"],
        "rule": row["rule"], "severity": row["severity"], "stillFound": row["present"],
    }


def export_json(rows: list[dict]) -> str:
    from checker.report.common import dumps_json

    return dumps_json([claim_review(r) for r in rows], indent=2) + "\n"


def export_csv(rows: list[dict]) -> str:
    """One row per finding; ``sentences`` gives each source's evidence in its whole sentence, one
    line per source ("Outlet, 2024-05-07: sentence"); dates are ISO 8601."""
    from checker.report.csv import csv_safe
    from checker.report.timestamps import iso8601

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["story", "finding_id", "rule", "severity", "message", "status", "note", "reviewer",
                     "decided_at", "reopened_because", "still_found", "outlets", "urls", "sentences"])
    for r in rows:
        review = r["review"]
        outlets = "; ".join(dict.fromkeys(ev.get("outlet") or ev.get("article") for ev in r["evidence"]))
        urls = " ".join(dict.fromkeys(ev["url"] for ev in r["evidence"] if ev.get("url")))
        sentences = "\n".join(_sentence_line(ev) for ev in r["evidence"])
        writer.writerow([csv_safe(v) if isinstance(v, str) else v for v in (
            r["story"], r["finding_id"], r["rule"], r["severity"], r["message"], review["status"], review["note"],
            review["reviewer"] or "", iso8601(review["decided_at"]) or "", review["reopened_because"] or "",
            "yes" if r["present"] else "no", outlets, urls, sentences)])
    return buffer.getvalue()


def _sentence_line(ev: dict) -> str:
    from checker.report.timestamps import iso8601

    source = ev.get("outlet") or ev.get("article") or "?"
    when = iso8601(ev.get("published"))
    said = " ".join(str(ev.get("sentence") or ev.get("text") or "").split())
    return f"{source}, {when}: {said}" if when else f"{source}: {said}"
