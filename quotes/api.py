"""Read-only JSON API: quote families and articles."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from .models import Article, Occurrence, Quote
from .search import QuoteFilterForm, find_quotes

API_PAGE_SIZE = 50


def occurrence_json(occ: Occurrence) -> dict:
    article = occ.article
    return {
        "outlet": article.outlet.name,
        "article_id": article.pk,
        "article_title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "text": occ.text,
        "start": occ.start,
        "end": occ.end,
        "in_title": occ.in_title,
        "relation": occ.relation,
    }


def quote_json(quote: Quote) -> dict:
    return {
        "id": quote.pk,
        "text": quote.text,
        "speaker": {"name": quote.speaker.name, "slug": quote.speaker.slug} if quote.speaker else None,
        "first_seen": quote.first_seen.isoformat() if quote.first_seen else None,
        "occurrences": [occurrence_json(occ) for occ in quote.occurrences.all()],
    }


@require_GET
def quote_list(request):
    form = QuoteFilterForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    page = Paginator(find_quotes(form), API_PAGE_SIZE).get_page(request.GET.get("page"))
    next_url = None
    if page.has_next():
        params = request.GET.copy()
        params["page"] = page.next_page_number()
        next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    return JsonResponse({"results": [quote_json(q) for q in page], "next": next_url})


@require_GET
def article_detail(request, pk: int):
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=pk)
    occurrences = article.occurrences.select_related("speaker", "article__outlet")
    return JsonResponse(
        {
            "id": article.pk,
            "title": article.title,
            "outlet": article.outlet.name,
            "published": article.published.isoformat() if article.published else None,
            "url": article.url,
            "status": article.status,
            "text": article.text,
            "occurrences": [
                {
                    **occurrence_json(occ),
                    "speaker": occ.speaker.name if occ.speaker else None,
                    "kind": occ.kind,
                    "cue": occ.cue,
                    "quote_id": occ.quote_id,
                }
                for occ in occurrences
            ],
        }
    )
