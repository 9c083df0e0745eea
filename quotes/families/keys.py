"""Index keys: a few stable integer keys per text that a near-duplicate or a
contained fragment shares with its family (an inverted index: the store
keeps them in ``FamilyKey`` and retrieves candidates by them).

Pure Python, no Django.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache

from .folding import tokens

# Upper bound on index keys per family: keeps the (family_id, key) table at
# about 32 rows per quote, i.e. ~32 million rows for a million quotes.
MAX_KEYS = 32
MAX_WORD_KEYS = 8
MAX_PAIR_KEYS = MAX_KEYS - MAX_WORD_KEYS

# A key held by more families than this is too common to tell them apart (in
# an archive of election coverage, "clinton" is a word key of one family in
# ten): retrieval ranks by the other keys, reading at most this many + 1
# postings of a key to count it and as many again to rank, so a lookup reads
# at most 2 * MAX_KEYS * 1,001 index rows however large the archive grows.
# Corpus-dependent, so decided at query time from the index itself rather
# than by a fixed list of common words.
COMMON_KEY_FAMILIES = 1_000


def _stable_key(kind: str, words: Sequence[str]) -> int:
    digest = hashlib.blake2b(f"{kind}:{' '.join(words)}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)  # fits a PostgreSQL bigint


def shingle_keys(text: str) -> list[int]:
    """At most ``MAX_KEYS`` signed 64-bit keys that find this text's family.

    Two kinds of key, both on content words (stopwords skipped; words stemmed
    and synonym-folded first, so "the fighting stops" and "fighting ended"
    give the same keys):

    * pairs of adjacent content words, up to ``MAX_PAIR_KEYS``. Pairs rather
      than longer shingles because a fragment of three content words has only
      two pairs to offer, and a reworded quote keeps few longer runs intact.
      Selection is winnowing (Schleimer et al. 2003) with a window sized to
      the text: a text with at most ``MAX_PAIR_KEYS`` pairs keeps all of them;
      a longer one keeps the minimum-hash pair of every window of ``w``
      consecutive pairs, with ``w`` the smallest that fits the bound. The
      choice depends only on the pairs inside a window, so a fragment (which
      keeps all its pairs) shares a key with its container whenever it spans
      a full window: always for containers of up to ~25 content words (most
      quotes), and for fragments of at least ``w`` + 1 content words inside
      longer ones. The trade-off: a 3-word fragment of a 150-word quote is
      found only with probability ~2/(w+1); raising the bound buys certainty
      with index rows.
    * single content words, up to ``MAX_WORD_KEYS``: all of them for short
      texts, else the longest (length is a cheap, corpus-free proxy for a
      rare, telling word). They let a one- or two-word fragment ("destroyed")
      or a heavily cut quote find its family, at the price of more families
      sharing each key (the candidate query ranks by the number of shared
      keys, so pairs still dominate, and skips a key held by more than
      ``COMMON_KEY_FAMILIES`` families when the text has rarer ones).

    Keys come from BLAKE2b, not ``hash()``, so they agree across processes.
    """
    return list(_shingle_keys(text))


@lru_cache(maxsize=16384)  # likewise its keys
def _shingle_keys(text: str) -> tuple[int, ...]:
    prepared = tokens(text)
    content = prepared.content_seq
    if not content:
        return ()
    by_length = sorted(
        set(zip(prepared.content_surface, content, strict=True)), key=lambda sc: (-len(sc[0]), sc[1])
    )
    word_keys = {_stable_key("w", [canon]) for _, canon in by_length[:MAX_WORD_KEYS]}
    pair_hashes = [_stable_key("p", content[i : i + 2]) for i in range(len(content) - 1)]
    pair_keys = set(pair_hashes)
    if len(pair_keys) > MAX_PAIR_KEYS:
        # Fewer than n/window keys is impossible, so start the search there.
        window = max(2, len(pair_hashes) // MAX_PAIR_KEYS)
        while len(pair_keys := _winnow(pair_hashes, window)) > MAX_PAIR_KEYS:
            window += 1
    return tuple(sorted(word_keys | pair_keys))


def _winnow(hashes: Sequence[int], window: int) -> set[int]:
    selected: set[int] = set()
    for start in range(max(1, len(hashes) - window + 1)):
        selected.add(min(hashes[start : start + window]))
    return selected
