"""A stored full-text vector for quote families, on PostgreSQL only.

Search orders its matches by ``ts_rank``, which needs each match's vector.
With only the expression index of 0002, PostgreSQL recomputes
``to_tsvector`` for every matching row: for a common word at a million
families that is tens of thousands of parses per page (about a second). A
generated column is computed once per write and read instead; its GIN index
replaces the expression index. ``QuoteQuerySet.matching_text`` reads it.
SQLite, the embedded default, searches without it.
"""

from django.db import migrations

UP = [
    "ALTER TABLE quotes_quote ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('english'::regconfig, COALESCE(text, ''))) STORED",
    "CREATE INDEX IF NOT EXISTS quote_search_vector ON quotes_quote USING gin (search_vector)",
    "DROP INDEX IF EXISTS quote_text_fts",
]
DOWN = [
    "CREATE INDEX IF NOT EXISTS quote_text_fts ON quotes_quote "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(text, '')))",
    "DROP INDEX IF EXISTS quote_search_vector",
    "ALTER TABLE quotes_quote DROP COLUMN IF EXISTS search_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("quotes", "0005_speaker_role")]

    operations = [migrations.RunPython(_run(UP), _run(DOWN))]
