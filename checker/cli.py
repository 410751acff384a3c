"""The ``claimcheck`` command line: ``check``, ``claims``, ``facts``, ``explain``, ``rules``, ``review``,
``serve`` and ``nightly``.

Exit codes: 0 no finding at or above ``--fail-on``; 1 there are; 2 usage or input error (an
input problem wins over findings); 3 internal error; 130 interrupted; 141 stdout closed early.
Every error is one line on stderr, ``claimcheck: error: <path>: <problem>``, never a traceback
(set ``CLAIMCHECK_DEBUG=1`` to see one for internal errors).
"""
from __future__ import annotations

import sys
import time
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from typer.exceptions import TyperException

from checker import __version__
from checker.report import FORMATS
from claims.errors import InputError
from checker.review.cli import review_app
from checker.console import (EXIT_BROKEN_PIPE, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED,
                            EXIT_OK, PROG, internal_error, quiet_stdout, use_color, report_width, write_stdout,
                            check_output_target, error_line, reporting_errors, warning_line, write_report)


# the formats --statistics prints (checker/report/statistics.py)
STATISTICS_FORMATS = ("text", "json", "csv")
# the report formats, one module each under checker/report/
ReportFormat = Enum("ReportFormat", {fmt: fmt for fmt in FORMATS}, type=str)


class ClaimsFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


app = typer.Typer(
    name=PROG,
    help="Cross-source claim-consistency checker: finds where the articles of one story disagree.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_problems(problems, warnings=()) -> None:
    for warning in warnings:
        warning_line(str(warning))
    for problem in problems:
        error_line(str(problem))


# --- settings: claimcheck.yaml, --select/--ignore/--min-severity (checker/pipeline/config.py) ---

class MinSeverity(str, Enum):
    info = "info"
    warning = "warning"
    error = "error"


CONFIG_OPTION = typer.Option(
    None, "--config", show_default=False, metavar="FILE",
    help="Settings file (claimcheck.yaml, or a pyproject.toml with a tool.claimcheck table). Default: the "
         "nearest claimcheck.yaml, .claimcheck.yaml or such pyproject.toml in the story's folder or above it, "
         "else in the working directory or above it.")
ISOLATED_OPTION = typer.Option(False, "--isolated", "--no-config",
                               help="Read no settings file: the rules file as it is.")
SELECT_OPTION = typer.Option(
    None, "--select", show_default=False, metavar="RULE[,RULE]",
    help="Run only these rules: ids, kinds (value_conflict), id prefixes (quote), globs (*-conflict) or ALL "
         "(repeatable; replaces the settings file's select).")
IGNORE_OPTION = typer.Option(None, "--ignore", show_default=False, metavar="RULE[,RULE]",
                             help="Do not run these rules (as --select; adds to the settings file's ignore).")
MIN_SEVERITY_OPTION = typer.Option(None, "--min-severity", case_sensitive=False, show_default=False,
                                   help="Drop findings less severe than this (default: the settings file's "
                                        "min_severity, else info: keep all).")


def _load_rules(rules: Path | None, config: Path | None = None, isolated: bool = False, near=(),
                select: list[str] | None = None, ignore: list[str] | None = None,
                min_severity: MinSeverity | None = None):
    """The rules in force: the rules file, the settings file found near ``near`` (or given),
    then the command line's selection."""
    from checker.pipeline.config import load_settings

    return load_settings(rules, config=config, isolated=isolated, near=[Path(p) for p in near],
                         select=select, ignore=ignore, min_severity=min_severity.value if min_severity else None)


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


# --- commands ----------------------------------------------------------------------------------

def _version(value: bool) -> None:
    if value:
        typer.echo(f"{PROG} {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Optional[bool] = typer.Option(None, "--version", "-V", callback=_version, is_eager=True,
                                           help="Show the version and exit."),
) -> None:
    """Cross-source claim-consistency checker: finds where the articles of one story disagree."""


DB_HELP = ("Review database (SQLite; created on first use). Default: $CLAIMCHECK_DB, else "
           "reports/claimcheck.db.")
STORY_HELP = "Story folder (articles as .txt/.md/.html/.json/.jsonl, optional meta.json) or a .json/.jsonl feed."
RULES_HELP = ("A whole rules file (YAML) instead of the rules.yaml shipped with claimcheck; to change a few "
              "rules, use a claimcheck.yaml (--config).")


@app.command()
def check(
    story: Path = typer.Argument(..., help=STORY_HELP, show_default=False, metavar="STORY"),
    rules: Optional[Path] = typer.Option(None, "--rules", "-r", help=RULES_HELP, show_default=False),
    fmt: ReportFormat = typer.Option(ReportFormat.text, "--format", "-f", case_sensitive=False,
                                     help="Report format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", show_default=False,
                                          help="Write the report to this file instead of stdout."),
    fail_on: FailOn = typer.Option(FailOn.error, "--fail-on", case_sensitive=False,
                                   help="Exit 1 when there is a finding of this severity or worse."),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", show_default=False,
                                         help="Colour the text report (default: when stdout is a terminal)."),
    db: Optional[Path] = typer.Option(
        None, "--db", show_default=False,
        help="Review database: record this check, reopen reviewed findings whose evidence changed and "
             "show each finding's review status. Default: $CLAIMCHECK_DB, else reports/claimcheck.db "
             "when it exists (check never creates the default one)."),
    timeout: float = typer.Option(
        600.0, "--timeout", min=0.001, max=86400.0, metavar="SECONDS",
        help="Stop the check after this many seconds (at most 86400, a day; there is always a limit, "
             "as hostile text can make the rules slow); the report then holds what was checked, and "
             "a problem says at which stage the time ran out (exit 2)."),
    ours: Optional[Path] = typer.Option(
        None, "--ours", show_default=False, metavar="ARTICLE",
        help="Pre-publication check of our article (a file of the story, an article id, or a draft outside "
             "it, read as one more article): report only the findings involving it, addressed to you; "
             "--fail-on counts only those."),
    config: Optional[Path] = CONFIG_OPTION,
    isolated: bool = ISOLATED_OPTION,
    select: Optional[list[str]] = SELECT_OPTION,
    ignore: Optional[list[str]] = IGNORE_OPTION,
    min_severity: Optional[MinSeverity] = MIN_SEVERITY_OPTION,
    statistics: bool = typer.Option(False, "--statistics",
                                    help="Print the number of findings per rule (count, severity, rule, "
                                         "meaning) instead of the report (--format text, json or csv)."),
) -> None:
    """Check a story and report where its sources disagree."""
    with reporting_errors():
        from checker.engine.findings import SEVERITY_RANK
        from checker.pipeline.check import check_story, result_to_dict
        from checker.report import render
        from checker.review.store import CheckScope, ReviewStore, attach_reviews, counts_toward_failure, db_path

        if output is not None:
            check_output_target(output)
        if statistics and fmt.value not in STATISTICS_FORMATS:
            raise typer.BadParameter(f"--statistics prints {', '.join(STATISTICS_FORMATS)}, not {fmt.value}",
                                     param_hint="'--format'")
        store_path = db_path(db, must_exist=True)
        store = ReviewStore(store_path) if store_path is not None else None
        ruleset = _load_rules(rules, config, isolated, [story], select, ignore, min_severity)
        deadline = time.monotonic() + timeout
        result = check_story(story, ruleset, deadline=deadline, keep_partial=True, ours=ours)
        data = result_to_dict(result)
        if store is not None and ours is not None:
            # a pre-publication check sees part of the story: it reads decisions, it records none
            attach_reviews(data, store.reviews(data["story"]["id"], [f["id"] for f in data["findings"]]))
        elif store is not None:
            # findings of rules de-selected, or below min_severity, are not looked for: not gone
            attach_reviews(data, store.record_check(data, scope=CheckScope.of(ruleset)))
        if statistics:
            from checker.report.statistics import render_statistics

            write_report(render_statistics(data, ruleset, fmt.value), output, for_terminal=fmt is ReportFormat.text)
        else:
            options = {"color": use_color(output, color), "width": report_width(output)} \
                if fmt is ReportFormat.text else {}
            if fmt in (ReportFormat.text, ReportFormat.markdown):
                # info findings are counted in one line unless the user asked for them by severity
                # (--min-severity info, or min_severity: info in the settings file)
                options["show_info"] = ruleset.min_severity == "info" and "min_severity" in (ruleset.settings or {})
            write_report(render(fmt.value, data, result, **options), output,
                         for_terminal=fmt is ReportFormat.text)
        _print_problems(result.problems, result.story.warnings)
        if ours is not None:
            from checker.pipeline.ours import not_shown_line

            line = not_shown_line(data)
            if line:
                sys.stderr.write(f"{PROG}: note: {line} (check without --ours to see them)\n")
        if result.problems:
            raise typer.Exit(EXIT_INPUT)
        failing = fail_on is not FailOn.never and any(
            SEVERITY_RANK.get(f["severity"], 0) >= SEVERITY_RANK[fail_on.value] and counts_toward_failure(f)
            for f in data["findings"])
        raise typer.Exit(EXIT_FINDINGS if failing else EXIT_OK)


@app.command()
def claims(
    story: Path = typer.Argument(..., help=STORY_HELP, show_default=False, metavar="STORY"),
    fmt: ClaimsFormat = typer.Option(ClaimsFormat.table, "--format", "-f", case_sensitive=False,
                                     help="Output format."),
    types: Optional[list[str]] = typer.Option(None, "--type", "-t", show_default=False,
                                              help="Only claims of this type (repeatable)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", show_default=False,
                                          help="Write to this file instead of stdout."),
    rules: Optional[Path] = typer.Option(None, "--rules", "-r", help=RULES_HELP, show_default=False),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", show_default=False,
                                         help="Colour the table (default: when stdout is a terminal)."),
    config: Optional[Path] = CONFIG_OPTION,
    isolated: bool = ISOLATED_OPTION,
) -> None:
    """List the claims extracted from a story: see why something was or was not flagged."""
    with reporting_errors():
        from claims.extract import EXTRACTORS
        from checker.pipeline.check import extract_story
        from checker.report.claims_table import render_claims

        if output is not None:
            check_output_target(output)
        _load_rules(rules, config, isolated, [story])  # a bad rules or settings file is an error here too
        result = extract_story(story)  # listing claims needs no rules applied
        claims = result.claims
        if types:
            known = {c.claim_type for c in claims} | {m.CLAIM_TYPE for m in EXTRACTORS}
            unknown = [t for t in types if t not in known]
            if unknown:
                sys.stderr.write(f"{PROG}: note: no claims of type {', '.join(map(repr, unknown))} "
                                 f"(types: {', '.join(sorted(known)) or 'none'})\n")
            claims = [c for c in claims if c.claim_type in types]
        text = render_claims(claims, fmt.value, color=use_color(output, color), width=report_width(output))
        write_report(text, output, for_terminal=fmt is ClaimsFormat.table)
        _print_problems(result.story.problems, result.story.warnings)
        if result.story.problems:
            raise typer.Exit(EXIT_INPUT)


class FactsFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"


@app.command()
def facts(
    story: Path = typer.Argument(..., help=STORY_HELP, show_default=False, metavar="STORY"),
    fmt: FactsFormat = typer.Option(FactsFormat.table, "--format", "-f", case_sensitive=False,
                                    help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", show_default=False,
                                          help="Write to this file instead of stdout."),
    rules: Optional[Path] = typer.Option(None, "--rules", "-r", help=RULES_HELP, show_default=False),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", show_default=False,
                                         help="Colour the table (default: when stdout is a terminal)."),
    timeout: float = typer.Option(600.0, "--timeout", min=0.001, max=86400.0,
                                  help="Seconds the check may take; past it the sheet holds what was done."),
    config: Optional[Path] = CONFIG_OPTION,
    isolated: bool = ISOLATED_OPTION,
    select: Optional[list[str]] = SELECT_OPTION,
    ignore: Optional[list[str]] = IGNORE_OPTION,
) -> None:
    """The story's fact sheet: every fact, its values, which outlets say what, first and last
    seen, and its status (conflict, update, differ, single source, agree)."""
    with reporting_errors():
        import time

        from checker.pipeline.check import check_story
        from checker.pipeline.facts import facts_to_dict
        from checker.report.fact_sheet import render_facts
        from checker.report.html import render_fact_page

        if output is not None:
            check_output_target(output)
        ruleset = _load_rules(rules, config, isolated, [story], select, ignore)
        result = check_story(story, ruleset, deadline=time.monotonic() + timeout, keep_partial=True)
        data = facts_to_dict(result)
        if fmt is FactsFormat.html:
            text = render_fact_page(data)
        else:
            text = render_facts(data, fmt.value, color=use_color(output, color), width=report_width(output))
        write_report(text, output, for_terminal=fmt is FactsFormat.table)
        _print_problems(result.problems, result.story.warnings)
        if result.problems:
            raise typer.Exit(EXIT_INPUT)


class ExplainFormat(str, Enum):
    text = "text"
    json = "json"


@app.command()
def explain(
    story: Path = typer.Argument(..., help=STORY_HELP, show_default=False, metavar="STORY"),
    value: Optional[str] = typer.Option(None, "--value", show_default=False,
                                        help="Explain every claim giving this value (118, \"Odessa\")."),
    claim: Optional[str] = typer.Option(None, "--claim", show_default=False, metavar="ID",
                                        help="Explain one claim (ids as 'claimcheck claims STORY' lists them)."),
    at: Optional[list[str]] = typer.Option(
        None, "--at", show_default=False, metavar="ARTICLE:OFFSET|ARTICLE:LINE:COL",
        help="Give twice: explain the two claims at these places (article id, file name, path or "
             "feed.jsonl[id]; an offset into its text, or line:col as --format line prints them)."),
    rules: Optional[Path] = typer.Option(None, "--rules", "-r", help=RULES_HELP, show_default=False),
    fmt: ExplainFormat = typer.Option(ExplainFormat.text, "--format", "-f", case_sensitive=False,
                                      help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", show_default=False,
                                          help="Write to this file instead of stdout."),
    timeout: float = typer.Option(600.0, "--timeout", min=0.001, max=86400.0, metavar="SECONDS",
                                  help="Seconds the check may take."),
    config: Optional[Path] = CONFIG_OPTION,
    isolated: bool = ISOLATED_OPTION,
) -> None:
    """Say why claims were or were not flagged: which claims match, whether two were compared,
    which fact each belongs to, and which rule option or threshold decided."""
    with reporting_errors():
        from checker.pipeline.check import check_story
        from checker.pipeline.explain import explain_at, explain_claim, explain_value
        from checker.report.explain import render_explanation

        asked = sum(x is not None for x in (value, claim)) + (1 if at else 0)
        if asked != 1:
            raise typer.BadParameter("give one of --value, --claim or two --at", param_hint="'--value'")
        if at is not None and len(at) != 2:
            raise typer.BadParameter(f"give --at twice (got {len(at)})", param_hint="'--at'")
        if output is not None:
            check_output_target(output)
        result = check_story(story, _load_rules(rules, config, isolated, [story]),
                             deadline=time.monotonic() + timeout, keep_partial=True)
        if value is not None:
            answer = explain_value(result, value)
        elif claim is not None:
            answer = explain_claim(result, claim)
        else:
            answer = explain_at(result, at[0], at[1])
        write_report(render_explanation(answer.to_dict(), fmt.value), output, for_terminal=fmt is ExplainFormat.text)
        _print_problems(result.problems, result.story.warnings)
        if result.problems:
            raise typer.Exit(EXIT_INPUT)


@app.command("rules")
def list_rules(
    rule_id: Optional[str] = typer.Argument(
        None, metavar="RULE", show_default=False,
        help="Show this rule: what it flags, its kind, severity, options with their defaults and the values "
             "in force (after claimcheck.yaml), and an example. A kind name shows the kind's reference."),
    rules: Optional[Path] = typer.Option(None, "--rules", "-r", help=RULES_HELP, show_default=False),
    kind: Optional[str] = typer.Option(None, "--kind", "-k", show_default=False, metavar="KIND",
                                       help="Print one rule kind's reference instead: what it flags, its "
                                            "options and examples (as in docs/rules.md)."),
    config: Optional[Path] = CONFIG_OPTION,
    isolated: bool = ISOLATED_OPTION,
    select: Optional[list[str]] = SELECT_OPTION,
    ignore: Optional[list[str]] = IGNORE_OPTION,
    story: Optional[Path] = typer.Option(None, "--story", show_default=False, metavar="STORY",
                                         help="Use the settings file nearest this story (default: the one "
                                              "nearest the working directory)."),
) -> None:
    """List the rules in force (id, kind, severity, enabled, claim types), or show one: claimcheck rules RULE."""
    with reporting_errors():
        if rule_id is not None and kind is None:
            from checker.report.rule_help import find_rule, render_rule, unknown_rule
            from checker.rules import KINDS

            ruleset = _load_rules(rules, config, isolated, [story] if story else [], select, ignore)
            found = find_rule(ruleset, rule_id)
            if found is not None:
                write_stdout(render_rule(found, ruleset))
                return
            if rule_id not in KINDS:
                raise typer.BadParameter(unknown_rule(ruleset, rule_id), param_hint="'RULE'")
            kind = rule_id
        if kind is not None:
            from checker.rules import KINDS

            if kind not in KINDS:
                raise typer.BadParameter(f"unknown rule kind {kind!r} (known: {', '.join(sorted(KINDS))})",
                                         param_hint="'--kind'")
            write_stdout(KINDS[kind].__doc__)
            return
        import io

        from rich import box
        from rich.console import Console
        from rich.table import Table

        from checker.console import terminal_text

        ruleset = _load_rules(rules, config, isolated, [story] if story else [], select, ignore)
        color = use_color(None, None)
        buffer = io.StringIO()
        console = Console(file=buffer, width=report_width(None), force_terminal=color, no_color=not color,
                          color_system="standard" if color else None, highlight=False, markup=False,
                          emoji=False)
        # a user's rules file is untrusted text like any article: ids and types are shown escaped
        from checker.pipeline.config import config_summary

        settings = config_summary(ruleset)
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title_justify="left",
                      title=f"{len(ruleset.rules)} rules from {terminal_text(ruleset.path)}"
                            + (f"; {terminal_text(settings)}" if settings else ""),
                      caption="claimcheck rules RULE shows one rule: its options, their values and an example.",
                      caption_justify="left")
        for name in ("id", "kind", "severity", "enabled", "claim types", "defined at"):
            table.add_column(name, overflow="fold")
        for rule in ruleset.rules:
            line = rule.source.rsplit(":", 1)[-1] if ":" in rule.source else ""
            where = f"line {terminal_text(line)}" if line and rule.source.startswith(ruleset.path + ":") \
                else terminal_text(rule.source)
            if rule.changed_by:
                where += " (changed)"
            table.add_row(terminal_text(rule.id), terminal_text(rule.kind), terminal_text(rule.severity),
                          "yes" if rule.enabled else "no", terminal_text(", ".join(map(str, rule.claim_types))),
                          where)
        console.print(table)
        write_stdout(buffer.getvalue())


@app.command()
def serve(
    stories: Optional[list[Path]] = typer.Argument(
        None, metavar="[STORY]...", show_default=False,
        help="Stories to serve; default: every story already recorded in the review database."),
    db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP, show_default=False),
    host: str = typer.Option("127.0.0.1", "--host",
                             help="Address to listen on (only this machine by default; 0.0.0.0 opens it to the network)."),
    port: int = typer.Option(8765, "--port", "-p", help="Port (0 picks a free one).", min=0, max=65535),
    rules: Optional[Path] = typer.Option(None, "--rules", "-r", help=RULES_HELP, show_default=False),
    by: Optional[str] = typer.Option(None, "--by", show_default=False,
                                     help="Reviewer name for decisions that do not give one (default: your login name)."),
    allow_host: Optional[list[str]] = typer.Option(
        None, "--allow-host", show_default=False,
        help="With --host 0.0.0.0: a host name reviewers use to reach this server (repeatable); IP "
             "addresses and this machine's own names are always accepted."),
    config: Optional[Path] = CONFIG_OPTION,
    isolated: bool = ISOLATED_OPTION,
    select: Optional[list[str]] = SELECT_OPTION,
    ignore: Optional[list[str]] = IGNORE_OPTION,
    min_severity: Optional[MinSeverity] = MIN_SEVERITY_OPTION,
) -> None:
    """Serve the HTML report with buttons to confirm, dismiss, follow up and add notes."""
    with reporting_errors():
        from checker.review.store import ReviewStore, db_path
        from checker.review.server import make_server

        store = ReviewStore(db_path(db))
        paths = list(stories or [])
        if not paths:
            paths = [Path(s["path"]) for s in store.stories() if s["path"] and Path(s["path"]).exists()]
            if not paths:
                raise InputError(str(store.path), "no stories recorded here yet; name a story to serve")
        problems: list[InputError] = []
        ruleset = _load_rules(rules, config, isolated, paths, select, ignore, min_severity)
        server = make_server(paths, store, host=host, port=port, rules=ruleset, reviewer=by,
                             on_problem=lambda exc: (problems.append(exc), error_line(str(exc))),
                             allow_hosts=allow_host)
        sys.stderr.write(f"{PROG}: serving {len(server.stories)} "
                         f"{'story' if len(server.stories) == 1 else 'stories'} at {server.url} "
                         f"(decisions go to {store.path}; Ctrl-C to stop)\n")
        sys.stderr.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            sys.stderr.write(f"{PROG}: stopped\n")
        finally:
            server.server_close()
        raise typer.Exit(EXIT_INPUT if problems else EXIT_OK)


@app.command()
def nightly(
    inbox: Path = typer.Argument(..., metavar="INBOX", show_default=False,
                                 help="Folder of story folders and/or .jsonl/.json/.csv feeds (records carry "
                                      "'story'; those without one are grouped automatically), or one feed."),
    out: Path = typer.Option(Path("reports"), "--out", "-o", help="Reports go to OUT/DATE/."),
    night: Optional[str] = typer.Option(None, "--date", show_default=False,
                                        help="The night's date, YYYY-MM-DD (default: today)."),
    db: Optional[Path] = typer.Option(
        None, "--db", show_default=False,
        help="Review database (SQLite; created on first use). Default: $CLAIMCHECK_DB, else claimcheck.db in "
             "the --out folder (reports/claimcheck.db, the one check and serve use, when --out is not given)."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, show_default=False,
                                       help="Stories checked at once (default: one per CPU core)."),
    fail_on: FailOn = typer.Option(FailOn.error, "--fail-on", case_sensitive=False,
                                   help="Exit 1 when there are NEW findings of this severity or worse."),
    scheduler: Optional[str] = typer.Option(
        None, "--scheduler", show_default=False,
        help="Run on Dask: 'local' starts a local cluster, or a scheduler address tcp://HOST:PORT "
             "(needs pip install 'claimcheck[dask]')."),
    story_timeout: float = typer.Option(120.0, "--story-timeout", min=0.001, max=86400.0,
                                        help="Seconds one story may take (at most 86400, a day); past it the story "
                                             "is reported as failed."),
    rules: Optional[Path] = typer.Option(None, "--rules", "-r", help=RULES_HELP, show_default=False),
    config: Optional[Path] = CONFIG_OPTION,
    isolated: bool = ISOLATED_OPTION,
    select: Optional[list[str]] = SELECT_OPTION,
    ignore: Optional[list[str]] = IGNORE_OPTION,
    min_severity: Optional[MinSeverity] = MIN_SEVERITY_OPTION,
) -> None:
    """Check every story of the day in parallel; report what is new and resolved since last night."""
    with reporting_errors():
        from checker.nightly.run import new_at_or_above, run_nightly
        from checker.review.store import DEFAULT_DB, ReviewStore, db_path

        # a bad rules or settings file fails now, not in every worker; the settings file is the one
        # nearest the inbox, for every story of the night
        ruleset = _load_rules(rules, config, isolated, [inbox], select, ignore, min_severity)
        # the database sits with the night's reports: --out elsewhere leaves the working folder alone
        store = ReviewStore(db_path(db, default=out / DEFAULT_DB.name))
        result = run_nightly(inbox, out, night, store=store, jobs=jobs, rules_path=ruleset,
                             scheduler=scheduler, timeout_s=story_timeout)
        summary, counts = result.summary, result.summary["counts"]
        new = counts["new"]
        sys.stderr.write(
            f"{PROG} nightly: {summary['date']}: {_count(counts['checked'], 'story', 'stories')} checked, "
            f"{counts['failed']} failed, {_count(counts['articles'], 'article')} in {result.seconds:.1f} s; "
            f"new: {_count(new.get('error', 0), 'error')}, {_count(new.get('warning', 0), 'warning')}, "
            f"{new.get('info', 0)} info; {counts['resolved']} resolved; report: {result.folder / 'index.html'}\n")
        if counts["failed"] or summary["inbox_problems"]:
            raise typer.Exit(EXIT_INPUT)
        failing = fail_on is not FailOn.never and new_at_or_above(summary, fail_on.value)
        raise typer.Exit(EXIT_FINDINGS if failing else EXIT_OK)


app.add_typer(review_app, name="review")


# --- entry point -------------------------------------------------------------------------------

def _usage_line(exc: TyperException) -> str:
    # typer validates choices through pydantic, whose wording leaks into the message
    message = " ".join(exc.format_message().split()).replace(": Value error, ", ": ")
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        message += f" (see '{ctx.command_path} --help')"
    return message


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return the exit code instead of exiting."""
    command = typer.main.get_command(app)
    try:
        rv = command.main(args=argv, prog_name=PROG, standalone_mode=False)
    except TyperException as exc:  # the command line's own errors; a usage error carries its ``ctx``
        if type(exc).__name__ == "NoArgsIsHelpError":
            # ``claimcheck`` alone: the help is the useful answer, not an error line
            help_text = exc.format_message()
            if help_text:
                sys.stdout.write(help_text + "\n")
            return EXIT_INPUT
        error_line(_usage_line(exc) if hasattr(exc, "ctx") else exc.format_message())
        return EXIT_INPUT
    except typer.Abort:
        sys.stderr.write(f"{PROG}: aborted\n")
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        quiet_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        if exc.filename:
            error_line(f"{exc.filename}: {exc.strerror or exc}")
            return EXIT_INPUT
        # --help or --version written to a full stdout: outside any command's error handling
        quiet_stdout()
        error_line(f"cannot write report: {exc.strerror or exc}")
        return EXIT_INPUT
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        internal_error(exc)
        return EXIT_INTERNAL
    return rv if isinstance(rv, int) else EXIT_OK


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point (``claimcheck``)."""
    sys.exit(run(argv))


if __name__ == "__main__":  # pragma: no cover
    main()
