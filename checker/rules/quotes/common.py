"""What the quote rule kinds share: their findings built from a quote family's sites (wording
changes and unmarked cuts), the evidence of a family's pieces, and message filling."""
from __future__ import annotations

from collections import defaultdict

from checker.engine.context import StoryContext
from checker.engine.deadline import within_time
from checker.engine.findings import Finding, format_message
from checker.engine.quote_families import QuoteFamily, Site
from checker.engine.rule import Rule

DIFF_CONTEXT = 5  # words of context either side of a change in a finding's diff
# the message fields of a finding about one kind of site (quote_wording, quote_elision)
QUOTE_SITE_FIELDS = ("subject", "sources", "change", "diff", "type", "readings", "values", "reference", "count")


def change_findings(rule: Rule, ctx: StoryContext, change: str, kind: str) -> list[Finding]:
    """Findings of one change type ("wording" or "elision") over every family."""
    findings: list[Finding] = []
    for family in within_time(ctx.quote_families(), "quote families", every=1):
        findings.extend(site_findings(rule, family, ctx, change, kind))
    return findings


def _fmt_words(words) -> str:
    return " ".join(words) if words else "(nothing)"


def short(text: str, words: int = 12) -> str:
    parts = text.split()
    return text if len(parts) <= words else " ".join(parts[:words]) + " \u2026"


def _shown(family: QuoteFamily, site: Site, words: tuple[str, ...]) -> str:
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


def message(rule: Rule, values: dict, fallback: str) -> str:
    try:
        return format_message(rule.message, **values)
    except (ValueError, IndexError, AttributeError, TypeError):
        return fallback


def piece_evidence(ctx: StoryContext, pieces) -> list:
    return [ctx.evidence(p.row) for p in sorted(pieces, key=lambda p: (p.article, p.order))]


def site_findings(rule: Rule, family: QuoteFamily, ctx: StoryContext, change: str, kind: str) -> list[Finding]:
    """Findings for the family's sites of one change type ("wording" or "elision"). Articles
    sharing a reading share a finding; sites of one family that split the articles the same
    way are one finding."""
    grouped: dict[frozenset, list[tuple[Site, dict]]] = defaultdict(list)
    for key in sorted(family.sites):
        site = family.sites[key]
        if site.change != change:
            continue
        variant_articles = set().union(*site.readings.values())
        support = family.supporters(site) - variant_articles
        if not support:
            continue
        readings = {tuple(family.ref[site.i1:site.i2]): support, **site.readings}
        partition = frozenset(frozenset(a) for a in readings.values())
        grouped[partition].append((site, readings))
    return [_site_finding(rule, family, ctx, change, kind, sites) for sites in grouped.values()]


def _site_pieces(family: QuoteFamily, site: Site, readings) -> dict[str, int]:
    """The piece of each involved article that covers the site."""
    out = dict(site.pieces)
    anchor = site.i1 if site.i1 < site.i2 else max(0, site.i1 - 1)
    for article in set().union(*readings.values()):
        if article in out:
            continue
        hit = family.coverage[article].eq.get(anchor)
        if hit:
            out[article] = hit[0]
    return out


def _diff(family: QuoteFamily, site: Site, readings) -> str:
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


def _site_finding(rule: Rule, family: QuoteFamily, ctx: StoryContext, change: str, kind: str, sites) -> Finding:
    descriptions, diffs, reading_texts, changes, involved = [], [], [], [], {}
    for site, readings in sites:
        ordered = sorted(readings.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        # the change with the two words either side: two sites of one quote never share a key
        left = " ".join(family.ref[max(0, site.i1 - 2):site.i1])
        right = " ".join(family.ref[site.i2:site.i2 + 2])
        descriptions.append(f"{left} [{' | '.join(sorted(_fmt_words(w) for w in readings))}] {right}".strip())
        diffs.append(_diff(family, site, readings))
        named = dict(zip(readings, ctx.sources_apart(readings.values())))
        reading_texts.append(" vs ".join(f'"{short(_shown(family, site, w))}" ({named[w]})' for w, _ in ordered))
        if change == "elision":
            (full, _), (cut, cut_arts) = sorted(readings.items(), key=lambda kv: -len(kv[0]))[:2]
            verb = "leaves" if len(cut_arts) == 1 else "leave"
            changes.append(f'{named[cut]} {verb} out "{short(_shown(family, site, full))}" '
                           f"without an ellipsis (kept by {named[full]})")
        else:
            changes.append(reading_texts[-1])
        involved.update({a: p for a, p in _site_pieces(family, site, readings).items() if a not in involved})
    pieces = [family.piece_by_pos[pos] for _, pos in sorted(involved.items())]
    subject = family.speaker(set(involved))
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
        rule=rule.id, kind=kind, severity=rule.severity, claim_type="quote", subject=subject,
        message=message(rule, values, fallback), evidence=piece_evidence(ctx, pieces),
        key=(change, *sorted(descriptions)), confidence=round(confidence, 2),
        details={"change": change, "diff": values["diff"], "reference_article": family.ref_article,
                 "family": family.id,
                 "readings": [{"text": _shown(family, site, w), "articles": sorted(a)}
                              for site, readings in sites for w, a in readings.items()]},
    )
