"""Faults stay where they happen, as in a linter: an exception in one extractor on one article,
in cleaning one article or in one rule on a story is one problem line (file, stage, error
class), exit 2, and everything else is still checked and reported. Time limits: the per-article
extraction budget is checked inside the extractors' loops, ``check --timeout`` writes the
report with what was done. And the regressions the attacker found: undated weekdays, kinship
ages beside non-ASCII text, hostile articles that used to take minutes.
"""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

import checker.pipeline.check
import claims.counts
from checker.rules import spelling_variant, value_conflict
from checker.engine.deadline import StoryTimeout, rules_deadline, within_time
from checker.pipeline.check import check_story, extract_story, story_context
from checker.pipeline.rules_file import load_rules
from claims import extract
from claims.base import keyword_text
from claims.clean import clean
from claims.entities import StoryEntities
from claims.model import Sentence
from tests.helpers import EXAMPLE, article, run_cli, story_with_toll_conflict

ROOT = Path(__file__).resolve().parent.parent


def problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("claimcheck: error:")]


def fail_on(article_id: str, original):
    """An extractor that raises on one article and works on the others."""
    def extract_or_fail(ctx):
        if ctx.doc.article.id == article_id:
            raise RuntimeError("injected failure")
        return original(ctx)
    return extract_or_fail


def cli(*args, timeout: float = 60) -> subprocess.CompletedProcess:
    """``python -m checker ARGS`` in a subprocess; the timeout only catches a hang."""
    env = {k: v for k, v in os.environ.items() if k != "CLAIMCHECK_DEBUG"}
    env["PYTHONPATH"] = str(ROOT)
    env["NO_COLOR"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    proc = subprocess.run([sys.executable, "-m", "checker", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def write_story(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


# --- fault isolation ------------------------------------------------------------------------------

def test_an_extractor_failing_on_one_article_is_one_problem_and_the_rest_is_reported(tmp_path, capsys, monkeypatch):
    story = story_with_toll_conflict(tmp_path)
    monkeypatch.setattr(claims.counts, "extract", fail_on("site-c", claims.counts.extract))
    code, out, err = run_cli(capsys, "check", story, "--format", "json")
    assert code == 2
    lines = problem_lines(err)
    assert len(lines) == 1, err
    assert "site-c.txt" in lines[0] and "counts failed: RuntimeError" in lines[0]
    data = json.loads(out)
    assert [p["stage"] for p in data["problems"]] == ["counts"]
    # the other articles' counts still disagree (12 vs 14 dead), and site-c's other claims are there
    assert any(f["rule"] == "count-conflict" for f in data["findings"])
    assert next(a for a in data["articles"] if a["id"] == "site-c")["claims"] > 0


def test_a_rule_failing_is_one_problem_and_the_other_rules_still_report(tmp_path, capsys, monkeypatch):
    story = story_with_toll_conflict(tmp_path)

    def broken(rule, ctx):
        raise KeyError("no such thing")
    monkeypatch.setattr(spelling_variant, "check", broken)
    code, out, err = run_cli(capsys, "check", story, "--format", "json")
    assert code == 2
    lines = problem_lines(err)
    assert len(lines) == 1, err
    assert str(story) in lines[0] and "rule spelling-variant failed: KeyError" in lines[0]
    data = json.loads(out)
    assert [p["stage"] for p in data["problems"]] == ["rule spelling-variant"]
    assert any(f["rule"] == "count-conflict" for f in data["findings"])


def test_cleaning_one_article_failing_skips_that_article_only(tmp_path, capsys, monkeypatch):
    story = story_with_toll_conflict(tmp_path)
    original = checker.pipeline.check.clean

    def clean_or_fail(art):
        if art.id == "site-c":
            raise UnicodeError("odd text")
        return original(art)
    monkeypatch.setattr(checker.pipeline.check, "clean", clean_or_fail)
    code, out, err = run_cli(capsys, "check", story, "--format", "json")
    assert code == 2
    assert len(problem_lines(err)) == 1 and "cleaning failed: UnicodeError" in err
    data = json.loads(out)
    assert any(f["rule"] == "count-conflict" for f in data["findings"])
    assert next(a for a in data["articles"] if a["id"] == "site-c")["claims"] == 0


def test_people_and_places_failing_on_one_article_leaves_that_article_out(tmp_path, monkeypatch):
    story = story_with_toll_conflict(tmp_path)

    class Fussy(StoryEntities):
        def __init__(self, docs):
            if any(d.article.id == "site-c" for d in docs):
                raise ValueError("cannot read these names")
            super().__init__(docs)
    monkeypatch.setattr(checker.pipeline.check, "StoryEntities", Fussy)
    result = check_story(story)
    assert [(p.stage, Path(p.path).name) for p in result.problems] == [("entities", "site-c.txt")]
    assert {c.article for c in result.claims} == {"wire-a", "paper-b"}
    assert any(f.rule == "count-conflict" for f in result.findings)


def test_the_claims_command_isolates_a_failing_extractor_too(tmp_path, capsys, monkeypatch):
    story = story_with_toll_conflict(tmp_path)
    monkeypatch.setattr(claims.counts, "extract", fail_on("site-c", claims.counts.extract))
    code, out, err = run_cli(capsys, "claims", story, "--format", "json")
    assert code == 2
    assert len(problem_lines(err)) == 1 and "counts failed: RuntimeError" in err
    listed = json.loads(out)
    assert {c["article"] for c in listed if c["claim_type"] == "count"} == {"wire-a", "paper-b"}


def test_claimcheck_debug_lets_the_exception_through(tmp_path, monkeypatch):
    story = story_with_toll_conflict(tmp_path)
    monkeypatch.setattr(claims.counts, "extract", fail_on("site-c", claims.counts.extract))
    monkeypatch.setenv("CLAIMCHECK_DEBUG", "1")
    with pytest.raises(RuntimeError, match="injected failure"):
        check_story(story)


def test_an_exception_past_the_deadline_is_not_taken_for_a_fault(tmp_path, monkeypatch):
    """A caller's time limit may arrive as an exception raised anywhere (the nightly run's
    alarm): past the deadline nothing is isolated, so it reaches the caller."""
    story = story_with_toll_conflict(tmp_path)

    def late(rule, ctx):
        time.sleep(max(0.0, ctx.deadline - time.monotonic()) + 0.01)
        raise RuntimeError("the caller's alarm")
    monkeypatch.setattr(spelling_variant, "check", late)
    rules = load_rules()
    ctx = story_context(extract_story(story), rules, deadline=time.monotonic() + 1.0)
    problems: list = []
    with pytest.raises(RuntimeError):
        checker.pipeline.check.apply_rules(rules, ctx, problems=problems, path=str(story))
    assert problems == []


# --- time limits ------------------------------------------------------------------------------------

def test_the_article_budget_is_checked_inside_an_extractor(tmp_path, monkeypatch):
    """An extractor that never ends stops when the article's budget is spent: the article is
    truncated and one warning names it and the extractor."""
    def endless(ctx):
        while True:
            ctx.check_budget()
    Endless = SimpleNamespace(__name__="claims.endless", CLAIM_TYPE="endless", extract=endless)
    monkeypatch.setattr(extract, "EXTRACTORS", [*extract.EXTRACTORS[:2], Endless, *extract.EXTRACTORS[2:]])
    docs = [clean(article("The ferry sank on March 2, 2024, killing 12 sailors.", "a"))]
    warnings: list = []
    rows = extract.extract_claims(docs, StoryEntities(docs), budget_s=0.2, warnings=warnings)
    assert docs[0].truncated
    assert [(w.path, w.stage) for w in warnings] == [("a.txt", "endless")]
    assert "time budget" in warnings[0].problem and "endless extractor" in warnings[0].problem
    assert {c.claim_type for c in rows} == {"date"}  # the extractors before it kept their claims


def test_a_sentence_of_ten_thousand_dates_stops_at_the_budget_with_a_warning():
    text = "The dates were " + ", ".join(f"March {i % 28 + 1}, {1900 + i % 120}" for i in range(10_000)) + "."
    docs = [clean(article(text, "dates"))]
    warnings: list = []
    extract.extract_claims(docs, StoryEntities(docs), budget_s=0.001, warnings=warnings)
    assert docs[0].truncated
    assert len(warnings) == 1 and warnings[0].path == "dates.txt" and warnings[0].stage in {
        m.__name__.rsplit(".", 1)[-1] for m in extract.EXTRACTORS}


def test_check_timeout_writes_the_report_with_what_was_done(tmp_path, capsys, monkeypatch):
    story = story_with_toll_conflict(tmp_path)
    original = value_conflict.check

    def slow(rule, ctx):  # the first rule (count-conflict) finishes past the limit
        found = original(rule, ctx)
        time.sleep(max(0.0, ctx.deadline - time.monotonic()) + 0.01)
        return found
    monkeypatch.setattr(value_conflict, "check", slow)
    code, out, err = run_cli(capsys, "check", story, "--format", "json", "--timeout", "2")
    assert code == 2
    lines = problem_lines(err)
    assert len(lines) == 1 and "time limit reached during rule age-conflict" in lines[0], err
    data = json.loads(out)
    assert [f["rule"] for f in data["findings"]] == ["count-conflict"]
    assert data["problems"][0]["stage"] == "rule age-conflict"


def test_check_timeout_during_extraction_still_lists_the_articles(tmp_path, capsys, monkeypatch):
    story = story_with_toll_conflict(tmp_path)
    original = claims.counts.extract

    def slow(ctx):  # the first article's counts are found past the limit
        time.sleep(max(0.0, ctx.deadline - time.monotonic()) + 0.01)
        return original(ctx)
    monkeypatch.setattr(claims.counts, "extract", slow)
    report = tmp_path / "report.json"
    code, _, err = run_cli(capsys, "check", story, "--format", "json", "--timeout", "2", "--output", report)
    assert code == 2
    assert "time limit reached during claim extraction" in err
    data = json.loads(report.read_text(encoding="utf-8"))
    assert len(data["articles"]) == 3 and data["findings"] == []


@pytest.mark.parametrize("value", ["0", "-1", "soon"])
def test_check_timeout_must_be_a_positive_number(value, capsys):
    code, _, err = run_cli(capsys, "check", EXAMPLE, "--timeout", value)
    assert code == 2 and "--timeout" in err


def test_the_deadline_is_checked_inside_rule_loops():
    """Alignment and quote families stop mid-loop once the deadline has passed (a story whose
    claims all align with each other costs the square of their number)."""
    ex = extract_story(EXAMPLE)
    rules = load_rules()
    ctx = story_context(ex, rules)
    date_rule = next(r for r in rules.enabled if r.id == "date-conflict")
    with rules_deadline(time.monotonic() - 1):
        with pytest.raises(StoryTimeout) as stopped:
            ctx.quote_families()
        assert stopped.value.stage == "quote families"
        with pytest.raises(StoryTimeout):
            value_conflict.check(date_rule, ctx)
        with pytest.raises(StoryTimeout):
            list(within_time(range(3), "anything"))
    assert list(within_time(range(3), "anything")) == [0, 1, 2]  # no deadline outside the rules


# --- the attacker's failures ------------------------------------------------------------------------

def test_undated_weekdays_that_differ_are_unsure_not_a_crash(tmp_path, capsys):
    """With no publication time a weekday cannot be placed on a calendar: two differing
    weekdays are unsure claims (no finding), not a crash."""
    story = write_story(tmp_path / "ship", {"a": "The ship sank off Norway on Monday.\n",
                                            "b": "The ship sank off Norway on Tuesday.\n"})
    code, out, err = run_cli(capsys, "check", story, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["problems"] == [] and data["findings"] == []
    code, out, _ = run_cli(capsys, "claims", story, "--format", "json", "--type", "date")
    dates = json.loads(out)
    assert sorted(c["value"] for c in dates) == ["Monday", "Tuesday"]
    assert all(c["low"] is None for c in dates)


def test_undated_weekdays_beside_dated_articles_still_compare(tmp_path, capsys):
    """With one publication time the story has a reference day: weekdays resolve and differ."""
    story = write_story(tmp_path / "ship", {"a": "The ship sank off Norway on Monday.\n",
                                            "b": "The ship sank off Norway on Tuesday.\n"})
    (story / "meta.json").write_text(json.dumps({"articles": [
        {"id": "a", "file": "a.txt", "date": "2024-03-06"}, {"id": "b", "file": "b.txt", "date": "2024-03-06"}]}),
        encoding="utf-8")
    code, out, _ = run_cli(capsys, "check", story, "--format", "json")
    data = json.loads(out)
    assert data["problems"] == []
    assert [f["rule"] for f in data["findings"]] == ["date-conflict"]


KIN_STORY = ("Harold P. Quimby Jr. and his brother, Desmond Quimby, left Dover on Sunday. Quimby, 51, "
             "and his brother, {age}, were hurt when the ferry ran aground{dash}near the pier.\n")


@pytest.mark.parametrize("dash,extra", [(" ", ""), (" \u2014 ", ""), (" ", "Jos\u00e9 Garc\u00eda saw it happen.\n"),
                                        (" ", "\u0410\u043d\u043d\u0430 saw it happen.\n")],
                         ids=["ascii", "em dash", "accented name", "cyrillic name"])
def test_kinship_ages_beside_non_ascii_text(tmp_path, capsys, dash, extra):
    """"his brother, 34," is the brother the story names, whatever else the sentence or the
    story holds: the same finding as for plain ASCII text, no crash."""
    story = write_story(tmp_path / "ferry", {"a": KIN_STORY.format(age=34, dash=dash) + extra,
                                             "b": KIN_STORY.format(age=36, dash=" ")})
    code, out, err = run_cli(capsys, "check", story, "--format", "json")
    data = json.loads(out)
    assert data["problems"] == [], err
    ages = [f for f in data["findings"] if f["rule"] == "age-conflict"]
    assert [(f["subject"], sorted(e["value"] for e in f["evidence"])) for f in ages] == [("Desmond Quimby", ["34", "36"])]


def test_keyword_text_folds_non_ascii_sentences_for_keyword_tests():
    def sentence(text):
        return Sentence(index=0, paragraph=0, start=0, end=len(text), text=text)
    assert keyword_text(sentence("His Brother, 34, said")) == "his brother, 34, said"
    assert keyword_text(sentence("His BROTHER \u2014 34 \u2014 said")) == "his brother \u2014 34 \u2014 said"
    # what an IGNORECASE regex matches to an ASCII letter (long s, dotted I, Kelvin sign), the
    # keyword test finds too
    assert keyword_text(sentence("\u017fTOLL \u0130N \u212aIN \u00e9")) == "stoll in kin \u00e9"


def hostile_story(folder: Path, body: str) -> Path:
    return write_story(folder, {"a": "The ferry sank on Monday, killing 12 passengers, officials said. " + body + "\n",
                                "b": "The ferry sank on Monday, killing 14 passengers, officials said. " + body + "\n"})


def _names(count: int) -> str:
    pick = random.Random(7)
    return ", ".join(f"{pick.choice(['John', 'Maria', 'Olaf', 'Anna'])} "
                     f"{chr(65 + i % 26)}{''.join(pick.choice('aeioulnrst') for _ in range(6))}" for i in range(count))


def _no_full_stop(words: int) -> str:
    pick = random.Random(11)
    vocabulary = ["the", "ship", "sank", "and", "twelve", "sailors", "said", "officials", "Monday", "in", "Oslo",
                  "men", "were", "killed"]
    return " ".join(pick.choice(vocabulary) for _ in range(words))


HOSTILE = {
    "ten thousand dates in one sentence":
        "The dates were " + ", ".join(f"March {i % 28 + 1}, {1900 + i % 120}" for i in range(10_000)) + ".",
    "fifty thousand numbers in one paragraph":
        "The figures were " + " ".join(str(random.Random(3).randint(1, 10**6) + i) for i in range(50_000)) + ".",
    "five thousand quote marks": "He said " + ' "'.join(["we", "will", "go"] * 1_700) + ".",
    "ten thousand capitalised names": "Present were " + _names(10_000) + ".",
    "ten thousand ages": "Victims: " + ", ".join(f"Peter Olsen{i}, {20 + i % 60}" for i in range(10_000)) + ".",
    "ten thousand weekdays": "It happened " + ", ".join(["on Monday", "last Friday"] * 5_000) + ".",
    "a 300 KB sentence with no full stop": _no_full_stop(60_000),
    "one sentence five thousand times with its figure changed":
        "\n\n".join(f"Officials said {i} sailors were killed on Monday." for i in range(5_000)),
}


@pytest.mark.parametrize("body", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_articles_are_checked_at_all(tmp_path, body):
    """Each of these took from 30 s to over ten minutes (quadratic in the matches of one
    sentence, or in claims that all align); the subprocess timeout only catches a hang."""
    proc = cli("check", hostile_story(tmp_path / "story", body), "--format", "json", "--fail-on", "never")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["problems"] == []
    assert any(f["rule"] == "count-conflict" for f in data["findings"])


def test_a_hostile_story_past_the_time_limit_is_still_reported(tmp_path):
    """With a time limit too short for the story, the check stops where it is, the report
    lists every article, and the problem says where the time ran out."""
    report = tmp_path / "report.json"
    proc = cli("check", hostile_story(tmp_path / "story", _no_full_stop(60_000)), "--format", "json",
               "--timeout", "0.3", "--output", report)
    assert proc.returncode == 2, proc.stderr
    lines = problem_lines(proc.stderr)
    assert len(lines) == 1 and "time limit reached during" in lines[0]
    data = json.loads(report.read_text(encoding="utf-8"))
    assert len(data["problems"]) == 1 and data["problems"][0]["problem"].startswith("time limit reached")
    assert len(data["articles"]) == 2
