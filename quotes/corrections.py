"""Editors' corrections: recorded as ``Correction`` rows and applied at once.

The pipeline re-applies the recorded rows each time it extracts an article
again, so a correction survives re-extraction.
"""

from __future__ import annotations

from django.db import transaction

from .extraction.invisible import without_control_characters
from .families.store import COMPARED_FIELDS, compare_versions
from .models import (
    Correction,
    Occurrence,
    Quote,
    RetiredQuote,
    Speaker,
    SpeakerAlias,
    SpeakerRemoval,
    SpeakerRole,
    normalize_name,
    unique_slug,
)
from .speakers import untaught


def _record(occurrence: Occurrence, action: str, user=None, **values) -> Correction:
    correction, _ = Correction.objects.update_or_create(
        article=occurrence.article,
        in_title=occurrence.in_title,
        start=occurrence.start,
        end=occurrence.end,
        action=action,
        defaults={**values, "created_by": user},
    )
    return correction


@transaction.atomic
def correct_speaker(occurrence: Occurrence, speaker: Speaker, user=None) -> None:
    _record(occurrence, Correction.Action.SPEAKER, user, speaker=speaker)
    if occurrence.speaker is not None and occurrence.speaker != speaker:
        untaught(occurrence, occurrence.speaker)  # a wrong attribution's lesson goes with it
    occurrence.speaker = speaker
    occurrence.save(update_fields=["speaker"])
    family = occurrence.quote
    # A family whose every version is now this speaker's is theirs.
    if not family.occurrences.exclude(speaker=speaker).exists():
        Quote.objects.filter(pk=family.pk).update(speaker=speaker, speaker_description="")


def speaker_named(name: str, create_as: str | None = None) -> Speaker | None:
    """The speaker called ``name`` (by name or by one of their aliases); with
    ``create_as`` (a ``Speaker.Type``), a new speaker of that type when there is none."""
    name = " ".join(without_control_characters(name).split())
    wanted = normalize_name(name)
    if not wanted:
        return None
    found = Speaker.objects.filter(name__iexact=name).first()
    found = found or Speaker.objects.filter(aliases__normalized=wanted).order_by("pk").first()
    if found is not None or create_as is None:
        return found
    speaker = Speaker.objects.create(name=name, slug=unique_slug(Speaker, name), type=create_as)
    speaker.aliases.create(name=name, normalized=wanted)
    return speaker


@transaction.atomic
def correct_family(occurrence: Occurrence, quote: Quote, user=None) -> None:
    _record(occurrence, Correction.Action.FAMILY, user, quote=quote)
    old_family = occurrence.quote
    occurrence.quote = quote
    compare_versions([occurrence])
    occurrence.save(update_fields=["quote", *COMPARED_FIELDS])
    if not old_family.occurrences.exists():
        RetiredQuote.record([old_family], RetiredQuote.Reason.MOVED, {old_family.pk: quote.pk})
        old_family.delete()


@transaction.atomic
def mark_not_a_quote(occurrence: Occurrence, user=None) -> None:
    _record(occurrence, Correction.Action.NOT_A_QUOTE, user)
    family = occurrence.quote
    occurrence.delete()
    if not family.occurrences.exists():
        RetiredQuote.record([family], RetiredQuote.Reason.NOT_A_QUOTE)
        family.delete()


@transaction.atomic
def merge_speakers(target: Speaker, others: list[Speaker]) -> None:
    """Make ``others`` one speaker with ``target``: their names become its aliases."""
    for other in others:
        if other.pk == target.pk:
            continue
        for alias in other.aliases.all():
            SpeakerAlias.objects.get_or_create(
                speaker=target, normalized=alias.normalized, defaults={"name": alias.name}
            )
        for role in other.roles.all():
            SpeakerRole.objects.get_or_create(
                speaker=target,
                normalized=role.normalized,
                defaults={"title": role.title, "first_seen": role.first_seen, "last_seen": role.last_seen},
            )
        Quote.objects.filter(speaker=other).update(speaker=target)
        Occurrence.objects.filter(speaker=other).update(speaker=target)
        Correction.objects.filter(speaker=other).update(speaker=target)
        other.delete()


@transaction.atomic
def remove_from_speaker(speaker: Speaker, kind: str, normalized: str, user=None) -> SpeakerRemoval | None:
    """An editor's removal of one of a speaker's aliases or roles (a
    ``SpeakerRemoval.Kind``), recorded so that no later article teaches it
    again. The speaker's own name is how they are found, and stays; None when
    there was nothing to remove."""
    rows = {SpeakerRemoval.Kind.ALIAS: speaker.aliases, SpeakerRemoval.Kind.ROLE: speaker.roles}[kind]
    row = rows.filter(normalized=normalized).first()
    if row is None or (kind == SpeakerRemoval.Kind.ALIAS and normalized == normalize_name(speaker.name)):
        return None
    shown = row.name if kind == SpeakerRemoval.Kind.ALIAS else row.title
    row.delete()
    removal, _ = SpeakerRemoval.objects.update_or_create(
        speaker=speaker, kind=kind, normalized=normalized, defaults={"name": shown, "created_by": user}
    )
    return removal
