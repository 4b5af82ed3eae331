"""Fast, line-aware sentence boundaries.

Clinical notes break lines where prose would use a full stop: headers, list items, template fields.
PyRuSH handles this but is measured here at ~26 notes/s against thousands for a rule splitter, and it
logs each token at DEBUG. This component marks a sentence start after every line break and after
sentence-final punctuation, and nothing else, which is what ConText scopes need.
"""


import numpy
from spacy.attrs import IS_SPACE, IS_TITLE, IS_UPPER, LOWER, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

_FINAL = {".", "!", "?"}
# No sentence runs longer than this many tokens: ConText scopes and the time-role cues work sentence by
# sentence, so an unbroken run ("1:00-2:00 1:00-2:00 ..." to 200,000 characters) would make them quadratic.
# Real sentences in notes stay far below it; an overlong one is cut into pieces of this size.
MAX_SENTENCE_TOKENS = 120
# Abbreviations after which a full stop does not end a sentence.
_NON_FINAL = {"dr", "mr", "mrs", "ms", "pt", "approx", "vs", "e.g", "i.e", "etc", "min", "hr", "hrs", "no", "st"}


class LineSentencizer:
    def __init__(self, nlp: Language, name: str):
        self.name = name
        strings = nlp.vocab.strings
        self._final = {strings.add(t) for t in _FINAL}
        self._full_stop = strings.add(".")
        self._semicolon = strings.add(";")
        self._non_final = {strings.add(t) for t in _NON_FINAL}
        self._has_newline: dict[int, bool] = {}

    def _line_break(self, doc: Doc, orth: int) -> bool:
        known = self._has_newline.get(orth)
        if known is None:
            known = self._has_newline[orth] = "\n" in doc.vocab.strings[orth]
        return known

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        # Token attributes as plain ints, read once: a Token object per token per test was most of the cost.
        rows = doc.to_array([ORTH, LOWER, IS_SPACE, IS_TITLE, IS_UPPER]).tolist()
        starts = [0]
        last = len(rows) - 1
        for i in range(last):
            orth, _, space, _, _ = rows[i]
            if space and self._line_break(doc, orth):
                starts.append(i + 1)
            elif orth in self._final:
                j = i + 1
                while rows[j][2] and not self._line_break(doc, rows[j][0]) and j < last:
                    j += 1
                previous = rows[i - 1][1] if i > 0 else None
                if orth != self._full_stop or previous not in self._non_final or rows[j][3] or rows[j][4]:
                    starts.append(j)
            elif orth == self._semicolon and rows[i + 1][3]:
                starts.append(i + 1)
        starts = _bounded(starts, len(rows))
        # Written in one array: Token.is_sent_start's setter scans the whole Doc for parse annotations at
        # every call, quadratic on a note of many sentences. Tokens left unset (0) count as "not a sentence
        # start"; the second token is set to "not a start" (-1) unless it is one, so that spaCy reads the
        # boundaries as set.
        values = numpy.zeros((len(rows), 1), dtype="int64")
        values[starts, 0] = 1
        if len(rows) > 1 and values[1, 0] == 0:
            values[1, 0] = -1
        doc.from_array([SENT_START], values.astype("uint64"))  # spaCy's attribute arrays are uint64
        return doc

    # spaCy serialisation protocol: nothing to save, the rules are code.
    def to_bytes(self, **kwargs):
        return b""

    def from_bytes(self, data, **kwargs):
        return self

    def to_disk(self, path, **kwargs):
        return None

    def from_disk(self, path, **kwargs):
        return self


def _bounded(starts: list[int], length: int) -> list[int]:
    """Sentence starts with extra ones wherever a sentence would run past MAX_SENTENCE_TOKENS."""
    out = []
    for start, end in zip(starts, starts[1:] + [length]):
        out.extend(range(start, end, MAX_SENTENCE_TOKENS))
    return out


@Language.factory("billfacts_sentences", assigns=["token.is_sent_start"])
def make_line_sentencizer(nlp: Language, name: str) -> LineSentencizer:
    return LineSentencizer(nlp, name)
