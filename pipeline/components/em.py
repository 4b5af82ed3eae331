"""A separately documented E/M (medication-management) component.

The E/M code the clinician wrote ("E/M: 99214 based on moderate MDM") is kept as ``em_code``: the level is
the clinician's MDM decision, which billfacts reports but never makes.

``em_present`` is true when the note documents E/M work as its own part: a medication-management /
E/M section, an explicit E/M statement ("medication management", "MDM"), a weaker cue ("med check")
that comes with its own time, or a note whose genre is a medical or medication-management visit.
In a diagnostic evaluation or a document that is no encounter, E/M is never reported apart: the medical
part of an evaluation is inside 90792. A therapist listing the patient's medications is not E/M.
"""


from spacy.language import Language
from spacy.tokens import Doc

from .spans import asserted, evidence, flag, span_evidence, targets, text_of

if not Doc.has_extension("bf_em"):
    Doc.set_extension("bf_em", default=None)

MIN_SECTION_BODY_CHARS = 20


class EvaluationAndManagement:
    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        supporting: list[dict] = []
        for category, start, end in doc._.bf_sections:
            if category == "medication_management" and end - start >= MIN_SECTION_BODY_CHARS:
                line_end = text_of(doc).find("\n", start)
                supporting.append(evidence(doc, start, end if line_end == -1 else min(end, line_end)))
        time = doc._.bf_time or {}
        genre = doc._.bf_genre or {}
        if genre.get("service") == "em_only":
            # A medical or medication-management visit is itself the E/M (its structure is the evidence).
            supporting.extend(genre["evidence"])
        for span in asserted(targets(doc, "EM_CUE")):
            if span._.bf_value == "strong" or time.get("em_minutes") is not None:
                supporting.append(span_evidence(span))
        if time.get("em_minutes") is not None:
            supporting.extend(time["evidence"].get("em_minutes", []))
        if genre.get("service") in ("diagnostic_eval", "other"):
            supporting = []
        evidence_map = {"em_present": supporting} if supporting else {}
        codes = [s for s in targets(doc, "EM_CODE") if not (flag(s, "is_negated") or flag(s, "is_hypothetical"))]
        em_code = codes[0].text if codes and supporting else None
        if em_code:
            evidence_map["em_code"] = [span_evidence(codes[0])]
        doc._.bf_em = {"em_present": bool(supporting), "em_code": em_code, "evidence": evidence_map}
        return doc


@Language.factory("billfacts_em", assigns=["doc._.bf_em"], requires=["doc._.bf_time", "doc._.bf_genre"])
def make_em(nlp: Language, name: str) -> EvaluationAndManagement:
    return EvaluationAndManagement(nlp, name)
