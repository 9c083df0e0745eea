"""Getting articles in: one function that stores an article and queues it."""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Article, Outlet, content_hash
from .tasks import extract_article, extract_articles

log = logging.getLogger(__name__)

# Extraction (spaCy model, cue verbs, quote marks) is built for English only.
SUPPORTED_LANGUAGES = {"en"}

# The commonest short words of each language: enough to tell them apart on a
# news article, and no dependency to install. Words shared by several
# languages ("a", "de", "in") are left out.
_STOPWORDS = {
    "en": "the and of to is that for with was said he it on are as by his have from they this be not has "
    "but we will were which their who been would an at or",
    "de": "der die und ist das den nicht von mit sich des auf für dem eine ein auch es zu im sie wir "
    "wurde werden hat aus bei nach sagte oder",
    "fr": "le la les et est une des du pour dans qui que pas sur au avec il sont ce elle nous été ont "
    "aux cette mais par",
    "es": "el la los las y es una del que por para con se su al no como más pero fue ha sus está",
    "it": "il di che è la per una del della non sono con gli le al anche come ha nel dei alla",
    "nl": "de het een en van is dat niet op te zijn voor met die hij er maar om ook als bij wordt",
    "pt": "o a os as e é um uma do da que não para com se por mais dos das foi ao está",
}
_STOPWORD_SETS = {lang: set(words.split()) for lang, words in _STOPWORDS.items()}
_SCRIPTS = [  # letters of these scripts mark the language family on their own
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
]
_WORD = re.compile(r"[^\W\d_]+")
# Fewer stopwords than this and the text is too short to judge: assume English.
_MIN_EVIDENCE = 8


@dataclass(frozen=True)
class Ingested:
    article: Article
    created: bool  # False: the same text from the same outlet, or the same URL, was already stored


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, by script and by common words.

    Deliberately cautious: short or mixed texts count as English, so a stray
    foreign word or a one-line test never blocks extraction.
    """
    sample = text[:20000]
    letters = [ch for ch in sample if ch.isalpha()]
    if not letters:
        return "en"
    for language, pattern in _SCRIPTS:
        if len(pattern.findall(sample)) / len(letters) > 0.3:
            return language
    counts = Counter(word for word in _WORD.findall(sample.lower()))
    scores = {lang: sum(counts[w] for w in words) for lang, words in _STOPWORD_SETS.items()}
    best = max(scores, key=scores.get)
    if best == "en" or scores[best] < _MIN_EVIDENCE or scores[best] < 2 * scores["en"]:
        return "en"
    return best


def is_supported_language(language: str) -> bool:
    return language in SUPPORTED_LANGUAGES


@dataclass(frozen=True)
class ArticleDraft:
    """An article read from somewhere, checked and ready to store."""

    source: str  # what the person gave: a file name, a URL, "pasted text"
    outlet: str
    title: str
    text: str
    published: date | None = None
    url: str = ""
    author: str = ""
    outlet_domain: str = ""


def ingest_draft(draft: ArticleDraft, *, enqueue: bool = True) -> Ingested:
    return ingest_article(
        outlet=draft.outlet,
        title=draft.title,
        text=draft.text,
        published=draft.published,
        url=draft.url,
        author=draft.author,
        outlet_domain=draft.outlet_domain,
        enqueue=enqueue,
    )


def fetch_options() -> dict:
    """Limits for fetching a page, from settings: the same for the form and the command."""
    return {
        "timeout": settings.URL_FETCH_TIMEOUT,
        "max_bytes": settings.MAX_UPLOAD_BYTES,
        "allow_private": settings.ALLOW_PRIVATE_URLS,
    }


def title_from_text(text: str) -> str:
    """A plain-text or Markdown article's title: its first line, without heading marks."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:500]
    return ""


def article_at_url(url: str) -> Article | None:
    """The stored article from this address, so a link is not fetched twice."""
    return Article.objects.filter(url=url).order_by("pk").first() if url else None


def ingest_article(
    *,
    outlet: str | Outlet,
    title: str,
    text: str,
    published: date | None = None,
    url: str = "",
    author: str = "",
    outlet_domain: str = "",
    language: str | None = None,
    enqueue: bool = True,
) -> Ingested:
    """Store an article (or find the one it duplicates) and queue extraction.

    Extraction is queued only once the row is committed, so a worker never
    looks for an article that is not there yet. An article in a language
    extraction does not support is stored, marked with its language and
    finished at once: there is nothing for a worker to do.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ValueError("The article has no text.")
    with transaction.atomic():
        if isinstance(outlet, str):
            outlet = Outlet.for_name(outlet, domain=outlet_domain)
        digest = content_hash(text)
        existing = Article.objects.filter(outlet=outlet, content_hash=digest).first()
        if existing is None and url:
            existing = Article.objects.filter(url=url).first()
        if existing is not None:
            return Ingested(existing, created=False)
        language = language or detect_language(text)
        article = Article.objects.create(
            outlet=outlet,
            title=" ".join(title.split())[:500],
            author=" ".join(author.split())[:300],
            text=text,
            content_hash=digest,
            published=published,
            url=url,
            language=language,
            status=Article.Status.QUEUED if is_supported_language(language) else Article.Status.DONE,
        )
        if enqueue:
            queue_extraction(article)
    return Ingested(article, created=True)


def queue_extraction(article: Article) -> None:
    """Queue extraction once committed; an unsupported language is finished instead."""
    if not is_supported_language(article.language):
        # Left QUEUED, the stalled-article sweep would send it to a worker anyway.
        Article.objects.filter(pk=article.pk).update(status=Article.Status.DONE, updated_at=timezone.now())
        return
    article_id = article.pk
    batch = _batch.get()
    transaction.on_commit(lambda: batch.add(article_id) if batch is not None else _send([article_id]))


class ExtractionBatch:
    """Articles queued together, sent to the workers a few at a time: a worker
    parses a chunk in one batched pass, which is faster than one by one. With
    slow sources (web pages) a chunk goes early, as soon as an article arrives
    after its first one has waited ``max_wait`` seconds: long before the
    stalled-article sweep would send that one again."""

    def __init__(self, size: int, max_wait: float = 10.0) -> None:
        self.size, self.max_wait = size, max_wait
        self.pending: list[int] = []
        self.first_added = 0.0
        self.closed = False

    def add(self, article_id: int) -> None:
        if not self.pending:
            self.first_added = time.monotonic()
        self.pending.append(article_id)
        waited = time.monotonic() - self.first_added
        if self.closed or len(self.pending) >= self.size or waited >= self.max_wait:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            _send(self.pending)
            self.pending = []


_batch: ContextVar[ExtractionBatch | None] = ContextVar("extraction_batch", default=None)


@contextmanager
def extraction_in_chunks(size: int = 8) -> Iterator[ExtractionBatch]:
    """Within this block, extraction is queued in chunks of ``size`` articles (a bulk import)."""
    batch = ExtractionBatch(size)
    token = _batch.set(batch)
    try:
        yield batch
    finally:
        _batch.reset(token)
        batch.closed = True  # a commit after the block still sends its article
        batch.flush()


def _send(article_ids: list[int]) -> None:
    try:
        if len(article_ids) == 1:
            extract_article.delay(article_ids[0])
        else:
            extract_articles.delay(article_ids)
    except Exception:  # noqa: BLE001 - any publishing failure: the articles are stored and stay QUEUED
        # The broker is down: the upload must still succeed. The
        # stalled-article sweep sends QUEUED articles once it is back.
        log.warning("could not queue articles %s; the sweep will send them", article_ids, exc_info=True)
