"""The real path: PostgreSQL, Redis and a `celery worker` process."""

import pytest
from django.core.management import CommandError, call_command

from quotes.models import Article
from tests.conftest import SEEDS, seed_path, wait_until

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def wait_for_done(article: Article, timeout: float = 120) -> Article:
    def finished():
        article.refresh_from_db()
        return article.is_finished

    wait_until(finished, timeout, message=f"article {article.pk} to be extracted")
    return article


def test_imported_seed_is_extracted_by_the_worker(celery_worker):
    call_command("import_articles", str(seed_path("001")), manifest=str(SEEDS / "manifest.json"))
    article = wait_for_done(Article.objects.get(outlet__name="ZeroHedge"))
    assert article.status == Article.Status.DONE, article.error
    version = article.versions.select_related("speaker").get(text__contains="Trust has been destroyed")
    assert version.speaker.name == "Jens Stoltenberg"
    assert article.text[version.start : version.end] == version.text


def test_the_worker_processes_a_whole_folder(celery_worker):
    call_command("import_articles", str(SEEDS))
    assert Article.objects.count() == 5
    for article in Article.objects.all():
        assert wait_for_done(article).status == Article.Status.DONE, article.error
    assert Article.objects.filter(versions__isnull=True).count() == 0


def test_import_reports_each_bad_file_and_fails(tmp_path, services):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "good.txt").write_text("Good title\n\n“We are here,” she said.")
    with pytest.raises(CommandError, match="1 of 2"):
        call_command("import_articles", str(tmp_path), outlet="Example", sync=True)
    assert Article.objects.get().title == "Good title"


def test_a_url_import_is_fetched_then_extracted_by_the_worker(celery_worker, editor_client, settings):
    from django.urls import reverse

    from tests.served_pages import SEED_PAGES, serve_pages

    settings.ALLOW_PRIVATE_URLS = True  # the pages are served on 127.0.0.1
    page = SEED_PAGES["001"]
    with serve_pages() as base:
        for path in (page.slug, "gone"):
            sent = editor_client.post(reverse("quotes:article-new"), {"url": base + path, "action": "read"})
            assert sent.status_code == 302
        fetched = wait_for_done(Article.objects.get(url=base + page.slug))
        gone = wait_for_done(Article.objects.get(url=base + "gone"))

    assert fetched.status == Article.Status.DONE, fetched.error
    assert (fetched.title, fetched.outlet.name) == (page.title, "ZeroHedge")
    assert fetched.versions.filter(text__contains="Trust has been destroyed").exists()
    assert gone.status == Article.Status.FAILED
    assert gone.error.startswith("The page could not be fetched: The site answered 410")
