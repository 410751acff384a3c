"""The report as JSON: the contract itself (``checker.pipeline.check.result_to_dict``)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from checker.report.common import dumps_json, jsonable

if TYPE_CHECKING:
    from checker.pipeline.check import StoryResult

def render_json(data: dict, result: StoryResult | None = None) -> str:
    """The contract itself, indented; NaN and infinities become null."""
    return dumps_json(jsonable(data), indent=2, allow_nan=False) + "\n"
