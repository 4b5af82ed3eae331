"""``doc.text`` once per Doc.

spaCy builds ``Doc.text`` by joining every token each time it is read; the components read it often
(evidence slices, clause windows), which cost a third of pipeline time. The text is cached in
``Doc.user_data`` and removed again by the facts component before the Doc leaves the pipeline.
"""

from spacy.tokens import Doc

CACHE_KEY = "_billfacts_text"


def text_of(doc: Doc) -> str:
    text = doc.user_data.get(CACHE_KEY)
    if text is None:
        text = doc.text
        doc.user_data[CACHE_KEY] = text
    return text
