from __future__ import annotations

import csv
import json
import logging
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, TextField, Value
from django.db.models.functions import Least, Substr
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from . import charts, corrections, polling
from .api import quote_json
from .families import primary
from .families.check import check_quote
from .families.compared import ComparedVersion, compared_versions
from .forms import (
    ArticleForm,
    CheckForm,
    OccurrenceCorrectionForm,
    PrimarySourceForm,
    SourceForm,
    family_choices,
    family_label,
    review_initial,
)
from .ingest import ArticleDraft, article_at_url, ingest_draft, queue_extraction, read_web_page
from .models import Article, Correction, Occurrence, Outlet, PrimarySource, Quote, Source, SourceItem, Speaker
from .permissions import editor_required
from .search import QuoteFilterForm, ResultPaginator, did_you_mean, find_quotes, highlight_words
from .templatetags.quotewise import quoted
from .webpages import PageError

log = logging.getLogger(__name__)

PAGE_SIZE = 25


def _page(request, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


@dataclass(frozen=True)
class Segment:
    text: str
    occurrence: Occurrence | None = None


def highlight(text: str, occurrences: list[Occurrence]) -> list[Segment]:
    """Cut the text into plain and quoted pieces; nested spans keep the outer one."""
    segments, cursor = [], 0
    for occ in sorted(occurrences, key=lambda o: (o.start, -o.end)):
        if occ.start < cursor or occ.end > len(text):
            continue
        if occ.start > cursor:
            segments.append(Segment(text[cursor : occ.start]))
        segments.append(Segment(text[occ.start : occ.end], occ))
        cursor = occ.end
    if cursor < len(text):
        segments.append(Segment(text[cursor:]))
    return segments


def home(request):
    recent = Article.objects.recent()[:10]
    # Most quoted in the articles published this month (an undated one counts
    # by the day it was added); all time while the month is quiet.
    month_start = timezone.localdate().replace(day=1)
    this_month = Q(occurrences__article__published__gte=month_start) | Q(
        occurrences__article__published__isnull=True, occurrences__article__created_at__date__gte=month_start
    )
    speakers = list(
        Speaker.objects.annotate(n=Count("occurrences", filter=this_month))
        .filter(n__gt=0)
        .order_by("-n", "name")[:10]
    )
    speakers_period = "this month"
    if not speakers:
        speakers = (
            Speaker.objects.annotate(n=Count("occurrences")).filter(n__gt=0).order_by("-n", "name")[:10]
        )
        speakers_period = "of all time"
    widespread = distinct_texts(
        Quote.objects.select_related("speaker")
        .worth_featuring()
        .with_outlet_counts()
        .with_kind()
        .order_by("-outlet_count", "-occurrence_count", "-first_seen")[:20]
    )[:10]
    return render(
        request,
        "quotes/home.html",
        {
            "recent": recent,
            "speakers": speakers,
            "speakers_period": speakers_period,
            "widespread": widespread,
        },
    )


def distinct_texts(items) -> list:
    """One line for each speaker's words: "Destroyed" and "destroyed" (the
    headline's and the body's) are the same statement, shown once, first kept."""
    seen: set[tuple] = set()
    kept = []
    for item in items:
        key = (item.speaker_id, item.speaker_description, quoted(item.text).casefold())
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def article_list(request):
    articles = Article.objects.listed().annotate(n=Count("occurrences")).chronological()
    return render(request, "quotes/article_list.html", {"page": _page(request, articles)})


@require_http_methods(["GET", "POST"])
@editor_required("add_article")
def article_new(request):
    """Add articles: pasted text or files are saved; a web page is read and shown for checking first."""
    if request.method == "POST" and not _upload_allowed(request.user):
        return _too_many_uploads(request)
    form = ArticleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if form.mode == "fetch" and not _read_for_review(form):
            return render(request, "quotes/article_form.html", {"form": form})
        if form.mode == "review":
            return _review_read_page(request, form.drafts[0])
        if form.mode == "batch":
            return _save_uploaded_files(request, form.drafts)
        result = ingest_draft(form.drafts[0])
        if not result.created:
            messages.info(request, _ALREADY_STORED)
        return redirect(result.article)
    return render(request, "quotes/article_form.html", {"form": form})


def _read_for_review(form: ArticleForm) -> bool:
    """Have ingest fetch the page the form names; its error, if any, becomes the form's."""
    try:
        draft = read_web_page(form.cleaned_data["url"], form.cleaned_data)
    except PageError as exc:
        form.add_error("url", str(exc))
        return False
    return form.take_page(draft)


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


def _save_uploaded_files(request, drafts: list[ArticleDraft]):
    # All or nothing: a failure half-way must not leave some files stored and
    # others not; extraction is queued when the whole batch has committed.
    with transaction.atomic():
        results = [(draft, ingest_draft(draft)) for draft in drafts]
    return render(request, "quotes/article_upload_results.html", {"results": results})


def mark_corrected(occurrences: list[Occurrence]) -> None:
    """Set ``corrected_on`` (the day of an editor's latest correction, or None) on each."""
    articles = {occ.article_id for occ in occurrences}
    latest: dict[tuple, object] = {}
    for row in Correction.objects.filter(article_id__in=articles).values(
        "article_id", "in_title", "start", "end", "created_at"
    ):
        span = (row["article_id"], row["in_title"], row["start"], row["end"])
        latest[span] = max(latest.get(span, row["created_at"]), row["created_at"])
    for occ in occurrences:
        occ.corrected_on = latest.get((occ.article_id, occ.in_title, occ.start, occ.end))


def _offer_corrections(request, occurrences: list[Occurrence]) -> None:
    """For an editor, each quote's ``family_choices``: the quotes it might be moved to."""
    if not request.user.has_perm("quotes.change_occurrence"):
        return
    for occ in occurrences:
        occ.family_choices = [
            {"pk": family.pk, "label": family_label(family)} for family in family_choices(occ)[:40]
        ]


def _article_context(article: Article, request) -> dict:
    occurrences = list(article.occurrences.select_related("speaker", "quote"))
    mark_corrected(occurrences)
    _offer_corrections(request, occurrences)
    title_occurrences = [o for o in occurrences if o.in_title]
    body_occurrences = [o for o in occurrences if not o.in_title]
    return {
        "article": article,
        "occurrences": distinct_texts(sorted(occurrences, key=lambda o: (not o.in_title, o.start))),
        "title_segments": highlight(article.title, title_occurrences),
        "segments": highlight(article.text, body_occurrences),
    }


def article_detail(request, pk: int):
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=pk)
    context = _article_context(article, request)
    if request.htmx:
        return render(request, "quotes/_article_body.html", context)
    return render(request, "quotes/article_detail.html", context)


@require_POST
@editor_required("change_article")
def article_rerun(request, pk: int):
    """Extract an article's quotes again; editors' corrections are kept."""
    article = get_object_or_404(Article, pk=pk)
    article.mark_queued()
    queue_extraction(article)
    messages.info(request, "Extraction queued again.")
    return redirect(article)


# How an article's versions of one statement are listed: the speaker's words first.
_VERSION_ORDER = {Occurrence.Kind.DIRECT: 0, Occurrence.Kind.PARTIAL: 1, Occurrence.Kind.HEADLINE: 2}


@dataclass
class _Carrier:
    """One article that carried a family, with every version of the statement it printed."""

    article: Article
    lag_days: int | None
    versions: list[ComparedVersion] = field(default_factory=list)


def quote_detail(request, pk: int):
    quote = get_object_or_404(Quote.objects.select_related("speaker"), pk=pk)
    return render(request, "quotes/quote_detail.html", _quote_context(request, quote))


def _quote_context(request, quote: Quote, source_form: PrimarySourceForm | None = None) -> dict:
    occurrences = list(quote.occurrences.for_display().with_context().in_publication_order())
    mark_corrected(occurrences)
    _offer_corrections(request, occurrences)
    # Not the source's text, which may run to megabytes: its opening, and each version's passage.
    source = primary.current_source(quote, with_text=False)
    first = next((o for o in occurrences if o.article.published), None)
    carriers: dict[int, _Carrier] = {}
    for version in compared_versions(occurrences, quote.text, source):
        occ = version.occurrence
        if occ.article_id not in carriers:
            lag = None
            if first and occ.article.published:
                lag = (occ.article.published - first.article.published).days
            carriers[occ.article_id] = _Carrier(occ.article, lag)
        carriers[occ.article_id].versions.append(version)
    for carrier in carriers.values():
        carrier.versions.sort(key=lambda v: (_VERSION_ORDER.get(v.kind, 3), v.occurrence.start))
    carried = list(carriers.values())
    # Outlets that carried it on the first day are first together: none is "the" first.
    first_outlets = {c.article.outlet_id for c in carried if c.lag_days == 0}
    timeline = charts.provenance_timeline((c.article.outlet.name, c.article.published) for c in carried)
    same_event = (
        Quote.objects.filter(occurrences__article__in=carriers.keys())
        .exclude(pk=quote.pk)
        .select_related("speaker")
        .with_kind()
        .distinct()
        .order_by("-first_seen", "pk")[:8]
    )
    kind = Occurrence.family_kind({occ.kind for occ in occurrences})
    editor = request.user.has_perm("quotes.add_primarysource")
    if source_form is None and editor:
        source_form = PrimarySourceForm(initial={"kind": source.kind if source else "transcript"})
    return {
        "quote": quote,
        "kind": kind,
        "carried": carried,
        "first_tied": len(first_outlets) > 1,
        # By publication date: a family's first_seen falls back to the day an undated article was added.
        "first_carried": first.article.published if first else None,
        "timeline": timeline,
        "same_event": same_event,
        "citation": citation(quote, kind, carried[0] if carried else None, request),
        "linked_data": quotation_linked_data(quote, carried, request),
        "source": source,
        "source_opening": _opening(source),
        "not_in_source": sum(1 for c in carried for v in c.versions if v.in_source is False),
        "source_form": source_form if editor else None,
    }


def _opening(source: PrimarySource | None) -> str:
    """The first words of a source (``primary.OPENING_CHARS``), cut at a word."""
    if source is None:
        return ""
    opening = source.opening
    if source.characters > len(opening):
        opening = opening[: opening.rfind(" ")] if " " in opening.strip() else opening
        opening = f"{opening.rstrip()} …"
    return opening


@dataclass
class _SourcePiece:
    """A run of a primary source's text: inside the passages of ``versions``
    (none: between passages), and where the passages of ``starting`` begin."""

    text: str
    versions: list[Occurrence]
    starting: list[Occurrence]

    @property
    def outlets(self) -> str:
        return ", ".join(dict.fromkeys(occ.article.outlet.name for occ in self.versions))


def _source_pieces(text: str, occurrences: list[Occurrence]) -> list[_SourcePiece]:
    """The source's text cut where any version's passage starts or ends (passages
    overlap: several outlets carry one sentence), each piece with the versions it lies in."""
    placed = [occ for occ in occurrences if occ.source_start is not None]
    cuts = sorted({0, len(text), *(o.source_start for o in placed), *(o.source_end for o in placed)})
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        pieces.append(
            _SourcePiece(
                text[start:end],
                [o for o in placed if o.source_start <= start and end <= o.source_end],
                [o for o in placed if o.source_start == start],
            )
        )
    return pieces


def primary_source_detail(request, pk: int):
    """A family's primary source in full, plain, with each version's passage highlighted."""
    quote = get_object_or_404(Quote.objects.select_related("speaker"), pk=pk)
    source = primary.current_source(quote)
    if source is None:
        raise Http404("This quote has no primary source.")
    occurrences = list(quote.occurrences.for_display().in_publication_order())
    context = {
        "quote": quote,
        "kind": Occurrence.family_kind({occ.kind for occ in occurrences}),
        "source": source,
        "versions": compared_versions(occurrences, quote.text, source),
        "pieces": _source_pieces(source.text, occurrences),
    }
    return render(request, "quotes/primarysource_detail.html", context)


@require_POST
@editor_required("add_primarysource")
def primary_source_attach(request, pk: int):
    """Attach (or replace) a family's primary source: its versions are compared with it."""
    quote = get_object_or_404(Quote.objects.select_related("speaker"), pk=pk)
    form = PrimarySourceForm(request.POST, request.FILES)
    if not form.is_valid():
        context = _quote_context(request, quote, source_form=form)
        return render(request, "quotes/quote_detail.html", context, status=400)
    data = form.cleaned_data
    replacing = primary.current_source(quote) is not None
    primary.attach_source(
        quote,
        kind=data["kind"],
        text=data["source_text"],
        url=data["url"],
        when=data["date"],
        file_name=data["file_name"],
        user=request.user,
    )
    messages.success(request, "Primary source replaced." if replacing else "Primary source attached.")
    return redirect(f"{quote.get_absolute_url()}#primary-source")


@require_POST
@editor_required("add_primarysource")
def primary_source_remove(request, pk: int):
    quote = get_object_or_404(Quote, pk=pk)
    if primary.remove_source(quote, request.user):
        messages.success(
            request, "Primary source removed: versions are compared with the quote's text again."
        )
    return redirect(quote)


def quotation_linked_data(quote: Quote, carried: list[_Carrier], request) -> str:
    """The statement as schema.org JSON-LD for search engines and fact-check tools: a
    ``Quotation`` spoken by its speaker, based on its first appearance, citing each one.
    Escaped like Django's ``json_script``, so no text can close the script element."""

    def appearance(article: Article) -> dict:
        found = {"@type": "NewsArticle", "headline": article.title or article.outlet.name}
        found["publisher"] = {"@type": "Organization", "name": article.outlet.name}
        if article.url:
            found["url"] = article.url
        if article.published:
            found["datePublished"] = article.published.isoformat()
        return found

    data: dict = {
        "@context": "https://schema.org",
        "@type": "Quotation",
        "text": quote.text,
        "url": request.build_absolute_uri(quote.get_absolute_url()),
    }
    if quote.speaker is not None:
        data["spokenByCharacter"] = {
            "@type": "Person" if quote.speaker.type == Speaker.Type.PERSON else "Organization",
            "name": quote.speaker.name,
            "url": request.build_absolute_uri(quote.speaker.get_absolute_url()),
        }
    elif quote.speaker_description:
        data["spokenByCharacter"] = {"@type": "Person", "description": quote.speaker_description}
    if carried:
        data["isBasedOn"] = appearance(carried[0].article)
        data["citation"] = [appearance(c.article) for c in carried]
    text = json.dumps(data, ensure_ascii=False)
    for unsafe, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(unsafe, escaped)
    return mark_safe(text)  # escaped above, as json_script does


def citation(quote: Quote, kind: str, first: _Carrier | None, request) -> str:
    """How to cite the statement, in plain text: who, the words (a paraphrase
    said to be one), the first outlet that carried it, when, where, and this page."""
    who = quote.speaker.name if quote.speaker else quote.speaker_description or "Unknown speaker"
    words = quoted(quote.text)
    said = f"{who}, as reported: {words}" if kind == Occurrence.Kind.INDIRECT else f"{who}: “{words}”"
    parts = [said]
    if first is not None:
        article = first.article
        when = article.published.strftime("%-d %B %Y") if article.published else "date unknown"
        parts.append(f"{article.outlet.name}, “{article.title}”, {when}")
        if article.url:
            parts.append(article.url)
    parts.append(f"Quotewise: {request.build_absolute_uri(quote.get_absolute_url())}")
    return "\n".join(parts)


@require_POST
@editor_required("change_occurrence")
def occurrence_correct(request, pk: int):
    """An editor's correction, from the article or quote page it was made on
    (recorded, so that it survives extraction run again)."""
    occ = get_object_or_404(Occurrence.objects.select_related("article", "quote", "speaker"), pk=pk)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = occ.get_absolute_url()
    form = OccurrenceCorrectionForm(occ, request.POST)
    if not form.is_valid():
        problems = " ".join(" ".join(errors) for errors in form.errors.values())
        messages.error(request, f"Not corrected: {problems}")
        return redirect(back)
    data = form.cleaned_data
    if data["action"] == Correction.Action.SPEAKER:
        speaker = corrections.speaker_named(data["speaker"], data["create_as"])
        corrections.correct_speaker(occ, speaker, request.user)
        messages.success(request, f"Corrected: said by {speaker.name}.")
    elif data["action"] == Correction.Action.FAMILY:
        was_on_its_family = back.startswith(reverse("quotes:quote-detail", args=[occ.quote_id]))
        corrections.correct_family(occ, data["family"], request.user)
        messages.success(request, "Corrected: moved to another quote.")
        if was_on_its_family:
            back = data["family"].get_absolute_url()
    else:
        family_id = occ.quote_id
        corrections.mark_not_a_quote(occ, request.user)
        messages.success(request, "Corrected: not a quote, removed.")
        if not Quote.objects.filter(pk=family_id).exists():
            back = occ.article.get_absolute_url()
    return redirect(back)


@editor_required("change_occurrence")
def correction_list(request):
    """Every correction, newest first, with the words it was about."""
    rows = (
        Correction.objects.select_related("article__outlet", "speaker", "quote", "created_by")
        .defer("article__text")
        .annotate(
            words=Substr(
                "article__text",
                F("start") + 1,
                Least(F("end") - F("start"), Value(200)),
                output_field=TextField(),
            )
        )
        .order_by("-created_at", "-pk")
    )
    return render(request, "quotes/correction_list.html", {"page": _page(request, rows, 50)})


def speaker_list(request):
    speakers = Speaker.objects.with_counts().filter(occurrence_count__gt=0).order_by("-quote_count", "name")
    return render(request, "quotes/speaker_list.html", {"page": _page(request, speakers, 50)})


def speaker_suggestions(request):
    """Autocomplete: speakers whose names or aliases look like what was typed."""
    typed = request.GET.get("speaker", "").strip()
    speakers = []
    if len(typed) >= 2:
        speakers = Speaker.objects.named_like(typed).with_counts().order_by("-quote_count", "name")[:8]
    if request.GET.get("as") == "options":  # a correction form's list of speakers to pick from
        return render(request, "quotes/_speaker_options.html", {"speakers": speakers})
    return render(request, "quotes/_speaker_suggestions.html", {"speakers": speakers, "typed": typed})


def speaker_detail(request, slug: str):
    speaker = get_object_or_404(Speaker.objects.prefetch_related("aliases", "roles"), slug=slug)
    # No per-family counts: the page lists the outlets themselves, and a
    # GROUP BY over all of a prolific speaker's families costs seconds.
    families = (
        Quote.objects.by_speaker(speaker)
        .chronological()
        .prefetch_related(
            Prefetch(
                "occurrences",
                queryset=Occurrence.objects.with_article().in_publication_order(),
            )
        )
    )
    outlets = (
        Outlet.objects.filter(articles__occurrences__speaker=speaker)
        .annotate(n=Count("articles__occurrences"))
        .order_by("-n", "name")[:10]
    )
    chart = charts.monthly_bar_chart(
        Quote.objects.by_speaker(speaker).count_by_month("first_seen"),
        title=f"Quotes by {speaker.name} per month",
    )
    return render(
        request,
        "quotes/speaker_detail.html",
        {"speaker": speaker, "page": _page(request, families), "outlets": outlets, "chart": chart},
    )


@require_http_methods(["GET", "POST"])
@editor_required("add_article")
def source_list(request):
    """The feeds and sitemaps being watched, and a form to watch another."""
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                source = polling.add_source(form.cleaned_data["url"], form.cleaned_data["outlet"])
                _poll_soon(source)
        except polling.SourceError as exc:
            form.add_error("url", str(exc))
        else:
            messages.success(request, f"Watching {source.url}: its newest articles are being imported.")
            return redirect("quotes:source-list")
    failing = Count(
        "items", filter=Q(items__status__in=[SourceItem.Status.FAILED, SourceItem.Status.GAVE_UP])
    )
    sources = (
        Source.objects.select_related("outlet")
        .annotate(failing_items=failing)
        .order_by("outlet__name", "url")
    )
    return render(request, "quotes/source_list.html", {"form": form, "page": _page(request, sources)})


@require_POST
@editor_required("add_article")
def source_pause(request, pk: int):
    """Pause a source, or take it up again (polled at once)."""
    source = get_object_or_404(Source, pk=pk)
    source.paused = not source.paused
    source.save(update_fields=["paused"])
    if not source.paused:
        _poll_soon(source)
    messages.success(request, f"{source.url} is {'paused' if source.paused else 'watched again'}.")
    return redirect("quotes:source-list")


def _poll_soon(source: Source) -> None:
    """Due now: the next beat tick sends it to a worker, and we ask for that at once as well."""
    Source.objects.filter(pk=source.pk).update(next_poll_at=timezone.now())
    transaction.on_commit(_queue_due_sources_quietly)


def _queue_due_sources_quietly() -> None:
    try:
        polling.queue_due_sources()
    except Exception:  # noqa: BLE001 - the broker is down: beat queues it once it is back
        log.warning("could not queue the due sources; beat will", exc_info=True)


def outlet_list(request):
    latest_url = (
        Article.objects.filter(outlet=OuterRef("pk"))
        .exclude(url="")
        .order_by("-created_at")
        .values("url")[:1]
    )
    outlets = Outlet.objects.annotate(
        article_count=Count("articles", distinct=True), latest_url=Subquery(latest_url)
    ).order_by("name")
    return render(request, "quotes/outlet_list.html", {"page": _page(request, outlets, 50)})


# An outlet's most quoted speakers are counted in this many of its latest articles.
OUTLET_SPEAKERS_ARTICLES = 1_000


def outlet_detail(request, slug: str):
    outlet = get_object_or_404(Outlet, slug=slug)
    # Unannotated: the timeline shows each article's quotes, not a count,
    # and the count's GROUP BY would cover every article of the outlet.
    articles = (
        outlet.articles.listed()
        .chronological()
        .prefetch_related(
            Prefetch(
                "occurrences",
                queryset=Occurrence.objects.select_related("speaker", "quote").order_by("in_title", "start"),
            )
        )
    )
    page = _page(request, articles, 10)
    for article in page:
        for occ in article.occurrences.all():
            occ.lag_days = _days_after_first(occ)
    # Counted in the outlet's latest articles: counting in all of a large
    # outlet's articles reads every one of its quotes on each view.
    latest = outlet.articles.chronological().values("pk")[:OUTLET_SPEAKERS_ARTICLES]
    speakers = (
        Speaker.objects.filter(occurrences__article__in=latest)
        .annotate(n=Count("occurrences"))
        .order_by("-n", "name")[:10]
    )
    chart = charts.monthly_bar_chart(
        outlet.articles.count_by_month("published"),
        title=f"Articles from {outlet.name} per month",
    )
    return render(
        request,
        "quotes/outlet_detail.html",
        {
            "outlet": outlet,
            "domain": outlet.domain_shown(
                outlet.articles.exclude(url="").order_by("-created_at").values_list("url", flat=True).first()
                or ""
            ),
            "page": page,
            "speakers": speakers,
            "speakers_articles": OUTLET_SPEAKERS_ARTICLES,
            "chart": chart,
        },
    )


def _days_after_first(occ: Occurrence) -> int | None:
    """How long after the first outlet this one carried the quote (0: it was first)."""
    if occ.article.published and occ.quote.first_seen:
        return max(0, (occ.article.published - occ.quote.first_seen).days)
    return None


EXPORT_LIMIT = 10_000
# The search page shows at most this many results (exports go up to EXPORT_LIMIT).
SEARCH_RESULT_LIMIT = 1_000


def search(request):
    form = QuoteFilterForm(request.GET or None)
    quotes = find_quotes(form) if form.is_bound else Quote.objects.none()
    export = request.GET.get("format")
    if export == "csv":
        shown = list(quotes[:EXPORT_LIMIT])
        return _export_csv(shown, primary.current_sources(shown))
    if export == "json":
        shown = list(quotes[:EXPORT_LIMIT])
        sources = primary.current_sources(shown)
        return JsonResponse({"results": [quote_json(q, sources) for q in shown]})
    page = ResultPaginator(quotes, PAGE_SIZE, SEARCH_RESULT_LIMIT).get_page(request.GET.get("page"))
    words = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    for quote in page:
        quote.highlighted = highlight_words(quoted(quote.text), words)
    suggestion = did_you_mean(form) if form.is_bound else None
    if suggestion is not None:
        params = request.GET.copy()
        params["speaker"] = suggestion.name
        params.pop("page", None)
        suggestion.search_url = f"?{params.urlencode()}"
    return render(
        request,
        "quotes/search.html",
        {"form": form, "page": page, "outlets": Outlet.objects.all(), "did_you_mean": suggestion},
    )


def _export_csv(quotes: list[Quote], sources: dict[int, PrimarySource]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="quotes.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "quote_id",
            "speaker",
            "quote",
            "quote_kind",
            "first_seen",
            "outlet",
            "outlet_domain",
            "published",
            "article_id",
            "article_title",
            "article_url",
            "text_as_printed",
            "kind",
            "cue",
            "confidence",
            "attribution_note",
            "relation",
            "meaning_flags",
        ]
    )
    for quote in quotes:
        for version in compared_versions(quote.occurrences.all(), quote.text, sources.get(quote.pk)):
            occ, article = version.occurrence, version.occurrence.article
            writer.writerow(
                csv_safe(
                    quote.pk,
                    quote.speaker.name if quote.speaker else quote.speaker_description,
                    quote.text,
                    quote.kind,
                    quote.first_seen or "",
                    article.outlet.name,
                    article.outlet.domain_shown(article.url),
                    article.published or "",
                    occ.article_id,
                    article.title,
                    article.url,
                    occ.text,
                    occ.kind,
                    occ.cue,
                    round(occ.confidence, 2),
                    occ.attribution_note,
                    version.relation_to_canonical,
                    "; ".join(flag.label for flag in version.flags),
                )
            )
    return response


# A spreadsheet takes a cell beginning with one of these for a formula (OWASP's list).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(*cells) -> list:
    """A CSV row whose text cells a spreadsheet shows as text, never runs as a formula."""
    return [_text_cell(cell) if isinstance(cell, str) else cell for cell in cells]


def _text_cell(cell: str) -> str:
    return f"'{cell}" if cell.startswith(_FORMULA_STARTS) else cell


def check(request):
    """Paste a quote in any wording: the families it matches, or "no match" said plainly."""
    form = CheckForm(request.GET or None)
    matches = None
    if form.is_valid():
        matches = check_quote(form.cleaned_data["text"], form.cleaned_data["speaker"])
    return render(request, "quotes/check.html", {"form": form, "matches": matches})
