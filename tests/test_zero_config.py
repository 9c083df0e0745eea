"""`make run`'s path with no configuration: SQLite and the filesystem broker.

Starts `manage.py run_app` (what `make run` runs) with a fresh data folder
and no DATABASE_URL or CELERY_BROKER_URL, and waits until the demo articles
have been extracted by its worker and are served, and found by search.
"""

import os
import socket
import sqlite3
import subprocess
import sys
import urllib.request

import pytest

from tests.conftest import REPO, wait_until

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return None


def test_run_app_serves_the_extracted_demo_with_no_configuration(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env["QUOTEWISE_DATA_DIR"] = str(tmp_path)
    port = free_port()
    log_path = tmp_path / "run.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "run_app", "--port", str(port)],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    database = tmp_path / "quotewise.sqlite3"

    def all_done() -> bool:
        if process.poll() is not None:
            raise AssertionError(log_path.read_text())
        if not database.exists():
            return False
        try:
            with sqlite3.connect(database, timeout=5) as conn:
                statuses = [row[0] for row in conn.execute("SELECT status FROM quotes_article")]
        except sqlite3.OperationalError:  # not migrated yet
            return False
        return len(statuses) == 5 and all(status == "done" for status in statuses)

    try:
        wait_until(all_done, timeout=240, interval=1, message="the demo articles to be extracted")
        home = wait_until(lambda: fetch(f"http://127.0.0.1:{port}/"), timeout=60, message="the web server")
        assert "Trust has been destroyed" in home
        # Search reads SQLite's full-text table, which triggers fill as families are made.
        found = fetch(f"http://127.0.0.1:{port}/search/?q=destroyed")
        assert found is not None and "Trust has been <mark>destroyed</mark>" in found
        assert (tmp_path / "broker").is_dir()  # the filesystem transport, not eager mode
    finally:
        process.terminate()
        process.wait(timeout=30)
    # SQLite drops a table's triggers when a migration rebuilds it: every one must stand at the end.
    with sqlite3.connect(database, timeout=5) as conn:
        triggers = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {
        "quotes_quote_words_insert",
        "quotes_quote_words_update",
        "quotes_quote_words_delete",
        "quote_speaker_to_keys",
    } <= triggers
    assert "Quotewise is running at" in log_path.read_text()
