"""Finding the candidate families of new quotes in the key index (store.retrieve_candidates)."""

import re
from collections import Counter
from datetime import date

import pytest
from django.db import connection

from quotes.families import folding, keys, store
from quotes.models import Family
from tests.plans import index_plan

pytestmark = pytest.mark.django_db

TOWNS = ("Concord", "Nashua", "Keene", "Dover", "Salem")


def store_family(text: str) -> Family:
    family = Family.objects.create(
        text=text, fingerprint=folding.fingerprint(text), first_seen=date(2016, 2, 1)
    )
    store.index_family(family)
    return family


@pytest.fixture
def campaign_families(monkeypatch) -> list[Family]:
    """Five families whose keys "clinton", "campaign" … are common (held by more than three)."""
    monkeypatch.setattr(keys, "COMMON_KEY_FAMILIES", 3)
    return [store_family(f"Clinton campaign officials met voters in {town}") for town in TOWNS]


def candidates(text: str) -> list[int]:
    rows, _ = store.retrieve_candidates([(text, None)])
    return sorted(family.pk for _, family in rows)


def test_families_sharing_only_common_keys_do_not_crowd_out_a_telling_match(campaign_families, monkeypatch):
    monkeypatch.setattr(store, "CANDIDATES_PER_VERSION", 2)
    childcare = store_family("We will make childcare affordable for families")
    # Counted on every key, each campaign family would share five keys and
    # the childcare family two, leaving it out of the two candidates.
    assert candidates("Clinton campaign officials promise affordable childcare") == [childcare.pk]


def test_a_text_of_common_words_only_still_finds_the_newest_families(campaign_families, monkeypatch):
    monkeypatch.setattr(store, "CANDIDATES_PER_VERSION", 2)
    assert candidates("Clinton campaign officials") == [family.pk for family in campaign_families[-2:]]


def test_the_candidates_of_several_texts_come_in_one_query(campaign_families, django_assert_num_queries):
    childcare = store_family("We will make childcare affordable for families")
    probes = [("Clinton campaign officials met voters in Keene", None), ("affordable childcare", None)]
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 3):
        rows, watermark = store.retrieve_candidates(probes)
    found = {probe: {family.pk for p, family in rows if p == probe} for probe in (0, 1)}
    assert campaign_families[2].pk in found[0]  # the same words: by its fingerprint
    assert found[1] == {childcare.pk}
    assert watermark == childcare.pk


def _store(text: str) -> store.FamilyStore:
    return store.FamilyStore([store.Statement((text,), None, date(2016, 2, 2))])


def test_a_write_is_current_until_a_family_it_would_have_joined_is_stored_meanwhile():
    write = _store("We will make childcare affordable for families")
    store_family("Taxes on families will fall next year")  # shares a word, not the statement
    assert write.is_current()
    store_family("We will make childcare affordable for families")  # by another write
    assert not write.is_current()


def test_a_write_is_not_current_once_a_family_it_read_has_changed():
    family = store_family("We will make childcare affordable for families")
    write = _store("we will make childcare affordable")
    assert family.pk in write.read
    Family.objects.filter(pk=family.pk).update(first_seen=date(2016, 1, 1))
    assert not write.is_current()


def _unrelated_statements(count: int) -> list[store.Statement]:
    """Statements that each share the words "families of the region" and nothing else."""
    words = [f"w{n}x" for n in range(count * 7)]
    return [
        store.Statement(
            (" ".join(words[n * 7 : n * 7 + 7]) + " for the families of the region",), None, date(2026, 1, 1)
        )
        for n in range(count)
    ]


def test_an_articles_own_families_are_found_as_stored_ones_are_with_the_same_bound(monkeypatch):
    # A 60 KB text of 7,440 statements took 767 s when each was compared with every family
    # the article had made before it: the in-article candidates grew with the article.
    monkeypatch.setattr(store, "CANDIDATES_PER_VERSION", 5)
    statements = _unrelated_statements(60)
    written = store.FamilyStore(statements)
    compared = []
    for statement in statements:
        compared.append(len(written.candidates(statement.versions[0], None, statement.when)))
        written.place(statement)
    assert max(compared) == 5
    assert len(written.new) == 60  # each its own family, as before


def test_an_articles_repeat_of_its_own_statement_still_joins_its_family():
    first, other = _unrelated_statements(2)
    written = store.FamilyStore([first, other, first])
    placed = [written.place(statement) for statement in (first, other, first)]
    assert placed[2].family_id == placed[0].family_id and placed[2].family_id != placed[1].family_id


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("dated", [False, True], ids=["undated", "dated"])
def test_the_speakers_of_ranked_families_are_read_from_the_key_index_alone(services, dated):
    # At a million families a statement's ranked list runs to hundreds; reading each one's
    # speaker from its table row was most of matching's time (migration 0023), and looking
    # each one up in an index of its own most of what was left (migration 0031): the
    # postings carry it, and the family table is read for the chosen candidates alone.
    from quotes.models import Speaker

    speaker = Speaker.objects.create(name="Ann Lee", slug="ann-lee")
    for town in TOWNS:
        store_family(f"Clinton campaign officials met voters in {town}")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE quotes_quote")
        cursor.execute("VACUUM ANALYZE quotes_quotekey")
    sent = []

    def noted(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    probe = ("Clinton campaign officials met voters", speaker.pk, date(2016, 2, 2) if dated else None)
    with connection.execute_wrapper(noted):
        store.retrieve_candidates([probe])
    ((sql, params),) = sent
    plan = index_plan(sql, params)
    used = "quotekey_window" if dated else "quotekey_unique"
    key_scans = [line for line in plan.splitlines() if "on quotes_quotekey" in line]
    assert key_scans and all("Index Only Scan" in line for line in key_scans), plan
    assert any(used in line for line in key_scans), plan
    # The family table: the chosen candidates' rows (as ``family``), no lookup of each ranked one's speaker.
    assert not re.search(r"using quote_speaker_of_id on quotes_quote\s+\(", plan), plan


def _dated_family(text: str, first_seen: date) -> Family:
    family = Family.objects.create(text=text, fingerprint=folding.fingerprint(text), first_seen=first_seen)
    store.index_family(family)
    return family


def test_families_from_years_before_do_not_crowd_a_recent_family_out_of_the_candidates(monkeypatch):
    # At a million families, about one in forty candidates was within placement's 30 days:
    # older families sharing more words took the places of the family a statement belongs to.
    monkeypatch.setattr(store, "CANDIDATES_PER_VERSION", 2)
    for year in (2012, 2013, 2014):
        _dated_family(
            f"We will make childcare affordable for every family in the state by {year}", date(year, 5, 1)
        )
    recent = _dated_family("childcare affordable for every family", date(2016, 2, 1))
    placed = store.place(
        store.Statement(
            ("We will make childcare affordable for every family in the state",), None, date(2016, 2, 3)
        )
    )
    assert placed.family.pk == recent.pk and not placed.created


def test_an_undated_statement_is_still_compared_with_families_of_any_age(monkeypatch):
    monkeypatch.setattr(store, "CANDIDATES_PER_VERSION", 2)
    old = _dated_family("We will make childcare affordable for every family in the state", date(2012, 5, 1))
    statement = store.Statement(
        ("We will make childcare affordable for every family in the state",),
        None,
        date(2016, 2, 3),
        undated=True,
    )
    assert store.place(statement).family.pk == old.pk


def test_a_family_dated_earlier_by_a_version_is_found_within_its_new_window():
    family = _dated_family("We will make childcare affordable for every family", date(2016, 3, 15))
    earlier = store.place(
        store.Statement(("make childcare affordable for every family",), None, date(2016, 2, 20))
    )
    assert earlier.family.pk == family.pk
    # 50 days before the first sighting as stored at first, 26 after the one the version gave it.
    again = store.place(
        store.Statement(("We will make childcare affordable for every family now",), None, date(2016, 1, 25))
    )
    assert again.family.pk == family.pk and not again.created


def test_a_family_that_takes_an_earlier_one_in_a_speaker_merge_is_found_within_its_new_window():
    from quotes.models import Speaker

    speaker = Speaker.objects.create(name="Ann Lee", slug="ann-lee")
    kept = _dated_family("We will make childcare affordable for every family", date(2016, 3, 15))
    gone = _dated_family("We will make childcare affordable for every family", date(2016, 2, 20))
    Family.objects.filter(pk__in=[kept.pk, gone.pk]).update(speaker=speaker)
    assert store.join_same_statements(speaker, [gone.pk]) == {gone.pk: kept.pk}
    assert not Family.objects.filter(pk=gone.pk).exists()
    # 50 days before the kept family's own first sighting, 26 after the one it took over.
    again = store.place(
        store.Statement(
            ("We will make childcare affordable for every family now",), speaker, date(2016, 1, 25)
        )
    )
    assert again.family.pk == kept.pk and not again.created


def test_a_familys_index_keys_carry_its_speaker_whoever_changes_it():
    # Ranking reads each family's speaker from its keys (migration 0031): they must follow it.
    from quotes.models import FamilyKey, Speaker

    def speakers_of_keys(family: Family) -> set[int | None]:
        return set(FamilyKey.objects.filter(family=family).values_list("family_speaker_id", flat=True))

    ann = Speaker.objects.create(name="Ann Lee", slug="ann-lee")
    bo = Speaker.objects.create(name="Bo Chen", slug="bo-chen")
    text = "We will make childcare affordable for every family in the county"
    named = store.place(store.Statement((text,), ann, date(2016, 2, 2))).family
    assert speakers_of_keys(named) == {ann.pk}
    unnamed = store.place(store.Statement(("Taxes on fuel will fall next spring",), None, date(2016, 2, 2)))
    assert speakers_of_keys(unnamed.family) == {None}
    # A version naming the speaker (the pipeline's write), an editor, a speaker deleted.
    joined = store.place(store.Statement(("Taxes on fuel will fall next spring",), bo, date(2016, 2, 3)))
    assert joined.family.pk == unnamed.family.pk
    assert speakers_of_keys(unnamed.family) == {bo.pk}
    Family.objects.filter(pk=named.pk).update(speaker=bo)
    assert speakers_of_keys(named) == {bo.pk}
    bo.delete()
    assert speakers_of_keys(named) == speakers_of_keys(unnamed.family) == {None}
    # A canonical text swapped: the new keys carry the speaker too.
    Family.objects.filter(pk=named.pk).update(speaker=ann)
    fuller = text + " from next year on"
    assert store.place(store.Statement((fuller,), ann, date(2016, 2, 4))).family.pk == named.pk
    assert Family.objects.get(pk=named.pk).text == fuller
    assert speakers_of_keys(named) == {ann.pk}
    assert FamilyKey.objects.filter(family=named).count() == len(keys.shingle_keys(fuller))


@pytest.mark.services
def test_a_verbatim_copy_is_found_through_the_one_index_on_the_fingerprint(services):
    # A fingerprint is looked up by equality alone: the second index the field's db_index
    # made on PostgreSQL, for LIKE 'prefix%', was never scanned (migration 0034).
    family = store_family("Clinton campaign officials met voters in Concord")
    sent = []

    def noted(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(noted):
        store.retrieve_candidates([(family.text, None, None)])
    ((sql, params),) = sent
    assert "using quote_fingerprint on quotes_quote" in index_plan(sql, params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'quotes_quote'")
        on_fingerprint = [row[0] for row in cursor.fetchall() if "(fingerprint" in row[0]]
    assert len(on_fingerprint) == 1 and "pattern_ops" not in on_fingerprint[0], on_fingerprint


def _index_scans(sql: str, params, row_by_row: bool = False) -> Counter:
    """How many times each index was scanned when ``sql`` ran (EXPLAIN ANALYZE), planned
    as for a large table (no sequential or bitmap scans; ``row_by_row``: rows joined one
    at a time, as the planner does for a few of a large table's)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        if row_by_row:
            cursor.execute("SET LOCAL enable_mergejoin = off")
            cursor.execute("SET LOCAL enable_hashjoin = off")
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()[0]
    scans: Counter = Counter()

    def walk(node: dict) -> None:
        if "Index Name" in node:
            scans[node["Index Name"]] += node["Actual Loops"]
        for child in node.get("Plans", ()):
            walk(child)

    walk(plan["Plan"])
    return scans


@pytest.mark.services
def test_a_dated_statement_reads_each_keys_postings_once_and_the_undated_ones_apart(services):
    # At a million families each look-up descends four levels of the window index: reading a
    # key's postings once to count it and again to rank its families, with the families of no
    # date (a handful, sorted after every dated posting of the key) reached by a descent of
    # their own each time, was most of what retrieval read, and what grew with the archive.
    for town in TOWNS:
        store_family(f"Clinton campaign officials met voters in {town}")
    undated = Family.objects.create(
        text="Clinton campaign officials met voters", fingerprint=folding.fingerprint("undated")
    )
    store.index_family(undated)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE quotes_quotekey")
    sent = []

    def noted(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    text = "Clinton campaign officials met voters in Keene"
    with connection.execute_wrapper(noted):
        rows, _ = store.retrieve_candidates([(text, None, date(2016, 2, 2))])
    assert undated.pk in {family.pk for _, family in rows}
    ((sql, params),) = sent
    scans = _index_scans(sql, params)
    assert scans["quotekey_window"] == len(keys.shingle_keys(text)), scans
    assert scans["quotekey_undated"] == len(keys.shingle_keys(text)), scans


@pytest.mark.services
def test_the_candidates_rows_are_read_through_the_hash_index_on_their_ids(services):
    # Each candidate's row, looked up through a B-tree, cost one page more for each level the
    # archive's growth added (two levels at 10k families, three at 1M); a hash bucket is one page.
    for town in TOWNS:
        store_family(f"Clinton campaign officials met voters in {town}")
    # Enough families that reading all of them costs more than looking the candidates up.
    Family.objects.bulk_create(Family(text=f"filler {n}", fingerprint=f"filler {n}") for n in range(3000))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE quotes_quote")
    sent = []

    def noted(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(noted):
        rows, _ = store.retrieve_candidates(
            [("Clinton campaign officials met voters", None, date(2016, 2, 2))]
        )
    ((sql, params),) = sent
    scans = _index_scans(sql, params, row_by_row=True)
    assert scans["quote_id_hash"] == len(rows) == len(TOWNS), scans
