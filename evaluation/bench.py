"""Throughput and latency, side by side with baselines: ``python -m evaluation.bench``.

Prints one JSON object per line::

    {"name", "value", "unit", "baseline", "baseline_value", "ratio"}

``baseline`` names the figure measured beside it in the same run (null where
there is none), so machine noise mostly cancels in ``ratio``. Figures:

- ``extract_articles_per_s`` against ``spacy_parse_articles_per_s`` (a bare
  ``nlp.pipe`` of the same texts with the same model and pipes, the physical
  floor) and ``textacy_quotations_articles_per_s`` (the same parse plus
  textacy's ``direct_quotations``).
- ``ingest_articles_per_s_<n>w``: ``import_articles`` → Celery on Redis →
  PostgreSQL with 1, 2, 4 and 8 worker processes (``--workers``), against
  extraction; ``worker_<part>_ms_per_article_<n>w``, where the workers' time
  went (parse, write, lock wait, idle), each against their whole time: the
  parse runs in a process of its own beside the writes, and ``parse_wait`` is
  the part of it the worker waited for; ``worker_whole_lock_share_<n>w``, the share of the
  writes that took the whole placement lock (a statement with no named
  speaker) rather than their speakers' partitions of it.
- ``ingest_write_ms_per_article`` and ``ingest_queries_per_article``: the
  write alone (``pipeline.save_findings`` after the parse) on a copy of the
  10k database, against the parse (``extract_ms_per_article``), and
  ``ingest_locked_ms_per_article``, the part of it under the placement lock
  (``ingest_whole_lock_share``: the share of the writes under the whole lock);
  ``--profile-write`` prints a pyinstrument profile of it.
- ``web_import_s``: importing the WSGI app and its URLconf in a new process
  (the web process never loads spaCy).
- ``match_ms_p50_<size>`` / ``match_ms_p99_<size>``: placing one new
  version in its family (``families.store.place``, rolled back) with
  10k, 100k and 1M stored quote families; ``match_buffers_p50_<size>`` and
  ``_mean_``, the PostgreSQL buffers one placement touched (``EXPLAIN (ANALYZE, BUFFERS)`` of
  each of its statements, by ``auto_explain``), which the machine's load does
  not move (the heaviest queries' shares on stderr); ``match_prepared_p50_<size>`` and
  ``_mean_``, the texts one placement prepared for comparison (its own and its candidates'
  that no earlier placement had), ``match_prepared_from_stored_mean_<size>``, those of its
  candidates prepared from the normalized text stored with them instead, and
  ``fold_us_per_text`` / ``fold_stored_us_per_text``, what preparing one costs either way.
- ``search_ms_p50_1m`` / ``_p95_1m``, ``speaker_page_ms_…``, ``outlet_timeline_ms_…``:
  the pages through Django's test client on the largest database, and
  ``…_heaviest_query_ms_p50_1m`` / ``_p95_1m``: the query shape that took
  the most time over all of a page's requests (its SQL on stderr).
- ``worker_peak_rss_mb``: peak resident memory of a worker process, its parse
  process's added.
- ``poll_items_per_s``: one poll of a loopback RSS feed of 500 new items
  (``polling.poll_source`` as a worker runs it, no politeness delay): the
  feed and every page fetched, read and stored, extraction queued; against
  extraction, what a worker does with each article afterwards.

All data is generated: articles from the seeds and, when present, the PolNeAR
texts in ``../shared/eval/`` (read at run time, never copied here), and one
PostgreSQL database per size (``quotewise_bench_10k`` …), bulk-loaded with
COPY and kept between runs while its data version and migrations match.
It never touches the app's own database: ``DATABASE_URL`` and
``CELERY_BROKER_URL`` are replaced (Redis database 12 by default).

    python -m evaluation.bench [--quick] [--sizes 10k,100k,1m] [--rebuild] [--profile-write]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import json
import logging
import math
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from quotes.words import Relation

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "quotes" / "seeds"
POLNEAR = REPO.parent / "shared" / "eval" / "polnear-train.jsonl"
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "quotewise_bench")
BROKER = os.environ.get("BENCH_BROKER", "redis://127.0.0.1:6379/12")
# Bump when the generated data changes shape: cached databases are rebuilt. 3: the keys' first
# sighting and speaker in the generated rows, no longer filled by an UPDATE after the load (which
# rewrote every key row in its join's order, scattering a family's postings over the table).
DATA_VERSION = "3"
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
SPEAKERS = 20_000
OUTLETS = 60
START = date(2016, 1, 4)
DAYS = 3_000

log_stream = sys.stderr


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=log_stream, flush=True)


def emit(
    name: str, value: float, unit: str, baseline: str | None = None, baseline_value: float | None = None
):
    ratio = round(value / baseline_value, 3) if baseline_value else None
    row = {
        "name": name,
        "value": round(value, 3),
        "unit": unit,
        "baseline": baseline,
        "baseline_value": None if baseline_value is None else round(baseline_value, 3),
        "ratio": ratio,
    }
    print(json.dumps(row), flush=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))
    return ordered[index]


# --------------------------------------------------------------------------
# Source texts and synthetic articles
# --------------------------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


@dataclass
class Sources:
    articles: list[tuple[str, list[str]]]  # (title, paragraphs): PolNeAR when present, else seeds
    seeds: list[tuple[str, list[str]]]
    sentences: list[str] = field(default_factory=list)


def load_sources() -> Sources:
    manifest = json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))
    seeds = []
    for entry in manifest["articles"]:
        text = (SEEDS / entry["file"]).read_text(encoding="utf-8")
        seeds.append((entry["title"], _paragraphs(text)))
    articles = []
    if POLNEAR.exists():
        with POLNEAR.open(encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                paragraphs = _paragraphs(record.get("text") or "")
                if len(paragraphs) >= 3:
                    articles.append((record.get("title") or paragraphs[0][:120], paragraphs))
    else:
        say(f"{POLNEAR} is absent: the articles are built from the seeds alone")
    sources = Sources(articles or seeds, seeds)
    sentence_end = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")
    for _, paragraphs in sources.articles + seeds:
        for paragraph in paragraphs:
            for sentence in sentence_end.split(paragraph):
                if 40 <= len(sentence) <= 320 and sentence.count(" ") >= 6:
                    sources.sentences.append(sentence.strip("“”\"' "))
    return sources


def build_articles(sources: Sources, count: int, seed: int) -> list[dict]:
    """News-sized articles: a real article's opening (PolNeAR) of a typical
    length, with one or two quote-rich paragraphs from another outlet's story
    of the same event (the seeds) spliced in, so families form across outlets."""
    rng = random.Random(seed)
    outlets = [f"Bench Outlet {n}" for n in range(1, 13)]
    articles = []
    for number in range(count):
        title, paragraphs = sources.articles[rng.randrange(len(sources.articles))]
        target = rng.choice([1500, 2500, 3500, 3500, 4500, 6000])
        body, size = [], 0
        for paragraph in paragraphs[1:] if paragraphs[0] == title else paragraphs:
            body.append(paragraph)
            size += len(paragraph)
            if size >= target:
                break
        _, seed_paragraphs = sources.seeds[rng.randrange(len(sources.seeds))]
        quoted = [p for p in seed_paragraphs if "“" in p or '"' in p] or seed_paragraphs
        for paragraph in rng.sample(quoted, min(len(quoted), rng.choice([1, 2]))):
            body.insert(rng.randrange(1, len(body) + 1), paragraph)
        articles.append(
            {
                "title": f"{title} ({number})",
                "text": "\n\n".join(body),
                "outlet": outlets[number % len(outlets)],
                "published": (START + timedelta(days=number % 45)).isoformat(),
            }
        )
    return articles


# --------------------------------------------------------------------------
# Extraction: ours, the bare parse, textacy
# --------------------------------------------------------------------------


def bench_extraction(texts: list[str], rounds: int) -> tuple[float, float]:
    from textacy.extract.triples import direct_quotations

    from quotes.extraction import extract_many, load_model
    from quotes.extraction.paragraphs import PARAGRAPH_PIPE

    nlp = load_model()

    def bare_parse() -> None:
        # The same loaded model and pipes, without our own component.
        with nlp.select_pipes(disable=[PARAGRAPH_PIPE]):
            for _ in nlp.pipe(texts, batch_size=16):
                pass

    def ours() -> None:
        for _ in extract_many(texts, nlp=nlp):
            pass

    def textacy() -> None:
        with nlp.select_pipes(disable=[PARAGRAPH_PIPE]):
            for doc in nlp.pipe(texts, batch_size=16):
                # Unbalanced quote marks: textacy gives up on the text.
                with contextlib.suppress(ValueError):
                    list(direct_quotations(doc))

    for _ in extract_many(texts[:4], nlp=nlp):  # warm: first calls allocate and fill caches
        pass
    for _ in nlp.pipe(texts[:4]):
        pass
    best = {"parse": math.inf, "ours": math.inf, "textacy": math.inf}
    cpu = {"parse": math.inf, "ours": math.inf, "textacy": math.inf}
    # Interleaved rounds, best of each: the three see the same machine load.
    # CPU seconds too: on a shared machine they hardly move with other load.
    for _ in range(rounds):
        for label, run in (("parse", bare_parse), ("ours", ours), ("textacy", textacy)):
            started, started_cpu = time.perf_counter(), time.process_time()
            run()
            best[label] = min(best[label], time.perf_counter() - started)
            cpu[label] = min(cpu[label], time.process_time() - started_cpu)
    n = len(texts)
    parse_rate, ours_rate, textacy_rate = (n / best[k] for k in ("parse", "ours", "textacy"))
    emit("spacy_parse_articles_per_s", parse_rate, "articles/s")
    emit("extract_articles_per_s", ours_rate, "articles/s", "spacy_parse_articles_per_s", parse_rate)
    emit(
        "textacy_quotations_articles_per_s",
        textacy_rate,
        "articles/s",
        "spacy_parse_articles_per_s",
        parse_rate,
    )
    emit("extract_vs_textacy", ours_rate, "articles/s", "textacy_quotations_articles_per_s", textacy_rate)
    parse_cpu, ours_cpu = n / cpu["parse"], n / cpu["ours"]
    emit("spacy_parse_articles_per_cpu_s", parse_cpu, "articles/cpu-s")
    emit(
        "extract_articles_per_cpu_s", ours_cpu, "articles/cpu-s", "spacy_parse_articles_per_cpu_s", parse_cpu
    )
    return ours_rate, ours_cpu


# --------------------------------------------------------------------------
# Databases
# --------------------------------------------------------------------------


def _server(dbname: str = "postgres"):
    import psycopg

    return psycopg.connect(f"{SERVER}/{dbname}", autocommit=True)


def use_database(name: str) -> None:
    from django.db import connections

    connection = connections["default"]
    connection.close()
    connection.settings_dict["NAME"] = name


def read_into_memory() -> None:
    """Read the current database's quote tables and indexes into memory (pg_prewarm).

    Latency is measured as on a server whose working set fits in RAM. Without
    this, the first figures after the ingest runs (or after the machine has
    reclaimed its page cache) time disk reads instead of the queries.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        cursor.execute(
            "SELECT pg_prewarm(c.oid::regclass, 'read') FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relname LIKE 'quotes\\_%%' AND c.relkind IN ('r', 'i')"
        )


def _leaf_migrations() -> str:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return ",".join(sorted(f"{app}.{name}" for app, name in loader.graph.leaf_nodes()))


def _stamp(size: int) -> str:
    return f"data={DATA_VERSION};size={size};schema={_leaf_migrations()}"


def _cached(name: str, stamp: str) -> str:
    """ "fresh", "migrate" (same data, older schema: new migrations are
    applied in place, as in production) or "missing"."""
    import psycopg

    try:
        with _server(name) as conn:
            row = conn.execute("SELECT stamp FROM bench_meta").fetchone()
    except psycopg.Error:
        return "missing"
    if row and row[0] == stamp:
        return "fresh"
    if row and row[0].split(";schema=")[0] == stamp.split(";schema=")[0]:
        return "migrate"
    return "missing"


def _migrate_in_place(name: str, stamp: str) -> None:
    from django.core.management import call_command

    use_database(name)
    call_command("migrate", verbosity=0, interactive=False)
    use_database(name)
    with _server(name) as conn:
        conn.execute("VACUUM ANALYZE")
        conn.execute("UPDATE bench_meta SET stamp = %s", [stamp])


def recreate_database(name: str, template: str | None = None) -> None:
    from django.db import connections

    connections["default"].close()
    with _server() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


# --------------------------------------------------------------------------
# Generated database contents
# --------------------------------------------------------------------------

_FIRST = (  # noqa: SIM905 - a list of names reads better as one string
    "Anna Ben Carla David Elena Frank Grace Hassan Ines James Kofi Laura Mateo Nadia Omar Priya Quentin "
    "Rosa Samuel Tara Umar Vera William Xavier Yara Zoe Ahmed Bianca Chen Dmitri Emma Fatima Gustavo Hana "
    "Igor Julia Kenji Lena Marco Nora Olga Pablo Rahul Sofia Tomas Ursula Viktor Wen Yusuf Zara"
).split()
_LAST = (  # noqa: SIM905
    "Abbott Baker Castillo Dubois Eriksen Fischer Garcia Hoffmann Ivanova Jensen Kowalski Larsen Moreau "
    "Nakamura Okafor Petrov Quinn Rossi Schmidt Tanaka Ueda Vargas Walsh Xu Yilmaz Zimmermann Almeida "
    "Bergstrom Costa Delgado Esposito Fontaine Gallagher Horvat Iqbal Jovanovic Keller Lindqvist Mendes "
    "Novak Oliveira Popescu Quispe Romano Santos Thorsen Urban Visser Wagner Young Zhou Adeyemi Brennan "
    "Chowdhury Dalton Eklund Ferreira Grant Hughes Ibarra Juarez Kaur Lopez Murphy Nguyen Ortiz Park"
).split()

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _field(value) -> str:
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    return str(value).translate(_COPY_ESCAPES)


class _TableFile:
    """COPY text rows for one table, with the byte offset of each size's cut."""

    def __init__(self, directory: Path, table: str, columns: tuple[str, ...], defaults: tuple = ()):
        self.table, self.columns = table, columns
        # Written after the given values on every row: the model's defaults of
        # the columns the bench does not choose (``_table``).
        self.suffix = "".join("\t" + _field(v) for v in defaults)
        self.path = directory / f"{table}.tsv"
        self.handle = self.path.open("w", encoding="utf-8", newline="\n")
        self.cuts: dict[int, int] = {}

    def write(self, *values) -> None:
        self.handle.write("\t".join(_field(v) for v in values) + self.suffix + "\n")

    def write_row(self, row: str) -> None:
        """A row formatted elsewhere (``_quote_rows``), without its line end."""
        self.handle.write(row + self.suffix + "\n")

    def cut(self, size: int) -> None:
        self.handle.flush()
        self.cuts[size] = self.handle.tell()

    def close(self) -> None:
        self.handle.close()


_STAMP = "2024-01-01 00:00:00+00"


def _quote_rows(batch: list[tuple[int, str, int | None, str]]) -> list[tuple[int, str, str]]:
    """COPY rows of each quote and of its index keys (runs in a pool process)."""
    from quotes.families.folding import fingerprint_of_normalized, normalize
    from quotes.families.keys import shingle_keys

    rows = []
    for family_id, text, speaker, first_seen in batch:
        normalized = normalize(text)
        quote_row = "\t".join(
            [str(family_id), _field(text), _field(speaker), fingerprint_of_normalized(normalized),
             _field(normalized), first_seen, _STAMP]
        )  # fmt: skip
        # Each key with its family's first sighting and speaker (``quotes.models.FamilyKey``),
        # written beside the family's row, as the pipeline writes them.
        keys = "".join(f"{key}\t{family_id}\t{first_seen}\t{_field(speaker)}\n" for key in shingle_keys(text))
        rows.append((family_id, quote_row, keys))
    return rows


def _write_article(tables: dict, article_id: int, outlet: int, published: date, items, names, stamp) -> None:
    from quotes.models import Article, content_hash
    from quotes.words import Kind

    paragraphs, rows, cursor = [], [], 0
    for family_id, speaker, text, relation in items:
        who = names[speaker - 1] if speaker else "an official"
        start = cursor + 1  # after the opening quote mark
        paragraphs.append(f"\u201c{text}\u201d said {who}.")
        rows.append((family_id, speaker, text, start, start + len(text), relation, who))
        cursor += len(paragraphs[-1]) + 2
    body = "\n\n".join(paragraphs)
    title = f"Report {article_id}: {items[0][2][:80]}"
    url = f"https://outlet{outlet}.example/{article_id}"
    tables["article"].write(
        article_id,
        outlet,
        title,
        "",
        url,
        published,
        body,
        content_hash(body),
        "en",
        Article.Status.DONE,
        "",
        stamp,
        stamp,
        stamp,
    )
    for family_id, speaker, text, start, end, relation, who in rows:
        tables["occurrence"].write(
            article_id, family_id, speaker, text, start, end, False, Kind.DIRECT, "said", who, 0.9, relation
        )


def _mutate(rng: random.Random, sentence: str, vocabulary: list[str]) -> str:
    """A new quote from a real sentence: a few words swapped, or two halves joined."""
    words = sentence.split()
    roll = rng.random()
    if roll < 0.2:
        return sentence
    if roll < 0.4:
        words.insert(rng.randrange(len(words)), rng.choice(vocabulary))
    for _ in range(rng.randint(1, 3)):
        words[rng.randrange(len(words))] = rng.choice(vocabulary)
    return " ".join(words)


def _table(directory: Path, model, fields: tuple[str, ...]) -> _TableFile:
    """The COPY file of ``model``'s table: the columns of ``fields``, in that order, then
    every other column that cannot be NULL, with the model's default (a timestamp for
    one set on save). Names and defaults come from the model, so a renamed or a new
    column follows by itself."""
    from django.db import models

    meta = model._meta
    written = [meta.get_field(name) for name in fields]
    rest = [f for f in meta.concrete_fields if f not in written and not f.primary_key and not f.null]
    defaults = tuple(
        _STAMP if isinstance(f, models.DateTimeField) and f.get_default() is None else f.get_default()
        for f in rest
    )
    columns = tuple(f.column for f in written + rest)
    return _TableFile(directory, meta.db_table, columns, defaults)


def _open_tables(directory: Path) -> dict[str, _TableFile]:
    """The tables the bench fills, each with the fields it writes (the rest keep their defaults)."""
    from quotes.models import Article, Family, FamilyKey, Outlet, Speaker, SpeakerAlias, Version

    article_fields = ("id", "outlet", "title", "author", "url", "published", "text", "content_hash")
    article_fields += ("language", "status", "error", "created_at", "updated_at", "extracted_at")
    version_fields = ("article", "family", "speaker", "text", "start", "end", "in_title", "kind", "cue")
    version_fields += ("speaker_mention", "confidence", "relation")
    quote_fields = ("id", "text", "speaker", "fingerprint", "normalized", "first_seen", "created_at")
    return {
        "outlet": _table(directory, Outlet, ("id", "name", "slug", "domain")),
        "speaker": _table(directory, Speaker, ("id", "name", "slug", "type", "created_at")),
        "alias": _table(directory, SpeakerAlias, ("speaker", "name", "normalized")),
        "article": _table(directory, Article, article_fields),
        "quote": _table(directory, Family, quote_fields),
        "key": _table(directory, FamilyKey, ("key", "family", "first_seen", "family_speaker_id")),
        "occurrence": _table(directory, Version, version_fields),
    }


def _write_outlets_and_speakers(tables: dict[str, _TableFile], sizes: list[int]) -> list[str]:
    """Every outlet and speaker (with two aliases each), in every size; the speakers' names."""
    from quotes.models import normalize_name
    from quotes.words import SpeakerType

    for number in range(1, OUTLETS + 1):
        tables["outlet"].write(number, f"Outlet {number}", f"outlet-{number}", f"outlet{number}.example")
    names = []
    for number in range(1, SPEAKERS + 1):
        name = f"{_FIRST[number % len(_FIRST)]} {_LAST[(number // len(_FIRST)) % len(_LAST)]}"
        if number > len(_FIRST) * len(_LAST):
            name += f" {chr(65 + number % 26)}."
        names.append(name)
        kind = SpeakerType.ORGANISATION if number % 17 == 0 else SpeakerType.PERSON
        tables["speaker"].write(number, name, f"speaker-{number}", kind, _STAMP)
        tables["alias"].write(number, name, normalize_name(name))
        tables["alias"].write(
            number, name.split()[-1] + f" {number}", normalize_name(name.split()[-1]) + f" {number}"
        )
    for name in ("outlet", "speaker", "alias"):
        for size in sizes:
            tables[name].cut(size)
    return names


class _Corpus:
    """The articles and their versions, written as they are drawn; the new quotes
    they carry are handed on in batches (``batches``) for their families' rows."""

    def __init__(self, tables: dict[str, _TableFile], sources: Sources, names: list[str], rng: random.Random):
        self.tables, self.sources, self.names, self.rng = tables, sources, names, rng
        self.texts: list[str] = []
        self.speakers: list[int | None] = []
        self.cuts: dict[int, int] = {}  # size -> the last quote id within it
        # Zipf-like: the busiest speaker has ~3% of the quotes (a head of state),
        # the busiest outlet ~8% of the articles.
        self.speaker_weights = list(itertools.accumulate(1 / rank**0.8 for rank in range(1, SPEAKERS + 1)))
        self.outlet_weights = list(itertools.accumulate(1 / rank**0.7 for rank in range(1, OUTLETS + 1)))
        self.vocabulary = sorted(
            {w for s in sources.sentences[:4000] for w in s.split() if w.isalpha() and len(w) > 3}
        )

    def batches(self, largest: int, sizes: list[int]) -> Iterator[list[tuple[int, str, int | None, str]]]:
        rng = self.rng
        pending_sizes, batch, article_id = sorted(sizes), [], 0
        while len(self.texts) < largest:
            article_id += 1
            outlet = rng.choices(range(1, OUTLETS + 1), cum_weights=self.outlet_weights)[0]
            published = START + timedelta(days=int(DAYS * len(self.texts) / largest) + rng.randint(0, 3))
            items = []
            for _ in range(rng.randint(4, 12)):
                speaker = (
                    None
                    if rng.random() < 0.05
                    else rng.choices(range(1, SPEAKERS + 1), cum_weights=self.speaker_weights)[0]
                )
                text = _mutate(rng, rng.choice(self.sources.sentences), self.vocabulary)
                self.texts.append(text)
                self.speakers.append(speaker)
                items.append((len(self.texts), speaker, text, Relation.VERBATIM))
                batch.append((len(self.texts), text, speaker, published.isoformat()))
            items.extend(self._repeats())
            _write_article(self.tables, article_id, outlet, published, items, self.names, _STAMP)
            while pending_sizes and len(self.texts) >= pending_sizes[0]:
                for name in ("article", "occurrence"):
                    self.tables[name].cut(pending_sizes[0])
                self.cuts[pending_sizes.pop(0)] = len(self.texts)
            if len(batch) >= 2_000:
                yield batch
                batch = []
        if batch:
            yield batch

    def _repeats(self) -> list[tuple[int, int | None, str, str]]:
        """A third of the articles carry an earlier quote again (verbatim or a
        fragment), as outlets repeat each other."""
        rng, items = self.rng, []
        if rng.random() < 0.33 and len(self.texts) > 50:
            for _ in range(rng.randint(1, 2)):
                earlier = max(1, len(self.texts) - rng.randint(20, 5000))
                text, speaker = self.texts[earlier - 1], self.speakers[earlier - 1]
                words = text.split()
                if rng.random() < 0.5 and len(words) > 8:
                    start = rng.randrange(len(words) // 2)
                    items.append((earlier, speaker, " ".join(words[start : start + 6]), Relation.FRAGMENT))
                else:
                    items.append((earlier, speaker, text, Relation.VERBATIM))
        return items


def _write_families(tables: dict[str, _TableFile], corpus: _Corpus, largest: int, sizes: list[int]) -> None:
    """Each quote's row and index keys, as the corpus draws them. Fingerprints and keys
    are the costly part: both cores compute them (and format the rows) while this
    process writes the articles."""
    from multiprocessing import get_context

    with get_context("fork").Pool(2) as pool:
        for batch in pool.imap(_quote_rows, corpus.batches(largest, sizes)):
            for family_id, quote_row, key_rows in batch:
                tables["quote"].write_row(quote_row)
                tables["key"].handle.write(key_rows)
                for size in sizes:
                    if corpus.cuts.get(size) == family_id:
                        tables["quote"].cut(size)
                        tables["key"].cut(size)


def generate_data(directory: Path, sources: Sources, largest: int, sizes: list[int], seed: int = 7) -> dict:
    """Write every table as COPY text, in id order, cut after each size in ``sizes``.

    Articles carry 4–12 versions each; a third of them also carry an
    earlier quote again (verbatim or a fragment), as outlets repeat each
    other. Speakers are Zipf-distributed, so a few have thousands of quotes.
    """
    tables = _open_tables(directory)
    names = _write_outlets_and_speakers(tables, sizes)
    _write_families(tables, _Corpus(tables, sources, names, random.Random(seed)), largest, sizes)
    for table in tables.values():
        table.close()
    return {name: (table.path, table.columns, table.table, table.cuts) for name, table in tables.items()}


def load_database(name: str, size: int, files: dict, stamp: str) -> None:
    """Migrate a fresh database, then COPY each table's prefix with its
    constraints and indexes dropped, and rebuild them once at the end."""
    from django.core.management import call_command

    recreate_database(name)
    use_database(name)
    call_command("migrate", verbosity=0, interactive=False)
    from django.db import connections

    connections["default"].close()
    with _server(name) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute("SET synchronous_commit = off")
        from quotes.models import FamilyKey, SpeakerAlias, Version

        tables = [table for _, _, table, _ in files.values()]
        # Other tables' foreign keys hold on to the remaining primary keys.
        keyless = [model._meta.db_table for model in (FamilyKey, Version, SpeakerAlias)]
        constraints = conn.execute(
            "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid::regclass::text = ANY(%s) AND (contype IN ('u', 'f', 'c') "
            "OR contype = 'p' AND conrelid::regclass::text = ANY(%s))",
            [tables, keyless],
        ).fetchall()
        indexes = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [tables],
        ).fetchall()
        order = {"f": 0, "u": 1, "c": 1, "p": 2}
        for table, conname, _kind, _ in sorted(constraints, key=lambda c: order[c[2]]):
            conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{conname}"')
        for index, _ in indexes:
            conn.execute(f'DROP INDEX "{index}"')
        for path, columns, table, cuts in files.values():
            column_list = ", ".join(f'"{c}"' for c in columns)
            remaining = cuts[size]
            statement = f"COPY {table} ({column_list}) FROM STDIN"
            with conn.cursor() as cursor, cursor.copy(statement) as copy, path.open("rb") as handle:
                while remaining > 0:
                    block = handle.read(min(remaining, 8 << 20))
                    if not block:
                        break
                    copy.write(block)
                    remaining -= len(block)
        for table, conname, _kind, definition in sorted(constraints, key=lambda c: -order[c[2]]):
            conn.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{conname}" {definition}')
        for _, definition in indexes:
            conn.execute(definition)
        for table in tables:
            highest = f"(SELECT coalesce(max(id), 0) + 1 FROM {table})"
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {highest}, false)")
        conn.execute("VACUUM ANALYZE")
        conn.execute("CREATE TABLE bench_meta (stamp text)")
        conn.execute("INSERT INTO bench_meta VALUES (%s)", [stamp])


def prepare_databases(labels: list[str], sources: Sources, rebuild: bool) -> None:
    stamps = {label: _stamp(SIZES[label]) for label in labels}
    states = {
        label: "missing" if rebuild else _cached(f"{DB_PREFIX}_{label}", stamps[label]) for label in labels
    }
    for label in [label for label, state in states.items() if state == "migrate"]:
        started = time.perf_counter()
        _migrate_in_place(f"{DB_PREFIX}_{label}", stamps[label])
        say(f"migrated {DB_PREFIX}_{label} to the current schema in {time.perf_counter() - started:.0f} s")
    missing = [label for label, state in states.items() if state == "missing"]
    if not missing:
        say("bench databases are cached: " + ", ".join(f"{DB_PREFIX}_{label}" for label in labels))
        return
    sizes = [SIZES[label] for label in missing]
    with tempfile.TemporaryDirectory(prefix="quotewise-bench-") as directory:
        started = time.perf_counter()
        say(f"generating {max(sizes):,} quote families (once for {', '.join(missing)})")
        files = generate_data(Path(directory), sources, max(sizes), sizes)
        say(f"generated in {time.perf_counter() - started:.0f} s")
        for label in missing:
            started = time.perf_counter()
            load_database(f"{DB_PREFIX}_{label}", SIZES[label], files, stamps[label])
            say(f"loaded {DB_PREFIX}_{label} in {time.perf_counter() - started:.0f} s")


# --------------------------------------------------------------------------
# Matching: placing one new version
# --------------------------------------------------------------------------


def _probes(rng: random.Random, sources: Sources, count: int) -> list[tuple[str, int | None, date]]:
    """New versions as they arrive: half repeat a stored family (verbatim,
    a fragment, a word changed), half are quotes never seen before, dated
    within the days the archive spans (the sizes are prefixes of one archive
    of a steady rate: the 10k archive spans 32 days, the 1M one 3,000; a date
    past the end would be matched against an empty window)."""
    from django.db.models import Max

    from quotes.models import Family

    highest = Family.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last = Family.objects.aggregate(last=Max("first_seen"))["last"] or START + timedelta(days=DAYS)
    span = max(0, min(DAYS, (last - START).days))
    wanted = [rng.randint(1, highest) for _ in range(count)]
    stored = list(Family.objects.filter(pk__in=wanted).values_list("text", "speaker_id", "first_seen"))
    probes = []
    for number in range(count):
        if number % 2 == 0 and stored:
            text, speaker, seen = stored[number % len(stored)]
            words = text.split()
            roll = rng.random()
            if roll < 0.33 and len(words) > 8:
                start = rng.randrange(len(words) // 2)
                text = " ".join(words[start : start + 7])
            elif roll < 0.66:
                words[rng.randrange(len(words))] = rng.choice(words)
                text = " ".join(words)
            probes.append((text, speaker, (seen or START) + timedelta(days=rng.randint(0, 5))))
        else:
            text = rng.choice(sources.sentences) + " " + rng.choice(sources.sentences)
            speaker = rng.randint(1, SPEAKERS) if rng.random() < 0.95 else None
            probes.append((text, speaker, START + timedelta(days=rng.randint(0, DAYS) * span // DAYS)))
    return probes


def bench_folding(sources: Sources, count: int = 2_000, rounds: int = 5) -> None:
    """``fold_us_per_text``: preparing one text for comparison (``folding.tokens``), as
    placement prepares a candidate family's canonical text it has not met before: texts
    of two of the sources' sentences, as the bench's families are; the words' own caches
    warm, as in a running worker. CPU time, the fastest of ``rounds``."""
    from quotes.families import folding, placement

    rng = random.Random(13)
    texts = list(dict.fromkeys(f"{rng.choice(sources.sentences)} {rng.choice(sources.sentences)}"
                               for _ in range(2 * count)))  # fmt: skip
    for text in texts[count:]:
        folding.tokens(text)
    fastest = math.inf
    for _ in range(rounds):
        folding.tokens.cache_clear()
        started = time.process_time()
        for text in texts[:count]:
            folding.tokens(text)
        fastest = min(fastest, time.process_time() - started)
    folding.tokens.cache_clear()
    full = 1e6 * fastest / count
    emit("fold_us_per_text", full, "us")
    # The same texts as a stored family's are prepared: from its stored normalized text,
    # checked against its fingerprint first (``placement.canonical_tokens``).
    stored = [
        placement.FamilyCandidate(0, text, None, None, folding.fingerprint(text), folding.normalize(text))
        for text in texts[:count]
    ]
    fastest = math.inf
    for _ in range(rounds):
        folding.tokens_of_normalized.cache_clear()
        started = time.process_time()
        for candidate in stored:
            placement.canonical_tokens(candidate)
        fastest = min(fastest, time.process_time() - started)
    folding.tokens_of_normalized.cache_clear()
    emit("fold_stored_us_per_text", 1e6 * fastest / count, "us", "fold_us_per_text", full)


def bench_matching(label: str, sources: Sources, count: int) -> None:
    """``match_ms_p50_<size>`` / ``_p99_``, then the same placements again with each
    statement's plan as executed: ``match_buffers_p50_<size>``, the shared buffers one
    placement touched (hits and reads: the work itself, which the machine's load does not
    change), and on stderr each query's mean share of them."""
    from django.db import transaction

    from quotes.families import folding, store
    from quotes.models import Speaker

    use_database(f"{DB_PREFIX}_{label}")
    read_into_memory()
    rng = random.Random(11)
    warmup = 60  # placements that fill the caches before the clock counts
    probes = _probes(rng, sources, count + warmup)
    speakers = Speaker.objects.in_bulk({s for _, s, _ in probes if s})

    def placed(text: str, speaker_id: int | None, when: date) -> float:
        with transaction.atomic():
            started = time.perf_counter()
            store.place(store.Statement((text,), speakers.get(speaker_id), when))
            elapsed = time.perf_counter() - started
            transaction.set_rollback(True)  # the cached database stays as generated
        return 1000 * elapsed

    timings, prepared, from_stored = [], [], []
    for probe in probes:
        before = folding.tokens.cache_info().misses
        stored_before = folding.tokens_of_normalized.cache_info().misses
        timings.append(placed(*probe))
        prepared.append(folding.tokens.cache_info().misses - before)
        from_stored.append(folding.tokens_of_normalized.cache_info().misses - stored_before)
    emit(f"match_ms_p50_{label}", statistics.median(timings[warmup:]), "ms")
    emit(f"match_ms_p99_{label}", percentile(timings[warmup:], 0.99), "ms")
    # Texts prepared for comparison (``folding.tokens``, cached per process) by one placement:
    # its own and each candidate's no earlier placement had prepared, normalized here;
    # ``_from_stored_``: candidates' prepared from the normalized text stored with them.
    emit(f"match_prepared_p50_{label}", statistics.median(prepared[warmup:]), "texts")
    emit(f"match_prepared_mean_{label}", statistics.mean(prepared[warmup:]), "texts")
    emit(f"match_prepared_from_stored_mean_{label}", statistics.mean(from_stored[warmup:]), "texts")
    _clean_after_matching(label)
    buffers, shapes = [], Counter()
    with explained() as plans:
        for probe in probes[warmup:]:
            plans.clear()
            placed(*probe)
            touched = {}
            for plan in plans:
                # The driver writes each array's type from its values (int2[], int8[]): one query.
                shape = _CASTS.sub("", query_shape(plan["Query Text"])).replace("( ", "(")
                touched[shape] = touched.get(shape, 0) + plan_buffers(plan)
            shapes.update(touched)
            buffers.append(sum(touched.values()))
    emit(f"match_buffers_p50_{label}", statistics.median(buffers), "buffers")
    # About half the placements start a family (its keys inserted), so the median sits between
    # the two kinds and jumps with their share: the mean is the work of a placement on average.
    emit(f"match_buffers_mean_{label}", statistics.mean(buffers), "buffers")
    for shape, total in shapes.most_common(4):
        say(f"matching {label}: {total / len(buffers):.0f} buffers a placement: {shape[:160]}")
    _clean_after_matching(label)


def _clean_after_matching(label: str) -> None:
    # The rolled-back probes leave dead rows where the next run's probes read, and at 1M
    # autovacuum never reaches them (nor does a plain VACUUM, which skips the indexes):
    # cleared, every run reads the database as generated.
    from django.db import connection

    connection.close()
    with _server(f"{DB_PREFIX}_{label}") as conn:
        conn.execute("VACUUM (INDEX_CLEANUP ON)")


@contextlib.contextmanager
def explained() -> Iterator[list[dict]]:
    """The plan of each statement run inside, as executed (PostgreSQL's ``auto_explain``:
    rows and buffers, no timing), in JSON, nested statements (triggers) included."""
    from django.db import connection

    plans: list[dict] = []

    def noted(diagnostic) -> None:
        message = diagnostic.message_primary or ""
        if "{" in message:
            plans.append(json.loads(message[message.index("{") :]))

    settings = {
        "log_min_duration": "0",
        "log_analyze": "on",
        "log_buffers": "on",
        "log_timing": "off",
        "log_format": "json",
        "log_level": "notice",
        "log_nested_statements": "on",
    }
    connection.ensure_connection()
    connection.connection.add_notice_handler(noted)
    with connection.cursor() as cursor:
        cursor.execute("LOAD 'auto_explain'")
        for name, value in settings.items():
            cursor.execute(f"SET auto_explain.{name} = {value}")
    try:
        yield plans
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET auto_explain.log_min_duration = -1")
        connection.connection.remove_notice_handler(noted)


def plan_buffers(plan: dict) -> int:
    """The shared buffers a statement touched (hits and reads). The top node counts its
    children's, but not a data-modifying CTE's that nothing reads (``WITH … AS (INSERT …)``,
    run after the rest): those are added."""

    def touched(node: dict) -> int:
        return node.get("Shared Hit Blocks", 0) + node.get("Shared Read Blocks", 0)

    def nodes(node: dict) -> Iterator[dict]:
        yield node
        for child in node.get("Plans", ()):
            yield from nodes(child)

    top = plan["Plan"]
    read = {f"CTE {node['CTE Name']}" for node in nodes(top) if node["Node Type"] == "CTE Scan"}
    apart = [
        node
        for node in nodes(top)
        if node["Node Type"] == "ModifyTable"
        and node.get("Subplan Name", "").startswith("CTE ")
        and node["Subplan Name"] not in read
    ]
    return touched(top) + sum(touched(node) for node in apart)


# --------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------


_LITERALS = re.compile(r"(?<!\w)E?'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")


_CASTS = re.compile(r"::[a-z0-9_]+(?: with time zone)?(?:\(\?\))?(?:\[\])?")


def query_shape(sql: str) -> str:
    """A query with its literal values taken out: the same query for another
    speaker or page has the same shape."""
    return " ".join(_LITERALS.sub("?", sql).split())


@dataclass
class PageTimings:
    """Milliseconds per page, and per page the milliseconds of each query shape it ran."""

    pages: list[float] = field(default_factory=list)
    queries: list[dict[str, float]] = field(default_factory=list)

    def heaviest(self) -> tuple[str, list[float]]:
        """The query shape that took the most time over all the pages, and its
        milliseconds on each page (0 on a page that did not run it)."""
        totals: Counter[str] = Counter()
        for shapes in self.queries:
            totals.update(shapes)
        if not totals:
            return "", [0.0 for _ in self.pages]
        shape = totals.most_common(1)[0][0]
        return shape, [shapes.get(shape, 0.0) for shapes in self.queries]


def _time_pages(client, draw: Callable[[], list[str]]) -> PageTimings:
    """Milliseconds per page on warm caches, as a running server has them (the
    ingest runs before evict them): one draw of pages is fetched untimed, then
    another draw from the same mix is timed, each query of it too."""
    from django.db import connection

    timings = PageTimings()
    shapes: Counter[str] = Counter()

    def timed_query(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            shapes[query_shape(sql)] += 1000 * (time.perf_counter() - started)

    for timed in (False, True):
        for url in draw():
            shapes = Counter()
            with connection.execute_wrapper(timed_query):
                started = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            if timed:
                timings.pages.append(1000 * elapsed)
                timings.queries.append(dict(shapes))
    return timings


def emit_page(name: str, label: str, timings: PageTimings) -> None:
    """p50 and p95 of a page, and of its heaviest query (named on stderr)."""
    emit(f"{name}_ms_p50_{label}", statistics.median(timings.pages), "ms")
    emit(f"{name}_ms_p95_{label}", percentile(timings.pages, 0.95), "ms")
    shape, heaviest = timings.heaviest()
    say(f"{name}: heaviest query: {shape[:600]}")
    emit(f"{name}_heaviest_query_ms_p50_{label}", statistics.median(heaviest), "ms")
    emit(f"{name}_heaviest_query_ms_p95_{label}", percentile(heaviest, 0.95), "ms")


def bench_pages(label: str, count: int) -> None:
    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from quotes.models import Outlet, Speaker

    # The pages name their static files by content hash (the manifest): build it as a server would.
    call_command("collectstatic", interactive=False, verbosity=0)
    use_database(f"{DB_PREFIX}_{label}")
    read_into_memory()
    rng = random.Random(5)
    client = Client()
    words = [
        "president",
        "tax plan",
        "border security",
        "Russia",
        "immigration reform",
        "the economy",
        "health care",
        "campaign",
        "NATO",
        "climate change",
        "police",
        "vote",
    ]
    search = reverse("quotes:search")

    def searches() -> list[str]:
        urls = [f"{search}?q={rng.choice(words).replace(' ', '+')}" for _ in range(count)]
        urls += [f"{search}?q={rng.choice(words).replace(' ', '+')}&sort=newest" for _ in range(count // 4)]
        rng.shuffle(urls)
        return urls

    emit_page("search", label, _time_pages(client, searches))
    # The most prolific speakers (the heaviest pages) and random ones.
    top = list(
        Speaker.objects.annotate(n=Count("families"))
        .order_by("-n")
        .values_list("slug", flat=True)[: count // 3]
    )

    def speaker_pages() -> list[str]:
        slugs = top + [f"speaker-{rng.randint(1, SPEAKERS)}" for _ in range(count - len(top))]
        urls = [reverse("quotes:speaker-detail", args=[s]) for s in slugs]
        return urls + [u + "?page=2" for u in urls[:5]]

    emit_page("speaker_page", label, _time_pages(client, speaker_pages))
    outlets = list(Outlet.objects.values_list("slug", flat=True))

    def outlet_pages() -> list[str]:
        urls = [reverse("quotes:outlet-detail", args=[rng.choice(outlets)]) for _ in range(count)]
        return urls + [reverse("quotes:outlet-detail", args=["outlet-1"]) + "?page=3"]

    emit_page("outlet_timeline", label, _time_pages(client, outlet_pages))


# --------------------------------------------------------------------------
# The write alone, and the web process's start
# --------------------------------------------------------------------------


def bench_write(
    articles: list[dict], template: str, profile: bool = False
) -> tuple[float, float, float, float]:
    """Mean milliseconds, milliseconds under the placement lock and queries
    per article of ``pipeline.save_findings`` (everything after the parse) on
    a copy of ``template``, one article at a time; and the share of the writes
    that took the whole placement lock (a statement with no named speaker)."""
    from django.db import connection

    from quotes import pipeline
    from quotes.ingest import ingest_article

    name = f"{DB_PREFIX}_write"
    recreate_database(name, template=template)
    use_database(name)
    ids = [
        ingest_article(
            outlet=a["outlet"],
            title=a["title"],
            text=a["text"],
            published=date.fromisoformat(a["published"]),
            enqueue=False,
        ).article.pk
        for a in articles
    ]
    parsed = list(pipeline.extract_batch(ids))
    queries = 0

    def counted(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
    # The pipeline logs each write's time, and the part of it under the placement lock.
    writes = _WriteRecords()
    logger = logging.getLogger("quotes.pipeline")
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.INFO)
    logger.propagate = False  # kept here, not printed
    logger.addHandler(writes)
    try:
        with connection.execute_wrapper(counted):
            for article_id, findings, body_offset in parsed:
                pipeline.save_findings(article_id, findings, body_offset)
    finally:
        logger.removeHandler(writes)
        logger.setLevel(level)
        logger.propagate = propagate
    if profiler is not None:
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False, show_all=False), file=log_stream)
    elapsed = sum(record.write_ms for record in writes.records)
    locked = sum(record.locked_ms for record in writes.records)
    whole = sum(getattr(record, "whole_lock", True) for record in writes.records)
    n = len(parsed)
    return elapsed / n, locked / n, queries / n, whole / max(1, len(writes.records))


class _WriteRecords(logging.Handler):
    """The pipeline's log records of its writes (``write_ms``, ``locked_ms``…)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if hasattr(record, "write_ms"):
            self.records.append(record)


# "…, N ms of it waited for": the part of the parse its writes did not hide (absent: all of it).
_PARSED = re.compile(r"parsed (\d+) articles in ([\d.]+) ms(?:, ([\d.]+) ms of it waited for)?")
_WRITTEN = re.compile(
    r"written in ([\d.]+) ms: ([\d.]+) ms waiting for the placement lock, ([\d.]+) ms holding it"
)
_WHOLE_LOCK = re.compile(r"ms holding it \(the whole lock\)")


@dataclass
class WorkerTime:
    """Where the worker processes' time went during an ingest run, in milliseconds
    summed over the processes. A worker's parse process parses the next articles of a
    chunk while the worker writes one (``pipeline.extract_batch``): ``parse`` is that
    process's time, ``parse_wait`` the part of it the worker waited for (not hidden
    by a write). The worker's own time is ``parse_wait`` + ``write`` (lock wait
    apart) + ``lock_wait`` (for the placement lock) + ``idle`` (waiting for a task,
    the broker)."""

    parse: float
    write: float
    lock_wait: float
    idle: float
    parse_wait: float = 0.0
    writes: int = 0
    whole: int = 0  # of them, the writes that took the whole placement lock (not speakers' locks)

    @classmethod
    def from_log(cls, text: str, wall_ms: float, processes: int) -> WorkerTime:
        """From the pipeline's log lines in a worker's log (``pipeline.save_findings``)."""
        parsed = [(float(ms), float(waited or ms)) for _, ms, waited in _PARSED.findall(text)]
        parse = sum(ms for ms, _ in parsed)
        parse_wait = sum(waited for _, waited in parsed)
        written = [(float(total), float(waited)) for total, waited, _ in _WRITTEN.findall(text)]
        lock_wait = sum(waited for _, waited in written)
        write = sum(total for total, _ in written) - lock_wait
        idle = max(0.0, wall_ms * processes - parse_wait - write - lock_wait)
        whole = len(_WHOLE_LOCK.findall(text))
        return cls(parse, write, lock_wait, idle, parse_wait, len(written), whole)


_TIME_WEB_IMPORT = """
import time
started = time.perf_counter()
import newsapp.wsgi
from django.urls import get_resolver
get_resolver().url_patterns
print(time.perf_counter() - started)
"""


def bench_web_import(rounds: int = 3) -> float:
    """Seconds to import the WSGI app and its URLconf in a new process, best of ``rounds``."""
    best = math.inf
    for _ in range(rounds):
        done = subprocess.run(
            [sys.executable, "-c", _TIME_WEB_IMPORT], cwd=REPO, capture_output=True, text=True, check=True
        )
        best = min(best, float(done.stdout.split()[-1]))
    return best


# --------------------------------------------------------------------------
# Ingestion: import_articles → Celery on Redis → PostgreSQL
# --------------------------------------------------------------------------


def _write_jsonl(path: Path, articles: Iterable[dict]) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for article in articles:
            out.write(json.dumps(article) + "\n")
    return path


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _with_descendants(pid: int) -> list[int]:
    """``pid`` and every process under it (a worker process's parse process)."""
    return [pid, *(p for child in _children(pid) for p in _with_descendants(child))]


def _peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _wait_finished(expected: int, timeout: float) -> None:
    from quotes.models import Article

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (
            Article.objects.filter(status__in=[Article.Status.DONE, Article.Status.FAILED]).count()
            >= expected
        ):
            return
        time.sleep(0.05)
    raise RuntimeError(f"ingestion did not finish within {timeout:.0f} s")


def bench_ingest(
    articles: list[dict], warmup: list[dict], template: str, workers: int, directory: Path
) -> tuple[float, float, float, WorkerTime]:
    """Articles per second from the import command's start to the last stored
    result, and the workers' peak memory. The workers are started and warmed
    (model loaded) before the clock starts."""
    import redis
    from django.core.management import call_command

    from newsapp.celery import worker_command
    from quotes.models import Article

    name = f"{DB_PREFIX}_ingest"
    recreate_database(name, template=template)
    use_database(name)
    baseline = Article.objects.count()
    redis.Redis.from_url(BROKER).flushdb()  # the bench's own Redis database: nothing else queued there
    env = {**os.environ, "DATABASE_URL": f"{SERVER}/{name}", "CELERY_BROKER_URL": BROKER}
    log = (directory / f"worker{workers}.log").open("w")
    worker = subprocess.Popen(
        worker_command(
            "--pool=prefork",
            f"--concurrency={workers}",
            f"--hostname=bench{workers}-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",  # the pipeline's lines of parse and write times
        ),
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        warm = _write_jsonl(directory / f"warm{workers}.jsonl", warmup)
        call_command("import_articles", str(warm), verbosity=0, stdout=io.StringIO())
        _wait_finished(baseline + len(warmup), timeout=300)
        path = _write_jsonl(directory / f"ingest{workers}.jsonl", articles)
        log.flush()
        timed_from = (directory / f"worker{workers}.log").stat().st_size
        pids = _with_descendants(worker.pid)
        cpu_before = _cpu_seconds(pids) + time.process_time()
        started = time.perf_counter()
        call_command("import_articles", str(path), verbosity=0, stdout=io.StringIO())
        _wait_finished(baseline + len(warmup) + len(articles), timeout=600)
        wall = time.perf_counter() - started
        rate = len(articles) / wall
        cpu_rate = len(articles) / (_cpu_seconds(pids) + time.process_time() - cpu_before)
        failed = Article.objects.filter(status=Article.Status.FAILED).count()
        if failed:
            say(f"{failed} articles failed in the {workers}-worker run (see {directory}/worker{workers}.log)")
        peak = max(
            (sum(map(_peak_rss_mb, _with_descendants(pid))) for pid in _children(worker.pid)), default=0.0
        )
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()
    with (directory / f"worker{workers}.log").open(encoding="utf-8", errors="replace") as lines:
        lines.seek(timed_from)
        spent = WorkerTime.from_log(lines.read(), 1000 * wall, workers)
    return rate, peak, cpu_rate, spent


def emit_worker_time(workers: int, spent: WorkerTime, articles: int) -> None:
    """Each part of the workers' time per article, against their whole time per article
    (the ratio is the part's share; the parse's, overlapping the writes, is not a part of it)."""
    parts = {
        "parse_wait": spent.parse_wait,
        "write": spent.write,
        "lock_wait": spent.lock_wait,
        "idle": spent.idle,
    }
    whole = sum(parts.values()) / articles
    for part, ms in {"parse": spent.parse, **parts}.items():
        emit(
            f"worker_{part}_ms_per_article_{workers}w",
            ms / articles,
            "ms",
            f"worker_ms_per_article_{workers}w",
            whole,
        )
    if spent.writes:  # the rest took their speakers' partitions of it (``store.lock_placement``)
        emit(f"worker_whole_lock_share_{workers}w", spent.whole / spent.writes, "share of writes")


POLL_ITEMS = 500


def bench_polling(articles: list[dict], template: str) -> float:
    """Items per second of one poll of a loopback feed listing ``POLL_ITEMS`` new articles."""
    import threading
    from email.utils import format_datetime
    from html import escape
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from django.conf import settings

    from quotes import polling

    pages = {}
    for n in range(POLL_ITEMS):
        article = articles[n % len(articles)]
        # The number makes each text new, as each article of a real feed is.
        texts = [f"Story {n}: " + p if i == 0 else p for i, p in enumerate(_paragraphs(article["text"]))]
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in texts)
        title = escape(article["title"])
        pages[f"/a/{n}"] = (
            f"<!DOCTYPE html><html><head><title>{title} ({n})</title></head>"
            f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
        ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            body, kind = (
                (feed, "application/rss+xml")
                if self.path == "/feed.xml"
                else (pages.get(self.path), "text/html")
            )
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_port}"
    now = time.time()
    items = "".join(
        f"<item><title>Story {n}</title><link>{base}/a/{n}</link>"
        f"<pubDate>{format_datetime(datetime.fromtimestamp(now - 60 * n, UTC))}</pubDate></item>"
        for n in range(POLL_ITEMS)
    )
    feed = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>B</title>{items}</channel></rss>'.encode()
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    name = f"{DB_PREFIX}_poll"
    recreate_database(name, template=template)
    use_database(name)
    settings.ALLOW_PRIVATE_URLS = True
    settings.SOURCE_HOST_DELAY = 0
    settings.SOURCE_BACKFILL = POLL_ITEMS
    settings.SOURCE_POLL_BUDGET = 3600
    try:
        source = polling.add_source(f"{base}/feed.xml", "Bench Feed")
        started = time.perf_counter()
        # Extraction is queued to the bench's own broker, as a worker's poll does; nothing consumes it here.
        result = polling.poll_source(source.pk)
        elapsed = time.perf_counter() - started
    finally:
        server.shutdown()
        server.server_close()
    if result.error or len(result.imported) != POLL_ITEMS:
        say(f"poll: {len(result.imported)} of {POLL_ITEMS} imported, {result.failed} failed, {result.error}")
    return POLL_ITEMS / elapsed


# --------------------------------------------------------------------------


def _setup_django() -> None:
    # Never the app's own database or broker: the bench owns these.
    os.environ["DATABASE_URL"] = f"{SERVER}/{DB_PREFIX}_10k"
    os.environ["CELERY_BROKER_URL"] = BROKER
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsapp.settings"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and corpora, for development")
    parser.add_argument("--sizes", help="comma-separated database sizes among " + ", ".join(SIZES))
    parser.add_argument("--rebuild", action="store_true", help="regenerate the bench databases")
    parser.add_argument(
        "--skip",
        default="",
        help="comma-separated parts to leave out: extract,web,write,ingest,match,pages,poll",
    )
    parser.add_argument(
        "--workers",
        default="1,2,4,8",
        help="comma-separated numbers of worker processes for the ingest runs (1 and 2 always run)",
    )
    parser.add_argument(
        "--profile-write", action="store_true", help="print a pyinstrument profile of the write to stderr"
    )
    args = parser.parse_args(argv)
    labels = args.sizes.split(",") if args.sizes else (["10k"] if args.quick else list(SIZES))
    unknown = [label for label in labels if label not in SIZES]
    if unknown:
        parser.error(f"unknown sizes {unknown}: choose among {', '.join(SIZES)}")
    labels.sort(key=SIZES.get)
    skip = set(filter(None, args.skip.split(",")))
    began = time.perf_counter()
    _setup_django()
    sources = load_sources()
    say(f"{len(sources.articles)} source articles, {len(sources.sentences)} sentences")

    n_extract = 24 if args.quick else 120
    n_ingest = 24 if args.quick else 120
    n_write = 24 if args.quick else 60
    fleet = sorted({1, 2, *(int(n) for n in args.workers.split(","))})
    corpus = build_articles(sources, n_extract + len(fleet) * n_ingest + n_write + 8, seed=3)
    extract_rate = extract_cpu = None
    if "extract" not in skip:
        texts = [a["title"] + "\n\n" + a["text"] for a in corpus[:n_extract]]
        say(f"extraction: {len(texts)} articles, {sum(map(len, texts)) // len(texts)} characters on average")
        extract_rate, extract_cpu = bench_extraction(texts, rounds=1 if args.quick else 2)

    if "web" not in skip:
        emit("web_import_s", bench_web_import(), "s")

    prepare_databases(labels, sources, args.rebuild)

    # Latency first, on the databases as prepared and read into memory; the
    # ingest runs copy databases and would evict them from the page cache.
    if "match" not in skip:
        bench_folding(sources)
        for label in labels:
            say(f"matching against {DB_PREFIX}_{label}")
            bench_matching(label, sources, 60 if args.quick else 200)
    if "pages" not in skip:
        say(f"pages against {DB_PREFIX}_{labels[-1]}")
        bench_pages(labels[-1], 12 if args.quick else 40)
    if "write" not in skip:
        start = n_extract + 2 * n_ingest
        say(f"write: {n_write} articles, one at a time, after the parse")
        write_ms, locked_ms, queries, whole_share = bench_write(
            corpus[start : start + n_write], f"{DB_PREFIX}_{labels[0]}", args.profile_write
        )
        emit("ingest_queries_per_article", queries, "queries")
        extract_ms = 1000 / extract_rate if extract_rate else None
        if extract_ms is not None:
            emit("extract_ms_per_article", extract_ms, "ms")
        emit("ingest_write_ms_per_article", write_ms, "ms", "extract_ms_per_article", extract_ms)
        emit("ingest_locked_ms_per_article", locked_ms, "ms", "ingest_write_ms_per_article", write_ms)
        emit("ingest_whole_lock_share", whole_share, "share of writes")
    if "ingest" not in skip:
        with tempfile.TemporaryDirectory(prefix="quotewise-ingest-") as directory:
            rates, peaks, cpu_rates = {}, [], {}
            say(f"ingest runs on {os.cpu_count()} cores")
            for run, workers in enumerate(fleet):
                # Different articles each run: same sizes, none already stored (those of the
                # runs past two after the write's). Each run starts from a fresh copy of the
                # database, so the same few warm it up.
                offset = n_extract + run * n_ingest + (n_write if run >= 2 else 0)
                batch = corpus[offset : offset + n_ingest]
                warmup = corpus[-8:]
                say(f"ingest: {len(batch)} articles, {workers} worker process(es)")
                rates[workers], peak, cpu_rates[workers], spent = bench_ingest(
                    batch, warmup, f"{DB_PREFIX}_{labels[0]}", workers, Path(directory)
                )
                peaks.append(peak)
                emit_worker_time(workers, spent, len(batch))
            for workers in fleet:
                emit(
                    f"ingest_articles_per_s_{workers}w",
                    rates[workers],
                    "articles/s",
                    "extract_articles_per_s",
                    extract_rate,
                )
            for workers in fleet[1:]:
                emit(
                    f"ingest_scaling_{workers}w_vs_1w",
                    rates[workers],
                    "articles/s",
                    "ingest_articles_per_s_1w",
                    rates[1],
                )
            emit(
                "ingest_articles_per_cpu_s_1w",
                cpu_rates[1],
                "articles/cpu-s",
                "extract_articles_per_cpu_s",
                extract_cpu,
            )
            emit("worker_peak_rss_mb", max(peaks), "MB")
    if "poll" not in skip:
        say(f"polling: a loopback feed of {POLL_ITEMS} items")
        poll_rate = bench_polling(corpus, f"{DB_PREFIX}_{labels[0]}")
        emit("poll_items_per_s", poll_rate, "items/s", "extract_articles_per_s", extract_rate)

    emit("bench_wall_s", time.perf_counter() - began, "s")


if __name__ == "__main__":
    main()
