"""Diagnosis lists read as lists: where a note names its current diagnoses, item by item, with each
item's qualifiers.

A coder codes from the diagnosis list, impression, assessment or Axis I-III, not from every disorder the
history mentions; an item is coded unless it is qualified (rule out, versus, deferred, history of,
resolved). Headers come from ``headers.note_headers``; which headers open a list, the qualifier words and
their scope are data in ``resources/diagnosis_lists.json``.
"""

import bisect
import itertools
import re
from typing import NamedTuple, Optional

from .headers import note_headers
from .scratch import text_of

_ITEM_BREAK = re.compile(r"\n|;|(?P<number>(?:^|(?<=\n)|(?<=\s\s)|(?<=:\s)|(?<=\t))[ \t]*\(?\d{1,2}[.)](?=\s))|(?<=[^\d\s.]\.)(?P<sentence>[^\S\n]+)(?=[A-Z])")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
_CLAUSE_BREAK = re.compile(r"[,;]|\b(?:with|and)\b", re.I)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\u2019/-]*")


class Item(NamedTuple):
    start: int
    end: int
    list_like: bool  # a short line or numbered item, not a sentence of prose


class Qualified(NamedTuple):
    start: int
    end: int
    status: str  # affirmed | uncertain | historical | negated | family
    current: bool = False  # "history of X" whose line says X is present now
    decided: bool = False  # the item's own qualifiers split it: their reading stands over ConText's


class ListRules:
    def __init__(self, data: dict):
        self.headers = set(data["current_list_headers"])
        self.opening_headers = set(data["headers_opening_with_a_diagnosis"])
        self.max_words = int(data["max_list_item_words"])
        self.max_numbered_words = int(data["max_numbered_item_words"])
        self.not_diagnoses = set(data["not_diagnoses"])
        self.present_elsewhere = data["present_elsewhere"]
        self.leading_words = set(data["leading_words"])
        self.current = re.compile(r"(?<![\w/])(?:" + "|".join(
            re.escape(w) for w in sorted(data["still_current"], key=len, reverse=True)) + r")(?![\w/])", re.I)
        self.qualifiers = []
        for rule in data["qualifiers"]:
            words = sorted(rule["words"], key=len, reverse=True)
            not_before = "".join(r"(?!\s+" + re.escape(w) + r"\b)" for w in rule.get("not_before", []))
            regex = re.compile(r"(?<![\w/])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w/])" + not_before,
                               re.I)
            self.qualifiers.append((regex, rule["status"], rule["scope"], bool(rule.get("entries_only"))))
        self.symptom_cue = re.compile(r"(?<![\w/])(?:" + "|".join(
            re.escape(w) for w in sorted(data["symptom_before_diagnosis"], key=len, reverse=True)) + r")(?![\w/])", re.I)

    def regions(self, doc) -> list[tuple[int, int, bool]]:
        """The note's current-diagnosis lists: (start, end, opens with a diagnosis), from a list header to
        the next header. Under an impression or diagnosis header the first sentence names a diagnosis
        even in a paragraph ("IMPRESSION: History of multiple myeloma and altered mental status. Rule
        out ..."); under an assessment or summary it may be any prose."""
        headers = note_headers(doc)
        out = []
        text_end = len(text_of(doc))
        for index, header in enumerate(headers):
            if header.name not in self.headers:
                continue
            end = headers[index + 1].start if index + 1 < len(headers) else text_end
            out.append((header.body_start, end, header.name in self.opening_headers))
        return out

    def items(self, text: str, start: int, end: int, opens_with_diagnosis: bool = False) -> list[Item]:
        """A list region split at line breaks, semicolons, item numbers and sentence ends."""
        out = []
        line_words: dict[int, int] = {}  # words per line, counted once a line
        cut, entry = start, "numbered" if opens_with_diagnosis else True
        for match in _ITEM_BREAK.finditer(text, start, end):
            if match.start() > cut:
                out.append(self._item(text, cut, match.start(), entry, start, end, line_words))
            cut = match.end()
            # A list entry is a numbered item, or a short line (or its parts between semicolons); the
            # sentences of a paragraph, and a sentence that follows another, are prose.
            entry = "numbered" if match.group("number") else (match.group("sentence") is None)
        if end > cut:
            out.append(self._item(text, cut, end, entry, start, end, line_words))
        return [item for item in out if item is not None]

    def _item(self, text: str, start: int, end: int, entry, region_start: int, region_end: int,
              line_words: dict[int, int]) -> Optional[Item]:
        words = _WORD.findall(text, start, end)
        if not words:
            return None
        if entry is True:  # an entry only if its whole line is short
            line_start = max(region_start, text.rfind("\n", region_start, start) + 1)
            if line_start not in line_words:
                line_end = text.find("\n", end, region_end)
                line_end = region_end if line_end == -1 else line_end
                line_words[line_start] = len(_WORD.findall(text, line_start, line_end))
            entry = line_words[line_start] <= self.max_words
        limit = self.max_numbered_words if entry == "numbered" else self.max_words
        return Item(start, end, bool(entry) and len(words) <= limit)

    def qualify(self, text: str, item: Item, names: tuple = (), diagnoses: tuple = ()) -> list[Qualified]:
        """The item's parts with their status: qualifiers of scope 'after' take the rest of the item. A
        qualifier word inside a disorder's own name (``names``: its (start, end) spans) qualifies nothing:
        the "or" of "sedative, hypnotic, or anxiolytic use disorder" offers no alternative. When
        ``diagnoses`` (names and codes) are given, an entry's "or" offers alternatives only between two of
        them ("MDD or bipolar disorder"), not between two specifiers ("with attacks or seizures")."""
        status_from: list[tuple[int, str]] = []
        current = False
        # A name contains a match when, of the names starting at or before it, the farthest end reaches
        # past it: one bisection per match, however many names and qualifiers a long line holds.
        starts = [start for start, _ in sorted(names)]
        reach = list(itertools.accumulate((end for _, end in sorted(names)), max))
        dx_starts = sorted(start for start, _ in diagnoses)
        for regex, status, scope, entries_only in self.qualifiers:
            if entries_only and not item.list_like:
                continue
            for match in regex.finditer(text, item.start, item.end):
                before = bisect.bisect_right(starts, match.start())
                if before and reach[before - 1] >= match.end():
                    continue
                if entries_only and scope == "item" and diagnoses and not (
                        bisect.bisect_right(dx_starts, match.start()) and
                        bisect.bisect_left(dx_starts, match.end()) < len(dx_starts)):
                    continue
                if scope == "clause_before":
                    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, item.start, match.start())]
                    return self._split(item, [(breaks[-1] if breaks else item.start, match.end(), status)],
                                       decided=True)
                if status == "historical" and scope == "after" and self._still_current(text, item):
                    current = True
                    continue  # "history of mesothelioma that appears stable at this time": a known, current one
                status_from.append((item.start if scope == "item" else match.start(), status))
        if not status_from:
            return [Qualified(item.start, item.end, "affirmed", current)]
        cut, status = min(status_from)
        parts = [Qualified(item.start, cut, "affirmed", current)] if cut > item.start else []
        parts.append(Qualified(cut, item.end, status))
        return parts

    def _still_current(self, text: str, item: Item) -> bool:
        """Whether the item, or the sentence after it on its line, says the condition is present now
        (stable, ongoing, treated: "History of hyperlipidemia.  We will maintain his gemfibrozil")."""
        line_end = text.find("\n", item.end)
        line_end = len(text) if line_end == -1 else line_end
        following = _SENTENCE_END.search(text, item.end, line_end)
        following = _SENTENCE_END.search(text, following.end(), line_end) if following else None
        return bool(self.current.search(text, item.start, following.end() if following else line_end))

    @staticmethod
    def _split(item: Item, ranges: list[tuple[int, int, str]], decided: bool = False) -> list[Qualified]:
        """The item with each (start, end, status) range cut out as its own part; the rest affirmed."""
        parts, cut = [], item.start
        for start, end, status in sorted(ranges):
            if start > cut:
                parts.append(Qualified(cut, start, "affirmed", decided=decided))
            parts.append(Qualified(start, end, status, decided=decided))
            cut = end
        if item.end > cut:
            parts.append(Qualified(cut, item.end, "affirmed", decided=decided))
        return parts

    def opens_entry(self, text: str, item: Item, start: int, covered: list[tuple[int, int]]) -> bool:
        """Whether the words before ``start`` in the item are only qualifiers, connectors and other
        diagnoses ("1. Chronic anxiety and depression"), so that the entry names this one as a diagnosis."""
        for word in _WORD.finditer(text, item.start, start):
            if any(s <= word.start() < e for s, e in covered):
                continue
            if word.group().lower().strip("'\u2019") not in self.leading_words:
                return False
        return True

    def stated_present(self, text: str, words: str, memo: dict) -> bool:
        """Whether the note says, in the present tense, that the patient has these words' condition
        (asked once per note and condition: ``memo`` belongs to the note)."""
        key = words.lower()
        if key not in memo:
            pattern = self.present_elsewhere + re.escape(words).replace(r"\ ", r"\s+") + r"\b"
            memo[key] = re.search(pattern, text, re.IGNORECASE) is not None
        return memo[key]

    def symptom_cue_at(self, text: str, start: int, end: int) -> Optional[int]:
        match = self.symptom_cue.search(text, start, end)
        return match.start() if match else None


def words(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text, start, end)]
