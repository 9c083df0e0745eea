"""Which quotes of one article report the same statement.

A news story tells one statement several times: the headline compresses it,
the lede paraphrases it, a clause borrows a few of its words in quote marks,
and the body prints it. Those findings belong to one quote family however few
words they share, and the article's own structure says so better than any
similarity measure across articles could. Links, always between findings of
the same speaker (or one of unknown speaker):

- **borrowed words**: a partial quote printed inside a reported clause is
  taken from the direct quote that contains its words, and so is the clause
  around it; without such a direct quote, the partial stays with its clause;
- **one sentence**: a paraphrase and another quote of the speaker in the same
  sentence ("signalled he was in it for the long haul, saying it could be a
  'long process'") report one statement;
- **paraphrase, then quote**: a paraphrase followed within a few sentences by
  a direct quote it shares distinctive words with (or which it introduces with
  a colon) is the reporter's summary of that quote, as is a paraphrase most of
  whose distinctive words come from one direct quote anywhere in the article;
  a reported clause continued by the speaker's next one on the same
  distinctive words is one statement too;
- **headline**: a headline goes with the statement that supports it best,
  a direct quote before a paraphrase.

Each group is named by its best version, the speaker's own words first (see
``_anchor_span``); the write path gives the whole group one family.

A paraphrase that draws on two quotes at once is a summary of several
statements and stays on its own. Word weights are rarity within the article
(words on every line, such as the main actors' names, say little).
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from dataclasses import dataclass, replace

from spacy.tokens import Doc

from .types import Kind, QuoteFinding

_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "ADV", "NUM"})
# Words are compared by the first letters of their lemma, so that "relations"
# meets "relationship" and "defence" meets "defensive".
_STEM_LETTERS = 5
# A paraphrase anywhere in the article: most of its weight from one quote.
PARAPHRASE_MIN_COVER = 0.6
# A paraphrase just before the quote: some distinctive words in common.
NEIGHBOUR_MIN_COVER = 0.1
NEIGHBOUR_MIN_SHARED = 2
NEIGHBOUR_MAX_SENTENCES = 4
# A second quote that adds this much cover makes the paraphrase a summary.
SUMMARY_MIN_GAIN = 0.25
HEADLINE_MIN_COVER = 0.3
HEADLINE_MIN_SHARED = 2


@dataclass
class _Item:
    finding: QuoteFinding
    sentence: int
    words: frozenset[str]
    tokens: tuple[str, ...]  # stems of every word, in order
    ends_with_colon: bool  # the sentence ends with a colon after it


def link_statements(doc: Doc, findings: list[QuoteFinding]) -> list[QuoteFinding]:
    """The findings with ``statement`` set to the span of their statement's anchor."""
    if not findings:
        return findings
    sentences = list(doc.sents)
    starts = [sent.start for sent in sentences]
    text = doc.text  # (built anew from the tokens on every access)
    items = [_item(doc, text, finding, sentences, starts) for finding in findings]
    weight = _rarity(doc)
    groups = _Groups(len(items))
    for i, item in enumerate(items):
        kind = item.finding.kind
        if kind == Kind.HEADLINE:
            groups.join(i, _headline_home(i, items, weight))
        elif kind == Kind.PARTIAL and (around := _enclosing(i, items)) is not None:
            source = _direct_containing(i, items)
            groups.join(i, source if source is not None else around)
            if source is not None and not _summarises_several(items[around], source, items, weight):
                groups.join(around, source)
        elif kind in (Kind.INDIRECT, Kind.PARTIAL):
            for j in _same_sentence(i, items):
                groups.join(i, j)
            groups.join(i, _quoted_by_paraphrase(i, items, weight))
            groups.join(i, _paraphrase_continued(i, items, weight))
    return [
        replace(item.finding, statement=_anchor_span(items, members))
        for item, members in zip(items, groups.members_of_each(), strict=True)
    ]


def _item(doc: Doc, text: str, finding: QuoteFinding, sentences: list, starts: list[int]) -> _Item:
    span = doc.char_span(finding.start, finding.end, alignment_mode="expand")
    tokens = list(span) if span is not None else []
    # (Token.sent walks the document's sentences on every call: too slow here.)
    first = bisect.bisect_right(starts, tokens[0].i) - 1 if tokens else -1
    last = bisect.bisect_right(starts, tokens[-1].i) - 1 if tokens else -1
    sentence_end = sentences[last].end_char if tokens else finding.end
    return _Item(
        finding=finding,
        sentence=first,
        words=frozenset(_stem(t) for t in tokens if _is_content(t)),
        tokens=tuple(_stem(t) for t in tokens if not t.is_punct),
        ends_with_colon=text[finding.end : sentence_end].rstrip().endswith(":"),
    )


def _is_content(token) -> bool:
    return token.is_alpha and not token.is_stop and token.pos_ in _CONTENT_POS


def _stem(token) -> str:
    return token.lemma_.lower()[:_STEM_LETTERS]


def _rarity(doc: Doc) -> dict[str, float]:
    """Inverse sentence frequency of each content word in the article."""
    sentences = list(doc.sents)
    frequency = Counter(word for sent in sentences for word in {_stem(t) for t in sent if _is_content(t)})
    total = len(sentences) + 1
    return {word: math.log(total / (count + 0.5)) for word, count in frequency.items()}


def _cover(words: frozenset[str], by: frozenset[str], weight: dict[str, float]) -> float:
    """The share of ``words``' weight that ``by`` also uses."""
    whole = sum(weight.get(word, 0.0) for word in words)
    if whole <= 0:
        return 0.0
    return sum(weight.get(word, 0.0) for word in words & by) / whole


def _compatible(a: QuoteFinding, b: QuoteFinding) -> bool:
    return a.speaker is None or b.speaker is None or a.speaker.lower() == b.speaker.lower()


def _contains(outer: QuoteFinding, inner: QuoteFinding) -> bool:
    return outer is not inner and outer.start <= inner.start and inner.end <= outer.end


def _enclosing(i: int, items: list[_Item]) -> int | None:
    inner = items[i].finding
    around = [
        j
        for j, item in enumerate(items)
        if _contains(item.finding, inner)
        and item.finding.kind != Kind.HEADLINE
        and _compatible(item.finding, inner)
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
            and not _contains(item.finding, part.finding)
            and _compatible(item.finding, part.finding)
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
        and _compatible(item.finding, me.finding)
        and not _contains(item.finding, me.finding)
        and not _contains(me.finding, item.finding)
    ]


def _quoted_by_paraphrase(i: int, items: list[_Item], weight: dict[str, float]) -> int | None:
    """The direct quote that an indirect report (or a lone partial) paraphrases, if one clearly is."""
    me = items[i]
    quotes = [
        j
        for j, item in enumerate(items)
        if item.finding.kind == Kind.DIRECT
        and _compatible(item.finding, me.finding)
        and not _contains(item.finding, me.finding)
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
        shared = len(me.words & items[neighbour].words)
        introduced = me.ends_with_colon and items[neighbour].sentence > me.sentence
        related = shared >= NEIGHBOUR_MIN_SHARED and cover[neighbour] >= NEIGHBOUR_MIN_COVER
        if introduced or (related and not _summarises_several(me, neighbour, items, weight)):
            return neighbour
    best = max(quotes, key=lambda j: cover[j])
    if cover[best] >= PARAPHRASE_MIN_COVER and not _summarises_several(me, best, items, weight):
        return best
    return None


def _paraphrase_continued(i: int, items: list[_Item], weight: dict[str, float]) -> int | None:
    """The speaker's next reported clause, when it goes on about the same distinctive words."""
    me = items[i]
    if me.finding.kind != Kind.INDIRECT:
        return None
    following = [
        j
        for j, item in enumerate(items)
        if item.finding.start >= me.finding.end
        and item.finding.kind == Kind.INDIRECT
        and _compatible(item.finding, me.finding)
        and 0 < item.sentence - me.sentence <= NEIGHBOUR_MAX_SENTENCES
    ]
    if not following:
        return None
    after = items[min(following, key=lambda j: items[j].finding.start)]
    shared = me.words & after.words
    if (
        len(shared) >= NEIGHBOUR_MIN_SHARED
        and _cover(me.words | after.words, shared, weight) >= NEIGHBOUR_MIN_COVER
    ):
        return items.index(after)
    return None


def _summarises_several(me: _Item, source: int, items: list[_Item], weight: dict[str, float]) -> bool:
    """True when another direct quote of the speaker explains much of what ``source`` leaves out."""
    alone = _cover(me.words, items[source].words, weight)
    return any(
        _cover(me.words, items[source].words | item.words, weight) - alone >= SUMMARY_MIN_GAIN
        for j, item in enumerate(items)
        if j != source and item.finding.kind == Kind.DIRECT and _compatible(item.finding, me.finding)
    )


def _headline_home(i: int, items: list[_Item], weight: dict[str, float]) -> int | None:
    head = items[i]
    scored = []
    for j, item in enumerate(items):
        if item.finding.kind == Kind.HEADLINE or not _compatible(item.finding, head.finding):
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

    def fullness(j: int) -> tuple:
        finding = items[j].finding
        return (preference.get(finding.kind, 0), finding.end - finding.start, -j)

    anchor = items[max(members, key=fullness)].finding
    return (anchor.start, anchor.end)
