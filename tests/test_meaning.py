"""Meaning-changing edits between a family's canonical text and a version: pure Python, no database."""

from __future__ import annotations

from quotes.families.meaning import Flag, meaning_flags

TRUST = (
    "Even if the fighting ends, we will not return to some kind of normal, friendly, relationship with "
    "Russia. Trust has been destroyed,"
)
DECADES = "NATO has worked for decades to develop a better and more constructive relationship with Russia"


def _types(canonical: str, version: str, quoted: bool = True) -> list[str]:
    return [flag.type for flag in meaning_flags(canonical, version, quoted=quoted)]


def test_retranslation_with_synonyms_and_contractions_changes_nothing():
    version = (
        "Even if the fighting stops, we won’t return to some sort of normal, friendly relationship with "
        "Russia. Trust has been destroyed"
    )
    assert meaning_flags(TRUST, version) == []


def test_hyphenated_rewording_and_inflections_change_nothing():
    canonical = "I think the war has had long-lasting consequences for the relationship with Russia."
    assert (
        meaning_flags(canonical, "I think the war had lasting consequences on relations with Russia.") == []
    )


def test_excerpts_ellipses_and_bracketed_insertions_change_nothing():
    assert meaning_flags(TRUST, "Trust has been destroyed") == []
    assert (
        meaning_flags(DECADES, "NATO has worked … to develop a better and more constructive relationship")
        == []
    )
    assert (
        meaning_flags(DECADES, "[The alliance] has worked for decades to develop a better relationship") == []
    )


def test_dropped_not_is_flagged_with_its_words():
    version = TRUST.replace("will not return", "will return")
    [flag] = meaning_flags(TRUST, version)
    assert flag == Flag("negation", "will not return", "will return")
    assert flag.label == "dropped 'not'"


def test_added_negation_through_a_contraction():
    canonical = "We will send more troops to the eastern flank next year"
    [flag] = meaning_flags(canonical, "We won't send more troops to the eastern flank next year")
    assert flag.type == "negation"
    assert flag.label == "added 'not'"


def test_never_for_not_is_no_change_of_polarity():
    canonical = "We will not accept a new Cold War in Europe"
    assert meaning_flags(canonical, "We will never accept a new Cold War in Europe") == []


def test_changed_number():
    [flag] = meaning_flags(
        "44 percent of voters support the new border plan", "40 percent of voters support the new border plan"
    )
    assert (flag.type, flag.before, flag.after, flag.label) == ("number", "44", "40", "changed a number")


def test_fraction_added_to_a_number():
    canonical = "He was sentenced to 5 years in prison for the fraud"
    [flag] = meaning_flags(canonical, "He was sentenced to 5 1/2 years in prison for the fraud")
    assert (flag.before, flag.after, flag.label) == ("5", "5 1/2", "changed a number")


def test_number_dropped_from_the_start_of_an_excerpt():
    [flag] = meaning_flags(
        "44 percent of voters support the new border plan", "percent of voters support the new border plan"
    )
    assert flag.label == "dropped a number"


def test_the_same_number_written_differently_is_no_change():
    canonical = "Forty-four percent of voters support the new border plan"
    assert meaning_flags(canonical, "44% of voters support the new border plan") == []
    assert meaning_flags("We will send five ships to the region", "We will send 5 ships to the region") == []


def test_swapped_country():
    version = TRUST.replace("Russia", "Ukraine")
    [flag] = meaning_flags(TRUST, version)
    assert (flag.type, flag.before, flag.after, flag.label) == (
        "entity",
        "Russia",
        "Ukraine",
        "swapped a name",
    )


def test_a_capital_for_its_country_or_a_new_spelling_is_no_swap():
    canonical = "The talks with Russia on the grain corridor will resume next week in Geneva"
    assert meaning_flags(canonical, canonical.replace("Russia", "Moscow")) == []
    canonical = "Our embassy in Kiev will reopen once the talks on the grain corridor resume"
    assert meaning_flags(canonical, canonical.replace("Kiev", "Kyiv")) == []


def test_words_added_inside_the_quote_marks():
    canonical = "with Russia that we had before the war started in the east"
    version = "with Russia that we had before the illegal war started in the east"
    [flag] = meaning_flags(canonical, version)
    assert (flag.type, flag.after, flag.label) == ("added", "illegal", "added words")


def test_a_paraphrase_may_use_words_of_its_own():
    canonical = "with Russia that we had before the war started in the east"
    version = "with Russia that we had before the illegal war started in the east"
    assert meaning_flags(canonical, version, quoted=False) == []


def test_cut_if_clause_is_flagged():
    version = "we will not return to some kind of normal, friendly, relationship with Russia"
    [flag] = meaning_flags(TRUST, version)
    assert (flag.type, flag.before, flag.label) == (
        "qualifier",
        "Even if the fighting ends",
        "cut a qualifier",
    )


def test_cut_unless_clause_at_the_end():
    canonical = "We will lift the sanctions on the banks next month, unless the shelling of the city resumes"
    [flag] = meaning_flags(canonical, "We will lift the sanctions on the banks next month")
    assert flag.before == "unless the shelling of the city resumes"


def test_qualifier_of_another_sentence_is_not_lost():
    canonical = "We will lift the sanctions if the shelling stops. The banks must stay closed until then."
    assert meaning_flags(canonical, "The banks must stay closed until then.") == []


def test_unrelated_texts_raise_no_flags():
    assert meaning_flags(TRUST, "The weather in Brussels was cold and wet on Monday") == []
    assert meaning_flags("", "anything") == []


def test_flag_as_dict_for_the_api():
    flag = Flag("negation", "will not return", "will return")
    assert flag.as_dict() == {
        "type": "negation",
        "before": "will not return",
        "after": "will return",
        "label": "dropped 'not'",
    }


def test_labelled_set_from_the_seeds_has_every_edit_type_and_real_variants(tmp_path):
    from evaluation.meaning import build_set

    items = build_set(tmp_path / "missing.jsonl")
    assert {item.source for item in items} == {"seeds"}
    assert {kind for item in items for kind in item.gold} == {
        "number",
        "negation",
        "entity",
        "added",
        "qualifier",
    }
    assert any(item.kind == "real" and not item.gold for item in items)
    assert build_set(tmp_path / "missing.jsonl") == items  # a fixed seed: the same set every run


def test_controlled_edits_make_the_change_they_are_labelled_with():
    import random

    from evaluation.meaning import edit

    rng = random.Random(1)
    assert (
        edit("We will not return to normal relations", "negation", rng, [])
        == "We will return to normal relations"
    )
    assert edit("If the fighting ends, we will talk again", "qualifier", rng, []) == "we will talk again"
    assert (
        edit("We will talk to Russia next week", "entity", rng, ["Ukraine"])
        == "We will talk to Ukraine next week"
    )
    assert edit("We will talk to them next week", "number", rng, []) is None


def test_evaluation_prints_precision_and_recall_per_flag_type(tmp_path, capsys):
    from evaluation.meaning import evaluate

    evaluate(tmp_path / "missing.jsonl")
    out = capsys.readouterr().out
    for kind in ("number", "negation", "entity", "added", "qualifier"):
        assert f"{kind}: precision" in out


def test_an_excerpt_starting_after_a_sentence_that_ends_in_a_number_drops_none():
    canonical = "We have reinforced the eastern flank since 2014. Trust has been destroyed by the invasion"
    assert meaning_flags(canonical, "Trust has been destroyed by the invasion") == []


def test_a_not_dropped_in_one_place_and_added_in_another_is_two_edits():
    canonical = "I did not say we would leave, and we will stay in Kabul."
    flags = meaning_flags(canonical, "I did say we would leave, and we will not stay in Kabul.")
    assert flags == [
        Flag("negation", "did not say", "did say"),
        Flag("negation", "will stay", "will not stay"),
    ]
    assert [flag.label for flag in flags] == ["dropped 'not'", "added 'not'"]


def test_a_negation_moved_with_what_it_denies_is_no_edit():
    canonical = "I think he would be the best nominee, but he doesn't have a chance,"
    version = "but he does not have a chance, I think he would be the best nominee"
    assert _types(canonical, version) == []
