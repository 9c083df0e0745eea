"""Read queries with names a reader understands.

models.py imports this module, so methods import the model classes they need.
"""

from __future__ import annotations

import difflib
import re
from datetime import date

from django.db import connection, models
from django.db.models.functions import TruncMonth


def _on_postgres() -> bool:
    return connection.vendor == "postgresql"


class _SearchVector(models.Expression):
    """The stored ``search_vector`` column of quote families (migration 0006).

    It is no model field (SQLite has no such column), so it is named here,
    through the query's own alias for the table: inside a subquery that is
    ``U0``, not the table's name.
    """

    def resolve_expression(self, query=None, *args, **kwargs):
        from django.contrib.postgres.search import SearchVectorField

        column = SearchVectorField()
        column.set_attributes_from_name("search_vector")
        return models.expressions.Col(query.get_initial_alias(), column)


class _CountsByMonth:
    def count_by_month(self, field: str) -> models.QuerySet:
        """``(first day of the month, rows)`` for each month that the date
        ``field`` falls in, counted by the database rather than in Python."""
        return (
            self.order_by()
            .filter(**{f"{field}__isnull": False})
            .annotate(month=TruncMonth(field))
            .values_list("month")
            .annotate(n=models.Count("*"))
        )


class ArticleQuerySet(_CountsByMonth, models.QuerySet):
    def listed(self) -> ArticleQuerySet:
        """Articles for a list: with their outlet, without their text (a list
        never shows it, and one article's text can run to megabytes)."""
        return self.select_related("outlet").defer("text")

    def recent(self) -> ArticleQuerySet:
        return self.listed().order_by("-created_at")

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
        """Speakers one of whose names contains ``name``, or who held a role
        that does ("NATO chief"); when there are none, those whose names are
        spelled nearly alike ("Stoltenburg")."""
        named = self.named(name)
        if named.exists():
            return named
        return self.filter(pk__in=spelled_alike(name))

    def named(self, name: str) -> SpeakerQuerySet:
        """Speakers one of whose names or roles contains ``name`` as written."""
        from .models import SpeakerAlias, SpeakerRole, normalize_name

        wanted = normalize_name(name)
        if not wanted:
            return self.none()
        aliases = SpeakerAlias.objects.filter(normalized__contains=wanted)
        roles = SpeakerRole.objects.filter(normalized__contains=wanted)
        return self.filter(
            models.Q(slug=name)
            | models.Q(pk__in=aliases.values("speaker_id"))
            | models.Q(pk__in=roles.values("speaker_id"))
        )


# How alike two spellings must be (difflib's ratio) to be taken for one name.
SPELLED_ALIKE = 0.8
# Without PostgreSQL's trigram index, spellings are compared in Python: at most this many names.
SPELLINGS_COMPARED = 50_000


def spelled_alike(name: str, limit: int = 5) -> list[int]:
    """Ids of the speakers whose names are spelled most nearly like ``name``,
    best first: by trigram similarity on PostgreSQL, by difflib elsewhere."""
    from .models import SpeakerAlias, normalize_name

    wanted = normalize_name(name)
    if len(wanted) < 3:
        return []
    if _on_postgres():
        from django.contrib.postgres.search import TrigramSimilarity

        rows = (
            SpeakerAlias.objects.filter(name__trigram_similar=name)
            .annotate(similarity=TrigramSimilarity("name", name))
            .order_by("-similarity")
            .values_list("speaker_id", flat=True)[: limit * 4]
        )
        return list(dict.fromkeys(rows))[:limit]
    scored: dict[int, float] = {}
    names = SpeakerAlias.objects.values_list("normalized", "speaker_id")[:SPELLINGS_COMPARED]
    for normalized, speaker_id in names.iterator():
        matcher = difflib.SequenceMatcher(None, wanted, normalized)
        if matcher.real_quick_ratio() < SPELLED_ALIKE or matcher.quick_ratio() < SPELLED_ALIKE:
            continue
        ratio = matcher.ratio()
        if ratio >= SPELLED_ALIKE and ratio > scored.get(speaker_id, 0):
            scored[speaker_id] = ratio
    return sorted(scored, key=lambda pk: -scored[pk])[:limit]


class QuoteQuerySet(_CountsByMonth, models.QuerySet):
    def by_speaker(self, speaker) -> QuoteQuerySet:
        return self.filter(speaker=speaker)

    def chronological(self) -> QuoteQuerySet:
        return self.order_by(models.F("first_seen").desc(nulls_last=True), "-id")

    def with_outlet_counts(self) -> QuoteQuerySet:
        return self.annotate(
            outlet_count=models.Count("occurrences__article__outlet", distinct=True),
            occurrence_count=models.Count("occurrences", distinct=True),
        )

    def with_kind(self) -> QuoteQuerySet:
        """Annotated with ``family_kind`` (read by ``Quote.kind``): what the
        family's words are, from the versions outlets printed."""
        from .models import Occurrence

        def printed(kind: str) -> models.Exists:
            return models.Exists(Occurrence.objects.filter(quote=models.OuterRef("pk"), kind=kind))

        return self.annotate(
            family_kind=models.Case(
                *(models.When(printed(kind), then=models.Value(kind)) for kind in Occurrence.KIND_PRECEDENCE),
                default=models.Value(Occurrence.Kind.INDIRECT),
                output_field=models.CharField(),
            )
        )

    def worth_featuring(self) -> QuoteQuerySet:
        """Without fragments of one or two words ("destroyed", "a threat"): out
        of their sentence they say nothing worth a place on the front page."""
        return self.filter(text__regex=r"\w+\W+\w+\W+\w")

    def said_by(self, name: str) -> QuoteQuerySet:
        from .models import Speaker

        return self.filter(speaker__in=Speaker.objects.named_like(name))

    def carried_by(self, outlet_slug: str) -> QuoteQuerySet:
        from .models import Occurrence, Outlet

        # By the outlet's id, not by a join on its slug: PostgreSQL then knows
        # from its statistics how much a big outlet carries, and walks the
        # newest families until enough are found instead of collecting all of
        # the outlet's quotes first (1.7 s → 60 ms at 1M quotes).
        outlet_id = Outlet.objects.filter(slug=outlet_slug).values_list("pk", flat=True).first()
        if outlet_id is None:
            return self.none()
        carried = Occurrence.objects.filter(quote=models.OuterRef("pk"), article__outlet_id=outlet_id)
        return self.filter(models.Exists(carried))

    def confidently_attributed(self) -> QuoteQuerySet:
        """Families one of whose versions names its speaker with confidence."""
        from .models import Occurrence

        sure = Occurrence.objects.filter(
            quote=models.OuterRef("pk"), confidence__gte=Occurrence.LOW_CONFIDENCE
        ).filter(models.Q(speaker__isnull=False) | ~models.Q(speaker_description=""))
        return self.filter(models.Exists(sure))

    def of_kind(self, kind: str) -> QuoteQuerySet:
        from .models import Occurrence

        return self.filter(models.Exists(Occurrence.objects.filter(quote=models.OuterRef("pk"), kind=kind)))

    def with_meaning_changed(self) -> QuoteQuerySet:
        """Families one of whose versions changes what was said (a flagged occurrence)."""
        from .models import Occurrence

        flagged = Occurrence.objects.filter(quote=models.OuterRef("pk")).exclude(meaning_flags=[])
        return self.filter(models.Exists(flagged))

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
        word must appear in the text, and every "quoted phrase" as written.
        """
        if _on_postgres():
            from django.contrib.postgres.search import SearchQuery, SearchRank

            query = SearchQuery(words, config="english", search_type="websearch")
            return (
                self.alias(search=_SearchVector())
                .annotate(rank=SearchRank(models.F("search"), query))
                .filter(search=query)
            )
        queryset = self.annotate(rank=models.Value(1.0, output_field=models.FloatField()))
        for phrase, word in re.findall(r'"([^"]+)"?|(\S+)', words):
            if (phrase or word).strip('"'):
                queryset = queryset.filter(text__icontains=" ".join((phrase or word).strip('"').split()))
        return queryset

    def among_newest(self, limit: int) -> QuoteQuerySet:
        """Only the newest ``limit`` of these families, in this queryset's own order.

        The newest are found along the ``quote_first_seen`` index, reading
        little more than ``limit`` rows however many match, so ordering them
        afterwards (by search rank, say) stays cheap.
        """
        newest = self.order_by("-first_seen", "-id").values("pk")[:limit]
        return self.filter(pk__in=newest)


class OccurrenceQuerySet(models.QuerySet):
    def with_article(self) -> OccurrenceQuerySet:
        """Each with its article and outlet, but not the article's text (see ``ArticleQuerySet.listed``):
        a speaker's thousand quotes from one long article would load its text a thousand times."""
        return self.select_related("article__outlet").defer("article__text")

    def for_display(self) -> OccurrenceQuerySet:
        return self.with_article().select_related("speaker", "quote")

    def with_context(self, chars: int = 400) -> OccurrenceQuerySet:
        """Each with ``context_window``: up to ``chars`` characters of the article
        text either side of the span, cut out by the database (the article's
        whole text is never loaded), and ``context_offset``, where it begins."""
        from django.db.models.functions import Greatest, Substr

        offset = Greatest(models.F("start") - chars, models.Value(0))
        return self.annotate(
            context_offset=offset,
            context_window=Substr(
                "article__text", offset + 1, models.F("end") - offset + chars, output_field=models.TextField()
            ),
        )

    def in_publication_order(self) -> OccurrenceQuerySet:
        return self.order_by(
            models.F("article__published").asc(nulls_last=True), "article__created_at", "start"
        )


class PrimarySourceQuerySet(models.QuerySet):
    def current(self):
        """The sources families are compared with now: neither replaced nor removed."""
        return self.filter(retired_at__isnull=True)


class SourceQuerySet(models.QuerySet):
    def due(self, now):
        """Sources to poll now: not paused, and their next poll has come."""
        return self.filter(paused=False, next_poll_at__lte=now).order_by("next_poll_at")
