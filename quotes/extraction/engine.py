"""Attribute quotes in a parsed document: direct, partial, indirect and headline speech.

The order matters: quote-mark spans first (scare quotes set aside), then the cue
and speaker of each, then reported clauses, then headlines, and last the
quotes with no cue, which inherit the speaker of the quote before them.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from ..words import PERSONAL_PRONOUNS, FoundBy, Kind, SpeakerType
from . import parsed
from .cues import (
    ADDRESSEE_VERBS,
    CONTENT_OBJECT_VERBS,
    INFINITIVE_SPEECH_VERBS,
    WORDING_VERBS,
    cue_text,
    is_according_to,
    is_speech_verb,
)
from .entities import is_first_name
from .frame_model import COMMITTED, FrameClassifier, committed_classifier, frame_features
from .frames import (
    asks_a_question,
    colon_noun_cue,
    infinitive_reports,
    noun_cue,
    object_reports,
    states_nothing,
)
from .headlines import (
    HeadlineAttribution,
    dateline_length,
    headline_attribution,
    is_headline_line,
    non_news_lines,
    signature_name,
)
from .marks import MarkedSpan, find_quote_spans, paragraph_bounds
from .name_spans import conjunct_chain, is_speaker_like, mention_span
from .scare import SHORT_WORDS, is_scare_quote, reads_as_a_name, word_count
from .sources import ChoosesSources, committed_chooser
from .speaker_nouns import DOCUMENT_NOUNS, ISSUING_VERBS
from .speakers import SpeakerResolver
from .split import (
    according_to_head,
    according_to_sides,
    according_to_subject_sides,
    continues_a_quote,
    hangs_on_its_source,
    inserted_cue_sides,
)
from .tweets import signature_lines, signer, tweet_signature
from .types import QuoteFinding

_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
# "dep": a parse that lost the cue's subject ("Clinton, exasperated, responded: …");
# "advmod": "went so far as to say", where the cue hangs on an adverb; "acomp": "are likely to say".
_CLIMB_DEPS = ("advcl", "xcomp", "conj", "pcomp", "acl", "relcl", "ccomp", "dep", "advmod", "acomp")
_POSTVERB_SPEAKER_DEPS = ("dobj", "attr", "npadvmod", "nsubj", "appos", "oprd", "dative")
_RELATIVE = {"who", "which", "that"}
# What a document does when it reports: "the report found", "records show", "data indicate".
_DOCUMENT_VERBS = frozenset(["find", "show", "indicate", "conclude", "estimate", "suggest", "reveal"])
# "said this week", "said on Monday": when it was said, not who said it.
_TIME_LABELS = ("DATE", "TIME")
_OBJECT_DEPS = ("dobj", "obj", "pobj", "dative")
# Subjects that never introduce a quote after a colon ("Wait, it gets better: …").
_NOT_SPEAKERS = {"it", "this", "that", "there", "what", "which"}
# "NUM": shares of a group ("Nine in 10 voters say"); "DET": "those surveyed say".
_SPEAKER_POS = ("PROPN", "NOUN", "PRON", "ADJ", "X", "NUM", "DET")
_STRIP_LEFT = {"that", ",", ":", ";", "-", "—", "–"}
_STRIP_RIGHT = {",", ".", ";", ":", "-", "—", "–"}

# How sure a finding is (QuoteFinding.confidence), by the evidence that attributes it;
# the pages flag a speaker of low confidence. Ordered as the rules are reliable on the
# seeds and PolNeAR (evaluation): a cue verb with its own subject is surest.
_CONFIDENCE_CUE_AND_SPEAKER = 0.9  # a marked quote with a cue verb and that verb's subject
_CONFIDENCE_REPORTED = 0.8  # reported speech: the clause a speech verb governs
_CONFIDENCE_HEADLINE = 0.75  # a headline's quote, attributed by the headline's own name
_CONFIDENCE_ONE_OF_CUE_OR_SPEAKER = 0.7  # a colon with a speaker, or a cue without one
_CONFIDENCE_INHERITED = 0.6  # a cue-less quote taking the speaker of the quote before it
_CONFIDENCE_MAIN_SPEAKER = 0.5  # an unattributed headline given to the most quoted person
_CONFIDENCE_UNATTRIBUTED = 0.2  # no speaker found, or one whose cue lost its subject
# A finding is at most this much surer than the resolution of its speaker's mention.
_CONFIDENCE_OVER_RESOLUTION = 0.1

# A sub-head that is this much quote is a pull quote, the article's main speaker's.
_PULL_QUOTE_SHARE = 0.8
# A quote of this many words or fewer on a line of its own, with nobody to say it, is a sub-head.
_MAX_SUBHEAD_WORDS = 6
_LINE_TRIM = " \t.,;:!?\"'“”‘’«»„"

# How many dependency steps a "who" climbs from a thing to the person it is said of.
_MAX_ANTECEDENT_CLIMB = 4
# How many dependency steps a cue climbs to find the clause that has the subject.
_MAX_CUE_CLIMB = 3
# How many tokens after a cue a post-verb speaker may stand ("said on Tuesday the minister").
_MAX_POSTVERB_SPEAKER_TOKENS = 6
# How many tokens after a role noun a name in apposition may start ("her adviser, Jake Sullivan").
_MAX_APPOSITION_TOKENS = 3
# A sentence after a quote this short (tokens) is its tail ("Stoltenberg concluded.").
_MAX_TAIL_SENTENCE_TOKENS = 12
# A lead-in before a colon this long (tokens) or shorter can be a bare name ("Carl Bialik: “…”").
_MAX_COLON_LEAD_TOKENS = 10
# Fewer tokens than this are no reported clause.
_MIN_CLAUSE_TOKENS = 3
# A reported clause mostly inside quote marks is a marked quote, not reported speech.
_MAX_QUOTED_SHARE = 0.6
# A marked quote of this many words stands as a direct quote; one opening in upper case
# needs only _MIN_CAPITALISED_DIRECT_WORDS. Shorter ones are partial.
_MIN_DIRECT_WORDS = 8
_MIN_CAPITALISED_DIRECT_WORDS = 3
# How many dependency steps up from a partial quote with no cue its sentence's verb may be.
_MAX_OWN_SPEAKER_STEPS = 3


@dataclass
class _Raw:
    start: int
    end: int
    kind: str
    confidence: float
    cue: Token | None = None
    speaker_head: Token | None = None
    cue_label: str | None = None
    marked: bool = True
    floating: bool = False
    mention: Span | None = None
    # A reported clause's complement, as frame_model.py names it ("that", "infinitive", …).
    complement: str | None = None


class _Document:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = parsed.text(doc)
        self.paragraphs = paragraph_bounds(self.text)
        self._para_starts = [p[0] for p in self.paragraphs]
        # Link teasers, photo captions and lists of labels: nothing in them is a quote.
        self.skipped_paras = non_news_lines(self.text, self.paragraphs)
        # A tweet's text in marks, signed after them ("“…” — Jane Doe (@jdoe) May 4, 2019"):
        # no headline, however it ends; its signature on a line of its own is no news text.
        signed, signatures = signature_lines(self.text, self.paragraphs)
        self.skipped_paras |= signatures
        self.headline_paras = {
            i
            for i, (s, e) in enumerate(self.paragraphs)
            if i not in self.skipped_paras
            and (i not in signed or i == 0)
            and is_headline_line(self.text, s, e, first=i == 0 and len(self.paragraphs) > 1)
        }
        self._headline_attributions: dict[int, HeadlineAttribution | None] = {}
        self.quotes: list[tuple[MarkedSpan, Span]] = []
        self._quote_starts: list[int] = []
        self._reach: list[int] = []

    def headline_attribution(self, para: int) -> HeadlineAttribution | None:
        if para not in self._headline_attributions:
            start, end = self.paragraphs[para]
            self._headline_attributions[para] = headline_attribution(self.doc, start, end, self.text)
        return self._headline_attributions[para]

    def paragraph_of(self, char: int) -> int:
        return max(0, bisect.bisect_right(self._para_starts, char) - 1)

    def in_quote(self, char: int) -> bool:
        i = bisect.bisect_right(self._quote_starts, char) - 1
        if i < 0:
            return False
        mark = self.quotes[i][0]
        return mark.outer_start <= char < mark.outer_end

    def set_quotes(self, quotes: list[tuple[MarkedSpan, Span]]) -> None:
        self.quotes = quotes
        self._quote_starts = [m.outer_start for m, _ in quotes]
        # The furthest any quote up to each one reaches: where a search backwards can stop.
        self._reach = []
        for mark, _ in quotes:
            self._reach.append(max(mark.outer_end, self._reach[-1] if self._reach else 0))

    def quoted_chars(self, start: int, end: int) -> int:
        """How many characters of [start, end) lie inside quote marks."""
        covered = 0
        i = bisect.bisect_left(self._quote_starts, end) - 1
        while i >= 0 and self._reach[i] > start:
            mark = self.quotes[i][0]
            covered += max(0, min(end, mark.outer_end) - max(start, mark.outer_start))
            i -= 1
        return covered


# --- quote spans ------------------------------------------------------------------------------------
def _keep_open_ended(text: str, mark: MarkedSpan, paragraphs: list[tuple[int, int]], para: int) -> bool:
    # An unclosed quote is real when it opens its paragraph or the next paragraph continues it.
    p_start = paragraphs[para][0]
    if text[p_start : mark.open_pos].strip() == "":
        return True
    if para + 1 < len(paragraphs):
        nxt = text[paragraphs[para + 1][0] : paragraphs[para + 1][0] + 1]
        return nxt in "“\"«„‘'"
    return False


def _quote_spans(d: _Document) -> list[tuple[MarkedSpan, Span]]:
    kept = []
    for mark in find_quote_spans(d.text):
        if d.text[max(0, mark.open_pos - 1) : mark.open_pos] == "=":
            continue  # markup attribute values (datetime="2016-06-29") are not speech
        para = d.paragraph_of(mark.open_pos)
        if mark.open_ended and not _keep_open_ended(d.text, mark, d.paragraphs, para):
            continue
        if para in d.skipped_paras:
            continue  # the title of another story quoted in a link to it, a caption, a list
        inner = d.doc.char_span(mark.start, mark.end, alignment_mode="expand")
        if inner is None or len(inner) == 0:
            continue
        # A headline's short quoted words are its speaker's when the line names one
        # ("NATO Chief: Relations With Russia “Destroyed”"); else they are judged like the body's.
        attributed = para in d.headline_paras and d.headline_attribution(para) is not None
        if (
            not attributed
            and not _said_after(d, mark, inner)
            and is_scare_quote(inner, d.text, mark.close_pos)
        ):
            continue
        kept.append((mark, inner))
    return kept


# How many words a quote's attribution right after it may take before its verb ("Rep. Ada Moss,
# R-Pa., said").
_MAX_TRAILING_ATTRIBUTION_TOKENS = 8
# What a sentence that a quote opens may follow: the end of another, or of a quote.
_SENTENCE_ENDS = frozenset(".!?:\"'”’»")


def _said_after(d: _Document, mark: MarkedSpan, inner: Span) -> bool:
    """Whether words in marks closed on a comma, a question or an exclamation mark are followed
    by who said them and a speech verb, or the verb and then who ("“Really,” she added", "“Quiet!”
    the crowd shouted", "“Mexico,” said Ramos"): a quote however short, not a scare quote; unless
    they do not open their sentence ("on the show “Harbour,” Ramos said"), are part of who speaks
    ("the host of “Morning Harbour,” said") or the verb is a clause about a noun."""
    if mark.close_pos is None or d.text[mark.start : mark.end].rstrip()[-1:] not in (",", "!", "?"):
        return False
    before = d.text[: mark.open_pos].rstrip()
    if before and before[-1] not in _SENTENCE_ENDS:
        return False  # inside the reporter's sentence: "on the show “Harbour,” Ramos said"
    paragraph_end = d.paragraphs[d.paragraph_of(mark.open_pos)][1]
    after = d.doc.char_span(mark.outer_end, paragraph_end, alignment_mode="expand")
    if after is None:
        return False
    for tok in after[:_MAX_TRAILING_ATTRIBUTION_TOKENS]:
        if d.in_quote(tok.idx):
            return False
        if is_speech_verb(tok):
            subject = {t.i for c in tok.children if c.dep_ == "nsubj" for t in c.subtree}
            if not subject or inner.root.i in subject or tok.dep_ in ("relcl", "acl"):
                return False
            preceding = [t for t in after if t.i < tok.i]
            if not preceding:
                return min(subject) > tok.i  # "“Mexico,” said Ramos"
            return all(t.i in subject or t.is_punct or t.dep_ == "aux" for t in preceding)
    return False


# --- cues and speakers ---------------------------------------------------------------------------------
def speaker_of_cue(
    cue: Token, d: _Document, depth: int = 0, content: tuple[int, int] | None = None
) -> Token | None:
    """The head token of whoever the cue says is speaking (never a word of the content
    itself): the first that these steps find, in order."""
    if is_according_to(cue):
        return _according_to_speaker(cue)
    speaker = _subject_of_cue(cue, d)
    if speaker is None:
        speaker = _agent_of_cue(cue, d)
    if speaker is None:
        speaker = _speaker_after_cue(cue, d, content)
    if speaker is None:
        speaker = _speaker_up_the_parse(cue, d, depth, content)
    return speaker


def _according_to_speaker(cue: Token) -> Token | None:
    """ "according to the minister": the object of "to"."""
    for to in cue.children:
        if to.lower_ == "to":
            objs = [c for c in to.children if c.dep_ == "pobj"]
            return _speaking_part(objs[0]) if objs else None
    return None


def _subject_of_cue(cue: Token, d: _Document) -> Token | None:
    # Nearest subject first: with two, the far one is a misparse ("LONDON (Reuters) - Trump said"),
    # and one set off by a comma is what was said ("The new bridge, insists Tomas Berg, will …").
    # Of two, a place is the misparse ("Most voters in Alabama, Georgia and Virginia said").
    def order(child: Token) -> tuple[bool, bool, int]:
        return (child.ent_type_ in ("GPE", "LOC"), _comma_between(child, cue), abs(child.i - cue.i))

    for child in sorted(cue.children, key=order):
        if child.dep_ in _SUBJECT_DEPS and child.pos_ in _SPEAKER_POS and not d.in_quote(child.idx):
            if child.lower_ in _RELATIVE and cue.dep_ == "relcl":
                return _speaking_part(_antecedent(child, cue.head))
            if child.dep_ == "nsubjpass":
                return None  # "was told": the subject is the listener
            return _speaking_part(child)
    return None


def _antecedent(relative: Token, noun: Token) -> Token:
    """The noun a relative pronoun stands for: the one its clause hangs on, except that "who"
    is a person, so when the parser hangs the clause on a thing or a place inside a
    person's noun phrase ("a senior analyst at Jefferies, who notes …", "one Democrat
    familiar with the discussion, who added …"), the person it is said of."""
    if relative.lower_ != "who" or _is_person_like(noun):
        return noun
    token = noun
    for _ in range(_MAX_ANTECEDENT_CLIMB):
        if token.dep_ not in ("pobj", "prep", "amod", "acl") or token.head.i == token.i:
            break
        token = token.head
        if token.pos_ in ("NOUN", "PROPN") and _is_person_like(token):
            while token.dep_ == "appos" and token.head.ent_type_ == "PERSON":
                token = token.head  # "Howard Rubel, a senior analyst at Jefferies, who …"
            return token
    return noun


def _speaker_of_source(source: Token | None) -> Token | None:
    """A source mention read as the rules read a cue's subject: a relative pronoun as the
    noun it stands for ("critics who say"), a role beside a name as the name ("A Twitter
    spokesman, Christopher Abboud, said")."""
    if source is None:
        return None
    if source.lower_ in _RELATIVE and source.head.dep_ == "relcl":
        source = _antecedent(source, source.head.head)
    return _speaking_part(source)


def _is_person_like(token: Token) -> bool:
    """A person or people: a name, a pronoun, a role or a people noun ("analysts", "voters")."""
    if token.ent_type_ in ("PERSON", "NORP") or token.pos_ == "PRON":
        return True
    return token.ent_type_ == "" and token.pos_ == "NOUN" and is_speaker_like(token)


def _agent_of_cue(cue: Token, d: _Document) -> Token | None:
    # "As reported by Western Journalism, …", "a claim repeated by the minister": the agent speaks.
    agents = [c for c in cue.children if c.dep_ == "agent"]
    if not agents and any(c.dep_ == "nsubjpass" for c in cue.children):
        # "The plan was described as “reckless” by the mayor": the parse hangs "by" lower down.
        agents = [t for t in cue.subtree if t.dep_ == "prep" and t.lower_ == "by" and t.i > cue.i]
    for agent in agents if is_speech_verb(cue) else ():
        if agent.dep_ in ("agent", "prep"):
            for obj in agent.children:
                if obj.dep_ == "pobj" and obj.pos_ in _SPEAKER_POS and not d.in_quote(obj.idx):
                    return _speaking_part(obj)
    return None


def _speaker_after_cue(cue: Token, d: _Document, content: tuple[int, int] | None) -> Token | None:
    # Inverted order: "emphasized the NATO chief", "added Stoltenberg". A direct object is the
    # speaker only right after the quote ("“…,” posted Jane Doe"); elsewhere it is what was
    # said ("began saying the Lord's Prayer").
    if cue.lemma_.lower() in ADDRESSEE_VERBS:
        return None  # "told reporters": who comes after is the addressee
    # "The fares are fair, insists Okafor": after the clause it reports, the cue inverts too.
    # (Only a speech verb, after a clause that reports nothing itself: in "Trump summed up
    # Clinton as …, denounced her record", the object after "denounced" is no speaker.)
    inverted = _after_quote(cue, d) or (
        is_speech_verb(cue)
        and any(
            c.dep_ == "ccomp" and c.i < cue.i and _comma_between(c, cue) and not is_speech_verb(c)
            for c in cue.children
        )
    )
    for child in cue.rights:
        if (
            child.dep_ in _POSTVERB_SPEAKER_DEPS
            and (inverted or child.dep_ != "dobj")
            and child.i - cue.i <= _MAX_POSTVERB_SPEAKER_TOKENS
            and child.pos_ in ("PROPN", "NOUN", "PRON")
            and child.ent_type_ not in _TIME_LABELS
            and not d.in_quote(child.idx)
            and not (content is not None and content[0] <= child.idx < content[1])
        ):
            return child
    # "“The risk,” said Edward Leamer, …, “is that …”": the name hangs on the quote's verb.
    return _inverted_subject(cue, d) if inverted else None


def _speaker_up_the_parse(
    cue: Token, d: _Document, depth: int, content: tuple[int, int] | None
) -> Token | None:
    """A cue in a clause of its own ("went on to say", "responded by saying") speaks for the
    verb it hangs on: the speaker is that verb's, a few steps up at most."""
    if depth < _MAX_CUE_CLIMB and cue.head.head.i != cue.head.i and _swallowed_clause(cue) is not None:
        # "…, saying the “budget war” could be …": the participle speaks for the verb that the
        # clause it reports hangs on, not for that clause.
        return speaker_of_cue(cue.head.head, d, depth + 1, content)
    if depth >= _MAX_CUE_CLIMB or cue.dep_ not in _CLIMB_DEPS or cue.head.i == cue.i:
        return None
    head = cue.head
    if cue.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN") and not d.in_quote(head.idx):
        # "her statement explaining that …", "she released a statement saying …", "a report
        # saying that …": the noun speaks, or whoever it belongs to or who issued it.
        owner = next((c for c in head.children if c.dep_ == "poss" and c.pos_ in _SPEAKER_POS), None)
        if owner is None and head.dep_ == "dobj" and head.head.lemma_.lower() in ISSUING_VERBS:
            issuers = (c for c in head.head.children if c.dep_ == "nsubj" and c.pos_ in _SPEAKER_POS)
            owner = next(issuers, None)
        if owner is None and head.dep_ == "dobj" and head.lemma_.lower() not in DOCUMENT_NOUNS:
            # "The senator emailed supporters saying: …": a participle the parser hung on an
            # object that is not a text is the subject's.
            return speaker_of_cue(head.head, d, depth + 1, content)
        speaker = owner or head
        if content is None or not content[0] <= speaker.idx < content[1]:
            return _speaking_part(speaker)
    # "X went on to say that NATO wishes …, saying: «…»": the participle hangs on the
    # reported clause, but whoever reports it is the one saying — not the clause's subject.
    if cue.dep_ == "advcl" and head.dep_ == "ccomp" and is_speech_verb(head.head):
        return speaker_of_cue(head.head, d, depth + 1, content)
    controlled = cue.dep_ == "xcomp"
    if cue.dep_ == "pcomp" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX", "ADJ"):
        # "responded by saying", "was quoted as saying": the verb the preposition hangs on.
        controlled = head.lower_ == "as"
        head = head.head
    if controlled:
        # "was heard asking", "was quoted as saying": the passive subject does the speaking.
        for child in head.children:
            if child.dep_ == "nsubjpass" and child.pos_ in _SPEAKER_POS and not d.in_quote(child.idx):
                return _speaking_part(child)
        # "led the chairwoman to announce", "forced him to admit": the object does.
        for child in head.children:
            if (
                child.dep_ == "dobj"
                and child.i < cue.i
                and head.lemma_.lower() not in INFINITIVE_SPEECH_VERBS
                and child.pos_ in _SPEAKER_POS
                and not d.in_quote(child.idx)
            ):
                return _speaking_part(child)
    return speaker_of_cue(head, d, depth + 1, content)


def _comma_between(a: Token, b: Token) -> bool:
    low, high = sorted((a.i, b.i))
    return any(t.text == "," for t in a.doc[low + 1 : high])


def _inserted_cue_content(cue: Token) -> list[Token] | None:
    """ "The plan, she said, would cost …": a cue set off by commas inside the sentence it
    reports; the words on both sides are the speaker's."""
    head = cue.head
    if cue.dep_ != "parataxis" or head.pos_ not in ("VERB", "AUX") or cue.i <= head.left_edge.i:
        return None
    doc = cue.doc
    # The commas may hang on the cue or on the clause around it.
    left = cue.left_edge.i if cue.left_edge.text == "," else cue.left_edge.i - 1
    right = cue.right_edge.i if cue.right_edge.text == "," else cue.right_edge.i + 1
    if left < 0 or right >= len(doc) or doc[left].text != "," or doc[right].text != ",":
        return None
    skip = {t.i for t in cue.subtree} | {left, right}
    return [t for t in head.subtree if t.i not in skip]


def _name_after_inserted_cue(
    cue: Token, clauses: list[Token]
) -> tuple[Token, tuple[int, int], tuple[int, int]] | None:
    """ "The contrast with Okafor, said Doyle, would be clear": an inverted cue set off by
    commas, which the parser reads with the words before it as its subject and the name
    after it as the subject of the clause it reports. The speaker is the name; the
    statement, the words before the cue and the clause after the name."""
    if not clauses or cue.i == 0 or cue.doc[cue.i - 1].text != ",":
        return None
    clause = clauses[0]
    named = [c for c in clause.children if c.dep_ == "nsubj" and c.left_edge.i == cue.i + 1]
    before = [  # ending at the comma before the cue, which the parse may hang on it
        c
        for c in cue.children
        if c.dep_ in ("nsubj", "nsubjpass") and c.right_edge.i in (cue.i - 2, cue.i - 1)
    ]
    if not named or not before or not is_speaker_like(named[0]):
        return None
    doc = cue.doc
    after_name = named[0].right_edge.i  # the comma closing the name, which the parse may hang on it
    if doc[after_name].text != ",":
        after_name += 1
    if after_name >= len(doc) or doc[after_name].text != ",":
        return None
    subject_piece = _trim(list(before[0].subtree), need_verb=False)
    predicate_piece = _trim([t for t in clause.subtree if t.i > after_name])
    if subject_piece is None or predicate_piece is None:
        return None
    return named[0], subject_piece, predicate_piece


def _subject_and_predicate(inserted: list[Token], cue: Token) -> tuple[tuple[int, int], ...] | None:
    """The two pieces of "The rink, she said, is too small" on either side of the cue: the
    reported clause's subject and the rest, when the left side is that subject."""
    left = [t for t in inserted if t.i < cue.i]
    right = [t for t in inserted if t.i > cue.i]
    left = left[dateline_length(left) :]
    while left and (left[-1].text in _STRIP_RIGHT or left[-1].is_space):
        left = left[:-1]
    head = cue.head
    subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < cue.i]
    if not left or len(subjects) != 1 or {t.i for t in left} != {t.i for t in subjects[0].subtree}:
        return None
    predicate = _trim(right)
    if predicate is None:
        return None
    return (left[0].idx, left[-1].idx + len(left[-1].text)), predicate


def _after_quote(cue: Token, d: _Document) -> bool:
    """The cue comes right after a quote ("“…,” said Leamer"), where speech verbs invert."""
    i = cue.i - 1
    while i >= 0 and cue.doc[i].head.i == cue.i and cue.doc[i].dep_ in ("aux", "advmod", "neg"):
        i -= 1
    return i >= 0 and cue.doc[i].is_punct and d.in_quote(cue.doc[i].idx)


def _inverted_subject(cue: Token, d: _Document) -> Token | None:
    """The noun phrase right after an inverted cue, wherever the parser attached it."""
    doc = cue.doc
    if cue.i + 1 >= len(doc):
        return None
    tok = doc[cue.i + 1]
    while tok.dep_ in ("det", "compound", "amod", "flat", "poss", "nummod") and 0 < tok.head.i - cue.i <= 6:
        tok = tok.head
    if tok.pos_ not in ("PROPN", "NOUN", "PRON") or d.in_quote(tok.idx):
        return None
    if cue.is_ancestor(tok) and not _subject_of_set_off_participle(tok) and not _name_set_off(tok, cue, d):
        return None  # "said the plan would work": the subject of what was said
    return tok


def _name_set_off(tok: Token, cue: Token, d: _Document) -> bool:
    """ "“…,” said Don Ytterberg, the GOP chairman, explaining that … Cruz wasn't going to …":
    right after a quote and its cue, a person's name that a comma or the sentence's end sets
    off is who spoke, though the parser made it the subject of a clause further on."""
    if tok.ent_type_ != "PERSON" or not _after_quote(cue, d):
        return False
    doc, end = tok.doc, tok.i + 1
    while end < len(doc) and doc[end].ent_type_ == "PERSON" and doc[end].ent_iob_ == "I":
        end += 1
    return end == len(doc) or doc[end].text in (",", ".", ";")


def _subject_of_set_off_participle(tok: Token) -> bool:
    """ "“…,” said Robin Maynard, half joking": the parser may take the name for the subject
    of the participle set off after it ("…, asked about …"): a subject is not set off from
    its own verb by a comma, and a participle with no auxiliary reports nothing."""
    head = tok.head
    return (
        tok.dep_ == "nsubj"
        and head.tag_ in ("VBG", "VBN", "VBD")  # "asked about …" may be tagged a past tense
        and head.i > tok.i
        and _comma_between(tok, head)
        and not any(c.dep_ in ("aux", "auxpass") for c in head.children)
    )


def _speaking_part(head: Token) -> Token | None:
    """The head itself when it can speak, else a speaker it names ("admissions from US diplomats")."""
    if head.ent_type_ != "PERSON":
        # "The Slate columnist David Auerbach", "her adviser, Jake Sullivan,", "One of the
        # university's top executives, Michael Sexton,": the name speaks.
        for child in head.rights:
            if (
                child.dep_ == "appos"
                and child.ent_type_ == "PERSON"
                and (child.left_edge.i - head.i <= _MAX_APPOSITION_TOKENS or _set_off_after_its_phrase(child))
            ):
                return child
        # "lobbyist and GOP strategist Charlie Black": titles joined before one name.
        if (
            head.pos_ == "NOUN"
            and head.tag_ == "NN"
            and not any(c.dep_ in ("det", "poss") for c in head.children)
        ):
            for child in head.rights:
                if child.dep_ == "conj" and child.ent_type_ == "PERSON":
                    return child
    if is_speaker_like(head):
        return head
    # "admissions from US diplomats", "a statement issued by the Red Cross": whoever it comes from.
    preps = [c for c in head.children if c.dep_ == "prep"]
    preps += [p for c in head.children if c.dep_ == "acl" for p in c.children if p.dep_ in ("prep", "agent")]
    for prep in preps:
        if prep.lower_ in ("from", "by", "of"):
            for obj in prep.children:
                if obj.dep_ == "pobj" and is_speaker_like(obj):
                    return obj
    # A source that cannot speak ("the report said") stays the mention; it resolves to no speaker.
    return head


def _set_off_after_its_phrase(appos: Token) -> bool:
    """Whether an apposition follows, after a comma, the whole phrase of the word it stands
    beside ("One of the university's top executives, Michael Sexton")."""
    head, comma = appos.head, appos.left_edge.i - 1
    if comma <= head.i or appos.doc[comma].text != ",":
        return False
    own = {t.i for c in head.children if c.i < comma and c.dep_ != "appos" for t in c.subtree}
    return all(i in own for i in range(head.i + 1, comma))


def _sentences_around(d: _Document, mark: MarkedSpan) -> list[Span]:
    doc = d.doc
    first = doc.char_span(mark.outer_start, mark.outer_end, alignment_mode="expand")
    if first is None:
        return []
    sents = []
    seen = set()
    for tok in (first[0], first[-1]):
        if tok.sent.start not in seen:
            seen.add(tok.sent.start)
            sents.append(tok.sent)
    first_sent, last_sent = sents[0], sents[-1]
    # "He said: … “quote”" — a lead-in sentence ending in a colon, possibly the paragraph before.
    if first_sent.start > 0:
        prev = doc[first_sent.start - 1].sent
        if prev.text.rstrip().endswith(":"):
            sents.insert(0, prev)
    # "“…now.” Stoltenberg concluded." — a short tail sentence without marks of its own; of a
    # longer one that opens where the quote closes, its start ("“…!” the nominee, Donald
    # Trump, tweeted Sunday after …").
    if last_sent.end < len(doc):
        nxt = doc[last_sent.end].sent
        if d.paragraph_of(nxt.start_char) == d.paragraph_of(mark.open_pos) and not any(
            d.in_quote(t.idx) for t in nxt
        ):
            if len(nxt) <= _MAX_TAIL_SENTENCE_TOKENS:
                sents.append(nxt)
            elif not d.text[mark.outer_end : nxt.start_char].strip():
                sents.append(nxt[:_MAX_TAIL_SENTENCE_TOKENS])
    return sents


_DASH_AFTER_QUOTE = re.compile(r"[ \t]*[—–-]{1,2}[ \t]*(?=\S)")
# A signature may open with a title this long before the name ("— Commissioner Geoffrey Starks").
_MAX_DASH_TITLE_TOKENS = 4


def _dash_name(d: _Document, mark: MarkedSpan) -> Token | None:
    """ "“…” — Commissioner Geoffrey Starks", "“…” -Jane Moss, mayor": a name after a dash
    that follows the quote signs it."""
    dash = _DASH_AFTER_QUOTE.match(d.text, mark.outer_end)
    if dash is None:
        return None
    start = d.doc.char_span(dash.end(), dash.end() + 1, alignment_mode="expand")
    if start is None:
        return None
    tok = start[0]
    while tok.dep_ in ("compound", "flat") and tok.head.i > tok.i and tok.head.pos_ == "PROPN":
        tok = tok.head
    if tok.pos_ != "PROPN" or d.in_quote(tok.idx) or tok.i - start[0].i > _MAX_DASH_TITLE_TOKENS:
        return None
    return tok


def _cue_for_quote(d: _Document, mark: MarkedSpan, inner: Span) -> tuple[Token | None, Token | None]:
    signature = tweet_signature(d.text, mark.outer_end)
    signed = signer(d.doc, signature) if signature is not None else None
    if signed is not None:
        return None, signed  # "“…” — Jane Doe (@jdoe) May 4, 2019": a tweet, signed by its writer
    named = (
        _set_off_name(d, mark)
        or _dash_name(d, mark)
        or signature_name(d.doc, d.text, d.paragraphs, d.paragraph_of(mark.open_pos))
    )
    if named is not None:
        return None, named
    para = d.paragraph_of(mark.open_pos)
    candidates = []
    for sent in _sentences_around(d, mark):
        for tok in sent:
            if d.in_quote(tok.idx):
                continue
            if d.paragraph_of(tok.idx) != para and not sent.text.rstrip().endswith(":"):
                continue
            if is_speech_verb(tok) or is_according_to(tok):
                candidates.append(tok)
    # A speech verb inside what another one reports is part of the content: in "Carter said
    # that critics had been predicting a withdrawal", Carter is speaking, not the critics.
    candidates = [
        c
        for c in candidates
        if _quote_hangs_on(inner, c) or not any(_reports(o, c) for o in candidates if o is not c)
    ]
    best = None
    for cue in candidates:
        speaker = speaker_of_cue(cue, d)
        distance = min(abs(cue.idx - mark.outer_end), abs(cue.idx - mark.outer_start))
        linked = _quote_hangs_on(inner, cue)
        key = (speaker is not None, not is_according_to(cue), linked, _governs(inner, cue), -distance)
        if best is None or key > best[0]:
            best = (key, cue, speaker)
    if best is not None:
        if best[2] is None:
            return best[1], _left_subject(d, best[1])
        return best[1], best[2]
    trailing = _trailing_verb(d, mark, inner)
    if trailing is not None:
        return trailing
    return None, _colon_speaker(d, mark)


def _trailing_verb(d: _Document, mark: MarkedSpan, inner: Span) -> tuple[Token, Token] | None:
    """ "“…,” Hannity started.", "“…,” the crowd chanted.": a quote closed on a comma is
    continued by its attribution, whatever the verb; the quote hangs on it and its subject
    says it."""
    if not d.text[mark.start : mark.end].rstrip().endswith(","):
        return None
    verb = inner.root.head
    if verb.i == inner.root.i or verb.pos_ != "VERB" or verb.idx < mark.outer_end or d.in_quote(verb.idx):
        return None
    subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.i > inner.end and not d.in_quote(c.idx)]
    speaker = _subject_speaker(subjects[0]) if subjects else None
    return (verb, speaker) if speaker is not None else None


def _document_finding(verb: Token) -> bool:
    """ "The report found that …", "court records show that …": a document's findings are
    reported like speech, while "polls found" stays with the speech verbs' own list."""
    if verb.lemma_.lower() not in _DOCUMENT_VERBS:
        return False
    return any(
        c.dep_ == "nsubj" and (c.lemma_.lower() in DOCUMENT_NOUNS or c.lower_ in DOCUMENT_NOUNS)
        for c in verb.children
    )


def _quote_hangs_on(inner: Span, cue: Token) -> bool:
    return inner.root.head == cue or cue.head.i in range(inner.start, inner.end)


def _governs(inner: Span, cue: Token) -> bool:
    """Whether the quoted words lie in what the cue governs: "called the plan “a mirage”",
    "said the rink was “too small”", "according to the coach, the rink is “too small”"."""
    head = according_to_head(cue) if is_according_to(cue) else cue
    return _quote_hangs_on(inner, cue) or head.is_ancestor(inner.root)


def _cue_reaches(d: _Document, mark: MarkedSpan, inner: Span, cue: Token) -> bool:
    """Whether a short partial quote is the cue's: the cue governs it, or attributes it right
    after its closing mark ("“Perpetual motion!” Rep. Ada Moss said"), with nothing between but
    the cue's subject. A longer quote is judged by its cue alone."""
    if word_count(inner.text) > SHORT_WORDS or _governs(inner, cue):
        return True
    if cue.idx < mark.outer_end:
        return False
    subject = {t.i for c in cue.children if c.dep_ in _SUBJECT_DEPS for t in c.subtree}
    between = d.doc.char_span(mark.outer_end, cue.idx, alignment_mode="expand")
    return between is not None and all(
        t.i in subject or t.is_punct or t.is_space or t.dep_ == "aux" for t in between
    )


def _reports(outer: Token, inner: Token) -> bool:
    """Whether ``inner`` lies in the clause that ``outer`` reports ("said that … were predicting")."""
    for clause in outer.children:
        if clause.dep_ == "ccomp" and (clause.i == inner.i or clause.is_ancestor(inner)):
            return True
    return False


def _left_subject(d: _Document, cue: Token) -> Token | None:
    """A cue the parse left without a subject ("Clinton supports “…”, opposes “…” and
    recalled: “…”") takes the nearest subject before it in its sentence, if that one can speak."""
    for tok in reversed(d.doc[cue.sent.start : cue.i]):
        if tok.dep_ in ("nsubj", "nsubjpass") and not d.in_quote(tok.idx) and not cue.is_ancestor(tok):
            return _subject_speaker(tok)
    return None


def _colon_before(d: _Document, mark: MarkedSpan) -> Token | None:
    """The colon that introduces a quote ("… said: “…”"), if its text follows one."""
    before = d.text[: mark.open_pos].rstrip()
    if not before.endswith(":"):
        return None
    colon = d.doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
    return colon[0] if colon is not None else None


def _set_off_name(d: _Document, mark: MarkedSpan) -> Token | None:
    """ "Pollsters agree - Carl Bialik: “…”": a name set off by a dash before the colon speaks,
    whatever verb comes before the dash."""
    colon = _colon_before(d, mark)
    if colon is None or colon.i < 2:
        return None
    last = d.doc[colon.i - 1]
    if last.ent_type_ != "PERSON":
        return None
    first = last
    while first.i > 0 and d.doc[first.i - 1].ent_type_ == "PERSON":
        first = d.doc[first.i - 1]
    if first.i == 0 or d.doc[first.i - 1].text not in ("-", "–", "—"):
        return None
    return last


def _colon_speaker(d: _Document, mark: MarkedSpan) -> Token | None:
    """ "Jens Stoltenberg, NATO Secretary-General: «…»" — a name right before a colon."""
    colon = _colon_before(d, mark)
    if colon is None:
        return None
    sent = colon.sent
    # "Pollsters agree - Carl Bialik: “…”": a name right before the colon speaks.
    last = d.doc[colon.i - 1] if colon.i > sent.start else None
    chunk = d.doc[sent.start : colon.i]
    if last is not None and last.ent_type_ in ("PERSON", "ORG"):
        if last.dep_ not in _OBJECT_DEPS:
            return last
        # An object speaks only when the subject can't ("doesn't surprise pollster Daron Shaw: …")
        # and no preposition governs it ("celebrated the attacks on Twitter: …").
        subject = _clause_subject(d, chunk)
        i = last.i - 1
        while i > sent.start and d.doc[i].head.i == last.i and not d.doc[i].is_punct:
            i -= 1
        return subject if subject is not None or d.doc[i].pos_ == "ADP" else last
    if any(t.pos_ in ("VERB", "AUX") for t in chunk):
        return _clause_subject(d, chunk) if last is not None else None
    if not 1 <= len(chunk) <= _MAX_COLON_LEAD_TOKENS:
        return None
    people = [t for t in chunk if t.ent_type_ in ("PERSON", "ORG")] or [t for t in chunk if t.pos_ == "PROPN"]
    return people[-1] if people and people[0].ent_type_ != "PERSON" else (people[0] if people else None)


def _subject_speaker(subject: Token) -> Token | None:
    """Who a subject names as speaking, if it can speak ("it", "this" and "the report" cannot)."""
    head = _speaking_part(subject)
    if head is not None and not is_speaker_like(head):
        # "Clinton's response was: “…”", "His message to donors read: “…”": whose words they are.
        owner = next((c for c in head.children if c.dep_ == "poss"), None)
        head = _speaking_part(owner) if owner is not None else head
    if head is None or head.lower_ in _NOT_SPEAKERS or not is_speaker_like(head):
        return None
    return head


def _clause_subject(d: _Document, chunk: Span) -> Token | None:
    """The subject of the clause a colon ends: "McConnell delivered a blunt message to Trump: …"."""
    verb = chunk[-1]
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i and verb.head.i >= chunk.start:
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX") or verb.i >= chunk.end:
        return None
    for child in verb.children:
        if child.dep_ == "nsubj" and chunk.start <= child.i and not d.in_quote(child.idx):
            return _subject_speaker(child)
    return None


# --- reported speech ------------------------------------------------------------------------------------
def _trim(tokens: list[Token], need_verb: bool = True) -> tuple[int, int] | None:
    tokens = tokens[dateline_length(tokens) :]
    while tokens and (tokens[0].lower_ in _STRIP_LEFT or tokens[0].is_space):
        tokens = tokens[1:]
    while tokens and (tokens[-1].text in _STRIP_RIGHT or tokens[-1].is_space):
        tokens = tokens[:-1]
    if len(tokens) < _MIN_CLAUSE_TOKENS or (need_verb and not any(t.pos_ in ("VERB", "AUX") for t in tokens)):
        return None
    if tokens[-1].i < tokens[0].i:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _quoted_share(d: _Document, start: int, end: int) -> float:
    return d.quoted_chars(start, end) / max(1, end - start)


def _clause_tokens(clause: Token) -> list[Token]:
    """The reported clause, without a trailing "…, saying: «…»" that is an attribution of its own."""
    tokens = list(clause.subtree)
    for child in clause.rights:
        if child.dep_ == "advcl" and is_speech_verb(child):
            tokens = [t for t in tokens if t.i < child.left_edge.i]
            break
    return tokens


def _swallowed_clause(cue: Token) -> list[Token] | None:
    """ "Ames signaled he was ready, saying the so-called “budget war” could be a “long
    process”": a participle set off by a comma that the parser made the subject of the verb
    after it, with the subject of what was said as its object. The words after the
    participle, to the end of that verb's clause, are what was said."""
    head = cue.head
    if (
        cue.dep_ != "csubj"
        or cue.tag_ != "VBG"
        or head.i < cue.i
        or head.pos_ not in ("VERB", "AUX")
        or cue.i == 0
        or cue.doc[cue.i - 1].text != ","
        or not any(c.dep_ in ("dobj", "obj") for c in cue.children)
        or any(c.dep_ in ("nsubj", "nsubjpass") for c in head.children)
    ):
        return None
    tokens = [t for t in _clause_tokens(head) if t.i > cue.i]
    return tokens or None


def _trailing_cue_clause(cue: Token) -> tuple[list[Token], Token | None] | None:
    """ "Prices will rise in the spring, the head of the Central Bank of Ireland told
    reporters on Tuesday.": a cue closing its sentence after a comma and its subject, which
    the parser read as a second verb of the clause before (or left without a subject, the
    noun phrase hung on the clause's last word). The clause before the comma is what was
    said, the noun phrase between the comma and the cue says it."""
    head, doc = cue.head, cue.doc
    if cue.dep_ != "conj" or head.i >= cue.i or head.pos_ not in ("VERB", "AUX"):
        return None
    sent = cue.sent
    comma = next((i for i in range(cue.i - 1, head.i, -1) if doc[i].text == ","), None)
    if comma is None:
        return None
    phrase = doc[comma + 1 : cue.i]
    subjects = [c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")]
    if (
        not phrase
        or any(t.pos_ in ("VERB", "AUX", "CCONJ", "SCONJ", "PUNCT") for t in phrase)
        # A second subject before the comma is the reported clause's, misread as the cue's.
        or (subjects and not any(comma < c.i < cue.i for c in subjects))
    ):
        return None
    roots = [t for t in phrase if not comma < t.head.i < cue.i]
    if len(roots) != 1 or roots[0].pos_ not in ("NOUN", "PROPN") or not is_speaker_like(roots[0]):
        return None
    # Nothing after the cue but when and to whom it was said.
    after = [t for t in doc[cue.i + 1 : sent.end] if not t.is_punct]
    if any(not cue.is_ancestor(t) or t.pos_ in ("VERB", "AUX") for t in after):
        return None
    return list(doc[head.left_edge.i : comma]), _speaking_part(roots[0])


def _pieces_reported(cue: Token, pieces: Iterable[tuple[int, int]], complement: str) -> list[_Raw]:
    """The pieces of a statement its cue stands inside, each an indirect quote of that cue."""
    return [
        _Raw(
            *piece,
            Kind.INDIRECT,
            cue=cue,
            marked=False,
            confidence=_CONFIDENCE_REPORTED,
            complement=complement,
        )
        for piece in pieces
    ]


def _reported_clauses(d: _Document) -> list[_Raw]:
    found = []
    for tok in parsed.tokens(d.doc):
        if d.in_quote(tok.idx):
            continue
        if is_according_to(tok):
            head = according_to_head(tok)
            skip = {t.i for t in tok.subtree}
            if hangs_on_its_source(tok, head):
                # "…, according to an email previously kept secret": the clause before it.
                head = tok.sent.root
                skip |= {t.i for t in head.subtree if t.i > tok.i}
            if head.i == tok.i or head.pos_ not in ("VERB", "AUX") or is_speech_verb(head):
                continue  # "he said, according to Reuters": the relay is not the speaker
            tokens = [t for t in head.subtree if t.i not in skip]
            if any(is_speech_verb(t) and any(c.dep_ == "ccomp" for c in t.children) for t in tokens):
                # "He previewed it by claiming that …, according to US diplomats": the clause
                # already has its own speaker; the according-phrase only backs it up.
                continue
            sides: tuple[list[Token], ...] = (tokens,)
            if tokens and tokens[-1].i - tokens[0].i + 1 != len(tokens):
                # The according-phrase sat in the middle: both sides when both are clauses
                # (each is a quote), else the longer contiguous side.
                left = [t for t in tokens if t.i < tok.i]
                right = [t for t in tokens if t.i > tok.i]
                sides = according_to_sides(tok, tokens) or ((left if len(left) > len(right) else right),)
                by_subject = according_to_subject_sides(tok, tokens)
                predicate = _trim(by_subject[1]) if by_subject else None
                if by_subject and predicate:
                    # "The rink, according to the coach, is too small": the subject is a piece of
                    # the statement too (too short to be a quote of its own).
                    subject = by_subject[0]
                    subject_span = (subject[0].idx, subject[-1].idx + len(subject[-1].text))
                    found.extend(_pieces_reported(tok, (subject_span, predicate), "according-subject"))
                    continue
            spans = [span for span in (_trim(side) for side in sides) if span]
            complement = "according" if len(sides) == 1 else "according-sides"
            found.extend(_pieces_reported(tok, spans, complement))
            continue
        by_noun = noun_cue(tok) or colon_noun_cue(tok)
        if by_noun is not None:
            said, speaker = by_noun
            span = _trim(said)
            if span is not None and _quoted_share(d, *span) <= _MAX_QUOTED_SHARE:
                found.append(
                    _Raw(
                        *span,
                        Kind.INDIRECT,
                        cue=tok,
                        speaker_head=speaker,
                        marked=False,
                        confidence=_CONFIDENCE_REPORTED,
                        complement="noun",
                    )
                )
            continue
        if not (is_speech_verb(tok) or _document_finding(tok)) or states_nothing(tok):
            continue
        clauses = [c for c in tok.children if c.dep_ == "ccomp" and not asks_a_question(tok, c)]
        lemma = tok.lemma_.lower()
        infinitives = [c for c in tok.children if c.dep_ == "xcomp" and c.i > tok.i]
        objects = [c for c in tok.children if c.dep_ in ("dobj", "obj") and c.i > tok.i]
        inserted = _inserted_cue_content(tok)
        pieces = [_trim(side) for side in inserted_cue_sides(tok) or ()]
        if pieces and all(piece is not None and _quoted_share(d, *piece) == 0 for piece in pieces):
            # "The rink is too small, she says, and will close next year": each side is a quote.
            found.extend(_pieces_reported(tok, [p for p in pieces if p is not None], "inserted-sides"))
            continue
        subject_pieces = _subject_and_predicate(inserted, tok) if inserted is not None else None
        if subject_pieces is not None and all(_quoted_share(d, *piece) == 0 for piece in subject_pieces):
            # "The rink, she said, is too small": the subject before the cue is a piece of the
            # statement too, the cue no part of either.
            found.extend(_pieces_reported(tok, subject_pieces, "inserted-subject"))
            continue
        swapped = _name_after_inserted_cue(tok, clauses)
        if swapped is not None:
            # "Any reading of his actions, said Michael Kofman, an expert, would see …": the
            # parser took the name for the clause's subject and the clause's for the cue's.
            speaker, subject_piece, predicate_piece = swapped
            if all(_quoted_share(d, *piece) == 0 for piece in (subject_piece, predicate_piece)):
                raws = _pieces_reported(tok, (subject_piece, predicate_piece), "inserted-subject")
                for raw in raws:
                    raw.speaker_head = _speaking_part(speaker)
                found.extend(raws)
                continue
        swallowed = _swallowed_clause(tok)
        trailing = _trailing_cue_clause(tok) if not clauses else None
        if trailing is not None and inserted is None:
            # "Prices will rise in the spring, the head of the Central Bank said on Monday": the
            # parser joined the cue to the clause it reports as a second verb.
            span = _trim(trailing[0])
            if span is not None and _quoted_share(d, *span) <= _MAX_QUOTED_SHARE:
                found.append(
                    _Raw(
                        *span,
                        Kind.INDIRECT,
                        cue=tok,
                        speaker_head=trailing[1],
                        marked=False,
                        confidence=_CONFIDENCE_REPORTED,
                        complement="clause",
                    )
                )
            continue
        if inserted is not None:
            span, complement = _trim(inserted), "inserted"
        elif swallowed is not None:
            # "…, saying the so-called “reform” could be a “long fight”": the parser took the
            # participle for the subject of the clause it reports.
            span, complement = _trim(swallowed), "clause"
        elif clauses:
            tokens = _clause_tokens(clauses[0])
            complement = (
                "that"
                if any(c.lower_ == "that" and c.dep_ == "mark" for c in clauses[0].children)
                else "clause"
            )
            # "The new bridge, insists Tomas Berg, will carry …": the subject before the inserted
            # cue is the first word of what was said.
            said_subject = [
                c for c in tok.children if c.dep_ == "nsubj" and c.i < tok.i and _comma_between(c, tok)
            ]
            if (
                said_subject
                and said_subject[0].i < clauses[0].left_edge.i
                and any(c.dep_ == "nsubj" and c.i > tok.i for c in tok.children)
            ):
                tokens = list(said_subject[0].subtree) + tokens
            span = _trim(tokens)
        elif infinitives and infinitive_reports(tok, infinitives[0]):
            # "vowed to take the fight to the convention", "warned voters not to vote for him"
            span, complement = _trim(_clause_tokens(infinitives[0])), "infinitive"
        elif (
            objects
            and lemma in CONTENT_OBJECT_VERBS
            and object_reports(tok, objects[0])
            and not d.in_quote(objects[0].idx)
        ):
            # "Obama has acknowledged difficulties in keeping information secure": the object is the message.
            span, complement = _trim(list(objects[0].subtree), need_verb=False), "object"
        elif tok.dep_ == "advcl" and any(c.lower_ == "as" and c.dep_ == "mark" for c in tok.children):
            # "As Peskov stressed, expansion would not bring security": the main clause is reported.
            skip = {t.i for t in tok.subtree}
            tokens = [t for t in tok.head.subtree if t.i not in skip and t.i > tok.right_edge.i]
            span, complement = _trim(tokens), "as"
        else:
            continue
        if span is None or _quoted_share(d, *span) > _MAX_QUOTED_SHARE:
            continue
        found.append(
            _Raw(
                *span,
                Kind.INDIRECT,
                cue=tok,
                marked=False,
                confidence=_CONFIDENCE_REPORTED,
                complement=complement,
            )
        )
    return found


def _frames(d: _Document, reported: list[_Raw]) -> list[tuple[_Raw, dict[str, float]]]:
    """Each reported clause with the features of its frame (frame_model.py)."""
    return [
        (raw, frame_features(raw.cue, raw.complement, raw.start, raw.end))
        for raw in reported
        if raw.cue is not None and raw.complement is not None
    ]


def frame_candidates(doc: Doc) -> list[tuple[int, int, dict[str, float]]]:
    """The reported clauses the rules find in a parsed document, each with its frame's
    features, before any classifier vetoes one: what ``make train`` fits on."""
    d = _Document(doc)
    d.set_quotes(_quote_spans(d))
    reported = [r for r in _reported_clauses(d) if d.paragraph_of(r.start) not in d.skipped_paras]
    return [(raw.start, raw.end, features) for raw, features in _frames(d, reported)]


# --- assembling -----------------------------------------------------------------------------------------
def _marked_kind(d: _Document, mark: MarkedSpan) -> str:
    if d.paragraph_of(mark.open_pos) in d.headline_paras:
        return Kind.HEADLINE
    first_alpha = next((ch for ch in d.text[mark.start : mark.end] if ch.isalpha()), "")
    words = word_count(d.text[mark.start : mark.end])
    # A quote that opens in lower case right after the reporter's words is part of their
    # sentence ("called the offer “an insult to every nurse in this country”"), however long.
    before = d.text[: mark.outer_start].rstrip()
    embedded = bool(before) and before[-1].isalnum() and first_alpha.islower()
    if (words >= _MIN_DIRECT_WORDS and not embedded) or (
        first_alpha.isupper() and words >= _MIN_CAPITALISED_DIRECT_WORDS
    ):
        return Kind.DIRECT
    return Kind.PARTIAL


def _headline_findings(d: _Document, raws: list[_Raw]) -> list[_Raw]:
    extra = []
    for index in sorted(d.headline_paras):
        start, end = d.paragraphs[index]
        inside = [r for r in raws if start <= r.start < end]
        for raw in inside:
            raw.kind = Kind.HEADLINE
        attribution = d.headline_attribution(index)
        if attribution is None:
            continue
        for raw in inside:
            if raw.speaker_head is None:
                raw.speaker_head = attribution.speaker.root
                raw.mention = attribution.speaker
                raw.cue_label = attribution.cue
                raw.confidence = _CONFIDENCE_HEADLINE
        if not inside and attribution.cue == ":":
            content = d.doc.char_span(
                attribution.content_start, attribution.content_end, alignment_mode="expand"
            )
            span = _trim(list(content)) if content is not None else None
            if span:
                extra.append(
                    _Raw(
                        *span,
                        Kind.HEADLINE,
                        speaker_head=attribution.speaker.root,
                        mention=attribution.speaker,
                        cue_label=":",
                        marked=False,
                        confidence=_CONFIDENCE_ONE_OF_CUE_OR_SPEAKER,
                    )
                )
    return extra


def _speak_for_partials(d: _Document, raws: list[_Raw]) -> None:
    """A partial quote with no cue and no speaker is its subject's words when it hangs on a verb
    that words them ("Whitman labeled Mr. Trump “unfit”", "Cruz blamed the law on “knuckleheaded
    politicians”"), whoever was quoted before it."""
    for raw in raws:
        if raw.kind == Kind.PARTIAL and raw.cue is None and raw.speaker_head is None:
            verb = _verb_holding(d, raw)
            if verb is None or not (is_speech_verb(verb) or verb.lemma_.lower() in WORDING_VERBS):
                continue
            speaker = speaker_of_cue(verb, d, content=(raw.start, raw.end))
            if speaker is not None and is_speaker_like(speaker) and not d.in_quote(speaker.idx):
                raw.cue, raw.speaker_head = verb, speaker
                raw.confidence = _CONFIDENCE_ONE_OF_CUE_OR_SPEAKER


def _verb_holding(d: _Document, raw: _Raw, max_steps: int | None = None) -> Token | None:
    """The first verb outside the marks up the parse from the quoted words: "labeled" in
    "labeled Mr. Trump “unfit”", "groused" in "groused that CNN “doesn't treat me properly”";
    none when the words are in its subject ("the depot's “green garage” charges buses"), or
    more than ``max_steps`` steps up the parse."""
    inner = d.doc.char_span(raw.start, raw.end, alignment_mode="expand")
    if inner is None:
        return None
    tok, steps = inner.root, 0
    while tok.head.i != tok.i and (max_steps is None or steps < max_steps):
        below, tok, steps = tok, tok.head, steps + 1
        if tok.pos_ in ("VERB", "AUX") and not inner.start <= tok.i < inner.end and not d.in_quote(tok.idx):
            return None if below.dep_ in _SUBJECT_DEPS else tok
    return None


def _own_speaker(d: _Document, raw: _Raw) -> Token | None:
    """Who says a partial quote with no cue, from its own sentence: the person doing what the
    quoted words are part of ("He offered “my thoughts and prayers”", "She wants the
    candidates “to admit it”", "He commanded the party to “do the right thing”"); none for a
    thing or a passive subject ("was treated for a “malignant disease”"), for a copula ("Trump
    is “brand building”": what he is called, by somebody else) or for words deep in a phrase
    ("in an interview on “60 Minutes”")."""
    inner = d.doc.char_span(raw.start, raw.end, alignment_mode="expand")
    if inner is None:
        return None
    root = inner.root
    clause = root.pos_ in ("VERB", "AUX") and not any(
        c.dep_ == "aux" and c.lower_ == "to" for c in root.children
    )
    if clause and any(c.dep_ in _SUBJECT_DEPS and not inner.start <= c.i < inner.end for c in root.children):
        return None  # a clause with a subject of its own: "while the council is “counting books”"
    verb = _verb_holding(d, raw, _MAX_OWN_SPEAKER_STEPS)
    if verb is None or verb.lemma_.lower() == "be":
        return None
    speaker = speaker_of_cue(verb, d, content=(raw.start, raw.end))
    if speaker is None or d.in_quote(speaker.idx):
        return None
    person = _is_person_like(speaker) or (speaker.pos_ == "PROPN" and speaker.ent_type_ in ("", "PERSON"))
    return speaker if person else None


def _inherit_speakers(d: _Document, raws: list[_Raw]) -> list[_Raw]:
    """Quotes with no cue take the speaker of the attributed quote before them."""
    kept = []
    previous: _Raw | None = None
    for raw in raws:
        if raw.marked and raw.kind != Kind.HEADLINE and _cited_title(d, raw):
            continue  # "I agree with her (“Library plan wins the vote,” Harbour Times, May 2)"
        if raw.speaker_head is None and raw.kind != Kind.HEADLINE:
            if raw.kind == Kind.DIRECT and raw.cue is None and _reads_as_a_name(d, raw):
                continue  # a title or a slogan nobody is said to say ("star of “Thelma and Louise”")
            if raw.cue is None and _in_a_headline(d, raw):
                continue  # "3. FOR SMALL TOWNS ‘THE BEST IS YET TO COME’": a sub-head's words
            if raw.cue is None and _subhead_in_single_marks(d, raw):
                continue  # "‘A fight from start to finish.’" on a line of its own: a sub-head
            introduced = _introduced_speaker(d, raw) if raw.kind == Kind.DIRECT and raw.cue is None else None
            if introduced is not None:
                raw.speaker_head, raw.confidence = introduced, _CONFIDENCE_INHERITED
            elif previous is not None and previous.speaker_head is not None and _near(d, raw, previous):
                if raw.cue is not None and not _named_in_sentence(d, raw.cue, previous.speaker_head):
                    # A cue whose subject we lost ("…, opposes “…” and recalled: “…”") most often
                    # belongs to someone else: it inherits only when its sentence names that speaker.
                    raw.confidence = _CONFIDENCE_UNATTRIBUTED
                else:
                    # A few words in marks beside another's quote are its sentence's subject's words;
                    # those of a sentence that names someone else are nobody's we know. Taken from
                    # the quote before, they were wrong 17 times in 21 (make eval, PolNeAR dev part).
                    cueless_partial = raw.kind == Kind.PARTIAL and raw.cue is None
                    own = _own_speaker(d, raw) if cueless_partial else None
                    if own is not None:
                        raw.speaker_head, raw.confidence = own, _CONFIDENCE_INHERITED
                    elif cueless_partial and _names_a_person(d, raw):
                        continue
                    else:
                        raw = replace(
                            raw,
                            speaker_head=previous.speaker_head,
                            mention=previous.mention,
                            floating=True,
                            confidence=_CONFIDENCE_INHERITED,
                            cue=None,
                            cue_label=None,
                        )
            elif raw.kind == Kind.PARTIAL:
                continue  # a short quote with no speaker in sight is most likely a scare quote
            elif _short_line_of_its_own(d, raw):
                continue  # a few words in marks on a line of their own, nobody to say them: a sub-head
            else:
                raw.confidence = _CONFIDENCE_UNATTRIBUTED
        # A clause reported inside another ("Carter said that critics had been predicting …")
        # does not take over: the next quote continues the one reporting it.
        inside_previous = previous is not None and previous.start <= raw.start and raw.end <= previous.end
        if raw.speaker_head is not None and not inside_previous:
            previous = raw
        kept.append(raw)
    return kept


# Words that a headline written in title case capitalises and a sentence does not.
_TITLE_CASE_POS = ("VERB", "AUX", "ADP", "DET", "PART", "CCONJ", "SCONJ", "PRON")
# How many words each side of a quote, on its line, tell how the line is written.
_HEADLINE_CONTEXT_WORDS = 4
# A sub-head quotes a few words; a quote longer than this in such a line is someone's speech.
_MAX_HEADLINE_QUOTE_WORDS = 8


def _in_a_headline(d: _Document, raw: _Raw) -> bool:
    """Whether a few words in marks, capitalised like a headline's, stand in a line written in
    capitals or in title case ("HOW ‘SMALL STEPS’ WIN RACES", "Mayor Wants To Try Things ‘A Lot
    Less Careful’"), judged by the words next to them on their line outside any quote marks,
    sentence openings left out. Names ("Mayor Ines Alvarez") are capitalised in any sentence:
    title case needs a small word or a verb."""
    inner = d.doc.char_span(raw.start, raw.end, alignment_mode="expand")
    quoted = [t for t in inner if t.is_alpha] if inner is not None else []
    if not quoted or len(quoted) > _MAX_HEADLINE_QUOTE_WORDS:
        return False
    if not all(t.text[0].isupper() for t in quoted if not t.is_stop or t.i == quoted[0].i):
        return False
    start, end = d.paragraphs[d.paragraph_of(raw.start)]
    line = d.doc.char_span(start, end, alignment_mode="expand")
    if line is None:
        return False
    words = [t for t in line if t.is_alpha and not d.in_quote(t.idx) and not t.is_sent_start]
    before = [t for t in words if t.idx < raw.start][-_HEADLINE_CONTEXT_WORDS:]
    after = [t for t in words if t.idx >= raw.end][:_HEADLINE_CONTEXT_WORDS]
    context = before + after
    if len(context) < 2 or not all(t.text[0].isupper() for t in context):
        return False
    return all(t.is_upper for t in context) or any(t.pos_ in _TITLE_CASE_POS for t in context)


# The marks a headline quotes in; a body that quotes in double marks sets its sub-heads in these.
_SINGLE_MARKS = frozenset(["‘", "'"])


def _subhead_in_single_marks(d: _Document, raw: _Raw) -> bool:
    """A few words in single marks that are all their line holds, in an article that quotes in
    double marks ("‘A fight from start to finish.’" between two paragraphs of a profile): a
    sub-head written as a headline is, not a quote of whoever was quoted before it."""
    mark = next((m for m, _ in d.quotes if m.start == raw.start), None)
    if mark is None or mark.mark not in _SINGLE_MARKS:
        return False
    start, end = d.paragraphs[d.paragraph_of(raw.start)]
    if d.text[start:end].strip(_LINE_TRIM) != d.text[raw.start : raw.end].strip(_LINE_TRIM):
        return False
    if word_count(d.text[raw.start : raw.end]) > _MAX_HEADLINE_QUOTE_WORDS:
        return False
    return any(m.mark not in _SINGLE_MARKS for m, _ in d.quotes)


_MARKS_AND_SPACES = " \t\"'“”‘’«»„"
# How far after a quote a citation's closing bracket may be ("…,” Harbour Times, Monday)").
_MAX_CITATION_CHARS = 60


def _cited_title(d: _Document, raw: _Raw) -> bool:
    """Whether a quote is an article's title cited in brackets with where it ran: "I agree with
    the mayor (“Library plan wins the vote,” Harbour Times, Monday)"."""
    if not d.text[: raw.start].rstrip(_MARKS_AND_SPACES).endswith("("):
        return False
    after = d.text[raw.end : raw.end + _MAX_CITATION_CHARS]
    rest = after.lstrip(_MARKS_AND_SPACES)
    if not rest.startswith(",") and not d.text[raw.start : raw.end].rstrip().endswith(","):
        return False
    source = rest.lstrip(", ")
    close = source.find(")")
    return close > 0 and "(" not in source[:close] and source[:1].isupper()


# The personal pronouns that stand for people.
_PEOPLES_PRONOUNS = PERSONAL_PRONOUNS - {"it"}


def _names_a_person(d: _Document, raw: _Raw) -> bool:
    """Whether the sentence of a quote names a person outside the quote marks: a name or a
    personal pronoun ("Mosad was treated for a “malignant disease”", "Obama backed her")."""
    inner = d.doc.char_span(raw.start, raw.end, alignment_mode="expand")
    if inner is None:
        return False
    return any(
        (t.ent_type_ == "PERSON" or (t.pos_ == "PRON" and t.lower_ in _PEOPLES_PRONOUNS and t.dep_ != "poss"))
        and not d.in_quote(t.idx)
        for t in inner.sent
    )


def _reads_as_a_name(d: _Document, raw: _Raw) -> bool:
    inner = d.doc.char_span(raw.start, raw.end, alignment_mode="expand")
    return inner is not None and reads_as_a_name(inner)


def _short_line_of_its_own(d: _Document, raw: _Raw) -> bool:
    start, end = d.paragraphs[d.paragraph_of(raw.start)]
    line = d.text[start:end].strip(_LINE_TRIM)
    words = d.text[raw.start : raw.end].strip(_LINE_TRIM)
    return word_count(words) <= _MAX_SUBHEAD_WORDS and len(words) >= _PULL_QUOTE_SHARE * len(line)


def _introduced_speaker(d: _Document, raw: _Raw) -> Token | None:
    """Who a cue-less quote opening its sentence is from when the sentence just before it, in
    its paragraph and with no quote of its own, has a person as its active subject, named or a
    pronoun: "Iowa State's Dianne Bystrom agreed. “Republicans are running out of time.”",
    "Clinton touted her record. “We need to support workers.”" The news convention introduces
    the speaker first; the quote before belongs to someone else."""
    inner = d.doc.char_span(raw.start, raw.end, alignment_mode="expand")
    if inner is None or inner.sent.start == 0:
        return None
    before = d.doc[inner.sent.start - 1].sent
    opening = d.text[before.end_char : raw.start]
    if opening.strip(_MARKS_AND_SPACES) or d.paragraph_of(before.start_char) != d.paragraph_of(raw.start):
        return None
    if any(d.in_quote(t.idx) or t.text in _MARKS_AND_SPACES for t in before):
        return None
    verb = before.root
    if verb.pos_ not in ("VERB", "AUX") or not any(c.dep_ == "nsubj" for c in verb.children):
        return None  # "Clinton was attacked by Trump.": a passive subject is not the one speaking
    speaker = speaker_of_cue(verb, d)
    if speaker is None or d.in_quote(speaker.idx):
        return None
    # A name the tagger knows for a person's, or one that opens with a first name ("Ines Alvarez"),
    # never an organisation's ("The NATO-Russia Council has not met. “The ball is …”").
    named = speaker.ent_type_ == "PERSON" or (
        speaker.pos_ == "PROPN"
        and speaker.ent_type_ == ""
        and any(c.dep_ == "compound" and is_first_name(c.text) for c in speaker.children)
    )
    return speaker if named or speaker.lower_ in ("he", "she", "they") else None


def _near(d: _Document, raw: _Raw, previous: _Raw) -> bool:
    """Whether a cue-less quote is close enough to the attributed one before it to continue it:
    a direct quote in the next paragraph at most, a partial one in the same paragraph (one in
    another paragraph took the wrong speaker nine times in ten: make eval, PolNeAR)."""
    paragraphs_apart = d.paragraph_of(raw.start) - d.paragraph_of(previous.end)
    return paragraphs_apart <= (1 if raw.kind == Kind.DIRECT else 0)


def _named_in_sentence(d: _Document, cue: Token, head: Token) -> bool:
    return any(t.lower_ == head.lower_ and not d.in_quote(t.idx) for t in cue.sent)


def _drop_duplicates(raws: list[_Raw]) -> list[_Raw]:
    raws.sort(key=lambda r: (r.start, -(r.end - r.start)))
    out: list[_Raw] = []
    seen: set[tuple[int, int]] = set()
    for raw in raws:
        if (raw.start, raw.end) not in seen:
            seen.add((raw.start, raw.end))
            out.append(raw)
    return out


# How an article's speakers are resolved: the product's ``SpeakerResolver``, or (for the
# evaluation and training) one with another ranking or another decider, made the same way.
MakeResolver = Callable[..., SpeakerResolver]


def attribute(
    doc: Doc,
    frames: FrameClassifier | None | str = COMMITTED,
    *,
    make_resolver: MakeResolver = SpeakerResolver,
    sources: ChoosesSources | None | str = COMMITTED,
) -> list[QuoteFinding]:
    """All quotes of a parsed document with their speakers. ``frames``: the classifier that
    may veto a reported clause's frame; by default the committed one, if ``make train``
    put it in the engine; None leaves the frames to the rules alone. ``sources``: the model
    that checks which mention is each quote's source (sources.py), by default the
    committed one, if any; None leaves the sources to the rules alone."""
    if isinstance(frames, str):
        frames = committed_classifier()
    if isinstance(sources, str):
        sources = committed_chooser()
    d = _Document(doc)
    d.set_quotes(_quote_spans(d))
    raws: list[_Raw] = []
    for index, (mark, inner) in enumerate(d.quotes):
        cue, speaker = _cue_for_quote(d, mark, inner)
        kind = _marked_kind(d, mark)
        if kind == Kind.PARTIAL and cue is not None and not _cue_reaches(d, mark, inner, cue):
            # "The branch is a “fresh start” because readers complained": a few words in marks
            # that the cue neither governs nor follows are not that cue's words.
            cue = speaker = None
        if index and raws and continues_a_quote(d.text, d.quotes[index - 1][0], mark):
            kind = raws[-1].kind  # the second piece of a quote split by its cue
        raws.append(
            _Raw(
                mark.start,
                mark.end,
                kind,
                cue=cue,
                speaker_head=speaker,
                cue_label=":" if cue is None and speaker is not None else None,
                confidence=(
                    _CONFIDENCE_CUE_AND_SPEAKER
                    if cue is not None and speaker is not None
                    else _CONFIDENCE_ONE_OF_CUE_OR_SPEAKER
                ),
            )
        )
    reported = _reported_clauses(d)
    if frames is not None:
        # A frame that annotators seldom mark as an attribution is dropped (frame_model.py).
        vetoed = {id(raw) for raw, features in _frames(d, reported) if not frames.keeps(features)}
        reported = [raw for raw in reported if id(raw) not in vetoed]
    for raw in reported:
        if raw.speaker_head is None and raw.cue is not None:  # a speech noun comes with its speaker
            raw.speaker_head = speaker_of_cue(raw.cue, d, content=(raw.start, raw.end))
    # A noun object is a message only as someone's: with nobody to give it, "Underscoring the
    # concern …" or "one that emphasizes issues …" words nothing (make eval, PolNeAR dev part).
    reported = [r for r in reported if r.complement != "object" or r.speaker_head is not None]
    # A marked span inside a reported clause is a partial quote of the same speaker.
    for raw in raws:
        if raw.kind == Kind.HEADLINE:
            continue
        for clause in reported:
            if clause.start <= raw.start and raw.end <= clause.end:
                raw.kind = Kind.PARTIAL
                if raw.speaker_head is None or raw.cue is not clause.cue:
                    raw.cue, raw.speaker_head = clause.cue, clause.speaker_head
                break
    raws.extend(reported)
    raws.extend(_headline_findings(d, raws))
    raws = [r for r in _drop_duplicates(raws) if d.paragraph_of(r.start) not in d.skipped_paras]
    _speak_for_partials(d, raws)
    raws = _inherit_speakers(d, raws)
    if sources is not None:
        _check_sources(d, raws, sources)
    return _resolve(d, raws, make_resolver)


def _check_sources(d: _Document, raws: list[_Raw], sources: ChoosesSources) -> None:
    """Each quote's source as the rules picked it, replaced where the source chooser is sure
    of another mention (sources.py); the quote is then no surer than the chooser."""
    for raw in raws:
        if raw.floating or raw.kind == Kind.HEADLINE:
            continue  # a speaker carried over from a quote before, or a headline's
        if raw.cue is None and raw.speaker_head is not None:
            continue  # one the text's layout attributes (a signed tweet or pull quote): no cue to read
        same_cue = [
            (r.start, r.end) for r in raws if r is not raw and raw.cue is not None and r.cue == raw.cue
        ]
        choice = sources.choose(
            d.doc, d.in_quote, (raw.start, raw.end), raw.kind, raw.cue, raw.speaker_head, same_cue
        )
        if choice is not None:
            source, probability = choice
            raw.speaker_head, raw.mention = _speaker_of_source(source), None
            raw.confidence = min(raw.confidence, round(probability, 2))


def _said_of_one(cue: Token | None) -> bool:
    """Whether a relative clause's cue is said of one of the names joined by "and" it hangs on:
    "Trump, who calls it “insanity”, and Sanders, who says it's “disastrous”" (a verb in the
    singular, or a clause before the last name), not "Bush and Christie, who say …"."""
    if cue is None or cue.dep_ != "relcl":
        return False
    verbs = [cue, *(c for c in cue.children if c.dep_ == "aux")]
    if any(v.tag_ == "VBZ" for v in verbs):
        return True
    if any(v.tag_ == "VBP" for v in verbs):
        return False
    noun = cue.head
    if any(c.dep_ == "conj" and c.i > cue.i for c in noun.children):
        return True  # "Trump, who said …, and Sanders"
    # "Trump, who called it …, and Sanders, who said …": each name its own clause.
    first = noun
    while first.dep_ == "conj":
        first = first.head
    others = [noun.doc[i] for i in conjunct_chain(first) if i != noun.i]
    return any(c.dep_ == "relcl" for other in others for c in other.children)


def _resolve(d: _Document, raws: list[_Raw], make_resolver: MakeResolver) -> list[QuoteFinding]:
    resolver = make_resolver(d.doc, in_quote=d.in_quote, paragraph_of=d.paragraph_of)
    findings = []
    for raw in raws:
        name = kind = mention = None
        found_by = FoundBy.NONE
        confidence = raw.confidence
        if raw.speaker_head is not None:
            mention = raw.mention if raw.mention is not None else mention_span(raw.speaker_head)
            resolution = resolver.resolve(mention, joint=not _said_of_one(raw.cue))
            name, kind, found_by = resolution.name, resolution.kind, resolution.found_by
            if (
                raw.kind == Kind.HEADLINE
                and raw.cue_label == ":"
                and kind == SpeakerType.DESCRIPTION
                and not is_speaker_like(mention.root)
            ):
                continue  # "Harbour plan: “a new beginning”": a topic before the colon, not a speaker
            if raw.kind == Kind.HEADLINE and kind == SpeakerType.ORGANISATION and name:
                # "NATO: Even if the fighting stops, …" — a headline shortens the quote of the
                # organisation's head, whom the article names with the organisation in the title.
                head_of = resolver.people.heading(name)
                if head_of is not None:
                    name, kind, found_by = head_of, SpeakerType.PERSON, FoundBy.DESCRIPTION
            if raw.floating:
                found_by = FoundBy.INHERITED
            if name is None:
                found_by = FoundBy.NONE
            confidence = round(min(confidence, resolution.confidence + _CONFIDENCE_OVER_RESOLUTION), 2)
            if not raw.floating:
                resolver.people.note_speaker(name, mention.start_char, mention.root, kind)
        cue = raw.cue_label or (cue_text(raw.cue) if raw.cue is not None else None)
        findings.append(
            QuoteFinding(
                start=raw.start,
                end=raw.end,
                text=d.text[raw.start : raw.end],
                kind=raw.kind,
                speaker=name,
                speaker_start=mention.start_char if mention is not None else None,
                speaker_end=mention.end_char if mention is not None else None,
                speaker_mention=mention.text if mention is not None else None,
                speaker_type=kind,
                speaker_found_by=found_by,
                cue=cue,
                confidence=confidence,
            )
        )
    # An unattributed headline quote is the words of someone the headline names: who says them
    # in the body, else the person of the line the article quotes most. A line that is nothing
    # but the quote (a pull quote, a title all in marks) is the article's most quoted person's;
    # the quote of a line that names none of its speakers is kept with no speaker, as the most
    # quoted person was wrong there more often than right (make eval, PolNeAR dev part). A
    # sub-head's quoted words with nobody to say them, or a title's when nobody is quoted,
    # are no quote.
    counts = Counter(f.speaker for f in findings if f.speaker and f.speaker_type == SpeakerType.PERSON)
    main = counts.most_common(1)[0][0] if counts else None
    body = [f for f in findings if f.kind != Kind.HEADLINE and f.speaker]
    return [
        f if f.kind != Kind.HEADLINE or f.speaker is not None else _headline_speaker(d, f, body, counts)
        for f in findings
        if f.kind != Kind.HEADLINE
        or f.speaker is not None
        or (main is not None and _headline_of_its_own(d, f))
    ]


def _headline_speaker(
    d: _Document, finding: QuoteFinding, body: list[QuoteFinding], counts: Counter[str]
) -> QuoteFinding:
    """The speaker of a headline quote with no attribution of its own: one the headline line
    names who says its words in the body ("Trump delivers defense of ‘New York values’", the
    body quoting Trump's "New York values"), else the person it names whom the article
    quotes most, unless it names them only as what its verb acts on ("Voters reject
    Alvarez's plan"); else the person whose body quote holds its words, when they are three
    words or more; else, for a line that is all quote, the article's most quoted person;
    else none, and the quote stays."""
    start, end = d.paragraphs[d.paragraph_of(finding.start)]
    line_words = set(_words(d.text[start:end]))
    quoted = _words(finding.text)

    def named_by(words: set[str]) -> set[str | None]:
        return {f.speaker for f in body if words & (set(_words(f.speaker or "")) - _NAME_FILLERS)}

    named = named_by(line_words)
    # "Voters reject Alvarez's plan, ‘a mirage’": one the line acts on is not who speaks.
    line = d.doc.char_span(start, end, alignment_mode="expand") or ()
    named_actors = named_by(line_words - {t.lower_ for t in line if _acted_on(t)})

    def says(other: QuoteFinding) -> bool:
        words = _words(other.text)
        return any(words[i : i + len(quoted)] == quoted for i in range(len(words) - len(quoted) + 1))

    sayer = next((f for f in body if f.speaker in named and says(f)), None)
    person = next((p for p, _ in counts.most_common() if p in named_actors), None)
    if sayer is None and person is None and len(quoted) >= _MIN_REPEATED_WORDS:
        sayer = next((f for f in body if f.speaker_type == SpeakerType.PERSON and says(f)), None)
    if sayer is not None:
        name, kind, confidence = sayer.speaker, sayer.speaker_type, _CONFIDENCE_INHERITED
    elif person is not None or _all_quote(d, finding):
        name = person or counts.most_common(1)[0][0]
        kind, confidence = SpeakerType.PERSON, _CONFIDENCE_MAIN_SPEAKER
    else:
        return replace(finding, confidence=min(finding.confidence, _CONFIDENCE_UNATTRIBUTED))
    return replace(
        finding, speaker=name, speaker_type=kind, speaker_found_by=FoundBy.INHERITED, confidence=confidence
    )


_WORD = re.compile(r"\w+")
# Words of a speaker's name that do not name them in a headline ("The", "of").
_NAME_FILLERS = frozenset(["the", "and", "for", "of"])
# A headline quote of this many words that a body quote holds is that body quote's speaker's.
_MIN_REPEATED_WORDS = 3


def _acted_on(token: Token) -> bool:
    """A word of a verb's object ("Voters reject Alvarez's plan", "Council rebukes Alvarez over
    …"), not of its subject."""
    for node in (token, *token.ancestors):
        if node.dep_ in _SUBJECT_DEPS:
            return False
        if node.dep_ in ("dobj", "dative") or (node.dep_ == "pobj" and node.head.head.pos_ == "VERB"):
            return True
    return False


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _all_quote(d: _Document, finding: QuoteFinding) -> bool:
    """A line that is nothing but the quote: a pull quote, or a title all in marks."""
    start, end = d.paragraphs[d.paragraph_of(finding.start)]
    line = d.text[start:end].strip(_LINE_TRIM)
    return len(finding.text.strip(_LINE_TRIM)) >= _PULL_QUOTE_SHARE * len(line)


def _headline_of_its_own(d: _Document, finding: QuoteFinding) -> bool:
    """The article's title, or a line that is nothing but the quote."""
    return d.paragraph_of(finding.start) == 0 or _all_quote(d, finding)
