from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from . import matching
from .forms import ArticleForm
from .ingest import ingest_article
from .models import Article, Occurrence, Outlet, Quote, Speaker

PAGE_SIZE = 25


def _page(request, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


@dataclass(frozen=True)
class Segment:
    text: str
    occurrence: Occurrence | None = None


def highlight(text: str, occurrences: list[Occurrence]) -> list[Segment]:
    """Cut the text into plain and quoted pieces; nested spans keep the outer one."""
    segments, cursor = [], 0
    for occ in sorted(occurrences, key=lambda o: (o.start, -o.end)):
        if occ.start < cursor or occ.end > len(text):
            continue
        if occ.start > cursor:
            segments.append(Segment(text[cursor : occ.start]))
        segments.append(Segment(text[occ.start : occ.end], occ))
        cursor = occ.end
    if cursor < len(text):
        segments.append(Segment(text[cursor:]))
    return segments


def home(request):
    recent = Article.objects.recent()[:10]
    speakers = (
        Speaker.objects.annotate(n=Count("quotes", distinct=True)).filter(n__gt=0).order_by("-n", "name")[:10]
    )
    widespread = (
        Quote.objects.select_related("speaker")
        .with_outlet_counts()
        .order_by("-outlet_count", "-occurrence_count", "-first_seen")[:10]
    )
    return render(
        request,
        "quotes/home.html",
        {"recent": recent, "speakers": speakers, "widespread": widespread},
    )


def article_list(request):
    articles = Article.objects.select_related("outlet").annotate(n=Count("occurrences")).chronological()
    return render(request, "quotes/article_list.html", {"page": _page(request, articles)})


@require_http_methods(["GET", "POST"])
def article_new(request):
    form = ArticleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = ingest_article(
            outlet=data["outlet"],
            title=data["title"],
            text=data["article_text"],
            published=data["published"],
            url=data["url"],
        )
        return redirect(result.article)
    return render(request, "quotes/article_form.html", {"form": form})


def _article_context(article: Article) -> dict:
    occurrences = list(article.occurrences.select_related("speaker", "quote"))
    title_occurrences = [o for o in occurrences if o.in_title]
    body_occurrences = [o for o in occurrences if not o.in_title]
    return {
        "article": article,
        "occurrences": sorted(occurrences, key=lambda o: (not o.in_title, o.start)),
        "title_segments": highlight(article.title, title_occurrences),
        "segments": highlight(article.text, body_occurrences),
    }


def article_detail(request, pk: int):
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=pk)
    context = _article_context(article)
    if request.htmx:
        return render(request, "quotes/_article_body.html", context)
    return render(request, "quotes/article_detail.html", context)


def quote_detail(request, pk: int):
    quote = get_object_or_404(Quote.objects.select_related("speaker"), pk=pk)
    occurrences = list(quote.occurrences.for_display().in_publication_order())
    first = next((o for o in occurrences if o.article.published), None)
    carried = []
    for occ in occurrences:
        lag = None
        if first and occ.article.published:
            lag = (occ.article.published - first.article.published).days
        carried.append({"occ": occ, "diff": matching.word_diff(quote.text, occ.text), "lag_days": lag})
    return render(request, "quotes/quote_detail.html", {"quote": quote, "carried": carried})


def speaker_list(request):
    speakers = Speaker.objects.with_counts().filter(occurrence_count__gt=0).order_by("-quote_count", "name")
    return render(request, "quotes/speaker_list.html", {"page": _page(request, speakers, 50)})


def speaker_detail(request, slug: str):
    speaker = get_object_or_404(Speaker.objects.prefetch_related("aliases"), slug=slug)
    families = (
        Quote.objects.by_speaker(speaker)
        .chronological()
        .with_outlet_counts()
        .prefetch_related(
            Prefetch("occurrences", queryset=Occurrence.objects.select_related("article__outlet"))
        )
    )
    outlets = (
        Outlet.objects.filter(articles__occurrences__speaker=speaker)
        .annotate(n=Count("articles__occurrences"))
        .order_by("-n")[:10]
    )
    return render(
        request,
        "quotes/speaker_detail.html",
        {"speaker": speaker, "page": _page(request, families), "outlets": outlets},
    )


def outlet_list(request):
    outlets = Outlet.objects.annotate(article_count=Count("articles", distinct=True)).order_by("name")
    return render(request, "quotes/outlet_list.html", {"page": _page(request, outlets, 50)})


def outlet_detail(request, slug: str):
    outlet = get_object_or_404(Outlet, slug=slug)
    articles = (
        outlet.articles.annotate(n=Count("occurrences"))
        .chronological()
        .prefetch_related(
            Prefetch(
                "occurrences",
                queryset=Occurrence.objects.select_related("speaker", "quote").order_by("in_title", "start"),
            )
        )
    )
    return render(
        request, "quotes/outlet_detail.html", {"outlet": outlet, "page": _page(request, articles, 10)}
    )
