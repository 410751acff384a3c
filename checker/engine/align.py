"""Which claims in different articles are about the same thing.

Claims are first blocked on exact keys (claim type, attribute, and the subject where the rule
asks for it), so no story ever loops over all claim pairs; inside a block, candidate pairs
come from an inverted index on context words, and a pair is aligned when the two contexts
share enough content words: a minimum count, and either Jaccard overlap (shared / union) or the
overlap coefficient (shared / the smaller context) above its threshold, all set per rule. The
overlap coefficient lets a terse sentence align with a long one that says more around the same
value. Words can be compared on their first ``prefix`` letters, so "invaded" meets "invasion",
and words that name one happening in other words ("sank" / "foundered", "remanded" /
"detained"; the groups are in ``checker/engine/synonyms.py``) count as one.
A claim repeated word for word by several articles (``copy_groups``) is aligned once, standing
for all its copies, so wire copy carried by many outlets does not cost the square of its count.
"""
from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter, defaultdict
from functools import lru_cache
from itertools import chain, combinations
from typing import Callable, Hashable, Iterable

from checker.engine.deadline import within_time
from checker.engine.synonyms import concept
from claims.base import content_words
from claims.model import Claim
from claims.numbers import NUMBER_RE

SENTENCE_MIN_SHARED = 5
# Claims of one block sharing one sentence but for its figures: at most 4 in the news corpora;
# thousands in hostile text ("Officials said N sailors were killed" x 20,000), where pairing
# them all cost minutes and gigabytes
MAX_NUMBER_VARIANTS = 50
# words past the prefix a claim looks its partners up under: each costs one more look-up, and each
# raises by one the words a partner must be met under to be compared at all
EXTRA_PREFIX = 2


def by_fields(*names: str) -> Callable[[Claim], tuple]:
    """A grouping key: the claim's values of these fields, as a tuple."""
    return lambda claim: tuple(getattr(claim, name) for name in names)


def group_by(claims: Iterable[Claim], key: Callable[[Claim], tuple],
             dropna: bool = True) -> list[tuple[tuple, list[Claim]]]:
    """[(key, claims)]: groups in key order, claims in story order. A key holding None sorts
    last, or is dropped with ``dropna``."""
    groups: dict[tuple, list[Claim]] = {}
    for claim in claims:
        groups.setdefault(key(claim), []).append(claim)
    keys = [k for k in groups if not (dropna and None in k)]
    return [(k, groups[k]) for k in sorted(keys, key=_missing_last)]


def _missing_last(key: tuple) -> tuple[tuple[bool, Hashable], ...]:
    return tuple((value is None, "" if value is None else value) for value in key)


def blocks(claims: list[Claim], key: Callable[[Claim], tuple]):
    """Yield (key, claims) for each block holding claims from at least two articles, in key
    order, the claims in story order."""
    for value, rows in group_by(claims, key, dropna=False):
        if len({r.article for r in rows}) >= 2:
            yield value, rows


def word_set(text, prefix: int | None = None) -> set[str]:
    """The space-separated words of ``text`` (a context or event field) as compared: each
    replaced by its synonym group's word (``checker.engine.synonyms``) and cut to its first
    ``prefix`` letters when ``prefix`` is set (None: whole words), so "invaded" meets "invasion"."""
    return _compared(str(text).split(), prefix)


def _compared(words, prefix: int | None) -> set[str]:
    return {concept(w)[:prefix] if prefix else concept(w) for w in words}


def _candidates_plain(words: dict[int, set[str]], articles: dict[int, set[str]], same_article: bool,
                      max_df: float) -> dict:
    """(a, b) -> number of shared words, from an inverted index that skips words in more than
    ``max_df`` of the claims (and at least 5): they carry no evidence of sameness. Claims are
    counted once however many articles carry them (``articles[id]``), so copies of one
    sentence do not make its words common. Every pair sharing a word: what ``_candidates``
    gives for the pairs sharing enough (a test holds them equal)."""
    index: dict[str, list[int]] = defaultdict(list)
    for idx, ws in words.items():
        for word in ws:
            index[word].append(idx)
    limit = _df_limit(len(words), max_df)
    # two claims are in different articles unless both are in the same single one
    sole = {idx: next(iter(arts)) if len(arts) == 1 else None for idx, arts in articles.items()}
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for word, ids in index.items():
        if len(ids) > limit:
            continue
        for a, b in within_time(combinations(sorted(ids), 2), "aligning claims", every=4096):
            if same_article or sole[a] is None or sole[a] != sole[b]:
                shared[(a, b)] += 1
    return shared


def _candidates(words: dict[int, set[str]], articles: dict[int, set[str]], same_article: bool,
                max_df: float, at_least: int, share: float | None = None, symmetric: bool = False) -> dict:
    """The pairs of ``_candidates_plain`` sharing at least ``at_least`` words, with their counts,
    in pair order. Counting every pair that shares a word grew with the square of the block (a
    word may be in half its claims) and so did the dictionary. Instead each claim's usable words
    are ordered rarest first, and a claim that must share k of its n words with a partner shares
    at least m + 1 (at most k) of its first n - k + 1 + m (prefix filtering, with ``EXTRA_PREFIX``
    = m words more): each claim counts, from an index of every usable word, the partners it
    meets there, and only those met often enough are compared.

    ``share`` folds in the caller's next test, that the two whole word sets (too common words
    included) share at least that part of the smaller set (an overlap coefficient; with
    ``symmetric``, of the larger set too, as a Jaccard threshold implies): a claim of n words,
    c of them too common, then needs ``_needed`` = share * n - c usable shared words with any
    partner no smaller than it (with ``symmetric``, with any partner), so it looks for partners
    through a shorter prefix of its words, and the pairs kept are those sharing that many
    (``_meets_share`` says which; a test holds them equal to the plain pairs so filtered)."""
    if at_least < 1:
        return {pair: n for pair, n in sorted(_candidates_plain(words, articles, same_article, max_df).items())}
    frequency: dict[str, int] = defaultdict(int)
    for ws in words.values():
        for word in ws:
            frequency[word] += 1
    limit = _df_limit(len(words), max_df)
    usable = {idx: sorted((w for w in ws if frequency[w] <= limit), key=lambda w: (frequency[w], w))
              for idx, ws in words.items()}
    sizes = {idx: len(ws) for idx, ws in words.items()}
    needed = {idx: _needed(share, sizes[idx], sizes[idx] - len(usable[idx]), at_least) for idx in words}
    # ``articles`` may cover a whole block of which ``words`` are one part: read only this part's
    sole = {idx: next(iter(articles[idx])) if len(articles[idx]) == 1 else None for idx in words}
    sets = {idx: set(ws) for idx, ws in usable.items()}
    # each pair is looked for from the claim that decides what they must share: the smaller
    # (ties and Jaccard: the earlier), which meets only partners after it in this order
    order = sorted(words, key=(lambda idx: (sizes[idx], idx)) if share is not None and not symmetric else None)
    rank = {idx: r for r, idx in enumerate(order)}
    postings: dict[str, list[int]] = defaultdict(list)  # word -> ranks of the claims holding it, ascending
    for idx in order:
        for word in usable[idx]:
            postings[word].append(rank[idx])
    pairs: set[tuple[int, int]] = set()
    for a in within_time(order, "aligning claims", every=64):
        ordered, need = usable[a], needed[a]
        if len(ordered) < need:
            continue  # too few usable words to share what it must with anyone
        seen = min(need, EXTRA_PREFIX + 1)  # shared words its first n - k + 1 + m hold at least
        after = rank[a] + 1
        looked_up = (postings[w] for w in ordered[:len(ordered) - need + 1 + EXTRA_PREFIX])
        met = Counter(chain.from_iterable(found[bisect_left(found, after):] for found in looked_up))
        for r, count in met.items():
            if count >= seen:
                b = order[r]
                if same_article or sole[a] is None or sole[a] != sole[b]:
                    pairs.add((a, b) if a < b else (b, a))
    out = {}
    for a, b in sorted(pairs):
        n = len(sets[a] & sets[b])
        if n >= at_least and _meets_share(n, a, b, needed, sizes, share, symmetric):
            out[(a, b)] = n
    return out


def _needed(share: float | None, size: int, common: int, at_least: int) -> int:
    """How many usable words a claim of ``size`` words (``common`` of them too common to count)
    shares with a partner that passes the ``share`` test against it: share * size whole words,
    less the common ones (lowered by a hair so float rounding never asks one word too many)."""
    if share is None:
        return at_least
    return max(at_least, math.ceil(share * size - common - 1e-6))


def _meets_share(n: int, a: int, b: int, needed: dict[int, int], sizes: dict[int, int],
                 share: float | None, symmetric: bool) -> bool:
    """Whether ``n`` shared usable words can pass the ``share`` test (see ``_candidates``)."""
    if share is None:
        return True
    if symmetric:
        return n >= max(needed[a], needed[b])
    return n >= needed[a if sizes[a] <= sizes[b] else b]


def _df_limit(claims: int, max_df: float) -> int:
    """In how many of a block's claims a word may occur and still propose a pair."""
    return max(5, int(max_df * claims))


def alignment_trace(rows: list[Claim], a: Claim, b: Claim, min_shared: int, min_jaccard: float,
                    max_df: float = 0.5, min_overlap: float | None = None, prefix: int | None = None,
                    min_sentence_overlap: float | None = None, subject_counts: bool = False) -> dict:
    """How ``aligned_pairs`` (same arguments) measures the pair ``a``, ``b`` of the block
    ``rows``: the context words they share, how many of those are rare enough in the block to
    count, the Jaccard and overlap shares, the whole sentences' overlap, and whether each test
    passes. Built on demand (``claimcheck explain``), never during a check."""
    contexts = {r.index: word_set(r.context, prefix) for r in rows}
    contexts.setdefault(a.index, word_set(a.context, prefix))
    contexts.setdefault(b.index, word_set(b.context, prefix))
    df: Counter[str] = Counter(w for ws in contexts.values() for w in ws)
    limit = _df_limit(len(contexts), max_df)
    wa, wb = contexts[a.index], contexts[b.index]
    shared = sorted(wa & wb)
    common = sorted(w for w in shared if df[w] > limit)
    subject = 1 if subject_counts and a.subject and a.subject == b.subject else 0
    jaccard = len(shared) / (len(wa | wb) or 1)
    overlap = len(shared) / (min(len(wa), len(wb)) or 1)
    needed = min_shared - (1 if subject_counts else 0)
    counted = len(shared) - len(common)
    out = {"shared": shared, "common": common, "needed": min_shared, "subject_counts": bool(subject),
           "jaccard": jaccard, "overlap": overlap,
           "context_ok": needed <= 0 or (counted >= needed and len(shared) + subject >= min_shared
                                         and (jaccard >= min_jaccard
                                              or (min_overlap is not None and overlap >= min_overlap)))}
    if min_sentence_overlap is not None:
        sa, sb = (_compared(content_words(str(r.sentence)), prefix) for r in (a, b))
        both = len(sa & sb)
        out["sentence_overlap"] = both / (min(len(sa), len(sb)) or 1)
        out["sentence_shared"] = both
        out["sentence_ok"] = both >= SENTENCE_MIN_SHARED and out["sentence_overlap"] >= min_sentence_overlap
    return out


def aligned_pairs(rows: list[Claim], min_shared: int, min_jaccard: float,
                  same_article: bool = False, max_df: float = 0.5, min_overlap: float | None = None,
                  prefix: int | None = None, min_sentence_overlap: float | None = None,
                  subject_counts: bool = False,
                  articles: dict[int, set[str]] | None = None) -> list[tuple[int, int, float]]:
    """Pairs (index_a, index_b, jaccard) of claims whose contexts overlap enough; ``rows`` are
    one block's claims, and the pairs name them by their ``index``. ``articles`` (by index)
    lets a row stand for its word-for-word copies (see ``copy_groups``) in those articles: two
    rows pair when some copy of one and some copy of the other are in different articles.

    Words that occur in more than ``max_df`` of the block's claims (and at least 5) carry no
    evidence of sameness and are not used to propose candidates. ``min_overlap`` (None: not
    used) aligns two claims on the overlap coefficient instead of the Jaccard overlap;
    ``min_sentence_overlap`` (None: not used) also aligns two claims whose whole sentences say
    nearly the same (overlap coefficient of their content words, at least
    ``SENTENCE_MIN_SHARED`` shared): the same sentence carried by two wire versions.
    With ``subject_counts``, two claims about the same subject need one shared word fewer.
    """
    contexts = {r.index: word_set(r.context, prefix) for r in rows}
    articles = articles or {r.index: {r.article} for r in rows}
    subjects = {r.index: r.subject for r in rows} if subject_counts else {}

    def same_subject(a, b) -> int:
        return 1 if subjects and subjects[a] and subjects[a] == subjects[b] else 0
    wanted = min_shared
    if subject_counts:
        min_shared -= 1  # candidates need one word less; the pair test below adds the subject back
    if min_shared <= 0:
        pairs = within_time(combinations([r.index for r in rows], 2), "aligning claims", every=4096)
        return [(a, b, 1.0) for a, b in pairs if same_article or len(articles[a] | articles[b]) > 1]
    out = {}
    sentence_aligned: set[tuple[int, int]] = set()
    # the Jaccard test below asks both claims for a share of their words, the overlap test only the smaller
    share = min_jaccard if min_overlap is None else min(min_jaccard, min_overlap)
    for (a, b), n in _candidates(contexts, articles, same_article, max_df, min_shared, share=share or None,
                                 symmetric=min_overlap is None).items():
        if n < min_shared:
            continue
        shared_words = len(contexts[a] & contexts[b])
        jaccard = shared_words / (len(contexts[a] | contexts[b]) or 1)
        overlap = shared_words / (min(len(contexts[a]), len(contexts[b])) or 1)
        if jaccard >= min_jaccard or (min_overlap is not None and overlap >= min_overlap):
            out[(a, b)] = jaccard
    if min_sentence_overlap is not None:
        words_of: dict[str, set[str]] = {}  # several claims share one sentence
        for r in rows:
            text = str(r.sentence)
            if text not in words_of:
                words_of[text] = _compared(content_words(text), prefix)
        sentences = {r.index: words_of[str(r.sentence)] for r in rows}
        for (a, b), n in _candidates(sentences, articles, same_article, max_df, SENTENCE_MIN_SHARED,
                                     share=min_sentence_overlap or None).items():
            if n < SENTENCE_MIN_SHARED:
                continue
            shared_words = len(sentences[a] & sentences[b])
            if shared_words / (min(len(sentences[a]), len(sentences[b])) or 1) >= min_sentence_overlap:
                out.setdefault((a, b), len(contexts[a] & contexts[b]) / (len(contexts[a] | contexts[b]) or 1))
                sentence_aligned.add((a, b))
    if not subject_counts:
        return [(a, b, j) for (a, b), j in out.items()]
    # the subject makes up the word a candidate was let off; two sentences that say the same
    # need none when each holds one such claim (with two, the context says which is which)
    per_sentence = Counter((r.article, str(r.sentence)) for r in rows)
    alone = {r.index for r in rows if per_sentence[(r.article, str(r.sentence))] == 1}
    return [(a, b, j) for (a, b), j in out.items()
            if ((a, b) in sentence_aligned and a in alone and b in alone)
            or len(contexts[a] & contexts[b]) + same_subject(a, b) >= wanted]


@lru_cache(maxsize=1 << 14)
def _masked(text: str) -> str:
    """The text lower-cased with every figure (digits or number words) replaced by '#'."""
    return " ".join(NUMBER_RE.sub("#", text).lower().split())


def same_but_number(a: Claim, b: Claim) -> bool:
    """Two different sentences that are the same word for word apart from their figures, with
    the two claims at the same place in them: one wire story carried twice with a figure
    changed ("killed 12 sailors" / "killed 18 sailors" in otherwise identical copy)."""
    sa, sb = str(a.sentence), str(b.sentence)
    if sa == sb or _masked(sa) != _masked(sb):
        return False
    ia, ib = sa.find(str(a.value)), sb.find(str(b.value))
    return ia >= 0 and ib >= 0 and _masked(sa[:ia]) == _masked(sb[:ib])


def number_variant_pairs(rows: list[Claim], articles: dict[int, set[str]] | None = None) -> list[tuple[int, int, float]]:
    """Pairs (index_a, index_b, 1.0) of claims in different articles whose sentences are one
    sentence with a figure changed (``same_but_number``), however few context words they have."""
    articles = articles or {r.index: {r.article} for r in rows}
    groups: dict[str, list[Claim]] = defaultdict(list)
    for r in rows:
        groups[_masked(str(r.sentence))].append(r)
    out = []
    for members in groups.values():
        if len(members) > MAX_NUMBER_VARIANTS:
            continue  # a template filled in with many figures, not one sentence with a figure changed
        for a, b in within_time(combinations(members, 2), "aligning claims", every=1024):
            if len(articles[a.index] | articles[b.index]) > 1 and same_but_number(a, b):
                out.append((a.index, b.index, 1.0))
    return out


def event_word_set(row: Claim, prefix: int | None = None) -> set[str]:
    """A date's event words as compared (``extra['event']`` and ``extra['event_near']``:
    "crashed on July 16", "the Aug. 7 bombing", "the auction Tuesday")."""
    extra = row.extra or {}
    return word_set(f'{extra.get("event", "")} {extra.get("event_near", "")}', prefix)


def event_pairs(rows: list[Claim], min_event: int, min_context: int, prefix: int | None = None,
                articles: dict[int, set[str]] | None = None, max_df: float = 0.5) -> list[tuple[int, int, float]]:
    """Pairs (index_a, index_b, jaccard) of claims from different articles whose event words
    (``extra['event']``: the words next to a date, what it is the date of; and
    ``extra['event_near']``, a happening named right before it, "the auction Tuesday") share ``min_event``
    and whose contexts share ``min_context``: "the airliner that crashed on May 4 had just
    refuelled" and "Flight 212 crashed May 4, killing 88" are one event's date though the
    sentences say little else alike."""
    events = {r.index: event_word_set(r, prefix) for r in rows}
    contexts = {r.index: word_set(r.context, prefix) for r in rows}
    articles = articles or {r.index: {r.article} for r in rows}
    out = []
    for (a, b), n in _candidates(events, articles, False, max_df, min_event).items():
        if n >= min_event and len(contexts[a] & contexts[b]) >= min_context:
            out.append((a, b, len(contexts[a] & contexts[b]) / (len(contexts[a] | contexts[b]) or 1)))
    return out


def copy_groups(rows: list[Claim]) -> dict[int, list[Claim]]:
    """Claims that repeat one another word for word (the same sentence, value and context, as
    wire copy carried by many outlets), keyed by the first one's index. Checking each once keeps
    a story of many copies from costing the square of its size."""
    groups: dict[tuple, list[Claim]] = {}
    for r in rows:
        key = (r.sentence, r.value, r.normalized, r.subject, r.attribute, r.context, r.negated,
               r.low, r.high, r.unit, repr(r.extra))
        groups.setdefault(key, []).append(r)
    return {members[0].index: members for members in groups.values()}


def components(nodes, edges) -> list[list]:
    parent = {n: n for n in nodes}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict = defaultdict(list)
    for n in nodes:
        groups[find(n)].append(n)
    return [sorted(g) for g in groups.values()]
