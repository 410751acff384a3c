"""Output that survives hostile input: terminal escapes in article text, outlet names, titles,
file names and user rules never reach a terminal raw; data formats keep the text verbatim but
keep their structure (Markdown tables, spreadsheet formulas); ``--output`` only ever replaces a
regular file; a full stdout is one error line; a story id shared by two folders is warned about.

Stories are invented in tmp_path; CLI runs are in-process (``run_cli``) unless the test is about
the process itself (its stdout, its exit code on a broken pipe), then a subprocess.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import socket
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT, run_cli

# C0 controls except tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SGR = re.compile("\x1b\\[[0-9;]*m")  # colour codes the report itself emits with --color
# set screen, retitle the window, a one-byte CSI, a right-to-left override
ESCAPES = "\x1b[2J\x1b]0;owned\x07\x9b31m\u202eevil\u202c"

ALPHA = """Bridge collapse in Tarnwick injures 17

A road bridge over the Lissen river in Tarnwick collapsed on Tuesday, injuring 17 people, the county fire service said.

Mayor Ilse Varga, 48, said: "We will rebuild the bridge within a year and we will find out why it fell."

The crossing had been inspected in May, officials said.
"""
BETA = """Tarnwick bridge falls into river

{lead}The bridge over the Lissen river in Tarnwick gave way on Tuesday, injuring 19 people{inject}, according to the county fire service.

"We will rebuild the bridge within a year," Mayor Ilse Varga said.

The crossing had been inspected in May.
"""


@pytest.fixture(autouse=True)
def _no_ambient_db(monkeypatch, tmp_path):
    """No test may pick up a review database from the environment or the working folder."""
    monkeypatch.delenv("CLAIMCHECK_DB", raising=False)
    monkeypatch.delenv("CLAIMCHECK_DEBUG", raising=False)
    monkeypatch.chdir(tmp_path)


def make_story(folder: Path, name: str = "bridge", *, inject: str = "", lead: str = "", outlet: str = "Beta News",
               title: str = "Bridge falls", url: str = "https://beta.example/bridge") -> Path:
    """An invented two-source story: Alpha says 17 people were injured, Beta 19 (one count
    conflict); ``lead`` starts and ``inject`` follows the figure in Beta's sentence, ``outlet``
    and ``title`` go into its metadata."""
    story = folder / name
    story.mkdir(parents=True)
    (story / "alpha.txt").write_text(ALPHA, encoding="utf-8")
    (story / "beta.txt").write_text(BETA.format(inject=inject, lead=lead), encoding="utf-8")
    meta = {"articles": [
        {"id": "alpha", "file": "alpha.txt", "outlet": "Alpha Daily", "date": "2025-04-02",
         "headline": "Bridge collapse", "url": "https://alpha.example/bridge"},
        {"id": "beta", "file": "beta.txt", "outlet": outlet, "date": "2025-04-02", "headline": title, "url": url},
    ]}
    (story / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return story


def hostile_story(folder: Path) -> Path:
    """Escapes in the article text, the outlet, the title and the story folder's own name."""
    return make_story(folder, f"bridge{ESCAPES}", inject=ESCAPES, lead=f"{ESCAPES} ", outlet=f"Beta{ESCAPES} News",
                      title=f"Falls{ESCAPES}")


def assert_terminal_safe(text: str) -> None:
    raw = UNSAFE.findall(text)
    assert not raw, f"raw control characters reach the terminal: {raw!r}"


def subprocess_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CLAIMCHECK_DEBUG", "CLAIMCHECK_DB")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["NO_COLOR"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def claimcheck_command() -> list[str]:
    script = ROOT / ".venv" / "bin" / "claimcheck"
    return [str(script)] if script.exists() else [sys.executable, "-m", "checker"]


# --- terminal output: every untrusted string escaped ------------------------------------------

def test_text_report_shows_escapes_visibly_and_never_raw(capsys, tmp_path):
    story = hostile_story(tmp_path)
    code, out, err = run_cli(capsys, "check", story, "--fail-on", "never")
    assert code == 0, err
    assert_terminal_safe(out)
    assert_terminal_safe(err)
    assert "Beta\\x1b[2J\\x1b]0;owned\\x07\\x9b31m\\u202eevil\\u202c News" in out  # the outlet, visibly
    assert "people«\\x1b[2J" in out  # the article text
    assert "story bridge\\x1b[2J" in out  # the folder name


def test_coloured_text_report_emits_only_its_own_colour_codes(capsys, tmp_path):
    story = hostile_story(tmp_path)
    code, out, _ = run_cli(capsys, "check", story, "--fail-on", "never", "--color")
    assert code == 0
    assert "\x1b[" in out  # coloured ...
    assert_terminal_safe(SGR.sub("", out))  # ... and nothing else


def test_claims_table_escapes_and_claims_json_stays_verbatim(capsys, tmp_path):
    story = hostile_story(tmp_path)
    code, out, _ = run_cli(capsys, "claims", story, "--type", "count")
    assert code == 0
    assert_terminal_safe(out)
    assert "\\x1b" in out
    code, out, _ = run_cli(capsys, "claims", story, "--format", "json")
    assert code == 0
    assert_terminal_safe(out)  # JSON writes \u escapes, so printing it is safe too ...
    sentences = {c["sentence"] for c in json.loads(out)}
    assert any(ESCAPES in s for s in sentences)  # ... and the decoded text is verbatim


def test_rules_command_escapes_a_user_rules_file(capsys, tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text('rules:\n  - id: "count\\e[2J\\e]0;owned\\a\\u202Econflict"\n    kind: value_conflict\n'
                     '    severity: error\n    message: "Disagree\\e[31m: {values}"\n    claim_types: [count]\n',
                     encoding="utf-8")
    code, out, err = run_cli(capsys, "rules", "--rules", rules)
    assert code == 0, err
    assert_terminal_safe(out)
    assert "\\x1b[2J" in out and "\\x07" in out and "\\u202e" in out  # the id (folded over lines)

    # the rule's id and message reach the text report of a check as well
    story = make_story(tmp_path)
    code, out, err = run_cli(capsys, "check", story, "--rules", rules, "--fail-on", "never")
    assert code == 0, err
    assert_terminal_safe(out)
    assert "Disagree\\x1b[31m:" in out


def test_error_and_warning_lines_escape_file_names_and_messages(capsys, tmp_path, monkeypatch):
    story = make_story(tmp_path)
    (story / f"broken{ESCAPES}.txt").write_bytes(b"")  # an empty article: a problem naming the file
    code, out, err = run_cli(capsys, "check", story, "--fail-on", "never")
    assert code == 2
    assert_terminal_safe(out)
    assert_terminal_safe(err)
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("claimcheck: error: ")
    assert "broken\\x1b[2J" in lines[0] and "broken\\x1b[2J" in out  # stderr and the report's problems

    code, _, err = run_cli(capsys, "check", tmp_path / f"missing{ESCAPES}")
    assert code == 2
    assert_terminal_safe(err)
    assert len(err.splitlines()) == 1

    import checker.pipeline.check

    def boom(*args, **kwargs):
        raise RuntimeError(f"kaboom{ESCAPES}\nsecond line")

    monkeypatch.setattr(checker.pipeline.check, "check_story", boom)
    code, _, err = run_cli(capsys, "check", story)
    assert code == 3
    assert_terminal_safe(err)
    assert "kaboom\\x1b[2J" in err and len(err.splitlines()) == 2


def test_error_and_warning_line_helpers(capsys):
    from checker.console import error_line, terminal_text, warning_line

    error_line(f"a{ESCAPES}\nb\tc\r\nd")
    warning_line("e\x85f\x00g")
    err = capsys.readouterr().err
    assert err == ("claimcheck: error: a\\x1b[2J\\x1b]0;owned\\x07\\x9b31m\\u202eevil\\u202c b c d\n"
                   "claimcheck: warning: e f\\x00g\n")
    assert terminal_text("x" * 10_000, 80) == "x" * 79 + "\u2026"


# --- the review commands ----------------------------------------------------------------------

def test_review_list_show_history_and_set_escape_everything(capsys, tmp_path):
    story = hostile_story(tmp_path)
    db = tmp_path / "review.db"
    code, out, _ = run_cli(capsys, "check", story, "--db", db, "-f", "json", "--fail-on", "never")
    assert code == 0
    data = json.loads(out)
    finding = next(f for f in data["findings"] if f["rule"] == "count-conflict")

    code, out, _ = run_cli(capsys, "review", "list", "--db", db)
    assert code == 0
    assert_terminal_safe(out)
    assert "bridge\\x1b[2J" in out and "Beta\\x1b[2J" in out

    code, out, _ = run_cli(capsys, "review", "set", finding["id"], "--status", "dismissed", "--db", db,
                           "--note", "line one\nline two", "--by", "ana")
    assert code == 0
    assert_terminal_safe(out)

    # a note smuggled into the database by another program: shown escaped all the same
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO decisions (story, finding_id, status, note, reviewer, decided_at) "
                     "VALUES (?, ?, 'confirmed', ?, ?, '2026-01-01T00:00:00Z')",
                     (data["story"]["id"], finding["id"], f"note{ESCAPES}", f"eve{ESCAPES}"))
    for command in ("show", "history"):
        code, out, err = run_cli(capsys, "review", command, finding["id"], "--db", db)
        assert code == 0, err
        assert_terminal_safe(out)
        assert "note\\x1b[2J" in out and "eve\\x1b[2J" in out
    code, out, _ = run_cli(capsys, "review", "history", finding["id"], "--db", db)
    assert "line one line two" in out  # a note's own newlines keep each decision on one line


def test_review_set_refuses_a_note_with_control_characters(capsys, tmp_path):
    story = make_story(tmp_path)
    db = tmp_path / "review.db"
    code, out, _ = run_cli(capsys, "check", story, "--db", db, "-f", "json", "--fail-on", "never")
    finding_id = json.loads(out)["findings"][0]["id"]
    code, out, err = run_cli(capsys, "review", "set", finding_id, "--status", "dismissed", "--db", db,
                             "--note", f"fine{ESCAPES}")
    assert code == 2
    assert err.count("\n") == 1 and "control characters" in err
    assert_terminal_safe(err)


def test_review_export_formats(capsys, tmp_path):
    from checker.report.csv import csv_safe

    story = make_story(tmp_path, "=SUM(1,2)", inject=ESCAPES, outlet="@HYPERLINK(\"http://x.example\")",
                       title=f"<b>{ESCAPES}")
    db = tmp_path / "review.db"
    assert run_cli(capsys, "check", story, "--db", db, "--fail-on", "never")[0] == 0

    code, out, _ = run_cli(capsys, "review", "export", "--db", db)
    assert code == 0
    assert_terminal_safe(out)
    reviews = json.loads(out)
    assert {r["@type"] for r in reviews} == {"ClaimReview"}
    appearances = [a for r in reviews for a in r["itemReviewed"]["appearance"]]
    assert f"<b>{ESCAPES}" in {a["headline"] for a in appearances}  # verbatim once decoded

    out_file = tmp_path / "reviews.csv"
    code, _, err = run_cli(capsys, "review", "export", "--format", "csv", "--output", out_file, "--db", db)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out_file.read_text(encoding="utf-8"))))
    assert rows and {r["story"] for r in rows} == {"'=SUM(1,2)"}  # OWASP: a leading ' reads as text
    assert all(csv_safe(value) == value for r in rows for value in r.values())
    assert any("@HYPERLINK" in r["outlets"] for r in rows)


# --- data formats: verbatim text, intact structure ---------------------------------------------

def test_json_report_keeps_text_verbatim_and_is_safe_to_print(capsys, tmp_path):
    story = hostile_story(tmp_path)
    code, out, _ = run_cli(capsys, "check", story, "-f", "json", "--fail-on", "never")
    assert code == 0
    assert_terminal_safe(out)
    data = json.loads(out)
    assert f"Beta{ESCAPES} News" in {a["outlet"] for a in data["articles"]}
    assert any(ESCAPES in ev["text"] or ESCAPES in (ev.get("sentence") or "")
               for f in data["findings"] for ev in f["evidence"])


def test_csv_report_neutralises_formulas(capsys, tmp_path):
    story = make_story(tmp_path, outlet="=cmd|' /C calc'!A0", inject=" @SUM(A1)")
    code, out, _ = run_cli(capsys, "check", story, "-f", "csv", "--fail-on", "never")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    outlets = {r["outlet"] for r in rows}
    assert "'=cmd|' /C calc'!A0" in outlets  # OWASP: a leading ' makes a spreadsheet show text
    from checker.report.csv import csv_safe

    assert all(csv_safe(value) == value for row in rows for value in row.values())  # nothing left to neutralise
    assert [csv_safe(v) for v in ("=1+2", "+cmd", "-cmd", "@x", "\tx", "\rx", "-3", "+1.5", "a=b")] == \
        ["'=1+2", "'+cmd", "'-cmd", "'@x", "'\tx", "'\rx", "-3", "+1.5", "a=b"]


def test_markdown_report_keeps_its_tables_and_code_spans(capsys, tmp_path):
    story = make_story(tmp_path, inject=" | ~~struck~~ `tick`", outlet="Beta | News\nsecond line")
    (story / "bad`name.txt").write_bytes(b"")
    rules = tmp_path / "rules.yaml"
    rules.write_text('rules:\n  - id: "count`conflict"\n    kind: value_conflict\n    severity: error\n'
                     '    message: "Disagree: {values}"\n    claim_types: [count]\n', encoding="utf-8")
    code, out, _ = run_cli(capsys, "check", story, "-f", "markdown", "--rules", rules, "--fail-on", "never")
    assert code == 2  # the bad article
    columns = None  # every row of a table has as many cells as its header
    for line in out.splitlines():
        if not line.startswith("|"):
            columns = None
            continue
        cells = len(re.split(r"(?<!\\)\|", line)) - 2
        columns = columns or cells
        assert cells == columns, line
    assert "Beta \\| News second line" in out
    assert "\\~\\~struck\\~\\~" in out  # article text cannot fake the diff's struck-out words
    assert "- Rule: ``count`conflict``" in out
    assert "- skipped ``bad`name.txt``" in out


def test_html_report_escapes_text_outlet_and_title(capsys, tmp_path):
    def attack(where: str) -> str:
        return f'<script>alert("{where}")</script>"\'<img src=x onerror=alert(1)>'

    story = make_story(tmp_path, inject=" " + attack("text"), outlet="Beta " + attack("outlet"),
                       title="Falls " + attack("title"), url="javascript:alert(1)")
    out_file = tmp_path / "report.html"
    code, _, err = run_cli(capsys, "check", story, "-f", "html", "-o", out_file, "--fail-on", "never")
    assert code == 0, err
    page = out_file.read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page
    for where in ("text", "outlet", "title"):
        assert f"&lt;script&gt;alert(&quot;{where}&quot;)&lt;/script&gt;&quot;&#x27;&lt;img" in page, where
    assert 'href="javascript:' not in page


# --- layout: huge or multi-line names ---------------------------------------------------------

def test_a_huge_or_multiline_outlet_keeps_the_layout(capsys, tmp_path):
    story = make_story(tmp_path, outlet="Beta\nNews\r\nDesk " + "x" * 10_000, title="t" * 10_000)
    code, out, _ = run_cli(capsys, "check", story, "--fail-on", "never")
    assert code == 0
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 110
    # the outlet fills no more than its share of the sources table and of each evidence table
    assert sum("xxxxxxxx" in line for line in lines) < 50
    assert "Beta News Desk" in out and "x\u2026" in out  # newlines folded, the name cut

    code, out, _ = run_cli(capsys, "check", story, "-f", "markdown", "--fail-on", "never")
    row = next(line for line in out.splitlines() if line.startswith("| beta |"))
    assert "Beta News Desk " + "x" * 10_000 in row  # data formats keep the name whole, on one line


# --- --output: only a regular file is ever replaced --------------------------------------------

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")


def _special_targets(tmp_path: Path) -> list[tuple[Path, str]]:
    targets = []
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    targets.append((fifo, "a FIFO"))
    folder = tmp_path / "folder"
    folder.mkdir()
    targets.append((folder, "a folder"))
    sock = tmp_path / "sock"
    if hasattr(socket, "AF_UNIX") and len(str(sock)) < 100:  # the limit of a socket's path
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(sock))
        targets.append((sock, "a socket"))
    if os.geteuid() == 0:  # a device node of our own (a copy of /dev/full), never a real one
        device = tmp_path / "full"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 7))
        targets.append((device, "a device"))
    return targets


@needs_fifo
@pytest.mark.parametrize("command", [["check"], ["claims"]])
def test_output_refuses_a_target_that_is_not_a_regular_file(capsys, tmp_path, command):
    story = make_story(tmp_path)
    targets = tmp_path / "targets"
    targets.mkdir()
    for target, kind in _special_targets(targets):
        before = target.lstat()
        code, out, err = run_cli(capsys, *command, story, "-o", target)
        assert code == 2, (target, err)
        assert err == f"claimcheck: error: {target}: is {kind}" + err.split(kind, 1)[1]
        assert err.count("\n") == 1 and out == ""
        after = target.lstat()
        assert (stat.S_IFMT(after.st_mode), after.st_ino) == (stat.S_IFMT(before.st_mode), before.st_ino)


@needs_fifo
def test_output_refuses_before_the_check_runs(capsys, tmp_path):
    os.mkfifo(tmp_path / "fifo")
    code, _, err = run_cli(capsys, "check", tmp_path / "no-such-story", "-o", tmp_path / "fifo")
    assert code == 2
    assert "fifo: is a FIFO" in err and "no-such-story" not in err


def test_output_refuses_a_symlink_and_leaves_both_ends_alone(capsys, tmp_path):
    story = make_story(tmp_path)
    real = tmp_path / "real.json"
    real.write_text("keep me", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    code, _, err = run_cli(capsys, "check", story, "-f", "json", "-o", link)
    assert code == 2
    assert err.startswith(f"claimcheck: error: {link}: is a symbolic link") and err.count("\n") == 1
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "keep me"

    code, _, err = run_cli(capsys, "check", story, "-f", "json", "-o", real, "--fail-on", "never")
    assert code == 0, err
    assert json.loads(real.read_text(encoding="utf-8"))["story"]["id"] == "bridge"

    db = tmp_path / "review.db"
    assert run_cli(capsys, "check", story, "--db", db, "--fail-on", "never")[0] == 0
    code, _, err = run_cli(capsys, "review", "export", "--db", db, "-o", link)
    assert code == 2 and "symbolic link" in err


@needs_fifo
def test_a_target_replaced_by_a_fifo_during_the_check_is_refused(capsys, tmp_path, monkeypatch):
    from checker import console

    target = tmp_path / "report.txt"
    original = console._new_file_mode

    def swap(path):  # runs just before the rename: the target turns into a FIFO meanwhile
        mode = original(path)
        os.mkfifo(target)
        return mode

    monkeypatch.setattr(console, "_new_file_mode", swap)
    with pytest.raises(Exception) as raised:
        console.write_report("report", target)
    assert "is a FIFO" in str(raised.value)
    assert stat.S_ISFIFO(target.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]  # no temporary file left behind


# --- stdout that cannot be written -------------------------------------------------------------

@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["check", "{story}", "--fail-on", "never"],
                                  ["check", "{story}", "-f", "json", "--fail-on", "never"],
                                  ["claims", "{story}"],
                                  ["rules"]])
def test_a_full_stdout_is_one_error_line(tmp_path, args):
    story = make_story(tmp_path)
    with open("/dev/full", "w") as full:
        proc = subprocess.run(claimcheck_command() + [a.format(story=story) for a in args], stdout=full,
                              stderr=subprocess.PIPE, text=True, env=subprocess_env(), timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == "claimcheck: error: cannot write report: No space left on device\n"


def test_a_failing_stdout_in_process(capsys, tmp_path, monkeypatch):
    import errno

    class FullStream(io.StringIO):
        encoding = "utf-8"

        def write(self, text):
            raise OSError(errno.EIO, "Input/output error")

    story = make_story(tmp_path)
    monkeypatch.setattr(sys, "stdout", FullStream())
    code, _, err = run_cli(capsys, "check", story, "--fail-on", "never")
    assert code == 2
    assert err == "claimcheck: error: cannot write report: Input/output error\n"


@needs_fifo  # POSIX pipes and the shell's 128 + SIGPIPE convention
def test_a_reader_that_goes_away_ends_quietly_with_141(tmp_path):
    story = make_story(tmp_path)
    read_end, write_end = os.pipe()
    os.close(read_end)  # closed before the first write: no race with the reader
    try:
        proc = subprocess.run(claimcheck_command() + ["check", str(story), "-f", "json", "--fail-on", "never"],
                              stdout=write_end, stderr=subprocess.PIPE, text=True, env=subprocess_env(),
                              timeout=60)
    finally:
        os.close(write_end)
    assert proc.returncode == 141
    assert proc.stderr == ""


# --- one story id, two folders -----------------------------------------------------------------

def test_a_story_id_recorded_from_another_folder_is_warned_about(capsys, tmp_path):
    first = make_story(tmp_path / "desk-a")
    second = make_story(tmp_path / "desk-b")
    db = tmp_path / "review.db"
    code, _, err = run_cli(capsys, "check", first, "--db", db, "--fail-on", "never")
    assert code == 0 and err == ""

    code, out, err = run_cli(capsys, "check", second, "--db", db, "-f", "json", "--fail-on", "never")
    assert code == 0  # a warning leaves the exit code alone
    assert err == (f"claimcheck: warning: {second.resolve()}: story id 'bridge' was recorded in {db} from "
                   f"{first.resolve()}; both share one set of review decisions "
                   "(rename one folder to keep them apart)\n")
    warnings = json.loads(out)["warnings"]
    assert [w["path"] for w in warnings] == [str(second.resolve())]

    # the same folder again: nothing new to say
    code, _, err = run_cli(capsys, "check", second, "--db", db, "--fail-on", "never")
    assert code == 0 and err == ""
    # the first folder again: it does share decisions with the second
    code, _, err = run_cli(capsys, "check", first, "--db", db, "--fail-on", "never")
    assert err.startswith(f"claimcheck: warning: {first.resolve()}: story id 'bridge'")


def test_a_moved_story_folder_is_not_warned_about(capsys, tmp_path):
    story = make_story(tmp_path / "old")
    db = tmp_path / "review.db"
    assert run_cli(capsys, "check", story, "--db", db, "--fail-on", "never")[0] == 0
    moved = tmp_path / "new"
    moved.mkdir()
    story.rename(moved / "bridge")
    code, _, err = run_cli(capsys, "check", moved / "bridge", "--db", db, "--fail-on", "never")
    assert code == 0 and err == ""


def test_record_check_can_expect_a_new_path(tmp_path, capsys):
    from checker.review.store import ReviewStore

    store = ReviewStore(tmp_path / "review.db")
    (tmp_path / "night-1").mkdir()
    (tmp_path / "night-2").mkdir()
    for night in ("night-1", "night-2"):
        data = {"story": {"id": "bridge", "path": str(tmp_path / night)}, "findings": [], "warnings": []}
        store.record_check(data, path_may_change=True)
        assert data["warnings"] == []
    assert capsys.readouterr().err == ""
