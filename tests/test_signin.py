"""Sign-in is throttled per account from one client and per client, on the site
and in the admin; behind a trusted proxy each client is counted apart."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PASSWORD = "a-long-editor-password"


@pytest.fixture
def limits(settings):
    settings.SIGNIN_FAILURES_PER_ACCOUNT = 3
    settings.SIGNIN_FAILURES_PER_ADDRESS = 5
    return settings


def _sign_in(client, username, password, address="198.51.100.7", path=LOGIN, **headers):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


PROXY = "10.0.0.2"


def _through_proxy(client, username, password, forwarded_for):
    return _sign_in(client, username, password, address=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def test_after_too_many_wrong_passwords_even_the_right_one_is_refused(client, editor, limits, caplog):
    for _ in range(3):
        assert _sign_in(client, "editor", "wrong").status_code == 200
    with caplog.at_level(logging.INFO, logger="quotes.signin"):
        response = _sign_in(client, "editor", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert "sign-in refused after too many failures: account 'editor', address 198.51.100.7" in caplog.text


def test_a_few_wrong_passwords_do_not_stop_the_right_one(client, editor, limits):
    for _ in range(2):
        _sign_in(client, "editor", "wrong")
    assert _sign_in(client, "editor", PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_failures_are_logged(client, editor, limits, caplog):
    with caplog.at_level(logging.INFO, logger="quotes.signin"):
        _sign_in(client, "editor", "wrong")
    assert "failed sign-in for account 'editor' from 198.51.100.7" in caplog.text


def test_one_address_trying_many_accounts_is_paused(client, editor, limits):
    for number in range(5):
        _sign_in(client, f"someone-{number}", "wrong")
    assert _sign_in(client, "editor", PASSWORD).status_code == 429
    # The editor, from their own address, is not locked out by it.
    assert _sign_in(client, "editor", PASSWORD, address="203.0.113.9").status_code == 302


def test_the_admin_sign_in_is_throttled_too(client, limits):
    User.objects.create_user("boss", password=PASSWORD, is_staff=True)
    admin_login = reverse("admin:login")
    for _ in range(3):
        _sign_in(client, "boss", "wrong", path=admin_login)
    response = _sign_in(client, "boss", PASSWORD, path=admin_login)
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_from_one_client_leave_the_account_open_to_another(client, editor, limits):
    for _ in range(10):
        _sign_in(client, "editor", "wrong", address="192.0.2.66")
    assert _sign_in(client, "editor", "wrong", address="192.0.2.66").status_code == 429
    assert _sign_in(client, "editor", PASSWORD, address="203.0.113.9").status_code == 302


def test_variants_of_the_name_count_as_one_account(client, editor, limits):
    for name in ("editor", "Editor", " EDITOR "):
        _sign_in(client, name, "wrong")
    assert _sign_in(client, "editor", PASSWORD).status_code == 429


def test_behind_the_trusted_proxy_each_client_is_counted_apart(client, editor, limits):
    limits.TRUSTED_PROXIES = [PROXY]
    for number in range(5):
        _through_proxy(client, f"someone-{number}", "wrong", "198.51.100.7")
    assert _through_proxy(client, "editor", PASSWORD, "198.51.100.7").status_code == 429
    assert _through_proxy(client, "editor", PASSWORD, "203.0.113.9").status_code == 302


def test_a_forwarded_address_is_believed_only_from_the_trusted_proxy(client, editor, limits):
    limits.TRUSTED_PROXIES = [PROXY]
    # Not the proxy: its forwarded-for header is the client's own invention.
    for number in range(5):
        _sign_in(client, f"someone-{number}", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    assert _sign_in(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429


def test_addresses_a_client_puts_before_the_proxys_own_are_not_believed(client, editor, limits):
    limits.TRUSTED_PROXIES = [PROXY]
    for number in range(3):
        _through_proxy(client, "editor", "wrong", f"192.0.2.{number}, 198.51.100.7")
    assert _through_proxy(client, "editor", PASSWORD, "203.0.113.50, 198.51.100.7").status_code == 429


def test_without_a_trusted_proxy_the_connecting_address_is_the_client(client, editor, limits):
    for number in range(5):
        _sign_in(client, f"someone-{number}", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    assert _sign_in(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
