"""Quote-family matching: pure Python, no database (run with ``-p no:django``)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta

from quotes.families.diffs import word_diff
from quotes.families.folding import fingerprint, normalize, tokens
from quotes.families.keys import MAX_KEYS, shingle_keys
from quotes.families.placement import FamilyCandidate, place_version, should_become_canonical

TRUST_USAWORLD = (
    "Even if the fighting stops, we won’t return to some sort of normal, friendly relationship with "
    "Russia. Trust has been destroyed"
)
TRUST_ZEROHEDGE = (
    "Even if the fighting ends, we will not return to some kind of normal, friendly, relationship with "
    "Russia. Trust has been destroyed"
)
CONSEQUENCES_USAWORLD = "the war had lasting consequences on relations with Russia"
CONSEQUENCES_ZEROHEDGE = "the war has had long-lasting consequences for the relationship with Russia"
DOORSTEP = (
    "NATO is a defensive alliance. What we do is proportionate and measured. And for many, many years "
    "after the end of the Cold War, NATO Allies reduced defence spending, reduced their military "
    "capabilities. And we tried to establish a partnership with Russia. Then we have seen, especially "
    "since 2014 with the illegal annexation of Crimea, with Russia being responsible for destabilising "
    "eastern Ukraine, we've seen a pattern where Russia is more assertive and where Russia has been "
    "responsible for violating international law. We are responding in a defensive, proportionate way. "
    "With some more military presence in the eastern part of the Alliance. Germany is part of that, "
    "leading one of the battlegroups in Lithuania. But at the same time, we strive for a better "
    "relationship with Russia. We don't want a new Cold War, we don't want a new arms race. And "
    "therefore we have what we call the dual-track approach to Russia: defence and dialogue. We have to "
    "be firm, we have to be predictable, but at the same time we will work for a better relationship "
    "and for dialogue with Russia."
)
MONDAY = date(2022, 12, 12)


def family(family_id: int, text: str, speaker: str | None = "stoltenberg", when: date | None = MONDAY):
    return FamilyCandidate(family_id=family_id, canonical_text=text, speaker_key=speaker, first_seen=when)


def test_normalize_expands_contractions():
    assert normalize("We won't return") == normalize("we will not return") == "we will not return"
    assert normalize("we're here, it's done, they've gone") == "we are here it is done they have gone"
    assert normalize("It's been a year") == "it has been a year"
    assert normalize("I can't") == normalize("I cannot") == "i can not"


def test_normalize_treats_noun_s_as_possessive():
    assert normalize("The ball is now on Russia’s side.") == "the ball is now on russia side"


def test_normalize_unifies_curly_and_straight_marks_and_dashes():
    assert normalize("“We don’t want a new Cold War”") == normalize('"We don\'t want a new Cold War"')
    assert normalize("«long process»") == normalize("'long process'") == "long process"
    assert normalize("long-lasting — consequences") == "long lasting consequences"


def test_normalize_folds_unicode_case_and_spacing():
    assert normalize("a\u00a0 major\u00a0War\u2026") == "a major war"
    assert normalize("ＮＡＴＯ") == "nato"


def test_normalize_folds_british_spelling():
    assert normalize("the colour of defence organisations") == normalize("the color of defense organizations")
    assert normalize("destabilising, analysed, travelled") == normalize("destabilizing, analyzed, traveled")
    assert normalize("we promise to advise") == "we promise to advise"


def test_normalize_keeps_numbers_whole():
    assert normalize("3.5% of 1,000") == "3.5 percent of 1000"


def test_normalize_reads_a_text_without_an_apostrophe_as_one_with_one():
    # Texts with no apostrophe take a shorter path: the same words, contractions written
    # together, underscores, numbers' groups and "per cent" included.
    assert normalize("We cannot, we're gonna wait_and_see") == "we can not we are going to wait and see"
    assert normalize("snake_case and ＿wide＿ and gotta go") == "snake case and wide and got to go"
    assert (
        normalize("1\u2009000 people, 2\u202f500 more and 10,000,000 at 1.2.3")
        == "1 000 people 2 500 more and 10000000 at 1.2.3"
    )
    assert normalize("a 3 per cent rise, 3.5per cent") == "a 3 percent rise 3.5per cent"
    assert normalize("It is 50% & more...") == "it is 50 percent and more"


def test_tokens_split_at_an_ellipsis_only():
    assert tokens("Wait . . . what… no").pieces == (("wait",), ("what",), ("no",))
    assert tokens("Wait. What. No.").pieces == (("wait", "what", "no"),)
    assert tokens("U.S. officials").pieces == (("u", "s", "official"),)


def test_fingerprint_equal_for_typographic_variants_only():
    assert fingerprint("We don’t want a new Cold War.") == fingerprint("we don't want a new cold war")
    assert fingerprint("We don’t want a new Cold War.") != fingerprint("We want a new Cold War.")
    assert len(fingerprint("x")) == 64


def test_issue_trust_pair_is_one_family_as_variant():
    placement = place_version(TRUST_ZEROHEDGE, "stoltenberg", MONDAY, [family(1, TRUST_USAWORLD)])
    assert (placement.family_id, placement.relation) == (1, "variant")


def test_issue_consequences_pair_is_one_family_as_variant():
    candidates = [family(7, CONSEQUENCES_USAWORLD)]
    placement = place_version(CONSEQUENCES_ZEROHEDGE, "stoltenberg", MONDAY, candidates)
    assert (placement.family_id, placement.relation) == (7, "variant")


def test_typographic_copy_is_verbatim():
    copy = TRUST_USAWORLD.replace("’", "'").upper()
    placement = place_version(copy, "stoltenberg", MONDAY, [family(3, TRUST_USAWORLD)])
    assert (placement.family_id, placement.relation, placement.score) == (3, "verbatim", 1.0)


def test_contained_excerpt_is_fragment():
    placement = place_version("violating international law", "stoltenberg", MONDAY, [family(4, DOORSTEP)])
    assert (placement.family_id, placement.relation) == (4, "fragment")


def test_ellipsis_excerpt_is_fragment():
    text = "We don't want a new Cold War … we have to be predictable"
    placement = place_version(text, "stoltenberg", MONDAY, [family(4, DOORSTEP)])
    assert (placement.family_id, placement.relation) == (4, "fragment")


def test_fuller_version_contains_canonical_and_takes_over():
    short = "strive for a better relationship with Russia"
    placement = place_version(DOORSTEP, "stoltenberg", MONDAY, [family(5, short)])
    # It says more than the canonical text: a variant of it, until it takes over.
    assert (placement.family_id, placement.relation) == (5, "variant")
    assert should_become_canonical(DOORSTEP, short)
    assert not should_become_canonical(short, DOORSTEP)


def test_reworded_text_never_becomes_canonical():
    assert not should_become_canonical(TRUST_ZEROHEDGE + " for now", TRUST_USAWORLD)
    truncated = (
        "Even if the fighting stops, we will not return to some sort of normal relationship with Russia"
    )
    assert should_become_canonical(TRUST_USAWORLD, truncated)
    assert not should_become_canonical(TRUST_ZEROHEDGE, truncated)  # "ends" is not what it printed


def test_version_adding_a_negation_or_number_inside_never_becomes_canonical():
    # Fuller, with every canonical word in order, but it says the opposite or another figure.
    assert not should_become_canonical("we will not withdraw our troops", "we will withdraw our troops")
    assert not should_become_canonical("we won't withdraw our troops", "we will withdraw our troops")
    assert not should_become_canonical("it took 5 and a half years", "it took years")
    # Words around the canonical ones only tell it more completely, a "not" among them too.
    assert should_become_canonical(
        "Even if the fighting ends, we will not go back to a normal relationship",
        "go back to a normal relationship",
    )
    assert should_become_canonical("we will withdraw our troops by 2025", "we will withdraw our troops")
    # An ellipsis marked the gap: the fuller version fills it.
    assert should_become_canonical("we will not withdraw our troops", "we will … withdraw our troops")


def test_different_speakers_never_merge():
    placement = place_version(TRUST_USAWORLD, "putin", MONDAY, [family(1, TRUST_USAWORLD, "stoltenberg")])
    assert placement.family_id is None
    assert placement.relation == "verbatim"


def test_unknown_speaker_on_either_side_may_merge():
    unknown_new = place_version(TRUST_USAWORLD, None, MONDAY, [family(1, TRUST_USAWORLD)])
    unknown_family = place_version(TRUST_USAWORLD, "stoltenberg", MONDAY, [family(2, TRUST_USAWORLD, None)])
    assert unknown_new.family_id == 1
    assert unknown_family.family_id == 2


def test_time_window_keeps_old_statements_apart():
    old = family(1, TRUST_USAWORLD, when=MONDAY - timedelta(days=400))
    assert place_version(TRUST_USAWORLD, "stoltenberg", MONDAY, [old]).family_id is None
    assert place_version(TRUST_USAWORLD, "stoltenberg", MONDAY, [old], window_days=500).family_id == 1
    undated = place_version(TRUST_USAWORLD, "stoltenberg", None, [old])
    assert undated.family_id == 1


def test_compares_with_canonical_text_only_so_no_chaining():
    # B is a variant of A and C a variant of B, but C has little to do with A:
    # C may only join when A's family canonical text resembles C itself.
    text_a = "We will never accept the illegal annexation of Crimea by Russia"
    text_b = "We will never, ever accept the illegal annexation of Crimea by Russia"
    text_c = "Russia must never be allowed to annex more territory, and we will say so at the summit"
    assert place_version(text_b, "stoltenberg", MONDAY, [family(1, text_a)]).family_id == 1
    placement = place_version(text_c, "stoltenberg", MONDAY, [family(1, text_a)])
    assert placement.family_id is None


def test_distinct_quotes_sharing_words_stay_apart():
    lede = (
        "The world when Russia took part in NATO summits no longer exists but the alliance needs "
        "minimum contact with the Russian side"
    )
    headline = "World where Russia participated in NATO summits no longer exists"
    assert place_version(lede, "stoltenberg", MONDAY, [family(1, headline)]).family_id is None
    for first, second in [
        ("We don't want a new Cold War", "We don't want a new arms race"),
        ("I never said that. I never said that,", "Just to be clear, I never said no,"),
        (
            "NATO has worked for decades to develop a better and more constructive relationship with Russia",
            "For many years NATO tried to build a more constructive relationship with Russia, a dialogue "
            "with Russia. That world no longer exists",
        ),
    ]:
        assert place_version(second, "stoltenberg", MONDAY, [family(1, first)]).family_id is None
        # Their own words, differently printed, do join: it is the words that keep them apart.
        reprinted = first.upper().replace("'", "’") + "."
        assert place_version(reprinted, "stoltenberg", MONDAY, [family(1, first)]).family_id == 1


def test_best_candidate_wins_and_one_word_fragment_goes_to_nearest_statement():
    candidates = [
        family(1, "the conflict has destroyed the idea of meaningful dialogue", when=MONDAY - timedelta(12)),
        family(2, TRUST_USAWORLD, when=MONDAY),
    ]
    placement = place_version("destroyed", "stoltenberg", MONDAY + timedelta(1), candidates)
    assert (placement.family_id, placement.relation) == (2, "fragment")
    exact = place_version(TRUST_ZEROHEDGE, "stoltenberg", MONDAY, [*candidates, family(3, TRUST_ZEROHEDGE)])
    assert (exact.family_id, exact.relation) == (3, "verbatim")


def test_a_verbatim_copy_known_by_its_fingerprint_spares_comparing_the_other_candidates(monkeypatch):
    from quotes.families import placement

    compared = []
    relation = placement._relation

    def counted(new, canonical):
        compared.append(canonical.normalized)
        return relation(new, canonical)

    monkeypatch.setattr(placement, "_relation", counted)
    others = [family(n, f"{TRUST_USAWORLD} Number {n}.") for n in range(1, 4)]
    copy = replace(family(9, TRUST_ZEROHEDGE), fingerprint=fingerprint(TRUST_ZEROHEDGE))
    found = place_version(TRUST_ZEROHEDGE.upper(), "stoltenberg", MONDAY, [*others, copy])
    assert (found.family_id, found.relation) == (9, "verbatim")
    assert compared == [normalize(TRUST_ZEROHEDGE)]
    # A copy out of the time window cannot take it: the others are compared.
    compared.clear()
    old = replace(copy, first_seen=MONDAY - timedelta(90))
    found = place_version(TRUST_ZEROHEDGE.upper(), "stoltenberg", MONDAY, [*others, old])
    assert found.family_id in {1, 2, 3}
    assert [c for c in others if normalize(c.canonical_text) in compared] == others


def test_texts_too_far_apart_to_be_variants_are_never_aligned_word_by_word(monkeypatch):
    # The word order's part of the score is its costly one: with even a perfect order unable
    # to lift the score to the threshold, it is not computed (and the answer is the same).
    import difflib

    from quotes.families import placement
    from quotes.families.placement import relation_to_canonical

    aligned = []

    class Counted(difflib.SequenceMatcher):
        def ratio(self):
            aligned.append(1)
            return super().ratio()

    monkeypatch.setattr(placement.difflib, "SequenceMatcher", Counted)
    far = "The government will review the budget for schools next spring"
    assert (
        relation_to_canonical(far, "Nobody at the stadium expected the budget to hold up in the storm")
        is None
    )
    assert aligned == []
    near = "The government will review the budget for all schools next spring"
    assert relation_to_canonical(near, far) is not None
    assert aligned


def test_no_candidates_starts_a_new_family():
    assert place_version("Anything at all", None, None, []).family_id is None


def test_word_diff_shows_outlet_changes():
    ops = word_diff(TRUST_ZEROHEDGE, TRUST_USAWORLD)
    assert ("delete", "ends,") in ops and ("insert", "stops,") in ops
    assert ("delete", "will not") in ops and ("insert", "won’t") in ops
    assert ops[0] == ("equal", "Even if the fighting")
    assert ops[-1] == ("equal", "of normal, friendly relationship with Russia. Trust has been destroyed")


def test_word_diff_ignores_marks_and_case():
    assert word_diff("We don't want it.", "we don’t want it") == [("equal", "we don’t want it")]
    assert word_diff("", "new words") == [("insert", "new words")]


def test_shingle_keys_are_bounded_signed_64_bit():
    for text in (DOORSTEP, DOORSTEP * 5, TRUST_USAWORLD, "destroyed", ""):
        keys = shingle_keys(text)
        assert len(keys) <= MAX_KEYS
        assert all(-(2**63) <= key < 2**63 for key in keys)
        assert keys == sorted(set(keys))
    assert shingle_keys("") == []
    assert shingle_keys("the and of") == []


def test_shingle_keys_are_stable_across_processes():
    code = f"from quotes.families.keys import shingle_keys as k; print(k({TRUST_USAWORLD!r}))"
    # A fresh interpreter has a different hash() seed; the keys must not change.
    output = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "123"},
    ).stdout
    assert output.strip() == str(shingle_keys(TRUST_USAWORLD))


def test_the_rules_of_families_import_no_django():
    # The pure modules are measured without a database (evaluation.matching, evaluation.meaning).
    pure = ["folding", "keys", "placement", "meaning", "passages", "diffs"]
    code = (
        f"import sys; import {', '.join(f'quotes.families.{name}' for name in pure)}; "
        "print(sorted({name.split('.')[0] for name in sys.modules} & {'django', 'celery', 'spacy'}))"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"


def test_the_shared_words_and_the_extraction_result_import_neither_django_nor_spacy():
    # The web process and the pure rules take their words from here without loading either.
    code = (
        "import sys; import quotes.words, quotes.extraction; quotes.extraction.QuoteFinding; "
        "print(sorted({name.split('.')[0] for name in sys.modules} & {'django', 'celery', 'spacy'}))"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"


def test_shingle_keys_retrieve_variants_and_contained_fragments():
    assert set(shingle_keys(TRUST_USAWORLD)) & set(shingle_keys(TRUST_ZEROHEDGE))
    assert set(shingle_keys(CONSEQUENCES_USAWORLD)) & set(shingle_keys(CONSEQUENCES_ZEROHEDGE))
    # Fragments of 3+ content words in a quote of up to ~25 content words are always found.
    words = TRUST_USAWORLD.split()
    for start in range(len(words) - 5):
        fragment = " ".join(words[start : start + 6])
        assert set(shingle_keys(fragment)) & set(shingle_keys(TRUST_USAWORLD)), fragment
    assert set(shingle_keys("destroyed")) & set(shingle_keys(TRUST_USAWORLD))


def test_shingle_keys_find_longer_fragments_in_long_quotes():
    # The 150-word statement keeps a sample of its keys (winnowing): every
    # 20-word excerpt still shares one, shorter ones only usually do.
    long_keys = set(shingle_keys(DOORSTEP))
    words = DOORSTEP.split()
    found = sum(
        bool(set(shingle_keys(" ".join(words[start : start + 20]))) & long_keys)
        for start in range(len(words) - 20)
    )
    assert found == len(words) - 20
