"""Deployment as written: docker-compose.yml, the Dockerfile, the settings files and the lock files.

There is no Docker engine in CI, so the compose file is read, and the parts
that can run outside a container (the health checks) are run.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, wait_until

COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP = ("migrate", "web", "worker", "beat")  # the services that run the app's image
LONG_RUNNING = ("db", "redis", "web", "worker", "beat")


def _health_command(service: str) -> list[str]:
    test = SERVICES[service]["healthcheck"]["test"]
    assert test[0] == "CMD", f"{service}: an exec-form health check"
    return test[1:]


# docker-compose.yml -------------------------------------------------------------------------


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_reads_an_optional_env_file(service):
    assert {"path": ".env", "required": False} in SERVICES[service]["env_file"]


def test_migrations_run_once_before_the_app_starts():
    migrate = SERVICES["migrate"]
    assert migrate["command"][-3:] == ["manage.py", "migrate", "--noinput"]
    assert migrate["restart"] == "no"
    for service in ("web", "worker", "beat"):
        depends = SERVICES[service]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}, service
        assert "migrate" not in " ".join(SERVICES[service]["command"]), service


def test_static_files_are_collected_at_build_not_at_start():
    for service in APP:
        assert "collectstatic" not in " ".join(SERVICES[service]["command"]), service
    assert re.search(r"^RUN .*manage\.py collectstatic --noinput", DOCKERFILE, re.MULTILINE)


@pytest.mark.parametrize("service", LONG_RUNNING)
def test_long_running_services_restart_unless_stopped(service):
    assert SERVICES[service]["restart"] == "unless-stopped"


def test_one_image_is_built_once_and_shared():
    built = [name for name, service in SERVICES.items() if "build" in service]
    assert built == ["migrate"]  # the first app service to run
    images = {SERVICES[name]["image"] for name in APP}
    assert len(images) == 1
    for name in ("web", "worker", "beat"):
        assert SERVICES[name]["pull_policy"] == "never", name  # never fetched from a registry


def test_counters_are_shared_through_redis():
    for service in APP:
        environment = SERVICES[service]["environment"]
        assert environment["CACHE_URL"].startswith("${CACHE_URL:-redis://redis:6379/"), service
        assert environment["CELERY_BROKER_URL"].startswith("${CELERY_BROKER_URL:-redis://redis:6379/")
        assert environment["DATABASE_URL"].startswith(
            "${DATABASE_URL:-postgres://quotewise:quotewise@db:5432/"
        )


def test_the_secret_key_must_be_given():
    assert SERVICES["web"]["environment"]["SECRET_KEY"].startswith("${SECRET_KEY:?")


def test_web_health_check_asks_healthz_on_the_port_gunicorn_binds():
    command = " ".join(_health_command("web"))
    assert "http://127.0.0.1:8000/healthz" in command
    assert "0.0.0.0:8000" in SERVICES["web"]["command"]


@pytest.mark.django_db(transaction=True)
def test_web_health_check_passes_against_a_running_site(live_server, settings):
    settings.ALLOWED_HOSTS = ["quotes.example.org"]  # /healthz answers the container's address anyway
    command = [sys.executable, *_health_command("web")[1:]]
    command[-1] = command[-1].replace("http://127.0.0.1:8000", live_server.url)
    result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr


def test_worker_health_check_starts_no_celery_process():
    command = _health_command("worker")
    assert command[:2] == ["python", "-c"] and "celery" not in " ".join(command)
    heartbeat = SERVICES["worker"]["environment"]["WORKER_HEARTBEAT_FILE"]
    assert heartbeat in command[-1]


@pytest.mark.parametrize(("age", "healthy"), [(1, True), (120, False), (None, False)])
def test_worker_health_check_reads_the_heartbeat_files_age(tmp_path, age, healthy):
    heartbeat = tmp_path / "worker-heartbeat"
    if age is not None:
        heartbeat.touch()
        os.utime(heartbeat, (time.time() - age, time.time() - age))
    command = _health_command("worker")
    script = command[-1].replace(SERVICES["worker"]["environment"]["WORKER_HEARTBEAT_FILE"], str(heartbeat))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=30)
    assert (result.returncode == 0) == healthy


@pytest.mark.services
@pytest.mark.slow  # waits for a real worker's heartbeats
def test_a_running_worker_keeps_its_heartbeat_file_fresh(celery_worker, worker_heartbeat_file):
    wait_until(worker_heartbeat_file.exists, timeout=60, message="the first heartbeat")
    first = worker_heartbeat_file.stat().st_mtime
    wait_until(
        lambda: worker_heartbeat_file.stat().st_mtime > first, timeout=30, message="the next heartbeat"
    )


# The image ----------------------------------------------------------------------------------

DOCKERFILE = (REPO / "Dockerfile").read_text()


def test_the_image_installs_the_locked_versions_with_their_hashes():
    assert "COPY requirements.lock ." in DOCKERFILE
    assert re.search(r"pip install .*--require-hashes.* -r requirements\.lock", DOCKERFILE)


@pytest.mark.parametrize("ignore_file", [".gitignore", ".dockerignore"])
def test_env_files_stay_out_of_git_and_the_image(ignore_file):
    lines = (REPO / ignore_file).read_text().splitlines()
    assert ".env" in lines


def test_git_ignores_env_but_not_the_example():
    check = ["git", "check-ignore", "--no-index", ".env", ".env.example"]
    ignored = subprocess.run(check, cwd=REPO, capture_output=True, text=True).stdout.split()
    assert ignored == [".env"]


# Settings: what the README documents is what the code reads, and .env.example lists it ------


def _readme_settings() -> set[str]:
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row)}


def test_the_readme_documents_every_setting_the_app_reads():
    code = (REPO / "newsapp" / "settings.py").read_text()
    read = set(re.findall(r'(?:environ(?:\.get)?\(?\[?|env_(?:bool|list)\()"([A-Z][A-Z0-9_]+)"', code))
    assert read - _readme_settings() == set()
    assert _readme_settings() - read == set()
    assert {"SECURE_HTTPS", "CACHE_URL", "EMAIL_HOST", "SECURE_PROXY_SSL_HEADER"} <= read


def test_env_example_lists_every_documented_setting():
    example = (REPO / ".env.example").read_text()
    listed = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))
    assert _readme_settings() - listed == set()
    assert re.search(r"^SECRET_KEY=$", example, re.MULTILINE)  # the one value to fill in


# Lock files ---------------------------------------------------------------------------------


def _pins(path: Path) -> dict[str, str]:
    """name → version of each `name==version` line (extras and markers dropped)."""
    pins = {}
    for line in path.read_text().splitlines():
        found = re.match(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", line)
        if found:
            pins[re.sub(r"[-_.]+", "-", found.group(1)).lower()] = found.group(2)
    return pins


@pytest.mark.parametrize(
    ("requirements", "lock"),
    [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")],
)
def test_lock_files_hold_every_pinned_requirement(requirements, lock):
    wanted, locked = _pins(REPO / requirements), _pins(REPO / lock)
    stale = {name: version for name, version in wanted.items() if locked.get(name) != version}
    assert stale == {}, f"run `make lock`: {lock} lacks {stale}"


def test_development_installs_what_the_image_runs():
    runtime, development = _pins(REPO / "requirements.lock"), _pins(REPO / "requirements-dev.lock")
    assert {name: development.get(name) for name in runtime} == runtime
    assert set(_pins(REPO / "requirements-dev.txt")) <= set(development)


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_every_locked_package_has_a_hash(lock):
    text = (REPO / lock).read_text()
    hashes = r"((?: \\\n +--hash=sha256:[0-9a-f]{64})*)"
    entries = re.findall(r"^([A-Za-z0-9][^\s=]*)==\S+" + hashes, text, re.MULTILINE)
    assert len(entries) == len(_pins(REPO / lock)) > 50
    assert [name for name, hashes in entries if not hashes] == []


# Release metadata ---------------------------------------------------------------------------


def test_the_changelog_starts_with_the_version_in_pyproject():
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    releases = re.findall(r"^## (\d+\.\d+\.\d+)\b", (REPO / "CHANGELOG.md").read_text(), re.MULTILINE)
    assert releases[0] == project["version"]
    assert project["name"] == "quotewise" and project["requires-python"] == ">=3.11"
