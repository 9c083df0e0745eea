"""Each index key carries its family's first sighting, in an index by (key, first sighting).

Placement only joins a statement to a family first seen within 30 days of it
(undated statements aside), but retrieval read every family holding a key,
however old: at a million families it counted and ranked postings of years
past, and its 40 candidates were mostly families placement then turned down
(about one in forty was within the window on the bench). Reading only the
window's postings keeps a dated lookup's cost that of a few weeks of quotes.

The copy is filled with the unique constraint dropped and rebuilt after:
updating 20 million rows with it in place rewrites its entries one by one.
"""

from django.db import migrations, models

FILL = [
    "ALTER TABLE quotes_quotekey DROP CONSTRAINT quotekey_unique",
    "UPDATE quotes_quotekey AS k SET first_seen = q.first_seen "
    "FROM quotes_quote AS q WHERE q.id = k.quote_id AND q.first_seen IS NOT NULL",
    "ALTER TABLE quotes_quotekey ADD CONSTRAINT quotekey_unique UNIQUE (key, quote_id)",
]

FILL_SQLITE = [
    "UPDATE quotes_quotekey SET first_seen = "
    "(SELECT first_seen FROM quotes_quote WHERE quotes_quote.id = quotes_quotekey.quote_id)",
]


def fill(apps, schema_editor):
    for statement in FILL if schema_editor.connection.vendor == "postgresql" else FILL_SQLITE:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("quotes", "0024_occurrence_speaker_corrected"),
    ]

    operations = [
        migrations.AddField(
            model_name="quotekey",
            name="first_seen",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="quotekey",
            index=models.Index(fields=["key", "first_seen", "quote"], name="quotekey_window"),
        ),
    ]
