"""Documentation elements an auditor looks for: interventions used, the patient's response, medical
necessity, a treatment plan or goals, a risk screen, and words saying the session ran short or long.

Each element is present when a phrase for it (``resources/target_rules.json``, DOC_* labels) or a section
for it (Intervention:, Response:, Plan:, Risk assessment:) is in the note. A risk screen documented as
denied ("denies SI/HI", "SI: no") is present and recorded as ``risk_screen = "denied"``: that differs from a
note that never mentions risk, where the element is absent.
"""

import re

from spacy.language import Language
from spacy.tokens import Doc

from .spans import evidence, flag, sentence_of, span_evidence, targets, text_of

if not Doc.has_extension("bf_documentation"):
    Doc.set_extension("bf_documentation", default=None)

ELEMENTS = {
    "interventions": ("DOC_INTERVENTION", ("intervention",)),
    "patient_response": ("DOC_RESPONSE", ("response",)),
    "medical_necessity": ("DOC_NECESSITY", ()),
    "treatment_plan": ("DOC_PLAN", ("plan", "goal")),
    "risk_assessment": ("DOC_RISK", ("risk_assessment",)),
}
MIN_SECTION_BODY = 15
# Phrases that other target labels own (one phrase gets one label) but that document these elements too.
ALSO = {"interventions": ("CRISIS_SAFETY", "CRISIS_DEESCALATION", "SVC_PSYCHOTHERAPY"),
        "risk_assessment": ("CRISIS_RISK",)}
# Named symptoms that are a risk screen when written: "passive suicidal thoughts without plan" is one span,
# a DX_NAME (the longest match wins over DOC_RISK's "suicidal").
RISK_NAMES = {"suicidal_ideation", "homicidal_ideation"}
_PLAN_VERB = re.compile(r"(?:trial|start|begin|initiat|recommend|consider|titrat|switch|will)", re.IGNORECASE)
# A technique named as homework or as a plan is not an intervention used in the session.
_PLANNED = re.compile(r"\b(?:homework|plan|will|next session|assigned|continue)\b[^.;\n]*$", re.IGNORECASE)
# A modality label alone is not an intervention (OIG: "interventions not named").
LABELS_NOT_TECHNIQUES = {
    "psychotherapy", "therapy", "counseling", "individual therapy", "individual psychotherapy", "individual session",
    "therapy session", "counseling session", "individual counseling", "supportive therapy", "supportive psychotherapy",
}


class DocumentationElements:
    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        ev: dict[str, list] = {}
        named_risk = [s for s in targets(doc, "DX_NAME") if s._.bf_value in RISK_NAMES]
        for element, (label, sections) in ELEMENTS.items():
            labels = (label,) + ALSO.get(element, ())
            # A plan is about the future: "we will recheck labs" is the plan, not a hypothetical.
            spans = [s for s in targets(doc, *labels) if (element == "treatment_plan" or not flag(s, "is_hypothetical"))
                     and not (s.label_ == "SVC_PSYCHOTHERAPY" and s.text.lower() in LABELS_NOT_TECHNIQUES)]
            if element == "treatment_plan":
                # A medication started, changed or recommended is a next step (one span, so the plan phrase
                # "Recommend" inside "Recommend starting sertraline" belongs to the medication reading).
                spans += [s for s in targets(doc, "DIAG_MEDICAL", "GENRE_CUE")
                          if (s.label_ == "GENRE_CUE" and s._.bf_value == "prescribing") or
                          (s.label_ == "DIAG_MEDICAL" and _PLAN_VERB.match(s.text))]
            if element == "risk_assessment":
                spans += [s for s in named_risk if not flag(s, "is_hypothetical")]
            if element == "interventions":
                spans = [s for s in spans if not _PLANNED.search(text_of(doc)[sentence_of(doc, s.start_char)[0]:s.start_char])]
            if element != "risk_assessment":
                spans = [s for s in spans if not flag(s, "is_negated")]
            records = [span_evidence(s) for s in spans]
            for category, start, end in doc._.bf_sections:
                if category in sections and end - start >= MIN_SECTION_BODY:
                    records.append(evidence(doc, start, min(end, start + 80)))
            if records:
                ev[f"documentation.{element}"] = records
        risk_spans = targets(doc, "DOC_RISK") + named_risk
        risk = None
        if risk_spans:
            risk = "denied" if all(flag(s, "is_negated") for s in risk_spans) else "documented"
        short_long = targets(doc, "SESSION_SHORT_LONG")
        if short_long:
            ev["session_ran_short_or_long"] = [span_evidence(s) for s in short_long]
        doc._.bf_documentation = {"risk_screen": risk, "session_ran_short_or_long": bool(short_long),
                                  "evidence": ev}
        return doc


@Language.factory("billfacts_documentation", assigns=["doc._.bf_documentation"])
def make_documentation(nlp: Language, name: str) -> DocumentationElements:
    return DocumentationElements(nlp, name)
