"""One index on a family's fingerprint, not two.

``db_index=True`` on a ``CharField`` gives PostgreSQL a second index beside the
plain one, for ``LIKE 'prefix%'`` (``varchar_pattern_ops``). A fingerprint is
only ever looked up by equality (retrieval's verbatim copy, ``JOIN … USING
(fingerprint)``, and SQLite's ``fingerprint IN``): on the bench's database of a
million families the pattern index took 77 MB and was never scanned. The plain
index is built again under its own name (a few seconds at a million families,
writes to families waiting) before the field's two are dropped.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quotes", "0033_names_with_typographic_apostrophes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="family",
            index=models.Index(fields=["fingerprint"], name="quote_fingerprint"),
        ),
        migrations.AlterField(
            model_name="family",
            name="fingerprint",
            field=models.CharField(max_length=64),
        ),
    ]
