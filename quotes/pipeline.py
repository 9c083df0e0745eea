"""The one place that writes extraction results.

``process_article`` reads an article, runs extraction (outside any
transaction: it is the slow part), then in one transaction resolves speakers
(``quotes.speakers``), places each statement in its family
(``quotes.families``) and replaces the article's occurrences. Running it
twice leaves the same rows.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from . import families
from .extraction import QuoteFinding, extract_many
from .models import Article, Correction, Occurrence, Quote, Speaker
from .speakers import ArticleSpeakers

log = logging.getLogger(__name__)

# An arbitrary constant naming the lock that serialises family placement.
_PLACEMENT_LOCK = 0x51756F7465


@dataclass(frozen=True)
class _Located:
    """A finding with its offsets moved into the article text or title."""

    finding: QuoteFinding
    start: int
    end: int
    in_title: bool


def process_article(article_id: int) -> Article:
    """Extract, attribute and store the quotes of one article."""
    for _, findings, body_offset in extract_batch([article_id]):
        return save_findings(article_id, findings, body_offset)
    raise Article.DoesNotExist(f"article {article_id} does not exist")


def extract_batch(article_ids: Sequence[int]) -> Iterator[tuple[int, list[QuoteFinding], int]]:
    """Extract several articles with one batched parse: (article id, findings, body offset)
    for each article that still exists, in the order given, ready for ``save_findings``."""
    articles = Article.objects.in_bulk(article_ids)
    present = [articles[pk] for pk in article_ids if pk in articles]
    Article.objects.filter(pk__in=[a.pk for a in present]).update(
        status=Article.Status.RUNNING, error="", updated_at=timezone.now()
    )
    documents = [article.analysis_text() for article in present]
    parsed = extract_many(document for document, _ in documents)
    for article, (_, body_offset), findings in zip(present, documents, parsed, strict=True):
        yield article.pk, findings, body_offset


def save_findings(article_id: int, findings: Sequence[QuoteFinding], body_offset: int) -> Article:
    with transaction.atomic():
        article = Article.objects.select_for_update().select_related("outlet").get(pk=article_id)
        _lock_placement()
        located = _locate(article, findings, body_offset)
        _delete_occurrences(article)
        corrections = _corrections_by_span(article)
        when = article.published or timezone.localdate(article.created_at)
        speakers = ArticleSpeakers((item.finding for item in located), when)
        occurrences: list[Occurrence] = []
        placed: set[int] = set()  # families of this article's statements so far
        for statement in _statements(located):
            corrected = [corrections.get((item.in_title, item.start, item.end), {}) for item in statement]
            # An editor's "not a quote" takes a version out of the statement,
            # and a version moved to another family no longer speaks for it.
            kept = [
                (item, c)
                for item, c in zip(statement, corrected, strict=True)
                if Correction.Action.NOT_A_QUOTE not in c
            ]
            versions = [item for item, c in kept if not _moved(c)]
            family: tuple[Quote, str] | None = None
            for item, correction in kept:
                if Correction.Action.SPEAKER in correction:
                    speaker = correction[Correction.Action.SPEAKER].speaker
                else:
                    speaker = speakers.resolve(item.finding)
                if _moved(correction):
                    quote = correction[Correction.Action.FAMILY].quote
                    relation = families.relation_to(quote, item.finding.text)
                else:
                    family = family or _family_of_statement(versions, speaker, when, placed)
                    quote = family[0]
                    placed.add(quote.pk)
                    same_text = quote.text == item.finding.text
                    relation = family[1] if same_text else families.relation_to(quote, item.finding.text)
                occurrences.append(_occurrence(article, item, speaker, quote, relation))
        speakers.save()
        Occurrence.objects.bulk_create(occurrences)
        article.status = Article.Status.DONE
        article.error = ""
        article.extracted_at = timezone.now()
        article.save(update_fields=["status", "error", "extracted_at", "updated_at"])
    return article


def _moved(correction: dict[str, Correction]) -> bool:
    chosen = correction.get(Correction.Action.FAMILY)
    return chosen is not None and chosen.quote_id is not None


def _occurrence(
    article: Article, item: _Located, speaker: Speaker | None, quote: Quote, relation: str
) -> Occurrence:
    finding = item.finding
    return Occurrence(
        article=article,
        quote=quote,
        speaker=speaker,
        text=finding.text,
        start=item.start,
        end=item.end,
        in_title=item.in_title,
        kind=finding.kind,
        cue=(finding.cue or "")[:200],
        speaker_mention=(finding.speaker_mention or "")[:300],
        confidence=finding.confidence,
        relation=relation,
    )


def _statements(located: list[_Located]) -> list[list[_Located]]:
    """The article's findings grouped by the statement they report (see
    ``extraction.statements``), each group with its fullest version first."""
    by_anchor: dict[tuple[int, int], list[_Located]] = {}
    for item in located:
        finding = item.finding
        by_anchor.setdefault(finding.statement or (finding.start, finding.end), []).append(item)
    groups = []
    for anchor, members in by_anchor.items():
        members.sort(
            key=lambda item: ((item.finding.start, item.finding.end) != anchor, item.in_title, item.start)
        )
        groups.append(members)
    return groups


def _family_of_statement(
    versions: list[_Located], speaker: Speaker | None, when: date, placed: set[int]
) -> tuple[Quote, str]:
    """The family of one statement, told in ``versions`` (its best version
    first): the best version, then the others but the headlines (which only
    compress them; wire copy repeats paraphrases too) and those inside a
    version already tried."""
    best, *others = versions
    tried: list[_Located] = [best]
    for item in others:
        if item.finding.kind != "headline" and not any(_inside(item, other) for other in tried):
            tried.append(item)
    statement = families.Statement(
        tuple(item.finding.text for item in tried), speaker, when, frozenset(placed)
    )
    placement = families.place(statement)
    return placement.family, placement.relation


def _inside(item: _Located, other: _Located) -> bool:
    return other.in_title == item.in_title and other.start <= item.start and item.end <= other.end


def record_failure(article_id: int, reason: str) -> None:
    Article.objects.filter(pk=article_id).update(
        status=Article.Status.FAILED, error=reason[:2000], updated_at=timezone.now()
    )


def _lock_placement() -> None:
    # Two workers placing the same new quote at once would each start a
    # family. PostgreSQL: a transaction-scoped advisory lock; SQLite already
    # runs one write transaction at a time.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PLACEMENT_LOCK])


def _locate(article: Article, findings: Iterable[QuoteFinding], body_offset: int) -> list[_Located]:
    located, seen = [], set()
    for finding in findings:
        if finding.end <= body_offset:
            item = _Located(finding, finding.start, finding.end, in_title=True)
        elif finding.start >= body_offset:
            item = _Located(finding, finding.start - body_offset, finding.end - body_offset, False)
        else:
            continue  # straddles the title and the text: not a real span
        key = (item.in_title, item.start, item.end)
        if item.end > item.start and key not in seen:
            seen.add(key)
            located.append(item)

    # Body before headlines: a statement's family is named after the body's version.
    return sorted(
        located, key=lambda item: (item.finding.kind == "headline", item.in_title, item.start, -item.end)
    )


def _delete_occurrences(article: Article) -> None:
    family_ids = set(article.occurrences.values_list("quote_id", flat=True))
    article.occurrences.all().delete()
    # Families that only this article carried go with it and a re-run makes
    # them anew, unless an editor's correction points at them.
    kept = Correction.objects.filter(quote_id__in=family_ids).values("quote_id")
    orphans = Quote.objects.filter(pk__in=family_ids).exclude(pk__in=kept)
    orphans.annotate(n=Count("occurrences")).filter(n=0).delete()


def _corrections_by_span(article: Article) -> dict[tuple[bool, int, int], dict[str, Correction]]:
    by_span: dict[tuple[bool, int, int], dict[str, Correction]] = {}
    for correction in article.corrections.select_related("speaker", "quote"):
        by_span.setdefault((correction.in_title, correction.start, correction.end), {})[correction.action] = (
            correction
        )
    return by_span
