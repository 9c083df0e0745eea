"""The bench's generated tables follow the models (evaluation/bench.py)."""

from django.apps import apps

from evaluation import bench


def test_the_bench_fills_every_column_that_cannot_be_null(tmp_path):
    # A column the bench does not choose takes the model's default: a field added to a
    # model later must not make every fresh bench database fail to load.
    for table in bench._open_tables(tmp_path).values():
        table.close()
        model = next(m for m in apps.get_models() if m._meta.db_table == table.table)
        required = {f.column for f in model._meta.concrete_fields if not f.null and not f.primary_key}
        assert required <= set(table.columns), table.table


def test_a_default_is_written_after_the_chosen_values(tmp_path):
    article = bench._open_tables(tmp_path)["article"]
    defaults = article.suffix.split("\t")[1:]
    chosen = len(article.columns) - len(defaults)
    assert "attempts" in article.columns[chosen:]
    article.write(*range(chosen))
    article.close()
    assert article.path.read_text().rstrip("\n").split("\t") == [str(n) for n in range(chosen)] + defaults
