"""The one place that writes extraction results.

``process_article`` reads an article, runs extraction (outside any
transaction: it is the slow part), then in one transaction resolves speakers
(``quotes.speakers``), places each statement in its family
(``quotes.families.store``) and replaces the article's versions. Running it
twice leaves the same rows.
"""

from __future__ import annotations

import ctypes
import logging
import queue
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from .extraction.parse_process import PARSE, ParseProcess
from .extraction.types import QuoteFinding
from .families.store import (
    FamilyStore,
    Locks,
    PlacementRetry,
    Statement,
    compare_versions,
    prepared_sources,
    relation_to,
)
from .models import Article, Correction, Family, PrimarySource, Speaker, Version
from .speakers import ArticleSpeakers, lock_speakers
from .words import Kind, SpeakerType

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Located:
    """A finding with its offsets moved into the article text or title."""

    finding: QuoteFinding
    start: int
    end: int
    in_title: bool
    # One piece of a quote split by its cue: the whole statement, joined from its pieces.
    whole: str = ""

    @property
    def said(self) -> str:
        """What the version says: the whole statement for a piece of a split quote."""
        return self.whole or self.finding.text


class ParsedArticle(NamedTuple):
    """One article's findings, as ``save_findings`` takes them: their offsets count from
    the start of the text the title and body were parsed as, the body at ``body_offset``."""

    article_id: int
    findings: list[QuoteFinding]
    body_offset: int


def process_article(article_id: int) -> Article:
    """Extract, attribute and store the quotes of one article."""
    for parsed in extract_batch([article_id]):
        return save_findings(parsed.article_id, parsed.findings, parsed.body_offset)
    raise Article.DoesNotExist(f"article {article_id} does not exist")


def extract_batch(article_ids: Sequence[int]) -> Iterator[ParsedArticle]:
    """Extract several articles: each article that still exists, in the order given, ready
    for ``save_findings``, yielded as soon as it is parsed, while the next ones are parsed
    (in this worker's parse process, ``parse_in_a_process``; else in a thread, ``_ParseAhead``)."""
    articles = Article.objects.in_bulk(article_ids)
    present = [articles[pk] for pk in article_ids if pk in articles]
    # An article whose earlier extractions never finished (its worker was
    # killed at the hard time limit, or died) is not tried again without end.
    spent = [a for a in present if a.attempts >= settings.EXTRACTION_MAX_ATTEMPTS]
    for article in spent:
        article.mark_failed(_gave_up(article.attempts))
    present = [a for a in present if a not in spent]
    if not present:
        return
    for article in present:
        article.mark_running()
    documents = [article.analysis_text() for article in present]
    texts = [document for document, _ in documents]
    parser = _parse_process.parse(texts) if _parse_process is not None else _ParseAhead(texts)
    try:
        for article, (_, body_offset), findings in zip(present, documents, parser, strict=True):
            yield ParsedArticle(article.pk, findings, body_offset)
    finally:
        parser.close()
        log.info(
            "parsed %d articles in %.1f ms, %.1f ms of it waited for",
            len(present),
            1000 * parser.parse_s,
            1000 * parser.waited_s,
            extra={
                "articles": len(present),
                "parse_ms": 1000 * parser.parse_s,
                "waited_ms": 1000 * parser.waited_s,
            },
        )


# A worker process's own parse process (``parse_in_a_process``); elsewhere (a command's
# ``--sync``, tests, a worker of one process that runs its tasks itself) a chunk is
# parsed in a thread (``_ParseAhead``).
_parse_process: ParseProcess | None = None


def parse_in_a_process(parse: str = PARSE) -> ParseProcess:
    """From now on this process parses in a process of its own, started now (it loads
    the model meanwhile): a worker writes one article's results on its core while the
    next articles are parsed on another. ``parse`` as ``ParseProcess`` takes it."""
    global _parse_process
    stop_parse_process()
    _parse_process = ParseProcess(parse)
    _parse_process.start()
    return _parse_process


def stop_parse_process() -> None:
    """End this process's parse process, if it has one, and wait for it."""
    global _parse_process
    if _parse_process is not None:
        _parse_process.stop()
        _parse_process = None


class _Abandoned(BaseException):
    """Raised in a parse thread whose results are no longer wanted."""


class _ParseAhead:
    """The findings of each text, in order, parsed in a thread of their own one text at
    a time: while the caller writes one article's results (``save_findings``, mostly
    waiting for the database), the next articles are parsed. The thread reads and
    writes nothing in the database; only the caller does, on its own connection.

    A caller that stops early (its soft time limit, a signal only the main thread
    receives, interrupted its wait) stops the parse too, as the limit would have
    stopped it in the caller's thread: ``close``. A single text is parsed in the
    caller's thread: there is nothing to parse while it is written.

    ``parse_s`` is the thread's time parsing; ``waited_s``, the caller's time
    waiting for a text not parsed yet (the parse the writes did not hide)."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = texts
        self.parse_s = self.waited_s = 0.0
        self._received = 0
        self._parsed: queue.SimpleQueue[tuple[list[QuoteFinding] | None, BaseException | None]]
        self._parsed = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._parse, name="parse-ahead", daemon=True)

    def _parse(self) -> None:
        # Here, not at the top: the web process imports this module (to queue
        # work) and must not load spaCy.
        from .extraction import extract_many

        started = time.perf_counter()
        try:
            # One text at a time: a batch is handed over only once parsed whole.
            for text in self.texts:
                (findings,) = extract_many([text])
                self._parsed.put((findings, None))
        except _Abandoned:
            pass
        except BaseException as error:  # noqa: BLE001 - handed to the caller, which raises it
            self._parsed.put((None, error))
        finally:
            self.parse_s = time.perf_counter() - started

    def __iter__(self) -> Iterator[list[QuoteFinding]]:
        if len(self.texts) == 1:  # nothing to parse ahead of: in the caller's thread
            from .extraction import extract_many

            started = time.perf_counter()
            (findings,) = extract_many(self.texts)
            self.parse_s = self.waited_s = time.perf_counter() - started
            self._received = 1
            yield findings
            return
        if not self.texts:
            return
        self._thread.start()
        for _ in self.texts:
            started = time.perf_counter()
            findings, error = self._parsed.get()
            self.waited_s += time.perf_counter() - started
            if error is not None:
                raise error
            assert findings is not None
            self._received += 1
            yield findings

    def close(self) -> None:
        """Stop the parse if it is still running, and wait for its thread to end."""
        thread = self._thread
        if thread.ident is not None and thread.is_alive() and self._received < len(self.texts):
            ctypes.pythonapi.PyThreadState_SetAsyncExc(
                ctypes.c_ulong(thread.ident), ctypes.py_object(_Abandoned)
            )
        if thread.ident is not None:
            thread.join()


def save_findings(article_id: int, findings: Sequence[QuoteFinding], body_offset: int) -> Article:
    try:
        return _save_findings(article_id, findings, body_offset, whole=False)
    except PlacementRetry:
        # Decided again under its locks, the write needed others (see PlacementRetry): its
        # transaction is rolled back, and it starts again under the whole placement lock.
        log.info("article %d written again under the whole placement lock", article_id)
        return _save_findings(article_id, findings, body_offset, whole=True)


def _save_findings(
    article_id: int, findings: Sequence[QuoteFinding], body_offset: int, whole: bool
) -> Article:
    started = time.perf_counter()
    with transaction.atomic():
        # The article's row only (``of``): its outlet is read, not locked, so an upload to the
        # same outlet never waits for this write; and a "no key" lock, which rows that refer
        # to the article (an editor's correction) do not wait for. Two writes of one
        # article still take turns.
        article = (
            Article.objects.select_for_update(of=("self",), no_key=True)
            .select_related("outlet")
            .get(pk=article_id)
        )
        # No merge deletes a speaker this write reads (its corrections', its names') before it commits.
        lock_speakers()
        located = _locate(findings, body_offset)
        former = _delete_versions(article)
        corrections = _Corrections(article, located)
        when = article.published or timezone.localdate(article.created_at)
        speakers = ArticleSpeakers(
            (item.finding for item in located), when, f"{article.title}\n{article.text}"
        )
        # Families are matched within a time window of the publication date; an undated
        # article says nothing of when its words were said, so it is matched with no limit
        # (its upload date, ``when``, would keep a copy of an older article out of every
        # family that article started).
        statements = [
            _prepare(statement, corrections, speakers, when, undated=article.published is None)
            for statement in _statements(located)
        ]
        speakers.save()
        # Families are decided without a lock, then checked and written under
        # one (see quotes.families.store): a write that raced with another decides again.
        store, versions = _place(article, statements, _orphans(former), whole=whole)
        # Compared before the lock, against the canonical texts as the write leaves them (a
        # later statement of the article may have given its family a fuller one); under it,
        # again only the versions of a family with a primary source (attached meanwhile, too).
        compare_versions(versions, sources={})
        article.mark_done()
        # The stored families joined (a new one has no id yet, nor a source).
        joined = {version.family.pk for version in versions} - {None}
        # (the new families inserted, what it sends under the lock written out, before it)
        store.prepare(versions)
        current = store.is_current()
        locked_at, lock_waited, held = store.locked_at, store.lock_waited, store.held
        if not current:
            store, versions = _place(article, statements, _orphans(former), held=store.held)
            joined = {version.family.pk for version in versions} - {None}
        else:  # the check said which of the families read have a source; the others, read now
            joined = (joined & store.sourced) | (joined - set(store.read))
        sources = prepared_sources(joined)
        if not current:
            compare_versions(versions, sources)
        elif sources and compare_versions([o for o in versions if o.family.pk in sources], sources):
            store.prepare(versions)  # (a source attached meanwhile changed them: written out again)
        store.save(versions)
    _log_write(article_id, started, locked_at, lock_waited, held)
    return article


def _log_write(
    article_id: int, started: float, locked_at: float | None, lock_waited: float, held: Locks | None
) -> None:
    """How long the write took, waited for the placement lock and held it (to the commit):
    the serial part of every worker's write (``make bench`` reads these lines)."""
    finished = time.perf_counter()
    times = {
        "write_ms": 1000 * (finished - started),
        "lock_wait_ms": 1000 * lock_waited,
        "locked_ms": 1000 * (finished - locked_at) if locked_at is not None else 0.0,
    }
    which = (
        "the whole lock"
        if held is None or held.whole
        else f"partitions: {len(held.alone)} alone, {len(held.shared)} shared"
    )
    log.info(
        "article %d written in %.1f ms: %.1f ms waiting for the placement lock, %.1f ms holding it (%s)",
        article_id,
        *times.values(),
        which,
        extra={**times, "whole_lock": held is None or held.whole},
    )


@dataclass
class _Statement:
    """One statement of the article, ready to place: its versions that stay
    (with each one's speaker and corrections) and the family's statement."""

    # Each version that stays: with its corrections, its speaker, and whether an editor decided it.
    kept: list[tuple[_Located, dict[str, Correction], Speaker | None, bool]]
    family: Statement | None  # None: every version was moved to a family by an editor


def _prepare(
    statement: list[_Located],
    corrections: _Corrections,
    speakers: ArticleSpeakers,
    when: date,
    undated: bool,
) -> _Statement:
    corrected = [corrections.of(item) for item in statement]
    # Who said the statement, as an editor decided it where its words were read before:
    # for each of its versions that has no decision of its own (a headline's shorter words).
    speaker_decisions = [c[Correction.Action.SPEAKER] for c in corrected if Correction.Action.SPEAKER in c]
    decided = next((d.speaker for d in speaker_decisions if d.fingerprint), None)
    # An editor's "not a quote" takes a version out of the statement, and a
    # version moved to another family no longer speaks for it.
    kept = []
    for item, correction in zip(statement, corrected, strict=True):
        if Correction.Action.NOT_A_QUOTE in correction:
            continue
        if Correction.Action.SPEAKER in correction:
            speaker = correction[Correction.Action.SPEAKER].speaker
        else:
            speaker = decided or speakers.resolve(item.finding)
        by_editor = decided is not None or Correction.Action.SPEAKER in correction
        kept.append((item, correction, speaker, by_editor))
    # A split quote whose piece an editor took out is joined from the pieces that stay.
    rejoined = _joined([item for item, _, _, _ in kept])
    kept = [
        (item, correction, speaker, by_editor)
        for item, (_, correction, speaker, by_editor) in zip(rejoined, kept, strict=True)
    ]
    staying = [(item, speaker) for item, correction, speaker, _ in kept if not _moved(correction)]
    if not staying:
        return _Statement(kept, None)
    # The family takes the speaker of the first version that stays.
    versions = _versions_to_try([item for item, _ in staying])
    first, speaker = staying[0]
    description = "" if speaker is not None else described_as(first.finding)
    return _Statement(kept, Statement(versions, speaker, when, description=description, undated=undated))


def _place(
    article: Article,
    statements: list[_Statement],
    orphans: set[int],
    held: Locks | None = None,
    whole: bool = False,
) -> tuple[FamilyStore, list[Version]]:
    store = FamilyStore((s.family for s in statements if s.family), orphans, held=held, whole=whole)
    versions: list[Version] = []
    for statement in statements:
        placement = None
        if statement.family is not None:
            placement = store.place(statement.family)
        for item, correction, speaker, by_editor in statement.kept:
            text = item.said
            if _moved(correction):
                family = correction[Correction.Action.FAMILY].family
                relation = relation_to(family, text)
                store.elsewhere.add(family.speaker_id)
            else:
                family = placement.family
                relation = placement.relation if family.text == text else relation_to(family, text)
            versions.append(_version(article, item, speaker, family, relation, by_editor))
    return store, versions


def _moved(correction: dict[str, Correction]) -> bool:
    chosen = correction.get(Correction.Action.FAMILY)
    return chosen is not None and chosen.family_id is not None


def _version(
    article: Article, item: _Located, speaker: Speaker | None, family: Family, relation: str, by_editor: bool
) -> Version:
    finding = item.finding
    return Version(
        article=article,
        family=family,
        speaker=speaker,
        text=finding.text,
        statement_text=item.whole,
        start=item.start,
        end=item.end,
        in_title=item.in_title,
        kind=finding.kind,
        cue=(finding.cue or "")[:200],
        speaker_mention=(finding.speaker_mention or "")[:300],
        speaker_description="" if speaker is not None else described_as(finding),
        confidence=finding.confidence,
        speaker_corrected=by_editor,
        relation=relation,
    )


def described_as(finding: QuoteFinding) -> str:
    """The source as the article describes it, when it names no one ("a senior aide")."""
    if not finding.speaker or finding.speaker_type in SpeakerType.NAMED:
        return ""
    return finding.speaker[:300]


def _statements(located: list[_Located]) -> list[list[_Located]]:
    """The article's findings grouped by the statement they report (see
    ``extraction.statements``), each group with its fullest version first."""
    by_anchor: dict[tuple[int, int], list[_Located]] = {}
    for item in located:
        finding = item.finding
        by_anchor.setdefault(finding.statement or (finding.start, finding.end), []).append(item)
    groups = []
    for anchor, members in by_anchor.items():
        members.sort(
            key=lambda item: ((item.finding.start, item.finding.end) != anchor, item.in_title, item.start)
        )
        groups.append(members)
    return groups


def _versions_to_try(versions: list[_Located]) -> tuple[str, ...]:
    """The texts a statement, told in ``versions`` (its best version first),
    is placed by: the best version, then the others but the headlines (which
    only compress them; wire copy repeats paraphrases too) and those inside a
    version already taken."""
    best, *others = versions
    tried: list[_Located] = [best]
    for item in others:
        if item.finding.kind != Kind.HEADLINE and not any(_inside(item, other) for other in tried):
            tried.append(item)
    # A quote split by its cue is placed whole ("…,” she said, “…" as one text), then by its pieces.
    texts = [item.said for item in tried] + [item.finding.text for item in tried if item.whole]
    return tuple(dict.fromkeys(texts))


def _inside(item: _Located, other: _Located) -> bool:
    return other.in_title == item.in_title and other.start <= item.start and item.end <= other.end


def _gave_up(attempts: int) -> str:
    return (
        f"Extraction was started {attempts} times and never finished: the worker was stopped each time "
        "(the article may be too long or too unusual to extract in time). Retry it, or shorten it."
    )


def _locate(findings: Iterable[QuoteFinding], body_offset: int) -> list[_Located]:
    located, seen = [], set()
    for finding in findings:
        if finding.end <= body_offset:
            item = _Located(finding, finding.start, finding.end, in_title=True)
        elif finding.start >= body_offset:
            item = _Located(finding, finding.start - body_offset, finding.end - body_offset, False)
        else:
            continue  # straddles the title and the text: not a real span
        key = (item.in_title, item.start, item.end)
        if item.end > item.start and key not in seen:
            seen.add(key)
            located.append(item)

    # Body before headlines: a statement's family is named after the body's version.
    return sorted(
        _joined(located),
        key=lambda item: (item.finding.kind == Kind.HEADLINE, item.in_title, item.start, -item.end),
    )


def _joined(located: list[_Located]) -> list[_Located]:
    """Each piece of a quote split by its cue with the whole statement it is part of."""
    by_span = {(item.finding.start, item.finding.end): item for item in located}
    wholes: dict[tuple[tuple[int, int], ...], str] = {}
    for pieces in {item.finding.pieces for item in located if item.finding.pieces}:
        texts = [by_span[span].finding.text for span in pieces if span in by_span]
        if len(texts) > 1:
            wholes[pieces] = join_pieces(texts)
    return [replace(item, whole=wholes.get(item.finding.pieces, "")) for item in located]


def join_pieces(texts: Sequence[str]) -> str:
    """The statement a cue split, whole: the pieces in order, the cue left out ("We are not
    closing libraries," + "we are changing when they open." is "We are not closing
    libraries, we are changing when they open.")."""
    return " ".join(text.strip() for text in texts if text.strip())


def _delete_versions(article: Article) -> set[int]:
    """Delete the article's versions; the ids of the families they were in."""
    family_ids = set(article.versions.order_by().values_list("family_id", flat=True))
    if family_ids:  # none on an article's first extraction
        article.versions.all().delete()
    return family_ids


def _orphans(family_ids: set[int]) -> set[int]:
    """Families that only this article carried: they stay if the re-run's
    statements join them again (see ``FamilyStore``), else they are retired;
    never those an editor's correction points at or whose primary source an
    editor attached."""
    if not family_ids:
        return set()
    kept = Correction.objects.filter(family_id__in=family_ids).values("family_id")
    sourced = PrimarySource.objects.filter(family_id__in=family_ids).values("family_id")
    orphans = Family.objects.filter(pk__in=family_ids).exclude(pk__in=kept).exclude(pk__in=sourced)
    return set(orphans.annotate(n=Count("versions")).filter(n=0).values_list("pk", flat=True))


class _Corrections:
    """The editors' decisions a write applies: those about this article's spans,
    and those about a statement (``Correction.fingerprint``) whose words it prints,
    made where another outlet, or an earlier upload, printed them."""

    def __init__(self, article: Article, located: list[_Located]) -> None:
        self.by_span: dict[tuple[bool, int, int], dict[str, Correction]] = {}
        self.by_print: dict[str, dict[str, Correction]] = {}
        prints = {Correction.statement_print(item.finding.text) for item in located} - {""}
        about_statements = Q(
            fingerprint__in=prints, action__in=[Correction.Action.SPEAKER, Correction.Action.NOT_A_QUOTE]
        )
        rows = (
            Correction.objects.filter(Q(article=article) | about_statements)
            .select_related("speaker", "family")
            .order_by("created_at", "pk")  # the latest decision about a statement counts
        )
        for correction in rows:
            if correction.article_id == article.pk:
                span = (correction.in_title, correction.start, correction.end)
                self.by_span.setdefault(span, {})[correction.action] = correction
            if correction.fingerprint in prints and correction.action != Correction.Action.FAMILY:
                self.by_print.setdefault(correction.fingerprint, {})[correction.action] = correction

    def of(self, item: _Located) -> dict[str, Correction]:
        """The decisions about one version: its span's own, else its statement's."""
        found = self.by_print.get(Correction.statement_print(item.finding.text), {})
        return {**found, **self.by_span.get((item.in_title, item.start, item.end), {})}
