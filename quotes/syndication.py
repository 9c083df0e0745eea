"""The Atom feeds Quotewise publishes: the quotes of one speaker, the quotes one outlet
carried. (The feeds Quotewise reads are watched sources: ``watching``, ``polling``.)"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, time

from django.contrib.syndication.views import Feed
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html

from .extraction.invisible import without_control_characters
from .models import MergedSpeaker, Outlet, Speaker, Version
from .templatetags.quotewise import quoted

FEED_SIZE = 50


class _SafeAtomFeed(Atom1Feed):
    """An Atom feed whose every text leaves out the control characters XML cannot
    carry: intake takes them out, but one left in a stored row must not make the
    whole feed fail."""

    def __init__(self, *args, **kwargs):
        super().__init__(*_without_control_characters(args), **_without_control_characters(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*_without_control_characters(args), **_without_control_characters(kwargs))


def _without_control_characters(values):
    if isinstance(values, dict):
        return {key: _without_control_characters(value) for key, value in values.items()}
    if isinstance(values, list | tuple):
        return type(values)(_without_control_characters(value) for value in values)
    return without_control_characters(values) if isinstance(values, str) else values


class _VersionFeed(Feed):
    feed_type = _SafeAtomFeed

    def item_title(self, version: Version) -> str:
        speaker = (
            version.speaker.name if version.speaker else version.speaker_description or "Unknown speaker"
        )
        words = quoted(version.text)[:120]
        # A version that changes the meaning says how, where a feed reader shows it first.
        changes = "".join(f" [{flag.badge}]" for flag in version.flags)
        if version.kind == Version.Kind.INDIRECT:
            return f"{speaker}, reported: {words}{changes}"
        return f"{speaker}: “{words}”{changes}"

    def item_description(self, version: Version) -> str:
        # Atom's summary is sent as type="html": its text must be escaped HTML,
        # or an article title's <script> would reach feed readers as markup.
        article = version.article
        summary = format_html("<p>{}</p><p>— {}, {}</p>", version.text, article.outlet.name, article.title)
        if version.flags:
            changes = ", ".join(flag.badge for flag in version.flags)
            summary += format_html("<p>Changes the meaning: {}</p>", changes)
        return summary

    def item_link(self, version: Version) -> str:
        return version.family.get_absolute_url()

    host = "localhost"

    def get_feed(self, obj, request):
        # One Feed instance serves every request: the host goes on a copy.
        feed = copy.copy(self)
        feed.host = request.get_host().rsplit(":", 1)[0].strip("[]") or self.host
        return Feed.get_feed(feed, obj, request)

    def item_guid(self, version: Version) -> str:
        # A tag: URI (RFC 4151), which Atom requires an id to be: this site's
        # host, the day the article was stored, and where the quote stands in it.
        # Not the version's id, which extraction run again replaces: a feed
        # reader would show every re-run as new entries.
        place = f"{'title' if version.in_title else 'text'}/{version.start}-{version.end}"
        return f"tag:{self.host},{version.article.created_at:%Y-%m-%d}:article/{version.article_id}/{place}"

    item_guid_is_permalink = False

    def item_pubdate(self, version: Version):
        """When the article was published; when it was added, for an undated one."""
        if version.article.published:
            return datetime.combine(version.article.published, time(), tzinfo=UTC)
        return version.article.created_at

    def item_updateddate(self, version: Version):
        return version.article.updated_at

    def _items(self, **filters):
        return (
            Version.objects.filter(**filters)
            .for_display()
            .order_by("-article__published", "-article__created_at", "start")[:FEED_SIZE]
        )


class SpeakerFeed(_VersionFeed):
    def __call__(self, request, *args, **kwargs):
        merged_into = MergedSpeaker.now(kwargs["slug"])
        if merged_into is not None and not Speaker.objects.filter(slug=kwargs["slug"]).exists():
            return HttpResponsePermanentRedirect(reverse("quotes:speaker-feed", args=[merged_into.slug]))
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, slug: str) -> Speaker:
        return get_object_or_404(Speaker, slug=slug)

    def title(self, speaker: Speaker) -> str:
        return f"Quotes by {speaker.name} — Quotewise"

    def link(self, speaker: Speaker) -> str:
        return speaker.get_absolute_url()

    def items(self, speaker: Speaker):
        return self._items(speaker=speaker)


class OutletFeed(_VersionFeed):
    def get_object(self, request, slug: str) -> Outlet:
        return get_object_or_404(Outlet, slug=slug)

    def title(self, outlet: Outlet) -> str:
        return f"Quotes carried by {outlet.name} — Quotewise"

    def link(self, outlet: Outlet) -> str:
        return outlet.get_absolute_url()

    def items(self, outlet: Outlet):
        return self._items(article__outlet=outlet)
