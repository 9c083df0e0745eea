"""Watched feeds and sitemaps: the list, adding one, pausing one, polling one now."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from .. import polling
from ..forms import SourceForm
from ..models import Source, SourceItem
from ..permissions import editor_required
from .common import page_of

log = logging.getLogger(__name__)

FAILED_ITEMS_SHOWN = 10


@require_http_methods(["GET", "POST"])
@editor_required("add_article")
def source_list(request):
    """The feeds and sitemaps being watched, and a form to watch another."""
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                source = polling.add_source(form.cleaned_data["url"], form.cleaned_data["outlet"])
                _poll_soon(source)
        except polling.SourceError as exc:
            form.add_error("url", str(exc))
        else:
            messages.success(request, f"Watching {source.url}: its newest articles are being imported.")
            return redirect("quotes:source-list")
    # Counted and listed from the failing items alone (their own index): a source
    # may have a row for each address of an outlet's whole archive.
    failing = SourceItem.objects.failing()
    counted = failing.filter(source=OuterRef("pk")).order_by().values("source").annotate(n=Count("pk"))
    # The latest few per source: enough to see what goes wrong, and a page stays short.
    failed_items = failing.order_by("-updated_at")[:FAILED_ITEMS_SHOWN]
    sources = (
        Source.objects.select_related("outlet")
        .annotate(failing_items=Coalesce(Subquery(counted.values("n")), 0))
        .prefetch_related(Prefetch("items", queryset=failed_items, to_attr="failed_items"))
        .order_by("outlet__name", "url")
    )
    return render(request, "quotes/source_list.html", {"form": form, "page": page_of(request, sources)})


@require_POST
@editor_required("add_article")
def source_pause(request, pk: int):
    """Pause a source, or take it up again (polled at once)."""
    source = get_object_or_404(Source, pk=pk)
    source.paused = not source.paused
    source.save(update_fields=["paused"])
    if not source.paused:
        _poll_soon(source)
    messages.success(request, f"{source.url} is {'paused' if source.paused else 'watched again'}.")
    return redirect("quotes:source-list")


@require_POST
@editor_required("add_article")
def source_poll(request, pk: int):
    """Poll a source now rather than at its next turn."""
    source = get_object_or_404(Source, pk=pk)
    if source.paused:
        messages.error(request, f"{source.url} is paused: resume it to poll it.")
        return redirect("quotes:source-list")
    try:
        polling.poll_now(source)
    except Exception:  # noqa: BLE001 - the broker is down: say so, beat polls it when it is due
        log.warning("could not queue a poll of source %s", source.pk, exc_info=True)
        messages.error(
            request, f"{source.url} could not be queued (the job queue is not answering); try again shortly."
        )
    else:
        messages.success(request, f"A poll of {source.url} is queued: its new articles appear in a moment.")
    return redirect("quotes:source-list")


def _poll_soon(source: Source) -> None:
    """Due now: the next beat tick sends it to a worker, and we ask for that at once as well."""
    Source.objects.filter(pk=source.pk).update(next_poll_at=timezone.now())
    transaction.on_commit(_queue_due_sources_quietly)


def _queue_due_sources_quietly() -> None:
    try:
        polling.queue_due_sources()
    except Exception:  # noqa: BLE001 - the broker is down: beat queues it once it is back
        log.warning("could not queue the due sources; beat will", exc_info=True)
