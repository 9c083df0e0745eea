"""Searching quotes, and exporting what was found (CSV, JSON)."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from ..api import family_json
from ..families import primary
from ..families.compared import compared_versions
from ..families.folding import as_said
from ..models import Family, Outlet, PrimarySource, Speaker
from ..search import FamilyFilterForm, ResultPaginator, did_you_mean, find_families, highlight_words
from ..templatetags.quotewise import quoted
from .common import PAGE_SIZE

EXPORT_LIMIT = 10_000
# The search page shows at most this many results (exports go up to EXPORT_LIMIT).
SEARCH_RESULT_LIMIT = 1_000


@dataclass(frozen=True)
class SearchResult:
    """A family found, with the words searched for marked in its text."""

    family: Family
    highlighted: str


@dataclass(frozen=True)
class Suggestion:
    """The speaker whose name is spelled most like the one searched for, and the same search by them."""

    speaker: Speaker
    search_url: str


def search(request):
    form = FamilyFilterForm(request.GET or None)
    families = find_families(form) if form.is_bound else Family.objects.none()
    export = request.GET.get("format")
    if export == "csv":
        shown = list(families[:EXPORT_LIMIT])
        return _export_csv(shown, primary.current_sources(shown))
    if export == "json":
        shown = list(families[:EXPORT_LIMIT])
        sources = primary.current_sources(shown)
        return JsonResponse({"results": [family_json(q, sources) for q in shown]})
    page = ResultPaginator(families, PAGE_SIZE, SEARCH_RESULT_LIMIT).get_page(request.GET.get("page"))
    words = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    results = [SearchResult(family, highlight_words(quoted(family.text), words)) for family in page]
    spelled_alike = did_you_mean(form) if form.is_bound else None
    suggestion = None
    if spelled_alike is not None:
        params = request.GET.copy()
        params["speaker"] = spelled_alike.name
        params.pop("page", None)
        suggestion = Suggestion(spelled_alike, f"?{params.urlencode()}")
    return render(
        request,
        "quotes/search.html",
        {
            "form": form,
            "page": page,
            "results": results,
            "outlets": Outlet.objects.all(),
            "did_you_mean": suggestion,
        },
    )


def _export_csv(families: list[Family], sources: dict[int, PrimarySource]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="quotes.csv"'
    # A byte order mark first: without it spreadsheet programs read the file
    # in their local encoding and mangle "£" and curly quotes.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            "quote_id",
            "speaker",
            "quote",
            "quote_kind",
            "first_seen",
            "outlet",
            "outlet_domain",
            "published",
            "article_id",
            "article_title",
            "article_url",
            "text_as_printed",
            "kind",
            "cue",
            "confidence",
            "attribution_note",
            "relation",
            "meaning_flags",
            "pieces",
        ]
    )
    for family in families:
        for compared in compared_versions(family.versions.all(), family.text, sources.get(family.pk)):
            version, article = compared.version, compared.version.article
            writer.writerow(
                csv_safe(
                    family.pk,
                    family.attributed_to,
                    as_said(family.text),
                    family.kind,
                    family.first_seen or "",
                    article.outlet.name,
                    article.outlet.domain_shown(article.url),
                    article.published or "",
                    version.article_id,
                    article.title,
                    article.url,
                    compared.text,
                    version.kind,
                    version.cue,
                    round(version.confidence, 2),
                    version.attribution_note,
                    compared.relation_to_canonical,
                    "; ".join(flag.badge for flag in compared.flags),
                    # A quote split by its cue: where each piece is in the article.
                    "; ".join(f"{piece.start}-{piece.end}" for piece in compared.pieces),
                )
            )
    return response


# A spreadsheet takes a cell beginning with one of these for a formula (OWASP's list).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(*cells) -> list:
    """A CSV row whose text cells a spreadsheet shows as text, never runs as a formula."""
    return [_text_cell(cell) if isinstance(cell, str) else cell for cell in cells]


def _text_cell(cell: str) -> str:
    return f"'{cell}" if cell.startswith(_FORMULA_STARTS) else cell
