"""The words every layer shares, defined once: a quote's kind, a speaker's type, how
a speaker was found, a version's relation to its family's canonical text, and the
pronoun sets. Plain Python: extraction, the families' rules, the models' choices and
the speaker records all take their values from here, and importing it loads neither
Django nor spaCy."""

from __future__ import annotations


class Kind:
    """How an article gives a quote: in marks, partly in marks, reported, or as its headline."""

    DIRECT = "direct"
    PARTIAL = "partial"
    INDIRECT = "indirect"
    HEADLINE = "headline"
    ALL = (DIRECT, PARTIAL, INDIRECT, HEADLINE)
    QUOTED = (DIRECT, PARTIAL)  # printed inside quote marks: the words are the speaker's


class SpeakerType:
    """What kind of source a speaker is. Only people and organisations have names
    that identify them across articles; the rest are described, as the article
    wrote them ("a senior aide", "two local councillors", "the report")."""

    PERSON = "person"
    ORGANISATION = "organisation"
    GROUP = "group"  # people described in the plural: "residents who were evacuated"
    DESCRIPTION = "description"  # one person described, never named: "a spokeswoman for the ministry"
    DOCUMENT = "document"  # a text that says something: "the complaint", "a new poll"
    ALL = (PERSON, ORGANISATION, GROUP, DESCRIPTION, DOCUMENT)
    NAMED = (PERSON, ORGANISATION)


class FoundBy:
    """How a quote's speaker was found. Only a name in the attribution itself says who
    spoke; the others point at someone the article named elsewhere, and may point wrong."""

    NAME = "name"  # the attribution names the speaker: "Jens Stoltenberg said"
    PRONOUN = "pronoun"  # "she said": the person the pronoun refers back to
    DESCRIPTION = "description"  # "the mayor said", a headline's label: whoever the words fit
    INHERITED = "inherited"  # a quote with no cue takes the speaker of the quote before it
    NONE = "none"  # no speaker found
    ALL = (NAME, PRONOUN, DESCRIPTION, INHERITED, NONE)


class Relation:
    """How a version's words stand to its family's canonical text (``quotes.families.placement``)."""

    VERBATIM = "verbatim"  # the same words
    FRAGMENT = "fragment"  # a part of them
    VARIANT = "variant"  # the same statement reworded
    ALL = (VERBATIM, FRAGMENT, VARIANT)


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
