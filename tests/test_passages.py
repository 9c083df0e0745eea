"""Finding the passage of a primary source a version corresponds to, and caption files as text."""

import time

import pytest

from quotes.families import passages
from quotes.families.meaning import NOT_IN_SOURCE, source_flags, source_flags_to_store
from quotes.families.passages import PreparedSource, caption_text, find_passage

TRANSCRIPT = (
    "Good morning, and thank you for coming. We have just finished a meeting of NATO defence "
    "ministers. Allies agreed to spend at least 2 percent of GDP on defence, and most already do. "
    "Even if the fighting ends, we won't go back to a normal, friendly relationship with Russia. "
    "Russia has shown that it is willing to use force against its neighbours.\n\n"
    "Now I am ready to take your questions. Yes, in the back. I think that rebuilding Ukraine's "
    "energy grid will take five years at least, and it will cost billions."
)
ENDS = "Even if the fighting ends, we won't go back to a normal, friendly relationship with Russia."


def _core(source: str, version: str) -> str:
    passage = find_passage(source, version)
    assert passage is not None
    return source[passage.core_start : passage.core_end]


def test_an_excerpt_finds_its_sentence():
    passage = find_passage(TRANSCRIPT, "we won't go back to a normal, friendly relationship")
    assert passage is not None
    assert passage.text == ENDS  # widened to the sentence it lies in
    assert _core(TRANSCRIPT, "we won't go back to a normal, friendly relationship") == (
        "we won't go back to a normal, friendly relationship"
    )
    assert passage.coverage == 1.0


def test_a_version_with_an_ellipsis_finds_both_pieces():
    passage = find_passage(TRANSCRIPT, "Even if the fighting ends … friendly relationship with Russia")
    assert passage is not None and passage.text == ENDS


def test_a_reordered_and_reworded_version_finds_its_passage():
    version = (
        "A normal, friendly relationship with Russia? We won't go back to it, even if the fighting stops"
    )
    passage = find_passage(TRANSCRIPT, version)
    assert passage is not None and passage.text == ENDS


def test_a_passage_in_a_later_paragraph_is_found_with_its_sentence():
    passage = find_passage(TRANSCRIPT, "rebuilding Ukraine's energy grid will take 5 years")
    assert passage is not None
    assert passage.text == (
        "I think that rebuilding Ukraine's energy grid will take five years at least, "
        "and it will cost billions."
    )


def test_a_quote_from_another_statement_is_not_in_the_source():
    assert (
        find_passage(TRANSCRIPT, "China is a serious threat to our security and trade in the Pacific") is None
    )
    # Sharing a word or two with the source is not being in it.
    assert find_passage(TRANSCRIPT, "Russia must pay for the destruction of Mariupol's theatre") is None


def test_words_scattered_across_the_source_are_not_a_passage():
    # Each word is in the transcript, but nowhere together.
    assert find_passage(TRANSCRIPT, "ministers willing questions billions grid morning neighbours") is None


def test_flags_against_the_passage_not_the_whole_source():
    source = PreparedSource(TRANSCRIPT)
    flags, passage = source_flags_to_store(
        source, "we will go back to a normal, friendly relationship", "direct"
    )
    assert passage is not None and passage.text == ENDS
    # The "not" dropped, and the "if …" clause cut: seen because the passage keeps its sentence.
    assert {flag["type"] for flag in flags} == {"negation", "qualifier"}
    flags, _ = source_flags_to_store(
        source, "we won't go back to a normal, friendly relationship with Russia", "direct"
    )
    assert flags == [{"type": "qualifier", "before": "Even if the fighting ends", "after": ""}]
    flags, _ = source_flags_to_store(
        source, "Allies agreed to spend at least 3 percent of GDP on defence", "direct"
    )
    assert [flag["type"] for flag in flags] == ["number"]
    flags, _ = source_flags_to_store(source, "it will take five years at least", "direct")
    assert flags == []


def test_a_version_not_in_the_source_is_stored_with_that_one_flag():
    flags, passage = source_flags_to_store(
        PreparedSource(TRANSCRIPT), "We will never negotiate with terrorists", "direct"
    )
    assert passage is None
    assert flags == [
        {"type": NOT_IN_SOURCE, "before": "", "after": "We will never negotiate with terrorists"}
    ]


def test_one_source_serves_many_versions():
    source = PreparedSource(TRANSCRIPT * 50)  # a long transcript repeats: the first best passage is taken
    passage = source.passage("we won't go back to a normal, friendly relationship with Russia")
    assert passage is not None and passage.text == ENDS


VTT = """WEBVTT
Kind: captions

NOTE recorded at the press conference

STYLE
::cue { color: yellow }

1
00:00:01.000 --> 00:00:03.500 align:start
<v Jens Stoltenberg>Even if the fighting ends,</v>

2
00:00:03.500 --> 00:00:06.000
we won't go back to a <i>normal</i>,
friendly relationship with Russia.

3
00:00:06.000 --> 00:00:07.000
friendly relationship with Russia.
"""

SRT = """1
00:00:01,000 --> 00:00:03,500
Even if the fighting ends,

2
00:00:03,500 --> 00:00:06,000
we won&#39;t go back to a normal,
friendly relationship with Russia.
"""


def test_webvtt_captions_become_plain_text():
    assert caption_text(VTT) == ENDS


def test_subrip_captions_become_plain_text():
    assert caption_text(SRT) == ENDS
    assert caption_text("\ufeff" + SRT.replace("\n", "\r\n")) == ENDS


def test_a_less_than_sign_before_a_tag_keeps_the_words_between():
    captions = "1\n00:00:01,000 --> 00:00:02,000\nless than 5 < 6 <i>percent</i> of it\n"
    assert caption_text(captions) == "less than 5 < 6 percent of it"


@pytest.mark.timeout(20)  # seconds, on a busy machine; before: 40,000 "<" took 2.3 s, a megabyte never ended
@pytest.mark.parametrize("line", ["<" * 1_000_000, "<a" * 500_000, "<" * 500_000 + ">"])
def test_a_megabyte_caption_line_of_unclosed_tags_is_read_in_linear_time(line):
    captions = f"WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n{line}\n"
    started = time.monotonic()
    caption_text(captions)
    assert time.monotonic() - started < 5


def test_a_caption_file_without_words_is_empty():
    assert caption_text("WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n\n") == ""


WAR = (
    "Good evening. We did not choose this war, but we will win it, "
    "and we will rebuild every town it destroyed."
)


def test_an_added_not_is_flagged_where_it_was_added_beside_the_sources_own_negations():
    source = PreparedSource(WAR)
    flags, passage = source_flags(source, "but we will not win it, and we will rebuild every town")
    assert passage is not None and passage.text == WAR.removeprefix("Good evening. ")
    assert [(flag.type, flag.before, flag.after, flag.label) for flag in flags] == [
        ("negation", "will win", "will not win", "added 'not'")
    ]
    flags, _ = source_flags(source, "we did choose this war, but we will not win it")
    assert [flag.label for flag in flags] == ["dropped 'not'", "added 'not'"]


def test_a_negation_does_not_draw_the_passage_to_another_sentence():
    source_text = (
        "Thank you all for coming. We will not leave our allies behind in Ukraine. "
        "Together we can win this war, and we will win it with our partners in Europe."
    )
    flags, passage = source_flags(
        PreparedSource(source_text), "We can not win this war, and we will win it with our partners in Europe"
    )
    assert passage is not None
    assert passage.text == "Together we can win this war, and we will win it with our partners in Europe."
    assert [flag.label for flag in flags] == ["added 'not'"]


def test_a_prepared_source_is_kept_by_its_text_within_a_bound_of_words(monkeypatch):
    monkeypatch.setattr(passages, "_cache", type(passages._cache)())
    monkeypatch.setattr(passages, "CACHE_WORDS", 2 * len(PreparedSource(TRANSCRIPT).keys))
    source = passages.prepared(TRANSCRIPT)
    assert passages.prepared(TRANSCRIPT) is source
    assert passages.prepared(TRANSCRIPT + " Thank you.") is not source
    other = passages.prepared(WAR)
    assert passages.prepared(TRANSCRIPT) is not source  # the oldest gave way to the newer ones
    assert passages.prepared(WAR) is other
