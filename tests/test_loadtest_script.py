"""The load test drops only a database it created, and says which Redis database it purges."""

from __future__ import annotations

import importlib.util
import uuid

import psycopg
import pytest
from django.conf import settings

from tests.conftest import REPO, database_url

pytestmark = [pytest.mark.services]


def _loadtest():
    spec = importlib.util.spec_from_file_location("loadtest", REPO / "scripts" / "loadtest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_redis_database_to_be_purged_is_read_from_the_url():
    loadtest = _loadtest()
    assert loadtest._redis_database("redis://127.0.0.1:6379/12") == "12"
    assert loadtest._redis_database("redis://127.0.0.1:6379") == "0"


@pytest.fixture
def admin_url(services):
    return database_url().rsplit("/", 1)[0] + "/postgres"


def _exists(admin_url: str, name: str) -> bool:
    with psycopg.connect(admin_url) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def test_a_database_the_load_test_did_not_create_is_never_dropped(admin_url):
    loadtest = _loadtest()
    name = f"{settings.DATABASES['default']['NAME']}_someone_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        with pytest.raises(SystemExit, match="was not created by the load test"):
            loadtest._recreate_database(admin_url, name)
        assert _exists(admin_url, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_its_own_database_is_recreated_run_after_run(admin_url):
    loadtest = _loadtest()
    name = f"{settings.DATABASES['default']['NAME']}_load_{uuid.uuid4().hex[:6]}"
    try:
        loadtest._recreate_database(admin_url, name)
        loadtest._recreate_database(admin_url, name)  # the second run finds its mark and goes on
        assert _exists(admin_url, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
