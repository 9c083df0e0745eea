"""Speech cues: the verbs (and phrases) that introduce what someone said."""

from __future__ import annotations

from spacy.tokens import Token

# Lemmas of reporting verbs. Verbs of belief or perception (think, believe, show)
# are left out on purpose: the product reports what people said, not what they thought.
SPEECH_VERBS = frozenset(
    [
        "say",
        "tell",
        "add",
        "state",
        "stress",
        "emphasize",
        "emphasise",
        "note",
        "warn",
        "insist",
        "claim",
        "argue",
        "explain",
        "announce",
        "declare",
        "conclude",
        "write",
        "tweet",
        "post",
        "ask",
        "reply",
        "respond",
        "answer",
        "acknowledge",
        "admit",
        "assert",
        "confirm",
        "deny",
        "recall",
        "remark",
        "report",
        "reveal",
        "predict",
        "promise",
        "vow",
        "pledge",
        "urge",
        "complain",
        "contend",
        "maintain",
        "observe",
        "mention",
        "caution",
        "agree",
        "joke",
        "quip",
        "testify",
        "speculate",
        "concede",
        "qualify",
        "allege",
        "charge",
        "counter",
        "hint",
        "boast",
        "lament",
        "comment",
        "repeat",
        "reiterate",
        "underline",
        "underscore",
        "highlight",
        "suggest",
        "describe",
        "continue",
        "affirm",
        "proclaim",
        "shout",
        "scream",
        "yell",
        "whisper",
        "mutter",
        "grumble",
        "sigh",
        "exclaim",
        "retort",
        "rejoin",
        "add",
        "point",
        "signal",
        "disclose",
        "assure",
        "advise",
        "inform",
        "notify",
        "tout",
        "brag",
        "chide",
        "scold",
        "criticize",
        "criticise",
        "blast",
        "slam",
        "accuse",
        "demand",
        "plead",
        "beg",
        "concur",
        "dispute",
        "object",
        "protest",
        "reason",
        "recount",
        "relate",
        "opine",
        "muse",
        "wonder",
        "question",
        "estimate",
        "calculate",
        "forecast",
        "project",
        "acknowledge",
        "vow",
        "threaten",
        "swear",
        "insist",
        "interject",
        "elaborate",
        "clarify",
        "summarize",
        "summarise",
        "explain",
        "announce",
        "bark",
        "mock",
        "snap",
        "scoff",
        "gush",
        "marvel",
        "press",
        "interrupt",
        "remind",
        "confess",
        "indicate",
    ]
)

# Verbs that only report speech with a particle ("pointed out", "went on").
PHRASAL_SPEECH = {
    ("point", "out"),
    ("spell", "out"),
    ("sum", "up"),
    ("chime", "in"),
    ("shoot", "back"),
    ("fire", "back"),
    ("hit", "back"),
}

# A few speech verbs take the addressee as direct object: "told CNBC", "informed reporters".
ADDRESSEE_VERBS = frozenset(["tell", "inform", "notify", "advise", "assure", "ask", "urge", "warn", "remind"])

# Verbs whose infinitive complement is what was said: "vowed to fight", "urged voters to stay home".
INFINITIVE_SPEECH_VERBS = frozenset(
    [
        "promise",
        "vow",
        "pledge",
        "threaten",
        "urge",
        "ask",
        "warn",
        "tell",
        "demand",
        "plead",
        "beg",
        "swear",
        "remind",
        "advise",
    ]
)

# Verbs whose direct object is the message itself: "acknowledged difficulties". Not "announce" and
# "confirm": their object is most often an event ("announced the end of the partnership").
CONTENT_OBJECT_VERBS = frozenset(
    [
        "acknowledge",
        "admit",
        "claim",
        "deny",
        "emphasize",
        "emphasise",
        "stress",
        "reiterate",
        "repeat",
        "recall",
        "suggest",
        "predict",
        "promise",
        "pledge",
        "vow",
        "reveal",
        "disclose",
        "highlight",
        "underscore",
        "underline",
        "mention",
        "describe",
        "propose",
    ]
)

# Naming verbs that report the words someone used: "called the plan “a mirage”", "labeled him
# “unfit”" (so their quoted words are no scare quotes, scare.py).
NAMING_VERBS = frozenset(
    [
        "call",
        "dub",
        "label",
        "term",
        "brand",
        "describe",
        "characterize",
        "characterise",
        "deride",
        "denounce",
    ]
)
# Verbs that put words in quote marks in their subject's mouth without reporting speech: the
# quoted words they take are the subject's ("labeled him “unfit”", "praised her as “a fighter”",
# "blamed the law on “knuckleheaded politicians”", "referred to it as “a mirage”").
WORDING_VERBS = NAMING_VERBS | frozenset(
    [
        "name",
        "condemn",
        "decry",
        "praise",
        "laud",
        "hail",
        "blame",
        "dismiss",
        "cite",
        "credit",
        "refer",
        "echo",
        "voice",
        "chant",
        "pronounce",
        "speak",
        "talk",
    ]
)

# Content-free verbs that are weak cues without a quote or clause ("He added.")
WEAK_WITHOUT_CONTENT = frozenset(
    ["continue", "add", "point", "signal", "suggest", "describe", "question", "wonder"]
)


_OPENING_MARKS = frozenset(['"', "“", "«", "„", "‘", "'"])


def _particle(token: Token) -> Token | None:
    """The particle of a phrasal speech verb; spaCy often tags "back" in "shot back" as an adverb."""
    lemma = token.lemma_.lower()
    for child in token.children:
        if (lemma, child.lower_) in PHRASAL_SPEECH and (
            child.dep_ == "prt" or (child.dep_ == "advmod" and child.i == token.i + 1)
        ):
            return child
    return None


def is_speech_verb(token: Token) -> bool:
    """True for a verb that reports speech ("said", "told", "pointed out")."""
    if token.pos_ != "VERB":
        return False
    lemma = token.lemma_.lower()
    if lemma == "point":
        return _particle(token) is not None
    if lemma == "continue":
        # "will continue to be a champion" is aspect, not speech; "he continued: …" is.
        return not any(c.dep_ == "xcomp" for c in token.children)
    if lemma == "call":
        # "called the offer “a step backwards”" describes in words; "called a meeting" does not.
        # The parse may hang the quoted words on the object ("called the plan “a mess nobody
        # could read”": an apposition that opens with a quote mark).
        return any(c.dep_ == "oprd" for c in token.children) or any(
            c.dep_ == "dobj"
            and any(
                g.dep_ == "appos" and g.left_edge.i > 0 and g.doc[g.left_edge.i - 1].text in _OPENING_MARKS
                for g in c.children
            )
            for c in token.children
        )
    if lemma == "agree":
        # "agree on a mission", "agreed to pay" are decisions; "“…,” she agreed" is speech.
        return not any(
            c.dep_ == "xcomp" or (c.dep_ == "prep" and c.lower_ in ("on", "upon", "to"))
            for c in token.children
        )
    return lemma in SPEECH_VERBS or _particle(token) is not None


def is_according_to(token: Token) -> bool:
    """True for the "according" of "according to X"."""
    return token.lower_ == "according" and any(c.lower_ == "to" for c in token.children)


def cue_text(token: Token) -> str:
    """The cue as written: the verb with its particle and auxiliaries ("has said", "pointed out")."""
    parts = [t for t in token.children if t.dep_ in ("aux", "neg", "prt") and abs(t.i - token.i) <= 3]
    particle = _particle(token)
    if particle is not None and particle not in parts:
        parts.append(particle)
    if token.lower_ == "according":
        parts += [t for t in token.children if t.lower_ == "to"]
    words = sorted([token, *parts], key=lambda t: t.i)
    return token.doc[words[0].i : words[-1].i + 1].text
