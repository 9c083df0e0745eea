"""Checking a pasted quote against the families we hold."""

from __future__ import annotations

from django.shortcuts import render

from ..families.check import check_quote
from ..forms import CheckForm


def check(request):
    """Paste a quote in any wording: the families it matches, or "no match" said plainly."""
    form = CheckForm(request.GET or None)
    found = None
    if form.is_valid():
        found = check_quote(form.cleaned_data["text"], form.cleaned_data["speaker"])
    return render(
        request,
        "quotes/check.html",
        {
            "form": form,
            "matches": None if found is None else found.matches,
            "said_by_someone_else": [] if found is None else found.said_by_someone_else,
            "misattribution": "" if found is None else found.misattribution(form.cleaned_data["speaker"]),
        },
    )
