"""Faults with real processes: killed workers, a broker that goes away, workers racing.

Each test starts its own `celery worker` processes on the test database,
listening on a queue of their own, so a session worker started by other
tests never takes their messages. Redelivery after a worker dies:

* a pool child killed mid-task: the parent rejects the message
  (``task_reject_on_worker_lost``) and it is delivered again at once;
* the whole worker killed: Redis gives the unacknowledged message to another
  worker once ``visibility_timeout`` has passed; the test worker sets it short
  with ``CELERY_VISIBILITY_TIMEOUT`` (production keeps it above the time limit).

The stalled-article sweep (for uploads made while the broker was down) is
exercised in the Redis test.
"""

from __future__ import annotations

import http.cookiejar
import itertools
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db.models import Count
from django.utils.text import slugify
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsapp.celery import worker_command
from quotes import queue
from quotes.extraction import extract, load_model
from quotes.ingest import ingest_article
from quotes.models import Article, Family, Speaker
from quotes.tasks import extract_article
from tests.conftest import ARTIFACTS, REPO, database_url, require, seed_text, wait_until

SERVICES = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
# Seed article 000 is about 4,000 characters; this many copies take a
# worker several seconds, long enough to be killed in the middle.
SLOW_COPIES = 20


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Started:
    name: str
    process: subprocess.Popen
    log: Path

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def successes(self) -> int:
        return len(re.findall(r"Task quotes\.tasks\.extract_article\[[^\]]+\] succeeded", self.text()))


@pytest.fixture
def processes(services, transactional_db, tmp_path):
    """Start processes for one test; all are stopped before its database is emptied."""
    started: list[Started] = []
    queue = f"faults-{uuid.uuid4().hex[:10]}"

    def start(name: str, args: list[str], env: dict | None = None, ready: bytes | None = None) -> Started:
        log = tmp_path / f"{name}.log"
        full_env = {**os.environ, "DATABASE_URL": database_url(), **(env or {})}
        with open(log, "wb") as out:
            process = subprocess.Popen(args, cwd=REPO, env=full_env, stdout=out, stderr=subprocess.STDOUT)
        item = Started(name, process, log)
        started.append(item)
        if ready:
            wait_until(
                lambda: process.poll() is not None or ready in log.read_bytes(),
                timeout=90,
                message=f"{name} to start",
            )
            assert process.poll() is None, item.text()
        return item

    def worker(
        name: str,
        pool: str = "solo",
        env: dict | None = None,
        listen: str | None = None,
        concurrency: int = 1,
    ) -> Started:
        args = worker_command(
            f"--pool={pool}",
            f"--concurrency={concurrency}",
            "--loglevel=INFO",
            "--hostname",
            f"{name}-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            listen or queue,
        )
        return start(name, args, env, ready=b"ready.")

    start.worker = worker
    start.queue = queue
    try:
        yield start
    finally:
        for item in started:
            if item.process.poll() is None:
                item.process.terminate()
                try:
                    item.process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    item.process.kill()
                    item.process.wait()
        ARTIFACTS.mkdir(exist_ok=True)
        for item in started:
            shutil.copyfile(item.log, ARTIFACTS / f"faults-{item.name}.log")
        _purge(queue)


def _purge(queue: str) -> None:
    from newsapp.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(queue)
    except Exception:  # noqa: BLE001 - the queue may not exist; nothing to clean then
        pass


def _article(copies: int) -> Article:
    text, _ = seed_text("000")
    body = f"Fault drill {uuid.uuid4().hex}\n\n" + "\n\n".join([text] * copies)
    return ingest_article(outlet="Fault Drill", title="Fault drill", text=body, enqueue=False).article


def _status(article: Article) -> str:
    article.refresh_from_db()
    return article.status


def _assert_one_result(article: Article) -> None:
    """DONE, versions that point into the text, and no family made twice."""
    article.refresh_from_db()
    assert article.status == Article.Status.DONE, article.error
    versions = list(article.versions.all())
    assert versions
    spans = [(o.in_title, o.start, o.end) for o in versions]
    assert len(spans) == len(set(spans))
    assert all(article.text[o.start : o.end] == o.text for o in versions if not o.in_title)
    doubled = Family.objects.values("fingerprint", "speaker").annotate(n=Count("id")).filter(n__gt=1)
    assert not doubled.exists(), list(doubled)
    assert not Family.objects.filter(versions__isnull=True).exists()


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


# Upload while the broker is down (no services needed) -------------------------


def test_upload_succeeds_and_stays_queued_when_the_broker_refuses(
    editor_client, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    def broker_down(article_id):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    monkeypatch.setattr(queue, "extract_article", broker_down)
    data = {"outlet": "Example", "title": "T", "text": "“We stay,” she said."}
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post("/articles/new/", data)
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.QUEUED
    assert "the sweep will send them" in caplog.text


# Killed workers ---------------------------------------------------------------


@pytest.mark.services
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_extraction_is_replaced_and_the_article_done_once(processes):
    short = {"CELERY_VISIBILITY_TIMEOUT": "3"}
    first = processes.worker("doomed", env=short)
    article = _article(SLOW_COPIES)
    extract_article.apply_async((article.pk,), queue=processes.queue)
    wait_until(lambda: _status(article) == Article.Status.RUNNING, 60, 0.05, "extraction to start")
    os.kill(first.process.pid, signal.SIGKILL)
    first.process.wait(timeout=10)
    assert _status(article) == Article.Status.RUNNING, "the worker finished before it was killed"
    assert not article.versions.exists()

    second = processes.worker("rescuer", env=short)
    # Redis restores the message once it has been unacknowledged for 3 s; the
    # new worker looks every 10 s.
    wait_until(lambda: _status(article) == Article.Status.DONE, 60, message="the redelivered extraction")
    _assert_one_result(article)
    assert first.successes() == 0 and second.successes() == 1


@pytest.mark.services
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_pool_process_killed_mid_extraction_is_retried_at_once(processes):
    worker = processes.worker("prefork", pool="prefork")
    article = _article(SLOW_COPIES)
    extract_article.apply_async((article.pk,), queue=processes.queue)
    wait_until(lambda: _status(article) == Article.Status.RUNNING, 60, 0.05, "extraction to start")
    (child,) = _children(worker.process.pid)
    os.kill(child, signal.SIGKILL)
    # reject_on_worker_lost: the parent puts the message back; a new child runs it.
    wait_until(lambda: _status(article) == Article.Status.DONE, 60, message="the retried extraction")
    _assert_one_result(article)
    assert "WorkerLostError" in worker.text() or "signal 9" in worker.text()
    assert worker.successes() == 1


@pytest.mark.services
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_pool_process_killed_at_every_attempt_leaves_the_article_failed(processes):
    # What the hard time limit does to a poison article: its process is killed,
    # the message comes back, and without a count it would run for ever.
    worker = processes.worker("poisoned", pool="prefork")
    article = _article(SLOW_COPIES)
    extract_article.apply_async((article.pk,), queue=processes.queue)
    for attempt in (1, 2, 3):
        wait_until(
            lambda n=attempt: Article.objects.filter(pk=article.pk, attempts=n, status="running").exists(),
            60, 0.05, f"attempt {attempt} to start",
        )  # fmt: skip
        (child,) = wait_until(lambda: _children(worker.process.pid), 30, 0.05, "a pool process")
        os.kill(child, signal.SIGKILL)
        wait_until(lambda pid=child: pid not in _children(worker.process.pid), 30, 0.05, "the process to go")
    wait_until(lambda: _status(article) == Article.Status.FAILED, 60, message="the article to be given up")
    assert "started 3 times and never finished" in article.error
    assert not article.versions.exists()


@pytest.mark.services
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_stops_an_article_at_the_soft_time_limit_and_says_so(processes):
    # EXTRACTION_TIME_LIMIT=10: soft limit at 8 s; this article takes longer.
    # (A message carries its sender's limits: here those of a site set so too.)
    processes.worker("limited", pool="prefork", env={"EXTRACTION_TIME_LIMIT": "10"})
    article = _article(SLOW_COPIES * 8)
    extract_article.apply_async((article.pk,), queue=processes.queue, time_limit=10, soft_time_limit=8)
    wait_until(lambda: _status(article) == Article.Status.FAILED, 60, message="the soft time limit")
    assert "longer than its 8-second limit" in article.error
    assert article.attempts == 1


@pytest.mark.services
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_on_one_article_leave_one_result(processes):
    workers = [processes.worker("racer-a"), processes.worker("racer-b")]
    article = _article(SLOW_COPIES // 2)
    for _ in workers:
        extract_article.apply_async((article.pk,), queue=processes.queue)
    # Each worker holds one unacknowledged message at a time, so each gets one.
    wait_until(lambda: all(w.successes() == 1 for w in workers), 90, message="both workers to finish")
    _assert_one_result(article)


_STATEMENTS = [
    ("Maria Okafor", "We will build forty new schools in the northern districts", "before the winter comes"),
    (
        "Maria Okafor",
        "The harbour tunnel will stay closed to lorries",
        "until the repairs are finished next spring",
    ),
    ("Tomas Lindqvist", "Our hospitals need two thousand more nurses", "and we intend to train them here"),
    ("Tomas Lindqvist", "Nobody in this government will raise the fuel tax", "while prices keep climbing"),
    ("Hana Moreau", "The river flood defences failed because nobody maintained them", "for over a decade"),
    (
        "Hana Moreau",
        "I have asked the auditors to examine every railway contract",
        "signed since the election",
    ),
    ("Kofi Almeida", "Farmers deserve a fair price for their milk", "and the supermarkets know it"),
    (
        "Kofi Almeida",
        "We are ready to sign the fishing agreement tomorrow morning",
        "if the other side agrees",
    ),
    ("Priya Santos", "The museum will open its doors free of charge on Sundays", "starting in September"),
    (
        "Priya Santos",
        "This budget protects pensions and cuts waste in ministries",
        "without closing a single library",
    ),
]
_CUES = ["said on Monday", "told reporters", "said in a statement"]


def _race_article(number: int) -> tuple[str, str, str]:
    """(outlet, title, text): the ten statements, each article beginning with
    another; the full versions in even-numbered articles, shorter ones in
    odd-numbered ones."""
    paragraphs = [f"Council round-up number {number} from the regional desk."]
    for offset in range(len(_STATEMENTS)):
        speaker, words, more = _STATEMENTS[(number + offset) % len(_STATEMENTS)]
        quoted = f"{words} {more}" if number % 2 == 0 else words
        paragraphs.append(f"“{quoted},” {speaker} {_CUES[offset % len(_CUES)]}.")
    return f"Race Outlet {number % 8}", f"Round-up {number}", "\n\n".join(paragraphs)


@pytest.mark.services
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("speakers_known", [True, False], ids=["known-speakers", "new-speakers"])
def test_four_worker_processes_on_forty_articles_sharing_ten_statements_make_ten_families(
    processes, speakers_known
):
    worker = processes.worker("racers", pool="prefork", concurrency=4)
    for name in sorted({speaker for speaker, _, _ in _STATEMENTS}) if speakers_known else ():
        # Known already, the writes race on families alone: new names take
        # turns (quotes.speakers), which also keeps their families apart in time.
        speaker = Speaker.objects.create(name=name, slug=slugify(name))
        speaker.aliases.create(name=name, normalized=name.lower())
    articles = []
    for number in range(40):
        outlet, title, text = _race_article(number)
        articles.append(ingest_article(outlet=outlet, title=title, text=text, enqueue=False).article)
    wait_until(lambda: len(_children(worker.process.pid)) == 4, 90, message="four pool processes")
    for article in articles:
        extract_article.apply_async((article.pk,), queue=processes.queue)
    finished = [Article.Status.DONE, Article.Status.FAILED]
    wait_until(
        lambda: Article.objects.filter(pk__in=[a.pk for a in articles], status__in=finished).count() == 40,
        180,
        message="the forty articles",
    )
    assert not Article.objects.filter(status=Article.Status.FAILED).exists(), worker.text()
    assert Family.objects.count() == 10
    for family in Family.objects.annotate(n=Count("versions")):
        assert family.n == 40
        # The full version became the canonical text, whichever came first.
        assert any(family.text.rstrip(",").endswith(more) for _, _, more in _STATEMENTS), family.text
    assert Speaker.objects.count() == 5
    # The articles really were written side by side.
    pids = set(re.findall(r"ForkPoolWorker-(\d+)", worker.text()))
    assert len(pids) > 1, worker.text()


_SYLLABLES = "ba de ki lo mu na pe ri so tu va ze".split()  # noqa: SIM905 - reads better as one string
_MADE_UP = ["".join(letters) for letters in itertools.product(_SYLLABLES, repeat=3)]
_FIRST = "Anna Boris Carla Dmitri Elena Felix Greta Hugo".split()  # noqa: SIM905
_LAST = "Abbott Brennan Castillo Dalton Eklund Fischer".split()  # noqa: SIM905


def _own_statements_article(number: int) -> tuple[str, str, str, str]:
    """(outlet, title, text, speaker): one of the ten shared statements, and two of the
    article's own, of made-up words, said by a speaker no other article quotes."""
    shared_speaker, words, more = _STATEMENTS[number % len(_STATEMENTS)]
    quoted = f"{words} {more}" if number % 2 == 0 else words
    own = _MADE_UP[number * 8 : number * 8 + 8]
    name = f"{_FIRST[number % len(_FIRST)]} {_LAST[number // len(_FIRST)]}"
    paragraphs = [
        f"Council round-up number {number} from the regional desk.",
        f"“{quoted},” {shared_speaker} said on Monday.",
        f"“The {own[0]} plan will bring {own[1]} and {own[2]} to every {own[3]} village,” {name} said.",
        f"“Nobody here has seen {own[4]} {own[5]} like this since the {own[6]} years,” {name} told us.",
    ]
    return f"Race Outlet {number % 8}", f"Own round-up {number}", "\n\n".join(paragraphs), name


@pytest.mark.services
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_four_worker_processes_placing_shared_and_different_statements_make_one_family_each(processes):
    """Forty articles, each with one of ten shared statements and two of its own by a
    speaker of its own: the placement locks are the speakers' (no statement is unnamed),
    so writes of different speakers run side by side, and still no family is made twice."""
    worker = processes.worker("partitions", pool="prefork", concurrency=4)
    names = {speaker for speaker, _, _ in _STATEMENTS}
    articles = []
    for number in range(40):
        outlet, title, text, name = _own_statements_article(number)
        names.add(name)
        articles.append(ingest_article(outlet=outlet, title=title, text=text, enqueue=False).article)
    for name in sorted(names):
        speaker = Speaker.objects.create(name=name, slug=slugify(name))
        speaker.aliases.create(name=name, normalized=name.lower())
    wait_until(lambda: len(_children(worker.process.pid)) == 4, 90, message="four pool processes")
    for article in articles:
        extract_article.apply_async((article.pk,), queue=processes.queue)
    finished = [Article.Status.DONE, Article.Status.FAILED]
    wait_until(
        lambda: Article.objects.filter(pk__in=[a.pk for a in articles], status__in=finished).count() == 40,
        180,
        message="the forty articles",
    )
    assert not Article.objects.filter(status=Article.Status.FAILED).exists(), worker.text()
    counts = Counter(
        (family.speaker.name, family.n)
        for family in Family.objects.select_related("speaker").annotate(n=Count("versions"))
    )
    shared = {speaker for speaker, _, _ in _STATEMENTS}
    assert sum(n for (name, _), n in counts.items() if name in shared) == 10
    assert all(versions == 4 for name, versions in counts if name in shared), counts
    assert sum(n for (name, _), n in counts.items() if name not in shared) == 80
    assert all(versions == 1 for name, versions in counts if name not in shared), counts
    assert Speaker.objects.count() == 45
    # Every write took its speakers' locks, and they really ran side by side.
    assert "partitions:" in worker.text() and "the whole lock" not in worker.text(), worker.text()
    pids = set(re.findall(r"ForkPoolWorker-(\d+)", worker.text()))
    assert len(pids) > 1, worker.text()


# The broker goes away ---------------------------------------------------------


def _start_redis(processes, port: int, name: str):
    require(shutil.which("redis-server") is not None, "needs the redis-server program")
    args = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    return processes(name, args, ready=b"Ready to accept connections")


class _Browser:
    """Just enough of a browser for Django forms: cookies and the CSRF token."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, str, str]:
        try:
            with self.opener.open(self.base + path, timeout=30) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.read().decode()

    def submit(self, path: str, fields: dict) -> tuple[int, str, str]:
        _, _, page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.read().decode()


@pytest.mark.services
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_an_upload_while_redis_is_down_is_processed_once_it_is_back(processes, editor, collected_static):
    redis_port, web_port = _free_port(), _free_port()
    broker = {"CELERY_BROKER_URL": f"redis://127.0.0.1:{redis_port}/0", "REQUEUE_QUEUED_AFTER": "0"}
    redis = _start_redis(processes, redis_port, "redis")
    processes(
        "web",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "newsapp.wsgi",
            "--bind",
            f"127.0.0.1:{web_port}",
            "--workers",
            "1",
        ],
        {**broker, "STATIC_ROOT": str(collected_static)},
        ready=b"Booting worker",
    )
    browser = _Browser(f"http://127.0.0.1:{web_port}")
    wait_until(lambda: browser.get("/healthz")[0] == 200, 30, message="the site to answer")
    status, url, _ = browser.submit(
        "/accounts/login/", {"username": "editor", "password": "a-long-editor-password"}
    )
    assert status == 200 and "/login/" not in url

    redis.process.kill()
    redis.process.wait(timeout=10)
    assert browser.get("/healthz")[0] == 503
    status, url, page = browser.submit(
        "/articles/new/", {"outlet": "Example", "title": "While down", "text": "“We stay,” she said."}
    )
    assert status == 200, page
    article = Article.objects.get(pk=int(re.search(r"/articles/(\d+)/$", url).group(1)))
    assert article.status == Article.Status.QUEUED

    _start_redis(processes, redis_port, "redis-again")
    sweep = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from quotes.tasks import requeue_stalled_articles as sweep; print('requeued', sweep())"],
        cwd=REPO, env={**os.environ, "DATABASE_URL": database_url(), **broker},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert "requeued 1" in sweep.stdout, sweep.stdout + sweep.stderr
    processes.worker("after-outage", env=broker, listen="celery")
    wait_until(lambda: _status(article) == Article.Status.DONE, 60, message="the article to be extracted")
    assert article.versions.count() == 1


# Extraction on hostile text: what tests/test_extraction_robustness.py leaves out
# (texts past the size at which extraction cuts them in pieces, with no
# paragraph break to cut at, and speaker offsets).

_MARKS = st.sampled_from(['"', "“", "”", "«", "»", "„", "‘", "’", "'", "‹", "›", "「", "」"])
_WORDS = st.sampled_from(["he said", "said Ms Ortiz", "according to officials", ", ", ". ", ": ", "—", "we"])
_PIECE = st.lists(st.one_of(_MARKS, _WORDS, st.text(max_size=12)), min_size=1, max_size=30).map("".join)


def _assert_offsets_hold(text: str) -> None:
    for finding in extract(text, load_model()):
        assert 0 <= finding.start < finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.text
        if finding.speaker_start is not None:
            assert 0 <= finding.speaker_start <= finding.speaker_end <= len(text)


@pytest.mark.slow  # spaCy over two 100,000-character paragraphs
@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_PIECE)
def test_a_huge_paragraph_with_stray_quote_marks_keeps_offsets_inside_the_text(piece):
    piece = piece.replace("\n", " ").replace("\r", " ") + " "
    text = "“" + piece * (101_000 // len(piece) + 1)  # one paragraph, past the 100,000-character cut
    _assert_offsets_hold(text)


@pytest.mark.slow  # spaCy over 40 long generated texts
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.text(min_size=1, max_size=200), _MARKS, _WORDS), max_size=40).map("".join))
def test_long_arbitrary_unicode_with_unbalanced_marks_keeps_offsets_inside_the_text(text):
    _assert_offsets_hold(text)
