"""Screenshots of the bundled story's HTML report for the docs (top of the page; a spelling card).

    .venv/bin/python docs/screenshots/shoot.py

Reads reports/maks-returns-to-poland.html (regenerate it first, see README) and writes
docs/screenshots/report-top.png and docs/screenshots/spelling-card.png with Playwright driving
Debian's Chromium (/usr/bin/chromium).
"""
from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "reports" / "maks-returns-to-poland.html"
OUT = Path(__file__).resolve().parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main() -> None:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
        page.goto(REPORT.as_uri())
        page.screenshot(path=str(OUT / "report-top.png"))
        card = page.locator("article.finding[data-kind='spelling_variant']").first
        card.scroll_into_view_if_needed()
        card.screenshot(path=str(OUT / "spelling-card.png"))
        browser.close()


if __name__ == "__main__":
    main()
