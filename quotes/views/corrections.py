"""Editors' corrections: making one, and the list of them all."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import F, TextField, Value
from django.db.models.functions import Least, Substr
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from .. import corrections
from ..forms import VersionCorrectionForm, family_choices, family_label
from ..models import Correction, Family, Version
from ..permissions import editor_required
from .common import page_of


@require_GET
@editor_required("change_version")
def family_options(request, pk: int):
    """The quotes one quote might belong with instead, as the options of the
    correction form's "Belongs with" list: asked for when an editor opens the
    form, so that a page of 2,000 quotes does not work them all out."""
    version = get_object_or_404(Version, pk=pk)
    families = [{"pk": family.pk, "label": family_label(family)} for family in family_choices(version)[:40]]
    return render(request, "quotes/_family_options.html", {"families": families})


@require_POST
@editor_required("change_version")
def version_correct(request, pk: int):
    """An editor's correction, from the article or quote page it was made on
    (recorded, so that it survives extraction run again)."""
    version = get_object_or_404(Version.objects.select_related("article", "family", "speaker"), pk=pk)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = version.get_absolute_url()
    form = VersionCorrectionForm(version, request.POST)
    if not form.is_valid():
        problems = " ".join(" ".join(errors) for errors in form.errors.values())
        messages.error(request, f"Not corrected: {problems}")
        return redirect(back)
    data = form.cleaned_data
    if data["action"] == Correction.Action.SPEAKER:
        speaker = corrections.speaker_named(data["speaker"], data["create_as"])
        corrected = corrections.correct_speaker(
            version, speaker, request.user, whole_family=data["whole_family"]
        )
        messages.success(request, f"Corrected: said by {speaker.name}{_versions(corrected)}.")
    elif data["action"] == Correction.Action.FAMILY:
        was_on_its_family = back.startswith(reverse("quotes:quote-detail", args=[version.family_id]))
        corrections.correct_family(version, data["family"], request.user)
        messages.success(request, "Corrected: moved to another quote.")
        if was_on_its_family:
            back = data["family"].get_absolute_url()
    else:
        family_id = version.family_id
        removed = corrections.mark_not_a_quote(version, request.user, whole_family=data["whole_family"])
        messages.success(request, f"Corrected: not a quote, removed{_versions(removed)}.")
        if not Family.objects.filter(pk=family_id).exists():
            back = version.article.get_absolute_url()
    return redirect(back)


def _versions(count: int) -> str:
    return f" ({count} versions)" if count > 1 else ""


@editor_required("change_version")
def correction_list(request):
    """Every correction, newest first, with the words it was about."""
    rows = (
        Correction.objects.select_related("article__outlet", "speaker", "family", "created_by")
        .defer("article__text")
        .annotate(
            words=Substr(
                "article__text",
                F("start") + 1,
                Least(F("end") - F("start"), Value(200)),
                output_field=TextField(),
            )
        )
        .order_by("-created_at", "-pk")
    )
    return render(request, "quotes/correction_list.html", {"page": page_of(request, rows, 50)})
