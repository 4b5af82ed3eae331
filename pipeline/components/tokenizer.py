"""A tokenizer that keeps clinical time expressions cleanly split.

spaCy's English tokenizer leaves "2:05PM-2:50PM" and "10:00–10:53" as one token and "45min" unsplit;
our TargetMatcher rules and evidence offsets need clock times, meridiems, dashes and units as their own
tokens: "2:05 PM - 2:50 PM", "45 min", "1 hr". Registered as ``billfacts.clinical_tokenizer.v1`` so a
saved pipeline's ``config.cfg`` rebuilds it.
"""

from __future__ import annotations

from spacy.attrs import ORTH
from spacy.lang.en import English
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

from .scratch import scratch

_DASHES = r"[-–—]"
_MERIDIEM = r"(?:[aApP]\.?[mM]\.?)"
_UNITS = r"(?:min|mins|minutes|minute|hr|hrs|hour|hours|h|m|mg|am|pm|AM|PM)"

# Between two clock pieces: "2:05-2:50", "2:05PM-2:50PM", "1400-1453".
_CLINICAL_INFIXES = [
    rf"(?<=[0-9]){_DASHES}(?=[0-9])",
    rf"(?<=[mM\.]){_DASHES}(?=[0-9])",
    rf"(?<=[0-9]){_MERIDIEM}(?={_DASHES})",
    rf"(?<=[0-9])(?={_MERIDIEM}{_DASHES})",
    r"(?<=[0-9])[,/;](?=[A-Z])",  # "F43.10,F41.1" and "F41.1/F43.10" are two codes
]
# Units glued to numbers at the end of a chunk: "45min", "1hr", "2:50PM", "50mg".
_CLINICAL_SUFFIXES = [rf"(?<=[0-9]){_UNITS}$", rf"(?<=[0-9]){_MERIDIEM}$", r"(?<=[0-9])\.$", r"(?<=^[aApP][mM])\.$"]
_CLINICAL_PREFIXES = [r"~", r"x(?=[0-9])", r"≈"]


class ClinicalTokenizer(Tokenizer):
    """spaCy's Tokenizer that also keeps the note's text with the Doc (see ``scratch``).

    ``Doc.text`` joins every token each time it is read; the text the tokenizer was given is the same
    string, so keeping it saves that join (a few percent of pipeline time)."""

    def __call__(self, text):
        doc = super().__call__(text)
        scratch(doc)["text"] = text
        return doc


def _without_whitespace_exceptions(exceptions: dict) -> dict:
    """English's exceptions minus the identity ones for single whitespace characters ("\n", "\t").

    They change no token (each maps a character to itself), but a special case for "\n" marks every
    chunk holding a line break as special, and spaCy does not cache special chunks: notes are written in
    lines, so tokenizing took ten times longer (1.2 against 0.18 ms per development note, same tokens,
    offsets and norms; ``tests/test_tokenizer.py`` compares the two).
    """
    return {
        text: pieces
        for text, pieces in exceptions.items()
        if not (text.isspace() and len(pieces) == 1 and set(pieces[0]) == {ORTH} and pieces[0][ORTH] == text)
    }


@registry.tokenizers("billfacts.clinical_tokenizer.v1")
def create_clinical_tokenizer():
    def make(nlp):
        defaults = English.Defaults
        prefixes = list(defaults.prefixes) + _CLINICAL_PREFIXES
        suffixes = _CLINICAL_SUFFIXES + list(defaults.suffixes)
        infixes = _CLINICAL_INFIXES + list(defaults.infixes)
        return ClinicalTokenizer(
            nlp.vocab,
            rules=_without_whitespace_exceptions(defaults.tokenizer_exceptions),
            prefix_search=compile_prefix_regex(prefixes).search,
            suffix_search=compile_suffix_regex(suffixes).search,
            infix_finditer=compile_infix_regex(infixes).finditer,
            token_match=defaults.token_match,
            url_match=defaults.url_match,
        )

    return make
