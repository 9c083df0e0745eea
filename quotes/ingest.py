"""Getting articles in: one function that stores an article and queues it."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from . import queue, webpages
from .extraction.invisible import without_control_characters
from .models import Article, Outlet, content_hash

log = logging.getLogger(__name__)

# Extraction (spaCy model, cue verbs, quote marks) is built for English only.
SUPPORTED_LANGUAGES = {"en"}

# Below this probability the text is too short or too mixed to judge, and
# counts as English: a stray foreign word or a one-line test never blocks
# extraction.
_MIN_LANGUAGE_CONFIDENCE = 0.9


@dataclass(frozen=True)
class Ingested:
    article: Article
    created: bool  # False: the same text from the same outlet, or the same URL, was already stored


def detect_language(text: str) -> str:
    """ISO 639 code of the text's language (py3langid's model of 97 languages), "en" when unsure."""
    language, confidence = _language_identifier().classify(text[:20000])
    # "zxx" (no linguistic content) is what the model says of long runs of similar
    # sentences, such as an English list of 2,000 short quotes: never a language to refuse.
    if language == _NO_LANGUAGE or confidence < _MIN_LANGUAGE_CONFIDENCE:
        return "en"
    return language


_NO_LANGUAGE = "zxx"


@lru_cache(maxsize=1)
def _language_identifier() -> LanguageIdentifier:
    # The model ships inside the package: loading reads a local file (about 0.5 s), once per process.
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def is_supported_language(language: str) -> bool:
    return language in SUPPORTED_LANGUAGES


@dataclass(frozen=True)
class ArticleDraft:
    """An article read from somewhere, checked and ready to store."""

    origin: str  # what the person gave: a file name, a URL, "pasted text"
    outlet: str
    title: str
    text: str
    published: date | None = None
    url: str = ""
    author: str = ""
    outlet_domain: str = ""
    published_inferred: bool = False


def ingest_draft(draft: ArticleDraft, *, enqueue: bool = True) -> Ingested:
    return ingest_article(
        outlet=draft.outlet,
        title=draft.title,
        text=draft.text,
        published=draft.published,
        published_inferred=draft.published_inferred and draft.published is not None,
        url=draft.url,
        author=draft.author,
        outlet_domain=draft.outlet_domain,
        enqueue=enqueue,
    )


def fetch_options() -> dict:
    """Limits for fetching a page, from settings: the same for the form, the command and polling."""
    return {
        "timeout": settings.URL_FETCH_TIMEOUT,
        "max_bytes": settings.MAX_UPLOAD_BYTES,
        "allow_private": settings.ALLOW_PRIVATE_URLS,
    }


def fetch_web_page(url: str) -> webpages.PageArticle:
    """The article at ``url``, fetched within the limits of ``fetch_options``; raises
    ``webpages.PageError`` saying why it could not."""
    return webpages.fetch_article(url, **fetch_options())


def draft_from_page(origin: str, page: webpages.PageArticle, typed: Mapping[str, Any]) -> ArticleDraft:
    """A draft of a page for review: the page's own metadata first, what the person
    typed (``typed``, a form's cleaned data) only in the gaps; they see and can change
    it all before saving."""
    return ArticleDraft(
        origin=origin,
        outlet=page.outlet or typed.get("outlet") or "",
        title=page.title or typed.get("title") or title_from_text(page.text),
        text=page.text,
        published=page.published or typed.get("published"),
        published_inferred=page.published is not None and page.published_inferred,
        url=page.url,
        author=page.author or typed.get("author") or "",
        outlet_domain=webpages.domain_of(page.url),
    )


def length_problem(text: str) -> str | None:
    """Why a text is too long for extraction to finish within its time limit, or None."""
    limit = settings.MAX_ARTICLE_CHARS
    if len(text) <= limit:
        return None
    return (
        f"The article is {len(text):,} characters long: extraction can finish at most {limit:,} "
        f"characters within its {settings.CELERY_TASK_SOFT_TIME_LIMIT}-second time limit. "
        "Split it into parts and add each one."
    )


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
    published_inferred: bool = False,
    enqueue: bool = True,
) -> Ingested:
    """Store an article (or find the one it duplicates) and queue extraction.

    Extraction is queued only once the row is committed, so a worker never
    looks for an article that is not there yet. An article in a language
    extraction does not support is stored, marked with its language and
    finished at once: there is nothing for a worker to do.
    """
    text = _clean_text(text)
    title, author = without_control_characters(title), without_control_characters(author)
    if not text.strip():
        raise ValueError("The article has no text.")
    if problem := length_problem(text):
        raise ValueError(problem)
    with transaction.atomic():
        if isinstance(outlet, str):
            outlet = Outlet.for_name(outlet, domain=outlet_domain)
        digest = content_hash(text)
        existing = stored_duplicate(outlet, digest, url)
        if existing is not None:
            return Ingested(existing, created=False)
        language = language or detect_language(text)
        try:
            # A savepoint: the same upload sent twice at once stores it once,
            # and the second learns it is already there instead of failing.
            with transaction.atomic():
                article = Article.objects.create(
                    outlet=outlet,
                    title=" ".join(title.split())[:500],
                    author=" ".join(author.split())[:300],
                    text=text,
                    content_hash=digest,
                    published=published,
                    published_inferred=published_inferred,
                    url=url,
                    language=language,
                )
        except IntegrityError:
            existing = stored_duplicate(outlet, digest, url)
            if existing is None:
                raise
            return Ingested(existing, created=False)
        if not is_supported_language(language):
            article.mark_done()  # nothing to extract
        elif enqueue:
            queue_extraction(article)
    return Ingested(article, created=True)


def _clean_text(text: str) -> str:
    return without_control_characters(text.replace("\r\n", "\n").replace("\r", "\n"))


# URL imports ------------------------------------------------------------------
#
# The web request stores the address at once (FETCHING) and a worker fetches the
# page, then extracts it: a slow or large page never holds a web worker.


def store_for_fetching(url: str, typed: Mapping[str, Any]) -> Ingested:
    """A URL import, stored at once as FETCHING with its address and what the person
    typed (``typed``, a form's cleaned data, fills what the page will not say); a
    worker fetches the page (``fetch_stored_page``) once this commits. The article
    already stored from this address is that one. Raises ``webpages.PageError``
    when the address can never be fetched (not a web address, a private one)."""
    url = url.strip()
    if (existing := article_at_url(url)) is not None:
        return Ingested(existing, created=False)
    webpages.check_fetchable(url, allow_private=settings.ALLOW_PRIVATE_URLS)
    domain = webpages.domain_of(url)
    title = " ".join(without_control_characters(typed.get("title") or "").split())
    try:
        with transaction.atomic():
            article = Article.objects.create(
                outlet=Outlet.for_name(typed.get("outlet") or domain, domain=domain),
                # Until the page is read, its address stands for its title.
                title=(title or url)[:500],
                author=" ".join(without_control_characters(typed.get("author") or "").split())[:300],
                url=url,
                published=typed.get("published"),
                text="",
                # One per address: the same link sent twice at once is stored once.
                content_hash=hashlib.sha256(f"fetching {url}".encode()).hexdigest(),
                status=Article.Status.FETCHING,
            )
    except IntegrityError:
        if (existing := article_at_url(url)) is None:
            raise
        return Ingested(existing, created=False)
    queue_fetching(article)
    return Ingested(article, created=True)


def queue_fetching(article: Article) -> None:
    """Send a FETCHING article to a worker once committed (the sweep sends it should the broker be down)."""
    article_id = article.pk
    transaction.on_commit(lambda: _send_quietly(queue.fetch_article, article_id))


def fetch_stored_page(article_id: int) -> bool:
    """Fetch and read the page of a URL import stored FETCHING and store what it says:
    True when the article now waits for extraction. A page that cannot be fetched or
    read, or that is already stored, fails the article with the reason; its address
    and what was typed are kept, so Retry fetches it again."""
    article = Article.objects.select_related("outlet").filter(pk=article_id).first()
    if article is None or article.status != Article.Status.FETCHING:
        return False  # gone, or fetched already
    try:
        page = fetch_web_page(article.url)
        fields = _fetched_fields(article, page)
    except webpages.PageError as exc:
        article.mark_failed(f"The page could not be fetched: {exc}")
        return False
    except _AlreadyStored as exc:
        article.mark_failed(str(exc))
        return False
    except ValueError as exc:
        article.mark_failed(f"The page could not be used: {exc}")
        return False
    placeholder = article.outlet
    try:
        with transaction.atomic():
            article.mark_fetched(**fields)
            _forget_unused_outlet(placeholder)
    except IntegrityError:  # the same text from the same outlet was stored meanwhile
        article.mark_failed(_already_stored(None))
        return False
    if not is_supported_language(article.language):
        article.mark_done()  # stored and marked with its language; nothing to extract
        return False
    return True


class _AlreadyStored(ValueError):
    """The page's article is stored already."""


def _fetched_fields(article: Article, page: webpages.PageArticle) -> dict[str, Any]:
    """What the page says of the article, the person's typing only in its gaps (as
    ``draft_from_page``); ValueError saying why the page cannot be used."""
    typed = {
        "outlet": article.outlet.name,
        "title": "" if article.title == article.url[:500] else article.title,
        "author": article.author,
        "published": article.published,
    }
    draft = draft_from_page(article.url, page, typed)
    text = _clean_text(draft.text)
    if not text.strip():
        raise ValueError("The page has no text.")
    if problem := length_problem(text):
        raise ValueError(problem)
    outlet = Outlet.for_name(draft.outlet or article.outlet.name, domain=draft.outlet_domain)
    digest = content_hash(text)
    url = draft.url or article.url
    duplicate = Article.objects.filter(outlet=outlet, content_hash=digest).exclude(pk=article.pk).first()
    if duplicate is None and url != article.url:
        duplicate = Article.objects.filter(url=url).exclude(pk=article.pk).first()
    if duplicate is not None:
        raise _AlreadyStored(_already_stored(duplicate))
    return {
        "outlet": outlet,
        "title": " ".join(without_control_characters(draft.title).split())[:500] or article.url[:500],
        "author": " ".join(without_control_characters(draft.author).split())[:300],
        "text": text,
        "content_hash": digest,
        "published": draft.published,
        "published_inferred": draft.published_inferred,
        "url": url,
        "language": detect_language(text),
    }


def _already_stored(duplicate: Article | None) -> str:
    where = f" (article {duplicate.pk}, {duplicate.get_absolute_url()})" if duplicate else ""
    return f"This article was already stored{where}: the same address, or the same text from the same outlet."


def _forget_unused_outlet(outlet: Outlet) -> None:
    """The outlet made from the address while the page was fetched, when the page named another."""
    if not outlet.articles.exists() and not outlet.sources.exists():
        outlet.delete()


def stored_duplicate(outlet: Outlet, digest: str, url: str) -> Article | None:
    """The stored article this one repeats: the same text from the same outlet, or the same URL."""
    existing = Article.objects.filter(outlet=outlet, content_hash=digest).first()
    if existing is None and url:
        existing = Article.objects.filter(url=url).first()
    return existing


def queue_extraction(article: Article) -> None:
    """Queue extraction once committed; an unsupported language is finished instead."""
    if not is_supported_language(article.language):
        # Left QUEUED, the stalled-article sweep would send it to a worker anyway.
        article.mark_done()
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


def _send_quietly(send, *args) -> None:
    try:
        send(*args)
    except Exception:  # noqa: BLE001 - any publishing failure: the article is stored and the sweep sends it
        log.warning("could not queue %s%s; the sweep will send it", send.__name__, args, exc_info=True)


def _send(article_ids: list[int]) -> None:
    try:
        if len(article_ids) == 1:
            queue.extract_article(article_ids[0])
        else:
            queue.extract_articles(article_ids)
    except Exception:  # noqa: BLE001 - any publishing failure: the articles are stored and stay QUEUED
        # The broker is down: the upload must still succeed. The
        # stalled-article sweep sends QUEUED articles once it is back.
        log.warning("could not queue articles %s; the sweep will send them", article_ids, exc_info=True)


# Reading an uploaded file, for the upload forms and ``import_articles`` alike.
TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")


def decode_upload(data: bytes) -> str:
    """Text of an uploaded file, or a ValidationError saying why there is none."""
    for bom, encoding in ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        # UTF-16 is full of zero bytes: recognise it by its mark before the binary check.
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    # The whole file, not its start: a zero byte anywhere is not text, and the
    # database refuses to store one.
    if b"\x00" in data:
        raise ValidationError("This file is not text (it looks like a binary file).")
    # UTF-8 first; Windows-1252 covers the older files that are not UTF-8.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _mostly_printable(text):
            return text
    raise ValidationError(
        "This file could not be read as text: it is not valid UTF-8 nor in another common encoding."
    )


def _mostly_printable(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return True
    printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in sample)
    return printable / len(sample) > 0.95


def check_upload_size(size: int) -> None:
    """The one size limit of a file, for the forms and ``import_articles`` alike."""
    if size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(f"The file is larger than the {upload_limit_mb()} MB limit.")


def upload_limit_mb() -> str:
    return f"{settings.MAX_UPLOAD_BYTES / (1024 * 1024):g}"
