"""Records for tests, made the way the app makes them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

from django.utils.text import slugify

from quotes import extraction, pipeline
from quotes.extraction import QuoteFinding
from quotes.ingest import ingest_article
from quotes.models import Article, Family, Outlet, Speaker, Version, normalize_name
from tests.conftest import seed_text

# One statement as three outlets carry it (``nato_story``): faithfully, with its "not" dropped, reworded.
FAITHFUL = (
    "“We will not return to a normal, friendly relationship with Russia after this war,” "
    "Jens Stoltenberg said."
)
NOT_DROPPED = (
    "“We will return to a normal, friendly relationship with Russia after this war,” Jens Stoltenberg said."
)
REWORDED = (
    "“We won't go back to a normal, friendly relationship with Russia after this war,” Jens Stoltenberg said."
)

# A press conference's transcript (a primary source), and the sentence of it FAITHFUL quotes.
TRANSCRIPT = (
    "Thank you all for coming to this press conference.\n\n"
    "We have discussed support for Ukraine and the security of the alliance. "
    "We will not return to a normal, friendly relationship with Russia after this war unless Russia "
    "changes course. Allies will spend at least 2 percent of GDP on defence.\n\n"
    "And now I am ready to take questions."
)
SENTENCE = (
    "We will not return to a normal, friendly relationship with Russia after this war "
    "unless Russia changes course."
)

# A statement by someone described, never named.
DESCRIBED = (
    "Talks between the two sides stalled on Monday.\n\n"
    "“We will not sign anything that leaves the border open to attack,” a senior official said."
)

# Each text's findings, parsed once per test run (see ``import_article``).
_FINDINGS: dict[str, list[QuoteFinding]] = {}


def import_seed(prefix: str) -> Article:
    """The seed article whose file name starts with ``prefix``, through ``import_article``."""
    text, entry = seed_text(prefix)
    published = date.fromisoformat(entry["published"]) if entry["published"] else None
    return import_article(text, entry["outlet"], published, title=entry["title"])


def import_article(
    text: str, outlet: str, published: date | None = date(2024, 3, 4), title: str = ""
) -> Article:
    """Store an article and run the pipeline on it, as a worker does. Each
    text is parsed once per test run: spaCy is most of what such a test costs,
    and a text's findings are the same each time; speakers, families and
    versions are written afresh."""
    result = ingest_article(outlet=outlet, title=title, text=text, published=published, enqueue=False)
    with _parsing_each_text_once():
        return pipeline.process_article(result.article.pk)


def nato_story(outlet: str, text: str, published: date) -> Article:
    """An outlet's article "<outlet> on NATO", run through the pipeline."""
    return import_article(text, outlet, published, title=f"{outlet} on NATO")


def direct_version(article: Article) -> Version:
    """The article's version of the statement in quote marks."""
    return article.versions.get(kind="direct")


def make_article(
    outlet: Outlet, text: str, published: date | None, url: str = "", title: str = "A story"
) -> Article:
    """An article stored as extracted, with no version: add them with ``make_occurrence``."""
    return Article.objects.create(
        outlet=outlet,
        title=title,
        text=text,
        content_hash=f"{outlet.pk}-{text[:20]}-{published}",
        published=published,
        url=url,
        status=Article.Status.DONE,
    )


def make_version(article: Article, family: Family, words: str, kind: str, **extra) -> Version:
    """``words`` of the article (their first place in its text) as a version of ``family``."""
    start = article.text.index(words)
    return Version.objects.create(
        article=article,
        family=family,
        speaker=family.speaker,
        text=words,
        start=start,
        end=start + len(words),
        kind=kind,
        **extra,
    )


def make_speaker(name: str) -> Speaker:
    """A speaker known by their full name and their surname."""
    speaker = Speaker.objects.create(name=name, slug=slugify(name))
    for alias in dict.fromkeys((name, name.split()[-1])):
        speaker.aliases.create(name=alias, normalized=normalize_name(alias))
    return speaker


def make_outlet(name: str) -> Outlet:
    return Outlet.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]


def make_family(
    speaker: Speaker, words: str, outlet: str, published: date, kind: str = "direct", **extra
) -> Family:
    """A family of one version: ``words``, said by ``speaker``, as ``outlet`` printed them
    on ``published`` (``extra``: the version's confidence, meaning flags…)."""
    article = make_article(
        make_outlet(outlet), f"“{words},” {speaker.name} said on the day.", published, title=words[:40]
    )
    family = Family.objects.create(text=words, speaker=speaker, first_seen=published)
    make_version(article, family, words, kind, **{"cue": "said", "confidence": 0.9, **extra})
    return family


@contextmanager
def _parsing_each_text_once() -> Iterator[None]:
    parse = extraction.extract_many
    replaced = "extract_many" in vars(extraction)

    def extract_many(texts: Iterable[str]) -> list[list[QuoteFinding]]:
        texts = list(texts)
        missing = [text for text in dict.fromkeys(texts) if text not in _FINDINGS]
        if missing:
            _FINDINGS.update(zip(missing, map(list, parse(missing)), strict=True))
        return [list(_FINDINGS[text]) for text in texts]

    extraction.extract_many = extract_many
    try:
        yield
    finally:
        if replaced:
            extraction.extract_many = parse
        else:
            del extraction.extract_many
