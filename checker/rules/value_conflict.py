"""Rule kind ``value_conflict``: sources give values for the same thing that cannot both be true.

Which claims state the same thing is the story fact model's answer (``checker.engine.facts``):
claims tied by the pairwise alignment below are compared as they always were, and claims the
story model ties (counts whose nouns name one class of thing in one state, "116 sailors
trapped" / "118 submariners trapped"; dates and times of one happening) are compared when the
model keeps both in one fact; the latter, as their sentences share too little to align, raise
only a possible disagreement (info). Each finding names its fact (``fact``), lists every value
with its sources, the best supported first (articles reprinting one wire text count as one
source), and is an error only when every value has at least two sources: a figure one outlet
alone gives may be that outlet's slip, a warning. A ``cumulative`` count the story raised, later
outlets agreeing on the higher figure, is an update (``update_severity``); a figure that fell is
a conflict at the rule's severity (perhaps a correction, but an editor must look). Two ages conflict unless their
holder could have been born on one day that fits both: 38 and 39 on the same day disagree, 38
in April 2007 and 39 in April 2008 need not.

Claims are blocked on ``block_by`` columns (``head`` is the attribute's noun without its verb,
so "count|charged" meets "count" but "people|killed" never meets "people|injured";
``generic_attributes`` align with any head), aligned by shared context words
(``min_shared_words``, then ``min_context_jaccard`` or the overlap coefficient
``min_context_overlap``, words compared on their first ``word_prefix`` letters, or the whole
sentences nearly the same: ``min_sentence_overlap``), and two aligned claims from different
articles conflict when their value ranges do not overlap after widening by
``relative_tolerance`` / ``absolute_tolerance``. All conflicting claims of one aligned group
become one finding, citing every source.

Ranges keep the qualifiers and granularity: "at least 10" is [10, inf), "about 100" is
[90, 110], "early March" is March 1-10, "over a week" is more than 7 days. The same hedge around
different figures ("up to 120 days" / "up to 180 days") is a conflict; two figures hedged both
ways ("about", "some") agree only within a tenth of each other: "about 100" / "about 107" agree,
"some 60" / "some 72" and "about four hours" / "about five hours" do not, and an article whose
plain "four hours" fits another's "about five hours" does not thereby give that figure. Values
more than ``max_ratio`` times apart are about different things. Ages compare the birth years
they imply when both carry a year (42 in 2022, 14 in 1994 and 26 in 2006 all mean born
1979-80); the same age once at the event's year and once only at the filing year ("Lawrence,
18," filed in 1999; "an 18-year-old stabbed in 1993") is the age at the event, not two birth
years. Categorical claims (citizenship, places) conflict when one source asserts what another
negates, or, with ``exclusive``, when they name different places that are not variant
spellings and neither is a country containing the other.

Durations: a length ("stuck for five days") is never set against an offset from another event
("five hours later"), a distance in time ("10 minutes away") or the first part of a longer
period ("the first three days of the talks"); two "N later" offsets, whose starting point the
sentence does not say, are compared only when the rest of their sentences is mostly the same.

Counts: a report whose sentence adds two figures up to another's ("52 on the bus and three on
the road" / "55 killed") or gives the other's figure beside its own ("a $2 million fund --
$800,000 for the first year") does not disagree with it. Counts narrowed differently ("three
Atlanta-area bombings" / "four Southern bombings", "Argun, 10 km" / "Shali, 40 km", "110 km
southeast" / "130 km east" of one city) count different things; two distances locating one
place from one other place the same way ("the Harbor Refinery, 90 km north of Lakeport") align
however little else their sentences share. Two sentences identical apart from a figure always
align (one wire story carried twice with a figure changed). ``sole_min_shared`` aligns two
plain counts that are each the only one of their kind in their article on fewer shared words.
A report that gives both values counts as giving the other's only where that claim is at least
as close in context to the other as its own differing one (dates, ages, durations; counts keep
the looser test, as one sentence often gives two shares: "18 percent of the voters, but only
3.1 percent of the judges").

Dates: ``min_event_shared`` also aligns one-day dates of the same event (``claims/events.py``
reads it: "crashed on Oct. 31", "the Aug. 7 bombing"); two dates written with month and day
about the same person need only ``min_event_context_calendar`` shared context words, one of
them neither the deed nor the person's name ("filed for divorce July 27" / "filed for divorce
July 29", not "flew to London July 20" / "flew to Paris July 27"); two dates of a happening
listed in ``one_off_events``, which a story has once, such as a crash or an earthquake, align
on that word alone unless their sentences name different places; with ``quoted_statements``,
two statement dates, each alone in a sentence quoting one utterance, date one statement. Dates
of different known events never conflict, a statement's date ("said Sunday") is never set
against an event's ("the call Saturday"), weekdays are trusted when both articles were filed
the same day or when their names differ ("Tuesday" / "Thursday", within ``max_event_gap``
days), and with ``news_day_window`` a running story's reports each dating the event to their
own filing day are updates, not conflicts.

Headlines (``checker.engine.wording``): ``{question}`` asks what is in dispute, from the fact and
the claim type, never a stemmed attribute ("How many people were injured", "How old is Maksim
Chmerkovskiy", "When was the crash"; "Which figure" when the story's words do not say what a
figure counts), and ``{choices}`` gives the values with their sources, the odd value first
("12 (AP) or 13 (NYT, Reuters)?"; an update "12 (AP, 29 Jul), updated to 13 (AP, 30 Jul)");
``{values}`` keeps the older "12 (AP) vs 13 (NYT)".

Labels, not silence: when the differing sources were published at different times the message
says which is later; a larger count of a ``cumulative`` attribute (killed, injured, ...) in the
later report, above every earlier figure, is likely an update and takes ``update_severity`` (a
date-only publication time is the whole day: it is neither earlier nor later than a timed report
of the same day, so no order, and no update, rests on it); a
difference within ``rounding_tolerance`` where one value is round (333,333 vs 333,000) takes
``rounding_severity``.

Example (rules.yaml; cases in tests/fixtures/rules/value_conflict.yaml)::

    - id: duration-conflict
      kind: value_conflict
      severity: warning
      message: "{question}: {choices}"
      claim_types: [duration]
      params: {block_by: [claim_type], generic_attributes: [duration], subject_as_context: true,
               max_ratio: 5, min_shared_words: 2, min_context_jaccard: 0.3, min_context_overlap: 0.5}

    PASS  "116 sailors trapped" / "116 sailors were trapped"; "March 2" / "early March";
          "U.S. citizen" / "American citizen"; "42" in 2022 / "a 14-year-old" in 1994
    FAIL  "So then I got stuck for the next five days" / "after being stuck in the country for
          over a week": 5 days vs more than 7 days, a warning
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from claims.dates import DAY_NAMES
from checker.engine.align import components, same_but_number, word_set
from checker.engine.context import StoryContext
from checker.engine.deadline import within_time
from checker.engine.facts import Fact, one_day
from checker.engine.findings import Finding, format_message
from checker.engine.options import (COUNT, FLAG, FRACTION, NON_NEGATIVE, POSITIVE, REGEXES, SEVERITY, WORDS, Option,
                                    Options, Value, choice, compiled_patterns, list_of, with_options)
from checker.engine.rule import Rule
from checker.engine.wording import choices, question, value_words
from checker.engine.values import (categorical_conflict, figures_apart, hedged_both_ways, is_numeric,
                                   numeric_conflict, numeric_verdict, same_figure, scale)

KIND = "value_conflict"
READS = ("facts",)
BLOCK_FIELDS = ("claim_type", "subject", "attribute", "head", "unit")  # Claim fields (head: the attribute's noun)
MESSAGE_FIELDS = ("question", "choices", "subject", "attribute", "values", "sources", "claim_type", "later")
UPDATED_FIGURE = "updated figure: "
RISING_COUNT = "a rising count in a later report is likely an update"
OPTIONS = Options(
    Option("block_by", ["claim_type", "attribute"], list_of(choice(*BLOCK_FIELDS)),
           "claim fields two claims must share to be compared (head: the attribute's noun without its verb)"),
    Option("attributes", [], REGEXES, "only claims whose attribute matches one of these are compared (none: all)"),
    Option("min_shared_words", 2, COUNT, "context words two claims must share to align"),
    Option("min_context_jaccard", 0.1, FRACTION, "... and the share of all their context words the shared ones make"),
    Option("min_context_overlap", None, FRACTION.or_null(),
           "... or the share of the smaller context they make (null: not used)"),
    Option("word_prefix", None, POSITIVE.or_null(),
           "context words are compared on this many first letters (null: whole words)"),
    Option("min_sentence_overlap", None, FRACTION.or_null(),
           "also align two claims whose sentences share this share of the shorter one's content words "
           "(null: not used)"),
    Option("relative_tolerance", 0.0, NON_NEGATIVE, "values within this fraction of each other agree"),
    Option("absolute_tolerance", 0.0, NON_NEGATIVE, "values within this much of each other agree"),
    Option("rounding_tolerance", 0.02, FRACTION,
           "two counts this close (a fraction of the larger), one of them round, differ only by rounding"),
    Option("rounding_severity", "info", SEVERITY, "the severity of a difference that is only rounding"),
    Option("cumulative", ["killed", "injured", "dead", "missing", "arrested", "rescued", "evacuated", "victim"],
           REGEXES, "count attributes that grow as a story runs: a later report's higher figure is likely an update"),
    Option("update_severity", "info", SEVERITY, "the severity of such an update (a later, higher cumulative count)"),
    Option("exclusive", False, FLAG,
           "categorical values exclude each other: two different places conflict unless one contains the other"),
    Option("compare_birth_years", True, FLAG, "ages: compare the birth years they imply"),
    Option("min_claim_confidence", 0.0, FRACTION,
           "a claim the extractor is less sure of (an age bound to a person only by a pronoun) supports a "
           "finding but cannot raise one"),
    Option("confident_if_shared", None, POSITIVE.or_null(),
           "... unless the two contexts share this many words (null: never)"),
    Option("generic_attributes", [], WORDS,
           "attributes that align with any other (duration for a bare \"six days\")"),
    Option("subject_as_context", False, FLAG, "the same subject counts as one shared context word"),
    Option("max_ratio", None, Value(float, low=1).or_null(),
           "values more than this many times apart are about different things, not a conflict (null: no limit)"),
    Option("min_event_shared", None, POSITIVE.or_null(),
           "dates: also align two one-day dates whose event words share this many (null: off)"),
    Option("min_event_context", 2, COUNT, "... and whose contexts share this many words"),
    Option("min_event_context_calendar", None, COUNT.or_null(),
           "... or this many, for two dates written with month and day about the same person (null: off)"),
    Option("max_event_gap", 14, COUNT,
           "... at most this many days apart; within it two weekdays of different names raise a finding"),
    Option("news_day_window", None, COUNT.or_null(),
           "dates: reports each dating the event to its own filing day, or this many days before, are a "
           "running story's updates (null: off)"),
    Option("sole_min_shared", None, POSITIVE.or_null(),
           "counts: also align two plain counts, each the only one of its noun in its article, on this many "
           "shared words (null: off)"),
    Option("quoted_statements", False, FLAG,
           "dates: also align two statement dates whose sentences quote one utterance (needs min_event_shared)"),
    Option("one_off_events", [], WORDS,
           "dates: happenings a story has once (crash, earthquake; whole stems): two dates of one align on "
           "that word alone (needs min_event_shared)"),
)
__doc__ = with_options(__doc__, OPTIONS)


def _confident(a, b, minimum: float, if_shared: int | None, weekday_gap: float = 0) -> bool:
    """Both claims sure enough to raise a finding. Weekdays ("on Tuesday") are unsure alone, as
    they depend on when each item was filed, but two read against the same filing day are not;
    an age bound to a person only by the sentence's topic is unsure, but two that also share
    ``if_shared`` context words ("the 51-year-old retired pilot") describe one person.

    A weekday in a story with no publication time at all cannot be placed on a calendar
    (``low`` is None): nothing says whether "Monday" and "Tuesday" lie within
    ``weekday_gap`` days of each other or weeks apart, so such weekdays stay unsure; they are
    never compared as days either (``_range``), so they raise no finding."""
    ea, eb = a.extra or {}, b.extra or {}
    if ea.get("anchor") and ea.get("anchor") == eb.get("anchor"):
        return True
    if (weekday_gap and (ea.get("weekday") or eb.get("weekday")) and a.low is not None and b.low is not None
            and abs(a.low - b.low) <= weekday_gap
            and None is not _weekday(a) != _weekday(b) is not None):
        return True  # "Tuesday" vs "Thursday" (or vs Oct. 31, a Sunday) differ whenever filed
    if if_shared and len(set(str(a.context).split()) & set(str(b.context).split()) - {"year-old"}) >= if_shared:
        return True
    return min(ea.get("confidence", 1.0), eb.get("confidence", 1.0)) >= minimum


def _own_news_days(a, b, ctx, window: int) -> bool:
    """Each report dates the event to its own filing day (or up to ``window`` days before), the
    later report to the later day: "troops continued attacks Friday" filed Friday and "troops
    Tuesday continued attacks" filed Tuesday are a running story's daily updates, not a
    disagreement about one day."""
    if not (one_day(a) and one_day(b)):
        return False
    pa, pb = ctx.articles[a.article].published, ctx.articles[b.article].published
    if pa is None or pb is None or pa.date() == pb.date():
        return False
    da, db = int(a.low), int(b.low)
    own_a = 0 <= pa.date().toordinal() - da <= window
    own_b = 0 <= pb.date().toordinal() - db <= window
    return own_a and own_b and (da < db) == (pa < pb)


def _weekday(row) -> str | None:
    """The weekday a one-day date claim names or falls on."""
    extra = row.extra or {}
    if extra.get("weekday"):
        return extra["weekday"]
    if row.claim_type == "date" and one_day(row):
        return DAY_NAMES[date.fromordinal(int(row.low)).weekday()]
    return None


def check(rule: Rule, ctx: StoryContext) -> list[Finding]:
    """Two claims of one fact compared: the pairs the pairwise alignment ties, as value rules
    always compared them, and the pairs the story model ties when it keeps both claims in one
    fact; each group of conflicting claims becomes one finding about its fact."""
    params = rule.params
    findings: list[Finding] = []
    # (the facts hold only the claims whose attribute matches ``attributes``)
    for block in ctx.facts(rule.claim_types, params).blocks:
        row_of = {r.index: r for r in block.rows}
        pairs = compared_pairs(block, row_of)
        conflicts: list[tuple[int, int]] = []
        kinds: dict[tuple[int, int], str] = {}
        for a_idx, b_idx in pairs:
            kind, _ = judge_pair(row_of[a_idx], row_of[b_idx], params, ctx)
            if kind:
                conflicts.append((a_idx, b_idx))
                kinds[(a_idx, b_idx)] = kind
        stated = stated_values(block, row_of, pairs, params)
        conflicts = [c for c in conflicts if stated.disagree(*c)]
        if not conflicts:
            continue
        nodes = sorted({n for pair in conflicts for n in pair})
        node_set = set(nodes)
        conflicts_in = conflicts_starting_in(conflicts)
        adjacent: dict[int, list[int]] = defaultdict(list)  # each claim's pairs, read once per group
        for a, b in pairs:
            adjacent[a].append(b)
            adjacent[b].append(a)
        for group in components(nodes, conflicts):
            core = set(group)
            # agreeing claims tied directly to the group are evidence too (all occurrences, one
            # finding); only direct neighbours, so the result does not depend on edge order
            group_set = core | {other for n in core for other in adjacent[n]
                                if other not in core and other not in node_set}
            group_rows = sorted((c for i in group_set for c in block.copies[i]), key=lambda c: c.index)
            group_conflicts = conflicts_in(group_set)
            ties = sorted({s for c in group_conflicts for s in block.links[c].sources})
            fact = next((block.fact_of[i] for i in group if i in block.fact_of), None)
            findings.append(_finding(rule, group_rows, [kinds[c] for c in group_conflicts], ctx,
                                     aligned=any(block.links[c].aligned for c in group_conflicts),
                                     ties=ties, fact=fact))
    return findings


def compared_pairs(block, row_of: dict) -> list[tuple[int, int]]:
    """The pairs of the block's rows the rule compares: those the pairwise alignment ties, and
    those the story model ties when it keeps both claims in one fact."""
    return [pair for pair, link in within_time(block.links.items(), "comparing claims")
            if pair[0] in row_of and pair[1] in row_of
            and (link.aligned or block.fact_of.get(pair[0]) is block.fact_of.get(pair[1]) is not None)]


def judge_pair(a, b, params, ctx) -> tuple[str | None, str]:
    """(kind of conflict or None, why) for two compared claims: why is "unsure" (a claim too
    unsure to raise a finding: ``min_claim_confidence``), "own news days" (``news_day_window``)
    or the value comparison's reason (``checker.engine.values.VERDICT_REASONS``; "categorical"
    for citizenship and places)."""
    if not _confident(a, b, params["min_claim_confidence"], params["confident_if_shared"],
                      params["max_event_gap"] if params["min_event_shared"] is not None else 0):
        return None, "unsure"
    if is_numeric(a):
        kind, why = numeric_verdict(a, b, params)
    else:
        kind, why = ("conflict" if categorical_conflict(a, b, params) else None), "categorical"
    if kind and params["news_day_window"] is not None and _own_news_days(a, b, ctx, params["news_day_window"]):
        return None, "own news days"
    return kind, why


def stated_values(block, row_of: dict, pairs: list[tuple[int, int]], params) -> _Stated:
    """What tells, for a conflicting pair, whether an article also gives the other's value
    (read from the aligned pairs)."""
    neighbours: dict[int, set[int]] = {}
    for a_idx, b_idx in pairs:
        if block.links[(a_idx, b_idx)].aligned:
            neighbours.setdefault(a_idx, set()).add(b_idx)
            neighbours.setdefault(b_idx, set()).add(a_idx)
    return _Stated(row_of, block.articles, neighbours, params)


class _Stated:
    """Whether an article also gives a claim's value: then the two values are two facts of one
    story ("$450,000 ... $150,000 of that" in both), not a disagreement between sources."""

    def __init__(self, row_of: dict, articles: dict[int, set[str]], neighbours: dict[int, set[int]], params):
        self.row_of, self.articles, self.neighbours, self.params = row_of, articles, neighbours, params
        self._memo: dict[tuple[str, int, int], bool] = {}
        self.by_sentence: dict[tuple[str, str], list] = {}
        for r in row_of.values():
            self.by_sentence.setdefault((r.article, r.sentence), []).append(r)

    def _beside(self, a, b) -> bool:
        """``a``'s sentence also gives ``b``'s figure: "a $2 million fund -- $800,000 for the
        first year" states both the total and the part another report gives."""
        return any(other is not a and same_figure(other, b, self.params)
                   for other in self.by_sentence.get((a.article, a.sentence), ()))

    def _part_of(self, part, total) -> bool:
        """``part`` is added to another figure of its sentence to make ``total``: "all 52 people
        on the bus and three people on the road" is the "55 people killed" of another report."""
        if not (is_numeric(part) and is_numeric(total)) or part.low != part.high or total.low != total.high:
            return False
        return any(other is not part and other.low is not None and other.low == other.high
                   and part.low + other.low == total.low
                   for other in self.by_sentence.get((part.article, part.sentence), ()))

    def disagree(self, a_idx: int, b_idx: int) -> bool:
        """Some article carrying claim a and another carrying b, neither of which gives the
        other's value too."""
        return self.why_not(a_idx, b_idx) is None

    def why_not(self, a_idx: int, b_idx: int) -> str | None:
        """Why two conflicting claims make no disagreement between sources, in words (None: they
        do disagree)."""
        a, b = self.row_of[a_idx], self.row_of[b_idx]
        if same_but_number(a, b):
            return None  # one copy with a figure changed: what else each article says is beside the point
        if a.claim_type == "count":
            for part, total in ((a, b), (b, a)):
                if self._part_of(part, total):
                    return f"{part.value!r} is added to another figure of its sentence to make {total.value!r}"
                if self._beside(part, total):
                    return f"the sentence giving {part.value!r} also gives {total.value!r}"
        free_a = {x for x in self.articles[a_idx] if not self.states(x, b_idx, a_idx)}
        free_b = {y for y in self.articles[b_idx] if not self.states(y, a_idx, b_idx)}
        if free_a and free_b and (len(free_a) > 1 or free_a != free_b):
            return None
        both = sorted((self.articles[a_idx] - free_a) | (self.articles[b_idx] - free_b))
        if both:
            return (f"article {both[0]} also gives the other value, so the two values are two facts it states"
                    if len(both) == 1 else f"articles {', '.join(both)} also give the other value, so the two "
                                           "values are two facts they state")
        return "both values come from one article only"

    def states(self, article: str, target_idx: int, rival_idx: int) -> bool:
        key = (article, target_idx, rival_idx)
        if key not in self._memo:
            self._memo[key] = self._states(article, target_idx, rival_idx)
        return self._memo[key]

    def _closeness(self, a, b) -> int:
        prefix = self.params["word_prefix"]
        return len(word_set(a.context, prefix) & word_set(b.context, prefix))

    def _states(self, article: str, target_idx: int, rival_idx: int) -> bool:
        """Whether ``article`` gives the target's value, in a claim at least as close to the
        target as the article's rival claim: a report that says "24 hours of phone calls" and
        later "20 hours of tape" has its counterpart of another's "20 hours of recorded phone
        calls" in the first, and disagrees."""
        if article in self.articles[target_idx]:  # a copy of the same sentence
            return True
        target, rival = self.row_of[target_idx], self.row_of[rival_idx]
        # (counts keep the looser test: one sentence often gives two shares of one whole)
        rival_closeness = self._closeness(rival, target) if target.claim_type != "count" else 0
        for index in self.neighbours.get(target_idx, ()):
            if article not in self.articles[index]:
                continue
            r = self.row_of[index]
            if rival_closeness and r.sentence != rival.sentence and self._closeness(r, target) < rival_closeness:
                continue
            if r.sentence == target.sentence:
                return True
            if is_numeric(r) and is_numeric(target):
                # "four hours" fits "about five hours" but does not give it
                hedged = hedged_both_ways(r) or hedged_both_ways(target)
                if scale(r) == scale(target) and numeric_conflict(r, target, self.params) is None \
                        and not (hedged and figures_apart(r, target)):
                    return True
            elif str(r.normalized) == str(target.normalized) and r.negated == target.negated:
                return True
        return False


def conflicts_starting_in(conflicts: list[tuple[int, int]]):
    """``of(group)``: the conflicts (in order) whose first claim is in the set ``group``, what
    ``[c for c in conflicts if c[0] in group]`` gives, without reading every conflict of the
    block for each group (a test holds them equal)."""
    starting: dict[int, list[int]] = defaultdict(list)
    for position, (a, _) in enumerate(conflicts):
        starting[a].append(position)

    def of(group: set[int]) -> list[tuple[int, int]]:
        return [conflicts[p] for p in sorted(p for n in group for p in starting.get(n, ()))]
    return of


def _finding(rule, rows: list, pair_kinds: list[str], ctx, *, aligned: bool, ties: list[str],
             fact: Fact | None) -> Finding:
    """One finding for one group of conflicting claims: every value with its sources, the best
    supported first (wire copies count once). Labels, not silence: a figure the story revised,
    later outlets agreeing on the new one, is an update (``update_severity``); a difference only
    by rounding takes ``rounding_severity``; a value one source alone gives is never an error;
    claims only the story model ties (their sentences share too little to align) make a
    possible disagreement, info."""
    params = rule.params
    groups = ctx.source_groups()
    by_value: dict[str, list[str]] = {}
    for row in rows:
        by_value.setdefault(str(row.normalized), [])
        if row.article not in by_value[str(row.normalized)]:
            by_value[str(row.normalized)].append(row.article)
    first_seen = {value: n for n, value in reversed(list(enumerate(str(r.normalized) for r in rows)))}
    by_value = {v: by_value[v] for v in sorted(by_value, key=lambda v: (-groups.count(by_value[v]), first_seen[v]))}
    values_text = " vs ".join(f"{value} ({_sources(ctx, groups, arts)})" for value, arts in by_value.items())
    severity = rule.severity
    notes = []
    shown_notes = []  # the notes the headline carries (an update's chain is its choices)
    cumulative = rows[0].claim_type == "count" and any(
        p.search(str(rows[0].attribute)) for p in compiled_patterns(params["cumulative"]))
    chain = _update_chain(by_value, ctx) if cumulative else None
    if chain and not _rising(chain, rows):
        chain = None  # a falling toll may be a correction, but an editor must look: the rule's severity
    update = False
    if all(k == "rounding" for k in pair_kinds):
        severity = params["rounding_severity"]
        notes.append("the values differ only by rounding")
        shown_notes.append(notes[-1])
    elif chain and groups.count(by_value[chain[-1]]) >= 2:
        severity = params["update_severity"]
        notes.append(UPDATED_FIGURE + " → ".join(chain))
        update = True
    else:
        ranked = _later_value(rows, ctx)
        if ranked:
            later_value, later_articles = ranked
            notes.append(f"the later report ({ctx.sources(later_articles)}) says {later_value}")
            shown_notes.append(f"the later report ({ctx.sources(later_articles, dated=True)}) says "
                               f"{value_words(later_value)}")
            if cumulative:
                later_lows = [r.low for r in rows if r.article in later_articles and r.low is not None]
                earlier_highs = [r.high for r in rows if r.article not in later_articles and r.high is not None]
                if later_lows and earlier_highs and min(later_lows) > max(earlier_highs):  # above every earlier figure
                    severity = params["update_severity"]
                    notes.append(RISING_COUNT)
                    update = True
                    shown_notes.pop()  # the choices read "X, updated to Y"
        if severity == "error" and min(groups.count(arts) for arts in by_value.values()) < 2:
            severity = "warning"  # a value one source alone gives is never an error
    if not aligned and severity != "info":
        severity = "info"
        notes.append("possible: the story model ties these claims, their sentences share little")
        shown_notes.append("possibly two facts: their sentences share little")
    first = rows[0]
    attribute = str(first.attribute).replace("|", " ")
    asked = question(str(first.claim_type), rows, about=fact.about if fact else "",
                     attribute=fact.attribute if fact else "")
    message = format_message(rule.message,
        subject=first.subject or "the story", attribute=attribute, values=values_text,
        question=asked.direct, choices=_choices(ctx, groups, by_value, rows, update=update),
        sources=ctx.sources([r.article for r in rows]), claim_type=first.claim_type,
        later="; ".join(shown_notes))
    if shown_notes and "{later}" not in rule.message:
        message += " (" + "; ".join(shown_notes) + ")"
    distinct = sorted(by_value)
    return Finding(rule=rule.id, kind=KIND, severity=severity, claim_type=str(first.claim_type),
                   subject=str(first.subject), message=message,
                   evidence=[ctx.evidence(r) for r in rows],
                   key=(str(first.attribute), *distinct), confidence=0.7 if severity == "info" else 0.8,
                   details={"values": by_value, "notes": notes, "same_fact": ties},
                   fact=fact.id if fact else None)


def is_update(details: dict) -> bool:
    """Whether a value finding is a figure the story revised (its notes say so), which reports
    badge "update" rather than present as a dispute."""
    return any(str(n).startswith(UPDATED_FIGURE) or n == RISING_COUNT for n in details.get("notes") or ())


def _choices(ctx, groups, by_value: dict[str, list[str]], rows: list, *, update: bool) -> str:
    """The headline's values with their sources: the odd value first (fewest independent
    sources), the best supported last; an update in the order the story moved through them.
    An outlet that gives two of the values is named with each report's time ("AP 30 Jul
    11:30")."""
    outlets = Counter(name for arts in by_value.values() for name in {ctx.outlet(a) for a in arts})  # values per outlet
    first_seen = {value: n for n, value in reversed(list(enumerate(str(r.normalized) for r in rows)))}

    def published(value):
        times = [ctx.articles[a].published for a in by_value[value]]
        return min((t for t in times if t is not None), default=None)
    if update:
        order = sorted(by_value, key=lambda v: (published(v) is None, published(v).isoformat() if published(v) else "",
                                                first_seen[v]))
    else:
        order = sorted(by_value, key=lambda v: (groups.count(by_value[v]), first_seen[v]))
    options = []
    for value in order:
        articles = by_value[value]
        named = ctx.sources(articles, dated=update or any(outlets[ctx.outlet(a)] > 1 for a in articles))
        if update:  # when the story gave each figure: "5,000 (Wire One, 6 Feb), updated to 7,200 (Wire Two, 7 Feb)"
            dated = [a for a in articles if ctx.articles[a].published is not None]
            first_report = min(dated, key=lambda a: ctx.articles[a].published) if dated else articles[0]
            when = ctx.when(first_report)
            if when and when not in named:
                named += f", {when}"
        copies = groups.copies(articles)
        if copies and len(articles) > 1:
            named += f"; {copies + 1} are one wire copy"
        options.append((value_words(value), named))
    return choices(options, update=update)


def _sources(ctx, groups, articles: list[str]) -> str:
    """The outlets of these articles, and how many of them reprint one wire text."""
    named = ctx.sources(articles)
    copies = groups.copies(articles)
    return named + (f"; {copies + 1} are one wire copy" if copies and len(articles) > 1 else "")


def _update_chain(by_value: dict[str, list[str]], ctx) -> list[str] | None:
    """The values in the order the story's reports moved through them, when every report of
    each value came after every report of the one before (a figure revised as the story ran);
    None when reports overlap in time, one is undated, or the order rests on a date-only stamp
    set against a report of the same day."""
    spans = []
    times_of = {}
    for value, articles in by_value.items():
        times = [ctx.articles[a].published for a in articles]
        if any(t is None for t in times):
            return None
        times_of[value] = times
        spans.append((min(times), max(times), value))
    spans.sort()
    if not all(_before(earlier, later) for (_, _, before_value), (_, _, after_value) in zip(spans, spans[1:])
               for earlier in times_of[before_value] for later in times_of[after_value]):
        return None
    return [value for _, _, value in spans]


def _date_only(moment) -> bool:
    """A publication date without a time of day (read as midnight): it stands for the whole day."""
    return (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0)


def _before(earlier, later) -> bool:
    """``earlier`` was surely published before ``later``: a date-only stamp is the whole day, so it
    is not ordered against another report of the same day (midnight is not "earlier" than 18:00)."""
    if earlier >= later:
        return False
    return earlier.date() != later.date() or not (_date_only(earlier) or _date_only(later))


def _rising(chain: list[str], rows) -> bool:
    """Each value of the chain above every figure before it (a toll that grew as the story ran)."""
    lows: dict[str, list[float]] = defaultdict(list)
    highs: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        if row.low is not None:
            lows[str(row.normalized)].append(row.low)
        if row.high is not None:
            highs[str(row.normalized)].append(row.high)
    for before_value, after_value in zip(chain, chain[1:]):
        if not (lows[after_value] and highs[before_value] and min(lows[after_value]) > max(highs[before_value])):
            return False
    return True


def _later_value(rows, ctx):
    """(value, articles) of the latest-published side when the sides' publication times differ."""
    dated = [(ctx.articles[r.article].published, str(r.normalized), r.article) for r in rows
             if ctx.articles[r.article].published]
    if len({d[1] for d in dated}) < 2:
        return None
    latest = max(d[0] for d in dated)
    latest_values = {d[1] for d in dated if d[0] == latest}
    earliest = min(d[0] for d in dated)
    if len(latest_values) != 1 or latest == earliest:
        return None
    value = latest_values.pop()
    if not all(_before(d[0], latest) for d in dated if d[1] != value):
        return None  # the order would rest on a date-only stamp set against a timed one of the same day
    return value, sorted({d[2] for d in dated if d[1] == value and d[0] == latest})

