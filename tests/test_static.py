"""Static files as production serves them: hashed names, compressed copies, long cache headers."""

from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from newsapp import settings as project_settings


def test_the_site_uses_whitenoises_compressed_manifest_storage():
    backend = project_settings.STORAGES["staticfiles"]["BACKEND"]
    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.mark.slow  # collectstatic in a new interpreter (once per run, shared)
def test_collectstatic_writes_hashed_and_compressed_copies(collected_static):
    manifest = json.loads((collected_static / "staticfiles.json").read_text())["paths"]
    hashed = manifest["quotes/site.css"]
    assert hashed != "quotes/site.css" and hashed.startswith("quotes/site.") and hashed.endswith(".css")
    assert (collected_static / hashed).is_file()
    assert (collected_static / f"{hashed}.gz").is_file()


@pytest.mark.slow  # collectstatic in a new interpreter (once per run, shared)
@pytest.mark.django_db
def test_pages_link_hashed_names_served_with_far_future_cache_headers(collected_static):
    with override_settings(STATIC_ROOT=collected_static, STORAGES=project_settings.STORAGES):
        client = Client()  # a new client builds whitenoise's file list from this STATIC_ROOT
        page = client.get(reverse("quotes:home")).content.decode()
        hashed = json.loads((collected_static / "staticfiles.json").read_text())["paths"]["quotes/site.css"]
        assert f'href="/static/{hashed}"' in page
        response = client.get(f"/static/{hashed}", HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        assert "immutable" in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"]
