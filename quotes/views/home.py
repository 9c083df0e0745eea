"""The home page: recent articles, the most quoted speakers, the most widely carried quotes,
and the versions that lately changed what was said."""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.shortcuts import render
from django.utils import timezone

from ..models import Article, Family, Speaker, Version
from .common import distinct_texts

# How many recently changed versions the home page lists.
RECENT_CHANGED_VERSIONS = 5


def home(request):
    recent = Article.objects.recent()[:10]
    # Most quoted in the articles published this month (an undated one counts
    # by the day it was added); all time while the month is quiet.
    month_start = timezone.localdate().replace(day=1)
    this_month = Q(versions__article__published__gte=month_start) | Q(
        versions__article__published__isnull=True, versions__article__created_at__date__gte=month_start
    )
    speakers = list(
        Speaker.objects.annotate(n=Count("versions", filter=this_month))
        .filter(n__gt=0)
        .order_by("-n", "name")[:10]
    )
    speakers_period = "this month"
    if not speakers:
        speakers = Speaker.objects.annotate(n=Count("versions")).filter(n__gt=0).order_by("-n", "name")[:10]
        speakers_period = "of all time"
    widespread = distinct_texts(
        Family.objects.select_related("speaker")
        .worth_featuring()
        .with_outlet_counts()
        .with_kind()
        .order_by("-outlet_count", "-version_count", "-first_seen")[:20]
    )[:10]
    # The versions that changed what was said, newest first: few, and found
    # through the partial index that holds only them.
    changed = (
        Version.objects.changing_meaning()
        .for_display()
        .order_by(F("article__published").desc(nulls_last=True), "-article__created_at", "-pk")[
            :RECENT_CHANGED_VERSIONS
        ]
    )
    return render(
        request,
        "quotes/home.html",
        {
            "changed": changed,
            "recent": recent,
            "speakers": speakers,
            "speakers_period": speakers_period,
            "widespread": widespread,
        },
    )
