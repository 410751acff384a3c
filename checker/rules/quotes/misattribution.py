"""Rule kind ``quote_misattribution``: the same words attributed to different speakers.

In each quote family (``checker/engine/quote_families.py``) the speaker of every piece is
compared. Two speakers are the same when the names match after dropping titles and case, when the surnames
match ("Maks Chmerkovskiy" / "Maksim Chmerkovskiy"), or when two descriptors share their head
noun ("a source" / "the source"). With ``strong_only`` only attributions made right at the quote
are compared (``," he said``, ``X said: "``); a speaker carried over from an earlier piece or
guessed from context is not, and a name must be a full name (two words of three letters or
more). A name on one side and a descriptor on the other ("a spokesman" / "Col. Smith") is
reported only with ``flag_role_vs_name``, since the text usually means the same person.

Guidance: the speaker is part of the quote; AP Stylebook ("quotations in the news") asks that
a quote be attributed to whoever said it, and a quote moved to another mouth is a factual error.

In a message ``{subject}`` is the speakers joined by "/", ``{values}`` each speaker with the
sources naming them and ``{quote}`` the start of the quote.

Example (rules.yaml; cases in tests/fixtures/rules/quote_misattribution.yaml)::

    - id: quote-misattribution
      kind: quote_misattribution
      severity: warning
      message: "Sources attribute the same quote to different speakers: {values}"
      claim_types: [quote]

    PASS  a: "The camps cannot take one more family," said Ilona Varga.
          b: "The camps cannot take one more family," Varga told reporters.
    FAIL  b: "The camps cannot take one more family," said Tomas Berki.
"""
from __future__ import annotations

from checker.engine.context import StoryContext
from checker.engine.findings import Finding
from checker.engine.options import FLAG, Option, Options, with_options
from checker.engine.quote_families import is_role, same_speaker
from checker.engine.rule import Rule
from checker.rules.quotes.common import message, piece_evidence, short

KIND = "quote_misattribution"
READS = ("quote_families",)
DIRECT_ATTRIBUTION = {"after", "before"}  # '," he said' and 'X said: "' name the speaker of this very quote
MESSAGE_FIELDS = ("subject", "values", "sources", "quote", "change", "count")
OPTIONS = Options(
    Option("flag_role_vs_name", False, FLAG,
           "also compare a name with a descriptor (\"a spokesman\" / \"Col. Smith\"), usually the same person"),
    Option("strong_only", True, FLAG,
           "compare only attributions made right at the quote (\", he said\"), and only full names"),
)
__doc__ = with_options(__doc__, OPTIONS)
def _full_name(speaker: str) -> bool:
    """A name the story spells out ("Beverly Harvard"), not a fragment the extractor took for
    one ("G. Mc", "Air Flight" from "EgyptAir Flight 990")."""
    tokens = [t for t in speaker.split() if t[:1].isupper()]
    return len(tokens) >= 2 and all(len(t.rstrip(".")) >= 3 for t in tokens)


def check(rule: Rule, ctx: StoryContext) -> list[Finding]:
    params = rule.params
    findings = []
    for family in ctx.quote_families():
        pieces = [p for p in family.pieces if p.speaker
                  and (not params["strong_only"] or p.speaker_source in DIRECT_ATTRIBUTION)
                  and (is_role(p.speaker) or _full_name(p.speaker))]
        groups: list[tuple[str, list]] = []  # (speaker, pieces), one per distinct speaker
        for piece in pieces:
            for speaker, members in groups:
                if same_speaker(speaker, piece.speaker):
                    members.append(piece)
                    break
            else:
                groups.append((piece.speaker, [piece]))
        if not params["flag_role_vs_name"]:
            # names are compared with names and descriptors with descriptors; a name next to a
            # descriptor is most likely the same person
            named = [g for g in groups if not is_role(g[0])]
            roles = [g for g in groups if is_role(g[0])]
            groups = named if len(named) >= 2 else roles if not named else []
        if len(groups) < 2:
            continue
        articles_by_speaker = {s: sorted({p.article for p in m}) for s, m in groups}
        if len({tuple(a) for a in articles_by_speaker.values()}) < 2:
            continue  # the same articles name both: not a conflict between sources
        speakers = sorted(articles_by_speaker.items())
        shown = "; ".join(f"{s} ({named})" for (s, _), named
                          in zip(speakers, ctx.sources_apart(a for _, a in speakers)))
        subject = " / ".join(sorted(articles_by_speaker))
        quote = short(family.ref_text(), 12)
        values = {"subject": subject, "values": shown, "sources": ctx.sources(family.articles),
                  "quote": quote, "change": f'"{quote}" attributed to {shown}', "count": len(groups)}
        involved = [p for _, m in groups for p in m]
        findings.append(Finding(
            rule=rule.id, kind=KIND, severity=rule.severity, claim_type="quote", subject=subject,
            message=message(rule, values, f"Sources attribute the same quote to different speakers: {shown}"),
            evidence=piece_evidence(ctx, involved), key=("misattribution", " ".join(family.ref[:8])),
            confidence=0.7,
            details={"change": "misattribution", "family": family.id, "speakers": articles_by_speaker},
        ))
    return findings
