"""Poll watched sources: ``manage.py poll_sources [--sync] [--outlet NAME]``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from quotes import polling, queue, tasks
from quotes.models import Article, Outlet, Source


class Command(BaseCommand):
    help = (
        "Poll every watched source that is not paused (whether due or not) and import its new articles. "
        "Without --sync the polls are sent to the workers; with it they run here, and the articles are "
        "extracted here too."
    )

    def add_arguments(self, parser):
        parser.add_argument("--outlet", help="Only this outlet's sources.")
        parser.add_argument("--sync", action="store_true", help="Poll and extract now, in this process.")

    def handle(self, *args, **options):
        sources = Source.objects.filter(paused=False)
        if options["outlet"]:
            outlet = Outlet.objects.filter(name__iexact=" ".join(options["outlet"].split())).first()
            if outlet is None:
                raise CommandError(f"No outlet is called {options['outlet']!r}.")
            sources = sources.filter(outlet=outlet)
        ids = list(sources.order_by("pk").values_list("pk", flat=True))
        if not ids:
            self.stdout.write("No source to poll.")
            return
        poll_and_report(self, ids, sync=options["sync"])


def poll_and_report(command: BaseCommand, source_ids: list[int], *, sync: bool) -> None:
    failed = 0
    for source_id in source_ids:
        if not sync:
            queue.poll_source(source_id)
            continue
        result = polling.poll_source(source_id, enqueue=False)
        source = Source.objects.get(pk=source_id)
        if result.error:
            failed += 1
            command.stderr.write(f"{source.url}: failed: {result.error}")
            continue
        for article_id in result.imported:
            if Article.objects.filter(pk=article_id, status=Article.Status.QUEUED).exists():
                tasks.extract_in_this_process(article_id)
        state = "not modified" if result.not_modified else f"{result.new_items} new"
        command.stdout.write(
            f"{source.url}: {state}, imported {len(result.imported)}, already there {result.duplicates}, "
            f"failed {result.failed}."
        )
    if not sync:
        command.stdout.write(f"Sent {len(source_ids)} source(s) to the workers.")
    elif failed:
        raise CommandError(f"{failed} of {len(source_ids)} sources could not be polled.")
