"""SQLite: the family table's triggers, made again.

0034 altered ``quotes_quote``'s fingerprint, and SQLite alters a column by
rebuilding the table, which drops the table's triggers (0015's note). Two sets
were lost on the default install: 0015's, which keep the full-text table
``quotes_quote_words`` in step (search found only the families made before
0034), and 0031's, which copy a family's speaker onto its index keys (ranking
read a family's keys as nobody's once a version named its speaker). Both are
made again, and what they keep is filled anew from every family. PostgreSQL
rebuilds no table to alter a column, and its triggers stand.
"""

import importlib

from django.db import migrations

_WORDS = importlib.import_module("quotes.migrations.0015_quote_words_sqlite")
_KEYS = importlib.import_module("quotes.migrations.0031_quotekey_family_speaker")


def _make_again(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute("DROP TABLE IF EXISTS quotes_quote_words")
    for sql in _WORDS.UP:
        schema_editor.execute(sql)
    schema_editor.execute(
        "UPDATE quotes_quotekey SET family_speaker_id = "
        "(SELECT speaker_id FROM quotes_quote WHERE quotes_quote.id = quotes_quotekey.quote_id)"
    )
    for sql in _KEYS.SQLITE_TRIGGER:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("quotes", "0034_quote_fingerprint_one_index"),
    ]

    operations = [migrations.RunPython(_make_again, migrations.RunPython.noop)]
