"""An outlet's timeline index holds the articles' ids too (PostgreSQL only, like 0007).

The outlet page counts its most quoted speakers in its latest 1,000 articles,
found along this index: with the id in it, that walk reads the index alone
instead of a thousand article rows.
"""

from django.db import migrations

UP = [
    "DROP INDEX IF EXISTS article_outlet_timeline",
    "CREATE INDEX IF NOT EXISTS article_outlet_timeline ON quotes_article "
    "(outlet_id, published DESC NULLS LAST, created_at DESC) INCLUDE (id)",
]
DOWN = [
    "DROP INDEX IF EXISTS article_outlet_timeline",
    "CREATE INDEX IF NOT EXISTS article_outlet_timeline ON quotes_article "
    "(outlet_id, published DESC NULLS LAST, created_at DESC)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("quotes", "0021_article_fetching")]

    operations = [migrations.RunPython(_run(UP), _run(DOWN))]
