"""claimcheck.yaml (checker/pipeline/config.py): found beside the story or above it, else from the
working directory; it changes, adds, selects and ignores rules on top of the shipped rules.yaml,
checked as strictly as rules.yaml is; --select/--ignore/--min-severity, claimcheck rules RULE,
check --statistics and the house_style lists."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from claims.errors import InputError
from checker.pipeline.config import find_config, load_settings, select_rules
from checker.pipeline.rules_file import load_rules
from tests.helpers import run_cli

ARTICLES = {
    "a.txt": "A missile strike on a market in Kiev killed 12 people on Tuesday, officials said. "
             "Ships left Odessa at dawn.\n",
    "b.txt": "A missile strike on a market in Kyiv killed 15 people on Tuesday, officials said. "
             "Ships left Odesa at dawn.\n",
}


@pytest.fixture
def desk(tmp_path, monkeypatch) -> Path:
    """A newsroom folder holding one story (a toll conflict, Kiev/Kyiv and Odessa/Odesa), with the
    working directory somewhere else that has no settings file."""
    story = tmp_path / "desk" / "strike"
    story.mkdir(parents=True)
    for name, text in ARTICLES.items():
        (story / name).write_text(text, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return story


def write(folder: Path, text: str, name: str = "claimcheck.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def findings(capsys, *args) -> tuple[int, list[dict], dict]:
    code, out, err = run_cli(capsys, "check", *args, "--format", "json", "--fail-on", "never")
    assert code == 0, err
    data = json.loads(out)
    return code, [(f["rule"], f["severity"]) for f in data["findings"]], data


# --- finding the file ------------------------------------------------------------------------------

def test_no_settings_file_leaves_findings_and_report_as_they_were(desk, capsys):
    _, found, data = findings(capsys, desk)
    assert sorted(found) == [("count-conflict", "warning"), ("spelling-variant", "warning"),
                             ("spelling-variant", "warning")]
    assert "settings" not in data  # the JSON says what changed only when something did


def test_nearest_file_wins_story_folder_before_working_directory(desk, capsys, monkeypatch):
    write(desk.parent, "rules: {count-conflict: off}\n")  # above the story: found
    _, found, data = findings(capsys, desk)
    assert "count-conflict" not in {r for r, _ in found}
    assert data["settings"]["files"] == [str(desk.parent / "claimcheck.yaml")]
    write(desk, "rules: {spelling-variant: off}\n")  # in the story folder: nearer, and alone in force
    _, found, _ = findings(capsys, desk)
    assert {r for r, _ in found} == {"count-conflict"}
    # a file in the working directory counts only when none is near the story
    cwd = Path.cwd()
    write(cwd, "min_severity: error\n")
    _, found, _ = findings(capsys, desk)
    assert {r for r, _ in found} == {"count-conflict"}
    (desk / "claimcheck.yaml").unlink()
    (desk.parent / "claimcheck.yaml").unlink()
    _, found, _ = findings(capsys, desk)
    assert found == []  # min_severity: error from the working directory's file
    assert find_config([desk]) == cwd / "claimcheck.yaml"


def test_isolated_and_explicit_config(desk, tmp_path, capsys):
    write(desk, "rules: {spelling-variant: off}\n")
    _, found, data = findings(capsys, desk, "--isolated")
    assert ("spelling-variant", "warning") in found and "settings" not in data
    _, found, _ = findings(capsys, desk, "--no-config")
    assert ("spelling-variant", "warning") in found
    other = write(tmp_path, "rules: {count-conflict: off}\n", "newsroom.yaml")
    _, found, _ = findings(capsys, desk, "--config", other)  # named: the story's own file is not read
    assert {r for r, _ in found} == {"spelling-variant"}
    code, _, err = run_cli(capsys, "check", desk, "--config", other, "--isolated")
    assert code == 2 and "--config: cannot be used with --isolated" in err


def test_pyproject_tool_table_and_precedence_in_one_folder(desk, capsys):
    write(desk, "[project]\nname = 'x'\n", "pyproject.toml")  # no [tool.claimcheck]: not a settings file
    assert find_config([desk], cwd=desk) != desk / "pyproject.toml"
    write(desk, "[project]\nname = 'x'\n\n[tool.claimcheck]\nmin_severity = 'error'\n"
                "[tool.claimcheck.rules.spelling-variant]\nseverity = 'error'\n", "pyproject.toml")
    _, found, _ = findings(capsys, desk)
    assert found == [("spelling-variant", "error")] * 2
    write(desk, "rules: {count-conflict: off}\n")  # claimcheck.yaml wins over pyproject.toml beside it
    _, found, _ = findings(capsys, desk)
    assert found == [("spelling-variant", "warning")] * 2
    (desk / "claimcheck.yaml").unlink()
    write(desk, "[tool.claimcheck]\nmin_severity = \n", "pyproject.toml")
    code, _, err = run_cli(capsys, "check", desk)
    assert code == 2 and err.count("\n") == 1 and "pyproject.toml:2: invalid TOML" in err


@pytest.mark.parametrize("text", [
    "[tool]\nclaimcheck = {min_severity = 'error', rules = {spelling-variant = 'error'}}\n",
    "[tool]\nclaimcheck.min_severity = 'error'\nclaimcheck.rules.spelling-variant = 'error'\n",
    "tool.claimcheck.min_severity = 'error'\n[tool.claimcheck.rules]\nspelling-variant = 'error'\n",
])
def test_pyproject_table_found_by_parsing_toml(desk, capsys, text):
    write(desk, text, "pyproject.toml")
    assert find_config([desk], cwd=desk) == desk / "pyproject.toml"
    _, found, _ = findings(capsys, desk)
    assert found == [("spelling-variant", "error")] * 2


def test_broken_pyproject_is_an_error_only_when_it_may_hold_our_settings(desk, capsys):
    write(desk, "[project\nname = 'x'\n", "pyproject.toml")  # somebody else's broken file: passed over
    assert find_config([desk], cwd=desk.parent / "nowhere") is None
    code, _, err = run_cli(capsys, "check", desk, "--fail-on", "never")
    assert code == 0, err
    write(desk, "[tool]\nclaimcheck = {min_severity = }\n", "pyproject.toml")
    code, out, err = run_cli(capsys, "check", desk)
    assert code == 2 and out == "" and err.count("\n") == 1 and "pyproject.toml:2: invalid TOML" in err


def test_extend_applies_the_other_file_first(desk, tmp_path, capsys):
    write(tmp_path, "rules: {spelling-variant: error, count-conflict: off}\nmin_severity: warning\n", "base.yaml")
    write(desk, "extend: ../../base.yaml\nrules: {count-conflict: on}\n")
    _, found, data = findings(capsys, desk)
    assert sorted(found) == [("count-conflict", "warning"), ("spelling-variant", "error"), ("spelling-variant", "error")]
    assert [Path(f).name for f in data["settings"]["files"]] == ["base.yaml", "claimcheck.yaml"]
    write(tmp_path, "extend: desk/strike/claimcheck.yaml\n", "base.yaml")
    code, _, err = run_cli(capsys, "check", desk)
    assert code == 2 and "'extend' goes round in a circle" in err


# --- changing and adding rules --------------------------------------------------------------------

def test_rule_changes_override_only_what_they_give(desk):
    write(desk, "rules:\n  count-conflict:\n    severity: info\n    params: {relative_tolerance: 0.5}\n"
                "  quote-truncation: off\n  single-source: warning\n")
    shipped = {r.id: r for r in load_rules().rules}
    rules = {r.id: r for r in load_settings(near=[desk]).rules}
    count = rules["count-conflict"]
    assert count.severity == "info" and count.params["relative_tolerance"] == 0.5
    # every other option keeps the shipped rule's value, not the kind's default
    assert count.params["block_by"] == shipped["count-conflict"].params["block_by"] == ["claim_type", "head"]
    assert count.message == shipped["count-conflict"].message
    assert count.changed_by == [f"{desk / 'claimcheck.yaml'}:2"]
    assert not rules["quote-truncation"].enabled
    assert rules["single-source"].severity == "warning" and rules["single-source"].enabled
    assert len(rules) == len(shipped)


def test_a_new_id_adds_a_rule(desk, capsys):
    write(desk, "rules:\n  toll-drift:\n    kind: value_conflict\n    severity: error\n"
                "    message: 'Toll differs: {values}'\n    claim_types: [count]\n"
                "    params: {attributes: ['killed$'], relative_tolerance: 0.1}\n"
                "  count-conflict: off\n")
    _, found, _ = findings(capsys, desk)
    assert "toll-drift" in {r for r, _ in found} and "count-conflict" not in {r for r, _ in found}


@pytest.mark.parametrize("text, line, problem", [
    ("min-severity: error\n", 1, "unknown key 'min-severity' (known: extend, rules, select, ignore, min_severity, "
                                 "house_style, quote_families); did you mean 'min_severity'?"),
    ("rules:\n  count-conflicts: {severity: info}\n", 2,
     "rule 'count-conflicts' is not one of the rules in force; did you mean 'count-conflict'?"),
    ("rules:\n  count-conflict: {severity: fatal}\n", 2, "severity must be one of error, warning, info"),
    ("rules:\n  count-conflict:\n    params:\n      relative_tolerance: -1\n", 4,
     "parameter 'relative_tolerance' must be at least 0, got -1"),
    ("rules:\n  count-conflict:\n    params: {no_such: 1}\n", 3, "unknown parameter 'no_such' for kind 'value_conflict'"),
    ("rules:\n  single-source:\n    params:\n      attributes: ['(a)\\1']\n", 4, "bad regex"),
    ("rules:\n  count-conflict: {kind: spelling_variant}\n", 2, "a rule's kind cannot be changed"),
    ("rules:\n  count-conflict: {colour: red}\n", 2, "unknown key 'colour'"),
    ("rules:\n  count-conflict: {message: 'n {nope}'}\n", 2, "'message' uses {nope}"),
    ("rules:\n  - id: count-conflict\n", 1, "'rules' must be a mapping of rule ids to changes"),
    ("rules:\n  new-rule: {severity: info}\n", 2, "to add a rule, give its kind"),
    ("rules:\n  new-rule: {id: other, kind: single_source}\n", 2, "a new rule's id is its key"),
    ("extend: nowhere.yaml\n", 1, "'extend': 'nowhere.yaml' not found"),
    ("select: [qoute]\n", 1, "'select': 'qoute' matches no rule; did you mean 'quote"),
    ("min_severity: fatal\n", 1, "'min_severity' must be one of error, warning, info"),
    ("quote_families: {min_similarity: 500}\n", 1, "'quote_families': setting 'min_similarity' must be between"),
    ("house_style:\n  prefer: {Kyiv: Kiev}\n", 2, "parameter 'prefer' 'Kyiv' must be a list"),
    ("house_style:\n  prefer: {Kyiv: [Kyiv]}\n", 2, "lists itself"),
    ("a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
     "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
     "g: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n", 7, "expands to more than"),
    ("rules: " + "[" * 40 + "]" * 40 + "\n", 1, "nested more than 32 levels deep"),
    ("[1, 2\n", None, "invalid YAML"),
])
def test_a_bad_settings_file_is_one_line_naming_file_line_and_key(desk, capsys, text, line, problem):
    path = write(desk, text)
    with pytest.raises(InputError) as caught:
        load_settings(near=[desk])
    assert caught.value.path == str(path) and problem in caught.value.problem, caught.value.problem
    if line is not None:
        assert caught.value.line == line
    code, out, err = run_cli(capsys, "check", desk)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"claimcheck: error: {path}") and problem.split(";")[0] in err


# --- selecting rules ----------------------------------------------------------------------------------

def test_selectors_match_ids_kinds_prefixes_globs_and_all():
    rules = load_rules().rules

    def on(select=None, ignore=()):
        return {r.id for r in select_rules(rules, select, list(ignore)) if r.enabled}

    assert on(["count-conflict"]) == {"count-conflict"}
    assert on(["quote"]) == {r.id for r in rules if r.id.startswith("quote-")}
    assert on(["spelling_variant"]) == {"spelling-variant"}
    assert on(["*-conflict"]) == {r.id for r in rules if r.id.endswith("-conflict")}
    assert on(["ALL"], ["quote", "single-source"]) == {r.id for r in rules
                                                         if not r.id.startswith("quote-") and r.id != "single-source"}
    assert "count" not in on(["count-conflict"])  # a prefix ends at a hyphen: 'count' is no rule of its own


def test_command_line_select_replaces_and_ignore_adds(desk, capsys):
    write(desk, "select: [spelling-variant, count-conflict]\nignore: [count-conflict]\n")
    _, found, data = findings(capsys, desk)
    assert {r for r, _ in found} == {"spelling-variant"}
    _, found, data = findings(capsys, desk, "--select", "value_conflict,spelling")
    assert {r for r, _ in found} == {"spelling-variant"}  # the file's ignore still holds
    assert data["settings"]["select"] == ["value_conflict", "spelling"]
    code, out, err = run_cli(capsys, "check", desk, "--ignore", "spelling-variant")  # nothing left to run
    assert code == 2 and out == "" and "--ignore: leaves no rule enabled" in err
    code, out, err = run_cli(capsys, "check", desk, "--select", "qoute-wording")
    assert code == 2 and out == "" and err.startswith("claimcheck: error: --select: 'qoute-wording' matches no rule")
    assert "did you mean 'quote-wording'" in err


@pytest.mark.parametrize("args, settings, problem", [
    (["--select", ""], None, "--select: selects no rule"),
    (["--select", " , "], None, "--select: selects no rule"),
    (["--ignore", "ALL"], None, "--ignore: leaves no rule enabled"),
    (["--ignore", "count-conflict,spelling-variant", "--select", "count-conflict,spelling"], None,
     "--ignore: leaves no rule enabled"),
    ([], "select: []\n", "claimcheck.yaml:1: 'select' is empty: it selects no rule"),
    ([], "ignore: [ALL]\n", "claimcheck.yaml:1: leaves no rule enabled (its 'ignore')"),
    ([], "rules: {spelling-variant: off}\nselect: [spelling]\n",
     "claimcheck.yaml:2: leaves no rule enabled (its 'select')"),
])
def test_a_selection_that_leaves_no_rule_is_an_error(desk, capsys, args, settings, problem):
    if settings is not None:
        write(desk, settings)
    code, out, err = run_cli(capsys, "check", desk, *args)
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert problem in err


def test_a_rule_the_settings_file_turned_off_stays_off_unless_selected_by_its_id(desk, capsys):
    write(desk, "rules: {spelling-variant: off}\n")
    for selector in ("ALL", "value_conflict,spelling", "*-variant,count-conflict"):
        _, found, _ = findings(capsys, desk, "--select", selector)
        assert {r for r, _ in found} == {"count-conflict"}, selector
    code, _, err = run_cli(capsys, "check", desk, "--select", "spelling")
    assert code == 2 and "--select: spelling selects only rules a settings file turned off" in err
    _, found, _ = findings(capsys, desk, "--select", "spelling-variant")  # its exact id switches it on
    assert {r for r, _ in found} == {"spelling-variant"}
    write(desk, "rules: {spelling-variant: off}\nselect: [ALL]\n")  # the file's own select too
    _, found, _ = findings(capsys, desk)
    assert {r for r, _ in found} == {"count-conflict"}


def test_min_severity_drops_findings_not_rules(desk, capsys):
    _, found, data = findings(capsys, desk, "--min-severity", "warning")
    assert len(found) == 3 and data["settings"] == {"min_severity": "warning"}
    write(desk, "rules: {spelling-variant: error}\n")
    _, found, data = findings(capsys, desk, "--min-severity", "error")
    assert found == [("spelling-variant", "error")] * 2 and data["summary"]["findings"]["warning"] == 0
    code, _, err = run_cli(capsys, "check", desk, "--min-severity", "fatal")
    assert code == 2 and "--min-severity" in err


# --- house style ------------------------------------------------------------------------------------

def test_house_style_flags_rejected_spellings_and_accept_silences_variants(desk, capsys):
    write(desk, "house_style:\n  prefer: {Kyiv: [Kiev]}\n  accept: [Odessa]\n")
    code, out, _ = run_cli(capsys, "check", desk, "--format", "json", "--fail-on", "never")
    data = json.loads(out)
    messages = {f["rule"]: f["message"] for f in data["findings"]}
    assert messages["house-style"] == 'House style: write "Kyiv", not "Kiev" (once in a)'
    variants = [f for f in data["findings"] if f["rule"] == "spelling-variant"]
    # Odessa is accepted: the Odessa/Odesa pair is no longer a variant; Kiev/Kyiv still is
    assert [f["subject"] for f in variants] == ["Kyiv"]


def test_accept_given_through_rules_also_reaches_spelling_variant(desk):
    write(desk, "rules:\n  house-style:\n    params: {accept: [Odessa]}\n")
    rules = {r.id: r for r in load_settings(near=[desk]).rules}
    assert rules["spelling-variant"].params["ignore"] == ["Odessa"]
    shipped = {r.id: r for r in load_rules().rules}
    assert shipped["spelling-variant"].params["ignore"] == []  # the shipped rules are not changed in place


def test_house_style_needs_a_house_style_rule(desk, tmp_path):
    rules = write(tmp_path, "rules:\n  - id: only\n    kind: single_source\n    severity: info\n"
                            "    message: '{values}'\n    claim_types: [count]\n", "rules.yaml")
    write(desk, "house_style: {reject: [Kiev]}\n")
    with pytest.raises(InputError, match="no rule of kind 'house_style' is in force"):
        load_settings(rules, near=[desk])


# --- claimcheck rules RULE, --statistics -------------------------------------------------------------

def test_rules_rule_shows_meaning_options_defaults_values_in_force_and_example(desk, capsys, monkeypatch):
    monkeypatch.chdir(desk)
    write(desk, "rules:\n  count-conflict:\n    params: {relative_tolerance: 0.25}\n")
    code, out, err = run_cli(capsys, "rules", "count-conflict")
    assert code == 0, err
    assert out.startswith("count-conflict: value_conflict rule, error, enabled\n")
    assert "Sources give different numbers for the same count" in out
    assert "  relative_tolerance: 0.25   (default 0.0)\n" in out  # in force, and the kind's default
    assert "  block_by: [claim_type, head]   (default [claim_type, attribute])\n" in out  # from rules.yaml
    assert "changed by" in out and "claimcheck.yaml:2" in out
    assert "Example (rules.yaml" in out and "PASS" in out and "FAIL" in out
    code, out, _ = run_cli(capsys, "rules", "spelling_variant")  # a kind: its reference
    assert code == 0 and out.startswith("Rule kind ``spelling_variant``")
    code, out, err = run_cli(capsys, "rules", "count-confict")
    assert code == 2 and out == "" and "no rule 'count-confict'; did you mean 'count-conflict'?" in err
    code, out, _ = run_cli(capsys, "rules", "--select", "quote")
    assert "select quote" in out and "quote-wording" in out


def test_statistics_counts_findings_per_rule_and_severity(desk, capsys):
    code, out, err = run_cli(capsys, "check", desk, "--statistics", "--fail-on", "never")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["2", "warning", "spelling-variant"]
    assert "One name spelled two ways" in lines[0]
    assert lines[1].split()[:3] == ["1", "warning", "count-conflict"]
    assert lines[-1] == "Found 3 findings."
    code, out, _ = run_cli(capsys, "check", desk, "--statistics", "--format", "json", "--fail-on", "never")
    assert json.loads(out)[0] == {"count": 2, "severity": "warning", "rule": "spelling-variant",
                                  "kind": "spelling_variant",
                                  "meaning": "One name spelled two ways, across sources or inside one article."}
    code, out, err = run_cli(capsys, "check", desk, "--statistics", "--format", "html")
    assert code == 2 and "--statistics prints text, json, csv" in err
    # the exit code still follows --fail-on
    code, _, _ = run_cli(capsys, "check", desk, "--statistics", "--fail-on", "warning")
    assert code == 1


def test_nightly_workers_take_the_rules_in_force():
    from checker.nightly.run import _rules

    ruleset = load_rules()
    assert _rules(ruleset) is ruleset


def test_nightly_applies_the_settings_file_nearest_the_inbox(desk, tmp_path, capsys):
    inbox = desk.parent  # the desk folder is an inbox of one story
    write(inbox, "rules: {spelling-variant: off}\nhouse_style: {prefer: {Kyiv: [Kiev]}}\n")
    out = tmp_path / "reports"
    code, _, err = run_cli(capsys, "nightly", inbox, "--out", out, "--db", tmp_path / "n.db", "--jobs", "1",
                           "--date", "2026-12-07", "--fail-on", "never")
    assert code == 0, err
    rows = [json.loads(line) for line in (out / "2026-12-07" / "findings.jsonl").read_text().splitlines()]
    assert sorted(r["rule"] for r in rows) == ["count-conflict", "house-style"]
    code, _, err = run_cli(capsys, "nightly", inbox, "--out", out, "--db", tmp_path / "n.db", "--jobs", "1",
                           "--date", "2026-12-08", "--select", "nope")
    assert code == 2 and "--select: 'nope' matches no rule" in err


def test_min_severity_changes_neither_fact_status_nor_hides_why_explain_found_nothing(desk, capsys):
    write(desk, "min_severity: error\n")
    code, out, err = run_cli(capsys, "facts", desk, "--format", "json")
    assert code == 0, err
    toll = next(f for f in json.loads(out)["facts"] if f["kind"] == "count")
    assert (toll["status"], toll["severity"]) == ("conflict", "warning")  # as without the setting
    _, found, data = findings(capsys, desk)
    assert found == [] and next(f for f in data["facts"] if f["kind"] == "count")["status"] == "conflict"
    code, out, err = run_cli(capsys, "explain", desk, "--value", "12")
    assert code == 0, err
    assert "min_severity is error" in out and "was dropped" in out and "merged into" not in out


def test_min_severity_info_in_the_settings_file_lists_info_findings_as_the_option_does(tmp_path, capsys):
    from tests.helpers import EXAMPLE
    import shutil

    story = tmp_path / EXAMPLE.name
    shutil.copytree(EXAMPLE, story)
    code, out, _ = run_cli(capsys, "check", story, "--format", "json", "--fail-on", "never", "--isolated")
    info = [f["message"] for f in json.loads(out)["findings"] if f["severity"] == "info"]
    assert info
    write(tmp_path, "min_severity: info\n")
    for fmt in ("text", "markdown"):
        _, shown, _ = run_cli(capsys, "check", story, "--format", fmt, "--fail-on", "never", "--no-color")
        _, by_option, _ = run_cli(capsys, "check", story, "--format", fmt, "--fail-on", "never", "--isolated",
                                  "--min-severity", "info", "--no-color")
        _, default, _ = run_cli(capsys, "check", story, "--format", fmt, "--fail-on", "never", "--isolated",
                                "--no-color")
        assert "info findings not shown" in default and "info findings not shown" not in shown, fmt
        assert info[0][:30] in shown and info[0][:30] in by_option and info[0][:30] not in default
