"""Searching quote families: one set of filters for the page, exports and the API."""

from __future__ import annotations

import re

from django import forms
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Family, Speaker, Version, spelled_alike


class FamilyFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Words in the quote", max_length=200)
    speaker = forms.CharField(required=False, label="Speaker", max_length=200)
    outlet = forms.SlugField(required=False, label="Outlet")
    from_ = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(required=False, choices=[("", "Any kind"), *Version.Kind.choices])
    changed = forms.BooleanField(required=False, label="Only quotes with versions that change the meaning")
    confident = forms.BooleanField(required=False, label="High-confidence attributions only")
    sort = forms.ChoiceField(
        required=False, choices=[("", "Best match"), ("newest", "Newest first")], label="Order"
    )

    def add_prefix(self, field_name: str) -> str:
        # "from" is a Python keyword: the field is from_, the URL says from=.
        return "from" if field_name == "from_" else super().add_prefix(field_name)

    @property
    def is_filtered(self) -> bool:
        return self.is_valid() and any(
            self.cleaned_data.get(k)
            for k in ("q", "speaker", "outlet", "from_", "to", "kind", "changed", "confident")
        )


def find_families(form: FamilyFilterForm) -> QuerySet[Family]:
    """Quote families matching the form's filters, ready to display."""
    families = Family.objects.all()
    if not form.is_valid():
        return families.none()
    data = form.cleaned_data
    if data["speaker"]:
        families = families.said_by(data["speaker"])
    if data["outlet"]:
        families = families.carried_by(data["outlet"])
    if data["kind"]:
        families = families.of_kind(data["kind"])
    if data["changed"]:
        families = families.with_meaning_changed()
    if data["confident"]:
        families = families.confidently_attributed()
    families = families.first_seen_between(data["from_"], data["to"])
    if data["q"]:
        families = families.matching_text(data["q"])
        order = ["-first_seen", "-id"] if data["sort"] == "newest" else ["-rank", "-first_seen", "-id"]
        families = families.order_by(*order)
    else:
        families = families.chronological()
    return families.select_related("speaker").prefetch_related(
        Prefetch(
            "versions",
            queryset=Version.objects.with_article().in_publication_order(),
        )
    )


def did_you_mean(form: FamilyFilterForm) -> Speaker | None:
    """The speaker most nearly spelled like the name searched for, when that
    name, as written, is nobody's."""
    name = form.cleaned_data.get("speaker", "") if form.is_valid() else ""
    if not name or Speaker.objects.named(name).exists():
        return None
    return Speaker.objects.filter(pk__in=spelled_alike(name, limit=1)).first()


class ResultPaginator(Paginator):
    """Pages through at most ``limit`` results, and counts no further.

    A common word matches tens of thousands of families, spread over most of
    the table: counting them, or ranking them all for the best match, reads
    every one of them on each page view. Past ``limit`` the page says so
    ("1,000+ quotes found" for a limit of 1,000) and shows the newest
    ``limit`` matches in the results' order; up to ``limit``, every match.
    The newest are read once, one past the limit (which also counts them),
    along the ``quote_first_seen`` index; the page then orders only those.
    """

    def __init__(self, families: QuerySet[Family], per_page: int, limit: int):
        self.matches, self.limit = families, limit
        super().__init__(families, per_page)

    @cached_property
    def _newest(self) -> list[int]:
        newest = self.matches.order_by("-first_seen", "-id").values_list("pk", flat=True)
        return list(newest[: self.limit + 1])

    @cached_property
    def count(self) -> int:
        return min(len(self._newest), self.limit)

    @property
    def has_more(self) -> bool:
        return len(self._newest) > self.limit

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self._shown()[bottom : bottom + self.per_page], number, self)

    def _shown(self) -> QuerySet[Family]:
        newest = self._newest[: self.limit]
        if connection.vendor == "postgresql":
            # One array, not a thousand parameters: the driver would spend longer on those than
            # the database on the query.
            return self.matches.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", (newest,)))
        return self.matches.filter(pk__in=newest)


def highlight_words(text: str, words: str) -> SafeString:
    """The text, escaped, with the searched words (and their endings) marked."""
    stems = [
        re.escape(word[:5] if len(word) > 5 else word) for word in re.findall(r"\w+", words) if len(word) > 2
    ]
    if not stems:
        return escape(text)
    pattern = re.compile(r"\b(?:" + "|".join(stems) + r")\w*", re.IGNORECASE)
    pieces, cursor = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[cursor : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        cursor = match.end()
    pieces.append(escape(text[cursor:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above
