"""Rule kind ``spelling_variant``: one name spelled two ways, across sources or inside one article.

Two ways to know that two spellings are one name:

- a list: ``variants_file`` (a TSV with the two forms in ``form_columns``; the bundled
  ``ukrainian_toponym_pairs.tsv`` is the #KyivNotKiev list, CC-BY-4.0) and ``pairs`` written in
  rules.yaml (``- [Kiev, Kyiv]``); the house-preferred form is the column or pair element named
  by ``preferred`` (``second`` by default: Kyiv, Odesa);
- no list: names whose transliteration keys are equal (doubled letters, kh/h, gh/g, y/i, ph/f:
  Larisa/Larissa, Kharazi/Kharrazi, Dagestan/Daghestan), and, for a person's full name, one
  differing letter in one part while the other part is the same (Igor Dygalo / Igor Dyagalo);
  and one name romanised two ways: the same consonants in the same order, at most two letters
  apart and ending alike (Carolos/Karolos, Hormozgan/Hormuzgan, Karavan/Karvan), for a part of
  a person's full name only beside the same other part (Giannis / Yiannis Panagopoulos: two
  people may share consonants). Austria/Australia, Sudan/South Sudan, Jenna/Jenny,
  Russia/Russian, German/Germany and Center/Century stay distinct.

All uses of the variants in the story become one finding that names every source and says
which articles use both spellings. An outlet whose reports write both spellings is named per
report (``StoryContext.sources_apart``): '"Kiev" (AP 2 Mar 09:00) or "Kyiv" (2 mentions:
AP 2 Mar 17:30, NYT)?'.

Example (rules.yaml; cases in tests/fixtures/rules/spelling_variant.yaml)::

    - id: spelling-variant
      kind: spelling_variant
      severity: warning
      message: "Which spelling: {choices}"
      claim_types: [name]
      params:
        variants_file: ukrainian_toponym_pairs.tsv
        pairs: [[Kiev, Kyiv], [Gonzales, Gonzalez]]   # add your own
        preferred: second

    PASS  "Kyiv" ... "Kyiv" (one spelling)
    FAIL  "Odessa" (two outlets) / "Odesa" (two outlets, one of which uses both): one finding,
          house style Odesa
"""
from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from anyascii import anyascii
from rapidfuzz.distance import Levenshtein

from checker.engine.context import StoryContext
from checker.engine.deadline import within_time
from checker.engine.findings import Finding, format_message
from checker.engine.options import COUNT, FLAG, TEXT, WORDS, Option, Options, choice, list_of, with_options
from checker.engine.rule import Rule
from checker.engine.wording import choices

KIND = "spelling_variant"
READS = ("claims", "sentences")
MESSAGE_FIELDS = ("choices", "subject", "values", "sources", "preferred")
OPTIONS = Options(
    Option("variants_file", None, TEXT.or_null(),
           "a TSV of spelling pairs, beside rules.yaml or in claims/data/ (null: no file)"),
    Option("form_columns", ["russian_derived_form", "ukrainian_form"], list_of(TEXT, length=2),
           "the TSV's two columns holding a pair's forms, in pair order"),
    Option("enabled_column", "enabled", TEXT.or_null(),
           "rows whose value in this TSV column is \"false\" are skipped (null: every row is used)"),
    Option("pairs", [], list_of(list_of(TEXT, length=2)), "more [variant, preferred] pairs, written in rules.yaml"),
    Option("preferred", "second", choice("first", "second", "none"),
           "which form of a pair the house prefers"),
    Option("detect_unlisted", True, FLAG,
           "also find variants no list names (equal transliteration keys, one letter apart in a full name)"),
    Option("min_length", 4, COUNT, "the shortest name compared without a list"),
    Option("ignore", [], WORDS, "spellings never reported (claimcheck.yaml's house_style accept list adds to it)"),
)
__doc__ = with_options(__doc__, OPTIONS)
DATA_DIR = Path(__file__).resolve().parents[2] / "claims" / "data"
_CACHE: dict[tuple, list[tuple[str, str]]] = {}


def _resolve_file(name: str, folders: list[Path]) -> Path:
    for candidate in (Path(name), *(folder / name for folder in folders), DATA_DIR / name, DATA_DIR / Path(name).name):
        if candidate.is_file():
            return candidate
    beside = " or ".join(str(f) for f in folders) or "the rules file"
    raise ValueError(f"variants_file {name!r} not found (looked in {beside} and in {DATA_DIR})")


def rule_folders(rule, rules_dir: Path) -> list[Path]:
    """Where a file a rule names is looked for: beside the settings file that set the rule's
    options (``rule.base_dir``), then beside the rules file."""
    base_dir = getattr(rule, "base_dir", None)
    return [Path(base_dir), rules_dir] if base_dir else [rules_dir]


def read_pairs_file(name: str, folders: list[Path], columns: list[str], enabled_column: str | None,
                    ) -> list[tuple[str, str]]:
    """The pairs of a variants TSV: the two forms in ``columns``, without rows whose
    ``enabled_column`` says false (read once per file and columns)."""
    key = (name, tuple(str(f) for f in folders), tuple(columns), enabled_column)
    if key not in _CACHE:
        path = _resolve_file(name, folders)
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t")
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if len(columns) != 2 or missing:
                raise ValueError(f"{path}: needs two form columns, missing {missing}")
            loaded = []
            for row in reader:
                if enabled_column and str(row.get(enabled_column, "true")).lower() == "false":
                    continue
                short = [c for c in columns if row.get(c) is None]
                if short:
                    raise ValueError(f"{path}: line {reader.line_num} has no {short[0]!r} value")
                a, b = row[columns[0]].strip(), row[columns[1]].strip()
                if a and b and a.lower() != b.lower():
                    loaded.append((a, b))
            _CACHE[key] = loaded
    return _CACHE[key]


def load_pairs(rule, rules_dir: Path) -> list[tuple[str, str]]:
    params = rule.params
    pairs: list[tuple[str, str]] = []
    if params["variants_file"]:
        pairs.extend(read_pairs_file(params["variants_file"], rule_folders(rule, rules_dir),
                                     params["form_columns"], params["enabled_column"]))
    for pair in params["pairs"]:
        if not isinstance(pair, list) or len(pair) != 2 or not all(isinstance(p, str) for p in pair):
            raise ValueError("each entry of 'pairs' must be a list of two strings")
        pairs.append((pair[0], pair[1]))
    return pairs


def validate(rule, rules_dir: Path) -> None:
    if rule.params["preferred"] not in ("first", "second", "none"):
        raise ValueError("'preferred' must be first, second or none")
    load_pairs(rule, rules_dir)


_RUN = re.compile(r"[\w-]+")


@dataclass(frozen=True)
class _ListedMatcher:
    groups: dict  # lower-cased form -> (the pair's forms, the preferred form or None)
    pattern: re.Pattern  # any listed form, as a whole word
    first_runs: frozenset  # the forms' first [\w-] runs, lower-cased
    can_skip: bool  # whether a sentence holding none of first_runs can be skipped


@lru_cache(maxsize=8)  # built once per variants list, not once per story
def _listed_matcher(pairs: tuple[tuple[str, str], ...], preference: str) -> _ListedMatcher:
    groups: dict[str, tuple[frozenset, str | None]] = {}
    for a, b in pairs:
        preferred = {"first": a, "second": b}.get(preference)
        forms = frozenset({a, b})
        for form in forms:
            groups[form.lower()] = (forms, preferred)
    alternation = "|".join(re.escape(f) for f in sorted({f for f in groups}, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE)
    # The alternation is slow to scan, and few sentences hold a listed form. A match starts a
    # run of [\w-] characters equal to the form's first run, so a sentence none of whose runs
    # is such a first run is skipped. Only for ASCII text and forms: regex case folding goes
    # beyond str.lower.
    first_runs = frozenset(m.group() for m in map(_RUN.match, groups) if m)
    can_skip = len(first_runs) > 0 and all(f.isascii() and _RUN.match(f) for f in groups)
    return _ListedMatcher(groups, pattern, first_runs, can_skip)


def _listed(rule, ctx) -> list[tuple[frozenset, str | None, list]]:
    pairs = load_pairs(rule, ctx.rules_dir)
    if not pairs:
        return []
    matcher = _listed_matcher(tuple(pairs), rule.params["preferred"])
    groups = matcher.groups
    found: dict[frozenset, list] = defaultdict(list)
    ignore = {i.lower() for i in rule.params["ignore"]}  # accepted spellings (house_style's accept)
    for article in ctx.article_ids():
        for sent in ctx.sentences(article):
            if matcher.can_skip and sent.lowered is not None and \
                    matcher.first_runs.isdisjoint(_RUN.findall(sent.lowered)):
                continue
            for m in matcher.pattern.finditer(sent.text):
                word = m.group()
                if not word[0].isupper() or word.lower() in ignore:
                    continue
                forms, _ = groups[word.lower()]
                found[forms].append((article, sent, word, sent.start + m.start(), sent.start + m.end()))
    out = []
    for forms, hits in found.items():
        used = {word.lower() for _, _, word, _, _ in hits}
        if len(used) >= 2:
            out.append((forms, groups[next(iter(forms)).lower()][1], hits))
    return out


def _unlisted(rule, names: list, listed_forms: set[str]) -> list[list]:
    ignore = {i.lower() for i in rule.params["ignore"]} | listed_forms
    min_length = rule.params["min_length"]
    rows = [r for r in names if len(r.value) >= min_length and r.value.lower() not in ignore]
    groups: list[list] = []
    # same transliteration key, different spelling (groups in key order)
    by_key: dict[str, list] = defaultdict(list)
    for row in rows:
        by_key[row.normalized].append(row)
    for key in sorted(by_key):
        group = by_key[key]
        if len({r.value.lower().replace("\u2019", "'") for r in group}) >= 2:
            groups.append(group)
    # one letter apart inside a person's name, or any name of several words, whose other part matches
    people = [r for r in rows if r.attribute == "person" or " " in str(r.subject)]
    spellings: dict[str, list] = defaultdict(list)
    for row in people:
        spellings[row.value].append(row)
    entity_parts: dict[str, set[str]] = defaultdict(set)
    for row in people:
        entity_parts[row.value].update(p for p in str(row.subject).split() if p != row.value)
    grouped = {r.value for g in groups for r in g}
    # one name romanised two ways: the same consonants in the same order (Carolos/Karolos,
    # Hormozgan/Hormuzgan, Mahnefeh/Mahnefah) and at most two letters apart; a person's name
    # only beside the same other part (Giannis/Yiannis Panagopoulos), as two people can share
    # consonants
    by_skeleton: dict[str, list] = defaultdict(list)
    for row in rows:
        if row.value not in grouped:
            by_skeleton[consonant_key(row.value)].append(row)
    for key in sorted(by_skeleton):
        group = by_skeleton[key]
        forms = sorted({r.value for r in group})
        if len(forms) < 2 or not all(_romanised_alike(a.lower(), b.lower()) for i, a in enumerate(forms) for b in forms[i + 1:]):
            continue
        # a part of a person's full name needs the other part beside it; a one-word name (a
        # village, a province) needs enough consonants to be told apart from another
        full_name = any(len(str(r.subject).split()) > 1 for r in group)
        if full_name and not (entity_parts[forms[0]] & entity_parts[forms[1]] or _partner_match(forms[0], forms[1], spellings)):
            continue
        if not full_name and len(key) < 4:
            continue
        groups.append(group)
    tokens = sorted(spellings)
    lowered = {t: t.lower() for t in tokens}
    for i, a in enumerate(within_time(tokens, "spelling variants", every=16)):
        a_low = lowered[a]
        for b in tokens[i + 1:]:
            if a[0] != b[0]:
                break  # tokens are sorted: no later one starts with a's letter either
            b_low = lowered[b]
            if min(len(a), len(b)) < 5 or a_low.startswith(b_low) \
                    or b_low.startswith(a_low):
                continue
            if Levenshtein.distance(a_low, b_low) != 1:
                continue
            if spellings[a][0].normalized == spellings[b][0].normalized:
                continue  # already grouped by key
            if entity_parts[a] & entity_parts[b] or _partner_match(a, b, spellings):
                groups.append(spellings[a] + spellings[b])
    return groups


_SKELETON_MAP = [(re.compile(p), r) for p, r in (
    (r"^[gy]i(?=[aeiou])", "i"), (r"ph", "f"), (r"kh", "h"), (r"gh", "g"), (r"ck", "k"), (r"c(?=[aou])", "k"),
    (r"q", "k"), (r"w", "v"), (r"[aeiouy]", ""), (r"(.)\1+", r"\1"))]


def _romanised_alike(a: str, b: str) -> bool:
    """At most two letters apart, ending alike, neither the other with an ending added
    ("Germany"/"German", "Pakistani"/"Pakistan", "Center"/"Century" are other words)."""
    return Levenshtein.distance(a, b) <= 2 and a[-1] == b[-1] and not (a.startswith(b) or b.startswith(a))


def consonant_key(name: str) -> str:
    """The consonants of a name as romanisations keep them ("Karolos" and "Carolos" -> krls)."""
    key = re.sub(r"[^a-z]", "", anyascii(name).lower())
    first = key[:1]
    for pattern, replacement in _SKELETON_MAP:
        key = pattern.sub(replacement, key)
    return ("V" if first in "aeiouy" else "") + key


def _partner_match(a: str, b: str, spellings) -> bool:
    """Both spellings sit beside the same other name part in the sentence (Igor Dygalo / Igor Dyagalo)."""
    def partners(tok):
        out = set()
        for row in spellings.get(tok, ()):  # .get: a lookup must not add an empty spelling to the dict
            m = re.search(rf"([A-Z][a-z]+) {re.escape(tok)}|{re.escape(tok)} ([A-Z][a-z]+)", row.sentence)
            if m:
                out.add(m.group(1) or m.group(2))
        return out
    return bool(partners(a) & partners(b))


def check(rule: Rule, ctx: StoryContext) -> list[Finding]:
    findings = []
    listed_forms: set[str] = set()
    for forms, preferred, hits in _listed(rule, ctx):
        listed_forms.update(f.lower() for f in forms)
        evidence = []
        for article, sent, _, s, e in hits:
            text, o_s, o_e = ctx.verbatim(article, s, e)
            evidence.append((article, text, o_s, o_e, ctx.verbatim(article, sent.start, sent.end)[0]))
        findings.append(_finding(rule, ctx, evidence, preferred, listed=True))
    if rule.params["detect_unlisted"]:
        for rows in _unlisted(rule, ctx.claims_of(rule.claim_types), listed_forms):
            if _two_words_of_one_name(rows) or _given_name_and_surname(rows):
                continue
            evidence = [(r.article, r.value, r.start, r.end, r.sentence) for r in rows]
            findings.append(_finding(rule, ctx, evidence, None, listed=False))
    return findings


def _choices(ctx, spellings: list[str], by_spelling: dict[str, set[str]], mentions: Counter,
             preferred: str | None) -> str:
    """'"Piemont" (NYT) or "Piedmont" (14 mentions: AP ×3, NYT ×2)?': the odd spelling first
    (fewest sources, then fewest mentions), the common one last, with how often each is written
    when more than once; a house-style spelling always last (the others are what to fix)."""
    house = (preferred or "").lower()
    odd_first = sorted(spellings, key=lambda s: (s.lower() == house, len(by_spelling[s]), mentions[s], s))
    named_by_spelling = dict(zip(odd_first, ctx.sources_apart(by_spelling[s] for s in odd_first)))
    options = []
    for s in odd_first:
        named = named_by_spelling[s]
        options.append((f'"{s}"', f"{mentions[s]} mentions: {named}" if mentions[s] > 1 else named))
    return choices(options)


def _two_words_of_one_name(rows) -> bool:
    """Two spellings side by side in one name ("New Woman All Women" clinic) are two of its words,
    not one word spelled two ways. A list (``pairs``) still catches such names."""
    spellings = {r.value for r in rows}
    return any(len(spellings & set(str(r.subject).split())) >= 2 for r in rows)


def _given_name_and_surname(rows) -> bool:
    """One spelling only ever a given name and the other only ever a surname, in full names
    ("Carol Ratowell" / "Len Carroll"): two people, not one respelled."""
    roles: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        parts = str(r.subject).split()
        if len(parts) < 2 or r.value not in parts:
            return False  # a bare or unresolved mention: its role is unknown
        roles[r.value].add("given" if parts[0] == r.value else "surname" if parts[-1] == r.value else "middle")
    return len(roles) == 2 and all(len(v) == 1 for v in roles.values()) and \
        {next(iter(v)) for v in roles.values()} == {"given", "surname"}


def _finding(rule, ctx, evidence, preferred, listed: bool) -> Finding:
    by_spelling: dict[str, set[str]] = defaultdict(set)
    for article, text, *_ in evidence:
        by_spelling[text].add(article)
    spellings = sorted(by_spelling, key=lambda s: (-len(by_spelling[s]), s))
    per_article: dict[str, set[str]] = defaultdict(set)
    for article, text, *_ in evidence:
        per_article[article].add(text.lower())
    mixed = sorted(a for a, used in per_article.items() if len(used) > 1)
    named = dict(zip(spellings, ctx.sources_apart(by_spelling[s] for s in spellings)))
    values = " vs ".join(f'"{s}" ({named[s]})' for s in spellings)
    mentions = Counter(text for _, text, *_ in evidence)
    notes = []
    if mixed:
        notes.append(f"inside one article: {ctx.sources(mixed, dated=True)} uses both")
    if preferred:
        notes.append(f"house style: {preferred}")
    message = format_message(rule.message, values=values, preferred=preferred or "",
                             choices=_choices(ctx, spellings, by_spelling, mentions, preferred),
                             sources=ctx.sources(set().union(*by_spelling.values())),
                             subject=spellings[0])
    if notes:
        message += " (" + "; ".join(notes) + ")"
    ev = [ctx.span_evidence(a, s, e, value=t, normalized=t.lower(), sentence=sent)
          for a, t, s, e, sent in evidence]
    return Finding(rule=rule.id, kind=KIND, severity=rule.severity, claim_type="name",
                   subject=preferred or spellings[0], message=message, evidence=ev,
                   key=tuple(sorted({s.lower() for s in spellings})),
                   confidence=0.95 if listed else 0.75,
                   details={"spellings": {s: sorted(a) for s, a in by_spelling.items()},
                            "within_article": mixed, "preferred": preferred, "listed": listed})



