"""Direct quotes and who said them.

Works on ``doc.norm`` (curly and LDC quotes are already straight ``"`` and ``'``), one article
paragraph at a time (noise paragraphs are skipped). A claim's ``start``/``end`` are the quote's
content, inside the marks; ``normalized`` is its lowercased words joined by single spaces
(punctuation dropped); ``subject`` and ``extra["speaker"]`` hold the speaker. ``extra`` also has
``quote_text`` (the content in ``doc.norm``), ``norm_start``/``norm_end``, ``paragraph``,
``speaker_source``, ``continued``/``continues`` and ``opening_mark``.

Quote marks
    A mark opens after the paragraph start, a space or an opening bracket/dash and before a
    non-space; it closes after a non-space and before a space, punctuation or the paragraph end.
    Marks nest on a stack, so British quotes with nested quotes (``'He said 'go now,' and
    left,'``) and American ones (``"He said 'go now.'"``) both give one top-level quote; nested
    quotes never become claims of their own. A single mark counts only where it pairs up like a
    quote mark: apostrophes (``didn't``, ``'90s``, ``'cause``, ``rock 'n' roll``) never open,
    and a plural possessive (``the Joneses' house``) closes only when no later mark could end
    the quote. A ``"`` that closes while only single marks are open closes them all (``'...
    crazy."``); an LDC backtick opens a nested quote (```Hi,'``); a lone ``"`` after a digit is
    an inch mark (``5'11"``).

Awkward cases
    * unbalanced closing mark (``," he acknowledged. And this is it."``): the quote starts after
      the attribution sentence that follows the previous quote in the paragraph, or at the
      paragraph start, and takes that quote's speaker (``extra["opening_mark"]`` is false);
    * multi-paragraph quotes: a paragraph that leaves a quote open continues in the next article
      paragraph when that one starts with an opening mark (both conventions). Each paragraph
      becomes its own claim, so every claim's evidence stays inside one paragraph;
      ``extra["continues"]`` / ``extra["continued"]`` link them and they share one speaker.

Speakers (``extra["speaker_source"]``), first match wins:
    after    right after the quote: ``," he said``, ``," the 42-year-old dancer confessed``,
             ``," said Navy Capt. Ada Linde``, ``, said someone on the night shift``,
             ``," officials said``, ``," according to the Navy spokesman``;
    before   right before it: ``X said: "``, ``he told Anderson Cooper: "``, ``a source told ET
             that "`` (the quote must start with a capital), ``In his words, "``, ``As he put
             it, "``, ``Peta captioned a photo of ..., "``;
    colon    the previous paragraph ends with a colon: ``He went on:``, ``The 42-year-old
             recalled:``;
    split    the earlier piece of a quote split by ``," he said. "``, or of a quote whose
             opening mark is missing;
    chain    another paragraph of the same multi-paragraph quote;
    carried  the quote in the previous article paragraph (no attribution of its own);
    context  the nearest person named before the quote, else the story's main person.
Names resolve through ``StoryEntities``. Pronouns and definite descriptions of a person ("the
dancer", "the DWTS alum") resolve to a person named earlier in the sentence (not as an object:
"an interview with Anderson Cooper, he revealed"), else the last named speaker unless someone
was named after them, else the nearest person named before (outside quotes). Roles ("the
source", "an acquaintance", "officials", "his wife", "a spokesman for the police") stay as
written, and "they"/"it" point back to the last such role.

Which quotes are kept: a quote with an attribution (after, before, colon, split) or in a
multi-paragraph quote is always kept; any other quote needs at least ``MIN_UNATTRIBUTED_WORDS``
(4) words and must not be in title case, so titles and scare quotes ('space', 'ready', "World
of Dance", 'Join Efforts On The Ground') are not claims.

Example (tests/fixtures/extractors/quotes.yaml)::

    PASS  “I spent the last couple of days with survivor’s remorse,” the 42-year-old dancer confessed.
          -> "I spent the last couple of days with survivor’s remorse," said by Maksim Chmerkovskiy
    FAIL  he was a judge on Ukraine's "World of Dance" series   (a title: no claim)

Every regex is linear: anchored or bounded repetitions over disjoint token classes, no nested
open-ended quantifiers, and searches run on bounded windows (220 characters before a quote,
160 after it), so untrusted text cannot make them backtrack catastrophically.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from claims.base import STOPWORDS
from claims.context import ExtractContext
from claims.entities import TITLE_WORDS
from claims.events import TIME_WORDS
from claims.model import Claim, Document, Paragraph, Sentence
from claims.lazy_re import lazy_compile

CLAIM_TYPE = "quote"
MIN_UNATTRIBUTED_WORDS = 4  # shorter unattributed quotes are titles or scare quotes
MAX_NESTING = 6

SPEECH_VERBS = """
said says say told tells added adds continued continues began begins explained explains revealed
reveals recalled recalls admitted admits confessed confesses acknowledged acknowledges wrote
writes asked asks noted notes stated states declared declares claimed claims insisted insists
warned warns announced announces replied replies captioned captions pleaded pleads quipped
quips joked jokes remarked remarks responded responds exclaimed exclaims concluded concludes
agreed agrees argued argues conceded concedes cautioned cautions observed observes commented
comments confirmed confirms urged urges shared shares posted posts tweeted tweets gushed gushes
raved raves laughed laughs mused muses teased teases whispered shouted screamed yelled cried
boasted boasts bragged complained complains lamented laments recounted recounts reported
reports testified testifies quoted wondered wonders predicted predicts vowed vows promised
promises replied answered answers assured assures maintained maintains stressed stresses
emphasized emphasizes emphasised reiterated reiterates repeated suggested suggests indicated
indicates disclosed alleged alleges charged countered counters contended contends asserted asserts
affirmed demanded demands appealed recalled predicted explained advised advises
""".split()
_VERB = "(?:went on|goes on|going on|" + "|".join(sorted(set(SPEECH_VERBS), key=len, reverse=True)) + ")"

ROLE_NOUNS = set("""
source sources spokesman spokeswoman spokesperson spokespeople spokesmen official officials
acquaintance acquaintances friend friends insider insiders witness witnesses representative
representatives rep reps police investigator investigators authorities aide aides relative
relatives neighbor neighbour neighbors neighbours resident residents expert experts analyst
analysts lawyer lawyers attorney attorneys prosecutor prosecutors doctor doctors person people
someone somebody observer observers diplomat diplomats statement report survivor survivors
passenger passengers student students agency ministry government company officer officers
soldier soldiers worker workers employee employees member members fan fans critic critics
viewer viewers user users group family families wife husband mother father brother sister son
daughter mom dad parents grandmother grandfather uncle aunt cousin partner girlfriend boyfriend
fiance fiancee colleague colleagues teammate teammates coach manager publicist rescuer rescuers
official's board committee court judge jury panel union council
instructor captain pilot
pilots specialist specialists scientist scientists engineer engineers economist economists
professor researcher researchers activist activists commentator commentators controller
controllers inspector inspectors guard guards driver drivers teacher teachers nurse nurses
farmer farmers owner owners voter voters report document editorial
""".split())
_ROLE_ALT = "|".join(sorted(ROLE_NOUNS, key=len, reverse=True))

_PRON = r"(?:he|she|they|we|i|it)"
_DET = r"(?:the|a|an|one|another|his|her|their|its|our)"
_NAME = r"[A-Z][\w'.\-]*(?:[ \n]+(?:[A-Z][\w'.\-]*|de|van|von|bin|al|da|del|la|le|di|du)){0,5}"
_ADVERB = r"(?:(?i:[a-z]+ly|also|then|later|again|simply|once|had|has|have|would|will|was|were|is|are|been)\s+)"

# after the closing mark: '," he said', '," the 42-year-old dancer confessed', '," Maks continued'
AFTER_SUBJ_VERB = lazy_compile(
    rf"[ ,\u2014\u2013-]{{0,3}}(?P<subj>(?i:{_PRON})\b|(?i:{_DET})\s+(?:[\w'\-]+\s+){{0,6}}?[\w'\-]+|{_NAME}"
    rf"|(?:[a-z][\w'\-]*\s+)?(?i:{_ROLE_ALT})\b(?:\s+{_NAME})?)"
    rf"(?:,[^,\"]{{1,80}},)?\s+{_ADVERB}{{0,2}}(?P<verb>(?i:{_VERB}))\b")
# ('," defense attorney Dion Custis said': a role, then the name)
# '," Interfax quoted Putin as saying', '," the agency quoted him as saying': the object speaks
_QUOTED_AS = rf"(?i:quoted)\s+(?P<subj>(?i:him|her|them)\b|{_NAME}|(?i:{_DET})\s+(?:[\w'\-]+\s+){{0,4}}?[\w'\-]+)\s+(?i:as\s+(?:saying|telling|stating|having\s+said))"
AFTER_QUOTED_AS = lazy_compile(rf"[ ,\u2014\u2013-]{{0,3}}(?:[\w.'\-]+\s+){{0,6}}?{_QUOTED_AS}")
BEFORE_QUOTED_AS = lazy_compile(rf"{_QUOTED_AS}(?:\s+[\w'.\-]+){{0,4}}\s*[,:]?\s*$")
# a speech verb earlier in the quote's own sentence: 'Fox said the bomb could have "devastated ..."'
BEFORE_VERB_INLINE = lazy_compile(rf"\b(?P<verb>{_VERB})\b(?:[^\".!?']|\.(?!\s)){{0,200}}$")
_SCARE_BEFORE = lazy_compile(r"(?i:\b(?:so-called|so called|dubbed|nicknamed|known as|named|titled|entitled|the word|the term))\s*$")
# '," said Navy Capt. Burt March', ', said someone in the control tower'
AFTER_VERB_SUBJ = lazy_compile(
    rf"[ ,\u2014\u2013-]{{0,3}}(?P<verb>(?i:{_VERB}))\s+(?P<subj>(?i:{_PRON})\b|{_NAME}"
    rf"|(?i:{_DET}|someone|somebody|no one|nobody)\b[\w'\- ]{{0,60}}|(?:[a-z][\w'\-]*\s+)?(?i:{_ROLE_ALT})\b)")
AFTER_ACCORDING = lazy_compile(
    rf"[ ,\u2014\u2013-]{{0,3}}(?i:according to)\s+(?P<subj>{_NAME}|[\w'\- ]{{1,60}})")

# before the opening mark
BEFORE_IN_WORDS = lazy_compile(r"(?i:\bin\s+(?P<subj>his|her|their|[\w'.\-]+)\s+(?:own\s+)?words)\s*[,:]?\s*$")
BEFORE_AS = lazy_compile(
    rf"(?i:\bas\s+(?P<subj>he|she|they|we|[\w'.\-]+(?:\s+[\w'.\-]+)?)\s+(?:put it|puts it|{_VERB}))"
    r"(?:\s+[\w'.\-]+){0,5}\s*[,:]\s*$")
BEFORE_ACCORDING = lazy_compile(r"(?i:\baccording\s+to\s+)(?P<subj>[^,\"]{1,60})\s*,\s*$")
BEFORE_VERB_LINK = lazy_compile(
    rf"\b(?P<verb>(?i:{_VERB}))\b(?P<obj>(?:[^\".!?]|\.(?!\s)){{0,90}}?)\s*"
    r"(?P<link>[,:]|(?i:\bthat)|(?i:\bas\s+saying,?))\s*$")
BEFORE_VERB_BARE = lazy_compile(rf"\b(?P<verb>(?i:{_VERB}))\s*$")
_LONGEST_VERB = max(len(v) for v in _VERB[3:-1].split("|"))


# a sentence opening with a subordinate clause: its subject comes after the clause's comma
_FRONTED_CLAUSE = lazy_compile(r"(?:(?:Yet|But|And|So)\s+)?(?:(?:even|just)\s+)?(?:As|as|While|while|Although|although|"
                             r"Though|though|When|when|After|after|Before|before|If|if|Because|because|Since|since)"
                             r"\b[^,.;]{1,150},\s")
# an organisation ending the clause before a speech verb: "While NTSB said", "Interfax reported"
_ORG_END = lazy_compile(r"(?:^|[\s,(])(?P<subj>[A-Z]{2,6}|[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,3})\s+$")


_IN_PLACE = lazy_compile(r"\b(?i:in|at|from|of|for|to|with|by|on|near|across|inside|outside)\s+$")


def _organisation(name: str, before: str) -> bool:
    """Whether a capitalised name that ends the clause before a speech verb is its speaker: not
    a time ("Tuesday"), a title ("President"), a role ("Officials") or a word like "Others", nor
    a place after a preposition ("Officials in Washington said")."""
    low = name.lower()
    return not (low in TIME_WORDS or low in STOPWORDS or low in ROLE_NOUNS or low == "others"
                or name in TITLE_WORDS or _IN_PLACE.search(before))


def _main_clause_start(sent) -> int | None:
    """Where the main clause of ``sent`` starts (norm offset) when the sentence opens with a
    subordinate clause and a name follows its comma; None otherwise."""
    m = _FRONTED_CLAUSE.match(sent.text)
    return sent.start + m.end() if m and sent.text[m.end():m.end() + 1].isupper() else None


def _nearest_verb(pattern: re.Pattern, head: str) -> re.Match | None:
    """The match of ``pattern`` (which ends at the end of ``head``) whose verb comes last."""
    m = pattern.search(head)
    while m and (later := pattern.search(head, m.end("verb"))):
        m = later
    return m


def verb_before(head: str) -> re.Match | None:
    """The last ``BEFORE_VERB_LINK`` match in ``head``, else ``BEFORE_VERB_BARE``, tried only where
    they can match. Both end at the end of ``head`` (bar whitespace), but the engine would try
    them from each of its 220 characters: LINK is skipped unless ``head`` ends with a link
    word, and BARE is searched from just before the longest verb that fits at the end."""
    end = head.rstrip()
    if not end.isascii() or end[-6:].lower().endswith((",", ":", "that", "saying")):
        # the verb nearest the quote speaks it: 'Asked Sunday if they were spies, Foreign
        # Minister Ana Ruiz said, "..."' (not "Asked")
        m = _nearest_verb(BEFORE_VERB_LINK, head)
        if m:
            return m
    return BEFORE_VERB_BARE.search(head, max(0, len(end) - _LONGEST_VERB - 1))

# the subject in the clause before a speech verb
_PRON_END = lazy_compile(rf"(?i:\b(?P<subj>he|she|they|we|i)\s+{_ADVERB}{{0,2}})$")
_DESC_END = lazy_compile(r"\b(?P<subj>(?i:the|a|an|one|another|his|her|their)\s+(?:[\w'\-]+\s+){0,5}?)"
                       r"(?:(?i:[a-z]+ly|also)\s+)?$")
# (the word before the role is a modifier, "defense attorneys", never a speech verb: "She said
# witnesses recalled" is spoken by witnesses, not by "said witnesses")
_ROLE_END = lazy_compile(rf"\b(?P<subj>(?:(?i:the|a|an|one|two|three|several|some|many|other)\s+)?"
                       rf"(?:(?!(?i:{_VERB})\b)[A-Za-z][\w'\-]*\s+)?(?i:{_ROLE_ALT}))\s+(?:(?i:[a-z]+ly|also)\s+)?$")
_DESC_START = lazy_compile(r"^\s*(?P<subj>(?i:the|a|an|one|another|his|her|their)\s+[\w'\-]+(?:\s+[\w'\-]+){0,4}?)\s*,")
_PRON_START = lazy_compile(r"^\s*(?P<subj>(?i:he|she|they|we))\b")
_SPEAKS_AFTER = lazy_compile(rf"(?:'s)?(?:,[^,\"]{{1,80}},)?\s+{_ADVERB}{{0,2}}(?i:{_VERB})\b")
_ROLE_THEN_NAME = lazy_compile(r"^(?i:the|a|an|one|another|his|her|their|its|our)\s+(?P<between>(?:[a-z][\w'\-]*\s+){1,3})"
                             r"(?P<name>[A-Z][\w'.\-]*(?:\s+[A-Z][\w'.\-]*){0,3})$")
_NEW_SENTENCE = lazy_compile(r"\s+(?:The|A|An|In|On|At|But|And|It|This|That|There|They|We)\s")
_PREDICATIVE = lazy_compile(r"(?i:\b(?:as|is|was|were|are|became|become|being|been|remains|remained))\s+$")
# what may stand between a speaker's name and the speech verb: an age, an adverb, ", who"
# ("Dana Holt, who told the badly shaken driver ...")
_MENTION_GAP = lazy_compile(r"^\s*(?:,\s*\d{1,3}\s*,\s*)?(?:,\s*who\s+)?(?:(?i:[a-z]+ly|also|then|later)\s+)?$")
_ROLE_MENTION = lazy_compile(rf"\b(?P<d>(?i:a|an|the|one|another|two|three|several)\s+(?:[\w'\-]+\s+){{0,3}}?(?i:{_ROLE_ALT}))\b")
_OBJECT_BEFORE = lazy_compile(r"\b(?i:with|to|by|from|of|for|at|about|toward|against|told|asked|thanked|met|and|a|an)\s+$")
_CLAUSE_END = lazy_compile(r"[,;:!?\"]|\.(?:\s|$)")
_SENT_END = lazy_compile(r"[.!?][\"')\]]*\s+")

_WORD = lazy_compile(r"[^\W_]+(?:'[^\W_]+)*")
_ELISION_WORD = lazy_compile(r"(?i:cause|cos|coz|em|til|tis|twas|round|bout|nuff|ol|kay|fraid|cept|specially|n)\b")
_MARK = lazy_compile(r"[\"'`]")
_OPEN_BEFORE = set("([{\u2014\u2013-/")
_CLOSE_AFTER = set(".,;:!?)]}\u2014\u2013-/")


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Lowercased words of ``text`` with their offsets; straight and curly apostrophes are one."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text)]


def normalize_quote(text: str) -> str:
    return " ".join(w for w, _, _ in tokenize(text))


@dataclass
class _Mark:
    pos: int
    kind: str  # '"' or "'"
    role: str  # "open", "close", "weak" (a possessive-looking close), "either"


@dataclass
class _Quote:
    start: int  # content offsets in doc.norm
    end: int
    paragraph: int
    open_pos: int | None  # None when the opening mark is missing
    close_pos: int | None  # None when the quote runs to the paragraph end
    continued: bool = False  # continues a quote left open in the previous paragraph
    continues: bool = False
    speaker: str | None = None
    how: str = ""
    attributed: bool = False
    chain: int = -1


def _classify(norm: str, i: int, pstart: int, pend: int) -> str | None:
    c = norm[i]
    prev = norm[i - 1] if i > pstart else None
    nxt = norm[i + 1] if i + 1 < pend else None
    if c == "`":  # LDC wire text opens a nested quote with a backtick
        return "open" if nxt is not None and nxt.isalnum() else None
    other = "'" if c == '"' else '"'
    left_open = prev is None or prev.isspace() or prev in _OPEN_BEFORE or (c == "'" and prev == other)
    right_close = nxt is None or nxt.isspace() or nxt in _CLOSE_AFTER or (c == "'" and nxt == other)
    if c == '"':
        if left_open and not right_close:
            return "open"
        if right_close and not left_open:
            return "close"
        if left_open and right_close:
            return None
        return "either"
    # single mark: a quote mark only where it cannot be an apostrophe
    if left_open and nxt is not None and nxt.isalpha():
        if _ELISION_WORD.match(norm, i + 1, pend):
            return None
        return "open"
    if prev is not None and not prev.isspace() and prev not in _OPEN_BEFORE and right_close:
        if prev in "sS" and nxt is not None and nxt.isspace():
            return "weak"
        return "close"
    return None


def find_marks(norm: str, pstart: int, pend: int) -> list[_Mark]:
    marks: list[_Mark] = []
    i = pstart
    while True:
        m = _MARK.search(norm, i, pend)
        if not m:
            break
        i = m.start()
        if norm.startswith(("'n'", "'N'"), i):  # rock 'n' roll
            i += 3
            continue
        role = _classify(norm, i, pstart, pend)
        if role:
            marks.append(_Mark(i, "'" if norm[i] == "`" else norm[i], role))
        i += 1
    # a possessive-looking mark (Maks' wife) closes a quote only if no later mark could
    next_single: _Mark | None = None
    for mark in reversed(marks):
        if mark.kind != "'":
            continue
        role = mark.role
        if role == "weak":
            closes_later = next_single is not None and next_single.role in ("close", "weak")
            mark.role = "apostrophe" if closes_later else "close"
        next_single = _Mark(mark.pos, mark.kind, role)
    return [m for m in marks if m.role != "apostrophe"]


def _recovery_start(norm: str, pstart: int, prev_close: int | None, close_pos: int) -> int:
    """Where a quote whose opening mark is missing starts: after the attribution sentence that
    follows the previous quote in the paragraph, or at the paragraph start."""
    if prev_close is None:
        start = pstart
    elif norm[prev_close - 1] in ".!?":
        start = prev_close + 1
    else:
        m = _SENT_END.search(norm, prev_close + 1, close_pos)
        start = m.end() if m else prev_close + 1
    while start < close_pos and norm[start].isspace():
        start += 1
    return start


def top_level_quotes(norm: str, para: Paragraph) -> list[_Quote]:
    """The paragraph's top-level quotes (nested quotes belong to the quote around them)."""
    pstart, pend = para.start, para.end
    quotes: list[_Quote] = []
    stack: list[_Mark] = []
    prev_close: int | None = None

    def emit(start: int, end: int, open_pos: int | None, close_pos: int | None) -> None:
        nonlocal prev_close
        while start < end and norm[start].isspace():
            start += 1
        while end > start and norm[end - 1].isspace():
            end -= 1
        if close_pos is None:
            while end > start and norm[end - 1] in "\"' ":
                end -= 1
        if end > start:
            quotes.append(_Quote(start, end, para.index, open_pos, close_pos))
        prev_close = close_pos

    for mark in find_marks(norm, pstart, pend):
        role = mark.role
        if role == "either":
            role = "close" if any(m.kind == '"' for m in stack) else "open"
        if role == "open":
            if len(stack) < MAX_NESTING:  # deeper "nesting" is stray marks, not quotes
                stack.append(mark)
            continue
        same = [k for k, m in enumerate(stack) if m.kind == mark.kind]
        if same:
            if same[-1] == 0:
                emit(stack[0].pos + 1, mark.pos, stack[0].pos, mark.pos)
                stack.clear()
            else:
                del stack[same[-1]:]
        elif mark.kind == '"' and stack:
            # '... crazy."': a double mark closing a single-quoted quote closes everything
            emit(stack[0].pos + 1, mark.pos, stack[0].pos, mark.pos)
            stack.clear()
        elif not stack and not norm[mark.pos - 1].isdigit() and (mark.kind == '"' or norm[mark.pos - 1] in ".,!?"):
            # (a lone mark after a digit is a height or an inch: 5'11")
            emit(_recovery_start(norm, pstart, prev_close, mark.pos), mark.pos, None, mark.pos)
    if stack:
        opener = stack[0]
        emit(opener.pos + 1, pend, opener.pos, None)
    return quotes


class _Extractor:
    def __init__(self, ctx: ExtractContext):
        self.ctx = ctx
        self.doc: Document = ctx.doc
        self.norm = ctx.doc.norm
        self.entities = ctx.entities
        self.sent_starts = [s.start for s in self.doc.sentences]
        self.quoted: list[tuple[int, int]] = []  # every top-level quote span, for mention filtering
        self.quoted_starts: list[int] = []
        self.last_speaker: tuple[str, int] | None = None  # last named person speaker, sentence index

    # ----------------------------------------------------------------------------------
    def sentence_at(self, pos: int) -> Sentence | None:
        i = bisect.bisect_right(self.sent_starts, pos) - 1
        if i < 0:
            return self.doc.sentences[0] if self.doc.sentences else None
        return self.doc.sentences[i]

    def inside_quote(self, pos: int) -> bool:
        i = bisect.bisect_right(self.quoted_starts, pos + 1) - 1
        return i >= 0 and pos < self.quoted[i][1] + 1

    def people_before(self, pos: int, sentences: int = 6):
        """Person mentions outside quotes and not in object position ("an interview with
        Anderson Cooper"), nearest sentence first, each as (sentence, mentions)."""
        sent = self.sentence_at(pos)
        if sent is None:
            return
        for index in range(sent.index, max(-1, sent.index - 1 - sentences), -1):
            s = self.doc.sentences[index]
            people = [m for m in self.entities.people(self.doc, s)
                      if m.end <= pos and not self.inside_quote(m.start)
                      and not _OBJECT_BEFORE.search(self.norm, max(s.start, m.start - 12), m.start)]
            if people:
                yield s, people

    def nearest_person(self, pos: int) -> str | None:
        current = self.sentence_at(pos)
        for s, people in self.people_before(pos):
            if current is not None and s.index == current.index:
                return people[-1].canonical
            return people[0].canonical  # an earlier sentence: its first person is its subject
        return self.entities.main_person

    def pronoun_person(self, pos: int) -> str | None:
        """Who "he"/"she"/"the dancer" at ``pos`` is: a person named earlier in the sentence, else
        the last named speaker unless someone was named after their quote, else the nearest
        person named before."""
        current = self.sentence_at(pos)
        nearest, nearest_sent = None, -1
        for s, people in self.people_before(pos):
            if current is not None and s.index == current.index:
                return people[-1].canonical
            speaking = [m for m in people if _SPEAKS_AFTER.match(self.norm, m.end, min(s.end, m.end + 90))]
            # subjects come first, but a person with a speech verb ('..., Freeh told lawmakers.')
            # speaks, and a fronted clause is no subject ('Yet even as the mayor offered a truce,
            # Ortiz spent the day attacking the budget.')
            main_start = _main_clause_start(s)
            main = [m for m in people if m.start == main_start]
            nearest, nearest_sent = (speaking or main or people)[0].canonical, s.index
            break
        if self.last_speaker is not None and self.last_speaker[1] >= nearest_sent:
            return self.last_speaker[0]
        return nearest or self.entities.main_person

    def last_role(self, pos: int, para_index: int) -> str | None:
        lo = max(self.doc.paragraphs[max(0, para_index - 2)].start, pos - 2000)
        found = None
        for m in _ROLE_MENTION.finditer(self.norm, lo, pos):
            if not self.inside_quote(m.start()):
                found = m.group("d")
        return found

    def earlier_role(self, head: str, pos: int, para_index: int) -> str | None:
        """'the specialist' after 'One rail specialist, who asked not to be
        named, said ...': the earlier indefinite mention with the same head noun."""
        if not head.isalpha() or len(head) < 4:
            return None
        lo = max(self.doc.paragraphs[max(0, para_index - 3)].start, pos - 3000)
        pattern = re.compile(rf"\b(?i:a|an|one|another|his|her|their)\s+(?:[\w'\-]+\s+){{0,3}}?{re.escape(head)}\b")
        found = None
        for m in pattern.finditer(self.norm, lo, pos):
            # 'his work as a dancer' describes a named person; 'Kennedy and his instructor' is someone else
            if not self.inside_quote(m.start()) and not _PREDICATIVE.search(self.norm, max(0, m.start() - 12), m.start()):
                found = m.group()
        return _trim_descriptor(found) if found else None

    # ----------------------------------------------------------------------------------
    def resolve(self, text: str, start: int, end: int, pos: int, para_index: int) -> str:
        """A speaker phrase (pronoun, name or descriptor at norm start..end) as a speaker;
        "" when it cannot be resolved (the quote is still attributed)."""
        return self._resolve(text, start, end, pos, para_index) or ""

    def _resolve(self, text: str, start: int, end: int, pos: int, para_index: int) -> str | None:
        text = text.strip(" ,.;:'\"")
        if not text:
            return None
        low = text.lower()
        words = low.split()
        if low in ("he", "she", "i", "we"):
            return self.pronoun_person(pos)
        if low in ("they", "it"):
            return self.last_role(pos, para_index) or self.pronoun_person(pos)
        if words[-1].strip("'") in ROLE_NOUNS and not text[:1].isupper() or (
                len(words) <= 3 and words[-1] in ROLE_NOUNS and words[0] not in ("the", "his", "her", "their")):
            return _trim_descriptor(text)  # "officials", "police", "two witnesses"
        if words[0] in ("the", "a", "an", "one", "another", "his", "her", "their", "its", "our") and len(words) > 1:
            named = _ROLE_THEN_NAME.match(text)
            if named and named.group("name").rstrip(".") not in TITLE_WORDS \
                    and not set(named.group("between").lower().split()) & _DESCRIPTOR_PREP:
                return self.entities.resolve(named.group("name").removesuffix("'s"))  # 'the newspaper Segodnya'
        if words[0] in ("the", "a", "an", "one", "another", "his", "her", "their", "its", "our",
                        "someone", "somebody", "no", "nobody"):
            # role descriptors stay as written; a definite description of a person points back
            if words[0] in ("a", "an", "one", "another", "someone", "somebody", "no", "nobody") \
                    or any(w.strip("'") in ROLE_NOUNS or w.removesuffix("'s") in ROLE_NOUNS for w in words):
                return _trim_descriptor(text)
            earlier = self.earlier_role(words[-1], pos, para_index) if words[0] == "the" else None
            return earlier or self.pronoun_person(pos)
        sent = self.sentence_at(start)
        if sent is not None:
            people = [m for m in self.entities.people(self.doc, sent) if start <= m.start < end]
            if people:
                return people[-1].canonical
        tokens = [t for t in text.split() if t.rstrip(".") not in TITLE_WORDS]
        name = " ".join(tokens).removesuffix("'s").strip(" ,.'")
        return self.entities.resolve(name) if name else None

    def attribution_after(self, q: _Quote, next_open: int, pend: int):
        if q.close_pos is None:
            return None
        lo = q.close_pos + 1
        tail_end = min(pend, next_open, lo + 160)
        ends_sentence = self.norm[q.start:q.end].rstrip(" '\"")[-1:] in (".", "!", "?")
        for pattern in (AFTER_QUOTED_AS, AFTER_SUBJ_VERB, AFTER_VERB_SUBJ, AFTER_ACCORDING):
            m = pattern.match(self.norm, lo, tail_end)
            if m and ends_sentence and _NEW_SENTENCE.match(self.norm, lo, tail_end):
                return None  # '... Tel Aviv." The Israeli daily Haaretz reported ...': a new sentence
            if m:
                s, e = m.span("subj")
                if pattern in (AFTER_VERB_SUBJ, AFTER_ACCORDING):
                    # 'said Turkish-born MIT geologist Nafi Toksoz, ...': a name anywhere in the clause
                    stop = _CLAUSE_END.search(self.norm, s, tail_end)
                    e = max(e, stop.start() if stop else tail_end)
                return self.resolve(self.norm[s:m.end("subj")], s, e, q.start, q.paragraph)
        return None

    def attribution_before(self, q: _Quote, seg_start: int):
        if q.open_pos is None:
            return None
        lo = max(seg_start, q.open_pos - 220)
        head = self.norm[lo:q.open_pos]
        for pattern in (BEFORE_QUOTED_AS, BEFORE_IN_WORDS, BEFORE_AS, BEFORE_ACCORDING):
            m = pattern.search(head)
            if m:
                s, e = m.span("subj")
                return self.resolve(head[s:e], lo + s, lo + e, q.start, q.paragraph)
        m = verb_before(head)
        if not m:
            return None
        link = m.groupdict().get("link") or ""
        if link.lower() == "that" and not self.norm[q.start:q.start + 1].isupper() \
                and len(tokenize(self.norm[q.start:q.end])) < MIN_UNATTRIBUTED_WORDS:
            return None  # 'admitted that "survivor's remorse"' is a phrase, found by the inline rule
        inverted = self.subject_after_verb(lo + m.start("verb"), q)
        if inverted is not None:
            return inverted
        return self.subject_before_verb(lo, lo + m.start("verb"), q)

    def subject_after_verb(self, verb_start: int, q: _Quote) -> str | None:
        """The second piece of '"A," said Bruce Tobin, a spokesman, "B."': the verb follows a
        closing mark, so its subject comes after it."""
        if not self.norm[max(0, verb_start - 6):verb_start].rstrip().endswith(('"', "'", ",\"", ",'")):
            return None
        m = AFTER_VERB_SUBJ.match(self.norm, verb_start, q.open_pos)
        if not m:
            return None
        s = m.start("subj")
        stop = _CLAUSE_END.search(self.norm, s, q.open_pos)
        e = stop.start() if stop else q.open_pos
        return self.resolve(self.norm[s:m.end("subj")], s, e, q.start, q.paragraph)

    def attribution_inline(self, q: _Quote) -> str | None:
        """A quote inside a sentence whose speech verb comes earlier: 'Fox said the bomb could
        have "devastated the building"', 'he told Anderson Cooper that he had been "bombarded by
        sources"'. Not after 'so-called', 'dubbed', 'known as' (a name or a term)."""
        if q.open_pos is None:
            return None
        sent = self.sentence_at(q.open_pos)
        if sent is None or sent.start >= q.open_pos:
            return None
        lo = max(sent.start, q.open_pos - 220)
        head = self.norm[lo:q.open_pos]
        if _SCARE_BEFORE.search(head):
            return None
        # the speech verb nearest the quote: 'The report, whose conclusions were revealed last
        # month, states the crash was caused by "..."' is the report's, not what "revealed" says
        m = _nearest_verb(BEFORE_VERB_INLINE, head)
        if not m or self.inside_quote(lo + m.start("verb")):
            return None
        return self.subject_before_verb(lo, lo + m.start("verb"), q)

    def subject_before_verb(self, lo: int, verb_start: int, q: _Quote) -> str:
        clause_start = lo
        for m in _SENT_END.finditer(self.norm, lo, verb_start):
            clause_start = m.end()
        qm = max(self.norm.rfind('"', clause_start, verb_start), self.norm.rfind("'", clause_start, verb_start))
        clause = self.norm[clause_start:verb_start]
        m = _PRON_END.search(clause)
        if m:
            return self.resolve(m.group("subj"), 0, 0, verb_start, q.paragraph)
        sent = self.sentence_at(verb_start)
        people = [p for p in (self.entities.people(self.doc, sent) if sent else [])
                  if clause_start <= p.start and p.end <= verb_start and not self.inside_quote(p.start)
                  and p.start > qm]
        if people and _MENTION_GAP.match(self.norm[people[-1].end:verb_start]):
            return people[-1].canonical
        m = _ROLE_END.search(clause) or _DESC_END.search(clause)
        if m and not clause.rstrip().endswith(","):
            s = clause_start + m.start("subj")
            return self.resolve(m.group("subj"), s, s + len(m.group("subj")), verb_start, q.paragraph)
        if clause.rstrip().endswith(","):  # "The dancer, who has spoken ..., admitted:"
            m = _PRON_START.match(clause) or _DESC_START.match(clause)
            if m:
                s = clause_start + m.start("subj")
                return self.resolve(m.group("subj"), s, s + len(m.group("subj")), verb_start, q.paragraph)
        if people:
            return people[0].canonical
        org = _ORG_END.search(clause)
        if org and _organisation(org.group("subj"), clause[:org.start("subj")]):
            return org.group("subj")  # "While NTSB said", "Interfax reported": an organisation speaks
        return self.nearest_person(verb_start) or ""

    def colon_intro(self, para: Paragraph, prev_para: Paragraph | None, q: _Quote):
        """'He went on:' as the previous paragraph introduces a quote paragraph."""
        if prev_para is None or q.open_pos is None:
            return None
        if self.norm[para.start:q.open_pos].strip():
            return None
        text = self.norm[prev_para.start:prev_para.end].rstrip()
        if not text.endswith(":"):
            return None
        lo = max(prev_para.start, prev_para.end - 220)
        head = self.norm[lo:prev_para.end]
        m = BEFORE_VERB_LINK.search(head)
        if m:
            return self.subject_before_verb(lo, lo + m.start("verb"), q)
        return self.nearest_person(q.start) or ""

    # ----------------------------------------------------------------------------------
    def run(self) -> list[Claim]:
        paragraphs = [p for p in self.doc.paragraphs if not p.noise]
        per_para: list[list[_Quote]] = []
        for para in paragraphs:
            self.ctx.check_budget()
            per_para.append(top_level_quotes(self.norm, para))
        self.quoted = sorted((q.start, q.end) for qs in per_para for q in qs)
        self.quoted_starts = [s for s, _ in self.quoted]

        # pass 1: the quote's own attribution, and multi-paragraph chains
        chains: list[list[_Quote]] = []
        prev_para: Paragraph | None = None
        prev_open: _Quote | None = None
        for para, quotes in zip(paragraphs, per_para):
            seg_start = para.start
            for k, q in enumerate(quotes):
                self.ctx.check_budget()
                next_open = quotes[k + 1].open_pos if k + 1 < len(quotes) and quotes[k + 1].open_pos else para.end
                speaker = self.attribution_after(q, next_open, para.end)
                how = "after"
                if speaker is None:
                    speaker, how = self.attribution_before(q, seg_start), "before"
                if speaker is None and k == 0:
                    speaker, how = self.colon_intro(para, prev_para, q), "colon"
                if speaker is None and k > 0 and (q.open_pos is None or quotes[k - 1].how == "after"):
                    # the second piece of '"A," he said. "B."', or a quote missing its opening mark
                    speaker, how = quotes[k - 1].speaker, "split"
                if speaker is None:
                    speaker, how = self.attribution_inline(q), "inline"
                if speaker is not None:
                    q.speaker, q.how, q.attributed = speaker, how, True
                    if speaker[:1].isupper():  # a name, not a role descriptor
                        sent = self.sentence_at(q.start)
                        self.last_speaker = (speaker, sent.index if sent else -1)
                seg_start = (q.close_pos + 1) if q.close_pos is not None else q.end
            if quotes and prev_open is not None:
                first = quotes[0]
                starts_para = not self.norm[para.start:first.start].strip(" \"'")
                if starts_para and (first.open_pos is not None or first.start == para.start):
                    first.continued = True
                    prev_open.continues = True
                    if prev_open.chain < 0:
                        prev_open.chain = len(chains)
                        chains.append([prev_open])
                    first.chain = prev_open.chain
                    chains[first.chain].append(first)
            prev_open = quotes[-1] if quotes and quotes[-1].close_pos is None else None
            prev_para = para

        # pass 2: a chain shares the speaker of its nearest attributed member
        for chain in chains:
            for i, q in enumerate(chain):
                if q.attributed:
                    continue
                donors = [c for c in chain[i - 1::-1] if c.attributed] if i else []
                donors += [c for c in chain[i + 1:] if c.attributed]
                if donors:
                    q.speaker, q.how, q.attributed = donors[0].speaker, "chain", True
                else:
                    q.attributed = True  # part of a multi-paragraph quote: a quote, however short

        # pass 3: carry the previous quote's speaker over, else the nearest person
        claims: list[Claim] = []
        last: _Quote | None = None
        last_para_pos = -10
        for pos, (para, quotes) in enumerate(zip(paragraphs, per_para)):
            for q in quotes:
                n_words = len(tokenize(self.norm[q.start:q.end]))
                if not n_words:
                    continue
                text = self.norm[q.start:q.end]
                if not q.attributed and (n_words < MIN_UNATTRIBUTED_WORDS or _title_case(text)):
                    continue
                if q.how in ("inline", "split") and n_words < MIN_UNATTRIBUTED_WORDS and _title_case(text) \
                        or q.how == "inline" and not any(c.islower() for c in text):
                    continue  # a name or a code name in a reported sentence, not someone's words
                if not q.speaker:
                    if last is not None and last.speaker and pos - last_para_pos <= 1:
                        q.speaker, q.how = last.speaker, "carried"
                    else:
                        q.speaker, q.how = self.nearest_person(q.start), "context"
                claims.append(self.claim(q))
                last, last_para_pos = q, pos
        return claims

    def claim(self, q: _Quote) -> Claim:
        sent = self.sentence_at(q.start)
        text = self.norm[q.start:q.end]
        speaker = q.speaker or ""
        return self.ctx.claim(
            sent, q.start, q.end, claim_type=CLAIM_TYPE, attribute="quote",
            normalized=normalize_quote(text), subject=speaker, context="", speaker=speaker,
            quote_text=text, paragraph=q.paragraph, speaker_source=q.how,
            continued=q.continued, continues=q.continues, opening_mark=q.open_pos is not None,
            norm_start=q.start, norm_end=q.end,
        )


_DESCRIPTOR_STOP = set("""
who whom whose which that was is were are has had have said says told adding noting when while
after before during on at because as but and
""".split())


_DESCRIPTOR_PREP = {"for", "of", "at", "from", "in", "with", "close"}


def _trim_descriptor(text: str) -> str:
    """'a spokesman for the police, who ...' -> 'a spokesman for the police'; first word lowercased."""
    words: list[str] = []
    after_role = False
    for word in text.split()[:10]:
        low = word.lower().rstrip(",;.")
        if words and (low in _DESCRIPTOR_STOP or (after_role and low not in _DESCRIPTOR_PREP
                                                           and low.removesuffix("'s") not in ROLE_NOUNS)):
            break
        after_role = False
        words.append(word)
        if low.removesuffix("'s") in ROLE_NOUNS and len(words) > 1:
            after_role = True  # "the judge" ends here unless "for/of/at ..." follows
        if word.endswith((",", ";", ".")) and not word.rstrip(",;.") in TITLE_WORDS:
            break
    words[-1:] = [w.rstrip(",;") for w in words[-1:]]
    if words and words[0][:1].isupper() and words[0].lower() in ("the", "a", "an", "one", "another", "his", "her", "their"):
        words[0] = words[0].lower()
    return " ".join(words)


def _title_case(text: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][\w'\-]*", text) if len(w) > 3]
    return bool(words) and all(w[0].isupper() for w in words)


def extract(ctx: ExtractContext) -> list[Claim]:
    if not ctx.doc.sentences:
        return []
    return _Extractor(ctx).run()
