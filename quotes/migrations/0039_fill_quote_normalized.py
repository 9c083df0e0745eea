"""The stored families' normalized texts (0038), filled.

In batches of ids, each committed on its own (the migration is not atomic), so a
fill cut short goes on where it stopped when run again (the rows still empty).
On PostgreSQL the table's indexes but its primary key are dropped first and built
again at the end: an update of every row would leave each twice its size (the
search vector, a generated column, is written again with each row, and so is its
GIN index). On ``make bench``'s database of a million families: 86 s, the
normalizing, the rows' rewrite and the indexes' build (2 s at 10k, 11 s at
100k); writes to families wait for the indexes meanwhile.
"""

from django.db import migrations, transaction

BATCH = 5_000


def _batches(cursor):
    last = 0
    while True:
        cursor.execute(
            "SELECT id, text FROM quotes_quote WHERE id > %s AND normalized IS NULL ORDER BY id LIMIT %s",
            [last, BATCH],
        )
        rows = cursor.fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield rows


def _fill(cursor, vendor: str) -> None:
    from quotes.families.folding import normalize

    for rows in _batches(cursor):
        ids, normalized = [pk for pk, _ in rows], [normalize(text) for _, text in rows]
        if vendor == "postgresql":
            cursor.execute(
                "UPDATE quotes_quote AS family SET normalized = filled.normalized "
                "FROM unnest(%s::bigint[], %s::text[]) AS filled(id, normalized) WHERE family.id = filled.id",
                [ids, normalized],
            )
        else:
            cursor.executemany(
                "UPDATE quotes_quote SET normalized = %s WHERE id = %s",
                list(zip(normalized, ids, strict=True)),
            )


def fill(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            _fill(cursor, connection.vendor)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = 'quotes_quote' AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = 'quotes_quote'::regclass)"
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        try:
            _fill(cursor, connection.vendor)
        finally:
            for _, definition in indexes:
                cursor.execute(definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("quotes", "0038_quote_normalized")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, atomic=False)]
