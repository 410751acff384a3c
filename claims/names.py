"""Person and place names as written, one claim per mention, with a spelling-insensitive key.

Each mention of a capitalised name run (see ``claims.entities``) becomes a ``name`` claim:
``subject`` is the story's canonical entity ("Maks" -> "Maksim Chmerkovskiy"), ``value`` the
spelling used, ``normalized`` the transliteration key of ``claims.places.place_key``. The
spelling-variant rule compares these: same key, different spelling = a variant (Odessa/Odesa,
Larisa/Larissa, Dagestan/Daghestan), while Austria/Australia or Jenna/Jenny keep distinct keys.
Nicknames (Maks/Maksim, Val/Valentin) resolve to one entity but are not spelling variants.
"""
from __future__ import annotations

from claims.context import ExtractContext
from claims.model import Claim
from claims.places import place_key

CLAIM_TYPE = "name"


def extract(ctx: ExtractContext) -> list[Claim]:
    claims: list[Claim] = []
    for sent in ctx.doc.sentences:
        ctx.check_budget()
        for mention in ctx.entities.mentions(ctx.doc, sent):
            for offset, token in _tokens(mention.text):
                if len(token) < 4 or token.isupper() or ("'" in token[1:] or "\u2019" in token) \
                        and not token.startswith(("O'", "D'")):
                    continue
                start = mention.start + offset
                claims.append(ctx.claim(sent, start, start + len(token), claim_type=CLAIM_TYPE,
                                        attribute=mention.kind, normalized=place_key(token),
                                        subject=mention.canonical, context="", entity=mention.canonical))
    return claims


def _tokens(text: str):
    offset = 0
    for part in text.split(" "):
        clean = part.strip("'")
        if clean:
            yield offset + part.index(clean), clean
        offset += len(part) + 1
