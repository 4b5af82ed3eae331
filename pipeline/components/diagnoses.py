"""ICD-10-CM diagnoses: codes written in the note and named disorders mapped to codes.

Every code is checked against the ICD-10-CM code set shipped by ``simple-icd-10-cm`` (valid, and a
billable leaf or not). A named disorder is mapped with its qualifiers ("recurrent, moderate",
"combined type", "with mixed anxiety and depressed mood") through ``resources/diagnosis_names.json``;
a name written next to a code ("F41.1 Generalized anxiety disorder") is the same diagnosis, not a second.
Each diagnosis gets a ConText status: affirmed, negated, historical, uncertain (rule-outs, hypotheticals)
or family.
"""


import re
from functools import lru_cache

import simple_icd_10_cm as icd
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..rules import load_resource
from .spans import flag, line_of, section_at, span_evidence, targets, text_of

if not Doc.has_extension("bf_diagnoses"):
    Doc.set_extension("bf_diagnoses", default=None)

STATUS_RANK = {"affirmed": 0, "uncertain": 1, "historical": 2, "negated": 3, "family": 4}
DX_SECTIONS = {"diagnosis"}
HISTORY_SECTIONS = {"history"}
_DX_LABEL = re.compile(r"\b(?:dx|diagnos[ie]s|diagnostic impression|impression|icd-?10)\b", re.IGNORECASE)
_NAME_NEAR_CODE_CHARS = 90


@lru_cache(maxsize=4096)
def icd_check(code: str) -> tuple[str, bool] | None:
    """(canonical code with dot, billable) for a valid ICD-10-CM code, else None.

    Cached: simple-icd-10-cm looks codes up by a linear search, a fifth of a millisecond a note."""
    candidate = code.upper().strip(".")
    try:
        if not icd.is_valid_item(candidate):
            return None
        return icd.add_dot(icd.remove_dot(candidate)), bool(icd.is_leaf(candidate))
    except Exception:  # the library raises on malformed input; a non-code is simply not a diagnosis
        return None


def status_of(span: Span) -> str:
    section = section_at(span.doc, span.start_char)
    if flag(span, "is_family") or section == "family_history":
        return "family"
    if flag(span, "is_negated"):
        return "negated"
    if flag(span, "is_uncertain") or flag(span, "is_hypothetical"):
        return "uncertain"
    if flag(span, "is_historical") or section in HISTORY_SECTIONS:
        return "historical"
    return "affirmed"


class Diagnoses:
    def __init__(self, nlp: Language, name: str):
        self.name = name
        data = load_resource("diagnosis_names.json")
        self.disorders = {d["key"]: d for d in data["disorders"]}
        self.related_categories = [set(group) for group in data.get("related_categories", [])]
        self.qualifiers = {
            key: re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
                            + r")(?![\w-])", re.IGNORECASE)
            for key, phrases in data["qualifiers"].items()
        }

    def in_dx_context(self, span: Span) -> bool:
        if section_at(span.doc, span.start_char) in DX_SECTIONS:
            return True
        line_start, _ = line_of(span.doc, span.start_char)
        return bool(_DX_LABEL.search(text_of(span.doc)[line_start: span.start_char]))

    def map_name(self, span: Span, all_dx: list[Span]) -> str | None:
        disorder = self.disorders.get(span._.bf_value)
        if disorder is None:
            return None
        text = text_of(span.doc)
        line_start, line_end = line_of(span.doc, span.start_char)
        before = [s.end_char for s in all_dx if s.end_char <= span.start_char]
        after = [s.start_char for s in all_dx if s.start_char >= span.end_char]
        left_edge = max([line_start, span.start_char - 60] + before)
        right_edge = min([line_end, span.end_char + 120] + after)
        left = re.split(r"[;.]\s", text[left_edge:span.start_char])[-1]
        right = re.split(r"[;.]\s", text[span.end_char:right_edge])[0]
        window = left + " " + right
        found = {key for key, regex in self.qualifiers.items() if regex.search(window)}
        # "without psychotic features": a no_<key> qualifier cancels <key>.
        found -= {key[3:] for key in found if key.startswith("no_")}
        for rule in disorder["codes"]:
            if all(q in found for q in rule["when"]):
                return rule["code"]
        return disorder["default"]

    def __call__(self, doc: Doc) -> Doc:
        code_spans = []
        for span in targets(doc, "DX_CODE"):
            text = span.text
            has_dot = "." in text
            if not has_dot and text[0].upper() not in "FZ":
                continue
            if not text[0].isupper() and not (has_dot and self.in_dx_context(span)):
                continue
            checked = icd_check(text)
            if checked is not None:
                code_spans.append((span, checked))
        name_spans = list(targets(doc, "DX_NAME"))
        # Edges for qualifier windows: codes and specific names, not generic words that may be qualifiers
        # themselves ("adjustment disorder with mixed anxiety and depressed mood").
        all_dx = [s for s, _ in code_spans] + [s for s in name_spans if not self._generic(s)]

        found: dict[str, dict] = {}

        def add(code: str, billable: bool, span: Span, source: str, label_text: str):
            status = status_of(span)
            entry = found.get(code)
            record = span_evidence(span)
            if entry is None:
                found[code] = {"code": code, "text": span.text, "description": label_text, "status": status,
                               "billable": billable,
                               "source": source, "evidence": [record]}
                return
            entry["evidence"].append(record)
            if STATUS_RANK[status] < STATUS_RANK[entry["status"]]:
                entry["status"] = status

        for span, (code, billable) in code_spans:
            add(code, billable, span, "code", _description(code))
        for span in name_spans:
            disorder = self.disorders.get(span._.bf_value)
            if disorder is None:
                continue
            if disorder.get("dx_context_only") and (not self.in_dx_context(span) or self._inside_other(span, all_dx)):
                continue
            code = self.map_name(span, all_dx)
            if self._next_to_code(span, code_spans, code):
                continue
            checked = icd_check(code) if code else None
            if checked is None:
                continue
            add(checked[0], checked[1], span, "name", _description(checked[0]))
        ordered = sorted(found.values(), key=lambda d: d["evidence"][0]["start"])
        doc._.bf_diagnoses = ordered
        return doc

    def _generic(self, span: Span) -> bool:
        return bool(self.disorders.get(span._.bf_value, {}).get("dx_context_only"))

    @staticmethod
    def _inside_other(span: Span, specific: list[Span]) -> bool:
        """A generic word right after a specific diagnosis on the same line qualifies it."""
        doc = span.doc
        for other in specific:
            if other.end_char <= span.start_char and span.start_char - other.end_char < 60:
                if not re.search(r"[;\n]", text_of(doc)[other.end_char: span.start_char]):
                    return True
        return False

    def _related(self, a: str | None, b: str) -> bool:
        if a is None:
            return True
        if a[:3] == b[:3]:
            return True
        return any(a[:3] in group and b[:3] in group for group in self.related_categories)

    def _next_to_code(self, span: Span, code_spans, mapped: str | None) -> bool:
        """A name beside a written code on the same line describes that code ("F41.1 Generalized anxiety
        disorder", "MDD (F33.1)"), unless a comma separates two unrelated diagnoses ("ODD (F91.3), ADHD")."""
        doc = span.doc
        line_start, line_end = line_of(doc, span.start_char)
        for code_span, _ in code_spans:
            if not (line_start <= code_span.start_char <= line_end):
                continue
            gap_text = text_of(doc)[min(code_span.end_char, span.end_char): max(code_span.start_char, span.start_char)]
            if len(gap_text) <= _NAME_NEAR_CODE_CHARS and not re.search(r"[;]|\b[A-TV-Z]\d[0-9A-Z]\.", gap_text):
                if "," not in gap_text or self._related(mapped, code_span.text.upper()):
                    return True
        return False


@lru_cache(maxsize=4096)
def _description(code: str) -> str:
    try:
        return icd.get_description(code)
    except Exception:
        return ""


@Language.factory("billfacts_diagnoses", assigns=["doc._.bf_diagnoses"])
def make_diagnoses(nlp: Language, name: str) -> Diagnoses:
    return Diagnoses(nlp, name)
