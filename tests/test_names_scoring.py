"""The strict test of the speakers-by-name table (evaluation/names.py): a predicted
person is right only when it names the gold person and no other of the article."""

from __future__ import annotations

from evaluation.names import name_words, person_correct

FAMILY = {name_words("Donald Trump"), name_words("Ivanka Trump"), name_words("Eric Trump")}


def test_a_full_name_is_right_for_its_person():
    assert person_correct("Donald Trump", "Donald Trump", FAMILY)
    assert person_correct("Donald J. Trump", "Donald Trump", FAMILY)


def test_titles_do_not_count_as_name_words():
    assert person_correct("Sen. Ted Cruz", "Ted Cruz", [name_words("Ted Cruz")])


def test_a_surname_shared_by_family_members_is_wrong():
    assert not person_correct("Trump", "Ivanka Trump", FAMILY)
    assert not person_correct("Trump", "Donald Trump", FAMILY)


def test_a_surname_is_right_when_no_one_else_carries_it():
    assert person_correct("Trump", "Donald Trump", [name_words("Donald Trump"), name_words("Ted Cruz")])


def test_another_family_member_is_wrong():
    assert not person_correct("Donald Trump", "Ivanka Trump", FAMILY)
    assert not person_correct("Hillary Clinton", "Bill Clinton", [name_words("Bill Clinton")])


def test_a_generation_makes_another_person():
    people = {name_words("Donald Trump"), name_words("Donald Trump Jr.")}
    assert not person_correct("Donald Trump Jr.", "Donald Trump", people)
    assert person_correct("Donald Trump Jr.", "Donald Trump Jr.", people)


def test_no_prediction_is_wrong():
    assert not person_correct(None, "Donald Trump", FAMILY)


def test_a_document_is_right_when_its_issuer_is_named():
    from evaluation.names import names_issuer

    assert names_issuer("SITE Intelligence Group", "a report from the SITE Intelligence Group")
    assert names_issuer("Donald Trump", "Donald Trump's statement")
    assert not names_issuer("Bernie Sanders's campaign", "Sanders campaign fundraising email")
    assert not names_issuer("2010", "archived version of the Eric Trump Foundation website from 2010")
    assert not names_issuer("the two", "statement by Donald Trump and Paul Ryan")
    assert not names_issuer(None, "the report")
