"""Controlled single edits to real articles, for the accuracy benchmark (bench/accuracy.py).

In the style of FactCC (Kryscinski et al., 2020) and SummEdits (Laban et al., 2023): take a
fact that at least two articles of a story state, change it in one article only, and ask
whether claimcheck notices. Each edit type is one ``sites_*`` function that finds places to
edit and one way to change them; the search is deliberately independent of claimcheck's own
extractors (plain patterns over sentences), so that recall is not measured only on facts the
extractors already see.

A site is "stated by two articles" when another article has a sentence with the same value
for the same thing (half the shorter sentence's content words shared, at least ``MIN_SHARED``,
or two content words shared among the five words either side of the value): the same
number before the same noun or time unit, the same age and a shared capitalised name, the same
day of the same month, the same weekday falling on the same date (from each article's
publication date), the same name, a shared run of six quoted words, a near-identical sentence.

Inconsistent edits (claimcheck should raise a warning or error on them):
  count        "killed 17 people"            -> "killed 21 people"
  age          "Smith, 45,"                  -> "Smith, 51,"
  date         "on Sept. 12" / "on Tuesday"  -> "on Sept. 15" / "on Thursday"
  duration     "for three hours"             -> "for five hours"
  name         "Basayev" (every mention in the article) -> "Basaev" (transliteration-style)
  quote_word   "we will not negotiate"       -> "we will not bargain" (inside a shared quote)
  quote_cut    "we will not negotiate with terrorists" -> "we will not with terrorists" (no ellipsis)
  negation     "The plane was carrying 217 people" -> "The plane was not carrying 217 people"

Consistent controls (meaning kept; claimcheck should stay quiet), for balanced accuracy:
  number_format  "12 people" -> "twelve people", "three hours" -> "3 hours"
  date_format    "Sept. 12"  -> "September 12"
  quote_ellipsis a cut inside a shared quote marked with "..."
  contraction    "did not"   -> "didn't"
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from claims.model import Document

MIN_SHARED = 3  # content words a corroborating sentence must share with the edited one

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_STOP = set("""
a an the and or but of to in on at by for from with into over under about after before during
as is are was were be been being has have had do does did will would shall should can could may
might must not no so very just also only more most some any each all other such he she it they we
i you him her them us his its their our your who which what when where how that this these those
there than then said says told say according while because one two three four five mr mrs ms
""".split())

NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                     "ninety": 90, "hundred": 100})
WORD_OF = {v: k for k, v in NUMBER_WORDS.items()}
_NUMWORD = "|".join(sorted((w for w in NUMBER_WORDS if w not in ("zero", "one", "hundred")), key=len, reverse=True))
_NUMBER = rf"(?P<v>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|(?i:{_NUMWORD}))"
_TIME_UNITS = "seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?"
COUNT = re.compile(rf"(?<![\w$.,/-])(?<!No\. ){_NUMBER}(?:\s+(?:million|billion|thousand))?\s+(?:[a-z]+\s+){{0,2}}?"
                   rf"(?P<noun>[a-z]{{3,}}s)\b(?!-)")
DURATION = re.compile(rf"(?<![\w$.,/-]){_NUMBER}(?:\s+|-)(?P<unit>{_TIME_UNITS})\b(?!-old| old| ago|-year-old)")
AGE = re.compile(r"(?<![\w$.,])(?P<v>\d{1,3})-year-old\b|\b(?:aged|age)\s+(?P<v2>\d{1,3})\b"
                 r"|(?<=[a-z]),\s(?P<v3>\d{1,3}),\s|\b(?P<v4>\d{1,3})\s+years\s+old\b")
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
_MONTH_ALT = {"January": "Jan", "February": "Feb", "March": "Mar", "April": "Apr", "August": "Aug",
              "September": "Sept?", "October": "Oct", "November": "Nov", "December": "Dec"}
_MONTH = "|".join(rf"{full}|{_MONTH_ALT[full]}\." if full in _MONTH_ALT else full for full in MONTHS)
DAY_DATE = re.compile(rf"\b(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})\b(?!:|\d|,\d)")
DATELINE = re.compile(r"\s*\(")  # "MOSCOW, July 3 (Xinhua)": the dispatch's date, not a claim
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEKDAY = re.compile(r"\b(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
QUOTE = re.compile(r'"(?P<q>[^"\n]{20,800})"')
AUX = re.compile(r"\b(?P<aux>is|are|was|were|has|have|had|will|would|can|could|should|did|does|do|must)\s+"
                 r"(?P<next>[a-z]{2,})\b")
NEGATION = re.compile(r"\b(?:not|never|no|none|nobody|nothing|neither|nor|without|cannot)\b|n't\b", re.I)
CAPITALISED = re.compile(r"\b[A-Z][a-z]{3,}(?:[A-Z][a-z]+)?\b")
NOT_NAMES = set(MONTHS) | set(WEEKDAYS) | set("""
The This That These Those There Their They When Where What While With After Before During Since
President Minister Prime Secretary General Governor Senator Police Army Government Court Justice
State States United National Federal Department Ministry Party Council Republican Democrat
Democrats Republicans Congress Senate House Agency News Press Associated Service English Times
North South East West Northern Southern Eastern Western Airport Street Avenue Road River
Sunday Saturday However Although Also Many Some Most Both Each Other Officials Mister
Attorney County Admiral Tech View Judge Commander Colonel Captain Mayor Sheriff Ambassador
Ayatollah Sheikh Chairman Director Spokesman Deputy Chief Embassy Airlines Flight Station
English French Dutch Spanish British American Western Eastern Islamic Christian Muslim Jewish
International Center Centre Island Islands Ocean Square Park Hospital University College Club
""".split())


@dataclass
class Edit:
    """One change to one article. ``spans`` are (start, end, new) in the original text, sorted;
    ``changed`` are the edited spans in the new text (what claimcheck's evidence must cover)."""

    type: str
    consistent: bool
    article: str
    spans: list[tuple[int, int, str]]
    old: str
    new: str
    witness: str  # the other article that states the same fact
    changed: list[tuple[int, int]] = field(default_factory=list)

    def apply(self, text: str) -> str:
        out, last, shift = [], 0, 0
        self.changed = []
        for start, end, new in self.spans:
            out.append(text[last:start])
            out.append(new)
            new_start = start + shift
            # a pure deletion still needs a span to cover: the characters either side of the cut
            self.changed.append((new_start, new_start + len(new)) if new else (max(new_start - 1, 0), new_start + 1))
            shift += len(new) - (end - start)
            last = end
        out.append(text[last:])
        return "".join(out)

    @property
    def key(self) -> str:
        start = self.spans[0][0]
        return f"{self.type}:{self.article}:{start}:{self.old}->{self.new}"


@dataclass
class Sent:
    article: str
    start: int  # offsets into the article's original text
    end: int
    text: str  # the original text of the sentence
    words: frozenset


def sentences(doc: Document) -> list[Sent]:
    out = []
    for s in doc.sentences:
        start, end = doc.orig_span(s.start, s.end)
        text = doc.article.text[start:end]
        out.append(Sent(doc.article.id, start, end, text, content_set(text)))
    return out


def content_set(text: str) -> frozenset:
    return frozenset(w.lower().rstrip("'s") for w in _WORD.findall(text)
                     if len(w) > 2 and w.lower() not in _STOP)


def near_words(text: str, start: int, end: int, span: int = 5) -> frozenset:
    """Content words among the ``span`` words either side of text[start:end]."""
    left = _WORD.findall(text[:start])[-span:]
    right = _WORD.findall(text[end:])[:span]
    return content_set(" ".join(left + right))


def same_fact(sent: Sent, m: re.Match, other: Sent, m2: re.Match) -> bool:
    """Two sentences give the same value for the same thing: most of the shorter sentence's
    content words are shared, or two content words next to the value are."""
    shared = len(sent.words & other.words)
    if shared >= MIN_SHARED and shared >= 0.5 * min(len(sent.words), len(other.words)):
        return True
    return len(near_words(sent.text, m.start(), m.end()) & near_words(other.text, m2.start(), m2.end())) >= 2


def corroborated(sent: Sent, m: re.Match, others: list[Sent], pattern: re.Pattern, value, normal,
                 also=None) -> str | None:
    """The article id of another article's sentence stating the same value for the same thing
    (``also(sent, other)``, when given, must hold too)."""
    for other in others:
        if other.article == sent.article or len(sent.words & other.words) < 2:
            continue
        for m2 in pattern.finditer(other.text):
            if normal(m2) == value and same_fact(sent, m, other, m2) and (also is None or also(sent, other)):
                return other.article
    return None


# ---- value edits ------------------------------------------------------------------------

def number_value(text: str) -> float | None:
    t = text.lower().replace(",", "")
    if t in NUMBER_WORDS:
        return float(NUMBER_WORDS[t])
    try:
        return float(t)
    except ValueError:
        return None


def changed_number(text: str, rng: random.Random) -> str:
    """A clearly different number, written the way the original was (digits, commas, words)."""
    value = number_value(text)
    if text.lower() in NUMBER_WORDS:
        n = int(value)
        choices = [w for k, w in WORD_OF.items() if 2 <= k <= 20 and k != n and abs(k - n) <= 5]
        word = rng.choice(choices)
        return word.capitalize() if text[0].isupper() else word
    if "." in text:
        decimals = len(text.split(".")[1])
        return f"{value * rng.choice([1.5, 2, 0.5]) + 0.1:.{decimals}f}"
    n = int(value)
    if n < 10:
        new = n + rng.choice([1, 2, 3, 4]) if n <= 3 else n + rng.choice([-2, -1, 1, 2, 3])
    else:
        step = rng.choice([-0.3, -0.2, 0.2, 0.3, 0.5])
        new = int(round(n * (1 + step)))
        if n >= 100:  # keep a round number round, an exact one exact
            magnitude = 10 ** (len(str(n)) - len(str(n).rstrip("0")))
            new = max(magnitude, round(new / magnitude) * magnitude)
        if new == n:
            new = n + 3
    return f"{new:,}" if "," in text else str(new)


def _value_sites(pattern: re.Pattern, all_sents: list[Sent], group: str = "v", skip=None) -> list[tuple[Sent, re.Match, str]]:
    """(sentence, match, witness): the same number before the same noun or unit elsewhere."""
    def normal(m):
        value = number_value(m.group(group) or "")
        noun = (m.groupdict().get("noun") or m.groupdict().get("unit") or "").lower().rstrip("s")
        return None if value is None else (value, noun)
    sites = []
    for sent in all_sents:
        for m in pattern.finditer(sent.text):
            if skip and skip(sent.text, m):
                continue
            value = normal(m)
            if value is None:
                continue
            witness = corroborated(sent, m, all_sents, pattern, value, normal)
            if witness:
                sites.append((sent, m, witness))
    return sites


def _looks_like_year(text: str, m: re.Match) -> bool:
    v = m.group("v")
    return bool(re.fullmatch(r"1[89]\d\d|20\d\d", v))


def count_edits(docs, sents, rng) -> list[Edit]:
    def skip(text, m):
        return _looks_like_year(text, m) or re.fullmatch(_TIME_UNITS, m.group("noun")) is not None
    return [_number_edit("count", s, m, w, rng) for s, m, w in _value_sites(COUNT, sents, skip=skip)]


def duration_edits(docs, sents, rng) -> list[Edit]:
    return [_number_edit("duration", s, m, w, rng)
            for s, m, w in _value_sites(DURATION, sents, skip=_looks_like_year)]


def _number_edit(kind: str, sent: Sent, m: re.Match, witness: str, rng, group: str = "v") -> Edit:
    old = m.group(group)
    start = sent.start + m.start(group)
    new = changed_number(old, rng)
    return Edit(kind, False, sent.article, [(start, start + len(old), new)], old, new, witness)


def age_edits(docs, sents, rng) -> list[Edit]:
    def normal(m):
        return next(int(m.group(g)) for g in ("v", "v2", "v3", "v4") if m.group(g))
    edits = []
    for sent in sents:
        for m in AGE.finditer(sent.text):
            group = next(g for g in ("v", "v2", "v3", "v4") if m.group(g))
            age = int(m.group(group))
            if not 1 <= age <= 110:
                continue
            witness = corroborated(sent, m, sents, AGE, age, normal, also=_shared_name)
            if witness:
                new = age + rng.choice([-7, -5, -3, 2, 4, 6, 9])
                new = new if new > 0 else age + 4
                start = sent.start + m.start(group)
                edits.append(Edit("age", False, sent.article, [(start, start + len(m.group(group)), str(new))],
                                  str(age), str(new), witness))
    return edits


def _shared_name(a: Sent, b: Sent) -> bool:
    names = {m.group(0) for m in CAPITALISED.finditer(a.text) if m.start()} - NOT_NAMES
    return any(m.group(0) in names for m in CAPITALISED.finditer(b.text))


def _weekday_date(sent: Sent, weekday: str, published: dict):
    """The date a bare weekday names in wire style: the latest such day on or before publication."""
    day = published.get(sent.article)
    if day is None:
        return None
    return day.toordinal() - (day.weekday() - WEEKDAYS.index(weekday)) % 7


def _month_index(text: str) -> int:
    return next(i for i, full in enumerate(MONTHS) if text.rstrip(".").lower().startswith(full[:3].lower()))


def date_edits(docs, sents, rng) -> list[Edit]:
    published = {d.article.id: d.article.published for d in docs if d.article.published}
    edits = []
    for sent in sents:
        for m in DAY_DATE.finditer(sent.text):
            day = int(m.group("day"))
            if not 1 <= day <= 31 or DATELINE.match(sent.text, m.end()):
                continue
            value = (_month_index(m.group("month")), day)
            witness = corroborated(sent, m, sents, DAY_DATE, value,
                                   lambda x: (_month_index(x.group("month")), int(x.group("day"))))
            if witness:
                new = day + rng.choice([-4, -3, -2, 2, 3, 5])
                new = new if 1 <= new <= 28 else day - 6 if day > 6 else day + 6
                start = sent.start + m.start("day")
                edits.append(Edit("date", False, sent.article, [(start, start + len(m.group("day")), str(new))],
                                  m.group(0), f"{m.group('month')} {new}", witness))
        for m in WEEKDAY.finditer(sent.text):
            on = _weekday_date(sent, m.group("weekday"), published)
            if on is None:
                continue
            witness = corroborated(sent, m, sents, WEEKDAY, m.group("weekday"), lambda x: x.group("weekday"),
                                   also=lambda a, b: _weekday_date(b, m.group("weekday"), published) == on)
            if witness:
                i = WEEKDAYS.index(m.group("weekday"))
                new = WEEKDAYS[(i + rng.choice([1, 2, 3, -1, -2])) % 7]
                start = sent.start + m.start("weekday")
                edits.append(Edit("date", False, sent.article, [(start, start + len(m.group("weekday")), new)],
                                  m.group("weekday"), new, witness))
    return edits


# ---- name respelling ------------------------------------------------------------------------

# Transliteration-style respellings: what two outlets do with one Russian, Arabic or
# Ukrainian name. Each is (pattern, replacement); one that applies is picked at random.
RESPELLINGS = [
    (r"ov$", "off"), (r"off$", "ov"), (r"ev$", "yev"), (r"yev$", "ev"), (r"iy$", "i"), (r"([^aeiou])y$", r"\1i"),
    (r"([aeiou])i$", r"\1y"), (r"kh", "k"), (r"([aeiou])k([aeiou])", r"\1kh\2"), (r"ch", "tch"),
    (r"([aeiou])([lnrsm])([aeiou])", r"\1\2\2\3"), (r"([lnrstm])\1", r"\1"), (r"ou", "u"), (r"([^aeiou])u", r"\1ou"),
    (r"ya", "ia"), (r"ia", "ya"), (r"yu", "iu"), (r"ei", "ey"), (r"([a-z])j", r"\1dzh"), (r"ts", "tz"),
    (r"ai", "ay"), (r"sh", "sch"),
]


def respell(name: str, rng: random.Random) -> str | None:
    options = []
    for pattern, repl in RESPELLINGS:
        new = re.sub(pattern, repl, name, count=1)
        if new != name and new[0].isupper() and len(new) >= 4:
            options.append(new)
    return rng.choice(options) if options else None


def name_edits(docs, sents, rng) -> list[Edit]:
    """Respell a name, everywhere in one article, that another article spells the same way."""
    texts = {d.article.id: d.article.text for d in docs}
    in_articles: dict[str, set[str]] = {}
    lowercase_seen: set[str] = set()
    sentence_initial: dict[str, int] = {}
    for sent in sents:
        for m in CAPITALISED.finditer(sent.text):
            name = m.group(0)
            if m.start() == 0:
                sentence_initial[name] = sentence_initial.get(name, 0) + 1
                continue
            in_articles.setdefault(name, set()).add(sent.article)
        lowercase_seen.update(w for w in _WORD.findall(sent.text) if w.islower())
    vocabulary = {w.lower() for t in texts.values() for w in _WORD.findall(t)}
    edits = []
    for name, articles in sorted(in_articles.items()):
        if len(articles) < 2 or name in NOT_NAMES or name.lower() in lowercase_seen:
            continue
        for article in sorted(articles):
            new = respell(name, rng)
            if not new or new.lower() in vocabulary:
                continue
            text = texts[article]
            spans = [(m.start(), m.end(), new) for m in re.finditer(rf"\b{re.escape(name)}\b", text)]
            witness = sorted(articles - {article})[0]
            edits.append(Edit("name", False, article, spans, name, new, witness))
    return edits


# ---- quotes --------------------------------------------------------------------------------

# Plausible substitutions inside a quote: a word an outlet might hear or render differently.
SUBSTITUTES = {
    "people": "residents", "very": "really", "want": "wish", "good": "great", "think": "believe",
    "believe": "think", "know": "understand", "important": "significant", "country": "nation",
    "terrible": "horrible", "large": "big", "big": "large", "small": "little", "help": "assist",
    "children": "kids", "government": "administration", "difficult": "hard", "hard": "difficult",
    "happy": "glad", "sure": "certain", "going": "about", "never": "not", "always": "often",
    "should": "must", "will": "would", "would": "will", "can": "could",
    "could": "can", "may": "might", "might": "may", "everything": "anything", "nothing": "little",
    "everyone": "everybody", "nobody": "no one", "problem": "issue", "situation": "position",
    "attack": "assault", "killed": "murdered", "police": "officers", "truth": "facts", "fear": "worry",
    "hope": "expect", "expect": "hope", "leave": "quit", "stop": "end", "begin": "start",
    "start": "begin", "continue": "keep", "decision": "choice", "case": "matter", "first": "earliest",
    "last": "final", "today": "now", "again": "once more", "quickly": "soon", "all": "most",
    "many": "several", "some": "a few", "much": "a lot", "peace": "calm", "war": "conflict",
    "family": "relatives", "friends": "allies", "life": "lives", "lives": "life", "city": "town",
    "world": "globe", "must": "have to", "strong": "firm", "clear": "plain", "wrong": "mistaken",
    "right": "correct", "safe": "secure", "dangerous": "risky", "fight": "battle", "find": "locate",
    "support": "back", "said": "stated", "told": "informed", "asked": "begged", "tried": "attempted",
}


def _quotes(sents: list[Sent]) -> list[tuple[Sent, int, int, list[re.Match]]]:
    out = []
    for sent in sents:
        text = sent.text.replace("\u201c", '"').replace("\u201d", '"').replace("``", ' "').replace("''", '" ')
        for m in QUOTE.finditer(text):
            words = list(re.finditer(r"[A-Za-z0-9][A-Za-z0-9'-]*", sent.text[m.start("q"):m.end("q")]))
            if len(words) >= 8:
                out.append((sent, m.start("q"), m.end("q"), words))
    return out


def _shared_quotes(sents: list[Sent]):
    """(quote, word indexes shared with another article's quote in a run of six, witness)."""
    quotes = _quotes(sents)
    grams: dict[tuple, set[str]] = {}
    for sent, qs, qe, words in quotes:
        lower = [w.group(0).lower() for w in words]
        for i in range(len(lower) - 5):
            grams.setdefault(tuple(lower[i:i + 6]), set()).add(sent.article)
    for sent, qs, qe, words in quotes:
        lower = [w.group(0).lower() for w in words]
        shared: set[int] = set()
        witness = None
        for i in range(len(lower) - 5):
            others = grams.get(tuple(lower[i:i + 6]), set()) - {sent.article}
            if others:
                shared.update(range(i, i + 6))
                witness = witness or sorted(others)[0]
        if witness:
            yield sent, qs, words, sorted(shared), witness


def quote_word_edits(docs, sents, rng) -> list[Edit]:
    pool = sorted({w for s in sents for w in _WORD.findall(s.text) if w.islower() and len(w) > 4})
    edits = []
    for sent, qs, words, shared, witness in _shared_quotes(sents):
        inner = [i for i in shared if 0 < i < len(words) - 1 and words[i].group(0).isalpha()
                 and words[i].group(0).islower() and (words[i].group(0) in SUBSTITUTES or len(words[i].group(0)) > 3)]
        if not inner:
            continue
        i = rng.choice(inner)
        old = words[i].group(0)
        new = SUBSTITUTES.get(old) or rng.choice([w for w in pool if w != old] or ["matter"])
        start = sent.start + qs + words[i].start()
        edits.append(Edit("quote_word", False, sent.article, [(start, start + len(old), new)], old, new, witness))
    return edits


def _cut(sent, qs, words, shared, rng) -> tuple[int, int, str] | None:
    n = rng.choice([2, 3, 4, 5])
    starts = [i for i in shared if i >= 2 and i + n <= len(words) - 2 and all(j in shared for j in range(i, i + n))]
    if not starts:
        return None
    i = rng.choice(starts)
    start = sent.start + qs + words[i].start()
    end = sent.start + qs + words[i + n].start()
    return start, end, " ".join(w.group(0) for w in words[i:i + n])


def _cut_edits(sents, rng, kind: str, marker: str) -> list[Edit]:
    """Words cut from the middle of each shared quote, replaced by ``marker`` ("" or "... ")."""
    edits = []
    for sent, qs, words, shared, witness in _shared_quotes(sents):
        cut = _cut(sent, qs, words, shared, rng)
        if cut:
            start, end, removed = cut
            edits.append(Edit(kind, bool(marker), sent.article, [(start, end, marker)], removed, marker.strip(), witness))
    return edits


def quote_cut_edits(docs, sents, rng) -> list[Edit]:
    return _cut_edits(sents, rng, "quote_cut", "")


def quote_ellipsis_edits(docs, sents, rng) -> list[Edit]:
    return _cut_edits(sents, rng, "quote_ellipsis", "... ")


# ---- statements -----------------------------------------------------------------------------

def _same_statement(sent: Sent, sents: list[Sent]) -> str | None:
    """Another article's sentence that says the same: most of the shorter one's content words."""
    for other in sents:
        if other.article == sent.article or not sent.words or not other.words:
            continue
        shared = len(sent.words & other.words)
        if shared >= 5 and shared >= 0.6 * min(len(sent.words), len(other.words)):
            return other.article
    return None


def _states_phrase(sent: Sent, sents: list[Sent], phrase: str) -> str | None:
    """Another article's sentence saying the same that also has the verb phrase to negate."""
    phrase = " ".join(phrase.split())
    for other in sents:
        if other.article == sent.article or not other.words:
            continue
        shared = len(sent.words & other.words)
        if shared >= 4 and shared >= 0.5 * min(len(sent.words), len(other.words)) \
                and phrase in " ".join(other.text.lower().split()) and not NEGATION.search(other.text):
            return other.article
    return None


def negation_edits(docs, sents, rng) -> list[Edit]:
    edits = []
    for sent in sents:
        if NEGATION.search(sent.text) or len(sent.words) < 5:
            continue
        auxes = [m for m in AUX.finditer(sent.text) if m.group("next") not in ("not", "no", "never")]
        if not auxes:
            continue
        stated = [(m, w) for m in auxes if (w := _states_phrase(sent, sents, sent.text[m.start():m.end()].lower()))]
        if not stated:
            continue
        m, witness = rng.choice(stated)
        aux = m.group("aux")
        new = "cannot" if aux == "can" else f"{aux} not"
        start = sent.start + m.start("aux")
        edits.append(Edit("negation", False, sent.article, [(start, start + len(aux), new)], aux, new, witness))
    return edits


CONTRACTIONS = {"did not": "didn't", "does not": "doesn't", "do not": "don't", "is not": "isn't",
                "are not": "aren't", "was not": "wasn't", "were not": "weren't", "has not": "hasn't",
                "have not": "haven't", "had not": "hadn't", "would not": "wouldn't", "could not": "couldn't",
                "will not": "won't", "cannot": "can't", "should not": "shouldn't"}
_CONTRACTABLE = re.compile(r"\b(?:" + "|".join(CONTRACTIONS) + r")\b")


def contraction_edits(docs, sents, rng) -> list[Edit]:
    edits = []
    for sent in sents:
        for m in _CONTRACTABLE.finditer(sent.text):
            witness = _same_statement(sent, sents)
            if witness:
                start = sent.start + m.start()
                new = CONTRACTIONS[m.group(0)]
                edits.append(Edit("contraction", True, sent.article, [(start, start + len(m.group(0)), new)],
                                  m.group(0), new, witness))
    return edits


# ---- format controls --------------------------------------------------------------------------

def number_format_edits(docs, sents, rng) -> list[Edit]:
    """Digits <-> words for 2..20, in counts and durations: the same number, written differently."""
    edits = []
    for pattern in (COUNT, DURATION):
        for sent, m, witness in _value_sites(pattern, sents, skip=_looks_like_year):
            old = m.group("v")
            value = number_value(old)
            if value is None or value != int(value) or not 2 <= value <= 20:
                continue
            new = str(int(value)) if old.lower() in NUMBER_WORDS else WORD_OF[int(value)]
            start = sent.start + m.start("v")
            edits.append(Edit("number_format", True, sent.article, [(start, start + len(old), new)], old, new, witness))
    return edits


def date_format_edits(docs, sents, rng) -> list[Edit]:
    edits = []
    for sent in sents:
        for m in DAY_DATE.finditer(sent.text):
            value = (_month_index(m.group("month")), int(m.group("day")))
            witness = corroborated(sent, m, sents, DAY_DATE, value,
                                   lambda x: (_month_index(x.group("month")), int(x.group("day"))))
            if not witness:
                continue
            old = m.group("month")
            full = MONTHS[value[0]]
            new = full if old != full else (_MONTH_ALT.get(full, "").replace("?", "t") + "." if full in _MONTH_ALT else None)
            if new and new != old:
                start = sent.start + m.start("month")
                edits.append(Edit("date_format", True, sent.article, [(start, start + len(old), new)], old, new, witness))
    return edits


EDIT_TYPES = {
    "count": count_edits, "age": age_edits, "date": date_edits, "duration": duration_edits,
    "name": name_edits, "quote_word": quote_word_edits, "quote_cut": quote_cut_edits,
    "negation": negation_edits,
    "number_format": number_format_edits, "date_format": date_format_edits,
    "quote_ellipsis": quote_ellipsis_edits, "contraction": contraction_edits,
}
INCONSISTENT = ["count", "age", "date", "duration", "name", "quote_word", "quote_cut", "negation"]
CONSISTENT = ["number_format", "date_format", "quote_ellipsis", "contraction"]
