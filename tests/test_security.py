"""Abuse: production security settings, who may write, and the upload rate limit."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.urls import reverse

from quotes.ingest import ingest_article
from quotes.models import Article
from tests.conftest import REPO

PRODUCTION_ENV = {
    "SECURE_HTTPS": "true",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "quotes.example.org",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
}


def _run_with(env_overrides: dict[str, str], tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_overrides, "QUOTEWISE_DATA_DIR": str(tmp_path)}
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_PRELOAD"):
        env.pop(name, None)  # a developer's shell must not change what is checked
    return subprocess.run(
        [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow  # manage.py check --deploy in a new interpreter
def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {**PRODUCTION_ENV, "SECRET_KEY": secrets.token_urlsafe(50)}
    result = _run_with(env, tmp_path, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


@pytest.mark.slow  # a new interpreter with production settings
def test_production_settings_send_https_only_cookies_and_trust_the_proxy_header(tmp_path):
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, list(s.SECURE_PROXY_SSL_HEADER)]))"
    )
    env = {
        **PRODUCTION_ENV,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SETTINGS_MODULE": "newsapp.settings",
    }
    result = _run_with(env, tmp_path, "-c", script)
    assert result.returncode == 0, result.stderr
    redirect, session_secure, csrf_secure, hsts, proxy_header = json.loads(result.stdout.splitlines()[-1])
    assert redirect and session_secure and csrf_secure
    assert hsts >= 365 * 24 * 3600
    assert proxy_header == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_local_defaults_keep_plain_http_working(settings):
    # `make run` serves http://127.0.0.1: no redirect, cookies sent over http.
    assert not settings.SECURE_HTTPS
    assert not getattr(settings, "SECURE_SSL_REDIRECT", False)
    assert not settings.SESSION_COOKIE_SECURE and not settings.CSRF_COOKIE_SECURE


@pytest.mark.django_db
def test_pages_send_security_headers(client):
    response = client.get(reverse("quotes:home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


# Who may write ----------------------------------------------------------------


@pytest.fixture
def article(db):
    return ingest_article(outlet="Example", title="T", text="“We stay,” she said.", enqueue=False).article


@pytest.fixture
def reader(db):
    return User.objects.create_user("reader", password="a-long-reader-password")


def _refused(response) -> bool:
    # Django's answer to a missing permission: off to a login page, or 403.
    return response.status_code == 403 or (response.status_code == 302 and "/login/" in response["Location"])


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_only_editors_may_upload(client, who, reader, no_enqueue):
    if who == "reader":
        client.force_login(reader)
    new = reverse("quotes:article-new")
    assert _refused(client.get(new))
    assert _refused(client.post(new, {"outlet": "X", "title": "T", "text": "He said “yes”."}))
    assert not Article.objects.exists() and no_enqueue == []


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_only_editors_may_re_run_extraction(client, who, reader, article, no_enqueue):
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DONE)
    if who == "reader":
        client.force_login(reader)
    assert _refused(client.post(reverse("quotes:article-rerun", args=[article.pk])))
    article.refresh_from_db()
    assert article.status == Article.Status.DONE and no_enqueue == []


@pytest.mark.parametrize("who", ["anonymous", "reader", "editor"])
def test_the_admin_is_for_staff_only(client, who, reader, editor, article):
    if who != "anonymous":
        client.force_login(reader if who == "reader" else editor)
    change = reverse("admin:quotes_article_change", args=[article.pk])
    delete = reverse("admin:quotes_article_delete", args=[article.pk])
    assert _refused(client.get(reverse("admin:index")))
    assert _refused(client.get(change))
    assert _refused(client.post(change, {"title": "Defaced"}))
    assert _refused(client.post(delete, {"post": "yes"}))
    article.refresh_from_db()
    assert article.title == "T"


def test_staff_without_permissions_cannot_change_or_delete_in_the_admin(client, article):
    staff = User.objects.create_user("clerk", password="a-long-clerk-password", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:index")).status_code == 200
    delete = reverse("admin:quotes_article_delete", args=[article.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_forms_refuse_a_post_without_the_csrf_token(article, editor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(reverse("quotes:article-new"), {"outlet": "X", "text": "He said “yes”."})
    assert response.status_code == 403
    assert client.post(reverse("quotes:article-rerun", args=[article.pk])).status_code == 403


# Upload rate limit ------------------------------------------------------------


@pytest.fixture
def limit_of_two(settings):
    settings.UPLOAD_RATE_LIMIT = 2
    cache.clear()
    yield
    cache.clear()


def _upload(client, n: int):
    data = {"outlet": "Example", "title": f"Story {n}", "text": f"“We stay {n},” she said."}
    return client.post(reverse("quotes:article-new"), data)


def test_uploads_beyond_the_rate_limit_are_refused_with_a_clear_message(
    editor_client, limit_of_two, no_enqueue
):
    assert _upload(editor_client, 1).status_code == 302
    assert _upload(editor_client, 2).status_code == 302
    refused = _upload(editor_client, 3)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    page = refused.content.decode()
    assert "Too many uploads: at most 2 a minute" in page
    assert "We stay 3" in page  # what was typed is not lost
    assert Article.objects.count() == 2


def test_the_rate_limit_counts_each_editor_separately(editor_client, limit_of_two, no_enqueue):
    from django.test import Client

    from quotes.permissions import editors_group

    for n in range(3):
        _upload(editor_client, n)
    other = User.objects.create_user("other-editor", password="a-long-editor-password")
    other.groups.add(editors_group())
    other_client = Client()
    other_client.force_login(other)
    assert _upload(other_client, 10).status_code == 302


def test_a_rate_limit_of_zero_turns_it_off(editor_client, settings, no_enqueue):
    settings.UPLOAD_RATE_LIMIT = 0
    for n in range(5):
        assert _upload(editor_client, n).status_code == 302
    assert Article.objects.count() == 5
