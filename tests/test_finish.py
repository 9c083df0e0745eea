"""Finishing touches: error pages, editor creation, a quiet scheduler, charts with an axis."""

import logging

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory
from django.views.defaults import server_error

from newsapp.celery import QuietSweep

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_the_site_styled_404(client, settings):
    settings.DEBUG = False
    response = client.get("/quotes/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "This page is not here" in html and "quotes/site.css" in html and "Search quotes" in html


def test_a_server_error_is_the_site_styled_500():
    # Django's own handler, as it runs on an unhandled exception: no request context.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html and "quotes/site.css" in html


def test_create_editor_leaves_no_user_when_no_password_is_given(monkeypatch):
    monkeypatch.delenv("EDITOR_PASSWORD", raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt: "")
    with pytest.raises(CommandError, match="needs a password"):
        call_command("create_editor", "newsdesk")
    assert not User.objects.filter(username="newsdesk").exists()


def test_create_editor_takes_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "a-long-editor-password")
    call_command("create_editor", "newsdesk")
    user = User.objects.get(username="newsdesk")
    assert user.check_password("a-long-editor-password") and user.has_perm("quotes.add_article")


@pytest.mark.parametrize(
    ("logger", "message", "args"),
    [
        (
            "celery.beat",
            "Scheduler: Sending due task %s (%s)",
            ("requeue-stalled-articles", "quotes.tasks.requeue_stalled_articles"),
        ),
        ("celery.worker.strategy", "Task %s[%s] received", ("quotes.tasks.requeue_stalled_articles", "abc")),
        ("celery.worker.strategy", "Task %s[%s] received", ("quotes.tasks.poll_due_sources", "abc")),
        (
            "celery.beat",
            "Scheduler: Sending due task %s (%s)",
            ("poll-due-sources", "quotes.tasks.poll_due_sources"),
        ),
        (
            "celery.app.trace",
            "Task %(name)s[%(id)s] succeeded in %(runtime)ss: %(return_value)s",
            (
                {
                    "name": "quotes.tasks.requeue_stalled_articles",
                    "id": "abc",
                    "runtime": 0.01,
                    "return_value": 0,
                },
            ),
        ),
    ],
)
def test_the_minutely_tasks_do_not_log_at_info(logger, message, args, caplog):
    caplog.set_level(logging.INFO)
    logging.getLogger(logger).info(message, *args)
    assert caplog.records == []
    logging.getLogger(logger).info("Task %s[%s] received", "quotes.tasks.extract_article", "def")
    assert len(caplog.records) == 1  # other tasks still are
    assert QuietSweep().filter(logging.LogRecord(logger, logging.ERROR, "", 0, message, args, None))


def test_a_chart_has_a_y_axis_whose_range_fits_the_data():
    from datetime import date

    from quotes import charts

    chart = charts.monthly_bar_chart([(date(2024, 3, 1), 3), (date(2024, 5, 1), 14)], title="t")
    assert chart.max_value == 14 and chart.top == 20
    assert [tick.value for tick in chart.ticks] == [0, 10, 20]
    tallest = max(chart.bars, key=lambda bar: bar.value)
    assert tallest.y > chart.ticks[-1].y  # 14 stops below the top of an axis to 20
    assert chart.axis_width >= 28  # the numbers have a strip of their own, left of the bars
    assert min(bar.x for bar in chart.bars) >= 0 and max(bar.x + bar.width for bar in chart.bars) <= 100
    small = charts.monthly_bar_chart([(date(2024, 5, 1), 3)], title="t")
    assert small.top == 3 and [tick.value for tick in small.ticks] == [0, 3]
    assert [charts.axis_top(n) for n in (1, 5, 6, 11, 40, 51, 999)] == [1, 5, 10, 20, 50, 100, 1000]


@pytest.mark.slow  # manage.py makemigrations in a new interpreter
def test_the_migrations_check_warns_of_no_missing_database():
    """`make test` checks for missing migrations before the test database exists: the
    check runs on an empty in-memory database, so Django has no database to warn about."""
    import os
    import subprocess
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    printed = subprocess.run(
        ["make", "-n", "--always-make", "--no-print-directory", "migrations-check"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")},
    ).stdout.splitlines()
    recipe = next(line for line in printed if "makemigrations" in line)
    assert "makemigrations --check" in recipe
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/quotewise_never_created"}
    run = subprocess.run(["bash", "-c", recipe], cwd=repo, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "does not exist" not in run.stderr and "RuntimeWarning" not in run.stderr
