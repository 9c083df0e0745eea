"""Which findings of one article report the same statement (quotes/extraction/statements.py).

Short invented news texts, one construction each; no database.
"""

from __future__ import annotations

import pytest

from quotes.extraction import QuoteFinding, extract, load_model
from quotes.words import Kind


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def _find(findings: list[QuoteFinding], fragment: str, kind: str | None = None) -> QuoteFinding:
    for finding in findings:
        if fragment in finding.text and kind in (None, finding.kind):
            return finding
    raise AssertionError(f"no quote containing {fragment!r} in {[f.text for f in findings]}")


def _same(findings: list[QuoteFinding], a: str, b: str, kinds: tuple = (None, None)) -> bool:
    first, second = _find(findings, a, kinds[0]), _find(findings, b, kinds[1])
    assert first is not second
    assert first.statement is not None and second.statement is not None
    return first.statement == second.statement


INTRO = "Finance Minister Maria Lopez spoke to reporters in Madrid on Friday.\n\n"


def test_a_paraphrase_followed_by_the_quote_it_summarises_is_one_statement(nlp):
    found = extract(
        INTRO + "Lopez said the government would balance the budget by 2026 despite the recession.\n\n"
        "“We will balance the budget by 2026, whatever the recession does to revenue,” she said.",
        nlp,
    )
    assert _same(found, "would balance", "whatever the recession")
    # The speaker's own words name the statement.
    direct = _find(found, "whatever the recession")
    assert _find(found, "would balance").statement == (direct.start, direct.end)


def test_consecutive_statements_on_different_matters_stay_apart(nlp):
    found = extract(
        INTRO + "“Pensions will rise with inflation next year,” Lopez said. "
        "“The airport tender will be reopened in March,” she added.",
        nlp,
    )
    assert not _same(found, "Pensions", "airport")


def test_a_clause_borrowing_words_from_a_quote_joins_that_quote(nlp):
    found = extract(
        INTRO + "“Spain cannot afford another decade of low investment. We must act now,” Lopez said.\n\n"
        "Later she warned that the country faced “another decade of low investment” without reform.",
        nlp,
    )
    assert _same(found, "country faced", "Spain cannot afford")
    assert _same(found, "another decade of low investment", "Spain cannot afford", kinds=(Kind.PARTIAL, None))


def test_a_partial_quote_without_a_source_stays_with_its_clause(nlp):
    found = extract(INTRO + "Lopez said the reform was “long overdue” and would pass this year.", nlp)
    assert _same(found, "long overdue", "would pass", kinds=(Kind.PARTIAL, Kind.INDIRECT))


def test_a_colon_introduces_the_quote_that_follows(nlp):
    found = extract(
        INTRO + "But she also said there was still a way out for the unions:\n\n"
        "“They can come back to the table tomorrow and sign,” Lopez said.",
        nlp,
    )
    assert _same(found, "a way out", "come back to the table")


def test_a_summary_of_two_quotes_stays_on_its_own(nlp):
    found = extract(
        INTRO + "Lopez said pensions would rise with inflation and the airport tender would be reopened.\n\n"
        "“Pensions will rise with inflation next year,” she said. "
        "“The airport tender will be reopened in March,” she added.",
        nlp,
    )
    summary = _find(found, "would rise")
    assert summary.statement == (summary.start, summary.end)
    assert not _same(found, "Pensions will", "airport tender will")


def test_quotes_of_two_speakers_are_never_one_statement(nlp):
    found = extract(
        INTRO + "Opposition leader Carlos Ruiz said the budget would never be balanced by 2026.\n\n"
        "“We will balance the budget by 2026,” Lopez said.",
        nlp,
    )
    ruiz, lopez = _find(found, "never be balanced"), _find(found, "We will balance")
    assert ruiz.speaker != lopez.speaker
    assert ruiz.statement != lopez.statement


def test_a_headline_goes_with_the_quote_that_supports_it(nlp):
    found = extract(
        "Budget will be balanced by 2026, says Lopez\n\n"
        + INTRO
        + "“Pensions will rise with inflation next year,” Lopez said. "
        "“The budget will be balanced by 2026, whatever happens,” she added.",
        nlp,
    )
    assert _same(
        found, "Budget will be balanced by 2026", "whatever happens", kinds=(Kind.HEADLINE, Kind.DIRECT)
    )


def test_a_new_point_added_in_the_same_sentence_is_a_statement_of_its_own(nlp):
    found = extract(
        INTRO + "“Revenue fell sharply in the spring,” Lopez said, "
        "adding that the airport tender would be reopened in March.",
        nlp,
    )
    assert not _same(found, "Revenue fell", "airport tender")


def test_a_title_in_quote_marks_is_no_quote_and_never_linked(nlp):
    # Issue #28: the title of a work is quoted, but nobody says it.
    found = extract(
        INTRO + "Lopez, the author of “The Art of Balance,” said the plan was “long overdue” and would pass.",
        nlp,
    )
    assert not [f for f in found if "The Art of Balance" in f.text]
    assert _same(found, "long overdue", "would pass", kinds=(Kind.PARTIAL, Kind.INDIRECT))


def test_quotes_of_a_described_speaker_are_only_linked_to_the_clause_around_them(nlp):
    found = extract(
        "Slogans filled the square on Friday, where marchers said the reform was “long overdue” "
        "and chanted “Bread and Roses.”",
        nlp,
    )
    slogan = _find(found, "Bread and Roses", Kind.DIRECT)
    # "marchers" describes people, it does not name anyone: two such quotes may be two people's.
    assert (slogan.speaker, slogan.speaker_type) == ("marchers", "group")
    assert [f for f in found if f.statement == slogan.statement] == [slogan]
    assert _same(found, "long overdue", "the reform was", kinds=(Kind.PARTIAL, Kind.INDIRECT))


def test_a_qualification_goes_with_the_statement_it_qualifies_not_the_quote_between(nlp):
    found = extract(
        INTRO + "Lopez went so far as to suggest that public investment could be restored after the crisis. "
        "“At the moment, the budgets we have are being cut, cut, cut,” she said. "
        "She qualified that a region that cuts its deficit ought to be allowed to resume public investment.",
        nlp,
    )
    assert _same(found, "could be restored", "ought to be allowed")
    assert not _same(found, "being cut", "ought to be allowed")


def test_a_point_the_speaker_stresses_afterwards_is_a_statement_of_its_own(nlp):
    found = extract(
        INTRO + "Lopez said that public investment could be restored after the recession. "
        "She stressed that public investment in railways would be cut first.",
        nlp,
    )
    assert not _same(found, "could be restored", "railways")


def test_what_saying_adds_to_another_cue_of_its_sentence_is_one_statement(nlp):
    found = extract(
        INTRO + "Lopez signaled on Monday that she was ready for a long fight, saying the so-called"
        " “budget war” could be a “long process”.",
        nlp,
    )
    assert _same(found, "ready for a long fight", "could be a", (Kind.INDIRECT, Kind.INDIRECT))


def test_what_adding_brings_after_another_cue_is_a_statement_of_its_own(nlp):
    found = extract(
        INTRO + "Lopez warned that the budget would be tight, adding that taxes would not rise this year.",
        nlp,
    )
    assert not _same(found, "budget would be tight", "taxes would not rise")


def test_the_same_said_again_of_something_else_in_the_next_sentence_is_one_statement(nlp):
    found = extract(
        INTRO + "Lopez warned the country that the budget war could be a lengthy process. She stressed"
        " that winning every vote in parliament could be a long haul which she intends to see through.",
        nlp,
    )
    assert _same(found, "lengthy process", "long haul", (Kind.INDIRECT, Kind.INDIRECT))


@pytest.mark.parametrize(
    "second",
    [
        # Another modal: what will happen, not what could.
        "She stressed that winning every vote in parliament will be a long haul.",
        # No word of the predicate in common.
        "She stressed that winning every vote in parliament could be a costly victory.",
    ],
)
def test_a_new_point_in_the_next_sentence_is_a_statement_of_its_own(nlp, second):
    found = extract(
        INTRO + "Lopez warned the country that the budget war could be a lengthy process. " + second, nlp
    )
    assert not _same(found, "lengthy process", "winning every vote", (Kind.INDIRECT, Kind.INDIRECT))


def test_a_paraphrase_joins_the_one_later_quote_whose_phrase_it_echoes(nlp):
    text = (
        INTRO + "Lopez offered a bleak assessment, suggesting the dispute could easily spiral into a"
        " bitter standoff among the unions.\n\n"
        "“If talks go wrong, they can go horribly wrong,” she told the radio station. “It is a hard"
        " winter for everyone. It is also a dispute that can grow into a bitter strike across the"
        " country,” she said. “We work on it every day.”"
    )
    found = extract(text, nlp)
    assert _same(found, "spiral into", "grow into a bitter strike", (Kind.INDIRECT, Kind.DIRECT))
    assert not _same(found, "spiral into", "horribly wrong", (Kind.INDIRECT, Kind.DIRECT))


def test_a_phrase_whose_words_the_article_uses_elsewhere_is_no_echo(nlp):
    text = (
        INTRO + "Lopez said the government had tried to fix the budget since the end of the strike,"
        " but any trust was lost with the new taxes.\n\n"
        "“The ministry has worked for years on a better budget with the regions,” Lopez said."
        " “After the end of the strike, we set up councils where we met the regions,” she said.\n\n"
        "The strike will end on Friday, the unions said."
    )
    found = extract(text, nlp)
    assert not _same(found, "tried to fix the budget", "we set up councils", (Kind.INDIRECT, Kind.DIRECT))
