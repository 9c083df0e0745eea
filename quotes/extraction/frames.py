"""Whether a speech verb reports a statement in the frame it stands in.

A lemma does not decide: "she denied that she knew" reports what she said, "she
denied the charges" an act; "he confirmed that the plant would close" a
statement, "he confirmed the closure" an event; "she asked whether …" a
question, "she asked residents to stay home" a request. The frame decides: the
verb's complement (a that-clause, an infinitive with or without an addressee, a
noun object, a question), its negation and what its subject is. Only reported
speech (no quote marks) is judged here: words in quote marks are someone's
words whatever verb stands beside them.
"""

from __future__ import annotations

from spacy.tokens import Token

from .name_spans import is_speaker_like
from .scare import SIGN_NOUNS
from .speaker_nouns import DOCUMENT_NOUNS

# "pledged to cut taxes", "vowed to fight": a commitment to act, not a statement.
COMMITMENT_VERBS = frozenset(["promise", "vow", "pledge", "threaten", "swear", "agree", "offer"])
# "urged residents to conserve water": the request is reported with its addressee.
DIRECTIVE_VERBS = frozenset(
    ["urge", "ask", "tell", "warn", "remind", "advise", "beg", "plead", "implore", "encourage", "instruct"]
)
# Verbs whose noun object is an act or an event more often than a message: "denied the
# charges", "disclosed a new contract", "revealed a plan", "predicted a win".
_EVENT_OBJECT_VERBS = frozenset(["deny", "disclose", "reveal", "pledge", "promise", "vow", "predict"])
# "declined to say why", "refused to comment": saying nothing is no statement.
_WITHHOLDING_VERBS = frozenset(["decline", "refuse", "fail", "hesitate", "avoid"])
# What evidence does, not speech: "the data show", "polls indicate", "figures suggest", "the
# scene underlines the fact that …", "the spending underscores their role".
EVIDENCE_VERBS = frozenset(
    ["show", "indicate", "suggest", "reveal", "demonstrate", "underscore", "underline", "highlight"]
)
_EVIDENCE_NOUNS = frozenset(
    [
        "data",
        "figure",
        "figures",
        "number",
        "numbers",
        "statistic",
        "statistics",
        "poll",
        "polls",
        "survey",
        "surveys",
        "result",
        "results",
        "estimate",
        "estimates",
        "census",
        "count",
        "tally",
        "chart",
        "map",
        "index",
        "projection",
        "projections",
        "forecast",
        "forecasts",
        "trend",
        "trends",
        "evidence",
        "research",
        "analysis",
        "model",
        "models",
        "graph",
    ]
)
_QUESTION_MARKERS = frozenset(["whether", "if"])
_WH_TAGS = frozenset(["WRB", "WP", "WDT", "WP$"])
_ASKING_VERBS = frozenset(["ask", "wonder", "question", "inquire", "enquire", "query"])


def is_negated(verb: Token) -> bool:
    """ "did not say", "never said", "declined to say", "would not say whether": no statement."""
    if any(c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ == "never") for c in verb.children):
        return True
    head = verb.head
    return verb.dep_ == "xcomp" and head.i != verb.i and head.lemma_.lower() in _WITHHOLDING_VERBS


def states_evidence(verb: Token) -> bool:
    """ "The data show that …", "polls indicate …", "his attack suggests …": what numbers or
    events let one conclude, not something said. A person, a body or a text (the report,
    court records) that indicates or suggests something still speaks."""
    if verb.lemma_.lower() not in EVIDENCE_VERBS:
        return False
    for subject in (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")):
        lemma, lower = subject.lemma_.lower(), subject.lower_
        if lemma in _EVIDENCE_NOUNS or lower in _EVIDENCE_NOUNS:
            return True
        if lower in ("it", "this", "that", "which"):
            return True
        return not (is_speaker_like(subject) or lemma in DOCUMENT_NOUNS or lower in DOCUMENT_NOUNS)
    return False


def said_by_no_one(verb: Token) -> bool:
    """ "One could argue that …", "That said, …": anyone at all, or a thing, is no one who
    spoke; the words are the writer's own."""
    for subject in (c for c in verb.children if c.dep_ == "nsubj"):
        if subject.lower_ == "one" and any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children):
            return True
        # A demonstrative, not the relative "that" of "a report that said …".
        if subject.tag_ == "DT" and subject.lower_ in ("that", "this"):
            return True
    return False


def states_nothing(verb: Token) -> bool:
    """A speech verb in a frame that reports no statement: negated or withheld, evidence
    ("the data show"), an aside said by no one, or a thing's text ("a sign that said …")."""
    if is_negated(verb) or states_evidence(verb) or said_by_no_one(verb):
        return True
    return any(c.dep_ == "nsubj" and c.lemma_.lower() in SIGN_NOUNS for c in verb.children) or (
        verb.dep_ == "relcl" and verb.head.lemma_.lower() in SIGN_NOUNS
    )


def asks_a_question(verb: Token, clause: Token) -> bool:
    """A clause that is an embedded question: "asked whether the pool would reopen", "wondered
    why it closed" — what was asked, not what was stated. After other verbs only a yes-no
    question is ("will say whether …"): "explaining why she stands behind him" gives her reason."""
    first = clause.left_edge
    while first.is_punct or first.is_space or first.lower_ == "that":
        if first.i >= clause.i:
            return False
        first = first.doc[first.i + 1]
    if first.lower_ in _QUESTION_MARKERS:
        return first.head.i == clause.i
    if first.tag_ not in _WH_TAGS or verb.lemma_.lower() not in _ASKING_VERBS:
        return False
    # "why it closed", "which road to take": the question word belongs to the clause itself,
    # not to a clause inside it ("when he took office, the economy was in ruins").
    head = first.head
    return head.i == clause.i or (head.head.i == clause.i and head.pos_ not in ("VERB", "AUX"))


def infinitive_reports(verb: Token, infinitive: Token) -> bool:
    """ "urged residents to conserve water" is a request made in words; "pledged to cut
    taxes" is a commitment to act."""
    lemma = verb.lemma_.lower()
    if lemma not in DIRECTIVE_VERBS:
        return False
    return any(c.dep_ in ("dobj", "dative") and c.i < infinitive.i for c in verb.children)


def object_reports(verb: Token, obj: Token) -> bool:
    """ "acknowledged difficulties" reports a message; "denied the charges" and "disclosed a
    new contract" an act, unless the noun carries the message ("denied reports that …")."""
    if verb.lemma_.lower() not in _EVENT_OBJECT_VERBS:
        return True
    return any(
        c.dep_ in ("acl", "ccomp") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        for c in obj.children
    )


# Nouns that report what someone said when a that-clause gives its content: "an allegation
# that …", "her insistence that …". Beliefs ("the view that"), facts ("the fact that") and
# findings are left out.
SPEECH_NOUNS = frozenset(
    [
        "allegation",
        "claim",
        "assertion",
        "accusation",
        "insistence",
        "admission",
        "warning",
        "announcement",
        "statement",
        "argument",
        "contention",
        "pledge",
        "promise",
        "denial",
        "charge",
        "complaint",
        "suggestion",
        "remark",
        "comment",
        "declaration",
        "prediction",
    ]
)


def noun_cue(noun: Token) -> tuple[list[Token], Token] | None:
    """ "Alvarez made an allegation that the contractor had overbilled the city": the clause
    the speech noun announces (its words) and who speaks, when the sentence says who (the noun's
    possessor, "by"/"from" someone, or the subject of the verb that makes or repeats it)."""
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in SPEECH_NOUNS:
        return None
    clause = next(
        (
            c
            for c in noun.children
            if c.dep_ in ("acl", "ccomp")
            and c.i > noun.i
            and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
            and any(s.dep_ in ("nsubj", "nsubjpass") for s in c.children)
        ),
        None,
    )
    if clause is None:
        return None
    said = list(clause.subtree)
    for child in noun.children:
        if child.dep_ == "poss" and is_speaker_like(child) and child.lower_ not in ("its",):
            return said, child
        if child.dep_ == "prep" and child.lower_ in ("by", "from"):
            for obj in child.children:
                if obj.dep_ == "pobj" and is_speaker_like(obj):
                    return said, obj
    verb = noun.head
    if noun.dep_ == "dobj" and verb.pos_ == "VERB":
        for child in verb.children:
            if (
                child.dep_ == "nsubj"
                and is_speaker_like(child)
                and child.lower_ not in ("it", "this", "that")
            ):
                return said, child
    return None


# "His advice is blunt: …", "Her answer was simple: …": what follows the colon is what was said.
_COLON_NOUNS = SPEECH_NOUNS | frozenset(
    ["advice", "message", "answer", "reply", "response", "verdict", "plea"]
)


def colon_noun_cue(noun: Token) -> tuple[list[Token], Token] | None:
    """ "Her advice is blunt: residents should leave before the storm arrives." — the words
    after the colon, and the noun's possessor who said them."""
    if noun.dep_ != "nsubj" or noun.lemma_.lower() not in _COLON_NOUNS or noun.head.lemma_ != "be":
        return None
    speaker = next((c for c in noun.children if c.dep_ == "poss" and is_speaker_like(c)), None)
    if speaker is None or speaker.lower_ == "its":
        return None
    sentence = noun.sent
    colon = next((t for t in sentence if t.text == ":" and t.i > noun.head.i), None)
    if colon is None:
        return None
    return [t for t in sentence if t.i > colon.i], speaker
