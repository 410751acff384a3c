"""What a date is the date of: the event words next to it, for aligning dates across sources.

Two outlets rarely word a sentence alike, but they date an event with the same verb or event
noun: "the airliner that crashed on May 4 had just refuelled" and "Flight 212 crashed May 4,
killing 88" both date a *crash*. Without a parser, the event is read from the
words around the date, inside its clause:

- the nearest verb before it, an object allowed between ("grounded its fleet Tuesday"): a word
  in -ed, a common irregular past ("sank", "went", "struck") or a base form after "to", "will"
  and the like ("will meet Tuesday"); after a light verb ("made", "held", "carried"...) the
  happening named before it ("blasts made by rebels Sunday" dates the blasts);
- the noun it modifies ("the Aug. 7 bombing", "Tuesday's crash", "Tuesday's devastating
  earthquake": a listed happening up to three words past the possessive);
- a date opening its sentence ("On Wednesday, Straw stood ...") takes the first verb after it.

Reporting verbs (said, told, announced, reported, speaking...; lower-case, or capitalised
opening their clause) are not events: "said Tuesday" and "said Thursday" are usually two
statements, not one statement dated twice. Such a date, or one in a clause a reporting verb
opens ("Speaking to state radio Sunday night, ..."), is marked as a statement's, and never
compared with an event's ("said Sunday that the alarm should have stopped the train" does not
date the alarm). Irregular pasts are reduced to their base ("sank" -> "sink") and every word is stemmed (``claims.base.match_stem``),
so "bombed" meets "bombing" and "resigned" meets "resignation" on a five-letter prefix.

PASS  "the flight that crashed on May 4"       crash
PASS  "The June 9 bombing killed 14 people"    bomb
PASS  "the submarine went down Saturday"       go
FAIL  "Klebanov said Thursday that ..."        (nothing: a reporting verb)
FAIL  "The navy turned up the heat on the rebel-held northern islands on Saturday"  (nothing:
      no verb within four words)
FAIL  "the governor's sudden departure on Dec. 31" (nothing as its event: reading any noun before
      the date as the event took 2% off date recall on three seeds, as the new event words kept
      apart dates that align)

The noun right before a date is read separately (``DateEvent.near``, stored as ``event_near``)
when it names a happening ("the auction Tuesday", "resignation on Dec. 31", or heading a
relative clause that runs to the date, "the earthquake that shook the towns Tuesday";
``EVENT_NOUNS``, a list of news events). It can align two dates (``checker.align.event_pairs``) but never keeps
two apart: "searching the area Wednesday" dates no area, and a miss there must not hide a
conflict found another way.
"""
from __future__ import annotations

import calendar
from typing import NamedTuple

from claims.base import CLAUSE_BREAK, STOPWORDS, match_stem
from claims.lazy_re import lazy_compile

# Irregular past forms common in news, with the base that the present or a noun would stem to.
IRREGULAR_PAST = {
    "went": "go", "gone": "go", "sank": "sink", "sunk": "sink", "struck": "strike", "hit": "hit",
    "met": "meet", "began": "begin", "begun": "begin", "came": "come", "took": "take", "taken": "take",
    "gave": "give", "given": "give", "made": "make", "fell": "fall", "fallen": "fall", "left": "leave",
    "won": "win", "lost": "lose", "flew": "fly", "flown": "fly", "held": "hold", "found": "find",
    "broke": "break", "broken": "break", "rose": "rise", "shot": "shoot", "led": "lead", "sent": "send",
    "brought": "bring", "caught": "catch", "fought": "fight", "drove": "drive", "ran": "run",
    "saw": "see", "seen": "see", "became": "become", "built": "build", "stood": "stand",
    "wrote": "write", "written": "write", "spoke": "speak", "chose": "choose", "sought": "seek",
    "set": "set", "put": "put", "cut": "cut", "quit": "quit", "fled": "flee", "sold": "sell",
    "shook": "shake", "hung": "hang", "blew": "blow", "blown": "blow", "froze": "freeze",
    "arose": "arise", "bore": "bear", "born": "bear", "swore": "swear", "sworn": "swear",
    "kept": "keep", "felt": "feel", "paid": "pay", "laid": "lay", "lay": "lie", "died": "die",
    "slew": "slay", "slain": "slay", "stole": "steal", "stolen": "steal", "threw": "throw",
    "thrown": "throw", "withdrew": "withdraw", "overthrew": "overthrow",
    "tore": "tear", "torn": "tear", "woke": "wake", "spent": "spend", "dealt": "deal", "lit": "light",
}
# Verbs that report a statement: the date is of the saying, and sayings differ day to day.
REPORTING = frozenset("""
said say says saying told tell tells reported report reports announced announce announces
stated state states added add adds confirmed confirm confirms quoted quote quotes declared
declare declares noted note notes insisted insist insists claimed claim claims denied deny
denies acknowledged acknowledge explained explain warned warn urged urge asked ask called
call commented comment replied reply wrote write briefed brief revealed reveal disclosed
disclose indicated indicate predicted predict estimated estimate speaking speak speaks spoke
spoken
""".split())
_DETERMINERS = frozenset("the a an this that its his her their our last".split())
_MODALS = frozenset("to will would shall should can could may might must 'll".split())
# Words that say when, not what happened.
TIME_WORDS = frozenset(name.lower() for name in (*calendar.month_name[1:], *calendar.day_name)) | frozenset("""
jan feb mar apr jun jul aug sep sept oct nov dec night morning afternoon evening day days week
weeks weekend month months year years today tonight yesterday tomorrow late early earlier later
ago midnight noon dawn pre-dawn time local gmt a.m p.m am pm past previous following recent
""".split())
VERB_REACH = 4  # words before the date in which to look for its verb
# verbs that say little but that a happening took place: the noun before them is the event
LIGHT_VERBS = frozenset("made carried staged mounted launched conducted held set scheduled planned".split())
OPENING_REACH = 8  # words from a clause-opening reporting verb ("Speaking to ...") to its date
RELATIVE_REACH = 8  # words from "the quake that ..." to its date
POSSESSIVE_REACH = 3  # words after "Tuesday's" in which to look for the happening it dates
CLAUSE_REACH = 1000  # characters either side of a date read for its clause (none is longer in news)
_TOKEN = lazy_compile(r"[A-Za-z][A-Za-z'-]*")


def base_word(word: str) -> str:
    """A word's stem, an irregular past reduced to its base first ("flew" -> "fly", "sank" -> "sink")."""
    lower = word.lower()
    return match_stem(IRREGULAR_PAST.get(lower) or lower)


def _is_verb(word: str, previous: str | None) -> bool:
    lower = word.lower()
    if not word[0].islower() or lower in REPORTING or lower in STOPWORDS or lower in TIME_WORDS:
        return False
    if lower in IRREGULAR_PAST:
        return True
    if lower.endswith("ed") and len(lower) > 4:
        return True
    return previous is not None and previous.lower() in _MODALS


_COPULAS = frozenset("is was were are be been being will would".split())


def _happenings_before(before: list[str], i: int) -> set[str]:
    """The listed happenings (``EVENT_NOUNS``) of the noun phrase ending right before word ``i``,
    past any copula or auxiliary ("funeral services were held": funeral and service)."""
    j = i - 1
    while j >= 0 and before[j].lower() in _COPULAS:
        j -= 1
    found: set[str] = set()
    while j >= 0 and (before[j][:1].islower() or j == 0) and base_word(before[j]) in EVENT_NOUNS:
        found.add(base_word(before[j]))
        j -= 1
    return found


def _is_reporting(word: str, first: bool = False) -> bool:
    """A reporting verb: lower-case, or capitalised only as its clause's first word ("Asked
    Sunday if ..."); "the United States on July 16" reports nothing."""
    return (word[0].islower() or first) and word.lower() in REPORTING


class DateEvent(NamedTuple):
    words: str  # space-separated stems of the event the date belongs to ("" if none)
    near: str  # the stem of a happening named right before the date ("" if none)
    reported: bool  # the date is a statement's ("said Tuesday", "Tuesday said")


def event_words(norm: str, sent, start: int, end: int) -> DateEvent:
    """What a date at norm[start:end] is the date of."""
    # only the clause around the date matters: reading at most CLAUSE_REACH characters either
    # side keeps a sentence of thousands of dates linear, not quadratic
    left = CLAUSE_BREAK.split(norm[max(sent.start, start - CLAUSE_REACH):start])[-1]
    right_parts = CLAUSE_BREAK.split(norm[end:min(sent.end, end + CLAUSE_REACH)], maxsplit=1)
    events: set[str] = set()
    reported = False
    before = _TOKEN.findall(left)
    for i in range(len(before) - 1, max(-1, len(before) - 1 - VERB_REACH), -1):
        if _is_verb(before[i], before[i - 1] if i else None):
            named = _happenings_before(before, i) if before[i].lower() in LIGHT_VERBS else set()
            # "blasts made by rebels Sunday", "a memorial service is set for Saturday": the happening's date
            events |= named or {base_word(before[i])}
            break
        if _is_reporting(before[i], first=i == 0):
            reported = True  # "said Tuesday": the date is the statement's
            break
    else:
        # a clause opened by its reporting verb, however far back: "Speaking to state radio's
        # second channel Sunday night, ...", "Asked by reporters at the palace on Monday, ..."
        reported = bool(before) and len(before) <= OPENING_REACH and _is_reporting(before[0], first=True)
        if before and before[-1].lower() in _COPULAS:
            events |= _happenings_before(before, len(before))  # "The first funeral was Friday"
    after = _TOKEN.findall(right_parts[0])
    if after and _is_reporting(after[0]):
        reported = True  # "... Tuesday said", "on Monday announced"
    possessive = right_parts[0].startswith("'s ")
    if possessive or (before and before[-1].lower() in _DETERMINERS):  # "the Aug. 7 bombing"
        noun = after[0] if after and not possessive else ""
        if possessive and len(after) > 1:  # "Tuesday's devastating earthquake": the happening, past its adjectives
            noun = next((w for w in after[1:1 + POSSESSIVE_REACH] if base_word(w) in EVENT_NOUNS), after[1])
        lower = noun.lower()
        if noun and noun[0].islower() and lower not in STOPWORDS and lower not in TIME_WORDS and lower not in REPORTING:
            events.add(base_word(noun))
    elif not before or all(w.lower() in STOPWORDS or w.lower() in TIME_WORDS for w in before):
        rest = _TOKEN.findall(right_parts[-1])[:6]  # "On Wednesday, Straw stood ..."
        for i, word in enumerate(rest):
            if _is_verb(word, rest[i - 1] if i else None):
                events.add(base_word(word))
                break
    return DateEvent(" ".join(sorted(events)), _noun_before(before), reported)


_NEAR_SKIP = frozenset("on at in of early late".split())
# Nouns that name a happening, which a date right after them dates ("the auction Tuesday",
# "terrorist blasts Sunday night", "Yeltsin's resignation on Dec. 31"). A noun outside the list
# is more often a place or thing ("searching the area Wednesday"), which dates nothing.
EVENT_NOUNS = frozenset(match_stem(w) for w in """
accident ambush arrest assassination assault attack auction ballot battle blast blaze bombing
burial ceremony clash collision conference congress convention coup crash debate
demonstration departure disappearance disaster election eruption evacuation execution
explosion fire flight flood funeral hearing hijacking inauguration interview invasion
kidnapping killing landing launch massacre meeting memorial murder offensive operation
outbreak parade poll protest quake earthquake raid rally referendum release rescue
resignation riot ruling sentencing service session shooting sinking slaying speech storm
strike summit takeoff talks testimony trial verdict victory visit vote wedding
""".split())


def _noun_before(before: list[str]) -> str:
    """The stem of the event noun ending ``before`` (the clause's words before a date: "the
    auction Tuesday", "terrorist blasts Sunday night", "resignation on Dec. 31"), or heading a
    relative clause that runs to the date ("the earthquake that shook the coastal towns
    early Tuesday"); "" if none names a happening."""
    word = next((w for w in reversed(before) if w.lower() not in _NEAR_SKIP), "")
    base = base_word(word) if word[:1].islower() else ""
    if base in EVENT_NOUNS:
        return base
    for i in range(len(before) - 2, max(-1, len(before) - 2 - RELATIVE_REACH), -1):
        if before[i + 1].lower() in ("that", "which") and before[i][:1].islower() \
                and base_word(before[i]) in EVENT_NOUNS:
            return base_word(before[i])
    return ""
