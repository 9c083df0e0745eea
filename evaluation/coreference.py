"""Who "he" and "she" are: the entity layer's pronoun links on GUM and GAP.

Both corpora are read from ``../shared/eval/`` (never copied here):

- **GUM** (``gum-train.jsonl``; every genre but news, with gold coreference): each
  third-person "he/him/his/himself/she/her/hers/herself" that the gold marks as a
  mention of a person named or mentioned before it. The ranker is fitted on GUM's
  train split and chosen on dev (``make train``); the tables report the **test** split.
  Two figures, for the learned ranker and the rule it replaced, on the same parse and
  the same name mentions:
    - *antecedent*: the mention it links to belongs to the pronoun's gold entity;
    - *person*: following the chain, the person it ends at is the pronoun's (the named
      mentions of that person are mostly the gold entity's): what a reader of a speaker
      line judges. Only pronouns whose entity is named before them count.
- **Descriptions** on all of GUM (the description rules were never fitted to it): each
  definite "the company", "the minister" read by the speaker layer as a speaker's
  mention would be; right when it gets a name the gold entity had before it, and wrong
  when an entity never named before is given a name.
- **GAP** (``gap/gap-test.tsv``; Wikipedia, two same-gender names per pronoun): the
  pronoun is linked as in an article and each of the two names is predicted to corefer
  when the link ends at its person. F1 of those predictions (the GAP scorer's), by
  gender, with the bias ratio F/M.

Names come from the parse (PERSON entities, and for GAP the two given names), grouped by
surname; each named mention's gender from an honorific or its first name.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from pathlib import Path
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from quotes.extraction.descriptions import Candidate, Description, DescriptionLinker, features
from quotes.extraction.engine import attribute
from quotes.extraction.entities import (
    PRONOUN_GENDERS,
    Entities,
    LearnedRanker,
    Mention,
    NearestSubject,
    Ranker,
    name_gender,
)
from quotes.extraction.extractor import prepared
from quotes.extraction.name_spans import mention_span
from quotes.extraction.speaker_nouns import ORGANISATION_NOUNS
from quotes.extraction.speakers import (
    Decider,
    Resolution,
    SpeakerResolver,
    person_noun,
)
from quotes.extraction.types import QuoteFinding
from quotes.words import SpeakerType

from .coref_scores import Score, average_f1, conll, entities
from .names import NameGold, _load

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
GUM_PATH = SHARED / "gum-train.jsonl"
GAP_DIR = SHARED / "gap"
_QUOTE_MARKS = '"“”'
# One description or pronoun to fit or score: its candidates' features and which are right.
Group = tuple[list[dict[str, float]], list[int]]


def shared_missing() -> str | None:
    """A plain sentence when the corpora are not beside the repository, else None."""
    missing = [p for p in (GUM_PATH, GAP_DIR / "gap-test.tsv") if not p.exists()]
    if missing:
        return f"{missing[0]} is not there: the coreference tables need ../shared/eval beside the repository"
    return None


# --- reading a text the way the engine does -------------------------------------------------
def text_context(text: str) -> tuple[Callable[[int], bool], Callable[[int], int]]:
    """``in_quote`` and ``paragraph_of`` for a plain text: quote marks paired within a paragraph."""
    para = [0] * (len(text) + 1)
    inside = [False] * (len(text) + 1)
    index, open_ = 0, False
    for i, ch in enumerate(text):
        if ch == "\n":
            index, open_ = index + 1, False
        para[i] = index
        if ch in _QUOTE_MARKS:
            open_ = (ch == "“") or (ch == '"' and not open_)
            if ch == "”":
                open_ = False
        inside[i] = open_
    para[len(text)] = index
    return (lambda char: inside[char]), (lambda char: para[char])


def name_mentions(doc: Doc, extra: Iterable[Span] = ()) -> list[tuple[int, str, str | None]]:
    """Named people of a parse: (head token, person, gender the form tells). A person is a
    surname; a lone first name joins the one full name that starts with it."""
    spans = [e for e in doc.ents if e.label_ == "PERSON"]
    taken = {t.i for e in spans for t in e}
    spans += [s for s in extra if not any(t.i in taken for t in s)]
    forms = []
    for span in spans:
        words = [t.text for t in span if not t.is_punct and t.lower_ not in ("'s", "’s")]
        if not words:
            continue
        before = doc[span.start - 1].text if span.start > 0 else None
        forms.append((span, words, name_gender(words, before)))
    firsts: dict[str, set[str]] = defaultdict(set)
    for _, words, _ in forms:
        if len(words) > 1:
            firsts[words[0].lower()].add(words[-1].lower())
    names = []
    for span, words, gender in forms:
        person = words[-1].lower()
        if len(words) == 1 and len(firsts.get(person, ())) == 1:
            person = next(iter(firsts[person]))
        names.append((span.root.i, person, gender))
    return names


# --- GUM ------------------------------------------------------------------------------------
@dataclass
class GoldDoc:
    id: str
    split: str
    text: str
    mentions: list[dict]
    doc: Doc | None = None
    # token index → gold entity of the smallest gold mention holding the token
    entity_of: dict[int, str] = field(default_factory=dict)
    person_entities: set[str] = field(default_factory=set)


def read_gum(nlp: Language, splits: Iterable[str]) -> list[GoldDoc]:
    wanted = set(splits)
    docs = []
    with GUM_PATH.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["split"] in wanted:
                docs.append(GoldDoc(record["id"], record["split"], record["text"], record["mentions"]))
    for gold, doc in zip(docs, nlp.pipe((g.text for g in docs), batch_size=8), strict=True):
        gold.doc = doc
        by_start = sorted(gold.mentions, key=lambda m: m["end"] - m["start"])
        for tok in doc:
            for m in by_start:
                if m["start"] <= tok.idx and tok.idx + len(tok.text) <= m["end"]:
                    gold.entity_of[tok.i] = m["entity"]
                    break
        gold.person_entities = {m["entity"] for m in gold.mentions if m["type"] == "person"}
    return docs


def _exact_entity(gold: GoldDoc, tok_index: int) -> str | None:
    """The gold entity of a pronoun: only where a gold mention is exactly that token."""
    assert gold.doc is not None
    tok = gold.doc[tok_index]
    for m in gold.mentions:
        if m["start"] == tok.idx and m["end"] == tok.idx + len(tok.text):
            return str(m["entity"])
    return None


class Recorder:
    """A ranker for fitting: it records each pronoun's candidate features with their gold
    labels and follows the gold (teacher forcing), so chains are built as they should be."""

    def __init__(self, gold: GoldDoc, window: int | None) -> None:
        self.gold = gold
        self.window = window
        self.overrides_rule_at: float | None = None  # a ranking being fitted never overrides
        self.groups: list[tuple[list[dict[str, float]], list[int]]] = []

    def scores(self, pronoun: Mention, candidates: list[Mention], context: Entities) -> list[float]:
        target = _exact_entity(self.gold, pronoun.token)
        labels = [int(target is not None and self.gold.entity_of.get(c.token) == target) for c in candidates]
        if target is not None and any(labels):
            self.groups.append((context.features(pronoun, candidates), labels))
        return [float(label) for label in labels]


def entities_for(gold: GoldDoc, ranker: Ranker) -> Entities:
    assert gold.doc is not None
    in_quote, paragraph_of = text_context(gold.text)
    return Entities(gold.doc, name_mentions(gold.doc), in_quote, paragraph_of, ranker, person_noun)


def training_groups(
    docs: list[GoldDoc], window: int | None
) -> list[tuple[list[dict[str, float]], list[int]]]:
    groups = []
    for gold in docs:
        recorder = Recorder(gold, window)
        entities_for(gold, recorder)
        groups.extend(recorder.groups)
    return groups


@dataclass
class PronounScore:
    pronouns: int = 0
    antecedent_right: int = 0
    resolvable: int = 0  # the pronoun's entity is named before it
    person_right: int = 0
    unlinked: int = 0

    def row(self, label: str) -> str:
        antecedent = _pct(self.antecedent_right, self.pronouns)
        person, unlinked = _pct(self.person_right, self.resolvable), _pct(self.unlinked, self.pronouns)
        return (
            f"{label:<22} {self.pronouns:>8} {antecedent:>11} {self.resolvable:>12} {person:>8} {unlinked:>9}"
        )


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def score_pronouns(docs: list[GoldDoc], ranker: Ranker) -> PronounScore:
    score = PronounScore()
    for gold in docs:
        assert gold.doc is not None
        entities = entities_for(gold, ranker)
        # The gold entity each predicted person stands for: the most frequent among its names.
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        first_named: dict[str, int] = {}
        for m in entities.mentions:
            if m.kind == "name" and m.entity is not None:
                gold_entity = gold.entity_of.get(m.token)
                if gold_entity is not None:
                    votes[m.entity][gold_entity] += 1
                    first_named.setdefault(gold_entity, m.token)
        for m in entities.mentions:
            if m.kind != "pronoun":
                continue
            target = _exact_entity(gold, m.token)
            if target is None or target not in gold.person_entities:
                continue
            earlier = [
                x for x in gold.mentions if x["entity"] == target and x["end"] <= gold.doc[m.token].idx
            ]
            if not earlier:
                continue  # not anaphoric
            score.pronouns += 1
            link = entities.link(gold.doc[m.token])
            if link is None:
                score.unlinked += 1
            elif gold.entity_of.get(link.antecedent.token) == target:
                score.antecedent_right += 1
            if first_named.get(target, len(gold.doc)) < m.token:
                score.resolvable += 1
                named = votes.get(link.entity) if link is not None else None
                if named and named.most_common(1)[0][0] == target:
                    score.person_right += 1
    return score


@dataclass
class DescriptionScore:
    linkable: int = 0  # definite descriptions whose entity the text named before
    linked_right: int = 0
    new: int = 0  # descriptions of an entity never named before them
    new_given_a_name: int = 0

    @property
    def accuracy(self) -> float:
        """Right readings among all: the earlier name found, or no name given to someone new."""
        right = self.linked_right + self.new - self.new_given_a_name
        return 100 * right / max(1, self.linkable + self.new)

    def row(self, label: str) -> str:
        return (
            f"{label:<22} {self.linkable:>9} {_pct(self.linked_right, self.linkable):>12}"
            f" {self.new:>6} {_pct(self.new_given_a_name, self.new):>13} {self.accuracy:>9.1f}%"
        )


def _descriptions(gold: GoldDoc) -> Iterable[tuple[Token, str, list[str]]]:
    """The definite descriptions of a person or an organisation ("the company", "the
    minister") a speaker line could hold, each with its gold entity and the last words of
    the names that entity had before it (none: someone new)."""
    assert gold.doc is not None
    for tok in gold.doc:
        if tok.pos_ != "NOUN" or not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
            continue
        if tok.dep_ in ("compound", "appos", "attr") or tok.tag_ == "NNS":
            continue
        lemma = tok.lemma_.lower()
        if lemma not in ORGANISATION_NOUNS and not person_noun(tok)[0]:
            continue
        target = gold.entity_of.get(tok.i)
        if target is None:
            continue
        named = [
            m["text"].split()[-1]
            for m in gold.mentions
            if m["entity"] == target
            and m["end"] <= tok.idx
            and m["type"] in ("person", "organization")
            and m["text"][:1].isupper()
            and m["text"].split()[0].lower() not in ("the", "a", "an")
        ]
        yield tok, target, named


@contextmanager
def rules_alone():
    """The speaker layer's description rules as they were, with no role noun refused to an
    untitled person: `make eval`'s "rules alone" row, beside the rules as the engine runs them."""
    from quotes.extraction import speakers

    before = speakers._UNTITLED_NOT_A_ROLE
    speakers._UNTITLED_NOT_A_ROLE = False
    try:
        yield
    finally:
        speakers._UNTITLED_NOT_A_ROLE = before


def score_descriptions(docs: list[GoldDoc], descriptions: Decider | DescriptionLinker) -> DescriptionScore:
    """The speaker layer's reading of "the company", "the minister" (as a speaker would be
    read), with ``descriptions`` deciding (or a linker alone): right when the name it
    gives holds the last word of a name the gold entity had before; a description of an
    entity never named before must not be given a name."""
    score = DescriptionScore()
    for gold in docs:
        assert gold.doc is not None
        in_quote, paragraph_of = text_context(gold.text)
        resolver = SpeakerResolver(gold.doc, in_quote, paragraph_of, descriptions=descriptions)
        for tok, _target, named in _descriptions(gold):
            found = resolver.resolve(mention_span(tok))
            words = set((found.name or "").replace("-", " ").lower().split())
            if named:
                score.linkable += 1
                score.linked_right += any(n.lower() in words for n in named)
            else:
                score.new += 1
                named_kind = found.kind in (SpeakerType.PERSON, SpeakerType.ORGANISATION)
                score.new_given_a_name += named_kind and found.name is not None and found.name[:1].isupper()
    return score


def description_groups(docs: list[GoldDoc]) -> list[Group]:
    """For fitting the description linker: each description's candidate features, with the
    hand rules' pick among them, and which candidates are its gold entity (none: someone new)."""
    groups = []
    for gold in docs:
        assert gold.doc is not None
        in_quote, paragraph_of = text_context(gold.text)
        resolver = SpeakerResolver(gold.doc, in_quote, paragraph_of)
        token_at = {tok.idx: tok.i for tok in gold.doc}
        for tok, target, _named in _descriptions(gold):
            mention = mention_span(tok)
            reading = resolver.description_reading(mention)
            if reading is None or not reading[1]:
                continue
            description, candidates = replace(reading[0], in_news=False), reading[1]
            rule = resolver.rule_link(mention)
            labels = [
                int(any(gold.entity_of.get(token_at.get(char, -1)) == target for char in c.chars))
                for c in candidates
            ]
            groups.append((features(description, candidates, rule.name if rule else None), labels))
    return groups


@dataclass(frozen=True)
class NamesArticle:
    """One article of a resolved-names set, parsed: each of its scored attributions with a
    speaker mention, with that attribution's gold."""

    doc: Doc
    in_quote: Callable[[int], bool]
    paragraph_of: Callable[[int], int]
    speakers: tuple[tuple[dict, NameGold], ...]


@lru_cache(maxsize=2)
def names_articles(nlp: Language, names_path: Path | tuple[Path, ...]) -> tuple[NamesArticle, ...]:
    """The articles of a resolved-names set, parsed once for every use (``make train``
    reads the dev set for the pronoun ranking and for the description linker)."""
    from .extraction import POLNEAR

    items = _load(names_path, POLNEAR, nlp)
    docs = nlp.pipe((prepared(record["text"]) for record, _ in items), batch_size=16)
    articles = []
    for (record, names), doc in zip(items, docs, strict=True):
        speakers = tuple(
            (quote, names[quote["ann_id"]])
            for quote in record["quotes"]
            if quote.get("ann_id") in names
            and names[quote["ann_id"]].scored
            and quote.get("speaker_start") is not None
        )
        articles.append(NamesArticle(doc, *text_context(record["text"]), speakers))
    return tuple(articles)


_Made = TypeVar("_Made", bound=SpeakerResolver)


class _ReadingResolver(SpeakerResolver):
    """The product's speaker layer, which also keeps what it reads of each description at the
    given tokens when the engine first asks who it is: the description, its candidates and
    the hand rules' pick, knowing the speakers noted up to there, as in the product."""

    def __init__(self, doc: Doc, heads: set[int], **context) -> None:
        super().__init__(doc, **context)
        self.heads = heads
        self.readings: dict[int, tuple[tuple[Description, list[Candidate]] | None, str | None]] = {}

    def reading(self, mention: Span) -> tuple[tuple[Description, list[Candidate]] | None, str | None]:
        if mention.root.i not in self.readings:
            rule = self.rule_link(mention)
            self.readings[mention.root.i] = (self.description_reading(mention), rule.name if rule else None)
        return self.readings[mention.root.i]

    def resolve(self, mention: Span, joint: bool = True) -> Resolution:
        if mention.root.i in self.heads:
            self.reading(mention)
        return super().resolve(mention, joint)


def _attributed_with(doc: Doc, make: Callable[..., _Made]) -> tuple[_Made, list[QuoteFinding]]:
    """The text's quotes found and attributed as the product does, by the speaker layer
    ``make`` builds (with the engine's context), and that speaker layer. Each quote's
    source is the rules' pick: the source chooser (sources.py) is fitted after the models
    fitted here, and stands on top of them."""
    made: list[_Made] = []

    def make_resolver(doc: Doc, **context) -> _Made:
        made.append(make(doc, **context))
        return made[0]

    findings = attribute(doc, make_resolver=make_resolver, sources=None)
    return made[0], findings


def _read_by_the_engine(doc: Doc, heads: set[int]) -> _ReadingResolver:
    """The speaker layer that attributed the article's quotes, having read the descriptions at
    ``heads`` as the engine met them."""
    return _attributed_with(doc, partial(_ReadingResolver, heads=heads))[0]


def news_description_groups(nlp: Language, names_path: Path | tuple[Path, ...]) -> list[Group]:
    """Each definite description that speaks in a resolved-names set of news articles (at
    its gold mention), with its candidates' features and which of them carry the gold
    speaker's name (none: someone the article never named). Each is
    read as the engine meets it in the article (``_ReadingResolver``); one the engine never
    reaches is read after."""
    groups: list[Group] = []
    for article in names_articles(nlp, names_path):
        doc = article.doc
        golds = []
        for quote, gold in article.speakers:
            if gold.resolved_from not in ("description", "none"):
                continue
            span = doc.char_span(quote["speaker_start"], quote["speaker_end"], alignment_mode="expand")
            if span is not None and len(span):
                golds.append((mention_span(span.root), gold))
        resolver = _read_by_the_engine(doc, {mention.root.i for mention, _ in golds})
        for mention, gold in golds:
            reading, rule = resolver.reading(mention)
            if reading is None or not reading[1] or not _definite_singular(mention):
                continue
            description, candidates = reading
            named = gold.type in ("person", "organisation") and gold.resolved_from == "description"
            key = (gold.name or "").split()[-1].lower() if named and gold.name else None
            labels = [int(key is not None and key in {w.lower() for w in c.name.split()}) for c in candidates]
            groups.append((features(description, candidates, rule), labels))
    return groups


def _definite_singular(mention: Span) -> bool:
    head = mention.root
    indefinite = ("a", "an", "another", "some", "any")
    return head.tag_ not in ("NNS", "NNPS") and any(
        c.dep_ in ("det", "poss") and c.lower_ not in indefinite for c in head.children
    )


def read_right(linker: DescriptionLinker | None, groups: list[Group]) -> float:
    """The share of descriptions the linker (None: the hand rules) reads right: the gold
    candidate chosen, or none where no candidate is the gold entity."""
    right = 0
    for rows, labels in groups:
        if linker is None:
            picks = [label for row, label in zip(rows, labels, strict=True) if row.get("rule_pick")]
            right += picks == [1] if picks else not any(labels)
            continue
        chosen = linker.chosen_row(rows)
        right += labels[chosen[0]] == 1 if chosen is not None else not any(labels)
    return 100 * right / max(1, len(groups))


# --- the standard scores ----------------------------------------------------------------------
# The pronouns a speaker line can hold for someone else.
_THIRD_PERSON = frozenset(PRONOUN_GENDERS) | frozenset({"it", "its", "they", "them", "their", "theirs"})


def score_entities(docs: list[GoldDoc], how: str) -> dict[str, Score]:
    """MUC, B³ and CEAF-e of the speaker layer read as a coreference system, on the gold
    mentions of people and organisations a speaker line could hold (names, third-person
    pronouns, descriptions with a determiner or a possessor): each mention is resolved as a speaker's would be
    ("he", "the company", "Mr. Stoltenberg"), and mentions given the same name are one
    entity; a mention given no name is an entity of its own. ``how``: "names" (only names
    resolved: the baseline), "rules" (the speaker layer as it runs) or "learned" (the
    pronoun ranking and the description linker deciding, the rules second)."""
    documents = []
    for gold in docs:
        assert gold.doc is not None
        in_quote, paragraph_of = text_context(gold.text)
        decider = Decider.LEARNED if how == "learned" else Decider.RULES
        resolver = SpeakerResolver(gold.doc, in_quote, paragraph_of, descriptions=decider, pronouns=decider)
        key: dict[tuple[str, int], str] = {}
        response: dict[tuple[str, int], object] = {}
        for number, m in enumerate(gold.mentions):
            mention_id = (gold.id, number)  # mentions of different documents never meet
            if m["type"] not in ("person", "organization"):
                continue
            span = gold.doc.char_span(m["start"], m["end"], alignment_mode="expand")
            if span is None or not len(span):
                continue
            head = span.root
            named = head.pos_ == "PROPN" or head.ent_type_ in ("PERSON", "ORG")
            described = head.pos_ == "NOUN" and any(c.dep_ in ("det", "poss") for c in head.children)
            if not (named or described or head.lower_ in _THIRD_PERSON):
                continue  # "I", "you", "we": the narrator and the reader, never a speaker line's
            key[mention_id] = str(m["entity"])
            joint = any(t.dep_ == "cc" for t in span)  # "Trump and Ryan" is one mention of a group
            found = resolver.resolve(mention_span(head), joint) if how != "names" or named else None
            is_entity = (
                found is not None
                and found.name
                and found.kind in (SpeakerType.PERSON, SpeakerType.ORGANISATION)
                and found.name[:1].isupper()
            )
            named_as = (gold.id, found.name.lower()) if is_entity and found and found.name else None
            response[mention_id] = named_as or mention_id
        documents.append((entities(key), entities(response)))
    return conll(documents)


# --- pronouns in news ---------------------------------------------------------------------
@dataclass
class NewsPronouns:
    """One article of a resolved-names set with the speakers given by "he" or "she": the
    pronoun's token and the gold speaker's surname."""

    doc: Doc
    in_quote: Callable[[int], bool]
    paragraph_of: Callable[[int], int]
    targets: dict[int, str]


def read_news_pronouns(nlp: Language, names_path: Path | tuple[Path, ...]) -> list[NewsPronouns]:
    articles = []
    for article in names_articles(nlp, names_path):
        targets = {}
        for quote, gold in article.speakers:
            if gold.resolved_from != "pronoun" or gold.type != "person" or not gold.name:
                continue
            span = article.doc.char_span(
                quote["speaker_start"], quote["speaker_end"], alignment_mode="expand"
            )
            if span is not None and len(span) == 1 and span[0].lower_ in PRONOUN_GENDERS:
                targets[span[0].i] = gold.name.split()[-1].lower()
        if targets:
            articles.append(NewsPronouns(article.doc, article.in_quote, article.paragraph_of, targets))
    return articles


class NewsRecorder:
    """A ranker for fitting on news: it records the features of each gold speaker pronoun,
    labelled by the names of the speaker layer's people, and follows the gold; every other
    pronoun is linked by the hand rule."""

    def __init__(self, article: NewsPronouns, window: int | None) -> None:
        self.article, self.window = article, window
        self.overrides_rule_at: float | None = None  # a ranking being fitted never overrides
        self.resolver: SpeakerResolver | None = None
        self.groups: list[Group] = []

    def scores(self, pronoun: Mention, candidates: list[Mention], context: Entities) -> list[float]:
        key = self.article.targets.get(pronoun.token)
        if key is None or self.resolver is None:
            return NearestSubject().scores(pronoun, candidates, context)
        labels = [
            int(key in (self.resolver.entity_name(c.entity or "") or "").lower().split()) for c in candidates
        ]
        if not any(labels):
            return NearestSubject().scores(pronoun, candidates, context)
        self.groups.append((context.features(pronoun, candidates), labels))
        return [float(label) for label in labels]


def _through_the_engine(
    article: NewsPronouns, ranker: Ranker | None, recorder: NewsRecorder | None = None
) -> tuple[SpeakerResolver, list[QuoteFinding]]:
    """The article's quotes found and attributed as the product does, with ``ranker`` as the
    entity layer's pronoun ranking (None: the committed one), and the speaker layer that did it:
    each pronoun is linked when the engine first reads that far, knowing the speakers noted
    up to there, as in the product. A ``recorder`` is told the speaker layer as it is made."""

    def make(doc: Doc, **context) -> SpeakerResolver:
        resolver = SpeakerResolver(doc, pronoun_ranker=ranker, **context)
        if recorder is not None:
            recorder.resolver = resolver
        return resolver

    return _attributed_with(article.doc, make)


def news_pronoun_groups(articles: list[NewsPronouns], window: int | None) -> list[Group]:
    """The ranking's features of each news speaker pronoun, recorded as the engine reads the
    article (see ``_through_the_engine``); a pronoun the engine never reached is linked after."""
    groups: list[Group] = []
    for article in articles:
        recorder = NewsRecorder(article, window)
        resolver, _ = _through_the_engine(article, recorder, recorder)
        layer = resolver.entity_layer()
        for token in sorted(article.targets):
            layer.link(article.doc[token])
        groups.extend(recorder.groups)
    return groups


@dataclass(frozen=True)
class PronounDecision:
    """One news speaker given by "he" or "she", read in its whole article through the
    engine with the rule deciding: whether the rule's person and the ranking's link are
    right, how sure the ranking is, and whether the two name the same person."""

    rule_right: bool
    ranking_right: bool
    confidence: float  # the ranking's, 0 where it links no one
    agree: bool
    rule_known: bool  # the rule's person is one of the entity layer's (or the rule found no one)

    def right(self, overrides_at: float | None) -> bool:
        """Right with the ranking overriding the rule where it is at least this sure (and
        knows the rule's person, as in the speaker layer)."""
        if (
            overrides_at is not None
            and not self.agree
            and self.rule_known
            and self.confidence >= overrides_at
        ):
            return self.ranking_right
        return self.rule_right


def pronoun_decisions(articles: list[NewsPronouns], ranker: Ranker | None) -> list[PronounDecision]:
    """Each news speaker pronoun's decision by the rule and by ``ranker`` (None: the
    committed ranking), as the engine reads the article with the rule deciding: those a
    reader sees, the gold pronouns that are the speaker mention of one of the engine's
    quotes (the rest would flatter a ranking that links them, as no reader meets them)."""
    ranker = ranker or LearnedRanker.from_file()
    if isinstance(ranker, LearnedRanker) and ranker.overrides_rule_at is not None:
        ranker = LearnedRanker(ranker.weights, ranker.intercept, ranker.window)  # the rule decides
    decisions = []
    for article in articles:
        resolver, findings = _through_the_engine(article, ranker)
        named = {f.speaker_start: f.speaker for f in findings if f.speaker_start is not None}
        for token, key in article.targets.items():
            pronoun = article.doc[token]
            if pronoun.idx not in named:
                continue  # no quote of the engine's stands on it: a reader sees no decision
            rule = named[pronoun.idx]
            link = resolver.entity_layer().link(pronoun)
            learned = resolver.entity_name(link.entity) if link is not None else None
            decisions.append(
                PronounDecision(
                    key in (rule or "").lower().split(),
                    key in (learned or "").lower().split(),
                    link.confidence if link is not None else 0.0,
                    rule == learned,
                    resolver.ranking_knows(rule),
                )
            )
    return decisions


def decided_right(decisions: list[PronounDecision], overrides_at: float | None) -> float:
    return 100 * sum(d.right(overrides_at) for d in decisions) / max(1, len(decisions))


def ranking_right(decisions: list[PronounDecision]) -> float:
    return 100 * sum(d.ranking_right for d in decisions) / max(1, len(decisions))


# --- GAP ------------------------------------------------------------------------------------
@dataclass
class GapScore:
    # (gold, predicted) pairs counted by gender ("M", "F") and for "all"
    counts: dict[str, Counter[tuple[bool, bool]]] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, gender: str, predicted: bool, gold: bool) -> None:
        self.counts[gender][gold, predicted] += 1
        self.counts["all"][gold, predicted] += 1

    def f1(self, gender: str) -> float:
        c = self.counts[gender]
        hit, false_alarm, miss = c[True, True], c[False, True], c[True, False]
        precision = hit / (hit + false_alarm) if hit + false_alarm else 0.0
        recall = hit / (hit + miss) if hit + miss else 0.0
        return 100 * 2 * precision * recall / (precision + recall) if precision + recall else 0.0


_GAP_PARSED: dict[Path, list[tuple[dict[str, str], Doc]]] = {}


def _gap_rows(nlp: Language, path: Path) -> list[tuple[dict[str, str], Doc]]:
    """GAP's rows of one file with their texts parsed, once per process."""
    if path not in _GAP_PARSED:
        with path.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
        docs = nlp.pipe((r["Text"] for r in rows), batch_size=32)
        _GAP_PARSED[path] = list(zip(rows, docs, strict=True))
    return _GAP_PARSED[path]


def _span_at(doc: Doc, start: int, text: str) -> Span | None:
    return doc.char_span(start, start + len(text), alignment_mode="expand")


class GapRecorder:
    """A ranker for fitting on GAP's development rows: it records the features of the row's
    pronoun with the gold labels of its two names and follows the gold; every other pronoun
    of the text is linked by the hand rule."""

    def __init__(self, pronoun: int, person: str, window: int | None) -> None:
        self.pronoun, self.person, self.window = pronoun, person, window
        self.overrides_rule_at: float | None = None  # a ranking being fitted never overrides
        self.groups: list[tuple[list[dict[str, float]], list[int]]] = []

    def scores(self, pronoun: Mention, candidates: list[Mention], context: Entities) -> list[float]:
        if pronoun.token != self.pronoun:
            return NearestSubject().scores(pronoun, candidates, context)
        labels = [int(c.entity == self.person) for c in candidates]
        if any(labels):
            self.groups.append((context.features(pronoun, candidates), labels))
        return [float(label) for label in labels]


def gap_training_groups(
    nlp: Language, path: Path, window: int | None
) -> list[tuple[list[dict[str, float]], list[int]]]:
    """Features and labels of each GAP row whose pronoun is one of its two names."""
    groups = []
    for row, doc in _gap_rows(nlp, path):
        spans = {
            key: _span_at(doc, int(row[f"{key}-offset"]), row[key])
            for key in ("A", "B")
            if row[f"{key}-coref"].upper() == "TRUE"
        }
        pronoun = _span_at(doc, int(row["Pronoun-offset"]), row["Pronoun"])
        a, b = _span_at(doc, int(row["A-offset"]), row["A"]), _span_at(doc, int(row["B-offset"]), row["B"])
        right = next(iter(spans.values()), None)
        if pronoun is None or right is None:
            continue
        names = name_mentions(doc, [s for s in (a, b) if s is not None])
        person = {i: p for i, p, _ in names}.get(right.root.i)
        if person is None:
            continue
        recorder = GapRecorder(pronoun.root.i, person, window)
        in_quote, paragraph_of = text_context(doc.text)
        Entities(doc, names, in_quote, paragraph_of, recorder, person_noun)
        groups.extend(recorder.groups)
    return groups


def score_gap(nlp: Language, path: Path, rankers: dict[str, Ranker]) -> dict[str, GapScore]:
    scores = {label: GapScore() for label in rankers}
    for row, doc in _gap_rows(nlp, path):
        a = _span_at(doc, int(row["A-offset"]), row["A"])
        b = _span_at(doc, int(row["B-offset"]), row["B"])
        pronoun = _span_at(doc, int(row["Pronoun-offset"]), row["Pronoun"])
        gender = "F" if PRONOUN_GENDERS.get(row["Pronoun"].lower()) == "f" else "M"
        names = name_mentions(doc, [s for s in (a, b) if s is not None])
        person_at = {i: person for i, person, _ in names}
        in_quote, paragraph_of = text_context(doc.text)
        for label, ranker in rankers.items():
            entities = Entities(doc, names, in_quote, paragraph_of, ranker, person_noun)
            link = entities.link(pronoun.root) if pronoun is not None else None
            for span, gold in ((a, row["A-coref"]), (b, row["B-coref"])):
                predicted = (
                    link is not None and span is not None and person_at.get(span.root.i) == link.entity
                )
                scores[label].add(gender, predicted, gold.upper() == "TRUE")
    return scores


# --- the tables -----------------------------------------------------------------------------
def rankers() -> dict[str, Ranker]:
    return {"rule (nearest subject)": NearestSubject(), "learned": LearnedRanker.from_file()}


def main(nlp: Language | None = None) -> None:
    problem = shared_missing()
    if problem:
        print(f"Coreference: skipped. {problem}.")
        return
    from quotes.extraction.extractor import load_model

    nlp = nlp or load_model()
    every = read_gum(nlp, ["train", "dev", "test"])
    test = [gold for gold in every if gold.split == "test"]
    print("Pronoun links on GUM's test split (fit on train, chosen on dev; every genre but news)")
    header = ("ranker", "pronouns", "antecedent", "named before", "person", "unlinked")
    print("{:<22} {:>8} {:>11} {:>12} {:>8} {:>9}".format(*header))
    for label, ranker in rankers().items():
        print(score_pronouns(test, ranker).row(label))
    print()
    print(
        'Definite descriptions of a person or organisation ("the company", "the minister") on'
        " GUM's test split, read as a speaker's: the name the entity had before, or none for someone new"
    )
    header = ("linking", "linkable", "named right", "new", "given a name", "accuracy")
    print("{:<22} {:>9} {:>12} {:>6} {:>13} {:>10}".format(*header))
    for label, how in (
        ("rules alone", None),
        ("rules (engine)", Decider.RULES),
        ("logistic alone", DescriptionLinker.from_file(model="logistic")),
        ("ranking alone", DescriptionLinker.from_file(model="ranking")),
        ("linker, rules second", Decider.LEARNED),
    ):
        if how is None:
            with rules_alone():
                print(score_descriptions(test, Decider.RULES).row(label))
        else:
            print(score_descriptions(test, how).row(label))
    print()
    print(
        "People and organisations on GUM's test split as one coreference system (gold mentions;"
        " a mention given no name stands alone): MUC, B³, CEAF-e F1 and their average"
    )
    print(f"{'resolution':<22} {'MUC':>6} {'B3':>6} {'CEAF-e':>7} {'average':>8}")
    for label, how in (
        ("names only", "names"),
        ("speaker layer", "rules"),
        ("learned deciding", "learned"),
    ):
        scores = score_entities(test, how)
        figures = " ".join(
            f"{100 * scores[name].f1:>{width}.1f}" for name, width in (("MUC", 6), ("B3", 6), ("CEAF-e", 7))
        )
        print(f"{label:<22} {figures} {100 * average_f1(scores):>8.1f}")
    from .extraction import HELDOUT_NAMES

    if HELDOUT_NAMES.exists():
        heldout = news_description_groups(nlp, HELDOUT_NAMES)
        print(
            f"The same on news: the {len(heldout)} definite descriptions that speak in the held-out names set"
            " (at their gold mentions), read right by the rules"
            f" {read_right(None, heldout):.1f}%, by the logistic linker"
            f" {read_right(DescriptionLinker.from_file(model='logistic'), heldout):.1f}%, by the ranking"
            f" (null candidate) {read_right(DescriptionLinker.from_file(model='ranking'), heldout):.1f}%"
        )
    if HELDOUT_NAMES.exists():
        overrides_at = LearnedRanker.from_file().overrides_rule_at
        decisions = pronoun_decisions(read_news_pronouns(nlp, HELDOUT_NAMES), None)
        combined = (
            "the ranking never overrides the rule (make train's choice)"
            if overrides_at is None
            else f"the rule with the ranking overriding it where at least {overrides_at} sure"
            f" {decided_right(decisions, overrides_at):.1f}%"
        )
        print(
            f"News speakers given by he or she in the held-out names set ({len(decisions)} the engine's"
            " quotes stand on, at their gold mentions): the person right by the rule"
            f" {decided_right(decisions, None):.1f}%, by the ranking alone {ranking_right(decisions):.1f}%;"
            f" {combined}"
        )
    print()
    print("GAP test (2,000 pronouns, 4,000 name pairs): F1 of 'this name is the pronoun's'")
    print(f"{'ranker':<22} {'F1':>6} {'male':>6} {'female':>7} {'F/M':>6}")
    for label, gap in score_gap(nlp, GAP_DIR / "gap-test.tsv", rankers()).items():
        male, female = gap.f1("M"), gap.f1("F")
        bias = female / male if male else 0.0
        print(f"{label:<22} {gap.f1('all'):>6.1f} {male:>6.1f} {female:>7.1f} {bias:>6.2f}")
    print("Published on GAP test: the dataset paper's best baseline 66.9; a BERT-based system 92.5.")


if __name__ == "__main__":
    main()
    sys.exit(0)
