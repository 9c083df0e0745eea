"""Jobs for the workers, sent by task name.

Whatever queues work (a page, a command, a watched feed's poll, the beat's
tick, a task) sends it through here and never imports ``quotes.tasks``, which
imports the pipeline: so a web process never loads the pipeline, and ingest,
polling and the tasks import one another in no loop. The names are those the
tasks are registered under (a test checks each one).
"""

from __future__ import annotations

from newsapp.celery import app

EXTRACT_ARTICLE = "quotes.tasks.extract_article"
EXTRACT_ARTICLES = "quotes.tasks.extract_articles"
POLL_SOURCE = "quotes.tasks.poll_source"
FETCH_ARTICLE = "quotes.tasks.fetch_article"


def extract_article(article_id: int) -> None:
    """Extract the quotes of one article."""
    _send(EXTRACT_ARTICLE, [article_id])


def extract_articles(article_ids: list[int]) -> None:
    """Extract several articles with one batched parse (a bulk import's chunk)."""
    _send(EXTRACT_ARTICLES, [article_ids])


def fetch_article(article_id: int) -> None:
    """Fetch the page of a URL import, then extract its quotes."""
    _send(FETCH_ARTICLE, [article_id])


def poll_source(source_id: int) -> None:
    """Poll one feed or sitemap and import its new articles."""
    _send(POLL_SOURCE, [source_id])


def _send(task: str, args: list) -> None:
    # No time limit in the message: Celery would put the sender's own there,
    # and the worker would obey it over its settings. Without one, each worker
    # applies the limits its own EXTRACTION_TIME_LIMIT gives.
    app.send_task(task, args=args, time_limit=None, soft_time_limit=None)
