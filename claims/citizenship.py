"""Citizenship and nationality, normalised to a country, with negation.

Recognised (PASS):
  "he's a U.S. citizen" / "an American citizen" -> United States (the same claim)
  "Maks is not a Ukrainian citizen"               -> Ukraine, negated
  "automatically lost their Ukrainian citizenship" -> Ukraine, negated (lost/renounced/stripped)
  "a citizen of Cyprus", "holds Israeli citizenship", "a dual U.S.-Israeli national"
Not citizenship (FAIL): "Ukrainian people", "American cities", "the Russian invasion".
"""
from __future__ import annotations

import re

from claims.base import NEGATION, has_any
from claims.context import ExtractContext
from claims.gazetteer import country_of
from claims.model import Claim
from claims.lazy_re import lazy_compile

CLAIM_TYPE = "citizenship"

_NAT = r"(?:U\.S\.|U\.K\.|[A-Z][a-z]+(?: [A-Z][a-z]+)?)"
# "a French national" is a person; "the French national team" is not
HOLDER = lazy_compile(rf"\b(?P<nat>{_NAT})(?:-(?P<nat2>{_NAT}))? (?:citizens?|citizenship|nationals|national(?! [a-z])|passport[- ]holders?)\b")
OF_COUNTRY = lazy_compile(rf"\b(?:citizens?|citizenship|nationals?) of (?:the )?(?P<nat>{_NAT})\b")
# every HOLDER and OF_COUNTRY match holds one of these: other sentences are not scanned
CITIZEN_WORDS = ("citizen", "national", "passport")
LOST = lazy_compile(r"\b(?:lost|renounced|renouncing|gave up|giving up|stripped of|revoked|revoke|lose|losing|relinquish\w*)\b", re.I)


def extract(ctx: ExtractContext) -> list[Claim]:
    claims: list[Claim] = []
    for sent in ctx.doc.sentences:
        ctx.check_budget()
        text = sent.text
        if not has_any(text, CITIZEN_WORDS):
            continue
        for pattern in (HOLDER, OF_COUNTRY):
            for m in pattern.finditer(text):
                for group in ("nat", "nat2"):
                    if group not in pattern.groupindex or not m.group(group):
                        continue
                    country = country_of(m.group(group))
                    nat_start = m.start(group)
                    if not country and " " in m.group(group):  # "Three British nationals"
                        country = country_of(m.group(group).split(" ")[-1])
                        nat_start = m.end(group) - len(m.group(group).split(" ")[-1])
                    if not country:
                        continue
                    clause_start = max(text.rfind(",", 0, m.start()), text.rfind(";", 0, m.start()),
                                       text.rfind(".", 0, m.start() - 1)) + 1
                    lead = text[clause_start:m.start()]
                    negated = bool(NEGATION.search(lead)) or bool(LOST.search(lead))
                    start, end = sent.start + nat_start, sent.start + m.end()
                    claims.append(ctx.claim(sent, start, end, claim_type=CLAIM_TYPE,
                                            attribute="citizenship", normalized=country,
                                            negated=negated))
    return claims
