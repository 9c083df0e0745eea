"""Speakers: from the mention that attributes a quote to the name the article knows best.

A mention ("he", "the NATO chief", "Stoltenberg") is resolved to a person cluster
(the PERSON mentions sharing a surname and a first name), whose canonical name is
the fullest form in the article ("Jens Stoltenberg"). Family members are kept
apart: "Ivanka Trump" and "Donald Trump" are two people, and the bare surname
stands for the one the article named in full first, its subject. Pronouns go to the nearest compatible
person, preferring sentence subjects; roles go to the person whose title words
they share.

The words that tell a speaker's kind are in ``speaker_nouns``; how a mention's
noun phrase and a name's own words are cut from the parse, in ``name_spans``;
the entity layer the pronouns and descriptions are checked against, in
``entities`` and ``descriptions``.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from enum import Enum

from spacy.tokens import Doc, Span, Token

from ..words import GROUP_PRONOUNS, PERSON_PRONOUNS, SPEAKER_PRONOUNS, FoundBy, SpeakerType
from . import parsed
from .cues import SPEECH_VERBS
from .descriptions import (
    ORGANISATION,
    OUTLET,
    PERSON,
    Candidate,
    Description,
    DescriptionLinker,
    description_linker,
)
from .entities import (
    HONORIFIC_GENDERS,
    MAIN_SUBJECT,
    PRONOUN_GENDERS,
    SUBJECT,
    Entities,
    Mention,
    Ranker,
    first_name_genders,
    role_of,
)
from .invisible import without_invisible
from .name_spans import (
    ORG_LABELS,
    capitals,
    clean_name_tokens,
    conjunct_chain,
    first_name,
    first_name_first,
    is_possessive,
    is_speaker_like,
    mention_span,
    own_name,
    title_holder,
    untagged_names,
    with_particles,
    without_descriptor,
    without_lead_in,
)
from .speaker_nouns import (
    CASE_WORDS,
    COLLECTIVE_NOUNS,
    DEFINITE_WORDS,
    DESCRIPTION_PREPS,
    DOCUMENT_NOUNS,
    DOCUMENT_SYNONYMS,
    INDEFINITE_WORDS,
    ISSUING_VERBS,
    NOUN_GENDERS,
    ORGANISATION_NOUNS,
    OUTLET_NOUNS,
    PEOPLE_NOUNS,
    PRESS_WORDS,
    PRINT_NOUNS,
    QUANTITY_WORDS,
    ROLE_NOUNS,
    TITLE_WORDS,
    UNPRINTED_PRESS,
)

_HONORIFICS = HONORIFIC_GENDERS


# How many sentences back a "they" looks for the group it stands for.
_PLURAL_ANTECEDENT_SENTENCES = 2
# A pronoun this close to its antecedent (chars) is resolved with more confidence.
_NEAR_ANTECEDENT_CHARS = 1500
# A lone name this long or longer, this close to one known surname, misspells it ("Labbot").
_MIN_MISSPELT_LETTERS = 5
_MISSPELT_SIMILARITY = 0.8
# A PERSON entity of more words than this is a misread phrase, not a name.
_MAX_NAME_WORDS = 5
# How many tokens before a name are read for its title ("NATO Secretary General Jens Stoltenberg").
_MAX_TITLE_TOKENS = 6

# How sure a resolution is (Resolution.confidence, which caps the finding's): a name
# in the mention itself is surest, a description that only points at someone least.
_SURE_NAMED_PERSON = 0.9  # the mention carries a known person's name
_SURE_NAMED_ORGANISATION = 0.8  # the mention names an organisation
_SURE_NEAR_ANTECEDENT = 0.8  # a "he" or "she" within _NEAR_ANTECEDENT_CHARS of its person
_SURE_ROLE = 0.75  # a role ("the NATO chief") whose title words a named person carries
_SURE_UNKNOWN_PERSON = 0.7  # a name the article never gives in full
_SURE_ORGANISATION_NOUN = 0.7  # "the agency" for the one named organisation it fits
_SURE_DESCRIBED = 0.6  # a description as written ("a senior aide", "two councillors")
_SURE_FAR_ANTECEDENT = 0.6  # a "he" or "she" farther from its person
_SURE_DISPUTED_ANTECEDENT = 0.45  # a "he", "she" or "the senator" the learned ranking links elsewhere:
# with _CONFIDENCE_OVER_RESOLUTION the finding stays below the pages' flag (0.6)
_SURE_REFERRING_NOUN = 0.5  # "the actress", "the official": the nearest fitting person
_SURE_DOCUMENT = 0.5  # a text that speaks ("the report found")
_SURE_GROUP_ANTECEDENT = 0.5  # a "they" for the plural subject of a sentence before
_SURE_NO_ONE = 0.3  # no one the article names: "I", "someone", a pronoun with no antecedent
# A description is cut after this many words; past it, a phrase is context, not the speaker.
_DESCRIPTION_MAX_WORDS = 12
# How many sentences back "the newspaper" looks for the outlet it stands for.
_OUTLET_ANTECEDENT_SENTENCES = 5
# How many sentences back "the statement" looks for the one someone issued, and the verbs of issuing.
_ISSUER_SENTENCES = 5
# How many sentences back "the company" or "the union" looks for the organisation it stands for.
_ORGANISATION_ANTECEDENT_SENTENCES = 3


def _relative_of_gender(family: list[_Cluster], gender: str | None) -> _Cluster | None:
    """Among several people of one surname, the only one of this gender: "Mrs. Clinton"
    beside Bill Clinton is Hillary. None when the gender is unknown or does not tell them apart."""
    fitting = [c for c in family if gender is not None and c.agreed_gender == gender]
    return fitting[0] if len(fitting) == 1 and len(family) > 1 else None


@dataclass
class _Cluster:
    surname: str
    first: str | None = None  # the first name of its full forms, lower case; None while only a surname
    forms: Counter[str] = field(default_factory=Counter)
    roles: set[str] = field(default_factory=set)
    gender: str | None = None
    # (char, sentence start, subject rank (_MAIN_SUBJECT, _SUBJECT or _NOT_SUBJECT), gender of
    # the form used: "Hillary Clinton" is "f" in a cluster that also holds Bill Clinton; None
    # when the form does not tell)
    mentions: list[tuple[int, int, int, str | None]] = field(default_factory=list)
    first_name_genders: set[str] = field(default_factory=set)

    @property
    def agreed_gender(self) -> str | None:
        # An honorific wins; else the first names, unless they disagree (Bill and Hillary Clinton).
        if self.gender:
            return self.gender
        return next(iter(self.first_name_genders)) if len(self.first_name_genders) == 1 else None

    def words(self) -> set[str]:
        """Every word of its name forms, lower case."""
        return {w.lower() for form in self.forms for w in form.replace("-", " ").split()}

    @property
    def canonical(self) -> str:
        # The fullest form (most words, up to four), the most frequent among equals.
        fullest: str = max(self.forms, key=lambda f: (min(len(f.split()), 4), self.forms[f]))
        return fullest


@dataclass(frozen=True)
class Resolution:
    name: str | None
    kind: str | None  # a SpeakerType, or None
    confidence: float
    found_by: str = FoundBy.NAME  # a FoundBy; a pronoun or a description says so


def _found_by(resolution: Resolution, how: str) -> Resolution:
    return replace(resolution, found_by=how if resolution.name else FoundBy.NONE)


class Decider(Enum):
    """Who decides what a pronoun or a definite description refers to; the other gives the
    second opinion, and where the two differ the attribution is flagged for an editor."""

    RULES = "rules"  # the hand rules: the product's choice, since they win in whole held-out articles
    LEARNED = "learned"  # the fitted model: the evaluation's side by side


class SpeakerResolver:
    """Resolve speaker mentions of one document to canonical names."""

    def __init__(
        self,
        doc: Doc,
        in_quote: Callable[[int], bool] | None = None,
        paragraph_of: Callable[[int], int] | None = None,
        descriptions: Decider | DescriptionLinker = Decider.RULES,
        pronoun_ranker: Ranker | None = None,
        pronouns: Decider = Decider.RULES,
    ) -> None:
        self.doc = doc
        # Who decides what a definite description refers to (the other is the second opinion),
        # or a linker being fitted, alone.
        self._descriptions = descriptions
        # Names inside quotes ("I remember President Putin …") are not antecedents for the narrator's "he".
        self._in_quote = in_quote or (lambda char: False)
        self._paragraph_of = paragraph_of or (lambda char: 0)
        # The entity layer, made when the first pronoun is resolved, and its people's names;
        # its pronoun ranking is the committed one unless another is being fitted.
        self._pronoun_ranker = pronoun_ranker
        # Who decides whom "he" or "she" refers to (the other is the second opinion).
        self._pronouns = pronouns
        self._entity_layer: Entities | None = None
        self._entity_names: dict[str, str] = {}
        self._entity_keys: dict[str, str] = {}  # and each name's person (the first, if two share it)
        self.clusters: dict[str, _Cluster] = {}
        # Every person of a surname, the first named in full first ("Bill Clinton", "Hillary Clinton").
        self._families: dict[str, list[_Cluster]] = {}
        self._sentence_starts = [sent.start_char for sent in parsed.sentences(doc)]
        self._ents = list(doc.ents)
        self._orgs: Counter[str] = Counter()
        # The person names found, placed in clusters in the order of the text once all are
        # known: who is named in full first decides whom a bare surname stands for.
        self._names: list[tuple[Span, list[str]]] = []
        self._surnames: set[str] = set()
        others = []
        for ent in self._ents:
            if ent.label_ == "PERSON" or (ent.label_ in ORG_LABELS and first_name_first(ent)):
                self._add_person(ent)
            elif ent.label_ in ORG_LABELS:
                self._orgs[self._org_name(ent)] += 1
                others.append(ent)
        for name in untagged_names(doc, self._in_quote):
            self._add_person(name)
        # "Mosman saw …": a one-word name as a verb's subject is most often a person. Untagged,
        # it joins the people; tagged ORG, it is only an antecedent for a later "he" or "she".
        self._named_subjects: list[tuple[str, int, int]] = []
        for tok in parsed.tokens(doc):
            if (
                tok.dep_ == "nsubj"
                and tok.pos_ == "PROPN"
                and tok.ent_type_ in ("", "ORG")
                and tok.is_title
                and tok.head.pos_ == "VERB"
                and not any(c.dep_ in ("compound", "flat", "det") for c in tok.children)
                and tok.lower_ not in PEOPLE_NOUNS
                and not self._in_quote(tok.idx)
            ):
                if not tok.ent_type_:
                    self._add_person(doc[tok.i : tok.i + 1])
                elif tok.lower_ not in self._surnames:
                    self._named_subjects.append((tok.text, tok.idx, self.sentence_start(tok.idx)))
        # "Fiorina wrote" or "Edgars Rinkevics, Latvia's foreign minister", tagged ORG: a name
        # ending in a surname the article also gives a person is that person.
        for ent in others:
            words = clean_name_tokens(ent)
            if (
                1 <= len(words) <= 3
                and words[-1].lower() in self._surnames
                and all(t.pos_ == "PROPN" for t in ent if not t.is_punct and t.lower_ != "the")
                and not any(w.lower() in ORGANISATION_NOUNS for w in words)
            ):
                self._add_person(ent)
        for ent, words in sorted(self._names, key=lambda item: item[0].start):
            self._place_person(ent, words)
        self._merge_first_names()
        self._merge_misspellings()
        # Subjects a later "they" can refer to: people in the plural, or an organisation.
        self._plural_subjects = [
            tok
            for tok in parsed.tokens(doc)
            if tok.dep_ in ("nsubj", "nsubjpass")
            and not self._in_quote(tok.idx)
            and tok.pos_ in ("NOUN", "PROPN")
            and (
                (_is_plural(tok) and tok.pos_ == "NOUN" and tok.lemma_.lower() not in DOCUMENT_NOUNS)
                or (tok.ent_type_ == "ORG" and tok.lower_ not in self.clusters)
            )
        ]

    # --- building the clusters -------------------------------------------------------------
    def _add_person(self, ent: Span) -> None:
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
        if any(w in CASE_WORDS for w in words):
            return  # "Trump v. Trump" names a lawsuit, not a person (but "Vladimir V. Putin" is one)
        if words[-1].lower() in SPEAKER_PRONOUNS:
            return  # a headline's "Trump Says He …" read as a name
        self._names.append((ent, words))
        self._surnames.add(words[-1].lower())

    def _place_person(self, ent: Span, words: list[str]) -> None:
        form_gender = None
        prev = self.doc[ent.start - 1] if ent.start > 0 else None
        for tok in [*ent, *([prev] if prev is not None else [])]:
            if tok.lower_ in _HONORIFICS:
                form_gender = _HONORIFICS[tok.lower_]
        cluster = self._person_of(words, form_gender)
        cluster.forms[" ".join(words)] += 1
        if form_gender is not None and (len(words) > 1 or len(self._families[cluster.surname]) == 1):
            # A bare "Mr. Khan" among several Khans of unknown gender tells nothing of the first one.
            cluster.gender = form_gender
        root = ent.root
        first_gender = first_name_genders().get(words[0].lower()) if len(words) > 1 else None
        if first_gender is not None:
            form_gender = form_gender or first_gender
            cluster.first_name_genders.add(first_gender)
        if not self._in_quote(ent.start_char):
            cluster.mentions.append(
                (ent.start_char, self.sentence_start(ent.start_char), subject_rank(root), form_gender)
            )
        cluster.roles |= self._title_words(ent)

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

    def _person_of(self, words: list[str], gender: str | None) -> _Cluster:
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
        person = _Cluster(surname, first=first)
        family.append(person)
        self.clusters.setdefault(surname, person)
        return person

    def _people(self) -> list[_Cluster]:
        """Every person of the article once."""
        people = {id(c): c for family in self._families.values() for c in family}
        people.update((id(c), c) for c in self.clusters.values())
        return list(people.values())

    def _merge_misspellings(self) -> None:
        # "Labbot said" after "Elise Labott": a surname never given in full that misspells the
        # surname of one person named in full is that person.
        for key, family in list(self._families.items()):
            if len(family) != 1 or family[0].first is not None or self.clusters.get(key) is not family[0]:
                continue
            target = self._misspelt(key)
            if target is not None and target.first is not None:
                target.mentions.extend(family[0].mentions)
                self.clusters[key] = target

    def _merge_first_names(self) -> None:
        # "Hillary" alone is the same person as "Hillary Clinton" when exactly one full name starts with it.
        firsts: dict[str, list[_Cluster]] = {}
        for cluster in self._people():
            for form in cluster.forms:
                parts = form.split()
                if len(parts) > 1:
                    firsts.setdefault(parts[0].lower(), []).append(cluster)
        for key in list(self.clusters):
            cluster = self.clusters[key]
            if all(len(f.split()) == 1 for f in cluster.forms):
                owners = {id(c): c for c in firsts.get(key, []) if c is not cluster}
                if len(owners) == 1:
                    owner = next(iter(owners.values()))
                    owner.mentions.extend(cluster.mentions)
                    owner.roles |= cluster.roles
                    owner.gender = owner.gender or cluster.gender
                    self.clusters[key] = owner

    @staticmethod
    def _org_name(ent: Span) -> str:
        """The name as printed, without a leading "the" or a noun describing it ("German
        carmaker Volkswagen"): "Rotterdam Terminal Operators' Association"."""
        tokens = list(without_descriptor(ent))
        while tokens and tokens[0].lower_ == "the":
            tokens = tokens[1:]
        while tokens and is_possessive(tokens[-1]):
            tokens = tokens[:-1]
        return without_invisible("".join(t.text_with_ws for t in tokens).strip())

    # --- resolving ---------------------------------------------------------------------------
    def cluster_for_name(self, words: list[str]) -> _Cluster | None:
        words = [w for w in words if w not in ("'s", "’s")]
        if len(words) > 1:
            # "Hillary Clinton" is Hillary's, though "Clinton" alone is Bill's.
            family = self._families.get(words[-1].lower(), [])
            first = first_name(words)
            named = [c for c in family if first is not None and c.first == first]
            if named:
                return named[0]
            if self._someone_else(words):
                return None
            relative = _relative_of_gender(family, _HONORIFICS.get(words[0].lower()))
            if relative is not None:
                return relative
        for word in reversed(words):
            cluster = self.clusters.get(word.lower())
            if cluster is not None:
                return cluster
        return None

    def _misspelt(self, word: str) -> _Cluster | None:
        """The one person whose surname a lone name misspells ("Labbot" for Elise Labott,
        "Sharption" for Al Sharpton): the same first letter and nearly the same letters."""
        lower = word.lower()
        if len(lower) < _MIN_MISSPELT_LETTERS:
            return None
        close = [
            c
            for c in self._people()
            if c.surname[:1] == lower[:1]
            and c.surname != lower
            and SequenceMatcher(None, c.surname, lower).ratio() >= _MISSPELT_SIMILARITY
        ]
        return close[0] if len({c.surname for c in close}) == 1 and len(close) == 1 else None

    def _someone_else(self, words: list[str]) -> bool:
        """A full name the tagger missed, of a first name no one of its surname has ("Ivanka
        Trump" where only Donald Trump is tagged): another person, not the one of that surname."""
        family = self._families.get(words[-1].lower(), [])
        first = first_name(words)
        if not family or len(words) > 3 or first not in first_name_genders():
            return False
        # A person known so far by the surname alone may be this one ("Tuttle", "Ian Tuttle").
        return all(c.first is not None and first not in c.words() for c in family)

    def note_speaker(
        self,
        name: str | None,
        at_char: int,
        sent_start: int,
        head: Token | None = None,
        kind: str | None = None,
    ) -> None:
        """Record a resolved speaker mention so later pronouns can find it as a subject (of the
        main clause when ``head``, the mention's head, is one). A person named in full whom
        the tagger missed ("Ivanka Trump, who …, told …") becomes one of the article's people."""
        if not name:
            return
        words = name.split()
        cluster = self.cluster_for_name(words)
        first = first_name(words)
        if cluster is None and kind == SpeakerType.PERSON and first in first_name_genders():
            cluster = self._person_of(words, None)
            cluster.forms[" ".join(words)] += 1
            cluster.first_name_genders.add(first_name_genders()[first])
        if cluster is not None:
            rank = min(_SUBJECT, subject_rank(head)) if head is not None else _SUBJECT
            cluster.mentions.append((at_char, sent_start, rank, None))

    def resolve(self, mention: Span, joint: bool = True) -> Resolution:
        """Who a mention stands for; a conjunct of a joint speaker ("Trump and Ryan said") is
        the group, unless ``joint`` is False (the mention read alone, as coreference reads it)."""
        found = self._joint(mention.root) if joint else None
        if found is not None:
            return found
        return self._resolve_one(mention)

    def _joint(self, head: Token) -> Resolution | None:
        """ "Donald Trump and House Speaker Paul Ryan pledged …", "Carson, Fiorina and Huckabee
        said": a joint speaker is a group naming each, never one of them alone."""
        while head.dep_ == "conj" and head.head.i != head.i:
            head = head.head
        conjuncts = [head.doc[i] for i in sorted(conjunct_chain(head))]
        joined = any(c.dep_ == "cc" and c.lower_ == "and" for t in conjuncts for c in t.children)
        if len(conjuncts) < 2 or not joined:
            return None
        if any(t.pos_ != "PROPN" or t.ent_type_ not in ("PERSON", "ORG") for t in conjuncts):
            # "45% of Republicans and 12% of Democrats", "the mayor and his aides", "Steve Bell,
            # senior director …, and a Republican who …"
            return None
        names = []
        for conjunct in conjuncts:
            found = self._resolve_one(mention_span(conjunct))
            if found.name is None or found.kind not in SpeakerType.NAMED:
                return None
            names.append(found.name)
        text = " and ".join([", ".join(names[:-1]), names[-1]])
        return Resolution(text, SpeakerType.GROUP, _SURE_DESCRIBED)

    def _resolve_one(self, mention: Span) -> Resolution:
        head = mention.root
        lower = head.lower_
        if _is_acronym(head) and (lower in SPEAKER_PRONOUNS or head.pos_ == "PRON"):
            # An acronym that spells a pronoun ("WHO said", "IT said") names an organisation.
            return Resolution(self._org_for(mention), SpeakerType.ORGANISATION, _SURE_NAMED_ORGANISATION)
        if lower == "it":
            return _found_by(self._resolve_plural(mention, organisation=True), FoundBy.PRONOUN)
        if lower in PERSON_PRONOUNS:
            return _found_by(self._resolve_pronoun(mention, PERSON_PRONOUNS[lower]), FoundBy.PRONOUN)
        if lower in ("i", "me", "who"):
            return Resolution(None, None, _SURE_NO_ONE)
        if lower in GROUP_PRONOUNS:
            return _found_by(self._resolve_plural(mention), FoundBy.PRONOUN)
        # "The Secretary-General" is often tagged PERSON; title words alone name a role, not a person.
        # Only the head's own name counts: in "Clinton's campaign" and "the Trump campaign" the
        # campaign speaks, not Clinton or Trump.
        names_head = head.pos_ == "PROPN" or head.ent_type_ == "PERSON"
        person_words = [
            t.text
            for t in mention
            if names_head
            and t.ent_type_ == "PERSON"
            and not t.is_punct
            and t.lower_ not in ROLE_NOUNS | TITLE_WORDS
        ]
        if not person_words and (head.lemma_.lower() in ROLE_NOUNS or head.lower_ in ROLE_NOUNS):
            return _found_by(self._describe(mention), FoundBy.DESCRIPTION)
        if not person_words and head.pos_ == "PROPN":
            person_words = [t.text for t in mention if t.pos_ == "PROPN"]
        elif not person_words and head.is_title and head.lower_ in self.clusters:
            # A known surname the tagger took for a common noun ("“…?” Hannity pressed.").
            person_words = [head.text]
        honorifics = [t.text for t in mention if t.lower_ in _HONORIFICS]
        if honorifics and person_words:
            person_words = [honorifics[0], *person_words]  # "Mrs. Clinton" beside Bill Clinton
        cluster = None
        own = [t.text for t in own_name(head)]
        if len(own) < 2 or not self._someone_else(own):
            cluster = self.cluster_for_name(person_words) if len(person_words) > 1 else None
            cluster = cluster or (self.clusters.get(head.lower_) if names_head else None)
            cluster = cluster or self.cluster_for_name(person_words)
        if cluster is None and len(own) == 1 and head.pos_ == "PROPN" and head.is_title:
            cluster = self._misspelt(head.text)
        if cluster is not None:
            return Resolution(cluster.canonical, SpeakerType.PERSON, _SURE_NAMED_PERSON)
        if head.ent_type_ in ORG_LABELS or (head.pos_ == "PROPN" and not person_words):
            return Resolution(self._org_for(mention), SpeakerType.ORGANISATION, _SURE_NAMED_ORGANISATION)
        if person_words:
            return Resolution(
                " ".join(clean_name_tokens(mention)) or None, SpeakerType.PERSON, _SURE_UNKNOWN_PERSON
            )
        share = self._share_of(mention)
        if share is not None:
            return share
        is_pronoun = head.pos_ == "PRON" or lower in SPEAKER_PRONOUNS
        if is_pronoun and not (lower == "those" and is_speaker_like(head)):
            # "we", "it", "someone": no one the article names or describes.
            return Resolution(None, None, _SURE_NO_ONE, FoundBy.NONE)
        return _found_by(self._describe(mention), FoundBy.DESCRIPTION)

    def _share_of(self, mention: Span) -> Resolution | None:
        """ "One of the volunteers says", "some of the residents said": one or several of a
        group the text describes, said as written (a description, or a group)."""
        head = mention.root
        if head.lower_ not in QUANTITY_WORDS | {"one"}:
            return None
        of = next((c for c in head.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
        whole = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if whole is None or not is_speaker_like(whole) or whole.pos_ == "PRON":
            return None
        kind = (
            SpeakerType.DESCRIPTION
            if head.lower_ in ("one", "each", "either", "neither")
            else SpeakerType.GROUP
        )
        return Resolution(self.description(mention), kind, _SURE_DESCRIBED, FoundBy.DESCRIPTION)

    def person_heading(self, organisation: str) -> str | None:
        """The person whose title names the organisation ("NATO Secretary General Jens Stoltenberg")."""
        words = {w.lower() for w in organisation.split()}
        if not words:
            return None
        holders = [c for c in self._people() if words <= c.roles]
        if not holders:
            return None
        return max(holders, key=lambda c: len(c.mentions)).canonical

    def _org_for(self, mention: Span) -> str:
        """The organisation a mention names: the entity that holds its head ("Kestrel" in
        "Nordic group Kestrel", "Gazprom" in "Russia's Gazprom"), else its own words."""
        head = mention.root
        held = [e for e in self._ents if e.start <= head.i < e.end]
        name = " ".join(clean_name_tokens(mention))
        if held and held[0].label_ == "GPE" and name.lower() == self._org_name(held[0]).lower():
            # "Beijing has vowed", "Moscow said": a capital that acts is its country's government.
            country = capitals().get(name.lower())
            if country is not None:
                return country
        base = self._org_name(held[0]) if held else name
        # Prefer the fuller name the article uses ("Russian Foreign Ministry" over "Foreign Ministry").
        fuller = [o for o in self._orgs if base and o.endswith(base) and len(o) <= len(base) + 30]
        return max(fuller, key=len) if fuller else base

    def _resolve_pronoun(self, mention: Span, gender: str | None) -> Resolution:
        """The person a "he" or "she" refers to, with the entity layer's second opinion.

        The choice is the rule that wins on held-out news end to end (``_nearest_person``):
        the first subject of the nearest sentence naming a person the pronoun agrees with
        (the main clause's before an embedded one's; "Yet Trump is a “change agent,” Cole
        said. … he said" is Cole), which also follows the speakers noted so far. The entity
        layer's ranking (entities.py), fitted to coreference data and to news with the rule's
        choice as one of its features, wins on GUM and GAP; on news it takes over where it
        is sure enough to win on news it was not fitted on. Where the two differ, the
        attribution is flagged as doubtful (below 0.6) for an editor to check."""
        chosen = self._nearest_person(mention, gender)
        link = self.entity_layer().link(mention.root)
        learned = self.entity_name(link.entity) if link is not None else None
        if self._pronouns == Decider.LEARNED and learned is not None:
            # The evaluation's side by side: the ranking decides, the rule is its second opinion.
            sure = learned == chosen.name
            return Resolution(
                learned, SpeakerType.PERSON, chosen.confidence if sure else _SURE_DISPUTED_ANTECEDENT
            )
        if learned != chosen.name:
            # A ranking sure enough overrides the rule (how sure: chosen by ``make train`` on
            # news it was not fitted on; rankings being fitted or compared never do). The two
            # disagree, so the attribution is flagged either way.
            overrides_at = getattr(self.entity_layer().ranker, "overrides_rule_at", None)
            sure = link is not None and overrides_at is not None and link.confidence >= overrides_at
            if sure and learned is not None:
                return Resolution(learned, SpeakerType.PERSON, _SURE_DISPUTED_ANTECEDENT)
            if chosen.name is not None:
                return Resolution(chosen.name, chosen.kind, _SURE_DISPUTED_ANTECEDENT)
        return chosen

    def entity_layer(self) -> Entities:
        """The entity layer over the article's people, made when the first pronoun is
        resolved (speakers noted later add no one it needs: their mentions are names it has)."""
        if self._entity_layer is not None:
            return self._entity_layer
        names: list[tuple[int, str, str | None]] = []
        for cluster in self._people():
            key = f"person {id(cluster)}"
            self._entity_names[key] = cluster.canonical
            self._entity_keys.setdefault(cluster.canonical, key)
            for char, _sent_start, _rank, form_gender in cluster.mentions:
                head = self._name_head(char)
                if head is not None:
                    names.append((head, key, form_gender or cluster.agreed_gender))
        # The one-word subjects the tagger called organisations ("Mosman saw …") stay out: the
        # rule may take one for a person, the second opinion does not.
        self._entity_layer = Entities(
            self.doc,
            names,
            self._in_quote,
            self._paragraph_of,
            self._pronoun_ranker,
            person_noun=person_noun,
            in_news=True,
            rule_pick=self._rule_pick,
            lazy=True,
        )
        return self._entity_layer

    def _rule_pick(self, pronoun: Mention) -> str | None:
        """The entity layer's key of the person the hand rule takes for a pronoun."""
        mention = self.doc[pronoun.token : pronoun.token + 1]
        name = self._nearest_person(mention, pronoun.gender).name
        return self._entity_keys.get(name) if name is not None else None

    def entity_name(self, entity: str) -> str | None:
        """The name of one of the entity layer's people (None for a description's)."""
        return self._entity_names.get(entity)

    def _name_head(self, char: int) -> int | None:
        """The head token of the name that starts at ``char`` ("Stoltenberg" of "Jens Stoltenberg");
        None for a pronoun noted as a speaker (the entity layer links those itself)."""
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        if span is None or not len(span) or span[0].lower_ in PRONOUN_GENDERS:
            return None
        tok = span[0]
        while tok.dep_ in ("compound", "flat") and tok.head.i > tok.i:
            tok = tok.head
        return tok.i

    def _nearest_person(self, mention: Span, gender: str | None) -> Resolution:
        """The person a "he", "she" or a description (with no ``gender``, a person noun)
        refers to: the first compatible subject of the nearest sentence that has one, the main clause's
        before an embedded one's ("Yet Trump is a “change agent,” Cole said. … he said" is
        Cole); only without any such subject, the first other mention of the nearest sentence
        (objects, credits and captions rarely become the next "he said")."""
        at = mention.start_char
        here = self._sentence_index(at)
        best: tuple[int, int, int, int] | None = None
        name = None
        for cluster in self._people():
            for char, sent_start, rank, form_gender in cluster.mentions:
                if char >= at:
                    continue
                mention_gender = form_gender or cluster.agreed_gender
                if gender and mention_gender and mention_gender != gender:
                    continue
                key = (int(rank == _NOT_SUBJECT), here - self._sentence_index(sent_start), rank, char)
                if best is None or key < best:
                    best, name = key, cluster.canonical
        for text, char, sent_start in self._named_subjects:
            key = (0, here - self._sentence_index(sent_start), _SUBJECT, char)
            if char < at and (best is None or key < best):
                best, name = key, text
        if name is None or best is None:
            return Resolution(None, SpeakerType.PERSON, _SURE_NO_ONE)
        near = at - best[3] < _NEAR_ANTECEDENT_CHARS
        return Resolution(name, SpeakerType.PERSON, _SURE_NEAR_ANTECEDENT if near else _SURE_FAR_ANTECEDENT)

    def _sentence_index(self, char: int) -> int:
        return bisect.bisect_right(self._sentence_starts, char) - 1

    def sentence_start(self, char: int) -> int:
        """Where the sentence holding ``char`` starts (Token.sent walks the whole document)."""
        return self._sentence_starts[max(0, self._sentence_index(char))]

    # --- descriptions ----------------------------------------------------------------------
    def _describe(self, mention: Span) -> Resolution:
        """A speaker the article describes rather than names.

        A definite description ("the NATO chief", "the committee") refers back to someone the
        article named, when one fits; an indefinite one ("a spokeswoman for Fiorina", "two
        local councillors") introduces someone new and is never given a name. Otherwise the
        speaker is the description as written, never its bare head noun.
        """
        head = mention.root
        description = self.description(mention)
        if head.lemma_.lower() in DOCUMENT_NOUNS or head.lower_ in DOCUMENT_NOUNS:
            issuer = self._issuer_of(mention)
            if issuer is not None:
                return issuer
            named = self._document_named(mention)
            return Resolution(named or description, SpeakerType.DOCUMENT, _SURE_DOCUMENT)
        plural = _is_plural(head)
        if _is_definite(mention) and not plural:
            linked = self._link_description(mention)
            if linked is not None:
                return linked
        if plural:
            return Resolution(description, SpeakerType.GROUP, _SURE_DESCRIBED)
        if head.lemma_.lower() in ORGANISATION_NOUNS or head.lower_ in ORGANISATION_NOUNS:
            return Resolution(description, SpeakerType.ORGANISATION, _SURE_DESCRIBED)
        return Resolution(description, SpeakerType.DESCRIPTION, _SURE_DESCRIBED)

    def description(self, mention: Span) -> str:
        """The words that describe the speaker: the noun phrase with the phrases that belong to
        it ("a spokesperson for the ministry", "residents who were evacuated")."""
        doc, head = self.doc, mention.root
        end = mention.end
        for child in head.rights:
            if child.i < end:
                continue
            restrictive = child.dep_ in ("relcl", "acl") and not doc[child.left_edge.i - 1].is_punct
            if (
                not ((child.dep_ == "prep" and child.lower_ in DESCRIPTION_PREPS) or restrictive)
                or child.left_edge.i != end
            ):
                break
            stop = child.right_edge.i + 1
            if stop - mention.start > _DESCRIPTION_MAX_WORDS or any(
                self._in_quote(t.idx) for t in doc[end:stop]
            ):
                break
            end = stop
        words = doc[mention.start : end]
        while len(words) > 1 and (words[-1].is_punct or words[-1].is_space):
            words = words[:-1]
        text = words.text
        first = words[0]
        owner = self._owner_named(first) if len(words) > 1 else None
        if owner is not None:
            # "his campaign", "her office": whose, by name ("Bernie Sanders's campaign"), so
            # that two articles' "his campaign" never become one speaker.
            return f"{owner}'s {doc[first.i + 1 : words.end].text}"
        title_cased = all(t.text[:1].isupper() for t in words if t.is_alpha and len(t) > 3)
        if not title_cased and (
            first.pos_ != "PROPN"
            and first.ent_type_ in ("", "CARDINAL", "ORDINAL")
            and (first.lower_ in DEFINITE_WORDS | INDEFINITE_WORDS or first.is_sent_start)
        ):
            text = (
                text[:1].lower() + text[1:]
            )  # "Residents who were evacuated said": a capital of the sentence
        return text

    def _owner_named(self, token: Token) -> str | None:
        """The person a possessive "his" or "her" stands for, by name; None for any other word,
        or when the article gives no one it fits."""
        if token.tag_ != "PRP$" or token.lower_ not in PRONOUN_GENDERS:
            return None
        owner = self._resolve_pronoun(self.doc[token.i : token.i + 1], PRONOUN_GENDERS[token.lower_])
        return owner.name if owner.kind == SpeakerType.PERSON else None

    def _link_description(self, mention: Span) -> Resolution | None:
        """The named person or organisation a definite description refers to, if any.

        The hand rules decide (``rule_link``): in whole articles of held-out news they still
        read speakers' descriptions at least as well as the learned linker (descriptions.py),
        which wins on GUM and on news descriptions read alone. The linker is their second
        opinion: where the two differ, the attribution is flagged as doubtful for an editor.
        For the evaluation's side by side, ``Decider.LEARNED`` lets the linker decide
        (the rules' choice taken, flagged, where it names no one), and a linker being fitted
        decides alone."""
        rule = self.rule_link(mention)
        reading = self.description_reading(mention)
        if reading is None:
            return rule
        description, candidates = reading
        linker = (
            self._descriptions if isinstance(self._descriptions, DescriptionLinker) else description_linker()
        )
        chosen = linker.choose(description, candidates, rule.name if rule else None)
        learned = None
        if chosen is not None:
            candidate, probability = chosen
            kind = SpeakerType.PERSON if candidate.kind == PERSON else SpeakerType.ORGANISATION
            learned = Resolution(
                candidate.name, kind, min(_SURE_ROLE, max(_SURE_REFERRING_NOUN, probability))
            )
        if isinstance(self._descriptions, DescriptionLinker):
            return learned
        first, second = (learned, rule) if self._descriptions == Decider.LEARNED else (rule, learned)
        if first is not None and second is not None and first.name == second.name:
            return first
        doubtful = first if self._descriptions == Decider.RULES else first or second
        if doubtful is None:
            return None
        return replace(doubtful, confidence=min(doubtful.confidence, _SURE_DISPUTED_ANTECEDENT))

    def rule_link(self, mention: Span) -> Resolution | None:
        """The hand rules' reading of a definite description: a person whose title words it
        shares, the outlet or organisation named last, or the nearest fitting person."""
        return (
            self._role_holder(mention)
            or self._outlet_named(mention)
            or self._organisation_named(mention.root)
            or self._epithet_of(mention)
        )

    def description_reading(self, mention: Span) -> tuple[Description, list[Candidate]] | None:
        """A definite description of a person or an organisation as the linker reads it,
        with every entity the narrator named before it; None for other descriptions."""
        head = mention.root
        lemma = head.lemma_.lower()
        if lemma in OUTLET_NOUNS or head.lower_ in OUTLET_NOUNS:
            kind = OUTLET
        elif lemma in ORGANISATION_NOUNS or head.lower_ in ORGANISATION_NOUNS:
            kind = ORGANISATION
        elif lemma in ROLE_NOUNS or head.lower_ in ROLE_NOUNS or person_noun(head)[0]:
            kind = PERSON
        else:
            return None
        at = mention.start_char
        before_head = [t for t in mention if t.i < head.i and t.dep_ not in ("det", "poss", "case", "punct")]
        description = Description(
            head=lemma,
            kind=kind,
            words=frozenset(
                {t.lower_ for t in mention if t.pos_ in ("NOUN", "PROPN", "ADJ") and t.lower_ != "the"}
                | {lemma}
            ),
            gender=NOUN_GENDERS.get(head.lower_) or NOUN_GENDERS.get(lemma),
            sentence=self._sentence_index(at),
            modified=any(t.pos_ in ("ADJ", "NOUN", "PROPN", "NUM") for t in before_head),
            possessed=any(
                c.dep_ == "poss" or (c.dep_ == "compound" and c.pos_ == "PROPN") for c in head.children
            ),
        )
        candidates = []
        for cluster in self._people():
            earlier = [m for m in cluster.mentions if m[0] < at]
            if earlier:
                char, _sentence_start, rank, _gender = max(earlier, key=lambda m: m[0])
                candidates.append(
                    Candidate(
                        name=cluster.canonical,
                        kind=PERSON,
                        words=frozenset(cluster.words() | cluster.roles),
                        mentions=len(earlier),
                        last_sentence=self._sentence_index(char),
                        last_subject=rank != _NOT_SUBJECT,
                        gender=cluster.agreed_gender,
                        press=False,
                        chars=tuple(m[0] for m in earlier),
                    )
                )
        organisations: dict[str, list[Span]] = {}
        for ent in self._organisations_before(at, len(self._sentence_starts)):
            organisations.setdefault(self._org_for(ent), []).append(ent)
        for name, ents in organisations.items():
            last = ents[-1]
            words = {t.lower_ for e in ents for t in e if t.is_alpha and t.lower_ != "the"}
            candidates.append(
                Candidate(
                    name=name,
                    kind=ORGANISATION,
                    words=frozenset(words | {w.lower() for w in name.split()}),
                    mentions=len(ents),
                    last_sentence=self._sentence_index(last.start_char),
                    last_subject=last.root.dep_ in ("nsubj", "nsubjpass"),
                    gender=None,
                    press=bool(words & PRESS_WORDS),
                    chars=tuple(e.start_char for e in ents),
                )
            )
        return description, candidates

    def _role_holder(self, mention: Span) -> Resolution | None:
        """The named person whose title words the description shares ("the NATO chief")."""
        words = {
            t.lower_ for t in mention if t.pos_ in ("NOUN", "PROPN", "ADJ") and t.lower_ not in ("the", "-")
        }
        head = mention.root
        # A role noun matches on any title word ("the NATO chief" for "NATO Secretary General
        # Jens Stoltenberg"); another noun only on itself ("the Sanders aide", "Sanders aide Jeff Weaver").
        is_role = head.lemma_.lower() in ROLE_NOUNS or bool(words & ROLE_NOUNS)
        at = mention.start_char
        scored = []
        for cluster in self._people():
            if not is_role and (head.lower_ not in cluster.roles or head.lower_ in ORGANISATION_NOUNS):
                continue  # "Huckabee's campaign" is not "campaign spokesman Hogan Gidley"
            overlap = len(words & cluster.roles)
            if overlap:
                nearest = max((m[0] for m in cluster.mentions if m[0] < at), default=-1)
                scored.append((overlap, nearest, cluster))
        if not scored:
            return None
        scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
        return Resolution(scored[0][2].canonical, SpeakerType.PERSON, _SURE_ROLE)

    def _document_named(self, mention: Span) -> str | None:
        """ "The suit says": a bare definite document refers back to the one the text described
        before with the same head noun, or its synonym ("a lawsuit filed by a former staffer");
        that description, under "the", names it. With words of its own ("the suit filed
        Monday", "a new poll") a document is described where it stands."""
        head = mention.root
        if not _is_definite(mention) or _is_plural(head) or mention[0].lower_ not in ("the", "this"):
            return None
        if len(mention) != 2 or any(c.dep_ not in ("det", "punct") for c in head.children):
            return None
        word = head.lemma_.lower()
        kin = DOCUMENT_SYNONYMS.get(word, frozenset({word}))
        for tok in reversed(self.doc[: mention.start]):
            if (
                tok.pos_ != "NOUN"
                or tok.lemma_.lower() not in kin
                or self._in_quote(tok.idx)
                or _is_plural(tok)
            ):
                continue
            earlier = mention_span(tok)
            own = [c for c in tok.children if c.dep_ not in ("det", "punct")]
            if not own and tok.lemma_.lower() == word:
                continue  # another bare "the suit": look further back for its description
            text = self.description(earlier)
            if earlier[0].lower_ in DEFINITE_WORDS | INDEFINITE_WORDS:
                text = " ".join(["the", *text.split()[1:]])
            return text
        return None

    def _issuer_of(self, mention: Span) -> Resolution | None:
        """ "The statement also said": a bare definite document the text said someone issued
        a few sentences before ("The Harbour Authority said in a statement …", "the union
        released a report") speaks for its issuer, when the issuer is named."""
        head = mention.root
        if _is_plural(head) or len(mention) != 2 or mention[0].lower_ not in ("the", "this"):
            return None
        word = head.lemma_.lower()
        kin = DOCUMENT_SYNONYMS.get(word, frozenset({word}))
        here = self._sentence_index(head.idx)
        for tok in reversed(self.doc[: mention.start]):
            if here - self._sentence_index(tok.idx) > _ISSUER_SENTENCES:
                return None
            if tok.pos_ != "NOUN" or tok.lemma_.lower() not in kin or self._in_quote(tok.idx):
                continue
            verb = tok.head
            if tok.dep_ == "pobj" and verb.dep_ == "prep" and verb.lower_ in ("in", "via", "through"):
                verb = verb.head
                issued = verb.lemma_.lower() in SPEECH_VERBS
            else:
                issued = tok.dep_ == "dobj" and verb.lemma_.lower() in ISSUING_VERBS
            subjects = [c for c in verb.children if c.dep_ == "nsubj"] if issued else []
            if not subjects:
                return None  # the document the text last named, but no one issued it
            found = self._resolve_one(mention_span(subjects[0]))
            if found.name is None or found.kind not in SpeakerType.NAMED:
                return None
            return Resolution(found.name, found.kind, min(found.confidence, _SURE_ORGANISATION_NOUN))
        return None

    def _outlet_named(self, mention: Span) -> Resolution | None:
        """ "The newspaper said", "according to the news outlet": the news outlet the text
        named last, a few sentences before (an organisation whose name is an outlet's)."""
        head = mention.root
        lemma = head.lemma_.lower()
        if lemma not in OUTLET_NOUNS and head.lower_ not in OUTLET_NOUNS:
            return None
        if any(
            c.dep_ in ("poss", "prep", "nummod") or (c.dep_ == "compound" and c.pos_ == "PROPN")
            for c in head.children
        ):
            return None  # "Trump's favourite newspaper", "the Times newspaper", "the 2009 paper"
        outlets = [
            e
            for e in self._organisations_before(mention.start_char, _OUTLET_ANTECEDENT_SENTENCES)
            if {t.lower_ for t in e} & PRESS_WORDS
            and not (lemma in PRINT_NOUNS and {t.lower_ for t in e} & UNPRINTED_PRESS)
        ]
        if not outlets:
            return None
        return Resolution(self._org_for(outlets[-1]), SpeakerType.ORGANISATION, _SURE_ORGANISATION_NOUN)

    def _organisations_before(self, char: int, sentences: int) -> list[Span]:
        """The organisations the narrator named before ``char``, at most ``sentences`` back."""
        here = self._sentence_index(char)
        return [
            e
            for e in self._ents
            if e.label_ == "ORG"
            and e.end_char <= char
            and here - self._sentence_index(e.start_char) <= sentences
            and not self._in_quote(e.start_char)
        ]

    def _organisation_named(self, head: Token) -> Resolution | None:
        """The organisation a definite description stands for: one named earlier whose name
        holds the head ("the association"); else the one named last, a few sentences before,
        the subject first ("Unison called the strike. … the union said"; "Lumina Corp. shares
        jumped. The company said")."""
        word = head.lower_
        if head.lemma_.lower() not in ORGANISATION_NOUNS and word not in ORGANISATION_NOUNS:
            return None
        named = [o for o in self._orgs if word in o.lower().split()]
        if named:
            best = max(named, key=lambda o: (self._orgs[o], len(o)))
            return Resolution(best, SpeakerType.ORGANISATION, _SURE_ORGANISATION_NOUN)
        if any(c.dep_ == "poss" or (c.dep_ == "compound" and c.pos_ == "PROPN") for c in head.children):
            return None  # "Trump's campaign", "the Clinton campaign": someone else's
        before = [
            e
            for e in self._organisations_before(head.idx, _ORGANISATION_ANTECEDENT_SENTENCES)
            if not {t.lower_ for t in e} & PRESS_WORDS
        ]
        if not before:
            return None
        nearest = max(
            before, key=lambda e: (self._sentence_index(e.start_char), e.root.dep_ == "nsubj", e.start_char)
        )
        return Resolution(self._org_for(nearest), SpeakerType.ORGANISATION, _SURE_ORGANISATION_NOUN)

    def _epithet_of(self, mention: Span) -> Resolution | None:
        """ "The Vermont senator said", "the actress added": a definite description of a person
        that says nothing of anyone else refers to the person the text is about, found as a
        pronoun would be. With a possessor or a phrase of its own ("Lazar's counsel", "the
        spokesman for the mayor") it names someone else, so it stays a description."""
        head = mention.root
        lemma = head.lemma_.lower()
        if lemma in ORGANISATION_NOUNS or head.lower_ in ORGANISATION_NOUNS:
            return None
        if any(c.dep_ in ("poss", "prep", "relcl", "acl") for c in head.children):
            return None  # "the designer, who works for another brand": someone introduced here
        if any(t.ent_type_ == "PERSON" for t in mention):
            return None
        gender = NOUN_GENDERS.get(head.lower_) or NOUN_GENDERS.get(lemma)
        found = self._nearest_person(mention, gender)
        if found.name is None:
            return None
        return Resolution(found.name, SpeakerType.PERSON, _SURE_REFERRING_NOUN)

    def _resolve_plural(self, mention: Span, organisation: bool = False) -> Resolution:
        """ "They said": the subject of the nearest sentence before that names several people
        ("Eleven civil rights groups wrote …") or an organisation ("Greenpeace filed …"); with
        ``organisation``, for an "it said", only an organisation."""
        at = mention.start_char
        here = self._sentence_index(at)
        candidates = [
            t
            for t in self._plural_subjects
            if t.idx < at and (not organisation or (t.ent_type_ in ORG_LABELS and not _is_plural(t)))
        ]
        if not candidates:
            return Resolution(None, None, _SURE_NO_ONE)
        nearest = max(candidates, key=lambda t: (self._sentence_index(t.idx), -t.idx))
        if here - self._sentence_index(nearest.idx) > _PLURAL_ANTECEDENT_SENTENCES:
            return Resolution(None, None, _SURE_NO_ONE)
        if nearest.ent_type_ in ORG_LABELS and not _is_plural(nearest):
            return Resolution(
                self._org_for(mention_span(nearest)), SpeakerType.ORGANISATION, _SURE_GROUP_ANTECEDENT
            )
        return Resolution(self.description(mention_span(nearest)), SpeakerType.GROUP, _SURE_GROUP_ANTECEDENT)


# How a mention stands in its sentence, best antecedent first.
_MAIN_SUBJECT, _SUBJECT, _NOT_SUBJECT = 0, 1, 2


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
    return {MAIN_SUBJECT: _MAIN_SUBJECT, SUBJECT: _SUBJECT}.get(role_of(token), _NOT_SUBJECT)


def person_noun(token: Token) -> tuple[bool, str | None]:
    """Whether a common noun describes one person ("the mayor", "a spokeswoman", "the
    old man"), and the gender it tells, for the entity layer."""
    lemma = token.lemma_.lower()
    if token.pos_ != "NOUN" or _is_plural(token) or lemma in ORGANISATION_NOUNS | DOCUMENT_NOUNS:
        return False, None
    gender = NOUN_GENDERS.get(lemma) or NOUN_GENDERS.get(token.lower_)
    person = (
        gender is not None or lemma in ROLE_NOUNS or (lemma in PEOPLE_NOUNS and lemma not in COLLECTIVE_NOUNS)
    )
    return person, gender


def _is_dateline(span: Span) -> bool:
    """ "ROTTERDAM (Reuters) -": the place a wire story was filed from, never a speaker."""
    first = span[0]
    if not first.is_upper or len(first.text) < 3:
        return False
    at_line_start = first.i == 0 or "\n" in first.doc[first.i - 1].text_with_ws
    nxt = first.doc[span.end] if span.end < len(first.doc) else None
    return at_line_start and nxt is not None and nxt.text in ("(", "-", "—", "–", ",")


def _is_acronym(token: Token) -> bool:
    """ "WHO", "IT", "US" in running text: capitals that are not a headline's shouting."""
    if len(token.text) < 2 or not token.text.isupper() or not token.is_alpha:
        return False
    return not all(t.is_upper for t in token.sent if t.is_alpha and len(t.text) > 1)


def _is_plural(head: Token) -> bool:
    if head.tag_ in ("NNS", "NNPS") or "Plur" in head.morph.get("Number", []):
        return True
    # "Six in 10 say", "a majority said", "most argue": shares of a group.
    return head.pos_ == "NUM" or head.like_num or head.lower_ in QUANTITY_WORDS or head.lower_ == "those"


def _is_definite(mention: Span) -> bool:
    """ "the chief", "Russia's envoy", and a headline's bare "NATO chief": someone already known."""
    first = mention[0].lower_
    if first in INDEFINITE_WORDS:
        return False
    if first in DEFINITE_WORDS or any(c.dep_ == "poss" for c in mention.root.children):
        return True
    # A singular count noun without a determiner is a headline's or a title's "the".
    return not any(t.dep_ == "det" for t in mention)
