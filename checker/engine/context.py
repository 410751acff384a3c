"""What a rule kind reads of the story, through typed accessors that build each view once.

A rule-kind module (``checker/rules/``) exposes ``KIND`` (its name in rules.yaml), ``OPTIONS``
(its options, ``checker.engine.options``), ``MESSAGE_FIELDS`` (the placeholders it fills in a
rule's message), ``READS`` (which of the views below it reads), optionally ``validate(rule,
rules_dir)``, and ``check(rule, ctx) -> list[Finding]``.

The views (``READS`` names them):
    ``claims``          ``claims_of(types)``: the story's claims of these types, in story order
    ``facts``           ``facts(types, params)``: which of those claims state one fact, as the
                        story fact model resolves them (``checker.engine.facts``) under a value
                        rule's options; ``source_groups()``: articles that are one wire text
                        (``story_model()``: what the fact model reads of the whole story)
    ``quote_pieces``    ``quote_pieces()``: the story's quotes as word lists, as families read them
    ``quote_families``  ``quote_families()``: one utterance as each source quotes it, aligned with
                        the story's quote family settings (``quote_settings``)
    ``sentences``       ``article_ids()``, ``sentences(article)``, ``headlines(article)``,
                        ``verbatim(...)`` and ``sentence_evidence(...)``: each article's sentences,
                        its headline lines and its own text
    ``places``          ``places_in(article, sentence_index)``: the places a sentence names
    ``article_text``    ``name_key_text(article)``: an article's text with names folded;
                        ``articles_naming(word)``: the articles whose folded text holds a word
Each is built on first use and kept for the story, so rules reading the same view share it
whatever their order. Every kind also gets the story's articles (``articles``: outlet and
publication time) and the helpers that turn claims and spans into ``Evidence`` and name
sources (``evidence``, ``span_evidence``, ``sources``, ``outlet``).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claims.entities import StoryEntities, name_key
from claims.model import Article, Claim, Document, Sentence
from checker.engine.facts import Fact, SourceGroups, StoryFacts, StoryModel, build_facts, story_model
from checker.engine.findings import Evidence
from checker.engine.text_index import SubstringIndex
from checker.engine.wording import name_list, source_label
from checker.engine.quote_families import CUT_MIN_WORDS, SETTINGS, Piece, QuoteFamily, build_families, quote_pieces

READS = ("claims", "facts", "quote_pieces", "quote_families", "sentences", "places", "article_text")


@dataclass
class StoryContext:
    articles: dict[str, Article]
    docs: dict[str, Document]
    entities: StoryEntities
    claims: list[Claim]  # the story's claims, in extraction order
    rules_dir: Path
    # the story's time limit (time.monotonic(); None: none), which apply_rules also holds the
    # rules' long loops to (within_time)
    deadline: float | None = None
    # how quotes are aligned into families (rules.yaml's 'quote_families:'; quote_families.SETTINGS)
    quote_settings: Mapping[str, Any] = field(default_factory=SETTINGS.defaults)
    # the views, each built on first use
    _claims_of: dict[tuple[str, ...], list[Claim]] = field(default_factory=dict, init=False, repr=False)
    _quote_pieces: dict[int, list[Piece]] = field(default_factory=dict, init=False, repr=False)
    _quote_families: list[QuoteFamily] | None = field(default=None, init=False, repr=False)
    _name_keys: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _naming: SubstringIndex | None = field(default=None, init=False, repr=False)
    _labels: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _order: dict[str, int] = field(default_factory=dict, init=False, repr=False)
    _filed_by: Counter | None = field(default=None, init=False, repr=False)
    _days: Counter | None = field(default=None, init=False, repr=False)
    _facts: dict[tuple, StoryFacts] = field(default_factory=dict, init=False, repr=False)
    _story_model: StoryModel | None = field(default=None, init=False, repr=False)

    # --- claims ---------------------------------------------------------------------------------

    def claims_of(self, types: Iterable[str]) -> list[Claim]:
        """The story's claims of these claim types, in story order (filtered once per list of
        types: rules often read the same types)."""
        key = tuple(types)
        if key not in self._claims_of:
            self._claims_of[key] = [c for c in self.claims if c.claim_type in key]
        return self._claims_of[key]

    # --- facts ----------------------------------------------------------------------------------

    def facts(self, types: Iterable[str], params: Mapping[str, Any]) -> StoryFacts:
        """The story's facts among its claims of these types, resolved under a value rule's
        options (built once for each types and options)."""
        key = (tuple(types), repr(sorted(params.items())))
        if key not in self._facts:
            self._facts[key] = build_facts(self.claims_of(types), self, params)
        return self._facts[key]

    def resolved_facts(self) -> list[StoryFacts]:
        """Every set of facts the value rules asked for (each rule's claims, links and facts)."""
        return list(self._facts.values())

    def all_facts(self) -> list[Fact]:
        """Every fact the value rules resolved, once each, in story order (the fact sheet)."""
        seen: dict[str, Fact] = {}
        for built in self._facts.values():
            for fact in built.facts:
                seen.setdefault(fact.id, fact)
        return sorted(seen.values(), key=lambda f: f.claims[0].index)

    def story_model(self) -> StoryModel:
        """What the fact model reads of the whole story once: its main happening, the years its
        sentences name and which articles are one wire text (``source_groups``)."""
        if self._story_model is None:
            groups = SourceGroups({a: [s.text for s in self.sentences(a)] for a in self.article_ids()})
            self._story_model = story_model(self.claims, len(self.articles), groups)
        return self._story_model

    def source_groups(self) -> SourceGroups:
        """The story's articles grouped by wire text: a group is one source."""
        return self.story_model().groups

    # --- quotes ---------------------------------------------------------------------------------

    def quote_pieces(self, min_words: int | None = None) -> list[Piece]:
        """The story's quote claims of at least ``min_words`` words (default: the settings'
        ``min_words``, the shortest quote a family takes) as pieces: normalised words with where
        each sits in the quote. A piece's ``pos`` means the same quote everywhere."""
        if min_words is None:
            min_words = self.quote_settings["min_words"]
        if min_words not in self._quote_pieces:
            self._quote_pieces[min_words] = quote_pieces(self.claims, self.docs, min_words)
        return self._quote_pieces[min_words]

    def quote_families(self) -> list[QuoteFamily]:
        """The story's quote families under the story's settings (built once), from the
        story's quote claims whatever claim types the asking rule lists."""
        if self._quote_families is None:
            settings = dict(self.quote_settings)
            self._quote_families = build_families(self.quote_pieces(min(settings["min_words"], CUT_MIN_WORDS)),
                                                  settings)
        return self._quote_families

    # --- sentences and text ---------------------------------------------------------------------

    def article_ids(self) -> list[str]:
        """The articles whose text was read (an article that failed to clean has none), in
        story order."""
        return list(self.docs)

    def sentences(self, article_id: str) -> list[Sentence]:
        """The article's sentences (normalised text; offsets into its normalised text)."""
        doc = self.docs.get(article_id)
        return doc.sentences if doc is not None else []

    def headlines(self, article_id: str) -> list[Sentence]:
        """The article's headline lines, which ``sentences`` leaves out as they state no claim: the
        paragraphs the cleaner took for headlines, and the text's first line when it is set apart
        as a title (a short line, or the metadata's title repeated). Each is one whole line (index
        -1: not one of the article's sentences)."""
        doc = self.docs.get(article_id)
        if doc is None:
            return []
        return [Sentence(-1, p.index, p.start, p.end, doc.norm[p.start:p.end]) for p in doc.paragraphs
                if p.noise == "headline"
                or (p.index == 0 and p.noise in ("caption or label", "repeated paragraph"))]

    def verbatim(self, article_id: str, start: int, end: int) -> tuple[str, int, int]:
        """The article's own text for normalised offsets ``start``..``end``, with its offsets."""
        return self.docs[article_id].evidence(start, end)

    def sentence_evidence(self, article_id: str, sentence: Sentence,
                          normalize: Callable[[str], str]) -> Evidence:
        """A whole sentence as evidence, as the article writes it; ``normalize`` gives the
        evidence's normalised value from that text."""
        text, start, end = self.verbatim(article_id, sentence.start, sentence.end)
        return self.span_evidence(article_id, start, end, value=text, normalized=normalize(text), sentence=text)

    def places_in(self, article_id: str, sentence_index: int) -> list[str]:
        """The places the article's sentence names (canonical names, in order)."""
        doc = self.docs.get(article_id)
        if doc is None or not 0 <= sentence_index < len(doc.sentences):
            return []
        return [m.canonical for m in self.entities.mentions(doc, doc.sentences[sentence_index]) if m.kind == "place"]

    def name_key_text(self, article_id: str) -> str:
        """The article's whole text as ``name_key`` folds names, to look a surname up in it
        (built once per article, not once per question)."""
        if article_id not in self._name_keys:
            self._name_keys[article_id] = name_key(self.docs[article_id].norm)
        return self._name_keys[article_id]

    def articles_naming(self, word: str) -> list[str]:
        """The articles (in ``article_ids`` order) whose ``name_key_text`` holds ``word``: a
        surname looked up in the whole story, through an index of the texts' distinct words."""
        if self._naming is None:
            self._naming = SubstringIndex([(a, self.name_key_text(a)) for a in self.article_ids()])
        return self._naming.holding(word)

    # --- evidence and sources -------------------------------------------------------------------

    def span_evidence(self, article_id: str, start: int, end: int, *, value: str,
                      normalized: str, sentence: str = "") -> Evidence:
        """Evidence for ``article.text[start:end]``, with the article's outlet and time."""
        article = self.articles[article_id]
        return Evidence(
            article=article_id, text=article.text[start:end], start=start, end=end, value=value,
            normalized=normalized, sentence=sentence, outlet=article.outlet,
            published=article.published.isoformat(sep=" ") if article.published else None,
        )

    def evidence(self, claim: Claim) -> Evidence:
        return self.span_evidence(claim.article, claim.start, claim.end, value=claim.value,
                                  normalized=str(claim.normalized), sentence=claim.sentence)

    def outlet(self, article_id: str) -> str:
        """The article's short source label (``source_label``): its outlet, else a short form
        of its headline, else its file name without hash-like ids."""
        if article_id not in self._labels:
            article = self.articles[article_id]
            self._labels[article_id] = source_label(article.outlet, article.title, article_id,
                                                    self._story_order(article_id) + 1)
        return self._labels[article_id]

    def sources(self, article_ids, *, dated: bool = False) -> str:
        """The sources of these articles, each outlet once ("AP ×3" when it filed three of
        them), at most ``MAX_NAMED`` names ("NYT, Reuters, AP and 3 others"; ``name_list``).
        With ``dated``, an outlet that filed other articles in the story too has each of these
        named (``article_label``: "AP 30 Jul 11:30", "Wire One (second)"): what tells two
        reports of one outlet apart in a value's sources, or says which one alone gives a figure."""
        given: dict[str, list[str]] = {}
        for article_id in sorted(set(article_ids), key=self._story_order):
            given.setdefault(self.outlet(article_id), []).append(article_id)
        names: list[str] = []
        for name, ids in given.items():
            if dated and len(ids) < self._filed()[name]:
                names += [self.article_label(i) for i in ids]
            else:
                names.append(name if len(ids) == 1 else f"{name} ×{len(ids)}")
        return name_list(names)

    def article_label(self, article_id: str) -> str:
        """One article among its outlet's others: "AP 30 Jul 11:30", or undated "Wire One
        (second)" (its short headline or file name); just the outlet when it filed only this."""
        name = self.outlet(article_id)
        if self._filed()[name] < 2:
            return name
        when = self.when(article_id)
        if when:
            return f"{name} {when}"
        article = self.articles[article_id]
        other = source_label(None, article.title, article_id, self._story_order(article_id) + 1)
        return f"{name} ({other})" if other != name else name

    def sources_apart(self, groups: Iterable[Iterable[str]]) -> list[str]:
        """Each group's sources (``sources``): the readings, spellings or speakers of one finding.
        A group with an outlet that is in another group too is named ``dated``, so that
        '"are" (Xinhua) vs "were" (Xinhua)' reads '"are" (Xinhua 1 Nov) vs "were" (Xinhua 2 Nov)';
        otherwise a group's names are unchanged ("AP ×3")."""
        groups = [list(group) for group in groups]
        groups_of = Counter(name for group in groups for name in {self.outlet(a) for a in group})
        return [self.sources(group, dated=any(groups_of[self.outlet(a)] > 1 for a in group))
                for group in groups]

    def _filed(self) -> Counter:
        if self._filed_by is None:
            self._filed_by = Counter(self.outlet(a) for a in self.articles)
        return self._filed_by

    def when(self, article_id: str) -> str:
        """"30 Jul 11:30" (the time only when the story has other articles that day), or ""."""
        published = self.articles[article_id].published
        if published is None:
            return ""
        day = f"{published.day} {published:%b}"
        if self._days is None:  # articles per publication day, counted once for every label
            self._days = Counter(a.published.date() for a in self.articles.values() if a.published)
        if self._days[published.date()] > 1 and (published.hour, published.minute) != (0, 0):
            day += f" {published:%H:%M}"
        return day

    def _story_order(self, article_id: str) -> int:
        if not self._order:
            self._order.update({a: n for n, a in enumerate(self.articles)})
        return self._order.get(article_id, len(self._order))
