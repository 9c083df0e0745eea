"""``/healthz``: whether this instance can serve, for load balancers and container health checks."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse

HEALTH_PATH = "/healthz"


class HealthCheckMiddleware:
    """Answers ``/healthz`` before Django looks at the Host header.

    A probe addresses the container by its own IP or name, which ALLOWED_HOSTS
    does not (and should not) list; the answer names no host, so it is safe to
    give whatever the request claims to be for.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTH_PATH:
            return healthz(request)
        return self.get_response(request)


def healthz(request: HttpRequest) -> JsonResponse:
    """Whether the database and the broker answer: 200 when both do, else 503."""
    checks = {"database": _database_answers(), "broker": _broker_answers()}
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        **{k: "ok" if v else "down" for k, v in checks.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        return False


def _broker_answers() -> bool:
    from newsapp.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # noqa: BLE001 - every kind of failure means "down"
        return False
