"""claimcheck explain: why two claims were or were not compared and flagged, one fixture answer
of each kind (tests/fixtures/explain/quarry-blast: made-up text)."""
from __future__ import annotations

import json

import pytest

from claims.model import claim_id
from checker.pipeline.check import check_story
from checker.pipeline.explain import explain_at, explain_claim, explain_pair, explain_value
from tests.helpers import FIXTURES, run_cli

QUARRY = FIXTURES / "explain" / "quarry-blast"


@pytest.fixture(scope="module")
def result():
    return check_story(QUARRY)


def claim(result, article: str, value: str):
    return next(c for c in result.claims if c.article == article and c.value == value)


def test_compared_and_flagged(result):
    pair = explain_pair(result, claim(result, "post", "118 workers"), claim(result, "star", "113 workers"))
    assert pair.verdict == "flagged" and pair.compared and pair.same_fact and pair.rule == "count-conflict"
    text = " ".join(s.text for s in pair.steps)
    assert "min_shared_words 3" in text and "min_context_jaccard 0.4" in text  # what aligned them
    assert "belong to the fact 'worker killed'" in text and "do not overlap" in text
    finding = next(f for f in result.findings if f.rule == "count-conflict")
    assert pair.finding["id"] == finding.id and finding.id in text
    # the finding is a warning though the rule is an error: the answer says why
    assert "a value only one source gives is a warning" in text


def test_compared_and_agreed(result):
    pair = explain_pair(result, claim(result, "post", "About 40 people"), claim(result, "star", "Some 42 people"))
    assert pair.verdict == "agreed" and pair.same_fact and pair.finding is None
    assert "agree: their ranges overlap" in pair.steps[-1].text and "36 to 44" in pair.steps[-1].text


def test_not_compared_names_the_threshold(result):
    pair = explain_pair(result, claim(result, "post", "36 hours"), claim(result, "star", "20 hours"))
    assert pair.verdict == "not compared" and not pair.compared and pair.same_fact is False
    decided = next(s for s in pair.steps if s.option)
    assert (decided.option, decided.value, decided.threshold) == ("min_shared_words", 1, 2)
    assert "share 0 words and the same subject" in decided.text and "fewer than min_shared_words 2" in decided.text and "min_sentence_overlap 0.6" in decided.text
    assert pair.rule == "duration-conflict"


def test_different_facts(result):
    pair = explain_pair(result, claim(result, "post", "118 workers"), claim(result, "ledger", "640 miners"))
    assert pair.verdict == "not compared" and pair.same_fact is False and pair.facts[0] != pair.facts[1]
    text = " ".join(s.text for s in pair.steps)
    assert "(option block_by): 'worker' / 'miner'" in text
    assert "different facts: 'worker killed' (118, 113) and 'miner' (640)" in text
    assert "a count of worker killed" in text and "a count of miner" in text  # the story model's reading


def test_single_source(result):
    answer = explain_value(result, "640")
    assert [claim_id(a.claim) for a in answer.claims] == [claim_id(claim(result, "ledger", "640 miners"))]
    notes = " ".join(answer.claims[0].notes)
    assert "(single source)" in notes and "no other source gives this fact" in notes
    assert "No finding cites it." in notes


def test_a_value_lists_every_claim_giving_it(result):
    answer = explain_value(result, "118")
    assert sorted(a.claim.article for a in answer.claims) == ["post", "radio"]
    for a in answer.claims:
        verdicts = {p.b.value: p.verdict for p in a.pairs}
        assert verdicts["113 workers"] == "flagged" and verdicts["640 miners"] == "not compared"
    assert explain_value(result, "Odell").claims  # names match as written
    assert "No enabled value rule reads name claims" in explain_value(result, "Odell").text()


def test_same_article_and_claim_type(result):
    pair = explain_pair(result, claim(result, "post", "118 workers"), claim(result, "post", "About 40 people"))
    assert pair.verdict == "not compared"
    date = next(c for c in result.claims if c.article == "star" and c.claim_type == "date")
    pair = explain_pair(result, claim(result, "post", "118 workers"), date)
    assert "a count claim and a date claim are never compared" in pair.steps[0].text


def test_claim_ids_from_the_listing(capsys, result):
    code, out, _ = run_cli(capsys, "claims", QUARRY, "--format", "json", "--type", "count")
    listed = {c["id"]: c for c in json.loads(out)}
    cid = next(i for i, c in listed.items() if c["value"] == "113 workers")
    answer = explain_claim(result, cid)
    assert answer.claims[0].claim.value == "113 workers" and answer.claims[0].fact
    code, out, _ = run_cli(capsys, "claims", QUARRY)
    assert code == 0 and f"{cid} " in out


def test_cli_at_two_offsets_text_and_json(capsys, result):
    a, b = claim(result, "post", "36 hours"), claim(result, "star", "20 hours")
    code, out, err = run_cli(capsys, "explain", QUARRY, "--at", f"post.txt:{a.start + 1}", "--at", f"star:{b.start}")
    assert code == 0 and err == ""
    assert "not compared (rule duration-conflict)" in out and "fewer than min_shared_words 2" in out
    code, out, _ = run_cli(capsys, "explain", QUARRY, "--at", f"post:{a.start}", "--at", f"star:{b.start}",
                           "--format", "json")
    data = json.loads(out)
    assert data["question"]["claims"] == [claim_id(a), claim_id(b)]
    pair = data["pairs"][0]
    assert pair["verdict"] == "not compared" and pair["compared"] is False
    assert {"option": "min_shared_words", "threshold": 2} .items() <= next(s for s in pair["steps"] if "option" in s).items()
    assert explain_at(result, f"post:{a.start}", f"star:{b.start}").pairs[0].verdict == "not compared"


def test_cli_value_json(capsys):
    code, out, _ = run_cli(capsys, "explain", QUARRY, "--value", "113", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["question"] == {"kind": "value", "value": "113"}
    verdicts = [p["verdict"] for p in data["answers"][0]["pairs"]]
    assert verdicts[0] == "flagged" and data["answers"][0]["findings"]
    assert any(f["attribute"] == "worker killed" and f["status"] == "conflict" for f in data["facts"])


@pytest.mark.parametrize("args, says", [
    (["--value", "999"], "no claim gives the value '999'"),
    (["--claim", "c9999"], "c9999: no such claim id"),
    (["--at", "post:10"], "give --at twice"),
    (["--at", "nowhere:10", "--at", "post:10"], "nowhere: no such article"),
    (["--at", "post", "--at", "star:1"], "expected ARTICLE:OFFSET"),
    ([], "give one of --value, --claim or two --at"),
    (["--value", "118", "--claim", "c1"], "give one of --value, --claim or two --at"),
])
def test_bad_questions_are_one_line_errors(capsys, args, says):
    code, out, err = run_cli(capsys, "explain", QUARRY, *args)
    assert code == 2 and says in err and len(err.strip().splitlines()) == 1


def test_two_facts_kept_apart_by_the_cannot_link():
    result = check_story(FIXTURES / "explain" / "two-tolls")
    floods = claim(result, "c", "118 people")
    bus = claim(result, "b", "Forty people")
    pair = explain_pair(result, floods, bus)
    assert pair.verdict == "not compared" and pair.same_fact is False and None not in pair.facts
    text = " ".join(s.text for s in pair.steps)
    assert "only the story model ties them" in text
    assert "article a gives both '118 people' and '40 people', in two sentences" in text and "cannot-link" in text
    assert not result.findings or all(f.rule != "count-conflict" for f in result.findings)


def test_control_characters_are_shown_escaped(tmp_path, capsys):
    from tests.helpers import hostile_story

    story = hostile_story(tmp_path, "\x1b[2J\u202e", after="killed 14 sailors")
    code, out, _ = run_cli(capsys, "explain", story, "--value", "14")
    assert code == 0 and "\x1b" not in out and "\u202e" not in out and "\\x1b" in out
    code, out, _ = run_cli(capsys, "explain", story, "--value", "14", "--format", "json")
    assert "\x1b" not in out and json.loads(out)["claims"]


def test_a_check_stopped_early_has_nothing_to_explain(capsys):
    code, _, err = run_cli(capsys, "explain", QUARRY, "--value", "118", "--timeout", "0.001")
    assert code == 2 and "nothing to explain" in err and "time limit" in err and len(err.splitlines()) == 1


def test_at_takes_places_as_the_line_and_github_reports_print_them(capsys, result, tmp_path):
    a, b = claim(result, "post", "36 hours"), claim(result, "star", "20 hours")
    want = explain_at(result, f"post:{a.start}", f"star:{b.start}").to_dict()["question"]["claims"]

    def place(c):  # ARTICLE:LINE:COL, as the line report gives it
        text = next(x.text for x in result.story.articles if x.id == c.article)
        before = text[:c.start].replace("\r\n", "\n").replace("\r", "\n")
        return f"{before.count(chr(10)) + 1}:{c.start - (before.rfind(chr(10)) + 1) + 1}"
    got = explain_at(result, f"post.txt:{place(a)}", f"star.txt:{place(b)}").to_dict()["question"]["claims"]
    assert got == want
    # a feed's article as the line and github reports name it: feed.jsonl[id], with an offset
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": x.id, "outlet": x.outlet, "text": x.text}) + "\n"
                            for x in result.story.articles), encoding="utf-8")
    code, out, err = run_cli(capsys, "explain", feed, "--at", f"feed.jsonl[post]:{a.start}",
                             "--at", f"{feed}[star]:{b.start}", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["question"]["claims"] == want
    code, _, err = run_cli(capsys, "explain", feed, "--at", "feed.jsonl[nobody]:3", "--at", f"feed.jsonl[star]:{b.start}")
    assert code == 2 and "feed.jsonl[nobody]: no such article" in err
