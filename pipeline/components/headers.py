"""Headers as clinicians write them: the words that open a line before a colon ("AXIS I:", "Hospital
Course:"), or a whole line in capitals ("DISCHARGE SUMMARY"). One scan per note, kept in the Doc's scratch
values so that the genre and diagnosis readers share it. medspaCy's Sectionizer knows only the headers of
its rule file; these readers need every header, known or not, to know where a part of the note ends.
"""

import re
from typing import NamedTuple

from spacy.tokens import Doc

from .scratch import scratch, text_of

_HEADER = re.compile(
    r"(?m)^[ \t]*(?:[-*\u2022]\s*)?(?:([A-Za-z][A-Za-z0-9 /&'\-\(\),.\u2019]{0,60}?)[ \t]*:(?!\d)"
    r"|([A-Z][A-Z0-9 /&'\-\(\),\u2019]{2,60}[A-Z)])[ \t]*$)")
_SPACES = re.compile(r"\s+")


class Header(NamedTuple):
    name: str  # lower case, spaces collapsed ("axis iii", "discharge diagnoses")
    start: int  # the header's words
    end: int
    body_start: int  # after the colon (or the line break of a capitals line)


def note_headers(doc: Doc) -> list[Header]:
    values = scratch(doc)
    found = values.get("headers")
    if found is None:
        found = []
        for match in _HEADER.finditer(text_of(doc)):
            index = 1 if match.group(1) is not None else 2
            name = _SPACES.sub(" ", match.group(index).lower()).strip(" .")
            found.append(Header(name, match.start(index), match.end(index), match.end()))
        values["headers"] = found
    return found
