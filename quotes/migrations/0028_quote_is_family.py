"""The quote family is named Family in the code, as everywhere else: the model
Quote is Family (and QuoteKey FamilyKey, RetiredQuote RetiredFamily), and the
foreign keys to it are each called ``family``. Nothing of the database changes:
the tables keep their names (``quotes_quote``, ``quotes_quotekey``,
``quotes_retiredquote``), the foreign keys their column (``quote_id``), and the
indexes and constraints that name the field are the same indexes on the same
column (changed in Django's state only). The content types are renamed with the
models, and the permissions editors hold on a family take its new codenames."""

import django.db.models.deletion
from django.db import migrations, models

ACTIONS = ("add", "change", "delete", "view")
RENAMED = (("quote", "family"), ("quotekey", "familykey"), ("retiredquote", "retiredfamily"))


def _rename_permissions(apps, pairs) -> None:
    permission = apps.get_model("auth", "Permission")
    for old, new in pairs:
        for action in ACTIONS:
            permission.objects.filter(content_type__app_label="quotes", codename=f"{action}_{old}").update(
                codename=f"{action}_{new}"
            )


def forwards(apps, schema_editor):
    _rename_permissions(apps, RENAMED)


def backwards(apps, schema_editor):
    _rename_permissions(apps, [(new, old) for old, new in RENAMED])


def _foreign_key(model_name: str, **options) -> migrations.AlterField:
    """The foreign key to a family, its column named as before."""
    return migrations.AlterField(
        model_name=model_name,
        name="quote",
        field=models.ForeignKey(to="quotes.quote", db_column="quote_id", **options),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("quotes", "0027_occurrence_is_version"),
    ]

    operations = [
        # The tables keep their names.
        migrations.AlterModelTable(name="quote", table="quotes_quote"),
        migrations.AlterModelTable(name="quotekey", table="quotes_quotekey"),
        migrations.AlterModelTable(name="retiredquote", table="quotes_retiredquote"),
        migrations.AlterModelOptions(
            name="quote", options={"ordering": ["-first_seen", "-id"], "verbose_name": "quote"}
        ),
        migrations.AlterModelOptions(name="quotekey", options={"verbose_name": "quote key"}),
        migrations.AlterModelOptions(name="retiredquote", options={"verbose_name": "retired quote"}),
        # The foreign keys keep their column.
        _foreign_key("version", on_delete=django.db.models.deletion.CASCADE, related_name="versions"),
        _foreign_key("quotekey", on_delete=django.db.models.deletion.CASCADE, related_name="keys"),
        _foreign_key(
            "correction",
            null=True,
            blank=True,
            on_delete=django.db.models.deletion.SET_NULL,
            related_name="+",
        ),
        _foreign_key(
            "primarysource", on_delete=django.db.models.deletion.CASCADE, related_name="primary_sources"
        ),
        migrations.RenameModel(old_name="Quote", new_name="Family"),
        migrations.RenameModel(old_name="QuoteKey", new_name="FamilyKey"),
        migrations.RenameModel(old_name="RetiredQuote", new_name="RetiredFamily"),
        migrations.RenameField(model_name="version", old_name="quote", new_name="family"),
        migrations.RenameField(model_name="familykey", old_name="quote", new_name="family"),
        migrations.RenameField(model_name="correction", old_name="quote", new_name="family"),
        migrations.RenameField(model_name="primarysource", old_name="quote", new_name="family"),
        migrations.AlterField(
            model_name="family",
            name="speaker",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="families",
                to="quotes.speaker",
            ),
        ),
        migrations.AlterModelOptions(name="primarysource", options={"ordering": ["family", "-attached_at"]}),
        # The same indexes and constraints, on the same column: in Django's state they name the field.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="version", name="occurrence_quote"),
                migrations.AddIndex(
                    model_name="version",
                    index=models.Index(fields=["family", "article"], name="occurrence_quote"),
                ),
                migrations.RemoveIndex(model_name="version", name="occurrence_changes_meaning"),
                migrations.AddIndex(
                    model_name="version",
                    index=models.Index(
                        condition=models.Q(("meaning_flags", []), _negated=True),
                        fields=["family"],
                        name="occurrence_changes_meaning",
                    ),
                ),
                migrations.RemoveIndex(model_name="familykey", name="quotekey_window"),
                migrations.AddIndex(
                    model_name="familykey",
                    index=models.Index(fields=["key", "first_seen", "family"], name="quotekey_window"),
                ),
                migrations.RemoveConstraint(model_name="familykey", name="quotekey_unique"),
                migrations.AddConstraint(
                    model_name="familykey",
                    constraint=models.UniqueConstraint(fields=("key", "family"), name="quotekey_unique"),
                ),
                migrations.RemoveConstraint(model_name="primarysource", name="one_current_primary_source"),
                migrations.AddConstraint(
                    model_name="primarysource",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("retired_at__isnull", True)),
                        fields=("family",),
                        name="one_current_primary_source",
                    ),
                ),
            ]
        ),
        migrations.RunPython(forwards, backwards),
    ]
