"""Input and output shared by every ``claimcheck`` command: one-line errors with exit codes, and
reports written atomically (a failed run never leaves half a file behind).
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import typer

try:  # typer >= 0.2x ships its own copy of click
    from typer._click.exceptions import ClickException
except ImportError:  # pragma: no cover - older typer on top of click
    from click.exceptions import ClickException

from claims.errors import InputError

PROG = "claimcheck"
EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_BROKEN_PIPE = 141  # what a shell reports for a writer killed by SIGPIPE


# --- error reporting ---------------------------------------------------------------------------

def error_line(message: str) -> None:
    """Print one ``claimcheck: error: ...`` line on stderr (newlines folded)."""
    sys.stderr.write(f"{PROG}: error: {' '.join(str(message).split())}\n")
    sys.stderr.flush()


def warning_line(message: str) -> None:
    """Print one ``claimcheck: warning: ...`` line on stderr: the input was read with a guess."""
    sys.stderr.write(f"{PROG}: warning: {' '.join(str(message).split())}\n")
    sys.stderr.flush()


def internal_error(exc: BaseException) -> None:
    if os.environ.get("CLAIMCHECK_DEBUG") == "1":
        traceback.print_exc(file=sys.stderr)
    message = " ".join(str(exc).split())
    sys.stderr.write(f"{PROG}: internal error: {type(exc).__name__}: {message}\n"
                     f"{PROG}: please report this; set CLAIMCHECK_DEBUG=1 for details\n")
    sys.stderr.flush()


def quiet_stdout() -> None:
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
        quiet_stdout()
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    except OSError as exc:
        if not exc.filename:
            internal_error(exc)
            raise typer.Exit(EXIT_INTERNAL) from None
        # a file the user named (or one inside it) cannot be read: an input problem, not a bug
        error_line(f"{exc.filename}: {exc.strerror or exc}")
        raise typer.Exit(EXIT_INPUT) from None
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        internal_error(exc)
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
        write_stdout(text, for_terminal=for_terminal)
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


def write_stdout(text: str, *, for_terminal: bool = True) -> None:
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


def use_color(output: Path | None, color: bool | None) -> bool:
    if color is not None:
        return color
    if output is not None or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(sys.stdout, "isatty", lambda: False)())


def report_width(output: Path | None) -> int:
    from checker.reports import DEFAULT_WIDTH

    if output is None and getattr(sys.stdout, "isatty", lambda: False)():
        return max(60, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)
    return DEFAULT_WIDTH
