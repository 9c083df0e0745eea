"""Print the environment `make test` runs with: the real services when they answer.

PostgreSQL and Redis on 127.0.0.1 are used when reachable (and when the caller
has not chosen others). In CI (CI=true) they must be reachable: this exits 1
with the reason, so the test run fails instead of quietly skipping them.
"""

from __future__ import annotations

import os
import shlex
import socket
import sys

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/quotewise"
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/15"


def postgres_problem(url: str) -> str | None:
    import psycopg

    try:
        # Connect to the maintenance database: the test run creates its own.
        conninfo = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(conninfo, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"PostgreSQL at {url} is not reachable: {exc}"
    return None


def redis_problem(url: str) -> str | None:
    host_port = url.split("//", 1)[1].split("/", 1)[0].rsplit("@", 1)[-1]
    host, _, port = host_port.partition(":")
    try:
        with socket.create_connection((host, int(port or 6379)), timeout=3) as sock:
            sock.sendall(b"PING\r\n")
            if not sock.recv(16).startswith(b"+PONG"):
                return f"Redis at {url} did not answer PING"
    except OSError as exc:
        return f"Redis at {url} is not reachable: {exc}"
    return None


def main() -> int:
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    broker_url = os.environ.get("CELERY_BROKER_URL", DEFAULT_BROKER_URL)
    problems = [p for p in (postgres_problem(database_url), redis_problem(broker_url)) if p]
    in_ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    if problems and in_ci:
        for problem in problems:
            print(f"CI needs the real services: {problem}", file=sys.stderr)
        return 1
    if problems:
        for problem in problems:
            print(f"note: {problem}; service tests will be skipped", file=sys.stderr)
        return 0
    print(f"export DATABASE_URL={shlex.quote(database_url)}")
    print(f"export CELERY_BROKER_URL={shlex.quote(broker_url)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
