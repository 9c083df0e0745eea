"""A link we hand out never breaks: a quote family keeps its id when its article is
read again, and one that is gone answers where it went (301) or why it went (410)."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from django.urls import reverse

from quotes import corrections, pipeline
from quotes.extraction.types import QuoteFinding
from quotes.ingest import ingest_article
from quotes.models import Article, Family, Version
from tests.factories import import_seed

pytestmark = pytest.mark.django_db

SAID = "We will keep the harbour open all winter"
TEXT = f"“{SAID},” Ann Lee said. “The ferry stays too,” she added."


def _finding(words: str, speaker: str) -> QuoteFinding:
    start = TEXT.index(words)
    return QuoteFinding(start=start, end=start + len(words), text=words, kind="direct", speaker=speaker,
                        speaker_type="person", confidence=0.9)  # fmt: skip


def _article() -> Article:
    return ingest_article(outlet="Harbour Echo", title="Winter", text=TEXT, enqueue=False).article


def _family_of(article: Article, words: str) -> int:
    return article.versions.get(text=words).family_id


def test_every_cited_quote_of_an_article_read_again_keeps_its_address(client):
    article = import_seed("001")
    cited = sorted(article.versions.values_list("family_id", flat=True).distinct())
    pipeline.process_article(article.pk)
    pipeline.process_article(article.pk)
    assert sorted(article.versions.values_list("family_id", flat=True).distinct()) == cited
    for family_id in cited:
        assert client.get(reverse("quotes:quote-detail", args=[family_id])).status_code == 200


def test_a_quote_the_article_no_longer_carries_answers_gone_with_the_reason(client):
    article = _article()
    pipeline.save_findings(
        article.pk, [_finding(SAID, "Ann Lee"), _finding("The ferry stays too", "Ann Lee")], 0
    )
    ferry = _family_of(article, "The ferry stays too")
    pipeline.save_findings(article.pk, [_finding(SAID, "Ann Lee")], 0)
    response = client.get(reverse("quotes:quote-detail", args=[ferry]))
    assert response.status_code == 410
    page = response.content.decode()
    assert "withdrawn" in page.lower() and "no longer carries it" in page and "The ferry stays too" in page


def test_a_quote_read_again_as_someone_elses_sends_its_links_to_its_new_family(client):
    article = _article()
    pipeline.save_findings(article.pk, [_finding(SAID, "Ann Lee")], 0)
    before = _family_of(article, SAID)
    pipeline.save_findings(article.pk, [_finding(SAID, "Bob Stone")], 0)
    after = _family_of(article, SAID)
    assert after != before  # a named speaker's family never takes another's words
    response = client.get(reverse("quotes:quote-detail", args=[before]))
    assert response.status_code == 301 and response["Location"] == reverse(
        "quotes:quote-detail", args=[after]
    )


def test_a_quote_moved_by_an_editor_redirects_along_every_later_move(client):
    article = _article()
    pipeline.save_findings(
        article.pk, [_finding(SAID, "Ann Lee"), _finding("The ferry stays too", "Ann Lee")], 0
    )
    elsewhere = Family.objects.create(text="Another utterance", fingerprint="another utterance")
    final = Family.objects.create(text="A third utterance", fingerprint="a third utterance")
    ferry = _family_of(article, "The ferry stays too")
    corrections.correct_family(article.versions.get(text="The ferry stays too"), elsewhere)
    corrections.correct_family(Version.objects.get(family=elsewhere), final)
    response = client.get(reverse("quotes:quote-detail", args=[ferry]))
    assert response.status_code == 301 and response["Location"] == final.get_absolute_url()


def test_a_quote_marked_not_a_quote_answers_gone_and_says_so(client):
    article = _article()
    pipeline.save_findings(article.pk, [_finding(SAID, "Ann Lee")], 0)
    family = _family_of(article, SAID)
    corrections.mark_not_a_quote(article.versions.get())
    for url in (
        reverse("quotes:quote-detail", args=[family]),
        reverse("quotes:primary-source", args=[family]),
    ):
        response = client.get(url)
        assert response.status_code == 410 and "marked it not a quote" in response.content.decode()


def test_an_address_never_handed_out_is_still_not_found(client):
    assert client.get(reverse("quotes:quote-detail", args=[987654])).status_code == 404


def test_feed_readers_see_the_same_entries_after_an_article_is_read_again(client):
    article = import_seed("001")
    speaker = article.versions.exclude(speaker=None).first().speaker
    url = reverse("quotes:speaker-feed", args=[speaker.slug])

    def entry_ids() -> set[str]:
        root = ElementTree.fromstring(client.get(url).content)
        return {
            entry.find("{http://www.w3.org/2005/Atom}id").text
            for entry in root.iter("{http://www.w3.org/2005/Atom}entry")
        }

    before = entry_ids()
    pipeline.process_article(article.pk)
    assert before and entry_ids() == before
