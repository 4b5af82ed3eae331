"""Service type: individual, family with or without the patient, group, crisis, diagnostic evaluation,
E/M only, or other (e.g. life coaching, which is not psychotherapy).

Priority follows how a coder reads a note: a crisis service or an intake evaluation defines the visit
even when therapy words appear; a family or group session must be named as the session (near the top
of the note, or more than once), not merely mentioned ("discussed family therapy as an option").
"""


import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..timeparse import words_to_number
from .spans import asserted, flag, span_evidence, targets

if not Doc.has_extension("bf_service"):
    Doc.set_extension("bf_service", default=None)

HEADER_CHARS = 300
_TODAY = re.compile(r"\b(?:today|completed|conducted|this session|this visit|performed|provided|presents? for)\b", re.I)


def _named_as_session(doc: Doc, spans: list[Span]) -> bool:
    return bool(spans) and (len(spans) >= 2 or spans[0].start_char < HEADER_CHARS)


class ServiceType:
    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        ev: dict[str, list] = {}
        crisis = list(asserted(targets(doc, "SVC_CRISIS")))
        diag = [s for s in asserted(targets(doc, "SVC_DIAG_EVAL"))
                if s.start_char < HEADER_CHARS or _TODAY.search(s.sent.text) or s.text in ("90791", "90792")]
        family = list(asserted(targets(doc, "SVC_FAMILY")))
        group = list(asserted(targets(doc, "SVC_GROUP")))
        coaching = list(asserted(targets(doc, "SVC_COACHING")))
        therapy = list(asserted(targets(doc, "SVC_PSYCHOTHERAPY")))
        absent = list(asserted(targets(doc, "PATIENT_ABSENT")))
        em = (doc._.bf_em or {}).get("em_present", False)
        time = doc._.bf_time or {}

        service, supporting = None, []
        if crisis:
            service, supporting = "crisis", crisis
        elif diag:
            service, supporting = "diagnostic_eval", diag
        elif _named_as_session(doc, family):
            service = "family_without_patient" if absent else "family_with_patient"
            supporting = family + absent
        elif _named_as_session(doc, group):
            service, supporting = "group", group
        elif coaching and (not therapy or coaching[0].start_char < HEADER_CHARS):
            service, supporting = "other", coaching
        elif em and not therapy and time.get("psychotherapy_minutes") is None:
            service, supporting = "em_only", (doc._.bf_em or {}).get("evidence", {}).get("em_present", [])
        elif therapy or time.get("psychotherapy_minutes") is not None or family or group or \
                any(c in ("intervention", "psychotherapy") for c, _, _ in doc._.bf_sections):
            service = "individual"
            supporting = therapy or []
        if supporting:
            ev["service_type"] = [s if isinstance(s, dict) else span_evidence(s) for s in supporting]

        participants = None
        if service == "group":
            for span in targets(doc, "GROUP_COUNT"):
                number = re.search(r"\b(\d{1,2}|[a-z]+)\s+(?:group\s+)?(?:members|participants|clients|patients|attendees|individuals|veterans|adolescents|adults)\b|[:=]\s*(\d{1,2})\b", span.text, re.I)
                if number:
                    value = words_to_number(number.group(1) or number.group(2))
                    if value and value >= 1:
                        participants = int(value)
                        ev["group_participants"] = [span_evidence(span)]
                        break

        elements = []
        if service == "crisis":
            for label, element in (("CRISIS_RISK", "risk_assessment"), ("CRISIS_SAFETY", "safety_planning"),
                                   ("CRISIS_DEESCALATION", "de_escalation")):
                spans = [s for s in targets(doc, label) if not (flag(s, "is_hypothetical") or flag(s, "is_negated"))]
                if spans:
                    elements.append(element)
                    ev[f"crisis_elements.{element}"] = [span_evidence(s) for s in spans]

        medical = False
        if service == "diagnostic_eval":
            medical_spans = list(asserted(targets(doc, "DIAG_MEDICAL")))
            if medical_spans or em:
                medical = True
                ev["diagnostic_eval_medical"] = [span_evidence(s) for s in medical_spans] or \
                    (doc._.bf_em or {}).get("evidence", {}).get("em_present", [])

        doc._.bf_service = {
            "service_type": service,
            "group_participants": participants,
            "crisis_elements": elements,
            "diagnostic_eval_medical": medical,
            "evidence": ev,
        }
        return doc


@Language.factory("billfacts_service_type", assigns=["doc._.bf_service"], requires=["doc._.bf_em"])
def make_service_type(nlp: Language, name: str) -> ServiceType:
    return ServiceType(nlp, name)
