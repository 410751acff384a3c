"""Places tied to a person: where they were born, live or are, and travel legs.

Recognised (PASS):
  "the address where he was born in Odessa, Ukraine" -> born_in: Odessa, Ukraine
  "lives in Edgewater, New Jersey"                   -> lives_in: Edgewater, New Jersey
  "escaped on a train from Kyiv to Poland"           -> leg: Kyiv -> Poland (by train)
  "flew to Poland", "returned home to Malibu", "arrived in Los Angeles" -> travel_to
  "was in Kyiv filming"                               -> located_in: Kyiv
Not places (FAIL): "in March", "to Dancing With the Stars", "in 1994", "in Ukrainian".

``normalized`` folds transliteration variants ("Odessa" and "Odesa" share a key), so the
value-conflict rule compares places, and the spelling-variant rule reports the spellings.
"""
from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

from claims.base import has_any
from claims.context import ExtractContext
from claims.gazetteer import NOT_NAMES, country_of
from claims.model import Claim
from claims.lazy_re import lazy_compile

CLAIM_TYPE = "place"

_PLACE = r"(?P<place>[A-Z][a-z'.-]+(?: [A-Z][a-z'.-]+){0,2}(?:, [A-Z][a-z.]+(?: [A-Z][a-z.]+)?)?)"
# (attribute, words every match holds, pattern): sentences without any of the words are not
# scanned (``has_any``; the patterns are case-sensitive, so the words are tested as written).
PATTERNS = [
    ("born_in", ("orn ",),
     lazy_compile(rf"\b[Bb]orn(?: \w+){{0,4}}? in (?:the )?(?:city of |town of )?{_PLACE}")),
    ("lives_in", ("lives in ", "lived in ", "living in ", "resides in ", "resided in ", "based in "),
     lazy_compile(rf"\b(?:lives|lived|living|resides|resided|based) in {_PLACE}")),
    # the verbs', "still"'s and "now"'s last letters before " in "
    ("located_in", ("s in ", "re in ", "ed in ", "ck in ", "ll in ", "ow in "),
     lazy_compile(rf"\b(?:was|is|were|are|remains|stayed|stuck) (?:still )?(?:now )?in {_PLACE}")),
    ("travel_to", ("flew ", "flown ", "fly ", "flies ", "fled ", "return", "travel", "moved ", "went ",
                   "going ", "go ", "headed ", "arriv", "back "),
     lazy_compile(rf"\b(?:flew|flown|fly|flies|returned|returning|return|traveled|travelled|moved|fled|went|going|go|headed|arrived|arriving|back)(?: \w+){{0,2}}? (?:to|in|into|for) {_PLACE}")),
]
LEG = lazy_compile(rf"\bfrom (?P<origin>[A-Z][a-z'.-]+(?: [A-Z][a-z'.-]+){{0,2}}) to {_PLACE}(?P<rest>[^.;]{{0,40}})")
MODES = lazy_compile(r"\b(train|plane|flight|car|bus|boat|ship|ferry|foot|helicopter)\b", re.I)


# Spellings that transliterations of one name alternate between (Russian, Ukrainian, Arabic,
# Persian names in English, French and German practice), applied in this order.
_TRANSLIT = [
    (lazy_compile(r"dzh"), "j"), (lazy_compile(r"tch"), "ch"), (lazy_compile(r"sch"), "sh"), (lazy_compile(r"tz"), "ts"),
    (lazy_compile(r"kh"), "h"), (lazy_compile(r"gh"), "g"), (lazy_compile(r"ph"), "f"), (lazy_compile(r"ou"), "u"),
    (lazy_compile(r"y"), "i"), (lazy_compile(r"off\b"), "ov"), (lazy_compile(r"iev\b"), "ev"),
]


@lru_cache(maxsize=1 << 15)  # pure; every mention of a name asks again
def place_key(name: str) -> str:
    """Spelling-insensitive key: "Odessa"/"Odesa", "Kharazi"/"Kharrazi", "Ustinov"/"Ustinoff",
    "Tchetchnya"/"Chechnya", "Nantoucket"/"Nantucket" meet; "Austria"/"Australia" do not."""
    key = anyascii(name).lower()
    key = re.sub(r"[^a-z ]", "", key)
    for pattern, replacement in _TRANSLIT:
        key = pattern.sub(replacement, key)
    return re.sub(r"(.)\1+", r"\1", key).strip()


def _clean_place(place: str) -> tuple[int, str] | None:
    """(offset into ``place``, cleaned name), without leading/trailing non-name words; None for
    demonyms ("Ukrainian") and empty results."""
    words = place.split(" ")
    offset = 0
    while words and words[-1].rstrip(",.") in NOT_NAMES:
        words.pop()
    while words and words[0] in NOT_NAMES:
        offset += len(words.pop(0)) + 1
    if not words:
        return None
    name = " ".join(words).rstrip(",.").removesuffix("'s")
    first = name.split(",")[0]
    if country_of(first) and country_of(first) != first and first not in ("America", "U.S.", "Britain"):
        if first.endswith(("an", "ish", "ese", "i", "ch")):
            return None  # a demonym, not a place
    return offset, name


def extract(ctx: ExtractContext) -> list[Claim]:
    claims: list[Claim] = []
    for sent in ctx.doc.sentences:
        ctx.check_budget()
        text = sent.text
        for attribute, words, pattern in PATTERNS:
            for m in (pattern.finditer(text) if has_any(text, words) else ()):
                cleaned = _clean_place(m.group("place"))
                if not cleaned:
                    continue
                offset, place = cleaned
                start = sent.start + m.start("place") + offset
                claims.append(ctx.claim(sent, start, start + len(place), claim_type=CLAIM_TYPE,
                                        attribute=attribute, normalized=place_key(place),
                                        country=country_of(place.split(",")[-1].strip()) or ""))
        for m in (LEG.finditer(text) if "from " in text else ()):
            origin_clean, dest_clean = _clean_place(m.group("origin")), _clean_place(m.group("place"))
            if not origin_clean or not dest_clean:
                continue
            (o_off, origin), (d_off, dest) = origin_clean, dest_clean
            mode = MODES.search(text[max(0, m.start() - 40):m.end()])
            start = sent.start + m.start("origin") + o_off
            claims.append(ctx.claim(sent, start, sent.start + m.start("place") + d_off + len(dest),
                                    claim_type=CLAIM_TYPE, attribute="leg",
                                    normalized=f"{place_key(origin)} -> {place_key(dest)}",
                                    origin=origin, destination=dest,
                                    mode=mode.group(1).lower() if mode else ""))
    return claims
