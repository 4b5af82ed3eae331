"""Assemble ``doc._.billing_facts`` (the BillingFacts shape, JSON-safe) and keep the Doc serialisable.

The facts component is last: it gathers what the other components found, attaches evidence, and then
replaces medspaCy's rule and graph objects in ``Doc.user_data`` by plain values, because
``nlp.pipe(texts, n_process=2)`` sends Docs between processes with msgpack and medspaCy 1.3.1 fails there
("can not serialize 'TargetRule' object"). What a researcher needs stays: target spans in
``doc.spans["billfacts_targets"]`` with their ConText flags, sections in ``doc._.bf_sections``, the rule id
of each span in ``span._.bf_rule``.
"""


import datetime as dt
import json
import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from .scratch import drop_scratch
from ..rules import load_resource
from .spans import span_evidence, targets, text_of

# The facts travel as a JSON string: medspaCy registers a msgpack hook that decodes any dict with a
# "section" key as one of its Section objects, and our evidence records have such a key. A string
# survives Doc.to_bytes() and nlp.pipe(n_process=...) untouched; the getter gives back the dict.
if not Doc.has_extension("billing_facts_json"):
    Doc.set_extension("billing_facts_json", default=None)
if not Doc.has_extension("billing_facts"):
    Doc.set_extension("billing_facts", getter=lambda doc: json.loads(doc._.billing_facts_json)
                      if doc._.billing_facts_json else None)
if not Span.has_extension("bf_rule"):
    Span.set_extension("bf_rule", default=None)

_PLAIN = (str, int, float, bool, type(None))


def _plain(value) -> bool:
    if isinstance(value, _PLAIN):
        return True
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


_INTERMEDIATE = {"bf_genre", "bf_time", "bf_modality", "bf_ic", "bf_em", "bf_service", "bf_diagnoses", "bf_documentation"}


# Extension values dropped by name without inspecting them: medspaCy's Section, ConTextGraph and
# ConTextModifier objects (on the Doc, every token and target) and our intermediates.
_DROPPED = _INTERMEDIATE | {"section", "sections", "context_graph", "modifiers"}


def make_serialisable(doc: Doc) -> None:
    """Swap rule objects for rule ids and drop medspaCy's object-valued extensions from user_data.

    The per-component working values (``doc._.bf_time`` ...) are dropped too: they are folded into
    ``billing_facts`` and their evidence dicts would meet medspaCy's msgpack hook (see above)."""
    user_data = doc.user_data
    drop_scratch(doc)
    for key in list(user_data):
        if type(key) is tuple and len(key) == 4:
            if key[1] in _DROPPED:
                del user_data[key]
                continue
            if key[1] == "target_rule":
                value = user_data.pop(key)
                rule_id = getattr(value, "_rule_id", None) or getattr(value, "literal", None)
                user_data[(key[0], "bf_rule", key[2], key[3])] = str(rule_id) if rule_id is not None else None
                continue
        if not _plain(user_data[key]):
            del user_data[key]


_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})|(\d{1,2})[/-](\d{1,2})[/-](\d{2,4})"
                   r"|([a-z]{3,4})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})"
                   r"|(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,4})[a-z]*\.?,?\s+(\d{4})", re.IGNORECASE)


def parse_date(text: str) -> dt.date | None:
    """The first date in ISO, US numeric (two-digit years are 20xx) or month-name form ("Mar 4, 2026",
    "4 March 2026"); None if invalid."""
    match = _DATE.search(text)
    if not match:
        return None
    try:
        if match.group(1):
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if match.group(4):
            year = int(match.group(6))
            return dt.date(year + 2000 if year < 100 else year, int(match.group(4)), int(match.group(5)))
        if match.group(7):
            month = _MONTHS.get(match.group(7).lower()[:3])
            return dt.date(int(match.group(9)), month, int(match.group(8))) if month else None
        month = _MONTHS.get(match.group(11).lower()[:3])  # "4 March 2026"
        return dt.date(int(match.group(12)), month, int(match.group(10))) if month else None
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _other_date_label() -> re.Pattern:
    words = load_resource("time_cues.json")["not_service_date_before"]
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
                      + r")\s*(?:session\s+|visit\s+)?$", re.IGNORECASE)


def date_of_service(doc: Doc) -> tuple[str | None, list[dict]]:
    """The first explicitly labelled date of service ("Date of service:", "Date:", "intake completed on");
    never a next appointment ("Next session date:"), a birth, admission or discharge date, or a date inside
    the history (those carry no such label)."""
    text = text_of(doc)
    for span in targets(doc, "DATE_OF_SERVICE"):
        if _other_date_label().search(text, max(0, span.start_char - 30), span.start_char):
            continue
        value = parse_date(span.text)
        if value is not None:
            return value.isoformat(), [span_evidence(span)]
    return None, []


class BillingFactsAssembler:
    def __init__(self, nlp: Language, name: str, keep_rule_objects: bool = False):
        self.name = name
        self.keep_rule_objects = keep_rule_objects

    def __call__(self, doc: Doc) -> Doc:
        time = doc._.bf_time or {}
        modality = doc._.bf_modality or {}
        ic = doc._.bf_ic or {}
        em = doc._.bf_em or {}
        service = doc._.bf_service or {}
        diagnoses = doc._.bf_diagnoses or []
        genre = doc._.bf_genre or {}
        documentation = doc._.bf_documentation or {}
        evidence: dict[str, list] = {}
        for part in (time, modality, ic, em, service, documentation):
            for key, records in (part.get("evidence") or {}).items():
                evidence.setdefault(key, []).extend(records)
        if genre.get("evidence"):
            evidence["note_genre"] = list(genre["evidence"])
        dx_evidence = [record for d in diagnoses for record in d["evidence"]]
        if dx_evidence:
            evidence["diagnoses"] = dx_evidence
        dos, dos_evidence = date_of_service(doc)
        if dos_evidence:
            evidence["date_of_service"] = dos_evidence
        evidence = {key: _unique(records) for key, records in evidence.items() if records}
        factors = list(ic.get("factors", []))
        facts = {
            "start_time": time.get("start_time"),
            "end_time": time.get("end_time"),
            "psychotherapy_minutes": time.get("psychotherapy_minutes"),
            "em_minutes": time.get("em_minutes"),
            "total_minutes": time.get("total_minutes"),
            "modality": modality.get("modality"),
            "patient_location": modality.get("patient_location"),
            "telehealth_consent": modality.get("telehealth_consent"),
            "interpreter": bool(ic.get("interpreter")),
            "interactive_complexity_factors": factors,
            "em_present": bool(em.get("em_present")),
            "em_code": em.get("em_code"),
            "service_type": service.get("service_type"),
            "note_genre": genre.get("genre"),
            "diagnoses": [{k: v for k, v in d.items() if k not in ("evidence", "mentions")} for d in diagnoses],
            "mentions": mentions(doc, time.get("mentions", []), diagnoses),
            "evidence": evidence,
            "clock_minutes": time.get("clock_minutes"),
            "stated_minutes": time.get("stated_minutes"),
            "time_conflicts": time.get("time_conflicts", []),
            "platform": modality.get("platform"),
            "modality_switch": bool(modality.get("modality_switch")),
            "group_participants": service.get("group_participants"),
            "multiple_family_group": bool(service.get("multiple_family_group")),
            "crisis_elements": service.get("crisis_elements", []),
            "diagnostic_eval_medical": bool(service.get("diagnostic_eval_medical")),
            "date_of_service": dos,
            "scheduled_minutes": time.get("scheduled_minutes"),
            "risk_screen": documentation.get("risk_screen"),
            "session_ran_short_or_long": bool(documentation.get("session_ran_short_or_long")),
        }
        doc._.billing_facts_json = json.dumps(facts, ensure_ascii=False, sort_keys=True)
        if not self.keep_rule_objects:
            make_serialisable(doc)
        return doc


def mentions(doc: Doc, time_mentions: list[dict], diagnoses: list[dict]) -> list[dict]:
    """Time phrases and diagnoses where the note writes them, in note order, each place once per label and
    value (a diagnosis named twice in one list item is one mention)."""
    text = text_of(doc)
    found = {(m["label"], m["start"], m["end"], m["value"]): m for m in time_mentions}
    for diagnosis in diagnoses:
        for start, end, status in diagnosis.get("mentions", []):
            key = ("DX", start, end, diagnosis["code"])
            if key not in found:
                found[key] = {"label": "DX", "start": start, "end": end, "text": text[start:end],
                              "value": diagnosis["code"], "status": status}
    return sorted(found.values(), key=lambda m: (m["start"], m["end"], m["label"]))


def _unique(records: list[dict]) -> list[dict]:
    seen, out = set(), []
    for record in sorted(records, key=lambda r: (r["start"], r["end"])):
        key = (record["start"], record["end"])
        if key not in seen:
            seen.add(key)
            out.append(record)
    return out


@Language.factory(
    "billfacts_facts",
    assigns=["doc._.billing_facts"],
    default_config={"keep_rule_objects": False},
)
def make_facts(nlp: Language, name: str, keep_rule_objects: bool) -> BillingFactsAssembler:
    return BillingFactsAssembler(nlp, name, keep_rule_objects)
