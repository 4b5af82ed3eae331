"""The ICD-10-CM code set, read from the compact table ``resources/icd10cm.tsv.gz``.

The table is generated from simple-icd-10-cm by ``scripts/build_icd10cm.py`` (titles, inclusion terms and
"includes" notes of every code) so that billfacts never imports that package at run time: it takes about
two seconds to import and looks codes up one by one. Loading the table takes a tenth of that and happens
once per process, on first use.

What the rest of billfacts asks of the code set:
- ``check(code)``: the canonical code and whether it is a billable leaf;
- ``title(code)``: the code's ICD-10-CM title;
- ``lookup(words)``: the code whose title or inclusion term is exactly these (normalised) words;
- ``billable_leaf(code)``: the most specific billable code a category supports when nothing more is known
  (its "unspecified" child, else its ".9"/"0" child, recursively), or None;
- ``EDITION``: which edition the table holds.
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from importlib import resources
from typing import NamedTuple, Optional

_PARENS = re.compile(r"\([^()]*\)")
_NOS = re.compile(r"\b(?:nos|not otherwise specified|unspecified|unsp)\b")
_POSSESSIVE = re.compile(r"'s\b|s'\B")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Lower case, possessives, NOS/unspecified and punctuation dropped, spaces collapsed: the form in
    which note words and code-set terms are compared ("Alzheimer's dementia, NOS" -> "alzheimer dementia")."""
    text = _POSSESSIVE.sub("", text.lower().replace("\u2019", "'"))
    text = _NOS.sub(" ", text)
    return " ".join(_NON_WORD.sub(" ", text).split())


def term_variants(text: str) -> list[str]:
    """A code-set term without its nonessential (parenthesised) modifiers, and with them read inline."""
    return [normalise(_PARENS.sub(" ", text)), normalise(text)]


class Code(NamedTuple):
    code: str
    billable: bool
    parent: str
    title: str


class CodeSet:
    """Codes and terms kept as the raw strings of the table and parsed on demand: building two dicts of
    ~100,000 strings each is most of the loading time, and a note asks about a handful of codes."""

    # Up to this many codes are looked up by scanning the table's text (a few milliseconds each); then the
    # index is built (a tenth of a second). A one-note command never pays for the index; a batch does once.
    SCANS_BEFORE_INDEX = 32

    def __init__(self, text: str):
        header, _, rest = text.partition("\n")
        self.edition = header.lstrip("# ").strip()
        self._codes_text, _, self._terms_text = rest.partition("# terms\n")
        self._codes_text = "\n" + self._codes_text
        self._index: Optional[dict[str, str]] = None
        self._scans = 0
        self._terms: Optional[dict[str, str]] = None  # built on the first term lookup
        self._children: Optional[dict[str, list[str]]] = None

    @property
    def _codes(self) -> dict[str, str]:
        if self._index is None:
            self._index = dict(line.split("\t", 1) for line in self._codes_text[1:].splitlines())
        return self._index

    def _raw(self, code: str) -> Optional[str]:
        if self._index is None and self._scans < self.SCANS_BEFORE_INDEX:
            self._scans += 1
            at = self._codes_text.find("\n" + code + "\t")
            if at == -1:
                return None
            start = at + len(code) + 2
            end = self._codes_text.find("\n", start)
            return self._codes_text[start:] if end == -1 else self._codes_text[start:end]
        return self._codes.get(code)

    def get(self, code: str) -> Optional[Code]:
        raw = self._raw(code)
        if raw is None:
            return None
        billable, parent, title = raw.split("\t")
        return Code(code, billable == "1", parent, title)

    def children(self, code: str) -> list[str]:
        if self._children is None:
            children: dict[str, list[str]] = {}
            for child, raw in self._codes.items():
                parent = raw.split("\t", 2)[1]
                if parent:
                    children.setdefault(parent, []).append(child)
            self._children = children
        return self._children.get(code, [])

    def check(self, code: str) -> Optional[tuple[str, bool]]:
        candidate = code.upper().strip(".")
        if "." not in candidate and len(candidate) > 3:
            candidate = candidate[:3] + "." + candidate[3:]
        entry = self.get(candidate)
        return (entry.code, entry.billable) if entry else None

    def lookup(self, words: str) -> Optional[str]:
        """The code a normalised phrase names: a billable code first, then the one that takes the phrase as
        its title (or a category, which ``billable_leaf`` narrows)."""
        if self._terms is None:
            self._terms = dict(line.split("\t", 1) for line in self._terms_text.splitlines())
        raw = self._terms.get(words)
        if not raw:
            return None
        entries = [self.get(c) for c in raw.split(",")]
        ranked = sorted(entries, key=lambda e: (not e.billable, normalise(e.title) != words, len(e.code), e.code))
        return ranked[0].code

    def billable_leaf(self, code: str) -> Optional[str]:
        """A billable code for a code as written: itself when billable, else its unspecified descendant."""
        for _ in range(4):
            entry = self.get(code)
            if entry is None:
                return None
            if entry.billable:
                return code
            children = [self.get(c) for c in self.children(code)]
            pick = next((c.code for c in children if re.search(r"\bunspecified\b", c.title, re.I)
                         and not re.search(r"\bwith unspecified\b", c.title, re.I)), None)
            pick = pick or next((c.code for c in children if c.code.endswith("9")), None) \
                or next((c.code for c in children if c.code.endswith("0")), None)
            if pick is None:
                return None
            code = pick
        return None


@lru_cache(maxsize=1)
def code_set() -> CodeSet:
    with resources.files("billfacts").joinpath("resources", "icd10cm.tsv.gz").open("rb") as raw:
        return CodeSet(gzip.decompress(raw.read()).decode("utf-8"))


def edition() -> str:
    """The edition the table holds (its first line), without loading the table."""
    if code_set.cache_info().currsize:
        return code_set().edition
    with resources.files("billfacts").joinpath("resources", "icd10cm.tsv.gz").open("rb") as raw:
        with gzip.open(raw, "rt", encoding="utf-8") as handle:
            return handle.readline().lstrip("# ").strip()


@lru_cache(maxsize=8192)
def check(code: str) -> Optional[tuple[str, bool]]:
    """(canonical code with dot, billable) for a valid ICD-10-CM code, else None."""
    return code_set().check(code)


@lru_cache(maxsize=8192)
def title(code: str) -> str:
    entry = code_set().get(code)
    return entry.title if entry else ""


@lru_cache(maxsize=65536)
def lookup(words: str) -> Optional[str]:
    return code_set().lookup(words)


@lru_cache(maxsize=8192)
def billable_leaf(code: str) -> Optional[str]:
    return code_set().billable_leaf(code)
