"""Modality and telehealth elements: in person, video or audio-only; platform; where the patient was;
consent for telehealth.

Mentions come from the TargetMatcher (``resources/target_rules.json``); ConText removes negated and
hypothetical ones ("declined video", "if video fails we will call"). A session that started on video
and was finished by phone is reported as audio-only with ``modality_switch``: the service was completed
without video, and the gap scorer asks for the switch to be explained.
"""


import re

from spacy.language import Language
from spacy.tokens import Doc

from ..rules import load_resource
from .spans import asserted, flag, sentence_of, span_evidence, targets, text_of

if not Doc.has_extension("bf_modality"):
    Doc.set_extension("bf_modality", default=None)


class Modality:
    def __init__(self, nlp: Language, name: str):
        self.name = name
        table = load_resource("locations.json")["locations"]
        pairs = [(word, value) for value, words in table.items() for word in words]
        pairs.sort(key=lambda p: len(p[0]), reverse=True)
        self._locations = [(re.compile(r"\b" + re.escape(w) + r"\b", re.IGNORECASE), v) for w, v in pairs]
        data = load_resource("locations.json")
        self._not_modality_after = re.compile(
            r"^[\s-]*(?:" + "|".join(re.escape(w) for w in data["not_modality_after"]) + r")\b", re.IGNORECASE)
        self._third_party_call = re.compile(data["third_party_call"], re.IGNORECASE)

    def is_modality(self, span) -> bool:
        """Not 'video EEG' or 'audiovisual hallucinations'; not a phone call with someone else than the
        patient ('history obtained through discussion with Dr. X over the phone')."""
        text = text_of(span.doc)
        if self._not_modality_after.match(text[span.end_char: span.end_char + 30]):
            return False
        if span.label_ == "MODALITY_AUDIO":
            clause = text[max(sentence_of(span.doc, span.start_char)[0], span.start_char - 80): span.start_char]
            if self._third_party_call.search(clause):
                return False
        return True

    def location_value(self, text: str) -> str | None:
        """The location word that comes first in the phrase (longer words win at the same place)."""
        best = None
        for regex, value in self._locations:
            match = regex.search(text)
            if match and (best is None or match.start() < best[0]):
                best = (match.start(), value)
        return best[1] if best else None

    def __call__(self, doc: Doc) -> Doc:
        video = [s for s in asserted(targets(doc, "MODALITY_VIDEO", "PLATFORM")) if self.is_modality(s)]
        audio = [s for s in asserted(targets(doc, "MODALITY_AUDIO")) if self.is_modality(s)]
        in_person = list(asserted(targets(doc, "MODALITY_IN_PERSON")))
        telehealth = list(asserted(targets(doc, "MODALITY_TELEHEALTH")))
        switch = list(asserted(targets(doc, "MODALITY_SWITCH")))
        ev: dict[str, list] = {}
        modality, supporting, switched = None, [], False
        if switch:
            modality, supporting, switched = "audio_only", switch + video[:1], True
        elif video and audio:
            modality, supporting = ("video", video) if len(video) > len(audio) else ("audio_only", audio)
        elif video:
            modality, supporting = "video", video
        elif audio:
            modality, supporting = "audio_only", audio
        elif in_person:
            modality, supporting = "in_person", in_person
        elif telehealth:
            modality, supporting = "video", telehealth
        else:
            # No word for the modality itself: the setting says it ("came to the clinic", "on the unit",
            # "presented to the emergency department"), and so does a physical examination.
            setting = list(asserted(targets(doc, "MODALITY_SETTING")))
            if setting:
                modality, supporting = "in_person", setting[:3]
            elif (doc._.bf_genre or {}).get("hands_on_exam"):
                modality = "in_person"
                ev["modality"] = list(doc._.bf_genre["hands_on_exam"])
        if in_person and modality in ("video", "audio_only") and not switch:
            remote = video + audio + telehealth
            if len(in_person) > len(remote):
                modality, supporting = "in_person", in_person
        if supporting:
            ev["modality"] = [span_evidence(s) for s in supporting]

        platforms = [s for s in video if s.label_ == "PLATFORM"]
        platform = platforms[0]._.bf_value if platforms else None
        if platforms:
            ev["platform"] = [span_evidence(platforms[0])]

        location = None
        located = list(asserted(targets(doc, "PATIENT_LOCATION")))
        if modality in ("video", "audio_only"):
            # "from her apartment" says where the patient was only in a telehealth note.
            located += list(asserted(targets(doc, "PATIENT_LOCATION_WEAK")))
        for span in located:
            # "Patient Location: Jacksonville, FL" documents where the patient was without a place word.
            value = self.location_value(span.text) or ("other" if span._.bf_value == "stated" else None)
            if value:
                location = value
                ev["patient_location"] = [span_evidence(span)]
                break
        if modality is None and location == "clinic":
            # "Pt present in office": the patient was at the clinic, so the visit was in person.
            modality = "in_person"
            ev["modality"] = ev["patient_location"]
        if location is None and modality == "in_person":
            # Where an in-person visit happened: the first setting word that names a place ("on the unit",
            # "in the emergency room"), else the clinic.
            for span in list(in_person) + list(asserted(targets(doc, "MODALITY_SETTING"))):
                # A home visit happened at home (place of service 12); elsewhere "home" in an in-person
                # phrase is where the patient came from.
                value = "home" if span._.bf_value == "home_visit" else self.location_value(span.text)
                if value and (value not in ("home", "car", "work") or span._.bf_value == "home_visit"):
                    location = value
                    ev["patient_location"] = [span_evidence(span)]
                    break
            else:
                location = "clinic"
                ev["patient_location"] = ev["modality"][:1]

        consent = None
        consents = [s for s in targets(doc, "TELEHEALTH_CONSENT") if not (flag(s, "is_hypothetical") or flag(s, "is_historical"))]
        refused = [s for s in consents if flag(s, "is_negated") or re.search(r"[:\-]\s*(?:no|n)\s*$", s.text, re.I)]
        given = [s for s in consents if s not in refused]
        if not given and not refused and modality in ("video", "audio_only"):
            # In a telehealth note, "Consent obtained." is the telehealth consent.
            generic = [s for s in targets(doc, "CONSENT_GENERIC") if not (flag(s, "is_hypothetical") or flag(s, "is_historical"))]
            refused = [s for s in generic if flag(s, "is_negated")]
            given = [s for s in generic if not flag(s, "is_negated")]
        if given:
            consent = True
            ev["telehealth_consent"] = [span_evidence(s) for s in given]
        elif refused:
            consent = False
            ev["telehealth_consent"] = [span_evidence(s) for s in refused]

        doc._.bf_modality = {
            "modality": modality,
            "modality_switch": switched,
            "platform": platform,
            "patient_location": location,
            "telehealth_consent": consent,
            "evidence": ev,
        }
        return doc


@Language.factory("billfacts_modality", assigns=["doc._.bf_modality"], requires=["doc._.bf_genre"])
def make_modality(nlp: Language, name: str) -> Modality:
    return Modality(nlp, name)
