"""Editors' corrections: recorded as ``Correction`` rows and applied at once.

The pipeline re-applies the recorded rows each time it extracts an article
again, so a correction survives re-extraction.
"""

from __future__ import annotations

from django.db import transaction

from .meaning import flags_to_store
from .models import Correction, Occurrence, Quote, Speaker, SpeakerAlias, SpeakerRole


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
    occurrence.speaker = speaker
    occurrence.save(update_fields=["speaker"])


@transaction.atomic
def correct_family(occurrence: Occurrence, quote: Quote, user=None) -> None:
    _record(occurrence, Correction.Action.FAMILY, user, quote=quote)
    old_family = occurrence.quote
    occurrence.quote = quote
    occurrence.meaning_flags = flags_to_store(quote.text, occurrence.text, occurrence.kind)
    occurrence.save(update_fields=["quote", "meaning_flags"])
    if not old_family.occurrences.exists():
        old_family.delete()


@transaction.atomic
def mark_not_a_quote(occurrence: Occurrence, user=None) -> None:
    _record(occurrence, Correction.Action.NOT_A_QUOTE, user)
    family = occurrence.quote
    occurrence.delete()
    if not family.occurrences.exists():
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
