"""Diagnosis lists read as lists: where a note names its current diagnoses, item by item, with each
item's qualifiers.

A coder codes from the diagnosis list, impression, assessment or Axis I-III, not from every disorder the
history mentions; an item is coded unless it is qualified (rule out, versus, deferred, history of,
resolved). Headers come from ``headers.note_headers``; which headers open a list, the qualifier words and
their scope are data in ``resources/diagnosis_lists.json``.
"""

import re
from typing import NamedTuple, Optional

from .headers import note_headers

_ITEM_BREAK = re.compile(r"\n|;|(?:(?<=\s)|^)\(?\d{1,2}[.)](?=\s)|(?<=\.)\s+(?=[A-Z])")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\u2019/-]*")


class Item(NamedTuple):
    start: int
    end: int
    list_like: bool  # a short line or numbered item, not a sentence of prose


class Qualified(NamedTuple):
    start: int
    end: int
    status: str  # affirmed | uncertain | historical | negated | family


class ListRules:
    def __init__(self, data: dict):
        self.headers = set(data["current_list_headers"])
        self.max_words = int(data["max_list_item_words"])
        self.qualifiers = []
        for rule in data["qualifiers"]:
            words = sorted(rule["words"], key=len, reverse=True)
            regex = re.compile(r"(?<![\w/])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w/])", re.I)
            self.qualifiers.append((regex, rule["status"], rule["scope"]))
        self.symptom_cue = re.compile(r"(?<![\w/])(?:" + "|".join(
            re.escape(w) for w in sorted(data["symptom_before_diagnosis"], key=len, reverse=True)) + r")(?![\w/])", re.I)

    def regions(self, doc) -> list[tuple[int, int]]:
        """Character ranges of the note's current-diagnosis lists: from a list header to the next header."""
        headers = note_headers(doc)
        out = []
        text_end = len(doc.text)
        for index, header in enumerate(headers):
            if header.name not in self.headers:
                continue
            end = headers[index + 1].start if index + 1 < len(headers) else text_end
            out.append((header.body_start, end))
        return out

    def items(self, text: str, start: int, end: int) -> list[Item]:
        """A list region split at line breaks, semicolons, item numbers and sentence ends."""
        out = []
        cut = start
        for match in _ITEM_BREAK.finditer(text, start, end):
            if match.start() > cut:
                out.append(self._item(text, cut, match.start()))
            cut = match.end()
        if end > cut:
            out.append(self._item(text, cut, end))
        return [item for item in out if item is not None]

    def _item(self, text: str, start: int, end: int) -> Optional[Item]:
        words = _WORD.findall(text, start, end)
        if not words:
            return None
        return Item(start, end, len(words) <= self.max_words)

    def qualify(self, text: str, item: Item) -> list[Qualified]:
        """The item's parts with their status: qualifiers of scope 'after' take the rest of the item."""
        status_from: list[tuple[int, str]] = []
        for regex, status, scope in self.qualifiers:
            for match in regex.finditer(text, item.start, item.end):
                status_from.append((item.start if scope == "item" else match.start(), status))
        if not status_from:
            return [Qualified(item.start, item.end, "affirmed")]
        cut, status = min(status_from)
        parts = [Qualified(item.start, cut, "affirmed")] if cut > item.start else []
        parts.append(Qualified(cut, item.end, status))
        return parts

    def symptom_cue_at(self, text: str, start: int, end: int) -> Optional[int]:
        match = self.symptom_cue.search(text, start, end)
        return match.start() if match else None


def words(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text, start, end)]
