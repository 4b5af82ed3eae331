"""Per-Doc working values shared by the components, kept in one ``Doc.user_data`` entry.

The components read the same things many times per note: the text (spaCy's ``Doc.text`` joins every
token each time it is read), the target Span objects (iterating a SpanGroup makes new ones each time),
the targets by label, the section starts. Each is made once and kept here. The facts component removes
the entry before the Doc leaves the pipeline, so nothing of it is serialised.
"""

from spacy.tokens import Doc

SCRATCH_KEY = "_billfacts_scratch"


def scratch(doc: Doc) -> dict:
    """The Doc's working-value dict (made on first use)."""
    values = doc.user_data.get(SCRATCH_KEY)
    if values is None:
        values = doc.user_data[SCRATCH_KEY] = {}
    return values


def text_of(doc: Doc) -> str:
    """``doc.text``, computed once (the clinical tokenizer stores the text it was given)."""
    values = scratch(doc)
    text = values.get("text")
    if text is None:
        text = values["text"] = doc.text
    return text


def drop_scratch(doc: Doc) -> None:
    doc.user_data.pop(SCRATCH_KEY, None)
