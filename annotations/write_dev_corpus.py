"""Write the billfacts development corpus: ``annotations/dev/dev.jsonl`` and the held-out ``annotations/test/test.jsonl``.

WRITTEN FOR DEVELOPMENT. These notes are synthetic: the team wrote the phrasings below (how therapists
and psychiatrists document time, modality, interpreters, E/M parts, crises, families, groups and
diagnoses) and this script combines them, deterministically, into whole notes in SOAP, DAP, BIRP, GIRP,
narrative, psychiatric and intake formats, with typos and abbreviations. Gold comes from the choices
made while writing each note, never from billfacts' output, and follows ``annotations/GUIDELINES.md``.

No real patient data is involved. Run ``python annotations/write_dev_corpus.py`` to rewrite the file;
the output is byte-identical for the same seed.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SEED = 20261123
# The fixed split: the first 200 notes written are the development split, the next 100 the test split.
# The writer draws one random stream, so the first 180 notes (the corpus before the split) are unchanged.
SPLITS = (("dev", 200), ("test", 100))
HERE = Path(__file__).resolve().parent


class Note:
    """Builds a note's text while recording the character spans of annotated pieces."""

    def __init__(self):
        self.parts: list[str] = []
        self.length = 0
        self.spans: list[dict] = []

    def add(self, text: str, label: str | None = None, **attrs) -> None:
        if label:
            self.spans.append({"label": label, "start": self.length, "end": self.length + len(text), **attrs})
        self.parts.append(text)
        self.length += len(text)

    def add_marked(self, template: str, label: str, value: str, **attrs) -> None:
        """Add ``template`` with ``{x}`` replaced by ``value``, annotating just the value."""
        before, _, after = template.partition("{x}")
        self.add(before)
        self.add(value, label, **attrs)
        self.add(after)

    @property
    def text(self) -> str:
        return "".join(self.parts)


# ---- time phrasings: (template with {x}, value text builder) ---------------------------------------------
def clock_phrase(rng: random.Random, minutes: int) -> tuple[str, str, str, str]:
    """A clock range lasting ``minutes``; returns (text, start HH:MM, end HH:MM, style)."""
    start_hour = rng.choice([8, 9, 10, 11, 12, 13, 14, 15, 16, 17])
    start_min = rng.choice([0, 2, 5, 10, 15, 30, 45, 50])
    start = start_hour * 60 + start_min
    end = start + minutes
    sh, sm, eh, em_ = start // 60, start % 60, end // 60, end % 60

    def h12(h):
        return 12 if h % 12 == 0 else h % 12

    def mer(h, upper=True, dots=False):
        m = "am" if h < 12 else "pm"
        if dots:
            m = m[0] + "." + m[1] + "."
        return m.upper() if upper else m

    style = rng.choice(["12both", "12end", "12nosp", "24", "mil", "to", "fromto", "startend", "en_dash", "dots", "12none"])
    if style == "12both":
        text = f"{h12(sh)}:{sm:02d} {mer(sh)} - {h12(eh)}:{em_:02d} {mer(eh)}"
    elif style == "12end":
        text = f"{h12(sh)}:{sm:02d}-{h12(eh)}:{em_:02d} {mer(eh)}" if (sh < 12) == (eh < 12) else \
            f"{h12(sh)}:{sm:02d} {mer(sh)}-{h12(eh)}:{em_:02d} {mer(eh)}"
    elif style == "12nosp":
        text = f"{h12(sh)}:{sm:02d}{mer(sh)}-{h12(eh)}:{em_:02d}{mer(eh)}"
    elif style == "24":
        text = f"{sh:02d}:{sm:02d}-{eh:02d}:{em_:02d}"
    elif style == "mil":
        text = f"{sh:02d}{sm:02d}-{eh:02d}{em_:02d} hrs"
    elif style == "to":
        text = f"{h12(sh)}:{sm:02d} to {h12(eh)}:{em_:02d} {mer(eh, upper=False)}" if (sh < 12) == (eh < 12) else \
            f"{h12(sh)}:{sm:02d} {mer(sh, False)} to {h12(eh)}:{em_:02d} {mer(eh, False)}"
    elif style == "fromto":
        text = f"from {h12(sh)}:{sm:02d} {mer(sh, False, True)} until {h12(eh)}:{em_:02d} {mer(eh, False, True)}"
    elif style == "startend":
        text = f"Start: {h12(sh)}:{sm:02d} {mer(sh)} End: {h12(eh)}:{em_:02d} {mer(eh)}"
    elif style == "en_dash":
        text = f"{h12(sh)}:{sm:02d}–{h12(eh)}:{em_:02d} {mer(eh)}" if (sh < 12) == (eh < 12) else \
            f"{h12(sh)}:{sm:02d} {mer(sh)}–{h12(eh)}:{em_:02d} {mer(eh)}"
    elif style == "dots":
        text = f"{h12(sh)}:{sm:02d} {mer(sh, False, True)} - {h12(eh)}:{em_:02d} {mer(eh, False, True)}"
    else:  # no meridiem, clinic hours
        if not 8 <= sh <= 17 or not 8 <= eh <= 18:
            text = f"{sh:02d}:{sm:02d}-{eh:02d}:{em_:02d}"
        else:
            text = f"{h12(sh)}:{sm:02d}-{h12(eh)}:{em_:02d}"
    return text, f"{sh:02d}:{sm:02d}", f"{eh % 24:02d}:{em_:02d}", style


WORDS = {30: "thirty", 40: "forty", 45: "forty-five", 50: "fifty", 53: "fifty-three", 55: "fifty-five",
         60: "sixty", 90: "ninety", 20: "twenty", 25: "twenty-five", 15: "fifteen", 38: "thirty-eight"}


def duration_phrase(rng: random.Random, minutes: int) -> str:
    options = [f"{minutes} minutes", f"{minutes} min", f"{minutes}-minute", f"{minutes} mins", f"{minutes}min"]
    if minutes in WORDS:
        options.append(f"{WORDS[minutes]} minutes")
    if minutes == 60:
        options += ["1 hour", "an hour", "one hour", "1hr"]
    if minutes == 90:
        options += ["1.5 hours", "an hour and a half", "1 hour 30 minutes"]
    if minutes == 75:
        options += ["1 hour 15 minutes", "1 hr 15 min"]
    if minutes == 30:
        options += ["half an hour"]
    if minutes > 60 and minutes % 60 and minutes not in (75, 90):
        options.append(f"1 hour {minutes - 60} minutes")
    return rng.choice(options)


# ---- content pools ---------------------------------------------------------------------------------------
DX_POOL = [
    ("F41.1", ["F41.1", "F41.1 Generalized anxiety disorder", "Generalized anxiety disorder (F41.1)", "GAD", "generalized anxiety disorder"]),
    ("F33.1", ["F33.1", "F33.1 Major depressive disorder, recurrent, moderate", "MDD, recurrent, moderate", "Major depressive disorder, recurrent episode, moderate"]),
    ("F32.1", ["F32.1", "Major depressive disorder, single episode, moderate", "MDD single episode moderate (F32.1)"]),
    ("F43.10", ["F43.10", "PTSD", "Posttraumatic stress disorder, unspecified (F43.10)", "post-traumatic stress disorder"]),
    ("F43.12", ["F43.12", "chronic PTSD", "PTSD, chronic"]),
    ("F43.23", ["F43.23", "Adjustment disorder with mixed anxiety and depressed mood", "adjustment d/o w/ mixed anxiety and depressed mood"]),
    ("F43.21", ["F43.21", "Adjustment disorder with depressed mood"]),
    ("F90.2", ["F90.2", "ADHD, combined type", "Attention-deficit hyperactivity disorder, combined presentation"]),
    ("F90.0", ["F90.0", "ADHD, predominantly inattentive type"]),
    ("F41.0", ["F41.0", "Panic disorder", "panic disorder (F41.0)"]),
    ("F40.10", ["F40.10", "Social anxiety disorder", "social phobia"]),
    ("F42.2", ["F42.2", "OCD", "Obsessive-compulsive disorder"]),
    ("F31.81", ["F31.81", "Bipolar II disorder"]),
    ("F31.32", ["F31.32", "Bipolar I disorder, current episode depressed, moderate"]),
    ("F10.20", ["F10.20", "Alcohol use disorder, moderate", "AUD, severe"]),
    ("F12.10", ["F12.10", "Cannabis use disorder, mild"]),
    ("F60.3", ["F60.3", "Borderline personality disorder", "BPD"]),
    ("F34.1", ["F34.1", "Persistent depressive disorder", "dysthymia"]),
    ("F50.20", ["F50.20", "Bulimia nervosa"]),
    ("F43.81", ["F43.81", "Prolonged grief disorder"]),
    ("F33.2", ["F33.2", "MDD, recurrent, severe without psychotic features"]),
    ("F84.0", ["F84.0", "Autism spectrum disorder"]),
    ("F91.3", ["F91.3", "Oppositional defiant disorder"]),
    ("Z63.0", ["Z63.0", "Relationship distress with spouse"]),
]
DISTRACTOR_DX = [  # (text, code, status)
    ("Denies history of bipolar disorder.", "F31.9", "negated"),
    ("No evidence of psychosis; r/o schizophrenia not indicated.", "F20.9", "negated"),
    ("History of alcohol use disorder, in sustained remission since 2019.", "F10.21", "historical"),
    ("Mother has bipolar disorder.", "F31.9", "family"),
    ("Family history of schizophrenia (paternal uncle).", "F20.9", "family"),
    ("R/O PTSD; will administer PCL-5 next session.", "F43.10", "uncertain"),
    ("Rule out ADHD, inattentive type.", "F90.0", "uncertain"),
    ("Does not meet criteria for OCD.", "F42.2", "negated"),
    ("Past history of anorexia nervosa as a teen.", "F50.00", "historical"),
    ("Possible panic disorder, to be assessed further.", "F41.0", "uncertain"),
]
# The words of each distractor that write its disorder (GUIDELINES.md "Spans": the name with the specifiers
# that follow it, never the cue that negates, dates or doubts it).
DISTRACTOR_MENTION = {
    "Denies history of bipolar disorder.": "bipolar disorder",
    "No evidence of psychosis; r/o schizophrenia not indicated.": "schizophrenia",
    "History of alcohol use disorder, in sustained remission since 2019.": "alcohol use disorder, in sustained remission",
    "Mother has bipolar disorder.": "bipolar disorder",
    "Family history of schizophrenia (paternal uncle).": "schizophrenia",
    "R/O PTSD; will administer PCL-5 next session.": "PTSD",
    "Rule out ADHD, inattentive type.": "ADHD, inattentive type",
    "Does not meet criteria for OCD.": "OCD",
    "Past history of anorexia nervosa as a teen.": "anorexia nervosa",
    "Possible panic disorder, to be assessed further.": "panic disorder",
}
DISTRACTOR_OF = {text: (code, status) for text, code, status in DISTRACTOR_DX}


def dx_attributes(status: str) -> dict:
    """A DX span's attributes (GUIDELINES.md "Spans"): the status as the four flags researchers score."""
    return {"negated": status == "negated", "historical": status == "historical",
            "hypothetical": status == "uncertain", "family": status == "family"}
# Documentation elements each pooled sentence carries (GUIDELINES.md, "Documentation gaps").
I, R, N, P, K = "interventions", "patient_response", "medical_necessity", "treatment_plan", "risk_assessment"
INTERVENTIONS = [
    "Therapist used CBT: identified automatic thoughts and practiced cognitive restructuring with a thought record.",
    "Interventions: DBT distress-tolerance skills (TIPP, paced breathing) were taught and rehearsed in session.",
    "Provided trauma-focused CBT; continued the trauma narrative with gradual exposure and processing.",
    "Used motivational interviewing to explore ambivalence about drinking; elicited change talk.",
    "Behavioral activation: scheduled three pleasant activities and reviewed barriers.",
    "Applied exposure and response prevention; client completed a level-3 exposure in session.",
    "Supportive psychotherapy with validation and problem-solving around work stress.",
    "Psychoeducation on the anxiety cycle and practice of diaphragmatic breathing.",
    "EMDR phase 4 desensitization on target memory; SUDS decreased from 7 to 3.",
    "Clinician used ACT defusion exercises and values clarification.",
]
INTERVENTION_TAGS = [{I}, {I}, {I}, {I}, {I}, {I, R}, {I}, {I}, {I, R}, {I}]
RESPONSES = [
    "Client engaged well and was able to generate two balanced thoughts.",
    "Pt responded positively, reports feeling 'lighter' by end of session.",
    "Client was receptive but struggled to identify triggers; will continue.",
    "Patient demonstrated skill correctly and agreed to practice daily.",
    "Client tearful at times, but remained engaged; GAD-7 down from 15 to 11.",
    "Progress toward goal 1 (reduce panic attacks) is moderate; PHQ-9 today 12.",
]
RESPONSE_TAGS = [{R}, {R}, {R}, {R}, {R}, {R, P}]
MSE = [
    "MSE: alert and oriented x3, casually dressed, good eye contact, speech normal rate, mood 'anxious', affect congruent, thought process linear, no SI/HI, insight fair, judgment fair.",
    "Mental status: cooperative, mood 'down', affect constricted, TP goal-directed, denies AH/VH, insight and judgment intact.",
    "Appearance appropriate; mood euthymic; affect full range; no psychotic sx.",
]
MSE_TAGS = [{K}, set(), set()]
RISK = [
    "Risk: denies SI/HI, no plan or intent. Protective factors: children, faith.",
    "Safety screen: SI: no. HI: no. Self-harm: denies.",
    "Client denies suicidal ideation, homicidal ideation. Risk low.",
    "C-SSRS screen negative today.",
]
RISK_TAGS = [{K}, {K}, {K}, {K}]
PLANS = [
    "Plan: continue weekly individual therapy; homework: thought record daily. Next session in 1 week.",
    "Plan: f/u in 2 weeks, continue skills practice, coordinate with PCP re: sleep.",
    "Continue current treatment plan; goals: reduce panic frequency by 50% in 3 months.",
    "Plan: RTC 1 week for 45 min session; if symptoms worsen, client will call crisis line 988.",
]
PLAN_TAGS = [{P}, {P}, {P}, {P}]
MEDICAL_NECESSITY = [
    "Symptoms continue to impair work functioning and sleep; weekly psychotherapy remains medically necessary.",
    "Ongoing panic attacks limit driving and grocery shopping, supporting continued treatment.",
]
NECESSITY_TAGS = [{N}, {N}]
FILLER = [
    "Client discussed conflict with her supervisor and a recent argument with her sister about caring for their father.",
    "Pt reported sleeping 5-6 hours a night and walking for 20 minutes daily most days this week.",
    "We reviewed the homework from last week; he completed 3 of 5 thought records.",
    "She described a panic attack at the grocery store lasting about 10 minutes.",
    "Client reports increased stress related to finances and childcare, and has been skipping lunch.",
    "Discussed upcoming holidays and anticipated family stressors; identified coping plan.",
    "Client shared that she started a new job and is adjusting to a longer commute.",
    "He said his mood has been 'up and down' and he has been playing video games late into the night.",
    "Reviewed the client's values worksheet and connected values to weekly goals.",
    "Pt states she has been more irritable with her kids, esp. in the evenings after work.",
]
FILLER_TAGS = [set(), set(), {P, I}, set(), set(), {P}, set(), set(), {P, I}, set()]
TYPOS = [("patient", "patinet"), ("session", "sesion"), ("therapy", "theraphy"), ("client", "cleint"),
         ("anxiety", "anxeity")]

PLATFORMS = ["Zoom", "Doxy.me", "secure video", "SimplePractice telehealth", "Microsoft Teams", "Google Meet",
             "HIPAA-compliant video platform", "VSee", "audio-video telehealth"]
LOCATIONS = [("home", ["Patient location: home.", "Client participated from her home.", "Pt located at home during session.",
                       "Patient at home.", "Client joined from his home in [city]."]),
             ("car", ["Client was in her parked car for the session.", "Patient location: car (parked)."]),
             ("work", ["Patient located at work in a private office.", "Client joined from work."]),
             ("school", ["Patient location: school (private counseling room)."])]
CONSENTS_YES = ["Verbal consent for telehealth obtained.", "Client consented to telehealth services.",
                "Telehealth consent on file and reconfirmed today.", "Informed consent for video session obtained."]
CONSENTS_NO = ["Telehealth consent: not documented this visit.", None]


TAGS = {}
for pool, tags in ((INTERVENTIONS, "INTERVENTION_TAGS"), (RESPONSES, "RESPONSE_TAGS"), (MSE, "MSE_TAGS"),
                   (RISK, "RISK_TAGS"), (PLANS, "PLAN_TAGS"), (MEDICAL_NECESSITY, "NECESSITY_TAGS"),
                   (FILLER, "FILLER_TAGS")):
    for sentence, tag in zip(pool, globals()[tags]):
        TAGS[sentence] = tag


def pick_dx(rng: random.Random, k: int):
    chosen = rng.sample(DX_POOL, k)
    return [(code, rng.choice(forms)) for code, forms in chosen]


def write_note(rng: random.Random, note_id: str) -> dict:
    kind = rng.choices(
        ["individual", "psychiatry", "intake", "crisis", "family", "family_absent", "group", "coaching", "em_only"],
        weights=[50, 14, 8, 6, 5, 4, 6, 2, 3],
    )[0]
    fmt = rng.choice(["SOAP", "DAP", "BIRP", "GIRP", "narrative"]) if kind in ("individual", "family", "family_absent", "crisis") else \
        ("psych" if kind in ("psychiatry", "em_only") else "narrative")
    note = Note()
    gold = {
        "psychotherapy_minutes": None, "em_minutes": None, "modality": None, "patient_location": None,
        "telehealth_consent": None, "interpreter": False, "interactive_complexity_factors": [],
        "em_present": False, "service_type": None, "diagnoses": [], "start_time": None, "end_time": None,
    }

    # Modality first: it shapes the header.
    modality = rng.choices(["in_person", "video", "audio_only", "switch", "undocumented"], weights=[38, 38, 12, 4, 8])[0]
    title = {
        "individual": rng.choice(["Individual Psychotherapy Progress Note", "Progress Note", "Therapy Note", "PROGRESS NOTE - Individual"]),
        "psychiatry": rng.choice(["Psychiatric Follow-up (Med Management + Psychotherapy)", "Psychiatry Progress Note"]),
        "intake": rng.choice(["Initial Evaluation / Intake", "Psychiatric Diagnostic Evaluation", "Intake Assessment"]),
        "crisis": rng.choice(["Crisis Session Note", "Crisis Intervention Note"]),
        "family": rng.choice(["Family Therapy Session", "Family Session Note (conjoint)"]),
        "family_absent": rng.choice(["Family Therapy Session - parents only", "Collateral Family Session"]),
        "group": rng.choice(["Group Therapy Note", "DBT Skills Group - Individual Member Note"]),
        "coaching": "Life Coaching Session Summary",
        "em_only": "Medication Management Visit",
    }[kind]
    note.add(title + "\n")
    if rng.random() < 0.5:
        note.add(f"Date of service: {rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/2026\n")

    # Time.
    minutes = rng.choice([16, 22, 28, 30, 35, 37, 38, 40, 44, 45, 47, 50, 52, 53, 55, 58, 60, 65, 75, 90])
    if kind == "crisis":
        minutes = rng.choice([35, 50, 60, 80, 95, 110])
    if kind in ("family", "family_absent"):
        minutes = rng.choice([26, 30, 45, 50, 55])
    em_minutes = rng.choice([10, 12, 15, 20]) if kind in ("psychiatry", "em_only") else None
    time_style = rng.choice(["clock", "clock", "stated", "both", "both_conflict", "scheduled", "none"]) \
        if kind not in ("psychiatry", "em_only") else "split"
    time_lines = []
    if time_style in ("clock", "both", "both_conflict"):
        text, start, end, _ = clock_phrase(rng, minutes)
        lead = rng.choice(["Session time: {x}", "Time: {x}", "Session {x}", "Seen {x}.", "Visit {x}"])
        # The span runs from the first time to the last ("from 9:00 until 9:45" marks "9:00 until 9:45").
        first_digit = next(i for i, ch in enumerate(text) if ch.isdigit())
        time_lines.append((lead.replace("{x}", text[:first_digit] + "{x}"), text[first_digit:], "CLOCK"))
        gold["start_time"], gold["end_time"] = start, end
        gold["psychotherapy_minutes"] = minutes
    if time_style in ("stated", "both"):
        lead = rng.choice(["Duration: {x}.", "Total session time: {x}.", "{x} session.", "Met with client for {x}.",
                           "Psychotherapy time {x}."])
        # A length is labelled by the words that name it (GUIDELINES.md "Spans").
        label = "PSY_TIME" if lead.startswith("Psychotherapy") else ("TOTAL_TIME" if lead.startswith("Total") else "DURATION")
        time_lines.append((lead, duration_phrase(rng, minutes), label))
        gold["psychotherapy_minutes"] = minutes
    if time_style == "both_conflict":
        stated = minutes + rng.choice([8, 10, 15])
        time_lines.append(("Session length: {x}.", duration_phrase(rng, stated), "DURATION"))
        gold["psychotherapy_minutes"] = minutes  # the smaller, clock-supported value
        gold["time_conflict"] = True
    if time_style == "scheduled":
        booked = 60 if minutes < 60 else 90
        actual = min(minutes, booked - 5)
        time_lines.append((rng.choice(["Scheduled for {x}; ", "Appointment slot {x}, "]), f"{booked} minutes", "SCHEDULED"))
        time_lines.append((rng.choice(["session ended at {x} due to client's work call.", "client left early, session lasted {x}."]),
                           f"{actual} minutes", "DURATION"))
        gold["psychotherapy_minutes"] = actual
    if time_style == "split":
        psy = minutes if kind == "psychiatry" else None
        if kind == "psychiatry":
            psy = rng.choice([16, 20, 25, 30, 38, 40, 45, 53])
            pattern = rng.choice(["semi", "spent", "separate"])
            if pattern == "semi":
                time_lines.append(("Medication management ~{x}; ", f"{em_minutes} min", "EM_TIME"))
                time_lines.append(("psychotherapy {x}; ", f"{psy} min", "PSY_TIME"))
                time_lines.append(("total {x}.", f"{em_minutes + psy}", "TOTAL_TIME"))
            elif pattern == "spent":
                time_lines.append(("Spent {x} on medication management ", f"{em_minutes} minutes", "EM_TIME"))
                time_lines.append(("and {x} in psychotherapy (separate from E/M).", f"{psy} minutes", "PSY_TIME"))
            else:
                time_lines.append(("E/M time: {x}. ", f"{em_minutes} min", "EM_TIME"))
                time_lines.append(("Psychotherapy time: {x} (CBT, separately documented below).", f"{psy} minutes", "PSY_TIME"))
            gold["psychotherapy_minutes"] = psy
        else:
            time_lines.append(("Visit length {x}, all medication management.", f"{em_minutes} minutes", "EM_TIME"))
        gold["em_minutes"] = em_minutes
        gold["em_present"] = True
    if time_style == "none":
        gold["psychotherapy_minutes"] = None

    # Header block (time, modality, location, consent, interpreter) in one of several layouts.
    header_lines: list[tuple] = []
    if modality == "in_person":
        header_lines.append(rng.choice(["Seen in office.", "Modality: in-person.", "In-person session at the clinic.",
                                        "Client seen in person."]))
        gold["modality"], gold["patient_location"] = "in_person", "clinic"
    elif modality in ("video", "switch"):
        platform = rng.choice(PLATFORMS)
        header_lines.append(rng.choice([f"Session conducted via {platform}.", f"Telehealth visit ({platform}).",
                                        f"Modality: video via {platform}."]))
        gold["modality"] = "video"
        if modality == "switch":
            header_lines.append(rng.choice(["Video connection dropped at 20 min; session completed by phone.",
                                            "Zoom froze repeatedly so we switched to phone for the remainder."]))
            gold["modality"] = "audio_only"
    elif modality == "audio_only":
        header_lines.append(rng.choice(["Session conducted by telephone (audio-only); client unable to use video.",
                                        "Audio-only telehealth visit; patient declined video.",
                                        "Phone session - client does not have internet access."]))
        gold["modality"] = "audio_only"
    if modality in ("video", "audio_only", "switch"):
        if rng.random() < 0.85:
            loc, phrases = rng.choice(LOCATIONS)
            header_lines.append(rng.choice(phrases))
            gold["patient_location"] = loc
        consent = rng.random()
        if consent < 0.7:
            header_lines.append(rng.choice(CONSENTS_YES))
            gold["telehealth_consent"] = True
        elif consent < 0.8:
            header_lines.append("Client did not consent to video recording; telehealth consent not obtained today.")
            gold["telehealth_consent"] = False
    interp = rng.choices(["none", "not_needed", "present", "barrier"], weights=[60, 15, 10, 15])[0]
    if kind in ("coaching", "em_only"):
        interp = "none"
    if interp == "not_needed":
        header_lines.append(rng.choice(["No interpreter needed.", "Interpreter: N/A (English-speaking).",
                                        "Client declined interpreter; prefers English."]))
    elif interp == "present":
        header_lines.append(rng.choice(["Spanish interpreter present throughout.", "Session conducted with a certified Vietnamese interpreter present.",
                                        "Interpreter (Arabic, via LanguageLine) present."]))
        gold["interpreter"] = True
    elif interp == "barrier":
        header_lines.append(rng.choice([
            "Professional Spanish interpreter used throughout due to client's limited English proficiency; interpretation slowed pacing and required frequent clarification.",
            "Client does not speak English; session conducted through a Somali interpreter, which complicated the work on cognitive restructuring.",
            "Language barrier: Mandarin interpreter required to communicate; several concepts had to be rephrased.",
        ]))
        gold["interpreter"] = True
        gold["interactive_complexity_factors"].append("interpreter_or_device")

    order = rng.random()
    for template, value, label in time_lines if order < 0.7 else []:
        note.add_marked(template + ("\n" if template.endswith(".") or template.endswith(".)") else " "), label, value)
    if order < 0.7 and time_lines and not note.text.endswith("\n"):
        note.add("\n")
    for line in header_lines:
        note.add(line + "\n")
    if order >= 0.7:
        for template, value, label in time_lines:
            note.add_marked(template + " ", label, value)
        if time_lines:
            note.add("\n")

    # Service type specifics.
    service = {"individual": "individual", "psychiatry": "individual", "intake": "diagnostic_eval", "crisis": "crisis",
               "family": "family_with_patient", "family_absent": "family_without_patient", "group": "group",
               "coaching": "other", "em_only": "em_only"}[kind]
    gold["service_type"] = service
    body: list[str] = []
    elements: set[str] = set()  # documentation elements the note carries (gold for the gap checks)
    if kind == "crisis":
        elements |= {K, I, R, N}
        body += [rng.choice(["Client called in acute crisis after a fight with partner, reporting SI with plan.",
                             "Pt presented in crisis following a job loss; endorsed passive SI."]),
                 "Completed suicide risk assessment (C-SSRS); moderate risk.",
                 rng.choice(["Collaboratively developed a written safety plan, including means restriction.",
                             "Safety plan revised; client removed firearm from home with brother's help."]),
                 "Used de-escalation and grounding; client calmer by end of session."]
        gold["crisis_elements"] = ["risk_assessment", "safety_planning", "de_escalation"]
    if kind in ("family", "family_absent"):
        if kind == "family":
            body.append(rng.choice(["Family session with client (14 y/o) and both parents present.",
                                    "Conjoint session with patient and her mother."]))
        else:
            body.append(rng.choice(["Met with parents only; patient not present.",
                                    "Parent-only family session (identified patient not present) to address behavior plan."]))
            elements |= {P} if "behavior plan" in body[-1] else set()
        if rng.random() < 0.4:
            body.append("Parents argued with each other and talked over one another, requiring redirection to keep the session on task.")
            gold["interactive_complexity_factors"].append("maladaptive_communication")
    if kind == "group":
        n = rng.randint(4, 10)
        body.append(rng.choice([f"{n} members present.", f"Group size: {n}.", f"{n} participants attended the group."]))
        body.append("Member participated actively in skills review and shared an example of opposite action.")
        elements |= {R, I}
    if kind == "intake":
        body += ["Completed biopsychosocial assessment: presenting problem, psychiatric history, substance use, trauma history, family and social history.",
                 "Mental status exam completed (see below). Initial treatment plan developed with client."]
        elements |= {P}
        if rng.random() < 0.4:
            body.append("Prescribed sertraline 25 mg daily; ordered TSH and CBC; vitals reviewed.")
            gold["diagnostic_eval_medical"] = True
    if kind == "coaching":
        body.append("Life coaching session focused on career goals and time management. No clinical diagnosis.")
    if kind in ("psychiatry", "em_only"):
        body.append(rng.choice(["Medication management: tolerating sertraline 100 mg without side effects; sleep improved. Continue current dose.",
                                "Med management: increased bupropion XL to 300 mg; reviewed risks/benefits; labs reviewed."]))
        elements |= {P} if "Continue current" in body[-1] else set()
        if kind == "psychiatry":
            body.append("Psychotherapy: supportive therapy and CBT for negative self-talk, separate from the medication discussion.")
            elements |= {I}
    if kind == "individual" and rng.random() < 0.12:
        factor = rng.choice(["caregiver", "sentinel"])
        if factor == "caregiver":
            body.append("Pt's mother repeatedly interrupted and answered for him, interfering with the treatment plan; clinician redirected and set limits.")
            gold["interactive_complexity_factors"].append("caregiver_interference")
            elements |= {P}
        else:
            body.append("Client disclosed ongoing physical abuse by stepfather; clinician discussed mandated reporting with client and filed a report with CPS during session.")
            gold["interactive_complexity_factors"].append("sentinel_event")
    if kind == "individual" and rng.random() < 0.1:
        body.append("No mandated report required; no caregiver interference noted.")

    # Diagnoses.
    dx_lines = []
    if kind != "coaching":
        for code, written in pick_dx(rng, rng.choice([1, 1, 2, 2, 3])):
            dx_lines.append((written, code))
            gold["diagnoses"].append({"code": code, "status": "affirmed"})
    if rng.random() < 0.35 and kind != "coaching":
        text, code, status = rng.choice(DISTRACTOR_DX)
        body.append(text)
        elements |= {P} if "next session" in text else set()
        if code and code not in {d["code"] for d in gold["diagnoses"]}:
            gold["diagnoses"].append({"code": code, "status": status})

    # Assemble by format.
    sections = {
        "SOAP": [("Subjective:", [rng.choice(FILLER), rng.choice(FILLER)]), ("Objective:", [rng.choice(MSE)]),
                 ("Assessment:", [rng.choice(RESPONSES), rng.choice(MEDICAL_NECESSITY)]),
                 ("Plan:", [rng.choice(PLANS)])],
        "DAP": [("Data:", [rng.choice(FILLER), rng.choice(INTERVENTIONS)]),
                ("Assessment:", [rng.choice(RESPONSES), rng.choice(RISK)]), ("Plan:", [rng.choice(PLANS)])],
        "BIRP": [("Behavior:", [rng.choice(FILLER)]), ("Intervention:", [rng.choice(INTERVENTIONS)]),
                 ("Response:", [rng.choice(RESPONSES)]), ("Plan:", [rng.choice(PLANS)])],
        "GIRP": [("Goal:", ["Reduce avoidance and improve mood."]), ("Intervention:", [rng.choice(INTERVENTIONS)]),
                 ("Response:", [rng.choice(RESPONSES)]), ("Plan:", [rng.choice(PLANS)])],
        "narrative": [("", [rng.choice(FILLER), rng.choice(INTERVENTIONS), rng.choice(RESPONSES), rng.choice(RISK),
                            rng.choice(PLANS)])],
        "psych": [("Interval history:", [rng.choice(FILLER)]), ("MSE:", [rng.choice(MSE)]),
                  ("Risk assessment:", [rng.choice(RISK)]), ("Plan:", [rng.choice(PLANS)])],
    }[fmt]
    header_style = rng.choice(["title", "upper", "abbrev"])
    for header, sentences in sections:
        if header:
            shown = header.upper() if header_style == "upper" else (header[0] + ":" if header_style == "abbrev" and fmt == "SOAP" else header)
            note.add(shown + (" " if rng.random() < 0.6 else "\n"))
        extra = body if header in ("Subjective:", "Data:", "Behavior:", "Goal:", "", "Interval history:") else []
        if header == "Goal:":
            elements.add(P)
        for sentence in extra + sentences:
            elements |= TAGS.get(sentence, set())
            if sentence in DISTRACTOR_MENTION:
                code, status = DISTRACTOR_OF[sentence]
                mention = DISTRACTOR_MENTION[sentence]
                note.add_marked(sentence.replace(mention, "{x}", 1) + " ", "DX", mention, code=code,
                                **dx_attributes(status))
            else:
                note.add(sentence + " ")
        note.add("\n")
    # Length variety: some long narrative notes.
    if rng.random() < 0.25:
        therapy_notes = kind not in ("em_only", "coaching", "intake")
        for _ in range(rng.randint(5, 40)):
            sentence = rng.choice(FILLER + INTERVENTIONS + RESPONSES if therapy_notes else FILLER)
            elements |= TAGS.get(sentence, set())
            note.add(sentence + " ")
        note.add("\n")

    dx_label = rng.choice(["Dx:", "Diagnosis:", "Diagnoses:", "DIAGNOSIS:", "ICD-10:"])
    if dx_lines:
        note.add(dx_label + ("\n" if len(dx_lines) > 1 and rng.random() < 0.5 else " "))
        sep = "\n" if note.text.endswith("\n") else "; "
        for i, (written, code) in enumerate(dx_lines):
            note.add(written, "DX", code=code, **dx_attributes("affirmed"))
            if i < len(dx_lines) - 1:
                note.add(sep)
        note.add("\n")
    note.add(rng.choice(["Signed: J. Rivera, LCSW", "Electronically signed by A. Chen, PsyD", "-- M. Okafor, MD",
                         "Clinician: T. Nguyen, LMHC"]) + "\n")

    text = note.text
    if rng.random() < 0.15:  # a typo that must not matter
        wrong, typo = rng.choice(TYPOS)
        position = text.find(wrong)
        if position > 0 and not any(s["start"] <= position < s["end"] for s in note.spans):
            text = text[:position] + typo + text[position + len(wrong):]
            delta = len(typo) - len(wrong)
            for span in note.spans:
                if span["start"] > position:
                    span["start"] += delta
                    span["end"] += delta
    gold["interactive_complexity_factors"] = sorted(set(gold["interactive_complexity_factors"]))
    if kind == "intake":
        # 90791/90792 are untimed: an evaluation's length is not psychotherapy time (GUIDELINES.md "Minutes").
        gold["psychotherapy_minutes"] = None
    gold["gaps"] = gold_gaps(gold, elements, time_style)
    return {"note_id": note_id, "text": text, "spans": note.spans, "gold": gold,
            "meta": {"kind": kind, "format": fmt, "time_style": time_style, "modality_style": modality,
                     "synthetic": True, "written_for": "development"}}


THERAPY = {"individual", "crisis", "family_with_patient", "family_without_patient", "group"}
TIMED = {"individual", "crisis", "family_with_patient", "family_without_patient"}
SERVICES = THERAPY | {"diagnostic_eval"}


def gold_gaps(gold: dict, elements: set, time_style: str) -> list[str]:
    """Gap ids an auditor would flag on this note, by GUIDELINES.md ("Documentation gaps")."""
    service, gaps = gold["service_type"], []
    if service in TIMED:
        if gold["psychotherapy_minutes"] is None:
            gaps.append("missing_total_minutes")
        if gold["start_time"] is None:
            gaps.append("missing_start_stop_times")
        if time_style == "both_conflict":
            gaps.append("time_inconsistent")
    elif service == "group" and gold["start_time"] is None:
        gaps.append("missing_start_stop_times")  # untimed code, but an auditor still asks when it ran
    if not any(d["status"] == "affirmed" for d in gold["diagnoses"]):
        gaps.append("missing_diagnosis")
    for element, services in ((I, THERAPY), (R, THERAPY), (N, SERVICES), (P, SERVICES | {"em_only", "other"}), (K, SERVICES)):
        if service in services and element not in elements:
            gaps.append({I: "missing_interventions", R: "missing_patient_response", N: "missing_medical_necessity",
                         P: "missing_treatment_plan", K: "missing_risk_assessment"}[element])
    if service in SERVICES | {"em_only"} and gold["modality"] is None:
        gaps.append("missing_modality")
    if gold["modality"] in ("video", "audio_only"):
        if gold["patient_location"] is None:
            gaps.append("missing_telehealth_location")
        if gold["telehealth_consent"] is not True:
            gaps.append("missing_telehealth_consent")
    if service == "individual" and gold["em_present"] and gold["psychotherapy_minutes"] is None:
        gaps.append("em_psychotherapy_not_separated")
    if gold["interpreter"] and not gold["interactive_complexity_factors"]:
        gaps.append("interactive_complexity_factor_unstated")
    return sorted(gaps)


def main() -> None:
    rng = random.Random(SEED)
    for split, count in SPLITS:
        out = HERE / split / f"{split}.jsonl"
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8") as handle:
            for index in range(1, count + 1):
                note = write_note(rng, f"{split}-{index:03d}")
                note["meta"]["split"] = split
                handle.write(json.dumps(note, ensure_ascii=False) + "\n")
        print(f"wrote {count} notes to {out}")


if __name__ == "__main__":
    main()
