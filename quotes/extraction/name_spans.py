"""From the mention that attributes a quote to the words of a name: the mention's
noun phrase, a name's own words without the title, descriptor or possessor
around it, the names the tagger missed, and whether a word can speak at all.
Read by the speaker layer (speakers.py) and the engine."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from ..words import SPEAKER_PRONOUNS
from . import parsed
from .entities import (
    HONORIFIC_GENDERS,
    first_name_genders,
    is_first_name,
)
from .invisible import without_invisible
from .speaker_nouns import (
    COMPANY_ENDINGS,
    NAME_PARTICLES,
    PEOPLE_NOUNS,
    PEOPLE_SUFFIXES,
    QUANTITY_WORDS,
    ROLE_NOUNS,
    THING_PLURALS,
    TITLE_ABBREVIATIONS,
    TITLE_WORDS,
)

# The dependents before a head that belong to its noun phrase, and the entity labels of organisations.
_NP_LEFT_DEPS = {"det", "compound", "amod", "poss", "nmod", "flat", "nummod", "case", "punct", "quantmod"}
ORG_LABELS = {"ORG", "GPE", "NORP"}


@lru_cache(maxsize=1)
def capitals() -> dict[str, str]:
    """Capitals and seats of government with the country they stand for, read once."""
    places = {}
    path = Path(__file__).with_name("capitals.txt")
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            place, country = line.split("\t")
            places[place.lower()] = country
    return places


def first_name_first(ent: Span) -> bool:
    """ "Carly Fiorina" tagged ORG: two or three proper nouns led by a known first name, not
    ending like a company's name ("Lumina Corp.")."""
    return (
        2 <= len(ent) <= 3
        and all(t.pos_ == "PROPN" for t in ent)
        and is_first_name(ent[0].text)
        and ent[-1].lower_ not in COMPANY_ENDINGS
    )


# Entity labels the tagger gives a person's name by mistake ("Ivanka" PRODUCT, "Gabrielle
# Hatcher" WORK_OF_ART), or none at all; places, buildings and organisations are left alone.
_MISTAKEN_LABELS = frozenset({"", "PRODUCT", "WORK_OF_ART", "NORP", "LAW", "LANGUAGE"})


def untagged_names(doc: Doc, in_quote: Callable[[int], bool]) -> list[Span]:
    """People's names the tagger missed: two or three capitalised proper nouns led by a known
    first name ("Ivanka Trump strode …", tagged PRODUCT and nothing), outside quotes and
    outside every person, place and organisation the tagger found."""
    names = []
    tokens = parsed.tokens(doc)
    i = 0
    while i < len(doc):
        tok = tokens[i]
        if not (
            tok.pos_ == "PROPN"
            and tok.ent_type_ in _MISTAKEN_LABELS
            and is_first_name(tok.text)
            and not in_quote(tok.idx)
            and (i == 0 or doc[i - 1].ent_type_ != "PERSON")
        ):
            i += 1
            continue
        end = i + 1
        while (
            end < len(doc)
            and end - i < 3
            and doc[end].pos_ == "PROPN"
            and doc[end].is_title
            and doc[end].ent_type_ in _MISTAKEN_LABELS
            and doc[end].lower_ not in COMPANY_ENDINGS
        ):
            end += 1
        if end - i >= 2 and (end == len(doc) or doc[end].ent_type_ != "PERSON"):
            names.append(doc[i:end])
        i = end
    return names


def clean_name_tokens(span: Span) -> list[str]:
    """The words of a name as printed: "Ocasio-Cortez" stays one word, "the" and "'s" go, and so
    do what the name is given with: its possessor ("Acme's Kestrel"), a noun describing it
    ("German carmaker Volkswagen") and a title it stands beside ("Keeper of the Seal, Ana Ruiz"
    is Ana Ruiz)."""
    span = title_holder(span) or span
    tokens = list(without_descriptor(after_possessor(span)))
    text = "".join(
        t.text_with_ws
        for t in tokens
        if not is_possessive(t) and t.lower_ != "the" and (not t.is_punct or t.text in "-–'’")
    )
    words = [without_invisible(w).strip("-–'’") for w in text.split()]
    words = [w for w in words if w]
    while words and words[0].lower() in HONORIFIC_GENDERS:
        words = words[1:]
    # "Councillor Paul Lind", tagged a name whole: a title before a first name is no part of it.
    titles = (ROLE_NOUNS, TITLE_WORDS, TITLE_ABBREVIATIONS)
    while len(words) > 2 and any(words[0].lower().rstrip(".") in t for t in titles):
        if words[1].lower() not in first_name_genders():
            break
        words = words[1:]
    return words


def is_possessive(token: Token) -> bool:
    return token.lower_ in ("'s", "’s") or token.tag_ == "POS"


def after_possessor(span: Span) -> Span:
    """A name without the possessor before it: "Kestrel" in "Acme's Kestrel" (never glued into
    "AcmeKestrel"); a name that ends in its possessive keeps its words ("Acme's")."""
    cuts = [t.i + 1 for t in span[:-1] if is_possessive(t)]
    return span.doc[cuts[-1] : span.end] if cuts else span


def without_descriptor(span: Span) -> Span:
    """A name without the common noun that describes it in front: "German carmaker Volkswagen",
    "Nordic group Kestrel", "spokesman John Smith". The name is the run of capitalised words
    after the last lower-case noun; a noun inside the name ("Bank of America", "the party of
    Lincoln") is followed by something else."""
    nouns = [
        t.i for t in span if t.pos_ == "NOUN" and t.is_alpha and t.is_lower and t.lower_ not in NAME_PARTICLES
    ]
    if not nouns or nouns[-1] + 1 >= span.end:
        return span
    rest = span.doc[nouns[-1] + 1 : span.end]
    capitalised = [t for t in rest if t.is_alpha and not t.is_lower]
    if not capitalised or any(
        not (t.is_punct or t.like_num or t in capitalised or t.lower_ in NAME_PARTICLES) for t in rest
    ):
        return span
    return rest


def full_name(token: Token) -> Span | None:
    """The person's name that ends in ``token``: two to four capitalised proper nouns, none of
    them a title ("Ana Ruiz", not "Chief Rabbi" or a lone "Keeper"), tagged as no place or
    organisation."""
    name = own_name(token)
    titles = (HONORIFIC_GENDERS, TITLE_ABBREVIATIONS, ROLE_NOUNS, TITLE_WORDS)
    if not 2 <= len(name) <= 4 or any(t.ent_type_ not in ("", "PERSON") for t in name):
        return None
    if any(not t.is_title or any(t.lower_.rstrip(".") in words for words in titles) for t in name):
        return None
    return name


def title_holder(span: Span) -> Span | None:
    """The person named beside a title written like a name: "Keeper of the Seal, Ana Ruiz,
    said" is Ana Ruiz, not "Keeper". The title is capitalised and no full name itself ("Ana
    Ruiz, Keeper of the Seal" is Ana Ruiz already); the name is in apposition after a comma."""
    head = span.root
    if not head.is_title or head.pos_ not in ("PROPN", "NOUN") or full_name(head) is not None:
        return None
    for child in head.rights:
        if child.dep_ != "appos" or child.left_edge.i < 1 or child.doc[child.left_edge.i - 1].text != ",":
            continue
        name = full_name(child)
        if name is not None and name.start == child.left_edge.i:
            return name
    return None


def without_lead_in(ent: Span) -> Span:
    """A PERSON entity without the words the tagger swept into it before the name: "Telling
    Jeb Bush", "Top Clinton aides", "CLEVELAND Donald Trump" (a dateline), "former aide
    John Smith", "Acme's Jane Doe"."""
    ent = without_descriptor(after_possessor(ent))
    start = ent.start
    while ent.end - start > 1:
        tok, nxt = ent.doc[start], ent.doc[start + 1]
        swept = (
            tok.pos_ in ("VERB", "ADJ", "ADV", "NOUN")
            and tok.is_alpha
            and tok.is_title
            and tok.lower_ not in first_name_genders()
        )
        dateline = tok.is_alpha and tok.is_upper and len(tok) >= 3 and not nxt.is_upper
        if not (swept or dateline):
            break
        start += 1
    return ent.doc[start : ent.end]


def conjunct_chain(head: Token) -> set[int]:
    """The indices of a head and the conjuncts chained to it ("A, B and C": B hangs on A, C on B)."""
    chain, todo = {head.i}, [head]
    while todo:
        for child in todo.pop().children:
            if child.dep_ == "conj":
                chain.add(child.i)
                todo.append(child)
    return chain


def own_name(head: Token) -> Span:
    """The proper nouns that end in the head: "Noam Neusner" in "former George W. Bush
    speechwriter Noam Neusner"."""
    start = head.i
    while (
        start > 0 and head.doc[start - 1].pos_ == "PROPN" and head.doc[start - 1].lower_ not in ("'s", "’s")
    ):
        start -= 1
    return head.doc[start : head.i + 1]


def first_name(words: list[str]) -> str | None:
    """The first name of a name form, lower case, titles aside: "Gov. Mary Fallin" -> "mary";
    None for a bare surname ("Gov Fallin", "Mr. Trump")."""
    for word in words[:-1]:
        lower = word.lower().rstrip(".")
        titles = (HONORIFIC_GENDERS, TITLE_ABBREVIATIONS, ROLE_NOUNS, TITLE_WORDS)
        if not any(lower in t or lower + "." in t for t in titles):
            return lower
    return None


def with_particles(ent: Span) -> Span:
    """A person's name with the particles the tagger cut off: "Ursula von" + "der Leyen"."""
    doc, end = ent.doc, ent.end
    while end < len(doc) and (
        doc[end].lower_ in NAME_PARTICLES
        or (doc[end].pos_ == "PROPN" and doc[end - 1].lower_ in NAME_PARTICLES)
    ):
        end += 1
    while end > ent.end and doc[end - 1].lower_ in NAME_PARTICLES:
        end -= 1
    return doc[ent.start : end]


def is_speaker_like(token: Token) -> bool:
    """Can this head word speak: a person, an organisation, a role, or a pronoun for one?

    "according to admissions from US diplomats": "admissions" cannot, "diplomats" can.
    """
    lower = token.lower_
    if lower == "those":
        # "those surveyed", "those who voted": people, named by what they did.
        return any(c.dep_ in ("acl", "relcl") for c in token.children)
    if token.pos_ == "PRON" or lower in SPEAKER_PRONOUNS:
        return lower not in ("this", "these", "that", "which", "what", "something", "anything")
    if token.pos_ == "DET":
        return lower in ("another", "some", "many", "most", "few", "several", "both", "all")
    if token.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or token.pos_ == "PROPN":
        return True
    # "Sixty-six percent said", "a majority say", "many argue": shares of a group of people.
    if token.pos_ == "NUM" or token.like_num or lower in QUANTITY_WORDS:
        return True
    lemma = token.lemma_.lower()
    if lemma in ROLE_NOUNS or lower in ROLE_NOUNS or lemma in PEOPLE_NOUNS or lower in PEOPLE_NOUNS:
        return True
    return lower.endswith(PEOPLE_SUFFIXES) and len(lower) > 4 and lower not in THING_PLURALS


def mention_span(head: Token) -> Span:
    """The noun phrase of a speaker head: determiners, compounds and titles, not relative clauses."""
    doc = head.doc
    start = head.i
    for child in head.lefts:
        if child.dep_ in _NP_LEFT_DEPS:
            start = min(start, child.left_edge.i)
    end = head.i
    for child in head.rights:
        if child.dep_ in ("flat", "compound") and child.i == end + 1:
            end = child.i
    if head.ent_type_:
        # The entity around the head, read from the tokens' IOB tags (doc.ents builds every span),
        # as far as it stays a name: the tagger sometimes runs an entity over the cue
        # ("Trump told Business Insider" as one title), and the mention stops at the verb.
        def in_name(token: Token) -> bool:
            return token.pos_ in ("PROPN", "DET", "PART") or head.left_edge.i <= token.i <= head.right_edge.i

        first, last = head.i, head.i
        while doc[first].ent_iob_ == "I" and first > 0 and in_name(doc[first - 1]):
            first -= 1
        while last + 1 < len(doc) and doc[last + 1].ent_iob_ == "I" and in_name(doc[last + 1]):
            last += 1
        start, end = min(start, first), max(end, last)
    # Never let a mention begin with punctuation or a quote mark.
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    return doc[start : end + 1]


# Small words an organisation's initials skip ("Federal Bureau of Investigation": FBI).
_UNINITIALLED = frozenset(["of", "the", "and", "for", "on", "in", "&"])


def is_acronym_name(name: str) -> bool:
    """ "AP", "NRA", "FBI": a name of two to six capitals."""
    return 2 <= len(name) <= 6 and name.isalpha() and name.isupper()


def initials(name: str) -> str:
    """The initials of an organisation's name of several words ("Associated Press": AP);
    empty for a name of one word."""
    words = [w for w in name.replace("-", " ").split() if w.lower() not in _UNINITIALLED]
    return "".join(w[0] for w in words).upper() if len(words) > 1 else ""
