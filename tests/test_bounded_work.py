"""Nothing holds a worker hostage: time limits are honoured, an article that
never finishes fails after a few attempts, and what cannot finish is refused."""

from __future__ import annotations

import io
import time

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.management import call_command
from django.test import override_settings

from quotes import extraction, pipeline, tasks
from quotes.extraction import extractor
from quotes.extraction.bounds import MAX_MARK_RUN, MAX_QUOTES_PER_SENTENCE, MAX_SENTENCE_CHARS, bound_text
from quotes.ingest import ingest_article
from quotes.models import Article
from tests.conftest import SEEDS

_TEXT = "“We will defend every inch of allied territory,” Jens Stoltenberg said on Tuesday."


def _out_of_time(doc):
    raise SoftTimeLimitExceeded()


def test_a_time_limit_during_attribution_stops_the_extraction(monkeypatch):
    monkeypatch.setattr(extractor, "attribute", _out_of_time)
    with pytest.raises(SoftTimeLimitExceeded):
        extraction.extract(_TEXT)


def test_an_ordinary_error_during_attribution_still_yields_no_quotes(monkeypatch):
    def broken(doc):
        raise RuntimeError("a bug in one rule")

    monkeypatch.setattr(extractor, "attribute", broken)
    assert extraction.extract(_TEXT) == []


def _queued(text: str = _TEXT) -> Article:
    return ingest_article(outlet="Outlet", title="Title", text=text, enqueue=False).article


@pytest.mark.django_db
def test_an_article_out_of_time_is_failed_with_the_reason(monkeypatch):
    article = _queued()
    monkeypatch.setattr(extractor, "attribute", _out_of_time)
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
    assert article.versions.exists()


@pytest.mark.django_db
@override_settings(EXTRACTION_MAX_ATTEMPTS=3)
def test_an_article_started_three_times_without_finishing_is_failed_not_parsed_again(monkeypatch):
    # Its worker was killed each time (the hard time limit), so it stayed RUNNING.
    article = _queued()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.RUNNING, attempts=3)
    parsed = []
    extract_many = extraction.extract_many
    monkeypatch.setattr(extraction, "extract_many", lambda texts: extract_many(parsed.extend(texts) or []))
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


# Bounded parse -----------------------------------------------------------------


def test_a_run_of_marks_is_capped_and_every_offset_kept():
    text = "She said " + '"' * 5000 + " and left."
    bounded = bound_text(text)
    assert len(bounded) == len(text)
    capped = "She said " + '"' * MAX_MARK_RUN + " " * (5000 - MAX_MARK_RUN) + " and left."
    assert bounded.replace("\n", " ") == capped  # (the long stretch of spaces is also broken)


def test_a_stretch_without_a_sentence_end_is_broken_at_a_space():
    text = "and he said we go " * 1000  # 18,000 characters, no full stop, no line break
    bounded = bound_text(text)
    assert len(bounded) == len(text)
    stretches = bounded.split("\n")
    assert len(stretches) > 1 and max(map(len, stretches)) <= MAX_SENTENCE_CHARS
    assert bounded.replace("\n", " ") == text  # only spaces became line breaks


def test_a_sentence_crowded_with_quote_marks_is_broken_before_the_next_one():
    text = 'He said "we go" and ' * 100  # 200 quote marks, no full stop
    bounded = bound_text(text)
    assert len(bounded) == len(text) and bounded.replace("\n", " ") == text
    assert max(line.count('"') for line in bounded.split("\n")) <= MAX_QUOTES_PER_SENTENCE


def test_real_articles_are_handed_to_the_parser_unchanged():
    for path in SEEDS.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        assert bound_text(text) == text, path.name
    ordinary = "“We stay…?!” she said. (See: “Notes” [1].) — A list; of things, and more... ***"
    assert bound_text(ordinary) == ordinary


def test_a_quote_holding_a_capped_run_keeps_the_words_of_the_text():
    text = "“We will stay here " + "(" * 40 + " for ever,” Ann Lee said on Tuesday."
    findings = extraction.extract(text)
    assert findings
    for finding in findings:
        assert text[finding.start : finding.end] == finding.text


@pytest.mark.slow  # spaCy over three 100 KB pastes: most of a minute on a busy machine
@pytest.mark.timeout(120)  # seconds, on a busy machine; past it the test fails
@pytest.mark.parametrize(
    "adversarial",
    ['"' * 100_000, "(" * 100_000, ('He said "we go" and ' * 5000)],
    ids=["quote-marks", "brackets", "one-endless-sentence"],
)
def test_a_100_kb_adversarial_paste_is_extracted_in_seconds(adversarial):
    # Before bounding: 8,000 quote marks took 7 s, a 40 KB paste 219 s, 100 KB never ended.
    for finding in extraction.extract(adversarial):
        assert adversarial[finding.start : finding.end] == finding.text


@pytest.mark.django_db
def test_an_import_extracting_in_its_own_process_stops_an_article_at_the_time_limit(
    monkeypatch, settings, tmp_path
):
    # `import_articles --sync` once ran an extraction with no limit at all.
    settings.CELERY_TASK_SOFT_TIME_LIMIT = 0.5

    def endless(doc):
        time.sleep(30)

    monkeypatch.setattr(extractor, "attribute", endless)
    (tmp_path / "a.txt").write_text(_TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(_TEXT.replace("Tuesday", "Friday"), encoding="utf-8")
    started = time.monotonic()
    call_command("import_articles", str(tmp_path), "--outlet", "Wire", "--sync", stdout=io.StringIO())
    assert time.monotonic() - started < 10
    articles = Article.objects.order_by("pk")
    assert [a.status for a in articles] == [Article.Status.FAILED, Article.Status.FAILED]
    assert all("limit and was stopped" in a.error for a in articles)
