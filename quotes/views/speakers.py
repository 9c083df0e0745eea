"""Speakers: the list, the suggestions as a name is typed, one speaker's page."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import charts, corrections
from ..models import Family, MergedSpeaker, Outlet, Speaker, SpeakerRemoval, Version
from ..permissions import editor_required
from .common import page_of


def speaker_list(request):
    speakers = Speaker.objects.with_counts().filter(version_count__gt=0).order_by("-family_count", "name")
    return render(request, "quotes/speaker_list.html", {"page": page_of(request, speakers, 50)})


def speaker_suggestions(request):
    """Autocomplete: speakers whose names or aliases look like what was typed."""
    typed = request.GET.get("speaker", "").strip()
    speakers = []
    if len(typed) >= 2:
        speakers = Speaker.objects.named_like(typed).with_counts().order_by("-family_count", "name")[:8]
    if request.GET.get("as") == "options":  # a correction form's list of speakers to pick from
        return render(request, "quotes/_speaker_options.html", {"speakers": speakers})
    return render(request, "quotes/_speaker_suggestions.html", {"speakers": speakers, "typed": typed})


# A speaker's outlets are counted in this many of their latest quotes (as the articles print them).
SPEAKER_OUTLETS_VERSIONS = 1_000


def speaker_detail(request, slug: str):
    speaker = Speaker.objects.prefetch_related("aliases", "roles").filter(slug=slug).first()
    if speaker is None:
        return _merged(slug, "quotes:speaker-detail")
    # No per-family counts: the page lists the outlets themselves, and a
    # GROUP BY over all of a prolific speaker's families costs seconds.
    families = (
        Family.objects.by_speaker(speaker)
        .chronological()
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=Version.objects.with_article().in_publication_order(),
            )
        )
    )
    # Counted in the speaker's latest quotes (by the articles that printed them): counting
    # all of a prolific speaker's reads tens of thousands of quotes on each view. The latest
    # are those from the article of the SPEAKER_OUTLETS_VERSIONS-th latest on, so that
    # both reads go along the (speaker, article) index.
    since = (
        Version.objects.filter(speaker=speaker)
        .order_by("-article_id")
        .values_list("article_id", flat=True)[SPEAKER_OUTLETS_VERSIONS - 1 :]
        .first()
    )
    quoted = Q(articles__versions__speaker=speaker)
    outlets = (
        Outlet.objects.filter(quoted & Q(articles__versions__article__gte=since or 0))
        .annotate(n=Count("articles__versions"))
        .order_by("-n", "name")[:10]
    )
    chart = charts.monthly_bar_chart(
        Family.objects.by_speaker(speaker).count_by_month("first_seen"),
        title=f"Quotes by {speaker.name} per month",
    )
    return render(
        request,
        "quotes/speaker_detail.html",
        {
            "speaker": speaker,
            "page": page_of(request, families),
            "outlets": outlets,
            "outlets_versions": SPEAKER_OUTLETS_VERSIONS,
            "outlets_of_latest": since is not None,
            "chart": chart,
        },
    )


def _merged(slug: str, url_name: str) -> HttpResponse:
    """A link to a speaker merged into another: a permanent redirect to that one's page."""
    now = MergedSpeaker.now(slug)
    if now is None:
        raise Http404("No such speaker.")
    return HttpResponsePermanentRedirect(reverse(url_name, args=[now.slug]))


@require_POST
@editor_required("change_version")
def speaker_merge(request, slug: str):
    """An editor merges another speaker, who is the same person or organisation, into this one."""
    speaker = get_object_or_404(Speaker, slug=slug)
    name = request.POST.get("speaker", "")
    other = corrections.speaker_named(name)
    if other is None or other == speaker:
        messages.error(request, f"Not merged: no other speaker is called “{name.strip()}”.")
        return redirect(speaker)
    corrections.merge_speakers(speaker, [other])
    messages.success(request, f"Merged: {other.name} is now {speaker.name}, and their page leads here.")
    return redirect(speaker)


@require_POST
@editor_required("change_version")
def speaker_remove(request, slug: str):
    """An editor removes an alias or a role the articles taught this speaker wrongly."""
    speaker = get_object_or_404(Speaker, slug=slug)
    kind = request.POST.get("kind", "")
    if kind not in SpeakerRemoval.Kind.values:
        messages.error(request, "Not removed: say whether it is an alias or a role.")
        return redirect(speaker)
    removal = corrections.remove_from_speaker(speaker, kind, request.POST.get("normalized", ""), request.user)
    if removal is None:
        messages.error(request, f"Not removed: {speaker.name} has no such {kind}, or it is their name.")
    else:
        messages.success(request, f"Removed: {speaker.name} is no longer {kind} “{removal.name}”.")
    return redirect(speaker)
