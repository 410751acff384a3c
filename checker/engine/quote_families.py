"""Quote families: one utterance as each source quotes it, aligned word by word.

Not a rule kind: the quote rule kinds (``quote_wording``, ``quote_elision``,
``quote_truncation``, ``quote_paraphrase``, ``quote_missing``, ``quote_misattribution``) and the
reports' side-by-side view all read the families built here (``build_families``), once per
story and alignment setting (``StoryContext.quote_families`` keeps them).

How a family is built
    1. Quote claims with at least ``min_words`` words are indexed by their word n-grams
       (n = ``min_shared_words``). Two quotes from different articles sharing an n-gram are a
       candidate pair (an inverted index, never a loop over all pairs). A pair is one utterance
       when the part they share is at least ``min_similarity`` percent similar (word-level
       ``difflib.SequenceMatcher``, autojunk off) and the overlap has the shape of one text
       quoted twice: one quote holds the other, or one's end is the other's start and no two
       different speakers said them (a stock phrase inside two different quotes is not
       enough). Words one side skips with "..." between two shared stretches do not count
       against the similarity, and a "..." where one quote stops may meet the other's start
       ("... adds up to neglect ..." / "rules, habits and routines which add up to neglect
       of the patients ..."). Pairs are joined (union-find), so a quote one source cuts into pieces with
       narration between ("A," he said. "B.") joins the family of another source's unbroken
       version. A quote cut in its middle may share no
       n-gram with the whole ("Rourke pushed he could"); it is a candidate too when its
       opening (two words or more) and the rest of it stand in another quote in that order with
       at least ``elision_min_words`` words between, and then it may be as short as 4 words;
       so is a quote whose later part (5 words or more) is such a copy of another piece from
       that piece's own opening, unless two named people said them (a quote another source
       splits with narration: "It's leaking fast, and I think the valve" / "It's really
       leaking," she told the crew, "and I think it could be the valve").
       Quotes of one article are never compared with each other.
    2. The reference is the article whose pieces hold the most words (ties: fewer pieces, then
       article id): the longest version. Every piece of every other article is aligned word by
       word against it. Words are compared normalised: lowercase, punctuation dropped, curly =
       straight apostrophes, contractions spelled out (I'm = I am, 'cause = because), British =
       American spelling (colour = color), 1 = one, "No. 1" = "number one", "face down" =
       "facedown". So case, punctuation, quote-mark style and a sentence split differently
       ("worse. People" / "worse, people") are never differences.
    3. Each difference inside the stretch a piece covers becomes a *site*:
       * ``wording``: words substituted, added or dropped (fewer than ``elision_min_words``, or a
         longer run that mostly repeats the words around it, i.e. a reworded phrase);
       * ``elision``: ``elision_min_words`` or more words missing from the middle of a piece with
         no ``...``, ``…`` or ``[...]`` there. Either side can be the one that cut: when the
         reference lacks words a shorter source has, the reference is the one reported. A cut
         where a source split the quote into pieces, or next to where the reference is split,
         is not an elision.
       With ``ignore_name_spelling`` a one-word change between two similar capitalised words
       (Odessa/Odesa) is left to the spelling-variant rule; with ``ignore_fillers`` changes made
       only of spoken filler ("you know", "sort of", "just") are ignored; with ``ignore_typos``
       so are two words of six letters or more that differ in one letter ("affected" /
       "effected"), a misspelling rather than another word.
    4. A piece whose words, where it overlaps the reference, are less than ``paraphrase_below``
       percent the same (wording sites counted, marked and unmarked cuts not) is a paraphrase
       inside quote marks: its wording sites are left out and ``quote_paraphrase`` reports it.

How quotes are aligned is one setting for the whole story (``SETTINGS``: rules.yaml's optional
top-level ``quote_families:`` block), so every quote rule kind, value_conflict's
``quoted_statements`` and the reports' side-by-side view read the same families.

``render_family`` gives the side-by-side view: the reference first, then each other source as
segments (``equal``, ``delete``, ``insert``) in its own order, pieces separated by ``[…]``.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import combinations

from rapidfuzz import fuzz

from checker.engine.deadline import within_time
from checker.engine.findings import fingerprint
from checker.engine.options import COUNT, FLAG, PERCENT, POSITIVE, Option, Options
from claims.base import content_words
from claims.entities import name_key
from claims.model import Article, Claim, Document
from claims.quotes import tokenize

SETTINGS = Options(
    Option("min_shared_words", 4, POSITIVE, "the length of the word runs (n-grams) that link two quotes"),
    Option("min_similarity", 60.0, PERCENT, "how alike (percent) the part two linked quotes share must be"),
    Option("min_words", 5, COUNT, "shorter quotes join no family (a quote cut from a longer one still may, from 4 words)"),
    Option("elision_min_words", 3, POSITIVE,
           "words cut from the middle of a quote that make an unmarked cut (fewer: a wording change)"),
    Option("ignore_name_spelling", True, FLAG,
           "a name respelled inside a quote (Odessa / Odesa) is left to the spelling-variant rule"),
    Option("ignore_fillers", True, FLAG, "changes made only of spoken filler (you know, sort of, just) are ignored"),
    Option("ignore_typos", True, FLAG,
           "two words of six letters or more that differ in one letter (affected / effected) are a misspelling, "
           "not a change"),
    Option("paraphrase_below", 70.0, PERCENT,
           "a piece whose words are less than this percent the same where it overlaps the longest version "
           "is a paraphrase"),
)
FILLER_PHRASES = ("you know", "i mean", "sort of", "kind of")
FILLER_WORDS = {"that", "so", "just", "like", "um", "uh", "er", "ah", "well", "really", "actually",
                "literally", "basically", "oh", "okay", "ok"}
MAX_PIECE_WORDS = 600  # longer quotes are compared on their first 600 words (alignment is quadratic)
SWAP_MIN_RUN = 4  # shared words next to a quote's changed first or last word
MOVED_SHARE = 0.6  # of a missing run found together elsewhere in the quote: moved, not cut
EDGE_SLACK = 3  # unmatched words allowed at the edge of an overlap (a changed first or last word)
MAX_POSTINGS = 40  # an n-gram in more quotes than this is boilerplate ("i don't know if"), not a link
MIN_PARAPHRASE_CHANGES = 4  # fewer changed words is wording, however short the quote
TYPO_MIN_LETTERS = 6  # shorter words differing in one letter are often different words (now / not)
CUT_MIN_WORDS = 4  # a quote this short still joins the family it was cut from
SPLIT_CUT_MIN_WORDS = 5  # ... and the copied later part of a quote, when that part is all it shares
CUT_TRIES = 20  # places of a word tried when looking for a cut copy's opening and rest
REWORDED_MIN_RUN = 6  # words in a row two reworded versions of one quote still share
PIECE_BREAK = " [\u2026] "
_ELLIPSIS = re.compile(r"\u2026|(?:\.\s?){3}")


@dataclass
class Piece:
    """One quote claim as normalised words, with where each word sits in the quote text."""
    pos: int  # position among the story's quote claims
    row: object
    article: str
    order: int
    text: str  # the quote as written (doc.norm)
    words: list[str]
    raw: list[str]  # each word as written ("" for the second half of a spelled-out contraction)
    gaps: list[str]  # text before each word (gaps[k] sits between words k-1 and k)
    spans: list[tuple[int, int]]  # each word's (start, end) in ``text``

    def ellipsis_before(self, k: int) -> bool:
        return 0 < k < len(self.gaps) and bool(_ELLIPSIS.search(self.gaps[k]))

    def span_text(self, j1: int, j2: int) -> str:
        """Words j1..j2-1 as written, with the punctuation between them."""
        if j1 >= j2:
            return ""
        return self.text[self.spans[j1][0]:self.spans[j2 - 1][1]]

    @property
    def speaker(self) -> str:
        return str(self.row.subject or "")

    @property
    def speaker_source(self) -> str:
        return str(self.row.extra.get("speaker_source", ""))


@dataclass
class Coverage:
    """What one article has at each reference word."""
    eq: dict[int, tuple[int, int]] = field(default_factory=dict)  # ref index -> (piece pos, word index)
    sub: dict[int, int] = field(default_factory=dict)  # ref index -> piece pos
    joined: set[int] = field(default_factory=set)  # boundaries b (ref words b-1, b) read without a break


@dataclass
class Site:
    change: str  # "wording" or "elision"
    i1: int
    i2: int
    readings: dict[tuple[str, ...], set[str]] = field(default_factory=dict)  # words -> articles
    shown: dict[tuple[str, ...], str] = field(default_factory=dict)  # words -> as written
    pieces: dict[str, int] = field(default_factory=dict)  # variant article -> piece pos


@dataclass
class Paraphrase:
    """A piece that overlaps the reference but is reworded too much to be the same words."""
    piece: Piece
    similarity: float  # percent of words the same where it overlaps the reference
    ref_span: tuple[int, int]  # reference words it covers


def quote_pieces(claims: list[Claim], docs: Mapping[str, Document], min_words: int = 1) -> list[Piece]:
    """The quote claims of at least ``min_words`` words as pieces (``pos``: the position among the
    story's quote claims, so the same for every ``min_words``)."""
    out = []
    quotes = [c for c in claims if c.claim_type == "quote"]
    for pos, row in enumerate(quotes):
        extra = row.extra
        doc = docs.get(row.article)
        if doc is not None and "norm_start" in extra:
            text = doc.norm[extra["norm_start"]:extra["norm_end"]]
            order = int(extra["norm_start"])
        else:
            text, order = row.value, row.start
        tokens = tokenize(text)[:MAX_PIECE_WORDS]
        if len(tokens) < min_words:
            continue
        words, raw, gaps, spans, last = [], [], [], [], 0
        for n, (word, s, e) in enumerate(tokens):
            if word == "no" and n + 1 < len(tokens) and tokens[n + 1][0].isdigit():
                word = "number"  # "No. 1" is "number one"
            for k, part in enumerate(_expand(word, text[last:s])):
                words.append(_spelling(part))
                raw.append(text[s:e] if k == 0 else "")
                gaps.append(text[last:s] if k == 0 else " ")
                spans.append((s, e))
            last = e
        out.append(Piece(pos, row, row.article, order, text, words, raw, gaps, spans))
    return out


_CONTRACTION = re.compile(r"^(\w+?)(n't|'re|'ve|'ll|'m|'d|'s)$")
_IS_CONTRACTED = {"it", "that", "he", "she", "there", "what", "here", "who", "where", "how", "let"}
_NOT_STEM = {"ca": "can", "wo": "will", "sha": "shall", "ai": "ai"}
_SMALL_NUMBERS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                  "fourteen fifteen sixteen seventeen eighteen nineteen twenty").split()
_BRITISH = [(re.compile(r"(?<=[a-z]{2})our(s?)$"), r"or\1"), (re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing|ation)$"), r"iz\1"),
            (re.compile(r"(?<=[a-z]{2})yse(s?|d)$"), r"yze\1"), (re.compile(r"(?<=[a-z]{3})tre(s?)$"), r"ter\1")]


@lru_cache(maxsize=1 << 15)  # pure, and called for every word of every quote
def _spelling(word: str) -> str:
    """One spelling for words written several ways: British/American (colour/color,
    organise/organize, centre/center) and small numbers (1/one)."""
    if word.isdecimal() and int(word) < len(_SMALL_NUMBERS):  # not "¹": a digit int() cannot read
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


def _similar(a: Piece, b: Piece, min_shared: int, min_similarity: float) -> bool:
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
    if 200.0 * matched / ((a1 - a0) + (b1 - b0) - _marked_gaps(a, b, blocks)) < min_similarity:
        return False
    head_a, tail_a = a0 <= EDGE_SLACK, len(a.words) - a1 <= EDGE_SLACK
    head_b, tail_b = b0 <= EDGE_SLACK, len(b.words) - b1 <= EDGE_SLACK
    if (head_a and tail_a) or (head_b and tail_b):
        return True  # one holds the other
    # one's end is the other's start, where an end may also be a "..." that skips to a later
    # part ("... routines which add up to neglect ... which harms" / "rules, habits and
    # routines which add up to neglect of the patients ..."), but not both ends
    stop_a, start_a = tail_a or a.ellipsis_before(a1), head_a or a.ellipsis_before(a0)
    stop_b, start_b = tail_b or b.ellipsis_before(b1), head_b or b.ellipsis_before(b0)
    joined = (stop_a and head_b) or (tail_a and start_b) or (stop_b and head_a) or (tail_b and start_a)
    # unless two different people said them ("We are looking at a very serious
    # breach" / "We are sure that we are looking at ...")
    return joined and same_speaker(a.speaker, b.speaker) is not False


def _marked_gaps(a: Piece, b: Piece, blocks) -> int:
    """Words of one quote between two matched stretches that the other skips with an ellipsis
    ("the board rejects the offer ... and will not discuss it"): a marked cut, not a
    difference, so they do not count against the two being one quote."""
    skipped = 0
    for m, n in zip(blocks, blocks[1:]):
        gap_a, gap_b = n.a - (m.a + m.size), n.b - (m.b + m.size)
        # only the other side's words are what "..." stands for; the marking side's own words differ
        if any(a.ellipsis_before(k) for k in range(m.a + m.size, n.a + 1)):
            skipped += gap_b
        elif any(b.ellipsis_before(k) for k in range(m.b + m.size, n.b + 1)):
            skipped += gap_a
    return skipped


def _cut_from(short: list[str], long: list[str], where: dict[str, list[int]], min_cut: int,
              opening_at: int | None = None) -> bool:
    """``short`` is a stretch of ``long`` with ``min_cut`` or more words cut from its middle: its
    longest opening found in ``long`` (two words or more) and the rest of it, found further on
    ("I spent the last couple of remorse" / "I spent the last couple of days with survivor's
    remorse, and ..."). ``where`` gives each word's positions in ``long``; only the first
    ``CUT_TRIES`` places of each are tried, so repetitive text costs no more."""
    if len(short) < CUT_MIN_WORDS:
        return False
    starts = [opening_at] if opening_at is not None else where.get(short[0], ())[:CUT_TRIES]
    for i in starts:
        if long[i:i + 2] != short[:2]:
            continue
        p = 2
        while p < len(short) and i + p < len(long) and long[i + p] == short[p]:
            p += 1
        rest = short[p:]
        if not rest:
            return False  # a stretch of the other, uncut: a truncation at most
        later = [j for j in where.get(rest[0], ()) if j >= i + p + min_cut][:CUT_TRIES]
        if any(long[j:j + len(rest)] == rest for j in later):
            return True
    return False


def _reworded(a: Piece, b: Piece) -> bool:
    """Whether two quotes too different to be one text are still one utterance reworded: a run
    of ``REWORDED_MIN_RUN`` words in common, half of the shorter one's content words shared,
    and no conflicting speakers (the quote_paraphrase rule then reports the rewording)."""
    if same_speaker(a.speaker, b.speaker) is False:
        return False
    blocks = SequenceMatcher(None, a.words, b.words, autojunk=False).get_matching_blocks()
    if max(m.size for m in blocks) < REWORDED_MIN_RUN:
        return False
    sa, sb = content_stems(a.text), content_stems(b.text)
    return bool(sa and sb) and len(sa & sb) >= 0.5 * min(len(sa), len(sb))


def _group(pieces: list[Piece], n: int, min_similarity: float, min_words: int = 0,
           min_cut: int = 3) -> list[list[Piece]]:
    """Families of ``pieces``: pieces of different articles sharing an ``n``-word run and
    similar enough (``_similar``), or one a cut-down copy of the other: its opening and the
    rest found in the other's order with at least ``min_cut`` words missing between ("Rourke
    pushed he could" / "Rourke pushed the door as hard as he could"). Pieces shorter than
    ``min_words`` join only as such copies; they never found a family of their own."""
    index: dict[tuple[str, ...], set[int]] = defaultdict(set)
    # for cut copies, which may share no n-gram with the whole ("gives them both off of"): each
    # indexed piece's bigrams and each word's positions in it
    bigrams: dict[tuple[str, str], set[int]] = defaultdict(set)
    where: dict[int, dict[str, list[int]]] = {}
    for k, piece in enumerate(pieces):
        if len(piece.words) < min_words:
            continue
        for i in range(len(piece.words) - n + 1):
            index[tuple(piece.words[i:i + n])].add(k)
        where[k] = defaultdict(list)
        for i, word in enumerate(piece.words):
            where[k][word].append(i)
        for bigram in zip(piece.words, piece.words[1:]):
            bigrams[bigram].add(k)
    pairs: set[tuple[int, int]] = set()
    for postings in within_time(index.values(), "quote families"):
        if len(postings) < 2 or len(postings) > MAX_POSTINGS:
            continue
        for a, b in combinations(sorted(postings), 2):
            if pieces[a].article != pieces[b].article:
                pairs.add((a, b))
    # a later piece of a quote another source splits with narration may open inside a cut copy:
    # "It's leaking fast, and I think the valve" holds "and I think [it could be] the
    # valve", the second piece of "It's really leaking," she told the crew, "and I think ..."
    openings: dict[tuple[str, str], set[int]] = defaultdict(set)
    for k in where:
        openings[tuple(pieces[k].words[:2])].add(k)
    for s, piece in enumerate(within_time(pieces, "quote families", every=16)):
        candidates = bigrams.get(tuple(piece.words[:2]), set())
        if len(candidates) <= MAX_POSTINGS:
            for k in candidates:
                if pieces[k].article != piece.article and _cut_from(piece.words, pieces[k].words, where[k], min_cut):
                    pairs.add((min(s, k), max(s, k)))
        # (the copied part at least five words, the other quote's own opening, no two speakers)
        for i in range(1, len(piece.words) - SPLIT_CUT_MIN_WORDS + 1):
            opening_here = openings.get((piece.words[i], piece.words[i + 1]), ())
            if len(opening_here) > MAX_POSTINGS:
                continue  # "and i", "it is": openings too common to say anything
            for k in opening_here:
                if pieces[k].article != piece.article and len(piece.words) < len(pieces[k].words) + i \
                        and not _named_apart(piece.speaker, pieces[k].speaker) \
                        and _cut_from(piece.words[i:], pieces[k].words, where[k], min_cut, opening_at=0):
                    pairs.add((min(s, k), max(s, k)))
    parent = list(range(len(pieces)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in within_time(sorted(pairs), "quote families", every=16):
        if find(a) != find(b) and _similar(pieces[a], pieces[b], n, min_similarity):
            parent[find(a)] = find(b)
    for a, b in within_time(sorted(pairs), "quote families", every=16):  # then reworded versions of one utterance
        if find(a) != find(b) and _reworded(pieces[a], pieces[b]):
            parent[find(a)] = find(b)
    groups: dict[int, list[Piece]] = defaultdict(list)
    for k, piece in enumerate(pieces):
        groups[find(k)].append(piece)
    return [g for g in groups.values() if len({p.article for p in g}) > 1]


def _align(ref: list[str], var: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Opcodes of ``var`` against ``ref`` limited to the stretch ``var`` covers: leading and
    trailing unmatched words are dropped, as are single-word matches stranded at an edge
    across a wide gap (a stray "i" or "the" far away from the rest), unless the word is the
    variant's own first or last content word and only one side has the gap (a cut)."""
    ops = SequenceMatcher(None, ref, var, autojunk=False).get_opcodes()
    equal = [k for k, op in enumerate(ops) if op[0] == "equal"]
    if not equal:
        return []
    lo, hi = equal[0], equal[-1]

    def wide(op) -> bool:
        return max(op[2] - op[1], op[4] - op[3]) >= 3

    def both_edges(op, start: bool) -> bool:  # the word starts (or ends) both quotes: not stray
        return (op[1] == 0 and op[3] == 0) if start else (op[2] == len(ref) and op[4] == len(var))

    def cut_edge(op, gap, start: bool) -> bool:
        """The variant's own first (last) word, a content word, across a gap that one side has
        at most one word of: "one of the big [causes of the] delay" is a cut, not a stray
        "delay"; so is "the last couple of [days with survivor]'s remorse"."""
        own = op[3] == 0 if start else op[4] == len(var)
        one_sided = min(gap[2] - gap[1], gap[4] - gap[3]) <= 1
        return own and one_sided and bool(content_words(ref[op[1]]))

    def stray(k: int, gap: int, start: bool) -> bool:
        return (ops[k][2] - ops[k][1] == 1 and wide(ops[gap]) and not both_edges(ops[k], start)
                and not cut_edge(ops[k], ops[gap], start))

    while lo < hi and stray(lo, lo + 1, True):
        lo = next(k for k in equal if k > lo)
    while hi > lo and stray(hi, hi - 1, False):
        hi = max(k for k in equal if k < hi)
    window = list(ops[lo:hi + 1])
    # a changed first or last word: spelled alike ("Joining efforts ..." against "... join
    # efforts ..."), or one content word for another right before (after) a long run of the
    # same words ("It hand them each a sum to get by on" / "gives them each a sum ...")
    _, i1, i1_end, j1, _ = window[0]
    if 0 < j1 <= 2 and i1 >= j1 and (fuzz.ratio(" ".join(ref[i1 - j1:i1]), " ".join(var[:j1])) >= 60
                                     or _swapped_word(ref[i1 - 1], var[0], j1, i1_end - i1)):
        window.insert(0, ("replace", i1 - j1, i1, 0, j1))
    _, i2_start, i2, _, j2 = window[-1]
    tail = len(var) - j2
    if 0 < tail <= 2 and i2 + tail <= len(ref) and (
            fuzz.ratio(" ".join(ref[i2:i2 + tail]), " ".join(var[j2:])) >= 60
            or _swapped_word(ref[i2], var[-1], tail, i2 - i2_start)):
        window.append(("replace", i2, i2 + tail, j2, len(var)))
    return window


def _swapped_word(ref_word: str, var_word: str, edge_words: int, run: int) -> bool:
    """One content word for another at the edge of a run of at least ``SWAP_MIN_RUN`` words
    the two quotes share: a substitution, not a quote that starts (ends) elsewhere."""
    return (edge_words == 1 and run >= SWAP_MIN_RUN and ref_word != var_word
            and bool(content_words(ref_word)) and bool(content_words(var_word)))


def _fillers_only(words) -> bool:
    """Whether words are nothing but spoken filler ("you know", "sort of", "just", "that")."""
    text = " " + " ".join(words) + " "
    for phrase in FILLER_PHRASES:
        text = text.replace(" " + phrase + " ", " ")
    return all(w in FILLER_WORDS for w in text.split())


def _one_letter_typo(a: str, b: str) -> bool:
    """Two long words of one length that differ in one letter ("affected" / "effected"): a
    misspelling of the same spoken word, not a different word."""
    return len(a) == len(b) >= TYPO_MIN_LETTERS and sum(x != y for x, y in zip(a, b)) == 1


def _capitalised_pair(a: str, b: str) -> bool:
    return a[:1].isupper() and b[:1].isupper() and fuzz.ratio(a.lower(), b.lower()) >= 75


class QuoteFamily:
    """One utterance across sources: its pieces per article, the reference words, and the
    differences (sites) and paraphrases found by aligning every other piece against them."""

    def __init__(self, pieces: list[Piece], params: dict):
        self.params = params
        by_article: dict[str, list[Piece]] = defaultdict(list)
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
        ref_cov = Coverage()
        for i, (pos, k) in enumerate(self.ref_at):
            ref_cov.eq[i] = (pos, k)
            if i and self.ref_at[i - 1][0] == pos and not self.piece_by_pos[pos].ellipsis_before(k):
                ref_cov.joined.add(i)
        self.coverage: dict[str, Coverage] = {self.ref_article: ref_cov}
        self.sites: dict[tuple, Site] = {}
        self.paraphrases: dict[str, list[Paraphrase]] = {}
        self.ops: dict[int, list[tuple[str, int, int, int, int]]] = {}  # piece pos -> alignment
        self.id = fingerprint("quote-family", " ".join(self.ref[:12]))
        self._compare()

    @property
    def articles(self) -> list[str]:
        return sorted(self.by_article)

    @property
    def pieces(self) -> list[Piece]:
        return [p for a in self.articles for p in self.by_article[a]]

    def same_ref_piece(self, i1: int, i2: int) -> bool:
        """Whether reference words i1..i2 (inclusive, clipped) come from one piece: a cut next to
        where the reference itself is split is not the variant's elision."""
        lo, hi = max(0, i1), min(len(self.ref) - 1, i2)
        return self.ref_at[lo][0] == self.ref_at[hi][0]

    def gap_change(self, missing: list[str], around: list[str], whole: list[str]) -> str:
        """'elision' for a run of missing words, 'wording' when it is short, mostly repeats the
        words around the cut (a reworded phrase that the alignment saw as a gap), or stands
        elsewhere in the quote that lacks it (``whole``): words moved, not cut ("We see no
        link, so far, between" / "so far we see no link between")."""
        if len(missing) < self.params["elision_min_words"]:
            return "wording"
        distinct = set(missing)
        if len(distinct & set(around)) * 2 > len(distinct):
            return "wording"
        run = SequenceMatcher(None, missing, whole, autojunk=False).find_longest_match(0, len(missing), 0, len(whole))
        return "wording" if run.size >= max(self.params["elision_min_words"], MOVED_SHARE * len(missing)) else "elision"

    def _site(self, pending: list, change: str, i1: int, i2: int, words: tuple[str, ...], piece: Piece,
              j1: int, j2: int) -> None:
        if self.params["ignore_fillers"] and _fillers_only(self.ref[i1:i2]) and _fillers_only(words):
            return
        pending.append((change, i1, i2, words, piece, j1, j2))

    def _add_site(self, change: str, i1: int, i2: int, words: tuple[str, ...], piece: Piece,
                  j1: int, j2: int) -> None:
        site = self.sites.setdefault((change, i1, i2), Site(change, i1, i2))
        site.readings.setdefault(words, set()).add(piece.article)
        if i1 > 0 and not self.ref_raw[i1] and j1 > 0:
            j1 -= 1  # shown next to the reference's contraction: "it's" vs "it was"
        site.shown.setdefault(words, " ".join(w for w in piece.raw[j1:j2] if w))
        site.pieces.setdefault(piece.article, piece.pos)

    def _compare(self) -> None:
        for article, pieces in self.by_article.items():
            if article == self.ref_article:
                continue
            cov = self.coverage.setdefault(article, Coverage())
            for piece in pieces:
                ops = _align(self.ref, piece.words)
                self.ops[piece.pos] = ops
                pending: list = []
                matched = changed = 0
                for tag, i1, i2, j1, j2 in ops:
                    if tag == "equal":
                        matched += i2 - i1
                        for t in range(i2 - i1):
                            cov.eq.setdefault(i1 + t, (piece.pos, j1 + t))
                            if t and not piece.ellipsis_before(j1 + t):
                                cov.joined.add(i1 + t)
                        continue
                    marked = any(piece.ellipsis_before(k) for k in range(max(j1, 1), min(j2, len(piece.words) - 1) + 1)) \
                        or (tag == "delete" and self._slides_to_ellipsis(piece, i1, i2, j1))
                    for i in range(i1, i2):
                        cov.sub.setdefault(i, piece.pos)
                    if tag == "delete":
                        # words missing inside one reference piece, with no "..." at this point
                        if marked or not self.same_ref_piece(i1 - 1, i2):
                            continue
                        change = self.gap_change(self.ref[i1:i2], piece.words[max(0, j1 - 3):j1 + 3], piece.words)
                        if change == "wording":
                            changed += i2 - i1
                        self._site(pending, change, i1, i2, (), piece, j1, j1)
                    elif tag == "insert":
                        # extra words: the reference (and whoever reads it unbroken) cut them
                        if i1 not in self.coverage[self.ref_article].joined:
                            continue
                        change = self.gap_change(piece.words[j1:j2], self.ref[max(0, i1 - 3):i1 + 3], self.ref)
                        if change == "wording":
                            changed += j2 - j1
                        self._site(pending, change, i1, i1, tuple(piece.words[j1:j2]), piece, j1, j2)
                    else:
                        if marked or not self.same_ref_piece(i1 - 1, i2):
                            continue
                        if "".join(self.ref[i1:i2]) == "".join(piece.words[j1:j2]):
                            continue  # "face down" / "facedown", "shout-out" / "shoutout"
                        if (self.params["ignore_name_spelling"] and i2 - i1 == 1 and j2 - j1 == 1
                                and _capitalised_pair(self.ref_raw[i1], piece.raw[j1])):
                            continue
                        if (self.params["ignore_typos"] and i2 - i1 == 1 and j2 - j1 == 1
                                and _one_letter_typo(self.ref[i1], piece.words[j1])):
                            continue
                        changed += max(i2 - i1, j2 - j1)
                        self._site(pending, "wording", i1, i2, tuple(piece.words[j1:j2]), piece, j1, j2)
                similarity = 100.0 * matched / (matched + changed) if matched + changed else 100.0
                if changed >= MIN_PARAPHRASE_CHANGES and similarity < self.params["paraphrase_below"] and ops:
                    self.paraphrases.setdefault(article, []).append(
                        Paraphrase(piece, round(similarity, 1), (ops[0][1], ops[-1][2])))
                    pending = [p for p in pending if p[0] != "wording"]
                for site in pending:
                    self._add_site(*site)

    def _slides_to_ellipsis(self, piece: Piece, i1: int, i2: int, j: int) -> bool:
        """The reference words i1..i2 missing at the variant's word j could as well be missing a
        few words earlier or later (the run starts and ends alike), and there the variant has
        "...": "It is a moment ... to change" cuts "to learn, to reflect and" where it marks it,
        though the alignment keeps its "to" with the first one."""
        for step in (-1, 1):
            a, b, k = i1, i2, j
            while True:
                if step < 0 and a > 0 and k > 0 and self.ref[a - 1] == self.ref[b - 1] == piece.words[k - 1]:
                    a, b, k = a - 1, b - 1, k - 1
                elif step > 0 and b < len(self.ref) and k < len(piece.words) \
                        and self.ref[a] == self.ref[b] == piece.words[k]:
                    a, b, k = a + 1, b + 1, k + 1
                else:
                    break
                if piece.ellipsis_before(k):
                    return True
        return False

    def supporters(self, site: Site) -> set[str]:
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

    def speaker(self, articles=None) -> str:
        """The speaker most pieces name (the reference's on a tie)."""
        pieces = [p for p in self.pieces if articles is None or p.article in articles]
        counts = Counter(p.speaker for p in pieces if p.speaker)
        if not counts:
            return ""
        best = max(counts.values())
        ref = next((p.speaker for p in self.by_article[self.ref_article] if counts.get(p.speaker) == best), None)
        return ref or counts.most_common(1)[0][0]

    def ref_text(self) -> str:
        return PIECE_BREAK.join(p.text.strip() for p in self.by_article[self.ref_article])


def build_families(pieces: list[Piece], settings: dict) -> list[QuoteFamily]:
    """The quote families of these pieces under these settings (``SETTINGS``' names);
    ``StoryContext.quote_families`` builds them once per story."""
    return [QuoteFamily(members, settings)
            for members in within_time(_group(pieces, settings["min_shared_words"], settings["min_similarity"],
                                              settings["min_words"], settings["elision_min_words"]),
                                       "quote families", every=1)]


# --- side-by-side view -------------------------------------------------------------------------

def _ref_words_text(family: QuoteFamily, i1: int, i2: int) -> str:
    """Reference words i1..i2-1 as written, a piece boundary shown as [...]."""
    parts: list[str] = []
    i = i1
    while i < i2:
        pos, k = family.ref_at[i]
        j = i
        while j + 1 < i2 and family.ref_at[j + 1][0] == pos:
            j += 1
        piece = family.piece_by_pos[pos]
        parts.append(piece.span_text(k, family.ref_at[j][1] + 1))
        i = j + 1
    return PIECE_BREAK.join(parts)


def _whole_words(ops, ref_raw: list[str], var_raw: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Opcodes moved so that no change starts inside a spelled-out contraction: "it's" against
    "it was" shows as ~~it's~~ **it was**, not it ~~it's~~ **was**."""
    out = [list(op) for op in ops]
    for k in range(1, len(out)):
        tag, i1, i2, j1, j2 = out[k]
        prev = out[k - 1]
        if tag == "equal" or prev[0] != "equal" or prev[2] - prev[1] < 1:
            continue
        if (i1 < len(ref_raw) and not ref_raw[i1]) or (j1 < len(var_raw) and not var_raw[j1]):
            prev[2] -= 1
            prev[4] -= 1
            out[k] = ["replace", i1 - 1, i2, j1 - 1, j2]
    return [tuple(op) for op in out if op[0] != "equal" or op[2] > op[1]]


def _piece_segments(family: QuoteFamily, piece: Piece) -> list[list[str]]:
    """A variant piece against the reference as [op, text] segments (equal, delete, insert)."""
    ops = _whole_words(family.ops.get(piece.pos) or [], family.ref_raw, piece.raw)
    if not ops:
        return [["insert", piece.text.strip()]]
    segments: list[list[str]] = []

    def add(op: str, text: str) -> None:
        text = text.strip()
        if not text:
            return
        if segments and segments[-1][0] == op:
            segments[-1][1] += " " + text
        else:
            segments.append([op, text])

    first_j = ops[0][3]
    if first_j > 0:
        add("insert", piece.span_text(0, first_j))
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            add("equal", piece.span_text(j1, j2))
            continue
        if tag in ("delete", "replace") and i2 > i1:
            add("delete", _ref_words_text(family, i1, i2))
        if tag in ("insert", "replace") and j2 > j1:
            add("insert", piece.span_text(j1, j2))
    last_j = ops[-1][4]
    if last_j < len(piece.words):
        add("insert", piece.span_text(last_j, len(piece.words)))
    return segments


def render_family(family: QuoteFamily, articles: Mapping[str, Article]) -> dict:
    """The family as plain data for the reports: reference first, then each other source."""
    def source(article: str) -> dict:
        art = articles[article]
        pieces = family.by_article[article]
        speakers = sorted({p.speaker for p in pieces if p.speaker})
        return {"article": article, "outlet": art.outlet or article, "speaker": ", ".join(speakers)}

    variants = []
    for article in family.articles:
        if article == family.ref_article:
            continue
        segments: list[list[str]] = []
        for n, piece in enumerate(family.by_article[article]):
            if n:
                segments.append(["break", PIECE_BREAK.strip()])
            segments.extend(_piece_segments(family, piece))
        changed = any(op in ("delete", "insert") for op, _ in segments)
        status = "paraphrase" if article in family.paraphrases else ("differs" if changed else "same")
        variants.append({**source(article), "status": status, "segments": segments})
    return {"id": family.id, "speaker": family.speaker() or "someone",
            "reference": {**source(family.ref_article), "text": family.ref_text()},
            "variants": variants}


# --- speakers and content words ----------------------------------------------------------------

def is_role(speaker: str) -> bool:
    """A descriptor ("a source", "officials") rather than a name ("Maks Chmerkovskiy")."""
    return not speaker[:1].isupper()


def _named_apart(a: str, b: str) -> bool:
    """Two speakers named by name, and different people (two descriptions, "someone in the
    control tower" / "the air controller", may be one person)."""
    return bool(a and b) and not is_role(a) and not is_role(b) and same_speaker(a, b) is False


def same_speaker(a: str, b: str) -> bool | None:
    """Whether two speakers are one: None when either is unknown or one is a name and the
    other a descriptor (the text may well mean the same person)."""
    if not a or not b:
        return None
    if is_role(a) != is_role(b):
        return None
    if a == b:
        return True
    ka, kb = name_key(a).split(), name_key(b).split()
    if not ka or not kb:
        return None
    if is_role(a):
        return ka[-1].rstrip("s") == kb[-1].rstrip("s")  # "the source" / "a source"
    return ka[-1] == kb[-1] or fuzz.ratio(" ".join(ka), " ".join(kb)) >= 85


def content_stems(text: str) -> set[str]:
    return set(content_words(text))
