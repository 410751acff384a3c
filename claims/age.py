"""Ages of people, bound to the person they describe.

Recognised (PASS):
  "Chmerkovskiy, 42, was in Kyiv"        -> Maksim Chmerkovskiy, 42
  "the 42-year-old dancer confessed"      -> the person the sentence is about, 42
  "their 5-year-old son Shai"             -> Shai, 5 (a name right after the noun wins)
  "his 33-year-old wife", "his wife, 33,"  -> the wife the story names ("his wife, Carolyn
                                             Bessette Kennedy"); no claim if it names none;
                                             in "his wife, 29, and her brother, 31" "her" is
                                             the woman just named
  "as a 14-year-old refugee in 1994"      -> 14, as of 1994
  "when he was 26" (with "in 2006" in the sentence) -> 26, as of 2006
  "Shai, 5."  "aged 33"  "at age 60"  "at the age of 81"  "forty-two-year-old"
Not ages (FAIL): "between the ages of 18 and 60", "5- and 8-year-old girls" (a range), "a 23-hour ride", "February 24, 2022",
  "Boeing 767, 200 passengers", "The Aurora was just six years old" (a thing's).

Each claim carries ``as_of`` (the year the age held: a year in the same sentence, else the
article's publication year, else none) and ``birth_low``/``birth_high``, the birth years the
age allows, so that "42 in 2022", "14 in 1994" and "26 in 2006" can be checked against each other.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from claims.base import has_any, keyword_text
from claims.context import ExtractContext
from claims.entities import KIN_NOUNS
from claims.model import Claim
from claims.numbers import NUMBER, parse_number
from claims.lazy_re import lazy_compile

CLAIM_TYPE = "age"

_NAME = r"[A-Z][\w'.-]*(?: [A-Z][\w'.-]*){0,3}"
APPOSITIVE = lazy_compile(rf"(?P<name>{_NAME}), (?P<age>\d{{1,3}})(?=[,.;)]| years? old)")
_COMMA_NUMBER = lazy_compile(r", \d")  # what every APPOSITIVE match holds; a fast scan (literal start)
YEAR_OLD = lazy_compile(rf"\b(?P<age>{NUMBER})[- ]years?[- ]old\b", re.I)
AGED = lazy_compile(rf"\b(?:aged|at age|at the age of|age) (?P<age>\d{{1,3}}|{NUMBER})\b", re.I)
WHEN_WAS = lazy_compile(rf"\bwhen (?P<who>he|she|{_NAME}) was (?P<age>\d{{1,3}}|{NUMBER})\b(?![- ](?:years?|months?)[- ]?(?:ago|later))")
# the year an age held: "a 14-year-old refugee in 1994", not "has run the port since 2015"
YEAR = lazy_compile(r"\b(?:in|of|during) (1[89]\d\d|20\d\d)\b")
# what may stand between "N-year-old" and the person's name: "son Shai", "sister, Lauren
# Bessette", "Cuban rafter Elian Gonzalez"; a preposition, conjunction or verb ends the phrase
_NOUN_PHRASE_GAP = lazy_compile(r"(?: (?!(?:and|or|but|of|in|on|at|to|for|with|by|from|who|that|which|was|is|"
                              r"has|had|said|says|told)\b)[A-Za-z][a-z-]*(?<!ed)){0,3}(?: named| called)?,? ")
# "the six-year-old case", "a 30-year-old Datsun": things, not people, have these ages
_THING_AFTER = lazy_compile(r" (?:[a-z]+ )?(?:case|war|conflict|feud|dispute|law|ban|embargo|treaty|accord|"
                          r"agreement|policy|program|programme|company|firm|business|building|house|home|"
                          r"plane|aircraft|jet|car|truck|ship|submarine|boat|vessel|bridge|record|marriage|"
                          r"mystery|investigation|murder|killing|slaying|manhunt|search|campaign|regime|"
                          r"government|party|organization|institution|tradition|insurgency|rebellion|"
                          r"crisis|tree|church|school|station|reactor|satellite|rule|system)s?"
                          # the thing ends the phrase: not "a 17-year-old school student"
                          r"(?=[,.;:)!?]| (?:of|in|on|at|for|to|that|which|was|is|has|had|and|with|by)\b|$)")
KIN_APPOSITIVE = lazy_compile(rf"\b(?P<whose>[Hh]is|[Hh]er) (?P<kin>{'|'.join(KIN_NOUNS)}), (?P<age>\d{{1,3}})(?=[,.;)])")
FEMALE_KIN = {"wife", "sister", "mother", "daughter", "widow", "fiancee", "girlfriend", "aunt", "niece",
              "granddaughter", "grandmother", "stepdaughter"}
_KIN_AFTER = lazy_compile(rf" (?P<kin>{'|'.join(KIN_NOUNS)})\b")
_WHOSE_BEFORE = lazy_compile(r"(?:\b(?P<pronoun>[Hh]is|[Hh]er)|'s) (?:an? )?$")
# "between 18 and", "ages 5 to", "5- and 8-year-olds", "five- and seven-year-old": a range's
# second end; not "Matthew and"
_RANGE_BEFORE = lazy_compile(r"(?:\b(?:between|from|ages? of)|(?:\d[\w-]*|\b[a-z]+-)\s+(?:and|to|or))\s*$", re.I)


def _as_of(ctx: ExtractContext, text: str, pos: int) -> tuple[int | None, str]:
    starts, years = _years_in(text)
    if starts:
        # the nearest year (the earlier one on a tie): one on either side of pos is enough
        at = bisect.bisect_left(starts, pos)
        return min((abs(starts[i] - pos), years[i]) for i in (at - 1, at) if 0 <= i < len(starts))[1], "sentence"
    if ctx.reference_time:
        return ctx.reference_time.year, "published"
    return None, ""


@lru_cache(maxsize=64)
def _years_in(text: str) -> tuple[list[int], list[int]]:
    """Where the sentence's "in 1994"-like years start, and the years: found once per sentence,
    not once per age in it."""
    found = list(YEAR.finditer(text))
    return [m.start() for m in found], [int(m.group(1)) for m in found]


# how sure we are of who the age belongs to: a name beside the age beats "the 42-year-old dancer"
BINDING_CONFIDENCE = {"appositive": 0.9, "adjacent": 0.85, "when": 0.8, "kin": 0.8, "inferred": 0.5}


def _make(ctx, sent, m, group, subject, age, binding) -> Claim | None:
    if age is None or not 0 < age < 120:
        return None
    start, end = sent.start + m.start(group), sent.start + m.end(group)
    as_of, basis = _as_of(ctx, sent.text, m.start(group))
    if binding == "when" and basis == "published":
        as_of, basis = None, ""  # "when he was 7" is a past age: no year, no birth-year check
    extra = {"as_of": as_of, "as_of_basis": basis, "binding": binding,
             "confidence": BINDING_CONFIDENCE[binding]}
    if as_of:
        # someone who is 42 in 2022 was born in 1979 or 1980
        extra.update(birth_low=as_of - int(age) - 1, birth_high=as_of - int(age))
        if basis == "published":
            # the very day the age held, so that 38 and 39 on one day disagree and 38 in April
            # 2007 and 39 in April 2008 need not
            extra["as_of_day"] = ctx.reference_time.date().isoformat()
    return ctx.claim(sent, start, end, claim_type=CLAIM_TYPE, attribute="age",
                     normalized=str(int(age)), subject=subject, low=float(age), high=float(age),
                     unit="years", **extra)


# "The Aurora was just six years old", "It is 20 years old": the subject of a predicative age
_AGED_SUBJECT = lazy_compile(r"(?:^|[,;:] |\band )(?P<subj>(?:The|the) [A-Z][\w'-]*(?: [A-Z][\w'-]*)?|It|it) "
                           r"(?:was|is|had been|has been|would have been) (?:just |only |nearly |almost |about )?$")


def _thing_was_aged(ctx: ExtractContext, sent, m) -> bool:
    """The age is a thing's: the clause's subject is "it" or "the" and a name that is no person."""
    subject = _AGED_SUBJECT.search(sent.text, max(0, m.start() - 80), m.start())
    if not subject:
        return False
    start = sent.start + subject.start("subj")
    return not any(p.start >= start and p.end <= sent.start + subject.end("subj")
                   for p in ctx.entities.people(ctx.doc, sent))


_INDEFINITE_BEFORE = lazy_compile(r"(?:(?P<word>\w+) )?\b[Aa]n? $")
_COPULAS = {"is", "was", "be", "been", "being", "became", "becomes", "remains", "remained", "as"}


def _someone_new(text: str, pos: int) -> bool:
    """"a 27-year-old man was hurt" brings in someone new; "he is a 42-year-old dancer" and
    "as a 14-year-old refugee" describe the person the sentence is about."""
    m = _INDEFINITE_BEFORE.search(text, max(0, pos - 20), pos)
    return bool(m) and (m.group("word") or "").lower() not in _COPULAS


def _kin_named(ctx: ExtractContext, sent, m, noun: str) -> str | None:
    """Who "his 33-year-old wife" / "Kennedy's 33-year-old wife" is, when the story names the
    owner's wife elsewhere ("his wife, Carolyn Bessette Kennedy")."""
    whose = _WHOSE_BEFORE.search(sent.text, max(0, m.start() - 40), m.start())
    if not whose:
        return None
    pronoun = bool(whose.group("pronoun"))
    owner = ctx.entities.owner(ctx.doc, sent, sent.start + (whose.end("pronoun") if pronoun else whose.start()), pronoun)
    return ctx.entities.kin(owner, noun) if owner else None


def extract(ctx: ExtractContext) -> list[Claim]:
    claims: list[Claim] = []
    for sent in ctx.doc.sentences:
        ctx.check_budget()
        text = sent.text
        taken: set[int] = set()  # where the ages already claimed start: not read again
        for m in (APPOSITIVE.finditer(text) if _COMMA_NUMBER.search(text) else ()):
            mentions = [p for p in ctx.entities.mentions_within(ctx.doc, sent, sent.start + m.start("name"),
                                                                 sent.start + m.end("name")) if p.kind == "person"]
            if not mentions:
                continue
            claim = _make(ctx, sent, m, "age", mentions[-1].canonical, parse_number(m.group("age")),
                          "appositive")
            if claim:
                claims.append(claim)
                taken.update(range(*m.span("age")))
        # "Moreau, 40, his wife, 29, and her brother, 31": "her" is the woman just named
        woman, unnamed_woman = None, False
        for m in (KIN_APPOSITIVE.finditer(text) if _COMMA_NUMBER.search(text) else ()):
            if m.group("whose").lower() == "her" and not woman and unnamed_woman:
                continue  # "his wife, 29, and her brother, 31": the wife is unknown, so is her brother
            owner = woman if m.group("whose").lower() == "her" and woman else \
                ctx.entities.owner(ctx.doc, sent, sent.start + m.end("whose"), pronoun=True)
            named = ctx.entities.kin(owner, m.group("kin")) if owner else None
            if named is None:
                unnamed_woman = unnamed_woman or m.group("kin") in FEMALE_KIN
                continue
            if m.group("kin") in FEMALE_KIN:
                woman = named
            claim = _make(ctx, sent, m, "age", named, parse_number(m.group("age")), "kin")
            if claim:
                claims.append(claim)
                taken.update(range(*m.span("age")))
        for m in (YEAR_OLD.finditer(text) if has_any(keyword_text(sent), ("year",)) else ()):
            if _RANGE_BEFORE.search(text[max(0, m.start() - 40):m.start()]) or m.start() in taken:
                continue
            if _THING_AFTER.match(text, m.end()) or _thing_was_aged(ctx, sent, m):
                continue
            subject, binding = None, "inferred"
            kin = _KIN_AFTER.match(text, m.end())
            people = ctx.entities.people(ctx.doc, sent)
            for person in people:
                gap = ctx.doc.norm[sent.start + m.end():person.start]
                if person.start > sent.start + m.end() and _NOUN_PHRASE_GAP.fullmatch(gap) and (
                        kin or " " in person.canonical or ctx.entities.person_freq[person.canonical] >= 2):
                    # "son Shai", "Cuban rafter Elian Gonzalez"; not "an 18-year-old Londoner"
                    subject, binding = person.canonical, "adjacent"
                    break
            if subject is None:
                before = [p for p in people if p.end <= sent.start + m.start()
                          and re.fullmatch(r",? (?:an?|the) ", ctx.doc.norm[p.end:sent.start + m.start()])]
                if before:  # "Mark Barton, a 44-year-old day trader"
                    subject, binding = before[-1].canonical, "adjacent"
                elif kin:
                    # "his 33-year-old wife": whom the story names as his wife, if it does
                    subject = _kin_named(ctx, sent, m, kin.group("kin"))
                    if subject is None:
                        continue
                    binding = "kin"
                elif _someone_new(text, m.start()):
                    continue  # "A 27-year-old man was hurt": someone the story does not name
                else:
                    subject = ctx.entities.subject_at(ctx.doc, sent, sent.start + m.start())
            claim = _make(ctx, sent, m, "age", subject, parse_number(m.group("age").replace("-", " ")), binding)
            if claim:
                claims.append(claim)
        # AGED ignores case, so its word is looked for in the lower-cased sentence
        for pattern, searched, needed in ((AGED, keyword_text(sent), ("age",)), (WHEN_WAS, text, ("when ",))):
            if not has_any(searched, needed):
                continue
            for m in pattern.finditer(text):
                if _RANGE_BEFORE.search(text[max(0, m.start() - 40):m.start()]) or re.match(r"\s*(?:and|to|-)\s*\d", text[m.end():]):
                    continue
                who = m.groupdict().get("who")
                binding = "when" if pattern is WHEN_WAS else "inferred"
                if who and who not in ("he", "she"):
                    subject = ctx.entities.resolve(who)
                else:
                    subject = ctx.entities.subject_at(ctx.doc, sent, sent.start + m.start())
                claim = _make(ctx, sent, m, "age", subject, parse_number(m.group("age")), binding)
                if claim:
                    claims.append(claim)
    return claims
