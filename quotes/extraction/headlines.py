"""Headline-like lines: titles, subheads and link teasers, analysed for speech too.

Headlines drop the speech verb: "Stoltenberg: The world … no longer exists",
"NATO Chief: Relations With Russia "Destroyed"", "… — Stoltenberg ahead of talks".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

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
    "revealed",
    "exposed",
    "excerpt",
    "listen",
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


# A photo credit ends a caption: "(Photo: City Press)", "Photo: Jane Doe", "Jane Doe/Reuters",
# "(AP Photo/Jane Doe)", "Getty Images" ("according to The Associated Press" is no credit).
_CREDIT = re.compile(
    r"(?:[(\[]\s*(?:[\w.'-]+\s){0,2}(?:photo|photograph|image|picture|video|file|credit|courtesy)\b[^()\[\]]{0,60}[)\]]"
    r"|\b(?:photo|photograph|image|picture|credit|photo credit)s?\s*:\s*[^.!?:]{2,60}"
    r"|(?-i:(?:(?<=[.!?]\s)|(?<=[.!?][\"”’]\s)|^)[A-Z][\w.'-]*(?:\s[A-Z][\w.'-]*){0,3}"
    r"\s?/\s?[A-Z][\w.'-]*(?:\s[A-Z][\w.'-]*){0,3})"
    r"|\bGetty Images)\s*\.?\s*$",
    re.IGNORECASE,
)
# "Best Actor: Tom Reyes", "When: Tuesday, 7 p.m.": a line of a list of labels and values.
_LABEL_LINE = re.compile(r"^\s*[^:\n]{1,30}:\s*\S")
_MAX_LABEL_LINE_WORDS = 10


def is_caption_line(text: str, start: int, end: int) -> bool:
    """A photo caption, which ends with its credit ("… on Monday. (Photo: City Press)")."""
    return bool(_CREDIT.search(text[start:end]))


def _is_label_line(line: str) -> bool:
    """ "Best Actor: Tom Reyes, “Night Shift”": a short label and value, not a sentence
    (an interview's "Q: Have you talked to her?" is one)."""
    line = line.strip()
    return (
        bool(_LABEL_LINE.match(line))
        and len(line.split()) <= _MAX_LABEL_LINE_WORDS
        and not _TERMINAL.search(line)
    )


def non_news_lines(text: str, paragraphs: list[tuple[int, int]]) -> set[int]:
    """The lines that are no part of the story's text: link teasers ("READ MORE: …"), photo
    captions with their credit, and lists of labels ("Best Actor: …" on two lines or more
    in a row), by their index in ``paragraphs``."""
    skipped = {
        i for i, (s, e) in enumerate(paragraphs) if is_link_line(text, s, e) or is_caption_line(text, s, e)
    }
    labels = [_is_label_line(text[s:e]) for s, e in paragraphs]
    for i, label in enumerate(labels):
        if label and ((i > 0 and labels[i - 1]) or (i + 1 < len(labels) and labels[i + 1])):
            skipped.add(i)
    return skipped


_DATELINE_DASHES = {"—", "–", "-", "--"}
_MAX_DATELINE_TOKENS = 10


def dateline_length(tokens: list[Token]) -> int:
    """How many tokens a dateline takes at the start of a sentence ("NEW YORK — ", "OTTAWA,
    Ont. (CP) - "), so that it never leaks into what was said; 0 without one."""
    if not tokens or not (tokens[0].is_sent_start or tokens[0].i == 0):
        return 0
    in_brackets = False
    for n, tok in enumerate(tokens[:_MAX_DATELINE_TOKENS]):
        if tok.text in _DATELINE_DASHES:
            return n + 1 if n > 0 and any(t.is_upper and len(t.text) > 1 for t in tokens[:n]) else 0
        if tok.text in "([":
            in_brackets = True
        elif tok.text in ")]":
            in_brackets = False
        elif not (in_brackets or tok.is_upper or tok.is_punct or tok.is_space or tok.text[:1].isupper()):
            return 0
    return 0


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


_MAX_SIGNATURE_WORDS = 8
_QUOTE_LINE_TRIM = " \t\"'“”‘’«»„"
_CLOSING_MARKS = "\"'”’»"


def signature_name(doc: Doc, text: str, paragraphs: list[tuple[int, int]], para: int) -> Token | None:
    """A quote on a line of its own signed on the next line ("Ines Alvarez, mayor"), or
    signed inside its own marks ("“… after school.\nFormer library director Ines
    Alvarez.”"): the head of the name that signs it."""
    start, end = paragraphs[para]
    if para + 1 >= len(paragraphs):
        return None
    line = text[start:end].strip()
    s_start, s_end = paragraphs[para + 1]
    signature = text[s_start:s_end].strip()
    # The marks open on the quote's line and close after the signature.
    signed_inside = line[-1:] in ".!?…" and signature[-1:] in _CLOSING_MARKS
    if signed_inside:
        signature = signature.rstrip(_QUOTE_LINE_TRIM).removesuffix(".")
    if not line or line[0] not in _QUOTE_LINE_TRIM:
        return None
    if not signed_inside and line.rstrip(".!?…")[-1:] not in _QUOTE_LINE_TRIM:
        return None
    if not signature or len(signature.split()) > _MAX_SIGNATURE_WORDS or _TERMINAL.search(signature):
        return None
    first = s_start + text[s_start:s_end].find(signature)
    span = doc.char_span(first, first + len(signature), alignment_mode="expand")
    if span is None:
        return None
    words = [t for t in span if not t.is_space]
    if signed_inside and not any(t.pos_ in ("VERB", "AUX") for t in words):
        # A title before the name: "Former library director Ines Alvarez".
        people = [e for e in span.ents if e.label_ == "PERSON"]
        if people and people[-1].end == words[-1].i + 1:
            return people[-1][-1]
    name = []
    for tok in words:
        if tok.pos_ != "PROPN" and tok.ent_type_ != "PERSON":
            break
        name.append(tok)
    rest = words[len(name) :]
    if not name or not (any(t.ent_type_ == "PERSON" for t in name) or len(name) >= 2):
        return None
    if rest and rest[0].text not in (",", "—", "–", "-", "("):
        return None
    return name[-1]
