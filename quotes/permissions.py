"""Who may change the archive: reading is public, writing is for editors."""

from __future__ import annotations

import logging
from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.views import LoginView, PasswordResetView, redirect_to_login
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.mail import get_connection, send_mail
from django.shortcuts import render
from django.template import loader

from .signin import ThrottledAuthenticationForm

log = logging.getLogger(__name__)

EDITORS = "editors"
# What an editor may do: add articles (upload, re-run), correct speakers and quotes,
# attach (replace, remove) a family's primary source.
EDITOR_PERMISSIONS = [
    ("quotes", "add_article"),
    ("quotes", "change_article"),
    ("quotes", "change_speaker"),
    ("quotes", "change_family"),
    ("quotes", "change_version"),
    ("quotes", "add_primarysource"),
]


def editors_group() -> Group:
    group, _ = Group.objects.get_or_create(name=EDITORS)
    for app_label, codename in EDITOR_PERMISSIONS:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return group


def editor_required(codename: str):
    """Users with ``quotes.<codename>``. A visitor is sent to sign in; someone
    signed in without the permission is told why not (403), since signing in
    again would not help."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(f"quotes.{codename}"):
                return render(request, "quotes/editors_only.html", status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class EditorLoginView(LoginView):
    """The sign-in page; on a fresh install without any account it says how to create the first editor.
    Failed attempts are throttled (``signin``): a paused sign-in answers 429."""

    authentication_form = ThrottledAuthenticationForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "throttled"):
            response.status_code = 429
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["no_accounts_yet"] = not get_user_model().objects.exists()
        return context


class MailNotSent(Exception):
    """The mail server refused or could not be reached."""


class StrictPasswordResetForm(PasswordResetForm):
    """Django's reset form, except that a mail that could not be sent is an error, not a log line."""

    def save(self, *args, **kwargs) -> None:
        # Reaching the mail server is tried for every address, known or not,
        # so that the answer says nothing about which addresses have accounts.
        try:
            with get_connection():
                pass
        except OSError as error:  # smtplib's errors are OSErrors too
            raise MailNotSent from error
        super().save(*args, **kwargs)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        try:
            send_mail(subject, body, from_email, [to_email])
        except OSError as error:
            log.exception("the password reset mail to user %s could not be sent", context["user"].pk)
            raise MailNotSent from error


class StrictPasswordResetView(PasswordResetView):
    """Says the mail is on its way only when it was handed to the mail server."""

    form_class = StrictPasswordResetForm

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except MailNotSent:
            form.add_error(
                None,
                "The reset mail could not be sent: the mail server did not answer. "
                "Please try again later, or ask the site's administrator.",
            )
            return self.form_invalid(form)
