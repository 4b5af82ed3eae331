"""Interpreter use and the four CPT interactive-complexity factors.

An interpreter's presence is recorded on its own (``interpreter``): by itself it is not a factor
(CMS and payers: 90785 is not for translation alone). ``interpreter_or_device`` needs the note to say
why the interpreter or device was needed: a language barrier, limited English, a communication device,
play equipment. The other factors need their own documented event; negated or hypothetical mentions
("no caregiver interference", "would file a report if") never count, and neither does conflict the patient
tells about ("she reports her parents argue all the time"): 90785 is for what happened in this session.
"""


import re

from spacy.language import Language
from spacy.tokens import Doc

from .spans import asserted, sentence_of, span_evidence, targets, text_of

if not Doc.has_extension("bf_ic"):
    Doc.set_extension("bf_ic", default=None)

FACTOR_LABELS = {
    "IC_MALADAPTIVE": "maladaptive_communication",
    "IC_CAREGIVER": "caregiver_interference",
    "IC_SENTINEL": "sentinel_event",
    "IC_DEVICE": "interpreter_or_device",
}


# Labels whose event must happen in the session: told about (a reporting verb before it in its sentence)
# it is history, unless the sentence places it in the session.
IN_SESSION_LABELS = ("IC_MALADAPTIVE", "IC_CAREGIVER")
_TOLD = re.compile(r"\b(?:reports?|reported|reporting|says|said|states|stated|describes|described|shared|told|"
                   r"complains?|complained|endorses|endorsed|notes that|noted that)\b", re.IGNORECASE)
_IN_SESSION = re.compile(r"\b(?:in|during|throughout)\s+(?:the\s+|this\s+|today'?s\s+)?(?:session|visit|meeting)\b"
                         r"|\bin session\b|\bredirect\w*|\bobserved\b|\bwriter\b|\btherapist\b|\bclinician\b",
                         re.IGNORECASE)


def happened_in_session(doc: Doc, start: int) -> bool:
    """Whether an interaction the note describes took place in the session, not in the patient's account."""
    sent_start, sent_end = sentence_of(doc, start)
    text = text_of(doc)
    if not _TOLD.search(text, sent_start, start):
        return True
    return _IN_SESSION.search(text, sent_start, sent_end) is not None


class InteractiveComplexity:
    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        ev: dict[str, list] = {}
        barriers = list(asserted(targets(doc, "IC_LANGUAGE_BARRIER")))
        # "requires an interpreter" is one span (the longest match wins): it names an interpreter too.
        interpreters = list(asserted(targets(doc, "INTERPRETER"))) + [
            s for s in barriers if re.search(r"interpret|translat", s.text, re.IGNORECASE)
        ]
        if interpreters:
            ev["interpreter"] = [span_evidence(s) for s in interpreters]
        factors: list[str] = []
        for label, factor in FACTOR_LABELS.items():
            spans = list(asserted(targets(doc, label)))
            if label in IN_SESSION_LABELS:
                spans = [s for s in spans if happened_in_session(doc, s.start_char)]
            if spans:
                factors.append(factor)
                ev.setdefault(f"interactive_complexity_factors.{factor}", []).extend(span_evidence(s) for s in spans)
        if barriers and interpreters:
            if "interpreter_or_device" not in factors:
                factors.append("interpreter_or_device")
            ev.setdefault("interactive_complexity_factors.interpreter_or_device", []).extend(
                [span_evidence(s) for s in barriers] + [span_evidence(interpreters[0])]
            )
        order = list(FACTOR_LABELS.values())
        factors.sort(key=order.index)
        doc._.bf_ic = {"interpreter": bool(interpreters), "factors": factors, "evidence": ev}
        return doc


@Language.factory("billfacts_interactive_complexity", assigns=["doc._.bf_ic"])
def make_interactive_complexity(nlp: Language, name: str) -> InteractiveComplexity:
    return InteractiveComplexity(nlp, name)
