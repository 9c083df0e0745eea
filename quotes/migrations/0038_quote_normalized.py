"""Each family's canonical text as ``folding.normalize`` gives it, stored with the text.

Matching prepares each candidate family's canonical text for comparison
(``folding.tokens``); at a million families a placement met about 22 texts no
earlier placement of its process had prepared, and normalizing was three fifths of
preparing one. The normalized text is written with the canonical text
(``store._set_text``) and read with it; ``placement.canonical_tokens`` uses it only
when its SHA-256 is the family's fingerprint, so one left stale by a change of the
text, or of ``normalize``, is never read (the text is normalized then, as before).

A column that may be empty, with no default: SQLite adds it in place (no rebuild of
the table, whose triggers stay: see 0015 and 0037). 0039 fills it.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("quotes", "0037_sqlite_family_triggers_again")]

    operations = [
        migrations.AddField(
            model_name="family",
            name="normalized",
            field=models.TextField(blank=True, editable=False, null=True),
        ),
    ]
