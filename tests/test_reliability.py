"""Health, the sweep that re-queues stalled articles, and who may write."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from quotes import health, tasks
from quotes.ingest import ingest_article
from quotes.models import Article

pytestmark = pytest.mark.django_db


def make_article(status=Article.Status.QUEUED, age_seconds=0) -> Article:
    article = ingest_article(
        outlet="Example", title="T", text=f"Text {age_seconds} {status}.", enqueue=False
    ).article
    Article.objects.filter(pk=article.pk).update(
        status=status, updated_at=timezone.now() - timedelta(seconds=age_seconds)
    )
    return article


@pytest.mark.parametrize(("broker_answers", "status_code"), [(True, 200), (False, 503)])
def test_healthz_reports_the_database_and_the_broker(client, monkeypatch, broker_answers, status_code):
    monkeypatch.setattr(health, "_broker_answers", lambda: broker_answers)
    response = client.get(reverse("quotes:healthz"))
    assert response.json()["database"] == "ok"
    assert response.status_code == status_code
    assert set(response.json()) == {"status", "database", "broker"}


def test_healthz_answers_for_the_containers_own_address_whatever_allowed_hosts_says(client, settings):
    settings.ALLOWED_HOSTS = ["quotes.example.org"]
    # What a health check or a load balancer sends: the container's IP and port.
    response = client.get("/healthz", HTTP_HOST="172.18.0.5:8000")
    assert response.status_code in (200, 503) and response.json()["database"] == "ok"
    # Every other page still refuses a host it does not serve.
    assert client.get(reverse("quotes:home"), HTTP_HOST="172.18.0.5:8000").status_code == 400
    assert client.get(reverse("quotes:home"), HTTP_HOST="quotes.example.org").status_code == 200


def test_healthz_answers_plain_http_when_https_is_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz", HTTP_HOST="10.0.0.7").status_code in (200, 503)
    assert client.get(reverse("quotes:home"), HTTP_HOST="localhost").status_code == 301


def test_sweep_requeues_old_queued_and_dead_running_articles(no_enqueue, settings):
    fresh = make_article(age_seconds=5)
    stuck = make_article(age_seconds=settings.REQUEUE_QUEUED_AFTER + 10)
    dead = make_article(Article.Status.RUNNING, age_seconds=settings.REQUEUE_RUNNING_AFTER + 10)
    alive = make_article(Article.Status.RUNNING, age_seconds=5)
    done = make_article(Article.Status.DONE, age_seconds=10_000)
    assert tasks.requeue_stalled_articles() == 2
    assert sorted(no_enqueue) == sorted([stuck.pk, dead.pk])
    assert {fresh.pk, alive.pk, done.pk}.isdisjoint(no_enqueue)


def test_re_run_needs_an_editor(client, no_enqueue):
    article = make_article(Article.Status.DONE)
    url = reverse("quotes:article-rerun", args=[article.pk])
    response = client.post(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert no_enqueue == []
    reader = User.objects.create_user("reader", password="a-long-password")
    client.force_login(reader)
    assert client.post(url).status_code == 403  # signed in, not an editor: told so
    assert no_enqueue == []


def test_editor_can_re_run_extraction(client, editor, no_enqueue, django_capture_on_commit_callbacks):
    article = make_article(Article.Status.FAILED)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("quotes:article-rerun", args=[article.pk]))
    assert response.status_code == 302
    assert no_enqueue == [article.pk]
    article.refresh_from_db()
    assert article.status == Article.Status.QUEUED


def test_repeated_re_run_clicks_queue_one_extraction(
    client, editor, no_enqueue, django_capture_on_commit_callbacks
):
    article = make_article(Article.Status.DONE)
    client.force_login(editor)
    url = reverse("quotes:article-rerun", args=[article.pk])
    with django_capture_on_commit_callbacks(execute=True):
        responses = [client.post(url) for _ in range(3)]
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert no_enqueue == [article.pk]
    told = [str(m) for m in get_messages(responses[-1].wsgi_request)]
    assert any("already" in message for message in told), told


@pytest.mark.parametrize("status", [Article.Status.QUEUED, Article.Status.RUNNING])
def test_re_running_an_article_a_worker_has_or_will_have_queues_nothing(
    client, editor, no_enqueue, django_capture_on_commit_callbacks, status
):
    article = make_article(status)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("quotes:article-rerun", args=[article.pk]))
    assert no_enqueue == []
    article.refresh_from_db()
    assert article.status == status


def test_re_run_refuses_get(client, editor):
    client.force_login(editor)
    article = make_article(Article.Status.DONE)
    assert client.get(reverse("quotes:article-rerun", args=[article.pk])).status_code == 405


def test_upload_needs_an_editor(client, no_enqueue):
    new = reverse("quotes:article-new")
    assert "/accounts/login/" in client.get(new)["Location"]
    response = client.post(new, {"outlet": "X", "title": "T", "text": "He said “yes”."})
    assert "/accounts/login/" in response["Location"]
    assert not Article.objects.exists()


def test_editor_can_open_the_upload_form(client, editor):
    client.force_login(editor)
    assert client.get(reverse("quotes:article-new")).status_code == 200


def test_create_editor_command_makes_a_user_who_may_upload():
    from django.core.management import call_command

    call_command("create_editor", "newsdesk", password="a-long-editor-password")
    user = User.objects.get(username="newsdesk")
    assert user.has_perm("quotes.add_article") and user.check_password("a-long-editor-password")


def test_sign_in_page_says_how_to_create_the_first_editor_only_while_there_is_no_account(client):
    login = reverse("login")
    assert "manage.py create_editor" in client.get(login).content.decode()
    User.objects.create_user("reader", password="a-long-password")
    assert "manage.py create_editor" not in client.get(login).content.decode()
