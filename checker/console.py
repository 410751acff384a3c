"""Input and output shared by every ``claimcheck`` command: one-line errors with exit codes, and
reports written atomically (a failed run never leaves half a file behind).

What reaches a terminal is made safe here. Article text, outlet names, titles, file names and
a user's rules are untrusted, and a terminal acts on control characters instead of showing them
(ESC sequences clear the screen or retitle the window; bidi overrides reorder what is shown).
Every text report, table and stderr line shows untrusted text through ``terminal_text``: on one
line, with each such character written out as its escape (``\\x1b``, ``\\x9b``, ``\\u202e``).
Text that must keep its spaces (a Markdown report, a file name in a GitHub annotation) goes
through ``visible_controls``: the same escapes, whitespace kept. The other data formats (JSON,
CSV, HTML) keep the text verbatim; JSON writes those characters as ``\\u`` escapes, so it is
safe to print and decodes to the same text.

``--output`` replaces only a regular file: a device, FIFO, socket, folder or symbolic link is
refused with one line and exit 2 before the check runs (see ``_refuse_special_target``). A
stdout that cannot be written is one line and exit 2 (``cannot write report: No space left on
device``); a reader that goes away (``| head``) ends the command quietly with exit 141.
"""
from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import typer
from typer.exceptions import TyperException

from claims.errors import InputError

PROG = "claimcheck"
DEFAULT_WIDTH = 110  # columns of a text report or table written to a file or pipe
EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_BROKEN_PIPE = 141  # what a shell reports for a writer killed by SIGPIPE


# --- text for terminals ------------------------------------------------------------------------

# What a terminal acts on instead of showing: C0 and C1 controls (ESC starts sequences that clear
# the screen or retitle the window; 0x9b is a one-byte CSI) and DEL, plus the bidi embeddings,
# overrides and isolates, which make text read differently from what it says.
_TERMINAL_UNSAFE = ([*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]
                    + [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
_TERMINAL_VISIBLE = {c: (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}") for c in _TERMINAL_UNSAFE}


def terminal_text(value: object, limit: int | None = None) -> str:
    """Untrusted text made safe to print on a terminal, as one line.

    Runs of whitespace (newlines, tabs, CR, form feeds and other whitespace controls) become one
    space; every other control character and bidi override is shown as its escape, ``\\x1b`` or
    ``\\u202e``, so a reader sees that it is there and the terminal does not act on it. With
    ``limit`` the text is cut to that many characters, ending in an ellipsis.
    """
    text = " ".join(("" if value is None else str(value)).split()).translate(_TERMINAL_VISIBLE)
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)].rstrip() + "\u2026"
    return text


def visible_controls(text: str, keep: str = "") -> str:
    """``text`` with every character ``terminal_text`` escapes written out the same way, but
    without folding whitespace, for text that must keep its spaces (a file name, a Markdown
    report); the characters in ``keep`` stay as they are (a Markdown report keeps its newlines)."""
    table = {c: e for c, e in _TERMINAL_VISIBLE.items() if chr(c) not in keep} if keep else _TERMINAL_VISIBLE
    return text.translate(table)


def terminal_data(value: object) -> object:
    """``value`` (a report contract, or any part of it) with every string made ``terminal_text``."""
    if isinstance(value, str):
        return terminal_text(value)
    if isinstance(value, dict):
        return {terminal_data(k): terminal_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [terminal_data(v) for v in value]
    return value


# --- error reporting ---------------------------------------------------------------------------

def _stderr(text: str) -> None:
    # nowhere left to report to when stderr itself fails: the exit code still tells
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def error_line(message: str) -> None:
    """Print one ``claimcheck: error: ...`` line on stderr (newlines folded, controls escaped)."""
    _stderr(f"{PROG}: error: {terminal_text(message)}\n")


def warning_line(message: str) -> None:
    """Print one ``claimcheck: warning: ...`` line on stderr: the input was read with a guess."""
    _stderr(f"{PROG}: warning: {terminal_text(message)}\n")


def internal_error(exc: BaseException) -> None:
    if os.environ.get("CLAIMCHECK_DEBUG") == "1":
        try:
            traceback.print_exc(file=sys.stderr)
        except (OSError, ValueError):
            pass
    _stderr(f"{PROG}: internal error: {type(exc).__name__}: {terminal_text(exc)}\n"
            f"{PROG}: please report this; set CLAIMCHECK_DEBUG=1 for details\n")


class OutputError(Exception):
    """The report could not be written to stdout (a full disk, a closed terminal): said in one
    line, exit 2, like an input problem, since nothing in claimcheck is broken."""


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
    except (typer.Exit, typer.Abort, TyperException):
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
    except OutputError as exc:
        error_line(str(exc))
        raise typer.Exit(EXIT_INPUT) from None
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

def _refuse_special_target(output: Path) -> None:
    """Only a regular file may be replaced by a report.

    The report is renamed over its target, so ``-o /dev/full`` run as root would replace the
    device node with a file, and ``-o`` naming a FIFO or socket would replace what another
    program reads from. A symbolic link is refused as well rather than followed: renaming over
    it would silently turn the link into a file, and writing through it lets whoever planted the
    link (in a shared folder such as /tmp) choose which file gets overwritten.
    """
    try:
        mode = output.lstat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InputError(str(output), f"cannot write report: {exc.strerror or exc}") from None
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise InputError(str(output), "is a folder; --output needs a file name")
    if stat.S_ISLNK(mode):
        raise InputError(str(output), "is a symbolic link; --output replaces only a regular file "
                                      "(name the file it points to, or leave --output out to write to stdout)")
    kind = ("a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a FIFO" if stat.S_ISFIFO(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
    raise InputError(str(output), f"is {kind}; --output replaces only a regular file "
                                  "(to write to stdout, leave --output out)")


def check_output_target(output: Path) -> None:
    """Fail before the (slow) check when the report could not be written anyway."""
    _refuse_special_target(output)
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
        # again: the check may have taken minutes, and the target may have changed since
        _refuse_special_target(output)
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
    """Write ``text`` to stdout and flush it.

    A reader that went away (``| head``) raises BrokenPipeError, which ends the command quietly
    with 141; any other failure to write (a full disk, ``> /dev/full``, a terminal gone) is an
    OutputError: one line, exit 2.
    """
    stream = sys.stdout
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
    try:
        if encoding in ("utf-8", "utf8") or not hasattr(stream, "buffer"):
            stream.write(text)
        else:
            # a non-UTF-8 stdout must not turn one odd character into a crash; data formats stay
            # UTF-8 (what JSON and CSV readers expect), text for people is shown as best it can be
            stream.flush()
            stream.buffer.write(text.encode(encoding if for_terminal else "utf-8", errors="replace"))
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        # what is still buffered would fail again when Python exits, with a traceback-like
        # "Exception ignored" message and exit code 120
        quiet_stdout()
        raise OutputError(f"cannot write report: {exc.strerror or exc}") from None


def use_color(output: Path | None, color: bool | None) -> bool:
    if color is not None:
        return color
    if output is not None or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(sys.stdout, "isatty", lambda: False)())


def report_width(output: Path | None) -> int:
    if output is None and getattr(sys.stdout, "isatty", lambda: False)():
        return max(60, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)
    return DEFAULT_WIDTH
