"""Full-text and trigram indexes for search, on PostgreSQL only.

The expressions match what ``QuoteQuerySet.matching_text`` and
``SpeakerQuerySet.named_like`` query, so the planner uses them. SQLite, the
embedded default, searches without them.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    (
        "CREATE INDEX IF NOT EXISTS quote_text_fts ON quotes_quote "
        "USING gin (to_tsvector('english'::regconfig, COALESCE(text, '')))",
        "DROP INDEX IF EXISTS quote_text_fts",
    ),
    (
        "CREATE INDEX IF NOT EXISTS speakeralias_name_trgm ON quotes_speakeralias "
        "USING gin (name gin_trgm_ops)",
        "DROP INDEX IF EXISTS speakeralias_name_trgm",
    ),
    (
        "CREATE INDEX IF NOT EXISTS speakeralias_name_upper_trgm ON quotes_speakeralias "
        "USING gin (UPPER(name::text) gin_trgm_ops)",
        "DROP INDEX IF EXISTS speakeralias_name_upper_trgm",
    ),
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("quotes", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(_run([up for up, _ in INDEXES]), _run([down for _, down in INDEXES])),
    ]
