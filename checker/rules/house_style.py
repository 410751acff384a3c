"""Rule kind ``house_style``: a spelling the house style rejects, anywhere in the story, with the
spelling it prefers.

A newsroom's vocabulary, as Vale's accept and reject lists: ``prefer`` maps the house's spelling
of a name to the spellings it replaces (``Kyiv: [Kiev]``), ``reject`` lists spellings never to
use, with no preferred one, and ``variants_file`` reads more ``[rejected, preferred]`` pairs from
a TSV (the bundled ``ukrainian_toponym_pairs.tsv``, the #KyivNotKiev list, CC-BY-4.0, is not on
by default: style guides differ on Chernobyl and Gogol). ``accept`` lists names and phrases
never flagged: a rejected spelling inside one is fine (``Chicken Kiev``). Unlike
``spelling_variant``, one article using a rejected spelling throughout is flagged too.

Matching is on whole words, each part of a hyphenated compound being one (``Kiev-based``,
``pro-Kiev``), in the text and its headline lines (``StoryContext.headlines``): a word the form
writes with a capital matches a capitalised word only (``Kiev``, ``KIEV``, not ``kiev`` in a web
address); one in lower case matches in any case. All uses of one rejected spelling in the story
are one finding naming every source; its message names the way of writing it used most
(``Kiev`` twice and ``KIEV`` once: "Kiev"), the first seen on a tie.

The shipped rule has empty lists and flags nothing; a newsroom fills them in claimcheck.yaml
(``house_style:``). Its ``accept`` list also keeps the ``spelling_variant`` rules from flagging
those names (the settings loader adds them to their ``ignore``).

Example (claimcheck.yaml; cases in tests/fixtures/rules/house_style.yaml)::

    house_style:
      prefer: {Kyiv: [Kiev], Odesa: [Odessa]}
      reject: [the Ukraine]
      accept: [Chicken Kiev, "Odessa, Texas"]

    PASS  "Kyiv" throughout; "a recipe for Chicken Kiev" (accepted)
    FAIL  "shelling near Kiev" (two outlets): one finding, write "Kyiv", not "Kiev"
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from checker.engine.context import StoryContext
from checker.engine.deadline import within_time
from checker.engine.findings import Finding, format_message
from checker.engine.options import TEXT, WORDS, Option, Options, list_of, mapping_of, with_options
from checker.engine.rule import Rule
from checker.rules.spelling_variant import read_pairs_file, rule_folders

KIND = "house_style"
READS = ("sentences",)
MESSAGE_FIELDS = ("subject", "preferred", "advice", "values", "sources", "count")
OPTIONS = Options(
    Option("prefer", {}, mapping_of(TEXT, WORDS),
           "the house's spelling of a name and the spellings it replaces ({Kyiv: [Kiev], Odesa: [Odessa]})"),
    Option("reject", [], WORDS, "spellings never to use, with no preferred one"),
    Option("accept", [], WORDS,
           "names and phrases never flagged, even holding a rejected spelling (Chicken Kiev), nor by "
           "the spelling_variant rules"),
    Option("variants_file", None, TEXT.or_null(),
           "a TSV of more [rejected, preferred] pairs, beside the settings file or in claims/data/ "
           "(ukrainian_toponym_pairs.tsv is bundled; null: no file)"),
    Option("form_columns", ["russian_derived_form", "ukrainian_form"], list_of(TEXT, length=2),
           "the TSV's columns holding the rejected and the preferred form"),
    Option("enabled_column", "enabled", TEXT.or_null(),
           "rows whose value in this TSV column is \"false\" are skipped (null: every row is used)"),
)
__doc__ = with_options(__doc__, OPTIONS)


# a run of word characters: each part of a hyphenated compound is a word ("Kiev-based", "pro-Kiev")
_RUN = re.compile(r"\w+")


@dataclass(frozen=True)
class Vocabulary:
    """The house's lists as one matcher: each lower-cased form -> its preferred spelling ("" for a
    rejected one with none, None for an accepted one)."""

    forms: dict[str, str | None]
    # lower-cased form -> which of its words are written with a capital (they match capitalised words only)
    capitals: dict[str, tuple[bool, ...]]
    # a form's first run of word characters, lower-cased -> (the form, its pattern), longest form first
    starts: dict[str, list[tuple[str, re.Pattern]]]

    def matches(self, text: str):
        """(start, end, lower-cased form) of each form in ``text``, as whole words, the longest
        at each place. Only where a word starts one of the forms is a form tried, so the time
        grows with the text and the forms starting there, not with the whole list."""
        position = 0
        for run in _RUN.finditer(text):
            if run.start() < position:
                continue
            for form, pattern in self.starts.get(run.group().lower(), ()):
                found = pattern.match(text, run.start())
                if found:
                    yield found.start(), found.end(), form
                    position = found.end()
                    break


def vocabulary(rule: Rule, rules_dir: Path) -> Vocabulary:
    params = rule.params
    pairs: list[tuple[str, str]] = []
    if params["variants_file"]:
        pairs += read_pairs_file(params["variants_file"], rule_folders(rule, rules_dir), params["form_columns"],
                                 params["enabled_column"])
    pairs += [(rejected, preferred) for preferred, rejected_list in (params["prefer"] or {}).items()
              for rejected in rejected_list]
    pairs += [(rejected, "") for rejected in params["reject"]]
    return _vocabulary(tuple(pairs), tuple(params["accept"]))


@lru_cache(maxsize=16)  # built once per list, not once per story
def _vocabulary(pairs: tuple[tuple[str, str], ...], accepted: tuple[str, ...]) -> Vocabulary:
    forms: dict[str, str | None] = {}
    written: dict[str, str] = {}
    for rejected, preferred in pairs:
        form = " ".join(rejected.split())
        if form:
            forms.setdefault(form.lower(), preferred)
            written.setdefault(form.lower(), form)
    preferred_forms = {p.lower() for _, p in pairs if p}
    for form in preferred_forms:  # a later list preferring what an earlier one rejects: preferred wins
        forms.pop(form, None)
    for accept in accepted:
        form = " ".join(accept.split())
        if form:
            forms[form.lower()] = None
            written[form.lower()] = form
    if not forms or all(v is None for v in forms.values()):
        return Vocabulary({}, {}, {})
    starts: dict[str, list[tuple[str, re.Pattern]]] = {}
    for form in sorted(forms, key=len, reverse=True):
        first = _RUN.match(form)
        if first is None:
            continue  # validate refuses such a form in a rules file; a TSV row is skipped
        # an escaped literal: nothing to backtrack over; a space matches any run of spaces
        pattern = re.compile(r"\s+".join(map(re.escape, form.split(" "))) + r"(?!\w)", re.IGNORECASE)
        starts.setdefault(first.group(), []).append((form, pattern))
    capitals = {f: tuple(w[:1].isupper() for w in written[f].split(" ")) for f in forms}
    return Vocabulary(forms, capitals, starts)


def validate(rule: Rule, rules_dir: Path) -> None:
    for preferred, rejected_list in (rule.params["prefer"] or {}).items():
        if not preferred.strip():
            raise ValueError("'prefer': a preferred spelling must not be empty")
        for rejected in rejected_list:
            if not rejected.strip():
                raise ValueError(f"'prefer': {preferred!r} lists an empty spelling")
            if rejected.strip().lower() == preferred.strip().lower():
                raise ValueError(f"'prefer': {preferred!r} lists itself as a spelling it replaces")
    for key in ("reject", "accept"):
        if any(not word.strip() for word in rule.params[key]):
            raise ValueError(f"'{key}' holds an empty spelling")
    written = [w for key in ("reject", "accept") for w in rule.params[key]]
    written += [w for preferred, rejected in (rule.params["prefer"] or {}).items() for w in rejected]
    for word in written:
        if not _RUN.match(word.strip()):
            raise ValueError(f"spelling {word!r} must start with a letter or digit")
    vocabulary(rule, rules_dir)


def _case_fits(text: str, capitals: tuple[bool, ...]) -> bool:
    """Each word the form writes with a capital is capitalised in the text ("Kiev", "KIEV", not
    "kiev"; "the Ukraine" and "The Ukraine", not "the ukraine")."""
    return all(word[:1].isupper() for word, capital in zip(text.split(), capitals) if capital)


def _key(text: str) -> str:
    return " ".join(text.split()).lower()


def check(rule: Rule, ctx: StoryContext) -> list[Finding]:
    words = vocabulary(rule, ctx.rules_dir)
    if not words.starts:
        return []
    hits: dict[str, list] = defaultdict(list)
    for article in ctx.article_ids():
        passages = sorted([*ctx.headlines(article), *ctx.sentences(article)], key=lambda s: s.start)
        for sent in within_time(passages, "house style", every=16):
            for start, end, form in words.matches(sent.text):
                if words.forms[form] is None:  # accepted
                    continue
                if not _case_fits(sent.text[start:end], words.capitals[form]):
                    continue
                hits[form].append((article, sent, sent.start + start, sent.start + end))
    return [_finding(rule, ctx, words.forms[key], found) for key, found in hits.items()]


def _finding(rule: Rule, ctx: StoryContext, preferred: str, found: list) -> Finding:
    evidence = []
    by_spelling: dict[str, set[str]] = defaultdict(set)
    mentions: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for article, sent, start, end in found:
        text, o_start, o_end = ctx.verbatim(article, start, end)
        sentence = ctx.verbatim(article, sent.start, sent.end)[0]
        evidence.append(ctx.span_evidence(article, o_start, o_end, value=text, normalized=_key(text),
                                          sentence=sentence))
        spelling = " ".join(text.split())
        by_spelling[spelling].add(article)
        mentions[spelling] += 1
        first_seen.setdefault(spelling, len(first_seen))
    # the headline names the spelling used most (by mentions), the first seen on a tie
    subject = max(mentions, key=lambda s: (mentions[s], -first_seen[s]))
    articles = sorted(set().union(*by_spelling.values()))
    count = len(found)
    times = "once" if count == 1 else f"{count} times"
    values = f"{times} in {ctx.sources(articles)}"
    advice = f'write "{preferred}", not "{subject}"' if preferred else f'avoid "{subject}"'
    message = format_message(rule.message, subject=subject, preferred=preferred, advice=advice, values=values,
                             sources=ctx.sources(articles), count=str(count))
    return Finding(rule=rule.id, kind=KIND, severity=rule.severity, claim_type="name", subject=subject,
                   message=message, evidence=evidence, key=(_key(subject),), confidence=0.95,
                   details={"preferred": preferred or None, "spellings": {s: sorted(a) for s, a in by_spelling.items()},
                            "count": count})
