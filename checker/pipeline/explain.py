"""Why two claims were or were not flagged: the decision trace behind ``claimcheck explain``.

A check keeps what it decided (``StoryResult.context`` holds every value rule's facts: its
blocks, the links between claims and the fact each claim resolved to), so explaining needs no
second check. What the check does not keep - the measures behind a link never made, the value
comparison's reason - is recomputed here for the one pair asked about, by the same functions the
check runs (``checker.engine.align.alignment_trace``, ``checker.engine.facts.link_vetoes`` and
``join_refusal``, ``checker.rules.value_conflict.judge_pair`` and ``stated_values``), so nothing
here slows a check down and nothing repeats a rule's logic.

Three questions, each answered in plain sentences (``Explanation.lines``) and as data
(``Explanation.to_dict``, the ``--format json`` contract):

- ``explain_value(result, "118")``: the claims giving that value, and for each its fact, the
  other values of that fact and the nearest claims of the same kind it was not compared with;
- ``explain_claim(result, "c17")``: the same for one claim (ids as ``claimcheck claims`` lists them);
- ``explain_at(result, "a.txt:1234", "b.html:567")``: the two claims at these offsets, compared.

For each pair the answer says which value rule would compare them, whether it did (and if not,
which test, option and threshold kept them apart), which fact each belongs to, and what came
of the comparison: a finding (its id, severity and message), the values agreeing (why), or a
conflict that raised nothing (why).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from claims.errors import InputError
from claims.model import Claim, claim_id
from checker.engine.align import alignment_trace, same_but_number
from checker.engine.facts import (Fact, FactBlock, block_key, join_refusal, link_vetoes, slot,
                                  slot_words)
from checker.engine.rule import Rule
from checker.engine.values import VERDICT_REASONS, value_range
from checker.pipeline.facts import fact_sheet
from checker.rules.value_conflict import compared_pairs, judge_pair, stated_values

VALUE_KIND = "value_conflict"
MAX_MATCHES = 12  # claims explained for one value; the rest are counted
MAX_NEAREST = 3  # claims outside a claim's fact shown as not compared with it, nearest first


@dataclass
class Step:
    """One decision, in words, with the rule option and the figures that decided it."""

    text: str
    option: str | None = None
    value: Any = None
    threshold: Any = None

    def to_dict(self) -> dict:
        return {k: v for k, v in {"text": self.text, "option": self.option, "value": self.value,
                                  "threshold": self.threshold}.items() if v is not None}


@dataclass
class PairAnswer:
    """Whether two claims were compared, which facts they belong to, and what came of it.
    ``verdict``: flagged; not flagged (a conflict, or a pair too unsure, that raised nothing);
    agreed; no conflict (values too unlike to be set against each other: ``max_ratio``); not
    compared."""

    a: Claim
    b: Claim
    verdict: str
    rule: str | None = None
    same_fact: bool | None = None
    facts: list[str | None] = field(default_factory=lambda: [None, None])
    steps: list[Step] = field(default_factory=list)
    finding: dict | None = None

    @property
    def compared(self) -> bool:
        return self.verdict != "not compared"


@dataclass
class ClaimAnswer:
    """One claim: its fact (or why it has none), its fact's status, the findings citing it and
    the pairs that say why each other value was or was not set against it."""

    claim: Claim
    fact: str | None
    notes: list[str]
    findings: list[dict]
    pairs: list[PairAnswer]


@dataclass
class Explanation:
    question: dict
    claims: list[ClaimAnswer]
    pairs: list[PairAnswer]
    facts: dict[str, dict]  # fact id -> the fact sheet's entry
    articles: dict[str, str]  # article id -> outlet
    more: int = 0  # matching claims not explained (past MAX_MATCHES)

    # --- words ------------------------------------------------------------------------------

    def claim_label(self, claim: Claim) -> str:
        outlet = self.articles.get(claim.article) or claim.article
        return f"{claim_id(claim)} {outlet} [{claim.article}] {claim.value!r}"

    def fact_label(self, fact_id: str | None) -> str:
        if fact_id is None:
            return "no fact"
        fact = self.facts.get(fact_id, {})
        return f"'{fact_words(fact)}'" if fact else repr(fact_id)

    def pair_lines(self, pair: PairAnswer) -> list[str]:
        head = f"{self.claim_label(pair.a)} and {self.claim_label(pair.b)}: {pair.verdict}"
        if pair.rule:
            head += f" (rule {pair.rule})"
        lines = [head + "."]
        lines += ["  " + step.text for step in pair.steps]
        return lines

    def lines(self) -> list[str]:
        """The explanation in plain sentences, one per line."""
        out: list[str] = []
        q = self.question
        if q["kind"] == "value":
            n = len(self.claims) + self.more
            out.append(f"{n} claim{'s' if n != 1 else ''} give{'s' if n == 1 else ''} the value {q['value']!r}"
                       + (f" ({self.more} more not shown)" if self.more else "") + ".")
        for answer in self.claims:
            c = answer.claim
            out.append("")
            out.append(f"{self.claim_label(c)}: {_a(c.claim_type)} claim ({str(c.attribute).replace('|', ' ')}), "
                       f"in: {c.sentence}")
            for note in answer.notes:
                out.append("  " + note)
            for finding in answer.findings:
                out.append(f"  Finding {finding['id']} ({finding['severity']}, rule {finding['rule']}): "
                           f"{finding['message']}")
            for pair in answer.pairs:
                out += ["  " + line for line in self.pair_lines(pair)]
        for pair in self.pairs:
            out.append("")
            out += self.pair_lines(pair)
            out.append(f"  {self.claim_label(pair.a)} is in: {pair.a.sentence}")
            out.append(f"  {self.claim_label(pair.b)} is in: {pair.b.sentence}")
        return out if out and out[0] else out[1:]

    def text(self) -> str:
        return "\n".join(self.lines()) + "\n"

    # --- data -------------------------------------------------------------------------------

    def to_dict(self) -> dict:
        def claim(c: Claim) -> dict:
            return {"id": claim_id(c), "article": c.article, "outlet": self.articles.get(c.article),
                    "claim_type": c.claim_type, "attribute": c.attribute, "value": c.value,
                    "normalized": str(c.normalized), "start": c.start, "end": c.end, "sentence": c.sentence}

        def pair(p: PairAnswer) -> dict:
            return {"a": claim_id(p.a), "b": claim_id(p.b), "verdict": p.verdict, "compared": p.compared,
                    "rule": p.rule, "same_fact": p.same_fact, "facts": p.facts,
                    "steps": [s.to_dict() for s in p.steps], "finding": p.finding,
                    "text": " ".join(s.text for s in p.steps)}
        shown = {c.claim.index: c.claim for c in self.claims}
        for p in self.pairs + [p for c in self.claims for p in c.pairs]:
            shown.setdefault(p.a.index, p.a)
            shown.setdefault(p.b.index, p.b)
        return {
            "question": self.question,
            "claims": [claim(c) for c in sorted(shown.values(), key=lambda c: c.index)],
            "answers": [{"claim": claim_id(a.claim), "fact": a.fact, "notes": a.notes,
                         "findings": [f["id"] for f in a.findings], "pairs": [pair(p) for p in a.pairs]}
                        for a in self.claims],
            "pairs": [pair(p) for p in self.pairs],
            "facts": [self.facts[f] for f in sorted({f for f in self._fact_ids() if f in self.facts})],
            "more": self.more,
            "text": self.text(),
        }

    def _fact_ids(self):
        for a in self.claims:
            yield a.fact
            for p in a.pairs:
                yield from p.facts
        for p in self.pairs:
            yield from p.facts


def fact_words(fact: dict) -> str:
    """What a fact is, in words: "people killed", "age of A. Smith" (as the fact sheet says)."""
    attribute, about = fact.get("attribute") or fact.get("kind") or "", fact.get("about") or ""
    if not about:
        return attribute
    return f"{attribute} of {'the ' if fact.get('kind') == 'date' else ''}{about}"


# --- finding the claims asked about ------------------------------------------------------------

def _value_matches(claim: Claim, wanted: str) -> bool:
    """The claim gives this value: as written, normalised, or as a number ("118" matches "118
    workers" and a normalised 118; "Odessa" matches "Odessa" and "odessa")."""
    w = " ".join(wanted.lower().split())
    if not w:
        return False
    value, normalized = " ".join(str(claim.value).lower().split()), str(claim.normalized).lower()
    if w in (value, normalized):
        return True
    number = re.fullmatch(r"[-+]?\d[\d,]*(?:\.\d+)?", w)
    if number and claim.low is not None and claim.low == claim.high:
        try:
            return float(w.replace(",", "")) == float(claim.low)
        except (TypeError, ValueError):
            return False
    if claim.claim_type == "quote":  # a quote holds many words; it gives none of them as its value
        return False
    return bool(re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", value))


_FEED_ARTICLE = re.compile(r"(.*)\[([^\[\]]+)\]")
_LINE_END = re.compile(r"\r\n|\r|\n")  # as the line and github reports count lines


def find_article(result, name: str) -> str:
    """The id of the story's article named by its id, file name or path, or as the line and
    github reports name a feed's article, ``feed.jsonl[id]`` (the feed's name or path, the id)."""
    for article in result.story.articles:
        if name in (article.id, article.path) or name == _file_name(article.path):
            return article.id
    feed_article = _FEED_ARTICLE.fullmatch(name)
    if feed_article:
        feed, wanted = feed_article.groups()
        for article in result.story.articles:
            if article.id == wanted and feed in (article.path, _file_name(article.path)):
                return article.id
    known = ", ".join(a.id for a in result.story.articles)
    raise InputError(name, f"no such article in the story (articles: {known})")


def _file_name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def _offset_of(result, article_id: str, line: int, column: int, where: str) -> int:
    """The offset in the article's text of ``line``:``column`` (both from 1, a column in
    characters), as the line and github reports give a place."""
    text = next(a.text for a in result.story.articles if a.id == article_id)
    starts = [0] + [m.end() for m in _LINE_END.finditer(text)]
    if not 1 <= line <= len(starts) or column < 1:
        raise InputError(where, f"no line {line}, column {column} in the article ({len(starts)} lines)")
    return min(starts[line - 1] + column - 1, len(text))


def _article_and_offset(result, where: str) -> tuple[str, int]:
    """``ARTICLE:OFFSET`` (an offset into the article's text, the JSON report's ``start``), or
    ``ARTICLE:LINE:COL`` (a place as the line and github reports print it)."""
    name, sep, last = where.rpartition(":")
    if not sep or not last.strip().isdigit():
        raise InputError(where, "expected ARTICLE:OFFSET or ARTICLE:LINE:COL, such as a.txt:1234 or "
                                "feed.jsonl[a1]:70")
    try:
        return find_article(result, name), int(last)
    except InputError:
        head, sep, line = name.rpartition(":")
        if not sep or not line.strip().isdigit():
            raise
        article = find_article(result, head)
        return article, _offset_of(result, article, int(line), int(last), where)


def claim_at(result, where: str) -> Claim:
    """The claim at ``ARTICLE:OFFSET`` (the article's id, file name or path, or a feed's article
    as ``feed.jsonl[id]``; the offset into its text, as the JSON report's ``start`` gives it) or
    at ``ARTICLE:LINE:COL`` (a place as the line report prints it): the claim whose span holds
    the offset, a claim a value rule reads before any other, else the nearest claim of its
    sentence."""
    article, offset = _article_and_offset(result, where)
    claims = [c for c in result.claims if c.article == article]
    if not claims:
        raise InputError(where, "the article gives no claims")
    valued = {t for r in result.rules.enabled if r.kind == VALUE_KIND for t in r.claim_types}

    def rank(c: Claim) -> tuple:
        inside = c.start <= offset < max(c.end, c.start + 1)
        distance = 0 if inside else min(abs(offset - c.start), abs(offset - c.end))
        return distance, c.claim_type not in valued, c.index
    best = min(claims, key=rank)
    if rank(best)[0] > 200:
        raise InputError(where, f"no claim at or near offset {offset} (the nearest starts at {best.start})")
    return best


def find_claim(result, cid: str) -> Claim:
    for claim in result.claims:
        if claim_id(claim) == cid.strip():
            return claim
    raise InputError(cid, "no such claim id in the story (ids as 'claimcheck claims STORY' lists them: c0, c1, ...)")


# --- the trace ---------------------------------------------------------------------------------

@dataclass
class _RuleView:
    """One value rule's facts, with where each claim sits in them."""

    rule: Rule
    blocks: list[FactBlock]
    where: dict[int, tuple[int, int]]  # claim index -> (block number, its row's index)

    def locate(self, claim: Claim) -> tuple[FactBlock, int] | None:
        found = self.where.get(claim.index)
        return (self.blocks[found[0]], found[1]) if found else None

    def fact_of(self, claim: Claim) -> Fact | None:
        found = self.locate(claim)
        return found[0].fact_of.get(found[1]) if found else None


class _Tracer:
    def __init__(self, result):
        if result.context is None:
            why = f" ({result.problems[-1]})" if result.problems else ""
            raise InputError(result.story.path, f"the check stopped before the rules ran{why}; nothing to explain")
        self.result, self.ctx = result, result.context
        self.value_rules = [r for r in result.rules.enabled if r.kind == VALUE_KIND]
        self.views: dict[str, _RuleView] = {}
        self.sheet = {f["id"]: f for f in fact_sheet(result)}
        # named as the headlines name them (outlet, else short headline, else file name)
        self.articles = {a.id: result.context.article_label(a.id) for a in result.story.articles}

    def view(self, rule: Rule) -> _RuleView:
        if rule.id not in self.views:
            built = self.ctx.facts(rule.claim_types, rule.params)  # kept from the check
            where = {}
            for n, block in enumerate(built.blocks):
                for row, members in block.copies.items():
                    for c in members:
                        where[c.index] = (n, row)
            self.views[rule.id] = _RuleView(rule, built.blocks, where)
        return self.views[rule.id]

    def rules_for(self, claim: Claim) -> list[Rule]:
        return [r for r in self.value_rules if claim.claim_type in r.claim_types]

    def findings_citing(self, *claims: Claim, dropped: bool = False) -> list:
        """The reported findings citing every one of ``claims`` (``dropped``: those min_severity
        dropped instead)."""
        spans = [(c.article, c.start, c.end) for c in claims]
        among = getattr(self.result, "below_min_severity", []) if dropped else self.result.findings
        return [f for f in among if all(any((e.article, e.start, e.end) == s for e in f.evidence) for s in spans)]

    def dropped_step(self, finding) -> Step:
        return Step(f"Not reported: min_severity is {self.result.rules.min_severity} (the settings file's "
                    f"min_severity or --min-severity), so finding {finding.id} ({finding.severity}) was dropped: "
                    f"{finding.message}")

    def outlet(self, article: str) -> str:
        return self.articles.get(article, article)

    # --- one pair ---------------------------------------------------------------------------

    def pair(self, a: Claim, b: Claim) -> PairAnswer:
        if a.index == b.index:
            return PairAnswer(a, b, "not compared", steps=[Step("These are one claim.")])
        if a.claim_type != b.claim_type:
            return PairAnswer(a, b, "not compared", same_fact=False, steps=[Step(
                f"Not compared: {_a(a.claim_type)} claim and {_a(b.claim_type)} claim are never compared.")])
        rules = self.rules_for(a)
        if not rules:
            steps = [Step(f"Not compared: no enabled value rule reads {a.claim_type} claims "
                          "(a rule of kind value_conflict lists the claim types it compares).")]
            return self._with_other_findings(PairAnswer(a, b, "not compared", steps=steps))
        answers = [self._pair_under(self.view(r), a, b) for r in rules]
        # the rule that got furthest with the pair speaks for it
        order = {"flagged": 0, "not flagged": 1, "agreed": 2, "no conflict": 3, "not compared": 4}
        best = min(answers, key=lambda p: (order[p.verdict], not p.same_fact))
        return self._with_other_findings(best)

    def _with_other_findings(self, answer: PairAnswer) -> PairAnswer:
        if answer.finding is None:
            for finding in self.findings_citing(answer.a, answer.b):
                answer.steps.append(Step(f"Rule {finding.rule} cites both: finding {finding.id} "
                                         f"({finding.severity}): {finding.message}"))
                answer.finding = answer.finding or _finding_dict(finding)
            if answer.finding is None and answer.verdict != "not flagged":
                answer.steps += [self.dropped_step(f) for f in self.findings_citing(answer.a, answer.b, dropped=True)]
        return answer

    def _pair_under(self, view: _RuleView, a: Claim, b: Claim) -> PairAnswer:
        rule, params = view.rule, view.rule.params
        answer = PairAnswer(a, b, "not compared", rule=rule.id)
        steps = answer.steps
        fa, fb = view.fact_of(a), view.fact_of(b)
        answer.facts = [fa.id if fa else None, fb.id if fb else None]
        answer.same_fact = (fa is fb) if fa is not None and fb is not None else False
        at_a, at_b = view.locate(a), view.locate(b)
        if at_a is None or at_b is None:
            missing = a if at_a is None else b
            steps.append(Step(f"Not compared: rule {rule.id} compares only claims whose attribute matches "
                              f"{params['attributes']}, and {claim_id(missing)}'s is '{missing.attribute}'.",
                              option="attributes", value=missing.attribute, threshold=params["attributes"]))
            return answer
        (block_a, row_a), (block_b, row_b) = at_a, at_b
        if block_a is not block_b:
            steps.append(_block_step(rule, a, b))
            steps.append(Step(f"So they are {_facts_words(self, fa, fb)}."))
            return answer
        block = block_a
        if row_a == row_b:
            answer.verdict, answer.same_fact = "agreed", True
            steps.append(Step("The same sentence, value and context word for word (a copy): they count as one "
                              "claim and cannot disagree."))
            return answer
        if block.articles[row_a] == block.articles[row_b] and len(block.articles[row_a]) == 1:
            steps.append(Step(f"Not compared: both are in article {a.article}; value rules compare what different "
                              "articles say (an article contradicting itself is the self-contradiction rule's)."))
            steps.append(Step(f"They are {_facts_words(self, fa, fb)}."))
            return answer
        pair = (min(row_a, row_b), max(row_a, row_b))
        link = block.links.get(pair)
        row_of = {r.index: r for r in block.rows}
        ra, rb = row_of[row_a], row_of[row_b]
        if link is None:
            steps += self._why_not_linked(view, block, ra, rb)
            steps.append(Step(f"So they are {_facts_words(self, fa, fb)}."))
            return answer
        steps.append(_link_step(link, self, view, block, ra, rb))
        if not link.aligned and fa is not fb:
            steps.append(Step(f"Not compared: only the story model ties them, and they ended in two facts "
                              f"({self._fact_name(fa)} and {self._fact_name(fb)}): "
                              f"{join_refusal(block, fa, fb, params)}."))
            return answer
        if fa is fb and fa is not None:
            steps.append(Step(f"Both belong to the fact {self._fact_name(fa)}, so they were compared."))
        else:
            steps.append(Step(f"Aligned claims are always compared, though they ended in "
                              f"{_facts_words(self, fa, fb)}."))
        kind, why = judge_pair(ra, rb, params, self.ctx)
        values = f"{a.value!r} ({a.normalized}) and {b.value!r} ({b.normalized})"
        if kind is None:
            # agreeing values, values too unlike to be set against each other, or a claim too unsure
            answer.verdict = {"unsure": "not flagged", "own news days": "not flagged", "scale": "no conflict",
                              "no range": "no conflict", "max_ratio": "no conflict"}.get(why, "agreed")
            steps.append(self._agree_step(ra, rb, why, values, params))
            return answer
        steps.append(Step(f"The values {values} differ: {_reason(why, ra, rb, params)}."
                          + (" That is only rounding." if kind == "rounding" else "")))
        stated = stated_values(block, row_of, compared_pairs(block, row_of), params)
        refused = stated.why_not(row_a, row_b)
        if refused:
            answer.verdict = "not flagged"
            steps.append(Step(f"No finding: {refused}."))
            return answer
        found = [f for f in self.findings_citing(a, b) if f.rule == rule.id] or self.findings_citing(a, b)
        if found:
            finding = found[0]
            answer.verdict, answer.finding = "flagged", _finding_dict(finding)
            steps.append(Step(f"Flagged: finding {finding.id}, {finding.severity}{_severity_words(finding, rule)}: "
                              f"{finding.message}"))
        else:
            answer.verdict = "not flagged"
            dropped = [f for f in self.findings_citing(a, b, dropped=True) if f.rule == rule.id] or \
                self.findings_citing(a, b, dropped=True)
            if dropped:
                steps.append(self.dropped_step(dropped[0]))
            else:
                steps.append(Step("No finding cites both claims: the conflict was merged into a finding about "
                                  "other claims of the fact, or the check stopped early."))
        return answer

    def _fact_name(self, fact: Fact | None) -> str:
        if fact is None:
            return "no fact (unresolved)"
        entry = self.sheet.get(fact.id, _fact_entry(fact))
        values = ", ".join(str(v["normalized"]) for v in entry.get("values") or [])
        return f"'{fact_words(entry)}'" + (f" ({values})" if values else "")

    def _agree_step(self, a: Claim, b: Claim, why: str, values: str, params) -> Step:
        if why == "unsure":
            weekday = any((c.extra or {}).get("weekday") for c in (a, b))
            return Step(f"No finding: one of the claims is too unsure to raise one (the extractor's confidence "
                        f"{_confidence(a)} / {_confidence(b)} < min_claim_confidence "
                        f"{params['min_claim_confidence']}"
                        + ("; a weekday depends on when each report was filed" if weekday else "") + ").",
                        option="min_claim_confidence",
                        value=min(_confidence(a), _confidence(b)), threshold=params["min_claim_confidence"])
        if why == "own news days":
            return Step(f"No finding: each report dates the event to its own filing day, a running story's "
                        f"updates (news_day_window {params['news_day_window']}).", option="news_day_window",
                        threshold=params["news_day_window"])
        if why == "categorical":
            return Step(f"The values {values} can both be true.")
        if why in ("scale", "no range", "max_ratio"):
            return Step(f"The values {values} are not set against each other: {_reason(why, a, b, params)}.",
                        option="max_ratio" if why == "max_ratio" else None,
                        threshold=params["max_ratio"] if why == "max_ratio" else None)
        option = "relative_tolerance" if why == "overlap" else None
        return Step(f"The values {values} agree: {_reason(why, a, b, params)}.", option=option,
                    threshold=params.get(option) if option else None)

    def _why_not_linked(self, view: _RuleView, block: FactBlock, a: Claim, b: Claim) -> list[Step]:
        rule, params = view.rule, view.rule.params
        steps: list[Step] = []
        vetoes = link_vetoes(a, b, self.ctx, params)
        inner = block_key(params["block_by"])
        if inner(a) != inner(b):
            fields = [f for f in params["block_by"] if block_key([f])(a) != block_key([f])(b)]
            steps.append(Step(f"Not aligned: rule {rule.id} aligns only claims that share "
                              f"{', '.join(fields)} (option block_by): "
                              f"{' / '.join(repr(block_key([fields[0]])(c)[0]) for c in (a, b))}.",
                              option="block_by", threshold=params["block_by"]))
        elif vetoes:
            steps.append(Step(f"Not aligned: {'; '.join(vetoes)}."))
        else:
            steps.append(_alignment_step(rule, block, a, b))
        slot_a, slot_b = slot(a, self.ctx), slot(b, self.ctx)
        if a.claim_type in ("count", "date"):
            if slot_a is not None and slot_a == slot_b:
                steps.append(Step(f"The story model reads both as {slot_words(slot_a)}, but did not tie them: "
                                  + _model_gap(a, b, params, vetoes) + "."))
            else:
                steps.append(Step(f"The story model does not tie them: it reads {claim_id(a)} as "
                                  f"{slot_words(slot_a)} and {claim_id(b)} as {slot_words(slot_b)}."))
        steps.append(Step(f"Not compared by rule {rule.id}."))
        return steps

    # --- one claim ------------------------------------------------------------------------------

    def claim(self, claim: Claim) -> ClaimAnswer:
        notes: list[str] = []
        pairs: list[PairAnswer] = []
        rules = self.rules_for(claim)
        fact = None
        if not rules:
            notes.append(f"No enabled value rule reads {claim.claim_type} claims (other rules may cite it).")
        for rule in rules:
            view = self.view(rule)
            located = view.locate(claim)
            if located is None:
                notes.append(f"Rule {rule.id} does not read it: it compares only attributes matching "
                             f"{rule.params['attributes']} (option attributes).")
                continue
            found = view.fact_of(claim)
            if found is None:
                notes.append(f"Rule {rule.id}: it belongs to no fact: nothing links it to a claim of another "
                             "article and the story model cannot say what it counts, so it is left unresolved.")
            else:
                fact = fact or found.id
                entry = self.sheet.get(found.id, _fact_entry(found))
                notes.append(f"Rule {rule.id}: it belongs to the fact '{fact_words(entry)}' "
                             f"({entry.get('status', '?')}): {_values_line(entry)}.")
                if entry.get("status") == "single source":
                    notes.append("Single source: no other source gives this fact, so there is nothing to compare "
                                 "it with (wire copies of one text count once).")
            pairs += self._partners(view, claim, found)
        findings = [_finding_dict(f) for f in self.result.findings
                    if any((e.article, e.start, e.end) == (claim.article, claim.start, claim.end) for e in f.evidence)]
        if not findings:
            dropped = [f for f in getattr(self.result, "below_min_severity", [])
                       if any((e.article, e.start, e.end) == (claim.article, claim.start, claim.end)
                              for e in f.evidence)]
            notes.append("No finding cites it." if not dropped else
                         f"No reported finding cites it: min_severity is {self.result.rules.min_severity}, so "
                         + ", ".join(f"finding {f.id} ({f.severity})" for f in dropped) + " was dropped.")
        return ClaimAnswer(claim, fact, notes, findings, pairs)

    def _partners(self, view: _RuleView, claim: Claim, fact: Fact | None) -> list[PairAnswer]:
        """Pairs for each other value of the claim's fact (its first claim in another article)
        and for the claims of the same kind outside the fact nearest it in context."""
        out: list[PairAnswer] = []
        seen: set[str] = {str(claim.normalized)}
        if fact is not None:
            for other in fact.claims:
                if other.article != claim.article and str(other.normalized) not in seen:
                    seen.add(str(other.normalized))
                    out.append(self.pair(claim, other))
            if not out:  # one value: say so against its first other source, if any
                other = next((c for c in fact.claims if c.article != claim.article), None)
                if other is not None:
                    out.append(self.pair(claim, other))
        in_fact = {c.index for c in fact.claims} if fact else set()
        words = set(str(claim.context).split())
        same_head = str(claim.attribute).split("|")[0]
        candidates = [c for c in self.ctx.claims_of(view.rule.claim_types)
                      if c.claim_type == claim.claim_type and c.article != claim.article
                      and c.index not in in_fact and c.index in view.where
                      and (str(c.attribute).split("|")[0] == same_head or words & set(str(c.context).split()))]
        candidates.sort(key=lambda c: (-(str(c.attribute) == str(claim.attribute)),
                                       -len(words & set(str(c.context).split())), c.index))
        taken: set[tuple[str, str]] = set()
        for other in candidates:
            key = (other.article, str(other.normalized))
            if key in taken or len(taken) >= MAX_NEAREST:
                continue
            taken.add(key)
            out.append(self.pair(claim, other))
        return out


# --- sentences ---------------------------------------------------------------------------------

def _severity_words(finding, rule: Rule) -> str:
    """Why a value finding's severity is not its rule's, from what ``value_conflict`` noted."""
    if finding.severity == rule.severity:
        return ""
    notes = finding.details.get("notes") or []
    said = [n for n in notes if n.startswith(("updated figure", "a rising count", "the values differ only",
                                              "possible:"))]
    if said:
        why = "; ".join(said)
    elif finding.severity == "warning" and rule.severity == "error":
        why = "a value only one source gives is a warning, never an error"
    else:
        why = "; ".join(notes) or "the rule's own labels"
    return f" (rule {rule.id} is {rule.severity}; {why})"


def _finding_dict(finding) -> dict:
    return {"id": finding.id, "rule": finding.rule, "severity": finding.severity, "message": finding.message,
            "fact": finding.fact}


def _fact_entry(fact: Fact) -> dict:
    return {"id": fact.id, "about": fact.about, "attribute": fact.attribute, "kind": fact.claim_type}


def _values_line(entry: dict) -> str:
    parts = []
    for value in entry.get("values") or []:
        outlets: list[str] = []
        for source in value.get("sources") or []:
            name = source.get("label") or source.get("outlet") or source.get("article")
            if name not in outlets:
                outlets.append(name)
        parts.append(f"{value['normalized']} ({', '.join(outlets)})")
    return " vs ".join(parts) or "no values"


def _facts_words(tracer: _Tracer, fa: Fact | None, fb: Fact | None) -> str:
    if fa is not None and fa is fb:
        return f"in one fact, {tracer._fact_name(fa)}"
    if fa is None and fb is None:
        return "in no fact (neither is resolved)"
    return f"different facts: {tracer._fact_name(fa)} and {tracer._fact_name(fb)}"


def _block_step(rule: Rule, a: Claim, b: Claim) -> Step:
    """Two claims the rule's blocks keep apart: the first field of ``block_by`` that differs."""
    fields = [f if f != "head" else "unit" for f in rule.params["block_by"]]
    for name in fields:
        va, vb = block_key([name])(a)[0], block_key([name])(b)[0]
        if va != vb:
            return Step(f"Not compared: rule {rule.id} compares only claims with the same {name} (option "
                        f"block_by): {va!r} / {vb!r}.", option="block_by", value=[va, vb],
                        threshold=rule.params["block_by"])
    return Step(f"Not compared: rule {rule.id} keeps them in different blocks (option block_by).",
                option="block_by", threshold=rule.params["block_by"])


def _alignment_step(rule: Rule, block: FactBlock, a: Claim, b: Claim) -> Step:
    """Why the context test did not align two claims: the figures against the rule's options."""
    p = rule.params
    trace = alignment_trace(block.rows, a, b, p["min_shared_words"], p["min_context_jaccard"],
                            min_overlap=p["min_context_overlap"], prefix=p["word_prefix"],
                            min_sentence_overlap=p["min_sentence_overlap"], subject_counts=p["subject_as_context"])
    shared = trace["shared"]
    words = f" ({', '.join(shared)})" if shared else ""
    counted = len(shared) - len(trace["common"]) + (1 if trace["subject_counts"] else 0)
    if counted < p["min_shared_words"]:
        common = (f"; {', '.join(trace['common'])} occur in most claims of the block and do not count"
                  if trace["common"] else "")
        subject = " and the same subject (subject_as_context counts it as one)" if trace["subject_counts"] else ""
        step = Step(f"Not aligned: their contexts share {len(shared)} word{'s' if len(shared) != 1 else ''}{words}"
                    f"{subject}{common}{f': {counted} count' if subject or common else ''}, fewer than "
                    f"min_shared_words {p['min_shared_words']}.",
                    option="min_shared_words", value=counted, threshold=p["min_shared_words"])
    else:
        overlap = (f" and overlap {trace['overlap']:.2f} < min_context_overlap {p['min_context_overlap']}"
                   if p["min_context_overlap"] is not None else "")
        step = Step(f"Not aligned: their contexts share {len(shared)} words{words}, but Jaccard "
                    f"{trace['jaccard']:.2f} < min_context_jaccard {p['min_context_jaccard']}{overlap}.",
                    option="min_context_jaccard", value=round(trace["jaccard"], 3), threshold=p["min_context_jaccard"])
    if "sentence_overlap" in trace:
        step.text += (f" Their whole sentences share {trace['sentence_shared']} content word"
                      f"{'s' if trace['sentence_shared'] != 1 else ''} (overlap {trace['sentence_overlap']:.2f}; "
                      f"aligning on sentences needs min_sentence_overlap {p['min_sentence_overlap']} and 5 words).")
    if not same_but_number(a, b):
        step.text += " Their sentences are not one sentence with a figure changed."
    return step


def _link_step(link, tracer: _Tracer, view: _RuleView, block: FactBlock, a: Claim, b: Claim) -> Step:
    p = view.rule.params
    said = {
        "aligned": "aligned: their contexts share enough words",
        "subject": "aligned: the same subject",
        "variant": "aligned: one sentence with a figure changed",
        "sole": "aligned: each is the only such count in its article (sole_min_shared)",
        "located": "aligned: two distances locating one place from one other place",
        "event": "aligned: dates of one event (min_event_shared)",
        "same class": "the story model: counts of one class of thing in one state",
        "same happening": "the story model: dates or times of one happening",
        "same value": "the story model: the same value, about the same kind of thing",
    }
    if "aligned" in link.sources:
        trace = alignment_trace(block.rows, a, b, p["min_shared_words"], p["min_context_jaccard"],
                                min_overlap=p["min_context_overlap"], prefix=p["word_prefix"],
                                subject_counts=p["subject_as_context"])
        n = len(trace["shared"])
        subject = " and the same subject (subject_as_context)" if trace["subject_counts"] else ""
        said["aligned"] = (f"aligned: their contexts share {n} word{'s' if n != 1 else ''} "
                           f"({', '.join(trace['shared'])}){subject}, min_shared_words {p['min_shared_words']}; "
                           f"Jaccard {trace['jaccard']:.2f}, min_context_jaccard {p['min_context_jaccard']}"
                           + (f"; overlap {trace['overlap']:.2f}, min_context_overlap {p['min_context_overlap']}"
                              if p["min_context_overlap"] is not None else ""))
    return Step("Linked: " + "; ".join(said.get(s, s) for s in sorted(link.sources)) + ".")


def _model_gap(a: Claim, b: Claim, params, vetoes: list[str]) -> str:
    if vetoes:
        return "; ".join(vetoes)
    if a.claim_type == "date" and a.low is not None and b.low is not None \
            and abs(a.low - b.low) > params["max_event_gap"]:
        return f"they are {int(abs(a.low - b.low))} days apart, more than max_event_gap {params['max_event_gap']}"
    if a.claim_type == "date":
        return "their sentences name different places"
    return "their contexts share no word besides the counted nouns"


def _reason(why: str, a: Claim, b: Claim, params) -> str:
    text = VERDICT_REASONS.get(why, why)
    if why in ("overlap", "apart"):
        ra, rb = value_range(a, params), value_range(b, params)
        if ra and rb and a.claim_type == "count":  # (ages, dates and durations are days or seconds inside)
            text += f": {_span(ra)} and {_span(rb)}"
        tolerances = [f"{name} {params[name]}" for name in ("relative_tolerance", "absolute_tolerance")
                      if params.get(name)]
        if tolerances:
            text += f" ({', '.join(tolerances)})"
    if why == "max_ratio":
        text = text.replace("max_ratio", f"max_ratio {params['max_ratio']}")
    if why == "rounding_tolerance":
        text = text.replace("rounding_tolerance", f"rounding_tolerance {params['rounding_tolerance']}")
    return text


def _span(r: tuple[float, float]) -> str:
    low, high = r

    def num(x: float) -> str:
        return "inf" if x == float("inf") else (f"{x:g}")
    return num(low) if low == high else f"{num(low)} to {num(high)}"


def _confidence(c: Claim) -> float:
    return float((c.extra or {}).get("confidence", 1.0))


# --- the questions -----------------------------------------------------------------------------

def _explanation(tracer: _Tracer, question: dict, claims=(), pairs=(), more: int = 0) -> Explanation:
    return Explanation(question, list(claims), list(pairs), tracer.sheet, tracer.articles, more)


def explain_value(result, value: str) -> Explanation:
    """Every claim giving ``value``, each with its fact and why other values were or were not
    set against it."""
    tracer = _Tracer(result)
    matches = [c for c in result.claims if _value_matches(c, value)]
    if not matches:
        raise InputError(result.story.path, f"no claim gives the value {value!r} "
                                            "(see 'claimcheck claims STORY' for every claim)")
    valued = {t for r in tracer.value_rules for t in r.claim_types}
    matches.sort(key=lambda c: (c.claim_type not in valued, c.index))  # value rules' claims first
    shown = matches[:MAX_MATCHES]
    return _explanation(tracer, {"kind": "value", "value": value}, [tracer.claim(c) for c in shown],
                        more=len(matches) - len(shown))


def explain_claim(result, cid: str) -> Explanation:
    tracer = _Tracer(result)
    claim = find_claim(result, cid)
    return _explanation(tracer, {"kind": "claim", "claim": claim_id(claim)}, [tracer.claim(claim)])


def explain_at(result, first: str, second: str) -> Explanation:
    """The two claims at ``ARTICLE:OFFSET`` and ``ARTICLE:OFFSET``, and why they were or were
    not compared."""
    tracer = _Tracer(result)
    a, b = claim_at(result, first), claim_at(result, second)
    return _explanation(tracer, {"kind": "pair", "at": [first, second], "claims": [claim_id(a), claim_id(b)]},
                        pairs=[tracer.pair(a, b)])


def explain_pair(result, a: Claim, b: Claim) -> PairAnswer:
    """Why these two claims were or were not compared, and what came of it."""
    return _Tracer(result).pair(a, b)


__all__ = ["Explanation", "PairAnswer", "ClaimAnswer", "Step", "explain_value", "explain_claim", "explain_at",
           "explain_pair", "claim_at", "find_claim", "find_article"]


def _a(word: str) -> str:
    """The word with its indefinite article ("an age", "a count")."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"
