from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.db.models import Case, Value, When
from django.utils import timezone

from . import webpages
from .corrections import speaker_named
from .extraction.invisible import without_control_characters
from .families.passages import caption_text
from .families.store import retrieve_candidates
from .ingest import (
    HTML_SUFFIXES,
    TEXT_SUFFIXES,
    ArticleDraft,
    check_upload_size,
    decode_upload,
    draft_from_page,
    length_problem,
    title_from_text,
    upload_limit_mb,
)
from .models import Correction, Family, Outlet, PrimarySource, Speaker, Version


@dataclass(frozen=True)
class Upload:
    """One uploaded file, read: its text, or the article its HTML carries."""

    name: str
    text: str = ""
    page: webpages.PageArticle | None = None


def read_upload(name: str, data: bytes) -> Upload:
    """Read a .txt/.md/.html file; a ValidationError says what is wrong with it."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in TEXT_SUFFIXES + HTML_SUFFIXES:
        raise forms.ValidationError("Only .txt, .md, .html and .htm files can be uploaded.")
    check_upload_size(len(data))
    if not data.strip():
        raise forms.ValidationError("The file is empty.")
    if suffix in HTML_SUFFIXES:
        try:
            return Upload(name, page=webpages.read_page(data))
        except webpages.PageError as exc:
            raise forms.ValidationError(str(exc)) from exc
    text = decode_upload(data)
    if not text.strip():
        raise forms.ValidationError("The file has no text, only white space.")
    return Upload(name, text=text)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; cleans to a list of uploaded files."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        clean_one = super().clean
        if isinstance(data, list | tuple):
            return [clean_one(item, initial) for item in data if item]
        return [clean_one(data, initial)] if data else []


# The ways a date is commonly typed, day before month as in British papers:
# 05/06/2024 is 5 June (an American month-first date is refused when it
# cannot be a day-first one, and the message says day first).
PUBLISHED_FORMATS = [
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
]


class ArticleForm(forms.Form):
    """One form for every way in: a URL, pasted text, or one or more files.

    After cleaning, ``mode`` says what the view should do:
    ``"single"`` save ``drafts[0]``; ``"review"`` show ``drafts[0]`` (read from
    an uploaded web page) pre-filled for the person to check; ``"fetch"`` store
    the address at ``cleaned_data["url"]`` at once for a worker to fetch and read
    (``ingest.store_for_fetching``: the form validates the address, and nothing
    fetches it in the web request); ``"batch"`` save every draft.
    """

    url = forms.URLField(
        required=False,
        label="Web address",
        assume_scheme="https",
        max_length=2000,
        help_text="A link to the article: “Fetch and read” stores it at once, and its page is read in the "
        "background; what you type below fills only what the page does not say.",
    )
    text = forms.CharField(
        required=False,
        label="Article text",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Paste the text, or choose files below.",
    )
    files = MultipleFileField(
        required=False,
        label="…or files",
        help_text=".txt, .md, .html or .htm; choose several to add them all at once.",
        widget=MultipleFileInput(attrs={"accept": ".txt,.text,.md,.markdown,.html,.htm"}),
    )
    outlet = forms.CharField(
        max_length=200,
        required=False,
        help_text="Pick a known outlet or type a new one.",
        widget=forms.TextInput(attrs={"list": "outlet-names", "autocomplete": "off"}),
    )
    title = forms.CharField(
        max_length=500, required=False, help_text="The first line of the text or file when left empty."
    )
    author = forms.CharField(max_length=300, required=False)
    # A text field, not a date picker: a browser's picker shows and reads dates
    # in its own locale's order, which a pasted 2024-05-01 does not follow.
    published = forms.DateField(
        required=False,
        label="Published on",
        input_formats=PUBLISHED_FORMATS,
        error_messages={"invalid": "Give the date as 2024-05-01, 01/05/2024 or 1 May 2024 (day first)."},
        help_text="e.g. 2024-05-01, 01/05/2024 or 1 May 2024 (day first).",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"placeholder": "YYYY-MM-DD or DD/MM/YYYY"}),
    )

    # The date read from a page's text, kept through the review: a date the
    # person leaves as it was read is still marked as inferred.
    inferred_date = forms.DateField(required=False, input_formats=["%Y-%m-%d"], widget=forms.HiddenInput)

    mode = "single"
    drafts: list[ArticleDraft]
    refused: list[str] = []  # "name: why" for each file of several that was left out

    def outlet_names(self) -> list[str]:
        return list(Outlet.objects.values_list("name", flat=True)[:500])

    def clean_outlet(self) -> str:
        return " ".join(self.cleaned_data["outlet"].split())

    def clean_published(self) -> date | None:
        published = self.cleaned_data.get("published")
        if published and published > timezone.localdate():
            raise forms.ValidationError("The publication date is in the future.")
        return published

    def clean_files(self) -> list[Upload]:
        """The files that can be read. Of several, those that cannot are left
        out and named in ``refused`` with the reason (the others are taken);
        when none can, or the only one cannot, the form says why."""
        uploads, problems = [], []
        for upload in self.cleaned_data.get("files") or []:
            try:
                check_upload_size(upload.size)
                uploads.append(read_upload(upload.name, upload.read()))
            except forms.ValidationError as exc:
                problems.append(f"{upload.name}: {' '.join(exc.messages)}")
        if problems and not uploads:
            raise forms.ValidationError(problems)
        self.refused = problems
        return uploads

    def clean(self):
        cleaned = super().clean()
        self.drafts = []
        if self.errors.keys() & {"files", "url"}:
            return cleaned
        uploads = cleaned.get("files") or []
        text, url = cleaned.get("text") or "", cleaned.get("url") or ""
        wants_reading = self.data.get("action") == "read"
        if len(uploads) > 1 or (uploads and self.refused):
            self.mode = "batch"
            self.drafts = [d for u in uploads if (d := self._draft_from_upload(u, cleaned))]
        elif uploads and uploads[0].page:
            self.mode = "review"
            self.drafts = [draft_from_page(uploads[0].name, uploads[0].page, cleaned)]
        elif url and (wants_reading or not text.strip()) and not uploads:
            self.mode = "fetch"
        elif wants_reading and not uploads:
            self.add_error("url", "Give the web address to fetch.")
        else:
            self.mode = "single"
            self._single_draft(uploads[0] if uploads else None, cleaned)
        self._refuse_too_long()
        return cleaned

    def _refuse_too_long(self) -> None:
        """An article extraction could not finish in time is refused now, not failed later."""
        field = "files" if self.mode == "batch" or self.cleaned_data.get("files") else "text"
        for draft in self.drafts:
            if problem := length_problem(draft.text):
                self.add_error(field, f"{draft.origin}: {problem}" if field == "files" else problem)
        if self.errors:
            self.drafts = []

    def _single_draft(self, upload: Upload | None, cleaned: dict) -> None:
        text = upload.text if upload else cleaned.get("text") or ""
        if not text.strip():
            self.add_error("text", "Paste the article text or choose a file: there is no text.")
            return
        title = cleaned.get("title") or title_from_text(text)
        if not title:
            self.add_error("title", "This field is required: give the article’s headline.")
        if not cleaned.get("outlet"):
            self.add_error("outlet", "This field is required: say which outlet published the article.")
        if self.errors:
            return
        self.drafts = [
            ArticleDraft(
                origin=upload.name if upload else "pasted text",
                outlet=cleaned["outlet"],
                title=title,
                text=text,
                published=cleaned.get("published"),
                published_inferred=bool(cleaned.get("published"))
                and cleaned.get("inferred_date") == cleaned.get("published"),
                url=cleaned.get("url") or "",
                author=cleaned.get("author") or "",
                outlet_domain=webpages.domain_of(cleaned.get("url") or ""),
            )
        ]

    def _draft_from_upload(self, upload: Upload, cleaned: dict) -> ArticleDraft | None:
        """A file of a batch, saved without review: it must be complete on its own."""
        if upload.page:
            draft = draft_from_page(upload.name, upload.page, cleaned)
        else:
            draft = ArticleDraft(
                origin=upload.name,
                outlet=cleaned.get("outlet") or "",
                title=title_from_text(upload.text),
                text=upload.text,
                published=cleaned.get("published"),
                author=cleaned.get("author") or "",
            )
        if not draft.outlet:
            self.add_error("outlet", f"{upload.name}: say which outlet published it (the file does not).")
            return None
        if draft.published and draft.published > timezone.localdate():
            self.add_error("files", f"{upload.name}: its publication date is in the future.")
            return None
        return draft


def review_initial(draft: ArticleDraft) -> dict:
    """The form's fields filled from a page that was read, for the person to check."""
    return {
        "url": draft.url,
        "text": draft.text,
        "outlet": draft.outlet,
        "title": draft.title,
        "author": draft.author,
        "published": draft.published,
        "inferred_date": draft.published if draft.published_inferred else None,
    }


class SourceForm(forms.Form):
    """A feed, a sitemap or a home page to watch for an outlet's new articles."""

    url = forms.URLField(
        label="Feed, sitemap or home page",
        max_length=2000,
        assume_scheme="https",
        help_text="An RSS or Atom feed, a news sitemap, or the outlet's home page (its feed is found there).",
    )
    outlet = forms.CharField(label="Outlet", max_length=200)

    def clean_url(self) -> str:
        from .models import Source

        url = self.cleaned_data["url"].strip()
        if Source.objects.filter(url=url).exists():
            raise forms.ValidationError("This address is already watched.")
        return url


SOURCE_TEXT_SUFFIXES = (".txt",)
CAPTION_SUFFIXES = (".vtt", ".srt")


class PrimarySourceForm(forms.Form):
    """The primary source of a family's statement: pasted, or a .txt or caption file."""

    kind = forms.ChoiceField(label="What it is", choices=PrimarySource.Kind.choices)
    text = forms.CharField(
        label="Paste its text",
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "The transcript, release or statement"}),
    )
    file = forms.FileField(
        label="or upload it",
        required=False,
        help_text="A .txt file, or captions (.vtt, .srt): cue numbers and timings are left out.",
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.vtt,.srt"}),
    )
    url = forms.URLField(label="Where it is published", max_length=2000, assume_scheme="https")
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))

    def clean_date(self) -> date:
        when = self.cleaned_data["date"]
        if when > timezone.localdate():
            raise forms.ValidationError("The date is in the future.")
        return when

    def clean_file(self) -> tuple[str, str] | None:
        """The uploaded file's name and its text (captions as plain text)."""
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        suffix = PurePath(upload.name).suffix.lower()
        if suffix not in SOURCE_TEXT_SUFFIXES + CAPTION_SUFFIXES:
            raise forms.ValidationError("Only .txt files and .vtt or .srt captions can be uploaded.")
        check_upload_size(upload.size)
        text = without_control_characters(decode_upload(upload.read()))
        if suffix in CAPTION_SUFFIXES:
            text = caption_text(text)
        if not text.strip():
            raise forms.ValidationError("The file has no text.")
        return upload.name, text.strip()

    def clean(self) -> dict:
        cleaned = super().clean()
        if "file" in self.errors:
            return cleaned
        pasted, uploaded = without_control_characters(cleaned.get("text") or "").strip(), cleaned.get("file")
        if pasted and uploaded:
            raise forms.ValidationError("Paste the text or upload a file, not both.")
        if not pasted and not uploaded:
            raise forms.ValidationError("Paste the source's text or upload it: it is empty.")
        if len(pasted.encode()) > settings.MAX_UPLOAD_BYTES:
            self.add_error("text", f"The text is larger than the {upload_limit_mb()} MB limit.")
        cleaned["file_name"], cleaned["source_text"] = uploaded if uploaded else ("", pasted)
        return cleaned


class CheckForm(forms.Form):
    """A quote to check, in any wording, and optionally who is said to have said it."""

    text = forms.CharField(
        label="The quote, in any wording",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "Paste or type the quote"}),
    )
    speaker = forms.CharField(required=False, label="Said by (optional)", max_length=200)


class VersionCorrectionForm(forms.Form):
    """An editor's correction of one quote, on the page where they read it."""

    # Who said it, and whether it is a quote, are decided for every version of the
    # statement at once unless the editor overrides one version.
    EVERY_VERSION, THIS_VERSION = "family", "version"

    action = forms.ChoiceField(choices=Correction.Action.choices, widget=forms.RadioSelect)
    scope = forms.ChoiceField(
        required=False,
        choices=[(EVERY_VERSION, "Every version of this quote"), (THIS_VERSION, "This version only")],
    )
    speaker = forms.CharField(required=False, max_length=200, label="Said by")
    create = forms.BooleanField(required=False, label="Add this speaker if there is none by that name")
    speaker_type = forms.ChoiceField(required=False, choices=Speaker.Type.choices, label="A new speaker is a")
    family = forms.ModelChoiceField(
        queryset=Family.objects.none(), required=False, label="Belongs with", empty_label="Choose a quote"
    )

    def __init__(self, version: Version, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.fields["family"].queryset = family_choices(version)
        self.fields["family"].label_from_instance = family_label

    def clean_speaker(self) -> str:
        return " ".join(without_control_characters(self.cleaned_data["speaker"]).split())

    def clean(self) -> dict:
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == Correction.Action.SPEAKER:
            name = cleaned.get("speaker", "")
            create_as = (
                (cleaned.get("speaker_type") or Speaker.Type.PERSON) if cleaned.get("create") else None
            )
            if not name.strip():
                self.add_error("speaker", "Say who said it.")
            elif speaker_named(name) is None and create_as is None:
                self.add_error(
                    "speaker", f"No speaker is called “{name}”: tick “add this speaker” to create one."
                )
            cleaned["create_as"] = create_as
        if action == Correction.Action.FAMILY and not cleaned.get("family"):
            self.add_error("family", "Choose the quote it belongs with.")
        cleaned["whole_family"] = cleaned.get("scope") != self.THIS_VERSION
        return cleaned


def family_choices(version: Version):
    """The families a quote might belong with instead: those with similar words
    by any speaker (found as the pipeline finds a statement's candidates), first;
    then the others of its article, and its speaker's latest."""
    similar = {family.pk for _, family in retrieve_candidates([(version.text, None)])[0]}
    in_article = Family.objects.filter(versions__article_id=version.article_id)
    others = in_article | Family.objects.filter(pk__in=similar)
    if version.speaker_id:
        latest = Family.objects.filter(speaker_id=version.speaker_id).order_by("-first_seen", "-id")
        others = others | Family.objects.filter(pk__in=latest.values("pk")[:30])
    return (
        others.exclude(pk=version.family_id)
        .select_related("speaker")
        .distinct()
        .annotate(similar=Case(When(pk__in=similar, then=Value(0)), default=Value(1)))
        .order_by("similar", "-first_seen", "-id")
    )


def family_label(family: Family) -> str:
    who = family.attributed_to or "Unknown speaker"
    words = family.text if len(family.text) <= 90 else family.text[:89] + "…"
    return f"{who}: {words}"
