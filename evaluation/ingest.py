"""How well web pages are read: ``python -m evaluation.ingest``.

Each seed article is dressed as a realistic news page (navigation, share
buttons, a cookie banner, related links, comments, og: tags, JSON-LD, a
``<time>`` element or ``article:published_time``), then read back with
``quotes.webpages.read_page``. The report gives, per page, the share of the
seed's words found in the extracted text (recall), the share of extracted
words that belong to the article (precision), whether page furniture leaked
in, and whether title, date, outlet and author came out exactly.

The same pages are served to the tests (tests/test_webpages.py).
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from html import escape
from pathlib import Path

from quotes.webpages import PageArticle, PageError, read_page

SEEDS = Path(__file__).resolve().parents[1] / "quotes" / "seeds"

# Text that belongs to the page around the article, never to the article.
FURNITURE = [
    "Share on Facebook",
    "Share on X",
    "Copy link",
    "We use cookies",
    "Subscribe to our newsletter",
    "Most read",
    "All rights reserved",
    "Log in to comment",
    "Skip to content",
]

# Who signed each page, where the seed says so; the other pages are unsigned.
AUTHORS = {"001": "Tyler Durden"}

# Each page a different way of stating its metadata, as real sites differ.
_VARIANTS = [
    {"og_site": True, "json_ld": True, "meta_time": True, "time_el": False},
    {"og_site": False, "json_ld": True, "meta_time": False, "time_el": True},
    {"og_site": True, "json_ld": False, "meta_time": False, "time_el": True},
    {"og_site": False, "json_ld": True, "meta_time": True, "time_el": False},
    {"og_site": True, "json_ld": False, "meta_time": True, "time_el": True},
]


@dataclass(frozen=True)
class SeedPage:
    prefix: str
    slug: str
    html: str
    text: str  # headline and body, as the seed file has them
    title: str
    outlet: str
    published: str
    author: str


def seed_pages() -> list[SeedPage]:
    manifest = json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))
    pages = []
    for index, entry in enumerate(manifest["articles"]):
        text = (SEEDS / entry["file"]).read_text(encoding="utf-8")
        pages.append(build_seed_page(index, entry, text))
    return pages


def build_seed_page(index: int, entry: dict, seed_text: str) -> SeedPage:
    prefix = entry["file"][:3]
    title, outlet, published = entry["title"], entry["outlet"], entry["published"]
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", seed_text) if p.strip()]
    # The seed files start with what a page shows above the article: its
    # headline (sometimes twice) and sometimes the outlet's name.
    while paragraphs and paragraphs[0] in {" ".join(title.split()), outlet}:
        paragraphs.pop(0)
    variant = _VARIANTS[index % len(_VARIANTS)]
    author = AUTHORS.get(prefix, "")
    slug = f"{prefix}-" + re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
    html = _PAGE.format(
        head=_head(title, outlet, published, author, variant),
        outlet=escape(outlet),
        title=escape(title),
        byline=_byline(published, author, variant),
        body="\n".join(f"      <p>{escape(p)}</p>" for p in paragraphs),
    )
    text = "\n\n".join([" ".join(title.split()), *paragraphs])
    return SeedPage(prefix, slug, html, text, title, outlet, published, author)


def _head(title: str, outlet: str, published: str, author: str, variant: dict) -> str:
    lines = [
        f"<title>{escape(title)} | {escape(outlet)}</title>",
        f'<meta property="og:title" content="{escape(title)}">',
        '<meta property="og:type" content="article">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
    ]
    if variant["og_site"]:
        lines.append(f'<meta property="og:site_name" content="{escape(outlet)}">')
    if variant["meta_time"]:
        lines.append(f'<meta property="article:published_time" content="{published}T07:45:00+00:00">')
    if author:
        lines.append(f'<meta name="author" content="{escape(author)}">')
    if variant["json_ld"]:
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": f"{published}T07:45:00Z",
            "publisher": {"@type": "Organization", "name": outlet},
        }
        if author:
            data["author"] = {"@type": "Person", "name": author}
        lines.append(f'<script type="application/ld+json">{json.dumps(data)}</script>')
    return "\n    ".join(lines)


def _byline(published: str, author: str, variant: dict) -> str:
    parts = []
    if author:
        parts.append(f'<span class="author">By {escape(author)}</span>')
    if variant["time_el"]:
        parts.append(f'<time datetime="{published}T07:45:00Z" pubdate>{published}</time>')
    return " · ".join(parts)


_PAGE = """<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    {head}
  </head>
  <body>
    <a class="skip" href="#main">Skip to content</a>
    <div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
    <header class="site-header">
      <a class="logo" href="/">{outlet}</a>
      <nav><ul>
        <li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li>
        <li><a href="/business">Business</a></li><li><a href="/opinion">Opinion</a></li>
        <li><a href="/video">Video</a></li><li><a href="/login">Log in</a></li>
      </ul></nav>
    </header>
    <main id="main">
      <article class="story">
        <h1 class="headline">{title}</h1>
        <div class="byline">{byline}</div>
        <div class="share" aria-label="Share">
          <a href="#">Share on Facebook</a> <a href="#">Share on X</a> <button>Copy link</button>
        </div>
        <div class="story-body">
{body}
        </div>
        <div class="share share-bottom"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
      </article>
      <aside class="related">
        <h2>Most read</h2>
        <ul>
          <li><a href="/a">Markets slide as central banks signal more rate rises</a></li>
          <li><a href="/b">Storm warnings issued along the northern coast this weekend</a></li>
          <li><a href="/c">Ten recipes for a quick weeknight dinner</a></li>
        </ul>
      </aside>
      <section class="comments"><h2>Comments</h2><p>Log in to comment.</p></section>
    </main>
    <footer>
      <form class="newsletter"><label>Subscribe to our newsletter <input type="email"></label></form>
      <p>© 2024 {outlet}. All rights reserved.</p>
    </footer>
  </body>
</html>
"""


@dataclass(frozen=True)
class PageScore:
    prefix: str
    recall: float
    precision: float
    leaked: list[str]
    title_ok: bool
    date_ok: bool
    outlet_ok: bool
    author_ok: bool | None  # None: the page names no author


def score_page(page: SeedPage, found: PageArticle) -> PageScore:
    expected, extracted = Counter(_words(page.text)), Counter(_words(found.text))
    overlap = sum((expected & extracted).values())
    return PageScore(
        prefix=page.prefix,
        recall=overlap / max(1, sum(expected.values())),
        precision=overlap / max(1, sum(extracted.values())),
        leaked=[f for f in FURNITURE if f.lower() in found.text.lower()],
        title_ok=found.title == " ".join(page.title.split()),
        date_ok=found.published is not None and found.published.isoformat() == page.published,
        outlet_ok=found.outlet == page.outlet,
        author_ok=(found.author == page.author) if page.author else None,
    )


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def evaluate(base_url: str = "https://news.example.org/") -> list[PageScore]:
    scores = []
    for page in seed_pages():
        try:
            found = read_page(page.html.encode(), base_url + page.slug)
        except PageError:
            found = PageArticle(text="", title="", author="", outlet="", published=None, url="")
        scores.append(score_page(page, found))
    return scores


def report(scores: list[PageScore]) -> str:
    lines = [f"{'page':<5} {'recall':>7} {'precision':>9}  title date outlet author  leaked"]
    for s in scores:
        author = "-" if s.author_ok is None else _mark(s.author_ok)
        lines.append(
            f"{s.prefix:<5} {s.recall:>7.3f} {s.precision:>9.3f}  {_mark(s.title_ok):>5} "
            f"{_mark(s.date_ok):>4} {_mark(s.outlet_ok):>6} {author:>6}  {', '.join(s.leaked) or '-'}"
        )
    n = len(scores)
    signed = [s for s in scores if s.author_ok is not None]
    lines.append(
        f"mean text recall {sum(s.recall for s in scores) / n:.3f}, "
        f"precision {sum(s.precision for s in scores) / n:.3f}; "
        f"title {sum(s.title_ok for s in scores)}/{n}, date {sum(s.date_ok for s in scores)}/{n}, "
        f"outlet {sum(s.outlet_ok for s in scores)}/{n}, "
        f"author {sum(bool(s.author_ok) for s in signed)}/{len(signed)}; "
        f"pages with furniture in the text {sum(bool(s.leaked) for s in scores)}/{n}"
    )
    return "\n".join(lines)


def _mark(ok: bool) -> str:
    return "yes" if ok else "NO"


def main() -> int:
    print(report(evaluate()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
