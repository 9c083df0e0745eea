"""Read-only JSON API: quote families and articles."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from .families.check import check_quote
from .families.compared import ComparedVersion, compared_versions
from .families.folding import as_said
from .families.primary import current_sources
from .forms import CheckForm
from .models import Article, Family, PrimarySource
from .search import FamilyFilterForm, find_families

API_PAGE_SIZE = 50
API_PATH = "/api/"
_ERROR_WORDS = {
    404: "Not found: there is nothing at this address of the API.",
    405: "This method is not allowed here: the API is read with GET.",
}


class JsonErrorsMiddleware:
    """Under ``/api/`` an error answers in JSON, as the rest of the API does,
    rather than with the site's HTML page: an unknown article or address (404),
    a method the API does not take (405), any other error Django answers for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        is_json = response.get("Content-Type", "").startswith("application/json")
        if not request.path.startswith(API_PATH) or response.status_code < 400 or is_json:
            return response
        status = response.status_code
        error = _ERROR_WORDS.get(status, f"{status} {response.reason_phrase}.")
        answer = JsonResponse({"error": error, "status": status}, status=status)
        if response.has_header("Allow"):
            answer["Allow"] = response["Allow"]
        return answer


def version_json(compared: ComparedVersion) -> dict:
    """One version, with what its relation and flags are against: the family's
    canonical text, or its passage of the primary source (null, with
    ``in_source`` false and no relation, when no passage of the source says it).
    ``relation_to_canonical`` is the one matching placed it by, either way."""
    version = compared.version
    article = version.article
    return {
        "outlet": article.outlet.name,
        "outlet_domain": article.outlet.domain_shown(article.url),
        "article_id": article.pk,
        "article_title": article.title,
        "article_url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "published_inferred": article.published_inferred,
        "text": version.text,
        "kind": version.kind,
        "cue": version.cue,
        "confidence": round(version.confidence, 2),
        "attribution_note": version.attribution_note,
        "start": version.start,
        "end": version.end,
        "in_title": version.in_title,
        "meaning_flags": [flag.as_dict() for flag in compared.flags],
        **compared.as_dict(),
    }


def family_json(family: Family, sources: dict[int, PrimarySource] | None = None) -> dict:
    """A family; ``sources``: the current primary sources of those listed (read here if not given)."""
    if sources is None:
        sources = current_sources([family])
    source = sources.get(family.pk)
    return {
        "id": family.pk,
        # The words as said; each version's "text" is as printed, matching its offsets.
        "text": as_said(family.text),
        "speaker": {"name": family.speaker.name, "slug": family.speaker.slug} if family.speaker else None,
        "speaker_description": family.speaker_description,
        "kind": family.kind,
        "first_seen": family.first_seen.isoformat() if family.first_seen else None,
        "primary_source": source.as_dict() if source else None,
        "occurrences": [
            version_json(version) for version in compared_versions(family.versions.all(), family.text, source)
        ],
    }


@require_GET
def family_list(request):
    """Quote families, newest first (or best match for ``q``), a page at a time.

    Pages are not counted: one row past the page says whether there is a
    next one, so a common word costs one page of work, not a count of every
    match."""
    form = FamilyFilterForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    number = _page_number(request.GET.get("page"))
    if number > MAX_API_PAGE:
        return JsonResponse({"errors": {"page": [f"At most page {MAX_API_PAGE:,}."]}}, status=400)
    start = (number - 1) * API_PAGE_SIZE
    rows = list(find_families(form)[start : start + API_PAGE_SIZE + 1])
    next_url = None
    if len(rows) > API_PAGE_SIZE:
        params = request.GET.copy()
        params["page"] = number + 1
        next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    shown = rows[:API_PAGE_SIZE]
    sources = current_sources(shown)
    return JsonResponse({"results": [family_json(q, sources) for q in shown], "next": next_url})


# Past this page an offset would outgrow the database's integers ("1e23").
MAX_API_PAGE = 1_000_000


def _page_number(raw: str | None) -> int:
    """The page asked for: a whole number (1e23 and 2.0 count), else 1 (as for
    "abc", "nan" and any page below 1, "-inf" too)."""
    try:
        number = float(raw or 1)
    except ValueError:
        return 1
    if not number >= 1:  # below 1, or NaN
        return 1
    return int(min(number, MAX_API_PAGE + 1))


@require_GET
def article_detail(request, pk: int):
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=pk)
    versions = list(article.versions.select_related("speaker", "article__outlet", "family"))
    sources = current_sources({version.family_id for version in versions})
    return JsonResponse(
        {
            "id": article.pk,
            "title": article.title,
            "outlet": article.outlet.name,
            "published": article.published.isoformat() if article.published else None,
            "published_inferred": article.published_inferred,
            "url": article.url,
            "status": article.status,
            "text": article.text,
            "occurrences": [
                {
                    **version_json(
                        compared_versions([version], version.family.text, sources.get(version.family_id))[0]
                    ),
                    "speaker": version.speaker.name if version.speaker else None,
                    "quote_id": version.family_id,
                    # One piece of a quote split by its cue: the whole statement it is part of.
                    "statement_text": version.statement_text or None,
                }
                for version in versions
            ],
        }
    )


NO_MATCH = "No match: no quote we hold says this, in these or other words."


@require_GET
def check(request):
    """The families a pasted quote matches (``quotes.families.check``), best first."""
    form = CheckForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    found = check_quote(form.cleaned_data["text"], form.cleaned_data["speaker"])
    message = None
    if found.said_by_someone_else:
        message = found.misattribution(form.cleaned_data["speaker"])
    elif not found.matches:
        message = NO_MATCH
    return JsonResponse(
        {
            "text": form.cleaned_data["text"],
            "speaker": form.cleaned_data["speaker"] or None,
            "matched": bool(found.matches),
            "message": message,
            "results": [match.as_dict() for match in found.matches],
            # The families that say it, by someone other than the speaker named.
            "said_by_someone_else": [match.as_dict() for match in found.said_by_someone_else],
        }
    )
