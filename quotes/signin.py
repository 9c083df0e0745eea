"""Sign-in throttling: repeated failed passwords, per account from one client and per client.

Failures are counted in the cache (like the upload limit) in fixed windows of
``SIGNIN_FAILURE_WINDOW`` seconds. Past ``SIGNIN_FAILURES_PER_ACCOUNT`` for an
account from one client, or ``SIGNIN_FAILURES_PER_ADDRESS`` from one client,
that client's attempts are refused until the window ends, the right password
included: guessing stops paying. Another client, that has not failed, still
signs in to the account: whoever fails cannot lock its owner out.

A client is its address: the connecting one, or, when that is one of the
``TRUSTED_PROXIES``, the address the proxy put last in X-Forwarded-For (what a
client sends there itself comes before it, and is not believed). Used by the
site's sign-in page and the admin's.
"""

from __future__ import annotations

import hashlib
import ipaddress
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
        (f"signin-fail:account:{account}:{address}:{window}", settings.SIGNIN_FAILURES_PER_ACCOUNT),
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
    """The client's address: the connecting one, or the one a trusted proxy forwarded."""
    if request is None:
        return ""
    connecting = request.META.get("REMOTE_ADDR", "")
    if connecting not in settings.TRUSTED_PROXIES:
        # A forwarded-for header sent by anyone else is the client's to invent.
        return connecting
    # The proxy appends the address it received the request from; a proxy in
    # front of it (also trusted) appended the one before; the first address
    # that is not a trusted proxy is the client. Anything before that came
    # with the request, written by the client.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for candidate in reversed([part.strip() for part in forwarded]):
        if candidate in settings.TRUSTED_PROXIES:
            continue
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            break  # not an address: a proxy would not have written it
    return connecting


class _Throttled:
    """An authentication form that refuses attempts past the limits, and counts failures."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request)
        if is_throttled(username, address):
            log.warning("sign-in refused after too many failures: account %r, address %s", username, address)
            minutes = max(1, settings.SIGNIN_FAILURE_WINDOW // 60)
            raise ValidationError(
                "Too many failed sign-ins from this address. "
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
