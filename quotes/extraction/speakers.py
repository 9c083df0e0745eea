"""Speakers: from the mention that attributes a quote to the name the article knows best.

A mention ("he", "the NATO chief", "Stoltenberg") is resolved to one of the article's
people (``people``: the name forms that stand for one person, and its fullest name,
"Jens Stoltenberg"), an organisation it names, or the description as written.
Pronouns go to the nearest compatible person, preferring sentence subjects; roles go
to the person whose title words they share; a document to its issuer.

The words that tell a speaker's kind are in ``speaker_nouns``; how a mention's
noun phrase and a name's own words are cut from the parse, in ``name_spans``;
the entity layer the pronouns and descriptions are checked against, in
``entities`` and ``descriptions``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from enum import Enum

from spacy.tokens import Doc, Span, Token

from ..words import GROUP_PRONOUNS, PERSON_PRONOUNS, SPEAKER_PRONOUNS, FoundBy, SpeakerType
from . import parsed
from .cues import SPEECH_VERBS, is_speech_verb
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
    PRONOUN_GENDERS,
    Entities,
    Mention,
    Ranker,
)
from .invisible import without_invisible
from .name_spans import (
    ORG_LABELS,
    capitals,
    clean_name_tokens,
    conjunct_chain,
    initials,
    is_acronym_name,
    is_possessive,
    is_speaker_like,
    mention_span,
    own_name,
    without_descriptor,
)
from .people import NOT_SUBJECT_RANK, People
from .speaker_nouns import (
    COLLECTIVE_NOUNS,
    DEFINITE_WORDS,
    DESCRIPTION_PREPS,
    DOCUMENT_NOUNS,
    DOCUMENT_SYNONYMS,
    FINDINGS_NOUNS,
    GENERIC_PERSON_NOUNS,
    INDEFINITE_WORDS,
    ISSUING_VERBS,
    NOUN_GENDERS,
    ORGANISATION_NOUNS,
    OUTLET_NOUNS,
    PEOPLE_NOUNS,
    PRESS_WORDS,
    PRINT_NOUNS,
    QUANTITY_WORDS,
    RESEARCH_NOUNS,
    ROLE_NOUNS,
    TITLE_WORDS,
    UNPRINTED_PRESS,
)

# Words for some of a group that speak alone as a group ("Some say", "many argue").
_SPEAKING_SHARES = frozenset({"some", "many", "most", "several", "few"})
# How many sentences back a "they" looks for the group it stands for.
_PLURAL_ANTECEDENT_SENTENCES = 2
# Plurals that say no more of the people they refer to than how many they are, or a bond
# between them ("the two", "the brothers"): those named together just before.
_NAMED_GROUP_NOUNS = frozenset(
    {"two", "three", "four", "both", "pair", "couple", "duo", "brother", "sister", "man", "woman", "group"}
)
# A pronoun this close to its antecedent (chars) is resolved with more confidence.
_NEAR_ANTECEDENT_CHARS = 1500

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
_SURE_NAMED_NEXT = 0.5  # a lede's description named in the paragraph after it
# "The coach" is not the nearest person when the article gave that person no title or role
# at all ("Ines Alvarez opened the pier. … according to the coach"); `make eval` turns it off
# to show the rules without it.
_UNTITLED_NOT_A_ROLE = True
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
# How many sentences back "the official" looks for "an official" the text did not name.
_INTRODUCED_SENTENCES = 5
# Delayed identification: a description in the headline or the first paragraphs (by index) …
_LEDE_PARAGRAPHS = 1
# … is the person first named as a subject in the paragraphs just after it (this many).
_NAMED_NEXT_PARAGRAPHS = 2
# Heads of descriptions of someone who speaks for another: never a lede's delayed name.
_SPEAKS_FOR_ANOTHER = frozenset(
    {
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "aide",
        "adviser",
        "advisor",
        "lawyer",
        "attorney",
        "representative",
        "source",
        "official",
        "assistant",
    }
)
# How many sentences back "the company" or "the union" looks for the organisation it stands for.
_ORGANISATION_ANTECEDENT_SENTENCES = 3


@dataclass(frozen=True)
class Resolution:
    name: str | None
    kind: str | None  # a SpeakerType, or None
    confidence: float
    found_by: str = FoundBy.NAME  # a FoundBy; a pronoun or a description says so


def _is_domain(token: Token) -> bool:
    """A website's name as its address gives it: "GunBroker.com", "Politico.eu"."""
    return bool(_DOMAIN.fullmatch(token.text)) and token.text[:1].isupper()


_DOMAIN = re.compile(r"[A-Za-z][A-Za-z0-9-]*\.(?:com|org|net|co\.uk|eu|io|gov)")


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
        self._ents = list(doc.ents)
        self.people = People(doc, self._ents, self._in_quote)
        # The organisations named: those the tagger found, and the one-word names the article
        # treats as organisations whatever the tagger called them ("Twitter", "Facebook"), even
        # taken for a common noun at the head of a headline ("Twitter takes bigger steps"); and
        # a website named by its domain ("GunBroker.com").
        named_alone = [
            doc[t.i : t.i + 1]
            for t in parsed.tokens(doc)
            if t.ent_type_ != "ORG"
            and (
                (
                    t.lower_ in self.people.organisation_words
                    and (t.pos_ == "PROPN" or (t.is_sent_start and t.is_title))
                )
                or _is_domain(t)
            )
        ]
        self._org_ents = sorted(
            [e for e in self._ents if e.label_ == "ORG"] + named_alone, key=lambda e: e.start
        )
        self._orgs: Counter[str] = Counter(
            self._org_name(ent) for ent in [*self.people.organisations, *named_alone]
        )
        # Subjects a later "they" or "it" can refer to: people in the plural ("analysts", "the
        # groups", "Democrats", "Johnson and Weld"; never "their arguments" or "Russia's
        # successes"), an organisation, or a document ("The memorandum … It says").
        self._antecedent_subjects = [
            tok
            for tok in parsed.tokens(doc)
            if tok.dep_ in ("nsubj", "nsubjpass")
            and not self._in_quote(tok.idx)
            and tok.pos_ in ("NOUN", "PROPN")
            and (
                (_is_plural(tok) and tok.pos_ == "NOUN" and self._can_speak(tok))
                or (_is_plural(tok) and tok.ent_type_ == "NORP")
                or self._names_organisation(tok)
                or _is_organisation_noun(tok)
                or _is_document(tok)
                or _names_several(tok)
            )
        ]

    @staticmethod
    def _can_speak(noun: Token) -> bool:
        """A plural noun for people: one the lexicon knows ("analysts", "the groups") or the
        subject of a speech verb ("old Iowa political hands say"), never a document's."""
        if noun.lemma_.lower() in DOCUMENT_NOUNS:
            return False
        return is_speaker_like(noun) or is_speech_verb(noun.head)

    def _names_organisation(self, tok: Token) -> bool:
        """Whether a word names an organisation: tagged one and no one's surname, or a one-word
        name the article treats as one."""
        if tok.lower_ in self.people.organisation_words:
            return True
        return tok.ent_type_ == "ORG" and tok.lower_ not in self.people.by_name

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
        if not _joined_by_and(conjuncts):
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
        if _is_domain(head):  # "GunBroker.com said", whatever the tagger made of it
            return Resolution(head.text, SpeakerType.ORGANISATION, _SURE_NAMED_ORGANISATION)
        if lower == "it":
            return _found_by(self._resolve_plural(mention, organisation=True), FoundBy.PRONOUN)
        if head.pos_ == "PROPN" and (
            lower in self.people.organisation_words
            # "The Trayvon Martin Foundation said": an organisation named after a person is the speaker.
            or (lower in ORGANISATION_NOUNS and head.ent_type_ != "PERSON")
        ):
            return Resolution(self._org_for(mention), SpeakerType.ORGANISATION, _SURE_NAMED_ORGANISATION)
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
        elif not person_words and head.is_title and head.lower_ in self.people.by_name:
            # A known surname the tagger took for a common noun ("“…?” Hannity pressed.").
            person_words = [head.text]
        honorifics = [t.text for t in mention if t.lower_ in HONORIFIC_GENDERS]
        if honorifics and person_words:
            person_words = [honorifics[0], *person_words]  # "Mrs. Clinton" beside Bill Clinton
        person = None
        own = [t.text for t in own_name(head)]
        if len(own) < 2 or not self.people.someone_else(own):
            person = self.people.named(person_words) if len(person_words) > 1 else None
            person = person or (self.people.by_name.get(head.lower_) if names_head else None)
            person = person or self.people.named(person_words)
        if person is None and len(own) == 1 and head.pos_ == "PROPN" and head.is_title:
            person = self.people.misspelt(head.text)
        if person is not None:
            return Resolution(person.canonical, SpeakerType.PERSON, _SURE_NAMED_PERSON)
        if head.ent_type_ == "NORP":
            country = self._country_of(mention)  # "the Russians said"
            if country is not None:
                return country
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
        """ "One of the volunteers says", "some of the residents said", "one in five said",
        "some in the crowd say": one or several of a group the text describes, said as written
        (a description, or a group); a bare "some" or "many" that speaks is a group too."""
        head = mention.root
        if head.lower_ not in QUANTITY_WORDS | {"one"}:
            return None
        of = next((c for c in head.rights if c.dep_ == "prep" and c.lower_ in ("of", "in", "among")), None)
        whole = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if of is None and head.lower_ in _SPEAKING_SHARES and head.dep_ in ("nsubj", "nsubjpass"):
            said_as = head.lower_ if len(mention) == 1 else self.description(mention)  # "Some said"
            return Resolution(said_as, SpeakerType.GROUP, _SURE_DESCRIBED, FoundBy.DESCRIPTION)
        if whole is None or not is_speaker_like(whole) or whole.pos_ == "PRON":
            return None
        alone = head.lower_ in ("one", "each", "either", "neither") and of is not None and of.lower_ != "in"
        kind = SpeakerType.DESCRIPTION if alone else SpeakerType.GROUP
        return Resolution(self.description(mention), kind, _SURE_DESCRIBED, FoundBy.DESCRIPTION)

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
        if is_acronym_name(base):
            # "The AP reported" where the article named the Associated Press: the name it stands for.
            fuller = [o for o in self._orgs if initials(o) == base] or fuller
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
            overrides_at = self.entity_layer().ranker.overrides_rule_at
            sure = (
                link is not None
                and overrides_at is not None
                and link.confidence >= overrides_at
                and self.ranking_knows(chosen.name)
            )
            if sure and learned is not None:
                return Resolution(learned, SpeakerType.PERSON, _SURE_DISPUTED_ANTECEDENT)
            if chosen.name is not None:
                return Resolution(chosen.name, chosen.kind, _SURE_DISPUTED_ANTECEDENT)
        return chosen

    def ranking_knows(self, name: str | None) -> bool:
        """Whether the rule's person (None: the rule found no one) is one of the entity
        layer's people. A one-word subject the tagger called an organisation ("Mosman saw …")
        is the rule's alone: the ranking, however sure, never overrides a choice it cannot see."""
        return name is None or name in self._entity_keys

    def entity_layer(self) -> Entities:
        """The entity layer over the article's people, made when the first pronoun is
        resolved (speakers noted later add no one it needs: their mentions are names it has)."""
        if self._entity_layer is not None:
            return self._entity_layer
        names: list[tuple[int, str, str | None]] = []
        for person in self.people.all():
            key = f"person {id(person)}"
            self._entity_names[key] = person.canonical
            self._entity_keys.setdefault(person.canonical, key)
            for char, _sent_start, _rank, form_gender in person.mentions:
                head = self._name_head(char)
                if head is not None:
                    names.append((head, key, form_gender or person.agreed_gender))
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
        """The person a "he", "she" or a description refers to (``People.nearest``), with how
        sure the distance makes it."""
        found = self.people.nearest(mention.start_char, gender)
        if found is None:
            return Resolution(None, SpeakerType.PERSON, _SURE_NO_ONE)
        name, char = found
        near = mention.start_char - char < _NEAR_ANTECEDENT_CHARS
        return Resolution(name, SpeakerType.PERSON, _SURE_NEAR_ANTECEDENT if near else _SURE_FAR_ANTECEDENT)

    def _sentence_index(self, char: int) -> int:
        return parsed.sentence_index(self.doc, char)

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
        # "The crowd", "council staff": many people, never one named person.
        plural = (
            _is_plural(head) or head.lemma_.lower() in COLLECTIVE_NOUNS or head.lower_ in COLLECTIVE_NOUNS
        )
        definite = _is_definite(mention)
        if not plural and not definite:
            named_next = self._named_next(mention)  # "A woman who … says", the lede's first line
            if named_next is not None:
                return named_next
        if definite and not plural:
            introduced = self._introduced_unnamed(mention) or self._organisation_described(mention)
            if introduced is not None:
                return introduced
            linked = self._link_description(mention)
            if linked is not None:
                return linked
        if plural:
            return self._group_named(mention) or Resolution(description, SpeakerType.GROUP, _SURE_DESCRIBED)
        if head.lemma_.lower() in ORGANISATION_NOUNS or head.lower_ in ORGANISATION_NOUNS:
            return Resolution(description, SpeakerType.ORGANISATION, _SURE_DESCRIBED)
        named_next = self._named_next(mention) if definite else None  # "The last man to run says"
        if named_next is not None:
            return named_next
        return Resolution(description, SpeakerType.DESCRIPTION, _SURE_DESCRIBED)

    def _group_named(self, mention: Span) -> Resolution | None:
        """ "Ines Alvarez and Paul Lind toured the pier … the two said": a bare definite plural
        ("the brothers", "the two", "the groups") refers back to the names the
        text joined by "and" a few sentences before, when it did."""
        head = mention.root
        if mention[0].lower_ not in ("the", "these", "both") or head.lemma_.lower() not in _NAMED_GROUP_NOUNS:
            return None  # "the pilots": a group of its own, not whoever was named before
        if any(c.dep_ not in ("det", "nummod", "predet") for c in head.children if c.i < head.i):
            return None  # "the Republican senators": described anew, not those just named
        here = self._sentence_index(mention.start_char)
        for tok in reversed(self.doc[: mention.start]):
            if here - self._sentence_index(tok.idx) > _PLURAL_ANTECEDENT_SENTENCES:
                break
            if tok.dep_ == "conj" or self._in_quote(tok.idx):
                continue
            found = self._joint(tok)  # names joined by "and", or None
            if found is not None:
                return Resolution(found.name, found.kind, _SURE_GROUP_ANTECEDENT)
        return None

    def _country_of(self, mention: Span) -> Resolution | None:
        """ "Moscow rejected the plan … the Russians said": a bare "the" and a people's name
        in the plural speak for the country the article named, the one whose name that
        people's name begins with, but for its last letter ("Russia", "Germany", "China" for
        "the Chinese"; not Austria for "the Australians")."""
        head = mention.root
        if len(mention) != 2 or mention[0].lower_ != "the" or head.ent_type_ != "NORP" or not head.is_title:
            return None
        people = head.lower_
        for ent in reversed(self._ents):
            if ent.label_ != "GPE" or ent.end_char > mention.start_char or self._in_quote(ent.start_char):
                continue
            country = ent.text.removeprefix("the ").strip()
            stem = country.lower()
            if " " not in stem and len(stem) >= 4 and people.startswith(stem[:-1]):
                return Resolution(country, SpeakerType.ORGANISATION, _SURE_ORGANISATION_NOUN)
        return None

    def _named_next(self, mention: Span) -> Resolution | None:
        """Delayed identification, as a news lede does it: the headline or the first paragraph
        describes someone ("A woman who has accused the senator says …", "Former port director
        says …") and the next paragraphs name them as a subject ("Juanita Broaddrick, who …,
        recounted"). The description is that person when:

        - exactly one person is first named there as a subject (others named there otherwise,
          "on Aaron Klein's radio show", do not count), and not beside another ("Marta Kowalski
          and Ines Alvarez wrote");
        - the gender agrees;
        - no word of the description but its head is that person's title ("A spokeswoman for
          the mayor said … ¶ Mayor Ines Alvarez said" are two people)."""
        head = mention.root
        is_person, gender = person_noun(head)
        paragraph = self._paragraph_of(mention.start_char)
        if not is_person or paragraph > _LEDE_PARAGRAPHS or head.lemma_.lower() in _SPEAKS_FOR_ANOTHER:
            return None
        words = {t.lower_ for t in head.subtree if t.pos_ == "NOUN"}
        words.discard(head.lower_)
        named = []
        for person in self.people.all():
            first = min(person.mentions, default=None)
            if first is None or first[0] < mention.end_char or first[2] == NOT_SUBJECT_RANK:
                continue
            if 0 < self._paragraph_of(first[0]) - paragraph <= _NAMED_NEXT_PARAGRAPHS:
                named.append((person, first[0]))
        if len(named) != 1:
            return None
        person, char = named[0]
        name_head = self._name_head(char)
        if name_head is None or any(t.dep_ == "conj" for t in self.doc[name_head].children):
            return None  # "Marta Kowalski and Ines Alvarez wrote": two people, which one is not said
        if gender and person.agreed_gender and gender != person.agreed_gender:
            return None
        if words & person.roles:
            return None
        return Resolution(person.canonical, SpeakerType.PERSON, _SURE_NAMED_NEXT, FoundBy.DESCRIPTION)

    def description(self, mention: Span) -> str:
        """The words that describe the speaker: the noun phrase with the phrases that belong to
        it ("a spokesperson for the ministry", "residents who were evacuated")."""
        doc, head = self.doc, mention.root
        end = mention.end
        for child in head.rights:
            if child.i < end:
                continue
            restrictive = child.dep_ in ("relcl", "acl") and not doc[child.left_edge.i - 1].is_punct
            belongs = (
                (child.dep_ == "prep" and child.lower_ in DESCRIPTION_PREPS)
                or child.dep_ == "amod"  # "a source close to the campaign", "a person familiar with it"
                or restrictive
            )
            if not belongs or child.left_edge.i != end:
                break
            stop = child.right_edge.i + 1
            if stop - mention.start > _DESCRIPTION_MAX_WORDS or any(
                self._in_quote(t.idx) for t in doc[end:stop]
            ):
                break
            end = stop
        words = doc[mention.start : end]
        # Punctuation closes no description, but a share keeps its sign ("49%").
        while len(words) > 1 and ((words[-1].is_punct and words[-1].text != "%") or words[-1].is_space):
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

    def _introduced_unnamed(self, mention: Span) -> Resolution | None:
        """ "A senior law enforcement official said … The official said": a definite description
        whose head noun, a few sentences before, introduced someone the text did not name is
        that someone, as the text first described them, never the person named last. A bare
        "the man" or "that person" is whoever such a noun introduced last ("a source close to
        him said … That person said"), when the gender agrees."""
        head = mention.root
        lemma = head.lemma_.lower()
        if mention[0].lower_ not in ("the", "this", "that") or any(c.dep_ == "poss" for c in head.children):
            return None
        generic = lemma in GENERIC_PERSON_NOUNS and len(mention) == 2

        def fits(tok: Token) -> bool:
            if not generic:
                return tok.lemma_.lower() == lemma
            person, gender = person_noun(tok)  # someone introduced: "One man", "another source"
            introduced = mention_span(tok)[0].lower_ in INDEFINITE_WORDS
            return person and introduced and gender in (None, NOUN_GENDERS.get(lemma))

        for tok in self._earlier_nouns(mention, fits, _INTRODUCED_SENTENCES):
            earlier = mention_span(tok)
            if len(earlier) == 2 and earlier[0].lower_ in ("the", "this", "that") and not _named_beside(tok):
                continue  # another bare "the official" for the same someone: look further back
            if earlier[0].lower_ not in INDEFINITE_WORDS or _is_plural(tok) or _named_beside(tok):
                return None  # the nearest one before is known, named or several: the other rules read it
            return Resolution(self.description(earlier), SpeakerType.DESCRIPTION, _SURE_DESCRIBED)
        return None

    def _organisation_described(self, mention: Span) -> Resolution | None:
        """ "The Sanders campaign said … the campaign said", "China's foreign ministry weighed
        in … the ministry said": a bare definite organisation noun refers back to the nearest
        earlier phrase of the same noun, and when that phrase says whose it is (a possessor, a
        name before the noun) it names the organisation, as that phrase does. A nearer phrase
        that describes it otherwise ("a new campaign") leaves it to the other rules."""
        head = mention.root
        lemma = head.lemma_.lower()
        if lemma not in ORGANISATION_NOUNS and head.lower_ not in ORGANISATION_NOUNS:
            return None
        if len(mention) != 2 or mention[0].lower_ not in ("the", "this") or _is_plural(head):
            return None

        def same_noun(tok: Token) -> bool:
            return tok.lemma_.lower() == lemma and tok.dep_ != "compound" and not _is_plural(tok)

        for tok in self._earlier_nouns(mention, same_noun, None):
            if _owners(tok):
                # Named as that phrase is when it speaks, so that the two are one speaker.
                earlier = self.description(mention_span(tok))
                return Resolution(earlier, SpeakerType.ORGANISATION, _SURE_ORGANISATION_NOUN)
            if any(c.dep_ not in ("det", "punct") for c in tok.children):
                return None
        return None

    def _earlier_nouns(
        self, mention: Span, fits: Callable[[Token], bool], sentences: int | None
    ) -> Iterator[Token]:
        """The common nouns that ``fits`` takes which the narrator wrote before ``mention``,
        nearest first, at most ``sentences`` back (None: from the start of the text)."""
        here = self._sentence_index(mention.start_char)
        for tok in reversed(self.doc[: mention.start]):
            if sentences is not None and here - self._sentence_index(tok.idx) > sentences:
                return
            # A word in lower case is a common noun, whatever the tagger says ("China's foreign ministry").
            common = tok.pos_ == "NOUN" or (tok.pos_ == "PROPN" and tok.is_lower)
            if common and fits(tok) and not self._in_quote(tok.idx):
                yield tok

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
        A bare role noun is not given to the nearest person when the article named that
        person once and gave no title or role ("the coach" is not the person named last,
        whom the article never called a coach).
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
        if (
            _UNTITLED_NOT_A_ROLE
            and self._descriptions == Decider.RULES
            and rule is not None
            and rule.kind == SpeakerType.PERSON
            and description.head in ROLE_NOUNS
            and self._role_holder(mention) is None
            and not description.modified
            and any(
                c.name == rule.name and c.kind == PERSON and not c.roles and c.mentions == 1
                for c in candidates
            )
        ):
            # The rules' weakest reading, the nearest person, does not make a bare role noun
            # ("the coach") of someone the article named once and gave no title or role
            # ("Ines Alvarez opened the pier"): someone new. A person named again and again
            # is the one the article is about ("the candidate added": Trump).
            return None
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
        # Whose it is ("Trump's campaign", "the senior Cruz adviser"): never the one it describes.
        owners = _owners(head)
        owner = {t.lower_ for c in owners for t in c.subtree if t.is_alpha}
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
            possessed=bool(owners),
        )
        candidates = []
        for person in self.people.all():
            earlier = [m for m in person.mentions if m[0] < at]
            if earlier and person.surname.lower() not in owner:
                char, _sentence_start, rank, _gender = max(earlier, key=lambda m: m[0])
                candidates.append(
                    Candidate(
                        name=person.canonical,
                        kind=PERSON,
                        words=frozenset(person.words() | person.roles),
                        mentions=len(earlier),
                        last_sentence=self._sentence_index(char),
                        last_subject=rank != NOT_SUBJECT_RANK,
                        gender=person.agreed_gender,
                        press=False,
                        chars=tuple(m[0] for m in earlier),
                        roles=frozenset(person.roles),
                    )
                )
        organisations: dict[str, list[Span]] = {}
        for ent in self._organisations_before(at, len(parsed.sentences(self.doc))):
            organisations.setdefault(self._org_for(ent), []).append(ent)
        for name, ents in organisations.items():
            last = ents[-1]
            words = {t.lower_ for e in ents for t in e if t.is_alpha and t.lower_ != "the"}
            if owner and {w.lower() for w in name.split()} <= owner:
                continue  # "NATO's spokesman" is not NATO
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
        """The named person whose title words the description shares ("the NATO chief"). A
        possessor's words are not the description's: "the governor's chief of staff" is
        someone the governor employs, not the governor."""
        head = mention.root
        owned = {t.i for c in head.children if c.dep_ == "poss" for t in c.subtree}
        words = {
            t.lower_
            for t in mention
            if t.pos_ in ("NOUN", "PROPN", "ADJ") and t.lower_ not in ("the", "-") and t.i not in owned
        }
        # A role noun matches on any title word ("the NATO chief" for "NATO Secretary General
        # Jens Stoltenberg"); another noun only on itself ("the Sanders aide", "Sanders aide Jeff Weaver").
        is_role = head.lemma_.lower() in ROLE_NOUNS or bool(words & ROLE_NOUNS)
        at = mention.start_char
        scored = []
        for person in self.people.all():
            if not is_role and (head.lower_ not in person.roles or head.lower_ in ORGANISATION_NOUNS):
                continue  # "Huckabee's campaign" is not "campaign spokesman Hogan Gidley"
            overlap = len(words & person.roles)
            if overlap:
                nearest = max((m[0] for m in person.mentions if m[0] < at), default=-1)
                scored.append((overlap, nearest, person))
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
        word = head.lemma_.lower()
        findings = word in FINDINGS_NOUNS or head.lower_ in FINDINGS_NOUNS
        if (
            not _is_definite(mention)
            or (_is_plural(head) and not findings)
            or mention[0].lower_ not in ("the", "this")
        ):
            return None
        if len(mention) != 2 or any(
            c.dep_ not in ("det", "punct") and not _set_off(c) for c in head.children
        ):
            return None
        # "The findings underscore …": what the poll or the study the text named before found.
        kin = RESEARCH_NOUNS if findings else DOCUMENT_SYNONYMS.get(word, frozenset({word}))
        for tok in self._earlier_nouns(mention, lambda t: t.lemma_.lower() in kin, None):
            if _is_plural(tok):
                continue
            earlier = mention_span(tok)
            own = [c for c in tok.children if c.dep_ not in ("det", "punct")]
            if not own and (tok.lemma_.lower() == word or earlier[0].lower_ in ("the", "this")):
                continue  # another bare "the suit", "the survey": look further back for its description
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
        tok = next(self._earlier_nouns(mention, lambda t: t.lemma_.lower() in kin, _ISSUER_SENTENCES), None)
        if tok is None:
            return None
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
            for e in self._org_ents
            if e.end_char <= char
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
        if _owners(head):
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
        ``organisation``, for an "it said", only an organisation or a document ("a 2001
        memorandum … It says")."""
        at = mention.start_char
        here = self._sentence_index(at)
        said = _said_by(mention.root)
        candidates = [
            t
            for t in self._antecedent_subjects
            if t.idx < at
            and (
                (
                    (self._names_organisation(t) or _is_organisation_noun(t) or _is_document(t))
                    and not _is_plural(t)
                )
                if organisation
                else not _is_document(t)
            )
            and t.i not in said
        ]
        nearest = max(candidates, key=lambda t: (self._sentence_index(t.idx), -t.idx), default=None)
        if nearest is None or here - self._sentence_index(nearest.idx) > _PLURAL_ANTECEDENT_SENTENCES:
            if organisation:
                # "Shares of Lumina Corp. fell. It said …": an organisation named, if not as a subject.
                named = self._organisations_before(at, _PLURAL_ANTECEDENT_SENTENCES)
                if named:
                    return Resolution(
                        self._org_for(named[-1]), SpeakerType.ORGANISATION, _SURE_GROUP_ANTECEDENT
                    )
            return Resolution(None, None, _SURE_NO_ONE)
        if _is_organisation_noun(nearest):
            found = self._resolve_one(mention_span(nearest))
            return Resolution(found.name, found.kind, min(found.confidence, _SURE_GROUP_ANTECEDENT))
        if _is_document(nearest):
            found = self._describe(mention_span(nearest))
            return Resolution(found.name, found.kind, min(found.confidence, _SURE_GROUP_ANTECEDENT))
        if self._names_organisation(nearest) and not _is_plural(nearest):
            return Resolution(
                self._org_for(mention_span(nearest)), SpeakerType.ORGANISATION, _SURE_GROUP_ANTECEDENT
            )
        if _names_several(nearest):
            joint = self._joint(nearest)
            if joint is None:
                return Resolution(None, None, _SURE_NO_ONE)
            return Resolution(joint.name, joint.kind, _SURE_GROUP_ANTECEDENT)
        return Resolution(self.description(mention_span(nearest)), SpeakerType.GROUP, _SURE_GROUP_ANTECEDENT)


def _said_by(pronoun: Token) -> set[int]:
    """The tokens of what a speaker pronoun's verb reports, in its own sentence: "The crowds
    were new, they said", "they said the crowds were new". A subject there is not who said it."""
    cue = pronoun.head
    inside = {t.i for c in cue.children if c.dep_ in ("ccomp", "parataxis") for t in c.subtree}
    if cue.dep_ in ("ccomp", "parataxis"):  # a cue set inside what it reports
        inside |= {t.i for t in cue.head.subtree} - {t.i for t in cue.subtree}
    return inside


def _owners(noun: Token) -> list[Token]:
    """Whose a noun is, as its phrase says: a possessor or a name before it ("Trump's
    campaign", "the Clinton campaign", "China's foreign ministry")."""
    return [c for c in noun.children if c.dep_ == "poss" or (c.dep_ == "compound" and c.pos_ == "PROPN")]


def _is_organisation_noun(noun: Token) -> bool:
    """One organisation, as a common noun: "the city council", "the company"."""
    lemma = noun.lemma_.lower()
    return (
        noun.pos_ == "NOUN"
        and (lemma in ORGANISATION_NOUNS or noun.lower_ in ORGANISATION_NOUNS)
        and not _is_plural(noun)
    )


def _is_document(noun: Token) -> bool:
    """One document, as a common noun: "the memorandum", "a congressional report"."""
    return noun.pos_ == "NOUN" and noun.lemma_.lower() in DOCUMENT_NOUNS and not _is_plural(noun)


def _names_several(head: Token) -> bool:
    """ "Johnson and Weld stumped …": names joined by "and", which a later "they" can refer to."""
    if head.pos_ != "PROPN" or head.ent_type_ != "PERSON":
        return False
    return _joined_by_and([head.doc[i] for i in conjunct_chain(head)])


def _joined_by_and(conjuncts: list[Token]) -> bool:
    """Whether conjuncts are two or more joined by "and" ("Carson, Fiorina and Huckabee")."""
    return len(conjuncts) > 1 and any(
        c.dep_ == "cc" and c.lower_ == "and" for t in conjuncts for c in t.children
    )


def _set_off(phrase: Token) -> bool:
    """A phrase between commas after its noun ("The survey, conducted for an advocacy group,"):
    it says more of a document already known, it does not tell which one."""
    before = phrase.left_edge.i - 1
    return phrase.dep_ in ("acl", "relcl", "appos") and before >= 0 and phrase.doc[before].text == ","


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


def _named_beside(noun: Token) -> bool:
    """ "a spokesman, Brian Fallon,", "Carrier executive Robert McDonough", "Fallon, a
    spokesman": a noun set beside a person's name. A name that only qualifies another word
    of the phrase ("a senior Obama administration official") names someone else."""
    if noun.dep_ == "appos" and noun.head.ent_type_ == "PERSON":
        return True
    return any(
        c.ent_type_ == "PERSON"
        and (
            c.dep_ in ("appos", "flat")
            or (c.dep_ == "compound" and (c.head == noun or c.head.ent_type_ == "PERSON"))
        )
        for c in noun.subtree
    )


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
