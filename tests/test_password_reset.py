"""Password reset: the page says a mail is on its way only when it was sent."""

from __future__ import annotations

import smtplib

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

pytestmark = pytest.mark.django_db

RESET = reverse("password_reset")
FAILED = "could not be sent"


class UnreachableMailServer(BaseEmailBackend):
    def open(self):
        raise ConnectionRefusedError("nothing listens on the mail port")

    def send_messages(self, email_messages):
        self.open()


class RecipientRefusingMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"editor@example.org": (550, b"no such mailbox")})


@pytest.fixture
def account(db):
    return User.objects.create_user("editor", email="editor@example.org", password="a-long-editor-password")


def test_email_defaults_to_the_console_backend():
    from newsapp import settings as project_settings

    assert project_settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"


def test_a_sent_reset_mail_leads_to_the_check_your_mail_page(client, account, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(RESET, {"email": "editor@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["editor@example.org"]
    assert "/accounts/reset/" in mail.outbox[0].body


@pytest.mark.parametrize("address", ["editor@example.org", "nobody@example.org"])
def test_an_unreachable_mail_server_is_reported_for_any_address(client, account, settings, address):
    settings.EMAIL_BACKEND = f"{__name__}.UnreachableMailServer"
    response = client.post(RESET, {"email": address})
    assert response.status_code == 200
    page = response.content.decode()
    assert FAILED in page and 'role="alert"' in page
    assert "Check your mail" not in page


def test_a_mail_the_server_refuses_is_reported_not_claimed_sent(client, account, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RecipientRefusingMailServer"
    response = client.post(RESET, {"email": "editor@example.org"})
    assert response.status_code == 200 and FAILED in response.content.decode()


def test_the_sign_in_page_links_to_password_reset(client):
    assert f'href="{RESET}"' in client.get(reverse("login")).content.decode()
