"""Articles: the list, adding them (pasted, uploaded, fetched), an article's page, extracting again."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ..forms import ArticleForm, review_initial
from ..ingest import (
    ArticleDraft,
    article_at_url,
    ingest_draft,
    queue_extraction,
    queue_fetching,
    store_for_fetching,
)
from ..models import Article, Version
from ..permissions import editor_required
from ..webpages import PageError
from .common import corrected_on, distinct_texts, page_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Segment:
    text: str
    version: Version | None = None
    # The closing quote marks right after a quoted piece, shown before its badges, so
    # that a badge never comes between the words and their closing mark.
    closing: str = ""


@dataclass(frozen=True)
class ListedVersion:
    """One line of the article's list of quotes: a version, and when an editor last corrected it."""

    version: Version
    corrected_on: datetime | None


_CLOSING_MARKS = "”’\"'»›"


def highlight(text: str, versions: list[Version]) -> list[Segment]:
    """Cut the text into plain and quoted pieces; nested spans keep the outer one."""
    segments, cursor = [], 0
    for version in sorted(versions, key=lambda o: (o.start, -o.end)):
        if version.start < cursor or version.end > len(text):
            continue
        if version.start > cursor:
            segments.append(Segment(text[cursor : version.start]))
        cursor = version.end
        while cursor < len(text) and text[cursor] in _CLOSING_MARKS:
            cursor += 1
        segments.append(Segment(text[version.start : version.end], version, text[version.end : cursor]))
    if cursor < len(text):
        segments.append(Segment(text[cursor:]))
    return segments


def article_list(request):
    articles = Article.objects.listed().annotate(n=Count("versions")).chronological()
    return render(request, "quotes/article_list.html", {"page": page_of(request, articles)})


@require_http_methods(["GET", "POST"])
@editor_required("add_article")
def article_new(request):
    """Add articles: pasted text or files are saved; a web page is read and shown for checking first."""
    if request.method == "POST" and not _upload_allowed(request.user):
        return _too_many_uploads(request)
    form = ArticleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if form.mode == "fetch":
            return _store_for_fetching(request, form)
        if form.mode == "review":
            return _review_read_page(request, form.drafts[0])
        if form.mode == "batch":
            return _save_uploaded_files(request, form.drafts, form.refused)
        result = ingest_draft(form.drafts[0])
        if not result.created:
            messages.info(request, _ALREADY_STORED)
        return redirect(result.article)
    return render(request, "quotes/article_form.html", {"form": form})


def _store_for_fetching(request, form: ArticleForm):
    """Store the address at once and show the article's page, where the worker's
    fetching and then extraction show as they go; the page is never fetched here."""
    try:
        result = store_for_fetching(form.cleaned_data["url"], form.cleaned_data)
    except PageError as exc:
        form.add_error("url", str(exc))
        return render(request, "quotes/article_form.html", {"form": form})
    if not result.created:
        messages.info(request, _ALREADY_STORED)
    return redirect(result.article)


def _upload_allowed(user) -> bool:
    """At most ``UPLOAD_RATE_LIMIT`` upload requests per user per clock minute."""
    limit = settings.UPLOAD_RATE_LIMIT
    if not limit:
        return True
    key = f"upload-rate:{user.pk}:{int(time.time() // 60)}"
    try:
        cache.add(key, 0, timeout=120)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, count := 1, timeout=120)
    except Exception:  # noqa: BLE001 - a cache that is down must not stop uploads
        log.warning("upload rate limit not checked: the cache does not answer", exc_info=True)
        return True
    return count <= limit


def _too_many_uploads(request):
    # Nothing is read or stored; what was typed is shown again (files cannot be).
    kept = {name: request.POST.get(name, "") for name in ("url", "text", "outlet", "title", "author")}
    messages.error(
        request,
        f"Too many uploads: at most {settings.UPLOAD_RATE_LIMIT} a minute. "
        "Nothing was saved; please wait a minute and send again.",
    )
    response = render(request, "quotes/article_form.html", {"form": ArticleForm(initial=kept)}, status=429)
    response["Retry-After"] = "60"
    return response


_ALREADY_STORED = (
    "This article was already stored (the same address, or the same text from the same outlet): here it is."
)


def _review_read_page(request, draft: ArticleDraft):
    existing = article_at_url(draft.url)
    if existing is not None:
        messages.info(request, _ALREADY_STORED)
        return redirect(existing)
    form = ArticleForm(initial=review_initial(draft))
    return render(request, "quotes/article_form.html", {"form": form, "review": draft})


_UPLOAD_RESULTS = "upload-results"


@dataclass(frozen=True)
class UploadResult:
    """One file of a batch: the article it became, or the one already stored."""

    origin: str
    article: Article
    created: bool


def _save_uploaded_files(request, drafts: list[ArticleDraft], refused: list[str]):
    """Store the batch, then show what became of each file on a page of its own
    (after a redirect, so that reloading it sends nothing again)."""
    # All or nothing: a failure half-way must not leave some files stored and
    # others not; extraction is queued when the whole batch has committed.
    with transaction.atomic():
        results = [(draft.origin, ingest_draft(draft)) for draft in drafts]
    request.session[_UPLOAD_RESULTS] = {
        "added": [[origin, result.article.pk, result.created] for origin, result in results],
        "refused": refused,
    }
    return redirect("quotes:article-upload-results")


@editor_required("add_article")
def article_upload_results(request):
    """What became of each file of the editor's last batch, and which files were refused."""
    batch = request.session.get(_UPLOAD_RESULTS)
    if not batch:
        return redirect("quotes:article-new")
    articles = Article.objects.select_related("outlet").in_bulk([pk for _, pk, _ in batch["added"]])
    results = [
        UploadResult(origin, articles[pk], created)
        for origin, pk, created in batch["added"]
        if pk in articles
    ]
    context = {"results": results, "refused": batch["refused"]}
    return render(request, "quotes/article_upload_results.html", context)


def opening_headline(article: Article) -> tuple[int, int, int]:
    """Where the text's own headline is, when the text opens with it (as pages
    and files usually do): the start and end of its first line, and where the
    text goes on after it and after any repeat of it (a page's standfirst is
    often its headline again). ``(0, 0, 0)`` when the text does not open with it."""
    title = " ".join(article.title.split())
    first, cursor, after = None, 0, 0
    for line in article.text.splitlines(keepends=True):
        words = line.strip().lstrip("#").strip()
        if words and " ".join(words.split()) != title:
            break
        if words and first is None:
            start = cursor + line.index(words)
            first = (start, start + len(words))
        cursor += len(line)
        if words:
            after = cursor
    if not title or first is None:
        return 0, 0, 0
    while after < len(article.text) and article.text[after].isspace():
        after += 1
    return first[0], first[1], after


def _article_context(article: Article, request) -> dict:
    versions = list(article.versions.select_related("speaker", "family"))
    corrected = corrected_on(versions)
    title_versions = [o for o in versions if o.in_title]
    body_versions = [o for o in versions if not o.in_title]
    heading_anchors: list[Version] = []
    start, end, after = opening_headline(article)
    in_heading = [o for o in body_versions if o.start < after]
    if after and not title_versions and all(o.end <= after for o in in_heading):
        # The heading is the text's own first line, highlighted; the body starts after
        # it, so the headline is shown once. A repeat's versions keep their anchors.
        shown = [o for o in in_heading if start <= o.start and o.end <= end]
        title_segments = _from(highlight(article.text[:end], shown), start)
        heading_anchors = [o for o in in_heading if o not in shown]
        segments = _from(highlight(article.text, [o for o in body_versions if o.start >= after]), after)
    else:
        title_segments = highlight(article.title, title_versions)
        segments = highlight(article.text, body_versions)
    shown_lines = [o for o in versions if o not in heading_anchors]
    return {
        "article": article,
        "versions": [
            ListedVersion(version, corrected.get(version.pk))
            for version in distinct_texts(sorted(shown_lines, key=lambda o: (not o.in_title, o.start)))
        ],
        "title_segments": title_segments,
        "segments": segments,
        "heading_anchors": heading_anchors,
    }


def _from(segments: list[Segment], offset: int) -> list[Segment]:
    """The segments of a text from ``offset`` on (a plain segment is cut there)."""
    kept, cursor = [], 0
    for segment in segments:
        end = cursor + len(segment.text) + len(segment.closing)
        if end > offset:
            kept.append(segment if cursor >= offset else Segment(segment.text[offset - cursor :]))
        cursor = end
    return kept


def article_detail(request, pk: int):
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=pk)
    context = _article_context(article, request)
    if request.htmx:
        return render(request, "quotes/_article_body.html", context)
    return render(request, "quotes/article_detail.html", context)


@require_POST
@editor_required("change_article")
def article_rerun(request, pk: int):
    """Extract an article's quotes again; editors' corrections are kept. A URL
    import whose page was never read is fetched again first."""
    article = get_object_or_404(Article, pk=pk)
    if not article.is_fetched:
        if article.mark_fetching_unless_pending():
            queue_fetching(article)
            messages.info(request, "Fetching the page again.")
        else:
            messages.info(request, "The page is already being fetched: it was not queued again.")
    elif article.mark_queued_unless_pending():
        queue_extraction(article)
        messages.info(request, "Extraction queued again.")
    else:
        messages.info(request, "Extraction is already queued or under way: it was not queued again.")
    return redirect(article)
