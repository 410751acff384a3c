"""Report writers: the JSON contract of a checked story rendered as text, JSON, Markdown, CSV or
HTML, one module per format (``common`` holds what they share), the claims listing
(``claims_table``) and the nightly run's index page (``nightly_index``). Imports
``checker.pipeline``, ``checker.engine``, ``checker.console`` and ``claims``."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from checker.report import csv, html, json, markdown, text

if TYPE_CHECKING:
    from checker.pipeline.check import StoryResult

RENDERERS: dict[str, Callable[..., str]] = {
    "text": text.render_text, "json": json.render_json, "markdown": markdown.render_markdown,
    "csv": csv.render_csv, "html": html.render_html,
}


def render(fmt: str, data: dict, result: StoryResult | None = None, **options: Any) -> str:
    """Render ``data`` in ``fmt``; ``options`` (color, width) apply to the text format only."""
    if fmt not in RENDERERS:
        raise ValueError(f"unknown report format {fmt!r} (known: {', '.join(RENDERERS)})")
    if fmt == "text":
        return text.render_text(data, result, **options)
    return RENDERERS[fmt](data, result)
