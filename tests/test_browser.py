"""Review in a real browser: Playwright drives Debian's Chromium against ``claimcheck serve``.

Skipped where Chromium or Playwright is missing, unless ``CLAIMCHECK_REQUIRE_BROWSER=1`` (set by
``.ci/run``, which installs both), so CI can never pass by skipping it. Set
``CLAIMCHECK_SCREENSHOT_DIR`` to keep the screenshots.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from helpers import hostile_story, serving, story_with_toll_conflict

CHROMIUM = os.environ.get("CLAIMCHECK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# what Chromium needs on these machines: run as root without a sandbox, and no calls home
# (the closed network refuses them, many at a time)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _require_browser():
    required = os.environ.get("CLAIMCHECK_REQUIRE_BROWSER") == "1"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            pytest.fail("playwright is not installed (pip install -e '.[test]')")
        pytest.skip("playwright is not installed")
    if not Path(CHROMIUM).exists():
        if required:
            pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
        pytest.skip("Chromium is not installed")
    return sync_playwright


@pytest.fixture()
def browser(tmp_path):
    sync_playwright = _require_browser()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def keep_screenshot(path: Path) -> None:
    folder = os.environ.get("CLAIMCHECK_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(folder) / path.name)


def test_dismiss_with_a_note_and_see_it_after_reload(browser, tmp_path):
    story = story_with_toll_conflict(tmp_path)
    with serving(story, tmp_path / "review.db", reviewer="browser-test") as server:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        problems: list[str] = []
        page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        page.goto(server.url + "story/harbour-fire")

        [finding] = [f for f in server.stories["harbour-fire"].data["findings"] if f["rule"] == "count-conflict"]
        form = page.locator(f'form.review-form[data-finding="{finding["id"]}"]')
        form.locator('textarea[name="note"]').fill("Paper B also counts two dock workers")
        with page.expect_navigation():
            form.locator('button[data-action="dismissed"]').click()
        assert page.url.endswith(f"/story/harbour-fire#{finding['id']}")

        page.reload()
        card = page.locator(f'[id="{finding["id"]}"]')
        badge = card.locator(".status").first
        assert badge.get_attribute("data-status") == "dismissed"
        assert "Paper B also counts two dock workers" in card.inner_text()
        assert "browser-test" in card.inner_text()
        [decision] = server.store.history("harbour-fire", finding["id"])
        assert (decision.status, decision.note) == ("dismissed", "Paper B also counts two dock workers")

        shot = tmp_path / "review-dismissed.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        keep_screenshot(shot)
        # a CSP hash that does not match our inline script or style shows up here
        assert problems == []


def test_filters_hide_findings_by_review_status(browser, tmp_path):
    story = story_with_toll_conflict(tmp_path)
    with serving(story, tmp_path / "review.db", reviewer="browser-test") as server:
        [finding] = [f for f in server.stories["harbour-fire"].data["findings"] if f["rule"] == "count-conflict"]
        server.store.decide("harbour-fire", finding["id"], "dismissed", "harmless", "ana")
        page = browser.new_page()
        page.goto(server.url + "story/harbour-fire")
        card = page.locator(f'[id="{finding["id"]}"]')
        assert card.is_visible()
        page.locator('input[data-filter="status"][value="dismissed"]').uncheck()
        assert not card.is_visible()
        page.locator('input[data-filter="status"][value="dismissed"]').check()
        assert card.is_visible()


def test_hostile_article_text_runs_nothing(browser, tmp_path):
    payload = '<script>window.pwned = 1; alert(1)</script><img src=x onerror="window.pwned = 2">'
    story = hostile_story(tmp_path, payload, after="killed 14 sailors")
    with serving(story, tmp_path / "review.db", reviewer="browser-test") as server:
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(server.url + "story/harbour-fire")
        page.wait_for_load_state("load")
        assert page.evaluate("window.pwned === undefined")
        assert dialogs == []
        assert "onerror" in page.inner_text("body")  # shown as text, not run


def test_the_reviewer_name_is_remembered_across_pages(browser, tmp_path):
    story = story_with_toll_conflict(tmp_path)
    with serving(story, tmp_path / "review.db", reviewer="browser-test") as server:
        context = browser.new_context()
        page = context.new_page()
        page.goto(server.url + "story/harbour-fire")
        findings = server.stories["harbour-fire"].data["findings"]
        first = page.locator(f'form.review-form[data-finding="{findings[0]["id"]}"]')
        assert first.locator('input[name="by"]').input_value() == ""
        assert first.locator('button[data-action="open"]').count() == 0  # nothing to reopen yet
        first.locator('input[name="by"]').fill("Ana Lopez")
        with page.expect_navigation():
            first.locator('button[data-action="confirmed"]').click()
        assert [d.reviewer for d in server.store.history("harbour-fire", findings[0]["id"])] == ["Ana Lopez"]
        later = context.new_page()  # another tab of the same browser: the name is in every form
        later.goto(server.url + "story/harbour-fire")
        names = later.locator('form.review-form input[name="by"]')
        assert [names.nth(i).input_value() for i in range(names.count())] == ["Ana Lopez"] * len(findings)
        decided = later.locator(f'form.review-form[data-finding="{findings[0]["id"]}"]')
        assert decided.locator('button[data-action="open"]').inner_text() == "Reopen"
        context.close()


def _story_with_a_misspelt_road(folder: Path) -> Path:
    """Four reports: three write "Piedmont Road" (eleven times in all), one writes "Piemont Road"
    once; one alone gives an age (an info finding)."""
    story = folder / "road-chase"
    story.mkdir()
    piedmont = ("Police closed Piedmont Road after the chase. Traffic on Piedmont Road backed up for miles. "
                "Shops along Piedmont Road stayed shut. ")
    texts = {
        "wire-a": piedmont * 2 + "The driver, Tom Riley, 52, was arrested.",
        "paper-b": piedmont + "Witnesses on Piedmont Road saw the car.",
        "site-c": piedmont + "The car stopped near Piedmont Road.",
        "radio-d": "Officers searched the area along Piemont Road after the chase.",
    }
    for name, text in texts.items():
        (story / f"{name}.txt").write_text(text, encoding="utf-8")
    return story


def test_report_puts_what_to_fix_first_and_folds_the_rest(browser, tmp_path):
    """The static HTML report: "Fix before publishing" at the top, one line per error or warning;
    the odd spelling's evidence first on its card with the common one's further uses folded; info
    findings folded until the editor opens them."""
    from checker.api import check
    from checker.report.html import render_html

    story = check(_story_with_a_misspelt_road(tmp_path))
    page_file = tmp_path / "report.html"
    page_file.write_text(render_html(story.data), encoding="utf-8")
    loud = [f for f in story.data["findings"] if f["severity"] in ("error", "warning")]
    info = [f for f in story.data["findings"] if f["severity"] == "info"]
    [spelling] = [f for f in loud if f["rule"] == "spelling-variant"]
    assert info and spelling["message"].startswith('Which spelling: "Piemont" (radio-d) or "Piedmont"')

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(page_file.as_uri())
    fix = page.locator("#fix-first li")
    assert fix.count() == len(loud)
    assert page.locator("#fix-first").bounding_box()["y"] < page.locator("#sources").bounding_box()["y"]
    assert "Which spelling" in fix.first.inner_text()

    card = page.locator(f'[id="{spelling["id"]}"]')
    columns = card.locator(".columns").first.locator(".column")
    assert "Piemont" in columns.first.inner_text()  # the odd one first, not behind ten others
    assert columns.count() == 2
    more = card.locator("details.more-evidence")
    assert not more.evaluate("d => d.open") and "more giving \"Piedmont\"" in more.locator("summary").inner_text()

    fold = page.locator("details.info-fold")
    first_info = page.locator(f'[id="{info[0]["id"]}"]')
    assert not fold.evaluate("d => d.open") and not first_info.is_visible()
    fold.locator("summary").click()
    assert first_info.is_visible()
    shot = tmp_path / "report-fix-first.png"
    page.screenshot(path=str(shot), full_page=True)
    keep_screenshot(shot)
