"""Words that name one happening or one kind of actor in news copy, for aligning claims.

Two reports of one fact often use different words for it: "the ferry sank" / "the vessel
foundered", "remanded for eight days" / "detained for eight days", "the blast" / "the
explosion". Aligning claims on shared context words misses such pairs, so ``concept`` maps each
word of a group to the group's first word before words are compared.

The groups are our own list of common wire-copy words, each group words an editor would take
as naming the same happening (not merely related ones: "arrested" and "charged" are two steps,
"funeral" and "burial" can be days apart). A word that often means something else is left out
("held" a meeting, "left" behind, "fire" a weapon, "released" a statement, "reached" a deal,
"remains" in custody, "custody" of a child, "ruled" out), as is one whose stem is another
common word's ("plane" stems as "plans" does), and anything tied to one story. Words are
compared as ``claims.base.match_stem`` gives them, so "explosion" stands for "explosions" too.

Only the comparison of claims reads these, through ``checker.align.word_set``: alignment, and
the tests in ``checker.value_conflict`` that compare two claims' words (different events,
which of an article's claims is closer); no claim's text or value changes.
"""
from __future__ import annotations

from claims.base import match_stem

GROUPS = (
    "explosion explode exploded blast detonated detonation",
    "killed kill killing slain slaying",
    "died die dead death perished",
    "injured injure wounded injuries",
    "arrested arrest detained detention apprehended remanded jailed",
    "crashed crash plunged plummeted",
    "sank sink sunk sinking foundered",
    "resigned resign resignation quit",
    "announced announce announcement unveiled disclosed",
    "arrived arrive arrival",
    "charged indicted indictment",
    "victory won win triumph",
    "met meet meeting",
    "blaze flames inferno",
    "search searched manhunt",
    "testified testify testimony",
    "voted vote ballot balloting",
    "demanded demand urged",
    "rescued rescue",
    "troops soldiers servicemen serviceman",
    "policemen policeman police",
    "attacked attack assault raid raided",
    "evacuated evacuate evacuation",
    "hospitalized hospital",
    "agreement agreed agree accord",
    "aircraft jet airliner",
    "ship vessel",
    "earthquake quake tremor",
)


def _concepts(groups: tuple[str, ...]) -> dict[str, str]:
    """stem -> its group's first stem; a stem in two groups would join them, so it is refused."""
    table: dict[str, str] = {}
    for group in groups:
        words = [match_stem(w) for w in group.split()]
        for word in words:
            if table.get(word, words[0]) != words[0]:
                raise ValueError(f"{word!r} is in two synonym groups")
            table[word] = words[0]
    return table


_CONCEPT = _concepts(GROUPS)


def concept(word: str) -> str:
    """The group word for ``word`` (a stem as contexts hold them), or ``word`` itself."""
    return _CONCEPT.get(word, word)
