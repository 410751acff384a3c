"""docs/rules.md is generated from the rule kinds (``python -m checker.rules.docs --write``): each
kind's docstring, its OPTIONS table and the quote family settings. The committed file must be
what the code generates, so the reference never drifts from the options the code accepts."""
from __future__ import annotations

from checker.engine.quote_families import SETTINGS
from checker.rules import KINDS
from checker.rules.docs import COMMAND, DOCS_FILE, description, main, render
from tests.helpers import run_cli


def test_docs_rules_md_is_up_to_date():
    assert DOCS_FILE.read_text(encoding="utf-8") == render(), f"docs/rules.md is stale: run {COMMAND}"


def test_check_mode_says_when_the_file_is_stale(tmp_path, monkeypatch, capsys):
    import checker.rules.docs as docs

    stale = tmp_path / "rules.md"
    stale.write_text("# Rules\n", encoding="utf-8")
    monkeypatch.setattr(docs, "DOCS_FILE", stale)
    assert main(["--check"]) == 1 and COMMAND in capsys.readouterr().err
    assert main(["--write"]) == 0 and main(["--check"]) == 0
    assert stale.read_text(encoding="utf-8") == render()


def test_every_option_is_documented_once_from_its_table():
    text = render()
    for kind, module in KINDS.items():
        assert f"## {kind}\n" in text
        # the options section of help() and of the docs both come from the table
        assert module.__doc__.endswith(module.OPTIONS.docstring() + "\n"), kind
        assert module.OPTIONS.markdown() in text or not len(module.OPTIONS), kind
        assert "Options (" not in description(module), f"{kind}: a hand-written options section in the docstring"
        for option in module.OPTIONS:
            assert f"| `{option.name}` |" in text, (kind, option.name)
    assert SETTINGS.markdown() in text


def test_claimcheck_rules_kind_prints_the_kind_reference(capsys):
    code, out, _ = run_cli(capsys, "rules", "--kind", "value_conflict")
    assert code == 0 and out == KINDS["value_conflict"].__doc__
    assert "min_event_shared: null" in out
    code, out, err = run_cli(capsys, "rules", "--kind", "no_such_kind")
    assert code == 2 and out == "" and "unknown rule kind 'no_such_kind'" in err
