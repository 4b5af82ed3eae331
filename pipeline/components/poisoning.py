"""Poisonings and adverse effects of drugs as ICD-10-CM T-codes, from a diagnosis list's own words.

"Ecstasy ingestion", "status post overdose" (with "took 30 tablets of Haldol" in the history), "serotonin
syndrome secondary to high doses of Prozac": psychiatric emergency and consult notes list these, and the
claim carries the T-code with its intent and encounter. The substances and cue words are data
(``resources/poisoning.json``); the intent comes from the note (a documented suicide attempt is
intentional self-harm, "recreational" or "not as an attempt" is accidental, nothing documented is accidental
per ICD-10-CM I.C.19.e); the encounter is the initial one (A), as the notes are written during active
treatment.
"""

import re
from typing import Iterator, NamedTuple, Optional

from .. import icd10cm

INTENT = {"accidental": "1", "self_harm": "2", "undetermined": "4", "adverse": "5"}


def _words(words: list[str]) -> re.Pattern:
    return re.compile(r"(?<![\w-])(?:" + "|".join(w if "\\" in w else re.escape(w) for w in
                                                  sorted(words, key=len, reverse=True)) + r")(?![\w-])", re.I)


class Hit(NamedTuple):
    code: str
    start: int
    end: int


class PoisoningRules:
    def __init__(self, data: dict):
        self.stem_of = {name: stem for stem, names in data["substances"].items() for name in names}
        self.substance = _words(list(self.stem_of))
        self.poisoning = _words(data["poisoning_words"])
        self.adverse = _words(data["adverse_words"])
        self.self_harm = _words(data["self_harm_words"])
        self.accidental = _words(data["accidental_words"])
        self.undetermined = _words(data["undetermined_words"])

    def note_intent(self, text: str) -> str:
        if self.accidental.search(text):
            return "accidental"
        if self.undetermined.search(text):
            return "undetermined"
        return "self_harm" if self.self_harm.search(text) else "accidental"

    def in_part(self, text: str, start: int, end: int, memo: dict) -> Iterator[Hit]:
        """T-codes a list entry names: a substance with a poisoning word ("Ecstasy ingestion"), a poisoning
        word alone whose substances the note names where it says what was taken ("status post overdose"),
        or a substance after an adverse-effect word ("secondary to high doses of Prozac"). What is read from
        the whole note (the intent, what was taken) is read once per note into ``memo``."""
        poisoned = self.poisoning.search(text, start, end)
        substances = list(self.substance.finditer(text, start, end))
        if poisoned:
            if "poisoning_intent" not in memo:
                memo["poisoning_intent"] = self.note_intent(text)
            intent = memo["poisoning_intent"]
            if not substances:  # "status post overdose": what was taken is said where it happened
                if "poisoning_taken" not in memo:  # each substance once, however often it is named
                    memo["poisoning_taken"] = list(dict.fromkeys(
                        m.group().lower() for taken in self.poisoning.finditer(text)
                        for m in self.substance.finditer(text, taken.start(), min(len(text), taken.end() + 80))))
                for name in memo["poisoning_taken"]:
                    code = self.code(name, intent)
                    if code:
                        yield Hit(code, poisoned.start(), poisoned.end())
                return
            for match in substances:
                code = self.code(match.group(), intent)
                if code:
                    yield Hit(code, match.start(), match.end())
            return
        adverse = self.adverse.search(text, start, end)
        if adverse:
            for match in substances:
                if match.start() > adverse.start():
                    code = self.code(match.group(), "adverse")
                    if code:
                        yield Hit(code, match.start(), match.end())

    def code(self, substance: str, intent: str) -> Optional[str]:
        stem = self.stem_of.get(substance.lower())
        if stem is None:
            return None
        candidate = f"{stem}{INTENT[intent]}A"
        checked = icd10cm.check(candidate)
        return checked[0] if checked and checked[1] else None
