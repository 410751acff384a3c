"""Clean an article: normalise its text for matching, mark scraped noise, split sentences.

Normalisation (all offset-preserving through ``Document.edits``): mojibake repaired
(``â€™`` -> ``'``), NFC, curly and LDC quotes (````...''``) made straight, non-breaking and
zero-width spaces folded. Noise that must not become claims: photo credits, "Related:" lines,
survey and newsletter flyers, wire routing lines, bylines, headlines in title case, short
captions, every repeat of a paragraph already seen in the article, and a wire operator's
sign-off run on after a paragraph's last sentence ("... home.'' lc-kl").
"""
from __future__ import annotations

import re
import unicodedata
from typing import Callable

from claims.base import has_any
from claims.model import Article, Document, Paragraph, Sentence, ascii_lowered
from claims.lazy_re import lazy_compile

_MOJIBAKE = r"[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{1,3}"
_SIMPLE = {
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2033": '"', "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u2002": " ", "\u2003": " ",
    "\r": " ", "\t": " ", "\u2028": "\n", "\u2029": "\n",
}
_NORMALISE = lazy_compile(
    "(" + _MOJIBAKE + r")|(``|'')|([\u200b\u200c\u200d\u2060\ufeff\u00ad])|(\S[\u0300-\u036f]+)|(["
    + "".join(_SIMPLE) + "])"
)


# what only the full normalisation handles; text without any of it (most articles) takes a fast path
_RARE = lazy_compile(r"[\u00c2-\u00f4\u200b\u200c\u200d\u2060\ufeff\u00ad\u0300-\u036f]")
_LDC_QUOTE = lazy_compile(r"``|''")
_SIMPLE_TABLE = str.maketrans(_SIMPLE)


def _fix_mojibake(run: str) -> str | None:
    try:
        fixed = run.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    return fixed if len(fixed) < len(run) else None


def normalise(text: str) -> tuple[str, list[tuple[int, int, int, int]]]:
    """Return the normalised text and the length-changing edits (norm_start, norm_end, orig_start, orig_end)."""
    return _normalise_full(text) if _RARE.search(text) else _normalise_common(text)


def _normalise_full(text: str) -> tuple[str, list[tuple[int, int, int, int]]]:
    out: list[str] = []
    edits: list[tuple[int, int, int, int]] = []
    norm_pos = 0
    last = 0
    for m in _NORMALISE.finditer(text):
        mojibake, ldc, invisible, combining, simple = m.groups()
        if mojibake:
            replacement = _fix_mojibake(mojibake)
            if replacement is None:
                continue
            replacement = "".join(_SIMPLE.get(c, c) for c in replacement)
        elif ldc:
            replacement = '"'
        elif invisible:
            replacement = ""
        elif combining:
            replacement = unicodedata.normalize("NFC", combining)
        else:
            replacement = _SIMPLE[simple]
        out.append(text[last:m.start()])
        norm_pos += m.start() - last
        if len(replacement) != m.end() - m.start():
            edits.append((norm_pos, norm_pos + len(replacement), m.start(), m.end()))
        out.append(replacement)
        norm_pos += len(replacement)
        last = m.end()
    out.append(text[last:])
    return "".join(out), edits


def _normalise_common(text: str) -> tuple[str, list[tuple[int, int, int, int]]]:
    """``normalise`` for text with no mojibake, invisible characters or combining marks: the
    one-for-one replacements by table, and only the LDC quotes (found in the original text, as
    a curly quote becomes a straight one) change lengths."""
    translated = text.translate(_SIMPLE_TABLE)
    out: list[str] = []
    edits: list[tuple[int, int, int, int]] = []
    last = norm_pos = 0
    for m in _LDC_QUOTE.finditer(text):
        out.append(translated[last:m.start()])
        norm_pos += m.start() - last
        edits.append((norm_pos, norm_pos + 1, m.start(), m.end()))
        out.append('"')
        norm_pos += 1
        last = m.end()
    out.append(translated[last:])
    return "".join(out), edits


# a flyer's keyword within 300 characters of both ends of a one-line paragraph
FLYER = lazy_compile(r"\b(?:survey|newsletter|sweepstakes|entered to win|chance to win|grand prize)\b", re.I)
FLYER_REACH = 300
FLYER_WORDS = ("survey", "newsletter", "sweepstakes", "to win", "grand prize")  # in every FLYER match


def _is_flyer(text: str) -> bool:
    if "\n" in text or len(text) > 2 * FLYER_REACH + len("entered to win"):
        return False
    if not has_any(ascii_lowered(text), FLYER_WORDS):
        return False  # the IGNORECASE scan is slow; most paragraphs hold none of its words
    return any(m.start() <= FLYER_REACH and len(text) - m.end() <= FLYER_REACH for m in FLYER.finditer(text))


# Paragraph-level boilerplate, in order (the first that matches names the reason); each pattern
# is anchored and linear (no nested quantifiers).
NOISE_TESTS: list[tuple[str, Callable[[str], object]]] = [
    ("image credit", re.compile(r"^(?:instagram|twitter|facebook|tiktok|youtube|getty images?|shutterstock|ap photo|reuters|afp)\b.{0,80}$", re.I).match),
    ("image credit", re.compile(r"^[^|]{1,60}\|\s*@?[\w.]{1,40}$").match),
    ("image credit", re.compile(r"^\[?(?:image|photo|picture|video)s? (?:via|credit|by|courtesy)\b.{0,120}$", re.I).match),
    ("related link", re.compile(r"^(?:related(?: posts| content| stories| articles)?|read more|more from|see also|recommended|trending)\b\s*:?.{0,200}$", re.I).match),
    ("page furniture", re.compile(r"^(?:filed under:?|back to top|got a tip\??|advertisement|share this article|click here\b.*|sign up\b.*|subscribe\b.*|h/t:?.{0,40}|comments?|\W{0,3})$", re.I).match),
    ("flyer", _is_flyer),
    ("wire routing", re.compile(r"^\((?:for use by|eds?:|story can end|optional|with photos?|adds?|updates?)\b.{0,300}\)$", re.I).match),
    ("wire routing", re.compile(r"^(?:eds?:|editors?:|editor's note:|<annotation>|&\w+;|NEWS SERVICE|\(?end (?:optional|advance)).{0,300}$", re.I).match),
    ("byline", re.compile(r"^(?:by|from)\s+[A-Z][A-Za-z.'\- ]{2,60}(?:,\s*[A-Za-z.'\- ]{2,60})?$").match),
    ("byline", re.compile(r"^c\.\s?\d{4}\b.{0,80}$").match),
    ("dateline stamp", re.compile(r"^(?:\w{3,9}\.? \d{1,2}, \d{4}|\d{4}-\d\d-\d\d)(?: \d{1,2}:\d\d\s?(?:[ap]m)?(?: [A-Z]{2,4})?)?$", re.I).match),
]

_TERMINAL = lazy_compile(r"[.!?:;\"')\]]\s*$")
_WORD = lazy_compile(r"[A-Za-z][A-Za-z'\-]*")


def _looks_like_headline(text: str, words: list[str]) -> bool:
    if len(words) < 3 or _TERMINAL.search(text) and not text.rstrip().endswith(("'", '"')):
        return False
    long_words = [w for w in words if len(w) > 3]
    if not long_words:
        return False
    upper = sum(1 for w in long_words if w[0].isupper())
    return upper / len(long_words) >= 0.8 or text.isupper()


def classify_paragraph(text: str, seen: set[str]) -> str | None:
    """Why this paragraph is noise, or None when it is article text."""
    stripped = text.strip()
    for reason, test in NOISE_TESTS:
        if test(stripped):
            return reason
    key = re.sub(r"[\W_]+", " ", stripped.lower()).strip()
    if key in seen:
        return "repeated paragraph"
    seen.add(key)
    words = _WORD.findall(stripped)
    if _looks_like_headline(stripped, words):
        return "headline"
    if len(words) < 8 and not _TERMINAL.search(stripped) and '"' not in stripped:
        return "caption or label"
    return None


def split_paragraphs(norm: str) -> list[tuple[int, int]]:
    """Paragraph spans. Hard-wrapped text (short lines, blank-line breaks) is joined per block."""
    lines = [m.span() for m in re.finditer(r"[^\n]+", norm)]
    lengths = sorted(e - s for s, e in lines)
    wrapped = "\n\n" in norm and len(lines) > 6 and lengths[len(lengths) // 2] < 90 and lengths[-1] < 100
    if not wrapped:
        return [(s + len(norm[s:e]) - len(norm[s:e].lstrip()), s + len(norm[s:e].rstrip()))
                for s, e in lines if norm[s:e].strip()]
    spans = []
    for m in re.finditer(r"\S(?:[^\n]|\n(?!\s*\n))*", norm):
        s, e = m.span()
        spans.append((s, s + len(norm[s:e].rstrip())))
    return spans


ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "gov", "sen", "rep", "lt", "col", "capt",
    "adm", "sgt", "prof", "rev", "maj", "cmdr", "cpl", "pvt", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs", "inc", "co", "corp", "ltd",
    "mt", "ft", "ave", "blvd", "gens", "reps", "sens", "atty", "supt", "insp", "det", "u.s",
    "u.n", "u.k", "a.m", "p.m", "d.c", "e.g", "i.e", "etc", "approx", "est", "fig", "ph.d",
}
_BOUNDARY = lazy_compile(r"[.!?]+[\"')\]]*\s+(?=[\"'(\[]*[A-Z0-9])")
_LAST_TOKEN = lazy_compile(r"([A-Za-z.]+)\.$")


def split_sentences(norm: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    cursor = start
    for m in _BOUNDARY.finditer(norm, start, end):
        head = norm[max(start, m.start() - 12):m.start() + 1]
        tok = _LAST_TOKEN.search(head)
        if tok and norm[m.start()] == ".":
            word = tok.group(1).lower()
            if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        spans.append((cursor, m.end()))
        cursor = m.end()
    if cursor < end:
        spans.append((cursor, end))
    return [(s, s + len(norm[s:e].rstrip())) for s, e in spans if norm[s:e].strip()]


# an agency operator's sign-off run on after the last sentence of a paragraph ("... home.'' lc-kl",
# "(rn/sl)", "(rb)", "av-fsa-as"): lower-case initials joined by '-' or '/', or in brackets (a
# lone word, "at 5 p.m. today", is text); bounded, so linear
_SIGN_OFF = lazy_compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')]))\s+(?:[a-z]{1,5}(?:[-/][a-z]{1,5}){1,3}"
                       r"|\([a-z]{1,5}(?:[-/][a-z]{1,5}){0,3}\))$")


def _without_sign_off(norm: str, start: int, end: int) -> int:
    """The paragraph's end before a wire operator's sign-off, if it has one."""
    m = _SIGN_OFF.search(norm, max(start, end - 40), end)
    return m.start() if m else end


def clean(article: Article) -> Document:
    norm, edits = normalise(article.text)
    doc = Document(article=article, norm=norm, edits=edits)
    seen: set[str] = set()
    if article.title:
        seen.add(re.sub(r"[\W_]+", " ", article.title.lower()).strip())
    for index, (start, end) in enumerate(split_paragraphs(norm)):
        end = _without_sign_off(norm, start, end)
        reason = classify_paragraph(norm[start:end], seen)
        doc.paragraphs.append(Paragraph(index, start, end, reason))
        if reason:
            continue
        for s, e in split_sentences(norm, start, end):
            doc.sentences.append(Sentence(len(doc.sentences), index, s, e, norm[s:e]))
    return doc
