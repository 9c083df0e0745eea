"""Import articles: ``manage.py import_articles SOURCE... [options]``.

A source is a text, Markdown or HTML file, a folder of them, a JSON-lines file
(one article per line) or a web address.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DataError
from django.utils import timezone
from tqdm import tqdm

from quotes import tasks, webpages
from quotes.ingest import (
    HTML_SUFFIXES,
    TEXT_SUFFIXES,
    ArticleDraft,
    Ingested,
    article_at_url,
    check_upload_size,
    decode_upload,
    extraction_in_chunks,
    fetch_web_page,
    ingest_draft,
    is_supported_language,
    title_from_text,
    upload_limit_mb,
)

MANIFEST_NAME = "manifest.json"
# Articles sent to a worker together: parsed in one batched pass.
EXTRACTION_CHUNK = 8
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")
# Markdown is left out of folders: a folder's README is not an article.
FOLDER_SUFFIXES = (".txt", ".text", *HTML_SUFFIXES, *JSON_LINES_SUFFIXES)


class ImportProblem(ValueError):
    """Why one source could not be imported, in words for the summary."""


@dataclass(frozen=True)
class _Source:
    label: str
    load: Callable[[], ArticleDraft]
    url: str = ""  # known before loading: a stored URL is not fetched again


@dataclass(frozen=True)
class _JsonLinesFile:
    """A JSON-lines file, read a line at a time as it is imported: it may be far
    larger than memory should hold."""

    path: Path


class Command(BaseCommand):
    help = (
        "Import articles from text (.txt, .md), HTML (.html, .htm) and JSON-lines (.jsonl: one "
        '{"text", "title", "outlet", "published", "url"} object a line; a line with a url and no '
        "text is fetched) files, folders of them, or web addresses. A manifest (JSON: "
        '{"articles": [{"file", "outlet", "title", "published", "url"}]}) gives each '
        "file's metadata; a folder's own manifest.json is used when present. Otherwise a text "
        "file's title is its first line, an HTML page's metadata is read from it, and "
        "--outlet/--published fill what is still missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files, folders or http(s):// addresses.")
        parser.add_argument("--manifest", help="JSON file with outlet, title and date per file.")
        parser.add_argument("--outlet", help="Outlet of sources that do not say which it is.")
        parser.add_argument("--published", type=date.fromisoformat, help="Publication date, YYYY-MM-DD.")
        parser.add_argument("--sync", action="store_true", help="Extract quotes now, in this process.")

    def handle(self, *args, **options):
        paths = options["paths"]
        if options["published"] and options["published"] > timezone.localdate():
            raise CommandError("--published is in the future.")
        self.options = options
        manifest = _read_manifest(Path(options["manifest"])) if options["manifest"] else {}
        sources = self._sources(paths, manifest)
        # A JSON-lines file is read once, as it is imported (it may be a pipe): the bar's
        # total counts it as one article, then as many as its lines so far and, of a file,
        # as the rest of it holds lines as long.
        self._expected = [1] * len(sources)
        several = len(sources) > 1 or any(isinstance(s, _JsonLinesFile) for s in sources)
        failures: list[tuple[str, str]] = []
        progress_stream = getattr(self.stderr, "_out", sys.stderr)
        with tqdm(
            total=len(sources),
            unit="article",
            file=progress_stream,
            # Drawn on a terminal only, for more than one source, and not when asked to be quiet.
            disable=None if several and options["verbosity"] > 0 else True,
        ) as bar:
            self._bar = bar
            with extraction_in_chunks(EXTRACTION_CHUNK):
                imported, duplicates = self._import_all(sources, failures)
        self.stdout.write(f"Imported {imported}, already there {duplicates}, failed {len(failures)}.")
        if failures:
            self.stderr.write("Failed:")
            for label, reason in failures:
                self.stderr.write(f"  {label}: {reason}")
            total = imported + duplicates + len(failures)
            raise CommandError(f"{len(failures)} of {total} sources could not be imported.")

    def _each_source(self, sources: list[_Source | _JsonLinesFile]) -> Iterator[_Source]:
        for index, source in enumerate(sources):
            if isinstance(source, _JsonLinesFile):
                yield from self._json_lines_sources(source.path, index)
            else:
                yield source

    def _expect(self, index: int, articles: int) -> None:
        """Source ``index`` now looks like ``articles`` articles: the bar's total follows."""
        self._bar.total += articles - self._expected[index]
        self._expected[index] = articles

    def _import_all(
        self, sources: list[_Source | _JsonLinesFile], failures: list[tuple[str, str]]
    ) -> tuple[int, int]:
        imported = duplicates = 0
        for source in self._each_source(sources):
            try:
                result = self._import(source)
            # DataError: a value the database refuses to store is that source's failure alone.
            except (OSError, ValueError, ValidationError, webpages.PageError, DataError) as exc:
                failures.append((source.label, _reason(exc)))
                self._say(f"{source.label}: failed: {_reason(exc)}", error=True)
            else:
                if result.created:
                    imported += 1
                    self._say(f"{source.label}: article {result.article.pk}{self._extract(result)}")
                else:
                    duplicates += 1
                    self._say(f"{source.label}: already imported as article {result.article.pk}")
            self._bar.update()
        return imported, duplicates

    def _say(self, message: str, error: bool = False) -> None:
        if self.options["verbosity"] < 1:
            return
        stream = self.stderr if error else self.stdout
        if self._bar.disable:
            stream.write(message)
        else:
            tqdm.write(message, file=getattr(stream, "_out", sys.stdout))

    def _import(self, source: _Source) -> Ingested:
        existing = article_at_url(source.url)
        if existing is not None:
            return Ingested(existing, created=False)
        draft = source.load()
        if draft.published and draft.published > timezone.localdate():
            raise ImportProblem(f"the publication date {draft.published} is in the future")
        if not draft.outlet:
            raise ImportProblem("no outlet: give --outlet or list the file in a manifest")
        return ingest_draft(draft, enqueue=not self.options["sync"])

    def _extract(self, result: Ingested) -> str:
        if not is_supported_language(result.article.language):
            return f", in language '{result.article.language}': quotes are extracted from English only"
        if not self.options["sync"]:
            return ", queued for extraction"
        tasks.extract_in_this_process(result.article.pk)
        article = result.article
        article.refresh_from_db()
        if article.status == article.Status.FAILED:
            return f", not extracted: {article.error}"
        return f", {article.versions.count()} quotes"

    def _sources(self, paths: tuple[str, ...], manifest: dict[str, dict]) -> list[_Source | _JsonLinesFile]:
        sources: list[_Source | _JsonLinesFile] = []
        for raw in paths:
            if webpages.is_web_url(raw):
                sources.append(self._url_source(raw, raw, {}))
                continue
            path = Path(raw)
            if path.is_dir():
                if not self.options["manifest"] and (path / MANIFEST_NAME).exists():
                    manifest.update(_read_manifest(path / MANIFEST_NAME))
                files = sorted(p for p in path.iterdir() if p.suffix.lower() in FOLDER_SUFFIXES)
            else:
                files = [path]
            for file in files:
                if file.suffix.lower() in JSON_LINES_SUFFIXES:
                    sources.append(_JsonLinesFile(file))
                else:
                    entry = manifest.get(file.name, {})
                    sources.append(_Source(str(file), _bind(self._file_draft, file, entry)))
        return sources

    def _url_source(self, label: str, url: str, entry: dict) -> _Source:
        return _Source(label, _bind(self._url_draft, url, entry), url=url)

    def _json_lines_sources(self, path: Path, index: int) -> Iterator[_Source]:
        """Each line of a JSON-lines file as a source, read when it comes to be imported:
        the file is read once, a line at a time, so it may be a pipe or larger than memory."""
        try:
            file = path.open("rb")
            size = os.fstat(file.fileno()).st_size  # 0 for a pipe: its length is not known
        except OSError as exc:
            yield _Source(str(path), _bind(_raise, ImportProblem(f"cannot be read ({exc})")))
            return
        lines = 0
        with file:
            for lines, line in enumerate(_lines_within(file, settings.MAX_UPLOAD_BYTES), start=1):
                label = f"{path}:{lines}"
                read = file.tell() if size else 0  # a pipe cannot tell
                self._expect(index, lines + (round((size - read) * lines / read) if size > read else 0))
                if line is None:
                    problem = ImportProblem(f"the line is larger than the {upload_limit_mb()} MB limit")
                    yield _Source(label, _bind(_raise, problem))
                elif line.strip():
                    yield self._json_line_source(label, line)
                else:
                    self._bar.update()  # a blank line: no article, but one of the lines counted
        self._expect(index, lines)

    def _json_line_source(self, label: str, line: bytes) -> _Source:
        try:
            entry = json.loads(line)  # UTF-8; a byte that is not is a ValueError too
            if not isinstance(entry, dict):
                raise ValueError("not a JSON object")
        except ValueError as exc:
            return _Source(label, _bind(_raise, ImportProblem(f"not a JSON object ({exc})")))
        url = entry.get("url") or ""
        if not (entry.get("text") or "").strip() and url:
            return self._url_source(label, url, entry)
        return _Source(label, _bind(self._entry_draft, label, entry), url=url)

    def _file_draft(self, path: Path, entry: dict) -> ArticleDraft:
        suffix = path.suffix.lower()
        if suffix not in TEXT_SUFFIXES + HTML_SUFFIXES:
            raise ImportProblem(f"not a .txt, .md, .html or .jsonl file ({suffix or 'no extension'})")
        check_upload_size(path.stat().st_size)  # before reading it all into memory
        data = path.read_bytes()
        if not data.strip():
            raise ImportProblem("the file is empty")
        if suffix in HTML_SUFFIXES:
            return self._page_draft(str(path), webpages.read_page(data, entry.get("url") or ""), entry)
        text = decode_upload(data)
        if not text.strip():
            raise ImportProblem("the file has no text")
        return self._entry_draft(str(path), {**entry, "text": text})

    def _url_draft(self, url: str, entry: dict) -> ArticleDraft:
        return self._page_draft(url, fetch_web_page(url), entry)

    def _page_draft(self, label: str, page: webpages.PageArticle, entry: dict) -> ArticleDraft:
        # A manifest or JSON line is someone's deliberate statement; the page's
        # own metadata comes next, the command-line defaults last.
        return ArticleDraft(
            origin=label,
            outlet=entry.get("outlet") or page.outlet or self.options["outlet"] or "",
            title=entry.get("title") or page.title or title_from_text(page.text),
            text=page.text,
            published=_entry_date(entry) or page.published or self.options["published"],
            url=entry.get("url") or page.url,
            author=entry.get("author") or page.author,
            outlet_domain=webpages.domain_of(page.url),
        )

    def _entry_draft(self, label: str, entry: dict) -> ArticleDraft:
        text = entry.get("text") or ""
        if not isinstance(text, str) or not text.strip():
            raise ImportProblem("no text")
        url = entry.get("url") or ""
        return ArticleDraft(
            origin=label,
            outlet=entry.get("outlet") or self.options["outlet"] or "",
            title=entry.get("title") or title_from_text(text),
            text=text,
            published=_entry_date(entry) or self.options["published"],
            url=url,
            author=entry.get("author") or "",
            outlet_domain=webpages.domain_of(url),
        )


def _lines_within(file, limit: int) -> Iterator[bytes | None]:
    """Each line of a binary file, None for one longer than ``limit`` bytes (read
    past, never held whole): the upload limit, applied to each article of the file."""
    while line := file.readline(limit + 1):
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        while (rest := file.readline(limit + 1)) and not rest.endswith(b"\n"):
            pass
        yield None


def _entry_date(entry: dict) -> date | None:
    value = entry.get("published")
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise ImportProblem(f"the publication date {value!r} is not a YYYY-MM-DD date") from exc


def _bind(function: Callable, *args) -> Callable[[], ArticleDraft]:
    return lambda: function(*args)


def _raise(problem: Exception) -> ArticleDraft:
    raise problem


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or type(exc).__name__


def _read_manifest(path: Path) -> dict[str, dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {entry["file"]: entry for entry in data["articles"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CommandError(f"{path}: not a readable manifest ({exc})") from exc
