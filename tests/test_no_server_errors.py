"""Errors a person should never see as a 500: racing uploads, absurd page
numbers, a dropped database connection, a reader who is not an editor."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.db import connection
from django.urls import reverse

from quotes import ingest
from quotes.ingest import ingest_article
from quotes.models import Article, Outlet

TEXT = "“We stay,” she said on Monday."


def _lose_the_race_once(monkeypatch) -> None:
    """The check for a stored duplicate misses once, as when another upload of
    the same article commits between the check and the insert."""
    calls = []
    check = ingest.stored_duplicate

    def late(*args):
        calls.append(args)
        return None if len(calls) == 1 else check(*args)

    monkeypatch.setattr(ingest, "stored_duplicate", late)


@pytest.mark.django_db
def test_the_loser_of_an_upload_race_gets_the_stored_article(monkeypatch):
    first = ingest_article(outlet="Example", title="T", text=TEXT, enqueue=False)
    _lose_the_race_once(monkeypatch)
    second = ingest_article(outlet="Example", title="T", text=TEXT, enqueue=False)
    assert (second.created, second.article.pk) == (False, first.article.pk)
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_an_upload_that_loses_the_race_is_told_it_is_already_stored(editor_client, monkeypatch, no_enqueue):
    stored = ingest_article(outlet="Example", title="T", text=TEXT, enqueue=False).article
    _lose_the_race_once(monkeypatch)
    response = editor_client.post("/articles/new/", {"outlet": "Example", "title": "T", "text": TEXT})
    assert response.status_code == 302 and response["Location"] == stored.get_absolute_url()
    assert "already stored" in " ".join(str(m) for m in get_messages(response.wsgi_request))


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_same_upload_four_times_at_once_stores_one_and_fails_none(services):
    barrier, results, errors = threading.Barrier(4), [], []

    def upload() -> None:
        try:
            barrier.wait()
            results.append(ingest_article(outlet="Racing Wire", title="T", text=TEXT, enqueue=False))
        except Exception as exc:  # noqa: BLE001 - what the test looks for
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(r.created for r in results) == [False, False, False, True]
    assert len({r.article.pk for r in results}) == 1
    assert Article.objects.count() == 1 and Outlet.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["1e23", "100000000000000000000000", "inf", "Infinity", "1e999"])
def test_an_absurd_api_page_is_refused_not_a_server_error(client, page):
    response = client.get(reverse("quotes:api-quotes"), {"page": page})
    assert response.status_code == 400
    assert "page" in response.json()["errors"]


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["2.0", "abc", "-3", "nan", "-inf", "-Infinity", "-1e999", "NaN", "-0"])
def test_an_api_page_that_is_not_a_plain_number_is_read_sensibly(client, page):
    assert client.get(reverse("quotes:api-quotes"), {"page": page}).status_code == 200


def test_kept_database_connections_are_checked_before_use():
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db
def test_a_signed_in_reader_is_told_why_they_cannot_upload(client, no_enqueue):
    client.force_login(User.objects.create_user("reader", password="a-long-reader-password"))
    for response in (
        client.get(reverse("quotes:article-new")),
        client.post(reverse("quotes:article-new"), {"outlet": "X", "title": "T", "text": TEXT}),
    ):
        assert response.status_code == 403
        page = response.content.decode()
        assert "signed in as reader" in page and "for editors" in page
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("quotes:article-new"))
    assert response.status_code == 302 and "/login/" in response["Location"]
