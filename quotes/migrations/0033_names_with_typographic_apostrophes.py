"""Aliases, roles and removals written with a typographic apostrophe ("D’Souza") are
looked up by the same form as those written with "'" ("D'Souza").

``normalize_name`` folded names to ASCII before it typed the apostrophe, so "D’Souza"
was stored as "dsouza" and "D'Souza" as "d'souza": two outlets' spellings of one
name never met. Each stored form with such an apostrophe is folded again; where its
speaker already has the other spelling, the two rows are one (a role keeps the
wider span of dates).
"""

import unicodedata

from django.db import migrations
from django.db.models import Q

APOSTROPHES = ("\u2019", "\u02bc")


def _folded(name: str) -> str:
    # normalize_name as of this migration (a migration keeps its own copy).
    typed = name.replace("\u2019", "'").replace("\u02bc", "'")
    folded = unicodedata.normalize("NFKD", typed).encode("ascii", "ignore").decode()
    folded = folded.replace("-", " ").lower()
    return " ".join(folded.replace(".", " ").replace(",", " ").split())


def refold(apps, schema_editor):
    for model_name, field, same in (
        ("SpeakerAlias", "name", ()),
        ("SpeakerRole", "title", ()),
        ("SpeakerRemoval", "name", ("kind",)),
    ):
        model = apps.get_model("quotes", model_name)
        written = Q()
        for mark in APOSTROPHES:
            written |= Q(**{f"{field}__contains": mark})
        for row in model.objects.filter(written).order_by("pk"):
            normalized = _folded(getattr(row, field))
            if normalized == row.normalized:
                continue
            kept = (
                model.objects.filter(
                    speaker_id=row.speaker_id, normalized=normalized, **{f: getattr(row, f) for f in same}
                )
                .exclude(pk=row.pk)
                .first()
            )
            if kept is None:
                row.normalized = normalized
                row.save(update_fields=["normalized"])
                continue
            if model_name == "SpeakerRole":
                seen = [d for d in (kept.first_seen, row.first_seen) if d]
                last = [d for d in (kept.last_seen, row.last_seen) if d]
                kept.first_seen, kept.last_seen = min(seen, default=None), max(last, default=None)
                kept.save(update_fields=["first_seen", "last_seen"])
            row.delete()


class Migration(migrations.Migration):
    dependencies = [("quotes", "0032_quotekey_indexes_with_speaker")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
