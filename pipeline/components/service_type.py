"""Service type: individual, family with or without the patient, group, crisis, diagnostic evaluation,
E/M only, or other (e.g. life coaching, which is not psychotherapy).

Priority follows how a coder reads a note: first what kind of document it is (``doc._.bf_genre``: a
discharge summary or a testing report is no encounter, a psychiatric evaluation is a diagnostic
evaluation, a medical or medication visit is an E/M); then a crisis service or an intake evaluation
defines the visit even when therapy words appear; a family or group session must be named as the session
(near the top of the note, or more than once), not merely mentioned ("discussed family therapy as an
option"). In an E/M visit, psychotherapy is a service of its own only when its minutes are documented as
psychotherapy, or, in a medication-management visit, when a named psychotherapy is delivered ("CBT-oriented
intervention"): "counseling" about a medication or a plan is part of the E/M.
"""


import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..timeparse import words_to_number
from .genre import named_before, prescribers
from .spans import asserted, flag, section_at, sentence_of, sentence_text, span_evidence, targets, text_of

if not Doc.has_extension("bf_service"):
    Doc.set_extension("bf_service", default=None)

HEADER_CHARS = 300
# Words that name psychotherapy too loosely to make an E/M visit a psychotherapy service as well.
GENERIC_THERAPY_WORDS = {"therapy", "counseling", "psychoeducation"}
# A named therapy is delivered, not just named ("behavioral activation" can be a side effect), when its
# sentence speaks of an intervention, a technique or practice.
_DELIVERED = re.compile(r"\b(?:intervention|psychotherapy|therapy|technique|skills?|practiced|exercises?|session)\b", re.I)
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
                if s.start_char < HEADER_CHARS or _TODAY.search(sentence_text(s)) or s.text in ("90791", "90792")]
        family = list(asserted(targets(doc, "SVC_FAMILY")))
        group = list(asserted(targets(doc, "SVC_GROUP")))
        # "Group therapy 60 min, 8 members" opening a note names the session; "group therapy" later in a
        # note is usually another service the patient attends ("also attends group therapy on Tuesdays").
        _, first_sentence_end = sentence_of(doc, 0)
        group += [s for s in asserted(targets(doc, "GENRE_CUE")) if s._.bf_value == "therapy_session"
                  and s.start_char < first_sentence_end and "group" in s.text.lower()]
        group.sort(key=lambda s: s.start_char)
        coaching = list(asserted(targets(doc, "SVC_COACHING")))
        # A title such as "Individual Psychotherapy Progress Note" is one genre cue (the longest match wins
        # over "individual psychotherapy"): it names a therapy session as plainly.
        therapy = sorted(list(asserted(targets(doc, "SVC_PSYCHOTHERAPY"))) +
                         [s for s in asserted(targets(doc, "GENRE_CUE")) if s._.bf_value == "therapy_session"],
                         key=lambda s: s.start_char)
        # Therapy named only in the plan ("continue weekly individual therapy") is the treatment going on
        # elsewhere, not a psychotherapy part of this E/M visit.
        therapy_today = [s for s in therapy if section_at(doc, s.start_char) != "plan"]
        absent = list(asserted(targets(doc, "PATIENT_ABSENT")))
        em = (doc._.bf_em or {}).get("em_present", False)
        time = doc._.bf_time or {}
        genre = doc._.bf_genre or {}
        em_visit = genre.get("service") == "em_only"
        if em_visit:
            diag = [s for s in diag if s.start_char < HEADER_CHARS]
        named_therapy = [s for s in therapy if s.text.lower() not in GENERIC_THERAPY_WORDS
                         and _DELIVERED.search(sentence_text(s))] if em_visit else []
        therapy_in_em = time.get("psychotherapy_minutes") is not None or \
            (genre.get("genre") == "med_management" and bool(named_therapy))

        service, supporting = None, []
        if genre.get("service") == "other":
            service, supporting = "other", genre["evidence"]
        elif crisis:
            service, supporting = "crisis", crisis
        elif genre.get("service") == "diagnostic_eval" or diag:
            service, supporting = "diagnostic_eval", diag or genre["evidence"]
        elif _named_as_session(doc, family):
            service = "family_without_patient" if absent else "family_with_patient"
            supporting = family + absent
        elif _named_as_session(doc, group):
            service, supporting = "group", group
        elif coaching and (not therapy or coaching[0].start_char < HEADER_CHARS):
            service, supporting = "other", coaching
        elif em_visit and not therapy_in_em:
            service, supporting = "em_only", (doc._.bf_em or {}).get("evidence", {}).get("em_present", [])
        elif em_visit:
            service, supporting = "individual", named_therapy or (time.get("evidence") or {}).get("psychotherapy_minutes", [])
        elif em and not therapy_today and time.get("psychotherapy_minutes") is None:
            service, supporting = "em_only", (doc._.bf_em or {}).get("evidence", {}).get("em_present", [])
        elif therapy or time.get("psychotherapy_minutes") is not None or family or group or \
                any(c in ("intervention", "psychotherapy") for c, _, _ in doc._.bf_sections):
            service = "individual"
            supporting = therapy or []
        if supporting:
            ev["service_type"] = [s if isinstance(s, dict) else span_evidence(s) for s in supporting]

        participants = None
        multiple_family = False
        if service == "group":
            for span in targets(doc, "GROUP_COUNT"):
                value = _participants(span.text)
                if value:
                    participants = value
                    ev["group_participants"] = [span_evidence(span)]
                    break
            # 90849 is a group of several patients' families, a service of its own (not 90853).
            families = [s for s in asserted(targets(doc, "SVC_GROUP")) if _MULTIPLE_FAMILY.search(s.text)]
            if families:
                multiple_family = True
                ev["multiple_family_group"] = [span_evidence(s) for s in families]

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
            # An evaluator who recommends a medication ("Recommend starting sertraline 50 mg") provides the
            # medical service of 90792 as one who orders it: a recommendation is no hypothetical here. A
            # negated, past or relative's medication is none.
            medical_spans = [s for s in targets(doc, "DIAG_MEDICAL", "GENRE_CUE")
                             if (s.label_ == "DIAG_MEDICAL" or s._.bf_value == "prescribing")
                             and not any(flag(s, name) for name in ("is_negated", "is_historical", "is_family"))
                             and not _someone_elses(doc, s)]
            if medical_spans or em:
                medical = True
                ev["diagnostic_eval_medical"] = [span_evidence(s) for s in medical_spans] or \
                    (doc._.bf_em or {}).get("evidence", {}).get("em_present", [])

        doc._.bf_service = {
            "service_type": service,
            "group_participants": participants,
            "multiple_family_group": multiple_family,
            "crisis_elements": elements,
            "diagnostic_eval_medical": medical,
            "evidence": ev,
        }
        return doc


@lru_cache(maxsize=1)
def _another_prescriber() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """Patterns for someone else's medication, after the cue ("prescribed ... by PCP", "... discuss with her
    psychiatrist") and before it (the genre reader's "her psychiatrist increased ..."), from one word list."""
    who = prescribers()
    by_another = re.compile(r"[^.;\n]{0,40}?\bby\s+(?:(?:her|his|their|the|a|an|an outside|outside|previous|prior|"
                            r"former)\s+)?" + who + r"\b", re.IGNORECASE)
    referred = re.compile(r"[^.\n]{0,60}?\b(?:discuss\w*|talk\w*|follow\w* up|consult\w*|check\w*)\s+(?:this\s+|it\s+)?"
                          r"(?:with|to)\s+(?:(?:her|his|their|the|a)\s+)?" + who + r"\b", re.IGNORECASE)
    return by_another, referred, named_before(who)


_ASKED_BEFORE = re.compile(r"\b(?:whether|if)\s+(?:to|she|he|they|it|the patient|the client)\b[^.;\n]{0,25}$", re.IGNORECASE)


def _someone_elses(doc: Doc, span: Span) -> bool:
    """A medication another clinician prescribed ("prescribed fluoxetine 20 mg by PCP", "her psychiatrist
    started lithium 300 mg") or the patient asked about and was sent to a prescriber with ("asked whether to
    start sertraline; advised to discuss with PCP"): the evaluator gave no medical service."""
    text = text_of(doc)
    after = min(len(text), span.end_char + 80)
    by_another, referred, before = _another_prescriber()
    return bool(by_another.match(text, span.end_char, after) or referred.match(text, span.end_char, after) or
                before.search(text, max(0, span.start_char - 60), span.start_char) or
                _ASKED_BEFORE.search(text, max(0, span.start_char - 40), span.start_char))


_MULTIPLE_FAMILY = re.compile(r"multi(?:ple)?[- ]?family|90849", re.IGNORECASE)
_COUNTED = re.compile(r"\b(\d{1,2}|[a-z]+)\s+(?P<other>other\s+)?(?:group\s+)?(?:members|participants|clients|patients|"
                      r"attendees|individuals|veterans|adolescents|adults|peers|families)\b|(?:[:=]|census|count|was|of)\s*(\d{1,2})\b",
                      re.IGNORECASE)


def _participants(text: str) -> int | None:
    """The number of participants a count phrase gives: "7 members", "Attendance: 7", "group census 9";
    "with 5 other members" counts the patient too (6)."""
    for number in _COUNTED.finditer(text):  # "number of participants: 6": "of participants" is no count
        value = words_to_number(number.group(1) or number.group(3))
        if value and value >= 1:
            return int(value) + (1 if number.group("other") else 0)
    return None


@Language.factory("billfacts_service_type", assigns=["doc._.bf_service"], requires=["doc._.bf_em", "doc._.bf_genre"])
def make_service_type(nlp: Language, name: str) -> ServiceType:
    return ServiceType(nlp, name)
