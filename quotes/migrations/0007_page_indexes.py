"""Indexes for the speaker and outlet pages.

The two chronological ones order by a date DESC NULLS LAST, which SQLite
cannot put in an index: they are created on PostgreSQL only (the embedded
SQLite default has no pages large enough to need them).
"""

from django.db import migrations, models

CHRONOLOGICAL = [
    (
        "CREATE INDEX IF NOT EXISTS article_outlet_timeline ON quotes_article "
        "(outlet_id, published DESC NULLS LAST, created_at DESC)",
        "DROP INDEX IF EXISTS article_outlet_timeline",
    ),
    (
        "CREATE INDEX IF NOT EXISTS quote_speaker_chronological ON quotes_quote "
        "(speaker_id, first_seen DESC NULLS LAST, id DESC)",
        "DROP INDEX IF EXISTS quote_speaker_chronological",
    ),
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("quotes", "0006_quote_search_vector"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["id"], include=("outlet",), name="article_outlet_of_id"),
        ),
        migrations.AddIndex(
            model_name="occurrence",
            index=models.Index(
                fields=["speaker", "article"], include=("id",), name="occurrence_speaker_article"
            ),
        ),
        migrations.AddIndex(
            model_name="occurrence",
            index=models.Index(
                fields=["article", "speaker"], include=("id",), name="occurrence_article_speaker"
            ),
        ),
        migrations.RunPython(
            _run([up for up, _ in CHRONOLOGICAL]), _run([down for _, down in CHRONOLOGICAL])
        ),
    ]
