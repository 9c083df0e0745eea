"""Names built from the right mention: the speaker's mention is found, and its name is
what the article calls the speaker, not a word beside it.

One short made-up text per construction. No database, no Django.
"""

from __future__ import annotations

import pytest

from quotes.extraction import QuoteFinding, extract, load_model


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def _speaker(text: str, nlp) -> tuple[str | None, str | None]:
    findings: list[QuoteFinding] = extract(text, nlp)
    assert len(findings) == 1, [(f.text, f.speaker) for f in findings]
    return findings[0].speaker, findings[0].speaker_type


# --- a word describing an organisation, before its name ----------------------------------------
def test_a_nationality_before_an_organisation_is_not_its_name(nlp):
    text = "Nordic group Kestrel said on Monday that “the merger is off.”"
    assert _speaker(text, nlp) == ("Kestrel", "organisation")


def test_a_nationality_and_a_trade_before_a_company_are_not_its_name(nlp):
    text = "“We will cut 5,000 jobs by 2030,” German carmaker Volkswagen said."
    assert _speaker(text, nlp) == ("Volkswagen", "organisation")


def test_a_country_owning_an_organisation_is_not_its_name(nlp):
    text = "“The pipeline will be finished next year,” said Norway's Statoil."
    assert _speaker(text, nlp) == ("Statoil", "organisation")


def test_an_organisation_is_named_by_itself_not_by_the_one_that_owns_it(nlp):
    text = "“The quay stays closed until Friday,” the Port Authority's Harbour Board said."
    assert _speaker(text, nlp) == ("Harbour Board", "organisation")


# --- a possessor glued to the name -------------------------------------------------------------
def test_a_possessor_is_not_glued_to_the_name_it_owns(nlp):
    # The tagger reads "Acme’s Kestrel" as one name; dropping "’s" used to give "AcmeKestrel".
    text = "“We will appeal the ruling,” Acme’s Kestrel said."
    assert _speaker(text, nlp)[0] == "Kestrel"


def test_a_possessive_inside_an_organisation_name_stays(nlp):
    text = "“We will hire 300 people,” McDonald's Corp said."
    assert _speaker(text, nlp) == ("McDonald's Corp", "organisation")


# --- a capitalised title set beside the name ---------------------------------------------------
def test_a_capitalised_title_before_a_name_in_apposition_is_not_the_name(nlp):
    text = "Keeper of the Seal, Ana Ruiz, said the archive “will reopen in June.”"
    assert _speaker(text, nlp) == ("Ana Ruiz", "person")


def test_a_capitalised_title_tagged_as_a_person_is_not_the_name(nlp):
    text = "“The archive will reopen in June,” Keeper of the Seal, Ana Ruiz, said."
    assert _speaker(text, nlp) == ("Ana Ruiz", "person")


def test_a_name_followed_by_its_capitalised_title_stays_the_name(nlp):
    text = "Ana Ruiz, Keeper of the Seal, said the archive “will reopen in June.”"
    assert _speaker(text, nlp) == ("Ana Ruiz", "person")


# --- an entity the tagger runs over the cue ---------------------------------------------------
def test_a_name_tagged_together_with_its_cue_stops_at_the_verb(nlp):
    # The small model tags "Trump told Business Insider" as one title of a work (with straight
    # quote marks; curly ones happen to parse it right).
    text = (
        '"Parental leave is important," Ivanka Trump told reporters.'
        ' "It is a personal decision," Trump told Business Insider in March.'
    )
    findings = extract(text, nlp)
    assert [(f.speaker, f.speaker_type) for f in findings] == [("Ivanka Trump", "person")] * 2


@pytest.mark.parametrize("title", ["Councillor", "Deputy Mayor", "Commissioner", "Sheriff"])
def test_a_title_before_a_first_name_is_no_part_of_the_name(nlp, title):
    text = f"“The pier is closed,” said {title} Paul Lind."
    assert _speaker(text, nlp) == ("Paul Lind", "person")


def test_a_title_word_that_opens_a_company_name_stays(nlp):
    text = "General Motors said on Monday that “the plant is closed.”"
    assert _speaker(text, nlp) == ("General Motors", "organisation")


def test_of_two_subjects_the_place_is_the_misparse(nlp):
    # The parser hangs "Georgia" on "said" as a second subject.
    text = "Most Republican voters in Alabama, Georgia and Virginia said “the pier must stay open.”"
    speaker, kind = _speaker(text, nlp)
    assert kind == "group"
    assert speaker is not None and "voters" in speaker


def test_a_share_keeps_its_sign(nlp):
    text = "Just shy of half, 49%, say “the pier must stay open.”"
    assert _speaker(text, nlp) == ("49%", "description")


@pytest.mark.parametrize(
    "sentence",
    [
        "One of the harbour's pilots, Ines Alvarez, said “the tugs are too slow.”",
        "Pilot and union organiser Ines Alvarez said “the tugs are too slow.”",
    ],
)
def test_the_name_beside_a_long_description_or_joined_titles_speaks(nlp, sentence):
    assert _speaker(sentence, nlp) == ("Ines Alvarez", "person")


# --- a first name given alone beside a relative -----------------------------------------------------
@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Hillary Clinton campaigned in Iowa. Clinton's husband, Bill, attacked Sanders in a speech."
            " “I wish I was just a former president,” he said.",
            "Bill Clinton",
        ),
        (
            "Aubrey Pelletier hoisted a sign. Her father, Brad, 39, worried about voters."
            " “People are afraid,” he said.",
            "Brad Pelletier",
        ),
        # A full name of their own is theirs.
        ("Ana Ruiz opened the pier. Her brother, Tom Vance, spoke. “It is good,” he said.", "Tom Vance"),
    ],
)
def test_a_first_name_beside_a_relative_takes_the_relatives_surname(nlp, text, speaker):
    assert _speaker(text, nlp) == (speaker, "person")
