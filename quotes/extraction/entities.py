"""The article's people as entities: who each "he" and "she" is, ranked by a model fitted to
coreference data.

The speaker layer (speakers.py) finds the article's named people and groups their name
forms into one person each ("Jens Stoltenberg", "Stoltenberg", "Mr. Stoltenberg"). This
layer takes those names and every third-person pronoun of the text, in reading order, and
links each pronoun to one earlier mention, a name or a pronoun already linked, so a chain
"Stoltenberg said … He added … his …" ends at one person; or, when the pronoun's phrase is
set before its clause's subject, to that subject ("In his review, Ruhlmann wrote": cataphora):

    names (speakers.py) ──┐
                          ├──► Entities: for each pronoun, in order
    pronouns (the parse) ─┘      1. candidates: the mentions of the last few sentences,
                                    and the subject after a preposed phrase
                                 2. agreement: a candidate of the other gender, or one
                                    the pronoun itself holds, is never taken
                                 3. ranking: the fitted model scores the rest
                                    (distance, subjects, parallel roles, quotes, salience,
                                    who the whole text names most, names inside another
                                    noun phrase, the subject after)
                                 4. the best one's person, with the model's confidence

The weights come from `make train` (evaluation/training.py; `python -m evaluation.training
pronouns` refits them alone): a conditional logit (the softmax of the scores over one
pronoun's candidates, the confidence a link carries) fitted on GUM's train split, GAP's
development rows and news, chosen on GUM's dev split, GAP's validation rows and news, and
measured on GUM's test split, GAP's test set and held-out news by `make eval`.
`NearestSubject` is the hand-ordered rule it replaced (the nearest sentence's first
subject, looking back only), kept as the baseline the evaluation prints beside it. Pure
Python over a spaCy parse; reading the weights is the only I/O, once per process.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from spacy.tokens import Doc, Token

from . import parsed
from .cues import SPEECH_VERBS

# Third-person pronouns and the gender they tell: every form a chain runs through.
PRONOUN_GENDERS = {
    **dict.fromkeys(("he", "him", "his", "himself"), "m"),
    **dict.fromkeys(("she", "her", "hers", "herself"), "f"),
}
_REFLEXIVES = frozenset({"himself", "herself"})
# Honorifics that tell a name's gender ("Mrs. Clinton").
HONORIFIC_GENDERS = {
    "mr": "m",
    "mr.": "m",
    "mrs": "f",
    "mrs.": "f",
    "ms": "f",
    "ms.": "f",
    "miss": "f",
    "sir": "m",
}
# How sure a link is when no mention of the ranker's window fits and the hand rule looks farther.
FAR_CONFIDENCE = 0.5
# How many sentences back (the pronoun's own included) a person's mentions count as lately.
_LATELY_SENTENCES = 3
WEIGHTS_PATH = Path(__file__).with_name("data") / "entity_ranker.json"
FIRST_NAMES_PATH = Path(__file__).with_name("data") / "first_names.tsv"

# A mention's role in its clause, as the ranking reads it.
MAIN_SUBJECT, SUBJECT, OBJECT, POSSESSOR, OTHER = "main_subject", "subject", "object", "possessor", "other"
ROLES = (MAIN_SUBJECT, SUBJECT, OBJECT, POSSESSOR, OTHER)
_OBJECT_DEPS = frozenset({"dobj", "iobj", "dative", "pobj", "attr", "oprd"})


@lru_cache(maxsize=1)
def _first_names() -> tuple[dict[str, str], frozenset[str]]:
    genders, words = {}, set()
    for line in FIRST_NAMES_PATH.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, gender, *word = line.split("\t")
            genders[name] = gender
            if word:
                words.add(name)
    return genders, frozenset(words)


def first_name_genders() -> dict[str, str]:
    """First names with the gender they carry in at least 80 uses of 100 (built by
    `make train` from nomquamgender's name data, MIT licence), read once."""
    return _first_names()[0]


def is_first_name(word: str) -> bool:
    """A first name that is not also an ordinary word ("Hillary", not "Bill" or "West"):
    one that makes a capitalised phrase a person's name."""
    genders, words = _first_names()
    lower = word.lower()
    return lower in genders and lower not in words


def name_gender(words: Sequence[str], before: str | None = None) -> str | None:
    """The gender a name form tells: an honorific in it or just before it ("Mrs. Clinton"),
    else its first name when it has one ("Hillary Clinton"); a bare surname tells none."""
    for word in [*([before] if before else []), *words]:
        if word.lower() in HONORIFIC_GENDERS:
            return HONORIFIC_GENDERS[word.lower()]
    if len(words) > 1:
        return first_name_genders().get(words[0].lower())
    return None


def role_of(token: Token) -> str:
    """Subject of the main clause, subject of another clause, object, possessor or other.
    A name set beside a subject ("One woman, Karen Robison, said") is a subject."""
    if token.dep_ == "appos":
        token = token.head
    dep = token.dep_
    if dep in ("nsubj", "nsubjpass"):
        verb = token.head
        while verb.dep_ == "conj" and verb.head.i != verb.i:
            verb = verb.head
        return MAIN_SUBJECT if verb.dep_ == "ROOT" else SUBJECT
    if dep == "poss":
        return POSSESSOR
    if dep in _OBJECT_DEPS:
        return OBJECT
    return OTHER


# Whether a common noun describes one person ("the mayor", "a spokeswoman"), and the gender
# it tells ("m", "f" or None): the speaker layer's vocabulary, handed in.
PersonNoun = Callable[[Token], tuple[bool, str | None]]


@dataclass
class Mention:
    """One mention of a person: a name, a description, or a pronoun once linked."""

    token: int  # its head token
    char: int
    kind: str  # "name", "noun" (a description of one person) or "pronoun"
    entity: str | None  # the person it belongs to; None for a pronoun not (yet) linked
    gender: str | None
    sentence: int
    paragraph: int
    role: str
    in_quote: bool


@dataclass(frozen=True)
class Link:
    """A pronoun's person, with how sure the ranking is (0 to 1)."""

    entity: str
    confidence: float
    antecedent: Mention


class Ranker(Protocol):
    # How many sentences back (the pronoun's own included) candidates are read; None: all.
    window: int | None
    # How sure of a link it must be to override the speaker layer's rule; None: never.
    overrides_rule_at: float | None

    def scores(self, pronoun: Mention, candidates: list[Mention], context: Entities) -> list[float]: ...


class NearestSubject:
    """The hand-ordered rule: the first subject of the nearest sentence that has one, the
    main clause's before another's; failing any subject, the nearest sentence's first
    mention. Names and pronouns already linked count (descriptions do not, nor a subject
    after the pronoun), from anywhere before the pronoun."""

    window = None
    overrides_rule_at = None  # it is the rule

    def scores(self, pronoun: Mention, candidates: list[Mention], context: Entities) -> list[float]:
        rank = {MAIN_SUBJECT: 0, SUBJECT: 1}
        scored = []
        for c in candidates:
            if c.kind == "noun" or c.token > pronoun.token:
                scored.append(-math.inf)
                continue
            key = (int(c.role not in rank), pronoun.sentence - c.sentence, rank.get(c.role, 2), c.char)
            scored.append(-(key[0] * 1e12 + key[1] * 1e9 + key[2] * 1e8 + key[3]))
        return scored


def weighted_sum(weights: dict[str, float], intercept: float, features: dict[str, float]) -> float:
    """A fitted linear model's score of one row of features (before the logistic, or the
    softmax over a group's rows)."""
    return intercept + sum(weights.get(name, 0.0) * value for name, value in features.items())


def softmax(scores: Sequence[float]) -> list[float]:
    """A conditional logit's probability of each row of a group, from their scores (one of
    them finite at least; -inf: none)."""
    top = max(scores)
    exps = [math.exp(score - top) for score in scores]
    total = sum(exps)
    return [e / total for e in exps]


def logistic(score: float) -> float:
    """A logistic regression's probability of one row, from its score."""
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, score))))


class LearnedRanker:
    """A conditional logit over the features below (a link's confidence is the softmax of
    the candidates' scores; the intercept, shared by all, changes none), its weights read
    from a file with the window (in sentences; None: the whole text before) they were
    chosen with, and how sure of a link it must be to override the speaker layer's rule
    (None: never; chosen by ``make train`` on news it was not fitted on)."""

    def __init__(
        self,
        weights: dict[str, float],
        intercept: float,
        window: int | None,
        overrides_rule_at: float | None = None,
    ) -> None:
        self.weights = weights
        self.intercept = intercept
        self.window = window
        self.overrides_rule_at = overrides_rule_at

    @classmethod
    def from_file(cls, path: Path = WEIGHTS_PATH) -> LearnedRanker:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["weights"], data["intercept"], data["window"], data.get("overrides_rule_at"))

    def scores(self, pronoun: Mention, candidates: list[Mention], context: Entities) -> list[float]:
        return [
            weighted_sum(self.weights, self.intercept, feats)
            for feats in context.features(pronoun, candidates)
        ]


@lru_cache(maxsize=1)
def learned_ranker() -> LearnedRanker:
    return LearnedRanker.from_file()


def _titles_a_name(noun: Token, named: set[int]) -> bool:
    """A description that is a name's title, not a person of its own: "NATO chief Jens
    Stoltenberg", "Stoltenberg, the NATO chief", "the chief, Jens Stoltenberg", "Stoltenberg
    is the chief"."""
    if noun.dep_ in ("compound", "attr", "oprd", "npadvmod"):
        return True
    if noun.dep_ == "appos" and (noun.head.i in named or noun.head.ent_type_ == "PERSON"):
        return True
    return any(c.dep_ == "appos" and (c.i in named or c.ent_type_ == "PERSON") for c in noun.children)


def _argument(token: Token) -> Token:
    """The noun phrase a name stands in: "sister" for "Lucia" in "His sister Lucia helps"."""
    while token.dep_ in ("appos", "compound", "flat") and token.head.i != token.i:
        token = token.head
    return token


def _speaks(token: Token) -> bool:
    """The subject of a verb of saying ("Stoltenberg said", "he told reporters")."""
    if token.dep_ == "appos":
        token = token.head
    return token.dep_ == "nsubj" and token.head.lemma_.lower() in SPEECH_VERBS


def _tree_distance(a: Token, b: Token) -> int:
    """How many dependency arcs lie between two tokens of one sentence."""
    up = {a.i: 0}
    for steps, ancestor in enumerate(a.ancestors, 1):
        up[ancestor.i] = steps
    if b.i in up:
        return up[b.i]
    for steps, ancestor in enumerate(b.ancestors, 1):
        if ancestor.i in up:
            return steps + up[ancestor.i]
    return 99


# How a phrase set before its clause's subject hangs from the clause's verb ("In his review,
# Ruhlmann wrote", "When she was ten, Markham moved").
_PREPOSED_DEPS = frozenset({"prep", "advcl", "npadvmod", "advmod"})


def cataphoric_subject(pronoun: Token) -> Token | None:
    """The subject a pronoun may name before it is named: the subject of the clause a phrase
    holding the pronoun is set before ("In his review, Ruhlmann wrote", "When he was
    minister, Kallergis formed"; the subject itself, or a name set beside it). None where
    the pronoun is not in such a phrase."""
    phrase = pronoun
    while phrase.head.i != phrase.i:
        verb = phrase.head
        if phrase.dep_ in _PREPOSED_DEPS and verb.pos_ in ("VERB", "AUX"):
            subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None and phrase.i < subject.i and pronoun.i < subject.left_edge.i:
                return subject
            return None
        phrase = verb
    return None


def _embedded(token: Token) -> bool:
    """A mention inside another noun phrase ("the son of Brown", "Brown's partner"), not the
    head of its own (Lappin and Leass weigh the head noun above the embedded)."""
    token = _argument(token)
    return (
        token.dep_ in ("poss", "pobj")
        and token.head.pos_ in ("NOUN", "PROPN", "ADP")
        and (token.dep_ == "poss" or token.head.head.pos_ in ("NOUN", "PROPN"))
    )


def _bucket(name: str, value: int, top: int) -> str:
    return f"{name}_{min(value, top)}"


class Entities:
    """Every third-person pronoun of one document linked to a person, in reading order.

    ``names`` are the named mentions the speaker layer found: (head token index, person,
    gender the form tells). ``person_noun`` tells which common nouns describe a person
    ("the mayor … she said"): each such description that is not a name's title
    ("NATO chief Jens Stoltenberg", "Stoltenberg, the NATO chief") is a person of its own,
    ``"noun <token>"``. ``in_quote`` tells whether a character lies inside quote marks,
    ``paragraph_of`` its paragraph.
    """

    def __init__(
        self,
        doc: Doc,
        names: Sequence[tuple[int, str, str | None]],
        in_quote: Callable[[int], bool] | None = None,
        paragraph_of: Callable[[int], int] | None = None,
        ranker: Ranker | None = None,
        person_noun: PersonNoun | None = None,
        in_news: bool = False,
        rule_pick: Callable[[Mention], str | None] | None = None,
        lazy: bool = False,
    ) -> None:
        self.doc = doc
        # The speaker layer's own rule for a pronoun (the person it would choose), one more
        # thing the ranking weighs where the layer is there to tell it.
        self._rule_pick = rule_pick
        # A news article: each feature is read twice, once as in every genre and once as in
        # news alone, so the ranking learns what news does differently from the few news
        # texts it is fitted on, and the rest from every genre ("frustratingly easy" domain
        # adaptation, Daumé 2007).
        self.in_news = in_news
        self._in_quote = in_quote or (lambda char: False)
        self._paragraph_of = paragraph_of or (lambda char: 0)
        self.ranker = ranker or learned_ranker()
        self._sentence = [0] * len(doc)
        # Sentences without a verb: titles, captions, credit lines ("Alberta Ortego | Getty Images").
        self._verbless: set[int] = set()
        for index, sent in enumerate(parsed.sentences(doc)):
            for i in range(sent.start, sent.end):
                self._sentence[i] = index
            if not any(t.pos_ in ("VERB", "AUX") for t in sent):
                self._verbless.add(index)
        self.genders: dict[str, str] = {}
        mentions = {i: self._mention(i, "name", entity, gender) for i, entity, gender in names}
        for entity, gender in ((e, g) for _, e, g in names if g):
            self.genders.setdefault(entity, gender)
        named = set(mentions)
        for tok in parsed.tokens(doc):
            if tok.i in mentions:
                continue
            if tok.lower_ in PRONOUN_GENDERS and tok.pos_ == "PRON":
                mentions[tok.i] = self._mention(tok.i, "pronoun", None, PRONOUN_GENDERS[tok.lower_])
            elif person_noun is not None and tok.pos_ == "NOUN" and not _titles_a_name(tok, named):
                person, noun_gender = person_noun(tok)
                if person:
                    mentions[tok.i] = self._mention(tok.i, "noun", f"noun {tok.i}", noun_gender)
        self.mentions = sorted(mentions.values(), key=lambda m: m.token)
        self._mention_at = {m.token: m for m in self.mentions}
        self.links: dict[int, Link] = {}
        # Pronouns are linked in reading order, as far as asked: all of them at once, or
        # (``lazy``, as the speaker layer reads an article) up to the pronoun asked about, so
        # that the rule's choice each link weighs knows the speakers noted up to there.
        self._linked = 0
        if not lazy:
            self._link_up_to(len(doc))

    def _link_up_to(self, token: int) -> None:
        while self._linked < len(self.mentions) and self.mentions[self._linked].token <= token:
            index, mention = self._linked, self.mentions[self._linked]
            self._linked += 1
            if mention.kind != "pronoun":
                continue
            link = self._link(mention, self.mentions[:index])
            if link is not None:
                self.links[mention.token] = link
                mention.entity = link.entity
                if mention.gender:
                    self.genders.setdefault(link.entity, mention.gender)

    def _mention(self, i: int, kind: str, entity: str | None, gender: str | None) -> Mention:
        tok = self.doc[i]
        return Mention(
            token=i,
            char=tok.idx,
            kind=kind,
            entity=entity,
            gender=gender,
            sentence=self._sentence[i],
            paragraph=self._paragraph_of(tok.idx),
            role=role_of(tok),
            in_quote=self._in_quote(tok.idx),
        )

    def link(self, token: Token) -> Link | None:
        """The person a pronoun refers to, or None when no earlier mention fits."""
        self._link_up_to(token.i)
        return self.links.get(token.i)

    def _agrees(self, pronoun: Mention, c: Mention) -> bool:
        gender = c.gender or self.genders.get(c.entity or "")
        return not (gender and pronoun.gender and gender != pronoun.gender)

    def subject_after(self, pronoun: Mention) -> Mention | None:
        """The person a pronoun may name before the text names them: the named (or described)
        subject of the clause the pronoun's phrase is set before ("In his review, Ruhlmann
        wrote"; see ``cataphoric_subject``)."""
        subject = cataphoric_subject(self.doc[pronoun.token])
        if subject is None:
            return None
        for token in (subject, *(c for c in subject.children if c.dep_ == "appos")):
            m = self._mention_at.get(token.i)
            if m is not None and m.kind != "pronoun" and m.entity is not None:
                return m
        return None

    def candidates(self, pronoun: Mention, earlier: Sequence[Mention], window: int | None) -> list[Mention]:
        """The people a pronoun may refer to, each by its latest mention before it (of the
        last ``window`` sentences; None: all), nearest last; then, when the pronoun's phrase
        is set before its clause's subject and that subject is a person not among them, the
        subject ("In his review, Ruhlmann wrote": cataphora). Never one of the other gender, one whose
        noun phrase holds the pronoun ("his" is not the name of its own phrase), or, for a
        pronoun that is not reflexive, another argument of its own verb ("she told her")."""
        pron = self.doc[pronoun.token]
        reflexive = pron.lower_ in _REFLEXIVES
        found: dict[str, Mention] = {}
        for c in reversed(earlier):
            if c.entity is None or c.entity in found:
                continue
            if window is not None and pronoun.sentence - c.sentence >= window:
                break
            if not self._agrees(pronoun, c):
                continue
            head = self.doc[c.token]
            if pron.dep_ == "poss" and pron.head.i == c.token:
                continue
            if not reflexive and _argument(head).head.i == pron.head.i and c.sentence == pronoun.sentence:
                continue
            found[c.entity] = c
        ahead = self.subject_after(pronoun)
        after = (
            [ahead]
            if ahead is not None and ahead.entity not in found and self._agrees(pronoun, ahead)
            else []
        )
        return sorted(found.values(), key=lambda m: m.token) + after

    def _link(self, pronoun: Mention, earlier: Sequence[Mention]) -> Link | None:
        """The ranker's choice among the candidates of its window; with none there, the hand
        rule's among all before, at the confidence of a guess (``FAR_CONFIDENCE``)."""
        candidates = self.candidates(pronoun, earlier, self.ranker.window)
        if not candidates and self.ranker.window is not None:
            far = self.candidates(pronoun, earlier, None)
            scores = NearestSubject().scores(pronoun, far, self)
            if not far or max(scores) == -math.inf:
                return None
            chosen = far[max(range(len(far)), key=lambda k: scores[k])]
            assert chosen.entity is not None
            return Link(chosen.entity, FAR_CONFIDENCE, chosen)
        if not candidates:
            return None
        scores = self.ranker.scores(pronoun, candidates, self)
        best = max(range(len(candidates)), key=lambda k: (scores[k], candidates[k].token))
        if scores[best] == -math.inf:
            return None
        chosen = candidates[best]
        assert chosen.entity is not None
        return Link(chosen.entity, round(softmax(scores)[best], 3), chosen)

    def features(self, pronoun: Mention, candidates: list[Mention]) -> list[dict[str, float]]:
        """What the ranking reads of each candidate for a pronoun (binary unless named so)."""
        doc = self.doc
        pron = doc[pronoun.token]
        reflexive = pron.lower_ in _REFLEXIVES
        # The subject after the pronoun, when its phrase is set before it (cataphora): a
        # candidate of its own, or the person of one before.
        ahead = self.subject_after(pronoun)
        candidates_before = [c for c in candidates if c.token < pronoun.token]
        subjects = [c for c in candidates_before if c.role in (MAIN_SUBJECT, SUBJECT)]
        last_subject = max(subjects, key=lambda c: c.token).entity if subjects else None
        first_of_sentence: dict[int, int] = {}
        for c in candidates_before:
            first_of_sentence.setdefault(c.sentence, c.token)
        pronoun_speaks = _speaks(pron)
        # The hand rule's choice, as one thing the model may weigh: the first subject of the
        # nearest sentence that has one.
        subject_rank = {MAIN_SUBJECT: 0, SUBJECT: 1}
        rule_choice = min(
            candidates_before or candidates,
            key=lambda c: (
                c.role not in subject_rank,
                pronoun.sentence - c.sentence,
                subject_rank.get(c.role, 2),
                c.token,
            ),
        ).token
        picked = self._rule_pick(pronoun) if self._rule_pick is not None else None
        # The document's people so far (salience, as Lappin and Leass weigh it; a Wikipedia
        # page's subject in GAP): how often each was mentioned before the pronoun, how often
        # lately, and who was named first.
        before = [m for m in self.mentions if m.token < pronoun.token and m.entity is not None]
        mentions_so_far = Counter(m.entity for m in before)
        lately = Counter(m.entity for m in before if pronoun.sentence - m.sentence < _LATELY_SENTENCES)
        most_mentioned = max(mentions_so_far[c.entity] for c in candidates)
        named_first = next((m.entity for m in before if m.kind == "name"), None)
        # Who the whole text is about: the person named most often in it, before the pronoun
        # or after (a Wikipedia page's subject; an article's main actor).
        named_in_text = Counter(m.entity for m in self.mentions if m.kind == "name")
        most_named = max(named_in_text[c.entity] for c in candidates)
        rows = []
        for index, c in enumerate(candidates):
            head = doc[c.token]
            speaks = _speaks(head)
            determiner = next((t.lower_ for t in head.children if t.dep_ == "det"), None)
            between = max(0, len(candidates_before) - 1 - index)
            coargument = head.head.i == pron.head.i and head.i != pron.i and c.sentence == pronoun.sentence
            governs = (
                c.role in (MAIN_SUBJECT, SUBJECT)
                and c.sentence == pronoun.sentence
                and head.head.is_ancestor(pron)
                and not coargument
            )
            gender = c.gender or self.genders.get(c.entity or "")
            feats = {
                _bucket("sentences_back", pronoun.sentence - c.sentence, 3): 1.0,
                _bucket("nearer_candidates", between, 3): 1.0,
                "log_tokens_back": math.log1p(abs(pronoun.token - c.token)),
                f"candidate_{c.kind}": 1.0,
                f"candidate_{c.role}": 1.0,
                f"role_{c.role}_to_{pronoun.role}": 1.0,
                "same_role": float(c.role == pronoun.role),
                "reflexive_coargument": float(coargument and reflexive),
                "governs_pronoun_clause": float(governs),
                "candidate_in_quote": float(c.in_quote),
                "quote_differs": float(c.in_quote != pronoun.in_quote),
                "same_paragraph": float(c.paragraph == pronoun.paragraph),
                "gender_known": float(gender is not None),
                "entity_last_subject": float(c.entity is not None and c.entity == last_subject),
                "first_of_its_sentence": float(first_of_sentence.get(c.sentence) == c.token),
                "nearest_first_subject": float(c.token == rule_choice),
                "candidate_speaks": float(speaks),
                "both_speak": float(speaks and pronoun_speaks),
                "candidate_in_verbless_line": float(c.sentence in self._verbless),
                "candidate_indefinite": float(c.kind == "noun" and determiner in ("a", "an")),
                _bucket("entity_mentions", mentions_so_far[c.entity], 4): 1.0,
                _bucket("entity_mentions_lately", lately[c.entity], 3): 1.0,
                "entity_most_mentioned": float(mentions_so_far[c.entity] == most_mentioned),
                "entity_named_first": float(c.entity is not None and c.entity == named_first),
                "entity_most_named_in_text": float(named_in_text[c.entity] == most_named > 0),
                f"role_{c.role}_{_bucket('sentences_back', pronoun.sentence - c.sentence, 2)}": 1.0,
                "candidate_in_phrase": float(_embedded(head)),
            }
            if c.sentence == pronoun.sentence:
                feats[_bucket("tree_distance", _tree_distance(head, pron), 6)] = 1.0
            if c.token > pronoun.token:
                feats[f"cataphoric_{pron.dep_ == 'poss'}"] = 1.0
            elif ahead is not None and c.entity == ahead.entity:
                feats["entity_subject_after"] = 1.0
            if pron.dep_ == "poss" and c.role in (MAIN_SUBJECT, SUBJECT) and head.head.is_ancestor(pron):
                feats["possessive_in_subjects_clause"] = 1.0
            if any(o.role in (MAIN_SUBJECT, SUBJECT) for o in candidates_before[index + 1 :]):
                feats["subject_between"] = 1.0
            if head.dep_ == "conj" or any(ch.dep_ == "conj" for ch in head.children):
                feats["candidate_coordinated"] = 1.0
            if picked is not None:
                feats["speaker_rule_pick"] = float(c.entity == picked)
            if self.in_news:
                feats.update({f"news {name}": value for name, value in list(feats.items())})
            rows.append(feats)
        return rows
