"""The pages, one module per area; ``quotes.urls`` names each view by its module.

home             the home page
articles         the article list, adding articles, an article's page
families         a family's page (quotes/<id>/)
primary_sources  a family's primary source: its page, attaching, removing
corrections      editors' corrections
speakers         speakers, and the names suggested as one is typed
sources          watched feeds and sitemaps
outlets          outlets and their timelines
search           searching quotes, and the CSV and JSON exports
check            checking a pasted quote
common           what several of them share
"""

from . import (
    articles,
    check,
    corrections,
    families,
    home,
    outlets,
    primary_sources,
    search,
    sources,
    speakers,
)

__all__ = [
    "articles",
    "check",
    "corrections",
    "families",
    "home",
    "outlets",
    "primary_sources",
    "search",
    "sources",
    "speakers",
]
