"""What counts as a quote (issue #28), on short made-up sentences: a reporting verb in a
frame that states nothing, lines that are not news text, and quotes split by their cue.

No database, no Django: the model loads once per session through the cached load_model().
"""

from __future__ import annotations

import pytest

from quotes.extraction import QuoteFinding, extract, load_model
from quotes.words import Kind

INTRO = "Mayor Ines Alvarez spoke at city hall on Monday.\n\n"


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def _quotes(text: str, nlp) -> list[QuoteFinding]:
    found = extract(text, nlp)
    for f in found:
        assert text[f.start : f.end] == f.text
    return found


def _containing(found: list[QuoteFinding], fragment: str) -> list[QuoteFinding]:
    return [f for f in found if fragment in f.text or f.text.strip(" .,") in fragment]


# --- 1. the frame decides, not the lemma ----------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "fragment"),
    [
        ("Councillor Ramos pledged to cut taxes in the next budget.", "cut taxes"),
        ("Alvarez vowed to fight the ruling in court.", "fight the ruling"),
        ("Alvarez has promised to rebuild the bridge by spring.", "rebuild the bridge"),
        ("The firm disclosed a new contract with the city on Tuesday.", "a new contract"),
        ("Alvarez denied the charges against her office.", "the charges"),
        ("Alvarez confirmed the closure of the pool last week.", "closure of the pool"),
        ("Reporters asked whether the pool would reopen next year.", "the pool would reopen"),
        ("Alvarez declined to say why the pool had closed so suddenly.", "the pool had closed"),
        ("Alvarez did not say whether the pool would reopen.", "the pool would reopen"),
        ("Alvarez refused to say when the pool would reopen.", "the pool would reopen"),
        ("The data show that crime fell sharply in the city last year.", "crime fell sharply"),
        ("Polls show that Alvarez leads the race by ten points.", "leads the race"),
        ("Her sudden attack on the council indicates that she will run again.", "she will run again"),
        ("The lopsided spending by developers underscores their outsized role.", "outsized role"),
        ("The empty pier underscores a deeper problem for the harbour.", "a deeper problem"),
        ("The scene at the pier underlines the fact that the town cannot pay for it.", "the town cannot pay"),
        ("It underscores a fundamental question about the harbour plan.", "a fundamental question"),
        (
            "Underscoring the concern at city hall, planning for the harbour appeared to be chaotic.",
            "the concern",
        ),
        ("Emphasizing the cost of the pier was a mistake, in hindsight.", "the cost of the pier"),
        ("By some standards one could say the harbour plan has failed.", "the harbour plan has failed"),
        ("That said, a loss in the spring would hurt the mayor.", "a loss in the spring"),
    ],
)
def test_a_speech_verb_in_a_frame_that_states_nothing_is_no_quote(nlp, sentence, fragment):
    assert not _containing(_quotes(INTRO + sentence, nlp), fragment)


@pytest.mark.parametrize(
    ("sentence", "fragment", "speaker"),
    [
        ("Alvarez underscored the need for a new bridge.", "the need for a new", "Ines Alvarez"),
        ("Alvarez highlighted her record on housing.", "her record on housing", "Ines Alvarez"),
        (
            "The city's report underscores that the bridge is unsafe.",
            "the bridge is unsafe",
            "the city's report",
        ),
        (
            "The audit highlights the cost of the delays to the harbour project.",
            "the cost of the delays",
            "the audit",
        ),
    ],
)
def test_a_person_or_a_document_that_underscores_something_still_says_it(nlp, sentence, fragment, speaker):
    (found,) = _containing(_quotes(INTRO + sentence, nlp), fragment)
    assert found.kind == Kind.INDIRECT
    assert found.speaker == speaker


@pytest.mark.parametrize(
    ("sentence", "fragment", "cue"),
    [
        ("Alvarez denied that she knew about the contract before the vote.", "she knew about", "denied"),
        ("Alvarez confirmed that the plant would close in the spring.", "the plant would close", "confirmed"),
        ("Alvarez urged residents to conserve water during the drought.", "conserve water", "urged"),
        ("Alvarez reminded residents to conserve water during the drought.", "conserve water", "reminded"),
        ("Alvarez advised residents to stay indoors during the storm.", "stay indoors", "advised"),
        ("Alvarez confessed that she had never read the report.", "never read the report", "confessed"),
        ("Alvarez indicated that the city would appeal the ruling.", "appeal the ruling", "indicated"),
        ("Alvarez said when she took office the budget was in ruins.", "the budget was in ruins", "said"),
    ],
)
def test_the_same_verbs_report_speech_with_a_clause_or_an_addressee(nlp, sentence, fragment, cue):
    found = _containing(_quotes(INTRO + sentence, nlp), fragment)
    assert len(found) == 1
    assert found[0].kind == Kind.INDIRECT
    assert found[0].cue == cue
    assert found[0].speaker == "Ines Alvarez"


@pytest.mark.parametrize(
    ("sentence", "fragment"),
    [
        ("One resident said the harbour plan has failed.", "the harbour plan has failed"),
        ("One said the harbour plan has failed.", "the harbour plan has failed"),
        ("The report that said the pier was unsafe was published on Monday.", "the pier was unsafe"),
    ],
)
def test_one_person_or_a_text_that_said_something_still_says_it(nlp, sentence, fragment):
    (found,) = _containing(_quotes(INTRO + sentence, nlp), fragment)
    assert found.kind == Kind.INDIRECT


@pytest.mark.parametrize(
    ("sentence", "said", "not_said"),
    [
        (
            "The agency is looking into the contract, according to three sources who spoke to reporters"
            " but were not authorized to speak on the record.",
            "The agency is looking into the contract",
            "not authorized to speak",
        ),
        (
            "The pier was sold last year, according to an interview her brother Tom Alvarez gave to the"
            " radio station.",
            "The pier was sold last year",
            "gave to the radio station",
        ),
        (
            "The pier will close in May, according to a report the council released on Monday.",
            "The pier will close in May",
            "the council released",
        ),
        ("According to the report, the pier will close in May.", "the pier will close in May", "the report"),
    ],
)
def test_according_to_reports_the_clause_before_it_not_its_sources_description(nlp, sentence, said, not_said):
    found = _quotes(INTRO + sentence, nlp)
    (quote,) = _containing(found, said)
    assert quote.text.strip(" .,") == said
    assert not [f for f in found if not_said in f.text]


def test_a_reason_explained_is_reported_speech_a_question_asked_is_not(nlp):
    found = _quotes(INTRO + "Alvarez explained why she had closed the pool so suddenly.", nlp)
    assert _containing(found, "she had closed the pool")
    found = _quotes(INTRO + "Reporters asked Alvarez why she had closed the pool so suddenly.", nlp)
    assert not _containing(found, "she had closed the pool")


# --- 2. lines that are not the story's text, and marked words nobody says ---------------------------
QUOTED = '"We will rebuild the pier," Alvarez said.\n\n'


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            QUOTED + 'WATCH: "We will rebuild," mayor vows at packed meeting\n\nThe council met.',
            "We will rebuild,",
        ),
        (QUOTED + 'READ MORE: Council approves "historic harbour deal" for the city', "historic harbour"),
        (QUOTED + 'Council approves "historic" harbour deal\n\nThe council voted on Tuesday.', "historic"),
        (QUOTED + 'Best Picture: "The Last Harbour"\nBest Actor: Tom Reyes, "Night Shift"', "Last Harbour"),
        (QUOTED + 'Best Picture: "The Last Harbour"\nBest Actor: Tom Reyes, "Night Shift"', "Night Shift"),
        (
            QUOTED + 'Protesters hold placards reading "Save our libraries" on Monday. (Photo: City Press)',
            "Save our libraries",
        ),
        (QUOTED + "Alvarez says the pier will be rebuilt. Jane Doe/Reuters", "pier will be rebuilt"),
        ('Protesters held placards reading "Save the pier" as Alvarez spoke.', "Save the pier"),
        ('A sign that said "No more cuts to our schools" hung from the balcony.', "No more cuts"),
        ('Alvarez watched the film "The Last Harbour of the Northern Coast" twice.', "Last Harbour"),
    ],
)
def test_captions_link_lines_lists_signs_and_titles_are_not_quotes(nlp, text, fragment):
    assert not _containing(_quotes(INTRO + text, nlp), fragment)


def test_a_pull_quote_on_a_line_of_its_own_stays_the_main_speakers(nlp):
    found = _quotes(INTRO + QUOTED + '"A difficult decision"\n\nThe council voted on Tuesday.', nlp)
    (pull,) = _containing(found, "A difficult decision")
    assert pull.kind == Kind.HEADLINE
    assert pull.speaker == "Ines Alvarez"


RAMOS_QUOTED = (
    "“The plan costs too much,” said Councillor Tom Ramos. “We cannot afford it,” Ramos added.\n\n"
    "“I will vote against it,” Ramos said."
)


def test_a_headline_quote_is_the_words_of_whom_the_headline_names_not_the_most_quoted(nlp):
    text = (
        "Alvarez defends ‘a fresh start’ for the harbour\n\n"
        + INTRO
        + "“This is a fresh start for the harbour,” Alvarez said.\n\n"
        + RAMOS_QUOTED
    )
    (headline,) = [f for f in _quotes(text, nlp) if f.kind == Kind.HEADLINE]
    assert headline.text == "a fresh start"
    assert headline.speaker == "Ines Alvarez"


def test_a_headline_quote_is_the_words_of_whoever_says_them_in_the_body(nlp):
    text = (
        "Council weighs ‘a fresh start for the waterfront’\n\nThe council voted on Tuesday.\n\n"
        + RAMOS_QUOTED
        + "\n\n“It is a fresh start for the waterfront, if we can pay for it,” said Mayor Ines Alvarez."
    )
    (headline,) = [f for f in _quotes(text, nlp) if f.kind == Kind.HEADLINE]
    assert headline.text == "a fresh start for the waterfront"
    assert headline.speaker == "Ines Alvarez"


@pytest.mark.parametrize(
    "headline",
    ["Voters reject Alvarez's plan, ‘a mirage’", "Council rebukes Alvarez over ‘a mirage’"],
)
def test_a_headline_quote_is_not_the_words_of_whom_the_headline_acts_on(nlp, headline):
    text = headline + "\n\n" + INTRO + "“The plan will pay for itself,” Alvarez said.\n\n" + RAMOS_QUOTED
    (quote,) = _containing(_quotes(text, nlp), "a mirage")
    assert quote.kind == Kind.HEADLINE
    assert quote.speaker is None


def test_a_headline_quote_that_names_none_of_its_speakers_stays_a_quote_with_no_speaker(nlp):
    text = (
        "Harbour deal brings ‘a fresh start for the waterfront’\n\nThe council voted on Tuesday.\n\n"
        + RAMOS_QUOTED
    )
    (headline,) = _containing(_quotes(text, nlp), "a fresh start for the waterfront")
    assert headline.kind == Kind.HEADLINE
    assert headline.speaker is None


@pytest.mark.parametrize("dateline", ["NEW YORK — ", "OTTAWA, Ont. (CP) - "])
def test_a_dateline_does_not_leak_into_a_reported_quote(nlp, dateline):
    found = _quotes(INTRO + dateline + "Crime fell sharply last year, Alvarez said on Monday.", nlp)
    (reported,) = _containing(found, "Crime fell sharply")
    assert reported.text == "Crime fell sharply last year"


def test_a_feed_title_with_nobody_quoted_gives_no_headline_quote(nlp):
    text = 'Harbour plan: "a new beginning"\n\nThe council voted on Tuesday to approve the plan.'
    assert not _containing(_quotes(text, nlp), "new beginning")


# --- 3. quotes split by their cue, and partial quotes with a speaker --------------------------------
@pytest.mark.parametrize(
    "sentence",
    [
        "The rink is too small, Alvarez says, and will close next year.",
        "The rink is too small, she said, and the city will close it next year.",
        "The rink is too small, according to Alvarez, and the city will close it next year.",
    ],
)
def test_each_side_of_an_inserted_cue_is_a_quote_of_one_statement(nlp, sentence):
    found = _quotes(INTRO + sentence, nlp)
    (left,) = _containing(found, "The rink is too small")
    (right,) = _containing(found, "close next year") or _containing(found, "close it next year")
    assert left.text == "The rink is too small"
    assert right.text.startswith("and ")
    assert left.kind == right.kind == Kind.INDIRECT
    assert left.speaker == right.speaker == "Ines Alvarez"
    assert left.statement == right.statement


def test_a_marked_quote_split_by_its_cue_is_one_direct_statement(nlp):
    text = INTRO + '"We are not closing libraries," Alvarez said, "we are changing when they open."'
    found = _quotes(text, nlp)
    (first,) = _containing(found, "not closing libraries")
    (second,) = _containing(found, "changing when they open")
    assert first.kind == second.kind == Kind.DIRECT
    assert first.speaker == second.speaker == "Ines Alvarez"
    assert first.statement == second.statement


def test_a_narrators_clause_after_a_quote_and_its_cue_is_not_the_speakers(nlp):
    text = INTRO + '"Tell her I promised you a picture," Alvarez said, and her husband cut in.'
    assert not _containing(_quotes(text, nlp), "her husband cut in")


@pytest.mark.parametrize(
    ("sentence", "fragment"),
    [
        ('Alvarez called the plan "a mirage" and left the room.', "a mirage"),
        ('The plan was described as "reckless" by Alvarez.', "reckless"),
        ('Alvarez described the plan as "reckless and expensive."', "reckless and expensive"),
        ('Alvarez dismissed what she calls "a mistake by the province."', "a mistake by the province"),
    ],
)
def test_words_someone_called_something_are_a_partial_quote_of_theirs(nlp, sentence, fragment):
    (partial,) = _containing(_quotes(INTRO + sentence, nlp), fragment)
    assert partial.kind == Kind.PARTIAL
    assert partial.speaker == "Ines Alvarez"


def test_what_the_author_calls_something_stays_a_scare_quote(nlp):
    text = INTRO + 'The so-called "harbour tax" was dropped in the spring.'
    assert not _containing(_quotes(text, nlp), "harbour tax")


@pytest.mark.parametrize(
    "sentence",
    [
        "Alvarez made an allegation that the contractor had overbilled the city.",
        "Her claim that the contractor had overbilled the city was disputed.",
    ],
)
def test_a_speech_noun_with_its_speaker_reports_the_clause_it_announces(nlp, sentence):
    (reported,) = _containing(_quotes(INTRO + sentence, nlp), "the contractor had overbilled")
    assert reported.kind == Kind.INDIRECT
    assert reported.speaker == "Ines Alvarez"


@pytest.mark.parametrize(
    "sentence",
    [
        "The fact that the contractor had overbilled the city is known.",
        "The allegation that the contractor had overbilled the city surfaced on Monday.",
    ],
)
def test_a_fact_or_a_claim_with_nobody_to_make_it_is_no_quote(nlp, sentence):
    assert not _containing(_quotes(INTRO + sentence, nlp), "the contractor had overbilled")


def test_what_follows_a_speakers_advice_and_a_colon_is_reported_speech(nlp):
    found = _quotes(INTRO + "Her advice is blunt: residents should leave before the storm arrives.", nlp)
    (reported,) = _containing(found, "residents should leave")
    assert reported.speaker == "Ines Alvarez"
    found = _quotes(INTRO + "The reason is simple: residents should leave before the storm arrives.", nlp)
    assert not _containing(found, "residents should leave")


@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_a_pull_quote_signed_on_the_next_line_is_the_signers(nlp, gap):
    text = (
        "The council met on Tuesday to discuss the harbour.\n\n"
        f'"We will rebuild the pier, whatever it costs."{gap}Tomas Berg, harbour master\n\n'
        "The vote is next week."
    )
    (quote,) = _containing(_quotes(text, nlp), "rebuild the pier")
    assert quote.kind == Kind.DIRECT
    assert quote.speaker == "Tomas Berg"


@pytest.mark.parametrize("signature", ["Former harbour master Tomas Berg.", "Tomas Berg, harbour master."])
def test_a_pull_quote_signed_inside_its_own_marks_is_the_signers(nlp, signature):
    text = (
        "The council met on Tuesday to discuss the harbour.\n\n"
        f"“We will rebuild the pier, whatever it costs.\n\n{signature}”\n\n"
        "The vote is next week."
    )
    (quote,) = _containing(_quotes(text, nlp), "rebuild the pier")
    assert (quote.text, quote.speaker) == ("We will rebuild the pier, whatever it costs.", "Tomas Berg")


def test_scare_quotes_in_a_title_that_names_nobody_are_no_quotes(nlp):
    text = 'Council adviser sent "top secret" files to the harbour board\n\n' + INTRO + QUOTED
    assert not _containing(_quotes(text, nlp), "top secret")


def test_a_titles_quoted_word_is_its_named_speakers(nlp):
    text = 'Alvarez: Harbour Deal "Dead"\n\n' + INTRO + QUOTED
    (headline,) = _containing(_quotes(text, nlp), "Dead")
    assert headline.kind == Kind.HEADLINE
    assert headline.speaker == "Ines Alvarez"


@pytest.mark.parametrize(
    "sentence",
    [
        'The actor is returning to the network with "Tales From the Harbour," a new drama.',
        'Alvarez said she had seen "The Northern Coast Show" twice.',
    ],
)
def test_a_title_cased_name_of_a_work_is_no_quote(nlp, sentence):
    found = _quotes(INTRO + sentence, nlp)
    assert not [f for f in found if f.kind in Kind.QUOTED]


def test_according_to_hanging_on_the_subject_reports_the_clause_in_two_pieces(nlp):
    text = INTRO + "The new rink on the harbour, according to Alvarez, will be ready by the spring."
    found = _quotes(text, nlp)
    (subject,) = _containing(found, "The new rink on the harbour")
    (predicate,) = _containing(found, "will be ready by the spring")
    assert subject.text == "The new rink on the harbour"
    assert predicate.text == "will be ready by the spring"
    assert subject.speaker == predicate.speaker == "Ines Alvarez"
    assert subject.statement == predicate.statement


def test_a_cue_inserted_after_the_subject_leaves_two_pieces_of_one_statement(nlp):
    found = _quotes(INTRO + "The rink, she said, is too small for the league.", nlp)
    assert not [f for f in found if "she said" in f.text]
    (subject,) = _containing(found, "The rink")
    (predicate,) = _containing(found, "is too small for the league")
    assert (subject.text, predicate.text) == ("The rink", "is too small for the league")
    assert subject.speaker == predicate.speaker == "Ines Alvarez"
    assert subject.statement == predicate.statement
    assert (
        subject.pieces == predicate.pieces == ((subject.start, subject.end), (predicate.start, predicate.end))
    )


def test_a_marked_quote_split_around_an_unnamed_speaker_is_one_statement(nlp):
    text = INTRO + '"The pool is closed," a spokesman said, "and it will stay closed all summer."'
    found = _quotes(text, nlp)
    (first,) = _containing(found, "The pool is closed")
    (second,) = _containing(found, "it will stay closed all summer")
    assert first.speaker_start == second.speaker_start is not None
    assert first.statement == second.statement
    assert len(first.pieces) == 2


OKAFOR = "Transit minister Dana Okafor visited the depot on Thursday.\n\n"


def test_words_someone_called_an_object_are_theirs_however_the_parse_hangs_them(nlp):
    # The parse hangs the quoted words on the object as an apposition, not on the verb.
    text = OKAFOR + 'Okafor called the old timetable "a mess nobody could read" at the meeting.'
    (partial,) = _containing(_quotes(text, nlp), "a mess nobody could read")
    assert partial.kind == Kind.PARTIAL
    assert partial.speaker == "Dana Okafor"


def test_a_speaker_after_the_clause_and_its_cue_says_it(nlp):
    # The parse takes the name after the cue for its object.
    found = _quotes(OKAFOR + "The bus fares are fair, insists Okafor.", nlp)
    (reported,) = _containing(found, "fares are fair")
    assert reported.speaker == "Dana Okafor"


def test_the_object_of_a_verb_that_reports_nothing_is_no_speaker(nlp):
    text = OKAFOR + (
        "Okafor summed up the plan as “reckless,” denounced her rival as a liar"
        " and said the depot would stay open."
    )
    (reported,) = _containing(_quotes(text, nlp), "the depot would stay open")
    assert reported.speaker != "her rival"
    assert reported.speaker_mention != "her rival"


# --- partial quotes with no cue ---------------------------------------------------------------------
SAID = "“We will keep every branch open,” Alvarez said.\n\n"


@pytest.mark.parametrize(
    "sentence",
    [
        "The city’s “library of things” lends tools and sewing machines to anyone with a card.",
        "The Elm Street branch, once a “temporary home for a year or two,” has served the area since 1988.",
        "Volunteers will run a “reading hour for beginners” on Saturdays.",
    ],
)
def test_a_partial_quote_with_no_cue_does_not_take_the_speaker_before_it(nlp, sentence):
    found = _quotes(INTRO + SAID + sentence, nlp)
    assert [f.speaker for f in found] == ["Ines Alvarez"]


@pytest.mark.parametrize(
    ("sentence", "fragment", "cue"),
    [
        ("Tom Reyes labeled the budget “a fantasy from start to finish.”", "a fantasy", "labeled"),
        ("Tom Reyes blamed the delays on “a council that never reads its reports.”", "a council", "blamed"),
        ("Tom Reyes referred to the plan as “a wish list with a price tag.”", "a wish list", "referred"),
    ],
)
def test_a_partial_quote_on_a_verb_that_words_it_is_that_verbs_subjects(nlp, sentence, fragment, cue):
    (found,) = _containing(_quotes(INTRO + SAID + sentence, nlp), fragment)
    assert (found.kind, found.speaker, found.cue) == (Kind.PARTIAL, "Tom Reyes", cue)


# In the same paragraph as the quote before them.
SAID_INLINE = "“We will keep every branch open,” Alvarez said. "


@pytest.mark.parametrize(
    ("sentence", "fragment"),
    [
        ("Tom Reyes offered “my thanks to every volunteer” at the end of the meeting.", "my thanks"),
        (
            "Her deputy, Tom Reyes, wants the council “to stop counting books and start counting readers.”",
            "to stop",
        ),
    ],
)
def test_a_partial_quote_with_no_cue_beside_a_quote_is_its_own_sentences_subjects(nlp, sentence, fragment):
    (found,) = _containing(_quotes(INTRO + SAID_INLINE + sentence, nlp), fragment)
    assert (found.kind, found.speaker) == (Kind.PARTIAL, "Tom Reyes")


@pytest.mark.parametrize(
    "sentence",
    [
        "Tom Reyes was treated for a “mild case of the flu” last week.",
        "While Tom Reyes is “counting books,” readers wait outside.",
    ],
)
def test_a_partial_quote_with_no_cue_in_a_sentence_about_someone_else_is_no_quote(nlp, sentence):
    found = _quotes(INTRO + SAID_INLINE + sentence, nlp)
    assert [f.speaker for f in found] == ["Ines Alvarez"]


@pytest.mark.parametrize(
    ("sentence", "fragment"),
    [
        ("Another topic is “longer hours on Sundays.”", "longer hours"),
        # "it" is nobody, and "her" in "her plan" is whoever the paragraph is about.
        ("It was, in her words, “a hard year for readers.”", "a hard year"),
        ("Her plan is “a promise to every child in the city.”", "a promise"),
    ],
)
def test_a_partial_quote_in_a_sentence_that_names_nobody_continues_the_quote_before(nlp, sentence, fragment):
    (found,) = _containing(_quotes(INTRO + SAID_INLINE + sentence, nlp), fragment)
    assert found.speaker == "Ines Alvarez"


# --- direct quotes with no speaker ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "fragment"),
    [
        ("The actor Dev Patel, star of the cult comedy “Marta and Jonas,” will open the festival.", "Marta"),
        ("Volunteers joined the city’s drive to “Keep Elmwood Green Forever” last spring.", "Keep Elmwood"),
    ],
)
def test_a_title_or_a_slogan_that_nobody_says_is_no_quote(nlp, sentence, fragment):
    assert not _containing(_quotes(INTRO + sentence, nlp), fragment)


def test_a_chant_in_capitals_stays_a_quote(nlp):
    found = _quotes(INTRO + "“Save Our Branch!” the crowd chanted outside.", nlp)
    assert _containing(found, "Save Our Branch")


def test_a_few_words_in_marks_on_a_line_of_their_own_with_nobody_to_say_them_are_a_sub_head(nlp):
    text = INTRO + "“A branch on every corner.”\n\nThe city runs eleven libraries and two reading rooms."
    assert not _containing(_quotes(text, nlp), "A branch on every corner")


@pytest.mark.parametrize("mark", ["‘", "'"])
def test_a_few_words_in_single_marks_on_a_line_of_their_own_after_a_quote_are_a_sub_head(nlp, mark):
    closing = "’" if mark == "‘" else "'"
    text = (
        "“The branch stays open,” Alvarez said.\n\n"
        f"{mark}A long fight for the branch.{closing}\n\n"
        "The city runs eleven libraries and two reading rooms."
    )
    found = _quotes(INTRO + text, nlp)
    assert _containing(found, "The branch stays open")
    assert not _containing(found, "A long fight for the branch")


def test_a_line_in_single_marks_continues_the_quote_where_the_article_quotes_in_single_marks(nlp):
    text = "‘The branch stays open,’ Alvarez said.\n\n‘We have found the money.’\n\nThe city runs libraries."
    found = _containing(_quotes(INTRO + text, nlp), "We have found the money")
    assert len(found) == 1
    assert found[0].speaker == "Ines Alvarez"


@pytest.mark.parametrize(
    ("sentence", "fragment"),
    [
        (
            "The new branch is a “fresh start” because the readers complained about the old one.",
            "fresh start",
        ),
        (
            "The branch remains a “second home” even though the council said it would cut its hours.",
            "second home",
        ),
        (
            "The library became a “community anchor” long before Alvarez announced the cuts.",
            "community anchor",
        ),
    ],
)
def test_a_few_words_in_marks_that_a_cue_in_another_clause_does_not_govern_are_nobodys(
    nlp, sentence, fragment
):
    assert not _containing(_quotes(INTRO + sentence, nlp), fragment)


@pytest.mark.parametrize(
    ("sentence", "fragment", "speaker"),
    [
        ("“Utter nonsense,” Alvarez said of the plan.", "Utter nonsense", "Ines Alvarez"),
        ("“Utter nonsense!” Councillor Jo Ramos, a critic of the plan, said.", "Utter nonsense", "Jo Ramos"),
        ("Ramos said the library was “too small” and added that it would close.", "too small", "Ramos"),
    ],
)
def test_a_few_words_in_marks_are_the_words_of_the_cue_that_governs_or_follows_them(
    nlp, sentence, fragment, speaker
):
    found = [f for f in _containing(_quotes(INTRO + sentence, nlp), fragment) if f.kind == Kind.PARTIAL]
    assert len(found) == 1
    assert speaker in (found[0].speaker or "")


def test_a_few_words_in_marks_are_the_governing_cues_not_the_nearest_cues(nlp):
    sentence = (
        "Councillor Jo Ramos suggested that Alvarez was “soft on waste,” and the mayor argued that"
        " the budget was sound."
    )
    found = [
        f for f in _containing(_quotes(INTRO + sentence, nlp), "soft on waste") if f.kind == Kind.PARTIAL
    ]
    assert len(found) == 1
    assert found[0].cue == "suggested"
    assert "Jo Ramos" in (found[0].speaker or "")


@pytest.mark.parametrize(
    ("sentence", "fragment", "speaker"),
    [
        ("“Really,” Alvarez added when a reporter laughed.", "Really", "Ines Alvarez"),
        (
            "“Absolutely,” she said when asked whether the branch would stay open.",
            "Absolutely",
            "Ines Alvarez",
        ),
        ("“Closed,” said Councillor Jo Ramos.", "Closed", "Jo Ramos"),
    ],
)
def test_a_word_in_marks_followed_by_who_said_it_is_a_quote(nlp, sentence, fragment, speaker):
    found = _containing(_quotes(INTRO + sentence, nlp), fragment)
    assert len(found) == 1
    assert speaker in (found[0].speaker or "")


@pytest.mark.parametrize(
    ("sentence", "fragment"),
    [
        ("On the radio show “Harbour,” Alvarez said the branch would stay open.", "Harbour"),
        ("The host of “Morning Harbour,” said the branch would stay open.", "Morning Harbour"),
    ],
)
def test_a_title_in_the_sentence_of_a_cue_is_no_quote(nlp, sentence, fragment):
    found = _quotes(INTRO + sentence, nlp)
    assert _containing(found, "the branch would stay open")
    assert not [f for f in found if f.text.strip(" ,") == fragment]


def test_a_title_after_a_quote_does_not_take_its_speaker(nlp):
    after = "The library will screen the comedy “Marta and Jonas” on Friday."
    assert not _containing(_quotes(INTRO + SAID + after, nlp), "Marta and Jonas")


def test_a_few_capitalised_words_in_marks_in_a_line_of_capitals_are_a_sub_heads(nlp):
    text = (
        "1. STORM HITS THE COAST.\n\nThe agency raises the count of damaged homes to 120.\n\n"
        "2. FOR SMALL TOWNS ‘THE BEST IS YET TO COME.’\n\n"
        "As the festival season opens, the towns along the coast are still counting the cost of the storm."
    )
    assert not _containing(_quotes(INTRO + text, nlp), "THE BEST IS YET")


def test_a_name_in_marks_after_a_groups_name_is_no_quote(nlp):
    text = "The Elmwood Arts Society “Paint the Town” has become the Elmwood Arts Fund."
    assert not _containing(_quotes(INTRO + text, nlp), "Paint the Town")


def test_an_articles_title_cited_in_brackets_with_where_it_ran_is_no_quote(nlp):
    text = "I agree with her (“Library plan wins the vote,” Harbour Times, Monday). The branch must stay."
    assert not _containing(_quotes(INTRO + text, nlp), "Library plan wins")


# --- reported clauses the parser mangles -------------------------------------------------------------
AMES = "Governor Tom Ames spoke in the capital on Monday.\n\n"


def test_a_participle_the_parser_made_a_subject_still_reports_its_clause(nlp):
    # The parse makes "saying" the subject of "could be", with "budget war" its object.
    text = AMES + (
        "Ames signaled on Monday that he was ready for a long fight, saying the so-called"
        " “budget war” could be a “long process”."
    )
    found = _quotes(text, nlp)
    (reported,) = [f for f in found if f.kind == Kind.INDIRECT and "budget war" in f.text]
    assert reported.text == "the so-called “budget war” could be a “long process”"
    assert reported.speaker == "Tom Ames"
    assert reported.cue == "saying"


@pytest.mark.parametrize(
    ("sentence", "clause", "mention"),
    [
        (
            "Prices will rise again in the spring, the head of the Central Bank of Ireland"
            " told reporters on Tuesday.",
            "Prices will rise again in the spring",
            "the head of the Central Bank of Ireland",
        ),
        (
            "The Cold War ended decades ago, and any trust built since was destroyed with the"
            " invasion of the island, the Secretary General of the Pacific Alliance said on Monday.",
            "The Cold War ended decades ago, and any trust built since was destroyed with the"
            " invasion of the island",
            "the Secretary General of the Pacific Alliance",
        ),
    ],
)
def test_a_cue_after_the_clause_and_its_subject_reports_the_clause(nlp, sentence, clause, mention):
    # The parse joins the cue to the clause as a second verb, and may hang its subject on
    # the clause's last word.
    found = _quotes(AMES + sentence, nlp)
    (reported,) = [f for f in found if f.kind == Kind.INDIRECT]
    assert reported.text == clause
    assert reported.speaker_mention and reported.speaker_mention in mention


def test_a_cue_closing_a_clause_with_a_verb_after_it_reports_nothing_new(nlp):
    found = _quotes(AMES + "Ames cut the ribbon, the band played and the crowd cheered.", nlp)
    assert not found


# --- tweet signatures ---------------------------------------------------------------------------------
BERG = INTRO + "Councillor Tom Berg voted against the plan.\n\n"
TWEET = "“The library stays open, whatever the council says.”"


@pytest.mark.parametrize(
    ("signature", "speaker"),
    [
        (" — Tom Berg (@tbergcouncil) May 4, 2019", "Tom Berg"),
        ("\n— Tom Berg (@tbergcouncil) May 4, 2019", "Tom Berg"),
        (" — @tberg", "Tom Berg"),
        ("\n\n— @tberg", "Tom Berg"),
        (" (@InesAlvarez) May 4, 2019", "Ines Alvarez"),
        (" — Ines Alvarez (@harbourmayor) May 4, 2019", "Ines Alvarez"),
    ],
)
def test_a_tweet_in_marks_is_said_by_whoever_signs_it(nlp, signature, speaker):
    found = _quotes(BERG + TWEET + signature, nlp)
    (tweet,) = [f for f in found if "library stays open" in f.text]
    assert tweet.kind == Kind.DIRECT  # not a headline, though its line ends with no full stop
    assert tweet.speaker == speaker
    assert not [f for f in found if "@" in f.text or "2019" in f.text]


def test_a_tweet_signed_by_another_than_who_shares_it_is_the_signers(nlp):
    text = BERG + "Alvarez shared a post on Monday: " + TWEET + " — Tom Berg (@tberg) May 4, 2019"
    (tweet,) = [f for f in _quotes(text, nlp) if "library stays open" in f.text]
    assert tweet.speaker == "Tom Berg"


def test_a_handle_that_spells_nobody_named_stays_the_handle(nlp):
    (tweet,) = [f for f in _quotes(BERG + TWEET + " — @harbourlibrary", nlp) if "library stays" in f.text]
    assert tweet.speaker_mention == "@harbourlibrary"


def test_a_handle_in_brackets_with_no_date_is_no_signature(nlp):
    text = BERG + "Alvarez said: " + TWEET + " (@tberg)"
    (quote,) = [f for f in _quotes(text, nlp) if "library stays open" in f.text]
    assert quote.speaker == "Ines Alvarez"


# --- titles the sentence holds as things ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "title"),
    [
        (
            "“The pier will stay open,” said Tomas Berg, the author of “Those Boats Have All the Luck,”"
            " a history of the port.",
            "Those Boats Have All the Luck",
        ),
        ("Berg said on Channel Four’s “Meet the Harbour” that the pier would stay open.", "Meet the Harbour"),
        (
            "Tomas Berg, who had roles in “Harbour Lights,” “Apollo 13,” and “The Keeper Who Saved Me,”"
            " backed the plan, Alvarez said.",
            "The Keeper Who Saved Me",
        ),
        (
            "The comedians perform a play called “Los Hijos del Puerto,” or “Sons of the Port,” at the pier.",
            "Sons of the Port",
        ),
    ],
)
def test_a_title_held_as_a_thing_is_no_quote_whatever_its_words(nlp, sentence, title):
    found = _quotes(INTRO + sentence, nlp)
    assert not [f for f in found if f.kind in Kind.QUOTED and title in f.text]


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        # Not in title case: speech, after "of" or not.
        (
            "Berg spoke of “a harbour that has lost its way,” and left the hall.",
            "a harbour that has lost its way",
        ),
        ("The crowd chanted “Save the Pier” and “Love you, Ines” as Alvarez arrived.", "Love you, Ines"),
    ],
)
def test_words_not_written_as_a_title_stay_quotes(nlp, sentence, words):
    found = _quotes(INTRO + sentence, nlp)
    assert [f for f in found if words in f.text]
