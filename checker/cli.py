"""The ``claimcheck`` command line: ``check``, ``claims`` and ``rules``.

Exit codes: 0 no finding at or above ``--fail-on``; 1 there are; 2 usage or input error (an
input problem wins over findings); 3 internal error; 130 interrupted; 141 stdout closed early.
Every error is one line on stderr, ``claimcheck: error: <path>: <problem>``, never a traceback
(set ``CLAIMCHECK_DEBUG=1`` to see one for internal errors).
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import traceback
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Iterator, Optional

import typer

try:  # typer >= 0.2x ships its own copy of click
    from typer._click.exceptions import ClickException, UsageError
except ImportError:  # pragma: no cover - older typer on top of click
    from click.exceptions import ClickException, UsageError

from checker import __version__
from claims.errors import InputError

PROG = "claimcheck"
EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_BROKEN_PIPE = 141  # what a shell reports for a writer killed by SIGPIPE


class ReportFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    csv = "csv"


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


# --- error reporting ---------------------------------------------------------------------------

def error_line(message: str) -> None:
    """Print one ``claimcheck: error: ...`` line on stderr (newlines folded)."""
    sys.stderr.write(f"{PROG}: error: {' '.join(str(message).split())}\n")
    sys.stderr.flush()


def _internal_error(exc: BaseException) -> None:
    if os.environ.get("CLAIMCHECK_DEBUG") == "1":
        traceback.print_exc(file=sys.stderr)
    message = " ".join(str(exc).split())
    sys.stderr.write(f"{PROG}: internal error: {type(exc).__name__}: {message}\n"
                     f"{PROG}: please report this; set CLAIMCHECK_DEBUG=1 for details\n")
    sys.stderr.flush()


def _quiet_stdout() -> None:
    """After a broken pipe (``claimcheck check ... | head``) stop further writes from failing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


@contextmanager
def reporting_errors() -> Iterator[None]:
    """Turn every failure inside a command into a one-line message and an exit code.

    Done inside the commands as well as in ``main`` so ``typer.testing.CliRunner`` sees the
    same behaviour as the console script.
    """
    try:
        yield
    except (typer.Exit, typer.Abort, ClickException):
        raise
    except InputError as exc:
        error_line(str(exc))
        raise typer.Exit(EXIT_INPUT) from None
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except BrokenPipeError:
        _quiet_stdout()
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    except OSError as exc:
        if not exc.filename:
            _internal_error(exc)
            raise typer.Exit(EXIT_INTERNAL) from None
        # a file the user named (or one inside it) cannot be read: an input problem, not a bug
        error_line(f"{exc.filename}: {exc.strerror or exc}")
        raise typer.Exit(EXIT_INPUT) from None
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        _internal_error(exc)
        raise typer.Exit(EXIT_INTERNAL) from None


# --- output ------------------------------------------------------------------------------------

def check_output_target(output: Path) -> None:
    """Fail before the (slow) check when the report could not be written anyway."""
    if output.is_dir():
        raise InputError(str(output), "is a folder; --output needs a file name")
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(str(output), f"folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK):
        raise InputError(str(output), f"folder {str(folder)!r} is not writable")


def _new_file_mode(target: Path) -> int:
    if target.exists():
        return target.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_report(text: str, output: Path | None, *, for_terminal: bool = False) -> None:
    """Write to stdout, or atomically to ``output``: a failed run never leaves half a report.

    ``for_terminal`` (text reports, tables) lets stdout use the terminal's encoding; data
    formats (json, csv, markdown) always go out as UTF-8.
    """
    if output is None:
        _write_stdout(text, for_terminal=for_terminal)
        return
    folder = output.parent if str(output.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(str(output), f"cannot write report: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        # mkstemp makes the file private (0600); a report should get the usual permissions
        os.chmod(tmp, _new_file_mode(output))
        os.replace(tmp, output)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise InputError(str(output), f"cannot write report: {exc.strerror or exc}") from None
        raise


def _write_stdout(text: str, *, for_terminal: bool = True) -> None:
    stream = sys.stdout
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
    if encoding in ("utf-8", "utf8") or not hasattr(stream, "buffer"):
        stream.write(text)
    else:
        # a non-UTF-8 stdout must not turn one odd character into a crash; data formats stay
        # UTF-8 (what JSON and CSV readers expect), text for people is shown as best it can be
        stream.flush()
        stream.buffer.write(text.encode(encoding if for_terminal else "utf-8", errors="replace"))
    stream.flush()


def _use_color(output: Path | None, color: bool | None) -> bool:
    if color is not None:
        return color
    if output is not None or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(sys.stdout, "isatty", lambda: False)())


def _width(output: Path | None) -> int:
    from checker.reports import DEFAULT_WIDTH

    if output is None and getattr(sys.stdout, "isatty", lambda: False)():
        return max(60, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)
    return DEFAULT_WIDTH


def _print_problems(problems) -> None:
    for problem in problems:
        error_line(str(problem))


def _load_rules(rules: Path | None):
    from checker.rules_config import load_rules

    return load_rules(rules) if rules is not None else load_rules()


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


STORY_HELP = "Story folder (articles as .txt/.md/.html/.json/.jsonl, optional meta.json) or a .json/.jsonl feed."
RULES_HELP = "Rules file (YAML); default: the rules.yaml shipped with claimcheck."


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
) -> None:
    """Check a story and report where its sources disagree."""
    with reporting_errors():
        from checker.findings import SEVERITY_RANK
        from checker.pipeline import check_story, result_to_dict
        from checker.reports import render

        if output is not None:
            check_output_target(output)
        result = check_story(story, _load_rules(rules))
        data = result_to_dict(result)
        options = {"color": _use_color(output, color), "width": _width(output)} if fmt is ReportFormat.text else {}
        write_report(render(fmt.value, data, result, **options), output,
                     for_terminal=fmt is ReportFormat.text)
        if result.problems:
            _print_problems(result.problems)
            raise typer.Exit(EXIT_INPUT)
        threshold = SEVERITY_RANK[fail_on.value]
        failing = any(SEVERITY_RANK.get(f.severity, 0) >= threshold for f in result.findings)
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
) -> None:
    """List the claims extracted from a story: see why something was or was not flagged."""
    with reporting_errors():
        from claims.extract import EXTRACTORS
        from checker.pipeline import extract_story
        from checker.reports import render_claims

        if output is not None:
            check_output_target(output)
        _load_rules(rules)  # a bad rules file is an error here too
        result = extract_story(story)  # listing claims needs no rules applied
        frame = result.claims
        if types:
            known = set(frame["claim_type"].dropna()) | {m.CLAIM_TYPE for m in EXTRACTORS}
            unknown = [t for t in types if t not in known]
            if unknown:
                sys.stderr.write(f"{PROG}: note: no claims of type {', '.join(map(repr, unknown))} "
                                 f"(types: {', '.join(sorted(known)) or 'none'})\n")
            frame = frame[frame["claim_type"].isin(types)]
        text = render_claims(frame, fmt.value, color=_use_color(output, color), width=_width(output))
        write_report(text, output, for_terminal=fmt is ClaimsFormat.table)
        if result.story.problems:
            _print_problems(result.story.problems)
            raise typer.Exit(EXIT_INPUT)


@app.command("rules")
def list_rules(
    rules: Optional[Path] = typer.Option(None, "--rules", "-r", help=RULES_HELP, show_default=False),
) -> None:
    """List the loaded rules: id, kind, severity, enabled, claim types."""
    with reporting_errors():
        import io

        from rich import box
        from rich.console import Console
        from rich.table import Table

        ruleset = _load_rules(rules)
        color = _use_color(None, None)
        buffer = io.StringIO()
        console = Console(file=buffer, width=_width(None), force_terminal=color, no_color=not color,
                          color_system="standard" if color else None, highlight=False, markup=False)
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title_justify="left",
                      title=f"{len(ruleset.rules)} rules from {ruleset.path}")
        for name in ("id", "kind", "severity", "enabled", "claim types", "defined at"):
            table.add_column(name, overflow="fold")
        for rule in ruleset.rules:
            line = rule.source.rsplit(":", 1)[-1] if ":" in rule.source else ""
            table.add_row(rule.id, rule.kind, rule.severity, "yes" if rule.enabled else "no",
                          ", ".join(rule.claim_types), f"line {line}" if line else "")
        console.print(table)
        _write_stdout(buffer.getvalue())


# --- entry point -------------------------------------------------------------------------------

def _usage_line(exc: UsageError) -> str:
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
    except UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            # ``claimcheck`` alone: the help is the useful answer, not an error line
            help_text = exc.format_message()
            if help_text:
                sys.stdout.write(help_text + "\n")
            return EXIT_INPUT
        error_line(_usage_line(exc))
        return EXIT_INPUT
    except ClickException as exc:
        error_line(exc.format_message())
        return EXIT_INPUT
    except typer.Abort:
        sys.stderr.write(f"{PROG}: aborted\n")
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        _internal_error(exc)
        return EXIT_INTERNAL
    return rv if isinstance(rv, int) else EXIT_OK


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point (``claimcheck``)."""
    sys.exit(run(argv))


if __name__ == "__main__":  # pragma: no cover
    main()
