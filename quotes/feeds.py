"""Atom feeds: the quotes of one speaker, the quotes one outlet carried."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html

from .models import Occurrence, Outlet, Speaker

FEED_SIZE = 50


class _OccurrenceFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, occ: Occurrence) -> str:
        speaker = occ.speaker.name if occ.speaker else "Unknown speaker"
        return f"{speaker}: “{occ.text[:120]}”"

    def item_description(self, occ: Occurrence) -> str:
        # Atom's summary is sent as type="html": its text must be escaped HTML,
        # or an article title's <script> would reach feed readers as markup.
        return format_html("<p>{}</p><p>— {}, {}</p>", occ.text, occ.article.outlet.name, occ.article.title)

    def item_link(self, occ: Occurrence) -> str:
        return occ.quote.get_absolute_url()

    def item_guid(self, occ: Occurrence) -> str:
        return f"occurrence-{occ.pk}"

    def item_pubdate(self, occ: Occurrence):
        return occ.article.created_at

    def _items(self, **filters):
        return (
            Occurrence.objects.filter(**filters)
            .for_display()
            .order_by("-article__published", "-article__created_at", "start")[:FEED_SIZE]
        )


class SpeakerFeed(_OccurrenceFeed):
    def get_object(self, request, slug: str) -> Speaker:
        return get_object_or_404(Speaker, slug=slug)

    def title(self, speaker: Speaker) -> str:
        return f"Quotes by {speaker.name} — Quotewise"

    def link(self, speaker: Speaker) -> str:
        return speaker.get_absolute_url()

    def items(self, speaker: Speaker):
        return self._items(speaker=speaker)


class OutletFeed(_OccurrenceFeed):
    def get_object(self, request, slug: str) -> Outlet:
        return get_object_or_404(Outlet, slug=slug)

    def title(self, outlet: Outlet) -> str:
        return f"Quotes carried by {outlet.name} — Quotewise"

    def link(self, outlet: Outlet) -> str:
        return outlet.get_absolute_url()

    def items(self, outlet: Outlet):
        return self._items(article__outlet=outlet)
