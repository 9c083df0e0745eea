"""Outlets: the list, and one outlet's timeline."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.shortcuts import get_object_or_404, render

from .. import charts
from ..models import Article, Outlet, Speaker, Version
from .common import page_of


def outlet_list(request):
    latest_url = (
        Article.objects.filter(outlet=OuterRef("pk"))
        .exclude(url="")
        .order_by("-created_at")
        .values("url")[:1]
    )
    outlets = Outlet.objects.annotate(
        article_count=Count("articles", distinct=True), latest_url=Subquery(latest_url)
    ).order_by("name")
    return render(request, "quotes/outlet_list.html", {"page": page_of(request, outlets, 50)})


@dataclass(frozen=True)
class TimedVersion:
    """A version on an outlet's timeline, with how many days after the first outlet this one carried it."""

    version: Version
    lag_days: int | None


@dataclass(frozen=True)
class TimelineArticle:
    """One article of an outlet's timeline and the versions it printed, in reading order."""

    article: Article
    versions: list[TimedVersion]


# An outlet's most quoted speakers are counted in this many of its latest articles.
OUTLET_SPEAKERS_ARTICLES = 1_000


def outlet_detail(request, slug: str):
    outlet = get_object_or_404(Outlet, slug=slug)
    # Unannotated: the timeline shows each article's quotes, not a count,
    # and the count's GROUP BY would cover every article of the outlet.
    articles = (
        outlet.articles.listed()
        .chronological()
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=Version.objects.select_related("speaker", "family").order_by("in_title", "start"),
            )
        )
    )
    page = page_of(request, articles, 10)
    timeline = [
        TimelineArticle(article, [TimedVersion(o, _days_after_first(o)) for o in article.versions.all()])
        for article in page
    ]
    # Counted in the outlet's latest articles: counting in all of a large
    # outlet's articles reads every one of its quotes on each view.
    latest = outlet.articles.chronological().values("pk")[:OUTLET_SPEAKERS_ARTICLES]
    speakers = Speaker.objects.quoted_most_in(latest)
    chart = charts.monthly_bar_chart(
        outlet.articles.count_by_month("published"),
        title=f"Articles from {outlet.name} per month",
    )
    return render(
        request,
        "quotes/outlet_detail.html",
        {
            "outlet": outlet,
            "domain": outlet.domain or outlet.domain_shown(_an_address(outlet)),
            "page": page,
            "timeline": timeline,
            "speakers": speakers,
            "speakers_articles": OUTLET_SPEAKERS_ARTICLES,
            "chart": chart,
        },
    )


def _an_address(outlet: Outlet) -> str:
    """The address of one of the outlet's latest articles that has one, found along its timeline."""
    addresses = outlet.articles.chronological().exclude(url="").values_list("url", flat=True)
    return addresses.first() or ""


def _days_after_first(version: Version) -> int | None:
    """How long after the first outlet this one carried the quote (0: it was first)."""
    if version.article.published and version.family.first_seen:
        return max(0, (version.article.published - version.family.first_seen).days)
    return None
