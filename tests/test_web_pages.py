"""Saved web pages as articles (claims.webpage): main text without the site around it, headline,
author and publication date from the page, meta.json winning, offsets into the text that evidence
quotes, and the simple reader as the fallback. Pages: tests/fixtures/pages (our own invented text)."""
from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from claims import webpage
from claims.read import read_story
from claims.webpage import read_web_page
from helpers import HARBOUR_FIRE, ROOT, run_cli

PAGES = ROOT / "tests" / "fixtures" / "pages"
TRUTH = json.loads((PAGES / "truth.json").read_text(encoding="utf-8"))["pages"]
BOILERPLATE = {  # text on each page that is not the story and must not be read as if it were
    "harbour-gazette-ferry-fire.html": ["842 partners", "Most read", "16 crew on board", "Local baker, 82",
                                        "Registered in England", "Subscribe for 1 pound"],
    "valley-times-council-vote.html": ["Highway 20 closed", "6-3 last time", "Police name man, 34",
                                       "storing of cookies", "555-0100", "Advertisement"],
    "northern-wire-flood.html": ["5 purposes", "Oil tanker, 23 years old", "3 percent savings", "15 minutes"],
    "metro-post-trial.html": ["consent to our use of cookies", "Six years is nothing", "first complaint",
                              "Five dead in highway crash", "1,204 shares"],
}
trafilatura = pytest.importorskip("trafilatura", reason="the web extra (trafilatura) is not installed")


def page_story(tmp_path: Path, *names: str, meta: dict | None = None) -> Path:
    story = tmp_path / "pages"
    story.mkdir()
    for name in names:
        shutil.copy(PAGES / name, story / name)
    if meta is not None:
        (story / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return story


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_fixture_pages_keep_the_story_and_read_their_metadata(name):
    page = read_web_page((PAGES / name).read_text(encoding="utf-8"))
    expected = TRUTH[name]
    assert page.reader == "trafilatura"
    for paragraph in expected["body"]:
        assert paragraph in page.text.split("\n\n")
    for text in BOILERPLATE.get(name, []):
        assert text not in page.text
    assert "<" not in page.text
    if name != "county-chronicle-bridge.html":  # its date is a line of text: read_file_article reads it
        assert page.published.date().isoformat() == expected["published"]
        assert page.title == expected["title"]
        assert page.author == expected["author"]


def test_story_of_pages_dates_titles_and_authors(tmp_path):
    story = page_story(tmp_path, *TRUTH)
    result = read_story(story)
    assert not result.problems and not result.warnings
    for article in result.articles:
        expected = TRUTH[Path(article.path).name]
        assert article.format == "html"
        assert article.published.date().isoformat() == expected["published"]
    chronicle = next(a for a in result.articles if a.id == "county-chronicle-bridge")
    assert chronicle.published_estimated  # from the date line in its text, no markup date
    gazette = next(a for a in result.articles if a.id == "harbour-gazette-ferry-fire")
    assert (gazette.published, gazette.published_estimated) == (datetime(2023, 3, 14, 7, 45), False)
    assert (gazette.title, gazette.author) == ("Ferry fire: 14 crew rescued off Port Selwyn", "Moira Castell")


def test_meta_json_wins_over_the_page(tmp_path):
    story = page_story(tmp_path, "harbour-gazette-ferry-fire.html", meta={"articles": [
        {"file": "harbour-gazette-ferry-fire.html", "headline": "Crew saved from burning ferry",
         "author": "Desk", "date": "2023-03-15"}]})
    article = read_story(story).articles[0]
    assert (article.title, article.author, article.published) == ("Crew saved from burning ferry", "Desk",
                                                                    datetime(2023, 3, 15))


def test_meta_json_date_that_cannot_be_read_falls_back_to_the_page(tmp_path):
    story = page_story(tmp_path, "harbour-gazette-ferry-fire.html", meta={"articles": [
        {"file": "harbour-gazette-ferry-fire.html", "date": "soon"}]})
    result = read_story(story)
    assert result.articles[0].published == datetime(2023, 3, 14, 7, 45)
    assert ["'date' 'soon' is not a date; date dropped" in w.problem for w in result.warnings] == [True]


def test_page_dates_that_are_refused_say_why_and_spaced_numeric_dates_follow_the_rule(tmp_path):
    body = "<article><p>" + TRUTH["metro-post-trial.html"]["body"][0] + "</p></article>"
    page = read_web_page('<html><head><meta name="date" content="1999-02-11T08:30:00-99:00">'
                         '<meta name="dc.date" content="Mar 4"><meta name="dcterms.date" content="4 3 2024">'
                         "</head><body>" + body + "</body></html>")
    assert page.published == datetime(2024, 3, 4)  # day first, the default, said so
    assert page.notes == [
        "publication date '1999-02-11T08:30:00-99:00' in <meta date> is not a date "
        "(time zone offset -99:00 is out of range); ignored",
        "publication date 'Mar 4' in <meta dc.date> has no year; ignored",
        "publication date in <meta dcterms.date>: '4 3 2024' could be 4 March 2024 or 3 April 2024; read as "
        '4 March 2024 (day first, the default; set "date_order": "month-first" in meta.json or the feed if '
        "that is wrong)"]


def test_evidence_offsets_index_the_extracted_text(capsys, tmp_path):
    story = tmp_path / "ferry"
    story.mkdir()
    for outlet in ("harbour-gazette-ferry-fire.html",):
        shutil.copy(PAGES / outlet, story / outlet)
    # a second account of the same fire that disagrees on the crew count and the executive's age
    source = (PAGES / "harbour-gazette-ferry-fire.html").read_text(encoding="utf-8")
    (story / "other-site.html").write_text(source.replace("Fourteen crew", "Fifteen crew")
                                           .replace("Rydell, 57", "Rydell, 58"), encoding="utf-8")
    out = tmp_path / "report.json"
    code, _, err = run_cli(capsys, "check", story, "--format", "json", "--output", out, "--fail-on", "never")
    assert code == 0, err
    report = json.loads(out.read_text(encoding="utf-8"))
    texts = {a.id: a.text for a in read_story(story).articles}
    evidence = [ev for finding in report["findings"] for ev in finding["evidence"]]
    assert evidence
    for ev in evidence:
        assert texts[ev["article"]][ev["start"]:ev["end"]] == ev["text"]
    assert not any("842 partners" in ev["text"] or "16 crew" in ev["text"] for ev in evidence)


def test_without_trafilatura_the_simple_reader_reads_the_page_and_its_date(monkeypatch, tmp_path):
    import claims.read

    monkeypatch.setattr(webpage, "trafilatura_available", lambda: False)
    monkeypatch.setattr(claims.read, "trafilatura_available", lambda: False)
    story = page_story(tmp_path, "valley-times-council-vote.html", "metro-post-trial.html")
    result = read_story(story)
    article = next(a for a in result.articles if a.id == "valley-times-council-vote")
    assert article.published == datetime(2022, 11, 3, 23, 20)  # JSON-LD, -05:00 in UTC
    assert article.author == "Dana Whitfield"
    assert TRUTH["valley-times-council-vote.html"]["body"][0] in article.text
    # one warning for the story says what was lost and how to get it back
    assert [(Path(w.path).name, w.problem) for w in result.warnings] == [(
        "metro-post-trial.html", "2 web pages read without trafilatura: menus, cookie banners, 'most read' lists "
        "and comments may be read as article text (pip install 'claimcheck[web]' to leave them out)")]


def test_a_page_too_big_for_trafilatura_is_read_simply_with_a_warning(monkeypatch, tmp_path):
    monkeypatch.setattr(webpage, "MAX_MAIN_TEXT_ELEMENTS", 50)
    story = page_story(tmp_path, "harbour-gazette-ferry-fire.html")
    result = read_story(story)
    assert result.articles[0].published == datetime(2023, 3, 14, 7, 45)
    assert [w.path for w in result.warnings] == [str(story / "harbour-gazette-ferry-fire.html")]
    assert "read with the simple reader" in result.warnings[0].problem


def test_hostile_markup_and_metadata_cost_nothing_but_a_warning(capsys, tmp_path):
    story = tmp_path / "odd"
    story.mkdir()
    body = "<p>" + TRUTH["metro-post-trial.html"]["body"][0] + "</p>"
    (story / "deep-json-ld.html").write_text(
        '<html><head><script type="application/ld+json">' + "[" * 100_000 + "</script>"
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "yesterday"}</script>'
        "</head><body><article>" + body * 3 + "</article></body></html>", encoding="utf-8")
    (story / "stray-tags.html").write_text("<html><body><p>" + body + "</p>" + "<i>" * 160_000 + "</q>" * 160_000,
                                           encoding="utf-8")
    out = tmp_path / "report.json"
    code, _, err = run_cli(capsys, "check", story, "--format", "json", "--output", out, "--fail-on", "never")
    assert code == 0
    assert err.splitlines() == [f"claimcheck: warning: {story / 'deep-json-ld.html'}: publication date 'yesterday' "
                                "in JSON-LD datePublished is not a date; ignored"]
    assert sorted(a["id"] for a in json.loads(out.read_text(encoding="utf-8"))["articles"]) == [
        "deep-json-ld", "stray-tags"]


def test_cp1252_page_is_read_and_the_encoding_named(tmp_path):
    story = tmp_path / "legacy"
    story.mkdir()
    text = ("<html><head><meta charset=\"windows-1252\"><meta name=\"date\" content=\"1999-08-17\"></head><body>"
            "<article><p>The port\u2019s chief, Ren\u00e9e Dubois, said 12 sailors died \u2013 officials agreed.</p>"
            "<p>" + TRUTH["metro-post-trial.html"]["body"][1] + "</p></article></body></html>")
    (story / "legacy.html").write_bytes(text.encode("cp1252"))
    result = read_story(story)
    assert "Ren\u00e9e Dubois" in result.articles[0].text and "\u2019" in result.articles[0].text
    assert result.articles[0].published == datetime(1999, 8, 17)
    first_bad = text.encode("cp1252").index("\u2019".encode("cp1252"))
    assert [w.problem for w in result.warnings] == [
        f"not valid UTF-8 (byte {first_bad}); read as Windows-1252, the charset the page declares"]


@pytest.mark.parametrize("declared, encoding, note", [
    ('<meta charset="iso-8859-2">', "iso-8859-2", "read as ISO-8859-2, the charset the page declares"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1250">', "cp1250",
     "read as Windows-1250, the charset the page declares"),
    ("", "cp1252", "read as Windows-1252, a guess"),                     # no declaration: the guess
])
def test_a_page_that_is_not_utf8_is_read_in_the_charset_it_declares(tmp_path, declared, encoding, note):
    story = tmp_path / "legacy"
    story.mkdir()
    words = "Caf\u00e9 owner Ren\u00e9 said 12 sailors died." if encoding == "cp1252" else \
        "Prezydent \u0141odzi, Jan Wa\u0142\u0119sa, powiedzia\u0142, \u017ce zgin\u0119\u0142o 12 marynarzy."
    text = f"<html><head>{declared}</head><body><article><p>{words}</p></article></body></html>"
    (story / "page.html").write_bytes(text.encode(encoding))
    result = read_story(story)
    assert result.articles[0].text == words
    assert [note in w.problem for w in result.warnings] == [True]


def test_feed_record_holding_a_page(tmp_path):
    feed = tmp_path / "feed.jsonl"
    html = (PAGES / "northern-wire-flood.html").read_text(encoding="utf-8")
    feed.write_text(json.dumps({"id": "flood", "outlet": "Northern Wire", "content": html}) + "\n", encoding="utf-8")
    article = read_story(feed).articles[0]
    assert article.published == datetime(2021, 7, 18)
    assert article.title == "Floods force 2,000 from homes in Aldermoor"
    assert "Oil tanker" not in article.text and TRUTH["northern-wire-flood.html"]["body"][2] in article.text
