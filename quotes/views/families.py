"""A quote family's page: every article that carried it, each version compared, how to cite it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from .. import charts
from ..families import primary
from ..families.compared import ComparedVersion, compared_versions
from ..forms import PrimarySourceForm
from ..models import Article, Family, PrimarySource, RetiredFamily, Speaker, Version
from ..templatetags.quotewise import quoted
from .common import corrected_on

# How an article's versions of one statement are listed: the speaker's words first.
_VERSION_ORDER = {Version.Kind.DIRECT: 0, Version.Kind.PARTIAL: 1, Version.Kind.HEADLINE: 2}


@dataclass(frozen=True)
class ShownVersion:
    """A version as the family's page shows it: compared, and when an editor last corrected it."""

    compared: ComparedVersion
    corrected_on: datetime | None


@dataclass
class _Carrier:
    """One article that carried a family, with every version of the statement it printed."""

    article: Article
    lag_days: int | None
    versions: list[ShownVersion] = field(default_factory=list)


def _in_version_order(shown: ShownVersion) -> tuple[int, int]:
    return _VERSION_ORDER.get(shown.compared.kind, 3), shown.compared.version.start


def family_detail(request, pk: int):
    family = Family.objects.select_related("speaker").filter(pk=pk).first()
    if family is None:
        return gone(request, pk)
    return render(request, "quotes/quote_detail.html", family_context(request, family))


def gone(request, pk: int) -> HttpResponse:
    """A link to a family that no longer exists: a permanent redirect to the family its
    versions went to, or 410 with when and why it went (404 for an id never handed out)."""
    retired = get_object_or_404(RetiredFamily, pk=pk)
    destination = retired.destination()
    if destination is not None:
        return HttpResponsePermanentRedirect(reverse("quotes:quote-detail", args=[destination]))
    return render(request, "quotes/quote_gone.html", {"retired": retired}, status=410)


def family_context(request, family: Family, source_form: PrimarySourceForm | None = None) -> dict:
    versions = list(family.versions.for_display().with_context().in_publication_order())
    corrected = corrected_on(versions)
    # Not the source's text, which may run to megabytes: its opening, and each version's passage.
    source = primary.current_source(family, with_text=False)
    first = next((o for o in versions if o.article.published), None)
    carriers: dict[int, _Carrier] = {}
    for compared in compared_versions(versions, family.text, source):
        version = compared.version
        if version.article_id not in carriers:
            lag = None
            if first and version.article.published:
                lag = (version.article.published - first.article.published).days
            carriers[version.article_id] = _Carrier(version.article, lag)
        carriers[version.article_id].versions.append(ShownVersion(compared, corrected.get(version.pk)))
    for carrier in carriers.values():
        carrier.versions.sort(key=_in_version_order)
    carried = list(carriers.values())
    # Outlets that carried it on the first day are first together: none is "the" first.
    first_outlets = {c.article.outlet_id for c in carried if c.lag_days == 0}
    timeline = charts.provenance_timeline((c.article.outlet.name, c.article.published) for c in carried)
    same_event = (
        Family.objects.filter(versions__article__in=carriers.keys())
        .exclude(pk=family.pk)
        .select_related("speaker")
        .with_kind()
        .distinct()
        .order_by("-first_seen", "pk")[:8]
    )
    kind = Version.family_kind({version.kind for version in versions})
    editor = request.user.has_perm("quotes.add_primarysource")
    if source_form is None and editor:
        source_form = PrimarySourceForm(initial={"kind": source.kind if source else "transcript"})
    return {
        "family": family,
        "kind": kind,
        "carried": carried,
        "first_tied": len(first_outlets) > 1,
        # By publication date: a family's first_seen falls back to the day an undated article was added.
        "first_carried": first.article.published if first else None,
        "timeline": timeline,
        "same_event": same_event,
        "citation": citation(family, kind, carried[0] if carried else None, request),
        "linked_data": quotation_linked_data(family, carried, request),
        "source": source,
        "source_opening": _opening(source),
        "not_in_source": sum(1 for c in carried for v in c.versions if v.compared.in_source is False),
        "source_form": source_form if editor else None,
    }


def _opening(source: PrimarySource | None) -> str:
    """The first words of a source (``primary.OPENING_CHARS``), cut at a word."""
    if source is None:
        return ""
    opening = source.opening
    if source.characters > len(opening):
        opening = opening[: opening.rfind(" ")] if " " in opening.strip() else opening
        opening = f"{opening.rstrip()} …"
    return opening


def quotation_linked_data(family: Family, carried: list[_Carrier], request) -> str:
    """The statement as schema.org JSON-LD for search engines and fact-check tools: a
    ``Quotation`` spoken by its speaker, based on its first appearance, citing each one.
    Escaped like Django's ``json_script``, so no text can close the script element."""

    def appearance(article: Article) -> dict:
        found = {"@type": "NewsArticle", "headline": article.title or article.outlet.name}
        found["publisher"] = {"@type": "Organization", "name": article.outlet.name}
        if article.url:
            found["url"] = article.url
        if article.published:
            found["datePublished"] = article.published.isoformat()
        return found

    data: dict = {
        "@context": "https://schema.org",
        "@type": "Quotation",
        "text": family.text,
        "url": request.build_absolute_uri(family.get_absolute_url()),
    }
    if family.speaker is not None:
        data["spokenByCharacter"] = {
            "@type": "Person" if family.speaker.type == Speaker.Type.PERSON else "Organization",
            "name": family.speaker.name,
            "url": request.build_absolute_uri(family.speaker.get_absolute_url()),
        }
    elif family.speaker_description:
        data["spokenByCharacter"] = {"@type": "Person", "description": family.speaker_description}
    if carried:
        data["isBasedOn"] = appearance(carried[0].article)
        data["citation"] = [appearance(c.article) for c in carried]
    text = json.dumps(data, ensure_ascii=False)
    for unsafe, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(unsafe, escaped)
    return mark_safe(text)  # escaped above, as json_script does


def citation(family: Family, kind: str, first: _Carrier | None, request) -> str:
    """How to cite the statement, in plain text: who, the words (a paraphrase
    said to be one), the first outlet that carried it, when, where, and this page."""
    who = family.attributed_to or "Unknown speaker"
    words = quoted(family.text)
    said = f"{who}, as reported: {words}" if kind == Version.Kind.INDIRECT else f"{who}: “{words}”"
    parts = [said]
    if first is not None:
        article = first.article
        when = article.published.strftime("%-d %B %Y") if article.published else "date unknown"
        parts.append(f"{article.outlet.name}, “{article.title}”, {when}")
        if article.url:
            parts.append(article.url)
    parts.append(f"Quotewise: {request.build_absolute_uri(family.get_absolute_url())}")
    return "\n".join(parts)
