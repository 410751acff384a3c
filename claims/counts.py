"""Counts and quantities: tolls, crews, depths, distances, money, percentages.

Recognised (PASS):
  "at least 4,217 people have been killed"  -> people|killed, >= 4217
  "Thirteen people were injured"             -> people|injured, 13
  "116 sailors trapped"                      -> sailor|trapped, 116
  "354 feet below the surface"               -> foot, 354
  "dlrs 2.5 million" / "$2,000"              -> money, 2500000 / 2000 (unit USD)
  "about 15 rescue vessels"                  -> vessel, 13.5-16.5
  "the death toll rose to 200"               -> people|killed, 200
Not counts (FAIL): "in 1994 as refugees" (a year), "Boeing 767", "Flight 990", "Baranova 27",
  "five days" (a duration), "42-year-old" (an age), "3:02 a.m.", "one of the most".

Qualifiers become ranges: "at least/more than/over N" = [N, inf), "fewer than/under N" = [0, N),
"up to/as many as N" = [0, N], "about/some/around N" = N +- 10%, "nearly/almost N" = [0.9N, N].
``attribute`` is the stemmed head noun plus the casualty verb near it ("people|killed"), which
is how counts of the same thing meet across sources. ``context`` holds the words around the
count and the words before its noun ("daily runway" of "three daily runway inspections", not
"people" of "seven people dead"), which say what is counted.
"""
from __future__ import annotations

import math
import re

from claims.base import STOPWORDS, content_words, has_any, keyword_text, stem
from claims.context import ExtractContext
from claims.dates import DAY_NAMES, MONTH_NAMES
from claims.model import Claim
from claims.numbers import NUMBER, TENS, UNITS, format_number, may_hold_number, parse_number
from claims.lazy_re import lazy_compile

CLAIM_TYPE = "count"

QUALIFIERS = {
    "at least": "min", "more than": "min", "over": "min", "upwards of": "min", "in excess of": "min",
    "fewer than": "max_open", "less than": "max_open", "under": "max_open",
    "up to": "max", "as many as": "max", "at most": "max", "no more than": "max",
    "about": "approx", "around": "approx", "approximately": "approx", "some": "approx",
    "roughly": "approx", "an estimated": "approx", "close to": "approx", "nearly": "near",
    "almost": "near", "just under": "near",
}
_QUAL = "|".join(sorted(QUALIFIERS, key=len, reverse=True))
COUNT = lazy_compile(
    rf"(?:\b(?P<qual>{_QUAL}) )?(?P<money>\$ ?|\bdlrs ?|\bUS\$ ?|£ ?|€ ?)?(?P<num>{NUMBER})"
    r"(?P<after>(?:[ -][A-Za-z][a-z'-]*){0,3})",
    re.IGNORECASE,
)
# where a COUNT match's number can begin (a digit or a number word, in lower-cased ASCII text),
# and how far before it the match can start: the longest qualifier, its space, the longest money
# mark and the "a " of "a dozen", whose number starts before the word found ("approximately dlrs
# a dozen")
_NUMBER_START = lazy_compile(r"\d|" + "|".join(sorted({*UNITS, *TENS, "dozen"}, key=len, reverse=True)))
_LEAD = max(map(len, QUALIFIERS)) + len(" ") + len("dlrs ") + len("a ")


_UNNARROWING = frozenset(content_words("people person persons"))  # as context words are spelled
_WHEN_WORDS = {w.lower() for w in DAY_NAMES + MONTH_NAMES} | {"today", "yesterday", "tonight", "tomorrow"}


def plain_count_matches(text: str):
    """What ``count_matches`` yields, by trying COUNT at every position (the reference)."""
    pos = 0
    while (m := COUNT.search(text, pos)) is not None:
        yield m
        pos = m.end("num")


def count_matches(text: str):
    """Every COUNT match, each search resuming after the previous match's number (not after
    its trailing words, which may hold the next number: "one of three daily inspections").
    The (slow, IGNORECASE) COUNT regex is only tried from shortly before each place a number
    can begin, not at every character."""
    if not text.isascii():  # case folding beyond str.lower: the plain scan
        yield from plain_count_matches(text)
        return
    lowered, pos, scan = text.lower(), 0, 0
    while True:
        start = _NUMBER_START.search(lowered, scan)
        if start is None:
            return
        at = start.start()
        if at and lowered[at].isalpha() and (lowered[at - 1].isalnum() or lowered[at - 1] == "_"):
            scan = at + 1  # a number word inside a word ("someone", "often"): NUMBER needs \b before it
            continue
        m = COUNT.search(text, max(pos, at - _LEAD))
        if m is None:
            return
        yield m
        pos = scan = m.end("num")  # words after a number may hold the next one ("nine people at two firms")


TOLL = lazy_compile(rf"\b(?:death toll|toll)\b(?: [\w']+){{0,6}}? (?:rose to|climbed to|jumped to|reached|stood at|was|is|to|at|of) (?P<num>{NUMBER})\b", re.I)
TIME_UNITS = {"second", "minute", "hour", "day", "week", "month", "year", "decade", "century",
              "night", "weekend", "yr", "am", "pm", "o'clock", "old", "th", "st", "nd", "rd"}
# "death" of "death sentence", "death penalty" is no toll ("two rallies calling for the
# death penalty")
CASUALTY = lazy_compile(r"\b(killed|dead|died|deaths?(?! (?:sentences?|penalty|penalties|row|threats?|warrants?|squads?|certificates?)\b)|injured|wounded|hurt|missing|arrested|rescued|"
                      r"evacuated|trapped|detained|hospitalized|hospitalised|survivors?|victims?|"
                      r"homeless|displaced|charged|convicted|sentenced|aboard|on board)\b", re.I)
_VERB_BEFORE_FIGURE = lazy_compile(
    CASUALTY.pattern + r"(?P<by>\s+(?:[a-z]+\s+){0,3}by)?\s+(?:(?:at least|at most|about|some|nearly|almost|"
    r"more than|over|up to|another|a further|an additional|all|the)\s+)?$", re.I)
_CASUALTY_CANON = {"death": "killed", "deaths": "killed", "dead": "killed", "died": "killed",
                   "wounded": "injured", "hurt": "injured", "hospitalised": "hospitalized",
                   "survivors": "survivor", "victims": "victim", "on board": "aboard"}
_UNIT_CANON = {"foot": "foot", "feet": "foot", "ft": "foot", "meter": "meter", "metre": "meter",
               "meters": "meter", "metres": "meter", "mile": "mile", "miles": "mile",
               "kilometer": "km", "kilometers": "km", "kilometre": "km", "kilometres": "km", "km": "km",
               "percent": "percent", "per": "percent", "ton": "ton", "tons": "ton", "tonnes": "ton",
               "dollars": "USD", "dlrs": "USD"}


def value_range(value: float, qualifier: str | None) -> tuple[float, float]:
    kind = QUALIFIERS.get((qualifier or "").lower())
    if kind == "min":
        return value, math.inf
    if kind == "max_open":
        return 0.0, value - (1 if value.is_integer() else 0)
    if kind == "max":
        return 0.0, value
    if kind == "approx":
        return value * 0.9, value * 1.1
    if kind == "near":
        return value * 0.9, value
    return value, value


_YEAR_DETERMINER = lazy_compile(r"(?:\b(?:the|its|his|her|their)|'s) $", re.I)
# the word before a figure ("Flight 990"), read from at most WORD_REACH characters back: the
# whole sentence before each figure would make a sentence of many figures quadratic
_PREV_WORD = lazy_compile(r"([A-Za-z][\w.'-]*) $")
WORD_REACH = 200
# sums in pounds or euros are never compared with dollars: their unit says which
_CURRENCY = {"£": "GBP", "€": "EUR"}
# "120 miles per hour" is a speed, "4x4" a kind of vehicle, "LR5" a name
_RATE = lazy_compile(r"\s*(?:per|an|a) (?:hour|second|minute)\b|\s*(?:mph|km/h|kph)\b")
_GLUED = lazy_compile(r"[A-Za-z]$|\d\s?[x×]\s?$")
_TIMES = lazy_compile(r"[x×]\s?\d")
_US_DOLLARS = lazy_compile(r" U\.?S\.? dollars\b")
# "$400,000 to $450,000", "between 10 and 20 people", "30 to 40 homes": one range, not two counts
_FIGURE = r"(?P<money>\$ ?)?(?P<num>\d[\d,]*(?:\.\d+)?(?: (?:million|billion))?)"
_RANGE_OPEN = lazy_compile(rf"(?:\b(?P<from>from|between) )?{_FIGURE} ?(?P<joint>to|and|-|–) ?$", re.I)
_RANGE_CLOSE = lazy_compile(r" ?(?:to|-|–) ?(?P<money>\$ ?)?\d", re.I)
_BETWEEN_CLOSE = lazy_compile(r" and (?P<money>\$ ?)?\d", re.I)
_PASS_THROUGH = {"such", "other", "more", "additional", "further"}
_PARTITIVE = lazy_compile(r" of (?:the|those|these|its|their) (?P<noun>[a-z][a-z']+)")


# Prepositions the stopword list lacks: "three vigils against the death penalty" counts vigils
_ENDS_NOUN_PHRASE = frozenset("""aboard inside onboard against among amid across along around behind
beyond despite outside near within upon through throughout toward towards""".split())


_IRREGULAR_PLURALS = frozenset("men women children people police feet teeth mice geese crew staff personnel cattle".split())


def _plural_looking(word: str) -> bool:
    """A plural noun by its form ("firms", "men"), as a count above one names its noun."""
    return word in _IRREGULAR_PLURALS or (word.endswith("s") and not word.endswith("ss") and len(word) > 3)


def _head_noun(after: str) -> tuple[str, int]:
    """The head noun of the words after a number, and how many characters of ``after`` it spans."""
    words = list(re.finditer(r"[A-Za-z][a-z']*", after))
    head, end = "", 0
    for i, w in enumerate(words):
        word = w.group().lower()
        if word in _PASS_THROUGH and not head:
            continue  # "six such mines", "two more bodies"
        if (word in STOPWORDS and word not in ("per",)) or word in _ENDS_NOUN_PHRASE:
            break
        following = words[i + 1].group().lower() if i + 1 < len(words) else ""
        if i > 0 and word.endswith("ing") and head and not _plural_looking(head) \
                and _plural_looking(following) and following not in STOPWORDS:
            continue  # "two stock trading firms": a gerund inside the noun phrase, the firms counted
        if i > 0 and (word.endswith("ed") or word.endswith("ing") or word.endswith("ly")) and head:
            break  # "100 technicians carefully removed": the adverb is not the noun
        if head and word in _WHEN_WORDS:
            break  # "17 civilians Thursday": the day says when, the noun is "civilians"
        head, end = word, w.end()
        if word in _UNIT_CANON or stem(word) in TIME_UNITS:
            break
    return head, end


def _casualty(text: str, start: int, end: int) -> str:
    """The casualty word of the clause after the counted noun (or just before the number)."""
    window = re.split(r"[,;:]| and | but | while ", text[end:end + 60])[0]
    m = CASUALTY.search(window)
    if not m:
        # "killed at least 12 sailors": the verb just before the figure, not "was killed when
        # the three men" nor "killed in Lagos by four gunmen" (those four did it)
        before = _VERB_BEFORE_FIGURE.search(text, max(0, start - 40), start)
        m = before if before and not before.group("by") else None
    if not m:
        return ""
    word = m.group(1).lower()
    return _CASUALTY_CANON.get(word, word)


# lower case only: "from North Carolina" is a place, not a heading
_HEADING = lazy_compile(r"\W+(?:[a-z]+\s+)?((?:north|south)(?:east|west)?|east|west)(?:ward)?\b")
# "the town of Argun, 10 kilometers ...": a name after a lower-case word, so not "Meanwhile,"
# or "In Florida," opening the sentence (each "-" or " " can only be read one way: no backtracking)
# ("the Harbor Refinery of the National Oil Company, 90 kilometers ..." keeps both names)
_NAME = r"[A-Z][\w']*(?:[ -][A-Z][\w']*)*"
_PLACE_NAME = rf"{_NAME}(?: of (?:the )?{_NAME})*"
_APPOSED_NAME = lazy_compile(rf"(?<=[a-z] )({_PLACE_NAME}), $")
# the place a distance is measured from: "southeast of Istanbul", "west of Port of Spain" (not
# "of the Chechen capital": after "the" a capital is more often an adjective than the place)
_FROM_PLACE = lazy_compile(rf"\s+(?:of|from)\s+({_PLACE_NAME})")


def _scope(text: str, m, after: str, head_end: int, partitive, unit: str) -> dict:
    """What narrows a count to a part of the whole: the capitalised words between the number and
    its noun ("three Atlanta-area bombings", "four Southern bombings"; not "three young men"),
    and for a distance the place it locates ("Argun, 10 kilometers southeast of Grozny") and its
    heading ("southeast")."""
    extra: dict = {}
    if head_end and not partitive:
        words = re.findall(r"[A-Za-z][\w'-]*", after[:head_end])[:-1]
        modifiers = [w.lower() for w in words if w[0].isupper() and w.lower() not in _PASS_THROUGH]
        if modifiers:
            extra["modifiers"] = " ".join(modifiers)
    if unit in ("km", "mile", "meter"):
        named = _APPOSED_NAME.search(text, max(0, m.start() - 60), m.start())
        if named:
            extra["place"] = named.group(1)
        heading = _HEADING.match(after, head_end)
        if heading:  # "110 kilometers southeast of Istanbul" and "130 kilometers east of" it
            extra["heading"] = heading.group(1).lower()
            origin = _FROM_PLACE.match(text, m.start("after") + heading.end())
            words = origin.group(1).split() if origin else []
            while words and words[-1].lower() in _WHEN_WORDS:  # "west of Denver Monday"
                words.pop()
            if words:
                extra["from"] = " ".join(words)
    return extra


def _range_start(text: str, m, value: float) -> tuple[float, int] | None:
    """(low end, where it starts) when the figure ``m`` closes a range ("$400,000 to $450,000",
    "between 10 and 20 people"); None for a change ("fell from 3,000 to 2,200 feet"), two
    counts ("7 and 8") or a first figure that is not lower or not of the same kind."""
    opened = _RANGE_OPEN.search(text, max(0, m.start() - 40), m.start())
    if not opened:
        return None
    joined_by = (opened.group("from") or "").lower() or opened.group("joint").lower()
    if joined_by in ("from", "and"):
        return None
    low = parse_number(opened.group("num"))
    if low is None:
        return None
    scale = next((10.0 ** p for word, p in (("million", 6), ("billion", 9)) if word in m.group("num").lower()), 1.0)
    if scale > 1 and not re.search(r"million|billion", opened.group("num"), re.I) and low * scale < value:
        low *= scale  # "$5 to $6 million", but not "$500,000 to $1 million"
    if not (low < value and bool(opened.group("money")) == bool(m.group("money"))):
        return None
    return low, opened.start()


def extract(ctx: ExtractContext) -> list[Claim]:
    claims: list[Claim] = []
    for sent in ctx.doc.sentences:
        ctx.check_budget()
        text = sent.text
        if not may_hold_number(text):
            continue  # both TOLL and COUNT need a number
        tolls = list(TOLL.finditer(text)) if has_any(keyword_text(sent), ("toll",)) else []
        for m in tolls:
            value = parse_number(m.group("num"))
            if value is None:
                continue
            claims.append(ctx.claim(sent, sent.start + m.start("num"), sent.start + m.end("num"),
                                    claim_type=CLAIM_TYPE, attribute="people|killed",
                                    normalized=format_number(value), low=value, high=value, unit="",
                                    qualifier=""))
        toll_numbers = {m.start("num") for m in tolls}
        for m in count_matches(text):
            ctx.check_budget()  # most figures of a long list of numbers make no claim
            num_text = m.group("num")
            low_num = num_text.lower()
            if low_num in ("one", "a", "an", "a dozen") and not m.group("money"):
                continue
            if m.start("num") in toll_numbers:
                continue
            before = text[max(0, m.start() - 2):m.start()]
            if re.search(r"[\d:.,/-]$", before.strip()) and not before.endswith(", "):
                continue  # part of a time, date, score or phone number
            prev_word = _PREV_WORD.search(text, max(0, m.start() - WORD_REACH), m.start())
            if prev_word and prev_word.group(1)[0].isupper() and not m.group("money") \
                    and prev_word.group(1).lower().rstrip(".") not in ("dlrs", "us", "about", "some", "nearly", "over", "almost"):
                continue  # "Boeing 767", "Flight 990", "Baranova 27"
            if re.match(r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|:\d|,\d{3}|\.\d|GMT\b|UTC\b|hrs\b)", text[m.end("num"):]):
                continue
            if re.match(r"[- ]years?[- ]old", text[m.end("num"):], re.I):
                continue
            if not m.group("money") and not m.group("qual") and (
                    _GLUED.search(text, max(0, m.start("num") - 3), m.start("num")) or _TIMES.match(text, m.end("num"))):
                continue  # "LR5", "4x4"
            value = parse_number(num_text)
            if value is None:
                continue
            closed = _RANGE_CLOSE.match(text, m.end("num")) or (
                _BETWEEN_CLOSE.match(text, m.end("num")) if text[max(0, m.start() - 8):m.start()].lower().endswith("between ") else None)
            if not m.group("qual") and closed and bool(closed.group("money")) == bool(m.group("money")):
                continue  # the first figure of a range, read with the second (not "$5 million to 20 schools")
            opened = None if m.group("qual") else _range_start(text, m, value)
            after = m.group("after") or ""
            head, head_end = _head_noun(after)
            partitive = None if head else _PARTITIVE.match(after)
            if partitive:  # "Three of the suspects": a part, counted apart from the whole
                head, head_end = partitive.group("noun"), partitive.end()
            currency = _CURRENCY.get((m.group("money") or "").strip())
            money = bool(m.group("money")) or head in ("dollars", "dlrs") or bool(_US_DOLLARS.match(text, m.end("num")))
            if money:
                unit, attribute = currency or "USD", "money"
            else:
                if not head or stem(head) in TIME_UNITS or head in TIME_UNITS:
                    continue
                if 1800 <= value <= 2100 and "," not in num_text and (
                        not head.endswith("s") or _YEAR_DETERMINER.search(text, max(0, m.start() - 8), m.start())):
                    continue  # "the 1999 crash", "the 1997 bombings" are years
                unit = _UNIT_CANON.get(head, "")
                attribute = unit or stem(head)
                if partitive:
                    attribute = f"{attribute}|of"
                elif not unit:
                    casualty = _casualty(text, m.start("num"), m.start("after") + head_end)
                    if casualty:
                        attribute = f"{attribute}|{casualty}"
            if unit and _RATE.match(text, m.start("after") + head_end):
                unit, attribute = f"{unit}/h", f"{unit}/h"  # a speed: never a distance
            qualifier = (m.group("qual") or "").lower()
            low, high = value_range(value, qualifier)
            end = m.end("num") if money or not head_end else m.start("after") + head_end
            symbol = {"GBP": "£", "EUR": "€"}.get(unit, "$") if money else ""
            normalized = symbol + format_number(value) + (f" {unit}" if unit and not money else "")
            if qualifier:
                normalized = f"{qualifier} {normalized}"
            start = m.start()
            if opened:
                low, start = opened
                normalized = symbol + f"{format_number(low)}-" + normalized.lstrip("$£€")
            # what the words before the noun say of it narrows what is counted ("three daily
            # runway inspections", "30 storage tanks"); "people" in "seven people dead" does not
            described = frozenset(content_words(after[:head_end])[:-1]) - _UNNARROWING \
                if head_end and not partitive and not after.startswith("-") else frozenset()
            claims.append(ctx.claim(sent, sent.start + start, sent.start + end,
                                    claim_type=CLAIM_TYPE, attribute=attribute, normalized=normalized,
                                    low=low, high=high, unit=unit, qualifier=qualifier, number=value,
                                    context_also=described, **_scope(text, m, after, head_end, partitive, unit)))
    return claims
