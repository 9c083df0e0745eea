"""``manage.py create_editor USERNAME``: a user who may upload and correct."""

from __future__ import annotations

import getpass
import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from quotes.permissions import editors_group


class Command(BaseCommand):
    help = (
        "Create (or promote) a user in the editor group. "
        "The password comes from --password, $EDITOR_PASSWORD or a prompt."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", help="Prefer $EDITOR_PASSWORD: arguments show in the process list.")
        parser.add_argument("--staff", action="store_true", help="Also allow the admin site.")

    def handle(self, username, **options):
        password = options["password"] or os.environ.get("EDITOR_PASSWORD")
        user = get_user_model().objects.filter(username=username).first()
        created = user is None
        if created and not password:
            password = getpass.getpass(f"Password for {username}: ")
        if created and not password:
            # Asked before anything is stored: a failed run leaves no user behind.
            raise CommandError("An editor needs a password.")
        with transaction.atomic():
            if created:
                user = get_user_model()(username=username)
            if password:
                user.set_password(password)
            user.is_staff = user.is_staff or options["staff"]
            user.save()
            user.groups.add(editors_group())
        self.stdout.write(f"{'Created' if created else 'Updated'} editor {username}.")
