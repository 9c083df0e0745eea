"""Outlets publish articles; an article prints versions; a ``Family`` (what the
pages call a quote) holds the versions of one utterance by one speaker, whatever
the wording, and each ``Version`` is that utterance as one article printed it.

The database keeps the names these had first: the tables ``quotes_quote``,
``quotes_quotekey``, ``quotes_retiredquote`` and ``quotes_occurrence``, and the
column ``quote_id`` of every foreign key to a family (``db_table``,
``db_column``); so do the API's keys and the CSV's columns.

Each model's read queries, with names a reader understands, are the QuerySet
defined just above it."""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from datetime import date
from urllib.parse import urlsplit

from django.db import IntegrityError, connection, models, transaction
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from . import words
from .extraction.invisible import without_control_characters
from .families import folding
from .families.meaning import Flag


def slug_of(name: str, max_length: int = 80) -> str:
    """The slug a name is given where it is free (``unique_slug``)."""
    return slugify(unicodedata.normalize("NFKD", name))[:max_length] or "item"


def unique_slug(model: type[models.Model], name: str, max_length: int = 80) -> str:
    base = slug_of(name, max_length)
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        suffix = f"-{n}"
        slug, n = base[: max_length - len(suffix)] + suffix, n + 1
    return slug


def normalize_name(name: str) -> str:
    """The form a name is looked up by: case, accents, marks and spacing folded ("D’Souza"
    and "D'Souza" are one name; the typographic apostrophe is typed as "'" before the
    fold to ASCII, which would drop it)."""
    typed = name.replace("\u2019", "'").replace("\u02bc", "'")
    folded = unicodedata.normalize("NFKD", typed).encode("ascii", "ignore").decode()
    folded = folded.replace("-", " ").lower()
    return " ".join(folded.replace(".", " ").replace(",", " ").split())


# Words before a name or a role that are no part of it ("the mayor", "her spokesman").
DETERMINERS = frozenset({"the", "a", "an", "his", "her", "its", "their", "our"})


def content_hash(text: str) -> str:
    """Identity of an article's text: whitespace differences do not count (the same
    article pasted, uploaded and fetched differs in line breaks and spacing only)."""
    canonical = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(canonical.encode()).hexdigest()


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


class Outlet(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    # The host its pages were fetched from (253: the longest DNS name), kept for the
    # admin to tell outlets of similar names apart.
    domain = models.CharField(max_length=253, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("quotes:outlet-detail", args=[self.slug])

    def domain_shown(self, url: str = "") -> str:
        """Its domain; for an outlet stored without one, the host of one of its
        articles' addresses (``url``), without "www."."""
        if self.domain:
            return self.domain
        host = urlsplit(url).hostname or "" if url else ""
        return host.removeprefix("www.")

    @classmethod
    def for_name(cls, name: str, domain: str = "") -> Outlet:
        name = " ".join(without_control_characters(name).split())
        outlet = cls.objects.filter(name__iexact=name).first()
        if outlet is not None:
            return outlet
        try:
            with transaction.atomic():  # another upload may be creating it at this moment
                return cls.objects.create(name=name, slug=unique_slug(cls, name), domain=domain)
        except IntegrityError:
            outlet = cls.objects.filter(name__iexact=name).first()
            if outlet is None:
                raise
            return outlet


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
        return self.filter(status__in=["fetching", "queued", "running"])


class Article(models.Model):
    class Status(models.TextChoices):
        # A URL import: stored at once with its address, its page fetched by a worker.
        FETCHING = "fetching", "Fetching"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Extracting"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="articles")
    title = models.CharField(max_length=500)
    author = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    published = models.DateField(null=True, blank=True)
    # The date was found in the article's text, not stated by its page or by a person.
    published_inferred = models.BooleanField(default=False)
    text = models.TextField()
    content_hash = models.CharField(max_length=64, editable=False)
    language = models.CharField(max_length=16, default="en")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    # Extractions started since the last one that finished (see EXTRACTION_MAX_ATTEMPTS).
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    extracted_at = models.DateTimeField(null=True, blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["outlet", "content_hash"], name="article_unique_text_per_outlet"),
        ]
        indexes = [
            models.Index(fields=["outlet", "published"], name="article_outlet_published"),
            # From a version to its outlet without reading the (wide) article row.
            models.Index(fields=["id"], include=["outlet"], name="article_outlet_of_id"),
            # An outlet's timeline page (ArticleQuerySet.chronological) reads them in
            # (outlet, published DESC NULLS LAST) order: article_outlet_timeline, migration 0007.
            models.Index(fields=["published", "created_at"], name="article_published"),
            models.Index(fields=["status", "updated_at"], name="article_status"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("quotes:article-detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    # The status moves only through these six. Each writes its fields with one
    # UPDATE by id (never a whole-row save, which would put back a text or title
    # an editor changed meanwhile) and sets them on this instance too.
    def mark_queued_unless_pending(self) -> bool:
        """Waiting for a worker again, with a clean slate (no error, no attempts
        counted), unless it is queued already or a worker is on it: True when it
        was marked. One UPDATE decides, so of several clicks at once only one
        queues an extraction (a lost job is sent again by the stalled-article sweep)."""
        pending = (self.Status.QUEUED, self.Status.RUNNING)
        return self._mark(unless_status=pending, status=self.Status.QUEUED, error="", attempts=0)

    @property
    def is_fetched(self) -> bool:
        """Its text is here: False for a URL import whose page has not been read yet."""
        return bool(self.text)

    def mark_fetching_unless_pending(self) -> bool:
        """A URL import whose page is to be fetched (again), unless a worker has it
        to do already: True when it was marked."""
        pending = (self.Status.FETCHING, self.Status.QUEUED, self.Status.RUNNING)
        return self._mark(unless_status=pending, status=self.Status.FETCHING, error="", attempts=0)

    def mark_fetched(self, **fields: object) -> None:
        """Its page was read: ``fields`` (its text and what the page says of it) are
        stored, and it waits for extraction. Raises IntegrityError when another
        article of the outlet has this text."""
        self._mark(status=self.Status.QUEUED, error="", attempts=0, **fields)

    def mark_running(self) -> None:
        """A worker started on it: one more attempt (see EXTRACTION_MAX_ATTEMPTS)."""
        self._mark(status=self.Status.RUNNING, error="", attempts=models.F("attempts") + 1)
        self.attempts = (self.attempts or 0) + 1

    def mark_done(self) -> None:
        """Finished: its quotes are stored (or its language is one extraction does not read)."""
        self._mark(status=self.Status.DONE, error="", attempts=0, extracted_at=timezone.now())

    def mark_failed(self, error: str) -> None:
        """Stopped for ``error``, which the article page shows; a rerun queues it again."""
        self._mark(status=self.Status.FAILED, error=error[:2000])

    def _mark(self, unless_status: tuple[str, ...] = (), **fields: object) -> bool:
        """Write ``fields``, unless the stored status is one of ``unless_status``
        (False, and this instance left as it was)."""
        fields["updated_at"] = timezone.now()
        rows = type(self).objects.filter(pk=self.pk)
        if unless_status:
            rows = rows.exclude(status__in=unless_status)
        if not rows.update(**fields) and unless_status:
            return False
        for name, value in fields.items():
            if not isinstance(value, models.expressions.Combinable):
                setattr(self, name, value)
        return True

    def analysis_text(self) -> tuple[str, int]:
        """The text extraction reads, and where the article text starts in it.

        The title is analysed too. When the text already opens with its title
        (as published pages and imported files do) it is read as it is;
        otherwise the title is put in front as a first paragraph.
        """
        head = self.text.lstrip()[: len(self.title) + 200]
        if not self.title or " ".join(self.title.split()) in " ".join(head.split()):
            return self.text, 0
        prefix = self.title + "\n\n"
        return prefix + self.text, len(prefix)


class SpeakerQuerySet(models.QuerySet):
    def with_counts(self) -> SpeakerQuerySet:
        return self.annotate(
            family_count=models.Count("families", distinct=True),
            version_count=models.Count("versions", distinct=True),
        )

    def quoted_most_in(self, articles: models.QuerySet, limit: int = 10) -> models.RawQuerySet:
        """The ``limit`` speakers these articles quote most, each with ``n``, how many
        times (most first, then by name). The quotes are counted per speaker before
        any speaker row is read: joined first, every speaker would be hashed and each
        quote grouped with its speaker's whole row."""
        chosen, params = articles.values("pk").query.sql_with_params()
        version, speaker = Version._meta.db_table, self.model._meta.db_table
        sql = f"""
            SELECT speaker.*, counted.n FROM (
                SELECT speaker_id, COUNT(*) AS n FROM {version}
                WHERE speaker_id IS NOT NULL AND article_id IN ({chosen}) GROUP BY speaker_id
            ) AS counted JOIN {speaker} AS speaker ON speaker.id = counted.speaker_id
            ORDER BY counted.n DESC, speaker.name LIMIT %s
        """
        return self.model.objects.raw(sql, [*params, limit])

    def named_like(self, name: str) -> SpeakerQuerySet:
        """Speakers one of whose names contains ``name``, or who held a role
        that does ("NATO chief"); when there are none, those whose names are
        spelled nearly alike ("Stoltenburg")."""
        named = self.named(name)
        if named.exists():
            return named
        return self.filter(pk__in=spelled_alike(name))

    def named(self, name: str) -> SpeakerQuerySet:
        """Speakers one of whose names or roles contains ``name`` as written
        (less a leading "the": roles are stored without it); failing that, for
        "ROLE of PLACE", those who held the role in that place."""
        wanted = normalize_name(name)
        words = wanted.split()
        while words and words[0] in DETERMINERS:
            words = words[1:]
        wanted = " ".join(words)
        if not wanted:
            return self.none()
        aliases = SpeakerAlias.objects.filter(normalized__contains=wanted)
        roles = SpeakerRole.objects.filter(normalized__contains=wanted)
        named = self.filter(
            models.Q(slug=name)
            | models.Q(pk__in=aliases.values("speaker_id"))
            | models.Q(pk__in=roles.values("speaker_id"))
        )
        role, _of, place = wanted.partition(" of ")
        if not role or not place or named.exists():
            return named
        return self.holding_role_in(role, place)

    def holding_role_in(self, role: str, place: str) -> SpeakerQuerySet:
        """Speakers who held ``role`` in ``place`` (both normalized): a role
        naming both ("Leeds mayor"), or the role ("mayor") in an article of
        theirs that says "mayor of Leeds"."""
        held = SpeakerRole.objects.filter(normalized__contains=role)
        placed = held.filter(normalized__contains=place)
        said_there = Version.objects.filter(
            speaker=models.OuterRef("pk"), article__text__icontains=f"{role} of {place}"
        )
        return self.filter(
            models.Q(pk__in=placed.values("speaker_id"))
            | (models.Q(pk__in=held.values("speaker_id")) & models.Exists(said_there))
        )


# How alike two spellings must be (difflib's ratio) to be taken for one name.
SPELLED_ALIKE = 0.8
# Without PostgreSQL's trigram index, spellings are compared in Python: at most this many names.
SPELLINGS_COMPARED = 50_000


def spelled_alike(name: str, limit: int = 5) -> list[int]:
    """Ids of the speakers whose names are spelled most nearly like ``name``,
    best first: by trigram similarity on PostgreSQL, by difflib elsewhere."""
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


class Speaker(models.Model):
    # Only the named kinds of source (words.SpeakerType.NAMED) become speakers; the others
    # stay descriptions on their versions.
    class Type(models.TextChoices):
        PERSON = words.SpeakerType.PERSON, "Person"
        ORGANISATION = words.SpeakerType.ORGANISATION, "Organisation"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    type = models.CharField(max_length=16, choices=Type.choices, default=Type.PERSON)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SpeakerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="speaker_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("quotes:speaker-detail", args=[self.slug])

    def distinct_roles(self) -> list[SpeakerRole]:
        """The roles to show, a shorter form folded into the fuller one that
        contains its words ("Secretary General" into "NATO Secretary-General"),
        with the dates of both; unsaved, in the order first seen."""
        fullest_first = sorted(self.roles.all(), key=lambda role: -len(role.normalized.split()))
        shown: list[SpeakerRole] = []
        for role in fullest_first:
            words = set(role.normalized.split())
            fuller = next((kept for kept in shown if words <= set(kept.normalized.split())), None)
            if fuller is None:
                shown.append(
                    SpeakerRole(
                        title=role.title,
                        normalized=role.normalized,
                        first_seen=role.first_seen,
                        last_seen=role.last_seen,
                    )
                )
                continue
            fuller.first_seen = min(filter(None, [fuller.first_seen, role.first_seen]), default=None)
            fuller.last_seen = max(filter(None, [fuller.last_seen, role.last_seen]), default=None)
        return sorted(
            shown, key=lambda role: (role.first_seen is None, role.first_seen or date.min, role.title)
        )


class MergedSpeaker(models.Model):
    """A speaker an editor merged into another, kept so that the links to its
    page and feed still answer: a permanent redirect to the speaker it became."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    # Moved on to the next speaker when that one is merged in turn: never a chain.
    merged_into = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="+")
    merged_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name} → {self.merged_into_id}"

    @classmethod
    def now(cls, slug: str) -> Speaker | None:
        """The speaker the one that had ``slug`` was merged into, if it was."""
        merged = cls.objects.select_related("merged_into").filter(slug=slug).first()
        return merged.merged_into if merged else None


class SpeakerAlias(models.Model):
    """A way articles name a speaker: "Stoltenberg", "NATO chief Jens Stoltenberg"."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)
    normalized = models.CharField(max_length=300, db_index=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["speaker", "normalized"], name="alias_unique_per_speaker"),
        ]

    def __str__(self) -> str:
        return self.name


class SpeakerRole(models.Model):
    """A title or role a speaker was given in articles ("NATO Secretary General"),
    with the first and last publication dates it was seen."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(max_length=200)
    normalized = models.CharField(max_length=200)
    first_seen = models.DateField(null=True, blank=True)
    last_seen = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["first_seen", "title"]
        constraints = [
            models.UniqueConstraint(fields=["speaker", "normalized"], name="role_unique_per_speaker"),
        ]

    def __str__(self) -> str:
        return self.title


class SpeakerRemoval(models.Model):
    """An editor's removal of an alias or a role that articles taught a speaker
    wrongly ("Described as: mayor" for the councillor a quote went to), kept so
    that no later article teaches it again."""

    class Kind(models.TextChoices):
        ALIAS = "alias", "Alias"
        ROLE = "role", "Role"

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="removals")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    name = models.CharField(max_length=300, help_text="The alias or role as it was shown.")
    normalized = models.CharField(max_length=300)
    created_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="speaker_removals"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["speaker", "kind", "normalized"], name="removal_unique_per_speaker"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.speaker_id}: not {self.get_kind_display().lower()} {self.name!r}"


class FamilyQuerySet(_CountsByMonth, models.QuerySet):
    def by_speaker(self, speaker) -> FamilyQuerySet:
        return self.filter(speaker=speaker)

    def chronological(self) -> FamilyQuerySet:
        return self.order_by(models.F("first_seen").desc(nulls_last=True), "-id")

    def with_outlet_counts(self) -> FamilyQuerySet:
        return self.annotate(
            outlet_count=models.Count("versions__article__outlet", distinct=True),
            version_count=models.Count("versions", distinct=True),
        )

    def with_kind(self) -> FamilyQuerySet:
        """Annotated with ``family_kind`` (read by ``Family.kind``): what the
        family's words are, from the versions outlets printed."""

        def printed(kind: str) -> models.Exists:
            return models.Exists(Version.objects.filter(family=models.OuterRef("pk"), kind=kind))

        return self.annotate(
            family_kind=models.Case(
                *(models.When(printed(kind), then=models.Value(kind)) for kind in Version.KIND_PRECEDENCE),
                default=models.Value(Version.Kind.INDIRECT),
                output_field=models.CharField(),
            )
        )

    def worth_featuring(self) -> FamilyQuerySet:
        """Without fragments of one or two words ("destroyed", "a threat"): out
        of their sentence they say nothing worth a place on the front page."""
        return self.filter(text__regex=r"\w+\W+\w+\W+\w")

    def said_by(self, name: str) -> FamilyQuerySet:
        return self.filter(speaker__in=Speaker.objects.named_like(name))

    def carried_by(self, outlet_slug: str) -> FamilyQuerySet:
        # By the outlet's id, not by a join on its slug: PostgreSQL then knows
        # from its statistics how much a big outlet carries, and walks the
        # newest families until enough are found instead of collecting all of
        # the outlet's quotes first (1.7 s → 60 ms at 1M quotes).
        outlet_id = Outlet.objects.filter(slug=outlet_slug).values_list("pk", flat=True).first()
        if outlet_id is None:
            return self.none()
        carried = Version.objects.filter(family=models.OuterRef("pk"), article__outlet_id=outlet_id)
        return self.filter(models.Exists(carried))

    def confidently_attributed(self) -> FamilyQuerySet:
        """Families one of whose versions names its speaker with confidence, or was
        given its speaker by an editor."""
        sure = (
            Version.objects.filter(family=models.OuterRef("pk"))
            .filter(models.Q(confidence__gte=Version.LOW_CONFIDENCE) | models.Q(speaker_corrected=True))
            .filter(models.Q(speaker__isnull=False) | ~models.Q(speaker_description=""))
        )
        return self.filter(models.Exists(sure))

    def of_kind(self, kind: str) -> FamilyQuerySet:
        return self.filter(models.Exists(Version.objects.filter(family=models.OuterRef("pk"), kind=kind)))

    def with_meaning_changed(self) -> FamilyQuerySet:
        """Families one of whose versions changes what was said (a flagged version)."""
        flagged = Version.objects.filter(family=models.OuterRef("pk")).exclude(meaning_flags=[])
        return self.filter(models.Exists(flagged))

    def first_seen_between(self, start: date | None, end: date | None) -> FamilyQuerySet:
        queryset = self
        if start:
            queryset = queryset.filter(first_seen__gte=start)
        if end:
            queryset = queryset.filter(first_seen__lte=end)
        return queryset

    def matching_text(self, words: str) -> FamilyQuerySet:
        """Families whose text matches ``words``, annotated with a ``rank``.

        Each word matches in any of its forms ("library" finds "libraries"),
        and a "quoted phrase" its words in that order. PostgreSQL: full-text
        search (stemmed, web-search syntax) on the stored ``search_vector``
        column and its GIN index (migration 0006; the column is not a model
        field so SQLite needs none). SQLite: the FTS5 table of migration 0015,
        whose porter tokenizer stems as PostgreSQL's English does.
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
        phrases = [
            " ".join(re.findall(r"\w+", phrase or word))
            for phrase, word in re.findall(r'"([^"]+)"?|(\S+)', words)
        ]
        # Each word or phrase quoted, so that what a person types is never read as FTS5's syntax.
        match = " AND ".join(f'"{phrase}"' for phrase in phrases if phrase)
        if not match:
            return queryset.none()
        if connection.vendor != "sqlite":
            # Another database (or PostgreSQL told to search as SQLite, in a test): no
            # index of word forms, so every phrase must appear as written.
            for phrase in phrases:
                queryset = queryset.filter(text__icontains=phrase)
            return queryset
        found = models.expressions.RawSQL(
            "SELECT rowid FROM quotes_quote_words WHERE quotes_quote_words MATCH %s", (match,)
        )
        return queryset.filter(pk__in=found)


class Family(models.Model):
    """A family: one utterance by one speaker, as carried by every outlet."""

    text = models.TextField(help_text="The fullest faithful version of the utterance.")
    speaker = models.ForeignKey(
        Speaker, null=True, blank=True, on_delete=models.SET_NULL, related_name="families"
    )
    # Said by someone the articles describe but never name ("a senior official"):
    # such a family is never merged with a named speaker's.
    speaker_description = models.CharField(max_length=300, blank=True)
    # The canonical text folded (folding.fingerprint): a verbatim copy finds its
    # family by one index lookup, before any comparison of words (``quote_fingerprint``).
    fingerprint = models.CharField(max_length=64)
    # The canonical text as ``folding.normalize`` gives it, written with the text: matching
    # prepares a candidate's text from it without normalizing it again, and only when its
    # SHA-256 is the fingerprint (``placement.canonical_tokens``), so a stale one is never
    # read. None: not stored (the text is normalized when compared).
    normalized = models.TextField(null=True, blank=True, editable=False)
    first_seen = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FamilyQuerySet.as_manager()

    class Meta:
        # The table, and the names Django shows and grants by, keep the model's former name.
        db_table = "quotes_quote"
        verbose_name = "quote"
        ordering = ["-first_seen", "-id"]
        indexes = [
            models.Index(fields=["speaker", "first_seen"], name="quote_speaker_first_seen"),
            # A speaker's page (FamilyQuerySet.chronological) reads a page in index order,
            # not a sort of thousands: quote_speaker_chronological, migration 0007.
            models.Index(fields=["first_seen", "id"], name="quote_first_seen"),
            # Matching checks the speaker of each family it ranks for a statement (hundreds
            # per statement at a million families): from this index alone, no table row read.
            models.Index(fields=["id"], include=["speaker"], name="quote_speaker_of_id"),
            # On PostgreSQL, also ``quote_id_hash`` (migration 0036): retrieval reads its candidates'
            # rows by id in one page of a hash bucket, however many families there are.
            # Looked up only by equality (retrieval's verbatim copy): a plain index. The field's
            # db_index made a second one on PostgreSQL for LIKE 'prefix%', which nothing asks
            # (77 MB at a million families; migration 0034).
            models.Index(fields=["fingerprint"], name="quote_fingerprint"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("quotes:quote-detail", args=[self.pk])

    @property
    def kind(self) -> str:
        """What the family's words are: a direct quote when some outlet quoted
        them so, else a partial quote or a headline, else only a reporter's
        paraphrase (never to be shown in quotation marks)."""
        if "family_kind" in self.__dict__:  # FamilyQuerySet.with_kind
            return self.__dict__["family_kind"]
        return Version.family_kind({version.kind for version in self.versions.all()})

    @property
    def attributed_to(self) -> str:
        """Who said it, as the pages name them: the speaker, else the description ("" for neither)."""
        return self.speaker.name if self.speaker else self.speaker_description

    def changed_versions(self) -> list[Version]:
        """The versions that change the meaning, from the prefetched versions
        (prefetch them with their articles: no query of its own)."""
        return [version for version in self.versions.all() if version.meaning_flags]

    def first_article_per_outlet(self) -> list[Article]:
        """Each outlet that carried the family once, by its first article, in
        the order of the versions (prefetch them in publication order)."""
        seen: set[int] = set()
        articles = []
        for version in self.versions.all():
            if version.article.outlet_id not in seen:
                seen.add(version.article.outlet_id)
                articles.append(version.article)
        return articles


class RetiredFamily(models.Model):
    """A quote family that is gone, kept so that every link handed out to it
    still answers: with a permanent redirect to the family its versions went
    to (``moved_to``, followed along a chain), or with 410 and why it went."""

    class Reason(models.TextChoices):
        NOT_FOUND_AGAIN = "not_found_again", "its article no longer carries it since extraction was run again"
        MOVED = "moved", "an editor moved its versions to another quote"
        NOT_A_QUOTE = "not_a_quote", "an editor marked it not a quote"

    id = models.BigIntegerField(primary_key=True, help_text="The id the family had.")
    text = models.TextField()
    speaker_name = models.CharField(max_length=300, blank=True)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    # An id, not a foreign key: the family it went to may itself be retired later.
    moved_to = models.BigIntegerField(null=True, blank=True)
    retired_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "quotes_retiredquote"
        verbose_name = "retired quote"

    def __str__(self) -> str:
        return f"{self.pk}: {self.get_reason_display()}"

    @classmethod
    def record(cls, families: list[Family], reason: str, moved_to: dict[int, int] | None = None) -> None:
        """Retire ``families`` (before they are deleted); ``moved_to``: family id -> where it went."""
        moved_to = moved_to or {}
        names = dict(
            Speaker.objects.filter(pk__in={f.speaker_id for f in families}).values_list("pk", "name")
        )
        cls.objects.bulk_create(
            [
                cls(
                    id=family.pk,
                    text=family.text,
                    speaker_name=names.get(family.speaker_id, family.speaker_description)[:300],
                    reason=cls.Reason.MOVED if family.pk in moved_to else reason,
                    moved_to=moved_to.get(family.pk),
                )
                for family in families
            ],
            ignore_conflicts=True,
        )

    def destination(self) -> int | None:
        """The living family this one's versions ended up in, if any."""
        seen, current = {self.pk}, self.moved_to
        while current is not None and current not in seen:
            if Family.objects.filter(pk=current).exists():
                return current
            seen.add(current)
            current = RetiredFamily.objects.filter(pk=current).values_list("moved_to", flat=True).first()
        return None


class FamilyKey(models.Model):
    """Inverted index for matching: a family is found by the keys of its text."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="keys", db_column="quote_id")
    key = models.BigIntegerField()
    # The family's first sighting, copied here so that a dated statement reads only the postings
    # of families within placement's time window (``quotekey_window``), whatever the archive's age.
    first_seen = models.DateField(null=True, blank=True)
    # The family's speaker, copied here so that ranking a statement's candidates skips the
    # families of other speakers as it reads the postings (``quotekey_window`` includes it),
    # instead of looking each ranked family's speaker up. Written with the key; a database
    # trigger (migration 0031) keeps it in step when a family's speaker changes, whoever
    # changes it (a version naming it, an editor, a merge, a speaker deleted).
    family_speaker_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        db_table = "quotes_quotekey"
        verbose_name = "quote key"
        # Both with the speaker included: an undated statement reads the first, a dated one the second.
        constraints = [
            models.UniqueConstraint(
                fields=["key", "family"], include=["family_speaker_id"], name="quotekey_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["key", "first_seen", "family"], include=["family_speaker_id"], name="quotekey_window"
            ),
            # The families with no date, which a dated statement may join too: a few (none, where every
            # article is dated), so each key's look-up reads a page or two instead of descending the
            # window index once more (four levels at a million families).
            models.Index(
                fields=["key", "family"],
                include=["family_speaker_id"],
                condition=models.Q(first_seen__isnull=True),
                name="quotekey_undated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.family_id}"


class VersionQuerySet(models.QuerySet):
    def with_article(self) -> VersionQuerySet:
        """Each with its article and outlet, but not the article's text (see ``ArticleQuerySet.listed``):
        a speaker's thousand quotes from one long article would load its text a thousand times."""
        return self.select_related("article__outlet").defer("article__text")

    def for_display(self) -> VersionQuerySet:
        return self.with_article().select_related("speaker", "family")

    def with_context(self, chars: int = 400) -> VersionQuerySet:
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

    def changing_meaning(self) -> VersionQuerySet:
        """The versions whose wording changes what was said (the partial index
        occurrence_changes_meaning holds just these)."""
        return self.exclude(meaning_flags=[])

    def in_publication_order(self) -> VersionQuerySet:
        return self.order_by(
            models.F("article__published").asc(nulls_last=True), "article__created_at", "start"
        )


class Version(models.Model):
    """A quote as one article printed it."""

    class Kind(models.TextChoices):
        DIRECT = words.Kind.DIRECT, "Direct"
        PARTIAL = words.Kind.PARTIAL, "Partial"
        INDIRECT = words.Kind.INDIRECT, "Indirect"
        HEADLINE = words.Kind.HEADLINE, "Headline"

    class Relation(models.TextChoices):
        VERBATIM = words.Relation.VERBATIM, "Verbatim"
        FRAGMENT = words.Relation.FRAGMENT, "Fragment"
        VARIANT = words.Relation.VARIANT, "Variant"

    # A family's kind is the first of these that one of its versions has.
    KIND_PRECEDENCE = (Kind.DIRECT, Kind.PARTIAL, Kind.HEADLINE)

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="versions", db_column="quote_id"
    )
    speaker = models.ForeignKey(
        Speaker, null=True, blank=True, on_delete=models.SET_NULL, related_name="versions"
    )
    text = models.TextField()
    # One piece of a quote split by its cue ("“…,” she said, “…”"): the whole statement, joined
    # from its pieces, which is what the version is placed and compared by (empty: a whole version).
    statement_text = models.TextField(blank=True, default="")
    start = models.PositiveIntegerField(help_text="Offset into the article text (or its title).")
    end = models.PositiveIntegerField()
    in_title = models.BooleanField(default=False)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    cue = models.CharField(max_length=200, blank=True)
    speaker_mention = models.CharField(max_length=300, blank=True)
    # The source as the article describes it when it names no one: "a spokesperson for
    # the ministry", "two local councillors", "the complaint".
    speaker_description = models.CharField(max_length=300, blank=True)
    confidence = models.FloatField(default=0.5)
    # Who said it is an editor's decision (a speaker correction, this version's or the
    # statement's), not the machine's reading of ``speaker_mention``.
    speaker_corrected = models.BooleanField(default=False, db_default=False)
    relation = models.CharField(max_length=16, choices=Relation.choices, default=Relation.VERBATIM)
    # The edits by which this version changes what the canonical text says
    # (quotes.families.meaning): [{"type", "before", "after"}], empty for a faithful one.
    meaning_flags = models.JSONField(
        default=list, blank=True, db_default=models.Value([], models.JSONField())
    )
    # With a primary source attached to the family: where in its text this
    # version's passage lies (character offsets; none when the version is not
    # in the source, or the family has no source). The flags are then against it.
    passage_start = models.PositiveIntegerField(null=True, blank=True, db_column="source_start")
    passage_end = models.PositiveIntegerField(null=True, blank=True, db_column="source_end")

    objects = VersionQuerySet.as_manager()

    class Meta:
        # The table, and the names Django shows and grants by, keep the model's former name.
        db_table = "quotes_occurrence"
        verbose_name = "occurrence"
        ordering = ["article", "in_title", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "in_title", "start", "end"], name="occurrence_unique_span"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="occurrence_span_order"
            ),
        ]
        indexes = [
            models.Index(fields=["family", "article"], name="occurrence_quote"),
            models.Index(fields=["speaker", "kind"], name="occurrence_speaker_kind"),
            # Index-only reads for "outlets quoting a speaker" and "speakers an outlet quotes".
            models.Index(fields=["speaker", "article"], include=["id"], name="occurrence_speaker_article"),
            models.Index(fields=["article", "speaker"], include=["id"], name="occurrence_article_speaker"),
            # Search's "versions that change the meaning": only the (few) flagged versions.
            models.Index(
                fields=["family"], condition=~models.Q(meaning_flags=[]), name="occurrence_changes_meaning"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    @property
    def said(self) -> str:
        """What the version says: the whole statement for a piece of a split quote."""
        return self.statement_text or self.text

    @property
    def colour(self) -> str:
        """The highlight's class: one of eight colours, the same for a speaker
        everywhere; words whose speaker is only described ("a senior official")
        or unknown share a pattern of their own, never a named speaker's colour."""
        return f"c{self.speaker_id % 8}" if self.speaker_id else "described"

    @property
    def flags(self) -> list[Flag]:
        """The stored meaning-changing edits, each with the label a reader is shown."""
        return [Flag(item["type"], item["before"], item["after"]) for item in self.meaning_flags]

    @classmethod
    def family_kind(cls, kinds: set[str]) -> str:
        return next((kind for kind in cls.KIND_PRECEDENCE if kind in kinds), cls.Kind.INDIRECT)

    @property
    def anchor(self) -> str:
        """The id of the span on its article's page (``#occ-12`` highlights it)."""
        return f"occ-{self.pk}"

    @property
    def sentence_around(self) -> tuple[str, str]:
        """The words of its sentence before and after the span, from the window
        that ``VersionQuerySet.with_context`` read ("", "" without it or in a title)."""
        window = self.__dict__.get("context_window")
        if window is None or self.in_title:
            return "", ""
        cut = self.start - self.__dict__["context_offset"]
        before, after = window[:cut], window[cut + self.end - self.start :]
        starts = [before.rfind(mark) for mark in (". ", "? ", "! ", "\n")]
        before = before[max(starts) + 1 :] if max(starts) >= 0 else before
        ends = [i for i in (after.find(mark) for mark in (". ", "? ", "! ", "\n")) if i >= 0]
        after = after[: min(ends) + 1] if ends else after
        return before.lstrip(), after.rstrip()

    # Below this confidence an attribution is worth an editor's check.
    LOW_CONFIDENCE = 0.6

    @property
    def attribution_note(self) -> str:
        """What an editor should know before trusting the speaker: that the article
        named them only through a pronoun or a description ("attributed from “he”"),
        or that the attribution is uncertain; once an editor decided who said it, only that."""
        if self.speaker_corrected:
            return "attributed by an editor"
        notes = []
        mention = self.speaker_mention.strip()
        if self.speaker_id is not None and mention:
            name_words = set(normalize_name(self.speaker.name).split())
            if not name_words & set(normalize_name(mention).split()):
                notes.append(f"attributed from “{mention}”")
        if (
            self.speaker_id is not None or self.speaker_description
        ) and self.confidence < self.LOW_CONFIDENCE:
            notes.append("low confidence")
        return ", ".join(notes)


class Correction(models.Model):
    """An editor's decision about a span of an article, re-applied whenever
    the article is extracted again, so human work is never lost."""

    class Action(models.TextChoices):
        SPEAKER = "speaker", "Said by another speaker"
        FAMILY = "family", "Belongs to another quote family"
        NOT_A_QUOTE = "not_a_quote", "Not a quote"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    in_title = models.BooleanField(default=False)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    action = models.CharField(max_length=16, choices=Action.choices)
    speaker = models.ForeignKey(Speaker, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    family = models.ForeignKey(
        Family, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_column="quote_id"
    )
    created_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="quote_corrections"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A decision about the statement, not only this article's span (made for every
    # version of a quote): its words folded (``folding.fingerprint``), by which it is
    # applied wherever they come back, from another outlet or a re-upload. Empty for
    # a decision about one version, and for words too few to be one statement.
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True)

    # Fewer words than this ("a threat", "destroyed") may be anyone's: decided where they are only.
    STATEMENT_MIN_WORDS = 4

    class Meta:
        ordering = ["article", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "in_title", "start", "end", "action"], name="correction_unique_per_span"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: article {self.article_id} [{self.start}:{self.end}]"

    @classmethod
    def statement_print(cls, text: str) -> str:
        """The fingerprint a decision about ``text`` is found by elsewhere ("" when too short)."""
        if len(folding.normalize(text).split()) < cls.STATEMENT_MIN_WORDS:
            return ""
        return folding.fingerprint(text)


class PrimarySourceQuerySet(models.QuerySet):
    def current(self):
        """The sources families are compared with now: neither replaced nor removed."""
        return self.filter(retired_at__isnull=True)


class PrimarySource(models.Model):
    """The primary source of a family's statement — a transcript, a press
    release, a video's captions — attached by an editor. The family's
    versions are compared with it (``quotes.families.primary``). One is current per
    family; one replaced or removed stays, with who retired it and when."""

    class Kind(models.TextChoices):
        TRANSCRIPT = "transcript", "Transcript"
        PRESS_RELEASE = "press_release", "Press release"
        CAPTIONS = "captions", "Video captions"
        STATEMENT = "statement", "Statement"
        OTHER = "other", "Other"

    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="primary_sources", db_column="quote_id"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.TextField()
    url = models.URLField(max_length=2000)
    date = models.DateField(help_text="When the statement was made or published.")
    file_name = models.CharField(max_length=255, blank=True, help_text="The uploaded file, if any.")
    attached_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="primary_sources"
    )
    attached_at = models.DateTimeField(default=timezone.now)
    retired_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retired_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaces"
    )

    objects = PrimarySourceQuerySet.as_manager()

    class Meta:
        ordering = ["family", "-attached_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["family"],
                condition=models.Q(retired_at__isnull=True),
                name="one_current_primary_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for quote {self.family_id}"

    def get_absolute_url(self) -> str:
        return f"{self.family.get_absolute_url()}#primary-source"

    @property
    def is_current(self) -> bool:
        return self.retired_at is None

    def as_dict(self) -> dict:
        """The source as the API gives it (its text is on its own page, `/quotes/<id>/source/`)."""
        return {
            "kind": self.kind,
            "kind_label": self.get_kind_display(),
            "url": self.url,
            "date": self.date.isoformat(),
            "attached_by": self.attached_by.get_username() if self.attached_by else None,
            "attached_at": self.attached_at.isoformat(),
            "file_name": self.file_name or None,
            "words": len(self.text.split()),
        }


class SourceQuerySet(models.QuerySet):
    def due(self, now):
        """Sources to poll now: not paused, and their next poll has come."""
        return self.filter(paused=False, next_poll_at__lte=now).order_by("next_poll_at")


class Source(models.Model):
    """A feed or a sitemap an outlet publishes, polled for new articles."""

    class Kind(models.TextChoices):
        FEED = "feed", "RSS or Atom feed"
        SITEMAP = "sitemap", "Sitemap"

    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="sources")
    url = models.URLField(max_length=2000, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.FEED)
    title = models.CharField(max_length=300, blank=True)
    interval = models.PositiveIntegerField(default=900, help_text="Seconds between two polls.")
    paused = models.BooleanField(default=False)
    # Conditional GET: sent back to the server, which answers 304 when nothing changed.
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True)
    items_seen = models.PositiveIntegerField(default=0)
    articles_imported = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0, help_text="Polls failed in a row.")
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["outlet__name", "url"]
        indexes = [models.Index(fields=["paused", "next_poll_at"], name="source_due")]

    def __str__(self) -> str:
        return self.title or self.url

    def get_absolute_url(self) -> str:
        return reverse("quotes:source-list") + f"#source-{self.pk}"


class SourceItemQuerySet(models.QuerySet):
    def failing(self) -> SourceItemQuerySet:
        """Items that could not be imported: failed (to be tried again) or given up."""
        return self.filter(status__in=[SourceItem.Status.FAILED, SourceItem.Status.GAVE_UP])


class SourceItem(models.Model):
    """An address a source listed: seen once, imported at most once."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        IMPORTED = "imported", "Imported"
        DUPLICATE = "duplicate", "Already there"
        FAILED = "failed", "Failed, will retry"
        GAVE_UP = "gave_up", "Failed"
        SKIPPED = "skipped", "Skipped"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="items")
    url = models.URLField(max_length=2000)
    title = models.CharField(max_length=500, blank=True)
    author = models.CharField(max_length=300, blank=True)
    published = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SourceItemQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["source", "url"], name="source_item_unique_url")]
        indexes = [
            models.Index(fields=["source", "status", "next_attempt_at"], name="source_item_due"),
            # The Sources page counts and lists a source's failing items: a few among
            # what may be a whole archive's addresses (skipped), read through this alone.
            models.Index(
                fields=["source", "-updated_at"],
                condition=models.Q(status__in=["failed", "gave_up"]),
                name="source_item_failing",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url
