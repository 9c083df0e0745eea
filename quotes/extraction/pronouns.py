"""The pronoun sets, defined once: extraction resolves pronouns to speakers, and the
speaker records never take a pronoun for a name."""

from __future__ import annotations

# A "he" or "she" (and their object forms) tells the gender of the person it refers to.
PERSON_PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f"}
# The plural pronouns that refer back to a group named earlier ("we" is the speakers' own).
GROUP_PRONOUNS = frozenset({"they", "them"})
# The personal pronouns: a mention that is one of these is never a name.
PERSONAL_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "him", "her", "them", "us", "you"})
# Every word that can head a speaker mention without naming anyone: the personal
# pronouns, and those that stand for an unnamed someone ("who", "everyone").
SPEAKER_PRONOUNS = PERSONAL_PRONOUNS | frozenset(
    {"me", "who", "one", "someone", "somebody", "everyone", "anyone", "nobody"}
)
