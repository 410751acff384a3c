"""Reading stories from hostile or odd input: every failure an attacker found, each a regression
test through the public entry points (``claims.read.read_story`` and ``claimcheck check``).

The standard for each: a one-line message naming the file (and the record), exit code 2 for a
problem or unchanged for a warning, never a traceback or exit 3, and the report still written
for the good articles. Hang tests run a subprocess with a generous timeout on input that took
minutes before the fix. Every story is invented in tmp_path from the harbour-fire fixture.
"""
from __future__ import annotations

import codecs
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from claims.errors import InputError, InputWarning
from claims.read import read_story
from helpers import HARBOUR_FIRE, ROOT, run_cli

GOOD = ["paper-b", "site-c", "wire-a"]  # the fixture's three articles
FIRE = "A fire on the cargo ship Polar Star killed {n} sailors in Murmansk harbour on Tuesday, officials said.\n"
HANG_TIMEOUT_S = 60


@pytest.fixture
def story(tmp_path: Path) -> Path:
    dest = tmp_path / "harbour-fire"
    shutil.copytree(HARBOUR_FIRE, dest)
    return dest


def patch_meta(story: Path, index: int, **fields) -> Path:
    meta_path = story / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["articles"][index].update(fields)
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    return meta_path


def check_json(capsys, story: Path, tmp_path: Path) -> tuple[int, dict, list[str]]:
    """``claimcheck check STORY --format json -o FILE`` in process: (exit code, report, stderr lines)."""
    out = tmp_path / "report.json"
    code, _, err = run_cli(capsys, "check", story, "--format", "json", "--output", out, "--fail-on", "never")
    assert code != 3, err
    report = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    return code, report, [line for line in err.splitlines() if line.strip()]


def cc_subprocess(*args, timeout: float = HANG_TIMEOUT_S) -> subprocess.CompletedProcess:
    """``claimcheck ARGS`` as its own process, output as bytes (file names need not be UTF-8)."""
    env = {k: v for k, v in os.environ.items() if k != "CLAIMCHECK_DEBUG"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["NO_COLOR"] = "1"
    proc = subprocess.run([sys.executable, "-m", "checker", *args], cwd=ROOT, env=env,
                          capture_output=True, timeout=timeout)
    assert b"Traceback" not in proc.stderr, proc.stderr
    return proc


def ids(report: dict) -> list[str]:
    return sorted(a["id"] for a in report["articles"])


# --- meta.json: wrong types, dates, nesting ----------------------------------------------------

@pytest.mark.parametrize("fields, message", [
    ({"outlet": 12345}, "'outlet' is a number, not text; outlet left unknown"),
    ({"outlet": ["Wire A", "Wire B"]}, "'outlet' is a list, not text; outlet left unknown"),
    ({"headline": 5}, "'headline' is a number, not text; title left unknown"),
    ({"id": {"nested": True}}, "'id' is an object, not text or a whole number; default id used"),
    ({"url": True}, "'url' is true/false, not text; url left unknown"),
])
def test_meta_field_of_wrong_type_is_a_warning_and_the_article_is_kept(capsys, story, tmp_path, fields, message):
    meta_path = patch_meta(story, 0, **fields)
    code, report, lines = check_json(capsys, story, tmp_path)
    assert code == 0
    assert lines == [f"claimcheck: warning: {meta_path}: articles[0] ('wire-a.txt'): {message}"]
    assert ids(report) == GOOD
    assert [w["path"] for w in report["warnings"]] == [str(meta_path)]


def test_meta_file_that_is_a_list_is_a_problem_and_the_story_is_still_checked(capsys, story, tmp_path):
    meta_path = patch_meta(story, 0, file=["wire-a.txt"])
    code, report, lines = check_json(capsys, story, tmp_path)
    assert code == 2
    assert lines == [f"claimcheck: error: {meta_path}: articles[0]: 'file' is a list, not text; entry ignored"]
    assert ids(report) == ["paper-b", "site-c", "wire-a"]  # read, without its metadata
    wire = next(a for a in report["articles"] if a["id"] == "wire-a")
    assert wire["outlet"] is None


@pytest.mark.parametrize("date", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_meta_date_that_overflows_is_dropped_with_a_warning(capsys, story, tmp_path, date):
    meta_path = patch_meta(story, 0, date=date)
    code, report, lines = check_json(capsys, story, tmp_path)
    assert code == 0
    assert lines == [f"claimcheck: warning: {meta_path}: articles[0] ('wire-a.txt'): 'date' '{date}' "
                     f"is out of range; date dropped"]
    wire = next(a for a in report["articles"] if a["id"] == "wire-a")
    assert wire["published"] is None and wire["outlet"] == "Wire A"


@pytest.mark.parametrize("date, why", [
    ("1712-05-01", "is before 1800"),
    ("2999-01-01", "is more than 7 days in the future"),
    ("last Tuesday", "is not a date"),
])
def test_meta_date_outside_a_sane_range_is_dropped_with_a_warning(story, date, why):
    patch_meta(story, 1, date=date)
    result = read_story(story)
    paper = next(a for a in result.articles if a.id == "paper-b")
    assert paper.published is None
    assert [w.problem for w in result.warnings] == [f"articles[1] ('paper-b.txt'): 'date' '{date}' {why}; date dropped"]
    assert not result.problems


def test_meta_nested_100000_deep_is_one_problem(capsys, story, tmp_path):
    (story / "meta.json").write_text("[" * 100_000, encoding="utf-8")
    code, report, lines = check_json(capsys, story, tmp_path)
    assert code == 2
    assert lines == [f"claimcheck: error: {story / 'meta.json'}: JSON nested more than 64 levels deep"]
    assert ids(report) == GOOD


def test_meta_entry_naming_a_missing_file_or_not_an_object_is_a_problem(capsys, story, tmp_path):
    meta_path = story / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["articles"] += [{"id": "gone", "file": "gone.txt"}, "site-d.txt", {"id": "no-file"}]
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    code, report, lines = check_json(capsys, story, tmp_path)
    assert code == 2
    assert lines == [
        f"claimcheck: error: {meta_path}: articles[3] ('gone.txt'): no such file in the story folder",
        f"claimcheck: error: {meta_path}: articles[4] is text, not an object; ignored",
        f"claimcheck: error: {meta_path}: articles[5] names no 'file'; ignored",
    ]
    assert ids(report) == GOOD


def test_meta_with_a_huge_number_is_a_problem_not_a_crash(capsys, story, tmp_path):
    (story / "meta.json").write_text('{"articles": [{"file": "wire-a.txt", "id": ' + "7" * 5000 + "}]}",
                                     encoding="utf-8")
    code, report, lines = check_json(capsys, story, tmp_path)
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith(f"claimcheck: error: {story / 'meta.json'}: JSON value out of range")
    assert ids(report) == GOOD


# --- feeds: one bad record never loses the others ----------------------------------------------

def write_feed(path: Path, records: list, bad_line: str | None = None, at: int = 2) -> Path:
    lines = [json.dumps(r) for r in records]
    if bad_line is not None:
        lines.insert(at, bad_line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def fire_records(count: int) -> list[dict]:
    return [{"id": f"r{i}", "outlet": f"Outlet {i}", "text": FIRE.format(n=12)} for i in range(1, count + 1)]


def test_jsonl_feed_with_one_bad_record_reads_the_other_four(capsys, tmp_path):
    feed = write_feed(tmp_path / "night.jsonl", fire_records(4), bad_line='{"id": "r-bad", "text": ')
    code, report, lines = check_json(capsys, feed, tmp_path)
    assert code == 2
    assert lines == [f"claimcheck: error: {feed}:3: invalid JSON: Expecting value; record 3 skipped"]
    assert ids(report) == ["r1", "r2", "r3", "r4"]
    assert report["problems"] == [{"path": str(feed), "line": 3, "stage": None,
                                   "problem": "invalid JSON: Expecting value; record 3 skipped"}]


def test_feed_records_of_wrong_shape_are_one_line_each(capsys, tmp_path):
    records = fire_records(3) + [[1, 2], {"id": "r5", "body": 5},
                                 {"id": "r6", "text": FIRE.format(n=12), "outlet": {"name": "x"},
                                  "published": "9999-01-01"}]
    feed = write_feed(tmp_path / "night.jsonl", records)
    code, report, lines = check_json(capsys, feed, tmp_path)
    assert code == 2
    assert lines == [
        f"claimcheck: warning: {feed}:6: record 6: 'outlet' is an object, not text; outlet left unknown",
        f"claimcheck: warning: {feed}:6: record 6: 'published' '9999-01-01' is more than 7 days in the future; "
        f"date dropped",
        f"claimcheck: error: {feed}:4: record 4 is a list, not an object",
        f"claimcheck: error: {feed}:5: record 5: 'body' is a number, not text; record skipped",
    ]
    assert ids(report) == ["r1", "r2", "r3", "r6"]


def test_feed_record_with_a_lone_surrogate_still_gives_a_json_report(capsys, tmp_path):
    # "\ud800" is valid JSON, but no UTF-8 writer can encode it: it becomes U+FFFD, one for one
    feed = tmp_path / "night.jsonl"
    feed.write_text(json.dumps({"id": "r1", "outlet": "Wire \ud800", "text": "Odd \ud800 text. " + FIRE.format(n=12)})
                    + "\n" + json.dumps(fire_records(2)[1]) + "\n", encoding="ascii")
    code, report, lines = check_json(capsys, feed, tmp_path)
    assert code == 0, lines
    r1 = next(a for a in report["articles"] if a["id"] == "r1")
    assert r1["outlet"] == "Wire \ufffd"


def test_jsonl_line_separator_inside_a_string_does_not_split_the_record(tmp_path):
    feed = tmp_path / "night.jsonl"
    records = [{"id": "r1", "text": "First paragraph.\u2028" + FIRE.format(n=12)}, fire_records(2)[1]]
    feed.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    result = read_story(feed)
    assert not result.problems
    assert [a.id for a in result.articles] == ["r1", "r2"]
    assert "\u2028" in result.articles[0].text


def test_feed_of_only_bad_records_raises_naming_the_first(tmp_path):
    feed = write_feed(tmp_path / "night.jsonl", [[1], {"id": "x", "text": 5}])
    with pytest.raises(InputError) as caught:
        read_story(feed)
    assert str(caught.value) == f"{feed}:1: record 1 is a list, not an object"


def test_feed_past_the_record_limit_keeps_the_first_records(tmp_path, monkeypatch):
    import claims.read

    monkeypatch.setattr(claims.read, "MAX_FEED_RECORDS", 3)
    feed = tmp_path / "night.json"
    feed.write_text(json.dumps(fire_records(5)), encoding="utf-8")
    result = read_story(feed)
    assert [a.id for a in result.articles] == ["r1", "r2", "r3"]
    assert [p.problem for p in result.problems] == ["5 records; only the first 3 are read"]


# --- files: symlinks, special files, names that are not UTF-8 ----------------------------------

def test_dangling_symlink_is_a_problem(capsys, story, tmp_path):
    (story / "zz-gone.txt").symlink_to(tmp_path / "nowhere.txt")
    code, report, lines = check_json(capsys, story, tmp_path)
    assert code == 2
    assert lines == [f"claimcheck: error: {story / 'zz-gone.txt'}: dangling symbolic link (its target does not exist)"]
    assert ids(report) == GOOD


def test_symlink_leaving_the_story_folder_is_refused(capsys, story, tmp_path):
    secret = tmp_path / "elsewhere.txt"
    secret.write_text("A private note: 99 sailors were lost in Oslo on Monday.\n", encoding="utf-8")
    (story / "zz-out.txt").symlink_to(secret)
    (story / "zz-in.txt").symlink_to("wire-a.txt")  # inside the folder: read
    code, report, lines = check_json(capsys, story, tmp_path)
    assert code == 2
    assert lines == [f"claimcheck: error: {story / 'zz-out.txt'}: symbolic link to {secret.resolve()}, outside the story "
                     f"folder; refused"]
    assert ids(report) == GOOD + ["zz-in"]
    assert "Oslo" not in json.dumps(report)


def test_symlink_loop_and_meta_json_leading_out_are_problems(story, tmp_path):
    (story / "zz-loop1.txt").symlink_to("zz-loop2.txt")
    (story / "zz-loop2.txt").symlink_to("zz-loop1.txt")
    outside_meta = tmp_path / "meta.json"
    outside_meta.write_text('{"articles": []}', encoding="utf-8")
    (story / "meta.json").unlink()
    (story / "meta.json").symlink_to(outside_meta)
    result = read_story(story)
    assert [a.id for a in result.articles] == GOOD
    assert [str(p) for p in result.problems] == [
        f"{story / 'meta.json'}: symbolic link to {outside_meta.resolve()}, outside the story folder; refused",
        f"{story / 'zz-loop1.txt'}: symbolic link that cannot be followed (a loop)",
        f"{story / 'zz-loop2.txt'}: symbolic link that cannot be followed (a loop)",
    ]


@pytest.mark.skipif(sys.platform != "linux", reason="file names of arbitrary bytes are a Linux thing")
def test_file_name_that_is_not_utf8_gives_an_encodable_json_report(tmp_path):
    story = tmp_path / "harbour-fire"
    shutil.copytree(HARBOUR_FIRE, story)
    (story / "meta.json").unlink()
    os.rename(story / "site-c.txt", os.fsencode(story) + b"/site-\xff.txt")
    out = tmp_path / "report.json"
    proc = cc_subprocess("check", os.fsencode(story), "--format", "json", "--output", out, "--fail-on", "never")
    assert proc.returncode == 0, proc.stderr
    shown = f"{story}/site-\\xff.txt"
    assert proc.stderr.decode("utf-8").splitlines() == [
        f"claimcheck: warning: {shown}: file name is not valid UTF-8; shown with \\x escapes"]
    report = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(a["path"] for a in report["articles"]) == sorted(
        [str(story / "paper-b.txt"), shown, str(story / "wire-a.txt")])
    assert "site-\\xff" in ids(report)
    # and to stdout, the other way a report leaves
    proc = cc_subprocess("check", os.fsencode(story), "--format", "json", "--fail-on", "never")
    assert json.loads(proc.stdout.decode("utf-8"))["summary"]["articles"] == 3


# --- encodings ---------------------------------------------------------------------------------

EN = ("The harbour master said \u201ctwelve sailors\u201d died when the freighter\u2019s hold caught fire "
      "\u2013 the worst since 1998. Caf\u00e9 owner Ren\u00e9e Dupr\u00e9 saw the smoke.\n")
FR = ("L\u2019h\u00f4pital a re\u00e7u quatorze bless\u00e9s, selon le pr\u00e9fet. \u00ab Nous sommes "
      "pr\u00eats \u00bb, a d\u00e9clar\u00e9 le ma\u00eetre du port.\n")
DE = ("Der Hafenmeister sagte, zw\u00f6lf Seeleute seien gestorben. Die Stra\u00dfe bleibt gesperrt, "
      "\u00c4rzte behandelten Verletzte.\n")
RU = ("\u041c\u044d\u0440 \u0433\u043e\u0440\u043e\u0434\u0430 \u0441\u043a\u0430\u0437\u0430\u043b, "
      "\u0447\u0442\u043e \u0434\u0432\u0435\u043d\u0430\u0434\u0446\u0430\u0442\u044c "
      "\u043c\u0430\u0442\u0440\u043e\u0441\u043e\u0432 \u043f\u043e\u0433\u0438\u0431\u043b\u0438 "
      "\u0432 \u043f\u043e\u0440\u0442\u0443.\n")
EL = ("\u039f \u03bb\u03b9\u03bc\u03b5\u03bd\u03ac\u03c1\u03c7\u03b7\u03c2 \u03b5\u03af\u03c0\u03b5 "
      "\u03cc\u03c4\u03b9 \u03b4\u03ce\u03b4\u03b5\u03ba\u03b1 \u03bd\u03b1\u03cd\u03c4\u03b5\u03c2 "
      "\u03c3\u03ba\u03bf\u03c4\u03ce\u03b8\u03b7\u03ba\u03b1\u03bd.\n")

# (file stem, text, encoding written, words the warning must hold; None: no warning)
ENCODED = [
    ("en-utf8", EN, "utf-8", None),
    ("en-utf8-bom", EN, "utf-8-sig", None),
    ("en-cp1252", EN, "cp1252", "read as Windows-1252"),
    ("en-cp1252-long", EN * 5, "cp1252", "read as Windows-1252"),
    ("fr-cp1252", FR * 2, "cp1252", "read as Windows-1252"),
    ("de-latin1", DE * 2, "latin-1", "read as Windows-1252"),
    ("en-latin1-short", "Caf\u00e9 in Kyiv, 42 people were hurt.\n", "latin-1", "read as Windows-1252"),
    ("en-utf16-bom", EN, "utf-16", "read as UTF-16 (byte-order mark)"),
    ("en-utf16-le", EN, "utf-16-le", "read as UTF-16 little-endian (no byte-order mark"),
    ("en-utf16-be", EN, "utf-16-be", "read as UTF-16 big-endian (no byte-order mark"),
    ("ru-utf16-le", RU * 3, "utf-16-le", "read as UTF-16 little-endian"),
    ("en-utf32-bom", EN, "utf-32", "read as UTF-32 (byte-order mark)"),
    ("ru-cp1251", RU, "cp1251", "read as Windows-1251"),
    ("ru-koi8r", RU * 4, "koi8-r", "read as koi8_r"),
    ("el-cp1253", EL * 4, "cp1253", "read as Windows-1253"),
]


def test_articles_in_other_encodings_are_read_with_a_warning_naming_it(tmp_path):
    """The measured order of attempts (claims.encoding): every case decodes to the text written."""
    story = tmp_path / "encodings"
    story.mkdir()
    for stem, text, encoding, _ in ENCODED:
        (story / f"{stem}.txt").write_bytes(text.encode(encoding))
    result = read_story(story)
    assert not result.problems
    texts = {a.id: a.text for a in result.articles}
    notes = {Path(w.path).stem: w.problem for w in result.warnings}
    for stem, text, encoding, words in ENCODED:
        assert texts[stem] == text, (stem, encoding)
        if words is None:
            assert stem not in notes
        else:
            assert words in notes[stem], (stem, notes.get(stem))
    assert all(isinstance(w, InputWarning) for w in result.warnings)


def test_utf16_and_cp1252_articles_through_the_cli(capsys, story, tmp_path):
    (story / "zz-utf16.txt").write_bytes(FIRE.format(n=12).encode("utf-16"))
    (story / "zz-cp1252.txt").write_bytes(("The port\u2019s chief said: " + FIRE.format(n=12)).encode("cp1252"))
    code, report, lines = check_json(capsys, story, tmp_path)
    assert code == 0
    assert lines == [
        f"claimcheck: warning: {story / 'zz-cp1252.txt'}: not valid UTF-8 (byte 8); read as Windows-1252, a guess",
        f"claimcheck: warning: {story / 'zz-utf16.txt'}: read as UTF-16 (byte-order mark)",
    ]
    assert ids(report) == GOOD + ["zz-cp1252", "zz-utf16"]
    # offsets index the decoded text
    article = "zz-cp1252"
    text = ("The port\u2019s chief said: " + FIRE.format(n=12))
    for finding in report["findings"]:
        for ev in finding["evidence"]:
            if ev["article"] == article:
                assert text[ev["start"]:ev["end"]] == ev["text"]


def test_utf8_with_a_stray_byte_is_read_as_utf8(story):
    (story / "zz-stray.txt").write_bytes(EN.encode("utf-8") + b"Smoke rose \x92 over the port.\n")
    result = read_story(story)
    stray = next(a for a in result.articles if a.id == "zz-stray")
    assert stray.text == EN + "Smoke rose \ufffd over the port.\n"
    bad_byte = len(EN.encode("utf-8")) + len("Smoke rose ")
    assert [w.problem for w in result.warnings] == [
        f"not valid UTF-8 at byte {bad_byte} (1 bad byte); read as UTF-8 with U+FFFD for each"]


@pytest.mark.parametrize("content", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00",
    bytes(range(256)) * 8,                        # every byte value, zeros everywhere
    bytes(range(1, 256)) * 8,                     # no zero byte, but control bytes throughout
    b"\xff\xfe" + bytes([0x00, 0xd8]) * 64,       # a UTF-16 mark over lone surrogates
])
def test_binary_files_are_still_refused(story, content):
    (story / "zz-binary.txt").write_bytes(content)
    result = read_story(story)
    assert [a.id for a in result.articles] == GOOD
    assert len(result.problems) == 1
    assert result.problems[0].path == str(story / "zz-binary.txt")
    assert "binary" in result.problems[0].problem or "byte-order mark" in result.problems[0].problem


PAGE = ("<html><head><meta charset=\"{label}\"></head><body><article><p>" + FIRE.format(n=14).strip()
        + " Caf\u00e9 owner Dmitri Ustinov, 55, said so.</p></article></body></html>")


@pytest.mark.parametrize("label, why", [
    ("base64", "which is not a text encoding"),     # bytes-to-bytes codecs: LookupError on decode
    ("rot13", "which is not a text encoding"),
    ("zlib", "which is not a text encoding"),
    ("hex", "which is not a text encoding"),
    ("undefined", "which is not an encoding web pages may use"),       # UnicodeError on decode
    ("unicode_escape", "which is not an encoding web pages may use"),  # would turn backslashes into text
    ("utf-7", "which is not an encoding web pages may use"),
    ("utf_16_be", "which is not an encoding web pages may use"),       # Python's name; WHATWG: utf-16be
    ("iso-2022-kr", "which is not an encoding web pages may use"),     # WHATWG's "replacement" encoding
    ("no-such-charset", "which is not a known text encoding"),
])
def test_page_declaring_a_charset_browsers_refuse_is_read_with_the_guess_and_a_warning(story, label, why):
    page = story / "zz-page.html"
    page.write_bytes(PAGE.format(label=label).encode("cp1252"))
    result = read_story(story)
    assert not result.problems
    assert next(a for a in result.articles if a.id == "zz-page").text == (
        FIRE.format(n=14).strip() + " Caf\u00e9 owner Dmitri Ustinov, 55, said so.")
    first_bad = PAGE.format(label=label).index("\u00e9")
    assert [(w.path, w.problem) for w in result.warnings] == [
        (str(page), f"declares charset {label!r}, {why}; the declaration is ignored"),
        (str(page), f"not valid UTF-8 (byte {first_bad}); read as Windows-1252, a guess")]


def test_page_whose_bytes_its_declared_charset_cannot_decode_is_read_with_the_guess(story):
    page = story / "zz-page.html"
    page.write_bytes(PAGE.format(label="Shift_JIS").encode("cp1252"))  # \xe9 then a space: no Shift_JIS pair
    result = read_story(story)
    first_bad = PAGE.format(label="Shift_JIS").index("\u00e9")
    assert "Caf\u00e9 owner" in next(a for a in result.articles if a.id == "zz-page").text
    assert [w.problem for w in result.warnings] == [
        f"declares charset 'Shift_JIS' but is not Shift_JIS (byte {first_bad}); the declaration is ignored",
        f"not valid UTF-8 (byte {first_bad}); read as Windows-1252, a guess"]


@pytest.mark.parametrize("label, encoding, name, words", [
    ("KOI8-R", "koi8-r", "KOI8-R", RU), (" ISO_8859-5 ", "iso8859-5", "ISO-8859-5", RU),
    ("x-mac-cyrillic", "mac-cyrillic", "Macintosh Cyrillic", RU), ("windows-1251", "cp1251", "Windows-1251", RU),
    ("latin1", "cp1252", "Windows-1252", DE),  # browsers read Latin-1 as its superset
])
def test_page_in_a_web_charset_is_read_in_it(story, label, encoding, name, words):
    page = f"<html><head><meta charset='{label}'></head><body><p>{words.strip()}</p></body></html>"
    (story / "zz-page.html").write_bytes(page.encode(encoding))
    result = read_story(story)
    assert next(a for a in result.articles if a.id == "zz-page").text == words.strip()
    assert [w.problem.split("; ")[1] for w in result.warnings] == [f"read as {name}, the charset the page declares"]


def test_every_web_charset_is_a_python_text_codec():
    from claims.web_charsets import _ENCODINGS, web_charset
    for name, codec, labels in _ENCODINGS:
        assert codecs.lookup(codec)._is_text_encoding, name
        assert all(web_charset(label) == (name, codec) for label in labels.split())
    assert web_charset("base64") is None and web_charset("unicode_escape") is None


def test_odd_declared_charsets_through_the_cli_never_crash(capsys, story, tmp_path):
    for label in ("base64", "zlib", "undefined", "rot13"):
        (story / f"zz-{label}.html").write_bytes(PAGE.format(label=label).encode("cp1252"))
    code, report, lines = check_json(capsys, story, tmp_path)
    assert code == 0
    assert ids(report) == GOOD + ["zz-base64", "zz-rot13", "zz-undefined", "zz-zlib"]
    assert sum("the declaration is ignored" in line for line in lines) == 4


# --- HTML: hostile markup, and anything that used to take minutes -----------------------------

def test_html_marked_section_with_an_unknown_keyword_is_read(story):
    # html.parser raised AssertionError on "<![ x" (exit 3)
    (story / "zz-page.html").write_text("<html><body><p>" + FIRE.format(n=12) + "</p><![ x]]><![foo[y]]>"
                                        "<p>The port stayed shut.</p></body></html>", encoding="utf-8")
    result = read_story(story)
    page = next(a for a in result.articles if a.id == "zz-page")
    assert "killed 12 sailors" in page.text and "The port stayed shut." in page.text
    assert "<" not in page.text


def test_html_unclosed_comment_leaks_no_markup(story):
    (story / "zz-page.html").write_text("<html><body><p>" + FIRE.format(n=12) + "</p><!-- <b>draft</b> "
                                        "hidden", encoding="utf-8")
    page = next(a for a in read_story(story).articles if a.id == "zz-page")
    assert page.text == FIRE.format(n=12).strip()


HOSTILE_PAGES = {
    # at these sizes each took from 12 s to over 5 minutes to read before html.parser's input was
    # defused; the whole story now reads in seconds
    "stray-tags": "<i>" * 160_000 + "</q>" * 160_000,
    "comment-opens": "<!--" * 160_000,
    "comments-to-gt": "<!--x>" * 160_000,
    "tag-opens": "<a" * 160_000,
    "end-tag-opens": "</" * 160_000,
    "end-tags-unclosed": "</a" * 160_000,
    "cdata-runs": "<![CDATA[x>" * 160_000,
    "no-break-spaces": "<p>a" + "\u00a0" * 40_000 + "\n" + "\u00a0" * 40_000 + "b</p>",
}


def test_hostile_pages_and_texts_finish_and_the_report_is_written(tmp_path):
    story = tmp_path / "hostile"
    shutil.copytree(HARBOUR_FIRE, story)
    lead = "<html><body><p>" + FIRE.format(n=12) + "</p>"
    for name, markup in HOSTILE_PAGES.items():
        (story / f"zz-{name}.html").write_text(lead + markup, encoding="utf-8")
    # date-stamp search over a text of newlines was quadratic (20,000 newlines: 63 s)
    (story / "zz-newlines.txt").write_text(FIRE.format(n=12) + "\n" * 300_000, encoding="utf-8")
    os.mkfifo(story / "zz-pipe.txt")  # opening it would block for ever
    out = tmp_path / "report.json"
    proc = cc_subprocess("check", str(story), "--format", "json", "--output", str(out), "--fail-on", "never")
    assert proc.returncode == 2
    assert proc.stderr.decode().splitlines() == [
        f"claimcheck: error: {story / 'zz-pipe.txt'}: not a regular file (a pipe, socket or device); refused"]
    report = json.loads(out.read_text(encoding="utf-8"))
    assert ids(report) == sorted(GOOD + [f"zz-{name}" for name in HOSTILE_PAGES] + ["zz-newlines"])
    for article in report["articles"]:
        assert "<" not in (article["title"] or "")


def test_stray_closing_tags_are_ignored_and_open_ones_closed(story):
    # the per-tag counts that replaced the stack scan give the same text as the scan did
    (story / "zz-page.html").write_text(
        "<html><body><article><div><p>" + FIRE.format(n=12) + "</q></span></p><p>Second paragraph.</b></p>"
        "</div></article><footer>Footer text</footer></body></html>", encoding="utf-8")
    page = next(a for a in read_story(story).articles if a.id == "zz-page")
    assert page.text == FIRE.format(n=12).strip() + "\n\nSecond paragraph."  # footers are dropped


def test_any_markup_is_read_or_refused_in_one_line():
    """html.parser raises AssertionError on some markup; whatever a page holds, reading it gives
    text or an HTMLError (one problem line), never another exception."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from claims.html_text import HTMLError, html_to_text

    pieces = st.sampled_from(["<", ">", "</", "<!", "<!--", "-->", "<![", "]]>", "]>", "<?", "<a", " b='", "'",
                              '"', "=", "/", "<script>", "</script>", "<p>", "</p>", "&#", "&amp;", "x", " ", "\n",
                              "\x00", "<![CDATA[", "<![if ", "<!DOCTYPE", "<title>", "\u00a0", "<![ ", "<![1"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(pieces, max_size=40).map("".join))
    def read(markup: str) -> None:
        try:
            title, text = html_to_text(markup)
        except HTMLError:
            return
        assert isinstance(text, str) and (title is None or isinstance(title, str))

    read()
