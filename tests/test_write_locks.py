"""A worker's write never holds up an upload: the write locks its article and
takes the placement lock, nothing an upload needs. PostgreSQL only (SQLite
has one writer at a time, and the embedded default runs one worker)."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.db import connection, connections

from quotes import pipeline
from quotes.extraction.types import QuoteFinding
from quotes.families import store
from quotes.ingest import ingest_article
from quotes.models import Article, Family, Speaker, Version
from tests.conftest import wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

QUOTE = "We will keep the harbour open all winter"
TEXT = f"“{QUOTE},” the mayor said on Monday."
FINDING = QuoteFinding(start=1, end=1 + len(QUOTE), text=QUOTE, kind="direct", speaker="Ann Lee",
                       speaker_type="PERSON", confidence=0.9)  # fmt: skip
# An upload is a few small inserts: a second is what a person waits for without noticing a
# hold-up, and far below the minutes a large write (or one queued behind another) can take.
UPLOAD_SECONDS = 1.0


@contextmanager
def _statements_sent() -> Iterator[list[tuple[str, object]]]:
    """Every statement the connection sends inside the block, with its parameters."""
    sent: list[tuple[str, object]] = []

    def noted(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(noted):
        yield sent


@contextmanager
def _write_in_progress(
    article: Article, pause_in, finding: QuoteFinding = FINDING
) -> Iterator[threading.Thread]:
    """The article's write, run in a thread and paused inside its transaction at ``pause_in``
    (a method of ``FamilyStore``) until the block ends."""
    paused, go_on, errors = threading.Event(), threading.Event(), []
    real = getattr(store.FamilyStore, pause_in)

    def pausing(self, *args, **kwargs):
        paused.set()
        go_on.wait(60)
        return real(self, *args, **kwargs)

    def write() -> None:
        try:
            pipeline.save_findings(article.pk, [finding], 0)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()

    setattr(store.FamilyStore, pause_in, pausing)
    thread = threading.Thread(target=write)
    try:
        thread.start()
        assert paused.wait(30), "the write never reached its pause"
        yield thread
    finally:
        go_on.set()
        thread.join(60)
        setattr(store.FamilyStore, pause_in, real)
    assert errors == []


def _upload_seconds(outlet: str, title: str) -> float:
    """How long an upload to ``outlet`` takes to commit, from another connection."""
    took: list[float] = []

    def upload() -> None:
        started = time.monotonic()
        try:
            ingest_article(outlet=outlet, title=title, text=TEXT + f" {title}.", enqueue=False)
            took.append(time.monotonic() - started)
        finally:
            connection.close()

    thread = threading.Thread(target=upload)
    thread.start()
    thread.join(UPLOAD_SECONDS * 5)
    return took[0] if took else float("inf")


def test_an_upload_to_the_outlet_being_written_commits_at_once(services):
    article = ingest_article(outlet="Harbour Echo", title="Written", text=TEXT, enqueue=False).article
    with _write_in_progress(article, "save"):
        assert _upload_seconds("Harbour Echo", "Uploaded meanwhile") < UPLOAD_SECONDS
    assert Version.objects.filter(article=article).count() == 1
    assert Article.objects.filter(title="Uploaded meanwhile").exists()


def test_an_upload_commits_at_once_while_the_write_waits_for_the_placement_lock(services):
    article = ingest_article(outlet="Harbour Echo", title="Written", text=TEXT, enqueue=False).article
    holder = connections.create_connection("default")  # another write, holding the placement lock
    with holder.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [store._PLACEMENT_LOCK])

    def write() -> None:
        try:
            pipeline.save_findings(article.pk, [FINDING], 0)
        finally:
            connection.close()

    waiting = threading.Thread(target=write)
    try:
        waiting.start()
        wait_until(lambda: _waits_for_advisory_lock(holder), 30, message="the write to wait for the lock")
        assert _upload_seconds("Harbour Echo", "Uploaded while it waits") < UPLOAD_SECONDS
    finally:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [store._PLACEMENT_LOCK])
        waiting.join(60)
        holder.close()
    assert Version.objects.filter(article=article).count() == 1
    assert Article.objects.filter(title="Uploaded while it waits").exists()


def _waits_for_advisory_lock(other) -> bool:
    with other.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'"
            " AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def _editor_beside_a_paused_write(
    article: Article, pause_in: str, finding: QuoteFinding, action: Callable[[], object], what: str
) -> list[object]:
    """An editor's ``action``, run in a thread of its own while the article's write is paused
    at ``pause_in``: once the action waits for the write's lock (or, were it not to wait, is
    done at once), the write goes on; then what the action returned (empty if it failed)."""
    done: list[object] = []

    def run() -> None:
        try:
            done.append(action())
        finally:
            connection.close()

    with _write_in_progress(article, pause_in, finding):
        editor = threading.Thread(target=run)
        editor.start()
        watcher = connections.create_connection("default")
        try:
            wait_until(lambda: done or _waits_for_advisory_lock(watcher), 30, message=what)
        finally:
            watcher.close()
    editor.join(60)
    return done


def test_a_correction_racing_a_write_loses_nothing(services):
    """An editor takes out the only version of a family while another outlet's article
    is being written into that family: the correction waits for the write, so the
    family keeps the new version and the write commits (the family once went at once,
    and the write then failed on a version pointing at no family)."""
    from quotes import corrections

    first = ingest_article(outlet="Harbour Echo", title="First", text=TEXT, enqueue=False).article
    pipeline.save_findings(first.pk, [FINDING], 0)
    family_id = first.versions.get().family_id
    second = ingest_article(outlet="Quayside News", title="Second", text=TEXT, enqueue=False).article
    done = _editor_beside_a_paused_write(
        second,
        "save",  # decided: its version joins the family
        FINDING,
        lambda: corrections.mark_not_a_quote(Version.objects.get(article=first)),
        "the correction",
    )
    assert done == [1]
    assert not Version.objects.filter(article=first).exists()
    assert Version.objects.get(article=second).family_id == family_id
    assert Family.objects.filter(pk=family_id).exists()


def _synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


def test_a_write_holds_the_placement_lock_over_no_disk_flush_and_an_editors_does(monkeypatch):
    # The pipeline's results are worked out again from the article: its commit need not wait
    # for the disk while every other worker waits for the lock. An editor's source must.
    from datetime import date

    from quotes.families import primary

    seen = {}
    save = store.FamilyStore.save

    def noted(self, *versions):
        seen["write"] = _synchronous_commit()
        return save(self, *versions)

    monkeypatch.setattr(store.FamilyStore, "save", noted)
    article = ingest_article(outlet="Harbour News", title="Winter", text=TEXT, enqueue=False).article
    pipeline.save_findings(article.pk, [FINDING], 0)
    assert seen["write"] == "off"
    assert _synchronous_commit() == "on"  # for that transaction alone
    recompare = primary.recompare_family

    def noted_recompare(family):
        seen["editor"] = _synchronous_commit()
        return recompare(family)

    monkeypatch.setattr(primary, "recompare_family", noted_recompare)
    family = Version.objects.get(article=article).family
    primary.attach_source(family, kind="transcript", text=QUOTE + ".", url="", when=date(2024, 1, 2))
    assert seen["editor"] == "on"


_WORDS = (  # noqa: SIM905 - distinct words, three to a family
    "apple bridge candle dragon engine forest garden hammer island jacket kettle ladder meadow "
    "needle orchard pencil quarry rocket saddle tunnel umbrella valley wagon yogurt zephyr anchor "
    "basket castle desert feather glacier harvest insect jungle kitchen lantern mirror nectar "
    "ocean palace quilt river summit temple uniform violin window yacht zebra almond blanket "
    "cactus dolphin eclipse fossil galaxy horizon igloo jigsaw koala lemon marble nugget olive "
    "parrot quartz raven silver thunder unicorn velvet walrus xylophone yarn zinnia acorn "
    "bamboo cobalt"
).split()


def test_the_check_under_the_placement_lock_sends_the_families_it_read_as_one_array():
    # Hundreds of families read for a long article: hundreds of "%s" would cost the driver
    # more than the query, with the lock held.
    from datetime import date

    from django.db import transaction

    for n in range(30):
        words = " ".join(_WORDS[3 * n : 3 * n + 3])
        store.place(store.Statement((f"The harbour {words} plan",), None, date(2024, 1, 1)))
    probe = store.Statement(("The harbour plan",), None, date(2024, 1, 2))
    write = store.FamilyStore([probe])
    assert len(write.read) >= 20
    with transaction.atomic(), _statements_sent() as sent:
        assert write.is_current()
    assert max(len(params or ()) for _, params in sent) < 20


def test_a_speaker_merge_racing_a_write_that_looked_the_speaker_up_loses_nothing(services):
    """A write has looked up Ann Lee for another outlet's article when an editor merges
    Ann Lee into Anne Lee: the merge waits for the write, then moves its new version too
    (the merge once went ahead, and the write then failed at commit on a version
    pointing at a speaker deleted meanwhile)."""
    from quotes import corrections

    named = dataclasses.replace(FINDING, speaker_type="person")
    first = ingest_article(outlet="Harbour Echo", title="First", text=TEXT, enqueue=False).article
    pipeline.save_findings(first.pk, [named], 0)
    ann = Speaker.objects.get(name="Ann Lee")
    anne = Speaker.objects.create(name="Anne Lee", slug="anne-lee")
    second = ingest_article(outlet="Quayside News", title="Second", text=TEXT, enqueue=False).article
    done = _editor_beside_a_paused_write(
        second,
        "is_current",  # its speakers looked up, before the placement lock
        named,
        lambda: corrections.merge_speakers(anne, [ann]) or True,
        "the merge",
    )
    assert done == [True]
    assert not Speaker.objects.filter(pk=ann.pk).exists()
    assert {version.speaker_id for version in Version.objects.all()} == {anne.pk}
    assert Version.objects.filter(article=second).exists()


def test_a_writes_new_families_and_their_keys_go_in_with_one_statement_under_the_lock():
    # Every round trip under the placement lock is one every other worker waits for.
    from datetime import date

    from quotes.families import keys
    from quotes.models import FamilyKey

    texts = ("The harbour apple bridge candle plan", "The harbour dragon engine forest plan")
    write = store.FamilyStore([])
    placed = [write.new_family(text, None, date(2024, 1, 1)) for text in texts]
    with _statements_sent() as sent:
        write.save()
    inserts = [sql for sql, _ in sent if "INSERT" in sql]
    assert len(inserts) == 1
    for placement, text in zip(placed, texts, strict=True):
        family = Family.objects.get(pk=placement.family.pk)
        assert (family.text, family.first_seen) == (text, date(2024, 1, 1))
        stored = set(FamilyKey.objects.filter(family=family).values_list("key", "first_seen"))
        assert stored == {(key, date(2024, 1, 1)) for key in keys.shingle_keys(text)}


def test_a_writes_versions_go_in_with_its_new_families_in_the_same_statement():
    # One round trip fewer under the placement lock: the versions of the new families and
    # of the stored ones are inserted by the statement that inserts the families.
    from datetime import date

    from tests.factories import make_article, make_family, make_outlet, make_speaker

    ann = make_speaker("Ann Lee")
    stored = make_family(ann, "The harbour apple bridge candle plan", "Example Times", date(2024, 1, 1))
    text = "“The harbour apple bridge candle plan,” Ann Lee said. “The forest engine will run.”"
    article = make_article(make_outlet("Other Post"), text, date(2024, 1, 2))
    write = store.FamilyStore([])
    new = write.new_family("The forest engine will run.", ann, date(2024, 1, 2)).family
    versions = [
        Version(article=article, family=family, speaker=ann, text=words, start=start, end=start + len(words),
                kind="direct", meaning_flags=flags)
        for family, words, flags in ((stored, "The harbour apple bridge candle plan", []),
                                     (new, "The forest engine will run.", [{"type": "number"}]))
        for start in [text.index(words)]
    ]  # fmt: skip
    with _statements_sent() as sent:
        write.save(versions)
    assert len([sql for sql, _ in sent if "INSERT" in sql]) == 1
    written = Version.objects.filter(article=article).order_by("start")
    assert [(o.family_id, o.text, o.meaning_flags) for o in written] == [
        (stored.pk, "The harbour apple bridge candle plan", []),
        (new.pk, "The forest engine will run.", [{"type": "number"}]),
    ]
    assert [version.family_id for version in versions] == [stored.pk, new.pk]


def test_the_check_and_the_insert_under_the_lock_are_written_out_before_it():
    # Every worker waits while a write holds the placement lock: building and quoting the
    # hundreds of values of its check and of its insert was a third of that time. They are
    # written out before the lock (``FamilyStore.prepare``), and sent as they are under it.
    # The new families, their keys and their versions need no lock: they go in before it.
    from quotes.families import folding, keys
    from quotes.models import FamilyKey

    def written(article: Article) -> tuple[list, list]:
        before, under = [], []

        def noted(execute, sql, params, many, context):
            (under if locked else before).append((sql, params))
            result = execute(sql, params, many, context)
            if "synchronous_commit" in sql:  # the placement lock (the pipeline's: no disk flush)
                locked.append(sql)
            return result

        locked: list[str] = []
        with connection.execute_wrapper(noted):
            pipeline.save_findings(article.pk, [FINDING], 0)
        assert len(locked) == 1
        return before, under

    first = ingest_article(outlet="Harbour News", title="Winter", text=TEXT, enqueue=False).article
    before, under = written(first)
    check = [(sql, params) for sql, params in under if "created_xid" in sql]
    assert len(check) == 1 and check[0][1] is None
    assert [sql for sql, _ in under if "INSERT" in sql] == []  # (its only family is new)
    assert len([sql for sql, _ in before if "INSERT INTO quotes_quote " in sql]) == 1
    (version,) = Version.objects.filter(article=first)
    family = version.family
    assert (family.text, family.normalized) == (QUOTE, folding.normalize(QUOTE))
    assert set(FamilyKey.objects.filter(family=family).values_list("key", flat=True)) == set(
        keys.shingle_keys(QUOTE)
    )
    # Another outlet's copy joins the stored family: its version goes in under the lock.
    second = ingest_article(outlet="Coast Post", title="Winter", text=TEXT, enqueue=False).article
    before, under = written(second)
    inserts = [(sql, params) for sql, params in under if "INSERT" in sql]
    assert len(inserts) == 1 and inserts[0][1] is None
    assert [sql for sql, _ in before if "INSERT INTO quotes_quote " in sql] == []
    assert Version.objects.get(article=second).family_id == family.pk


def test_a_statement_written_out_before_the_lock_stores_every_character_as_given():
    # Written out with its values quoted in it, then sent with no parameters: a "%", a quote
    # mark or a backslash in a text must reach the table as they were.
    from datetime import date

    texts = (
        "We'll cut 50% of it \\ by 2030, “she” said; 100%% sure",
        "A \\N and a \ttab, O'Neil's %(own)s plan",
    )
    write = store.FamilyStore([])
    placed = [write.new_family(text, None, date(2024, 1, 1)).family for text in texts]
    write.prepare()
    assert write.prepared_insert is not None and write.prepared_check is not None
    assert write.is_current()
    write.save()
    assert [Family.objects.get(pk=family.pk).text for family in placed] == list(texts)


def test_a_retrieved_family_is_the_family_as_stored():
    from datetime import date

    from quotes.families import folding

    speaker = Speaker.objects.create(name="Ann Lee", slug="ann-lee")
    text = "The harbour apple bridge candle plan will go ahead"
    stored = Family.objects.create(
        text=text,
        speaker=speaker,
        speaker_description="",
        fingerprint=folding.fingerprint(text),
        first_seen=date(2024, 1, 1),
    )
    store.index_family(stored)
    found, _ = store.retrieve_candidates([(text, speaker.pk, date(2024, 1, 2))])
    (family,) = {family for _, family in found}
    fields = ("pk", "text", "speaker_id", "speaker_description", "fingerprint", "first_seen")
    assert [getattr(family, name) for name in fields] == [getattr(stored, name) for name in fields]


# Partitioned placement locks ---------------------------------------------------
# A write whose statements all name their speaker locks those speakers' partitions (and the
# whole lock shared); one with a statement no one is named for, the whole lock. Writes of
# different speakers run side by side; writes that could put one statement in two families
# take turns, and the later one sees the earlier one's families whatever their ids.

OTHER_QUOTE = "Every bus in the valley will run on time by the spring"
OTHER_TEXT = f"“{OTHER_QUOTE},” the director said."


def _finding(quote: str, speaker: str | None, speaker_type: str = "person") -> QuoteFinding:
    return QuoteFinding(start=1, end=1 + len(quote), text=quote, kind="direct", speaker=speaker,
                        speaker_type=speaker_type if speaker else None, confidence=0.9)  # fmt: skip


def _known(name: str) -> Speaker:
    from django.utils.text import slugify

    speaker = Speaker.objects.create(name=name, slug=slugify(name))
    speaker.aliases.create(name=name, normalized=name.lower())
    return speaker


@contextmanager
def _paused_write(article: Article, finding: QuoteFinding, pause_in: str) -> Iterator[None]:
    """The article's write, run in a thread and paused at ``pause_in`` (a method of
    ``FamilyStore``, in this thread alone: other writes pass) until the block ends."""
    paused, go_on, errors = threading.Event(), threading.Event(), []
    real = getattr(store.FamilyStore, pause_in)
    holder: list[threading.Thread] = []

    def pausing(self, *args, **kwargs):
        if threading.current_thread() is holder[0]:
            paused.set()
            go_on.wait(60)
        return real(self, *args, **kwargs)

    def write() -> None:
        try:
            pipeline.save_findings(article.pk, [finding], 0)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()

    setattr(store.FamilyStore, pause_in, pausing)
    holder.append(threading.Thread(target=write))
    try:
        holder[0].start()
        assert paused.wait(30), "the write never reached its pause"
        yield
    finally:
        go_on.set()
        holder[0].join(60)
        setattr(store.FamilyStore, pause_in, real)
    assert errors == []


def _write_in_thread(article: Article, finding: QuoteFinding) -> tuple[threading.Thread, list]:
    done: list[object] = []

    def write() -> None:
        try:
            pipeline.save_findings(article.pk, [finding], 0)
            done.append(True)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            done.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=write)
    thread.start()
    return thread, done


def test_writes_naming_different_speakers_do_not_wait_for_each_other(services):
    _known("Ann Lee"), _known("Bo Chen")
    first = ingest_article(outlet="Harbour Echo", title="First", text=TEXT, enqueue=False).article
    second = ingest_article(outlet="Valley Post", title="Second", text=OTHER_TEXT, enqueue=False).article
    with _paused_write(first, _finding(QUOTE, "Ann Lee"), "save"):  # holding its locks
        thread, done = _write_in_thread(second, _finding(OTHER_QUOTE, "Bo Chen"))
        thread.join(30)
        assert done == [True], "the second write waited for the first"
    assert Family.objects.count() == 2
    assert {v.family.speaker.name for v in Version.objects.select_related("family__speaker")} == {
        "Ann Lee",
        "Bo Chen",
    }


@pytest.mark.parametrize(
    "speaker", ["Ann Lee", None], ids=["the-same-speaker", "no-speaker-named-takes-the-whole-lock"]
)
def test_a_write_that_could_join_a_family_being_written_waits_for_it_and_joins_it(services, speaker):
    _known("Ann Lee")
    first = ingest_article(outlet="Harbour Echo", title="First", text=TEXT, enqueue=False).article
    second = ingest_article(outlet="Quayside News", title="Second", text=TEXT, enqueue=False).article
    watcher = connections.create_connection("default")
    try:
        with _paused_write(first, _finding(QUOTE, "Ann Lee"), "save"):
            thread, done = _write_in_thread(second, _finding(QUOTE, speaker))
            wait_until(lambda: _waits_for_advisory_lock(watcher), 30, message="the second write to wait")
            assert done == []
        thread.join(60)
    finally:
        watcher.close()
    assert done == [True]
    family = Family.objects.get()
    assert family.versions.count() == 2


def test_a_write_whose_families_went_in_before_the_lock_takes_them_back_when_its_check_fails(services):
    # The second write reads before the first commits, inserts its own family of the same
    # words before the lock, and waits for it; under it, its check finds the first's family:
    # its own are rolled back (keys and version too), and it joins the first's.
    from quotes.families import keys
    from quotes.models import FamilyKey

    _known("Ann Lee")
    first = ingest_article(outlet="Harbour Echo", title="First", text=TEXT, enqueue=False).article
    second = ingest_article(outlet="Quayside News", title="Second", text=TEXT, enqueue=False).article
    taken_back = []
    real = store.FamilyStore._undo_ahead

    def undo(self):
        taken_back.append(list(self.inserted))
        return real(self)

    watcher = connections.create_connection("default")
    store.FamilyStore._undo_ahead = undo
    try:
        with _paused_write(first, _finding(QUOTE, "Ann Lee"), "save"):
            thread, done = _write_in_thread(second, _finding(QUOTE, "Ann Lee"))
            wait_until(lambda: _waits_for_advisory_lock(watcher), 30, message="the second write to wait")
        thread.join(60)
    finally:
        store.FamilyStore._undo_ahead = real
        watcher.close()
    assert done == [True]
    family = Family.objects.get()
    assert len(taken_back) == 1 and len(taken_back[0]) == 1 and taken_back[0][0] != family.pk
    assert family.versions.count() == 2
    assert FamilyKey.objects.count() == len(set(keys.shingle_keys(QUOTE)))


def test_a_family_committed_after_a_write_read_is_seen_under_its_lock_whatever_its_id(services):
    """Ann Lee's first write has stored its family (an id drawn) and not committed; Bo Chen's
    write, holding other locks, stores a family with a higher id and commits; a second write
    of Ann Lee's statement reads its candidates then (the first family unseen, the highest id
    Bo Chen's) and waits for Ann Lee's lock. Once the first commits, the second must see its
    family, though below every id it saw: it joins it (ids told "stored since" before the
    locks were partitioned)."""
    _known("Ann Lee"), _known("Bo Chen")
    first = ingest_article(outlet="Harbour Echo", title="First", text=TEXT, enqueue=False).article
    other = ingest_article(outlet="Valley Post", title="Other", text=OTHER_TEXT, enqueue=False).article
    second = ingest_article(outlet="Quayside News", title="Second", text=TEXT, enqueue=False).article
    watcher = connections.create_connection("default")
    try:
        with _paused_write(first, _finding(QUOTE, "Ann Lee"), "_retire"):  # its families inserted
            thread, done = _write_in_thread(other, _finding(OTHER_QUOTE, "Bo Chen"))
            thread.join(30)
            assert done == [True]
            thread, done = _write_in_thread(second, _finding(QUOTE, "Ann Lee"))
            wait_until(lambda: _waits_for_advisory_lock(watcher), 30, message="the second write to wait")
        thread.join(60)
    finally:
        watcher.close()
    assert done == [True]
    ann = Family.objects.get(speaker__name="Ann Lee")
    assert ann.pk < Family.objects.get(speaker__name="Bo Chen").pk
    assert ann.versions.count() == 2
    assert Family.objects.count() == 2


def test_a_statement_with_no_speaker_joining_a_family_takes_its_partition_and_other_speakers_pass(
    services, caplog
):
    # Only a family no one is named for, started by the write, may take anyone's statement:
    # joining Ann Lee's family, the unattributed statement holds Ann Lee's partition, shared.
    import logging

    _known("Ann Lee"), _known("Bo Chen")
    stored = ingest_article(outlet="Harbour Echo", title="Stored", text=TEXT, enqueue=False).article
    pipeline.save_findings(stored.pk, [_finding(QUOTE, "Ann Lee")], 0)
    unnamed = ingest_article(outlet="Quayside News", title="Unnamed", text=TEXT, enqueue=False).article
    other = ingest_article(outlet="Valley Post", title="Other", text=OTHER_TEXT, enqueue=False).article
    caplog.set_level(logging.INFO, logger="quotes.pipeline")
    with _paused_write(unnamed, _finding(QUOTE, None), "save"):  # holding its locks
        thread, done = _write_in_thread(other, _finding(OTHER_QUOTE, "Bo Chen"))
        thread.join(30)
        assert done == [True], "the other speaker's write waited"
    assert Family.objects.count() == 2
    assert Family.objects.get(speaker__name="Ann Lee").versions.count() == 2
    (line,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith(f"article {unnamed.pk} ")]
    assert line.endswith("(partitions: 0 alone, 1 shared)"), line


# Three statements: Ann Lee's and Bo Chen's, each told with no speaker in every other
# article, and one no article gives a speaker; the full words in even articles, the
# first part in odd ones.
_RACING = [
    ("Ann Lee", "The harbour will stay open to ferries all winter", "whatever the storms bring"),
    ("Bo Chen", "Every valley bus will run on time by the spring", "or the contract goes back out"),
    (None, "Three bridges on the coast road will close for repairs", "one after the other"),
]


def _racing_article(number: int) -> tuple[Article, list[QuoteFinding]]:
    paragraphs, findings, at = [], [], 0
    for index, (speaker, words, more) in enumerate(_RACING):
        quote = f"{words} {more}" if number % 2 == 0 else words
        said_by = speaker if (number + index) % 2 == 0 else None
        paragraph = f"“{quote},” {said_by or 'the council was told'} on Monday."
        findings.append(_finding(quote, said_by))
        findings[-1] = dataclasses.replace(findings[-1], start=at + 1, end=at + 1 + len(quote))
        paragraphs.append(paragraph)
        at += len(paragraph) + 2
    text = "\n\n".join(paragraphs)
    article = ingest_article(outlet=f"Race Outlet {number}", title=f"Race {number}", text=text, enqueue=False)
    return article.article, findings


def _write_at_once(writes: list[tuple[Article, list[QuoteFinding]]]) -> None:
    """Every write in a thread of its own, all let go at the same moment."""
    start, errors = threading.Barrier(len(writes)), []

    def write(article: Article, findings: list[QuoteFinding]) -> None:
        try:
            start.wait(30)
            pipeline.save_findings(article.pk, findings, 0)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=write_args) for write_args in writes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []


def test_writes_racing_on_statements_with_and_without_a_speaker_make_one_family_each(services, caplog):
    """Twelve writes at once start the three families (those starting one no one is named
    for under the whole lock), then twelve more join them, every one on partitions: three
    families, whatever order the writes ran in, each with every article's version."""
    import logging

    _known("Ann Lee"), _known("Bo Chen")
    caplog.set_level(logging.INFO, logger="quotes.pipeline")
    for wave in range(2):
        writes = [_racing_article(wave * 12 + number) for number in range(12)]
        _write_at_once(writes)
    families = {f.speaker.name if f.speaker else None: f for f in Family.objects.select_related("speaker")}
    assert Family.objects.count() == 3
    assert set(families) == {"Ann Lee", "Bo Chen", None}
    for speaker, words, more in _RACING:
        family = families[speaker]
        assert family.text == f"{words} {more}"  # the full words, whichever came first
        assert family.versions.count() == 24
    joining = [r.getMessage() for r in caplog.records if " written in " in r.getMessage()][-12:]
    assert all("(partitions:" in line for line in joining), joining


def test_an_editors_change_waits_for_writes_holding_partitions_and_holds_new_ones_off(services):
    from datetime import date

    from quotes.families import primary

    _known("Ann Lee"), _known("Bo Chen")
    first = ingest_article(outlet="Harbour Echo", title="First", text=TEXT, enqueue=False).article
    pipeline.save_findings(first.pk, [_finding(QUOTE, "Ann Lee")], 0)
    family = Family.objects.get()
    second = ingest_article(outlet="Valley Post", title="Second", text=OTHER_TEXT, enqueue=False).article
    editor_done: list[object] = []

    def attach() -> None:
        try:
            editor_done.append(
                primary.attach_source(
                    family, kind="transcript", text=QUOTE + ".", url="", when=date(2024, 1, 2)
                )
            )
        finally:
            connection.close()

    watcher = connections.create_connection("default")
    try:
        with _paused_write(second, _finding(OTHER_QUOTE, "Bo Chen"), "save"):  # Bo Chen's partition
            editor = threading.Thread(target=attach)
            editor.start()
            wait_until(lambda: _waits_for_advisory_lock(watcher), 30, message="the editor to wait")
            assert editor_done == []
        editor.join(60)
    finally:
        watcher.close()
    assert len(editor_done) == 1
    assert Version.objects.filter(article=second).exists()


def test_a_write_deciding_again_to_name_a_family_no_one_was_named_for_starts_again_under_the_whole_lock(
    services, caplog
):
    """Ann Lee's write decides, with no lock, to start a family; before it takes Ann Lee's
    lock, a write with no speaker named stores the same words. Deciding again under its
    locks, Ann Lee's write would join that family and name Ann Lee in it: a change to a
    family with no named speaker, which any named speaker's write may join meanwhile, so
    the whole lock is needed, and taking it now could deadlock. The write starts again
    under the whole lock: one family, Ann Lee's, with both versions."""
    import logging

    _known("Ann Lee")
    named = ingest_article(outlet="Harbour Echo", title="Named", text=TEXT, enqueue=False).article
    unnamed = ingest_article(outlet="Quayside News", title="Unnamed", text=TEXT, enqueue=False).article
    caplog.set_level(logging.INFO, logger="quotes.pipeline")
    with _paused_write(named, _finding(QUOTE, "Ann Lee"), "is_current"):  # decided, no lock yet
        thread, done = _write_in_thread(unnamed, _finding(QUOTE, None))
        thread.join(30)
        assert done == [True]
    family = Family.objects.get()
    assert family.speaker.name == "Ann Lee"
    assert family.versions.count() == 2
    assert f"article {named.pk} written again under the whole placement lock" in caplog.text


def test_writes_quoting_someone_described_take_turns_among_themselves_and_not_with_named_speakers(services):
    # "A harbour official" may be anyone, never a named speaker: such a statement joins only
    # families no one is named for, and its write locks their partition alone.
    _known("Bo Chen")
    described = _finding(QUOTE, "a harbour official", "description")
    first = ingest_article(outlet="Harbour Echo", title="First", text=TEXT, enqueue=False).article
    named = ingest_article(outlet="Valley Post", title="Named", text=OTHER_TEXT, enqueue=False).article
    again = ingest_article(outlet="Quayside News", title="Again", text=TEXT, enqueue=False).article
    watcher = connections.create_connection("default")
    try:
        with _paused_write(first, described, "save"):
            thread, done = _write_in_thread(named, _finding(OTHER_QUOTE, "Bo Chen"))
            thread.join(30)
            assert done == [True], "the named speaker's write waited"
            thread, done = _write_in_thread(again, _finding(QUOTE, "a port spokesman", "description"))
            wait_until(lambda: _waits_for_advisory_lock(watcher), 30, message="the second described write")
            assert done == []
        thread.join(60)
    finally:
        watcher.close()
    assert done == [True]
    family = Family.objects.get(speaker=None)
    assert family.speaker_description == "a harbour official"
    assert family.versions.count() == 2
    assert Family.objects.count() == 2


def test_the_check_finds_the_families_stored_meanwhile_by_an_index_range_not_by_every_new_family():
    # Every family stored since migration 0030 has a ``created_xid``: the check must read the
    # few its reading did not see, by an index condition, or it would grow with the archive.
    from datetime import date

    from django.db import transaction

    store.place(store.Statement(("The harbour apple bridge candle plan",), None, date(2024, 1, 1)))
    write = store.FamilyStore([store.Statement(("The harbour plan",), None, date(2024, 1, 2))])
    with transaction.atomic(), _statements_sent() as sent:
        assert write.is_current()
    (sql, params), *_ = [(_the_check(sql), params) for sql, params in sent if "created_xid" in sql]
    with connection.cursor() as cursor:  # a bitmap of index conditions, one per part of the OR
        cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan")
    assert "Index Cond: (created_xid >= " in plan, plan


def test_a_version_an_editor_moved_to_another_speakers_family_holds_that_family_still():
    # Its write puts a version in Bo Chen's family: no write of Bo Chen's may change or
    # retire that family meanwhile, so it takes Bo Chen's partition, shared.
    from datetime import date

    ann, bo = _known("Ann Lee"), _known("Bo Chen")
    write = store.FamilyStore([store.Statement((QUOTE,), ann, date(2024, 1, 1))])
    write.place(store.Statement((QUOTE,), ann, date(2024, 1, 1)))
    write.elsewhere.update({bo.pk, None})
    assert write.needs() == store.Locks(False, frozenset({ann.pk}), frozenset({bo.pk, store.UNNAMED}))
    write.elsewhere.add(ann.pk)  # already held alone
    assert write.needs().shared == frozenset({bo.pk, store.UNNAMED})


def test_the_check_reads_the_families_it_read_where_they_lay_not_through_an_index():
    # Forty families read, forty look-ups by id under the lock: each descended the primary key
    # first (three levels at a million families). Read again by their row's place (ctid), one
    # page each; a family changed since lies elsewhere and is not found: the write decides again.
    from datetime import date

    from django.db import transaction

    from quotes.models import Family

    for n in range(5):
        words = " ".join(_WORDS[3 * n : 3 * n + 3])
        store.place(store.Statement((f"The harbour {words} plan",), None, date(2024, 1, 1)))
    write = store.FamilyStore([store.Statement(("The harbour plan",), None, date(2024, 1, 2))])
    assert len(write.read) == 5
    with transaction.atomic(), _statements_sent() as sent:
        assert write.is_current()
        transaction.set_rollback(True)
    (sql, params), *_ = [(_the_check(sql), params) for sql, params in sent if "created_xid" in sql]
    with connection.cursor() as cursor:  # planned as for a large table
        cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan")
    assert "Tid Scan on quotes_quote" in plan, plan
    assert "quotes_quote_pkey" not in plan and "quote_speaker_of_id" not in plan, plan
    Family.objects.filter(pk=min(write.read)).update(speaker_description="")  # the same values, a new row
    assert not write.is_current()


def _the_check(sent: str) -> str:
    """The check's statement, of those sent together with it (the planner's setting around it)."""
    (check,) = [part for part in sent.split("; ") if "created_xid" in part]
    return check


def test_the_check_reads_the_families_it_read_by_their_places_in_a_small_table_too():
    # In a table of a few thousand families the planner costs hundreds of row versions read
    # by their places above a sequential scan of the whole table (at 10k families: 772 pages,
    # 2-3 ms under the placement lock, against under 1 ms by their places).
    from datetime import date

    from django.db import transaction

    for n in range(5):
        words = " ".join(_WORDS[3 * n : 3 * n + 3])
        store.place(store.Statement((f"The harbour {words} plan",), None, date(2024, 1, 1)))
    write = store.FamilyStore([store.Statement(("The harbour plan",), None, date(2024, 1, 2))])
    with transaction.atomic(), _statements_sent() as sent:
        assert write.is_current()
        transaction.set_rollback(True)
    ((sql, params),) = [(sql, params) for sql, params in sent if "created_xid" in sql]
    setting, check, back = sql.split("; ")
    with transaction.atomic(), connection.cursor() as cursor:  # as the write sends it, no other setting
        cursor.execute(setting)
        cursor.execute(f"EXPLAIN {check}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(back)
        transaction.set_rollback(True)
    assert "Tid Scan on quotes_quote" in plan and "Seq Scan on quotes_quote " not in plan, plan
