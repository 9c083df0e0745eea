"""Shared fixtures: seed data, and real services (PostgreSQL, Redis, a Celery worker).

A test that needs a service it cannot reach is skipped on a developer's
machine but fails in CI (CI=true), so CI can never pass without running it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from newsapp.celery import worker_command

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "quotes" / "seeds"
ARTIFACTS = REPO / "artifacts"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def require(available: bool, reason: str) -> None:
    if available:
        return
    if IN_CI:
        pytest.fail(f"{reason} — in CI this test must run, not skip")
    pytest.skip(reason)


def seed_manifest() -> dict[str, dict]:
    data = json.loads((SEEDS / "manifest.json").read_text())
    return {entry["file"]: entry for entry in data["articles"]}


def seed_text(prefix: str) -> tuple[str, dict]:
    """The text of the seed file whose name starts with ``prefix`` and its manifest entry."""
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8"), seed_manifest()[path.name]


def seed_path(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def wait_until(predicate, timeout: float, interval: float = 0.25, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {message}")


def _redis_answers(url: str) -> bool:
    host_port = url.split("//", 1)[1].split("/", 1)[0].rsplit("@", 1)[-1]
    host, _, port = host_port.partition(":")
    try:
        with socket.create_connection((host, int(port or 6379)), timeout=2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


# A test that needs any of these runs with the services (``--suite-part``).
_SERVICE_FIXTURES = {"services", "celery_worker", "live_server", "transactional_db"}


def pytest_addoption(parser):
    parser.addoption(
        "--suite-part",
        choices=("all", "services", "others"),
        default="all",
        help="run only the tests that need the services, a live server, the browser or committed "
        "transactions (one process: they share one Celery worker, and their jobs go through one "
        "broker to one test database), or only the others (which `make test` runs in parallel)",
    )


def needs_the_services(item: pytest.Item) -> bool:
    """Whether the test needs PostgreSQL and Redis, a worker, a live server or the
    browser, or commits (its jobs then reach the broker)."""
    marker = item.get_closest_marker("django_db")
    commits = marker is not None and bool(marker.kwargs.get("transaction") or marker.args[:1] == (True,))
    return (
        commits
        or item.get_closest_marker("services") is not None
        or item.get_closest_marker("browser") is not None
        or bool(_SERVICE_FIXTURES & set(item.fixturenames))
    )


def pytest_collection_modifyitems(config, items):
    part = config.getoption("--suite-part")
    if part == "all":
        return
    keep = [item for item in items if needs_the_services(item) == (part == "services")]
    if len(keep) < len(items):
        kept = set(keep)
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = keep


@pytest.fixture(scope="session")
def services(django_db_setup, django_db_blocker):
    """PostgreSQL as the test database and Redis as the broker."""
    from django.db import connection

    require(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL)")
    require(settings.CELERY_BROKER_URL.startswith("redis://"), "needs Redis (CELERY_BROKER_URL)")
    require(
        _redis_answers(settings.CELERY_BROKER_URL), f"Redis at {settings.CELERY_BROKER_URL} does not answer"
    )


def database_url() -> str:
    """The test database's address, for the processes a test starts."""
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="session")
def worker_heartbeat_file(tmp_path_factory) -> Path:
    """The file the session's Celery worker touches at each heartbeat."""
    return tmp_path_factory.mktemp("heartbeat") / "worker-heartbeat"


@pytest.fixture(scope="session")
def celery_worker(services, tmp_path_factory, worker_heartbeat_file):
    """A real `celery worker` process on the test database and Redis."""
    from newsapp.celery import app

    app.control.purge()  # messages left by an earlier run name rows that no longer exist
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "WORKER_HEARTBEAT_FILE": str(worker_heartbeat_file),
        # Tests serve the feeds and pages the worker fetches on 127.0.0.1.
        "ALLOW_PRIVATE_URLS": "true",
        "SOURCE_HOST_DELAY": "0",
    }
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            worker_command("--pool=solo", "--loglevel=INFO", "--hostname", f"test-{os.getpid()}@%h",
                           "--without-gossip", "--without-mingle"),
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_until(
            lambda: process.poll() is not None or b"ready." in log_path.read_bytes(),
            timeout=90,
            message="the Celery worker to start",
        )
        assert process.poll() is None, log_path.read_text()
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "worker.log").write_bytes(log_path.read_bytes())


@pytest.fixture(scope="session", autouse=True)
def _static_files_without_collectstatic():
    """Pages in tests link static files by their plain names.

    The site's manifest storage needs `collectstatic` first; tests/test_static.py
    checks that storage on its own.
    """
    from django.test import override_settings

    plain = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain):
        yield


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory) -> Path:
    """A STATIC_ROOT filled by `manage.py collectstatic`, for servers started by a test."""
    root = tmp_path_factory.mktemp("staticfiles")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=REPO, env={**os.environ, "STATIC_ROOT": str(root)}, check=True, timeout=120,
    )  # fmt: skip
    return root


@pytest.fixture(autouse=True)
def _quick_password_hashing(request):
    """Passwords hashed with a fast hasher: the site's own (PBKDF2, a million
    rounds) cost most of each sign-in test; no test is about the hasher. Not
    with the services: a server a test starts checks passwords with the site's own."""
    if needs_the_services(request.node):
        yield
        return
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session")
def page_server():
    """The seed articles as news pages, and other pages a site may answer with,
    served on 127.0.0.1 (``tests.served_pages``); the base URL, ending in /."""
    from tests.served_pages import serve_pages

    with serve_pages() as base:
        yield base


SEED_PREFIXES = ("000", "001", "002", "003", "004")


@pytest.fixture(scope="module")
def seeded_db(django_db_setup, django_db_blocker):
    """The five seed articles, extracted and stored once for a module of read-only page tests.

    They are written in a transaction held open for the module and rolled back at its
    end; each test runs in a savepoint inside it (pytest-django's ``db``), so what a test
    writes is undone after it and the next one finds the seeds as they were stored. Only
    for modules whose tests run in a transaction (``django_db``, not ``transaction=True``).
    """
    from django.db import transaction

    from tests.factories import import_seed

    with django_db_blocker.unblock():
        seeding = transaction.atomic()
        seeding.__enter__()
        for prefix in SEED_PREFIXES:
            import_seed(prefix)
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            seeding.__exit__(None, None, None)


@pytest.fixture
def seeded(seeded_db, db):
    """Jens Stoltenberg, as the seed articles stored him (``seeded_db``)."""
    from quotes.models import Speaker

    return Speaker.objects.get(name="Jens Stoltenberg")


_BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def chromium():
    """Headless Chromium, started once for a module of browser tests."""
    require(Path(CHROMIUM).exists(), "needs Chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread while it is started; the
    # tests' own database calls are still plain synchronous ones.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=_BROWSER_ARGS)
            try:
                yield browser
            finally:
                browser.close()


@pytest.fixture
def page(chromium):
    """A tab of its own (fresh cookies, storage and permissions) in the module's Chromium."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


class MigrationStep:
    """The database taken back to ``before`` (its models as ``apps``), moved on by
    ``forward()`` to ``after``, and brought to the latest migrations when the test ends."""

    def __init__(self, before: str, after: str) -> None:
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        self._connection, self._executor_class = connection, MigrationExecutor
        self.before, self.after = [("quotes", before)], [("quotes", after)]
        executor = MigrationExecutor(connection)
        executor.migrate(self.before)
        self.apps = executor.loader.project_state(self.before).apps

    def forward(self) -> None:
        self._executor_class(self._connection).migrate(self.after)

    def finish(self) -> None:
        executor = self._executor_class(self._connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def migration_step():
    """``migration_step(before, after)``: a data migration tested on rows made before it
    (needs ``django_db(transaction=True)``)."""
    steps: list[MigrationStep] = []

    def step(before: str, after: str) -> MigrationStep:
        steps.append(MigrationStep(before, after))
        return steps[-1]

    yield step
    for made in steps:
        made.finish()


@pytest.fixture
def no_enqueue(monkeypatch):
    """Record extraction jobs instead of sending them to a broker."""
    from quotes import queue

    sent: list[int] = []
    monkeypatch.setattr(queue, "extract_article", lambda article_id: sent.append(article_id))
    monkeypatch.setattr(queue, "extract_articles", lambda article_ids: sent.extend(article_ids))
    return sent


@pytest.fixture
def carried(db):
    """One statement carried by three outlets, a day apart: faithfully, with
    its "not" dropped, and reworded (``tests.factories``)."""
    from tests.factories import FAITHFUL, NOT_DROPPED, REWORDED, nato_story

    first = nato_story("Reuters", FAITHFUL, date(2022, 12, 12))
    changed = nato_story("Daily Spin", NOT_DROPPED, date(2022, 12, 13))
    reworded = nato_story("Wire Copy", REWORDED, date(2022, 12, 14))
    return first, changed, reworded


@pytest.fixture
def story(db):
    """A statement two outlets carried the same day, and a paraphrase, on rows made here."""
    from quotes.models import Family, Outlet, Speaker, normalize_name
    from tests.factories import make_article, make_version

    speaker = Speaker.objects.create(name="Jens Stoltenberg", slug="jens-stoltenberg")
    for name in ("Jens Stoltenberg", "Stoltenberg"):
        speaker.aliases.create(name=name, normalized=normalize_name(name))
    wire = Outlet.objects.create(name="Wire", slug="wire")
    daily = Outlet.objects.create(name="Daily", slug="daily")
    first = make_article(
        wire,
        "Talks stalled on Monday. “Trust has been destroyed,” Stoltenberg said. "
        "He said the alliance would stay united. Later he spoke again.",
        date(2024, 5, 1),
        url="https://www.wire.example/story",
        title="NATO chief warns",
    )
    same_day = make_article(
        daily, "Opening line. “Trust has been destroyed,” Stoltenberg said at the summit.", date(2024, 5, 1)
    )
    direct = Family.objects.create(
        text="Trust has been destroyed,", speaker=speaker, first_seen=date(2024, 5, 1)
    )
    paraphrase = Family.objects.create(
        text="the alliance would stay united", speaker=speaker, first_seen=date(2024, 5, 1)
    )
    make_version(first, direct, "Trust has been destroyed,", "direct", cue="said", confidence=0.9)
    make_version(same_day, direct, "Trust has been destroyed,", "direct", cue="said", confidence=0.9)
    make_version(
        first,
        paraphrase,
        "the alliance would stay united",
        "indirect",
        cue="said",
        speaker_mention="He",
        confidence=0.5,
    )
    return {"speaker": speaker, "direct": direct, "paraphrase": paraphrase, "first": first, "wire": wire}


@pytest.fixture
def editor(db):
    """A user in the editor group, who may upload and correct."""
    from django.contrib.auth.models import User

    from quotes.permissions import editors_group

    user = User.objects.create_user("editor", password="a-long-editor-password")
    user.groups.add(editors_group())
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (upload rate counts live there)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
