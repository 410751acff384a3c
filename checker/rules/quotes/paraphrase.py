"""Rule kind ``quote_paraphrase``: the same utterance substantially reworded but still in quote marks.

Two ways to find one:

- inside a quote family (``checker/engine/quote_families.py``): a piece that overlaps the
  longest version but whose words there are less than ``paraphrase_below`` (a quote family
  setting) percent the same, and at least four words differ;
- across families: two quotes from different articles, by the same speaker (or one
  unattributed), whose words differ too much to form a family but which say the same thing:
  rapidfuzz ``token_sort_ratio`` of at least ``min_candidate_ratio``, and at least
  ``min_shared_content_words`` content words (stemmed, stopwords dropped) shared, covering
  ``min_content_overlap`` of the shorter quote's content words (only pairs sharing enough
  content words are scored: a content-word index finds them).

Inside a family the reworded piece is named against the longest version; across families two
sources alone cannot tell which wording is verbatim, so both are shown (the best-matching
stretch of the longer one) and the finding says at most one is.

Guidance: a paraphrase belongs outside quote marks (AP Stylebook, "quotations in the news":
quotation marks mean the exact words; "if there is a question about a quote, either don't use
it or paraphrase it without the quote marks").

In a message ``{subject}`` is the speaker, ``{sources}`` the paraphrasing sources,
``{reference}`` the sources with the other wording, ``{similarity}`` the percent of words the
same and ``{values}`` both versions with their sources.

Example (rules.yaml; cases in tests/fixtures/rules/quote_paraphrase.yaml)::

    - id: quote-paraphrase
      kind: quote_paraphrase
      severity: warning
      message: "{sources} put a paraphrase of {subject} in quote marks: {change}"
      claim_types: [quote]

    PASS  a: "The camps cannot take one more family," said Ilona Varga.
          b: Varga said the region was unable to take one more family.  (no marks)
    FAIL  b: "The camps are nearly full and more families are coming," Varga said.
"""
from __future__ import annotations

from rapidfuzz import fuzz

from checker.engine.context import StoryContext
from checker.engine.findings import Finding
from checker.engine.options import COUNT, FRACTION, PERCENT, Option, Options, with_options
from checker.engine.quote_families import Piece, QuoteFamily, content_stems, same_speaker
from checker.engine.rule import Rule
from checker.engine.similarity import as_float32, score_matrix
from checker.rules.quotes.common import message, piece_evidence, short

KIND = "quote_paraphrase"
READS = ("quote_families", "quote_pieces")
MESSAGE_FIELDS = ("subject", "sources", "reference", "similarity", "change", "values", "count")
OPTIONS = Options(
    Option("min_candidate_ratio", 45.0, PERCENT,
           "two quotes of different families are compared when their words score this much (token_sort_ratio)"),
    Option("min_shared_content_words", 4, COUNT, "... and share this many content words (stemmed, stopwords dropped)"),
    Option("min_content_overlap", 0.6, FRACTION, "... making this share of the shorter quote's content words"),
)
__doc__ = with_options(__doc__, OPTIONS)
def check(rule: Rule, ctx: StoryContext) -> list[Finding]:
    params = rule.params
    fams = ctx.quote_families()
    findings = [_family_finding(rule, ctx, family, article, paraphrases)
                for family in fams for article, paraphrases in sorted(family.paraphrases.items())]
    findings.extend(_cross_family(rule, ctx, fams, params))
    return findings


def _finding(rule: Rule, ctx: StoryContext, subject: str, para_articles, other_articles, pieces,
             para_text: str, other_text: str, similarity: float, key: tuple, known: bool, details: dict) -> Finding:
    sources, reference = ctx.sources_apart([para_articles, other_articles])
    if known:
        change = f'"{short(para_text, 16)}" ({sources}) vs "{short(other_text, 16)}" ({reference})'
    else:
        change = (f'"{short(para_text, 16)}" ({sources}) vs "{short(other_text, 16)}" ({reference}); '
                  "at most one is verbatim")
    values = {"subject": subject or "someone", "sources": sources, "reference": reference,
              "similarity": f"{similarity:.0f}%", "change": change, "values": change, "count": len(pieces)}
    fallback = f"{sources} put a paraphrase of {values['subject']} in quote marks: {change}"
    return Finding(rule=rule.id, kind=KIND, severity=rule.severity, claim_type="quote", subject=subject,
                   message=message(rule, values, fallback), evidence=piece_evidence(ctx, pieces),
                   key=key, confidence=0.6 if known else 0.5,
                   details={"change": "paraphrase", "similarity": round(similarity, 1), **details})


def _family_finding(rule: Rule, ctx: StoryContext, family: QuoteFamily, article: str, paraphrases) -> Finding:
    others = [a for a in family.articles if a != article and a not in family.paraphrases]
    lo, hi = paraphrases[0].ref_span
    pieces = [p.piece for p in paraphrases]
    for other in others or [family.ref_article]:  # each agreeing source's piece covering the words
        cov = family.coverage[other].eq
        hit = next((cov[i] for i in range(lo, hi) if i in cov), None)
        if hit is not None:
            pieces.append(family.piece_by_pos[hit[0]])
    para_text = " ".join(p.piece.text.strip() for p in paraphrases)
    other_text = " ".join(w for w in family.ref_raw[lo:hi] if w)
    similarity = min(p.similarity for p in paraphrases)
    return _finding(rule, ctx, family.speaker(), [article], others or [family.ref_article], pieces, para_text,
                    other_text, similarity,
                    key=("paraphrase", " ".join(family.ref[:8]), " ".join(paraphrases[0].piece.words[:8])),
                    known=len(others) >= 2, details={"family": family.id, "reference_article": family.ref_article})


def _cross_family(rule: Rule, ctx: StoryContext, fams: list[QuoteFamily], params: dict) -> list[Finding]:
    pieces = ctx.quote_pieces()
    if len(pieces) < 2:
        return []
    family_of = {p.pos: f for f in fams for p in f.pieces}
    # a quote carried word for word by many articles (same words, speaker and family) is scored
    # once: comparing every copy with every other made big stories cost the square of their size
    copies: dict[tuple, list[int]] = {}
    for i, p in enumerate(pieces):
        family = family_of.get(p.pos)
        copies.setdefault((p.text, p.speaker, id(family) if family else None), []).append(i)
    groups = list(copies.values())
    firsts = [pieces[g[0]] for g in groups]
    group_family = [family_of.get(p.pos) for p in firsts]
    texts = [" ".join(p.words) for p in firsts]
    stems = [content_stems(p.text) for p in firsts]
    candidates: list[tuple[int, int, float]] = []
    for x, y, score in similar_pairs(texts, stems, params):
        if group_family[x] is not None and group_family[x] is group_family[y]:
            continue
        if same_speaker(firsts[x].speaker, firsts[y].speaker) is False:
            continue
        candidates.extend((a, b, score) for a, b in _first_pairs(groups[x], groups[y], pieces))
    seen: set[str] = set()
    out: list[Finding] = []
    for a, b, score in sorted(candidates):
        pa, pb = pieces[a], pieces[b]
        finding = _pair_finding(rule, ctx, pa, pb, family_of.get(pa.pos), family_of.get(pb.pos), score)
        if finding.id not in seen:
            seen.add(finding.id)
            out.append(finding)
    return out


def _shares_enough(a: set[str], b: set[str], params: dict) -> bool:
    shared = len(a & b)
    return shared >= params["min_shared_content_words"] and shared >= params["min_content_overlap"] * min(len(a), len(b))


def similar_pairs_plain(texts: list[str], stems: list[set[str]], params: dict) -> list[tuple[int, int, float]]:
    """(x, y, score) for x <= y: the quotes whose words score at least ``min_candidate_ratio``
    and share enough content words; every pair scored (``process.cdist`` on a big story). The
    plain version ``similar_pairs`` replaces (a test holds them equal)."""
    scores = score_matrix(texts, texts, fuzz.token_sort_ratio, params["min_candidate_ratio"], upper_only=True,
                          workers=-1)
    return [(x, y, float(scores[x][y])) for x in range(len(texts)) for y in range(x, len(texts))
            if scores[x][y] > 0 and _shares_enough(stems[x], stems[y], params)]


def similar_pairs(texts: list[str], stems: list[set[str]], params: dict) -> list[tuple[int, int, float]]:
    """What ``similar_pairs_plain`` gives, scoring only the pairs that share enough content
    words: two quotes sharing at least k of one's n content stems share one of its n - k + 1
    rarest, so the pairs come from the quotes under those stems. Scoring every pair grew with
    the square of the story (and its float32 matrix with it)."""
    at_least = params["min_shared_content_words"]
    if at_least < 1:  # pairs sharing no content word can pass: there is no stem to look them up by
        return similar_pairs_plain(texts, stems, params)
    postings: dict[str, list[int]] = {}
    for y, quote_stems in enumerate(stems):
        for stem in quote_stems:
            postings.setdefault(stem, []).append(y)
    cutoff = params["min_candidate_ratio"]
    out = []
    for x, quote_stems in enumerate(stems):
        if len(quote_stems) < at_least:
            continue
        rarest = sorted(quote_stems, key=lambda stem: (len(postings[stem]), stem))[:len(quote_stems) - at_least + 1]
        partners: set[int] = set()
        for stem in rarest:
            partners.update(y for y in postings[stem] if y >= x)
        for y in sorted(partners):
            if not _shares_enough(quote_stems, stems[y], params):
                continue
            score = fuzz.token_sort_ratio(texts[x], texts[y], score_cutoff=cutoff)
            if score > 0:
                out.append((x, y, as_float32(score)))
    return out


def _first_pairs(xs: list[int], ys: list[int], pieces: list[Piece]) -> list[tuple[int, int]]:
    """Of the pairs of copies (one from each group, in different articles), the first in story
    order for each way round the two fall in reading order: the finding names the earlier one
    first, so the two ways round can be two findings, while the other pairs repeat one of them."""
    first: dict[bool, tuple[int, int]] = {}
    for i in xs:
        for j in ys:
            if i == j or pieces[i].article == pieces[j].article:
                continue
            pair = (min(i, j), max(i, j))
            a, b = pieces[pair[0]], pieces[pair[1]]
            way = (a.article, a.order) > (b.article, b.order)
            if way not in first or pair < first[way]:
                first[way] = pair
    return sorted(first.values())


def _matched_text(short_piece: Piece, long_piece: Piece) -> str:
    """The stretch of ``long_piece`` that best matches ``short_piece``, as written."""
    if len(long_piece.words) <= len(short_piece.words):
        return long_piece.text.strip()
    target = " ".join(long_piece.words)
    hit = fuzz.partial_ratio_alignment(" ".join(short_piece.words), target)
    if hit is None:
        return long_piece.text.strip()
    j1 = target.count(" ", 0, hit.dest_start)
    j2 = target.count(" ", 0, hit.dest_end) + 1
    return long_piece.span_text(j1, min(j2, len(long_piece.words)))


def _pair_finding(rule: Rule, ctx: StoryContext, pa: Piece, pb: Piece, fa: QuoteFamily | None,
                  fb: QuoteFamily | None, score: float) -> Finding:
    """Two quotes that say the same thing in different words. When one of them is carried word
    for word by two or more sources (a family) and the other is not, the other is the
    paraphrase; otherwise both are shown and neither is named."""
    if (pa.article, pa.order) > (pb.article, pb.order):
        pa, pb, fa, fb = pb, pa, fb, fa
    agreed_a = fa is not None and len(fa.articles) >= 2
    agreed_b = fb is not None and len(fb.articles) >= 2
    if agreed_b and not agreed_a:
        pa, pb, fa, fb = pb, pa, fb, fa
        agreed_a, agreed_b = agreed_b, agreed_a
    known = agreed_a and not agreed_b
    para, other = pb, pa
    para_stems = content_stems(para.text)
    if known:
        # every source of the agreeing family that carries these words
        others = [p for p in fa.pieces if p.article != para.article and len(content_stems(p.text) & para_stems) >= 3]
        others = others or [other]
        key = ("paraphrase", " ".join(fa.ref[:8]), " ".join(para.words[:8]))
    else:
        others = [other]
        key = ("paraphrase", *sorted([" ".join(pa.words[:8]), " ".join(pb.words[:8])]))
    subject = other.speaker or para.speaker
    return _finding(rule, ctx, subject, [para.article], sorted({p.article for p in others}), [para, *others],
                    _matched_text(other, para), _matched_text(para, other), score, key=key, known=known,
                    details={"families": [f.id for f in (fa, fb) if f is not None]})
