"""A Content-Security-Policy header on every response.

Django 5.2 has none built in. The pages load their one script (htmx) and
their stylesheet from this site, with no inline script or style, so the
policy can refuse everything else: an injected ``<script>`` would not run.
"""

from __future__ import annotations

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response
