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
from ..forms import OccurrenceCorrectionForm, family_choices, family_label
from ..models import Correction, Occurrence, Quote
from ..permissions import editor_required
from .common import page_of


@require_GET
@editor_required("change_occurrence")
def family_options(request, pk: int):
    """The quotes one quote might belong with instead, as the options of the
    correction form's "Belongs with" list: asked for when an editor opens the
    form, so that a page of 2,000 quotes does not work them all out."""
    occ = get_object_or_404(Occurrence, pk=pk)
    families = [{"pk": family.pk, "label": family_label(family)} for family in family_choices(occ)[:40]]
    return render(request, "quotes/_family_options.html", {"families": families})


@require_POST
@editor_required("change_occurrence")
def occurrence_correct(request, pk: int):
    """An editor's correction, from the article or quote page it was made on
    (recorded, so that it survives extraction run again)."""
    occ = get_object_or_404(Occurrence.objects.select_related("article", "quote", "speaker"), pk=pk)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = occ.get_absolute_url()
    form = OccurrenceCorrectionForm(occ, request.POST)
    if not form.is_valid():
        problems = " ".join(" ".join(errors) for errors in form.errors.values())
        messages.error(request, f"Not corrected: {problems}")
        return redirect(back)
    data = form.cleaned_data
    if data["action"] == Correction.Action.SPEAKER:
        speaker = corrections.speaker_named(data["speaker"], data["create_as"])
        corrected = corrections.correct_speaker(occ, speaker, request.user, whole_family=data["whole_family"])
        messages.success(request, f"Corrected: said by {speaker.name}{_versions(corrected)}.")
    elif data["action"] == Correction.Action.FAMILY:
        was_on_its_family = back.startswith(reverse("quotes:quote-detail", args=[occ.quote_id]))
        corrections.correct_family(occ, data["family"], request.user)
        messages.success(request, "Corrected: moved to another quote.")
        if was_on_its_family:
            back = data["family"].get_absolute_url()
    else:
        family_id = occ.quote_id
        removed = corrections.mark_not_a_quote(occ, request.user, whole_family=data["whole_family"])
        messages.success(request, f"Corrected: not a quote, removed{_versions(removed)}.")
        if not Quote.objects.filter(pk=family_id).exists():
            back = occ.article.get_absolute_url()
    return redirect(back)


def _versions(count: int) -> str:
    return f" ({count} versions)" if count > 1 else ""


@editor_required("change_occurrence")
def correction_list(request):
    """Every correction, newest first, with the words it was about."""
    rows = (
        Correction.objects.select_related("article__outlet", "speaker", "quote", "created_by")
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
