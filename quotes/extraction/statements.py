"""Which quotes of one article report the same statement.

A news story tells one statement several times: the headline compresses it,
the lede paraphrases it, a clause borrows a few of its words in quote marks,
and the body prints it. Those findings belong to one quote family however few
words they share, and the article's own structure says so better than any
similarity measure across articles could. Links, always between findings of
one known speaker (a partial quote and the clause around it excepted):

- **borrowed words**: a partial quote printed inside a reported clause is
  taken from the direct quote that contains its words, and so is the clause
  around it; without such a direct quote, the partial stays with its clause;
- **one sentence**: a paraphrase and another quote of the speaker in the same
  sentence, under the same speech verb ("signalled he was in it for the long
  haul, saying it could be a 'long process'"), report one statement, and so
  does what "saying" adds to another speech verb of the sentence; "…,
  adding that …" or "before insisting …" brings a new point;
- **said again**: a report of the speaker in the next sentence that says the
  same of something else, with the same verb under the same modal and a word
  of the predicate in common ("could be a lengthy process" … "could be a long
  haul"), is the statement told twice;
- **paraphrase, then quote**: a paraphrase followed within a few sentences by
  a direct quote it shares distinctive words with (or which it introduces with
  a colon) is the reporter's summary of that quote, as is a paraphrase most of
  whose distinctive words (three or more) come from one direct quote close by,
  and one that echoes a phrase of only one of the quotes after it ("spiral into
  a major confrontation" … "spreads into a major war": three words, one of them
  a plain word the article uses nowhere else);
- **coming back to it**: a verb whose object is something already said
  ("he qualified that …", "she clarified that …") joins the speaker's
  statement of a few sentences before that it shares the most distinctive
  words with; "added" or "stressed" may bring a new point and do not;
- **headline**: a headline goes with the statement that supports it best,
  a direct quote before a paraphrase;
- **split by its cue**: "“We are not closing libraries,” she said, “we are
  changing when they open.”" is one statement in two pieces, and so are the
  two sides of "The rink is too small, she says, and will close next year."

Each group is named by its best version, the speaker's own words first (see
``_anchor_span``); the write path gives the whole group one family.

A paraphrase that draws on two quotes at once is a summary of several
statements and stays on its own, and a short title-like quote ("The Art of
the Deal") is a name, not a statement, so nothing joins it. The rules and
their thresholds are measured on the seed articles (``evaluation.families``)
and on a hand-judged sample of PolNeAR links (``evaluation.statements``).
Word weights are rarity within the article (words on every line, such as the
main actors' names, say little).
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from ..families.folding import canonical_word
from ..words import Kind, SpeakerType
from . import parsed
from .types import QuoteFinding

_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "ADV", "NUM"})
# Words are compared by the first letters of their lemma, so that "relations"
# meets "relationship" and "defence" meets "defensive".
_STEM_LETTERS = 5
# A paraphrase further away: most of its weight from one quote, on enough words.
PARAPHRASE_MIN_COVER = 0.6
PARAPHRASE_MIN_SHARED = 3
PARAPHRASE_MAX_SENTENCES = 8
# A paraphrase just before the quote: some distinctive words in common.
NEIGHBOUR_MIN_COVER = 0.1
NEIGHBOUR_MIN_SHARED = 2
NEIGHBOUR_MAX_SENTENCES = 4
# A paraphrase before several quotes: the one quote it shares a phrase of this many words with.
PHRASE_WORDS = 3
PHRASE_MAX_SENTENCES = 2  # the phrase's distinctive word: in these two sentences only
# A second quote that adds this much cover makes the paraphrase a summary.
SUMMARY_MIN_GAIN = 0.25
HEADLINE_MIN_COVER = 0.3
HEADLINE_MIN_SHARED = 2
# Speech verbs whose object is something the speaker already said.
REVISITING_VERBS = frozenset({"qualify", "clarify", "elaborate", "rephrase", "restate"})
REVISITED_MAX_SENTENCES = 3
# The two pieces of a quote split by its cue: the cue between them at most this long.
SPLIT_MAX_CUE_CHARS = 80
# How many findings before a piece its first piece may be (a reported clause or a partial
# quote of the cue's sentence may come between them).
_PIECE_LOOKBACK = 4
_OPEN_ENDINGS = ",;:—–-"
_MARKS_AND_SPACE = " \t\"'“”‘’«»„"


@dataclass
class _Item:
    finding: QuoteFinding
    sentence: int
    words: frozenset[str]
    tokens: tuple[str, ...]  # stems of every word, in order
    ends_with_colon: bool  # the sentence ends with a colon after it
    common_words: frozenset[str]  # content words that are not names of people, places or bodies
    plain_words: frozenset[str]  # content words that are no part of any name ("cold", not "Cold War")
    last_sentence: int
    cue: str | None  # the lemma of its speech verb
    is_title: bool  # a short title-like quote: a name, not a statement
    core_end: int  # the end without trailing punctuation

    @property
    def named(self) -> bool:
        """Said by someone the article names: two "a spokesman" may be two people."""
        return self.finding.speaker is not None and self.finding.speaker_type in SpeakerType.NAMED

    @property
    def linkable(self) -> bool:
        return self.named and not self.is_title


def link_statements(doc: Doc, findings: list[QuoteFinding]) -> list[QuoteFinding]:
    """The findings with ``statement`` set to the span of their statement's anchor."""
    if not findings:
        return findings
    sentences = parsed.sentences(doc)
    starts = [sent.start for sent in sentences]
    text = parsed.text(doc)
    items = [_item(doc, text, finding, sentences, starts) for finding in findings]
    weight = _rarity(sentences)
    rare = _rare(sentences)
    groups = _Groups(len(items))
    split = _Groups(len(items))  # the pieces of one quote split by its cue
    for i, item in enumerate(items):
        kind = item.finding.kind
        if kind == Kind.HEADLINE and item.linkable:
            groups.join(i, _headline_home(i, items, weight))
        elif kind == Kind.PARTIAL and (around := _enclosing(i, items)) is not None:
            source = _direct_containing(i, items)
            groups.join(i, source if source is not None else around)
            if source is not None and not _summarises_several(items[around], source, items, weight):
                groups.join(around, source)
        elif kind in (Kind.INDIRECT, Kind.PARTIAL) and item.linkable:
            for j in _same_sentence(i, items):
                groups.join(i, j)
            groups.join(i, _quoted_by_paraphrase(i, items, weight, rare))
        if item.cue in REVISITING_VERBS and item.linkable and kind != Kind.HEADLINE:
            groups.join(i, _revisited(i, items, weight))
        if kind == Kind.INDIRECT and item.linkable:
            groups.join(i, _restated(i, items, doc))
        if kind in Kind.QUOTED and (
            item.linkable or (item.finding.speaker_start is not None and not item.is_title)
        ):
            piece = _first_piece(i, items, text)
        elif kind == Kind.INDIRECT:
            # (Pieces of one sentence under one cue: one statement whoever said it.)
            piece = _left_side(i, items, text)
        else:
            piece = None
        groups.join(i, piece)
        split.join(i, piece)
    return [
        replace(item.finding, statement=_anchor_span(items, members), pieces=_pieces(items, pieces))
        for item, members, pieces in zip(
            items, groups.members_of_each(), split.members_of_each(), strict=True
        )
    ]


def _pieces(items: list[_Item], members: list[int]) -> tuple[tuple[int, int], ...]:
    if len(members) < 2:
        return ()
    return tuple(sorted((items[j].finding.start, items[j].finding.end) for j in members))


def _left_side(i: int, items: list[_Item], text: str) -> int | None:
    """The left side of a reported sentence that an inserted cue splits: "The rink is too
    small, she says, and will close next year." (both sides under the same cue, only the
    cue phrase between them, set off by commas)."""
    me = items[i]
    before = [
        j
        for j, item in enumerate(items)
        if item.finding.kind == Kind.INDIRECT
        and item.finding.end <= me.finding.start
        and me.finding.start - item.finding.end <= SPLIT_MAX_CUE_CHARS
        and item.sentence == me.sentence
        and item.cue == me.cue
        and item.finding.speaker == me.finding.speaker
    ]
    if not before:
        return None
    j = max(before, key=lambda j: items[j].finding.end)
    between = text[items[j].finding.end : me.finding.start].strip()
    if (
        len(between) > 2
        and between.startswith(",")
        and between.endswith(",")
        and not any(ch in '.!?\n"“”' for ch in between)
    ):
        return j
    return None


def _item(doc: Doc, text: str, finding: QuoteFinding, sentences: list[Span], starts: list[int]) -> _Item:
    span = doc.char_span(finding.start, finding.end, alignment_mode="expand")
    tokens = list(span) if span is not None else []
    # (Token.sent walks the document's sentences on every call: too slow here.)
    first = bisect.bisect_right(starts, tokens[0].i) - 1 if tokens else -1
    last = bisect.bisect_right(starts, tokens[-1].i) - 1 if tokens else -1
    sentence_end = sentences[last].end_char if tokens else finding.end
    return _Item(
        finding=finding,
        sentence=first,
        last_sentence=last,
        words=frozenset(_stem(t) for t in tokens if _is_content(t)),
        tokens=tuple(_stem(t) for t in tokens if not t.is_punct),
        ends_with_colon=text[finding.end : sentence_end].rstrip().endswith(":"),
        common_words=frozenset(_stem(t) for t in tokens if _is_content(t) and t.ent_type_ not in _NAMES),
        plain_words=frozenset(
            _stem(t) for t in tokens if _is_content(t) and not t.ent_type_ and t.pos_ != "PROPN"
        ),
        cue=_cue_lemma(sentences[first], finding.cue) if tokens else None,
        is_title=_looks_like_title(finding, tokens),
        core_end=finding.start + len(finding.text.rstrip(_TRAILING)),
    )


_NAMES = frozenset({"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
_TRAILING = " \n\t.,;:!?\"'”’»"


def _cue_lemma(sentence: Span, cue: str | None) -> str | None:
    """The lemma of a finding's speech verb, looked up in its sentence ("saying" → "say")."""
    if not cue:
        return None
    last = cue.split()[-1].lower()
    for token in sentence:
        if token.lower_ == last:
            return str(token.lemma_).lower()
    return last


def _looks_like_title(finding: QuoteFinding, tokens: list[Token]) -> bool:
    """A few capitalised words and no verb: the name of a book, a show or a slogan."""
    if finding.kind not in (Kind.DIRECT, Kind.PARTIAL) or not 0 < len(tokens) <= 8:
        return False
    words = [t for t in tokens if t.is_alpha]
    if not words or any(t.pos_ in ("VERB", "AUX") for t in words):
        return False
    return all(t.text[0].isupper() for t in words if not t.is_stop or t.i == words[0].i)


def _is_content(token: Token) -> bool:
    return token.is_alpha and not token.is_stop and token.pos_ in _CONTENT_POS


def _stem(token: Token) -> str:
    return str(token.lemma_).lower()[:_STEM_LETTERS]


def _rarity(sentences: list[Span]) -> dict[str, float]:
    """Inverse sentence frequency of each content word in the article."""
    frequency = Counter(word for sent in sentences for word in {_stem(t) for t in sent if _is_content(t)})
    total = len(sentences) + 1
    return {word: math.log(total / (count + 0.5)) for word, count in frequency.items()}


def _rare(sentences: list[Span]) -> float:
    """The weight of a word the article uses in ``PHRASE_MAX_SENTENCES`` sentences at most."""
    return math.log((len(sentences) + 1) / (PHRASE_MAX_SENTENCES + 0.5))


def _cover(words: frozenset[str], by: frozenset[str], weight: dict[str, float]) -> float:
    """The share of ``words``' weight that ``by`` also uses."""
    whole = sum(weight.get(word, 0.0) for word in words)
    if whole <= 0:
        return 0.0
    return sum(weight.get(word, 0.0) for word in words & by) / whole


def _same_speaker(a: _Item, b: _Item) -> bool:
    """Both known, not names of things, and the same speaker."""
    return (
        a.linkable and b.linkable and a.finding.speaker.lower() == b.finding.speaker.lower()  # type: ignore[union-attr]
    )


def _same_mention(a: _Item, b: _Item) -> bool:
    """Attributed by the one mention: "“…,” a spokesman said, “…”" names nobody, but its
    pieces share their cue and its subject."""
    start = a.finding.speaker_start
    return (
        start is not None
        and start == b.finding.speaker_start
        and a.finding.speaker_end == b.finding.speaker_end
    )


def _contains(outer: _Item, inner: _Item) -> bool:
    """Whether ``inner`` lies within ``outer`` (a final full stop may stick out)."""
    return (
        outer is not inner and outer.finding.start <= inner.finding.start and inner.core_end <= outer.core_end
    )


def _enclosing(i: int, items: list[_Item]) -> int | None:
    inner = items[i]
    around = [
        j
        for j, item in enumerate(items)
        if _contains(item, inner)
        and item.finding.kind != Kind.HEADLINE
        and (not item.named or not inner.named or _same_speaker(item, inner))
    ]
    return min(around, key=lambda j: items[j].finding.end - items[j].finding.start, default=None)


def _direct_containing(i: int, items: list[_Item]) -> int | None:
    """A direct quote elsewhere in the article that contains the partial quote's words in order."""
    part = items[i]
    if not part.tokens:
        return None
    for j, item in enumerate(items):
        if (
            item.finding.kind == Kind.DIRECT
            and not _contains(item, part)
            and _same_speaker(item, part)
            and _has_run(item.tokens, part.tokens)
        ):
            return j
    return None


def _has_run(tokens: tuple[str, ...], run: tuple[str, ...]) -> bool:
    width = len(run)
    return any(tokens[k : k + width] == run for k in range(len(tokens) - width + 1))


def _same_sentence(i: int, items: list[_Item]) -> list[int]:
    me = items[i]
    return [
        j
        for j, item in enumerate(items)
        if j != i
        and item.sentence == me.sentence
        and item.finding.kind != Kind.HEADLINE
        and _same_speaker(item, me)
        and (item.cue == me.cue or _says_how(item, me) or _says_how(me, item))
        and not _contains(item, me)
        and not _contains(me, item)
    ]


def _says_how(first: _Item, then: _Item) -> bool:
    """ "Ames signaled he was ready for a long fight, saying the budget war could be a “long
    process”": a clause that "saying" adds after another speech verb's of the same sentence
    tells how that was said ("adding" brings a new point)."""
    cue = then.finding.cue
    return (
        cue is not None
        and cue.lower() == "saying"
        and then.cue == "say"
        and first.cue != "say"
        and first.finding.end <= then.finding.start
    )


def _quoted_by_paraphrase(i: int, items: list[_Item], weight: dict[str, float], rare: float) -> int | None:
    """The direct quote that an indirect report (or a lone partial) paraphrases, if one clearly is."""
    me = items[i]
    quotes = [
        j
        for j, item in enumerate(items)
        if item.finding.kind == Kind.DIRECT and _same_speaker(item, me) and not _contains(item, me)
    ]
    if not quotes:
        return None
    cover = {j: _cover(me.words, items[j].words, weight) for j in quotes}
    following = [
        j
        for j in quotes
        if items[j].finding.start >= me.finding.end
        and items[j].sentence - me.sentence <= NEIGHBOUR_MAX_SENTENCES
    ]
    neighbour = min(following, key=lambda j: items[j].finding.start, default=None)
    if neighbour is not None:
        shared = len(me.common_words & items[neighbour].common_words)
        introduced = me.ends_with_colon and items[neighbour].sentence > me.sentence
        related = shared >= NEIGHBOUR_MIN_SHARED and cover[neighbour] >= NEIGHBOUR_MIN_COVER
        if introduced or (related and not _summarises_several(me, neighbour, items, weight)):
            return neighbour
    echoed = [j for j in following if _shares_a_phrase(me, items[j], weight, rare)]
    if len(echoed) == 1 and not _summarises_several(me, echoed[0], items, weight):
        return echoed[0]
    nearby = [j for j in quotes if _sentences_apart(me, items[j]) <= PARAPHRASE_MAX_SENTENCES]
    best = max(nearby, key=lambda j: cover[j], default=None)
    if (
        best is not None
        and cover[best] >= PARAPHRASE_MIN_COVER
        and len(me.words & items[best].words) >= PARAPHRASE_MIN_SHARED
        and not _summarises_several(me, best, items, weight)
    ):
        return best
    return None


def _shares_a_phrase(a: _Item, b: _Item, weight: dict[str, float], rare: float) -> bool:
    """Whether two findings share a run of ``PHRASE_WORDS`` words, one of them a plain word
    (no part of a name) that the article uses in no other sentence ("spiral into a major
    confrontation" … "spreads into a major war"; not "since the end of the Cold War" …
    "after the end of the cold war", when the article tells of that end elsewhere too)."""
    runs = {a.tokens[k : k + PHRASE_WORDS] for k in range(len(a.tokens) - PHRASE_WORDS + 1)}
    for k in range(len(b.tokens) - PHRASE_WORDS + 1):
        run = b.tokens[k : k + PHRASE_WORDS]
        if run in runs and any(
            word in a.plain_words and word in b.plain_words and weight.get(word, 0.0) >= rare for word in run
        ):
            return True
    return False


def _sentences_apart(a: _Item, b: _Item) -> int:
    return max(0, b.sentence - a.last_sentence, a.sentence - b.last_sentence)


def _summarises_several(me: _Item, source: int, items: list[_Item], weight: dict[str, float]) -> bool:
    """True when another direct quote of the speaker explains much of what ``source`` leaves out."""
    alone = _cover(me.words, items[source].words, weight)
    return any(
        _cover(me.words, items[source].words | item.words, weight) - alone >= SUMMARY_MIN_GAIN
        for j, item in enumerate(items)
        if j != source and item.finding.kind == Kind.DIRECT and _same_speaker(item, me)
    )


def _revisited(i: int, items: list[_Item], weight: dict[str, float]) -> int | None:
    """The earlier statement that "he qualified that …" comes back to, if one shares its words."""
    me = items[i]
    earlier = [
        (_cover(me.words, item.words, weight), j)
        for j, item in enumerate(items)
        if item.finding.end <= me.finding.start
        and item.finding.kind != Kind.HEADLINE
        and _same_speaker(item, me)
        and me.sentence - item.last_sentence <= REVISITED_MAX_SENTENCES
        and len(me.common_words & item.common_words) >= NEIGHBOUR_MIN_SHARED
    ]
    return max(earlier, default=(None, None))[1]


def _first_piece(i: int, items: list[_Item], text: str) -> int | None:
    """The piece of the same quote before a cue that splits it: "“…closing libraries,” she
    said, “we are changing …”" (the first piece ends on a comma, the cue is short; the
    speaker named, or both pieces given by one mention: "a spokesman said")."""
    me = items[i]
    # The findings come in the order they start: the first piece is among the few just before.
    before = [
        j
        for j, item in enumerate(items[max(0, i - _PIECE_LOOKBACK) : i], start=max(0, i - _PIECE_LOOKBACK))
        if item.finding.kind in Kind.QUOTED
        and item.finding.end <= me.finding.start
        and me.finding.start - item.finding.end <= SPLIT_MAX_CUE_CHARS
        and (_same_speaker(item, me) or _same_mention(item, me))
    ]
    if not before:
        return None
    j = max(before, key=lambda j: items[j].finding.end)
    between = text[items[j].finding.end : me.finding.start].strip(_MARKS_AND_SPACE)
    ends_open = items[j].finding.text.rstrip()[-1:] in _OPEN_ENDINGS
    if ends_open and between.endswith((",", ":")) and not any(ch in ".!?\n" for ch in between):
        return j
    return None


def _predicate(doc: Doc, finding: QuoteFinding) -> tuple[str, frozenset[str], frozenset[str]] | None:
    """A reported clause's main verb with its modal, and the folded words of what it says
    of its subject (the verb's complements, not the subject)."""
    span = doc.char_span(finding.start, finding.end, alignment_mode="expand")
    if span is None:
        return None
    root = span.root
    modals = frozenset(c.lower_ for c in root.children if c.tag_ == "MD")
    words = frozenset(
        canonical_word(t.lemma_.lower())
        for c in root.children
        if c.i > root.i and c.dep_ not in _SUBJECT_DEPS
        for t in c.subtree
        if _is_content(t) and t.ent_type_ not in _NAMES
    )
    return root.lemma_.lower(), modals, words


def _restated(i: int, items: list[_Item], doc: Doc) -> int | None:
    """ "Ames warned that the budget war could be a lengthy process. He stressed that winning
    it could be a long haul": the speaker, in the next sentence, says the same thing of
    something else — the same verb under the same modal, and a word of what it says
    (synonyms folded) — which is one statement told twice, not a new point. (Without the
    modal, "there were a million posts in ten hours" and "the other was more popular, with
    more posts in ten hours" are two.)"""
    me = items[i]
    mine = _predicate(doc, me.finding)
    if mine is None or not mine[1]:
        return None
    for j in range(i - 1, -1, -1):
        item = items[j]
        if item.last_sentence < me.sentence - 1:
            break
        if (
            item.finding.kind == Kind.INDIRECT
            and item.last_sentence == me.sentence - 1
            and _same_speaker(item, me)
            and (theirs := _predicate(doc, item.finding)) is not None
            and theirs[:2] == mine[:2]
            and theirs[2] & mine[2]
        ):
            return j
    return None


def _headline_home(i: int, items: list[_Item], weight: dict[str, float]) -> int | None:
    head = items[i]
    scored = []
    for j, item in enumerate(items):
        if item.finding.kind == Kind.HEADLINE or not _same_speaker(item, head):
            continue
        shared = len(head.words & item.words)
        cover = _cover(head.words, item.words, weight)
        if cover >= HEADLINE_MIN_COVER and (shared >= HEADLINE_MIN_SHARED or shared == len(head.words)):
            scored.append((item.finding.kind == Kind.DIRECT, cover, -j, j))
    return max(scored, default=(None, None, None, None))[3]


class _Groups:
    """Union-find over finding indexes."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int | None) -> None:
        if j is not None:
            self.parent[self.find(i)] = self.find(j)

    def members_of_each(self) -> list[list[int]]:
        by_root: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            by_root.setdefault(self.find(i), []).append(i)
        return [by_root[self.find(i)] for i in range(len(self.parent))]


def _anchor_span(items: list[_Item], members: list[int]) -> tuple[int, int]:
    """The statement's best version: the speaker's own words before a reporter's
    paraphrase (a direct quote, else a partial one, else a reported clause,
    else a headline), the longest of them."""
    preference = {Kind.DIRECT: 3, Kind.PARTIAL: 2, Kind.INDIRECT: 1, Kind.HEADLINE: 0}

    def fullness(j: int) -> tuple[int, int, int]:
        finding = items[j].finding
        return (preference.get(finding.kind, 0), finding.end - finding.start, -j)

    anchor = items[max(members, key=fullness)].finding
    return (anchor.start, anchor.end)
