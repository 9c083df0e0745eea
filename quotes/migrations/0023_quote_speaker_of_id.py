"""Each family's speaker beside its id in an index (on PostgreSQL; SQLite has no INCLUDE).

Matching ranks the families that share index keys with a statement and keeps
those of a compatible speaker, reading each one's speaker on the way down the
list: hundreds per statement at a million families. Read from the table, each
was a random page; from this index, a few cached pages for all of them
(retrieval's p50 at 1M: about 20 ms to 6 ms on the bench).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quotes", "0022_outlet_timeline_index_only"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="quote",
            index=models.Index(fields=["id"], include=("speaker",), name="quote_speaker_of_id"),
        ),
    ]
