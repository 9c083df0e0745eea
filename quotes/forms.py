from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone

from .models import Outlet


def decode_upload(data: bytes) -> str:
    """Text of an uploaded file, or a ValidationError saying why there is none."""
    if b"\x00" in data[:8192]:
        raise forms.ValidationError("This file is not text (it looks like a binary file).")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _mostly_printable(text):
            return text
    raise forms.ValidationError("This file could not be read as text (unknown encoding).")


def _mostly_printable(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return True
    printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in sample)
    return printable / len(sample) > 0.95


class ArticleForm(forms.Form):
    outlet = forms.CharField(
        max_length=200,
        help_text="Pick a known outlet or type a new one.",
        widget=forms.TextInput(attrs={"list": "outlet-names", "autocomplete": "off"}),
    )
    title = forms.CharField(max_length=500)
    published = forms.DateField(
        required=False,
        label="Published on",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    url = forms.URLField(required=False, label="URL", assume_scheme="https", max_length=2000)
    text = forms.CharField(
        required=False,
        label="Article text",
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Paste the text, or choose a .txt file below.",
    )
    file = forms.FileField(required=False, label="…or a text file", help_text="A .txt file.")

    def outlet_names(self) -> list[str]:
        return list(Outlet.objects.values_list("name", flat=True)[:500])

    def clean_outlet(self) -> str:
        name = " ".join(self.cleaned_data["outlet"].split())
        if not name:
            raise forms.ValidationError("Say which outlet published the article.")
        return name

    def clean_published(self):
        published = self.cleaned_data.get("published")
        if published and published > timezone.localdate():
            raise forms.ValidationError("The publication date is in the future.")
        return published

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if not upload.name.lower().endswith((".txt", ".text")):
            raise forms.ValidationError("Only .txt files can be uploaded here.")
        if upload.size > settings.MAX_UPLOAD_BYTES:
            limit_mb = settings.MAX_UPLOAD_BYTES / (1024 * 1024)
            raise forms.ValidationError(f"The file is larger than the {limit_mb:g} MB limit.")
        return decode_upload(upload.read())

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("file") or cleaned.get("text") or ""
        if "file" in self.errors:
            return cleaned
        if not text.strip():
            self.add_error("text", "Paste the article text or choose a file: there is no text.")
        cleaned["article_text"] = text
        return cleaned
