"""The triggers on families, on SQLite, created again.

Altering a column of ``quotes_quote`` (0034's fingerprint) makes Django rebuild
the table on SQLite, which drops the table's triggers: the ones that keep the
full-text index of families' words in step (0015: search found no family
stored or changed since) and the one that keeps each index key's speaker in
step with its family's (0031: a family whose speaker was named afterwards kept
its keys' old speaker, and matching read it). They are created again, and what
they missed meanwhile is filled in. PostgreSQL keeps its triggers: nothing to do.
"""

from importlib import import_module

from django.db import migrations

_WORDS = import_module("quotes.migrations.0015_quote_words_sqlite")
_SPEAKERS = import_module("quotes.migrations.0031_quotekey_family_speaker")

CATCH_UP = [
    "DELETE FROM quotes_quote_words",
    "INSERT INTO quotes_quote_words (rowid, text) SELECT id, text FROM quotes_quote",
    "UPDATE quotes_quotekey SET family_speaker_id = "
    "(SELECT speaker_id FROM quotes_quote WHERE quotes_quote.id = quotes_quotekey.quote_id)",
]


def _create_again(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    triggers = [sql for sql in _WORDS.UP if "TRIGGER" in sql]
    for sql in [*triggers, *_SPEAKERS.SQLITE_TRIGGER, *CATCH_UP]:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("quotes", "0036_quote_id_hash")]

    operations = [migrations.RunPython(_create_again, migrations.RunPython.noop)]
