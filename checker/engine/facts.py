"""The story's facts: which valued claims state the same fact, decided over the whole story.

A *fact* is one slot of the story - what it is about (a person, a happening) times what is
given of it (how many people were killed, the day of the crash, a person's age) - with every
claim that gives a value for it. Whether two claims state one fact is decided from the whole
story, not from the two sentences alone. Claims are linked by:

- copies: a claim repeated word for word (wire copy carried by several outlets) is one claim;
- alignment (the pairwise path of earlier versions, kept as a named fallback): shared context
  words, one sentence with a figure changed, a distance from one place, one event's date,
  one person's age (``Link.sources``: aligned, variant, sole, located, event, subject);
- the story model (``data/fact_classes.yaml``, data not code): two counts whose nouns name one
  class of thing in one state ("116 sailors trapped" / "118 submariners trapped inside": crew,
  aboard), two times or one-day dates of one happening (the nearest happening word, or the
  story's main happening for "the accident"), and the same day, time or figure given by two
  articles (agreement is evidence of sameness; it never makes a conflict).

Linked claims are clustered into facts, strongest links first. A join is refused when one
article would then give two different values of the fact in two sentences over a link that is
not strong (alignment and a named person's age are strong; the story model's links are not):
an article rarely does that without saying so, so the two values are more likely two facts.
A count whose sentence dates it to another year than the article's ("a 2003 quake killed
26,000") is background and joins no slot. A claim nothing links stays unresolved.

Rules compare only claims a link ties directly, so clustering never makes a conflict: it
keeps model-linked claims apart when the story says they are two facts, and it gives each
finding its fact and the fact sheet its rows. Articles that reprint one wire text (most of
their sentences the same) count as one source (``SourceGroups``).

``params`` are a value rule's options (``checker.rules.value_conflict``): its alignment
settings decide the fallback links, its tolerances what counts as two values.
"""
from __future__ import annotations

import bisect
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from claims.base import content_words, match_stem, stem
from claims.events import base_word
from claims.model import Claim
from claims.numbers import NUMBER_RE
from checker.engine.align import (aligned_pairs, copy_groups, event_pairs, event_word_set, number_variant_pairs,
                                  word_set)
from checker.engine.deadline import within_time
from checker.engine.options import compiled_patterns
from checker.engine.values import categorical_conflict, is_numeric, numeric_conflict

CLASSES_FILE = Path(__file__).resolve().parent / "data" / "fact_classes.yaml"
FACT_TYPES = ("count", "date", "duration", "age", "citizenship", "place")
# link sources: the pairwise alignment's (strong: an article giving both values contradicts
# itself) and the story model's
ALIGNMENT = frozenset({"aligned", "subject", "variant", "sole", "located", "event"})
NEAR_WORDS = 12  # a happening word this many words from a date or time is what it dates


# --- the pairwise tests (the fallback alignment, and what keeps any two claims apart) ----------

_COMPOUND = re.compile(r"^[^-\s]+-")  # "five-story apartment" describes a thing, it does not count


def _merged(pairs: list[tuple[int, int, float]], more: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """``pairs`` and the pairs of ``more`` that it does not hold yet (the first score kept)."""
    known = {(a, b) for a, b, _ in pairs}
    return pairs + [p for p in more if (p[0], p[1]) not in known]


def _sole_pairs(rows: list, articles: dict[int, set[str]], params) -> list[tuple[int, int, float]]:
    """Pairs of plain counts ("116 sailors", "Three of the suspects"; no unit, no money, no
    "five-story") that are each the only claim of their block in every article carrying them,
    and whose contexts share
    ``sole_min_shared`` words: when each report counts suspects once, the two counts are the
    same count unless their words say otherwise."""
    per_article: dict[tuple[str, str], int] = {}
    for r in rows:
        for art in articles[r.index]:
            for key in (art, (art, r.attribute)):
                per_article[key] = per_article.get(key, 0) + 1
    # a part of a group ("Three of the suspects", attribute "suspect|of") is the only one of
    # its kind if no other part of that group is counted, whatever else counts suspects
    sole = [r for r in rows if not r.unit and not _COMPOUND.match(str(r.value))
            and all(per_article[(a, r.attribute) if str(r.attribute).endswith("|of") else a] == 1
                    for a in articles[r.index])]
    words = {r.index: word_set(r.context, params["word_prefix"]) for r in sole}
    out = []
    for i, a in enumerate(sole):
        for b in sole[i + 1:]:
            if articles[a.index] != articles[b.index] and len(words[a.index] & words[b.index]) >= params["sole_min_shared"]:
                out.append((a.index, b.index, 0.0))
    return out


def same_role(a, b) -> bool:
    """A statement's date ("said Sunday") and an event's ("the call Saturday morning") date
    different things, however alike the sentences; so do a length ("stuck for five days") and
    an offset from some other event ("five hours later", "25 minutes after the crash")."""
    ea, eb = a.extra or {}, b.extra or {}
    return bool(ea.get("reported")) == bool(eb.get("reported")) and _span_kind(ea) == _span_kind(eb)


# durations: a length (no relation), an offset from another event, or a distance in time
_RELATION_KIND = {"later": "offset", "earlier": "offset", "after": "offset", "before": "offset",
                  "afterward": "offset", "afterwards": "offset", "away": "distance"}


_IMPLICIT_START = ("later", "earlier", "afterward", "afterwards")  # "five hours later": after what?


OFFSET_SENTENCE_OVERLAP = 0.6


_OFFSET_WORDS = set(content_words(" ".join(_IMPLICIT_START) + " seconds minutes hours days weeks months years"))


def _unanchored_offsets(a, b) -> bool:
    """Two offsets whose starting point the sentence does not say ("five hours later", "One day
    later, he ...") count from whatever each story told last: only when the rest of the two
    sentences is mostly the same ("she was freed five days later" / "where she was freed five days later")
    are they offsets of one event."""
    if not all((r.extra or {}).get("relation") in _IMPLICIT_START for r in (a, b)):
        return False
    wa, wb = (set(content_words(NUMBER_RE.sub(" ", r.sentence))) - _OFFSET_WORDS for r in (a, b))
    return not (wa and wb and len(wa & wb) >= OFFSET_SENTENCE_OVERLAP * min(len(wa), len(wb)))


def _span_kind(extra: dict) -> str | None:
    """A duration's kind: a length (None), an offset from another event, a distance in time,
    or the first or final part of a longer period ("the first three days of the talks"; "the last
    two days" stays a length, as "in the last two days" usually is)."""
    if extra.get("relation"):
        return _RELATION_KIND.get(extra["relation"])
    if str(extra.get("frame", "")).split()[-1:] in (["first"], ["final"]):
        return "part"
    return None


def same_scope(a, b) -> bool:
    """Counts narrowed differently count different things: "three Atlanta-area bombings" and
    "four Southern bombings"; "Argun, 10 kilometers" and "Shali, 40 kilometers" from one city;
    "110 km southeast" and "130 km east" of it. A count with no narrowing words ("116 sailors")
    fits any."""
    if a.claim_type != "count":
        return True
    ea, eb = a.extra or {}, b.extra or {}
    for key in ("modifiers", "heading"):
        if ea.get(key) and eb.get(key) and not _name_words(ea[key]) & _name_words(eb[key]):
            return False
    # places and origins are names: "Al Kut" and "Al Amarah" share a word but not a place
    return all(same_place(ea[key], eb[key]) for key in ("place", "from") if ea.get(key) and eb.get(key))


def _name_words(text: str) -> set[str]:
    """The words of a narrowing phrase, lower-cased, without the "of the" that joins two names
    ("Harbor Refinery of the National Oil Company")."""
    return set(text.lower().split()) - {"of", "the"}


def same_place(a: str, b: str) -> bool:
    """One name holds the other's words: "Harbor Refinery" is "the Harbor Refinery of the
    National Oil Company"; "San Miguel" is not "San Vicente"."""
    wa, wb = _name_words(a), _name_words(b)
    return bool(wa and wb) and (wa <= wb or wb <= wa)


def _located_pairs(rows: list, articles: dict[int, set[str]]) -> list[tuple[int, int, float]]:
    """Pairs of distances that locate one place from one other place the same way ("the Harbor
    Refinery, about 90 kilometers north of Lakeport" in both reports), however little else
    their sentences share: the two names and the heading say what is measured (``same_scope``)."""
    located = [r for r in rows if all((r.extra or {}).get(k) for k in ("place", "heading", "from"))]
    return [(a.index, b.index, 0.0) for i, a in enumerate(located) for b in located[i + 1:]
            if articles[a.index] != articles[b.index] and same_scope(a, b)]


def _dated_event_pairs(rows, row_of, articles, copies, story, params, one_off) -> list[tuple[int, int, float]]:
    """Pairs of one-day dates aligned by what they are the dates of, however little else their
    sentences share: the same event word and ``min_event_context`` context words; for two
    calendar dates of one person's deed, ``min_event_context_calendar`` words, one of them
    neither the deed nor the person's name ("filed for divorce July 29"); for a happening a
    story has once (``one_off_events``), that word, unless the two sentences name different
    places; with ``quoted_statements``, the sentences quoting one utterance."""
    prefix = params["word_prefix"]
    days = [r for r in rows if one_day(r)]
    out = event_pairs(days, params["min_event_shared"], params["min_event_context"], prefix=prefix, articles=articles)
    calendar = params["min_event_context_calendar"]
    if calendar is not None and calendar < params["min_event_context"]:
        for a, b, j in event_pairs([r for r in days if _calendar_day(r)], params["min_event_shared"], calendar,
                                   prefix=prefix, articles=articles):
            ra, rb = row_of[a], row_of[b]
            names = word_set(" ".join(content_words(ra.subject)), prefix)
            if ra.subject and ra.subject == rb.subject and _other_shared(ra, rb, prefix, names):
                out.append((a, b, j))
    if one_off:
        # every date here names such a happening: its word is common by design, not boilerplate
        dated = [r for r in days if event_word_set(r) & one_off]
        out += [(a, b, j) for a, b, j in event_pairs(dated, params["min_event_shared"], 0, prefix=prefix,
                                                     articles=articles, max_df=1.0)
                if not placed_apart(row_of[a], row_of[b], story)]
    if params["quoted_statements"]:
        out += [(a, b, 0.0) for a, b in sorted(_quoted_pairs(days, articles, copies, story))]
    return out


def placed_apart(a, b, story) -> bool:
    """Each sentence names places and none is the other's: "a bomb exploded Monday in Varna"
    and "a bomb exploded Wednesday in Ruse" are two bombings."""
    pa, pb = story.places_in(a.article, a.sentence_index), story.places_in(b.article, b.sentence_index)
    return bool(pa and pb) and not any(same_place(x, y) for x in pa for y in pb)


def _other_shared(a, b, prefix: int | None, also_not: set[str] = frozenset()) -> bool:
    """The two contexts share a word besides the event words and those of ``also_not`` (a
    person's name): "filed for divorce July 27" meets "filed for divorce July 29"; "flew to
    London July 20" is not "flew to Paris July 27"."""
    shared = {base_word(w) for w in str(a.context).split()} & {base_word(w) for w in str(b.context).split()}
    return bool(word_set(" ".join(shared), prefix) - event_word_set(a, prefix) - event_word_set(b, prefix)
                - also_not)


def _quoted_pairs(days: list, articles: dict[int, set[str]], copies: dict[int, list], story) -> set[tuple[int, int]]:
    """Pairs of statement dates ("said Sunday", "Speaking to state radio Sunday night"), each
    the only one in its sentence, whose two sentences quote one utterance (a quote family,
    ``checker.quote_families``): "Asked Wednesday whether the pair were spies, Lund said, 'Each
    of our citizens matters to us'" and "In an interview on state radio Sunday night, Lund said
    that 'each of our citizens matters to us'" date one statement, however little else the
    sentences share. A date of anything else in such a sentence ("Lund, who arrives on Friday,
    said ...") is left to the other tests."""
    by_sentence: dict[tuple[str, int], list[int]] = {}
    for r in days:
        if (r.extra or {}).get("reported"):
            for copy in copies[r.index]:  # a copy may sit at another place in its article
                by_sentence.setdefault((copy.article, copy.sentence_index), []).append(r.index)
    lone = {key: found[0] for key, found in by_sentence.items() if len(found) == 1}
    if len(lone) < 2:
        return set()
    out: set[tuple[int, int]] = set()
    for family in story.quote_families():
        dated = sorted({lone[key] for key in {(p.article, p.row.sentence_index) for p in family.pieces}
                        if key in lone})
        out.update((a, b) for i, a in enumerate(dated) for b in dated[i + 1:] if articles[a] != articles[b])
    return out


def _different_events(a, b, prefix: int | None) -> bool:
    """Two dates whose event words are both known and share none date different events:
    "the 1994 slayings" and "acquitted Simpson in 1995"."""
    ea, eb = (a.extra or {}).get("event"), (b.extra or {}).get("event")
    if not ea or not eb:
        return False
    return not word_set(ea, prefix) & word_set(eb, prefix)


def one_day(row) -> bool:
    """A date claim naming one day ("Oct. 31", "Tuesday"), not a month, year or span."""
    return (row.extra or {}).get("granularity") == "day" and row.low is not None and row.low == row.high


def _calendar_day(row) -> bool:
    """A one-day date written with its month and day ("July 29", "Oct. 31"), not a weekday
    resolved to one: the writer named the very day, so less context is needed to pair it."""
    extra = row.extra or {}
    return one_day(row) and "month" in extra and "day" in extra and not extra.get("weekday")


def _compatible(a: str, b: str, generic: list[str]) -> bool:
    """The same head noun (or one of them generic, like a bare "duration"), and the same verb:
    "people|killed" and "people|injured" count different things; a missing verb fits any."""
    ha, _, va = str(a).partition("|")
    hb, _, vb = str(b).partition("|")
    if ha != hb and ha not in generic and hb not in generic:
        return False
    return not va or not vb or va == vb


def block_key(fields: list[str]):
    """The block key: claim fields, where "head" is the attribute's head noun ("people" of
    "people|killed")."""
    def value(claim, name):
        return str(claim.attribute).split("|")[0] if name == "head" else getattr(claim, name)
    return lambda claim: tuple(value(claim, name) for name in fields)


# --- the story model: classes of things, states and happenings (data) -------------------------

@lru_cache(maxsize=1)
def tables() -> dict[str, dict[str, str] | set[str]]:
    """word -> class for each table of ``data/fact_classes.yaml``, every word under the stems
    ``claims.base`` gives it (claims' attributes and contexts hold stems)."""
    # libyaml's safe loader when PyYAML has it: the same data in a tenth of the time (once a process)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(CLASSES_FILE.read_text(encoding="utf-8"), Loader=loader) or {}  # noqa: S506 - a safe loader
    out: dict[str, dict[str, str] | set[str]] = {}
    for name in ("nouns", "states", "happenings"):
        table: dict[str, str] = {}
        for cls, words in (data.get(name) or {}).items():
            for word in str(words).split():
                for form in (word, stem(word), match_stem(word)):
                    table.setdefault(form, cls)
        out[name] = table
    for name in ("generic_nouns", "generic_happenings"):
        out[name] = {form for word in str(data.get(name, "")).split() for form in (word, stem(word), match_stem(word))}
    return out


@lru_cache(maxsize=1 << 14)
def _happening_of_word(word: str) -> str | None:
    table = tables()["happenings"]
    lower = word.lower()
    return table.get(lower) or table.get(match_stem(lower))


_WORD = re.compile(r"[A-Za-z][a-z]+")
_TOKEN = re.compile(r"\S+")


@lru_cache(maxsize=4096)
def _sentence_happenings(sentence: str) -> tuple[list[int], list[int], list[tuple[int, int, str]]]:
    """Where the sentence's words start and end, and its happening words (start, end, class):
    read once per sentence, however many dates it holds."""
    tokens = list(_TOKEN.finditer(sentence))
    found = [(m.start(), m.end(), h) for m in _WORD.finditer(sentence) if (h := _happening_of_word(m.group()))]
    return [t.start() for t in tokens], [t.end() for t in tokens], found


def nearest_happening(claim: Claim) -> str | None:
    """The happening the word nearest to the claim in its sentence names (at most
    ``NEAR_WORDS`` words away): "the fire on Friday night", "struck at 3:02 a.m."."""
    sentence, value = str(claim.sentence), str(claim.value)
    at = sentence.find(value)
    if at < 0:
        return None
    starts, ends, found = _sentence_happenings(sentence)
    if not found:
        return None
    after = bisect.bisect_left([f[0] for f in found], at)
    best: tuple[int, str] | None = None
    for i in (after - 1, after):  # the nearest before the value and the nearest after it
        if not 0 <= i < len(found):
            continue
        f_start, f_end, cls = found[i]
        if f_end <= at:  # words wholly between the happening word and the value
            gap = bisect.bisect_right(ends, at) - bisect.bisect_left(starts, f_end)
        else:
            gap = bisect.bisect_right(ends, f_start) - bisect.bisect_left(starts, at + len(value))
        gap = max(gap, 0)
        if best is None or gap < best[0]:
            best = (gap, cls)
    return best[1] if best and best[0] <= NEAR_WORDS else None


@dataclass
class StoryModel:
    """What the fact model knows of the whole story, read once: its main happening (the one
    at least half its articles name: what "the accident" or an unexplained time of day refers
    to), the years each sentence names, and which articles are one wire text."""

    main_happening: str | None
    sentence_years: dict[tuple[str, int], list[int]]
    sentence_days: dict[tuple[str, int], list[int]]  # day ordinals of the dates a sentence names
    groups: SourceGroups
    slots: dict[int, tuple[str, ...] | None] = field(default_factory=dict)  # by claim index, read once


def story_model(claims: list[Claim], articles: int, groups: SourceGroups) -> StoryModel:
    seen: dict[str, set[str]] = defaultdict(set)
    years: dict[tuple[str, int], list[int]] = defaultdict(list)
    days: dict[tuple[str, int], list[int]] = defaultdict(list)
    for claim in claims:
        for word in str(claim.context).split():
            found = _happening_of_word(word)
            if found:
                seen[found].add(claim.article)
        extra = claim.extra or {}
        if claim.claim_type == "date" and extra.get("year") and not extra.get("year_inferred"):
            years[(claim.article, claim.sentence_index)].append(int(extra["year"]))
        if claim.claim_type == "date" and extra.get("granularity") == "day" and claim.low is not None:
            days[(claim.article, claim.sentence_index)].append(int(claim.low))
    best = max(seen, key=lambda h: (len(seen[h]), h)) if seen else None
    main = best if best and 2 * len(seen[best]) >= articles else None
    return StoryModel(main, dict(years), dict(days), groups)


BACKGROUND_DAYS = 30  # a sentence dated this long before its report tells of something earlier


def _background(claim: Claim, story) -> bool:
    """The claim's sentence dates what it says to another year than its article's, or to a day
    long before it: "a 2003 earthquake in Bam killed more than 26,000" and "a family quarrel
    June 3 that left seven people dead" (in a report of July 30) are background, not this
    story's toll."""
    model, key = story.story_model(), (claim.article, claim.sentence_index)
    years, days = model.sentence_years.get(key), model.sentence_days.get(key)
    if not years and not days:
        return False
    published = story.articles[claim.article].published
    if published is None:
        return bool(years)
    filed = published.date().toordinal()
    return any(year != published.year for year in years or ()) or any(filed - day > BACKGROUND_DAYS for day in days or ())


def happening(claim: Claim, story) -> str | None:
    """What a date or time is the date of: the happening named nearest to it; else the one its
    context words name; else, for a time of day or "the accident", the story's main happening."""
    found = nearest_happening(claim)
    if found:
        return found
    extra = claim.extra or {}
    words = set(str(claim.context).split())
    named = {_happening_of_word(w) for w in words} - {None}
    if len(named) == 1:
        return named.pop()
    if not named and (extra.get("granularity") == "time" or words & tables()["generic_happenings"]):
        return story.story_model().main_happening
    return None


def count_class(claim: Claim) -> tuple[str, str]:
    """(class of the counted noun, its state): "118 submariners trapped" -> (crew, aboard)."""
    t = tables()
    head, _, verb = str(claim.attribute).partition("|")
    noun = t["nouns"].get(head, head)
    state = t["states"].get(verb, verb) if verb and verb != "of" else ""
    if noun == "dead":
        noun, state = "people", state or "killed"
    if head in t["generic_nouns"]:
        noun = "people"
    return noun, state


def slot(claim: Claim, story) -> tuple[str, ...] | None:
    """What the story model says a claim gives: ("count", class, state), ("date", happening) or
    ("time", happening, timezone); None when it cannot say (then alignment alone links it)."""
    known = story.story_model().slots
    if claim.index not in known:
        known[claim.index] = _slot(claim, story)
    return known[claim.index]


def _slot(claim: Claim, story) -> tuple[str, ...] | None:
    extra = claim.extra or {}
    if claim.claim_type == "count":
        if claim.unit or str(claim.attribute).endswith("|of") or _COMPOUND.match(str(claim.value)) \
                or _background(claim, story):
            return None  # a distance, sum or share measures many things; a part is no whole;
            # "a five-story building" describes a thing, it does not count
        noun, state = count_class(claim)
        if noun == "people" and not state:
            return None  # "20 people": too general alone
        return ("count", noun, state)
    if claim.claim_type != "date" or extra.get("reported"):
        return None
    if extra.get("granularity") == "time":
        found = happening(claim, story)
        zone = str(extra.get("timezone") or "")
        return ("time", found, "" if zone == "local" else zone) if found else None
    if extra.get("granularity") == "day" and (one_day(claim) or claim.low is None):
        found = happening(claim, story)
        return ("date", found) if found else None
    return None


def _shares_context(a: Claim, b: Claim, prefix: int | None) -> bool:
    """Two counts of one class share a context word besides the counted nouns."""
    nouns = tables()["nouns"]
    heads = {nouns.get(h, h) for h in (str(a.attribute).split("|")[0], str(b.attribute).split("|")[0])}
    wa = {nouns.get(w, w) for w in word_set(a.context, prefix)} - heads
    wb = {nouns.get(w, w) for w in word_set(b.context, prefix)} - heads
    return bool(wa & wb)


# --- facts ---------------------------------------------------------------------------------------

@dataclass
class Link:
    """Why two claims are taken to state one fact (``sources``); ``strong`` when an article
    giving both values would contradict itself rather than tell two facts."""

    sources: set[str] = field(default_factory=set)
    strong: bool = False

    @property
    def aligned(self) -> bool:
        return bool(self.sources & ALIGNMENT)


@dataclass
class Fact:
    """One fact of the story: what it is ``about`` and which ``attribute`` of it, with every
    claim that gives it a value (copies included, in story order). ``id`` is stable across
    checks: it depends on what the fact is and its best supported value, not on offsets."""

    id: str
    claim_type: str
    about: str
    attribute: str
    claims: list[Claim]
    differs: bool = False  # two of its values cannot both be true (a rule says whether it is a conflict)

    @property
    def articles(self) -> list[str]:
        return sorted({c.article for c in self.claims})

    def values(self) -> dict[str, list[Claim]]:
        """normalized value -> its claims, in the order the story first gives them."""
        out: dict[str, list[Claim]] = {}
        for claim in self.claims:
            out.setdefault(str(claim.normalized), []).append(claim)
        return out


@dataclass
class FactBlock:
    """The claims a value rule compares at all (one claim type and what ``block_by`` keeps
    apart), with their links and facts. ``rows`` stand for their word-for-word copies
    (``copies[row.index]``), which ``articles[row.index]`` carry."""

    rows: list[Claim]
    copies: dict[int, list[Claim]]
    articles: dict[int, set[str]]
    links: dict[tuple[int, int], Link]
    fact_of: dict[int, Fact]


@dataclass
class StoryFacts:
    facts: list[Fact]
    blocks: list[FactBlock]


class SourceGroups:
    """Articles that carry one wire text count as one source: two articles are copies when
    most (``COPY_SHARE``) of the shorter one's sentences appear word for word in the other."""

    COPY_SHARE = 0.6
    MIN_SENTENCES = 3
    MIN_CHARS = 40  # shorter sentences ("He said.", datelines) prove nothing

    def __init__(self, sentences: dict[str, list[str]]):
        parent = {a: a for a in sentences}

        def find(x: str) -> str:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x
        kept = {a: {" ".join(s.lower().split()) for s in sents if len(s) > self.MIN_CHARS}
                for a, sents in sentences.items()}
        holders: dict[str, list[str]] = defaultdict(list)
        for article, sents in kept.items():
            for s in sents:
                holders[s].append(article)
        shared: Counter[tuple[str, str]] = Counter()
        for found in holders.values():
            if 1 < len(found) <= 50:  # a sentence in very many articles is boilerplate
                for i, a in enumerate(found):
                    for b in found[i + 1:]:
                        shared[(a, b)] += 1
        for (a, b), n in shared.items():
            smaller = min(len(kept[a]), len(kept[b]))
            if smaller >= self.MIN_SENTENCES and n >= self.COPY_SHARE * smaller:
                parent[find(a)] = find(b)
        self.group = {a: find(a) for a in sentences}

    def count(self, articles: Iterable[str]) -> int:
        """How many sources these articles are (wire copies counted once)."""
        return len({self.group.get(a, a) for a in articles})

    def copies(self, articles: Iterable[str]) -> int:
        """How many of these articles reprint another of them."""
        articles = list(articles)
        return len(articles) - self.count(articles)


def conflicting(params):
    """Whether two claims' values cannot both be true under a rule's tolerances."""
    def test(a: Claim, b: Claim) -> bool:
        if is_numeric(a) and is_numeric(b):
            return numeric_conflict(a, b, params) is not None
        if not is_numeric(a) and not is_numeric(b):
            return categorical_conflict(a, b, params)
        return False
    return test


def _alignment_links(rows, row_of, articles, copies, story, params, one_off) -> dict[tuple[int, int], str]:
    """(a, b) -> what aligned them: the pairwise path, as value rules always compared claims."""
    found: dict[tuple[int, int], str] = {}

    def add(pairs, source):
        for a, b, *_ in pairs:
            found.setdefault((a, b), source)
    by_subject = "subject" in params["block_by"] and not params["min_shared_words"]
    add(aligned_pairs(rows, params["min_shared_words"], params["min_context_jaccard"],
                      min_overlap=params["min_context_overlap"], prefix=params["word_prefix"],
                      min_sentence_overlap=params["min_sentence_overlap"],
                      subject_counts=params["subject_as_context"], articles=articles),
        "subject" if by_subject else "aligned")
    add(number_variant_pairs(rows, articles), "variant")
    if params["sole_min_shared"]:
        add(_sole_pairs(rows, articles, params), "sole")
    add(_located_pairs(rows, articles), "located")
    if params["min_event_shared"]:
        add([p for p in _dated_event_pairs(rows, row_of, articles, copies, story, params, one_off)
             if abs(row_of[p[0]].low - row_of[p[1]].low) <= params["max_event_gap"]], "event")
    return {(a, b): source for (a, b), source in found.items()
            if _compatible(row_of[a].attribute, row_of[b].attribute, params["generic_attributes"])
            and same_role(row_of[a], row_of[b]) and same_scope(row_of[a], row_of[b])
            and not _unanchored_offsets(row_of[a], row_of[b])
            and not _different_events(row_of[a], row_of[b], params["word_prefix"])}


MAX_FULL_SLOT = 40  # a slot this large links each value's first claim to the others', not all pairs
MAX_SLOT_VALUES = 20  # a slot given this many different values is many facts, not one
SAME_VALUE_REACH = 8  # how many earlier claims of one value a claim looks back over for its kind


def _model_links(rows, articles, story, params) -> list[tuple[int, int, str]]:
    """(a, b, source) for claims the story model ties: one slot, or one value of one kind.
    Agreeing claims are chained (agreement never makes a conflict, so one path is enough);
    in a large slot only each value's first claim meets the other values' claims, which keeps
    the work near-linear in the story's size."""
    out: list[tuple[int, int, str]] = []
    slots: dict[tuple, list[Claim]] = defaultdict(list)
    same_value: dict[tuple, list[Claim]] = defaultdict(list)
    for r in rows:
        found = slot(r, story)
        if found is not None:
            slots[found].append(r)
        extra = r.extra or {}
        if r.claim_type == "date" and extra.get("granularity") in ("day", "time") and not extra.get("reported"):
            same_value[("date", extra["granularity"], str(r.normalized))].append(r)
        elif r.claim_type == "count" and not str(r.attribute).endswith("|of") and not _background(r, story):
            same_value[("count", r.unit, str(r.normalized))].append(r)
    for key, members in slots.items():
        if len({str(m.normalized) for m in members}) > MAX_SLOT_VALUES:
            continue
        for a, b in within_time(_slot_pairs(members), "linking facts"):
            if len(articles[a.index] | articles[b.index]) < 2 or not (
                    same_role(a, b) and same_scope(a, b) and not _unanchored_offsets(a, b)):
                continue
            if key[0] == "date" and (placed_apart(a, b, story) or (
                    a.low is not None and b.low is not None and abs(a.low - b.low) > params["max_event_gap"])):
                continue  # "a bomb in Varna Monday" / "a bomb in Ruse Wednesday"; a month apart
            if key[0] == "count" and not key[2] and not _shares_context(a, b, params["word_prefix"]):
                continue  # a thing counted in no state: its words must meet once
            out.append((a.index, b.index, "same " + ("class" if key[0] == "count" else "happening")))
    for key, members in same_value.items():
        for n, b in enumerate(members):
            # the nearest earlier claim of the value that is about the same kind of thing
            for a in reversed(members[max(0, n - SAME_VALUE_REACH):n]):
                if articles[a.index] == articles[b.index] and len(articles[a.index]) == 1:
                    continue
                if key[0] == "count" and not (same_scope(a, b) and (
                        count_class(a) == count_class(b) or _shares_context(a, b, params["word_prefix"]))):
                    continue
                out.append((a.index, b.index, "same value"))
                break
    return out


def _slot_pairs(members: list[Claim]):
    """Every pair of a small slot; in a large one, each claim with the first claim of every
    other value and with the claim of its own value before it."""
    if len(members) <= MAX_FULL_SLOT:
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                yield a, b
        return
    firsts: dict[str, Claim] = {}
    previous: dict[str, Claim] = {}
    for claim in members:
        value = str(claim.normalized)
        for other_value, first in firsts.items():
            if other_value != value:
                yield first, claim
        if value in previous:
            yield previous[value], claim
        firsts.setdefault(value, claim)
        previous[value] = claim


def _cluster(rows: list[Claim], links: dict[tuple[int, int], Link], articles: dict[int, set[str]],
             test) -> list[list[int]]:
    """Rows joined along their links, strong and agreeing links first. A join is refused when
    one article would give two conflicting values in two sentences over no strong link, or when
    two conflicting values would meet that no link between the two clusters ties: a fact's
    values that cannot both be true are always values a rule compared."""
    row_of = {r.index: r for r in rows}
    parent = {r.index: r.index for r in rows}
    members = {r.index: [r.index] for r in rows}
    values = {r.index: {str(r.normalized): r} for r in rows}  # each value's first row
    # each cluster's rows by the articles carrying them: only rows of one article can clash
    by_article: dict[int, dict[str, list[int]]] = {r.index: {a: [r.index] for a in articles[r.index]} for r in rows}
    adjacent: dict[int, set[int]] = defaultdict(set)
    for a, b in links:
        adjacent[a].add(b)
        adjacent[b].add(a)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def allowed(left: int, right: int) -> bool:
        for article in by_article[left].keys() & by_article[right].keys():
            for x in by_article[left][article]:
                for y in by_article[right][article]:
                    a, b = row_of[x], row_of[y]
                    if a.sentence == b.sentence or not test(a, b):
                        continue
                    link = links.get((min(x, y), max(x, y)))
                    if link is None or not link.strong:
                        return False
        clashing = [(va, vb) for va, ra in values[left].items() for vb, rb in values[right].items()
                    if va != vb and test(ra, rb)]
        if not clashing:
            return True
        tied = {(str(row_of[x].normalized), str(row_of[y].normalized))
                for x in members[left] for y in adjacent[x] if find(y) == right}
        return all(pair in tied for pair in clashing)
    order = sorted(links.items(), key=lambda item: (not item[1].strong, test(row_of[item[0][0]], row_of[item[0][1]]),
                                                    item[0]))
    for (a, b), _ in within_time(order, "clustering facts"):
        ra, rb = find(a), find(b)
        if ra == rb or not allowed(ra, rb):
            continue
        keep, gone = min(ra, rb), max(ra, rb)
        parent[gone] = keep
        members[keep] += members.pop(gone)
        for value, row in values.pop(gone).items():
            values[keep].setdefault(value, row)
        for article, rows_of_article in by_article.pop(gone).items():
            by_article[keep].setdefault(article, []).extend(rows_of_article)
    return [sorted(m) for m in members.values()]


def _label(claims: list[Claim], story) -> tuple[str, str]:
    """(about, attribute) of a fact, in words, from what most of its claims say."""
    first = claims[0]
    if first.claim_type in ("age", "citizenship", "place"):
        about = Counter(c.subject for c in claims if c.subject).most_common(1)
        attribute = first.claim_type if first.claim_type != "place" else str(first.attribute).replace("_", " ")
        return (about[0][0] if about else ""), attribute
    if first.claim_type == "date":
        kinds = Counter(slot(c, story) for c in claims)
        named = [k for k, _ in kinds.most_common() if k]
        attribute = "time" if (first.extra or {}).get("granularity") == "time" else "date"
        return (named[0][1] if named else ""), attribute
    if first.claim_type == "count":
        classes = Counter(count_class(c) for c in claims).most_common(1)[0][0]
        unit = first.unit if first.unit and first.unit != "USD" else ("sum" if first.unit else "")
        words = [w for w in (classes[0] if not unit else unit, classes[1]) if w]
        return "", " ".join(words)
    return "", str(first.attribute).replace("|", " ")


def fact_id(claim_type: str, about: str, attribute: str, value: str) -> str:
    text = "\x1f".join((claim_type, about.lower(), attribute.lower(), value.lower()))
    return "fact-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def build_facts(claims: list[Claim], story, params) -> StoryFacts:
    """The facts of these claims (one value rule's), with the blocks the rule compares in.

    ``story`` is the story context (``checker.engine.context.StoryContext``): its articles,
    claims, places per sentence, quote families and source groups."""
    if params["attributes"]:  # only the claims whose attribute the rule asks for (none: all)
        wanted = compiled_patterns(params["attributes"])
        claims = [c for c in claims if any(p.search(str(c.attribute)) for p in wanted)]
    outer = block_key([f if f != "head" else "unit" for f in params["block_by"]])
    inner = block_key(params["block_by"])
    one_off = frozenset(word_set(" ".join(match_stem(w) for w in params["one_off_events"])))
    test = conflicting(params)
    groups = story.story_model().groups
    by_outer: dict[tuple, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_outer[outer(claim)].append(claim)
    facts: list[Fact] = []
    blocks: list[FactBlock] = []
    for block in by_outer.values():
        copies = copy_groups(block)
        rows = [members[0] for members in copies.values()]
        row_of = {r.index: r for r in rows}
        articles = {i: {c.article for c in members} for i, members in copies.items()}
        links: dict[tuple[int, int], Link] = {}
        if len({c.article for c in block}) > 1:
            by_inner: dict[tuple, list[Claim]] = defaultdict(list)
            for r in rows:
                by_inner[inner(r)].append(r)
            for sub in by_inner.values():
                if len({a for r in sub for a in articles[r.index]}) < 2:
                    continue
                for (a, b), source in _alignment_links(sub, row_of, articles, copies, story, params, one_off).items():
                    link = links.setdefault((a, b), Link())
                    link.sources.add(source)
                    # aligned claims are compared as they always were: an article giving both values
                    # of an aligned pair contradicts itself, it does not tell two facts
                    link.strong = True
            for a, b, source in _model_links(rows, articles, story, params):
                links.setdefault((min(a, b), max(a, b)), Link()).sources.add(source)
        fact_of: dict[int, Fact] = {}
        for members in _cluster(rows, links, articles, test):
            claimed = sorted((c for i in members for c in copies[i]), key=lambda c: c.index)
            if len(members) == 1 and not slot(row_of[members[0]], story) and row_of[members[0]].claim_type == "count":
                continue  # unresolved: nothing says what this count counts in the story
            about, attribute = _label(claimed, story)
            holders: dict[str, set[str]] = defaultdict(set)
            for c in claimed:
                holders[str(c.normalized)].add(c.article)
            best = min(holders, key=lambda v: (-groups.count(holders[v]), v))
            firsts = {str(c.normalized): c for c in reversed(claimed)}
            differs = any(test(a, b) for i, a in enumerate(firsts.values()) for b in list(firsts.values())[i + 1:])
            fact = Fact(fact_id(claimed[0].claim_type, about, attribute, best), claimed[0].claim_type, about,
                        attribute, claimed, differs)
            facts.append(fact)
            for i in members:
                fact_of[i] = fact
        blocks.append(FactBlock(rows, copies, articles, links, fact_of))
    return StoryFacts(_unique_ids(facts), blocks)


# --- why (``claimcheck explain``: built on demand, never during a check) -------------------------

def link_vetoes(a: Claim, b: Claim, story, params) -> list[str]:
    """Why the tests that keep any two claims apart keep these two apart, in words (empty:
    none does): what ``_alignment_links`` and the story model check before linking."""
    out = []
    if not _compatible(a.attribute, b.attribute, params["generic_attributes"]):
        out.append(f"their attributes count different things ('{a.attribute}' / '{b.attribute}')")
    if not same_role(a, b):
        out.append("one dates a statement or is an offset from another event, the other does not")
    if not same_scope(a, b):
        out.append("they are narrowed differently (places, headings or modifiers that do not match)")
    if _unanchored_offsets(a, b):
        out.append("both are offsets ('N later') from a start their sentences do not share")
    if _different_events(a, b, params["word_prefix"]):
        out.append(f"they date different events ('{(a.extra or {}).get('event')}' / "
                   f"'{(b.extra or {}).get('event')}')")
    return out


def slot_words(found: tuple[str, ...] | None) -> str:
    """A story model slot (``slot``) in words."""
    if not found:
        return "nothing (the story model cannot say what it gives)"
    if found[0] == "count":
        return "a count of " + " ".join(w for w in found[1:] if w)
    if found[0] == "time":
        return f"the time of the {found[1]}" + (f" ({found[2]})" if len(found) > 2 and found[2] else "")
    return f"the date of the {found[1]}"


def join_refusal(block: FactBlock, fact_a: Fact, fact_b: Fact, params) -> str:
    """Why clustering kept two linked claims in two facts, in words: an article gives two
    conflicting values of them in two sentences over no strong link (the cannot-link), or two
    conflicting values would meet that no link ties."""
    test = conflicting(params)
    rows_a = [c for c in fact_a.claims if c.index in block.articles]
    rows_b = [c for c in fact_b.claims if c.index in block.articles]
    for x in rows_a:
        for y in rows_b:
            shared = sorted(block.articles[x.index] & block.articles[y.index])
            if not shared or x.sentence == y.sentence or not test(x, y):
                continue
            link = block.links.get((min(x.index, y.index), max(x.index, y.index)))
            if link is None or not link.strong:
                return (f"article {shared[0]} gives both {x.value!r} and {y.value!r}, in two sentences, and no "
                        "alignment ties the two: one article rarely gives two values of one fact without saying "
                        "so, so they are taken as two facts (the cannot-link)")
    return ("joining them would bring together values that cannot both be true and that no link between "
            "the two facts ties")


def _unique_ids(facts: list[Fact]) -> list[Fact]:
    """Two facts that would share an id (same label, same best value) get a suffix, in story order."""
    seen: Counter[str] = Counter()
    for fact in sorted(facts, key=lambda f: f.claims[0].index):
        seen[fact.id] += 1
        if seen[fact.id] > 1:
            fact.id = f"{fact.id}-{seen[fact.id]}"
    return sorted(facts, key=lambda f: f.claims[0].index)
