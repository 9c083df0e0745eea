"""A hash index on the families' ids, on PostgreSQL only.

Retrieval reads the rows of a statement's candidates (up to 40) by id. Through
the primary key or ``quote_speaker_of_id`` each look-up descends the B-tree
first: two levels at 10k families, three at 1M, so the rows cost more pages as
the archive grows. A hash index finds an id's entry in its bucket's page
whatever the table's size: one page, then the row. 32 MB at a million
families on the bench's database, built in 2 s (writes to families waiting).
SQLite, for small archives, looks rows up by its primary key as before.
"""

from django.db import migrations

UP = "CREATE INDEX IF NOT EXISTS quote_id_hash ON quotes_quote USING hash (id)"
DOWN = "DROP INDEX IF EXISTS quote_id_hash"


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("quotes", "0035_quotekey_undated")]

    operations = [migrations.RunPython(_run(UP), _run(DOWN))]
