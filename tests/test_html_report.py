"""The HTML report: self-contained, safe with hostile text, deterministic, and showing what an
editor needs (counts, sources side by side, the words that differ, review state and controls)."""
from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
from html.parser import HTMLParser

import pytest

from checker.engine.findings import REVIEW_STATUSES as STATUSES
from checker.report.html import ReviewControls, render_html, safe_url
from checker.pipeline.check import check_story, result_to_dict
from tests.helpers import EXAMPLE

PAYLOAD_SCRIPT = "<script>alert(1)</script>"
PAYLOAD_IMG = "<img src=x onerror=alert(1)>"


# --- helpers -----------------------------------------------------------------------------------

class _Tags(HTMLParser):
    """Every start tag with its attributes, as a browser's tokenizer would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser.tags


def inline(page: str, tag: str) -> list[str]:
    return re.findall(rf"<{tag}>(.*?)</{tag}>", page, flags=re.S)


def diff_marked(page: str) -> list[str]:
    return re.findall(r'<mark class="diff">(.*?)</mark>', page, flags=re.S)


def assert_safe(page: str) -> None:
    """Nothing in ``page`` can run script or load anything, whatever the data held."""
    found = tags(page)
    assert [t for t, _ in found].count("script") == 1
    assert not [t for t, _ in found if t in ("img", "iframe", "object", "embed", "link", "base", "svg")]
    for tag, attrs in found:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        assert "style" not in attrs, (tag, attrs)
        assert "src" not in attrs, (tag, attrs)
        href = attrs.get("href")
        if href is not None:
            assert href.startswith(("#", "http://", "https://")), href
    assert "<img" not in page.lower()
    assert 'href="javascript:' not in page.lower()
    assert page.count("<script") == 1


def evidence(article: str, text: str, sentence: str = "", outlet: str | None = None) -> dict:
    return {"article": article, "text": text, "start": 0, "end": len(text), "value": text,
            "normalized": text.lower(), "sentence": sentence or text, "outlet": outlet, "published": None}


def finding(fid: str, evidence_list: list[dict], *, severity: str = "error", kind: str = "value_conflict",
            message: str = "Sources disagree", subject: str = "Jan Kowalski", **extra) -> dict:
    return {"rule": "age-conflict", "kind": kind, "severity": severity, "claim_type": "age",
            "subject": subject, "message": message, "evidence": evidence_list, "confidence": 0.9,
            "details": {}, "id": fid, "evidence_hash": "cc-000000000000", **extra}


def contract(findings: list[dict], articles: list[dict] | None = None, **extra) -> dict:
    articles = articles if articles is not None else [
        {"id": "a", "path": "a.txt", "outlet": "Wire A", "published": "2024-03-04 00:00:00",
         "published_estimated": False, "title": "Headline A", "claims": 3, "truncated": False},
        {"id": "b", "path": "b.txt", "outlet": "Paper B", "published": "2024-03-05 00:00:00",
         "published_estimated": True, "title": "Headline B", "claims": 4, "truncated": False},
    ]
    summary = {s: sum(1 for f in findings if f["severity"] == s) for s in ("error", "warning", "info")}
    return {"tool": {"name": "claimcheck", "version": "0.1.0"}, "story": {"id": "test-story", "path": "/x/test-story"},
            "rules": "/somewhere/rules.yaml", "articles": articles, "findings": findings, "quote_families": [],
            "problems": [], "summary": {"articles": len(articles), "claims": 7, "findings": summary}, **extra}


def age_conflict(**extra) -> dict:
    return finding("cc-aaaaaaaaaaaa", [evidence("a", "aged 25", "Jan Kowalski, aged 25, said so.", "Wire A"),
                                       evidence("b", "aged 26", "Jan Kowalski, aged 26, said so.", "Paper B")],
                   **extra)


# --- the bundled example -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def example_data():
    return result_to_dict(check_story(EXAMPLE))


@pytest.fixture(scope="module")
def example_page(example_data):
    return render_html(example_data)


def test_every_finding_is_an_anchor_with_its_facets(example_data, example_page):
    found = {attrs.get("id"): attrs for tag, attrs in tags(example_page) if tag == "article"}
    assert example_data["findings"]
    for f in example_data["findings"]:
        card = found[f["id"]]
        assert card["data-severity"] == f["severity"]
        assert card["data-kind"] == f["kind"]
        assert card["data-status"] == "open"  # no review database: nothing reviewed yet


def test_header_counts_match_summary(example_data, example_page):
    shown = dict(re.findall(r'data-count="(\w+)">(\d+)<', example_page))
    summary = example_data["summary"]
    assert shown == {"articles": str(summary["articles"]), "claims": str(summary["claims"]),
                     **{sev: str(n) for sev, n in summary["findings"].items()}}
    assert f'data-story="{example_data["story"]["id"]}"' in example_page
    assert "Review:" not in example_page  # no finding carries a review


def test_sources_table(example_data, example_page):
    table = example_page.split('<table class="sources">')[1].split("</table>")[0]
    for article in example_data["articles"]:
        assert f'<tr id="article-{article["id"]}">' in table
        if article["title"]:
            assert article["title"].replace("'", "&#x27;") in table
    assert "2022-03-08 (est.)" in table  # 001's date was read from a date line


def test_self_contained(example_page):
    lowered = example_page.lower()
    for forbidden in ("<script src", "<link", "@import", "url(", "<iframe", "<img"):
        assert forbidden not in lowered
    assert len(inline(example_page, "style")) == 1 and len(inline(example_page, "script")) == 1
    # the example has no article addresses, so no http at all except the meta tag's name
    assert lowered.replace('http-equiv="content-security-policy"', "").count("http") == 0
    assert_safe(example_page)


def test_only_article_addresses_are_links(example_data):
    data = copy.deepcopy(example_data)
    data["articles"][0]["url"] = "https://example.org/story?a=1&b=2"
    data["articles"][1]["url"] = "javascript:alert(1)"
    page = render_html(data)
    hrefs = [a["href"] for t, a in tags(page) if "href" in a]
    assert {h for h in hrefs if not h.startswith("#")} == {"https://example.org/story?a=1&b=2"}
    assert 'href="https://example.org/story?a=1&amp;b=2" rel="noopener noreferrer"' in page
    # the page's own policy must still let the review form say where it comes from
    assert '<meta name="referrer" content="same-origin">' in page
    assert "javascript:alert(1)" in page  # shown as text, so the editor sees the odd address
    assert_safe(page)


def test_deterministic(example_data, example_page):
    assert render_html(example_data) == example_page
    # a report re-rendered from the saved JSON is the same page
    assert render_html(json.loads(json.dumps(example_data, default=str))) == example_page
    assert "/work/" not in example_page and "<code>claimcheck.yaml</code>" in example_page  # no absolute paths


def test_csp_allows_exactly_the_inline_style_and_script(example_page):
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', example_page).group(1)
    policy = policy.replace("&#x27;", "'")
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["img-src"] == "data:"
    assert directives["form-action"] == "'self'"
    assert directives["base-uri"] == "'none'"
    for tag, directive in (("style", "style-src"), ("script", "script-src")):
        (text,) = inline(example_page, tag)
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
        assert directives[directive] == f"'sha256-{digest}'"
    assert "unsafe-inline" not in policy


def test_no_inline_handlers_or_style_attributes(example_page):
    assert not re.search(r"<[^>]*\son\w+\s*=", example_page)
    assert not re.search(r"<[^>]*\sstyle\s*=", example_page)


def test_filters_cover_every_facet_and_wait_for_script(example_data, example_page):
    controls = [a for t, a in tags(example_page) if t == "input" and a.get("data-filter")]
    values = {(a["data-filter"], a["value"]) for a in controls}
    assert {("severity", s) for s in ("error", "warning", "info")} <= values
    assert {("kind", f["kind"]) for f in example_data["findings"]} <= values
    assert {("status", s) for s in STATUSES} <= values
    bar = next(a for t, a in tags(example_page) if a.get("id") == "filters")
    assert "hidden" in bar  # the script shows it; without script every finding stays visible
    assert not [a for t, a in tags(example_page) if t == "article" and "hidden" in a]
    n = len(example_data["findings"])
    assert f"Showing {n} of {n} findings" in example_page
    script = inline(example_page, "script")[0]
    assert "data-" in script and "cc-" not in script and "{\"" not in script  # reads attributes, embeds no data


def test_example_shows_the_differing_words(example_page):
    marked = diff_marked(example_page)
    assert "join" in marked and "joining" in marked
    assert "Odessa" in marked and "Odesa" in marked
    assert "affected" in marked and "effected" in marked
    assert "<del>join</del>" in example_page and "<ins>joining</ins>" in example_page  # quote differences


def test_quote_families_side_by_side(example_data, example_page):
    changed = [f for f in example_data["quote_families"] if any(v["status"] != "same" for v in f["variants"])]
    assert changed
    for family in changed:
        assert f'id="family-{family["id"]}"' in example_page
    assert 'href="#family-' in example_page  # findings link to their quote


# --- hostile input -----------------------------------------------------------------------------

@pytest.fixture
def hostile_story(tmp_path):
    story = tmp_path / "hostile"
    story.mkdir()
    (story / "wire-a.txt").write_text(
        "Fire on cargo ship kills 12 in Murmansk harbour\n\n"
        f"A fire on the cargo ship Polar Star killed 12 sailors {PAYLOAD_SCRIPT} in Murmansk harbour on "
        "March 3, officials said.\n\n"
        "Harbour master Dmitri Ustinov said the crew had tried to fight the blaze. \"We did everything we "
        f"could to save the ship {PAYLOAD_IMG} and the men on board,\" Ustinov said.\n", encoding="utf-8")
    (story / "paper-b.txt").write_text(
        "Fire on freighter in Murmansk\n\n"
        f"A fire on the cargo ship Polar Star killed 14 sailors {PAYLOAD_SCRIPT} in Murmansk harbour on "
        "March 3, according to regional officials.\n\n"
        "Dmitri Ustinov, the harbour master, told reporters: \"We did everything we could to rescue the "
        f"ship {PAYLOAD_IMG} and the men on board.\"\n", encoding="utf-8")
    meta = {"articles": [
        {"id": "wire-a", "file": "wire-a.txt", "outlet": f"Wire {PAYLOAD_SCRIPT}", "date": "2024-03-04",
         "headline": f"Fire {PAYLOAD_IMG} kills 12", "url": "javascript:alert(1)"},
        {"id": "paper-b", "file": "paper-b.txt", "outlet": 'Paper "B" <b>', "date": "2024-03-04",
         "headline": f"Twelve dead {PAYLOAD_SCRIPT}", "url": "https://example.org/b?x=1&y=<2>"},
    ]}
    (story / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return story


def test_hostile_story_is_escaped(hostile_story):
    data = result_to_dict(check_story(hostile_story))
    # the payloads must reach the report for this test to mean anything
    texts = [e["sentence"] + e["text"] for f in data["findings"] for e in f["evidence"]]
    assert any(PAYLOAD_SCRIPT in t for t in texts) and any(PAYLOAD_IMG in t for t in texts)
    page = render_html(data)
    assert_safe(page)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "onerror=alert(1)>" not in page
    assert "<b>" not in page
    assert page.count("<script") == 1 and "<script>alert" not in page
    # with review controls too: token and story id are escaped like everything else
    served = render_html(data, review=ReviewControls("/decide", '"><script>x</script>', PAYLOAD_IMG))
    assert_safe(served)


def test_hand_made_payloads_everywhere():
    f = age_conflict(message=f"Message {PAYLOAD_SCRIPT}", subject=f"Subject {PAYLOAD_IMG}",
                     kind='k" onmouseover="alert(1)', severity="error")
    f["id"] = 'cc-1"><img src=x onerror=alert(1)>'
    f["details"] = {"diff": f"... said ~~{PAYLOAD_SCRIPT}~~ **{PAYLOAD_IMG}** ...", "family": PAYLOAD_IMG}
    f["review"] = {"status": "dismissed", "note": f"Note {PAYLOAD_SCRIPT}", "reviewer": f"Eve {PAYLOAD_IMG}",
                   "decided_at": f"2024-05-01T10:00:00{PAYLOAD_SCRIPT}", "reopened_because": PAYLOAD_IMG,
                   "decisions": 2}
    data = contract([f])
    data["story"]["id"] = PAYLOAD_SCRIPT
    data["articles"][0]["outlet"] = PAYLOAD_IMG
    data["articles"][1]["url"] = " JavaScript:alert(1)"
    data["problems"] = [{"path": f"/x/test-story/{PAYLOAD_IMG}.txt", "line": 3, "problem": PAYLOAD_SCRIPT}]
    for page in (render_html(data), render_html(data, review=ReviewControls("/decide", "t", "s"))):
        assert_safe(page)
        assert "Note &lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "Eve &lt;img src=x onerror=alert(1)&gt;" in page
        assert "Subject &lt;img" in page and "Message &lt;script&gt;" in page
        assert 'data-kind="k&quot; onmouseover=&quot;alert(1)"' in page
        assert "reopened: &lt;img" in page
        assert "<del>&lt;script&gt;alert(1)&lt;/script&gt;</del>" in page


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)",
                                 "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>",
                                 "//evil.example/x", "http:evil", "https://", "vbscript:x", "", None, 42,
                                 "https://exa mple.org/", "javascript://example.org/%0Aalert(1)",
                                 "ftp://example.org/file"])
def test_unsafe_urls_are_refused(url):
    assert safe_url(url) is None


@pytest.mark.parametrize("url", ["http://example.org", "https://example.org/a?b=1&c=<2>", "HTTPS://Example.org/x"])
def test_web_urls_are_kept(url):
    assert safe_url(url) == url


# --- the words that differ ---------------------------------------------------------------------

def test_only_the_differing_words_are_highlighted():
    page = render_html(contract([age_conflict()]))
    assert diff_marked(page) == ["25", "26"]
    # the verbatim span is marked inside its sentence, the changed number inside the span
    assert 'Jan Kowalski, <mark class="span">aged <mark class="diff">25</mark></mark>, said so.' in page
    assert 'Jan Kowalski, <mark class="span">aged <mark class="diff">26</mark></mark>, said so.' in page


def test_reworded_quote_marks_one_word_per_side():
    quote_a = "We did everything we could to save the ship and the men on board,"
    quote_b = "We did everything we could to rescue the ship and the men on board."
    f = finding("cc-bbbbbbbbbbbb", [evidence("a", quote_a, f'"{quote_a}" Ustinov said.'),
                                    evidence("b", quote_b, f'He said: "{quote_b}"')],
                kind="quote_wording", severity="warning")
    assert diff_marked(render_html(contract([f]))) == ["save", "rescue"]


def test_hyphenated_numbers_and_spellings():
    age = finding("cc-cccccccccccc", [evidence("a", "a 25-year-old man"), evidence("b", "a 26-year-old man")])
    name = finding("cc-cccccccccccd", [evidence("a", "Odessa", "born in Odessa, Ukraine"),
                                       evidence("a", "Odessa", "Odessa again"),
                                       evidence("b", "Odesa", "born in Odesa, Ukraine")],
                   kind="spelling_variant", severity="warning")
    # the odd spelling first, the common one's second use folded but still marked
    assert diff_marked(render_html(contract([age, name]))) == ["25-year-old", "26-year-old",
                                                               "Odesa", "Odessa", "Odessa"]


def test_same_words_in_every_source_mark_nothing():
    # typography and case are not a difference between sources
    f = finding("cc-dddddddddddd", [evidence("a", "I\u2019m going back."), evidence("b", "i'm going back")],
                kind="quote_missing", severity="info")
    assert diff_marked(render_html(contract([f]))) == []


def test_a_longer_excerpt_is_not_a_difference():
    short = "I am going to join efforts on the ground."
    long = "I spent days at home. I am going to joining efforts on the ground. That is all."
    f = finding("cc-eeeeeeeeeeee", [evidence("a", short), evidence("b", long)], kind="quote_wording")
    assert diff_marked(render_html(contract([f]))) == ["join", "joining"]


# --- review ------------------------------------------------------------------------------------

def test_review_controls_give_each_finding_a_form():
    findings = [age_conflict(), finding("cc-ffffffffffff", [evidence("a", "x")], severity="info")]
    page = render_html(contract(findings), review=ReviewControls("/decide", "tok&en", "test-story"))
    found = tags(page)
    forms = [a for t, a in found if t == "form"]
    assert [f["data-finding"] for f in forms] == ["cc-aaaaaaaaaaaa", "cc-ffffffffffff"]
    assert all(f["class"] == "review-form" and f["method"] == "post" and f["action"] == "/decide" for f in forms)
    hidden = [(a["name"], a["value"]) for t, a in found if t == "input" and a.get("type") == "hidden"]
    assert hidden.count(("csrf_token", "tok&en")) == 2
    assert hidden.count(("story", "test-story")) == 2
    assert ("finding_id", "cc-aaaaaaaaaaaa") in hidden and ("finding_id", "cc-ffffffffffff") in hidden
    buttons = [a for t, a in found if t == "button" and a.get("name") == "status"]
    assert len(buttons) == 8  # both findings are open: nothing to reopen
    assert [b["data-action"] for b in buttons[:4]] == ["confirmed", "dismissed", "follow-up", "corrected"]
    assert all(b["value"] == b["data-action"] for b in buttons)
    assert len([a for t, a in found if t == "textarea" and a.get("name") == "note"]) == 2
    assert len([a for t, a in found if t == "input" and a.get("name") == "by"]) == 2
    assert "0 decisions so far" in page
    for label in ("Confirm", "Dismiss", "Follow up", "Corrected"):
        assert f">{label}</button>" in page
    assert ">Reopen</button>" not in page


def test_no_forms_without_review_controls(example_page):
    assert "<form" not in example_page
    assert "<form" not in render_html(contract([age_conflict()]))


def test_dismissed_finding_shows_status_and_note():
    review = {"status": "dismissed", "note": "Both right: birthday in between", "reviewer": "Anna",
              "decided_at": "2024-05-01T10:00:00+00:00", "reopened_because": None, "decisions": 2}
    page = render_html(contract([age_conflict(review=review), finding("cc-gggggggggggg", [evidence("a", "x")])]))
    card = next(a for t, a in tags(page) if t == "article" and a["id"] == "cc-aaaaaaaaaaaa")
    assert card["data-status"] == "dismissed"
    assert '<span class="status status-dismissed" data-status="dismissed">Dismissed</span>' in page
    assert "Both right: birthday in between" in page and "by Anna" in page and "2 decisions" in page
    assert "reopened:" not in page
    # the other finding has no review yet: open
    assert '<span class="status status-open" data-status="open">Open</span>' in page
    assert "<strong>Review:</strong> 1 open, 1 dismissed" in page


def test_reopened_finding_says_why():
    review = {"status": "open", "note": "", "reviewer": "Ben", "decided_at": "2024-05-01T10:00:00",
              "reopened_because": "the evidence changed", "decisions": 3}
    page = render_html(contract([age_conflict(review=review)]), review=ReviewControls("/decide", "t", "s"))
    assert 'class="reopened">reopened: the evidence changed</p>' in page
    assert "3 decisions so far" in page
    current = [a for t, a in tags(page) if t == "button" and a.get("class") == "current"]
    assert [b["data-action"] for b in current] == ["open"]


# --- other content -----------------------------------------------------------------------------

def test_no_findings_problems_and_footer():
    data = contract([], problems=[{"path": "/x/test-story/bad.json", "line": 4, "problem": "not JSON"}])
    page = render_html(data)
    assert "No findings: the sources agree on every claim checked." in page
    assert 'id="filters"' not in page
    assert "skipped <code>bad.json:4</code>: not JSON" in page
    assert "resolve before publishing" in page  # what the severities mean
    assert_safe(page)


def test_without_optional_fields():
    # a contract saved before articles had urls and findings had reviews still renders
    data = contract([age_conflict()])
    for article in data["articles"]:
        article.pop("url", None)
    page = render_html(data)
    assert "<th>Link</th>" not in page
    assert "2024-03-05 (est.)" in page
    assert 'data-status="open"' in page


def test_a_finding_without_a_subject_says_it_is_about_the_whole_story():
    from checker.report.markdown import render_markdown

    f = age_conflict(subject="")
    f["claim_type"] = "count"
    data = contract([f])
    assert "<span>count (whole story)</span>" in render_html(data)
    assert "- About: count (whole story)" in render_markdown(data)
    assert ": </span>" not in render_html(data)


# --- what to fix first, folded info, the odd one first -------------------------------------------

def test_fix_first_lists_errors_then_disputes_then_updates_one_line_each():
    update = finding("cc-000000000003", [evidence("a", "12"), evidence("b", "13")], severity="warning",
                     message="How many people were injured: 12 (Wire A, 4 Mar), updated to 13 (Paper B, 5 Mar)",
                     details={"notes": ["updated figure: 12 → 13"]})
    spelling = finding("cc-000000000002", [evidence("a", "Odessa"), evidence("b", "Odesa")], severity="warning",
                       kind="spelling_variant", message='Which spelling: "Odessa" (Wire A) or "Odesa" (Paper B)?')
    error = age_conflict(message="How old is Jan Kowalski: 25 (Wire A) or 26 (Paper B)?")
    note = finding("cc-000000000004", [evidence("a", "9")], severity="info", message="Only Wire A says how many: 9")
    page = render_html(contract([update, spelling, error, note]))
    fix = page[page.index('<section id="fix-first"'):page.index("</section>", page.index('id="fix-first"'))]
    order = re.findall(r'<li>.*?<a href="#([^"]+)"', fix)
    assert order == ["cc-aaaaaaaaaaaa", "cc-000000000002", "cc-000000000003"]  # no info line
    assert fix.count('class="badge update"') == 1
    assert page.index('id="fix-first"') < page.index('id="sources"')
    # the update's card says so too
    card = page[page.index('id="cc-000000000003"'):]
    assert 'class="badge update">Update<' in card[:card.index("</article>")]


def test_info_findings_are_folded_closed():
    note = finding("cc-000000000004", [evidence("a", "9")], severity="info", message="Only Wire A says how many: 9")
    page = render_html(contract([age_conflict(), note]))
    fold = page[page.index('<details class="info-fold">'):]
    assert "<details class=\"info-fold\" open" not in page
    assert fold.index('id="cc-000000000004"') < fold.index("</details>")
    assert "1 info finding:" in fold


def test_most_common_value_folded_after_the_odd_one():
    common = [evidence(f"w{n}", "Piedmont", f"Traffic on Piedmont Road ({n}).") for n in range(6)]
    odd = evidence("odd", "Piemont", "Agents searched along Piemont Road.")
    spelling = finding("cc-000000000005", common[:3] + [odd] + common[3:], severity="warning",
                       kind="spelling_variant", message='Which spelling: "Piemont" (odd) or "Piedmont" (6 mentions: w0, w1 and 4 others)?')
    page = render_html(contract([spelling]))
    card = page[page.index('id="cc-000000000005"'):]
    shown = card[:card.index("<details")]
    assert shown.index("Agents searched along") < shown.index("Road (0)")
    assert "Road (1)" not in shown
    folded = card[card.index('<details class="more-evidence">'):card.index("</details>")]
    assert "5 more giving &quot;Piedmont&quot;" in folded and "Road (5)" in folded
