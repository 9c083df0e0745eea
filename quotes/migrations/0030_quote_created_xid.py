"""Each family row records the transaction that stored it, on PostgreSQL only.

Writes place statements under partitioned locks (one per speaker, see
``quotes.families.store.lock_placement``), so family ids no longer grow in
commit order: a family stored by a write that committed after another write
read its candidates may have a lower id than one that write saw. Under its
locks, a write asks which families its reading did not see by the
transaction that stored them (``created_xid`` against the reading's
``pg_current_snapshot()``): those stored by transactions still running when
it read, or begun since. A handful, found by this index.

The column is filled by its default on every insert; rows stored before it
have none (they were seen by every write running now). The default is set
after the column is added, so adding it rewrites no row. Not in the model:
nothing but the placement check reads it (as ``search_vector``, 0006).
"""

from django.db import migrations

UP = [
    "ALTER TABLE quotes_quote ADD COLUMN IF NOT EXISTS created_xid xid8",
    "ALTER TABLE quotes_quote ALTER COLUMN created_xid SET DEFAULT pg_current_xact_id()",
    "CREATE INDEX IF NOT EXISTS quote_created_xid ON quotes_quote (created_xid) WHERE created_xid IS NOT NULL",
]
DOWN = [
    "DROP INDEX IF EXISTS quote_created_xid",
    "ALTER TABLE quotes_quote DROP COLUMN IF EXISTS created_xid",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("quotes", "0029_version_passage")]

    operations = [migrations.RunPython(_run(UP), _run(DOWN))]
