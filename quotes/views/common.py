"""What several pages share: pages of a list, one line per statement, editors' corrections shown."""

from __future__ import annotations

from datetime import datetime

from django.core.paginator import Paginator

from ..models import Correction, Version
from ..templatetags.quotewise import quoted

PAGE_SIZE = 25


def page_of(request, queryset, size: int = PAGE_SIZE):
    """The page of ``queryset`` the request asks for (``?page=``), ``size`` rows a page."""
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def distinct_texts(items) -> list:
    """One line for each speaker's words: "Destroyed" and "destroyed" (the
    headline's and the body's) are the same statement, shown once, first kept."""
    seen: set[tuple] = set()
    kept = []
    for item in items:
        key = (item.speaker_id, item.speaker_description, quoted(item.text).casefold())
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def corrected_on(versions: list[Version]) -> dict[int, datetime]:
    """When an editor last corrected each of ``versions`` that was corrected, by its id."""
    articles = {version.article_id for version in versions}
    latest: dict[tuple, object] = {}
    for row in Correction.objects.filter(article_id__in=articles).values(
        "article_id", "in_title", "start", "end", "created_at"
    ):
        span = (row["article_id"], row["in_title"], row["start"], row["end"])
        latest[span] = max(latest.get(span, row["created_at"]), row["created_at"])
    spans = {
        version.pk: (version.article_id, version.in_title, version.start, version.end) for version in versions
    }
    return {pk: latest[span] for pk, span in spans.items() if span in latest}
