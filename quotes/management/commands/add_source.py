"""Watch a feed or sitemap: ``manage.py add_source URL --outlet NAME``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from quotes import polling


class Command(BaseCommand):
    help = (
        "Watch an outlet's RSS or Atom feed, news sitemap (or sitemap index), or home page (the feed it "
        "announces is found there). Its newest articles are imported at the first poll, which is due at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("url", help="The feed's, sitemap's or home page's http(s):// address.")
        parser.add_argument("--outlet", required=True, help="The outlet publishing it (created when new).")
        parser.add_argument("--interval", type=int, help="Minutes between two polls (default 15).")
        parser.add_argument("--sync", action="store_true", help="Poll it now, in this process, and extract.")

    def handle(self, *args, **options):
        interval = options["interval"] * 60 if options["interval"] else None
        if interval is not None and interval <= 0:
            raise CommandError("--interval must be at least one minute.")
        try:
            with transaction.atomic():
                source = polling.add_source(options["url"], options["outlet"], interval=interval)
        except polling.SourceError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Watching {source.url} for {source.outlet.name} (source {source.pk}).")
        if options["sync"]:
            from .poll_sources import poll_and_report

            poll_and_report(self, [source.pk], sync=True)
        else:
            self.stdout.write("The next beat tick polls it; or run `manage.py poll_sources --sync` now.")
