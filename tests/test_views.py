from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from quotes.ingest import ingest_article
from quotes.models import Article
from tests.factories import import_seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(editor_client):
    """Uploading is for editors: these tests act as one (anonymous access is tested in test_reliability)."""
    return editor_client


NEW = reverse("quotes:article-new")


def form_data(**overrides) -> dict:
    data = {
        "outlet": "Example Times",
        "title": "NATO chief speaks",
        "published": "2022-12-14",
        "url": "",
        "text": '"Trust has been destroyed," Jens Stoltenberg said.',
    }
    return {**data, **overrides}


def test_upload_saves_the_article_and_queues_extraction_after_commit(
    client, no_enqueue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, form_data())
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    assert no_enqueue == [article.pk]
    assert article.outlet.name == "Example Times"


def test_upload_of_a_text_file(client, no_enqueue):
    upload = SimpleUploadedFile("story.txt", "“We will not return,” he said.".encode())
    response = client.post(NEW, form_data(text="", files=upload))
    assert response.status_code == 302
    assert Article.objects.get().text == "“We will not return,” he said."


def test_uploading_the_same_text_twice_links_to_the_first_article(client, no_enqueue):
    first = client.post(NEW, form_data())
    second = client.post(NEW, form_data(title="Another title"))
    assert first["Location"] == second["Location"]
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"text": "   \n  "}, "text", "there is no text"),
        ({"outlet": "   "}, "outlet", "This field is required"),
        ({"published": "01/13/2022"}, "published", "(day first)"),  # month first: the form says day first
        ({"published": "14/14/2022"}, "published", "Give the date as 2024-05-01"),
        ({"url": "not a url"}, "url", "Enter a valid URL"),
    ],
)
def test_bad_input_gets_a_specific_error_and_saves_nothing(client, no_enqueue, overrides, field, message):
    response = client.post(NEW, form_data(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Article.objects.exists()
    assert no_enqueue == []


def test_a_date_in_the_future_is_refused(client, no_enqueue):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(NEW, form_data(published=tomorrow))
    assert "in the future" in response.context["form"].errors["published"][0]
    assert not Article.objects.exists()


def test_a_binary_file_is_refused(client, no_enqueue):
    upload = SimpleUploadedFile("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    response = client.post(NEW, form_data(text="", files=upload))
    assert "not text" in response.context["form"].errors["files"][0]
    assert not Article.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, no_enqueue, settings):
    settings.MAX_UPLOAD_BYTES = 100
    upload = SimpleUploadedFile("long.txt", b"word " * 100)
    response = client.post(NEW, form_data(text="", files=upload))
    assert "limit" in response.context["form"].errors["files"][0]
    assert not Article.objects.exists()


def test_article_text_is_escaped(client):
    article = ingest_article(
        outlet="Example",
        title="<img src=x onerror=alert(1)>",
        text="<script>alert('x')</script> He said nothing.",
        enqueue=False,
    ).article
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert "<img src=x" not in html


def test_unfinished_article_page_polls_and_finished_page_does_not(client):
    article = ingest_article(outlet="Example", title="T", text="Text.", enqueue=False).article
    assert b"hx-trigger" in client.get(article.get_absolute_url()).content
    article.status = Article.Status.DONE
    article.save()
    assert b"hx-trigger" not in client.get(article.get_absolute_url()).content


def test_htmx_request_gets_only_the_article_body(client):
    article = ingest_article(outlet="Example", title="T", text="Text.", enqueue=False).article
    html = client.get(article.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert html.lstrip().startswith('<div id="article-body"')


def test_pages_show_the_seed_quotes(client):
    article = import_seed("001")
    version = article.versions.get(text__contains="Trust has been destroyed")
    pages = {
        reverse("quotes:home"): "ZeroHedge",
        article.get_absolute_url(): "Trust has been destroyed",
        reverse("quotes:article-list"): "ZeroHedge",
        version.family.get_absolute_url(): "ZeroHedge",
        reverse("quotes:speaker-list"): "Jens Stoltenberg",
        version.speaker.get_absolute_url(): "Trust has been destroyed",
        reverse("quotes:outlet-list"): "ZeroHedge",
        article.outlet.get_absolute_url(): "Trust has been destroyed",
    }
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert expected in response.content.decode(), url


def test_a_family_lists_each_outlet_once_and_shows_its_text_without_a_dangling_comma(client):
    import_seed("000")
    article = import_seed("001")
    family = article.versions.get(text__startswith="Even if the fighting ends").family
    assert family.text.endswith("destroyed,")  # as printed before "he said"
    page = client.get(family.get_absolute_url()).content.decode()
    assert "Trust has been destroyed”</blockquote>" in page
    results = client.get(reverse("quotes:search"), {"q": "fighting"}).content.decode()
    carried = results.split("carried by", 1)[1].split("</div>", 1)[0]
    assert carried.count("USAWorld News") == 1 and carried.count("ZeroHedge") == 1
    assert carried.rstrip().endswith("</a>"), carried
