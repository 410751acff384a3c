"""Build articles and stories from fixture text, for data-driven tests."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import yaml

from claims.context import ExtractContext
from claims.clean import clean
from claims.entities import StoryEntities
from claims.model import Article
from claims.read import parse_published

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "maks-returns-to-poland"
DUC = ROOT.parent / "shared" / "corpora" / "duc0607-newswire-clusters"


def load_cases(folder: str) -> list[tuple[str, dict, dict]]:
    """(test id, file-level data, case) for every case of every fixture file in the folder."""
    out = []
    for path in sorted((FIXTURES / folder).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            out.append((f"{path.stem}: {case['name']}", data, case))
    return out


def article(text: str, art_id: str = "a", published=None, outlet: str | None = None) -> Article:
    when = published if isinstance(published, datetime) or published is None else parse_published(published)
    return Article(id=art_id, path=f"{art_id}.txt", text=text, published=when, outlet=outlet)


def contexts(articles: list[Article]) -> list[ExtractContext]:
    docs = [clean(a) for a in articles]
    entities = StoryEntities(docs)
    return [ExtractContext(doc=d, entities=entities, reference_time=d.article.published) for d in docs]


def claim_field(claim, key: str):
    return getattr(claim, key) if hasattr(claim, key) else claim.extra.get(key)


def run_cli(capsys, *args) -> tuple[int, str, str]:
    """Run ``claimcheck ARGS`` in this process (fast: no interpreter start-up, no pandas import);
    (exit code, stdout, stderr). No run may ever print a traceback."""
    from checker.cli import run

    capsys.readouterr()
    code = run([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err, err
    return code, out, err


HARBOUR_FIRE = FIXTURES / "stories" / "harbour-fire"


def story_with_toll_conflict(folder: Path, name: str = "harbour-fire") -> Path:
    """The harbour-fire fixture copied to ``folder/name`` with Paper B giving 14 dead instead of
    12: one count conflict (an error) to review."""
    import shutil

    story = folder / name
    shutil.copytree(HARBOUR_FIRE, story)
    paper = story / "paper-b.txt"
    paper.write_text(paper.read_text(encoding="utf-8").replace("killed 12 sailors", "killed 14 sailors"),
                     encoding="utf-8")
    return story


@contextmanager
def serving(story: Path, db: Path, **options):
    """``claimcheck serve`` for one story on a free loopback port, in a background thread."""
    import threading

    from checker.review.store import ReviewStore
    from checker.review.server import make_server

    options.setdefault("port", 0)
    server = make_server([story], ReviewStore(db), quiet=True, **options)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def hostile_story(folder: Path, payload: str, after: str) -> Path:
    """The toll-conflict story with ``payload`` (web text meant to run in a browser) written into
    Paper B after ``after`` and into its outlet name."""
    import json

    story = story_with_toll_conflict(folder)
    paper = story / "paper-b.txt"
    text = paper.read_text(encoding="utf-8")
    assert after in text
    paper.write_text(text.replace(after, f"{after} {payload}"), encoding="utf-8")
    meta = story / "meta.json"
    meta.write_text(meta.read_text(encoding="utf-8").replace('"Paper B"', json.dumps(f"Paper B {payload}")),
                    encoding="utf-8")
    return story


REPORT_STORY = "tests/fixtures/reports/ferry-pier"


def check_report_story():
    """The report fixture story checked with the shipped rules from the repository root (so the
    report's paths are relative, as in the expected files): its JSON data and its result."""
    import pytest

    from checker.pipeline.check import check_story, result_to_dict
    from checker.pipeline.rules_file import load_rules

    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        result = check_story(REPORT_STORY, load_rules("rules.yaml"))
    return result_to_dict(result), result

