"""A pipeline step that makes every line break a sentence break.

News pages put titles, captions and credits on lines of their own without final
punctuation; left alone, the parser glues them to the next sentence and a photo
credit becomes the subject of "said".
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

PARAGRAPH_PIPE = "quotewise_paragraph_breaks"


@Language.component(PARAGRAPH_PIPE)
def mark_paragraph_breaks(doc: Doc) -> Doc:
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text):
            token.is_sent_start = True
    return doc
