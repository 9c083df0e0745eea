"""Where in its family's primary source a version's passage lies is its
``passage_start`` and ``passage_end``: a "source" is a primary source, and these
are offsets of its passage. The columns keep their names (``source_start``,
``source_end``): nothing of the database changes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quotes", "0028_quote_is_family"),
    ]

    operations = [
        migrations.AlterField(
            model_name="version",
            name="source_start",
            field=models.PositiveIntegerField(blank=True, null=True, db_column="source_start"),
        ),
        migrations.AlterField(
            model_name="version",
            name="source_end",
            field=models.PositiveIntegerField(blank=True, null=True, db_column="source_end"),
        ),
        migrations.RenameField(model_name="version", old_name="source_start", new_name="passage_start"),
        migrations.RenameField(model_name="version", old_name="source_end", new_name="passage_end"),
    ]
