"""Quote families: the same statement across outlets, and how each version compares with it.

A statement an article prints goes to a family, a quote we already hold or a
new one, and each of its versions is then compared with what the family's
versions are compared with: the family's canonical text, or the passage of
the family's primary source the version corresponds to.

    text of a version
      │  folding     normalize, fingerprint, canonical_word, tokens   (pure)
      │  keys        shingle_keys: the index keys a family is found by (pure)
      ▼
    store.FamilyStore          candidates from the key index and the fingerprint,
      │                        one query; the concurrency check under the
      │                        placement lock; the writes
      │  placement   choose_family, join, relation_to_canonical       (pure)
      ▼
    a family and the version's relation to its canonical text
      │  primary     an editor's primary source, attached or removed
      │  passages    the passage of the source a version corresponds to (pure)
      │  meaning     the edits that change what was said: the stored flags (pure)
      ▼
    store.compare_versions     the stored flags and passage offsets, written
      ▼
    compared.ComparedVersion   a version against its canonical text or its
                               passage: relation, passage, in-source, flags and
                               diff (``diffs``, pure), as the quote page, the
                               primary-source page, the API, the CSV export
                               and the check show it
    check                      a pasted wording placed by the same rules

The pure modules (marked above) import no Django: they are tested and measured
without a database (``evaluation.matching``, ``evaluation.meaning``). Nothing
is imported here, so that importing one of them never sets Django up.
"""
