"""Event tracking against ECB+ gold: does the story fact model put two values in one fact
exactly when they are one real-world thing?

    python bench/ecb_events.py [--json FILE] [--pairwise]

ECB+ (../shared/corpora/ecbplus, topics 1-35; Cybulska & Vossen 2014) annotates, in some
sentences of each article ("checked" sentences), event mentions and time and participant
mentions, and chains them across articles. For every date/time claim and every count claim
that claimcheck extracts inside a checked sentence, two gold keys are read:

- event: the cross-document chain of the event mention nearest to the claim in its sentence
  (what the value is the date or count *of*, as near as the annotation lets us say);
- referent: the chain of the time or participant mention the claim's own words are part of
  ("Monday", "Ten" in "Ten dead"), when there is one.

For every two claims of one type in different articles that both have a key, the pair is the
same in gold when the keys are equal, and the same for claimcheck when the claims belong to one
fact (``StoryResult.facts``). Pairwise precision, recall and F1 are printed per key and claim
type, for the ECB+ stories of bench/gold's dev split (tuned on) and for all the others.
``--pairwise`` scores what the pairwise alignment alone would group (connected components of
its links, the grouping before the story fact model), on the same claims.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

from checker.pipeline.check import check_story
from checker.pipeline.rules_file import load_rules

ROOT = Path(__file__).resolve().parent.parent
ECB = ROOT.parent / "shared" / "corpora" / "ecbplus"
GOLD = ROOT / "bench" / "gold"
TYPES = ("date", "count")


def tuned_stories() -> set[str]:
    """The stories of bench/gold's dev split: the ones the fact model was tuned on."""
    out = set()
    for path in GOLD.glob("disagreements_*.tsv"):
        with path.open(encoding="utf-8", newline="") as handle:
            out |= {r["story"] for r in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
                    if r["split"] == "dev"}
    return out


def gold_keys(story: Path) -> dict[str, tuple[dict, list, list]]:
    """article id -> (checked sentence spans, event mentions, time/participant mentions)."""
    data = json.loads((story / "gold" / "annotations.json").read_text(encoding="utf-8"))
    out = {}
    for doc_id, doc in data["documents"].items():
        checked = set(doc.get("checked_sentences") or [])
        sentences = {s[0]: (s[1], s[2]) for s in doc["sentences"] if s[0] in checked}

        def mentions(categories):
            return [(m["start"], m["end"], m["instance_id"], m["sentence"]) for m in doc["mentions"]
                    if m.get("category") in categories and m.get("instance_id") and m["sentence"] in checked]
        out[doc_id] = (sentences, mentions(("event",)),
                       mentions(("time", "human_participant", "non_human_participant")))
    return out


def key_of(claim, gold, which: str) -> str | None:
    if claim.article not in gold:
        return None
    sentences, events, referents = gold[claim.article]
    sentence = next((i for i, (s, e) in sentences.items() if s <= claim.start < e), None)
    if sentence is None:
        return None
    if which == "referent":
        hit = [chain for start, end, chain, _ in referents if start < claim.end and claim.start < end]
        return hit[0] if hit else None
    near = [(min(abs(claim.start - end), abs(start - claim.end)), chain)
            for start, end, chain, sent in events if sent == sentence]
    return min(near)[1] if near else None


def score(pairs: list[tuple[bool, bool]]) -> dict:
    tp = sum(g and p for g, p in pairs)
    fp = sum(p and not g for g, p in pairs)
    fn = sum(g and not p for g, p in pairs)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"pairs": len(pairs), "gold_same": tp + fn, "predicted_same": tp + fp,
            "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def pairwise_groups(result) -> dict[int, str]:
    """claim index -> group: connected components of the alignment links and word-for-word copies."""
    from checker.engine.align import components
    from checker.engine.facts import ALIGNMENT

    group: dict[int, str] = {}
    for built in result.context.resolved_facts() if result.context else []:
        for block in built.blocks:
            edges = [(a, b) for (a, b), link in block.links.items() if link.sources & ALIGNMENT]
            edges += [(members[0].index, c.index) for members in block.copies.values() for c in members[1:]]
            nodes = [c.index for members in block.copies.values() for c in members]
            for n, comp in enumerate(components(nodes, edges)):
                if len(comp) > 1:
                    for i in comp:
                        group[i] = f"{id(block)}-{n}"
    return group


def evaluate(stories: list[Path], pairwise: bool = False) -> dict:
    rules = load_rules()
    tuned = tuned_stories()
    pairs: dict[tuple, list] = defaultdict(list)
    for story in stories:
        result = check_story(story, rules)
        fact_of = pairwise_groups(result) if pairwise else {c.index: fact.id for fact in result.facts for c in fact.claims}
        gold = gold_keys(story)
        part = "tuned" if story.name in tuned else "not tuned"
        for which in ("event", "referent"):
            for claim_type in TYPES:
                keyed = [(c, key_of(c, gold, which)) for c in result.claims if c.claim_type == claim_type]
                keyed = [(c, k) for c, k in keyed if k]
                for i, (a, ka) in enumerate(keyed):
                    for b, kb in keyed[i + 1:]:
                        if a.article != b.article:
                            same = a.index in fact_of and fact_of.get(a.index) == fact_of.get(b.index)
                            pairs[(which, part, claim_type)].append((ka == kb, same))
    report = {}
    for which in ("event", "referent"):
        for part in ("tuned", "not tuned"):
            for claim_type in (*TYPES, "all"):
                got = [p for (w, pt, t), v in pairs.items() if w == which and pt == part
                       and (claim_type == "all" or t == claim_type) for p in v]
                report[f"{which} / {part} / {claim_type}"] = score(got)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--pairwise", action="store_true", help="score the pairwise alignment's grouping instead")
    args = parser.parse_args()
    if not ECB.is_dir():
        print(f"ECB+ not found at {ECB}", file=sys.stderr)
        return 2
    report = evaluate(sorted(p for p in ECB.glob("[0-9]*") if p.is_dir()), args.pairwise)
    for key, figures in report.items():
        print(f"{key:32} P {figures['precision']:.3f}  R {figures['recall']:.3f}  F1 {figures['f1']:.3f}  "
              f"({figures['pairs']} pairs, {figures['gold_same']} same in gold)")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
