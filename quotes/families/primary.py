"""A family's primary source: attached, replaced or removed by an editor.

With a source attached, every version of the family is compared with the
passage of the source it corresponds to instead of with the canonical text
(``store.compare_versions``, the same path the pipeline's write takes);
the canonical text, which matching uses, stays as it is. Attaching,
replacing and removing take the placement lock, so that an article being
written into the family at the same time is compared with the source its
write commits under: either it commits first and is compared again here, or
it reads the new source.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models.functions import Length, Substr
from django.utils import timezone

from ..models import Family, PrimarySource, Version
from . import store

# How much of a source's text the quote page shows before the link to the whole of it.
OPENING_CHARS = 600


def current_source(family: Family, *, with_text: bool = True) -> PrimarySource | None:
    """The family's current primary source. ``with_text=False``: without its
    text (a transcript can run to megabytes), with its ``opening`` (the first
    ``OPENING_CHARS`` characters) and its length in ``characters`` instead."""
    rows = family.primary_sources.current().select_related("attached_by")
    if not with_text:
        rows = rows.defer("text").annotate(
            opening=Substr("text", 1, OPENING_CHARS), characters=Length("text")
        )
    return rows.first()


def passages_of(source: PrimarySource, spans: Iterable[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """The text at each (start, end) of the source, read in one query without
    the rest of it (``source.text`` when it is loaded already)."""
    wanted = sorted(set(spans))
    if not wanted:
        return {}
    if "text" in source.__dict__:
        return {(start, end): source.text[start:end] for start, end in wanted}
    pieces = {f"p{n}": Substr("text", start + 1, end - start) for n, (start, end) in enumerate(wanted)}
    row = PrimarySource.objects.filter(pk=source.pk).annotate(**pieces).values(*pieces).get()
    return {span: row[f"p{n}"] for n, span in enumerate(wanted)}


def current_sources(families) -> dict[int, PrimarySource]:
    """The current primary source of each of these families that has one (one query)."""
    rows = PrimarySource.objects.current().filter(family__in=families).select_related("attached_by")
    return {source.family_id: source for source in rows}


@transaction.atomic
def attach_source(
    family: Family, *, kind: str, text: str, url: str, when: date, file_name: str = "", user=None
) -> PrimarySource:
    """Make this the family's primary source (the current one, if any, is
    retired and kept) and compare every version with it."""
    store.lock_placement()
    # One current source per family (a unique index): the old one is retired first.
    retired = list(PrimarySource.objects.current().filter(family=family).values_list("pk", flat=True))
    _retire(family, user)
    source = PrimarySource.objects.create(
        family=family, kind=kind, text=text, url=url, date=when, file_name=file_name[:255], attached_by=user
    )
    PrimarySource.objects.filter(pk__in=retired).update(replaced_by=source)
    recompare_family(family)
    return source


@transaction.atomic
def remove_source(family: Family, user=None) -> bool:
    """Retire the family's primary source: its versions are compared with the canonical text again."""
    store.lock_placement()
    removed = _retire(family, user)
    if removed:
        recompare_family(family)
    return bool(removed)


def _retire(family: Family, user) -> int:
    return (
        PrimarySource.objects.current()
        .filter(family=family)
        .update(retired_at=timezone.now(), retired_by=user)
    )


def recompare_family(family: Family) -> None:
    """Compare every version of the family again with what it is compared with now."""
    versions = list(family.versions.only("pk", "family_id", "text", "kind", *store.COMPARED_FIELDS))
    for version in versions:
        version.family = family
    stale = store.compare_versions(versions)
    Version.objects.bulk_update(stale, store.COMPARED_FIELDS)
