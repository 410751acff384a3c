"""Words that name one happening or one kind of actor in news copy, for aligning claims.

Two reports of one fact often use different words for it: "the ferry sank" / "the vessel
foundered", "remanded for eight days" / "detained for eight days", "the blast" / "the
explosion". Aligning
claims on shared context words misses such pairs, so ``concept`` maps each word of a group to
the group's first word before words are compared. Only alignment uses it; no claim's text or
value changes.

The groups are our own list of common wire-copy words, each group words an editor would take
as naming the same happening (not merely related ones: "arrested" and "charged" are two steps,
"funeral" and "burial" can be days apart). A word that often means something else is left out
("held" a meeting, "left" behind, "fire" a weapon, "released" a statement, "reached" a deal,
"remains" in custody), as is anything tied to one story.
"""
from __future__ import annotations

from claims.base import match_stem

GROUPS = (
    "explosion explode exploded blast blasts detonated detonation",
    "killed kill killing slain slaying",
    "died die dead death deaths perished",
    "injured injure wounded injuries",
    "arrested arrest detained detention apprehended remanded jailed custody",
    "crashed crash plunged plummeted",
    "sank sink sunk sinking foundered",
    "resigned resign resignation quit",
    "announced announce announcement unveiled disclosed",
    "arrived arrive arrival",
    "charged charge indicted indictment",
    "victory won win triumph",
    "met meet meeting",
    "blaze flames inferno",
    "search searched manhunt",
    "testified testify testimony",
    "voted vote ballot balloting",
    "demanded demand urged",
    "rescued rescue",
    "troops soldiers servicemen",
    "policemen police",
    "attacked attack assault raid raided",
    "evacuated evacuate evacuation",
    "hospitalized hospital",
    "agreement agreed accord",
    "plane aircraft jet airliner",
    "ship vessel",
    "earthquake quake tremor",
    "ruling ruled verdict",
)

_CONCEPT = {}
for _group in GROUPS:
    _words = _group.split()
    for _word in _words:
        _CONCEPT.setdefault(match_stem(_word), match_stem(_words[0]))


def concept(word: str) -> str:
    """The group word for ``word`` (a stem as contexts hold them), or ``word`` itself."""
    return _CONCEPT.get(word, word)
