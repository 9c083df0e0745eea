"""The web process stays light: it queues extraction but never loads spaCy."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, wait_until

# Everything a web worker imports: the WSGI app, every view of the URLconf,
# the admin, and the module it queues jobs through (by task name: the
# pipeline is never imported); then the tasks and the pipeline, which a
# worker imports, load no spaCy either until a worker process starts.
_IMPORT_THE_WEB_APP = """
import json, sys
import newsapp.wsgi
from django.urls import get_resolver
get_resolver().url_patterns
import quotes.admin, quotes.ingest, quotes.queue, quotes.views
print(json.dumps(sorted(name for name in ("quotes.tasks", "quotes.pipeline") if name in sys.modules)))
import quotes.tasks, quotes.pipeline
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in {"spacy", "thinc"})))
"""


@pytest.mark.slow  # a new interpreter imports the whole web app
def test_importing_the_wsgi_app_and_its_views_imports_neither_the_pipeline_nor_spacy(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "QUOTEWISE_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "newsapp.settings",
    }
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_THE_WEB_APP],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-2]) == []  # the web imports neither
    assert json.loads(done.stdout.splitlines()[-1]) == []


@pytest.mark.slow  # a new interpreter, which loads the spaCy model
def test_a_worker_still_loads_the_model_when_its_process_starts():
    # In its parse process (quotes.extraction.parse_process), before its first task.
    from quotes import pipeline, tasks

    tasks._start_parse_process()
    try:
        process = pipeline._parse_process
        assert process is not None and process.pid is not None
        maps = Path(f"/proc/{process.pid}/maps")
        wait_until(lambda: "/spacy/" in maps.read_text(), timeout=120, message="the parse process's spaCy")
    finally:
        tasks._stop_parse_process()
