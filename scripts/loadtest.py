"""Load test: the whole app on this machine, under browsing, searching and uploads.

    python scripts/loadtest.py --duration 120      (or: make loadtest LOAD_SECONDS=120)

Starts, on a database of its own (recreated each run) and its own Redis
database: gunicorn, two Celery worker processes, after migrating, importing
the seed articles and creating an editor. Simulated visitors then browse,
search and (signed in as the editor, with the CSRF token) upload articles
until the time is up. First, one large article (``--large-quotes``) is
uploaded, and half the uploads go to its outlet: they must all be stored,
and quickly, while a worker extracts and writes it. It waits until every uploaded article is extracted,
checks that no row was stored twice, prints requests per second, latency
percentiles and errors, and stops everything it started. Only ever talks to
127.0.0.1. Exit status 1 when there were errors, unfinished uploads or
duplicate rows.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # never anywhere else
EDITOR = ("loadtest-editor", "load-test-editor-password-" + uuid.uuid4().hex[:8])
SEARCH_WORDS = ["trust", "Russia", "war", "economy", "said", "NATO", "market", "we", "price", "government"]
SPEAKERS = ["Maria Ortiz", "Tom Becker", "Ana Lindqvist", "Jonas Weber", "Priya Nair"]
VERBS = ["said", "told reporters", "added", "warned", "argued"]
STREETS = ["Mill", "Church", "Station", "Market", "King", "Queen", "Bridge", "Park", "High", "Castle"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is an answer of its own: it is measured, not followed


class Visitor:
    """One simulated person: their own cookies, and a record of every request."""

    def __init__(self, base: str, results: list, lock: threading.Lock):
        self.base, self.results, self.lock = base, results, lock
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def request(self, kind: str, path: str, fields: dict | None = None) -> tuple[int, str, str]:
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, data=data, timeout=60) as response:
                status, location, body = response.status, "", response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            status, location = error.code, error.headers.get("Location", "")
            body = error.read().decode(errors="replace")
        except OSError as error:
            status, location, body = 0, "", str(error)
        elapsed = time.perf_counter() - started
        with self.lock:
            self.results.append((kind, status, elapsed))
        return status, location, body

    def post_form(self, kind: str, path: str, fields: dict) -> tuple[int, str, str]:
        status, _, page = self.request("form", path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not match:
            return status or 599, "", page
        return self.request(kind, path, {**fields, "csrfmiddlewaretoken": match.group(1)})

    def sign_in(self) -> None:
        username, password = EDITOR
        status, location, _ = self.post_form(
            "login", "/accounts/login/", {"username": username, "password": password}
        )
        if status != 302 or "login" in location:
            raise SystemExit(f"could not sign in as the editor (HTTP {status})")


def _links(page: str, pattern: str) -> list[str]:
    return sorted(set(re.findall(rf'href="({pattern})"', page)))


def _new_article(number: int, outlet: str | None = None) -> dict:
    speaker, other = random.sample(SPEAKERS, 2)
    sentences = [
        f"“The numbers for week {number} are better than we feared,” {speaker} {random.choice(VERBS)}.",
        f"{other} disagreed. “Nothing about this plan adds up, and run {uuid.uuid4().hex[:8]} proves it,”"
        f" {other.split()[-1]} {random.choice(VERBS)} on Tuesday.",
        "Officials declined to comment on the figures, which were published on Monday.",
        f"“We will keep watching the market closely,” {speaker.split()[-1]} said.",
    ]
    return {
        "outlet": outlet or random.choice(["Load Gazette", "Bench Herald", "Stress Times"]),
        "title": f"Load test article {number}",
        "text": "\n\n".join(sentences),
    }


def _large_article(quotes: int) -> dict:
    """One article of ``quotes`` quotes, each a statement of its own, to the outlet the
    visitors keep uploading to while it is written: the write must not hold them up."""
    paragraphs = [
        f"“Ward {number} needs {number % 90 + 10} more buses and a clinic on {random.choice(STREETS)} "
        f"Street by {2027 + number % 5},” {random.choice(SPEAKERS)} {random.choice(VERBS)}."
        for number in range(quotes)
    ]
    return {
        "outlet": LARGE_OUTLET,
        "title": f"The {quotes} demands of the wards",
        "text": "\n\n".join(paragraphs),
    }


LARGE_OUTLET = "Load Gazette"


def run_visitor(base, results, lock, deadline, upload_share, uploaded, counter, editor: bool, to_large):
    visitor = Visitor(base, results, lock)
    if editor:
        visitor.sign_in()
    _, _, page = visitor.request("browse", "/articles/")
    articles = _links(page, r"/articles/\d+/") or ["/articles/"]
    _, _, page = visitor.request("browse", "/speakers/")
    speakers = _links(page, r"/speakers/[\w-]+/") or ["/speakers/"]
    pages = ["/", "/articles/", "/speakers/", "/outlets/", "/api/quotes/"]
    while time.monotonic() < deadline:
        roll = random.random()
        if editor and roll < upload_share:
            with lock:
                counter[0] += 1
                number = counter[0]
            # Half of them to the outlet whose large article is being written.
            outlet = LARGE_OUTLET if random.random() < 0.5 else None
            started = time.monotonic()
            status, location, _ = visitor.post_form("upload", "/articles/new/", _new_article(number, outlet))
            if outlet:
                with lock:
                    to_large.append((started, time.monotonic() - started, status))
            found = re.search(r"/articles/(\d+)/$", location)
            if status == 302 and found:
                with lock:
                    uploaded.append(int(found.group(1)))
            elif status == 302:
                with lock:  # not where an upload lands: count it as failed
                    results.append(("upload-misdirected", 0, 0.0))
        elif roll < 0.30:
            word = random.choice(SEARCH_WORDS)
            visitor.request("search", "/search/?" + urllib.parse.urlencode({"q": word}))
        elif roll < 0.55:
            visitor.request("browse", random.choice(articles))
        elif roll < 0.75:
            visitor.request("browse", random.choice(speakers))
        else:
            visitor.request("browse", random.choice(pages))


def _percentile(sorted_values: list[float], share: float) -> float:
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(share * len(sorted_values)))]


class Stack:
    """The processes this script started, stopped in reverse order whatever happens."""

    def __init__(self, env: dict, logs: Path):
        self.env, self.logs, self.processes = env, logs, []

    def manage(self, *args: str) -> None:
        subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=self.env, check=True)

    def start(self, name: str, args: list[str]) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(args, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append((name, process, log))
        return process

    def wait_for_log(self, name: str, text: bytes, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in (self.logs / f"{name}.log").read_bytes():
                return
            if any(p.poll() is not None for n, p, _ in self.processes if n == name):
                break
            time.sleep(0.5)
        raise SystemExit(f"{name} did not start; see {self.logs / (name + '.log')}")

    def stop(self) -> None:
        for _name, process, _log in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for _name, process, log in reversed(self.processes):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


# Written on the databases this script creates; it drops no other.
CREATED_MARK = "created by scripts/loadtest.py"


def _recreate_database(admin_url: str, name: str) -> None:
    """Drop and create the load test's database, refusing one it did not create."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if row is not None and row[0] != CREATED_MARK:
            raise SystemExit(
                f"database {name} exists and was not created by the load test: it is left alone. "
                "Choose another with --database."
            )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
        conn.execute(f"COMMENT ON DATABASE \"{name}\" IS '{CREATED_MARK}'")


def _redis_database(url: str) -> str:
    path = urllib.parse.urlsplit(url).path.strip("/")
    return path or "0"


def _wait_for_extraction(database_url: str, ids: list[int], timeout: float) -> dict[str, int]:
    deadline = time.monotonic() + timeout
    while True:
        with psycopg.connect(database_url) as conn:
            rows = conn.execute(
                "SELECT status, count(*) FROM quotes_article WHERE id = ANY(%s) GROUP BY status", [ids]
            ).fetchall()
        counts = dict(rows)
        if not ids or counts.get("done", 0) + counts.get("failed", 0) == len(ids):
            return counts
        if time.monotonic() > deadline:
            return counts
        time.sleep(2)


def _watch_extraction(database_url: str, article_id: int, stop: threading.Event, seen: dict) -> None:
    """Note when the article's extraction starts and ends (``seen``: status -> first time)."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        while not stop.is_set():
            row = conn.execute("SELECT status FROM quotes_article WHERE id = %s", [article_id]).fetchone()
            if row:
                seen.setdefault(row[0], time.monotonic())
            if row and row[0] in ("done", "failed"):
                return
            time.sleep(0.1)


def _duplicates(database_url: str) -> dict[str, int]:
    queries = {
        "occurrences (same article and span)": 'SELECT article_id, in_title, start, "end" '
        'FROM quotes_occurrence GROUP BY article_id, in_title, start, "end" HAVING count(*) > 1',
        "articles (same outlet and text)": "SELECT outlet_id, content_hash FROM quotes_article "
        "GROUP BY outlet_id, content_hash HAVING count(*) > 1",
        "quote families (same text and speaker)": "SELECT fingerprint, speaker_id FROM quotes_quote "
        "GROUP BY fingerprint, speaker_id HAVING count(*) > 1",
    }
    with psycopg.connect(database_url) as conn:
        return {label: len(conn.execute(sql).fetchall()) for label, sql in queries.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=float(os.environ.get("LOAD_SECONDS", "120")))
    parser.add_argument("--visitors", type=int, default=8, help="simulated readers at once")
    parser.add_argument("--editors", type=int, default=2, help="of whom this many also upload")
    parser.add_argument("--upload-share", type=float, default=0.15, help="share of an editor's requests")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="quotewise_load")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--drain-timeout", type=float, default=600, help="seconds to wait for extraction")
    parser.add_argument(
        "--large-quotes", type=int, default=2000,
        help="quotes of the large article uploaded first, whose outlet half the uploads go to (0: none)",
    )  # fmt: skip
    args = parser.parse_args()
    if not re.fullmatch(r"\w+", args.database):
        raise SystemExit("--database: letters, digits and _ only")
    for url in (args.postgres, args.redis):
        if urllib.parse.urlsplit(url).hostname != HOST:
            raise SystemExit(f"the load test only runs against {HOST}, not {url}")

    database_url = f"{args.postgres}/{args.database}"
    port = _free_port()
    logs = Path(tempfile.mkdtemp(prefix="quotewise-load-"))
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": args.redis,
        "CACHE_URL": args.redis,  # the upload counter, shared by the web processes
        "UPLOAD_RATE_LIMIT": "100000",  # on (its cache round trip is measured) but out of the way
        "QUOTEWISE_DATA_DIR": str(logs / "data"),
        "DEBUG": "false",
        "EDITOR_PASSWORD": EDITOR[1],
        "LOG_LEVEL": "WARNING",
    }
    for name in ("SECURE_HTTPS", "SECURE_SSL_REDIRECT"):
        env.pop(name, None)
    stack = Stack(env, logs)
    print(f"logs in {logs}; database {args.database}; broker {args.redis}")
    print(
        f"the load test recreates PostgreSQL database {args.database} and purges Redis database "
        f"{_redis_database(args.redis)} on {HOST} (choose others with --database and --redis)"
    )
    try:
        _recreate_database(f"{args.postgres}/postgres", args.database)
        stack.manage("migrate", "--verbosity=0")
        stack.manage("collectstatic", "--noinput", "--verbosity=0")
        stack.manage("import_articles", "quotes/seeds", "--sync", "--verbosity=0")
        stack.manage("create_editor", EDITOR[0])
        subprocess.run(
            [sys.executable, "-m", "celery", "-A", "newsapp", "purge", "-f"],
            cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        for n in (1, 2):
            stack.start(
                f"worker{n}",
                [sys.executable, "-m", "celery", "-A", "newsapp", "worker", "--concurrency=1",
                 "--loglevel=INFO", "--hostname", f"load{n}-{os.getpid()}@%h"],
            )  # fmt: skip
        stack.start(
            "gunicorn",
            [sys.executable, "-m", "gunicorn", "newsapp.wsgi", "--bind", f"{HOST}:{port}",
             "--workers", str(args.web_workers), "--access-logfile", "-"],
        )  # fmt: skip
        for name in ("worker1", "worker2"):
            stack.wait_for_log(name, b"ready.")
        stack.wait_for_log("gunicorn", b"Booting worker")
        base = f"http://{HOST}:{port}"
        probe = Visitor(base, [], threading.Lock())
        for _ in range(60):
            if probe.request("probe", "/healthz")[0] == 200:
                break
            time.sleep(0.5)
        else:
            raise SystemExit("/healthz never answered 200")

        results: list[tuple[str, int, float]] = []
        uploaded: list[int] = []
        lock, counter = threading.Lock(), [0]
        to_large: list[tuple[float, float, int]] = []  # uploads to the large article's outlet
        large, seen, stop_watching = None, {}, threading.Event()
        if args.large_quotes:
            uploader = Visitor(base, [], lock)
            uploader.sign_in()
            status, location, _ = uploader.post_form(
                "upload", "/articles/new/", _large_article(args.large_quotes)
            )
            found = re.search(r"/articles/(\d+)/$", location)
            if status != 302 or not found:
                raise SystemExit(f"the large article was not accepted (HTTP {status})")
            large = int(found.group(1))
            uploaded.append(large)
            threading.Thread(
                target=_watch_extraction, args=(database_url, large, stop_watching, seen)
            ).start()
        print(
            f"load: {args.visitors} visitors ({args.editors} uploading) for {args.duration:.0f} s on {base}"
        )
        started = time.monotonic()
        deadline = started + args.duration
        threads = [
            threading.Thread(
                target=run_visitor,
                args=(
                    base,
                    results,
                    lock,
                    deadline,
                    args.upload_share,
                    uploaded,
                    counter,
                    n < args.editors,
                    to_large,
                ),
            )
            for n in range(args.visitors)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started

        print(f"waiting for {len(uploaded)} uploaded articles to be extracted…")
        drain_started = time.monotonic()
        statuses = _wait_for_extraction(database_url, uploaded, args.drain_timeout)
        drained_in = time.monotonic() - drain_started
        duplicates = _duplicates(database_url)
    finally:
        stop_watching.set()
        stack.stop()

    errors = [r for r in results if r[1] == 0 or r[1] >= 400]
    print()
    print(f"requests      {len(results)} in {elapsed:.1f} s = {len(results) / elapsed:.1f} requests/s")
    print(f"{'kind':<10} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    by_kind = defaultdict(list)
    for kind, _status, seconds in results:
        by_kind[kind].append(seconds)
    for kind, values in [("all", [r[2] for r in results]), *sorted(by_kind.items())]:
        values = sorted(values)
        print(
            f"{kind:<10} {len(values):>7} {_percentile(values, 0.50) * 1000:>8.0f} "
            f"{_percentile(values, 0.95) * 1000:>8.0f} {_percentile(values, 0.99) * 1000:>8.0f} "
            f"{(values[-1] if values else 0) * 1000:>8.0f}"
        )
    print(f"errors        {len(errors)}" + (f" {sorted({e[1] for e in errors})}" if errors else ""))
    done = statuses.get("done", 0)
    print(
        f"uploads       {len(uploaded)} stored, {done} DONE, {statuses.get('failed', 0)} FAILED, "
        f"{len(uploaded) - done - statuses.get('failed', 0)} unfinished "
        f"(waited {drained_in:.0f} s after the load stopped)"
    )
    if results:
        print(f"mean latency  {statistics.mean(r[2] for r in results) * 1000:.0f} ms")
    for label, count in duplicates.items():
        print(f"duplicate {label}: {count}")
    large_ok = True
    if large is not None:
        began, ended = seen.get("running"), seen.get("done", seen.get("failed"))
        meanwhile = sorted(
            (seconds, status)
            for at, seconds, status in to_large
            if began and at >= began and (not ended or at < ended)
        )
        slowest = meanwhile[-1][0] * 1000 if meanwhile else 0
        refused = [status for _, status in meanwhile if status != 302]
        span = f"{ended - began:.0f} s" if began and ended else "unfinished"
        print(
            f"large article {args.large_quotes} quotes to {LARGE_OUTLET}: extracted and written in {span}; "
            f"{len(meanwhile)} uploads to that outlet meanwhile, {len(refused)} failed, "
            f"slowest {slowest:.0f} ms"
        )
        large_ok = bool(began and ended) and not refused
    ok = not errors and done == len(uploaded) and not any(duplicates.values()) and large_ok
    print("RESULT", "ok" if ok else "PROBLEMS")
    if ok:
        shutil.rmtree(logs, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
