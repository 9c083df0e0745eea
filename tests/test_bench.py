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


def test_each_generated_key_row_carries_its_familys_first_sighting_and_speaker(tmp_path):
    # Written beside the family's row, as the pipeline writes them: filled by an UPDATE after
    # the load, the rows were rewritten in the join's order, a family's postings scattered.
    keys = bench._open_tables(tmp_path)["key"]
    keys.close()
    assert keys.columns[:4] == ("key", "quote_id", "first_seen", "family_speaker_id")
    ((_, _, rows),) = bench._quote_rows([(7, "The harbour will stay open all winter", 3, "2016-01-05")])
    assert rows and {tuple(row.split("\t")[1:]) for row in rows.splitlines()} == {("7", "2016-01-05", "3")}


def test_the_same_query_for_another_speaker_has_the_same_shape():
    one = bench.query_shape("SELECT * FROM quotes_quote WHERE speaker_id = 12 AND text = 'it''s' LIMIT 20")
    other = bench.query_shape("SELECT *  FROM quotes_quote WHERE speaker_id = 9031 AND text = 'no' LIMIT 40")
    assert one == other
    assert one != bench.query_shape("SELECT * FROM quotes_article WHERE id = 12")
    escaped = bench.query_shape(
        "SELECT * FROM quotes_quote WHERE speaker_id = 9031 AND text = E'no\\\\' LIMIT 40"
    )
    assert escaped == one


def test_a_pages_heaviest_query_is_the_one_taking_most_time_over_all_pages():
    timings = bench.PageTimings(
        pages=[30.0, 50.0, 20.0],
        queries=[{"count": 10.0, "list": 15.0}, {"count": 35.0, "list": 5.0}, {"list": 12.0}],
    )
    assert timings.heaviest() == ("count", [10.0, 35.0, 0.0])


def test_a_workers_time_is_split_from_its_log_lines():
    log = (
        "[INFO/ForkPoolWorker-1] parsed 2 articles in 200.0 ms\n"
        "[INFO/ForkPoolWorker-1] article 7 written in 50.0 ms: 5.0 ms waiting for the placement lock, "
        "10.0 ms holding it (the whole lock)\n"
        "[INFO/ForkPoolWorker-1] article 8 written in 30.0 ms: 1.0 ms waiting for the placement lock, "
        "9.0 ms holding it (partitions: 2 alone, 0 shared)\n"
    )
    spent = bench.WorkerTime.from_log(log, wall_ms=200.0, processes=2)
    assert spent == bench.WorkerTime(
        parse=200.0, write=74.0, lock_wait=6.0, idle=120.0, parse_wait=200.0, writes=2, whole=1
    )


def test_a_workers_parse_overlapping_its_writes_counts_only_what_it_waited_for():
    log = (
        "[INFO/ForkPoolWorker-1] article 7 written in 50.0 ms: 5.0 ms waiting for the placement lock, "
        "10.0 ms holding it\n"
        "[INFO/ForkPoolWorker-1] parsed 2 articles in 200.0 ms, 140.0 ms of it waited for\n"
    )
    spent = bench.WorkerTime.from_log(log, wall_ms=250.0, processes=1)
    assert spent == bench.WorkerTime(
        parse=200.0, write=45.0, lock_wait=5.0, idle=60.0, parse_wait=140.0, writes=1, whole=0
    )


def test_a_statements_buffers_count_its_inserts_that_nothing_reads():
    # ``WITH numbered AS (…), families AS (INSERT …) SELECT … FROM numbered``: the insert runs
    # after the rest, outside the top node's count; the CTE the query reads is inside it.
    def node(kind, hit, read=0, **more):
        return {"Node Type": kind, "Shared Hit Blocks": hit, "Shared Read Blocks": read, **more}

    numbered = node("Subquery Scan", 16, 10, **{"Subplan Name": "CTE numbered"})
    families = node("ModifyTable", 15, 35, **{"Subplan Name": "CTE families"})
    postings = node("ModifyTable", 151, 31, **{"Subplan Name": "CTE postings"})
    top = node("CTE Scan", 16, 10, **{"CTE Name": "numbered", "Plans": [numbered, families, postings]})
    assert bench.plan_buffers({"Plan": top}) == 26 + 50 + 182
    assert bench.plan_buffers({"Plan": node("Index Scan", 4, 1)}) == 5
