"""A family's primary source: the whole of it with each version's passage, attaching and removing it."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ..families import primary
from ..families.compared import compared_versions
from ..forms import PrimarySourceForm
from ..models import Family, Version
from ..permissions import editor_required
from .families import family_context, gone


@dataclass
class _SourcePiece:
    """A run of a primary source's text: inside the passages of ``versions``
    (none: between passages), and where the passages of ``starting`` begin."""

    text: str
    versions: list[Version]
    starting: list[Version]

    @property
    def outlets(self) -> str:
        return ", ".join(dict.fromkeys(version.article.outlet.name for version in self.versions))


def _source_pieces(text: str, versions: list[Version]) -> list[_SourcePiece]:
    """The source's text cut where any version's passage starts or ends (passages
    overlap: several outlets carry one sentence), each piece with the versions it lies in."""
    placed = [version for version in versions if version.passage_start is not None]
    cuts = sorted({0, len(text), *(o.passage_start for o in placed), *(o.passage_end for o in placed)})
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        pieces.append(
            _SourcePiece(
                text[start:end],
                [o for o in placed if o.passage_start <= start and end <= o.passage_end],
                [o for o in placed if o.passage_start == start],
            )
        )
    return pieces


def primary_source_detail(request, pk: int):
    """A family's primary source in full, plain, with each version's passage highlighted."""
    family = Family.objects.select_related("speaker").filter(pk=pk).first()
    if family is None:
        return gone(request, pk)
    source = primary.current_source(family)
    if source is None:
        raise Http404("This quote has no primary source.")
    versions = list(family.versions.for_display().in_publication_order())
    context = {
        "family": family,
        "kind": Version.family_kind({version.kind for version in versions}),
        "source": source,
        "versions": compared_versions(versions, family.text, source),
        "pieces": _source_pieces(source.text, versions),
    }
    return render(request, "quotes/primarysource_detail.html", context)


@require_POST
@editor_required("add_primarysource")
def primary_source_attach(request, pk: int):
    """Attach (or replace) a family's primary source: its versions are compared with it."""
    family = get_object_or_404(Family.objects.select_related("speaker"), pk=pk)
    form = PrimarySourceForm(request.POST, request.FILES)
    if not form.is_valid():
        context = family_context(request, family, source_form=form)
        return render(request, "quotes/quote_detail.html", context, status=400)
    data = form.cleaned_data
    replacing = primary.current_source(family) is not None
    primary.attach_source(
        family,
        kind=data["kind"],
        text=data["source_text"],
        url=data["url"],
        when=data["date"],
        file_name=data["file_name"],
        user=request.user,
    )
    messages.success(request, "Primary source replaced." if replacing else "Primary source attached.")
    return redirect(f"{family.get_absolute_url()}#primary-source")


@require_POST
@editor_required("add_primarysource")
def primary_source_remove(request, pk: int):
    family = get_object_or_404(Family, pk=pk)
    if primary.remove_source(family, request.user):
        messages.success(
            request, "Primary source removed: versions are compared with the quote's text again."
        )
    return redirect(family)
