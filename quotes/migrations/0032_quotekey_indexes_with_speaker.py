"""The index key table's indexes, built again after 0031 filled every row: its
primary key and its family's index as they were, and both key indexes with the
family's speaker included (the unique one serves undated statements, the window
one dated ones), so that ranking reads no table row. A transaction of its own:
the rows the fill replaced are dead by now, and none of them is indexed."""

from django.db import migrations, models

PG_KEYS_ON = [
    "ALTER TABLE quotes_quotekey ADD CONSTRAINT quotes_quotekey_pkey PRIMARY KEY (id)",
    "CREATE INDEX IF NOT EXISTS quotes_quotekey_quote_id_796293fc ON quotes_quotekey (quote_id)",
]


def _keys_on(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_constraint WHERE conrelid = 'quotes_quotekey'::regclass AND contype = 'p'"
            )
            has_key = cursor.fetchone() is not None
        for sql in PG_KEYS_ON[1:] if has_key else PG_KEYS_ON:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("quotes", "0031_quotekey_family_speaker")]

    operations = [
        migrations.RunPython(_keys_on, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="familykey",
            constraint=models.UniqueConstraint(
                fields=["key", "family"], include=["family_speaker_id"], name="quotekey_unique"
            ),
        ),
        migrations.AddIndex(
            model_name="familykey",
            index=models.Index(
                fields=["key", "first_seen", "family"], include=["family_speaker_id"], name="quotekey_window"
            ),
        ),
    ]
