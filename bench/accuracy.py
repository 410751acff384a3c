"""Accuracy benchmark: recall on injected inconsistencies, false alarms on harmless edits, and
the noise claimcheck makes on unchanged stories.

    python bench/accuracy.py [--seed 1] [--per-type 2] [--jobs 2] [--json out.json]
    python bench/accuracy.py --compare old.json new.json

Stories: the bundled example and every story under ../shared/corpora/duc0607-newswire-clusters
(or --stories PATH ...). For each story, bench/edits.py finds facts that two articles state and
changes one in one article only (count, age, date, duration, name respelling, a word in a shared
quote, words cut from a shared quote, a negated statement), plus meaning-keeping controls
(number and date format, a cut marked with "...", a contraction). Each edited story is checked
again with the default rules:
- an inconsistent edit is *detected* when a warning or error has evidence in the edited article
  that overlaps the changed span;
- a control is a *false alarm* when such a finding appears.
Sites that an unchanged-story warning or error already covers are not used.

Noise: warnings and errors on the unchanged stories, per story, and the share of them judged
real by hand in bench/accuracy_judgements.yaml (finding id, real or not, why).

Witnesses: bench/edits.py takes a value as stated by two articles when the sentences share words
near it, and is sometimes wrong (two different happenings on one Tuesday); such an edit
contradicts nothing. bench/witness_judgements.yaml says by hand, site by site, whether another
article really states the same fact; the table also gives recall on the edits at sites judged so
("confirmed"), beside recall on all edits, which stays the headline figure.

Everything is seeded (--seed); vary it when tuning. The JSON holds every case (story, type,
article, offsets, old and new value, what was found) so two runs can be compared; it holds short
values from the articles, so keep it out of the repository (bench/results/ is ignored by git).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import yaml

from edits import CONSISTENT, EDIT_TYPES, INCONSISTENT, Edit, sentences
from checker import __version__
from checker.pipeline.check import check_story
from checker.pipeline.rules_file import load_rules
from claims.read import Story, read_story

ROOT = Path(__file__).resolve().parent.parent


DUC = ROOT.parent / "shared" / "corpora" / "duc0607-newswire-clusters"
EXAMPLE = ROOT / "examples" / "maks-returns-to-poland"
JUDGEMENTS = ROOT / "bench" / "accuracy_judgements.yaml"
WITNESSES = ROOT / "bench" / "witness_judgements.yaml"
FLAGGING = ("error", "warning")
# the controls that pair with each inconsistent type, for balanced accuracy
PAIRS = {"count": "number_format", "duration": "number_format", "date": "date_format",
         "quote_cut": "quote_ellipsis", "negation": "contraction"}
# SummEdits (Laban et al., 2023), balanced accuracy on single edits to real documents
SUMMEDITS = {"GPT-4": 82.4, "human": 91.0}


def default_stories() -> list[Path]:
    stories = [EXAMPLE]
    if DUC.is_dir():
        stories += sorted(p for p in DUC.iterdir() if p.is_dir())
    return stories


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def flagged_spans(findings) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = {}
    for f in findings:
        if f.severity in FLAGGING:
            for e in f.evidence:
                spans.setdefault(e.article, []).append((e.start, e.end))
    return spans


def choose_edits(story: Story, docs, baseline_findings, seed: int, per_type: int, types: list[str]) -> list[Edit]:
    """Up to ``per_type`` edits of each type, at sites no unchanged-story finding covers, spread
    over different articles; reproducible from (seed, story, type)."""
    sents = [s for d in docs for s in sentences(d)]
    already = flagged_spans(baseline_findings)
    chosen = []
    for kind in types:
        rng = random.Random(f"{seed}:{story.id}:{kind}")
        candidates = {}
        for edit in EDIT_TYPES[kind](docs, sents, rng):
            spans = [(s, e) for s, e, _ in edit.spans]
            if not _overlaps_any(spans, already.get(edit.article, [])):
                candidates.setdefault(edit.key, edit)
        pool = list(candidates.values())
        rng.shuffle(pool)
        picked, articles = [], set()
        for edit in pool:  # first pass: one per article
            if len(picked) < per_type and edit.article not in articles:
                picked.append(edit)
                articles.add(edit.article)
        for edit in pool:
            if len(picked) < per_type and edit not in picked:
                picked.append(edit)
        chosen.extend(picked)
    return chosen


def _overlaps_any(spans, others) -> bool:
    return any(_overlaps(s, e, others) for s, e in spans)


def run_story(path: str, seed: int, per_type: int, types: list[str]) -> dict:
    """Check one story unchanged and once per edit; return its cases and noise."""
    rules = load_rules()
    t0 = time.perf_counter()
    story = read_story(path)
    baseline = check_story(story, rules)
    baseline_ids = {f.id for f in baseline.findings}
    noise = [{"id": f.id, "rule": f.rule, "severity": f.severity, "subject": f.subject, "message": f.message}
             for f in baseline.findings if f.severity in FLAGGING]
    cases = []
    for edit in choose_edits(story, baseline.docs, baseline.findings, seed, per_type, types):
        started = time.perf_counter()
        articles = [replace(a, text=edit.apply(a.text)) if a.id == edit.article else a for a in story.articles]
        result = check_story(Story(id=story.id, path=story.path, articles=articles, meta=story.meta), rules)
        hits = [f for f in result.findings if f.severity in FLAGGING and any(
            e.article == edit.article and _overlaps(e.start, e.end, edit.changed) for e in f.evidence)]
        elsewhere = [f for f in result.findings
                     if f.severity in FLAGGING and f.id not in baseline_ids and f not in hits]
        cases.append({
            "id": f"{story.id}:{edit.key}", "story": story.id, "type": edit.type, "consistent": edit.consistent,
            "article": edit.article, "witness": edit.witness, "start": edit.spans[0][0],
            "spans": len(edit.spans), "old": edit.old, "new": edit.new,
            "flagged": bool(hits), "rules": sorted({f.rule for f in hits}),
            "other_new_findings": len(elsewhere), "seconds": round(time.perf_counter() - started, 3),
        })
    return {"story": story.id, "articles": len(story.articles), "noise": noise, "cases": cases,
            "seconds": round(time.perf_counter() - t0, 2)}


def load_judgements(path: Path = JUDGEMENTS) -> dict[str, dict]:
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return {j["finding"]: j for j in data}


def load_witnesses(path: Path = WITNESSES) -> dict[str, bool]:
    """site (story:type:article:offset) -> whether another article states the same fact."""
    if not path.is_file():
        return {}
    out = {}
    for j in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        if not isinstance(j.get("same_fact"), bool):
            raise ValueError(f"{path}: site {j.get('site')!r}: same_fact must be true or false")
        out[j["site"]] = j["same_fact"]
    return out


def site_of(case: dict) -> str:
    """Where a case edits, whatever it writes there: "story:type:article:offset"."""
    return f"{case['story']}:{case['type']}:{case['article']}:{case['start']}"


def summarise(stories: list[dict], judgements: dict[str, dict], witnesses: dict[str, bool] | None = None) -> dict:
    cases = [c for s in stories for c in s["cases"]]
    witnesses = witnesses or {}
    by_type = {}
    for kind in INCONSISTENT + CONSISTENT:
        mine = [c for c in cases if c["type"] == kind]
        if not mine:
            continue
        flagged = sum(c["flagged"] for c in mine)
        rules: dict[str, int] = {}
        for c in mine:
            for r in c["rules"]:
                rules[r] = rules.get(r, 0) + 1
        consistent = mine[0]["consistent"]
        by_type[kind] = {"cases": len(mine), "flagged": flagged, "consistent": consistent,
                         "rate": round(100 * flagged / len(mine), 1), "rules": rules,
                         "other_new_findings": round(sum(c["other_new_findings"] for c in mine) / len(mine), 2)}
        judged = [c for c in mine if site_of(c) in witnesses]
        if judged:
            confirmed = [c for c in judged if witnesses[site_of(c)]]
            by_type[kind]["witness"] = {
                "judged": len(judged), "confirmed": len(confirmed),
                "flagged": sum(c["flagged"] for c in confirmed),
                "rate": round(100 * sum(c["flagged"] for c in confirmed) / len(confirmed), 1) if confirmed else None}
    def rate(kinds, consistent):
        mine = [c for c in cases if c["type"] in kinds and c["consistent"] == consistent]
        return 100 * sum(c["flagged"] for c in mine) / len(mine) if mine else None
    balanced = {}
    for kind, control in PAIRS.items():
        recall, alarms = rate([kind], False), rate([control], True)
        if recall is not None and alarms is not None:
            balanced[kind] = round((recall + 100 - alarms) / 2, 1)
    recall_all, alarms_all = rate(INCONSISTENT, False), rate(CONSISTENT, True)
    noise_per_story = {s["story"]: len(s["noise"]) for s in stories}
    noise = [n for s in stories for n in s["noise"]]
    judged = [judgements[n["id"]] for n in noise if n["id"] in judgements]
    real = sum(1 for j in judged if j["real"])
    return {
        "types": by_type,
        "inconsistent_cases": sum(1 for c in cases if not c["consistent"]),
        "consistent_cases": sum(1 for c in cases if c["consistent"]),
        "recall": round(recall_all, 1) if recall_all is not None else None,
        "false_alarm_rate": round(alarms_all, 1) if alarms_all is not None else None,
        "balanced_accuracy": round((recall_all + 100 - alarms_all) / 2, 1)
        if recall_all is not None and alarms_all is not None else None,
        "balanced_by_type": balanced,
        "noise": {"stories": len(stories), "flagged": len(noise),
                  "mean_per_story": round(len(noise) / len(stories), 2) if stories else 0,
                  "max_per_story": max(noise_per_story.values(), default=0), "per_story": noise_per_story,
                  "judged": len(judged), "judged_real": real,
                  "precision": round(100 * real / len(judged), 1) if judged else None,
                  "unjudged": sorted(n["id"] for n in noise if n["id"] not in judgements)},
    }


def print_summary(summary: dict, seconds: float | None = None) -> None:
    print(f"{'type':<25}{'cases':>7}{'flagged':>9}{'rate':>8}{'confirmed':>18}   rules that flagged")
    for kind, row in summary["types"].items():
        label = f"{kind} (control)" if row["consistent"] else kind
        rules = ", ".join(f"{r} {n}" for r, n in sorted(row["rules"].items(), key=lambda x: -x[1]))
        w = row.get("witness")
        confirmed = f"{w['flagged']}/{w['confirmed']} {w['rate']}%" if w and w["confirmed"] else ""
        print(f"{label:<25}{row['cases']:>7}{row['flagged']:>9}{row['rate']:>7.1f}%{confirmed:>18}   {rules}")
    if any("witness" in row for row in summary["types"].values()):
        print("(confirmed: edits at sites where, judged by hand, another article states the same fact; "
              "bench/witness_judgements.yaml)")
    print(f"\ninconsistent edits: {summary['inconsistent_cases']}, recall {summary['recall']}%; "
          f"controls: {summary['consistent_cases']}, false alarms {summary['false_alarm_rate']}%; "
          f"balanced accuracy {summary['balanced_accuracy']}% "
          f"(SummEdits: GPT-4 {SUMMEDITS['GPT-4']}%, human ~{SUMMEDITS['human']}%)")
    if summary["balanced_by_type"]:
        print("balanced accuracy by type (recall with its control): " +
              ", ".join(f"{k} {v}%" for k, v in summary["balanced_by_type"].items()))
    noise = summary["noise"]
    print(f"\nnoise on unchanged stories: {noise['flagged']} warnings+errors in {noise['stories']} stories, "
          f"mean {noise['mean_per_story']}/story, max {noise['max_per_story']}; judged {noise['judged']}, "
          f"real {noise['judged_real']}, precision {noise['precision']}%, unjudged {len(noise['unjudged'])}")
    worst = sorted(noise["per_story"].items(), key=lambda kv: -kv[1])[:5]
    print("noisiest stories: " + ", ".join(f"{k} {v}" for k, v in worst))
    if seconds is not None:
        print(f"wall time {seconds:.1f} s")


def compare(old_path: Path, new_path: Path) -> None:
    old, new = (json.loads(Path(p).read_text(encoding="utf-8")) for p in (old_path, new_path))
    print(f"{'type':<15}{'old':>8}{'new':>8}{'change':>8}{'confirmed old':>15}{'new':>8}")
    for kind in INCONSISTENT + CONSISTENT:
        a, b = old["summary"]["types"].get(kind), new["summary"]["types"].get(kind)
        if a or b:
            ra, rb = (a or {}).get("rate"), (b or {}).get("rate")
            delta = f"{rb - ra:+.1f}" if ra is not None and rb is not None else ""
            wa, wb = ((row or {}).get("witness", {}).get("rate") or "" for row in (a, b))
            print(f"{kind:<15}{str(ra):>8}{str(rb):>8}{delta:>8}{str(wa):>15}{str(wb):>8}")
    for key in ("recall", "false_alarm_rate", "balanced_accuracy"):
        print(f"{key}: {old['summary'][key]} -> {new['summary'][key]}")
    print(f"noise per story: {old['summary']['noise']['mean_per_story']} -> {new['summary']['noise']['mean_per_story']}")
    old_cases = {c["id"]: c for s in old["stories"] for c in s["cases"]}
    new_cases = {c["id"]: c for s in new["stories"] for c in s["cases"]}
    shared = sorted(set(old_cases) & set(new_cases))
    print(f"\n{len(shared)} cases in both runs ({len(old_cases)} old, {len(new_cases)} new)")
    for label, test in (("better", lambda a, b: a["flagged"] != b["flagged"] and b["flagged"] != b["consistent"]),
                        ("worse", lambda a, b: a["flagged"] != b["flagged"] and b["flagged"] == b["consistent"])):
        changed = [cid for cid in shared if test(old_cases[cid], new_cases[cid])]
        print(f"{label}: {len(changed)}")
        for cid in changed:
            print(f"  {cid}  {new_cases[cid]['rules'] or old_cases[cid]['rules']}")
    old_noise = {n["id"] for s in old["stories"] for n in s["noise"]}
    new_noise = {n["id"]: n for s in new["stories"] for n in s["noise"]}
    appeared = [n for i, n in new_noise.items() if i not in old_noise]
    gone = old_noise - set(new_noise)
    print(f"noise findings: {len(appeared)} new, {len(gone)} gone")
    for n in appeared:
        print(f"  + {n['id']} {n['rule']}: {n['message'][:120]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", nargs="*", type=Path, help="story folders (default: bundled + DUC)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-type", type=int, default=3, help="edits of each type per story")
    parser.add_argument("--types", nargs="*", default=INCONSISTENT + CONSISTENT, choices=INCONSISTENT + CONSISTENT)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", type=Path, help="write every case and the summary here")
    parser.add_argument("--judgements", type=Path, default=JUDGEMENTS)
    parser.add_argument("--witnesses", type=Path, default=WITNESSES, help="hand judgements of the edited sites")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("OLD", "NEW"))
    parser.add_argument("--misses", action="store_true", help="list every missed edit and false alarm")
    args = parser.parse_args(argv)
    if args.compare:
        compare(*args.compare)
        return 0
    stories = args.stories or default_stories()
    started = time.perf_counter()
    jobs = [(str(p), args.seed, args.per_type, args.types) for p in stories]
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            results = list(pool.map(run_story, *zip(*jobs)))
    else:
        results = [run_story(*job) for job in jobs]
    seconds = time.perf_counter() - started
    summary = summarise(results, load_judgements(args.judgements), load_witnesses(args.witnesses))
    print_summary(summary, seconds)
    if args.misses:
        for s in results:
            for c in s["cases"]:
                if c["flagged"] == c["consistent"]:
                    what = "FALSE ALARM" if c["consistent"] else "missed"
                    print(f"{what:<12}{c['type']:<15}{c['story'][:28]:<29}{c['article']:<22}"
                          f"{c['start']:>6} {c['old']!r} -> {c['new']!r} {c['rules']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"tool": {"name": "claimcheck", "version": __version__},
                                         "seed": args.seed, "per_type": args.per_type, "seconds": round(seconds, 1),
                                         "summary": summary, "stories": results}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
