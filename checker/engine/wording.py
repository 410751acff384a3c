"""A finding's headline in words an editor reads once: who said it (short source labels) and what
is in dispute (a question built from the story fact and the claim type, never from a stemmed
attribute).

    How many people were injured: 12 (AP 30 Jul 07:38), updated to 13 (AP 30 Jul 11:30, NYT 31 Jul)
    How old is Maksim Chmerkovskiy: 43 (DailyMail.com) or 42 (3 sources)?
    When was the crash: 31 Oct 1999 (NYT) or 8 Nov 1999 (Xinhua)?

Sources are named by ``source_label``: the outlet (a trailing "(AP Worldstream, English)" or
"News Service" dropped, the big wires as newsrooms write them: AP, NYT, AFP), else the first words of the headline, else the file name without its
hash-like id ("article 001"); a list of more than ``MAX_NAMED`` names reads "NYT, Reuters and 3
others". Where what a figure counts, or whose age it is, cannot be said from the story's words,
the question says less ("Which figure", "What age") rather than name the wrong thing.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from claims.base import STOPWORDS, match_stem, stem
from checker.engine.facts import count_class, tables

MAX_NAMED = 3  # names a source list shows; past that, "A, B and N others"
TITLE_WORDS, TITLE_CHARS = 4, 32  # a headline standing in for a missing outlet is cut to this

_HASHLIKE = re.compile(r"[0-9a-f]{8,}", re.IGNORECASE)  # with a digit and a letter: a hash, not a word or year
_PARENTHESIS = re.compile(r"\s*\(([^()]*)\)\s*$")
_OUTLET_SUFFIX = re.compile(r"\s+(?:News Service|News Agency|Newswire|Wire Service)$", re.IGNORECASE)
_SEPARATORS = "_-. "
# the short names newsrooms use for the big wires and papers (the name left after the cuts below)
WELL_KNOWN = {"associated press": "AP", "the associated press": "AP", "new york times": "NYT",
              "the new york times": "NYT", "agence france-presse": "AFP", "agence france presse": "AFP",
              "wall street journal": "WSJ", "the wall street journal": "WSJ", "los angeles times": "LA Times",
              "british broadcasting corporation": "BBC", "bbc news": "BBC", "cable news network": "CNN",
              "united press international": "UPI", "xinhua news agency": "Xinhua"}


def _hash_like(token: str) -> bool:
    return bool(re.search(r"\d", token)) and bool(re.search(r"[a-f]", token, re.IGNORECASE))


def short_outlet(outlet: str) -> str:
    """"Associated Press (AP Worldstream, English)" -> "AP"; "New York Times News Service" ->
    "NYT" (``WELL_KNOWN``); "Xinhua News Agency (English service)" -> "Xinhua"; an abbreviation with its name in brackets is the name ("ET
    (Entertainment Tonight)" -> "Entertainment Tonight")."""
    name = " ".join(outlet.split())
    bracket = _PARENTHESIS.search(name)
    if bracket:
        cut = name[:bracket.start()].strip()
        inner = bracket.group(1).strip()
        if len(cut) >= 4:
            name = cut
        elif len(inner.split()) >= 2 and "," not in inner:
            name = inner
    if name.lower() in WELL_KNOWN:
        return WELL_KNOWN[name.lower()]
    cut = _OUTLET_SUFFIX.sub("", name)
    name = cut if len(cut) >= 4 else name
    return WELL_KNOWN.get(name.lower(), name)


def short_title(title: str) -> str:
    """The first words of a headline, cut at a word: “Maksim Chmerkovskiy Planning To Go…”."""
    words = title.split()
    out: list[str] = []
    for word in words:
        if len(out) >= TITLE_WORDS or len(" ".join([*out, word])) > TITLE_CHARS:
            break
        out.append(word)
    if not out:  # one very long word
        out = [words[0][:TITLE_CHARS]]
    text = " ".join(out).rstrip(",;:-–—")
    return f"“{text}…”" if len(out) < len(words) or len(text) < len(" ".join(words)) else f"“{text}”"


def file_label(article_id: str, position: int) -> str:
    """An article id as a label: hash-like runs removed ("001_4229d4f3bb958d1d" -> "article
    001"); an id of nothing else becomes "article N" (its place in the story)."""
    kept = [part for part in re.split(r"([_\-. ]+)", article_id)
            if not (_HASHLIKE.fullmatch(part) and _hash_like(part))]
    text = "".join(kept).strip(_SEPARATORS)
    if not text:
        return f"article {position}"
    return f"article {text}" if text.isdigit() else text


def source_label(outlet: str | None, title: str | None, article_id: str, position: int) -> str:
    """How a report names one article's source: outlet, else short headline, else file name."""
    if outlet and outlet.strip():
        return short_outlet(outlet)
    if title and title.strip():
        return short_title(title)
    return file_label(article_id, position)


def name_list(names: list[str], max_named: int = MAX_NAMED) -> str:
    """"AP, NYT" ; past ``max_named`` names, "AP, NYT and 3 others"."""
    if len(names) <= max_named:
        return ", ".join(names)
    return ", ".join(names[:max_named - 1]) + f" and {len(names) - max_named + 1} others"


def choices(options: list[tuple[str, str]], *, update: bool = False) -> str:
    """"12 (AP) or 13 (NYT, Reuters)?"; three or more "a (x), b (y) or c (z)?"; an update
    (the story revised its figure) "12 (AP 29 Jul), updated to 13 (AP 30 Jul)", no question."""
    shown = [f"{value} ({sources})" if sources else value for value, sources in options]
    if update:
        return ", updated to ".join(shown)
    if len(shown) == 1:
        return shown[0] + "?"
    return ", ".join(shown[:-1]) + " or " + shown[-1] + "?"


# --- values in words ---------------------------------------------------------------------------

_BOUNDS = (("<=", "at most "), (">=", "at least "), ("<", "less than "), (">", "more than "))
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def value_words(normalized: str) -> str:
    """A normalized value as an editor writes it: ">7 days" -> "more than 7 days",
    "1999-10-31" -> "31 Oct 1999", "1998-02" -> "Feb 1998"; anything else as it is."""
    text = str(normalized).strip()
    for mark, words in _BOUNDS:
        if text.startswith(mark):
            return words + text[len(mark):].lstrip()
    if m := _ISO_DAY.match(text):
        try:
            day = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return text
        return f"{day.day} {day:%b %Y}"
    if m := _ISO_MONTH.match(text):
        if 1 <= int(m[2]) <= 12:
            return f"{date(int(m[1]), int(m[2]), 1):%b %Y}"
    return text


# --- what is in dispute, as a question -----------------------------------------------------------

@dataclass(frozen=True)
class Question:
    """What a finding is about: ``direct`` ("How old is Maksim Chmerkovskiy") heads a
    headline, ``indirect`` ("how old Maksim Chmerkovskiy is") goes inside a sentence ("Only AP
    says how old ...")."""

    direct: str
    indirect: str


_CURRENCIES = {"USD", "EUR", "GBP", "JPY", "CNY", "RUB", "CHF", "AUD", "CAD", "INR", "$", "€", "£", "¥"}
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


def certain_subject(subject: str | None) -> str:
    """A subject a headline may name: "" when the extractor bound the value to no name, or to a
    word that is no name ("Thus", "Then" opening a sentence)."""
    subject = " ".join(str(subject or "").split())
    if not subject or subject.lower() in STOPWORDS or not any(ch.isupper() for ch in subject[:1]):
        return ""
    if len(subject.split()) == 1 and subject.lower() in {"thus", "then", "now", "later", "today", "police"}:
        return ""
    return subject


def surface_word(fragment: str, texts: list[str]) -> str | None:
    """The word of ``texts`` a stemmed attribute fragment ("injur", "remain", "minut") stands for,
    as written there ("injured", "remained", "minutes"; "Americans" keeps its capital, a
    sentence's first word does not); None when no word of them stems to it."""
    if not fragment:
        return None
    seen: Counter[str] = Counter()
    for text in texts:
        for n, match in enumerate(_WORD.finditer(str(text))):
            word = match.group()
            low = word.lower()
            if low == fragment or stem(low) == fragment or match_stem(low) == fragment:
                seen[low if n == 0 else word] += 1
    return seen.most_common(1)[0][0] if seen else None


def _class_names() -> set[str]:
    return set(tables()["nouns"].values()) | {"people"}


def count_question(claims: list, unit_hint: str | None = None) -> Question:
    """How many of what, from the counted noun's class and state ("How many people were
    killed"), or the word the articles use for it ("How many bodies"); money "How much money";
    a figure whose noun is not a noun of the story ("12 respectively") "Which figure"."""
    unit = unit_hint if unit_hint is not None else (claims[0].unit if claims else "")
    if unit:
        if unit in _CURRENCIES:
            return Question("How much money", "how much money")
        if unit in ("%", "percent"):
            return Question("What share", "what share")
        return Question(f"How many {unit}", f"how many {unit}")
    noun, state = Counter(count_class(c) for c in claims).most_common(1)[0][0]
    texts = [str(c.value) for c in claims] + [str(c.sentence) for c in claims]
    if noun not in _class_names():
        # the word the claims themselves give ("12 Americans"): a noun only the sentence has may
        # be what did it, not what was counted ("a blast killed 4")
        noun = surface_word(noun, [str(c.value) for c in claims]) or ""
        plural = any((c.low or 0) > 1 for c in claims)
        if noun.lower().endswith("ly") or noun.lower() in STOPWORDS or (plural and state and not noun.endswith("s")):
            noun = ""  # "12 respectively"; "4 blast killed": the counted noun is elsewhere
    known_states = set(tables()["states"].values())
    if state and state not in known_states:
        state = surface_word(state, texts) or ""
    if noun and state:
        return Question(f"How many {noun} were {state}", f"how many {noun} were {state}")
    if noun:
        return Question(f"How many {noun}", f"how many {noun}")
    if state and state in known_states:
        return Question(f"How many were {state}", f"how many were {state}")
    return Question("Which figure", "which figure")


def age_question(subject: str | None) -> Question:
    who = certain_subject(subject)
    return Question(f"How old is {who}", f"how old {who} is") if who else Question("What age", "how old someone is")


def date_question(happening: str | None, time_of_day: bool) -> Question:
    """"When was the crash", "At what time was the crash"; with no happening, "Which day"."""
    if happening:
        if time_of_day:
            return Question(f"At what time was the {happening}", f"at what time the {happening} was")
        return Question(f"When was the {happening}", f"when the {happening} was")
    return Question("At what time", "at what time") if time_of_day else Question("Which day", "which day")


def question(claim_type: str, claims: list, *, about: str = "", attribute: str = "") -> Question:
    """The question a fact answers, from its claim type, what it is ``about`` (a person, a
    happening) and its ``attribute`` (checker.engine.facts: "people killed", "date")."""
    first = claims[0] if claims else None
    if claim_type == "count":
        return count_question(claims)
    if claim_type == "age":
        return age_question(about or (first.subject if first else ""))
    if claim_type == "date":
        granularity = ((first.extra or {}).get("granularity") if first else None)
        return date_question(about or None, attribute == "time" or granularity == "time")
    if claim_type == "duration":
        return Question("How long", "how long")
    who = certain_subject(about or (first.subject if first else ""))
    if claim_type == "citizenship":
        return (Question(f"What citizenship does {who} hold", f"what citizenship {who} holds") if who
                else Question("What citizenship", "what citizenship"))
    if claim_type == "place":
        if "born" in str(attribute or (first.attribute if first else "")):
            return (Question(f"Where was {who} born", f"where {who} was born") if who
                    else Question("Where was the person born", "where the person was born"))
        return Question("Which place", "which place")
    return Question("What value", "what value")
