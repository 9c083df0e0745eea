"""Checking a quote: which stored families a pasted wording is, and how close it is.

The families come from the pipeline's own retrieval (``store.retrieve_candidates``:
the fingerprint and the key index) and are judged by the pipeline's own
rules (``placement.relation_to_canonical``), so a pasted quote finds exactly
the families an outlet's version of it would join — shortened, re-translated
or misremembered — with no time window (a check may come years later).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from ..models import Family, PrimarySource, Speaker, Version
from ..words import Kind, Relation
from . import store
from .compared import ComparedVersion
from .meaning import meaning_flags, source_flags
from .passages import prepared
from .placement import relation_to_canonical
from .primary import current_sources

MAX_MATCHES = 10


@dataclass(frozen=True)
class CheckMatch:
    """A family the pasted text matches: how (``version``: the pasted wording
    compared with the family's canonical text, or with its passage of the
    family's primary source: relation, word diff, meaning-changing edits), who
    said it, who carried it first and how many outlets did."""

    family: Family
    version: ComparedVersion
    score: float
    first: Version | None
    outlet_count: int

    def as_dict(self) -> dict:
        family, first, version = self.family, self.first, self.version
        return {
            "id": family.pk,
            "url": family.get_absolute_url(),
            "text": family.text,
            "speaker": {"name": family.speaker.name, "slug": family.speaker.slug} if family.speaker else None,
            "speaker_description": family.speaker_description or None,
            "first_seen": family.first_seen.isoformat() if family.first_seen else None,
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
            "closeness": version.relation,
            "closeness_to_canonical": version.relation_to_canonical,
            "score": self.score,
            "diff": version.diff,
            "flags": [flag.as_dict() for flag in version.flags],
            "primary_source": version.source.as_dict() if version.source else None,
            "compared_with": version.compared_with,
            "in_source": version.in_source,
            "source_passage": version.passage,
        }


@dataclass(frozen=True)
class Check:
    """What a check found: the families the pasted text matches (by the speaker
    named, when one was), and when none is that speaker's, the families that
    say it by someone else: a misattribution, told as "said by X, not Y"."""

    matches: list[CheckMatch]
    said_by_someone_else: list[CheckMatch]

    def misattribution(self, speaker: str) -> str:
        """ "Found — said by Unison, not Helen Okafor.": the best match by someone
        other than ``speaker`` ("" when there is none)."""
        if not self.said_by_someone_else:
            return ""
        said_by = self.said_by_someone_else[0].family.attributed_to or "someone not named"
        return f"Found — said by {said_by}, not {' '.join(speaker.split())}."


def check_quote(text: str, speaker: str = "") -> Check:
    """The families ``text`` matches, best first (verbatim, then the closest
    and fullest); only those of a speaker named like ``speaker`` when given,
    and the others' apart, when none is that speaker's."""
    text = " ".join(text.split())
    if not text:
        return Check([], [])
    rows, _ = store.retrieve_candidates([(text, None)])
    allowed = None
    if speaker.strip():
        allowed = set(Speaker.objects.named_like(speaker.strip()).values_list("pk", flat=True))
    ranked, others = [], []
    for _, family in rows:
        found = relation_to_canonical(text, family.text)
        if found is None:
            continue
        relation, score = found
        # A short fragment fits many statements: the one it covers most of comes first.
        coverage = min(1.0, len(text) / max(1, len(family.text)))
        rank = ((relation == Relation.VERBATIM, score, coverage, -family.pk), family.pk, found)
        (ranked if allowed is None or family.speaker_id in allowed else others).append(rank)
    if ranked:
        return Check(_matches(text, ranked), [])
    return Check([], _matches(text, others))


def _matches(text: str, ranked: list) -> list[CheckMatch]:
    """The best ranked families as matches, each with its first carrier and outlet count."""
    ranked.sort(reverse=True)
    best = ranked[:MAX_MATCHES]
    if not best:
        return []
    stored = Family.objects.select_related("speaker").in_bulk([pk for _, pk, _ in best])
    counts = dict(
        Version.objects.filter(family_id__in=stored)
        .values("family_id")
        .annotate(outlets=Count("article__outlet", distinct=True))
        .values_list("family_id", "outlets")
    )
    sources = current_sources(list(stored.values()))
    matches = []
    for _, pk, (relation, score) in best:
        family = stored.get(pk)
        if family is None:
            continue  # deleted meanwhile
        first = family.versions.for_display().in_publication_order().first()
        matches.append(
            CheckMatch(
                family=family,
                version=_compared(text, family, relation, sources.get(pk)),
                score=score,
                first=first,
                outlet_count=counts.get(pk, 0),
            )
        )
    return matches


def _compared(text: str, family: Family, relation: str, source: PrimarySource | None) -> ComparedVersion:
    """The pasted wording (taken as words in quote marks) as a version of the
    family it matched (by ``relation``), compared with the family's canonical
    text, or with its passage of the family's primary source when it has one."""
    passage = None
    if source is None:
        flags = meaning_flags(family.text, text) if relation != Relation.VERBATIM else []
    else:
        flags, found = source_flags(prepared(source.text), text)
        passage = found.text if found else None
    return ComparedVersion(
        text=text,
        kind=Kind.DIRECT,
        canonical=family.text,
        relation_to_canonical=relation,
        flags=tuple(flags),
        source=source,
        passage=passage,
    )
