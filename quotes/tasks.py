"""Celery tasks: thin wrappers that receive ids and call the pipeline."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init, worker_process_shutdown
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from . import ingest, pipeline, polling, queue
from .models import Article

log = logging.getLogger(__name__)


_RETRIED = dict(
    bind=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=5,
)


@shared_task(**_RETRIED)
def extract_article(self, article_id: int) -> None:
    """Extract the quotes of one article; safe to run any number of times."""
    _guarded(article_id, pipeline.process_article, article_id)


@shared_task(**_RETRIED)
def extract_articles(self, article_ids: list[int]) -> None:
    """Extract several articles (a bulk import's chunk): each one's results are
    written while the next ones are parsed (``pipeline.extract_batch``).

    Should the chunk's parse fail or run out of time, each article not written
    yet goes back to the queue on its own, so one bad article costs only itself."""
    written: set[int] = set()
    try:
        for article_id, findings, body_offset in pipeline.extract_batch(article_ids):
            _guarded(article_id, pipeline.save_findings, article_id, findings, body_offset)
            written.add(article_id)
    except (OperationalError, InterfaceError):
        raise
    except Exception:  # noqa: BLE001 - SoftTimeLimitExceeded included
        log.exception("parsing a chunk of %d articles failed; sending them one by one", len(article_ids))
        for article_id in article_ids:
            if article_id not in written:
                queue.extract_article(article_id)


@shared_task(**_RETRIED)
def fetch_article(self, article_id: int) -> None:
    """Fetch a URL import's page (the web request only stored its address), then
    extract its quotes."""
    try:
        fetched = ingest.fetch_stored_page(article_id)
    except (OperationalError, InterfaceError):
        raise
    except SoftTimeLimitExceeded:
        Article(pk=article_id).mark_failed("Reading the page ran past its time limit and was stopped.")
        return
    except Exception as exc:  # noqa: BLE001 - recorded for the editor, as an extraction's failure is
        log.exception("fetching article %s failed", article_id)
        Article(pk=article_id).mark_failed(f"Reading the page failed: {type(exc).__name__}: {exc}")
        return
    if fetched:
        _guarded(article_id, pipeline.process_article, article_id)


def extract_in_this_process(article_id: int) -> None:
    """``extract_article`` without a worker (a command's ``--sync``), under the
    same soft time limit: an article that cannot finish is failed with the
    reason, as on a worker, instead of holding the command without end."""
    with _soft_time_limit(settings.CELERY_TASK_SOFT_TIME_LIMIT):
        _guarded(article_id, pipeline.process_article, article_id)


@contextmanager
def _soft_time_limit(seconds: float) -> Iterator[None]:
    """Raise ``SoftTimeLimitExceeded`` in the block after ``seconds``, as Celery
    does in a worker. A timer signal reaches the main thread only; elsewhere
    the block runs unbounded."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def out_of_time(signum, frame):
        raise SoftTimeLimitExceeded()

    previous = signal.signal(signal.SIGALRM, out_of_time)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _guarded(article_id: int, work, *args) -> None:
    """Run one article's work; a failure is recorded on the article, except a
    transient database error, which Celery retries with backoff."""
    try:
        work(*args)
    except Article.DoesNotExist:
        log.warning("article %s is gone; nothing to extract", article_id)
    except (OperationalError, InterfaceError):
        raise
    except SoftTimeLimitExceeded:
        log.warning("extraction of article %s ran out of time and was stopped", article_id)
        Article(pk=article_id).mark_failed(
            f"Extraction took longer than its {settings.CELERY_TASK_SOFT_TIME_LIMIT}-second limit and was "
            "stopped. Retry it, or shorten the article.",
        )
    except Exception as exc:  # noqa: BLE001 - any other failure is recorded for the user
        log.exception("extraction failed for article %s", article_id)
        Article(pk=article_id).mark_failed(f"Extraction failed: {type(exc).__name__}: {exc}")


@shared_task
def requeue_stalled_articles() -> int:
    """Queue again what was never picked up or whose worker died.

    An upload made while the broker was down stays QUEUED (a URL import
    FETCHING); an article whose worker was killed stays RUNNING. Extraction is idempotent, so sending
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
        queue.extract_article(article_id)
    # A URL import still to be fetched: its job was lost (the broker was down) or its
    # worker died while fetching. Fetching again is safe: only a FETCHING one is fetched.
    unfetched = Article.objects.filter(
        status=Article.Status.FETCHING,
        updated_at__lt=now - timedelta(seconds=settings.REQUEUE_QUEUED_AFTER),
    )
    fetch_ids = list(unfetched.values_list("pk", flat=True)[:1000])
    for article_id in fetch_ids:
        Article.objects.filter(pk=article_id).update(updated_at=now)
        queue.fetch_article(article_id)
    if ids or fetch_ids:
        log.info("requeued %d stalled articles", len(ids) + len(fetch_ids))
    return len(ids) + len(fetch_ids)


@worker_process_init.connect
def _start_parse_process(**_kwargs) -> None:
    # Each prefork child parses in a process of its own, which loads the spaCy
    # model once, before the child's first task (``pipeline.parse_in_a_process``).
    pipeline.parse_in_a_process()


@worker_process_shutdown.connect
def _stop_parse_process(**_kwargs) -> None:
    pipeline.stop_parse_process()


@shared_task
def poll_due_sources() -> int:
    """Beat's tick: send each source whose next poll has come to a worker."""
    return len(polling.queue_due_sources())


@shared_task(**_RETRIED)
def poll_source(self, source_id: int) -> None:
    """Poll one feed or sitemap and import its new articles."""
    try:
        polling.poll_source(source_id)
    except polling.Source.DoesNotExist:
        log.warning("source %s is gone; nothing to poll", source_id)
