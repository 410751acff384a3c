"""Report writers: the JSON contract of a checked story rendered as text, JSON, Markdown, CSV,
HTML, linter lines (``line``), SARIF or GitHub Actions annotations (``github``), one module per format (``common`` holds what they share), the claims listing
(``claims_table``) and the nightly run's index page (``nightly_index``). Imports
``checker.pipeline``, ``checker.engine``, ``checker.console`` and ``claims``.

A format is a module ``checker/report/<format>.py`` with ``render_<format>(data, result=None)
-> str`` that works from the contract dict alone, named in ``FORMATS`` (the command line offers
exactly these); its expected output for a fixture story is ``tests/fixtures/reports/``.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from checker.pipeline.check import StoryResult

# the formats in the order the command line lists them; each module is imported when first used
FORMATS = ("text", "json", "markdown", "csv", "html", "line", "sarif", "github")


def render(fmt: str, data: dict, result: StoryResult | None = None, **options: Any) -> str:
    """Render ``data`` in ``fmt``; ``options`` (color, width) apply to the text format only,
    ``show_info`` (list info findings rather than count them) to text and Markdown."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r} (known: {', '.join(FORMATS)})")
    renderer = getattr(import_module(f"checker.report.{fmt}"), f"render_{fmt}")
    if fmt == "text":
        return renderer(data, result, **options)
    if fmt == "markdown" and "show_info" in options:
        return renderer(data, result, show_info=options["show_info"])
    return renderer(data, result)
