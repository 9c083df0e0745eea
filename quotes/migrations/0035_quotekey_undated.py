"""The index keys of families with no date, in an index of their own.

A dated statement may join a family first seen within its window or one with
no date at all, and retrieval reads the second kind for each of its keys. In
``quotekey_window`` those postings sort after every dated one of the key, so
each look-up descended the whole index again (four levels at a million
families) to find, most often, none. Here they are the whole index: a page or
two. Built from one pass over the key table (1.5 s at a million families on
the bench's database, writes of keys waiting meanwhile).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quotes", "0034_quote_fingerprint_one_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="familykey",
            index=models.Index(
                condition=models.Q(first_seen__isnull=True),
                fields=["key", "family"],
                include=["family_speaker_id"],
                name="quotekey_undated",
            ),
        ),
    ]
