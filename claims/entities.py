"""The story's people and places, found from capitalised name runs across all its articles.

No statistical NER model is used (no official spaCy English model ships on PyPI): a name run is
a sequence of capitalised tokens, split at words that are never names; it is a place when the
story puts it after "in/to/from/at" more often than it uses it as a person (titles, "said",
", 42,"). Short forms resolve to the story's full names: a surname ("Chmerkovskiy"), a first
name ("Peta") or a nickname that begins a first name ("Maks" -> "Maksim", "Val" -> "Valentin").
"""
from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz.distance import Levenshtein

from claims.base import has_any, keyword_text
from claims.gazetteer import KNOWN_PLACES, NOT_NAMES, PERSON_TITLES
from claims.model import Document, Sentence
from claims.lazy_re import lazy_compile

# every alternative begins with a capital, so the regex engine can skip to capitals; a hyphen
# joins two capitalised parts (Jean-Marie, Anheuser-Busch), not a name and a word (Cairo-bound)
_TOKEN = r"(?:[A-Z]\.(?:[A-Z]\.)+|Mc[A-Z][a-z]+|O'[A-Z][a-z]+|Ma?c[A-Z][a-z]+|[A-Z][a-z]+(?:'[A-Z]?[a-z]+|-[A-Z][a-z]+)?|[A-Z]\.|[A-Z]{2,}[a-z]*)"
NAME_RUN = lazy_compile(rf"{_TOKEN}(?:[ ]+(?:{_TOKEN}|'[A-Z][a-z]+'|(?:de|van|von|bin|al|da|del|le|la)(?= [A-Z])))*")
_PLACE_PREP = lazy_compile(r"\b(?:in|to|from|at|near|into|outside|across|toward|towards|through|via"
                         r"|(?:north|south|east|west|outskirts|suburbs?|parts?|city|town|village|province"
                         r"|state|region|capital|coast|centre|center|heart) of)\s+(?:the\s+)?$", re.I)
# "in the Lawrence case", "to the Kennedy family": a name used as a modifier of these is no place
_MODIFIED = lazy_compile(r"^\s+(?:case|killing|murder|investigation|inquiry|family|trial|affair|estate|slaying|home|house)\b")
_PERSON_NEXT = lazy_compile(r"^(?:'s)?\s*(?:,\s*\d{1,3}\s*,|, who\b|'s (?:parents|wife|husband|widow|family|death|killing|murder|funeral|body|friend|lawyer|attorney|mother|father|son|daughter|sister|brother)\b|, an? [\w-]*year-old\b|said|says|told|added|asked|wrote|explained|continued|recalled|admitted|revealed|\(\w)")
# "his wife, Carolyn", "her sister Lauren Bessette": a kinship or role noun names a person
KIN_NOUNS = ("wife", "husband", "son", "daughter", "sister", "brother", "mother", "father", "widow",
             "widower", "fiance", "fiancee", "girlfriend", "boyfriend", "cousin", "uncle", "aunt",
             "nephew", "niece", "grandson", "granddaughter", "grandmother", "grandfather",
             "stepson", "stepdaughter")
ROLE_NOUNS = ("lawyer", "attorney", "spokesman", "spokeswoman")
# "his wife, Carolyn", "Kennedy's sister Lauren": whose kin, and which (the name follows)
# (a name is at most 30 characters here, so a long run of capitals is not rescanned from each)
_KIN_NAMED = lazy_compile(rf"\b(?P<whose>[Hh]is|[Hh]er|[A-Z][\w.-]{{0,30}}(?='s ))(?:'s)? (?P<kin>{'|'.join(KIN_NOUNS)}),? (?=[A-Z])")
_PERSON_BEFORE = lazy_compile(rf"\b(?:{'|'.join(KIN_NOUNS + ROLE_NOUNS)}),? $")
# "Lauren G. Bessette", "John F. Kennedy Jr.": a middle initial or a suffix marks a person's
# name, unless more capitalised words follow ("John F. Kennedy International Airport")
_PERSON_SHAPE = lazy_compile(r"^[A-Z][a-z]+ [A-Z]\. [A-Z]|(?: (?:Jr|Sr)\.?)$")
_CAPITAL_NEXT = lazy_compile(r"^\.? [A-Z]")
_NON_SPACE = lazy_compile(r"\S+")
_PRONOUN_ANY_CASE = lazy_compile(r"\b(?:he|she|his|her|him)\b", re.I)
NAME_SUFFIXES = {"Jr", "Sr", "II", "III", "IV"}
MAX_NAME_WORDS = 12  # the news corpora's longest name has 7 ("New Woman All Women Health Care Center")
MAX_NAME_CHARS = 160


@dataclass(frozen=True)
class Mention:
    start: int  # offsets into Document.norm
    end: int
    text: str
    canonical: str
    kind: str  # "person" or "place"


def name_key(name: str) -> str:
    # names are asked for over and over; whole articles (also passed here) are not worth keeping
    return _name_key(name) if len(name) <= 200 else anyascii(name).lower().replace(".", "").strip()


@lru_cache(maxsize=1 << 15)
def _name_key(name: str) -> str:
    return anyascii(name).lower().replace(".", "").strip()


TITLE_WORDS = {w.rstrip(".") for w in PERSON_TITLES} | {
    "Fleet", "Deputy", "Vice", "Staff", "Acting", "Former", "Senior", "Foreign", "Defense",
    "Interior", "Navy", "Army", "Attorney", "Spokesman", "Spokeswoman", "Ambassador", "Governor",
    "Senator", "Representative", "Lieutenant", "Colonel", "Captain", "Sergeant", "Major",
    "Chairman", "Chairwoman", "Presidents", "Day", "Director", "Leader", "Speaker"}


def split_run(text: str, common: set[str] = frozenset(), sentence_initial: bool = False,
              midcap: set[str] = frozenset(), vocabulary: set[str] = frozenset()) -> list[tuple[int, int, str]]:
    """(start, end, name) within ``text``: split a capitalised run at words that are never names (or are common lowercase words in
    the story) and at titles; a possessive 's ends a name. A sentence's first word is dropped when
    the story writes it in lower case elsewhere (``vocabulary``) and never capitalises it
    mid-sentence (``midcap``): "Suspects Udi Hargov"."""
    parts: list[tuple[int, int, str]] = []
    current: list[tuple[int, int]] = []

    def close() -> None:
        if current:
            parts.append((current[0][0], current[-1][1], ""))
        current.clear()

    for m in _NON_SPACE.finditer(text):
        token = m.group().strip("'")
        bare = token.rstrip(".")
        if name_key(token.removesuffix("'s")) in KNOWN_PLACES:
            close()
            parts.append((m.start(), m.end(), ""))
            continue
        if sentence_initial and m.start() == 0 and token not in midcap and (
                bare.lower() in vocabulary or bare in NOT_NAMES
                or bare.lower().endswith(("ing", "ly", "ed", "ers", "ials", "ists", "ors", "ies"))):
            # a capitalised first word the story never capitalises mid-sentence is a name
            # only if it does not look like an ordinary word ("Following Maks' return")
            continue
        if (bare in NOT_NAMES or token in NOT_NAMES or bare in TITLE_WORDS
                or (bare.isupper() and len(bare) > 4) or bare.lower() in common):
            close()
            continue
        current.append(m.span())
        if m.group().endswith("'s"):
            close()
    close()
    out = []
    for s, e, _ in parts:
        piece = text[s:e]
        if piece.endswith("'s"):
            piece, e = piece[:-2], e - 2
        elif piece.endswith("'"):
            piece, e = piece[:-1], e - 1
        if len(piece.replace(".", "")) >= 2:
            out.append((s, e, piece))
    return out


def sent_initial(text: str, pos: int) -> bool:
    return not text[:pos].strip(" \"'(")


_PERSON_TITLE_ENDINGS = tuple(PERSON_TITLES)
# a name ending in one of these is an institution, not a person ("Democracy Movement",
# "Accident Investigations Office"); it is kept with the places
INSTITUTION_WORDS = {"Movement", "Office", "Branch", "Investigations", "Air", "Airways", "Airlines", "Board",
                     "Bureau", "Commission", "Institute", "Foundation", "Association", "Society",
                     "Center", "Centre", "Fund", "Bank", "Securities", "Agency", "Administration",
                     "Service", "Council", "Committee", "Ministry", "Department", "Court", "Party"}


def _spelling_variants(full_names: list[str]) -> dict[str, str]:
    """Full names that differ from a more frequent one (``full_names`` comes most frequent first)
    in one respelled part, "Elian Gonzales" / "Elian Gonzalez", "Yigal Damary" / "Igal Damary":
    one person, so that what each source says of them is compared (the spelling-variant rule
    still reports the two spellings). Given names that differ at their end (Paul / Paula,
    Mark / Mary) are relatives, not respellings."""
    variant_of: dict[str, str] = {}
    # names by all their parts but one, and the respelled part by its forms less one letter: two
    # words one edit apart share such a form, so a name is compared only with the few names
    # that can be its respelling, not with every name of the story (the first seen still wins)
    seen: dict[tuple, dict[str, list[tuple[int, list[str]]]]] = defaultdict(lambda: defaultdict(list))
    for order, full in enumerate(full_names):
        tokens = full.split()
        keys = [(len(tokens), i, tuple(tokens[:i] + tokens[i + 1:])) for i in range(len(tokens))]
        match = None
        for key in keys:
            part = tokens[key[1]]
            candidates = {id(other): (at, other) for form in _one_letter_less(part)
                          for at, other in seen[key].get(form, ())}
            found = [(at, other) for at, other in candidates.values()
                     if _respelled(part, other[key[1]], given=key[1] == 0)]
            if found:
                match = min(found, key=lambda item: item[0])[1]
                break
        if match:
            variant_of[full] = " ".join(match)
            continue
        for key in keys:
            for form in _one_letter_less(tokens[key[1]]):
                seen[key][form].append((order, tokens))
    return variant_of


def _one_letter_less(word: str) -> set[str]:
    """The word (lower-cased) and every form of it with one letter taken out."""
    lower = word.lower()
    return {lower} | {lower[:i] + lower[i + 1:] for i in range(len(lower))}


def _respelled(a: str, b: str, given: bool) -> bool:
    """One edit apart, as the spelling-variant rule allows (not Carolyn / Caroline, two people)."""
    if a == b or min(len(a), len(b)) < 4 or Levenshtein.distance(a.lower(), b.lower()) != 1:
        return False
    return not (given and a[:min(len(a), len(b)) - 1] == b[:min(len(a), len(b)) - 1])


class StoryEntities:
    """People and places of one story, and who a claim in a sentence is about."""

    def __init__(self, docs: list[Document]):
        self.docs = docs
        self._runs: dict[tuple[str, int], list[tuple[int, int, str]]] = {}
        person_votes: Counter[str] = Counter()
        place_votes: Counter[str] = Counter()
        freq: Counter[str] = Counter()
        lowercase: Counter[str] = Counter()
        for doc in docs:
            lowercase.update(re.findall(r"(?<![\w.] )(?<!^)\b[a-z][a-z]+\b", doc.norm))
        common = {w for w, n in lowercase.items() if n >= 2}
        vocabulary = {w for doc in docs for w in re.findall(r"\b[a-z][a-z]+\b", doc.norm)}
        midcap = set()
        for doc in docs:
            for sent in doc.sentences:
                midcap.update(re.findall(r"(?<=[a-z,;] )[A-Z][\w'.-]+", sent.text))
        midcap = {t.strip("'").removesuffix("'s").rstrip(".,") for t in midcap} | {t.strip("'") for t in midcap}
        split: dict[tuple[str, bool], list[tuple[int, int, str]]] = {}  # a story repeats its names
        for doc in docs:
            for sent in doc.sentences:
                runs = []
                for m in NAME_RUN.finditer(sent.text):
                    key = (m.group(), sent_initial(sent.text, m.start()))
                    if key not in split:
                        split[key] = split_run(key[0], common, key[1], midcap, vocabulary)
                    offset = sent.start + m.start()
                    # a run of more words than any name has (hostile text, a title-case list) names
                    # nobody: were it kept, each of its words would carry it whole as its subject
                    runs.extend((offset + s, offset + e, text) for s, e, text in split[key]
                                if text.count(" ") < MAX_NAME_WORDS)
                self._runs[(doc.article.id, sent.index)] = runs
                for s, e, text in runs:
                    freq[text] += 1
                    before = doc.norm[max(sent.start, s - 25):s]
                    after = doc.norm[e:min(sent.end, e + 20)]
                    if (_PLACE_PREP.search(before) and not _MODIFIED.match(after)) or name_key(text) in KNOWN_PLACES:
                        place_votes[text] += 1
                    if _PERSON_NEXT.match(after) or before.endswith("year-old ") or \
                            before.rstrip().endswith(_PERSON_TITLE_ENDINGS) or _PERSON_BEFORE.search(before) \
                            or (_PERSON_SHAPE.search(text) and not _CAPITAL_NEXT.match(after)):
                        person_votes[text] += 1
        self.freq = freq
        # "the death of Matthew Shepard" votes for a place; "Shepard said" elsewhere settles it
        lone_people = {t for t in freq if " " not in t and person_votes[t] > place_votes[t]}
        self.places = {t for t in freq if name_key(t) in KNOWN_PLACES or t.split()[-1] in INSTITUTION_WORDS or (
            place_votes[t] > person_votes[t] and not (" " in t and t.split()[-1] in lone_people))}
        # (a name of hundreds of letters, hostile text, is kept out: resolving costs its square)
        full_names = [t for t in freq if " " in t and t not in self.places and not t.endswith(".")
                      and len(t) <= MAX_NAME_CHARS]
        self.full_names = sorted(full_names, key=lambda t: (-freq[t], t))
        self._variant_of = _spelling_variants(self.full_names)
        # the same lists indexed by what resolve() looks for, so that a story naming thousands
        # of people does not scan them all for each name: longer names by their first words and
        # by their last words; by surname and given name (or its start), the most frequent
        self._by_start: dict[tuple[str, ...], list[tuple[str, list[str]]]] = defaultdict(list)
        self._by_end: dict[tuple[str, ...], list[tuple[str, list[str]]]] = defaultdict(list)
        self._by_last_given: dict[tuple[str, str], tuple[int, str]] = {}  # (surname, given name): the first
        self._by_given_start: dict[tuple[str, str], tuple[int, str]] = {}  # (surname, start of given name): the first
        self._first_extending: dict[str, str] = {}
        for order, full in enumerate(self.full_names):  # most frequent first, as resolve() prefers
            ftoks = full.split()
            for cut in range(1, len(ftoks)):
                self._by_start[tuple(ftoks[:cut])].append((full, ftoks))
                self._by_end[tuple(ftoks[-cut:])].append((full, ftoks))
            given = ftoks[0]
            self._by_last_given.setdefault((ftoks[-1], given), (order, full))
            for cut in range(1, len(given) + 1):
                self._by_given_start.setdefault((ftoks[-1], given[:cut]), (order, full))
                if 3 <= cut < len(given):
                    self._first_extending.setdefault(given[:cut], full)
        # "the resignation of Coelho" votes for a place, but Coelho is Tony Coelho's surname
        surnames = {full.split()[-1] for full in self.full_names if person_votes[full] or freq[full] >= 2}
        self.places -= {t for t in surnames if name_key(t) not in KNOWN_PLACES}
        self._short: dict[str, str] = {}
        self._resolved: dict[str, str] = {}  # resolve() scans the full names; extractors ask again and again
        self._mentions: dict[tuple[str, int], list[Mention]] = {}
        self._mention_starts: dict[tuple[str, int], list[int]] = {}
        self._people_at: dict[tuple[str, int], tuple[list[Mention], list[int]]] = {}
        self._first_pronoun: dict[tuple[str, int], int | None] = {}
        self._first_bearer: dict[tuple[str, str], str] = {}
        by_part: dict[str, Counter[str]] = defaultdict(Counter)
        for full in self.full_names:
            tokens = [t for t in full.split() if not t.startswith("'") and t.rstrip(".,") not in NAME_SUFFIXES] or full.split()
            nicknames = [t.strip("'") for t in full.split() if t.startswith("'")]  # Aleksandr 'Sasha' Chmerkovskiy
            for tok in (tokens[0], tokens[-1], *nicknames):
                by_part[tok][self.resolve(full)] += freq[full]
        for part, counter in by_part.items():
            self._short[part] = counter.most_common(1)[0][0]
        # a surname two of the story's people share ("Newt Gingrich", "Marianne Gingrich")
        self._shared = {part: set(counter) for part, counter in by_part.items() if len(counter) > 1}
        self._resolved.clear()  # answers given before _short was complete
        self.person_freq: Counter[str] = Counter()
        for text, count in freq.items():
            if text in self.places:
                continue
            canonical = self.resolve(text)
            if canonical and (" " in canonical or person_votes[text]):
                self.person_freq[canonical] += count
        ranked = sorted(self.person_freq.items(), key=lambda kv: (" " not in kv[0], -kv[1], kv[0]))
        self.main_person = ranked[0][0] if ranked else None
        self._kin: dict[tuple[str, str], str] | None = None

    def kin(self, owner: str, noun: str) -> str | None:
        """The person the story names as ``owner``'s ``noun`` ("his wife, Carolyn Bessette
        Kennedy", "Kennedy's sister, Caroline"), when it names one; None otherwise."""
        if self._kin is None:
            votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
            for doc in self.docs:
                for sent in doc.sentences:
                    if not has_any(keyword_text(sent), KIN_NOUNS):  # a cheap test before the scan
                        continue
                    people = self.people(doc, sent)
                    for m in _KIN_NAMED.finditer(sent.text):
                        named = [p for p in people if p.start == sent.start + m.end()]
                        if not named:
                            continue
                        who = self.owner(doc, sent, sent.start + m.end("whose"),
                                         pronoun=m.group("whose").lower() in ("his", "her"))
                        if who and who != named[0].canonical:
                            votes[(who, m.group("kin").lower())][named[0].canonical] += 1
            self._kin = {key: counter.most_common(1)[0][0] for key, counter in votes.items()}
        return self._kin.get((owner, noun))

    def owner(self, doc: Document, sent: Sentence, end: int, pronoun: bool) -> str:
        """Whose a possessive ending at norm offset ``end`` is: for "his"/"her" (``pronoun``) the
        person it points back to (read from after it, so "His wife, X" looks back for him), else
        the person named just before "'s" ("Kennedy's sister"); "" if none."""
        if pronoun:
            return self.subject_at(doc, sent, end)
        owners = [p for p in self.people(doc, sent) if p.end == end]
        return owners[-1].canonical if owners else ""

    def resolve(self, name: str) -> str:
        """The story's full name for a short form, or the name itself. Resolving the answer
        again gives the same answer: "Richard M. Larrabee" -> "Richard Larrabee" -> "Richard
        Larrabbee" is followed to its end."""
        if name not in self._resolved:
            answer, seen = self._resolve(name), {name}
            while answer not in seen and len(seen) < 4:
                seen.add(answer)
                answer = self._resolve(answer)
            self._resolved[name] = answer
        return self._resolved[name]

    def _resolve(self, name: str) -> str:
        name = name.strip()
        if name in self.places:
            return name
        name = self._variant_of.get(name, name)
        if " " in name:
            tokens = name.split()
            for full, ftoks in self._by_start.get(tuple(tokens), ()):  # "his wife, Leigh Ann"
                extra = ftoks[len(tokens):]
                if not all(t.rstrip(".") in NAME_SUFFIXES for t in extra):
                    name, tokens = full, ftoks  # (not "John F. Kennedy" -> "John F. Kennedy Jr")
                    break
            else:
                for full, ftoks in self._by_end.get(tuple(tokens), ()):  # "Ms. Bessette Kennedy"
                    # only a name used more often: not "Ilya Klebanov" -> "Premier Ilya Klebanov"
                    if len(ftoks) > len(tokens) and self.freq[full] > self.freq[name]:
                        name, tokens = full, ftoks
                        break
            # "Maks Chmerkovskiy" and "Maksim Chmerkovskiy" are one person: the first full name
            # (most frequent) with this surname whose given name starts the other's or extends it
            given, last = tokens[0], tokens[-1]
            candidates = [self._by_last_given[(last, given[:cut])] for cut in range(1, len(given) + 1)
                          if (last, given[:cut]) in self._by_last_given]  # given names it starts with
            if (last, given) in self._by_given_start:
                candidates.append(self._by_given_start[(last, given)])  # given names that extend it
            if candidates:
                full = min(candidates)[1]
                return self._variant_of.get(full, full)
            return self._variant_of.get(name, name)
        if name in self._short:
            return self._short[name]
        if len(name) >= 3 and name in self._first_extending:
            return self._first_extending[name]
        return name

    def mentions(self, doc: Document, sent: Sentence) -> list[Mention]:
        key = (doc.article.id, sent.index)
        if key not in self._mentions:
            out = []
            for s, e, text in self._runs.get(key, []):
                kind = "place" if text in self.places else "person"
                canonical = text
                if kind == "person":
                    canonical = self._article_first(doc, text) if text in self._shared else self.resolve(text)
                out.append(Mention(s, e, text, canonical, kind))
            self._mentions[key] = out
        return list(self._mentions[key])  # a copy: callers may filter or extend their list

    def mentions_within(self, doc: Document, sent: Sentence, start: int, end: int) -> list[Mention]:
        """The sentence's mentions lying inside norm[start:end], found by bisection: asked once
        per match, so a sentence of thousands of names is not scanned once per name."""
        self.mentions(doc, sent)
        key = (doc.article.id, sent.index)
        if key not in self._mention_starts:
            self._mention_starts[key] = [m.start for m in self._mentions[key]]
        found, mentions = [], self._mentions[key]
        for i in range(bisect.bisect_left(self._mention_starts[key], start), len(mentions)):
            if mentions[i].start >= end:
                break
            if mentions[i].end <= end:
                found.append(mentions[i])
        return found

    def _article_first(self, doc: Document, part: str) -> str:
        """A shared surname means, in one article, the first of its bearers that article names in
        full (the story's most frequent bearer if it names none): a report introduces its
        subject first, then calls them by surname."""
        key = (doc.article.id, part)
        if key not in self._first_bearer:
            self._first_bearer[key] = self._first_named(doc, part)
        return self._first_bearer[key]

    def _first_named(self, doc: Document, part: str) -> str:
        for sent in doc.sentences:
            for _, _, text in self._runs.get((doc.article.id, sent.index), []):
                if " " in text and text not in self.places:
                    full = self.resolve(text)
                    if full in self._shared[part]:
                        return full
        return self.resolve(part)

    def people(self, doc: Document, sent: Sentence) -> list[Mention]:
        return list(self._people(doc, sent)[0])  # a copy: callers may filter or extend their list

    def _people(self, doc: Document, sent: Sentence) -> tuple[list[Mention], list[int]]:
        """The sentence's people in order, and where each ends: asked once per claim, so a
        sentence naming thousands of people is not filtered again for each of its claims."""
        key = (doc.article.id, sent.index)
        if key not in self._people_at:
            people = [m for m in self.mentions(doc, sent) if m.kind == "person"
                      and (" " in m.canonical or self.person_freq[m.canonical] >= 1)]
            self._people_at[key] = (people, [m.end for m in people])
        return self._people_at[key]

    def _pronoun_before(self, doc: Document, sent: Sentence, pos: int) -> bool:
        """Whether a personal pronoun stands in the sentence before norm offset ``pos``. The
        sentence is scanned once (the first pronoun's end is kept), not once per claim."""
        key = (doc.article.id, sent.index)
        if key not in self._first_pronoun:
            found = _PRONOUN_ANY_CASE.search(sent.text)
            self._first_pronoun[key] = found.end() if found else None
        first, cut = self._first_pronoun[key], pos - sent.start
        if first is not None and first <= cut:
            return True
        # a word cut at pos ("he" of "hero") reads as a pronoun in the text before pos
        return cut > 0 and _PRONOUN_ANY_CASE.search(sent.text, max(0, cut - 4), cut) is not None

    def previous_person(self, doc: Document, sent: Sentence, lookback: int = 3) -> str | None:
        for index in range(sent.index - 1, max(-1, sent.index - 1 - lookback), -1):
            prev = doc.sentences[index]
            people = self.people(doc, prev)
            if people:
                return people[0].canonical if prev.text.lstrip().startswith(people[0].text) else people[-1].canonical
        return None

    def subject_at(self, doc: Document, sent: Sentence, pos: int) -> str:
        """Who a claim at norm offset ``pos`` is about: the nearest person before it in the
        sentence, else the person a leading pronoun points back to, else the story's main person."""
        people, ends = self._people(doc, sent)
        before = bisect.bisect_right(ends, pos)  # mentions come in order, none overlapping
        if before:
            return people[before - 1].canonical
        if not people or self._pronoun_before(doc, sent, pos):
            return self.previous_person(doc, sent) or self.main_person or ""
        return people[0].canonical
