"""Outlets publish articles; articles carry occurrences of quotes; a quote is a
family of occurrences of one utterance by one speaker, whatever the wording."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import date
from urllib.parse import urlsplit

from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from .extraction import types as words
from .families.meaning import Flag
from .querysets import (
    ArticleQuerySet,
    OccurrenceQuerySet,
    PrimarySourceQuerySet,
    QuoteQuerySet,
    SourceQuerySet,
    SpeakerQuerySet,
)


def unique_slug(model: type[models.Model], name: str, max_length: int = 80) -> str:
    base = slugify(unicodedata.normalize("NFKD", name))[:max_length] or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        suffix = f"-{n}"
        slug, n = base[: max_length - len(suffix)] + suffix, n + 1
    return slug


def normalize_name(name: str) -> str:
    """The form a name is looked up by: case, accents, marks and spacing folded."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    folded = folded.replace("-", " ").replace("’", "'").lower()
    return " ".join(folded.replace(".", " ").replace(",", " ").split())


def content_hash(text: str) -> str:
    """Identity of an article's text: whitespace differences do not count (the same
    article pasted, uploaded and fetched differs in line breaks and spacing only)."""
    canonical = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(canonical.encode()).hexdigest()


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
        name = " ".join(name.split())
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


class Article(models.Model):
    class Status(models.TextChoices):
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
            # From an occurrence to its outlet without reading the (wide) article row.
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

    # The status moves only through these four. Each writes its fields with one
    # UPDATE by id (never a whole-row save, which would put back a text or title
    # an editor changed meanwhile) and sets them on this instance too.
    def mark_queued(self) -> None:
        """Waiting for a worker, with a clean slate: no error, no attempts counted."""
        self._mark(status=self.Status.QUEUED, error="", attempts=0)

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

    def _mark(self, **fields: object) -> None:
        fields["updated_at"] = timezone.now()
        type(self).objects.filter(pk=self.pk).update(**fields)
        for name, value in fields.items():
            if not isinstance(value, models.expressions.Combinable):
                setattr(self, name, value)

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


class Speaker(models.Model):
    # Only the named kinds of source (words.SpeakerType.NAMED) become speakers; the others
    # stay descriptions on their occurrences.
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


class Quote(models.Model):
    """A family: one utterance by one speaker, as carried by every outlet."""

    text = models.TextField(help_text="The fullest faithful version of the utterance.")
    speaker = models.ForeignKey(
        Speaker, null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes"
    )
    # Said by someone the articles describe but never name ("a senior official"):
    # such a family is never merged with a named speaker's.
    speaker_description = models.CharField(max_length=300, blank=True)
    # The canonical text folded (folding.fingerprint): a verbatim copy finds its
    # family by one index lookup, before any comparison of words.
    fingerprint = models.CharField(max_length=64, db_index=True)
    first_seen = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuoteQuerySet.as_manager()

    class Meta:
        ordering = ["-first_seen", "-id"]
        indexes = [
            models.Index(fields=["speaker", "first_seen"], name="quote_speaker_first_seen"),
            # A speaker's page (QuoteQuerySet.chronological) reads a page in index order,
            # not a sort of thousands: quote_speaker_chronological, migration 0007.
            models.Index(fields=["first_seen", "id"], name="quote_first_seen"),
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
        if "family_kind" in self.__dict__:  # QuoteQuerySet.with_kind
            return self.__dict__["family_kind"]
        return Occurrence.family_kind({occ.kind for occ in self.occurrences.all()})

    def first_article_per_outlet(self) -> list[Article]:
        """Each outlet that carried the family once, by its first article, in
        the order of the occurrences (prefetch them in publication order)."""
        seen: set[int] = set()
        articles = []
        for occurrence in self.occurrences.all():
            if occurrence.article.outlet_id not in seen:
                seen.add(occurrence.article.outlet_id)
                articles.append(occurrence.article)
        return articles


class QuoteKey(models.Model):
    """Inverted index for matching: a family is found by the keys of its text."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="keys")
    key = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "quote"], name="quotekey_unique")]

    def __str__(self) -> str:
        return f"{self.key} → {self.quote_id}"


class Occurrence(models.Model):
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

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="occurrences")
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="occurrences")
    speaker = models.ForeignKey(
        Speaker, null=True, blank=True, on_delete=models.SET_NULL, related_name="occurrences"
    )
    text = models.TextField()
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
    relation = models.CharField(max_length=16, choices=Relation.choices, default=Relation.VERBATIM)
    # The edits by which this version changes what the canonical text says
    # (quotes.families.meaning): [{"type", "before", "after"}], empty for a faithful one.
    meaning_flags = models.JSONField(
        default=list, blank=True, db_default=models.Value([], models.JSONField())
    )
    # With a primary source attached to the family: where in its text this
    # version's passage lies (character offsets; none when the version is not
    # in the source, or the family has no source). The flags are then against it.
    source_start = models.PositiveIntegerField(null=True, blank=True)
    source_end = models.PositiveIntegerField(null=True, blank=True)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
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
            models.Index(fields=["quote", "article"], name="occurrence_quote"),
            models.Index(fields=["speaker", "kind"], name="occurrence_speaker_kind"),
            # Index-only reads for "outlets quoting a speaker" and "speakers an outlet quotes".
            models.Index(fields=["speaker", "article"], include=["id"], name="occurrence_speaker_article"),
            models.Index(fields=["article", "speaker"], include=["id"], name="occurrence_article_speaker"),
            # Search's "versions that change the meaning": only the (few) flagged versions.
            models.Index(
                fields=["quote"], condition=~models.Q(meaning_flags=[]), name="occurrence_changes_meaning"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    @property
    def colour(self) -> int:
        """One of eight highlight colours, the same for a speaker everywhere."""
        return (self.speaker_id or 0) % 8

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
        that ``OccurrenceQuerySet.with_context`` read ("", "" without it or in a title)."""
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
        or that the attribution is uncertain."""
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
    quote = models.ForeignKey(Quote, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="quote_corrections"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "in_title", "start", "end", "action"], name="correction_unique_per_span"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: article {self.article_id} [{self.start}:{self.end}]"


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

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="primary_sources")
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
        ordering = ["quote", "-attached_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["quote"],
                condition=models.Q(retired_at__isnull=True),
                name="one_current_primary_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for quote {self.quote_id}"

    def get_absolute_url(self) -> str:
        return f"{self.quote.get_absolute_url()}#primary-source"

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

    class Meta:
        ordering = ["-published", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["source", "url"], name="source_item_unique_url")]
        indexes = [models.Index(fields=["source", "status", "next_attempt_at"], name="source_item_due")]

    def __str__(self) -> str:
        return self.title or self.url
