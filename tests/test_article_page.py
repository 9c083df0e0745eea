"""The article page as a new reader meets it: the headline once, a count that
agrees with the list and the highlights, and colours that belong to speakers."""

import re
from datetime import date

import pytest
from django.urls import reverse

from quotes.models import Family, Outlet, Speaker, Version
from tests.factories import make_article, make_version

pytestmark = pytest.mark.django_db

HEADLINE = "“Relations with Russia have hit rock bottom”"


def _body(response) -> str:
    html = response.content.decode()
    return html[html.index('<div id="article-body"') :]


@pytest.fixture
def repeated_headline(db):
    """A page read with its headline twice at the top of the text (headline and standfirst)."""
    speaker = Speaker.objects.create(name="Jens Stoltenberg", slug="jens-stoltenberg")
    article = make_article(
        Outlet.objects.create(name="Wire", slug="wire"),
        f"{HEADLINE}\n\n{HEADLINE}\n\nThe summit opened. "
        "“The ball is now on Russia’s side,” Stoltenberg said. A senior official said: “We are ready.”",
        date(2024, 5, 1),
        title=HEADLINE,
    )
    words = HEADLINE.strip("“”")
    headline = Family.objects.create(text=words, speaker=speaker, first_seen=date(2024, 5, 1))
    make_version(article, headline, words, "headline")
    second = article.text.index(words, article.text.index(words) + 1)
    Version.objects.create(
        article=article,
        family=headline,
        speaker=speaker,
        text=words,
        start=second,
        end=second + len(words),
        kind="headline",
    )
    ball = Family.objects.create(text="The ball is now on Russia’s side,", speaker=speaker)
    make_version(article, ball, "The ball is now on Russia’s side,", "direct", cue="said")
    ready = Family.objects.create(text="We are ready.", speaker_description="A senior official")
    make_version(
        article, ready, "We are ready.", "direct", cue="said", speaker_description="A senior official"
    )
    return article


def test_the_article_page_shows_its_headline_once(client, repeated_headline):
    body = _body(client.get(repeated_headline.get_absolute_url()))
    assert (
        body.count("Relations with Russia have hit rock bottom") == 2
    )  # the heading, and its line in the list


def test_the_count_the_list_and_the_highlights_agree_and_every_version_keeps_its_anchor(
    client, repeated_headline
):
    body = _body(client.get(repeated_headline.get_absolute_url()))
    found = int(re.search(r"(\d+) quotes? found", body).group(1))
    assert found == body.count('<li class="occ">') == body.count('<mark class="q') == 3
    for version in repeated_headline.versions.all():
        assert f'id="{version.anchor}"' in body


def test_a_quote_whose_speaker_is_only_described_takes_no_named_speakers_colour(client, repeated_headline):
    body = _body(client.get(repeated_headline.get_absolute_url()))
    described = re.search(r'<mark class="q ([\w-]+)"[^>]*title="A senior official', body).group(1)
    named = set(re.findall(r'<mark class="q ([\w-]+)"[^>]*data-speaker="Jens Stoltenberg"', body))
    assert described == "described" and described not in named


def test_fetch_and_read_is_not_styled_as_a_destructive_action(editor_client):
    html = editor_client.get(reverse("quotes:article-new")).content.decode()
    button = re.search(r"<button[^>]*>Fetch and read</button>", html).group(0)
    assert "secondary" not in button and "outline" in button
