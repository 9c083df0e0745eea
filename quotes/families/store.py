"""Quote families in the database: the candidates a statement is compared
with, and the family it joins or starts.

The rules are those of ``folding``, ``keys`` and ``placement`` (pure, no
Django); this module retrieves candidates from the key index, keeps each
family's keys in step with its canonical text, and relabels a family's
versions when that text changes.

    store = FamilyStore(statements)          # every statement's candidates, one query
    placed = store.place(statement)          # decided in memory: .family, .relation, .created
    if not store.is_current():               # under placement locks: did another write interfere?
        ...                                  # decide again with a new store
    store.save()                             # a few bulk statements

Concurrent writes (several workers) decide without any lock and take one
only to check and write. The candidates come with the snapshot they were read
in; under the lock, ``is_current`` reads the families stored since by
transactions that snapshot did not see (a handful: those of the writes that
ran meanwhile, by ``created_xid``, migration 0030) and the current rows of the
families this write read. If none of the new ones shares a key or the
fingerprint with this write's texts, and none of the read ones changed, the
decisions stand (what retrieval would have found is unchanged: a family is
only ever found through a shared key or its fingerprint); otherwise the write
decides again, under the lock.

The lock is partitioned by speaker (``lock_placement``): a write whose
statements all name their speaker takes its speakers' locks (and the whole
lock shared), so writes quoting different people never wait for each other;
one quoting someone described, or changing a family no one is named for, takes
that partition (``UNNAMED``); a statement with no speaker at all takes the
partition of the family it joins, and only a write starting a family with no
speaker at all (anyone's statement may join it) and every editor's change take
the whole lock (``FamilyStore.needs``). Two writes that could
put one statement in two families, or change one family, hold a lock in
common, so the later one checks after the earlier one has committed. Family
ids are drawn in the order writes insert, not commit, which is why "stored
since" is told by transaction, not by id: a write of another speaker may
commit a higher id first.

Chosen over the alternatives because retrieval and the comparisons are most
of a write's time and run in parallel this way, and because the lock's
scope is what two writes can both change. A lock per index key would take
hundreds of locks per article (32 keys per text), and common words would
make most writes share one; a lock per fingerprint misses reworded versions,
which a family's keys catch. What remains serial, per speaker, is the check
(one query by primary keys) and the bulk writes. Measured by ``make bench``
(``ingest_scaling_2w_vs_1w``, ``worker_lock_wait_ms_per_article_<n>w``,
``worker_whole_lock_share_<n>w``). Speakers are not families: new names take
turns on locks of their own (``quotes.speakers``).

A family whose canonical text another write swaps while this one decides is
seen with its old keys; the only cost is that this write might start a
family the swap would have let it join.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.db import connection, models
from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, TextField, Value, When
from django.db.models.base import ModelState

from ..models import Correction, Family, FamilyKey, PrimarySource, RetiredFamily, Speaker, Version
from . import folding, keys, placement
from .meaning import flags_to_store, source_flags_to_store
from .passages import PreparedSource, prepared

# How many families sharing keys with a new quote are compared in full.
CANDIDATES_PER_VERSION = 40


@dataclass(frozen=True)
class Statement:
    """One statement of an article, told in ``versions`` (its best version
    first), said by ``speaker`` on ``when``."""

    versions: tuple[str, ...]
    speaker: Speaker | None
    when: date
    # The speaker as described, when no one is named ("a senior official"): see DESCRIBED.
    description: str = ""
    # Told by an undated article, which says nothing of when its words were said: it is
    # matched with no time limit (``when``, its upload day, is what a new family records).
    undated: bool = False


@dataclass(frozen=True)
class Placement:
    """The family a statement went to, how its best version relates to the
    family's canonical text, and whether the family is new. ``family_id`` is
    the store's id for it: a new family's is temporary until ``save``."""

    family: Family
    family_id: int
    relation: str
    created: bool = False


def place(statement: Statement) -> Placement:
    """Put one statement in its family and store the result (see ``FamilyStore``), under
    the whole placement lock: deciding again under it never needs another lock."""
    store = FamilyStore([statement], whole=True)
    placed = store.place(statement)
    if not store.is_current():
        store = FamilyStore([statement], held=store.held)
        placed = store.place(statement)
    store.save()
    return placed


@dataclass(frozen=True)
class Locks:
    """Placement locks (``lock_placement``): the whole lock, or partitions of it: those of
    ``alone`` taken alone, those of ``shared`` shared. A partition is a speaker's id, or
    ``UNNAMED`` for the families no one is named for."""

    whole: bool
    alone: frozenset[int] = frozenset()
    shared: frozenset[int] = frozenset()

    def covers(self, other: Locks) -> bool:
        if self.whole:
            return True
        return not other.whole and other.alone <= self.alone and other.shared <= self.alone | self.shared


class PlacementRetry(Exception):
    """Decided again under its locks, a write needs locks it does not hold: taking them now
    could deadlock with a write holding them and waiting for this one's. The write starts
    again, under the whole lock (``pipeline.save_findings``). Rare: the first decision, made
    without a lock, had to be made again, and the second changes a family with no named
    speaker that the first did not."""


# What a family is retrieved for: a text, its speaker's id and its date (None: undated, no time limit).
Probe = tuple[str, int | None, date | None]


def _full(probe: tuple[str, int | None] | Probe) -> Probe:
    return (probe[0], probe[1], probe[2] if len(probe) > 2 else None)  # type: ignore[misc]


def _dated(statement: Statement) -> date | None:
    """The date a statement is matched on: none for an undated article's."""
    return None if statement.undated else statement.when


# The savepoint of the new families a write inserts before the placement lock (``FamilyStore.prepare``).
_AHEAD = "quotewise_families_ahead"

# New families get ids above every stored one until they are saved, so that
# ties between candidates still go to the oldest family.
_UNSAVED = 2**62


class FamilyAsRead(NamedTuple):
    """What ``FamilyStore.is_current`` checks of a stored family it read: any change
    to one of these since means another write placed versions in it."""

    fingerprint: str
    speaker_id: int | None
    first_seen: date | None
    speaker_description: str


def _first_seen_read(read: FamilyAsRead | None) -> date | None:
    """The first sighting of a family as it was read (None: made by this write)."""
    return read.first_seen if read is not None else None


class FamilyStore:
    """The families one write reads and changes.

    The candidates of every version of every statement given come from the
    database at once (one query), and with them the highest family id, the
    watermark. ``place`` and ``join`` then decide in memory: a new family,
    or a family changed by a version (a speaker named, an earlier date, a
    fuller canonical text), becomes a candidate for the texts that follow,
    found as the database finds stored ones (``_touched_candidates``: the
    same keys, ranking and bound), so an article of thousands of statements
    compares each with at most ``CANDIDATES_PER_VERSION`` of its own.
    One store serves one article: it remembers the families the article's
    statements went to (``placed``, see ``placement.choose_family``).
    ``save`` writes it all in a few bulk statements, first checking under the
    placement lock (``is_current``) that no other write has touched what this
    one read.
    """

    def __init__(
        self,
        statements: Iterable[Statement],
        orphans: Iterable[int] = (),
        held: Locks | None = None,
        whole: bool = False,
    ) -> None:
        # The families only this article carried before it was read again: candidates like any
        # other, so that a statement read again stays in its family (whose links were handed
        # out); those no statement joins are retired and deleted on ``save``.
        self.orphans = set(orphans)
        self.families: dict[int, Family] = {}
        self.read: dict[int, FamilyAsRead] = {}  # each stored family as it was read, to check before writing
        # Where each family read lay in its table when read (PostgreSQL: its row version's ctid).
        self.places: dict[int, str] = {}
        self.found: dict[Probe, list[int]] = {}
        self.touched: dict[int, set[int]] = {}  # families this write made or changed: their keys
        # The touched families indexed as the database indexes stored ones: by key and fingerprint.
        self.touched_by_key: dict[int, set[int]] = {}
        self.touched_by_print: dict[str, set[int]] = {}
        self.touched_print: dict[int, str] = {}
        self.placed: set[int] = set()  # the families this write's statements went to so far
        self.new: list[int] = []
        self.swapped: set[int] = set()  # stored families given a new canonical text
        # The families read that have a current primary source, as ``is_current`` found them under the lock.
        self.sourced: set[int] = set()
        self.locked = False
        # The placement locks this write's transaction holds already (deciding again under them),
        # and whether to take the whole lock (a first attempt needed more than its locks covered).
        self.held, self.whole = held, whole
        # The speakers of stored families this write puts versions in by an editor's decision.
        self.elsewhere: set[int | None] = set()
        self.snapshot: str | None = None  # the snapshot the candidates were read in (PostgreSQL)
        # When this write took the placement lock, and how long it waited for it (perf_counter seconds).
        self.locked_at: float | None = None
        self.lock_waited = 0.0
        # The statements ``is_current`` and ``save`` send under the lock, written out before it
        # (``prepare``): the check's, and the insert of the new families with the write's versions.
        self.prepared_check: str | None = None
        self.prepared_insert: tuple[Sequence[Version], str] | None = None
        # And the update of the stored families it changed (and of their postings): their ids, the statement.
        self.prepared_update: tuple[list[int], str | None] | None = None
        # The new families (with their keys and versions) inserted before the lock
        # (``prepare``): the savepoint to roll them back to if the check fails, their ids.
        self.ahead: str | None = None
        self.inserted: list[int] = []
        statements = list(statements)
        probes = {
            (text, s.speaker.pk if s.speaker else None, _dated(s)) for s in statements for text in s.versions
        }
        self.probes = sorted(probes, key=lambda probe: (probe[0], probe[1] or 0, probe[2] or date.min))
        # Each statement's speaker's id, and whether it is described (no one named): see ``needs``.
        self.speakers = {(s.speaker.pk if s.speaker else None, bool(s.description)) for s in statements}
        self.watermark = self._retrieve(self.probes)
        # What ``is_current`` compares new families with, worked out before it holds the lock.
        self._probe_keys = [(folding.fingerprint(text), set(keys.shingle_keys(text)), text, speaker_id)
                            for text, speaker_id, _ in self.probes]  # fmt: skip

    # -- deciding, in memory ------------------------------------------------

    def place(self, statement: Statement) -> Placement:
        """The stored or new family one of the statement's versions matches,
        updated with that version, or a new family of its best version."""
        speaker = statement.speaker
        description = "" if speaker is not None else statement.description
        found = placement.choose_family(
            statement.versions,
            _speaker_key(speaker, description),
            None if statement.undated else statement.when,
            lambda text: self.candidates(text, speaker, _dated(statement)),
            self.placed,
        )
        if found is None:
            placed = self.new_family(statement.versions[0], speaker, statement.when, description)
        else:
            text, match = found
            placed = self.join(match.family_id, match.relation, text, speaker, statement.when, description)
        self.placed.add(placed.family_id)
        return placed

    def candidates(
        self, text: str, speaker: Speaker | None, when: date | None
    ) -> list[placement.FamilyCandidate]:
        """What ``text`` (said on ``when``; None: undated) is compared with: the stored
        families retrieved for it, and those this write made or changed that share a key with it."""
        ids = list(self.found.get((text, speaker.pk if speaker else None, when), ()))
        ids += [
            family_id for family_id in self._touched_candidates(text, speaker, when) if family_id not in ids
        ]
        return [self._candidate(family_id) for family_id in ids]

    def _touched_candidates(self, text: str, speaker: Speaker | None, when: date | None) -> list[int]:
        """The families this write made or changed that ``text`` is compared with,
        chosen as ``retrieve_candidates`` chooses stored ones: a compatible
        speaker, and the same fingerprint or, among those within the time window,
        the ``CANDIDATES_PER_VERSION`` sharing the most telling keys (newest first on ties)."""

        def compatible(family_id: int) -> bool:
            return speaker is None or self.families[family_id].speaker_id in (None, speaker.pk)

        def within(family_id: int) -> bool:
            return placement.within_window(when, self.families[family_id].first_seen)

        held = {
            key: {family_id for family_id in self.touched_by_key.get(key, set()) if within(family_id)}
            for key in keys.shingle_keys(text)
        }
        chosen = _sharing_most_keys(held, compatible)
        same = self.touched_by_print.get(folding.fingerprint(text), set())
        return chosen + sorted(
            family_id for family_id in same if compatible(family_id) and family_id not in chosen
        )

    def _touch(self, family_id: int) -> None:
        """Index a family this write made or changed under its current keys and fingerprint."""
        family = self.families[family_id]
        for key in self.touched.get(family_id, ()):
            self.touched_by_key[key].discard(family_id)
        if family_id in self.touched_print:
            self.touched_by_print[self.touched_print[family_id]].discard(family_id)
        self.touched[family_id] = set(keys.shingle_keys(family.text))
        for key in self.touched[family_id]:
            self.touched_by_key.setdefault(key, set()).add(family_id)
        self.touched_print[family_id] = family.fingerprint
        self.touched_by_print.setdefault(family.fingerprint, set()).add(family_id)

    def join(
        self,
        family_id: int,
        relation: str,
        text: str,
        speaker: Speaker | None,
        when: date,
        description: str = "",
    ) -> Placement:
        """Add a version to a family (``placement.join``): it may name the
        speaker, date the family earlier, or become its canonical text; the
        family's keys and its stored versions' relations follow on ``save``."""
        family = self.families[family_id]
        joined, relation = placement.join(
            self._candidate(family_id), relation, text, _speaker_key(speaker, description), when
        )
        if family.speaker_id is None and joined.speaker_key not in (None, DESCRIBED):
            family.speaker = speaker
        elif joined.speaker_key == DESCRIBED and not family.speaker_description:
            family.speaker_description = description[:300]
        family.first_seen = joined.first_seen
        if joined.canonical_text != family.text:
            _set_text(family, joined.canonical_text)
            if family_id < _UNSAVED:
                self.swapped.add(family_id)
        if self._row(family) != self.read.get(family_id):
            self._touch(family_id)
        return Placement(family, family_id, relation)

    def new_family(self, text: str, speaker: Speaker | None, when: date, description: str = "") -> Placement:
        family = Family(
            speaker=speaker,
            speaker_description="" if speaker is not None else description[:300],
            first_seen=when,
        )
        _set_text(family, text)
        family_id = _UNSAVED + len(self.new)
        self.families[family_id] = family
        self.new.append(family_id)
        self._touch(family_id)
        return Placement(family, family_id, Version.Relation.VERBATIM, created=True)

    # -- writing -------------------------------------------------------------

    def prepare(self, versions: Sequence[Version] = ()) -> None:
        """Do before taking the placement lock what needs no lock, so that the time under it
        goes to what must be serial. PostgreSQL only (SQLite runs one write at a time):
        elsewhere nothing is done here.

        The new families, their keys and their versions are inserted now (``_write_ahead``),
        in a savepoint that ``is_current`` rolls back if the decisions do not stand: rows no
        other transaction sees until this one commits, which no other write's check needs
        to see (the later of two writes sharing a lock checks after the earlier has
        committed, and sees its families then). The two statements the lock is held for,
        ``is_current``'s check and ``save``'s insert of the versions of stored families (as
        decided now: call it again if a version's fields change before ``save``), are
        written out, each with its parameters in its text, so that sending them costs no
        time building and quoting hundreds of values."""
        if connection.vendor != "postgresql" or self.snapshot is None:
            return
        if self.ahead is None and self.new and connection.in_atomic_block:
            self._write_ahead([o for o in versions if o.family.pk is None])
        if self.prepared_check is None:
            sql, params = _rows_since_statement(
                self.watermark, self.snapshot, self.read, self.places, self.inserted
            )
            self.prepared_check = _rendered(_by_their_places(sql), params)
        changed = self._changed()
        if changed:
            update = _update_statement(changed, self._redated(changed))
            self.prepared_update = ([family.pk for family in changed], _rendered(*update))
        if self.ahead is None:
            quotes = [self.families[family_id] for family_id in self.new]
            self.prepared_insert = (versions, _rendered(*_insert_statement(quotes, versions)))
        else:
            stored = self._stored_versions(versions)
            self.prepared_insert = (versions, _rendered(*_insert_statement([], stored))) if stored else None

    def _stored_versions(self, versions: Sequence[Version]) -> list[Version]:
        """The versions of stored families (those of the new ones go in before the lock)."""
        inserted = set(self.inserted)
        return [o for o in versions if o.family.pk is not None and o.family.pk not in inserted]

    def _write_ahead(self, versions: Sequence[Version]) -> None:
        """Insert the new families, their keys and ``versions`` (theirs) before the lock, in a
        savepoint, in one round trip; their foreign keys are checked then (``SET
        CONSTRAINTS``), not at the commit under the lock: the rows they refer to are this
        write's own or speakers, which no merge deletes while it runs (``lock_speakers``). A
        stored family's version is inserted under the lock: its check at the commit reads
        that family's row, which a write holding the family's partition may be deleting."""
        quotes = [self.families[family_id] for family_id in self.new]
        sql, params = _insert_statement(quotes, versions)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SAVEPOINT {_AHEAD}; SET CONSTRAINTS ALL IMMEDIATE; {sql}; SET CONSTRAINTS ALL DEFERRED",
                params,
            )
            cursor.cursor.nextset()  # (past the savepoint and the first setting)
            cursor.cursor.nextset()
            _numbered(quotes, versions, dict(cursor.fetchall()))
        self.ahead = _AHEAD
        self.inserted = [quote.pk for quote in quotes]

    def _undo_ahead(self) -> None:
        """Roll back what ``prepare`` inserted (the decisions did not stand)."""
        if self.ahead is None:
            return
        with connection.cursor() as cursor:
            cursor.execute(f"ROLLBACK TO SAVEPOINT {self.ahead}")
        for family_id in self.new:
            family = self.families[family_id]
            family.pk = None
            family._state.adding = True
        self.ahead, self.inserted = None, []

    def is_current(self) -> bool:
        """Take the placement lock and say whether what this write read still
        holds: no family it read has changed or gone, no family about to be
        deleted has gained a version, and no family stored since the
        watermark could take one of its texts (one that retrieval would have
        found, through a shared key or the fingerprint, and that matches).
        When it does not hold, decide again with a new store (under the lock,
        nothing can change any more)."""
        current = self._is_current()
        if not current:
            self._undo_ahead()
        return current

    def _is_current(self) -> bool:
        self._lock()
        leaving = self.leaving()
        if leaving and Version.objects.filter(family_id__in=leaving).exists():
            return False
        present = set()  # (and a few of this transaction's own, neither read nor new: see _rows_since)
        for pk, text, speaker_id, first_seen, print_, description, sourced, since in _rows_since(
            self.watermark, self.snapshot, self.read, self.places, self.prepared_check, self.inserted
        ):
            present.add(pk)
            if sourced:
                self.sourced.add(pk)
            if since:
                family = (text, set(keys.shingle_keys(text)), speaker_id, print_)
                if any(_could_take(family, *probe) for probe in self._probe_keys):
                    return False
            elif (
                pk in self.read and FamilyAsRead(print_, speaker_id, first_seen, description) != self.read[pk]
            ):
                return False
        return present >= set(self.read)

    def save(self, versions: Sequence[Version] = ()) -> None:
        """Write the write's families: the changed ones updated (keys and versions'
        relations too when the canonical text changed), the new families and their keys
        inserted with the write's ``versions`` (PostgreSQL: in one statement, the last but
        the commit under the lock), the orphans no statement joined retired."""
        self._lock()
        changed = self._changed()
        redated = self._redated(changed)
        prepared = self.prepared_insert
        written = prepared[1] if prepared is not None and prepared[0] is versions else None
        update = self.prepared_update
        update = update[1] if update is not None and update[0] == [f.pk for f in changed] else None
        new_ahead = self.ahead is not None or not self.new  # (no new family left to insert)
        if update is not None and new_ahead and not self.swapped and not self.leaving():
            # The changed families, their postings and the versions of stored families: one round trip.
            with connection.cursor() as cursor:
                cursor.execute(update + (f"; {written}" if written is not None else ""))
            if written is None:
                Version.objects.bulk_create(self._stored_versions(versions))
            return
        if update is not None:
            with connection.cursor() as cursor:
                cursor.execute(update)
        else:
            Family.objects.bulk_update(
                changed, ["speaker", "speaker_description", "first_seen", "text", "fingerprint", "normalized"]
            )
        if self.swapped:
            FamilyKey.objects.filter(family_id__in=self.swapped).delete()
        _insert_keys([self.families[family_id] for family_id in self.swapped])
        # A version dated earlier than its family's first sighting moves the family's postings in time.
        if update is None:
            by_date: dict[date | None, list[int]] = {}
            for family in redated:
                by_date.setdefault(family.first_seen, []).append(family.pk)
            for first_seen, ids in by_date.items():
                FamilyKey.objects.filter(family_id__in=ids).update(first_seen=first_seen)
        # The stored versions of the families given a new text, before this write's own join them.
        self._relabel([self.families[family_id] for family_id in self.swapped])
        if self.ahead is None:
            _insert_families([self.families[family_id] for family_id in self.new], versions, written)
        elif written is not None:  # (the new families' versions went in with them, before the lock)
            with connection.cursor() as cursor:
                cursor.execute(written)
        else:
            Version.objects.bulk_create(self._stored_versions(versions))
        self._retire(self.leaving())  # (after: an orphan's links go to where its text went, new or not)

    def _changed(self) -> list[Family]:
        """The stored families this write changed."""
        return [self.families[family_id] for family_id in self.touched if family_id < _UNSAVED]

    def _redated(self, changed: list[Family]) -> list[Family]:
        """Those of ``changed`` (their text unchanged) whose first sighting moved: their postings follow."""
        return [
            family
            for family in changed
            if family.pk not in self.swapped
            and family.first_seen != _first_seen_read(self.read.get(family.pk))
        ]

    def _retire(self, leaving: set[int]) -> None:
        """Retire and delete the orphans no statement joined. One whose text this write
        placed in another family (its speaker read differently, say) sends its links there."""
        if not leaving:
            return
        retired = list(Family.objects.filter(pk__in=leaving))
        went_to = {
            self.families[family_id].fingerprint: self.families[family_id].pk for family_id in self.placed
        }
        moved = {
            family.pk: went_to[family.fingerprint] for family in retired if family.fingerprint in went_to
        }
        RetiredFamily.record(retired, RetiredFamily.Reason.NOT_FOUND_AGAIN, moved)
        Family.objects.filter(pk__in=leaving).delete()

    def leaving(self) -> set[int]:
        """The orphans no statement of this write has joined: deleted on ``save``."""
        return self.orphans - self.placed

    def needs(self) -> Locks:
        """The placement locks this write's decisions need (see ``lock_placement``).

        Alone: the partition of each speaker its statements name, of each stored family it
        changes (as read) or retires; the families no one is named for (``UNNAMED``) for a
        statement said by someone described ("a senior official": it may join only those),
        a change to one of them or its retirement. Shared: the partition of a family a
        version goes to unchanged (``UNNAMED``, or anyone's for a family an editor moved a
        version to), so that no write changes or retires it meanwhile.

        The whole lock for a family this write starts that no one is named or described for (a
        statement with no speaker at all that joined no family): any write's statement may join
        it, so two writes starting it and another speaker's family of the same words must take
        turns. A statement with no speaker that joins a family needs only what joining it
        needs (its partition, as above): a write of another speaker starting a family the
        statement would rather have joined is then simply the later of the two writes."""
        if self.whole or any(_anyones(self.families[family_id]) for family_id in self.new):
            return Locks(True)
        alone = {speaker for speaker, described in self.speakers if speaker is not None or described}
        shared: set[int | None] = set()
        alone |= {self.read[family_id].speaker_id for family_id in self.touched if family_id in self.read}
        shared |= {self.read[family_id].speaker_id for family_id in self.placed if family_id in self.read}
        shared |= self.elsewhere
        leaving = self.leaving()
        if leaving:
            alone |= set(Family.objects.filter(pk__in=leaving).values_list("speaker_id", flat=True))

        def partitions(speakers: set[int | None]) -> frozenset[int]:
            return frozenset(UNNAMED if speaker is None else speaker for speaker in speakers)

        # Shared where not alone already (a family joined is its statement's speaker's, or no one's;
        # a family an editor moved a version to may be anyone's).
        return Locks(False, partitions(alone), partitions(shared) - partitions(alone))

    def _lock(self) -> None:
        if self.locked:
            return
        needs = self.needs()
        if self.held is not None:  # deciding again, under the locks of a first decision
            if not self.held.covers(needs):
                raise PlacementRetry(needs)
        else:
            started = time.perf_counter()
            if needs.whole:
                lock_placement(wait_for_disk=False)
            else:
                lock_placement(wait_for_disk=False, partitions=needs.alone, shared=needs.shared)
            self.locked_at = time.perf_counter()
            self.lock_waited = self.locked_at - started
            self.held = needs
        self.locked = True

    def _relabel(self, swapped: list[Family]) -> None:
        """After a canonical swap, say again how each stored version relates
        to the new text, and which of its edits change the meaning."""
        if not swapped:
            return
        by_pk = {family.pk: family for family in swapped}
        versions = list(
            Version.objects.filter(family__in=swapped).only(
                "pk", "family_id", "text", "kind", "relation", "meaning_flags", "passage_start", "passage_end"
            )
        )
        before = {o.pk: (o.relation, o.meaning_flags, o.passage_start, o.passage_end) for o in versions}
        for version in versions:
            version.family = by_pk[version.family_id]
            version.relation = relation_to(version.family, version.text)
        compare_versions(versions)
        stale = [
            o
            for o in versions
            if (o.relation, o.meaning_flags, o.passage_start, o.passage_end) != before[o.pk]
        ]
        Version.objects.bulk_update(stale, ["relation", *COMPARED_FIELDS])

    # -- reading -------------------------------------------------------------

    def _retrieve(self, probes: list[Probe]) -> int:
        rows, watermark, self.snapshot, self.places = _retrieve_candidates(probes)
        for probe, family in rows:
            if family.pk not in self.families:
                self.families[family.pk] = family
                self.read[family.pk] = self._row(family)
            self.found.setdefault(probes[probe], []).append(family.pk)
        return watermark

    @staticmethod
    def _row(family: Family) -> FamilyAsRead:
        return FamilyAsRead(
            family.fingerprint, family.speaker_id, family.first_seen, family.speaker_description
        )

    def _candidate(self, family_id: int) -> placement.FamilyCandidate:
        family = self.families[family_id]
        return placement.FamilyCandidate(
            family_id=family_id,
            canonical_text=family.text,
            speaker_key=_family_speaker_key(family),
            first_seen=family.first_seen,
            fingerprint=family.fingerprint,
            normalized=family.normalized,
        )


def _set_text(family: Family, text: str) -> None:
    """Give a family its canonical text, with the text's fingerprint and normalized form
    (that of its preparation for comparison: ``folding.tokens``, cached, a statement's
    text being prepared already when it becomes a family's)."""
    family.text = text
    family.normalized = folding.tokens(text).normalized
    family.fingerprint = folding.fingerprint_of_normalized(family.normalized)


def retrieve_candidates(
    probes: Sequence[tuple[str, int | None] | Probe],
) -> tuple[list[tuple[int, Family]], int]:
    """The candidate families of each probe and the watermark (``_retrieve_candidates``)."""
    found, watermark, _, _ = _retrieve_candidates(probes)
    return found, watermark


def _retrieve_candidates(
    probes: Sequence[tuple[str, int | None] | Probe],
) -> tuple[list[tuple[int, Family]], int, str | None, dict[int, str]]:
    """The candidate families of each (text, speaker id[, date]) probe, in one
    query, as (probe index, family) rows; and the highest family id, read in
    the same snapshot, and that snapshot (``pg_current_snapshot()`` as text, then ";" and
    the transaction's own id if it has one yet; None on SQLite, where one write runs at a
    time and ids grow in commit order); and where each family's row lay (its ``ctid``, by
    id: ``_rows_since`` reads it there again; none on SQLite).

    A probe's candidates are the families of a compatible speaker (the
    same, or unknown on either side) sharing its fingerprint, and the
    ``CANDIDATES_PER_VERSION`` sharing the most telling keys: those held by
    at most ``keys.COMMON_KEY_FAMILIES`` families. A dated probe reads only the
    keys of families placement could give it, first seen within its time
    window (or undated), and counts and ranks among those alone; a probe with
    no date, all of them. A text with none (only common words) is ranked on
    all its keys, among the newest families holding each on PostgreSQL
    (SQLite, for small archives, counts them all). Ties go to the newest family.
    """
    probes = [_full(probe) for probe in probes]
    keyed = [(number, key) for number, (text, _, _) in enumerate(probes) for key in keys.shingle_keys(text)]
    if connection.vendor != "postgresql":
        return (*_retrieve_by_orm(probes, keyed), None, {})
    families_table, index = Family._meta.db_table, FamilyKey._meta.db_table
    # Planned for a million families. Each distinct key and window of all the probes is
    # read once: its postings, up to one past ``COMMON_KEY_FAMILIES``, so a common key
    # ("clinton", held by 100k families) costs 1,001 index entries, kept as two arrays
    # (families, their speakers) that count the key and rank the families holding it. A
    # dated probe reads its window's range of the (key, first_seen, quote) index, the
    # postings of a few weeks whatever the archive's age, and the families with no date
    # in an index of their own (``quotekey_undated``: a handful, so one page, where
    # the window index would be descended again, four levels at a million families).
    # Each posting carries its family's speaker (``FamilyKey.family_speaker_id``): a probe
    # ranks only the families it may join, and no family row is read until the 40 are
    # chosen (then each through ``quote_id_hash``: a bucket's page, however many families).
    # The speaker filter applies after each key's limit, so a text of common words only
    # still ranks among the newest families holding each.
    postings = f"""
        (SELECT quote_id, family_speaker_id FROM {index} WHERE key = lookups.key AND lookups.low IS NULL
         ORDER BY quote_id DESC LIMIT %(limit)s + 1)
        UNION ALL
        (SELECT quote_id, family_speaker_id FROM {index}
         WHERE key = lookups.key AND first_seen BETWEEN lookups.low AND lookups.high
         ORDER BY first_seen DESC, quote_id DESC LIMIT %(limit)s + 1)
        UNION ALL
        (SELECT quote_id, family_speaker_id FROM {index}
         WHERE key = lookups.key AND lookups.low IS NOT NULL AND first_seen IS NULL
         ORDER BY quote_id DESC LIMIT %(limit)s + 1)
        LIMIT %(limit)s + 1
    """
    sql = f"""
        WITH wanted AS (
            SELECT * FROM unnest(%(key_probes)s::int[], %(keys)s::bigint[]) AS wanted(probe, key)
        ), probes AS (
            SELECT * FROM unnest(
                %(probes)s::int[], %(speakers)s::int[], %(prints)s::text[],
                %(lows)s::date[], %(highs)s::date[]
            ) AS probes(probe, speaker, fingerprint, low, high)
        ), held AS MATERIALIZED (
            SELECT lookups.key, lookups.low, lookups.high, held.*
            FROM (SELECT DISTINCT key, low, high FROM wanted JOIN probes USING (probe)) AS lookups
            CROSS JOIN LATERAL (
                SELECT COUNT(*) AS families, array_agg(quote_id) AS quotes,
                       array_agg(family_speaker_id) AS speakers
                FROM ({postings}) AS postings
            ) AS held
        ), ranked_keys AS (
            -- The telling keys (held by at most the limit), or every key of a probe with none.
            SELECT wanted.probe, held.quotes, held.speakers,
                   held.families <= %(limit)s
                   OR NOT bool_or(held.families <= %(limit)s) OVER (PARTITION BY wanted.probe) AS ranked
            FROM wanted JOIN probes USING (probe) JOIN held ON held.key = wanted.key
                AND held.low IS NOT DISTINCT FROM probes.low AND held.high IS NOT DISTINCT FROM probes.high
        ), shared AS (
            -- All the probes' families at once (a lateral per probe would scan every probe's keys).
            SELECT probes.probe, mine.quote_id, COUNT(*) AS shared
            FROM ranked_keys JOIN probes USING (probe) CROSS JOIN LATERAL
                unnest(ranked_keys.quotes, ranked_keys.speakers) AS mine(quote_id, family_speaker_id)
            WHERE ranked_keys.ranked AND (probes.speaker IS NULL OR mine.family_speaker_id IS NULL
                                          OR mine.family_speaker_id = probes.speaker)
            GROUP BY probes.probe, mine.quote_id
        ), found AS (
            SELECT probe, quote_id FROM (
                SELECT probe, quote_id,
                       row_number() OVER (PARTITION BY probe ORDER BY shared DESC, quote_id DESC) AS place
                FROM shared
            ) AS ranked WHERE place <= %(candidates)s
            UNION
            SELECT probes.probe, same.id FROM probes JOIN {families_table} AS same USING (fingerprint)
            WHERE probes.speaker IS NULL OR same.speaker_id IS NULL OR same.speaker_id = probes.speaker
        )
        SELECT mark.watermark, mark.snapshot, family.ctid::text, found.probe, family.id, family.text,
               family.speaker_id, family.fingerprint, family.first_seen, family.speaker_description,
               family.normalized
        FROM (SELECT MAX(id) AS watermark,
                     pg_current_snapshot()::text || ';'
                     || COALESCE(pg_current_xact_id_if_assigned()::text, '') AS snapshot
              FROM {families_table} AS newest) AS mark
        LEFT JOIN (found JOIN {families_table} AS family ON family.id = found.quote_id) ON TRUE
    """
    windows = [placement.window_bounds(when) for _, _, when in probes]
    params = {
        "key_probes": [number for number, _ in keyed],
        "keys": [key for _, key in keyed],
        "probes": list(range(len(probes))),
        "speakers": [speaker for _, speaker, _ in probes],
        "prints": [folding.fingerprint(text) for text, _, _ in probes],
        "lows": [low for low, _ in windows],
        "highs": [high for _, high in windows],
        "limit": keys.COMMON_KEY_FAMILIES,
        "candidates": CANDIDATES_PER_VERSION,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = []
    # One model instance per family, however many probes found it, built as a queryset's
    # rows are (``from_db``: a model's own ``__init__`` costs more than the rest of a row).
    families: dict[int, Family] = {}
    selected = ("id", "text", "speaker_id", "fingerprint", "first_seen", "speaker_description", "normalized")
    alias = connection.alias
    places = {}
    for _, _, place, probe, *row in rows:
        if row[0] is not None:
            family = families.get(row[0])
            if family is None:
                family = families[row[0]] = _family_as_read(alias, zip(selected, row, strict=True))
                places[row[0]] = place
            found.append((probe, family))
    return found, rows[0][0] or 0, rows[0][1], places


def _family_as_read(alias: str, values: Iterable[tuple[str, object]]) -> Family:
    """A family read from the database with only these fields (attname, value), the others
    deferred: what ``Family.from_db`` makes, without ``Model.__init__`` (which costs more than
    the rest of a retrieved row: a write reads hundreds)."""
    family = Family.__new__(Family)
    family._state = ModelState()
    family._state.adding, family._state.db = False, alias
    family.__dict__.update(values)
    return family


def _retrieve_by_orm(
    probes: list[Probe], keyed: list[tuple[int, int]]
) -> tuple[list[tuple[int, Family]], int]:
    """``retrieve_candidates`` for SQLite (small archives): the postings of every key
    read at once and ranked here, every family of a key (in the probe's window) counted."""
    postings: dict[int, list[tuple[int, date | None]]] = {}
    speaker_of: dict[int, int | None] = {}
    for key, family_id, first_seen, speaker_id in FamilyKey.objects.filter(
        key__in={key for _, key in keyed}
    ).values_list("key", "family_id", "first_seen", "family__speaker_id"):
        postings.setdefault(key, []).append((family_id, first_seen))
        speaker_of[family_id] = speaker_id
    keys_of: dict[int, list[int]] = {}
    for number, key in keyed:
        keys_of.setdefault(number, []).append(key)
    wanted: dict[int, set[int]] = {}
    for number, (_, speaker, when) in enumerate(probes):
        held = {
            key: [
                family_id for family_id, seen in postings.get(key, ()) if placement.within_window(when, seen)
            ]
            for key in keys_of.get(number, [])
        }

        def compatible(family_id: int, speaker: int | None = speaker) -> bool:
            return speaker is None or speaker_of[family_id] in (None, speaker)

        wanted[number] = set(_sharing_most_keys(held, compatible))
    prints = {folding.fingerprint(text): number for number, (text, _, _) in enumerate(probes)}
    ids = set().union(*wanted.values())
    stored = Family.objects.filter(Q(pk__in=ids) | Q(fingerprint__in=list(prints))).order_by()
    by_print: dict[str, list[Family]] = {}
    families = {}
    for family in stored:
        families[family.pk] = family
        by_print.setdefault(family.fingerprint, []).append(family)
    found = []
    for number, (text, speaker, _) in enumerate(probes):
        same = {
            family.pk
            for family in by_print.get(folding.fingerprint(text), ())
            if speaker is None or family.speaker_id in (None, speaker)
        }
        found += [(number, families[pk]) for pk in sorted(wanted[number] | same)]
    watermark = Family.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return found, watermark


def _sharing_most_keys(held: dict[int, Collection[int]], compatible: Callable[[int], bool]) -> list[int]:
    """Of the families holding a text's keys (``held``: key -> family ids), those of a
    compatible speaker sharing the most telling keys with it, at most
    ``CANDIDATES_PER_VERSION``, newest first on ties: a telling key is held by at most
    ``keys.COMMON_KEY_FAMILIES`` families, and a text with none is ranked on all its keys.
    How a write ranks its own new families, and SQLite stored ones (PostgreSQL: in SQL)."""
    telling = [key for key, families in held.items() if len(families) <= keys.COMMON_KEY_FAMILIES]
    shared: Counter[int] = Counter()
    for key in telling or held:
        shared.update(family_id for family_id in held[key] if compatible(family_id))
    ranked = sorted(shared, key=lambda family_id: (-shared[family_id], -family_id))
    return ranked[:CANDIDATES_PER_VERSION]


def _rows_since(
    watermark: int,
    snapshot: str | None,
    read: Collection[int],
    places: dict[int, str],
    prepared: str | None = None,
    inserted: Collection[int] = (),
) -> Iterable[tuple]:
    """The families stored since the candidates were read (with their text) and the current rows
    of those in ``read`` (text left out: a read one whose text changed has another fingerprint), as
    (id, text, speaker id, first seen, fingerprint, description, has a current primary source,
    stored since).

    PostgreSQL: "stored since" is stored by a transaction the reading's ``snapshot`` did not
    see, running then or begun since (``created_xid``, migration 0030): writes of other
    speakers hold other locks, so ids no longer grow in commit order. The read ones are read
    where they lay (``places``, their ctids: one page each, where a look-up by id descends the
    primary key first, three levels at a million families): a family changed since has a row
    version elsewhere, and one gone none, so neither comes back, and either way the write
    decides again (``is_current``). ``prepared``: the statement as ``_rows_since_statement``
    wrote it out for these arguments (``FamilyStore.prepare``). SQLite: an id above
    ``watermark`` (one write at a time), the read ones by id."""
    if connection.vendor == "postgresql" and snapshot is not None:
        with connection.cursor() as cursor:
            if prepared is not None:
                cursor.execute(prepared)
            else:
                sql, params = _rows_since_statement(watermark, snapshot, read, places, inserted)
                cursor.execute(_by_their_places(sql), params)
            cursor.cursor.nextset()  # (past the setting)
            return cursor.fetchall()
    current = PrimarySource.objects.current().filter(family_id=OuterRef("pk"))
    return (
        Family.objects.filter(Q(pk__gt=watermark) | Q(pk__in=list(read)))
        .annotate(
            new_text=Case(
                When(pk__gt=watermark, then=F("text")), default=Value(""), output_field=TextField()
            ),
            sourced=Exists(current),
            since=Case(
                When(pk__gt=watermark, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
        )
        .values_list(
            "pk",
            "new_text",
            "speaker_id",
            "first_seen",
            "fingerprint",
            "speaker_description",
            "sourced",
            "since",
        )
        .order_by()
    )


def _rows_since_statement(
    watermark: int,
    snapshot: str,
    read: Collection[int],
    places: dict[int, str],
    inserted: Collection[int] = (),
) -> tuple[str, dict]:
    """``_rows_since``'s statement on PostgreSQL, and its parameters. ``inserted``: this
    write's own new families, inserted before the lock (``FamilyStore.prepare``), which
    are not "stored since"."""
    seen, own = snapshot.split(";")
    _, xmax, running = seen.split(":")
    sources = PrimarySource._meta.db_table
    # This transaction's own families (a snapshot does not list its own transaction as
    # running): those it stored since it read, by id, as on SQLite.
    since = (
        "((created_xid >= %(xmax)s::xid8 OR created_xid = ANY(%(running)s::xid8[])) "
        "AND created_xid IS DISTINCT FROM %(own)s::xid8 "
        "OR created_xid = %(own)s::xid8 AND id > %(mark)s AND id <> ALL(%(inserted)s::bigint[]))"
    )
    columns = (
        f"id, CASE WHEN {since} THEN text ELSE '' END, speaker_id, first_seen, "
        f"fingerprint, speaker_description, EXISTS (SELECT 1 FROM {sources} AS source "
        "WHERE source.quote_id = family.id AND source.retired_at IS NULL), "
        f"COALESCE({since}, false) FROM {Family._meta.db_table} AS family"
    )
    # Each part an index condition (``quote_created_xid``): a few rows of this transaction's
    # own come too, told apart by the flag above. The places as one array: hundreds of "%s"
    # cost the driver more than the query.
    sql = (
        f"SELECT {columns} WHERE created_xid >= %(xmax)s::xid8 "
        "OR created_xid = ANY(%(running)s::xid8[]) OR created_xid = %(own)s::xid8 "
        f"UNION ALL SELECT {columns} WHERE ctid = ANY(%(places)s::tid[])"
    )
    params = {
        "xmax": xmax,
        "running": [xid for xid in running.split(",") if xid],
        "own": own or None,
        "mark": watermark,
        # Written out here as the array's text (a row version's place, "(page,item)", needs no
        # quoting inside it): the driver's quoting of each element cost more than the query.
        "places": "{" + ",".join(f'"{places[pk]}"' for pk in read) + "}",
        "inserted": list(inserted),
    }
    return sql, params


def _by_their_places(sql: str) -> str:
    """``_rows_since``'s statement, sent with the planner told not to read the whole table:
    below some 50,000 families it costs the hundreds of row versions read by their places
    (``ctid = ANY``, one page each, in memory: the write has just read them) above a
    sequential scan of every page (at 10k, 772 pages: 2-3 ms of the placement lock against
    under 1 ms). The setting holds for this statement only."""
    return f"SET LOCAL enable_seqscan = off; {sql}; SET LOCAL enable_seqscan TO DEFAULT"


def _rendered(sql: str, params: Sequence | dict) -> str | None:
    """A statement with its parameters written into its text, as the driver writes them when
    it sends it (Django's connections bind parameters on the client: psycopg's
    ``ClientCursor``), so that sending it later costs no time building and quoting them.
    None with a driver that binds them on the server (the statement is then sent as usual)."""
    with connection.cursor() as cursor:
        mogrify = getattr(cursor.cursor, "mogrify", None)
        return mogrify(sql, params) if mogrify is not None else None


def _could_take(family: tuple, print_: str, text_keys: set[int], text: str, speaker_id: int | None) -> bool:
    """Whether a family (canonical text, keys, speaker id, fingerprint) could
    be where ``text`` (with its fingerprint and keys) goes, the time window aside."""
    canonical, family_keys, family_speaker, family_print = family
    if speaker_id is not None and family_speaker not in (None, speaker_id):
        return False
    found = family_print == print_ or not text_keys.isdisjoint(family_keys)
    return found and placement.relation_to_canonical(text, canonical) is not None


# What ``compare_versions`` sets on a version.
COMPARED_FIELDS = ["meaning_flags", "passage_start", "passage_end"]


def prepared_sources(family_ids: Collection[int]) -> dict[int, PreparedSource]:
    """The current primary source of each of these families that has one, prepared for finding passages."""
    if not family_ids:
        return {}
    rows = PrimarySource.objects.current().filter(family_id__in=family_ids)
    return {family_id: prepared(text) for family_id, text in rows.values_list("family_id", "text")}


def compare_versions(
    versions: Collection[Version],
    sources: dict[int, PreparedSource] | None = None,
) -> list[Version]:
    """Set each version's meaning flags against what its family's versions
    are compared with: the passage of the family's primary source it
    corresponds to (``passages``), when the family has one, else the
    canonical text. The one place those fields are worked out: the pipeline's
    write, a canonical swap, an editor's move, attaching or removing a
    source. Returns the versions whose fields changed, for the caller to save."""
    if sources is None:
        sources = prepared_sources({o.family.pk for o in versions if o.family.pk is not None})
    changed = []
    for version in versions:
        family = version.family
        source = sources.get(family.pk) if family.pk is not None else None
        before = (version.meaning_flags, version.passage_start, version.passage_end)
        if source is None:
            flags = flags_to_store(family.text, version.said, version.kind)
            start = end = None
        else:
            flags, passage = source_flags_to_store(source, version.said, version.kind)
            start, end = (passage.start, passage.end) if passage else (None, None)
        version.meaning_flags, version.passage_start, version.passage_end = flags, start, end
        if (flags, start, end) != before:
            changed.append(version)
    return changed


def join_same_statements(speaker: Speaker, family_ids: Collection[int]) -> dict[int, int]:
    """Once two speakers are one (an editor's merge), each of ``family_ids`` (now
    ``speaker``'s) joins the family of the speaker that is the same statement, by the
    rules a new version is placed by (its canonical text against the other's, within
    the time window): the older family stays, and the other's address leads to it.
    Two families that each have a current primary source are left apart (an editor
    chose a source for each). Under the placement lock. Returns {gone: kept}."""
    joined: dict[int, int] = {}
    for family in Family.objects.filter(pk__in=family_ids, speaker=speaker).order_by("pk"):
        if family.pk in joined:
            continue
        found, _ = retrieve_candidates([(family.text, speaker.pk)])
        candidates = [
            placement.FamilyCandidate(other.pk, other.text, _family_speaker_key(other), other.first_seen)
            for _, other in found
            if other.pk != family.pk and other.speaker_id == speaker.pk and other.pk not in joined
        ]
        match = placement.place_version(family.text, _speaker_key(speaker), family.first_seen, candidates)
        if match.family_id is None:
            continue
        keep, gone = sorted(
            [family, Family.objects.get(pk=match.family_id)], key=lambda candidate: candidate.pk
        )
        gone_id = gone.pk  # deleting the family empties its pk
        if _join_family(keep, gone):
            joined[gone_id] = keep.pk
    return joined


def _join_family(keep: Family, gone: Family) -> bool:
    """Move every version of ``gone`` into ``keep`` and retire ``gone`` (moved there)."""
    sources = PrimarySource.objects.current()
    if sources.filter(family=keep).exists() and sources.filter(family=gone).exists():
        return False
    PrimarySource.objects.filter(family=gone).update(family=keep)
    Version.objects.filter(family=gone).update(family=keep)
    Correction.objects.filter(family=gone).update(family=keep)
    swapped = placement.should_become_canonical(gone.text, keep.text)
    if swapped:
        _set_text(keep, gone.text)
    if gone.first_seen is not None and (keep.first_seen is None or gone.first_seen < keep.first_seen):
        keep.first_seen = gone.first_seen
    keep.save(update_fields=["text", "fingerprint", "normalized", "first_seen"])
    if swapped:
        FamilyKey.objects.filter(family=keep).delete()
        _insert_keys([keep])
    else:  # its postings follow its first sighting (the window matching reads them in)
        FamilyKey.objects.filter(family=keep).exclude(first_seen=keep.first_seen).update(
            first_seen=keep.first_seen
        )
    versions = list(keep.versions.all())
    for version in versions:
        version.family = keep
        version.relation = relation_to(keep, version.text)
    compare_versions(versions, prepared_sources({keep.pk}))
    Version.objects.bulk_update(versions, ["relation", *COMPARED_FIELDS])
    RetiredFamily.record([gone], RetiredFamily.Reason.MOVED, {gone.pk: keep.pk})
    gone.delete()
    return True


def relation_to(family: Family, text: str) -> str:
    """How a text placed in a family by a rule (not by matching) relates to its canonical text."""
    found = placement.relation_to_canonical(text, family.text)
    return found[0] if found else Version.Relation.VARIANT


def index_family(family: Family) -> None:
    FamilyKey.objects.bulk_create(
        [
            FamilyKey(
                family=family, key=key, first_seen=family.first_seen, family_speaker_id=family.speaker_id
            )
            for key in set(keys.shingle_keys(family.text))
        ],
        ignore_conflicts=True,
    )


def _insert_families(
    quotes: list[Family], versions: Sequence[Version] = (), prepared: str | None = None
) -> list[Family]:
    """Insert new families and their index keys, then ``versions`` (of these families or of
    stored ones); returns the families with their ids.

    PostgreSQL: one statement (under the placement lock, every round trip counts: see
    ``_insert_statement``), ``prepared`` when ``FamilyStore.prepare`` wrote it out before the
    lock. Elsewhere, ``bulk_create`` then the keys and the versions."""
    if connection.vendor != "postgresql" or not quotes and prepared is None:
        created = Family.objects.bulk_create(quotes)
        _insert_keys(created)
        Version.objects.bulk_create(versions)
        return created
    with connection.cursor() as cursor:
        if prepared is not None:
            cursor.execute(prepared)
        else:
            cursor.execute(*_insert_statement(quotes, versions))
        _numbered(quotes, versions, dict(cursor.fetchall()))
    return quotes


def _numbered(quotes: list[Family], versions: Sequence[Version], ids: dict[int, int]) -> None:
    """Give the families ``_insert_statement`` inserted their ids (``ids``: number -> id),
    and ``versions`` their families'."""
    for number, quote in enumerate(quotes, 1):
        quote.pk = ids[number]
        quote._state.adding = False
        quote._state.db = connection.alias
    for version in versions:
        # (given again, not its id: setting the id would forget the family, read again if asked for)
        version.family = version.family


def _insert_statement(quotes: list[Family], versions: Sequence[Version]) -> tuple[str, list]:
    """The statement inserting ``quotes``, their keys and ``versions`` on PostgreSQL, and its
    parameters: the ids are drawn from the table's sequence in the families' order, and each
    family's row, keys and versions are inserted with its id (a version of a stored family
    with that family's)."""
    fields, arrays, listed = _columns(Family)
    values = _values(fields, quotes)
    keyed = [
        (number, key) for number, quote in enumerate(quotes, 1) for key in set(keys.shingle_keys(quote.text))
    ]
    # Each version's family: a stored one's id, or a new one's number (its id drawn below).
    number_of = {id(quote): number for number, quote in enumerate(quotes, 1)}
    for version in versions:
        if version.family.pk is not None:
            version.family_id = version.family.pk
    version_fields, version_arrays, version_listed = _columns(Version, but="family")
    sql = f"""
        WITH given AS (
            SELECT * FROM unnest({arrays}) WITH ORDINALITY AS given({listed}, number)
        ), numbered AS (
            SELECT nextval(pg_get_serial_sequence(%s, 'id')) AS id, ordered.*
            FROM (SELECT * FROM given ORDER BY number) AS ordered
        ), families AS (
            INSERT INTO {Family._meta.db_table} (id, {listed}) SELECT id, {listed} FROM numbered
        ), postings AS (
            INSERT INTO {FamilyKey._meta.db_table} (quote_id, key, first_seen, family_speaker_id)
            SELECT numbered.id, keyed.key, numbered.first_seen, numbered.speaker_id
            FROM unnest(%s::bigint[], %s::bigint[]) AS keyed(number, key) JOIN numbered USING (number)
        ), versions AS (
            INSERT INTO {Version._meta.db_table} ({version_listed}, quote_id)
            SELECT {", ".join(f'version."{f.column}"' for f in version_fields)},
                   COALESCE(version.stored, numbered.id)
            FROM unnest({version_arrays}, %s::bigint[], %s::bigint[])
                 WITH ORDINALITY AS version({version_listed}, stored, family, place)
            LEFT JOIN numbered ON numbered.number = version.family
            ORDER BY version.place
        )
        SELECT number, id FROM numbered
    """
    params = [
        *values,
        Family._meta.db_table,
        [n for n, _ in keyed],
        [k for _, k in keyed],
        *_values(version_fields, versions),
        [version.family.pk for version in versions],
        [number_of.get(id(version.family)) if version.family.pk is None else None for version in versions],
    ]
    return sql, params


# What a write changes in a stored family (``FamilyStore.save``).
_CHANGED_FIELDS = ("speaker", "speaker_description", "first_seen", "text", "fingerprint", "normalized")


def _update_statement(changed: list[Family], redated: list[Family]) -> tuple[str, list]:
    """The statement updating the stored families a write ``changed`` (each field of
    ``_CHANGED_FIELDS``, as ``bulk_update`` sets them) and the postings of those ``redated``
    (their first sighting) on PostgreSQL, and its parameters."""
    fields = [Family._meta.get_field(name) for name in _CHANGED_FIELDS]
    arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
    columns = ", ".join(f'"{f.column}"' for f in fields)
    sql = f"""
        WITH changed AS (
            SELECT * FROM unnest(%s::bigint[], {arrays}) AS changed(id, {columns})
        ), families AS (
            UPDATE {Family._meta.db_table} AS family
            SET {", ".join(f'"{f.column}" = changed."{f.column}"' for f in fields)}
            FROM changed WHERE family.id = changed.id
        )
        UPDATE {FamilyKey._meta.db_table} AS posting SET first_seen = redated.first_seen
        FROM unnest(%s::bigint[], %s::date[]) AS redated(id, first_seen) WHERE posting.quote_id = redated.id
    """
    params = [
        [family.pk for family in changed],
        *([f.get_db_prep_save(getattr(family, f.attname), connection) for family in changed] for f in fields),
        [family.pk for family in redated],
        [family.first_seen for family in redated],
    ]
    return sql, params


def _columns(model: type[models.Model], but: str = "") -> tuple[list[models.Field], str, str]:
    """A model's columns as an insert of arrays writes them (``unnest``): its fields (the
    primary key, generated ones and ``but`` left out), the arrays' placeholders, the columns."""
    fields = [
        f for f in model._meta.concrete_fields if not f.primary_key and not f.generated and f.name != but
    ]
    arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
    return fields, arrays, ", ".join(f'"{f.column}"' for f in fields)


def _values(fields: list[models.Field], rows: Sequence[models.Model]) -> list[list]:
    """Each field's values over ``rows`` as a new row stores them (``pre_save``: ``created_at``)."""
    for row in rows:
        for f in fields:
            related = f.get_cached_value(row, None) if f.is_relation else None
            if related is not None:  # (a row related after this one was made)
                setattr(row, f.attname, related.pk)
            setattr(row, f.attname, f.pre_save(row, add=True))
    return [[f.get_db_prep_save(getattr(row, f.attname), connection) for row in rows] for f in fields]


def _insert_keys(families: list[Family]) -> None:
    rows = [
        (family.pk, key, family.first_seen, family.speaker_id)
        for family in families
        for key in set(keys.shingle_keys(family.text))
    ]
    if not rows:
        return
    if connection.vendor != "postgresql":
        FamilyKey.objects.bulk_create(
            [
                FamilyKey(family_id=pk, key=key, first_seen=seen, family_speaker_id=speaker)
                for pk, key, seen, speaker in rows
            ]
        )
        return
    # Straight in: a model instance per key costs more than the insert (32 keys a family).
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {FamilyKey._meta.db_table} (quote_id, key, first_seen, family_speaker_id) "
            "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::date[], %s::bigint[])",
            [[column[n] for column in rows] for n in range(4)],
        )


def lock_placement(
    wait_for_disk: bool = True, partitions: Collection[int] | None = None, shared: Collection[int] = ()
) -> None:
    """Take placement locks until the transaction ends (see ``is_current``).

    PostgreSQL: transaction-scoped advisory locks (taking one twice in one transaction is
    harmless); SQLite already runs one write transaction at a time.

    With no ``partitions``, the whole placement lock, alone: an editor's change to families,
    versions or primary sources, or a write starting a family with no speaker at all (any
    statement may join it). Otherwise (a pipeline write, ``FamilyStore.needs``) the whole
    lock shared, then partitions of it in the order of their keys (two writes never wait
    for each other's second lock): ``partitions`` alone, ``shared`` shared. A partition is
    a speaker's (the families said by them), or ``UNNAMED`` (those no one is named for).
    Two statements whose speakers are both named and differ never go in one family, so
    writes of different speakers run side by side; an editor's whole lock still waits for
    them all and holds them all off.

    ``wait_for_disk=False``, for the pipeline's writes: the commit returns before its WAL
    record is flushed (``synchronous_commit`` off for this transaction alone), so the locks
    are not held over a disk flush. What such a write stores is worked out again from the
    article: a crash loses at most the last fraction of a second of writes, never the
    database's consistency, and their articles, still marked running, are queued again by
    the stalled-article sweep. Editors' writes keep waiting for the disk."""
    if connection.vendor != "postgresql":
        return
    fast = ", set_config('synchronous_commit', 'off', true)" if not wait_for_disk else ""
    with connection.cursor() as cursor:
        if partitions is None:
            cursor.execute(f"SELECT pg_advisory_xact_lock(%s){fast}", [_PLACEMENT_LOCK])
            return
        alone = {_partition(p) for p in partitions}
        keys = sorted(
            {(key, True) for key in alone} | {(key, False) for key in {_partition(p) for p in shared} - alone}
        )
        # One statement: the whole lock shared first (row 1), then each partition, in order.
        cursor.execute(
            "SELECT count(CASE WHEN n = 1 THEN pg_advisory_xact_lock_shared(%s) "
            "WHEN alone THEN pg_advisory_xact_lock(%s, part::int) "
            f"ELSE pg_advisory_xact_lock_shared(%s, part::int) END){fast} "
            "FROM unnest(%s::bigint[], %s::bool[]) WITH ORDINALITY AS locks(part, alone, n)",
            [
                _PLACEMENT_LOCK,
                _PARTITION_LOCKS,
                _PARTITION_LOCKS,
                [0, *(key for key, _ in keys)],
                [False, *(alone for _, alone in keys)],
            ],
        )


# The partition of the families no one is named for (speaker ids start at 1).
UNNAMED = 0


def _partition(partition: int) -> int:
    """The second key of a partition's two-key advisory lock (an int)."""
    return partition % 2_147_483_647


# Arbitrary constants naming the lock that serialises writing families, whole, and its
# partitions (the first key of a two-key advisory lock).
_PLACEMENT_LOCK = 0x51756F7465
_PARTITION_LOCKS = 0x5170


# The speaker key of a statement, or a family, said by someone described and never named. It is
# compatible with itself and with an unknown speaker, never with a named one: "a senior official"
# may be anyone, so the quote is not put in a named speaker's mouth.
DESCRIBED = "described"


def _speaker_key(speaker: Speaker | None, description: str = "") -> str | None:
    return _key(speaker.pk if speaker is not None else None, description)


def _family_speaker_key(family: Family) -> str | None:
    # By id: reading quote.speaker would fetch the speaker.
    return _key(family.speaker_id, family.speaker_description)


def _anyones(family: Family) -> bool:
    """Whether any statement may join a family: no one is named or described for it."""
    return family.speaker_id is None and not family.speaker_description


def _key(speaker_id: int | None, description: str) -> str | None:
    if speaker_id is not None:
        return str(speaker_id)
    return DESCRIBED if description else None
