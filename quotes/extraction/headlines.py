"""Headline-like lines: titles, subheads and link teasers, analysed for speech too.

Headlines drop the speech verb: "Stoltenberg: The world … no longer exists",
"NATO Chief: Relations With Russia "Destroyed"", "… — Stoltenberg ahead of talks".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

_TERMINAL = re.compile(r"[.!?…][\"'”’»\s]*$")
_MAX_WORDS = 30
# Parts before a colon that are places or sections, not speakers ("Belgium:", "Watch:").
_NON_SPEAKER_LABELS = {"GPE", "LOC", "DATE", "TIME", "CARDINAL", "FAC", "EVENT"}
_SECTION_WORDS = {
    "watch",
    "video",
    "photos",
    "update",
    "opinion",
    "analysis",
    "exclusive",
    "breaking",
    "live",
}
_DASHES = ("—", "–", " - ")


@dataclass(frozen=True)
class HeadlineAttribution:
    speaker: Span  # the mention (tokens before the colon or after the dash)
    content_start: int
    content_end: int
    cue: str


# "READ MORE: …", "WATCH: …", "Related | …": a line that links to another story, not news.
_LINK_LABEL = re.compile(
    r"^\s*(?:(?:read|more|watch|related|see|also|listen|video|videos|photos|gallery|click|latest|"
    r"recommended|trending|explore|opinion|live)\b[\s,]*){1,3}[:|»>–—-]",
    re.IGNORECASE,
)


def is_link_line(text: str, start: int, end: int) -> bool:
    """A teaser linking to another story ("READ MORE: “Worst storm in decades” hits the coast")."""
    return bool(_LINK_LABEL.match(text[start:end]))


def is_headline_line(text: str, start: int, end: int, first: bool) -> bool:
    """A short line without final punctuation (or the first line, which is the title)."""
    line = text[start:end].strip()
    if not line or len(line.split()) > _MAX_WORDS or line.endswith(":"):
        return False
    return first or not _TERMINAL.search(line)


def _speaker_like(span: Span) -> bool:
    if not 1 <= len(span) <= 6:
        return False
    if any(t.ent_type_ in _NON_SPEAKER_LABELS for t in span) and not any(
        t.ent_type_ in ("PERSON", "ORG") for t in span
    ):
        return False
    if span[0].lower_ in _SECTION_WORDS:
        return False
    if any(t.pos_ in ("VERB", "AUX") and t.tag_ != "VBN" for t in span):
        return False
    return any(t.pos_ in ("PROPN", "NOUN") for t in span)


def headline_attribution(
    doc: Doc, start: int, end: int, text: str | None = None
) -> HeadlineAttribution | None:
    """The colon form ("X: content") or the dash form ("content — X …") of a headline line.
    ``text`` is ``doc.text``, which spaCy builds anew on every access: pass it when calling often."""
    text = doc.text if text is None else text
    line = text[start:end]
    colon = line.find(":")
    if 0 < colon < 60:
        speaker = doc.char_span(start, start + colon, alignment_mode="expand")
        if speaker is not None and _speaker_like(speaker):
            c_start = start + colon + 1
            while c_start < end and text[c_start].isspace():
                c_start += 1
            return HeadlineAttribution(speaker, c_start, end, ":")
    for dash in _DASHES:
        pos = line.rfind(dash)
        if pos > 10:
            after = doc.char_span(start + pos + len(dash), end, alignment_mode="expand")
            if after is None:
                continue
            names = [t for t in after if t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG")]
            if names and names[0].i - after.start <= 1:
                first = names[0]
                last = first.i
                while last + 1 < after.end and doc[last + 1].pos_ == "PROPN":
                    last += 1
                return HeadlineAttribution(doc[first.i : last + 1], start, start + pos, dash.strip())
    return None
