"""Group a feed of articles into stories: shared names, places and numbers, text similarity and a
publication-time window.

Pipeline (see docs/grouping.md):

1. features per article, from a linear tokenizer over the title and the first ``MAX_CHARS`` of
   the text: proper names (capitalised tokens the article never writes in lower case) and
   multiword names ("Polar Star", "Barents Sea"), numbers (with the unit word that follows),
   and content words. Weight = type weight x (1 + log tf) x idf over the pool.
2. candidates from an inverted index: an article is compared only with articles that share a
   feature and were published within ``window`` of it (articles without a time are compared
   with all). Features that are common within some window (more than ``max(MIN_CAP,
   MAX_DF * n)`` articles) are dropped, so the work grows with the density of the feed, not
   with its square.
3. cosine similarity of the weighted feature vectors, accumulated posting by posting.
4. average-linkage merging over the sparse similarity graph: two groups merge when the mean
   similarity over their pairs of articles published within ``window`` of each other (absent
   pairs count as 0) reaches ``threshold``. One bridge article similar to two stories raises
   the mean between them by one pair only, so it cannot chain them. Groups never exceed
   ``max_group`` articles, and groups seeded from given story ids never merge with each other.

Everything is ordered by (publication time, id) first, so the same articles in any order give
the same groups, ids and reasons.
"""
from __future__ import annotations

import bisect
import hashlib
import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from anyascii import anyascii

from claims.model import Article

DEFAULT_THRESHOLD = 0.08  # tuned on the DUC pool by bench/grouping.py (docs/grouping.md)
MIN_EDGE_RATIO = 0.5  # pair similarities below threshold * this count as 0 (keeps the graph sparse)
MAX_CHARS = 12_000  # text looked at per article (the lead carries the story's names)
MAX_DF = 0.01  # a feature in more than this share of the pool within one window is dropped ...
MIN_CAP = 40  # ... unless it is in at most this many articles
IDF_FLOOR = 0.0  # added to every idf (sklearn's "smooth" idf adds 1)
MIN_LINKED = 1  # articles of a group that must link strongly to the other group for a merge
MAX_FEATURES = 100_000  # the most distinctive features kept per article
TYPE_WEIGHTS = {"p": 2.0, "n": 1.5, "u": 1.5, "#": 1.0, "w": 1.0}

# Linear patterns for untrusted text: every repetition starts with a character the part before
# it cannot match (a space, a separator), so no input makes them backtrack.
_LOWER = re.compile(r"(?<![\w'\-])[a-z][a-z]*(?:['\-][a-z]+)*")
_NUMBER = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)*)(?: ([a-z]+))?")
_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f"
_CAP_TOKEN = rf"(?:[A-Z]\.){{2,}}|[{_UPPER}][\w]*(?:['\u2019\-][\w]+)*"
_CAPS_RUN = re.compile(rf"(?<![\w'\-])(?:{_CAP_TOKEN})(?: (?:{_CAP_TOKEN}))*")

FUNCTION_WORDS = set("""
a about above after again against all also although am among an and another any are around as at
be because been before being below between both but by can could did do does doing down during
each either else ever every few for from further had has have having he her here hers herself him
himself his how however i if in into is it its itself just last least less like many may me might
more most much must my myself near neither never new next no nor not now of off often on once one
only or other others our ours ourselves out over own per perhaps quite rather same several she
should since so some such than that the their theirs them themselves then there these they this
those though through thus to too toward towards under until up upon us very via was we were what
whatever when where whether which while who whom whose why will with within without would yet you
your yours yourself mr mrs ms dr st jr sr said says say saying told tell according asked added
year years month months week weeks day days today yesterday tomorrow time times
monday tuesday wednesday thursday friday saturday sunday january february march april june july
august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
people officials official news report reported reports reporters statement spokesman spokeswoman
president minister government including including early late two three four five six seven eight
nine ten first second third percent morning afternoon evening night
""".split())
# Capitalised words that begin or sit inside name runs but name nobody on their own.
TITLE_WORDS = set("""
mr mrs ms dr gen adm sen rep gov lt col capt sgt prof rev president prime minister secretary
chancellor king queen prince princess pope judge justice mayor chief commander admiral general
officer detective sheriff governor senator ambassador spokesman spokeswoman deputy vice former
acting chairman chairwoman director leader speaker attorney lawyer
""".split())
GENERIC_CAPS = set("""
department ministry committee council court party university army navy force police government
parliament congress senate house republic federation union company corp inc group international
national state street airport sea river ocean city hotel church north south east west northern
southern eastern western central world news service times press post agency associated reuters
xinhua new united
""".split())


@dataclass
class ArticleGroup:
    id: str  # "auto-<slug>-<6 hex of the sorted article ids>", or the story id that was given
    articles: list[Article]
    reasons: dict[str, str]  # article id -> one line why it joined
    given: bool = False  # True when the group comes from story ids given in the feed


@dataclass
class _Doc:
    index: int
    article: Article
    time: float | None
    counts: Counter = field(default_factory=Counter)
    display: dict[str, str] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    norm: float = 0.0


def _timestamp(published: datetime | None) -> float | None:
    """Seconds since 1970; None for no time, or one too close to the calendar's ends to convert
    (a feed's 9999-12-31T23:00-05:00): such an article is grouped as an undated one."""
    if published is None:
        return None
    try:
        if published.tzinfo is not None:
            published = published.astimezone(timezone.utc).replace(tzinfo=None)
        return (published - datetime(1970, 1, 1)).total_seconds()
    except (OverflowError, ValueError):
        return None


@lru_cache(maxsize=200_000)
def _key(token: str) -> str:
    key = token.lower().replace("\u2019", "'")
    if not key.isascii():
        key = anyascii(key).lower()
    return key.removesuffix("'s").replace(".", "")


@lru_cache(maxsize=200_000)
def _word_key(word: str) -> str:
    """The feature of a lower-case word, or "" for short and function words."""
    if len(word) < 4 or word in FUNCTION_WORDS:
        return ""
    return "w:" + _stem(_key(word))


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _number_key(token: str) -> str | None:
    digits = token.replace(",", "")
    if digits.endswith(".0"):
        digits = digits[:-2]
    if len(digits) < 2 or (len(digits) == 4 and digits[:2] in ("19", "20") and digits.isdigit()):
        return None  # one digit, or a year: in every story
    return digits


def features(article: Article) -> tuple[Counter, dict[str, str]]:
    """Feature counts of one article and a display form for each feature key."""
    text = (article.title or "") + "\n" + article.text[:MAX_CHARS]
    lower_seen = Counter(_LOWER.findall(text))
    counts: Counter = Counter()
    display: dict[str, str] = {}

    def add(key: str, shown: str, n: int = 1) -> None:
        counts[key] += n
        if key not in display:
            display[key] = shown

    for word, n in lower_seen.items():
        key = _word_key(word)
        if key:
            counts[key] += n
            if key not in display:
                display[key] = word
    for number, unit in _NUMBER.findall(text):
        key = _number_key(number)
        if key:
            add("#" + key, number)
            if unit and unit not in FUNCTION_WORDS:
                add("u:" + key + " " + _stem(unit), f"{number} {unit}")
    runs = []
    cap_mid: Counter = Counter()  # capitalised uses that do not begin a sentence
    for m in _CAPS_RUN.finditer(text):
        tokens = m.group().split(" ")
        initial = _sentence_start(text, m.start())
        runs.append((tokens, initial))
        cap_mid.update(tokens[1:] if initial else tokens)
    for tokens, initial in runs:
        run: list[str] = []
        for pos, tok in enumerate(tokens):
            key = _key(tok)
            is_name = (len(key) > 1 and key not in FUNCTION_WORDS and key not in TITLE_WORDS
                       and not lower_seen.get(tok.lower()))
            if is_name and pos == 0 and initial and not tok.isupper():
                # a capitalised first word is a name if used so elsewhere in the article or
                # if a capitalised word follows it ("Dmitri Ustinov, 54, the harbour master")
                is_name = cap_mid[tok] > 0 or (len(tokens) > 1 and _key(tokens[1]) not in FUNCTION_WORDS)
            if is_name:
                run.append(tok)
                continue
            _close_run(run, add)
            if len(key) > 3 and key not in FUNCTION_WORDS:
                add("w:" + _stem(key), tok.lower())
        _close_run(run, add)
    return counts, display


def _close_run(run: list[str], add) -> None:
    if not run:
        return
    names = [t for t in run if _key(t) not in GENERIC_CAPS]
    for t in names:
        add("n:" + _key(t), t)
    if 1 < len(run) <= 5 and names:
        add("p:" + " ".join(_key(t) for t in run), " ".join(run))
    run.clear()


_ABBREVIATED_TITLES = {"mr", "mrs", "ms", "dr", "gen", "adm", "sen", "rep", "gov", "lt", "col",
                       "capt", "sgt", "prof", "rev", "st", "maj", "cmdr", "no", "u.s", "u.n"}


def _sentence_start(text: str, start: int) -> bool:
    """Whether the word at ``start`` begins a sentence, a line or the text."""
    i = start - 1
    while i >= 0 and i > start - 6 and text[i] in " \"'(\u201c\u2018[":
        i -= 1
    if i < 0 or text[i] == "\n":
        return True
    if text[i] in "!?:;":
        return True
    if text[i] != ".":
        return False
    before = text[max(0, i - 5):i].rsplit(None, 1)
    return not (before and before[-1].lower() in _ABBREVIATED_TITLES)


def _window_counts(times: list[float], untimed: int, window: float) -> int:
    """The most postings of one feature that fall within any one window (untimed ones always do)."""
    best = 0
    lo = 0
    for hi, t in enumerate(times):
        while t - times[lo] > window:
            lo += 1
        best = max(best, hi - lo + 1)
    return best + untimed


def _prepare(articles: list[Article], window: float) -> list[_Doc]:
    seen: set[str] = set()
    for article in articles:
        if article.id in seen:
            raise ValueError(f"duplicate article id {article.id!r}")
        seen.add(article.id)
    timed = [(_timestamp(a.published), a) for a in articles]
    timed.sort(key=lambda p: (p[0] is None, p[0] or 0.0, p[1].id))
    docs = [_Doc(i, a, t) for i, (t, a) in enumerate(timed)]
    for doc in docs:
        doc.counts, doc.display = features(doc.article)
    n = len(docs)
    postings: dict[str, list[int]] = defaultdict(list)
    for doc in docs:
        for key in doc.counts:
            postings[key].append(doc.index)
    cap = max(MIN_CAP, MAX_DF * n)
    idf: dict[str, float] = {}
    for key, plist in postings.items():
        if len(plist) > cap:
            times = [docs[i].time for i in plist if docs[i].time is not None]
            if _window_counts(times, len(plist) - len(times), window) > cap:
                continue  # generic within some window: neither indexed nor weighted
        idf[key] = math.log((n + 1) / len(plist)) + IDF_FLOOR
    for doc in docs:
        weights = {}
        for key, count in doc.counts.items():
            w = idf.get(key)
            if w:
                weights[key] = TYPE_WEIGHTS[key[0]] * (1.0 + math.log(count)) * w
        if len(weights) > MAX_FEATURES:  # keep the article's most distinctive features
            top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_FEATURES]
            weights = dict(top)
        doc.weights = weights
        doc.norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return docs


def _similarities(docs: list[_Doc], window: float, min_edge: float) -> dict[int, dict[int, float]]:
    """Cosine similarity of every pair that shares a feature, lies within ``window`` and scores
    at least ``min_edge``; pairs (i, j) stored both ways."""
    # postings in doc order (timed docs by time first, then the undated): ids, unit weights, times
    ids: dict[str, list[int]] = defaultdict(list)
    unit: dict[str, list[float]] = defaultdict(list)
    times: dict[str, list[float]] = defaultdict(list)
    place: list[dict[str, int]] = []
    for doc in docs:
        mine = {}
        for key, w in doc.weights.items():
            plist = ids[key]
            mine[key] = len(plist)
            plist.append(doc.index)
            unit[key].append(w / doc.norm)
            if doc.time is not None:
                times[key].append(doc.time)
        place.append(mine)
    edges: dict[int, dict[int, float]] = defaultdict(dict)
    for doc in docs:
        acc: dict[int, float] = defaultdict(float)
        i = doc.index
        for key, pos in place[i].items():
            plist = ids[key]
            n = len(plist)
            if pos + 1 == n:
                continue  # no later doc has this feature
            w = unit[key][pos]
            ws = unit[key]
            lo = pos + 1  # only later docs: each pair once
            if doc.time is not None:
                ptimes = times[key]
                hi = bisect.bisect_right(ptimes, doc.time + window, lo)
                if hi < len(ptimes):
                    # the timed docs within the window, then every undated doc
                    for j, wj in zip(plist[lo:hi], ws[lo:hi]):
                        acc[j] += w * wj
                    lo = len(ptimes)
            for j, wj in zip(plist[lo:], ws[lo:]):
                acc[j] += w * wj
        row = edges[i]
        for j, sim in acc.items():
            if sim >= min_edge:
                row[j] = sim
                edges[j][i] = sim
    return edges


def _pairs_in_window(ta: list[float], na: int, tb: list[float], nb: int, window: float) -> int:
    """How many (a, b) pairs lie within the window; ta, tb sorted times, na/nb untimed counts."""
    total = na * (len(tb) + nb) + nb * len(ta)
    for t in ta:
        total += bisect.bisect_right(tb, t + window) - bisect.bisect_left(tb, t - window)
    return total


class _Clusters:
    """Sparse average-linkage agglomeration with a lazy max-heap."""

    def __init__(self, docs: list[_Doc], edges: dict[int, dict[int, float]], window: float,
                 threshold: float, max_group: int, labels: dict[int, str]) -> None:
        self.docs, self.window, self.threshold, self.max_group = docs, window, threshold, max_group
        self.edges = edges
        self.members: dict[int, list[int]] = {}
        self.times: dict[int, list[float]] = {}
        self.untimed: dict[int, int] = {}
        self.label: dict[int, str | None] = {}
        self.links: dict[int, dict[int, float]] = defaultdict(dict)  # cluster -> cluster -> sum of sims
        self.of: list[int] = list(range(len(docs)))
        self.next_id = len(docs)
        self.heap: list[tuple[float, int, int, int, int]] = []
        for doc in docs:
            c = doc.index
            self.members[c] = [c]
            self.times[c] = [] if doc.time is None else [doc.time]
            self.untimed[c] = 1 if doc.time is None else 0
            self.label[c] = labels.get(c)
        for i, row in edges.items():
            for j, sim in row.items():
                self.links[i][j] = sim
        # articles given the same story id start as one group
        by_label: dict[str, list[int]] = defaultdict(list)
        for i, lab in sorted(labels.items()):
            by_label[lab].append(i)
        for lab in sorted(by_label):
            first = by_label[lab][0]
            for other in by_label[lab][1:]:
                self._merge(self.of[first], self.of[other], push=False)
        for a in list(self.members):
            for b in self.links[a]:
                if a < b:
                    self._push(a, b)

    def _linkage(self, a: int, b: int) -> float:
        total = self.links[a].get(b, 0.0)
        pairs = _pairs_in_window(self.times[a], self.untimed[a], self.times[b], self.untimed[b], self.window)
        return total / pairs if pairs else 0.0

    def _anchored(self, a: int, b: int) -> bool:
        """Whether enough of a's articles (MIN_LINKED, or all of a smaller group) link strongly
        to b: one article alone cannot pull a group into another story."""
        need = min(MIN_LINKED, len(self.members[a]))
        inside = set(self.members[b])
        found = 0
        for i in self.members[a]:
            row = self.edges.get(i)
            if row and any(s >= self.threshold and j in inside for j, s in row.items()):
                found += 1
                if found >= need:
                    return True
        return False

    def _push(self, a: int, b: int) -> None:
        if self.label[a] and self.label[b]:
            return  # two given stories stay apart
        if len(self.members[a]) + len(self.members[b]) > self.max_group:
            return
        link = self._linkage(a, b)
        if link >= self.threshold and self._anchored(a, b) and self._anchored(b, a):
            ma, mb = min(self.members[a]), min(self.members[b])
            heapq.heappush(self.heap, (-link, min(ma, mb), max(ma, mb), a, b))

    def _merge(self, a: int, b: int, push: bool = True) -> int:
        c = self.next_id
        self.next_id += 1
        self.members[c] = sorted(self.members.pop(a) + self.members.pop(b))
        self.times[c] = sorted(self.times.pop(a) + self.times.pop(b))
        self.untimed[c] = self.untimed.pop(a) + self.untimed.pop(b)
        self.label[c] = self.label.pop(a) or self.label.pop(b, None)
        self.label.pop(b, None)
        for i in self.members[c]:
            self.of[i] = c
        la, lb = self.links.pop(a, {}), self.links.pop(b, {})
        merged: dict[int, float] = {}
        for other, s in list(la.items()) + list(lb.items()):
            if other in (a, b):
                continue
            merged[other] = merged.get(other, 0.0) + s
            row = self.links[other]
            row.pop(a, None)
            row.pop(b, None)
        for other, s in merged.items():
            self.links[other][c] = s
        self.links[c] = merged
        if push:
            for other in sorted(merged):
                self._push(c, other)
        return c

    def run(self) -> list[list[int]]:
        while self.heap:
            neg, _ma, _mb, a, b = heapq.heappop(self.heap)
            if a not in self.members or b not in self.members:
                continue  # stale: one side merged since
            self._merge(a, b)
        return sorted(self.members.values())


def _slug(text: str) -> str:
    out = []
    for ch in anyascii(text).lower():
        out.append(ch if ch.isalnum() else "-")
    slug = "-".join(part for part in "".join(out).split("-") if part)
    return slug[:40].rstrip("-")


def _group_slug(group: list[_Doc]) -> str:
    """The most distinctive name(s) the group's articles share (for one article: its own)."""
    score: dict[str, float] = defaultdict(float)
    holders: Counter = Counter()
    for doc in group:
        for key, w in doc.weights.items():
            if key[0] in "pn":
                score[key] += w
                holders[key] += 1
    need = 2 if len(group) > 1 else 1
    ranked = sorted((k for k in score if holders[k] >= need), key=lambda k: (-holders[k] * score[k], k))
    if not ranked:
        ranked = sorted(score, key=lambda k: (-score[k], k))
    if not ranked:
        words = Counter()
        for doc in group:
            words.update({k: w for k, w in doc.weights.items()})
        ranked = sorted(words, key=lambda k: (-words[k], k))
    picked: list[str] = []
    for key in ranked:
        name = key[2:]
        if any(name in p or p in name for p in picked):
            continue
        picked.append(name)
        if len(picked) == 2:
            break
    return _slug(" ".join(picked)) or "story"


def group_id(docs: list[_Doc]) -> str:
    digest = hashlib.sha1("\n".join(sorted(d.article.id for d in docs)).encode("utf-8")).hexdigest()[:6]
    return f"auto-{_group_slug(docs)}-{digest}"


def _days(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return "no publication time to compare"
    days = abs(a - b) / 86400.0
    if days <= 1:
        return "within 1 day"
    return f"within {math.ceil(days)} days"


def _reason(doc: _Doc, other: _Doc, sim: float) -> str:
    shared = [(doc.weights[k] * other.weights[k], k) for k in doc.weights if k in other.weights]
    shared.sort(key=lambda p: (-(p[0] * (2.0 if p[1][0] != "w" else 1.0)), p[1]))
    shown: list[str] = []
    for _w, key in shared:
        text = doc.display.get(key, key[2:])
        if any(text.lower() in s.lower() for s in shown):
            continue  # 'Ustinov' after 'Dmitri Ustinov'
        shown = [s for s in shown if s.lower() not in text.lower()]  # ... or before it
        shown.append(text)
        if len(shown) == 4:
            break
    listed = ", ".join(f"'{s}'" for s in shown)
    return (f"shares {listed} with {other.article.id}; similarity {sim:.2f}; "
            f"{_days(doc.time, other.time)}")


def group_articles(articles: list[Article], *, window: timedelta = timedelta(days=3),
                   threshold: float = DEFAULT_THRESHOLD, max_group: int = 200,
                   story_ids: Mapping[str, str] | None = None) -> list[ArticleGroup]:
    """Group articles into stories. ``story_ids`` (article id -> story id) overrides: those
    articles form the given stories (other articles may still join them; two given stories never
    merge). Groups come ordered by earliest publication time (undated last), then id."""
    if not articles:
        return []
    win = window.total_seconds()
    docs = _prepare(list(articles), win)
    given = {d.index: str(story_ids[d.article.id]) for d in docs
             if story_ids and story_ids.get(d.article.id)}
    edges = _similarities(docs, win, threshold * MIN_EDGE_RATIO)
    clusters = _Clusters(docs, edges, win, threshold, max(1, max_group), given).run()
    groups: list[ArticleGroup] = []
    for members in clusters:
        mdocs = [docs[i] for i in members]  # already in (time, id) order
        labels = sorted({given[i] for i in members if i in given})
        reasons: dict[str, str] = {}
        for pos, doc in enumerate(mdocs):
            if doc.index in given:
                reasons[doc.article.id] = f"story id '{given[doc.index]}' given in the feed"
                continue
            if pos == 0 and not labels:
                reasons[doc.article.id] = "first article of the group"
                continue
            row = edges.get(doc.index, {})
            # the strongest link to an article of the group (earlier ones first on ties)
            best = max((j for j in members if j in row and j != doc.index),
                       key=lambda j: (row[j], -j), default=None)
            if best is None:
                reasons[doc.article.id] = "joined with its story id group"
            else:
                reasons[doc.article.id] = _reason(doc, docs[best], row[best])
        gid = labels[0] if labels else group_id(mdocs)
        groups.append(ArticleGroup(gid, [d.article for d in mdocs], reasons, given=bool(labels)))
    def order(g: ArticleGroup):
        t = _timestamp(g.articles[0].published)
        return (t is None, t or 0.0, g.id)
    groups.sort(key=order)
    return groups


def format_groups(groups: list[ArticleGroup]) -> str:
    """A plain-text summary: each group, its articles and why each joined."""
    lines = []
    for g in groups:
        lines.append(f"{g.id} ({len(g.articles)} article{'s' if len(g.articles) != 1 else ''})")
        for a in g.articles:
            when = a.published.strftime("%Y-%m-%d %H:%M") if a.published else "no time"
            lines.append(f"  {a.id} [{a.outlet or '?'}, {when}] {a.title or ''}".rstrip())
            lines.append(f"      {g.reasons.get(a.id, '')}")
    return "\n".join(lines)
