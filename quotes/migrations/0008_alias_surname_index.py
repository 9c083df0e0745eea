"""A trigram index on aliases' normalized form, on PostgreSQL only.

A bare surname ("Smith") joins the one known person whose alias ends with
it (``quotes.speakers``): ``normalized LIKE '% smith'``, which without it
reads every alias for each new surname an article names.
"""

from django.db import migrations

UP = (
    "CREATE INDEX IF NOT EXISTS speakeralias_normalized_trgm ON quotes_speakeralias "
    "USING gin (normalized gin_trgm_ops)"
)
DOWN = "DROP INDEX IF EXISTS speakeralias_normalized_trgm"


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("quotes", "0007_page_indexes")]

    operations = [migrations.RunPython(_run(UP), _run(DOWN))]
