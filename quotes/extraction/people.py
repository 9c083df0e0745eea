"""The people an article names: each a cluster of the name forms that stand for one person.

A person is the PERSON mentions sharing a surname and a first name, and its canonical
name the fullest form in the article ("Jens Stoltenberg"). Family members are kept
apart: "Ivanka Trump" and "Donald Trump" are two people, and the bare surname stands
for the one the article named in full first, its subject. Each person keeps where it
was mentioned, whether as a subject, and the gender its forms tell, so that a later
"he" or "the senator" can be read against them (speakers.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from spacy.tokens import Doc, Span, Token

from ..words import SPEAKER_PRONOUNS, SpeakerType
from . import parsed
from .entities import HONORIFIC_GENDERS, MAIN_SUBJECT, SUBJECT, first_name_genders, role_of
from .name_spans import (
    ORG_LABELS,
    clean_name_tokens,
    first_name,
    first_name_first,
    initials,
    title_holder,
    untagged_names,
    with_particles,
    without_lead_in,
)
from .speaker_nouns import (
    CASE_WORDS,
    DOCUMENT_NOUNS,
    KIN_NOUNS,
    NAME_PARTICLES,
    NON_PERSON_ENDINGS,
    ORGANISATION_NOUNS,
    PEOPLE_NOUNS,
    ROLE_NOUNS,
    TITLE_WORDS,
)

# A lone name this long or longer, this close to one known surname, misspells it ("Labbot").
_MIN_MISSPELT_LETTERS = 5
_MISSPELT_SIMILARITY = 0.8
# A PERSON entity of more words than this is a misread phrase, not a name.
_MAX_NAME_WORDS = 5
# How many tokens before a name are read for its title ("NATO Secretary General Jens Stoltenberg").
_MAX_TITLE_TOKENS = 6

# How a mention stands in its sentence, best antecedent first.
MAIN_SUBJECT_RANK, SUBJECT_RANK, NOT_SUBJECT_RANK = 0, 1, 2


@dataclass
class Person:
    surname: str
    first: str | None = None  # the first name of its full forms, lower case; None while only a surname
    forms: Counter[str] = field(default_factory=Counter)
    roles: set[str] = field(default_factory=set)
    gender: str | None = None
    # (char, sentence start, subject rank (MAIN_SUBJECT_RANK, SUBJECT_RANK or NOT_SUBJECT_RANK),
    # gender of the form used: "Hillary Clinton" is "f" in a person whose surname Bill Clinton
    # also has; None when the form does not tell)
    mentions: list[tuple[int, int, int, str | None]] = field(default_factory=list)
    first_name_genders: set[str] = field(default_factory=set)
    # The genders its own clauses' pronouns tell ("Rubio refrained from attacking his rivals").
    pronoun_genders: set[str] = field(default_factory=set)

    @property
    def agreed_gender(self) -> str | None:
        # An honorific wins; else the first names, unless they disagree (Bill and Hillary Clinton).
        # Where neither tells, the pronouns of its own clauses, when they agree.
        if self.gender:
            return self.gender
        if len(self.first_name_genders) == 1:
            return next(iter(self.first_name_genders))
        if not self.first_name_genders and len(self.pronoun_genders) == 1:
            return next(iter(self.pronoun_genders))
        return None

    def words(self) -> set[str]:
        """Every word of its name forms, lower case."""
        return {w.lower() for form in self.forms for w in form.replace("-", " ").split()}

    @property
    def canonical(self) -> str:
        # The fullest form (most words, up to four), the most frequent among equals.
        fullest: str = max(self.forms, key=lambda f: (min(len(f.split()), 4), self.forms[f]))
        return fullest


def _relative_of_gender(family: list[Person], gender: str | None) -> Person | None:
    """Among several people of one surname, the only one of this gender: "Mrs. Clinton"
    beside Bill Clinton is Hillary. None when the gender is unknown or does not tell them apart."""
    fitting = [c for c in family if gender is not None and c.agreed_gender == gender]
    return fitting[0] if len(fitting) == 1 and len(family) > 1 else None


class People:
    """Every person one article names, found in its entities and its parse."""

    def __init__(self, doc: Doc, ents: list[Span], in_quote: Callable[[int], bool]) -> None:
        self.doc = doc
        self._in_quote = in_quote
        # Each surname's (or lone name's) person: the first named in full first.
        self.by_name: dict[str, Person] = {}
        # Every person of a surname, the first named in full first ("Bill Clinton", "Hillary Clinton").
        self._families: dict[str, list[Person]] = {}
        # The person names found, placed in the order of the text once all are known: who
        # is named in full first decides whom a bare surname stands for.
        self._names: list[tuple[Span, list[str]]] = []
        self._surnames: set[str] = set()
        # The organisations the tagger found (some of them people after all, below).
        self.organisations: list[Span] = []
        for ent in ents:
            if ent.label_ == "PERSON" or (ent.label_ in ORG_LABELS and first_name_first(ent)):
                self._add(ent)
            elif ent.label_ in ORG_LABELS:
                self.organisations.append(ent)
        for name in untagged_names(doc, in_quote):
            self._add(name)
        # "Mosman saw …": a one-word name as a verb's subject is most often a person. Untagged,
        # it joins the people; tagged ORG, it is only an antecedent for a later "he" or "she".
        self.named_subjects: list[tuple[str, int, int]] = []
        # The genders their own clauses' pronouns tell ("Brandt opened it on his first day").
        self._subject_genders: dict[str, set[str]] = {}
        for tok in parsed.tokens(doc):
            if (
                tok.dep_ == "nsubj"
                and tok.pos_ == "PROPN"
                and tok.ent_type_ in ("", "ORG")
                and tok.is_title
                and tok.head.pos_ == "VERB"
                and not any(c.dep_ in ("compound", "flat", "det") for c in tok.children)
                and tok.lower_ not in PEOPLE_NOUNS
                and not in_quote(tok.idx)
            ):
                if not tok.ent_type_:
                    self._add(doc[tok.i : tok.i + 1])
                elif tok.lower_ not in self._surnames:
                    self.named_subjects.append((tok.text, tok.idx, parsed.sentence_start(doc, tok.idx)))
                    told = _OWNED_GENDERS.get(_own_pronoun(tok) or "")
                    self._subject_genders.setdefault(tok.lower_, set()).update([told] if told else [])
        # "Trump himself was delighted": a surname the article gives a person, which the tagger
        # took for a verb or a noun at the head of a sentence, is still that person's as a subject.
        for tok in parsed.tokens(doc):
            if (
                tok.dep_ in ("nsubj", "nsubjpass")
                and tok.pos_ in ("VERB", "NOUN", "ADJ")
                and tok.is_title
                and tok.lower_ in self._surnames
                and not in_quote(tok.idx)
            ):
                self._add(doc[tok.i : tok.i + 1])
        # "Fiorina wrote" or "Edgars Rinkevics, Latvia's foreign minister", tagged ORG: a name
        # ending in a surname the article also gives a person is that person.
        for ent in self.organisations:
            words = clean_name_tokens(ent)
            if (
                1 <= len(words) <= 3
                and words[-1].lower() in self._surnames
                and all(t.pos_ == "PROPN" for t in ent if not t.is_punct and t.lower_ != "the")
                and not any(w.lower() in ORGANISATION_NOUNS for w in words)
            ):
                self._add(ent)
        for ent, words in sorted(self._names, key=lambda item: item[0].start):
            self._place(ent, words)
        self._merge_first_names()
        self._merge_misspellings()
        # One-word names the article treats as organisations: no one's "he" or "she".
        self.organisation_words: set[str] = set()
        self._set_apart_organisations()

    # --- building ------------------------------------------------------------------------------
    def _set_apart_organisations(self) -> None:
        """A one-word name the article never gives as a person's (no first name, honorific,
        gendered title or role) is an organisation when the article says so as a whole:
        by the pronouns its clauses use for it ("Twitter has positioned itself", "Facebook
        activated its tool"), or, where they tell nothing, by what the tagger called most
        of its mentions ("Carrier's plant", "Carrier workers"). The small tagger calls a
        company a person here and an organisation there; the article reads one way."""
        lone = {
            key: person
            for key, person in self.by_name.items()
            if person.first is None
            and all(len(form.split()) == 1 for form in person.forms)
            and person.agreed_gender is None
            and not person.roles & (ROLE_NOUNS | TITLE_WORDS | PEOPLE_NOUNS)
        }
        candidates = set(lone) | {text.lower() for text, _char, _start in self.named_subjects}
        owned: Counter[str] = Counter()  # its/itself against his/her/himself/herself
        tagged: Counter[str] = Counter()  # tagged as an organisation against as a person
        for tok in parsed.tokens(self.doc):
            if tok.lower_ not in candidates or tok.pos_ != "PROPN" or self._in_quote(tok.idx):
                continue
            owned[tok.lower_] += _owner_vote(tok)
            if tok.ent_type_ and len(_entity_of(tok)) == 1:
                tagged[tok.lower_] += (
                    1 if tok.ent_type_ in _ORGANISATION_LIKE else -int(tok.ent_type_ == "PERSON")
                )
        for key in candidates:
            says = owned[key] or tagged[key]
            if says <= 0 or (key not in lone and owned[key] <= 0):
                continue  # a subject tagged ORG stays a "he" or "she" unless its pronouns say "it"
            self.organisation_words.add(key)
            person = lone.get(key)
            if person is not None and self.by_name.get(key) is person:
                del self.by_name[key]
                self._forget(person)
        self.named_subjects = [s for s in self.named_subjects if s[0].lower() not in self.organisation_words]

    def _add(self, ent: Span) -> None:
        holder = title_holder(ent)
        if holder is not None:
            # "Keeper of the Seal, Ana Ruiz": the title tagged PERSON is the name beside it.
            if any(t.ent_type_ == "PERSON" for t in holder):
                return  # the name is an entity of its own
            ent = holder
        ent = with_particles(ent)
        if _is_dateline(ent):
            return
        ent = without_lead_in(ent)
        words = clean_name_tokens(ent)
        if not words or len(words) > _MAX_NAME_WORDS or not words[-1][:1].isupper():
            return
        family_name = self._family_name(ent) if len(words) == 1 else None
        if family_name is not None:
            words = [words[0], family_name]  # "Clinton's husband, Bill": Bill Clinton
        if any(w in CASE_WORDS for w in words):
            return  # "Trump v. Trump" names a lawsuit, not a person (but "Vladimir V. Putin" is one)
        if words[-1].lower() in SPEAKER_PRONOUNS:
            return  # a headline's "Trump Says He …" read as a name
        if len(words) > 1 and words[-1].lower() in NON_PERSON_ENDINGS:
            return  # "Hermenegildo Galeana Street", "Getty Images": a place, a picture agency
        self._names.append((ent, words))
        self._surnames.add(words[-1].lower())

    def _family_name(self, ent: Span) -> str | None:
        """The surname a first name given alone takes from the relative it is set beside:
        "Clinton's husband, Bill" (Clinton's), "Aubrey Pelletier hoisted a sign. Her father,
        Brad, …" (the person named last before "her" whose first name does not tell the other
        gender, within the sentence before)."""
        root = ent.root
        kin = root.head
        if root.dep_ != "appos" or kin.lemma_.lower() not in KIN_NOUNS:
            return None
        if root.lower_ not in first_name_genders():
            return None
        owner = next((c for c in kin.children if c.dep_ == "poss"), None)
        if owner is None:
            return None
        if owner.pos_ == "PROPN" and owner.ent_type_ == "PERSON":
            return owner.text
        if owner.lower_ not in ("his", "her"):
            return None
        here = parsed.sentence_index(self.doc, owner.idx)
        gender = _OWNED_GENDERS[owner.lower_]
        named = [
            e
            for e in self.doc.ents
            if e.label_ == "PERSON"
            and len(e) > 1
            and e.end <= owner.i
            and here - parsed.sentence_index(self.doc, e.start_char) <= 1
            and first_name_genders().get(e[0].lower_) in (None, gender)
        ]
        return named[-1][-1].text if named else None

    def _place(self, ent: Span, words: list[str]) -> None:
        form_gender = None
        prev = self.doc[ent.start - 1] if ent.start > 0 else None
        for tok in [*ent, *([prev] if prev is not None else [])]:
            if tok.lower_ in HONORIFIC_GENDERS:
                form_gender = HONORIFIC_GENDERS[tok.lower_]
        person = self.person_of(words, form_gender)
        person.forms[" ".join(words)] += 1
        if form_gender is not None and (len(words) > 1 or len(self._families[person.surname]) == 1):
            # A bare "Mr. Khan" among several Khans of unknown gender tells nothing of the first one.
            person.gender = form_gender
        root = ent.root
        first_gender = first_name_genders().get(words[0].lower()) if len(words) > 1 else None
        if first_gender is not None:
            form_gender = form_gender or first_gender
            person.first_name_genders.add(first_gender)
        if not self._in_quote(ent.start_char):
            person.mentions.append(
                (
                    ent.start_char,
                    parsed.sentence_start(self.doc, ent.start_char),
                    subject_rank(root),
                    form_gender,
                )
            )
        person.roles |= self._title_words(ent)
        told = _OWNED_GENDERS.get(_own_pronoun(root) or "")
        if told is not None and not self._in_quote(ent.start_char):
            person.pronoun_genders.add(told)

    def _title_words(self, ent: Span) -> set[str]:
        """Words of a title around a name: "NATO Secretary General Jens Stoltenberg", "X, NATO chief"."""
        doc, words = self.doc, set()
        i = ent.start - 1
        while (
            i >= 0
            and i >= ent.start - _MAX_TITLE_TOKENS
            and (doc[i].pos_ in ("PROPN", "NOUN", "ADJ") or doc[i].text == "-")
        ):
            if doc[i].ent_type_ == "PERSON":
                break
            words.add(doc[i].lower_)
            i -= 1
        for tok in ent.root.children:
            if tok.dep_ == "appos":
                words |= {t.lower_ for t in tok.subtree if t.pos_ in ("PROPN", "NOUN", "ADJ")}
        if ent.root.dep_ == "appos":
            words |= {
                t.lower_ for t in ent.root.head.subtree if t.pos_ in ("NOUN", "PROPN") and t.i < ent.start
            }
        return {w for w in words if w not in ("the", "-")}

    def person_of(self, words: list[str], gender: str | None) -> Person:
        """The person a name form stands for, made if new. A full name joins the person of
        its first name and surname ("Marcel Lehel Lazar", "Marcel Lazar"); a different first
        name is a relative ("Gabriela Lazar"). A bare surname ("Lazar") is the person named in
        full first, unless an honorific tells another ("Mrs. Clinton" beside Bill Clinton)."""
        surname = words[-1].lower()
        family = self._families.setdefault(surname, [])
        first = first_name(words)
        if first is None:
            relative = _relative_of_gender(family, gender)
            if relative is not None:
                return relative
            if family:
                return family[0]
        else:
            # "Billionaire Donald Trump" and "Donald Trump": one person, whose words hold the first name.
            for person in family:
                if person.first in (None, first, *(w.lower() for w in words)) or any(
                    first in f.lower().split() for f in person.forms
                ):
                    person.first = person.first or first
                    return person
        person = Person(surname, first=first)
        family.append(person)
        self.by_name.setdefault(surname, person)
        return person

    def all(self) -> list[Person]:
        """Every person of the article once."""
        people = {id(c): c for family in self._families.values() for c in family}
        people.update((id(c), c) for c in self.by_name.values())
        return list(people.values())

    def _merge_misspellings(self) -> None:
        # "Labbot said" after "Elise Labott": a surname never given in full that misspells the
        # surname of one person named in full is that person.
        for key, family in list(self._families.items()):
            if len(family) != 1 or family[0].first is not None or self.by_name.get(key) is not family[0]:
                continue
            target = self.misspelt(key)
            if target is not None and target.first is not None:
                self._merge_into(key, family[0], target)

    def _merge_first_names(self) -> None:
        # "Hillary" alone is the same person as "Hillary Clinton" when exactly one full name
        # starts with it; "Ms. Acosta" is "Melba Acosta Febo" when exactly one full name of
        # three words or more has it inside (a first surname, as Spanish names give two).
        firsts: dict[str, list[Person]] = {}
        for person in self.all():
            for form in person.forms:
                parts = form.split()
                if len(parts) > 1:
                    firsts.setdefault(parts[0].lower(), []).append(person)
                if first_name(parts) is not None:
                    for word in parts[1:-1]:
                        if len(word) > 2 and word.lower() not in NAME_PARTICLES:
                            firsts.setdefault(word.lower(), []).append(person)
        for key in list(self.by_name):
            person = self.by_name[key]
            if all(len(f.split()) == 1 for f in person.forms):
                owners = {id(c): c for c in firsts.get(key, []) if c is not person}
                if len(owners) == 1:
                    self._merge_into(key, person, next(iter(owners.values())))

    def _merge_into(self, key: str, person: Person, owner: Person) -> None:
        """``person``, known by ``key`` alone, is ``owner``: its mentions and what they tell
        join the owner's, and it is no one of its own (no "he" finds it apart)."""
        owner.mentions.extend(person.mentions)
        owner.roles |= person.roles
        owner.gender = owner.gender or person.gender
        owner.pronoun_genders |= person.pronoun_genders
        self.by_name[key] = owner
        self._forget(person)

    def _forget(self, person: Person) -> None:
        """Takes a person out of its family: another person, or no person, holds its name."""
        family = self._families.get(person.surname, [])
        self._families[person.surname] = [p for p in family if p is not person]

    # --- finding -------------------------------------------------------------------------------
    def named(self, words: list[str]) -> Person | None:
        """The person a name's words stand for, if the article names one."""
        words = [w for w in words if w not in ("'s", "’s")]
        if len(words) > 1:
            # "Hillary Clinton" is Hillary's, though "Clinton" alone is Bill's.
            family = self._families.get(words[-1].lower(), [])
            first = first_name(words)
            named = [c for c in family if first is not None and c.first == first]
            if named:
                return named[0]
            if self.someone_else(words):
                return None
            relative = _relative_of_gender(family, HONORIFIC_GENDERS.get(words[0].lower()))
            if relative is not None:
                return relative
        for word in reversed(words):
            person = self.by_name.get(word.lower())
            if person is not None:
                return person
        return None

    def misspelt(self, word: str) -> Person | None:
        """The one person whose surname a lone name misspells ("Labbot" for Elise Labott,
        "Sharption" for Al Sharpton): the same first letter and nearly the same letters."""
        lower = word.lower()
        if len(lower) < _MIN_MISSPELT_LETTERS:
            return None
        close = [
            c
            for c in self.all()
            if c.surname[:1] == lower[:1]
            and c.surname != lower
            and SequenceMatcher(None, c.surname, lower).ratio() >= _MISSPELT_SIMILARITY
        ]
        return close[0] if len({c.surname for c in close}) == 1 and len(close) == 1 else None

    def someone_else(self, words: list[str]) -> bool:
        """A full name the tagger missed, of a first name no one of its surname has ("Ivanka
        Trump" where only Donald Trump is tagged): another person, not the one of that surname."""
        family = self._families.get(words[-1].lower(), [])
        first = first_name(words)
        if not family or len(words) > 3 or first not in first_name_genders():
            return False
        # A person known so far by the surname alone may be this one ("Tuttle", "Ian Tuttle").
        return all(c.first is not None and first not in c.words() for c in family)

    def heading(self, organisation: str) -> str | None:
        """The person whose title names the organisation ("NATO Secretary General Jens Stoltenberg")."""
        words = {w.lower() for w in organisation.split()}
        if not words:
            return None
        # "NATO Secretary General Jens Stoltenberg" heads the North Atlantic Treaty Organization.
        acronym = initials(organisation).lower()
        holders = [c for c in self.all() if words <= c.roles or (acronym and acronym in c.roles)]
        if not holders:
            return None
        return max(holders, key=lambda c: len(c.mentions)).canonical

    def note_speaker(
        self, name: str | None, at_char: int, head: Token | None = None, kind: str | None = None
    ) -> None:
        """Record a resolved speaker mention so later pronouns can find it as a subject (of the
        main clause when ``head``, the mention's head, is one). A person named in full whom
        the tagger missed ("Ivanka Trump, who …, told …") becomes one of the article's people."""
        if not name:
            return
        words = name.split()
        person = self.named(words)
        first = first_name(words)
        if person is None and kind == SpeakerType.PERSON and first in first_name_genders():
            person = self.person_of(words, None)
            person.forms[" ".join(words)] += 1
            person.first_name_genders.add(first_name_genders()[first])
        if person is not None:
            rank = min(SUBJECT_RANK, subject_rank(head)) if head is not None else SUBJECT_RANK
            person.mentions.append((at_char, parsed.sentence_start(self.doc, at_char), rank, None))

    def nearest(self, at: int, gender: str | None) -> tuple[str, int] | None:
        """The person a "he", "she" or a description (with no ``gender``, a person noun) at
        ``at`` refers to, and where it was mentioned: the first compatible subject of the
        nearest sentence that has one, the main clause's before an embedded one's ("Yet Trump
        is a “change agent,” Cole said. … he said" is Cole); only without any such subject,
        the first other mention of the nearest sentence (objects, credits and captions rarely
        become the next "he said")."""
        here = parsed.sentence_index(self.doc, at)
        best: tuple[int, int, int, int] | None = None
        name = None
        for person in self.all():
            for char, sent_start, rank, form_gender in person.mentions:
                if char >= at:
                    continue
                mention_gender = form_gender or person.agreed_gender
                if gender and mention_gender and mention_gender != gender:
                    continue
                key = (
                    int(rank == NOT_SUBJECT_RANK),
                    here - parsed.sentence_index(self.doc, sent_start),
                    rank,
                    char,
                )
                if best is None or key < best:
                    best, name = key, person.canonical
        for text, char, sent_start in self.named_subjects:
            told = self._subject_genders.get(text.lower(), set())
            if gender and len(told) == 1 and gender not in told:
                continue
            key = (0, here - parsed.sentence_index(self.doc, sent_start), SUBJECT_RANK, char)
            if char < at and (best is None or key < best):
                best, name = key, text
        if name is None or best is None:
            return None
        return name, best[-1]


# Entity labels the small tagger gives organisations, products and buildings, never people.
_ORGANISATION_LIKE = frozenset({*ORG_LABELS, "PRODUCT", "FAC"})
_OWNED_BY_THING = frozenset({"its", "itself"})
_REFLEXIVES = frozenset({"itself", "himself", "herself"})
# The gender a person's own possessive or reflexive tells (its keys: a person's, not a thing's).
_OWNED_GENDERS = {"his": "m", "himself": "m", "her": "f", "herself": "f"}


def _entity_of(token: Token) -> list[Token]:
    """The words of the entity a token is tagged in, "the" aside."""
    start = token.i
    while start > 0 and token.doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(token.doc) and token.doc[end].ent_iob_ == "I":
        end += 1
    return [t for t in token.doc[start:end] if t.lower_ != "the"]


def _owner_vote(subject: Token) -> int:
    """+1 when the first possessive or reflexive pronoun of a subject's own clause is "its" or
    "itself" ("Twitter has struggled since its offering"), -1 when it is a person's ("Mosman
    saw his chance"), 0 when the subject's clause has none or another subject comes first."""
    owned = _own_pronoun(subject)
    if owned in _OWNED_BY_THING:
        return 1
    return -1 if owned in _OWNED_GENDERS else 0


def _own_pronoun(subject: Token) -> str | None:
    """The first possessive or reflexive pronoun of a subject's own clause after its phrase,
    lower case ("Rubio refrained from attacking his rivals": "his"), which stands for the
    subject; None when the clause has none, or another clause's subject comes first."""
    if subject.dep_ not in ("nsubj", "nsubjpass"):
        return None
    verb = subject.head
    for tok in verb.subtree:
        if tok.i <= subject.right_edge.i:
            continue  # the subject's own phrase ("Mo Elleithee, an aide during her run") speaks of others
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.i != verb.i:
            return None  # another clause's subject: its pronouns are that subject's
        is_owner = tok.tag_ == "PRP$" or tok.lower_ in _REFLEXIVES
        if is_owner and _clause_of(tok).i == verb.i:
            return tok.lower_
    return None


def _clause_of(token: Token) -> Token:
    """The verb whose subject a word's clause shares: its nearest verb above it with a
    subject of its own ("Rubio refrained from attacking his rivals": "refrained", as
    "attacking" has none), or the sentence's root."""
    head = token.head
    while head.head.i != head.i:
        if head.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") for c in head.children):
            return head
        head = head.head
    return head


def subject_rank(token: Token) -> int:
    """Whether a name is the subject of its sentence's main clause ("Cole said"), of another
    clause ("… Trump is a “change agent,” Cole said"), or no subject. A name set beside the
    subject is one ("One local woman, Karen Robison, pulled …"), and so is the author of a
    text that is the subject ("Palin's posts warned …", "Podliska's lawsuit demands …"):
    the text speaks for them, and the next "she" or "he" is theirs."""
    if token.dep_ == "appos":
        token = token.head
    owned = token.head
    if token.dep_ == "poss" and owned.dep_ == "nsubj" and owned.lemma_.lower() in DOCUMENT_NOUNS:
        token = owned
    return {MAIN_SUBJECT: MAIN_SUBJECT_RANK, SUBJECT: SUBJECT_RANK}.get(role_of(token), NOT_SUBJECT_RANK)


def _is_dateline(span: Span) -> bool:
    """ "ROTTERDAM (Reuters) -": the place a wire story was filed from, never a speaker."""
    first = span[0]
    if not first.is_upper or len(first.text) < 3:
        return False
    at_line_start = first.i == 0 or "\n" in first.doc[first.i - 1].text_with_ws
    nxt = first.doc[span.end] if span.end < len(first.doc) else None
    return at_line_start and nxt is not None and nxt.text in ("(", "-", "—", "–", ",")
