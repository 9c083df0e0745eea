"""Celery tasks: thin wrappers that receive ids and call the pipeline."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init
from django.db import InterfaceError, OperationalError

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


@worker_process_init.connect
def _load_model_once(**_kwargs) -> None:
    # Each prefork child loads the spaCy model before its first task, not per task.
    load_model()
