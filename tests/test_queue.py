"""Jobs are sent by task name (``quotes.queue``): each is a task the worker knows, with its arguments."""

import inspect

import pytest

import quotes.tasks  # noqa: F401 - registers the tasks, as the worker's autodiscovery does
from newsapp.celery import app
from quotes import queue


@pytest.mark.parametrize(
    ("send", "args"),
    [
        (queue.extract_article, (7,)),
        (queue.extract_articles, ([7, 8],)),
        (queue.poll_source, (3,)),
        (queue.fetch_article, (5,)),
    ],
)
def test_each_job_names_a_registered_task_that_takes_its_arguments(monkeypatch, send, args):
    sent = []
    monkeypatch.setattr(app, "send_task", lambda name, args, **_: sent.append((name, args)))
    send(*args)
    [(name, sent_args)] = sent
    task = app.tasks[name]
    inspect.signature(task.run).bind(*sent_args)  # raises TypeError when they do not fit
    assert list(sent_args) == list(args)


@pytest.mark.parametrize(
    ("send", "args"),
    [
        (queue.extract_article, (7,)),
        (queue.extract_articles, ([7, 8],)),
        (queue.poll_source, (3,)),
        (queue.fetch_article, (5,)),
    ],
)
def test_jobs_carry_no_time_limit_so_the_worker_applies_its_own(monkeypatch, settings, send, args):
    """EXTRACTION_TIME_LIMIT is read on the worker: one set on the workers alone is the one in force."""
    headers = []
    monkeypatch.setattr(
        app.amqp, "send_task_message", lambda producer, name, message, **_: headers.append(message.headers)
    )
    send(*args)
    assert app.tasks[headers[0]["task"]].time_limit == settings.CELERY_TASK_TIME_LIMIT  # the sender knows one
    assert list(headers[0]["timelimit"]) == [None, None]
