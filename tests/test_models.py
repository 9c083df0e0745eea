from datetime import date

import pytest
from django.db import IntegrityError

from quotes.models import Article, Outlet, Speaker, content_hash, normalize_name

pytestmark = pytest.mark.django_db


def make_article(**fields) -> Article:
    text = fields.pop("text", "Body text.")
    defaults = {
        "outlet": Outlet.for_name("Example Times"),
        "title": "A title",
        "text": text,
        "content_hash": content_hash(text),
        "published": date(2022, 12, 14),
    }
    return Article.objects.create(**{**defaults, **fields})


def test_content_hash_ignores_whitespace_differences():
    assert content_hash("Trust has  been\ndestroyed ") == content_hash("Trust has been destroyed")
    assert content_hash("Trust has been destroyed") != content_hash("Trust was destroyed")


def test_outlet_for_name_reuses_outlet_whatever_the_case():
    first = Outlet.for_name("ZeroHedge")
    assert Outlet.for_name("  zerohedge ") == first
    assert first.slug == "zerohedge"


def test_outlet_slugs_stay_unique():
    Outlet.objects.create(name="News Front", slug="news-front")
    assert Outlet.for_name("News-Front").slug == "news-front-2"


def test_same_text_from_same_outlet_is_refused_by_the_database():
    make_article(text="Same text.")
    with pytest.raises(IntegrityError):
        make_article(text="Same text.")


def test_same_text_from_another_outlet_is_a_new_article():
    make_article(text="Same text.")
    make_article(text="Same text.", outlet=Outlet.for_name("Other Outlet"))
    assert Article.objects.count() == 2


def test_analysis_text_keeps_a_text_that_opens_with_its_title():
    article = make_article(title="NATO chief speaks", text="NATO chief speaks\n\nHe said things.")
    assert article.analysis_text() == ("NATO chief speaks\n\nHe said things.", 0)


def test_analysis_text_puts_a_missing_title_in_front():
    article = make_article(title="NATO chief speaks", text="He said things.")
    document, offset = article.analysis_text()
    assert document == "NATO chief speaks\n\nHe said things."
    assert document[offset:] == article.text


def test_normalize_name_folds_case_accents_and_hyphens():
    assert normalize_name("NATO Secretary-General") == "nato secretary general"
    assert normalize_name("Sergéy  Lavrov") == "sergey lavrov"


def test_a_shorter_role_is_shown_within_the_fuller_one_with_both_dates():
    speaker = Speaker.objects.create(name="Jens Stoltenberg", slug="jens-stoltenberg")
    for title, first, last in [
        ("NATO Secretary-General", date(2018, 2, 14), date(2022, 12, 14)),
        ("Secretary General", date(2016, 5, 1), date(2021, 6, 1)),
        ("NATO chief", date(2021, 6, 1), date(2021, 6, 1)),
    ]:
        speaker.roles.create(title=title, normalized=normalize_name(title), first_seen=first, last_seen=last)
    shown = [(role.title, role.first_seen.year, role.last_seen.year) for role in speaker.distinct_roles()]
    assert shown == [("NATO Secretary-General", 2016, 2022), ("NATO chief", 2021, 2021)]
    assert speaker.roles.count() == 3  # only the display folds them


def test_an_article_moves_through_its_statuses_and_the_row_follows():
    article = make_article()

    def stored() -> dict:
        return Article.objects.values("status", "error", "attempts").get(pk=article.pk)

    article.mark_running()
    article.mark_running()
    assert stored() == {"status": Article.Status.RUNNING, "error": "", "attempts": 2}
    assert article.attempts == 2
    article.mark_failed("Extraction failed: " + "x" * 3000)
    assert stored()["status"] == Article.Status.FAILED
    assert len(stored()["error"]) == 2000 and article.error.startswith("Extraction failed: x")
    assert article.mark_queued_unless_pending()
    assert stored() == {"status": Article.Status.QUEUED, "error": "", "attempts": 0}
    assert not article.mark_queued_unless_pending()  # queued already
    article.mark_running()
    assert not article.mark_queued_unless_pending()  # a worker is on it
    assert stored()["status"] == Article.Status.RUNNING
    article.mark_done()
    assert stored() == {"status": Article.Status.DONE, "error": "", "attempts": 0}
    assert Article.objects.get(pk=article.pk).extracted_at is not None
    assert article.is_finished


def test_marking_a_status_leaves_an_edit_made_meanwhile():
    article = make_article(title="First title")
    Article.objects.filter(pk=article.pk).update(title="Edited title")
    article.mark_done()
    assert Article.objects.get(pk=article.pk).title == "Edited title"
