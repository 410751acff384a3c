"""Rule kind ``quote_divergence``: the same utterance quoted differently by different sources.

How it works
    1. Quote claims with at least ``min_words`` words are indexed by their word n-grams
       (n = ``min_shared_words``). Two quotes from different articles sharing an n-gram are a
       candidate pair (an inverted index, never a loop over all pairs). A pair is one utterance
       when the part they share is at least ``min_similarity`` percent similar (word-level
       ``difflib.SequenceMatcher``, autojunk off) and the overlap has the shape of one text
       quoted twice: one quote holds the other, or one's end is the other's start (a stock
       phrase inside two different quotes is not enough). Pairs are joined (union-find) into
       quote families, so a quote one source cuts into pieces with narration between ("A," he
       said. "B.") joins the family of another source's unbroken version. Quotes of one article
       are never compared with each other.
    2. In each family the reference is the article whose pieces hold the most words (ties: fewer
       pieces, then article id). Every piece of every other article is aligned word by word
       against the reference. Words are compared normalised: lowercase, punctuation dropped,
       curly = straight apostrophes, contractions spelled out (I'm = I am, 'cause = because),
       British = American spelling (colour = color), 1 = one, "No. 1" = "number one", and
       "face down" = "facedown". So case, punctuation, quote-mark style and a sentence split
       differently ("worse. People" / "worse, people") are never differences.
    3. Differences inside the stretch a piece covers:
       * ``wording``: words substituted, added or dropped (fewer than ``elision_min_words``, or a
         longer run that mostly repeats the words around it, i.e. a reworded phrase), e.g.
         join/joining, affected/effected;
       * ``elision``: ``elision_min_words`` or more words missing from the middle of a piece with
         no ``...``, ``…`` or ``[...]`` at that point. Either side can be the one that cut: when
         the reference lacks words a shorter source has, the reference (and every source reading
         it unbroken there) is reported. A cut that falls where a source split the quote into
         pieces, or next to where the reference is split, is not an elision;
       * ``truncation`` (only with ``flag_truncation``; severity info): a source quotes only the
         start or the end. Not a divergence.
       With ``ignore_name_spelling`` a one-word change between two similar capitalised words
       (Odessa/Odesa) is left to the spelling-variant rule; with ``ignore_fillers`` changes made
       only of spoken filler ("you know", "sort of", "just", "that", "literally") are ignored.
    4. At each difference the articles are grouped by their reading, so articles sharing a
       variant share a finding: "join" (000, 001) vs "joining" (002, 004). Differences of one
       family and type that split the articles the same way are one finding.

Parameters (``params:``), defaults in ``DEFAULTS``: ``min_shared_words`` (4), ``min_similarity``
(60.0, percent), ``min_words`` (5), ``elision_min_words`` (3), ``flag_elision`` (true),
``flag_wording`` (true), ``flag_truncation`` (false), ``ignore_name_spelling`` (true),
``ignore_fillers`` (true).

Message placeholders: ``{subject}`` (speaker), ``{sources}`` (outlets involved), ``{change}``
(what changed, e.g. ``wording: "join" (Diply, 001) vs "joining" (002, ET)`` or ``unmarked cut:
Diply leaves out "I believe ..." without an ellipsis (kept by 001)``), ``{type}`` (wording,
elision, truncation), ``{diff}`` (``... and ~~join~~ **joining** efforts ...``), ``{readings}``
/ ``{values}`` (each reading with its sources), ``{reference}``, ``{count}``. Unknown
placeholders are left as written. ``details`` holds ``change`` (the type), ``diff``,
``reference_article`` and ``readings``.

The finding key is the change itself, its readings sorted, with two words of context either side
(``poland and [join | joining] efforts on``), never article ids or order, so adding unrelated
articles keeps the id.

Example (rules.yaml, tests/fixtures/rules/quote_divergence.yaml)::

    - id: quote-wording
      kind: quote_divergence
      severity: warning
      message: "Quote of {subject} differs between sources: {change}"
      claim_types: [quote]
      params: {min_similarity: 60.0, elision_min_words: 3}

    PASS  a: "... go back to Poland and join efforts on the ground," he said.
          b: "... go back to Poland and join efforts on the ground." Maks said.  (punctuation only)
    FAIL  b: "... go back to Poland and joining efforts on the ground," he said. (wording: join | joining)
    FAIL  b: "I spent the last couple of days with survivor's remorse, and I'm ..."
          (a: "... remorse, I believe that that's what it's called, and I'm ...": unmarked cut)
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import combinations

import pandas as pd
from rapidfuzz import fuzz

from checker.context import StoryContext
from checker.findings import Finding
from checker.rules_config import Rule
from claims.quotes import tokenize

KIND = "quote_divergence"
DEFAULTS = {
    "min_shared_words": 4,
    "min_similarity": 60.0,
    "min_words": 5,
    "elision_min_words": 3,
    "flag_elision": True,
    "flag_wording": True,
    "flag_truncation": False,
    "ignore_name_spelling": True,
    "ignore_fillers": True,
}
FILLER_PHRASES = ("you know", "i mean", "sort of", "kind of")
FILLER_WORDS = {"that", "so", "just", "like", "um", "uh", "er", "ah", "well", "really", "actually",
                "literally", "basically", "oh", "okay", "ok"}
MAX_PIECE_WORDS = 600  # longer quotes are compared on their first 600 words (alignment is quadratic)
EDGE_SLACK = 3  # unmatched words allowed at the edge of an overlap (a changed first or last word)
MAX_POSTINGS = 40  # an n-gram in more quotes than this is boilerplate ("i don't know if"), not a link
DIFF_CONTEXT = 5  # words of context either side of a change in the diff
_ELLIPSIS = re.compile(r"\u2026|(?:\.\s?){3}")


@dataclass
class _Piece:
    """One quote claim as words."""
    pos: int  # row position in the claims frame
    row: object
    article: str
    order: int
    words: list[str]
    raw: list[str]  # the words as written, for the diff
    gaps: list[str]  # text before each word (gaps[k] sits between words k-1 and k)

    def ellipsis_before(self, k: int) -> bool:
        return 0 < k < len(self.gaps) and bool(_ELLIPSIS.search(self.gaps[k]))


@dataclass
class _Coverage:
    """What one article has at each reference word."""
    eq: dict[int, tuple[int, int]] = field(default_factory=dict)  # ref index -> (piece pos, word index)
    sub: dict[int, int] = field(default_factory=dict)  # ref index -> piece pos
    joined: set[int] = field(default_factory=set)  # boundaries b (ref words b-1, b) read without a break


@dataclass
class _Site:
    change: str  # "wording" or "elision"
    i1: int
    i2: int
    readings: dict[tuple[str, ...], set[str]] = field(default_factory=dict)  # words -> articles
    shown: dict[tuple[str, ...], str] = field(default_factory=dict)  # words -> as written
    pieces: dict[str, int] = field(default_factory=dict)  # variant article -> piece pos


def _pieces(claims: pd.DataFrame, ctx: StoryContext, min_words: int) -> list[_Piece]:
    out = []
    for pos, row in enumerate(claims.itertuples(index=False)):
        extra = row.extra if isinstance(row.extra, dict) else {}
        doc = ctx.docs.get(row.article)
        if doc is not None and "norm_start" in extra:
            text = doc.norm[extra["norm_start"]:extra["norm_end"]]
            order = int(extra["norm_start"])
        else:
            text, order = str(row.value), int(row.start)
        tokens = tokenize(text)[:MAX_PIECE_WORDS]
        if len(tokens) < min_words:
            continue
        words, raw, gaps, last = [], [], [], 0
        for n, (word, s, e) in enumerate(tokens):
            if word == "no" and n + 1 < len(tokens) and tokens[n + 1][0].isdigit():
                word = "number"  # "No. 1" is "number one"
            for k, part in enumerate(_expand(word, text[last:s])):
                words.append(_spelling(part))
                raw.append(text[s:e] if k == 0 else "")
                gaps.append(text[last:s] if k == 0 else " ")
            last = e
        out.append(_Piece(pos, row, row.article, order, words, raw, gaps))
    return out


_CONTRACTION = re.compile(r"^(\w+?)(n't|'re|'ve|'ll|'m|'d|'s)$")
_IS_CONTRACTED = {"it", "that", "he", "she", "there", "what", "here", "who", "where", "how", "let"}
_NOT_STEM = {"ca": "can", "wo": "will", "sha": "shall", "ai": "ai"}


_SMALL_NUMBERS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                  "fourteen fifteen sixteen seventeen eighteen nineteen twenty").split()
_BRITISH = [(re.compile(r"(?<=[a-z]{2})our(s?)$"), r"or\1"), (re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing|ation)$"), r"iz\1"),
            (re.compile(r"(?<=[a-z]{2})yse(s?|d)$"), r"yze\1"), (re.compile(r"(?<=[a-z]{3})tre(s?)$"), r"ter\1")]


def _spelling(word: str) -> str:
    """One spelling for words written several ways: British/American (colour/color,
    organise/organize, centre/center) and small numbers (1/one)."""
    if word.isdigit() and int(word) < len(_SMALL_NUMBERS):
        return _SMALL_NUMBERS[int(word)]
    for pattern, repl in _BRITISH:
        word = pattern.sub(repl, word)
    return word


def _expand(word: str, gap: str) -> list[str]:
    """Contractions spelled out, so "I'm"/"I am" and "'cause"/"because" are not differences."""
    if word == "cause" and gap.endswith("'"):
        return ["because"]
    if word == "cannot":
        return ["can", "not"]
    m = _CONTRACTION.match(word)
    if not m:
        return [word]
    stem, suffix = m.groups()
    if suffix == "n't":
        return [_NOT_STEM.get(stem, stem), "not"]
    if suffix == "'s":
        if stem == "let":
            return ["let", "us"]
        return [stem, "is"] if stem in _IS_CONTRACTED else [word]
    return [stem, {"'re": "are", "'ve": "have", "'ll": "will", "'m": "am", "'d": "would"}[suffix]]


def _similar(a: _Piece, b: _Piece, min_shared: int, min_similarity: float) -> bool:
    """Whether two quotes are (parts of) one utterance: their overlapping parts are similar,
    and the overlap has the shape of one text quoted twice (one holds the other, or one's end
    is the other's start) rather than a stock phrase inside two different quotes."""
    sm = SequenceMatcher(None, a.words, b.words, autojunk=False)
    blocks = [m for m in sm.get_matching_blocks() if m.size >= 2]
    matched = sum(m.size for m in blocks)
    if matched < min_shared:
        return False
    a0, a1 = blocks[0].a, blocks[-1].a + blocks[-1].size
    b0, b1 = blocks[0].b, blocks[-1].b + blocks[-1].size
    if 200.0 * matched / ((a1 - a0) + (b1 - b0)) < min_similarity:
        return False
    head_a, tail_a = a0 <= EDGE_SLACK, len(a.words) - a1 <= EDGE_SLACK
    head_b, tail_b = b0 <= EDGE_SLACK, len(b.words) - b1 <= EDGE_SLACK
    return (head_a and tail_a) or (head_b and tail_b) or (tail_a and head_b) or (tail_b and head_a)


def _families(pieces: list[_Piece], n: int, min_similarity: float) -> list[list[_Piece]]:
    index: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for k, piece in enumerate(pieces):
        for i in range(len(piece.words) - n + 1):
            index[tuple(piece.words[i:i + n])].add(k)
    pairs: set[tuple[int, int]] = set()
    for postings in index.values():
        if len(postings) < 2 or len(postings) > MAX_POSTINGS:
            continue
        for a, b in combinations(sorted(postings), 2):
            if pieces[a].article != pieces[b].article:
                pairs.add((a, b))
    parent = list(range(len(pieces)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in sorted(pairs):
        if find(a) != find(b) and _similar(pieces[a], pieces[b], n, min_similarity):
            parent[find(a)] = find(b)
    groups: dict[int, list[_Piece]] = defaultdict(list)
    for k, piece in enumerate(pieces):
        groups[find(k)].append(piece)
    return [g for g in groups.values() if len({p.article for p in g}) > 1]


def _align(ref: list[str], var: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Opcodes of ``var`` against ``ref`` limited to the stretch ``var`` covers: leading and
    trailing unmatched words are dropped, as are single-word matches stranded at an edge
    across a wide gap (a stray "i" or "the" far away from the rest)."""
    ops = SequenceMatcher(None, ref, var, autojunk=False).get_opcodes()
    equal = [k for k, op in enumerate(ops) if op[0] == "equal"]
    if not equal:
        return []
    lo, hi = equal[0], equal[-1]

    def wide(op) -> bool:
        return max(op[2] - op[1], op[4] - op[3]) >= 3

    while lo < hi and ops[lo][2] - ops[lo][1] == 1 and wide(ops[lo + 1]):
        lo = next(k for k in equal if k > lo)
    while hi > lo and ops[hi][2] - ops[hi][1] == 1 and wide(ops[hi - 1]):
        hi = max(k for k in equal if k < hi)
    window = list(ops[lo:hi + 1])
    # a changed first or last word ("Joining efforts ..." against "... join efforts ...")
    _, i1, _, j1, _ = window[0]
    if 0 < j1 <= 2 and i1 >= j1 and fuzz.ratio(" ".join(ref[i1 - j1:i1]), " ".join(var[:j1])) >= 60:
        window.insert(0, ("replace", i1 - j1, i1, 0, j1))
    _, _, i2, _, j2 = window[-1]
    tail = len(var) - j2
    if 0 < tail <= 2 and i2 + tail <= len(ref) and fuzz.ratio(" ".join(ref[i2:i2 + tail]), " ".join(var[j2:])) >= 60:
        window.append(("replace", i2, i2 + tail, j2, len(var)))
    return window


def _fillers_only(words) -> bool:
    """Whether words are nothing but spoken filler ("you know", "sort of", "just", "that")."""
    text = " " + " ".join(words) + " "
    for phrase in FILLER_PHRASES:
        text = text.replace(" " + phrase + " ", " ")
    return all(w in FILLER_WORDS for w in text.split())


def _capitalised_pair(a: str, b: str) -> bool:
    return a[:1].isupper() and b[:1].isupper() and fuzz.ratio(a.lower(), b.lower()) >= 75


class _Family:
    def __init__(self, pieces: list[_Piece], params: dict):
        self.params = params
        by_article: dict[str, list[_Piece]] = defaultdict(list)
        for piece in sorted(pieces, key=lambda p: (p.article, p.order)):
            by_article[piece.article].append(piece)
        self.by_article = dict(by_article)
        self.ref_article = max(sorted(by_article), key=lambda a: (sum(len(p.words) for p in by_article[a]),
                                                                  -len(by_article[a])))
        self.ref: list[str] = []
        self.ref_raw: list[str] = []
        self.ref_at: list[tuple[int, int]] = []  # (piece pos, word index) of each reference word
        for piece in by_article[self.ref_article]:
            for k, word in enumerate(piece.words):
                self.ref.append(word)
                self.ref_raw.append(piece.raw[k])
                self.ref_at.append((piece.pos, k))
        self.piece_by_pos = {p.pos: p for p in pieces}
        ref_cov = _Coverage()
        for i, (pos, k) in enumerate(self.ref_at):
            ref_cov.eq[i] = (pos, k)
            if i and self.ref_at[i - 1][0] == pos and not self.piece_by_pos[pos].ellipsis_before(k):
                ref_cov.joined.add(i)
        self.coverage: dict[str, _Coverage] = {self.ref_article: ref_cov}
        self.sites: dict[tuple, _Site] = {}

    def same_ref_piece(self, i1: int, i2: int) -> bool:
        """Whether reference words i1..i2 (inclusive, clipped) come from one piece: a cut next to
        where the reference itself is split is not the variant's elision."""
        lo, hi = max(0, i1), min(len(self.ref) - 1, i2)
        return self.ref_at[lo][0] == self.ref_at[hi][0]

    def gap_change(self, missing: list[str], around: list[str]) -> str:
        """'elision' for a run of missing words, 'wording' when it is short or mostly repeats
        the words around the cut (a reworded phrase that the alignment saw as a gap)."""
        if len(missing) < self.params["elision_min_words"]:
            return "wording"
        distinct = set(missing)
        return "wording" if len(distinct & set(around)) * 2 > len(distinct) else "elision"

    def add_site(self, change: str, i1: int, i2: int, words: tuple[str, ...], piece: _Piece,
                 j1: int, j2: int) -> None:
        if self.params["ignore_fillers"] and _fillers_only(self.ref[i1:i2]) and _fillers_only(words):
            return
        site = self.sites.setdefault((change, i1, i2), _Site(change, i1, i2))
        site.readings.setdefault(words, set()).add(piece.article)
        if i1 > 0 and not self.ref_raw[i1] and j1 > 0:
            j1 -= 1  # shown next to the reference's contraction: "it's" vs "it was"
        site.shown.setdefault(words, " ".join(w for w in piece.raw[j1:j2] if w))
        site.pieces.setdefault(piece.article, piece.pos)

    def compare(self) -> None:
        for article, pieces in self.by_article.items():
            if article == self.ref_article:
                continue
            cov = self.coverage.setdefault(article, _Coverage())
            for piece in pieces:
                for tag, i1, i2, j1, j2 in _align(self.ref, piece.words):
                    if tag == "equal":
                        for t in range(i2 - i1):
                            cov.eq.setdefault(i1 + t, (piece.pos, j1 + t))
                            if t and not piece.ellipsis_before(j1 + t):
                                cov.joined.add(i1 + t)
                        continue
                    marked = any(piece.ellipsis_before(k) for k in range(max(j1, 1), min(j2, len(piece.words) - 1) + 1))
                    for i in range(i1, i2):
                        cov.sub.setdefault(i, piece.pos)
                    if tag == "delete":
                        # words missing inside one reference piece, with no "..." at this point
                        if marked or not self.same_ref_piece(i1 - 1, i2):
                            continue
                        change = self.gap_change(self.ref[i1:i2], piece.words[max(0, j1 - 3):j1 + 3])
                        self.add_site(change, i1, i2, (), piece, j1, j1)
                    elif tag == "insert":
                        # extra words: the reference (and whoever reads it unbroken) cut them
                        if i1 not in self.coverage[self.ref_article].joined:
                            continue
                        change = self.gap_change(piece.words[j1:j2], self.ref[max(0, i1 - 3):i1 + 3])
                        self.add_site(change, i1, i1, tuple(piece.words[j1:j2]), piece, j1, j2)
                    else:
                        if marked or not self.same_ref_piece(i1 - 1, i2):
                            continue
                        if "".join(self.ref[i1:i2]) == "".join(piece.words[j1:j2]):
                            continue  # "face down" / "facedown", "shout-out" / "shoutout"
                        if (self.params["ignore_name_spelling"] and i2 - i1 == 1 and j2 - j1 == 1
                                and _capitalised_pair(self.ref_raw[i1], piece.raw[j1])):
                            continue
                        self.add_site("wording", i1, i2, tuple(piece.words[j1:j2]), piece, j1, j2)

    def supporters(self, site: _Site) -> set[str]:
        """Articles that read the reference words at this site."""
        out = set()
        span = range(site.i1, site.i2)
        for article, cov in self.coverage.items():
            if site.i1 == site.i2:
                ok = site.i1 in cov.joined
            elif site.change == "elision":  # has the words, however split or spelled
                ok = all(i in cov.eq or i in cov.sub for i in span)
            else:
                ok = all(i in cov.eq for i in span) and all(b in cov.joined for b in span[1:])
            if ok:
                out.add(article)
        return out


def _fmt_words(words) -> str:
    return " ".join(words) if words else "(nothing)"


def _short(text: str, words: int = 12) -> str:
    parts = text.split()
    return text if len(parts) <= words else " ".join(parts[:words]) + " \u2026"


def _shown(family: "_Family", site: "_Site", words: tuple[str, ...]) -> str:
    """A reading as its source wrote it (case and contractions kept, punctuation dropped)."""
    if not words:
        return "(nothing)"
    if words == tuple(family.ref[site.i1:site.i2]):
        lo = site.i1
        if lo > 0 and not family.ref_raw[lo]:
            lo -= 1  # the "is" of "it's": show the contraction as written
        text = " ".join(w for w in family.ref_raw[lo:site.i2] if w)
    else:
        text = site.shown.get(words, "")
    return text or " ".join(words)


class _Fmt(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _message(rule: Rule, values: dict, fallback: str) -> str:
    try:
        return rule.message.format_map(_Fmt(values))
    except (ValueError, IndexError, KeyError, AttributeError, TypeError):
        return fallback


def check(rule: Rule, claims: pd.DataFrame, ctx: StoryContext) -> list[Finding]:
    params = {**DEFAULTS, **rule.params}
    if claims is None or not len(claims):
        return []
    claims = claims[claims["claim_type"] == "quote"] if "claim_type" in claims else claims
    pieces = _pieces(claims, ctx, params["min_words"])
    findings: list[Finding] = []
    for members in _families(pieces, params["min_shared_words"], params["min_similarity"]):
        family = _Family(members, params)
        family.compare()
        findings.extend(_family_findings(rule, family, ctx))
        if params["flag_truncation"]:
            findings.extend(_truncation_findings(rule, family, ctx))
    return findings


def _family_findings(rule: Rule, family: _Family, ctx: StoryContext) -> list[Finding]:
    params = family.params
    grouped: dict[tuple, list[tuple[_Site, dict[tuple[str, ...], set[str]]]]] = defaultdict(list)
    for key in sorted(family.sites):
        site = family.sites[key]
        if not params["flag_" + site.change]:
            continue
        variant_articles = set().union(*site.readings.values())
        support = family.supporters(site) - variant_articles
        if not support:
            continue
        readings = {tuple(family.ref[site.i1:site.i2]): support, **site.readings}
        partition = frozenset(frozenset(a) for a in readings.values())
        grouped[(site.change, partition)].append((site, readings))
    findings = []
    for (change, _), sites in grouped.items():
        findings.append(_finding(rule, family, ctx, change, sites))
    return findings


def _site_pieces(family: _Family, site: _Site, readings) -> dict[str, int]:
    """The claim (piece) of each involved article that covers the site."""
    out = dict(site.pieces)
    anchor = site.i1 if site.i1 < site.i2 else max(0, site.i1 - 1)
    for article in set().union(*readings.values()):
        if article in out:
            continue
        cov = family.coverage[article]
        hit = cov.eq.get(anchor)
        if hit:
            out[article] = hit[0]
    return out


def _diff(family: _Family, site: _Site, readings) -> str:
    ref_words = tuple(family.ref[site.i1:site.i2])
    others = [w for w in readings if w != ref_words]
    lo = site.i1 - 1 if ref_words and site.i1 > 0 and not family.ref_raw[site.i1] else site.i1
    before = [w for w in family.ref_raw[max(0, lo - DIFF_CONTEXT):lo] if w]
    after = [w for w in family.ref_raw[site.i2:site.i2 + DIFF_CONTEXT] if w]
    middle = []
    if ref_words:
        middle.append("~~" + _shown(family, site, ref_words) + "~~")
    for words in others:
        if words:
            middle.append("**" + _shown(family, site, words) + "**")
    lead = "... " if site.i1 > DIFF_CONTEXT else ""
    trail = " ..." if site.i2 + DIFF_CONTEXT < len(family.ref) else ""
    return lead + " ".join(before + middle + after) + trail


def _finding(rule: Rule, family: _Family, ctx: StoryContext, change: str, sites) -> Finding:
    descriptions, diffs, reading_texts, changes, involved = [], [], [], [], {}
    for site, readings in sites:
        ordered = sorted(readings.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        # the change with the two words either side: two sites of one quote never share a key
        left = " ".join(family.ref[max(0, site.i1 - 2):site.i1])
        right = " ".join(family.ref[site.i2:site.i2 + 2])
        descriptions.append(f"{left} [{' | '.join(sorted(_fmt_words(w) for w in readings))}] {right}".strip())
        diffs.append(_diff(family, site, readings))
        reading_texts.append(" vs ".join(f'"{_short(_shown(family, site, w))}" ({ctx.sources(arts)})'
                                         for w, arts in ordered))
        if change == "elision":
            (full, full_arts), (_, cut_arts) = sorted(readings.items(), key=lambda kv: -len(kv[0]))[:2]
            verb = "leaves" if len(cut_arts) == 1 else "leave"
            changes.append(f'{ctx.sources(cut_arts)} {verb} out "{_short(_shown(family, site, full))}" '
                           f"without an ellipsis (kept by {ctx.sources(full_arts)})")
        else:
            changes.append(reading_texts[-1])
        involved.update({a: p for a, p in _site_pieces(family, site, readings).items() if a not in involved})
    rows = [family.piece_by_pos[pos].row for _, pos in sorted(involved.items())]
    speakers = Counter(str(r.subject) for r in rows if str(r.subject))
    ref_subject = next((str(r.subject) for r in rows if r.article == family.ref_article and str(r.subject)), "")
    subject = speakers.most_common(1)[0][0] if speakers else ref_subject
    articles = sorted(involved)
    values = {
        "subject": subject or "someone", "sources": ctx.sources(articles), "diff": " / ".join(diffs),
        "change": ("unmarked cut: " if change == "elision" else "wording: ") + "; ".join(changes),
        "type": change, "readings": "; ".join(reading_texts), "values": "; ".join(reading_texts),
        "reference": ctx.outlet(family.ref_article), "count": len(articles),
    }
    fallback = f"Quote of {values['subject']} differs between sources: {values['change']}"
    confidence = min(0.95, 0.6 + 0.1 * (len(articles) - 2) + (0.05 if change == "elision" else 0.0))
    return Finding(
        rule=rule.id, kind=KIND, severity=rule.severity, claim_type="quote", subject=subject,
        message=_message(rule, values, fallback), evidence=[ctx.evidence(r) for r in rows],
        key=(change, *sorted(descriptions)), confidence=round(confidence, 2),
        details={"change": change, "diff": values["diff"], "reference_article": family.ref_article,
                 "readings": [{"text": _shown(family, site, w), "articles": sorted(a)}
                              for site, readings in sites for w, a in readings.items()]},
    )


def _truncation_findings(rule: Rule, family: _Family, ctx: StoryContext) -> list[Finding]:
    partial = []
    for article, cov in family.coverage.items():
        if article == family.ref_article or not cov.eq:
            continue
        first, last = min(cov.eq), max(cov.eq)
        missing = first + (len(family.ref) - 1 - last)
        if missing >= family.params["elision_min_words"]:
            partial.append(article)
    if not partial:
        return []
    rows = [p.row for a in sorted([family.ref_article, *partial]) for p in family.by_article[a]]
    subject = next((str(r.subject) for r in rows if str(r.subject)), "")
    values = {"subject": subject or "someone", "sources": ctx.sources(partial), "diff": "",
              "change": f"truncation: {ctx.sources(partial)} quote only part of it", "type": "truncation",
              "readings": f"{ctx.sources(partial)} quote only part of it",
              "values": "", "reference": ctx.outlet(family.ref_article), "count": len(partial)}
    return [Finding(
        rule=rule.id, kind=KIND, severity="info", claim_type="quote", subject=subject,
        message=_message(rule, values, f"{ctx.sources(partial)} quote only part of what {subject} said"),
        evidence=[ctx.evidence(r) for r in rows], key=("truncation", " ".join(family.ref[:8])),
        confidence=0.5, details={"change": "truncation", "diff": "", "reference_article": family.ref_article},
    )]
