"""Quote extraction on short real sentences: every construction of the issue's scope.

No database, no Django: the model loads once per session through the cached load_model().
"""

from __future__ import annotations

import json

import pytest

from quotes.extraction import QuoteFinding, extract, extract_many, load_model
from quotes.words import Kind


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def _find(findings: list[QuoteFinding], fragment: str) -> QuoteFinding:
    for finding in findings:
        if fragment in finding.text:
            return finding
    raise AssertionError(f"no quote containing {fragment!r} in {[f.text for f in findings]}")


def _assert_offsets(text: str, findings: list[QuoteFinding]) -> None:
    for f in findings:
        assert text[f.start : f.end] == f.text
        if f.speaker_start is not None:
            assert text[f.speaker_start : f.speaker_end] == f.speaker_mention


STOLTENBERG_INTRO = "NATO Secretary General Jens Stoltenberg spoke in Berlin on Tuesday.\n\n"


def test_curly_quote_with_trailing_cue_names_the_subject(nlp):
    text = STOLTENBERG_INTRO + "“We need minimal contact with Russia,” Stoltenberg concluded."
    found = extract(text, nlp)
    quote = _find(found, "minimal contact")
    assert quote.kind == Kind.DIRECT
    assert quote.text == "We need minimal contact with Russia,"
    assert quote.speaker == "Jens Stoltenberg"
    assert quote.cue == "concluded"
    _assert_offsets(text, found)


@pytest.mark.parametrize(
    ("opening", "closing"),
    [('"', '"'), ("“", "”"), ("«", "»"), ("„", "“"), ("‘", "’"), ("'", "'"), ("‹", "›")],
)
def test_every_quote_mark_style_is_found(nlp, opening, closing):
    text = f"{STOLTENBERG_INTRO}{opening}The ball is now on Russia's side,{closing} Stoltenberg said."
    quote = _find(extract(text, nlp), "The ball is now")
    assert quote.text == "The ball is now on Russia's side,"
    assert quote.speaker == "Jens Stoltenberg"


def test_inverted_cue_with_role_resolves_to_the_person_holding_it(nlp):
    text = (
        "NATO chief Jens Stoltenberg met Biden.\n\n"
        "“We have a lot to discuss that is in the common interest of NATO and Russia,” "
        "emphasized the NATO chief."
    )
    quote = _find(extract(text, nlp), "a lot to discuss")
    assert quote.speaker == "Jens Stoltenberg"
    assert quote.speaker_mention == "the NATO chief"


def test_added_name_after_quote_is_the_speaker(nlp):
    text = STOLTENBERG_INTRO + "“I would like to invite Russia again to a meeting,” added Stoltenberg."
    assert _find(extract(text, nlp), "invite Russia").speaker == "Jens Stoltenberg"


def test_quote_split_by_its_attribution_gives_both_halves_the_speaker(nlp):
    text = (
        STOLTENBERG_INTRO
        + "“Even if the fighting stops, we won’t return to normal. Trust has been destroyed,” he said. "
        "“I think the war had lasting consequences on relations with Russia.”"
    )
    found = extract(text, nlp)
    assert _find(found, "Trust has been destroyed").speaker == "Jens Stoltenberg"
    assert _find(found, "lasting consequences").speaker == "Jens Stoltenberg"


def test_multi_paragraph_quote_continues_with_the_same_speaker(nlp):
    text = (
        "Senator Elizabeth Warren spoke at the rally.\n\n"
        "“We will not back down,” Warren said. “This fight is about every family in America.\n\n"
        "“And we are going to win it, one state at a time.”"
    )
    found = extract(text, nlp)
    assert _find(found, "every family").speaker == "Elizabeth Warren"
    assert _find(found, "one state at a time").speaker == "Elizabeth Warren"
    _assert_offsets(text, found)


def test_partial_quote_inside_the_authors_sentence(nlp):
    text = "Russian President Vladimir Putin warned that the war could be a “lengthy process.”"
    found = extract(text, nlp)
    partial = _find([f for f in found if f.kind == Kind.PARTIAL], "lengthy process")
    assert partial.speaker == "Vladimir Putin"


def test_colon_headline_on_the_first_line(nlp):
    text = (
        "Stoltenberg: The world where Russia participated in NATO summits no longer exists\n\n"
        + STOLTENBERG_INTRO
    )
    headline = _find(extract(text, nlp), "no longer exists")
    assert headline.kind == Kind.HEADLINE
    assert headline.start == len("Stoltenberg: ")
    assert headline.speaker == "Jens Stoltenberg"


def test_headline_with_says_and_a_role(nlp):
    text = (
        "World where Russia participated in NATO summits no longer exists, secretary-general says\n\n"
        "Secretary General Jens Stoltenberg spoke at a security conference in Berlin."
    )
    headline = _find(extract(text, nlp), "no longer exists")
    assert headline.kind == Kind.HEADLINE
    assert headline.speaker == "Jens Stoltenberg"


def test_name_and_title_before_a_colon_and_guillemets(nlp):
    text = "Jens Stoltenberg, NATO Secretary-General: «NATO is a defensive alliance. We are proportionate.»"
    quote = _find(extract(text, nlp), "defensive alliance")
    assert quote.kind == Kind.DIRECT
    assert quote.speaker == "Jens Stoltenberg"


def test_indirect_speech_with_a_clause_complement(nlp):
    text = (
        STOLTENBERG_INTRO
        + "Stoltenberg said a level of trust had been destroyed by Moscow's decision to invade."
    )
    reported = _find(extract(text, nlp), "a level of trust")
    assert reported.kind == Kind.INDIRECT
    assert reported.text == "a level of trust had been destroyed by Moscow's decision to invade"
    assert reported.speaker == "Jens Stoltenberg"


def test_according_to_introduces_reported_speech(nlp):
    text = (
        STOLTENBERG_INTRO
        + "According to Stoltenberg, the conflict in Ukraine has destroyed the idea of dialogue."
    )
    reported = _find(extract(text, nlp), "the conflict in Ukraine")
    assert reported.kind == Kind.INDIRECT
    assert reported.speaker == "Jens Stoltenberg"
    assert reported.cue == "According to"


def test_as_x_stressed_reports_the_main_clause(nlp):
    text = (
        "As Russian presidential spokesman Dmitry Peskov stressed, expansion of the bloc brings no security."
    )
    reported = _find(extract(text, nlp), "expansion of the bloc")
    assert reported.speaker == "Dmitry Peskov"


def test_organisation_as_speaker(nlp):
    text = "The Russian Foreign Ministry said Moscow remained open to dialogue with NATO."
    reported = _find(extract(text, nlp), "Moscow remained open")
    assert reported.speaker == "Russian Foreign Ministry"
    assert reported.speaker_type == "organisation"


def test_second_hand_attribution_keeps_the_speaker_not_the_relay(nlp):
    text = (
        "German Chancellor Olaf Scholz weighed in on relations with Russia.\n\n"
        "“At the moment, the relations we have are being reduced, reduced, reduced,” "
        "he said according to Reuters."
    )
    quote = _find(extract(text, nlp), "being reduced")
    assert quote.speaker == "Olaf Scholz"


def test_pronoun_resolves_to_the_nearest_compatible_person_across_paragraphs(nlp):
    text = (
        "Hillary Clinton campaigned in Ohio, where Mr. Donald Trump had spoken the day before.\n\n"
        "Clinton told voters the race was close.\n\n"
        "“We need every vote,” she said."
    )
    assert _find(extract(text, nlp), "every vote").speaker == "Hillary Clinton"


def test_floating_quote_paragraph_inherits_the_previous_speaker(nlp):
    text = (
        STOLTENBERG_INTRO
        + "Stoltenberg insisted that the war could end at any time if Russia chose peace.\n\n"
        "“They can choose peace, choose cooperation, choose to trust their neighbours.”"
    )
    quote = _find(extract(text, nlp), "choose cooperation")
    assert quote.speaker == "Jens Stoltenberg"
    assert quote.confidence < 0.9


@pytest.mark.parametrize(
    ("text", "term"),
    [
        (
            "Putin signaled he was in it for the long haul, in the so-called “special military operation”.",
            "special military operation",
        ),
        (
            "Russia insists its goal is to ‘liberate’ regions it illegally ‘annexed’ after referendums.",
            "liberate",
        ),
        ("Stoltenberg gave an interview to the newspaper “Welt”.", "Welt"),
        ("NATO is expanding initiatives and calls it “deterring Russian aggression”.", "deterring"),
    ],
)
def test_scare_quotes_terms_and_names_are_not_reported(nlp, text, term):
    assert not [f for f in extract(text, nlp) if term in f.text and f.kind != Kind.INDIRECT]


def test_unbalanced_marks_never_shift_offsets(nlp):
    text = (
        'He said "this never closes.\n\nShare to friends « Back to top » ” “ ‘ ’ \' " \n\n'
        "“We will not leave without a fight,” she said."
    )
    found = extract(text, nlp)
    _assert_offsets(text, found)
    # The stray marks do not swallow the well-formed quote after them.
    assert any(f.text.startswith("We will not leave") and f.speaker_mention == "she" for f in found)


def test_extract_many_keeps_order_and_handles_empty_texts(nlp):
    texts = ["", "“We need minimal contact with Russia,” Stoltenberg concluded.", "   ", "No quotes here."]
    results = list(extract_many(texts, nlp=nlp, batch_size=2))
    assert len(results) == 4
    assert results[0] == [] and results[2] == [] and results[3] == []
    assert results[1][0].speaker == "Stoltenberg"


def test_cli_writes_one_json_line_per_input(tmp_path):
    from quotes.extraction.__main__ import main

    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"id": 7, "text": "“We need minimal contact,” Stoltenberg concluded."}) + "\n"
    )
    out = tmp_path / "out.jsonl"
    assert main(["--jsonl", str(source), "--out", str(out)]) == 0
    record = json.loads(out.read_text())
    assert record["id"] == 7
    quote = record["quotes"][0]
    assert quote["text"] == "We need minimal contact,"
    assert set(quote) >= {
        "start",
        "end",
        "text",
        "speaker",
        "speaker_start",
        "speaker_end",
        "cue",
        "kind",
        "confidence",
    }


def test_participle_after_a_reported_clause_belongs_to_the_reporter_not_the_clause_subject(nlp):
    text = (
        STOLTENBERG_INTRO
        + "The Secretary-General went on to say that despite this, NATO wishes to establish a "
        "better relationship with Russia, saying clearly: «We don't want a new Cold War, we don't want a new "
        "arms race.»"
    )
    found = extract(text, nlp)
    quote = _find(found, "new Cold War")
    assert quote.speaker == "Jens Stoltenberg"
    assert quote.speaker_mention == "The Secretary-General"
    reported = _find([f for f in found if f.kind == Kind.INDIRECT], "NATO wishes")
    assert reported.text.endswith("with Russia")  # the "saying: «…»" part is its own quote
    _assert_offsets(text, found)


def test_colon_headline_naming_an_organisation_goes_to_the_person_heading_it(nlp):
    text = (
        "NATO Secretary General Jens Stoltenberg spoke in Berlin on Tuesday.\n\n"
        "“Even if the fighting stops, we won’t return to normal,” Stoltenberg said.\n\n"
        "NATO: Even if the fighting stops, we will not return to some kind of normal relationship with Russia"
    )
    headline = _find(extract(text, nlp), "some kind of normal")
    assert headline.kind == Kind.HEADLINE
    assert headline.speaker == "Jens Stoltenberg"


def test_according_to_a_non_person_noun_names_the_people_behind_it(nlp):
    text = (
        "The military alliance's expansion began soon after the collapse of the Soviet Union, "
        "according to admissions from US diplomats."
    )
    reported = _find(extract(text, nlp), "expansion began")
    assert reported.speaker_mention == "US diplomats"


def test_a_document_that_says_something_is_the_source_as_written(nlp):
    text = "The report said the agency had ignored repeated warnings about the dam."
    reported = _find(extract(text, nlp), "ignored repeated warnings")
    assert (reported.speaker, reported.speaker_type) == ("the report", "document")


def test_according_to_does_not_double_a_clause_that_already_has_a_speaker(nlp):
    text = (
        "He had previewed this stark assessment by claiming that NATO sought to build positive relations "
        "with Russia after the Cold War, according to admissions from US diplomats."
    )
    found = extract(text, nlp)
    assert not [f for f in found if f.cue == "according to"]
    assert _find(found, "NATO sought").cue == "claiming"


def test_pronoun_gender_comes_from_the_first_name(nlp):
    text = (
        "Hillary Clinton met Bernie Sanders in Philadelphia on Monday.\n\n"
        "Sanders later praised the platform. “This is the most progressive platform in history,” she said."
    )
    assert _find(extract(text, nlp), "most progressive").speaker == "Hillary Clinton"


def test_shared_surname_with_both_genders_gives_no_gender_veto(nlp):
    text = (
        "Bill Clinton campaigned for Hillary Clinton in Iowa.\n\n"
        "Clinton spoke first. “We need every vote in this state,” he said."
    )
    assert _find(extract(text, nlp), "every vote").speaker.endswith("Clinton")


def test_double_apostrophes_mark_a_quote(nlp):
    text = "''I was too young; I didn't realize,'' Mr. Trump said of his brother's career."
    found = extract(text, nlp)
    quote = _find(found, "too young")
    assert quote.text == "I was too young; I didn't realize,"
    assert quote.kind == Kind.DIRECT
    assert quote.speaker == "Trump"
    _assert_offsets(text, found)


def test_infinitive_complement_of_a_promise_is_a_commitment_not_a_quote(nlp):
    # Issue #28: "pledged to cut taxes" reports an intention to act, not a statement.
    text = "Bernie Sanders vowed to take the fight for every delegate to the convention in Philadelphia."
    assert not [f for f in extract(text, nlp) if "take the fight" in f.text]


def test_infinitive_complement_of_a_request_to_someone_is_reported_speech(nlp):
    text = "Bernie Sanders urged his supporters to take the fight to the convention in Philadelphia."
    reported = _find(extract(text, nlp), "take the fight")
    assert reported.kind == Kind.INDIRECT
    assert reported.speaker == "Bernie Sanders"
    assert reported.cue == "urged"


def test_object_of_a_message_verb_is_reported_speech_and_not_its_speaker(nlp):
    text = "Obama has acknowledged difficulties in keeping government information secure."
    reported = _find(extract(text, nlp), "difficulties in keeping")
    assert reported.kind == Kind.INDIRECT
    assert reported.speaker_mention == "Obama"


def test_quoted_modifier_inside_a_noun_phrase_is_a_term(nlp):
    text = "Investigators asked whether there was a “stand down” order that prevented a counter-attack."
    assert not [f for f in extract(text, nlp) if f.text.startswith("stand down")]


def test_markup_attribute_values_are_not_quotes(nlp):
    text = '<tweet id="672138616265564160" author="@SLOStringer" datetime="2015-12-02">Suspect named</tweet>.'
    assert not [f for f in extract(text, nlp) if f.kind != Kind.INDIRECT]


def test_spaced_closing_mark_after_a_nested_quote_closes_the_quote(nlp):
    text = (
        "Jane Sanders spoke to the Post on Tuesday.\n\n"
        '"If they have any hope of getting his supporters, it cannot be '
        "'Okay, now I move to the center,' \" she said."
    )
    found = extract(text, nlp)
    quote = _find(found, "any hope")
    assert quote.text.endswith("center,'")
    assert quote.speaker == "Jane Sanders"
    _assert_offsets(text, found)


def test_curly_opening_mark_closed_by_a_straight_one(nlp):
    text = (
        "Republican candidate Carly Fiorina spoke in Iowa on Monday.\n\n"
        '“I’m never going to ask for people’s support because I’m a woman," Fiorina said.'
    )
    quote = _find(extract(text, nlp), "never going to ask")
    assert quote.text.endswith("woman,")
    assert quote.cue == "said"
    assert quote.speaker == "Carly Fiorina"


def test_phrasal_speech_verb_whose_particle_is_parsed_as_an_adverb(nlp):
    text = (
        "When Governor Tom Walsh criticized Mayor Ann Price during a debate, Price shot back, "
        "“I suppose I could have stayed home, but I chose to serve my city.”"
    )
    quote = _find(extract(text, nlp), "stayed home")
    assert quote.speaker == "Ann Price"
    assert quote.cue == "shot back"


def test_trailing_phrasal_speech_verb_names_its_subject(nlp):
    text = (
        "Mayor Ann Price watched the crowd.\n\n"
        "“They are all here because he is promising them free stuff,” Price fired back with a laugh."
    )
    assert _find(extract(text, nlp), "free stuff").speaker == "Ann Price"


def test_cue_whose_parse_lost_its_subject_takes_the_subject_of_the_clause_it_hangs_on(nlp):
    text = (
        "Republicans pressed Senator Mary Collins for hours.\n\n"
        'Collins, exasperated, famously responded: "What difference does it make now?"'
    )
    assert _find(extract(text, nlp), "What difference").speaker == "Mary Collins"


def test_speech_verb_under_an_adverb_belongs_to_the_subject_of_the_main_verb(nlp):
    text = 'The Slate columnist David Miller went so far as to say: "The newspaper as we know it is over."'
    assert _find(extract(text, nlp), "newspaper as we know").speaker == "David Miller"


def test_direct_object_of_a_speech_verb_is_never_its_speaker(nlp):
    text = (
        "Nurse Anna Keller kept a diary.\n\n"
        "And in those last nights, Keller wrote, she began saying the Lord's Prayer to herself "
        '"over and over again, just as I had as a little girl."'
    )
    assert _find(extract(text, nlp), "over and over").speaker == "Anna Keller"


def test_colon_after_a_prepositional_object_goes_to_the_subject_of_the_clause(nlp):
    text = (
        "Senate Majority Leader Mitch Harper, R-Ky., delivered a blunt message to Trump: "
        '"It\'s time to quit attacking various people."'
    )
    assert _find(extract(text, nlp), "time to quit").speaker == "Mitch Harper"


def test_object_before_a_colon_speaks_when_the_subject_cannot(nlp):
    text = (
        "The timing of the surge does not surprise Republican pollster Daron Shaw: "
        "“Historically, lesser-known candidates have seen the biggest boost.”"
    )
    assert _find(extract(text, nlp), "lesser-known").speaker == "Daron Shaw"


def test_pressed_is_an_interview_speech_verb(nlp):
    text = "Trump spoke to Sean Hannity. “Would it be negotiable about the 11 million?” Hannity pressed."
    assert _find(extract(text, nlp), "negotiable").speaker == "Sean Hannity"


def test_quote_split_around_an_inverted_cue_gives_both_halves_to_the_speaker(nlp):
    text = (
        "The council voted on Tuesday.\n\n"
        '"The risk," said Edward Leamer, an economist who is the director of the UCLA Anderson Forecast, '
        '"is that we\'re going to be attracting workers and repelling jobs."'
    )
    found = extract(text, nlp)
    assert _find(found, "The risk").speaker == "Edward Leamer"
    assert _find(found, "repelling jobs").speaker == "Edward Leamer"


def test_passive_subject_of_a_perception_verb_is_the_speaker(nlp):
    text = (
        "Donald Trump spoke in Iowa.\n\n"
        '"Should there be a database?" a reporter can be heard asking Trump after the event.'
    )
    found = _find(extract(text, nlp), "database")
    assert found.speaker_mention == "a reporter"


def test_speech_verb_after_a_preposition_belongs_to_the_subject_of_the_clause(nlp):
    text = (
        "Senator Polly Sheppard spoke after the pastor.\n\n"
        "Sheppard presented a message about healing before explaining why she stands behind the governor."
    )
    assert _find(extract(text, nlp), "stands behind").speaker == "Polly Sheppard"


def test_dateline_is_not_the_subject_of_the_first_sentence(nlp):
    text = (
        "Trump says relationship with Cameron is unlikely.\n\n"
        "LONDON (Reuters) - Donald Trump said he was unlikely to have a good relationship with David Cameron."
    )
    assert _find(extract(text, nlp), "unlikely to have").speaker == "Donald Trump"


def test_continue_to_be_is_not_a_speech_cue(nlp):
    text = (
        "Senator Ted Cruz praised Marco Rubio. "
        "Cruz said he is certain Rubio will continue to be “a champion for opportunity.”"
    )
    partial = next(f for f in extract(text, nlp) if f.text.startswith("a champion"))
    assert partial.speaker == "Ted Cruz"


def test_appositive_name_of_a_speaking_role_is_the_speaker(nlp):
    text = (
        "In a statement, her senior policy adviser, Jake Sullivan, said: "
        '"She has always valued a strong Europe."'
    )
    assert _find(extract(text, nlp), "strong Europe").speaker == "Jake Sullivan"


def test_it_is_never_a_speaker_name(nlp):
    # "It" is whom it stands for, here the company the sentence before describes; never "It".
    text = "The company issued a statement on Monday.\n\nIt said the plant in Ohio would close in May."
    assert _find(extract(text, nlp), "plant in Ohio").speaker == "the company"


def test_subjectless_cue_in_a_coordination_takes_the_subject_before_it(nlp):
    text = (
        'Bernie Sanders spoke first. "We must act now," Sanders said. '
        'Hillary Clinton supports "appropriate pay raises," opposes "arbitrary pay freezes" and recalled '
        'the freeze on federal pay: "I saw how hard it was for employees to be told they would earn less."'
    )
    assert _find(extract(text, nlp), "I saw how hard").speaker == "Hillary Clinton"


def test_cue_without_a_speaker_does_not_inherit_someone_elses(nlp):
    # The participle hangs on the email the campaign sent: the campaign says it (a document is
    # its issuer's), never the pollster quoted before.
    text = (
        'Robert Stone, a pollster, said: "The race is close." On Saturday, the campaign sent out '
        "a fundraising email stressing that the race has changed the party for good."
    )
    found = _find(extract(text, nlp), "changed the party")
    assert (found.speaker, found.speaker_type) == ("the campaign", "organisation")


def test_likely_to_say_belongs_to_the_subject(nlp):
    text = (
        'Robert Stone, a pollster, said: "The race is close." '
        "Democratic voters are slightly more likely to say that Clinton represents their positions."
    )
    assert _find(extract(text, nlp), "represents their positions").speaker == "Democratic voters"


def test_name_set_off_by_a_dash_before_a_colon_is_the_speaker(nlp):
    text = (
        "The polls were wrong in Iowa. Pollsters agree - Carl Bialik: "
        '"One of the biggest lessons was a simple one: keep on contacting voters as late as possible."'
    )
    assert _find(extract(text, nlp), "biggest lessons").speaker == "Carl Bialik"


def test_person_name_tagged_as_an_organisation_is_a_pronoun_antecedent(nlp):
    text = (
        "Carly Fiorina ran the company for years. In those nights, Fiorina wrote, she began saying "
        'the prayer "over and over again, just as I had as a little girl."'
    )
    assert _find(extract(text, nlp), "little girl").speaker == "Carly Fiorina"


def test_lawsuit_name_is_not_a_persons_name(nlp):
    text = 'Donald Trump spoke. The case, Trump v. Trump, was settled. "We won," he said.'
    assert _find(extract(text, nlp), "We won").speaker == "Donald Trump"


def test_one_word_subject_is_the_antecedent_of_the_next_he(nlp):
    text = (
        "Judge Thomas Coan spoke about the case. Coan met the rancher on Monday. "
        'Mosman saw the words differently: "When he says he will die a free man, I do not take that '
        'as a joke," he said.'
    )
    assert _find(extract(text, nlp), "free man").speaker == "Mosman"


def test_lost_cue_after_a_passive_takes_its_subject(nlp):
    text = (
        "Comedian Sarah Silverman took the stage. As the crowd began to chant, Silverman was joined "
        'on stage by Al Franken and joked, "Bernie or Bust people, you are being ridiculous," drawing jeers.'
    )
    assert "Silverman" in _find(extract(text, nlp), "Bernie or Bust").speaker
