"""Checking a quote: which stored families a pasted wording is, and how close it is.

The families come from the pipeline's own retrieval (``families.retrieve_candidates``:
the fingerprint and the key index) and are judged by the pipeline's own
rules (``matching.relation_to_canonical``), so a pasted quote finds exactly
the families an outlet's version of it would join — shortened, re-translated
or misremembered — with no time window (a check may come years later).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from . import families, matching
from .diffs import excerpt_diff, word_diff
from .extraction.types import Relation
from .meaning import Flag, meaning_flags, source_flags, source_relation
from .models import Occurrence, PrimarySource, Quote, Speaker
from .passages import Passage, prepared
from .primary import current_sources

MAX_MATCHES = 10


@dataclass
class CheckMatch:
    """A family the pasted text matches: how (verbatim, fragment or variant,
    with a word diff for a variant and the meaning-changing edits), who said
    it, who carried it first and how many outlets did."""

    quote: Quote
    # Against what the family's versions are compared with: its canonical
    # text, or the pasted wording's passage of its primary source (None: not in it).
    relation: str | None
    score: float
    diff: list[tuple[str, str]] | None
    flags: list[Flag]
    first: Occurrence | None
    outlet_count: int
    # With a primary source attached to the family, the flags are against the
    # passage of it the pasted wording corresponds to (None: not in the source).
    source: PrimarySource | None = None
    passage: Passage | None = None
    # How the pasted wording relates to the canonical text, by which matching found the family.
    relation_to_canonical: str = ""

    @property
    def in_source(self) -> bool | None:
        return None if self.source is None else self.passage is not None

    def as_dict(self) -> dict:
        quote, first = self.quote, self.first
        return {
            "id": quote.pk,
            "url": quote.get_absolute_url(),
            "text": quote.text,
            "speaker": {"name": quote.speaker.name, "slug": quote.speaker.slug} if quote.speaker else None,
            "speaker_description": quote.speaker_description or None,
            "first_seen": quote.first_seen.isoformat() if quote.first_seen else None,
            "first_carried_by": None
            if first is None
            else {
                "outlet": first.article.outlet.name,
                "published": first.article.published.isoformat() if first.article.published else None,
                "article_id": first.article_id,
                "article_title": first.article.title,
                "url": first.article.url or None,
            },
            "outlet_count": self.outlet_count,
            "closeness": self.relation,
            "closeness_to_canonical": self.relation_to_canonical,
            "score": self.score,
            "diff": self.diff,
            "flags": [flag.as_dict() for flag in self.flags],
            "primary_source": self.source.as_dict() if self.source else None,
            "compared_with": "canonical_text" if self.source is None else "primary_source",
            "in_source": self.in_source,
            "source_passage": self.passage.text if self.passage else None,
        }


def check_quote(text: str, speaker: str = "") -> list[CheckMatch]:
    """The families ``text`` matches, best first (verbatim, then the closest
    and fullest); only those of a speaker named like ``speaker`` when given."""
    text = " ".join(text.split())
    if not text:
        return []
    rows, _ = families.retrieve_candidates([(text, None)])
    allowed = None
    if speaker.strip():
        allowed = set(Speaker.objects.named_like(speaker.strip()).values_list("pk", flat=True))
    ranked = []
    for _, family in rows:
        if allowed is not None and family.speaker_id not in allowed:
            continue
        found = matching.relation_to_canonical(text, family.text)
        if found is None:
            continue
        relation, score = found
        # A short fragment fits many statements: the one it covers most of comes first.
        coverage = min(1.0, len(text) / max(1, len(family.text)))
        ranked.append(((relation == Relation.VERBATIM, score, coverage, -family.pk), family.pk, found))
    ranked.sort(reverse=True)
    best = ranked[:MAX_MATCHES]
    stored = Quote.objects.select_related("speaker").in_bulk([pk for _, pk, _ in best])
    counts = dict(
        Occurrence.objects.filter(quote_id__in=stored)
        .values("quote_id")
        .annotate(outlets=Count("article__outlet", distinct=True))
        .values_list("quote_id", "outlets")
    )
    sources = current_sources(list(stored.values()))
    matches = []
    for _, pk, (relation, score) in best:
        quote = stored.get(pk)
        if quote is None:
            continue  # deleted meanwhile
        first = quote.occurrences.for_display().in_publication_order().first()
        variant = relation == Relation.VARIANT
        match = CheckMatch(
            quote=quote,
            relation=relation,
            score=score,
            diff=word_diff(quote.text, text) if variant else None,
            flags=meaning_flags(quote.text, text) if relation != Relation.VERBATIM else [],
            first=first,
            outlet_count=counts.get(pk, 0),
            relation_to_canonical=relation,
        )
        source = sources.get(pk)
        if source is not None:
            _against_source(match, source, text)
        matches.append(match)
    return matches


def _against_source(match: CheckMatch, source: PrimarySource, text: str) -> None:
    """Compare the pasted wording with its passage of the family's primary source instead."""
    match.source = source
    match.flags, match.passage = source_flags(prepared(source.text), text)
    match.diff = excerpt_diff(match.passage.text, text) if match.passage else None
    match.relation = source_relation(match.passage.text, text) if match.passage else None
