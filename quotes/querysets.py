"""Read queries with names a reader understands.

models.py imports this module, so methods import the model classes they need.
"""

from __future__ import annotations

from datetime import date

from django.db import connection, models


def _on_postgres() -> bool:
    return connection.vendor == "postgresql"


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

    def named_like(self, name: str) -> SpeakerQuerySet:
        """Speakers one of whose names contains ``name``; on PostgreSQL also
        names that are spelled nearly alike ("Stoltenburg")."""
        from .models import SpeakerAlias, normalize_name

        wanted = normalize_name(name)
        if not wanted:
            return self.none()
        aliases = SpeakerAlias.objects.filter(normalized__contains=wanted)
        if _on_postgres():
            aliases = aliases | SpeakerAlias.objects.filter(name__trigram_similar=name)
        return self.filter(models.Q(slug=name) | models.Q(pk__in=aliases.values("speaker_id")))


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

    def said_by(self, name: str) -> QuoteQuerySet:
        from .models import Speaker

        return self.filter(speaker__in=Speaker.objects.named_like(name))

    def carried_by(self, outlet_slug: str) -> QuoteQuerySet:
        from .models import Occurrence

        carried = Occurrence.objects.filter(quote=models.OuterRef("pk"), article__outlet__slug=outlet_slug)
        return self.filter(models.Exists(carried))

    def of_kind(self, kind: str) -> QuoteQuerySet:
        from .models import Occurrence

        return self.filter(models.Exists(Occurrence.objects.filter(quote=models.OuterRef("pk"), kind=kind)))

    def first_seen_between(self, start: date | None, end: date | None) -> QuoteQuerySet:
        queryset = self
        if start:
            queryset = queryset.filter(first_seen__gte=start)
        if end:
            queryset = queryset.filter(first_seen__lte=end)
        return queryset

    def matching_text(self, words: str) -> QuoteQuerySet:
        """Families whose text matches ``words``, annotated with a ``rank``.

        PostgreSQL: full-text search (stemmed, web-search syntax) on the
        stored ``search_vector`` column and its GIN index (migration 0006; the
        column is not a model field so SQLite needs none). Elsewhere every
        word must appear in the text.
        """
        if _on_postgres():
            from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField

            vector = models.expressions.RawSQL(
                f'"{self.model._meta.db_table}"."search_vector"', [], output_field=SearchVectorField()
            )
            query = SearchQuery(words, config="english", search_type="websearch")
            return self.annotate(search=vector, rank=SearchRank(vector, query)).filter(search=query)
        queryset = self.annotate(rank=models.Value(1.0, output_field=models.FloatField()))
        for word in words.split():
            queryset = queryset.filter(text__icontains=word)
        return queryset


class OccurrenceQuerySet(models.QuerySet):
    def for_display(self) -> OccurrenceQuerySet:
        return self.select_related("article__outlet", "speaker", "quote")

    def in_publication_order(self) -> OccurrenceQuerySet:
        return self.order_by(
            models.F("article__published").asc(nulls_last=True), "article__created_at", "start"
        )
