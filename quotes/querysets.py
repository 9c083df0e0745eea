"""Read queries with names a reader understands."""

from __future__ import annotations

from django.db import models


class ArticleQuerySet(models.QuerySet):
    def recent(self) -> ArticleQuerySet:
        return self.select_related("outlet").order_by("-created_at")

    def chronological(self) -> ArticleQuerySet:
        return self.order_by(models.F("published").desc(nulls_last=True), "-created_at")

    def unfinished(self) -> ArticleQuerySet:
        return self.filter(status__in=["queued", "running"])


class SpeakerQuerySet(models.QuerySet):
    def with_counts(self) -> SpeakerQuerySet:
        return self.annotate(
            quote_count=models.Count("quotes", distinct=True),
            occurrence_count=models.Count("occurrences", distinct=True),
        )


class QuoteQuerySet(models.QuerySet):
    def by_speaker(self, speaker) -> QuoteQuerySet:
        return self.filter(speaker=speaker)

    def chronological(self) -> QuoteQuerySet:
        return self.order_by(models.F("first_seen").desc(nulls_last=True), "-id")

    def with_outlet_counts(self) -> QuoteQuerySet:
        return self.annotate(
            outlet_count=models.Count("occurrences__article__outlet", distinct=True),
            occurrence_count=models.Count("occurrences", distinct=True),
        )


class OccurrenceQuerySet(models.QuerySet):
    def for_display(self) -> OccurrenceQuerySet:
        return self.select_related("article__outlet", "speaker", "quote")

    def in_publication_order(self) -> OccurrenceQuerySet:
        return self.order_by(
            models.F("article__published").asc(nulls_last=True), "article__created_at", "start"
        )
