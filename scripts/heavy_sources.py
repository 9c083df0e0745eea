"""Heavy but allowed watched sources: what one poll of a huge sitemap costs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python scripts/heavy_sources.py --urls 900000

Makes a gzipped sitemap of ``--urls`` addresses (each with a lastmod date) and a
gzip bomb (a sitemap that unpacks to just under the 50 MB cap), serves them on
127.0.0.1, and on a database of its own (``quotewise_heavy_sources``, recreated
each run) polls each once in a fresh process, printing the poll's time, the
process's peak memory above what it held before the poll, and the rows it
stored; then the query count and time of the Sources page. ``--repo`` runs
another checkout's code (to measure before a change). Prints figures; checks
nothing.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATABASE = "quotewise_heavy_sources"


def write_sitemap(path: Path, urls: int) -> None:
    # Short, regular, undated addresses: 900,000 of them make a file of about 2 MB that
    # unpacks to under the 50 MB cap, as an archive's sitemap may.
    with gzip.open(path, "wt", compresslevel=9) as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')
        for n in range(urls):
            out.write(f"<url><loc>http://127.0.0.1/a/{n}</loc></url>\n")
        out.write("</urlset>\n")


def write_bomb(path: Path, unpacked: int) -> None:
    # The same entry over and over, up to ``unpacked`` bytes (under the 50 MB cap):
    # a few hundred kilobytes compressed.
    entry = b"<url><loc>http://127.0.0.1/again</loc><lastmod>2024-01-01</lastmod></url>\n"
    with gzip.open(path, "wb", compresslevel=9) as out:
        out.write(b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
        block = entry * (1024 * 1024 // len(entry))
        for _ in range(unpacked // len(block)):
            out.write(block)
        out.write(b"</urlset>")


def serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

        def guess_type(self, path):
            return "application/x-gzip" if str(path).endswith(".gz") else "text/plain"

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def database_url() -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    return base.rsplit("/", 1)[0] + "/" + DATABASE


def recreate_database() -> None:
    import psycopg

    admin = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    admin = admin.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DATABASE}")


CHILD = r"""
import json, os, resource, sys, time
sys.path.insert(0, os.environ["HEAVY_REPO"])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsapp.settings")
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.contrib.auth.models import User
from quotes import polling
from quotes.models import Source, SourceItem

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

action, url = sys.argv[1], sys.argv[2]
if action == "poll":
    source = polling.add_source(url, "Heavy Outlet")
    before = peak_mb()
    started = time.monotonic()
    result = polling.poll_source(source.pk, enqueue=False)
    seconds = time.monotonic() - started
    print(json.dumps({
        "seconds": round(seconds, 1),
        "peak_mb_above_start": round(peak_mb() - before),
        "rows": SourceItem.objects.filter(source=source).count(),
        "error": result.error,
    }))
else:
    user = User.objects.filter(username="measure").first()
    user = user or User.objects.create_superuser("measure", "", "x")
    client = Client()
    client.force_login(user)
    client.get("/sources/")  # warm
    with CaptureQueriesContext(connection) as queries:
        started = time.monotonic()
        response = client.get("/sources/")
        seconds = time.monotonic() - started
    print(json.dumps({"status": response.status_code, "queries": len(queries), "seconds": round(seconds, 2)}))
"""


def run_child(repo: Path, *args: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "HEAVY_REPO": str(repo),
        "ALLOW_PRIVATE_URLS": "true",
        "SOURCE_HOST_DELAY": "0",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "testserver,localhost",
        "DEBUG": "true",  # static files from the folders, with no collectstatic manifest
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "memory://"),
    }
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *args], env=env, cwd=repo, capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.exit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--urls", type=int, default=900_000)
    parser.add_argument("--bomb-mb", type=int, default=45)
    parser.add_argument("--repo", type=Path, default=REPO, help="The checkout whose code is measured.")
    parser.add_argument("--page-only", action="store_true", help="Only the Sources page, on the rows there.")
    args = parser.parse_args()
    if args.page_only:
        print(f"/sources/: {json.dumps(run_child(args.repo, 'page', ''))}")
        return
    recreate_database()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        env={**os.environ, "DATABASE_URL": database_url()},
        cwd=args.repo,
        check=True,
    )
    with tempfile.TemporaryDirectory() as folder:
        folder_path = Path(folder)
        write_sitemap(folder_path / "sitemap.xml.gz", args.urls)
        write_bomb(folder_path / "bomb.xml.gz", args.bomb_mb * 1024 * 1024)
        (folder_path / "robots.txt").write_text("User-agent: *\nAllow: /\n")
        server, base = serve(folder_path)
        try:
            for name in ("sitemap.xml.gz", "bomb.xml.gz"):
                size = (folder_path / name).stat().st_size
                figures = run_child(args.repo, "poll", f"{base}/{name}")
                print(f"poll of {name} ({size / 1024 / 1024:.1f} MB): {json.dumps(figures)}")
            print(f"/sources/: {json.dumps(run_child(args.repo, 'page', ''))}")
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
