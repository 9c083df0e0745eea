"""A worker parses in a process of its own (``quotes.extraction.parse_process``) while it
writes: the same findings and stored rows as a parse in the worker itself, stopped by the
worker's time limit, replaced when it dies, never left behind."""

from pathlib import Path

import pytest
from celery.signals import worker_process_init, worker_process_shutdown

from quotes import extraction, pipeline, queue, tasks
from quotes.extraction.parse_process import ParseProcess
from quotes.ingest import ingest_article
from quotes.models import Article
from tests.conftest import seed_text


def _gone(pid: int) -> bool:
    """The process ended and was waited for: not even a zombie is left."""
    return not Path(f"/proc/{pid}").exists()


@pytest.fixture
def parse_in_a_process():
    """This test's process parses in a parse process of its own, as a worker's does."""
    yield pipeline.parse_in_a_process
    pipeline.stop_parse_process()


def _stories(*texts: str) -> list[int]:
    return [
        ingest_article(outlet="Example", title=f"Story {n}", text=text, enqueue=False).article.pk
        for n, text in enumerate(texts)
    ]


def _speakers(parsed) -> list[str]:
    return [findings[0].speaker for _, findings, _ in parsed]


@pytest.mark.slow  # a new interpreter, which loads the spaCy model
def test_a_parse_process_finds_what_a_parse_in_this_process_finds():
    texts = [seed_text(prefix)[0] for prefix in ("000", "001", "002")] + ["", "No quote here."]
    parser = ParseProcess()
    try:
        assert list(parser.parse(texts)) == list(extraction.extract_many(texts))
    finally:
        parser.stop()


@pytest.mark.django_db
@pytest.mark.slow  # a new interpreter
def test_each_chunk_is_parsed_in_the_same_parse_process_not_in_the_worker(parse_in_a_process):
    process = parse_in_a_process("tests.parsers:in_this_process")
    first, second = _stories("“We stay,” she said.", "“We go,” he said."), _stories("“Maybe,” they said.")
    assert _speakers(pipeline.extract_batch(first)) == [f"Process {process.pid}"] * 2
    assert _speakers(pipeline.extract_batch(second)) == [f"Process {process.pid}"]


@pytest.mark.django_db
@pytest.mark.slow  # a new interpreter
def test_a_worker_out_of_time_stops_its_parse_process_and_the_next_chunk_gets_another(parse_in_a_process):
    process = parse_in_a_process("tests.parsers:stuck_on_forever")
    ids = _stories("“We stay,” she said.", "“We go,” he said.", "“We stay forever,” she said.")
    batch = pipeline.extract_batch(ids)
    next(batch), next(batch)
    stuck = process.pid
    with pytest.raises(tasks.SoftTimeLimitExceeded), tasks._soft_time_limit(0.5):
        next(batch)
    assert stuck is not None and _gone(stuck)
    again = _stories("“We stay,” she said again.")
    assert _speakers(pipeline.extract_batch(again)) == [f"Process {process.pid}"]
    assert process.pid != stuck


@pytest.mark.django_db
@pytest.mark.slow  # a new interpreter
def test_a_parse_process_that_dies_sends_the_articles_not_written_on_their_own(
    parse_in_a_process, monkeypatch
):
    process = parse_in_a_process("tests.parsers:dies_on_crash")
    sent = []
    monkeypatch.setattr(queue, "extract_article", sent.append)
    ids = _stories("“We stay,” she said.", "“We go,” he said.", "“We crash,” she said.")
    died = process.pid
    tasks.extract_articles(ids)
    assert Article.objects.get(pk=ids[1]).status == Article.Status.DONE
    assert sent == ids[2:]
    assert died is not None and _gone(died)
    assert _speakers(pipeline.extract_batch(ids[:1])) == [f"Process {process.pid}"]


@pytest.mark.django_db
@pytest.mark.slow  # a new interpreter
def test_a_parse_that_fails_is_raised_in_the_worker_and_the_process_goes_on(parse_in_a_process, monkeypatch):
    process = parse_in_a_process("tests.parsers:fails_on_bug")
    sent = []
    monkeypatch.setattr(queue, "extract_article", sent.append)
    ids = _stories("“We stay,” she said.", "“A bug,” she said.", "“We go,” he said.")
    pid = process.pid
    tasks.extract_articles(ids)
    assert sent == ids[1:]
    tasks.extract_article(ids[1])
    assert "a bug in the parser" in Article.objects.get(pk=ids[1]).error
    assert process.pid == pid  # nothing was left unparsed: the same process serves on


@pytest.mark.django_db
@pytest.mark.slow  # a new interpreter, which loads the spaCy model
def test_a_chunk_parsed_in_a_parse_process_is_stored_as_one_parsed_in_the_worker(parse_in_a_process):
    ids = _stories(*(seed_text(prefix)[0] for prefix in ("000", "001", "002")))
    tasks.extract_articles(ids)
    stored = _rows(ids)
    assert stored
    parse_in_a_process()
    tasks.extract_articles(ids)
    assert _rows(ids) == stored


def _rows(ids: list[int]) -> list[tuple]:
    return sorted(
        Article.objects.filter(pk__in=ids).values_list(
            "pk",
            "status",
            "versions__start",
            "versions__end",
            "versions__kind",
            "versions__speaker__name",
            "versions__family__text",
            "versions__relation",
        )
    )


@pytest.mark.slow  # a new interpreter, which loads the spaCy model
def test_a_worker_process_starts_its_parse_process_and_waits_for_it_when_it_ends():
    worker_process_init.send(sender="test")
    try:
        process = pipeline._parse_process
        assert process is not None and process.pid is not None
    finally:
        worker_process_shutdown.send(sender="test", pid=0, exitcode=0)
    assert pipeline._parse_process is None and _gone(process.pid)
