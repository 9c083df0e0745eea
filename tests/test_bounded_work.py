"""Nothing holds a worker hostage: time limits are honoured, an article that
never finishes fails after a few attempts, and what cannot finish is refused."""

from __future__ import annotations

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.test import override_settings

from quotes import extraction, pipeline, tasks
from quotes.ingest import ingest_article
from quotes.models import Article

_TEXT = "“We will defend every inch of allied territory,” Jens Stoltenberg said on Tuesday."


def _out_of_time(doc):
    raise SoftTimeLimitExceeded()


def test_a_time_limit_during_attribution_stops_the_extraction(monkeypatch):
    monkeypatch.setattr(extraction, "attribute", _out_of_time)
    with pytest.raises(SoftTimeLimitExceeded):
        extraction.extract(_TEXT)


def test_an_ordinary_error_during_attribution_still_yields_no_quotes(monkeypatch):
    def broken(doc):
        raise RuntimeError("a bug in one rule")

    monkeypatch.setattr(extraction, "attribute", broken)
    assert extraction.extract(_TEXT) == []


def _queued(text: str = _TEXT) -> Article:
    return ingest_article(outlet="Outlet", title="Title", text=text, enqueue=False).article


@pytest.mark.django_db
def test_an_article_out_of_time_is_failed_with_the_reason(monkeypatch):
    article = _queued()
    monkeypatch.setattr(extraction, "attribute", _out_of_time)
    tasks.extract_article(article.pk)
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert "limit and was stopped" in article.error
    assert article.attempts == 1


@pytest.mark.django_db
def test_each_extraction_counts_an_attempt_and_a_finished_one_clears_them():
    article = _queued()
    Article.objects.filter(pk=article.pk).update(attempts=1)
    batch = pipeline.extract_batch([article.pk])
    article_id, findings, offset = next(batch)
    assert Article.objects.get(pk=article.pk).attempts == 2
    pipeline.save_findings(article_id, findings, offset)
    article.refresh_from_db()
    assert (article.status, article.attempts) == (Article.Status.DONE, 0)
    assert article.occurrences.exists()


@pytest.mark.django_db
@override_settings(EXTRACTION_MAX_ATTEMPTS=3)
def test_an_article_started_three_times_without_finishing_is_failed_not_parsed_again(monkeypatch):
    # Its worker was killed each time (the hard time limit), so it stayed RUNNING.
    article = _queued()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.RUNNING, attempts=3)
    parsed = []
    extract_many = pipeline.extract_many
    monkeypatch.setattr(pipeline, "extract_many", lambda texts: extract_many(parsed.extend(texts) or []))
    tasks.extract_article(article.pk)
    article.refresh_from_db()
    assert parsed == []
    assert article.status == Article.Status.FAILED
    assert "started 3 times and never finished" in article.error


@pytest.mark.django_db
def test_the_retry_button_starts_the_attempts_again(editor_client, no_enqueue):
    article = _queued()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.FAILED, attempts=3, error="stopped")
    page = editor_client.get(article.get_absolute_url()).content.decode()
    assert "Retry extraction" in page and "stopped" in page
    editor_client.post(f"/articles/{article.pk}/extract/")
    article.refresh_from_db()
    assert (article.status, article.attempts, article.error) == (Article.Status.QUEUED, 0, "")


@pytest.mark.django_db
@override_settings(MAX_ARTICLE_CHARS=1000)
def test_an_article_too_long_to_extract_in_time_is_refused_with_the_reason(editor_client, no_enqueue):
    text = "“We stay,” she said. " * 60
    response = editor_client.post("/articles/new/", {"outlet": "Example", "title": "Long", "text": text})
    assert response.status_code == 200
    page = response.content.decode()
    assert "extraction can finish at most 1,000" in page and "time limit" in page
    assert not Article.objects.exists()
    with pytest.raises(ValueError, match="Split it into parts"):
        ingest_article(outlet="Example", title="Long", text=text, enqueue=False)


def test_the_article_limit_is_what_extraction_can_finish_within_the_soft_limit(settings):
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
    assert settings.MAX_ARTICLE_CHARS == (
        settings.CELERY_TASK_SOFT_TIME_LIMIT * settings.EXTRACTION_MIN_CHARS_PER_SECOND
    )
    # A long text fits under the byte limit of an upload, but not this one.
    assert settings.MAX_ARTICLE_CHARS < settings.MAX_UPLOAD_BYTES
