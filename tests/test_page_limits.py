"""Pages that stay fast on a large database: search shows at most a bounded
number of results, and an outlet's most quoted speakers come from its latest
articles."""

import csv
import io
import itertools
from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse

from quotes import charts, views
from quotes.models import Article, Family, Outlet, Speaker, Version, content_hash, normalize_name
from tests.plans import index_plan

pytestmark = pytest.mark.django_db

SEARCH = reverse("quotes:search")
DAY = date(2024, 3, 1)


def add_article(outlet: Outlet, published: date, families: list[tuple[str, Speaker | None]]) -> Article:
    """An article carrying each (text, speaker) as a new quote family."""
    text = " ".join(f"“{words}”" for words, _ in families) or "No quotes."
    article = Article.objects.create(
        outlet=outlet,
        title=f"Article of {published}",
        text=text,
        content_hash=content_hash(f"{published} {text}"),
        published=published,
        status=Article.Status.DONE,
    )
    for words, speaker in families:
        family = Family.objects.create(
            text=words, speaker=speaker, fingerprint=words[:64], first_seen=published
        )
        start = text.index(words)
        Version.objects.create(
            article=article,
            family=family,
            speaker=speaker,
            text=words,
            start=start,
            end=start + len(words),
            kind=Version.Kind.DIRECT,
        )
    return article


@pytest.fixture
def harbour_quotes():
    """Five quotes about the harbour, a day apart (the last the newest), each
    followed by a newer quote about something else."""
    outlet = Outlet.for_name("Example Times")
    speaker = Speaker.objects.create(name="Ada Pier", slug="ada-pier")
    speaker.aliases.create(name=speaker.name, normalized=normalize_name(speaker.name))
    texts = [
        "The harbour harbour harbour must reopen",  # oldest, and the best match of all
        "We will dredge the harbour this spring",
        "The harbour and the harbour wall need money",  # the best match among the newest three
        "Fishing boats still use the harbour",
        "Nobody asked the harbour master",
    ]
    for n, text in enumerate(texts):
        add_article(outlet, DAY + timedelta(days=2 * n), [(text, speaker)])
        add_article(outlet, DAY + timedelta(days=2 * n + 1), [(f"Taxes rise in year {n}", speaker)])
    return texts


def result_texts(response) -> list[str]:
    return [family.text for family in response.context["page"]]


def test_search_past_the_limit_says_so_and_pages_through_the_newest_matches(
    client, harbour_quotes, monkeypatch
):
    monkeypatch.setattr(views.search, "SEARCH_RESULT_LIMIT", 3)
    monkeypatch.setattr(views.search, "PAGE_SIZE", 2)
    first = client.get(SEARCH, {"q": "harbour", "sort": "newest"})
    assert "3+ quotes found" in first.content.decode()
    assert first.context["page"].paginator.num_pages == 2
    second = client.get(SEARCH, {"q": "harbour", "sort": "newest", "page": 2})
    assert result_texts(first) + result_texts(second) == harbour_quotes[:1:-1]
    assert (
        result_texts(client.get(SEARCH, {"q": "harbour", "sort": "newest", "page": 3})) == harbour_quotes[2:3]
    )


def test_best_match_comes_first_among_the_newest_matches(client, harbour_quotes, monkeypatch):
    monkeypatch.setattr(views.search, "SEARCH_RESULT_LIMIT", 3)
    texts = result_texts(client.get(SEARCH, {"q": "harbour"}))
    assert sorted(texts) == sorted(harbour_quotes[2:])
    if connection.vendor == "postgresql":  # SQLite has no ranking: newest first
        assert texts[0] == harbour_quotes[2]


def test_search_within_the_limit_counts_every_match(client, harbour_quotes, monkeypatch):
    monkeypatch.setattr(views.search, "SEARCH_RESULT_LIMIT", 5)
    response = client.get(SEARCH, {"q": "harbour"})
    assert "5 quotes found" in response.content.decode()
    assert sorted(result_texts(response)) == sorted(harbour_quotes)
    if connection.vendor == "postgresql":
        assert result_texts(response)[0] == harbour_quotes[0]


def test_search_limit_applies_to_filters_without_words(client, harbour_quotes, monkeypatch):
    monkeypatch.setattr(views.search, "SEARCH_RESULT_LIMIT", 4)
    response = client.get(SEARCH, {"speaker": "Ada Pier"})
    assert "4+ quotes found" in response.content.decode()
    assert len(result_texts(response)) == 4


def test_exports_are_not_cut_at_the_page_limit(client, harbour_quotes, monkeypatch):
    monkeypatch.setattr(views.search, "SEARCH_RESULT_LIMIT", 3)
    rows = list(
        csv.DictReader(io.StringIO(client.get(SEARCH, {"q": "harbour", "format": "csv"}).content.decode()))
    )
    assert sorted(row["quote"] for row in rows) == sorted(harbour_quotes)
    data = client.get(SEARCH, {"q": "harbour", "format": "json"}).json()
    assert len(data["results"]) == len(harbour_quotes)


@pytest.fixture
def outlet_with_history():
    """An outlet that quoted an old favourite three times long ago, and a
    newcomer once in each of its two latest articles."""
    outlet = Outlet.for_name("Example Times")
    old, new = (
        Speaker.objects.create(name=n, slug=n.lower().replace(" ", "-")) for n in ("Old Hand", "New Face")
    )
    add_article(outlet, DAY, [(f"Old words number {n}", old) for n in range(3)])
    add_article(outlet, DAY + timedelta(days=10), [("New words first", new)])
    add_article(outlet, DAY + timedelta(days=20), [("New words second", new)])
    return outlet


def speaker_counts(response) -> list[tuple[str, int]]:
    return [(speaker.name, speaker.n) for speaker in response.context["speakers"]]


def test_outlet_counts_speakers_in_its_latest_articles(client, outlet_with_history, monkeypatch):
    monkeypatch.setattr(views.outlets, "OUTLET_SPEAKERS_ARTICLES", 2)
    response = client.get(outlet_with_history.get_absolute_url())
    assert speaker_counts(response) == [("New Face", 2)]
    assert "In its latest 2 articles" in response.content.decode()


def test_outlet_with_few_articles_counts_speakers_in_all_of_them(client, outlet_with_history):
    response = client.get(outlet_with_history.get_absolute_url())
    assert speaker_counts(response) == [("Old Hand", 3), ("New Face", 2)]
    assert "In its latest" not in response.content.decode()


def test_monthly_chart_is_counted_by_the_database_with_empty_months_as_gaps(outlet_with_history):
    add_article(outlet_with_history, date(2024, 5, 2), [])
    months = sorted(outlet_with_history.articles.count_by_month("published"))
    assert months == [(date(2024, 3, 1), 3), (date(2024, 5, 1), 1)]
    chart = charts.monthly_bar_chart(months, title="Articles per month")
    assert [(bar.label, bar.value) for bar in chart.bars][-3:] == [
        ("Mar 2024", 3),
        ("Apr 2024", 0),
        ("May 2024", 1),
    ]
    # A short history is drawn on a year's axis, its names inside the picture.
    assert len(chart.bars) == charts.MIN_MONTHS and chart.bars[0].label == "Jun 2023"
    assert sum(bar.value for bar in chart.bars) == 4
    for layout in chart.label_layouts:
        last = layout.labels[-1]
        assert last.text == "May 2024" and last.anchor == "end" and last.x <= 100

    # Month names never run into each other, on a short history or a long one, at any width
    # from the narrowest that a layout is made for.
    long = charts.monthly_bar_chart([(date(2018, 2, 1), 1), (date(2022, 12, 1), 5)], title="Quotes per month")
    assert long.label_layouts[-1].labels[-1].text == "Dec 2022"
    for _name, width in charts.LAYOUTS:
        for plot_px in (width - chart.axis_width, width * 2):
            assert_names_apart(chart.labels_at(plot_px), plot_px)
            assert_names_apart(long.labels_at(plot_px), plot_px)
    # A wider layout names more months.
    assert [len(layout.labels) for layout in long.label_layouts] == sorted(
        len(layout.labels) for layout in long.label_layouts
    )
    assert len(long.label_layouts[0].labels) < len(long.label_layouts[-1].labels)


def assert_names_apart(labels: list[charts.AxisLabel], plot_px: float) -> None:
    width = charts.LABEL_WIDTH
    spans = [
        (x - width, x) if label.anchor == "end" else (x, x + width)
        for label in labels
        for x in [label.x * plot_px / 100]
    ]
    assert all(left >= 0 and right <= plot_px + 0.01 for left, right in spans)
    assert all(before[1] <= after[0] for before, after in itertools.pairwise(spans))


def test_timeline_names_of_outlets_a_day_apart_never_print_over_each_other():
    timeline = charts.provenance_timeline(
        [
            ("Leeds Echo", date(2026, 11, 18)),
            ("Reuters", date(2026, 11, 19)),
            ("Daily Spin", date(2026, 11, 20)),
            ("BBC", date(2026, 11, 20)),
            ("Wire Copy of the Northern Counties", date(2026, 12, 2)),
            ("Undated Weekly", None),
        ]
    )
    assert [point.label for point in timeline.points] == [
        "Leeds Echo",
        "Reuters",
        "Daily Spin, BBC",  # one dot, one name, for a day
        "Wire Copy of the Northern Counties",
    ]
    assert timeline.span_days == 14
    for (name, width), layout in zip(charts.LAYOUTS, timeline.layouts, strict=True):
        assert layout.name == name
        for px in (width, width * 3):  # made for its narrowest width, and apart at any wider one
            spans = {}
            for label in layout.labels:
                x, size = label.x * px / 100, charts.text_width(label.text, charts.TIMELINE_FONT_PX)
                left = {"start": x, "end": x - size, "middle": x - size / 2}[label.anchor]
                assert left >= 0 and left + size <= px
                spans.setdefault(label.lane, []).append((left, left + size))
            for lane in spans.values():
                assert all(a[1] <= b[0] for a, b in itertools.pairwise(sorted(lane)))
        assert layout.height >= 44 + 20 * max(label.lane for label in layout.labels)
    # A wide timeline needs no more lines than a narrow one.
    lanes = [max(label.lane for label in layout.labels) for layout in timeline.layouts]
    assert lanes == sorted(lanes, reverse=True) and lanes[0] > 0


def test_a_timeline_of_one_day_has_its_dot_in_the_middle():
    timeline = charts.provenance_timeline([("Reuters", date(2026, 11, 19)), ("BBC", date(2026, 11, 19))])
    assert [(point.x, point.outlets) for point in timeline.points] == [(50, ("Reuters", "BBC"))]
    assert timeline.span_days == 0
    assert charts.provenance_timeline([("Reuters", None)]) is None


def test_search_reads_the_matches_once_to_count_and_show_them(client, harbour_quotes, monkeypatch):
    # The newest matches, one past the limit, are read once: that read counts them, and the
    # page orders only those (no second scan of every match for a count).
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(views.search, "SEARCH_RESULT_LIMIT", 3)
    # The words' condition, as each database writes it.
    marker = '"search_vector" @@' if connection.vendor == "postgresql" else "quotes_quote_words MATCH"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(SEARCH, {"q": "harbour", "sort": "newest"})
    assert "3+ quotes found" in response.content.decode()
    assert sum(query["sql"].count(marker) for query in queries) == 2
    assert result_texts(response) == harbour_quotes[:1:-1]


@pytest.fixture
def speaker_with_history():
    """A speaker an old outlet quoted three times long ago, and a new outlet once in each
    of the two latest articles."""
    speaker = Speaker.objects.create(name="Ada Pier", slug="ada-pier")
    old, new = Outlet.for_name("Old Times"), Outlet.for_name("New Times")
    add_article(old, DAY, [(f"Old words number {n}", speaker) for n in range(3)])
    add_article(new, DAY + timedelta(days=10), [("New words first", speaker)])
    add_article(new, DAY + timedelta(days=20), [("New words second", speaker)])
    return speaker


def outlet_counts(response) -> list[tuple[str, int]]:
    return [(outlet.name, outlet.n) for outlet in response.context["outlets"]]


def test_speaker_counts_outlets_in_their_latest_quotes(client, speaker_with_history, monkeypatch):
    monkeypatch.setattr(views.speakers, "SPEAKER_OUTLETS_VERSIONS", 2)
    response = client.get(speaker_with_history.get_absolute_url())
    assert outlet_counts(response) == [("New Times", 2)]
    assert "In their latest 2 quotes" in response.content.decode()


def test_speaker_with_few_quotes_counts_outlets_in_all_of_them(client, speaker_with_history):
    response = client.get(speaker_with_history.get_absolute_url())
    assert outlet_counts(response) == [("Old Times", 3), ("New Times", 2)]
    assert "In their latest" not in response.content.decode()


def test_an_outlet_with_a_domain_is_shown_without_reading_its_articles_addresses(
    client, outlet_with_history, django_assert_num_queries
):
    outlet_with_history.domain = "times.example"
    outlet_with_history.save()
    # The outlet, the count, the page, its quotes, the speakers, the chart: no query for an address.
    with django_assert_num_queries(6):
        response = client.get(outlet_with_history.get_absolute_url())
    assert "times.example" in response.content.decode()


def test_an_outlet_without_a_domain_shows_the_host_of_one_of_its_articles(client, outlet_with_history):
    Article.objects.filter(outlet=outlet_with_history).update(url="https://www.times.example/story")
    assert "times.example" in client.get(outlet_with_history.get_absolute_url()).content.decode()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_an_outlets_latest_articles_are_found_from_its_timeline_index_alone(services, outlet_with_history):
    # The walk for its most quoted speakers reads no article row (PostgreSQL: migration 0022).
    latest = outlet_with_history.articles.chronological().values("pk")[
        : views.outlets.OUTLET_SPEAKERS_ARTICLES
    ]
    sql, params = latest.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE quotes_article")  # as autovacuum leaves it: its rows all visible
    plan = index_plan(sql, params)
    assert "Index Only Scan using article_outlet_timeline" in plan, plan


def test_the_speakers_articles_quote_most_come_most_first_then_by_name(outlet_with_history):
    zed, abe = (Speaker.objects.create(name=n, slug=n.lower().replace(" ", "-")) for n in ("Zed Z", "Abe A"))
    add_article(outlet_with_history, DAY + timedelta(days=30), [("Zed once", zed), ("Abe once", abe)])
    articles = outlet_with_history.articles.chronological()
    assert [(s.name, s.n) for s in Speaker.objects.quoted_most_in(articles, limit=3)] == [
        ("Old Hand", 3),
        ("New Face", 2),
        ("Abe A", 1),
    ]


@pytest.mark.services
def test_the_newest_matches_go_to_the_database_as_one_array(services, client, monkeypatch):
    # A thousand "%s" cost the driver more than the database spends on the query.
    monkeypatch.setattr(views.search, "PAGE_SIZE", 5)
    outlet = Outlet.for_name("Example Times")
    add_article(outlet, DAY, [(f"The harbour needs {n} new cranes", None) for n in range(20)])
    sent = []

    def noted(execute, sql, params, many, context):
        sent.append(params or ())
        return execute(sql, params, many, context)

    with connection.execute_wrapper(noted):
        response = client.get(SEARCH, {"q": "harbour"})
    assert "20 quotes found" in response.content.decode()
    assert max(len(params) for params in sent) < 20
