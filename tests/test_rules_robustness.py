"""A rules file is user input: every way it can be wrong is one clean error when it is loaded.

Each case below once crashed a check (exit 3, often only when a finding was formatted), hung it,
ate memory, or was accepted silently. Each is tested through ``load_rules`` (the problem and the
line it names) and end to end through the CLI (exit 2, one ``claimcheck: error: FILE:LINE:``
line on stderr) for both ``claimcheck check`` and ``claimcheck rules``.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from claims.clean import clean
from claims.entities import StoryEntities
from claims.errors import InputError
from claims.extract import extract_claims
from checker.rules import (house_style, self_contradiction, single_source, spelling_variant, statement_negation,
                           value_conflict)
from checker.rules.quotes import common as quote_common
from checker.engine.context import StoryContext
from checker.engine.findings import format_message, message_placeholders
from checker.rules import KINDS
from checker.pipeline.check import apply_rules
from checker.engine.options import compile_pattern
from checker.pipeline.rules_file import MAX_DEPTH, MAX_RULES_BYTES, default_rules_path, load_rules
from tests.helpers import EXAMPLE, FIXTURES, HARBOUR_FIRE, ROOT, article, load_cases, run_cli


def rule_text(message: str = "Sources disagree on {attribute}: {values}", *, kind: str = "value_conflict",
              claim_types: str = "[count]", severity: str = "error", extra: str = "") -> str:
    return (f"rules:\n  - id: r1\n    kind: {kind}\n    severity: {severity}\n"
            f"    message: {json.dumps(message)}\n    claim_types: {claim_types}\n{extra}")


def with_params(text: str, kind: str = "value_conflict", message: str | None = None) -> str:
    """A one-rule file whose ``params:`` block is ``text`` (indented for you)."""
    block = "    params:\n" + "".join(f"      {line}\n" for line in text.splitlines())
    defaults = {"value_conflict": ("[count]", "Sources disagree on {attribute}: {values}"),
                "quote_wording": ("[quote]", "Quote of {subject} differs: {change}"),
                "spelling_variant": ("[name]", "Name spelled more than one way: {values}"),
                "statement_negation": ("[]", "{negating} negates {stating}")}
    claim_types, default_message = defaults[kind]
    return rule_text(message or default_message, kind=kind, claim_types=claim_types, extra=block)


def billion_laughs() -> str:
    """Nine levels of nine aliases each: a few hundred bytes that stand for 9**10 values."""
    text = with_params("cumulative: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]")
    for level in range(1, 10):
        text += f"      x{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]\n"
    return text


def merge_key_laughs() -> str:
    """The same through '<<' merge keys, which PyYAML copies pair by pair."""
    text = "".join(f"b{i}: &b{i} {{<<: [{', '.join([f'*b{i - 1}'] * 9)}], k{i}: v}}\n" for i in range(1, 9))
    return "b0: &b0 {k0: v}\n" + text + "rules: []\n"


# (test id, rules file text, text on the line the error must name (None: no line), problem fragment)
CASES = [
    # message templates: checked at load against the placeholders the kind provides
    ("message {0}", rule_text("Disagree: {0}"), "id: r1", "positional placeholder {0}"),
    ("message {}", rule_text("Disagree: {}"), "id: r1", "positional placeholder {}"),
    ("message unclosed brace", rule_text("Disagree on {values"), "id: r1", "'{' that is never closed"),
    ("message lone closing brace", rule_text("Disagree } on {values}"), "id: r1", "'}' with no '{'"),
    ("message format spec", rule_text("Disagree: {values:d}"), "id: r1", "format specifications are not allowed"),
    ("message conversion", rule_text("Disagree: {values!r}"), "id: r1", "conversions"),
    ("message attribute access", rule_text("Disagree: {values.upper}"), "id: r1", "attribute or index access"),
    ("message index access", rule_text("Disagree: {values[0]}"), "id: r1", "attribute or index access"),
    ("message unknown placeholder", rule_text("Disagree: {bogus}"), "id: r1",
     "uses {bogus}, which kind 'value_conflict' does not provide"),
    ("message placeholder of another kind",
     rule_text("{negating} said {values}", kind="statement_negation", claim_types="[]"), "id: r1",
     "uses {values}, which kind 'statement_negation' does not provide"),
    # block_by and claim_types
    ("block_by [1]", with_params("block_by: [1]"), "block_by:", "parameter 'block_by' item 1 must be a string"),
    ("block_by unknown field", with_params("block_by: [claim_type, bogus]"), "block_by:",
     "parameter 'block_by' item 2 must be one of claim_type, subject, attribute, head, unit"),
    ("block_by unhashable field", with_params("block_by: [extra]"), "block_by:", "item 1 must be one of"),
    ("claim_types [1, 2]", rule_text(claim_types="[1, 2]"), "id: r1", "'claim_types' item 1 is 1"),
    ("claim_types unknown", rule_text(claim_types="[count, bogus]"), "id: r1",
     "'claim_types' item 2 is 'bogus' (a string), not a claim type (known: age, citizenship, count, date, "
     "duration, name, place, quote)"),
    ("claim_types nested", rule_text(claim_types="[[count]]"), "id: r1", "'claim_types' item 1 is a list"),
    # nesting
    ("deep nesting in block_by", with_params("block_by: " + "[" * 40 + "]" * 40), "block_by:",
     f"nested more than {MAX_DEPTH} levels deep"),
    ("deep nesting 5000 levels", "rules:\n  - " + "{a: " * 5000 + "1" + "}" * 5000 + "\n", "- {a:",
     f"nested more than {MAX_DEPTH} levels deep"),
    ("nested list where a word belongs", with_params("one_off_events: [crash, [[[sinking]]]]"), "one_off_events:",
     "parameter 'one_off_events' item 2 must be a string, got a list"),
    # numbers out of range
    ("max_ratio -5", with_params("max_ratio: -5"), "max_ratio:", "'max_ratio' must be at least 1, or null (off), got -5"),
    ("max_ratio 0.5", with_params("max_ratio: 0.5"), "max_ratio:", "must be at least 1, or null (off), got 0.5"),
    ("fraction above 1", with_params("min_shared_words: 2\nmin_context_jaccard: 1.5"), "min_context_jaccard:",
     "'min_context_jaccard' must be between 0 and 1, got 1.5"),
    ("negative count", with_params("min_shared_words: -1"), "min_shared_words:", "must be at least 0, got -1"),
    ("news_day_window -2", with_params("news_day_window: -2"), "news_day_window:",
     "must be at least 0, or null (off), got -2"),
    # "off" is null, no longer a magic number: each old one is refused, saying so
    ("max_ratio 0 for off", with_params("max_ratio: 0"), "max_ratio:", "must be at least 1, or null (off), got 0"),
    ("news_day_window -1 for off", with_params("news_day_window: -1"), "news_day_window:",
     "must be at least 0, or null (off), got -1"),
    ("min_context_overlap 1.01 for off", with_params("min_context_overlap: 1.01"), "min_context_overlap:",
     "must be between 0 and 1, or null (off), got 1.01"),
    ("min_sentence_overlap 1.01 for off", with_params("min_sentence_overlap: 1.01"), "min_sentence_overlap:",
     "must be between 0 and 1, or null (off), got 1.01"),
    ("word_prefix 0 for whole words", with_params("word_prefix: 0"), "word_prefix:",
     "must be at least 1, or null (off), got 0"),
    ("sole_min_shared 0 for off", with_params("sole_min_shared: 0"), "sole_min_shared:",
     "must be at least 1, or null (off), got 0"),
    ("min_event_shared 0 for off", with_params("min_event_shared: 0"), "min_event_shared:",
     "must be at least 1, or null (off), got 0"),
    ("confident_if_shared 0 for never", with_params("confident_if_shared: 0"), "confident_if_shared:",
     "must be at least 1, or null (off), got 0"),
    ("a nullable count given a word", with_params("sole_min_shared: two"), "sole_min_shared:",
     "must be a whole number, or null (off), got 'two'"),
    ("not a number", with_params("relative_tolerance: .nan"), "relative_tolerance:", "must be a finite number"),
    ("infinite", with_params("absolute_tolerance: .inf"), "absolute_tolerance:", "must be a finite number"),
    ("percent above 100", "quote_families:\n  min_similarity: 500\nrules: []\n", "min_similarity:",
     "'quote_families': setting 'min_similarity' must be between 0 and 100, got 500"),
    ("quote n-gram of 0 words", "quote_families: {min_shared_words: 0}\nrules: []\n", "quote_families:",
     "setting 'min_shared_words' must be at least 1, got 0"),
    # quote family settings: once for the story, in 'quote_families:' next to 'rules:'
    ("alignment setting on a quote rule", with_params("min_similarity: 80", kind="quote_wording"), "min_similarity:",
     "rule 'r1': 'min_similarity' is a quote family setting now: set it once for the story in the top-level "
     "'quote_families:' block"),
    ("quote_families a list", "quote_families: [min_words]\nrules: []\n", "quote_families:",
     "'quote_families' must be a mapping of settings, got a list"),
    ("quote_families unknown setting", "quote_families:\n  min_word: 3\nrules: []\n", "min_word:",
     "'quote_families': unknown setting 'min_word' (known: elision_min_words, ignore_fillers"),
    ("parameter of a kind without any", with_params("strong_only: true", kind="quote_wording"), "strong_only:",
     "unknown parameter 'strong_only' for kind 'quote_wording' (it takes no parameters)"),
    ("whole number given a fraction", with_params("min_words: 2.5", kind="statement_negation"), "min_words:",
     "must be a whole number, got 2.5"),
    # types inside lists
    ("attributes [1, 2]", with_params("attributes: [1, 2]"), "attributes:", "'attributes' item 1 must be a string"),
    ("block list item names its own line", with_params("one_off_events:\n  - crash\n  - 5"), "- 5",
     "'one_off_events' item 2 must be a string, got 5"),
    ("form_columns [1, 2]", with_params("form_columns: [1, 2]", kind="spelling_variant"), "form_columns:",
     "'form_columns' item 1 must be a string"),
    ("form_columns of three", with_params("form_columns: [a, b, c]", kind="spelling_variant"), "form_columns:",
     "must have 2 items, got 3"),
    ("pair with a number", with_params("pairs: [[Kiev, Kyiv], [Odessa, 5]]", kind="spelling_variant"), "pairs:",
     "'pairs' item 2 item 2 must be a string"),
    # YAML bombs
    ("billion laughs", billion_laughs(), "x6:", "expands to more than 1,000,000 values"),
    ("billion laughs through merge keys", merge_key_laughs(), "b6:", "expands to more than 1,000,000 values"),
    ("alias to itself", "rules: &r [*r]\n", "rules:", "alias *r refers to a value that contains it"),
    ("deep through aliases", "d: &d " + "[" * 30 + "]" * 30 + "\nrules: [[*d, [*d]]]\n", "rules:",
     f"nested more than {MAX_DEPTH} levels deep (through alias *d)"),
    # regexes RE2 cannot run
    ("backreference", with_params(r"attributes: ['(a)\1']"), "attributes:", "bad regex '(a)\\\\1' in 'attributes'"),
    ("lookahead", with_params("cumulative: ['kill(?=ed)']"), "cumulative:", "invalid perl operator"),
    ("python-only end anchor", with_params(r"attributes: ['killed\Z']"), "attributes:", "write \\z, not \\Z"),
    ("huge repetition", with_params("attributes: ['((a{100}){100}){100}']"), "attributes:", "bad regex"),
    # wrong shapes and types
    ("params a list", rule_text(extra="    params: [1]\n"), "id: r1", "'params' must be a mapping, got a list"),
    ("params a string", rule_text(extra="    params: loose\n"), "id: r1", "'params' must be a mapping"),
    ("params key a number", with_params("1: 2"), "1: 2", "a parameter name must be a string, got 1"),
    ("params key null", with_params("null: 2"), "null: 2", "a parameter name must be a string, got nothing"),
    ("severity a number", rule_text(severity="5"), "id: r1", "'severity' must be a string, got 5"),
    ("severity a list", rule_text(severity="[error]"), "id: r1", "'severity' must be a string, got a list"),
    ("severity unknown", rule_text(severity="critical"), "id: r1", "severity must be one of error, warning, info"),
    ("rounding_severity unknown", with_params("rounding_severity: critical"), "rounding_severity:",
     "'rounding_severity' must be one of error, warning, info, got 'critical'"),
    ("update_severity a number", with_params("update_severity: 3"), "update_severity:", "must be a string, got 3"),
    ("preferred unknown", with_params("preferred: third", kind="spelling_variant"), "preferred:",
     "must be one of first, second, none"),
    ("enabled 'yes'", rule_text(extra='    enabled: "yes"\n'), "id: r1", "'enabled' must be true or false, got 'yes'"),
    ("enabled 1", rule_text(extra="    enabled: 1\n"), "id: r1", "'enabled' must be true or false, got 1"),
    ("id empty", rule_text().replace("id: r1", "id: ''"), "id: ''", "'id' must not be empty"),
    ("duplicate key", rule_text().replace("    severity: error\n", "    severity: error\n    severity: info\n"),
     "severity: info", "duplicate key 'severity' (first at line 4)"),
    ("rule not a mapping", "rules:\n  - just a string\n", "- just", "rule 1 must be a mapping"),
    ("rules not a list", "rules: {id: r1}\n", "rules:", "'rules' must be a list of rules, got a mapping"),
    ("rules empty", "rules:\n", "rules:", "'rules' must be a list of rules, got nothing"),
    # the file as a whole
    ("empty file", "", None, "rules file is empty"),
    ("only comments", "# rules to come\n", None, "rules file is empty"),
    ("a scalar", "just words\n", "just words", "expected a top-level 'rules:' list, got 'just words'"),
    ("a list", "- id: r1\n", "- id", "expected a top-level 'rules:' list, got a list"),
    ("no rules key", "rule: []\n", "rule:", "expected a top-level 'rules:' list"),
    ("a NUL byte", "rules: []\n\x00\n", None, "invalid YAML"),
]


@pytest.fixture(autouse=True)
def _no_review_db(tmp_path, monkeypatch):
    """``claimcheck check`` picks up reports/claimcheck.db from the working folder: keep it out."""
    monkeypatch.delenv("CLAIMCHECK_DB", raising=False)
    monkeypatch.chdir(tmp_path)


def write(tmp_path: Path, text: str | bytes, name: str = "rules.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str | None) -> int | None:
    if needle is None:
        return None
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def assert_cli_error(capsys, path: Path, line: int | None, fragment: str) -> None:
    """Both commands that read a rules file exit 2 with one error line naming the file and line."""
    where = f"{path}:{line}" if line else str(path)
    for args in (["check", HARBOUR_FIRE, "--rules", path], ["rules", "--rules", path]):
        code, out, err = run_cli(capsys, *args)
        lines = [x for x in err.splitlines() if x.strip()]
        assert code == 2, (args[0], err)
        assert out == ""
        assert len(lines) == 1, lines
        assert lines[0].startswith(f"claimcheck: error: {where}: "), lines[0]
        assert fragment in lines[0], lines[0]


@pytest.mark.parametrize("text,needle,fragment", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_rules_file_is_one_clean_error(tmp_path, capsys, text, needle, fragment):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_rules(path)
    error = caught.value
    assert error.path == str(path)
    assert error.line == line_of(text, needle), str(error)
    assert fragment in error.problem, error.problem
    assert_cli_error(capsys, path, error.line, fragment)


def test_non_utf8_file_names_the_line(tmp_path, capsys):
    text = rule_text().replace("message: ", "message: Caf\u00e9 ")
    path = write(tmp_path, text.encode("latin-1"))
    with pytest.raises(InputError) as caught:
        load_rules(path)
    assert caught.value.line == line_of(text, "Caf")
    assert "not valid UTF-8" in caught.value.problem
    assert_cli_error(capsys, path, caught.value.line, "not valid UTF-8")


def test_oversized_file_is_refused_before_reading_it(tmp_path, capsys):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.write(b"rules: []\n")
        handle.truncate(50 * 1024 * 1024)  # 50 MB (sparse: nothing to write)
    with pytest.raises(InputError, match="too large"):
        load_rules(path)
    assert_cli_error(capsys, path, None, f"over {MAX_RULES_BYTES:,} bytes")


def test_a_folder_is_not_a_rules_file(tmp_path, capsys):
    folder = tmp_path / "rules.d"
    folder.mkdir()
    with pytest.raises(InputError, match="is a folder"):
        load_rules(folder)
    assert_cli_error(capsys, folder, None, "is a folder")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_symlink_to_a_device_is_refused(tmp_path, capsys):
    link = tmp_path / "rules.yaml"
    link.symlink_to("/dev/zero")
    with pytest.raises(InputError, match="not a regular file"):
        load_rules(link)
    assert_cli_error(capsys, link, None, "not a regular file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_blocking(tmp_path, capsys):
    fifo = tmp_path / "rules.yaml"
    os.mkfifo(fifo)  # no writer: opening it for reading the usual way would wait for ever
    with pytest.raises(InputError, match="not a regular file"):
        load_rules(fifo)
    assert_cli_error(capsys, fifo, None, "not a regular file")


# --- what is still accepted ------------------------------------------------------------------------

def test_valid_edge_values_load(tmp_path):
    text = rule_text("{{literal braces}} {values}", extra=(
        "    params:\n      max_ratio: null\n      news_day_window: 0\n      min_context_jaccard: 1\n"
        "      min_context_overlap: null\n      word_prefix: ~\n"
        "      relative_tolerance: 0\n      attributes: ['^count$', '\\|killed\\z']\n"))
    rule = load_rules(write(tmp_path, text)).rules[0]
    assert rule.params["max_ratio"] is None and rule.params["news_day_window"] == 0
    assert rule.params["min_context_overlap"] is None and rule.params["word_prefix"] is None
    assert format_message(rule.message, values="3 vs 4") == "{literal braces} 3 vs 4"
    assert type(rule.params["attributes"]) is list  # plain lists, not the loader's line-aware ones


def test_the_default_rules_are_the_shipped_rules_yaml():
    """In a source checkout the default is rules.yaml at the top; an installed wheel carries it as
    checker/default_rules.yaml (pyproject's force-include), which the same function finds."""
    assert default_rules_path() == ROOT.resolve() / "rules.yaml"
    assert load_rules().path == str(ROOT.resolve() / "rules.yaml")


def test_empty_params_and_aliases_in_moderation_load(tmp_path):
    text = ("events: &events [crash, sinking]\nrules:\n"
            "  - {id: a, kind: value_conflict, severity: error, message: '{values}', claim_types: [date],\n"
            "     params: {one_off_events: *events}}\n"
            "  - {id: b, kind: value_conflict, severity: error, message: '{values}', claim_types: [date],\n"
            "     params: {one_off_events: *events}}\n"
            "  - id: c\n    kind: statement_negation\n    severity: info\n    message: '{negating}'\n"
            "    claim_types: []\n    params:\n")
    rules = load_rules(write(tmp_path, text)).rules
    assert [r.params.get("one_off_events") for r in rules[:2]] == [["crash", "sinking"]] * 2
    assert rules[0].params["one_off_events"] is not rules[1].params["one_off_events"]
    assert rules[2].params == statement_negation.OPTIONS.defaults()


def test_a_kind_check_that_trips_on_its_input_is_a_clean_error(tmp_path, capsys):
    # a variants list with a row shorter than its header once crashed spelling_variant.validate
    (tmp_path / "pairs.tsv").write_text("russian_derived_form\tukrainian_form\nKiev\n", encoding="utf-8")
    text = with_params("variants_file: pairs.tsv", kind="spelling_variant")
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_rules(path)
    assert caught.value.line == line_of(text, "variants_file:")
    assert_cli_error(capsys, path, caught.value.line, "rule 'r1': ")


def test_format_message_never_raises_on_a_rule_built_in_code():
    # rules from load_rules are checked; a Rule built in code is not, and must not crash a report
    assert format_message("{0} and {values", values="x") == "{0} and {values"
    assert format_message("{values:d} / {values} / {gone}", values="x") == "{values:d} / x / {gone}"


# --- the tables ---------------------------------------------------------------------------------------

def test_every_kind_declares_its_tables_and_every_default_passes():
    for kind, module in KINDS.items():
        assert module.KIND == kind
        assert module.MESSAGE_FIELDS and len(set(module.MESSAGE_FIELDS)) == len(module.MESSAGE_FIELDS), kind
        for option in module.OPTIONS:
            assert option.problem(option.default) is None, (kind, option.name, option.default)
            assert option.meaning.strip() and "\n" not in option.meaning, (kind, option.name)
        for key in module.OPTIONS.regexes:
            for pattern in module.OPTIONS[key].default:
                compile_pattern(pattern)


def test_every_shipped_message_formats_with_its_placeholders():
    for rule in load_rules().rules:
        used = message_placeholders(rule.message)
        assert used and set(used) <= set(KINDS[rule.kind].MESSAGE_FIELDS), rule.id
        text = format_message(rule.message, **{p: f"<{p}>" for p in KINDS[rule.kind].MESSAGE_FIELDS})
        assert "{" not in text and "}" not in text, (rule.id, text)
        assert all(f"<{p}>" in text for p in used), (rule.id, text)


def all_placeholders(kind: str) -> str:
    return f"[{kind}] " + " ".join("{" + p + "}" for p in KINDS[kind].MESSAGE_FIELDS)


def test_each_kind_passes_every_placeholder_the_table_declares(tmp_path, monkeypatch):
    """Run every kind's fixture cases (tests/fixtures/rules) with a message using all of the kind's
    declared placeholders, recording what each call to format_message receives: the table must
    name exactly what the kind passes, on every call."""
    calls: dict[str, list[set[str]]] = {kind: [] for kind in KINDS}
    real = format_message

    def recording(template: str, **values):
        kind = re.match(r"\[(\w+)\]", template).group(1)
        calls[kind].append(set(values))
        text = real(template, **values)
        assert "{" not in text, f"{kind} left a declared placeholder unfilled: {text}"
        return text

    for module in (value_conflict, spelling_variant, house_style, self_contradiction, statement_negation,
                   single_source, quote_common):
        monkeypatch.setattr(module, "format_message", recording)
    for _, data, case in load_cases("rules"):
        kind = data["kind"]
        if calls[kind] and kind != "self_contradiction":
            continue  # one case that formats a message is enough (self_contradiction has two paths)
        rule = {**case["rule"], "message": all_placeholders(kind)}
        rules_file = write(tmp_path, yaml.safe_dump({"rules": [rule]}))
        arts = [article(a["text"], a["id"], a.get("published"), a.get("outlet")) for a in case["articles"]]
        docs = [clean(a) for a in arts]
        entities = StoryEntities(docs)
        rules = load_rules(rules_file)
        ctx = StoryContext(articles={a.id: a for a in arts}, docs={d.article.id: d for d in docs},
                           entities=entities, claims=extract_claims(docs, entities), rules_dir=tmp_path,
                           quote_settings=rules.quote_families)
        apply_rules(rules, ctx)
    for kind, seen in calls.items():
        assert seen, f"no fixture case of {kind} formats a message"
        for keys in seen:
            assert keys == set(KINDS[kind].MESSAGE_FIELDS), (kind, sorted(keys ^ set(KINDS[kind].MESSAGE_FIELDS)))


# --- regexes run on RE2 -------------------------------------------------------------------------------

def test_shipped_patterns_match_as_python_re_did():
    """Every pattern of rules.yaml and of the kinds' defaults compiles under RE2 and matches the
    attributes of the example and fixture stories' claims exactly as Python's re does."""
    patterns = {p for rule in load_rules().rules for key in KINDS[rule.kind].OPTIONS.regexes
                for p in rule.params[key]}
    attributes = set()
    for story in (EXAMPLE, HARBOUR_FIRE, FIXTURES / "stories" / "bridge-collapse"):
        from checker.pipeline.check import extract_story
        attributes |= {str(c.attribute) for c in extract_story(story).claims}
    assert len(patterns) >= 10 and len(attributes) >= 20
    for pattern in patterns:
        compiled = compile_pattern(pattern)
        for attribute in attributes:
            assert bool(compiled.search(attribute)) == bool(re.search(pattern, attribute)), (pattern, attribute)


def test_catastrophic_pattern_runs_in_linear_time():
    # Python's re tries every split of 48 a's into "a" and "aa" before giving up
    assert compile_pattern("^(a|aa)+$").search("a" * 48 + "|killed") is None
    assert compile_pattern("^(a|aa)+\\|killed$").search("a" * 48 + "|killed")


def test_catastrophic_user_regex_does_not_hang_a_check(tmp_path):
    """End to end, in a subprocess with a generous timeout: a user's pattern that backtracks
    catastrophically in Python's re finishes under RE2, and a pattern that matches still finds
    the conflict."""
    story = tmp_path / "story"
    story.mkdir()
    word = "a" * 48
    for name, figure in (("one.txt", 12), ("two.txt", 14)):
        (story / name).write_text(f"Officials said {figure} {word} were killed on Monday near the old bridge.\n",
                                  encoding="utf-8")
    rules = write(tmp_path, (
        "rules:\n"
        "  - {id: hang, kind: value_conflict, severity: error, message: '{values}', claim_types: [count],\n"
        "     params: {attributes: ['^(a|aa)+$'], cumulative: ['^(a|aa)+$']}}\n"
        "  - {id: matches, kind: value_conflict, severity: error, message: '{values}', claim_types: [count],\n"
        "     params: {attributes: ['^(a|aa)+\\|killed$']}}\n"
        "  - {id: single, kind: single_source, severity: info, message: '{values}', claim_types: [count],\n"
        "     params: {attributes: ['^(a|aa)+$'], min_articles: 1}}\n"))
    env = {k: v for k, v in os.environ.items() if k not in ("CLAIMCHECK_DEBUG", "CLAIMCHECK_DB")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    proc = subprocess.run([sys.executable, "-m", "checker", "check", str(story), "--rules", str(rules),
                           "--format", "json", "--fail-on", "never"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert proc.returncode == 0, proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    assert [f["rule"] for f in findings] == ["matches"]
    assert "12" in findings[0]["message"] and "14" in findings[0]["message"]
