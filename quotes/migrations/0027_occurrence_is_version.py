"""The model of a quote as one article printed it is named Version, as the code
speaks of it. Nothing of the database changes: the table keeps its name
(``quotes_occurrence``), and so do its columns, indexes and constraints. The
content type is renamed with the model (Django does that for a RenameModel), and
the permissions editors hold on it take the new model's codenames, so that a
group that could change occurrences can change versions."""

import django.db.models.deletion
from django.db import migrations, models

ACTIONS = ("add", "change", "delete", "view")


def _rename_permissions(apps, schema_editor, old: str, new: str) -> None:
    permission = apps.get_model("auth", "Permission")
    for action in ACTIONS:
        permission.objects.filter(content_type__app_label="quotes", codename=f"{action}_{old}").update(
            codename=f"{action}_{new}"
        )


def forwards(apps, schema_editor):
    _rename_permissions(apps, schema_editor, "occurrence", "version")


def backwards(apps, schema_editor):
    _rename_permissions(apps, schema_editor, "version", "occurrence")


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("quotes", "0026_split_statement_text"),
    ]

    operations = [
        migrations.AlterModelTable(name="occurrence", table="quotes_occurrence"),
        migrations.AlterModelOptions(
            name="occurrence",
            options={"ordering": ["article", "in_title", "start"], "verbose_name": "occurrence"},
        ),
        migrations.RenameModel(old_name="Occurrence", new_name="Version"),
        migrations.AlterField(
            model_name="version",
            name="article",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="versions", to="quotes.article"
            ),
        ),
        migrations.AlterField(
            model_name="version",
            name="quote",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="versions", to="quotes.quote"
            ),
        ),
        migrations.AlterField(
            model_name="version",
            name="speaker",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="versions",
                to="quotes.speaker",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
