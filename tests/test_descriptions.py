"""Definite descriptions ("the company", "the vice president") linked to an entity the article
named before, or to no one, on short made-up texts.

No database, no Django, no ../shared: the linker's weights are the committed file `make
train` builds.
"""

from __future__ import annotations

import math

import pytest

from quotes.extraction import extract, load_model
from quotes.extraction.descriptions import (
    ORGANISATION,
    PERSON,
    Candidate,
    Description,
    DescriptionLinker,
    description_linker,
    features,
    null_row,
)
from quotes.extraction.name_spans import mention_span
from quotes.extraction.speakers import Decider, Resolution, SpeakerResolver
from quotes.words import SpeakerType

DESCRIPTION_MODEL = "logistic"  # evaluation/training.py's choice, which the committed file records


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def _description(head: str, words: set[str], kind: str = PERSON, sentence: int = 3) -> Description:
    return Description(
        head=head,
        kind=kind,
        words=frozenset(words),
        gender=None,
        sentence=sentence,
        modified=len(words) > 1,
        possessed=False,
    )


def _candidate(name: str, words: set[str], last_sentence: int, kind: str = PERSON) -> Candidate:
    return Candidate(
        name=name,
        kind=kind,
        words=frozenset(words),
        mentions=1,
        last_sentence=last_sentence,
        last_subject=True,
        gender=None,
        press=False,
    )


def _speaker(nlp, text: str, fragment: str) -> tuple[str | None, float]:
    for finding in extract(text, nlp):
        if fragment in finding.text:
            return finding.speaker, finding.confidence
    raise AssertionError(f"no quote containing {fragment!r}")


def _resolver_at(nlp, text: str, head: str, descriptions: Decider | DescriptionLinker = Decider.RULES):
    doc = nlp(text)
    token = next(t for t in doc if t.text == head)
    return SpeakerResolver(doc, descriptions=descriptions), mention_span(token)


# --- the features ---------------------------------------------------------------------------------
def test_a_candidate_holding_every_word_of_the_description_is_marked_as_such():
    description = _description("president", {"vice", "president"})
    biden = _candidate("Joe Biden", {"joe", "biden", "vice", "president"}, last_sentence=0)
    trump = _candidate("Donald Trump", {"donald", "trump", "president"}, last_sentence=2)
    rows = features(description, [biden, trump], rule_pick="Joe Biden")
    assert rows[0]["shares_all"] == rows[0]["shares_most"] == rows[0]["rule_pick"] == 1.0
    assert "shares_all" not in rows[1] and "shares_most" not in rows[1] and "rule_pick" not in rows[1]
    assert rows[1]["recency=0"] == 1.0 and rows[0]["recency=1"] == 1.0


def test_a_person_noun_against_an_organisation_is_its_own_pairing():
    description = _description("senator", {"senator"})
    party = _candidate("Democratic Party", {"democratic", "party"}, 2, kind=ORGANISATION)
    (row,) = features(description, [party], rule_pick=None)
    assert row["pair=person>organisation"] == 1.0


# --- choosing ---------------------------------------------------------------------------------------
def test_the_linker_takes_the_best_candidate_only_when_sure_enough():
    linker = DescriptionLinker({"shares_words": 4.0}, intercept=-2.0, threshold=0.5)
    description = _description("company", {"company"}, kind=ORGANISATION)
    lumina = _candidate("Lumina Corp.", {"lumina", "corp.", "company"}, 2, kind=ORGANISATION)
    harbour = _candidate("Harbour Authority", {"harbour", "authority"}, 2, kind=ORGANISATION)
    chosen = linker.choose(description, [harbour, lumina], rule_pick=None)
    assert chosen is not None and chosen[0] is lumina and chosen[1] > 0.5
    # Nothing shares a word: someone the article did not name before.
    assert linker.choose(description, [harbour], rule_pick=None) is None
    assert linker.choose(description, [], rule_pick=None) is None


def test_the_committed_linker_is_read_from_make_trains_file():
    linker = description_linker()
    assert linker.weights, "make train writes quotes/extraction/data/description_linker.json"
    # What the data taught, in the direction a reader expects.
    assert linker.weights["distance=0"] > linker.weights["distance=>8"]
    assert linker.weights["pair=person>person"] > linker.weights["pair=person>organisation"]


# --- in the speaker layer ---------------------------------------------------------------------------
def test_a_description_is_read_with_every_entity_named_before_it(nlp):
    text = (
        "Lumina Corp. shares jumped on Monday. Chief executive Dana Whitfield thanked investors. "
        "The company said its profits doubled."
    )
    resolver, mention = _resolver_at(nlp, text, "company")
    reading = resolver.description_reading(mention)
    assert reading is not None
    description, candidates = reading
    assert description.kind == ORGANISATION and description.head == "company"
    kinds = {c.name: c.kind for c in candidates}
    assert kinds.get("Dana Whitfield") == PERSON
    assert any(kind == ORGANISATION and "Lumina" in name for name, kind in kinds.items())


def test_a_description_of_neither_a_person_nor_an_organisation_is_not_the_linkers(nlp):
    resolver, mention = _resolver_at(nlp, "Ana Ruiz spoke. The weather said little.", "weather")
    assert resolver.description_reading(mention) is None


def test_the_learned_linker_reads_the_union_as_the_union_named_before(nlp):
    text = "Unison called a strike at the hospital on Monday. The union said the pay offer was an insult."
    resolver, mention = _resolver_at(nlp, text, "union", descriptions=Decider.LEARNED)
    found = resolver.resolve(mention)
    assert found.name == "Unison"


def test_a_company_named_with_a_first_name_is_not_a_person(nlp):
    doc = nlp("Lumina Corp. shares jumped on Monday. The company said its profits doubled.")
    resolver = SpeakerResolver(doc, descriptions="rules")
    assert not resolver.people.by_name
    assert resolver.resolve(mention_span(next(t for t in doc if t.text == "company"))).name == "Lumina Corp."


def test_the_rules_decide_and_a_disagreeing_linker_flags_the_attribution(nlp, monkeypatch):
    text = (
        "Vice President Joe Biden visited Kyiv on Monday. Donald Trump stayed in Florida.\n\n"
        "“We stand with Ukraine,” the vice president said."
    )
    speaker, confidence = _speaker(nlp, text, "We stand with Ukraine")
    assert speaker == "Joe Biden" and confidence >= 0.6
    never = DescriptionLinker({}, intercept=-10.0, threshold=0.5)  # links no description to anyone
    monkeypatch.setattr("quotes.extraction.speakers.description_linker", lambda: never)
    flagged_speaker, flagged_confidence = _speaker(nlp, text, "We stand with Ukraine")
    assert flagged_speaker == "Joe Biden"  # the rules still choose…
    assert flagged_confidence < 0.6  # …but the pages flag it as doubtful


def test_side_by_side_the_linker_decides_alone_or_before_the_rules(nlp, monkeypatch):
    text = "Vice President Joe Biden visited Kyiv on Monday. The vice president said little."
    never = DescriptionLinker({}, intercept=-10.0, threshold=0.5)
    monkeypatch.setattr("quotes.extraction.speakers.description_linker", lambda: never)
    resolver, mention = _resolver_at(nlp, text, "president", descriptions=Decider.LEARNED)
    found = resolver.resolve(mention)
    assert found.name == "Joe Biden" and found.confidence < 0.6  # the rules' choice, flagged
    resolver, mention = _resolver_at(nlp, text, "president", descriptions=never)
    assert resolver.resolve(mention).name == "the vice president"  # as written: someone new
    other = Resolution("Donald Trump", SpeakerType.PERSON, 0.75)
    monkeypatch.setattr(SpeakerResolver, "rule_link", lambda self, mention: other)
    resolver, mention = _resolver_at(nlp, text, "president")
    assert resolver.resolve(mention).name == "Donald Trump"


# --- the ranking with a null candidate --------------------------------------------------------------
def _person(name: str, words: set[str], last_sentence: int, roles: set[str] = frozenset()) -> Candidate:
    return Candidate(
        name=name,
        kind=PERSON,
        words=frozenset(words | set(roles)),
        mentions=1,
        last_sentence=last_sentence,
        last_subject=True,
        gender=None,
        press=False,
        roles=frozenset(roles),
    )


def test_the_role_a_candidate_holds_is_weighed_against_the_descriptions_noun():
    coach = _description("coach", {"coach"})
    rows = features(
        coach,
        [
            _person("Lou DeMarco", {"lou", "demarco"}, 1, roles={"coach"}),
            _person("Ines Alvarez", {"ines", "alvarez"}, 2, roles={"mayor"}),
            _person("Sam Ode", {"sam", "ode"}, 2),
        ],
        rule_pick=None,
    )
    assert rows[0].get("role_named") == 1.0 and "role_other" not in rows[0]
    assert rows[1].get("role_other") == 1.0 and "role_named" not in rows[1]  # a mayor is not the coach
    assert rows[2].get("role_unknown") == 1.0  # never given a role


def test_the_subject_of_the_sentence_just_before_is_marked():
    description = _description("senator", {"senator"}, sentence=3)
    rows = features(
        description, [_person("Ana Ruiz", {"ana", "ruiz"}, 2), _person("Bo Li", {"bo", "li"}, 1)], None
    )
    assert rows[0].get("subject_just_before") == 1.0 and "subject_just_before" not in rows[1]


def test_the_null_candidate_says_what_the_description_is_and_whether_anyone_fits():
    coach = _description("coach", {"coach"})
    rows = features(coach, [_person("Ines Alvarez", {"ines", "alvarez"}, 2, roles={"mayor"})], rule_pick=None)
    row = null_row(rows)
    assert row["null"] == 1.0 and row["null&kind=person"] == 1.0 and row["null&in_news"] == 1.0
    assert row["null&none_shares"] == row["null&no_rule_pick"] == row["null&other_roles_only"] == 1.0
    assert row["null&candidates=1"] == 1.0
    picked = features(coach, [_person("Lou DeMarco", {"lou", "demarco"}, 2, roles={"coach"})], "Lou DeMarco")
    assert not {"null&none_shares", "null&no_rule_pick", "null&other_roles_only"} & set(null_row(picked))
    assert null_row([]) == {"null": 1.0}


def test_the_ranking_weighs_someone_new_inside_the_softmax():
    ranking = DescriptionLinker({"shares_words": 3.0, "null": 1.0}, 0.0, 0.0, ranking=True)
    description = _description("company", {"company"}, kind=ORGANISATION)
    lumina = _candidate("Lumina Corp.", {"lumina", "corp.", "company"}, 2, kind=ORGANISATION)
    harbour = _candidate("Harbour Authority", {"harbour", "authority"}, 2, kind=ORGANISATION)
    chosen = ranking.choose(description, [harbour, lumina], rule_pick=None)
    assert chosen is not None and chosen[0] is lumina
    assert abs(chosen[1] - math.exp(3) / (math.exp(3) + 1 + math.e)) < 1e-9  # one softmax over all
    # Nothing shares a word: someone new (the null candidate, score 1) beats Harbour (score 0).
    assert ranking.choose(description, [harbour], rule_pick=None) is None
    assert ranking.new_probability(features(description, [harbour], None)) > 0.5
    assert ranking.choose(description, [], rule_pick=None) is None


def test_the_weights_file_holds_both_models_and_says_which_is_in_use():
    logistic = DescriptionLinker.from_file(model="logistic")
    ranking = DescriptionLinker.from_file(model="ranking")
    assert not logistic.ranking and 0 < logistic.threshold < 1
    assert ranking.ranking and "null" in ranking.weights and ranking.threshold == 0.0
    assert description_linker().ranking == (DESCRIPTION_MODEL == "ranking")


def test_the_coach_is_not_the_person_named_last_whom_the_article_never_called_a_coach(nlp):
    text = "Ines Alvarez opened the pier. The pier, according to the coach, is too small."
    speaker, _confidence = _speaker(nlp, text, "too small")
    assert speaker != "Ines Alvarez"
    # Called a coach, she is the coach.
    text = "Coach Ines Alvarez opened the pier. The pier, according to the coach, is too small."
    speaker, _confidence = _speaker(nlp, text, "too small")
    assert speaker == "Ines Alvarez"


def test_only_a_role_noun_is_refused_to_a_person_the_article_gave_no_title(nlp):
    text = "Ines Alvarez opened the pier on Monday. The coach said little."
    resolver, mention = _resolver_at(nlp, text, "coach")
    assert resolver.resolve(mention).name != "Ines Alvarez"
    # Not a role: "the actress" is still the woman the text is about.
    text = "Ines Alvarez opened the pier on Monday. The actress said little."
    resolver, mention = _resolver_at(nlp, text, "actress")
    assert resolver.resolve(mention).name == "Ines Alvarez"
    # A role she holds: hers.
    text = "Vice President Ines Alvarez opened the pier on Monday. The vice president said little."
    resolver, mention = _resolver_at(nlp, text, "president")
    assert resolver.resolve(mention).name == "Ines Alvarez"


@pytest.mark.parametrize(
    ("text", "word", "owner"),
    [
        (
            "Donald Trump spoke in Ohio on Monday. Trump's campaign said the rally was full.",
            "campaign",
            "Donald Trump",
        ),
        (
            "Ted Cruz met donors on Monday. The senior Cruz adviser said the race was close.",
            "adviser",
            "Ted Cruz",
        ),
        ("NATO met in Brussels on Monday. NATO's spokesman said the talks went well.", "spokesman", "NATO"),
    ],
)
def test_a_description_is_never_linked_to_its_owner(nlp, text, word, owner):
    # "Trump's campaign" and "the senior Cruz adviser" belong to Trump and to Cruz: neither is
    # them, so the linker is never offered them as what the description refers to.
    resolver, mention = _resolver_at(nlp, text, word)
    reading = resolver.description_reading(mention)
    assert reading is not None
    assert owner not in {c.name for c in reading[1]}
