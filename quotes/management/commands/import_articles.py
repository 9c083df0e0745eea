"""Import article files or folders: ``manage.py import_articles PATH... [options]``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quotes import pipeline
from quotes.forms import decode_upload
from quotes.ingest import ingest_article

MANIFEST_NAME = "manifest.json"


class Command(BaseCommand):
    help = (
        "Import articles from text files or folders of them. A manifest (JSON: "
        '{"articles": [{"file", "outlet", "title", "published", "url"}]}) gives each '
        "file's metadata; a folder's own manifest.json is used when present. Without one "
        "the title is the first line and --outlet/--published apply."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files or folders of .txt files.")
        parser.add_argument("--manifest", help="JSON file with outlet, title and date per file.")
        parser.add_argument("--outlet", help="Outlet of files the manifest does not list.")
        parser.add_argument("--published", type=date.fromisoformat, help="Publication date, YYYY-MM-DD.")
        parser.add_argument("--sync", action="store_true", help="Extract quotes now, in this process.")

    def handle(self, *paths, **options):
        manifest = _read_manifest(Path(options["manifest"])) if options["manifest"] else {}
        files = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                if not options["manifest"] and (path / MANIFEST_NAME).exists():
                    manifest.update(_read_manifest(path / MANIFEST_NAME))
                files += sorted(p for p in path.iterdir() if p.suffix.lower() == ".txt")
            else:
                files.append(path)
        imported = duplicates = failed = 0
        for path in files:
            try:
                entry = manifest.get(path.name, {})
                result = self._import_file(path, entry, options)
            except (OSError, ValueError, CommandError) as exc:
                failed += 1
                self.stderr.write(f"{path}: failed: {exc}")
                continue
            if not result.created:
                duplicates += 1
                self.stdout.write(f"{path}: already imported as article {result.article.pk}")
                continue
            imported += 1
            if options["sync"]:
                article = pipeline.process_article(result.article.pk)
                found = f", {article.occurrences.count()} quotes"
            else:
                found = ", queued for extraction"
            self.stdout.write(f"{path}: article {result.article.pk}{found}")
        self.stdout.write(f"Imported {imported}, already there {duplicates}, failed {failed}.")
        if failed:
            raise CommandError(f"{failed} of {len(files)} files could not be imported.")

    def _import_file(self, path: Path, entry: dict, options: dict):
        if path.stat().st_size == 0:
            raise ValueError("the file is empty")
        try:
            text = decode_upload(path.read_bytes())
        except Exception as exc:  # a form ValidationError says why in words
            raise ValueError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        if not text.strip():
            raise ValueError("the file has no text")
        outlet = entry.get("outlet") or options["outlet"]
        if not outlet:
            raise ValueError("no outlet: give --outlet or list the file in a manifest")
        title = entry.get("title") or text.strip().splitlines()[0].strip()
        published = entry.get("published")
        published = date.fromisoformat(published) if published else options["published"]
        return ingest_article(
            outlet=outlet,
            title=title,
            text=text,
            published=published,
            url=entry.get("url") or "",
            enqueue=not options["sync"],
        )


def _read_manifest(path: Path) -> dict[str, dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {entry["file"]: entry for entry in data["articles"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CommandError(f"{path}: not a readable manifest ({exc})") from exc
