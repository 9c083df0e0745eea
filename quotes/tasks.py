"""Celery tasks: thin wrappers that receive ids and call the pipeline."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from . import pipeline
from .extraction import load_model
from .models import Article

log = logging.getLogger(__name__)


@shared_task(
    bind=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=5,
)
def extract_article(self, article_id: int) -> None:
    """Extract the quotes of one article; safe to run any number of times."""
    try:
        pipeline.process_article(article_id)
    except Article.DoesNotExist:
        log.warning("article %s is gone; nothing to extract", article_id)
    except (OperationalError, InterfaceError):
        raise  # transient: Celery retries with backoff
    except SoftTimeLimitExceeded:
        pipeline.record_failure(article_id, "Extraction took too long and was stopped.")
    except Exception as exc:  # noqa: BLE001 - any other failure is recorded for the user
        log.exception("extraction failed for article %s", article_id)
        pipeline.record_failure(article_id, f"Extraction failed: {type(exc).__name__}: {exc}")


@shared_task
def requeue_stalled_articles() -> int:
    """Queue again what was never picked up or whose worker died.

    An upload made while the broker was down stays QUEUED; an article whose
    worker was killed stays RUNNING. Extraction is idempotent, so sending
    either again is safe.
    """
    now = timezone.now()
    stalled = Article.objects.filter(
        status=Article.Status.QUEUED, updated_at__lt=now - timedelta(seconds=settings.REQUEUE_QUEUED_AFTER)
    ) | Article.objects.filter(
        status=Article.Status.RUNNING, updated_at__lt=now - timedelta(seconds=settings.REQUEUE_RUNNING_AFTER)
    )
    ids = list(stalled.values_list("pk", flat=True)[:1000])
    for article_id in ids:
        Article.objects.filter(pk=article_id).update(updated_at=now)
        extract_article.delay(article_id)
    if ids:
        log.info("requeued %d stalled articles", len(ids))
    return len(ids)


@worker_process_init.connect
def _load_model_once(**_kwargs) -> None:
    # Each prefork child loads the spaCy model before its first task, not per task.
    load_model()
