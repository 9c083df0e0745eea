"""Each index key carries its family's speaker (``FamilyKey.family_speaker_id``), in
both key indexes, so that ranking a statement's candidates skips other speakers'
families as it reads the postings.

At a million families, a statement whose speaker has few families walked 400–800
ranked families, one lookup of each one's speaker, to find 40 it may join: most of
the retrieval's time. The postings now say it themselves.

The copy is written with each key (``store._insert_families``, ``_insert_keys``,
``index_family``) and follows the family by a trigger on the family's row, whoever
changes its speaker: a version naming it, an editor's correction, a merge, or a
speaker deleted (``on_delete=SET_NULL``). On SQLite a later migration that alters
``quotes_quote`` rebuilds the table and drops the trigger: it must make it again,
as 0037 does after 0034.

Filled here for the stored keys, with every index of the table dropped first: an
update of every row would leave each index twice its size. They are built again
by 0032, in a transaction of its own, once the rows the fill replaced are dead
(built in this one, they would hold those too).
"""

from django.db import migrations, models

PG_TRIGGER = [
    """
    CREATE OR REPLACE FUNCTION quotes_quotekey_follow_speaker() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE quotes_quotekey SET family_speaker_id = NEW.speaker_id WHERE quote_id = NEW.id;
        RETURN NULL;
    END $$
    """,
    "DROP TRIGGER IF EXISTS quote_speaker_to_keys ON quotes_quote",
    """
    CREATE TRIGGER quote_speaker_to_keys AFTER UPDATE OF speaker_id ON quotes_quote
    FOR EACH ROW WHEN (OLD.speaker_id IS DISTINCT FROM NEW.speaker_id)
    EXECUTE FUNCTION quotes_quotekey_follow_speaker()
    """,
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS quote_speaker_to_keys ON quotes_quote",
    "DROP FUNCTION IF EXISTS quotes_quotekey_follow_speaker()",
]
SQLITE_TRIGGER = [
    "DROP TRIGGER IF EXISTS quote_speaker_to_keys",
    """
    CREATE TRIGGER quote_speaker_to_keys AFTER UPDATE OF speaker_id ON quotes_quote
    FOR EACH ROW WHEN OLD.speaker_id IS NOT NEW.speaker_id
    BEGIN
        UPDATE quotes_quotekey SET family_speaker_id = NEW.speaker_id WHERE quote_id = NEW.id;
    END
    """,
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS quote_speaker_to_keys"]
# The table's primary key and its family's index, dropped for the fill; 0032 builds them again.
PG_KEYS_OFF = [
    "ALTER TABLE quotes_quotekey DROP CONSTRAINT IF EXISTS quotes_quotekey_pkey",
    "DROP INDEX IF EXISTS quotes_quotekey_quote_id_796293fc",
]
FILL = (
    "UPDATE quotes_quotekey AS k SET family_speaker_id = q.speaker_id FROM quotes_quote AS q "
    "WHERE q.id = k.quote_id AND q.speaker_id IS NOT NULL"
)


def _fill_and_follow(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for sql in [*PG_KEYS_OFF, FILL, *PG_TRIGGER]:
            schema_editor.execute(sql)
    elif vendor == "sqlite":
        schema_editor.execute(
            "UPDATE quotes_quotekey SET family_speaker_id = "
            "(SELECT speaker_id FROM quotes_quote WHERE quotes_quote.id = quotes_quotekey.quote_id)"
        )
        for sql in SQLITE_TRIGGER:
            schema_editor.execute(sql)


def _unfollow(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in PG_DROP if vendor == "postgresql" else SQLITE_DROP if vendor == "sqlite" else []:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("quotes", "0030_quote_created_xid")]

    operations = [
        migrations.RemoveIndex(model_name="familykey", name="quotekey_window"),
        migrations.RemoveConstraint(model_name="familykey", name="quotekey_unique"),
        migrations.AddField(
            model_name="familykey",
            name="family_speaker_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(_fill_and_follow, _unfollow),
    ]
