"""A full-text index of quote families' words, on SQLite only.

PostgreSQL searches the stored ``search_vector`` (0006), which reduces each
word to its stem ("libraries" and "library" are one word to it). SQLite, the
default install, gets the same from an FTS5 table with the porter tokenizer:
``quotes_quote_words`` holds each family's text under its id, kept in step
with ``quotes_quote`` by triggers, and ``QuoteQuerySet.matching_text`` reads it.

SQLite drops a table's triggers when Django rebuilds the table (to alter a
column): a later migration that alters ``quotes_quote`` must create them again,
as 0037 does after 0034 (``tests/test_search_words.py`` fails on SQLite when they
are gone, and so does the search of ``tests/test_zero_config.py``, which CI runs).
"""

from django.db import migrations

UP = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS quotes_quote_words USING fts5("
    "text, tokenize = 'porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS quotes_quote_words_insert AFTER INSERT ON quotes_quote BEGIN "
    "INSERT INTO quotes_quote_words (rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS quotes_quote_words_update AFTER UPDATE OF text ON quotes_quote BEGIN "
    "UPDATE quotes_quote_words SET text = new.text WHERE rowid = new.id; END",
    "CREATE TRIGGER IF NOT EXISTS quotes_quote_words_delete AFTER DELETE ON quotes_quote BEGIN "
    "DELETE FROM quotes_quote_words WHERE rowid = old.id; END",
    "INSERT INTO quotes_quote_words (rowid, text) SELECT id, text FROM quotes_quote",
]
DOWN = [
    "DROP TRIGGER IF EXISTS quotes_quote_words_delete",
    "DROP TRIGGER IF EXISTS quotes_quote_words_update",
    "DROP TRIGGER IF EXISTS quotes_quote_words_insert",
    "DROP TABLE IF EXISTS quotes_quote_words",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("quotes", "0014_primary_source")]

    operations = [migrations.RunPython(_run(UP), _run(DOWN))]
