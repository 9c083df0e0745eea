"""Jobs are sent by task name (``quotes.queue``): each is a task the worker knows, with its arguments."""

import inspect

import pytest

import quotes.tasks  # noqa: F401 - registers the tasks, as the worker's autodiscovery does
from newsapp.celery import app
from quotes import queue


@pytest.mark.parametrize(
    ("send", "args"),
    [(queue.extract_article, (7,)), (queue.extract_articles, ([7, 8],)), (queue.poll_source, (3,))],
)
def test_each_job_names_a_registered_task_that_takes_its_arguments(monkeypatch, send, args):
    sent = []
    monkeypatch.setattr(app, "send_task", lambda name, args: sent.append((name, args)))
    send(*args)
    [(name, sent_args)] = sent
    task = app.tasks[name]
    inspect.signature(task.run).bind(*sent_args)  # raises TypeError when they do not fit
    assert list(sent_args) == list(args)
