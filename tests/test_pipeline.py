"""The one write path: extraction results stored, attributed and grouped."""

import threading
import time
from datetime import date

import pytest
from django.db.models import Count

from quotes import extraction, pipeline, queue, tasks
from quotes.extraction import QuoteFinding
from quotes.ingest import ingest_article
from quotes.models import Article, Correction, Family, Speaker, Version
from tests.conftest import seed_text
from tests.factories import DESCRIBED, import_article, import_seed

pytestmark = pytest.mark.django_db


def rows(article: Article) -> list[tuple]:
    return sorted(
        article.versions.values_list("start", "end", "in_title", "kind", "speaker__name", "family__text")
    )


def test_seed_article_quotes_are_stored_with_offsets_into_its_text():
    article = import_seed("001")
    assert article.status == Article.Status.DONE
    versions = list(article.versions.all())
    assert versions
    for version in versions:
        source = article.title if version.in_title else article.text
        assert source[version.start : version.end] == version.text


def test_trust_destroyed_is_attributed_to_stoltenberg():
    article = import_seed("001")
    version = article.versions.get(text__contains="Trust has been destroyed")
    assert version.speaker.name == "Jens Stoltenberg"
    assert version.kind == Version.Kind.DIRECT


def test_running_extraction_twice_leaves_the_same_rows():
    article = import_seed("001")
    before, families = rows(article), Family.objects.count()
    pipeline.process_article(article.pk)
    assert rows(article) == before
    assert Family.objects.count() == families
    assert Speaker.objects.filter(name="Jens Stoltenberg").count() == 1


def test_a_quote_carried_by_two_outlets_is_one_family():
    first = import_seed("000")
    second = import_seed("001")
    family = second.versions.get(text__contains="Trust has been destroyed").family
    outlets = set(family.versions.values_list("article__outlet__name", flat=True))
    assert outlets == {first.outlet.name, second.outlet.name}


def test_one_stoltenberg_speaker_across_articles():
    for prefix in ("000", "001", "002", "003", "004"):
        import_seed(prefix)
    assert Speaker.objects.filter(name__icontains="Stoltenberg").count() == 1


def test_a_failing_extraction_is_recorded_on_the_article(monkeypatch):
    article = ingest_article(outlet="Example", title="T", text="He said “hi”.", enqueue=False).article

    def broken(_texts):
        raise RuntimeError("parser exploded")

    monkeypatch.setattr(extraction, "extract_many", broken)
    tasks.extract_article(article.pk)
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert "parser exploded" in article.error


def test_task_for_a_deleted_article_does_nothing(caplog):
    other = ingest_article(outlet="Example", title="T", text="He said “hi”.", enqueue=False).article
    tasks.extract_article(999_999)
    assert "article 999999 is gone" in caplog.text
    other.refresh_from_db()
    assert (other.status, other.attempts) == (Article.Status.QUEUED, 0)


def test_roles_are_kept_with_their_dates_and_are_not_aliases():
    import_seed("001")
    import_seed("004")
    stoltenberg = Speaker.objects.get(name="Jens Stoltenberg")
    roles = {role.normalized: role for role in stoltenberg.roles.all()}
    assert "nato secretary general" in roles
    assert roles["nato secretary general"].last_seen == date(2022, 12, 14)
    aliases = set(stoltenberg.aliases.values_list("normalized", flat=True))
    assert "jens stoltenberg" in aliases
    assert not any("chief" in alias or "secretary" in alias for alias in aliases)


def test_a_headline_label_is_not_taken_for_a_role():
    import_seed("000")  # its last line: "NATO: Even if the fighting stops, …"
    stoltenberg = Speaker.objects.get(name="Jens Stoltenberg")
    assert "nato" not in set(stoltenberg.roles.values_list("normalized", flat=True))


def test_a_full_name_takes_over_a_speaker_known_by_surname_only():
    surname_only = ingest_article(
        outlet="Example",
        title="T",
        text="“We stand firm,” Stoltenberg told reporters on Monday.",
        enqueue=False,
    ).article
    pipeline.process_article(surname_only.pk)
    import_seed("001")
    assert Speaker.objects.filter(name__icontains="Stoltenberg").count() == 1
    assert Speaker.objects.get(name__icontains="Stoltenberg").name == "Jens Stoltenberg"


def test_two_people_sharing_a_surname_stay_apart():
    for text in ("“Taxes will fall,” Anna Smith said.", "“Taxes will rise,” John Smith said."):
        pipeline.process_article(
            ingest_article(outlet="Example", title="T", text=text, enqueue=False).article.pk
        )
    bare = ingest_article(outlet="Other", title="T", text="“No comment,” Smith said.", enqueue=False).article
    pipeline.process_article(bare.pk)
    assert (
        Speaker.objects.filter(name="Anna Smith").exists()
        and Speaker.objects.filter(name="John Smith").exists()
    )
    assert bare.versions.get().speaker.name not in {"Anna Smith", "John Smith"}


def test_every_version_of_a_statement_in_one_article_shares_its_family():
    article = import_seed("001")
    family = article.versions.get(kind=Version.Kind.DIRECT, text__contains="Trust has been destroyed").family
    paraphrase = article.versions.get(text__contains="relations are beyond repair")
    headline = article.versions.get(kind=Version.Kind.HEADLINE, text="Destroyed")
    assert paraphrase.family == family and headline.family == family
    assert family.text.startswith("Even if the fighting ends")  # the speaker's words name the family
    assert paraphrase.relation == Version.Relation.VARIANT


def test_the_seed_families_of_a_summary_and_of_the_quote_it_borrows_from_stay_apart():
    # 003's lede sums up two statements and borrows "minimum contact" from one of them.
    article = import_seed("003")
    lede = article.versions.get(kind=Version.Kind.INDIRECT, text__startswith="The world when Russia")
    borrowed = article.versions.get(kind=Version.Kind.PARTIAL, text="minimum contact")
    source = article.versions.get(kind=Version.Kind.DIRECT, text__contains="minimal contact")
    assert borrowed.family == source.family
    assert lede.family != source.family


def test_a_statement_found_in_another_outlet_brings_all_its_versions_along():
    import_seed("000")
    second = import_seed("001")
    family = second.versions.get(text__contains="Trust has been destroyed").family
    in_second = set(family.versions.filter(article=second).values_list("kind", flat=True))
    assert in_second == {"headline", "indirect", "partial", "direct"}
    assert family.versions.exclude(article=second).exists()


def test_a_fuller_version_takes_over_and_the_older_versions_are_relabelled():
    short = "We don't want a new Cold War, we don't want a new arms race"
    full = short + ", and we will keep working for a better relationship with Russia"
    first = ingest_article(
        outlet="Outlet One",
        title="NATO chief on Russia",
        text=f"NATO Secretary General Jens Stoltenberg spoke in Brussels.\n\n“{short},” Stoltenberg said.",
        published=date(2018, 2, 14),
        enqueue=False,
    ).article
    pipeline.process_article(first.pk)
    earlier = first.versions.get(kind=Version.Kind.DIRECT)
    assert earlier.relation == Version.Relation.VERBATIM
    second = ingest_article(
        outlet="Outlet Two",
        title="Stoltenberg in Brussels",
        text=f"NATO Secretary General Jens Stoltenberg spoke in Brussels.\n\n“{full},” Stoltenberg said.",
        published=date(2018, 2, 15),
        enqueue=False,
    ).article
    pipeline.process_article(second.pk)
    later = second.versions.get(kind=Version.Kind.DIRECT)
    earlier.refresh_from_db()
    assert later.family == earlier.family and later.family.text == later.text
    assert later.relation == Version.Relation.VERBATIM  # the new canonical text itself
    assert earlier.relation == Version.Relation.FRAGMENT


def test_a_bulk_import_sends_its_articles_to_the_workers_in_chunks(
    monkeypatch, django_capture_on_commit_callbacks
):
    from quotes.ingest import extraction_in_chunks, queue_extraction

    chunks, singles = [], []
    monkeypatch.setattr(queue, "extract_articles", lambda ids: chunks.append(list(ids)))
    monkeypatch.setattr(queue, "extract_article", singles.append)
    ids = [
        ingest_article(
            outlet="Example", title=f"Story {n}", text=f"“Words number {n},” she said.", enqueue=False
        ).article.pk
        for n in range(5)
    ]
    with extraction_in_chunks(2):
        for article in Article.objects.filter(pk__in=ids).order_by("pk"):
            with django_capture_on_commit_callbacks(execute=True):  # each article committed in turn
                queue_extraction(article)
    assert chunks == [ids[0:2], ids[2:4]]
    assert singles == [ids[4]]  # the rest, when the import ends


def _queued_seeds(*prefixes: str) -> list[Article]:
    articles = []
    for prefix in prefixes:
        text, entry = seed_text(prefix)
        articles.append(
            ingest_article(outlet=entry["outlet"], title=entry["title"], text=text, enqueue=False).article
        )
    return articles


def test_one_failing_article_of_a_chunk_does_not_stop_the_others(monkeypatch):
    articles = _queued_seeds("000", "001", "002")
    assert {a.status for a in articles} == {Article.Status.QUEUED}
    broken = articles[1].pk
    save = pipeline.save_findings

    def save_or_fail(article_id, findings, body_offset):
        if article_id == broken:
            raise RuntimeError("disk on fire")
        return save(article_id, findings, body_offset)

    monkeypatch.setattr(pipeline, "save_findings", save_or_fail)
    tasks.extract_articles([a.pk for a in articles] + [999_999])  # one of them is gone
    statuses = dict(Article.objects.values_list("pk", "status"))
    assert statuses == {articles[0].pk: "done", broken: "failed", articles[2].pk: "done"}
    assert "disk on fire" in Article.objects.get(pk=broken).error


def test_a_chunk_whose_parse_fails_sends_each_article_on_its_own(monkeypatch):
    articles = _queued_seeds("000", "001")
    sent = []
    monkeypatch.setattr(queue, "extract_article", sent.append)

    def out_of_time(article_ids):
        raise tasks.SoftTimeLimitExceeded()
        yield  # (a generator, like the real one)

    monkeypatch.setattr(pipeline, "extract_batch", out_of_time)
    tasks.extract_articles([a.pk for a in articles])
    assert sent == [a.pk for a in articles]


def _stories(count: int) -> list[int]:
    return [
        ingest_article(
            outlet="Example", title=f"Story {n}", text=f"“Words number {n},” she said.", enqueue=False
        ).article.pk
        for n in range(count)
    ]


def test_a_chunk_writes_each_article_while_the_next_one_is_parsed(monkeypatch):
    ids = _stories(3)
    first_written = threading.Event()
    seen_written = []
    parsed = []

    def parse(texts):
        parsed.extend(texts)
        if len(parsed) == 2:  # parsing the second article: has the first been written meanwhile?
            seen_written.append(first_written.wait(timeout=5))
        return [[] for _ in texts]

    save = pipeline.save_findings

    def save_and_say(article_id, findings, body_offset):
        article = save(article_id, findings, body_offset)
        first_written.set()
        return article

    monkeypatch.setattr(extraction, "extract_many", parse)
    monkeypatch.setattr(pipeline, "save_findings", save_and_say)
    tasks.extract_articles(ids)
    assert seen_written == [True]
    assert set(Article.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"done"}


def test_a_parse_failing_midway_sends_only_the_articles_not_written_yet_on_their_own(monkeypatch):
    ids = _stories(3)
    sent = []
    monkeypatch.setattr(queue, "extract_article", sent.append)

    parsed = []

    def parse(texts):
        parsed.extend(texts)
        if len(parsed) > 1:
            raise RuntimeError("a bug in the parser")
        return [[] for _ in texts]

    monkeypatch.setattr(extraction, "extract_many", parse)
    tasks.extract_articles(ids)
    assert Article.objects.get(pk=ids[0]).status == Article.Status.DONE
    assert sent == ids[1:]


def test_a_caller_out_of_time_stops_the_parse_running_ahead(monkeypatch):
    ids = _stories(2)
    parsing = threading.Event()
    parsed = []

    def parse(texts):
        parsed.extend(texts)
        if len(parsed) > 1:
            parsing.set()
            while True:  # an article that never finishes
                time.sleep(0.005)
        return [[] for _ in texts]

    monkeypatch.setattr(extraction, "extract_many", parse)
    batch = pipeline.extract_batch(ids)
    next(batch)
    assert parsing.wait(timeout=5)
    with pytest.raises(tasks.SoftTimeLimitExceeded), tasks._soft_time_limit(0.2):
        next(batch)
    batch.close()
    assert not [thread for thread in threading.enumerate() if thread.name == "parse-ahead"]


def _article(text: str, outlet: str = "Outlet", published: date = date(2020, 1, 2)) -> Article:
    return ingest_article(outlet=outlet, title="", text=text, published=published, enqueue=False).article


def _finding(text: str, body: str, kind: str = "direct", statement: str | None = None) -> QuoteFinding:
    start = body.index(text)
    anchor = body.index(statement) if statement else start
    return QuoteFinding(
        start=start,
        end=start + len(text),
        text=text,
        kind=kind,
        speaker="Ann Lee",
        speaker_type="person",
        statement=(anchor, anchor + len(statement or text)),
    )


def test_a_family_tried_and_turned_down_for_a_statement_is_left_as_it_was():
    defend = "We will defend every inch of allied territory"
    taxes = "Taxes must fall sharply this year across the whole country"
    clause = "we will defend every inch of allied territory whatever it costs the alliance"
    body = f"“{defend},” Lee said. “{taxes},” she said. Lee said {clause}."
    article = _article(body)
    findings = [
        _finding(defend, body),
        _finding(taxes, body),
        # Linked to the second statement; it matches the first one's family,
        # which this article has already placed, so it is turned down.
        _finding(clause, body, kind="indirect", statement=taxes),
    ]
    pipeline.save_findings(article.pk, findings, 0)
    first = article.versions.get(text=defend)
    assert first.family.text == defend and first.relation == Version.Relation.VERBATIM
    assert article.versions.get(text=clause).family == article.versions.get(text=taxes).family


def test_a_version_marked_not_a_quote_does_not_choose_the_statements_family():
    stored = "Trust has been destroyed between NATO and Russia"
    other = _article(f"“{stored},” Lee said.", outlet="Other", published=date(2020, 1, 1))
    pipeline.save_findings(other.pk, [_finding(stored, other.text)], 0)
    family = Family.objects.get()
    longer = stored + " and it will take many years to rebuild it"
    paraphrase = "relations with Moscow are beyond repair"
    body = f"“{longer},” Lee said. Lee said {paraphrase}."
    article = _article(body)
    rejected = _finding(longer, body)
    Correction.objects.create(
        article=article, start=rejected.start, end=rejected.end, action=Correction.Action.NOT_A_QUOTE
    )
    pipeline.save_findings(
        article.pk, [rejected, _finding(paraphrase, body, "indirect", statement=longer)], 0
    )
    family.refresh_from_db()
    assert family.text == stored  # the rejected text did not become its canonical text
    assert list(article.versions.values_list("text", flat=True)) == [paraphrase]
    assert article.versions.get().family != family


def test_an_article_is_written_in_a_few_queries_however_many_quotes_it_has(django_assert_max_num_queries):
    import_seed("000")
    (article,) = _queued_seeds("001")
    ((_, findings, body_offset),) = pipeline.extract_batch([article.pk])
    assert len(findings) >= 20
    # Bulk statements for the versions, families, keys, aliases and roles, the locks
    # and one query for every statement's candidates: one round trip per
    # quote would take over 60. A first extraction has no former versions to delete.
    with django_assert_max_num_queries(25):
        pipeline.save_findings(article.pk, findings, body_offset)
    assert article.versions.count() == len(findings)


def test_running_an_article_again_is_written_in_a_few_queries_too(django_assert_max_num_queries):
    article = import_seed("001")
    ((_, findings, body_offset),) = pipeline.extract_batch([article.pk])
    with django_assert_max_num_queries(30):  # its old families deleted and made anew
        pipeline.save_findings(article.pk, findings, body_offset)


def test_aliases_ending_in_a_surname_are_found_through_an_index():
    from django.db import connection

    from quotes.models import SpeakerAlias
    from tests.conftest import require

    require(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL)")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be read whole anyway
    # The lookup of quotes.speakers.people_with_surname.
    plan = SpeakerAlias.objects.filter(normalized__endswith=" stoltenberg").explain()
    assert "speakeralias_normalized_trgm" in plan


def test_a_new_speaker_and_the_alias_of_its_name_are_stored_in_one_statement(django_assert_num_queries):
    from django.db import connection

    from quotes.speakers import _new_speaker
    from tests.conftest import require

    require(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL)")
    with django_assert_num_queries(1):  # its slug free: no check of its own
        speaker = _new_speaker("Ann Lee", Speaker.Type.PERSON)
    stored = Speaker.objects.get(pk=speaker.pk)
    assert (stored.name, stored.slug, stored.type) == ("Ann Lee", "ann-lee", Speaker.Type.PERSON)
    assert list(stored.aliases.values_list("name", "normalized")) == [("Ann Lee", "ann lee")]


def test_a_new_speaker_whose_slug_is_taken_gets_the_next_free_one_and_its_alias():
    from quotes.speakers import _new_speaker

    Speaker.objects.create(name="Ann Lee", slug="ann-lee")
    speaker = _new_speaker("Ann Lee", Speaker.Type.ORGANISATION)
    stored = Speaker.objects.get(pk=speaker.pk)
    assert (stored.slug, stored.type) == ("ann-lee-2", Speaker.Type.ORGANISATION)
    assert list(stored.aliases.values_list("normalized", flat=True)) == ["ann lee"]


NAMED = (
    "Defence Minister Jonas Berg spoke in Oslo on Monday.\n\n"
    "“We will not sign anything that leaves the border open to attack,” Berg said."
)


def test_a_described_source_is_kept_on_the_version_and_is_no_speaker():
    article = import_article(DESCRIBED, "Outlet A")
    version = article.versions.get(text__startswith="We will not sign")
    assert version.speaker is None
    assert version.speaker_description == "a senior official"
    assert version.family.speaker_description == "a senior official"
    assert not Speaker.objects.filter(aliases__normalized__contains="official").exists()


def test_a_described_sources_quote_never_joins_a_named_speakers_family():
    named = import_article(NAMED, "Outlet A")
    described = import_article(DESCRIBED, "Outlet B")
    named_family = named.versions.get(text__startswith="We will not sign").family
    described_family = described.versions.get(text__startswith="We will not sign").family
    assert named_family.speaker.name == "Jonas Berg"
    assert described_family != named_family
    assert described_family.speaker is None


def test_two_outlets_describing_the_source_alike_share_one_family():
    first = import_article(DESCRIBED, "Outlet A")
    second = import_article(
        DESCRIBED.replace("a senior official", "a senior government official"), "Outlet B"
    )
    assert (
        first.versions.get(text__startswith="We will not sign").family
        == second.versions.get(text__startswith="We will not sign").family
    )


def test_the_named_speaker_types_are_the_speaker_model_types():
    from quotes.words import SpeakerType

    assert set(SpeakerType.NAMED) == set(Speaker.Type.values)


def _doubled_families() -> list:
    return list(
        Family.objects.values("fingerprint", "speaker")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("pk")
    )


def test_an_undated_article_repeating_an_older_ones_paragraphs_joins_its_families():
    # Its upload date is not when the words were said: matched with no time
    # limit, it no longer starts a second family for each statement.
    seed = import_seed("000")
    text, entry = seed_text("000")
    families = set(seed.versions.values_list("family_id", flat=True))
    copy = ingest_article(
        outlet="Copy Desk", title=entry["title"], text="\n\n".join([text] * 3), enqueue=False
    ).article
    assert copy.published is None
    pipeline.process_article(copy.pk)
    assert _doubled_families() == []
    assert set(copy.versions.values_list("family_id", flat=True)) <= families


def test_a_dated_article_repeating_statements_years_later_keeps_its_own_families():
    seed = import_seed("000")
    text, entry = seed_text("000")
    later = ingest_article(
        outlet="Copy Desk", title=entry["title"], text=text, published=date(2025, 1, 1), enqueue=False
    ).article
    pipeline.process_article(later.pk)
    shared = set(later.versions.values_list("family_id", flat=True)) & set(
        seed.versions.values_list("family_id", flat=True)
    )
    assert shared == set()  # the same words said again, two years on: another statement


def test_each_write_logs_its_time_and_the_part_under_the_placement_lock(caplog):
    body = "“Taxes must fall sharply this year across the whole country,” Lee said."
    article = _article(body)
    with caplog.at_level("INFO", logger="quotes.pipeline"):
        pipeline.save_findings(article.pk, [_finding(body[1:60], body)], 0)
    (record,) = [r for r in caplog.records if hasattr(r, "write_ms")]
    assert f"article {article.pk} written in" in record.getMessage()
    assert record.lock_wait_ms >= 0 and 0 <= record.locked_ms <= record.write_ms


def test_a_parse_logs_its_time(caplog):
    (article,) = _queued_seeds("001")
    with caplog.at_level("INFO", logger="quotes.pipeline"):
        list(pipeline.extract_batch([article.pk]))
    (record,) = [r for r in caplog.records if hasattr(r, "parse_ms")]
    assert record.articles == 1 and record.parse_ms > 0


def test_a_write_joining_families_without_a_primary_source_looks_for_none_apart(monkeypatch):
    # Under the placement lock, the check of the families read says which have a source:
    # a family without one costs no query of its own.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from quotes.models import PrimarySource

    body = "“Taxes must fall sharply this year across the whole country,” Lee said."
    pipeline.save_findings(_article(body).pk, [_finding(body[1:60], body)], 0)
    again = _article(body, outlet="Other Outlet")
    with CaptureQueriesContext(connection) as queries:
        pipeline.save_findings(again.pk, [_finding(body[1:60], body)], 0)
    assert again.versions.get().family.versions.count() == 2  # it joined the family
    table = PrimarySource._meta.db_table
    own = [q["sql"] for q in queries if q["sql"].startswith(f'SELECT "{table}"."')]
    assert own == []


def test_versions_are_compared_before_the_placement_lock_is_taken(monkeypatch):
    # What is under the lock is serial for every worker: the comparisons (CPU) are not.
    from quotes.families import store

    locked, compared_under_lock = [], []
    monkeypatch.setattr(store, "lock_placement", lambda **_: locked.append(True))
    flags_to_store = store.flags_to_store

    def noted(*args):
        compared_under_lock.append(bool(locked))
        return flags_to_store(*args)

    monkeypatch.setattr(store, "flags_to_store", noted)
    import_seed("000")
    assert locked and compared_under_lock and not any(compared_under_lock)
