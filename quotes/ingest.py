"""Getting articles in: one function that stores an article and queues it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from .models import Article, Outlet, content_hash
from .tasks import extract_article


@dataclass(frozen=True)
class Ingested:
    article: Article
    created: bool  # False: the same text from the same outlet was already stored


def ingest_article(
    *,
    outlet: str | Outlet,
    title: str,
    text: str,
    published: date | None = None,
    url: str = "",
    enqueue: bool = True,
) -> Ingested:
    """Store an article (or find the one with the same text) and queue extraction.

    Extraction is queued only once the row is committed, so a worker never
    looks for an article that is not there yet.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ValueError("The article has no text.")
    with transaction.atomic():
        if isinstance(outlet, str):
            outlet = Outlet.for_name(outlet)
        digest = content_hash(text)
        existing = Article.objects.filter(outlet=outlet, content_hash=digest).first()
        if existing is None and url:
            existing = Article.objects.filter(url=url).first()
        if existing is not None:
            return Ingested(existing, created=False)
        article = Article.objects.create(
            outlet=outlet,
            title=" ".join(title.split())[:500],
            text=text,
            content_hash=digest,
            published=published,
            url=url,
        )
        if enqueue:
            queue_extraction(article)
    return Ingested(article, created=True)


def queue_extraction(article: Article) -> None:
    article_id = article.pk
    transaction.on_commit(lambda: extract_article.delay(article_id))
