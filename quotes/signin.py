"""Sign-in throttling: repeated failed passwords, per account and per address.

Failures are counted in the cache (like the upload limit) in fixed windows of
``SIGNIN_FAILURE_WINDOW`` seconds. Past ``SIGNIN_FAILURES_PER_ACCOUNT`` for an
account, or ``SIGNIN_FAILURES_PER_ADDRESS`` from one address, every attempt
is refused until the window ends, the right password included: guessing
stops paying. Used by the site's sign-in page and the admin's.
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError

log = logging.getLogger(__name__)


def _keys(username: str, address: str) -> list[tuple[str, int]]:
    window = int(time.time() // settings.SIGNIN_FAILURE_WINDOW)
    account = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [
        (f"signin-fail:account:{account}:{window}", settings.SIGNIN_FAILURES_PER_ACCOUNT),
        (f"signin-fail:address:{address}:{window}", settings.SIGNIN_FAILURES_PER_ADDRESS),
    ]


def is_throttled(username: str, address: str) -> bool:
    try:
        counts = cache.get_many([key for key, _ in _keys(username, address)])
    except Exception:  # noqa: BLE001 - a cache that is down must not lock everyone out
        log.warning("sign-in throttle not checked: the cache does not answer", exc_info=True)
        return False
    return any(counts.get(key, 0) >= limit for key, limit in _keys(username, address))


def record_failure(username: str, address: str) -> None:
    log.info("failed sign-in for account %r from %s", username, address)
    try:
        for key, _ in _keys(username, address):
            cache.add(key, 0, timeout=settings.SIGNIN_FAILURE_WINDOW * 2)
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=settings.SIGNIN_FAILURE_WINDOW * 2)
    except Exception:  # noqa: BLE001
        log.warning("sign-in failure not counted: the cache does not answer", exc_info=True)


def client_address(request) -> str:
    # REMOTE_ADDR: a forwarded-for header is the client's to invent.
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


class _Throttled:
    """An authentication form that refuses attempts past the limits, and counts failures."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request)
        if is_throttled(username, address):
            log.warning("sign-in refused after too many failures: account %r, address %s", username, address)
            minutes = max(1, settings.SIGNIN_FAILURE_WINDOW // 60)
            raise ValidationError(
                "Too many failed sign-ins for this account or from this address. "
                f"Sign-in is paused: try again in {minutes} minutes.",
                code="throttled",
            )
        try:
            return super().clean()
        except ValidationError:
            record_failure(username, address)
            raise


class ThrottledAuthenticationForm(_Throttled, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(_Throttled, AdminAuthenticationForm):
    pass
