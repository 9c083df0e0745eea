"""Scare quotes, terms and names in quote marks: marked text that nobody is quoted as saying.

Only short spans are judged here; anything of five words or more is treated as a quote.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from .cues import NAMING_VERBS
from .name_spans import is_speaker_like

SHORT_WORDS = 4
_NAMING_WORDS = frozenset(
    [
        "call",
        "calls",
        "called",
        "calling",
        "dub",
        "dubs",
        "dubbed",
        "term",
        "terms",
        "termed",
        "label",
        "labels",
        "labeled",
        "labelled",
        "name",
        "names",
        "named",
        "titled",
        "entitled",
        "word",
        "phrase",
        "slogan",
        "hashtag",
        "motto",
        "nickname",
        "nicknamed",
        "so-called",
        "so",
        "as",
        "known",
        "brand",
        "branded",
    ]
)
_DEFINITE = frozenset(["the", "its", "their", "his", "our", "your", "my"])


def word_count(text: str) -> int:
    return sum(1 for part in text.split() if any(ch.isalnum() for ch in part))


# What a sign, a placard or a T-shirt "says": its text, which nobody is quoted as saying.
SIGN_NOUNS = frozenset(
    [
        "sign",
        "signs",
        "placard",
        "placards",
        "banner",
        "banners",
        "poster",
        "posters",
        "billboard",
        "billboards",
        "t-shirt",
        "t-shirts",
        "shirt",
        "shirts",
        "sticker",
        "stickers",
        "plaque",
        "plaques",
        "graffiti",
        "hat",
        "hats",
        "cap",
        "caps",
        "mural",
        "murals",
        "flag",
        "flags",
        "button",
        "buttons",
        "badge",
        "badges",
        "card",
        "cards",
        "board",
        "boards",
    ]
)
_SIGN_VERBS = frozenset(
    ["reading", "read", "reads", "saying", "said", "says", "bearing", "bore", "emblazoned", "proclaiming"]
)
# Works and things that have titles: the film "The Last Harbour", a book titled "…".
_TITLE_NOUNS = frozenset(
    [
        "film",
        "films",
        "movie",
        "movies",
        "book",
        "books",
        "novel",
        "novels",
        "song",
        "songs",
        "album",
        "albums",
        "show",
        "shows",
        "series",
        "play",
        "plays",
        "documentary",
        "podcast",
        "programme",
        "program",
        "exhibition",
        "exhibit",
        "poem",
        "opera",
        "musical",
        "painting",
        "memoir",
        "essay",
        "column",
        "op-ed",
        "headline",
        "slogan",
        "campaign",
        "hashtag",
        "report",
        "titled",
        "entitled",
    ]
)
_MAX_TITLE_WORDS = 15
_MAX_TITLE_CASE_WORDS = 8


def _title_cased(inner: Span) -> bool:
    """ "Tales From the Crypt", "The Truman Show": words in title case, common nouns and
    adjectives capitalised in mid-phrase, and no verb: the name of a work, not speech."""
    words = [t for t in inner if t.is_alpha]
    if not 2 <= len(words) <= _MAX_TITLE_CASE_WORDS or any(t.pos_ in ("VERB", "AUX") for t in words):
        return False
    if not all(t.text[0].isupper() for t in words if not t.is_stop or t.i == words[0].i):
        return False
    # In a headline written in title case ("Clinton Says Crash Seems Like An ‘Act Of Terror’")
    # the case tells nothing.
    doc = inner.doc
    lead = [t for t in doc[max(0, inner.start - 6) : inner.start] if t.is_alpha][-3:]
    if len(lead) == 3 and all(t.text[0].isupper() for t in lead):
        return False
    later = [t for t in words[1:] if t.text[0].isupper()]
    # A common word or a small word capitalised in mid-phrase ("Secret Lives of the Super Rich",
    # "Tales From the Harbour"), or "The" before a name ("The Northern Coast Show").
    return any(t.pos_ in ("NOUN", "ADJ") or t.is_stop for t in later) or (
        words[0].lower_ == "the" and len(words) >= 3 and all(t.pos_ == "PROPN" for t in words[1:])
    )


def reads_as_a_name(inner: Span) -> bool:
    """ "Thelma and Louise", "Make America Great Again", "The Making of Donald Trump": a few
    words, each capitalised but the small ones, with no pronoun and no question or exclamation
    mark: a title, a slogan or a group's name; in a line not written in title case itself."""
    words = [t for t in inner if t.is_alpha]
    if not 2 <= len(words) <= _MAX_TITLE_CASE_WORDS or any(t.text in "?!" or t.pos_ == "PRON" for t in inner):
        return False
    if not all(t.text[0].isupper() for t in words if not t.is_stop or t.i == words[0].i):
        return False
    lead = [t for t in inner.doc[max(0, inner.start - 6) : inner.start] if t.is_alpha][-3:]
    # Capitalised words before it tell a line in title case ("Clinton Says Crash Seems Like"),
    # unless they are all nouns of a name ("the Ted Cruz Super PAC “Keep the Promise”").
    title_case_line = (
        len(lead) == 3
        and all(t.text[0].isupper() for t in lead)
        and not all(t.pos_ in ("PROPN", "NOUN") for t in lead)
    )
    return any(t.text[0].isupper() for t in words[1:]) and not title_case_line


def _in_title_case(inner: Span) -> bool:
    """Every word capitalised but articles, short prepositions and conjunctions, and not a
    line in capitals: how a title is written, whatever its words ("Let's Get Loud", not
    "This has everything to do with Islam" or "Love you, Bernie")."""
    words = [t for t in inner if t.is_alpha]
    if not 2 <= len(words) <= _MAX_TITLE_WORDS or any(t.text in "?!" for t in inner):
        return False
    if all(t.is_upper for t in words) or not any(t.text[0].isupper() for t in words[1:]):
        return False
    return all(t.text[0].isupper() or t.lower_ in _SMALL_TITLE_WORDS for t in words)


# The words a title leaves in lower case.
_SMALL_TITLE_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "but",
        "or",
        "nor",
        "for",
        "of",
        "in",
        "on",
        "at",
        "to",
        "by",
        "with",
        "from",
        "as",
        "up",
        "via",
        "de",
        "la",
        "le",
        "el",
        "del",
        "da",
        "von",
        "van",
    ]
)


def _cited_work(inner: Span) -> bool:
    """ "on CBS's “Face the Nation”", "a co-author of “Those Guys Have All the Fun”", "roles in
    “Apollo 13,” and “The Spy Who Shagged Me,”": words in title case that the sentence
    holds as a thing — owned by a possessive, the object of "of", or one more of a list of
    such marked titles — are the name of a work, a show or a group, verbs or not."""
    if not _in_title_case(inner):
        return False
    doc = inner.doc
    # In a line written in title case ("Issa: Hillary Clinton's ‘Honesty Is In Question’") the
    # case tells nothing.
    lead = [t for t in doc[max(0, inner.start - 6) : inner.start] if t.is_alpha][-3:]
    if len(lead) == 3 and all(t.text[0].isupper() for t in lead):
        return False
    i = inner.start - 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    if i >= 0 and doc[i].text in _OPENING_MARKS:
        i -= 1  # its opening mark (a straight one may close the title before it too)
    if i < 0:
        return False
    before = doc[i]
    if before.tag_ == "POS" or before.lower_ == "of":
        return True
    # One more item of a list of marked titles: “Apollo 13,” and “…”.
    while i >= 0 and (doc[i].lower_ in ("and", "or", ",") or doc[i].is_space):
        i -= 1
    if i < 1 or i == inner.start - 1 or doc[i].text not in _CLOSING_MARKS:
        return False
    close = i
    i -= 1
    while i >= 0 and doc[i].text not in _OPENING_MARKS:
        i -= 1
    return i >= 0 and close - i > 1 and _written_as_a_name(doc[i + 1 : close])


def _written_as_a_name(span: Span) -> bool:
    """ "Apollo 13", "Los Hijos de Trump": capitalised, with no lower-case word but small ones."""
    words = [t for t in span if t.is_alpha]
    return (
        bool(words)
        and words[0].text[0].isupper()
        and all(t.text[0].isupper() or t.is_stop or len(t.text) <= 3 for t in words)
    )


_OPENING_MARKS = frozenset(["“", '"', "'", "‘", "«", "„", "``", "''"])
_CLOSING_MARKS = frozenset(["”", '"', "'", "’", "»", "''"])


def is_sign_or_title(inner: Span) -> bool:
    """Text on a sign ("placards reading “Save the pier”") or the title of a work ("the film
    “The Last Harbour”"), however long: quoted, but said by nobody."""
    if _title_cased(inner) or _cited_work(inner):
        return True
    doc = inner.doc
    before = [t for t in doc[max(0, inner.start - 8) : inner.start] if not t.is_punct and not t.is_space]
    if not before:
        return False
    last = before[-1].lower_
    if last in _SIGN_VERBS and any(t.lower_ in SIGN_NOUNS for t in before[-7:-1]):
        return True
    if last not in _TITLE_NOUNS:
        return False
    words = [t for t in inner if t.is_alpha]
    return 0 < len(words) <= _MAX_TITLE_WORDS and all(
        t.text[0].isupper() for t in words if not t.is_stop or t.i == words[0].i
    )


def _named_by_a_speaker(before: list[Token]) -> bool:
    """Whether the verb that names the quoted words ("called", "described … as") has someone
    who says them: its subject, or the agent of its passive ("was described as … by her")."""
    for tok in reversed(before):
        verb = tok.head if tok.lower_ == "as" and tok.dep_ == "prep" else tok
        if verb.pos_ != "VERB" or verb.lemma_.lower() not in NAMING_VERBS:
            continue
        for child in verb.children:
            if child.dep_ == "nsubj" and is_speaker_like(child):
                return True
        agents = [c for c in verb.subtree if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by")]
        return any(o.dep_ == "pobj" and is_speaker_like(o) for a in agents for o in a.children)
    return False


def is_scare_quote(inner: Span, text: str, close_pos: int | None) -> bool:
    """True when a marked span is a term, a name, a title, a sign's text or a scare quote
    rather than quoted speech; beyond signs and titles, only short spans are judged."""
    if is_sign_or_title(inner):
        return True
    words = [t for t in inner if not t.is_punct and not t.is_space]
    if not words or len(words) > SHORT_WORDS:
        return False
    doc = inner.doc
    before = [t for t in doc[max(0, inner.start - 4) : inner.start] if not t.is_punct and not t.is_space]
    # "the so-called …", "calls it …", "known as …": the author names a thing; unless someone
    # named it so ("she called the plan “a mirage”", "was described as “reckless” by her").
    if any(t.lower_ in _NAMING_WORDS for t in before[-3:]):
        return not _named_by_a_speaker(before[-3:])
    if before and before[-1].lower_ in _DEFINITE:
        return True
    root = inner.root
    if any(c.dep_ == "det" and c.lower_ in _DEFINITE and c.i < inner.start for c in root.children):
        return True
    # A quoted modifier inside the author's noun phrase: a “stand down” order, a pro-Clinton ''super PAC''.
    head = root.head
    if (
        root.dep_ in ("compound", "amod", "nmod")
        and head.i >= inner.end
        and head.pos_ == "NOUN"
        and head.is_alpha
    ):
        return True
    # Names and titles: only proper nouns inside the marks.
    if all(t.pos_ == "PROPN" for t in words) and not any(t.pos_ in ("VERB", "AUX") for t in words):
        return True
    if len(words) == 1:
        # A single quoted word that ends the sentence can be a quoted verdict ("destroyed".);
        # one in mid-phrase ('liberate' regions) is the author keeping a distance.
        after = text[close_pos + 1 : close_pos + 3] if close_pos is not None else ""
        inside_end = inner.text.rstrip()[-1:]
        return not (inside_end in ".!?" or after[:1] in (".", "!", "?", ""))
    return False
