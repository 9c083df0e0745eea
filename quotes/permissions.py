"""Who may change the archive: reading is public, writing is for editors."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.views import LoginView

EDITORS = "editors"
# What an editor may do: add articles (upload, re-run), correct speakers and quotes.
EDITOR_PERMISSIONS = [
    ("quotes", "add_article"),
    ("quotes", "change_article"),
    ("quotes", "change_speaker"),
    ("quotes", "change_quote"),
    ("quotes", "change_occurrence"),
]


def editors_group() -> Group:
    group, _ = Group.objects.get_or_create(name=EDITORS)
    for app_label, codename in EDITOR_PERMISSIONS:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return group


def editor_required(codename: str):
    """Logged-in users with ``quotes.<codename>``; others go to the login page."""
    return permission_required(f"quotes.{codename}", raise_exception=False)


class EditorLoginView(LoginView):
    """The sign-in page; on a fresh install without any account it says how to create the first editor."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["no_accounts_yet"] = not get_user_model().objects.exists()
        return context
