"""Notes phrased the way clinicians write them, written separately from the development corpus generator.

Each note was written before the rules that now read it were tuned; they guard against fitting the
synthetic corpus only. Expected values follow annotations/GUIDELINES.md."""

import pytest

CASES = [
    ('Session: 55 min (face-to-face). Client seen via doxy.me from her apartment. Consent to treat via telehealth reviewed.\nDx: F41.1; F33.0',
     {'psychotherapy_minutes': 55, 'modality': 'video', 'patient_location': 'home', 'telehealth_consent': True, 'dx': {'F41.1', 'F33.0'}}),
    ('Started 13:05, ended 13:42. Pt present in office with wife (wife provided collateral info). Dx: F10.20 AUD moderate',
     {'psychotherapy_minutes': 37, 'modality': 'in_person', 'service_type': 'individual', 'dx': {'F10.20'}}),
    ('1:1 therapy, 60 min, telephonic (pt has no video). Pt reports she was driving during session - advised to pull over; pt parked. Dx: PTSD',
     {'psychotherapy_minutes': 60, 'modality': 'audio_only', 'patient_location': 'car', 'dx': {'F43.10'}}),
    ('Pt no-showed. Called pt, left VM. No session.',
     {'psychotherapy_minutes': None, 'dx': set()}),
    ('Therapy note: 3:30-4:20. Mother present for first 10 minutes to give update, then session continued with patient alone. Play therapy with 7 yo. Dx: adjustment disorder with disturbance of conduct',
     {'psychotherapy_minutes': 50, 'service_type': 'individual', 'dx': {'F43.24'}}),
    ('Video session (Google Meet) 45 mins. Pt joined from her car in the parking lot at work. Discussed upcoming court date. Dx: F43.12',
     {'psychotherapy_minutes': 45, 'modality': 'video', 'patient_location': 'car', 'dx': {'F43.12'}}),
    ('Session length 53 minutes, however first 8 minutes were spent on scheduling and paperwork. Dx F41.1',
     {'psychotherapy_minutes': 45}),
    ('MDD, recurrent, in partial remission. GAD. Insomnia. Seen in office for 40 minutes of CBT.',
     {'psychotherapy_minutes': 40, 'dx': {'F41.1', 'F33.41'}}),
    ('Pt denies depression today; hx of MDD. Current dx: GAD (F41.1). 30 min session in office.',
     {'psychotherapy_minutes': 30, 'dx': {'F41.1'}}),
    ("Session 9:00-9:45. No SI/HI. Pt's father has schizophrenia. Pt does not meet criteria for PTSD. Dx: Panic disorder",
     {'psychotherapy_minutes': 45, 'dx': {'F41.0'}}),
    ('CLIENT: J.D.   DOS 10/14/2025   CPT: 90834\nPlace of service: 10 (telehealth in pt home)\nTime in: 9:02a  Time out: 9:49a\nPt seen via Doxy for individual tx. Pt reports she is at home alone in her bedroom. Consent for tele-mental health reviewed and signed 1/2025.\nS/O: pt tearful, reports worsening sleep.\nIntervention: CBT-I psychoeducation, sleep restriction discussed.\nDx: F33.1, F51.01',
     {'psychotherapy_minutes': 47, 'modality': 'video', 'patient_location': 'home', 'telehealth_consent': True, 'dx': {'F33.1', 'F51.01'}}),
    ('Pt seen for 53 min psychotherapy session in office today. Pt is a 34yo M w/ hx of MDD and GAD. Denies SI/HI. Mood improved on Lexapro (prescribed by PCP). Used MI and CBT. Plan: RTC 1 wk.\nDiagnosis: Generalized anxiety disorder; MDD recurrent, mild',
     {'psychotherapy_minutes': 53, 'modality': 'in_person', 'dx': {'F41.1', 'F33.0'}}),
    ("Session start 1:00pm, session end 1:38pm. Telephonic session as client's internet was down. Client at work on lunch break, in her car. Verbally consented to audio only.\nDx: Adjustment disorder w/ anxiety (F43.22)",
     {'psychotherapy_minutes': 38, 'modality': 'audio_only', 'telehealth_consent': True, 'dx': {'F43.22'}}),
    ("90837 - 60 min. Virtual session (video) through SimplePractice. Cl. located at home in CA. Cl consents to telehealth.\nCl discussed grief re: mother's passing 3 mo ago. Provided grief-focused therapy.\nDX: F43.81",
     {'psychotherapy_minutes': 60, 'modality': 'video', 'patient_location': 'home', 'telehealth_consent': True, 'dx': {'F43.81'}}),
    ('Psychiatric Med Check\nE/M 99214. Pt on sertraline 150mg, stable. Also did 20 minutes of supportive psychotherapy focused on work stressors (separate from med mgmt). Total visit 35 min.\nA/P: MDD, single episode, in partial remission. Cont meds.',
     {'psychotherapy_minutes': 20, 'em_minutes': None, 'em_present': True, 'dx': {'F32.4'}}),
    ('The patient was seen from 3:15 to 4:05 for individual psychotherapy. The patient was accompanied by her daughter who served as interpreter since the patient speaks only Vietnamese. Discussed medication adherence and coping with chronic pain.\nImpression: Major depressive disorder, recurrent, moderate.',
     {'psychotherapy_minutes': 50, 'interpreter': True, 'factors': ['interpreter_or_device'], 'dx': {'F33.1'}}),
    ('Family therapy (90847), 55 minutes. Present: client (16), mother, stepfather. Mother became tearful and repeatedly interrupted the client, and her distress interfered with agreeing on the behavior contract.\nDx: ODD (F91.3), ADHD combined presentation',
     {'psychotherapy_minutes': 55, 'service_type': 'family_with_patient', 'factors': ['caregiver_interference'], 'dx': {'F90.2', 'F91.3'}}),
    ('Group: Anger Management (90853). 7 participants. Duration 90 min. Member actively participated and shared coping strategy.\nDx: Intermittent explosive disorder F63.81',
     {'psychotherapy_minutes': 90, 'service_type': 'group', 'dx': {'F63.81'}}),
    ('Crisis visit - walk-in. Pt presented with active SI, plan to overdose. 9:10-10:25. Conducted risk assessment, developed safety plan with pt and spouse, coordinated with mobile crisis. Pt agreed to voluntary admission.\nDx: MDD recurrent severe w/o psychotic features',
     {'psychotherapy_minutes': 75, 'service_type': 'crisis', 'dx': {'F33.2'}}),
    ('Intake. Initial diagnostic evaluation completed today, 75 min. History obtained from pt. MSE: WNL except anxious affect. Pt denies substance use. No family hx of mental illness.\nDiagnostic impression: PTSD, chronic; r/o panic disorder',
     {'service_type': 'diagnostic_eval', 'dx': {'F43.12'}}),
    ('Progress Note. Therapist met w/ client for 45 mins via telehealth (Zoom). No interpreter used. Client was at her office at work. Worked on assertiveness skills.\nDx F41.1',
     {'psychotherapy_minutes': 45, 'modality': 'video', 'patient_location': 'work', 'interpreter': False, 'dx': {'F41.1'}}),
    ('Individual session 11:50 AM - 12:41 PM. In-person at clinic. Client shared that her sister has bipolar disorder and her father had alcohol use disorder. Client denies depression. Worked on DBT emotion regulation.\nDiagnosis: Borderline personality disorder (F60.3)',
     {'psychotherapy_minutes': 51, 'modality': 'in_person', 'dx': {'F60.3'}}),
    ('Session length: 38 minutes (scheduled 45). Modality: Video. Location of patient: Home. Consent: Verbal consent to telehealth obtained.\nDx: F90.0',
     {'psychotherapy_minutes': 38, 'modality': 'video', 'patient_location': 'home', 'telehealth_consent': True, 'dx': {'F90.0'}}),
    ('SOAP NOTE\nS: "I\'ve been having a hard time." Reports panic attacks 2-3x/week lasting 15-20 minutes.\nO: Anxious, fidgety.\nA: Panic disorder w/o agoraphobia, improving slowly.\nP: Cont. weekly 45-minute sessions.\nTime: 2:00-2:45pm',
     {'psychotherapy_minutes': 45, 'dx': {'F41.0'}}),
    ('Tx plan review + psychotherapy. 16 min. Patient participated by phone due to transportation issues; declined video. Pt at home.\nDx: Schizoaffective disorder, bipolar type',
     {'psychotherapy_minutes': 16, 'modality': 'audio_only', 'patient_location': 'home', 'dx': {'F25.0'}}),
    ('Date: 2/3/26\nType: Individual Psychotherapy\nStart Time: 16:00\nEnd Time: 16:52\nLocation: Telehealth - client at home\nPlatform: Zoom\nInformed consent for telehealth services was obtained.\nProblems addressed: depression, relationship stress\nInterventions: CBT, behavioral activation\nDiagnosis: F32.1 Major depressive disorder, single episode, moderate',
     {'psychotherapy_minutes': 52, 'modality': 'video', 'patient_location': 'home', 'telehealth_consent': True, 'dx': {'F32.1'}}),
    ('Met with pt face-to-face in clinic for 30 min individual psychotherapy. Pt reports SI passive, no plan, no intent. Safety plan reviewed. Dx: bipolar I disorder, current episode depressed, moderate',
     {'psychotherapy_minutes': 30, 'modality': 'in_person', 'service_type': 'individual', 'dx': {'F31.32'}}),
    ('Couples session 50 minutes (client and husband present) via video. Both partners located at their home. They argued repeatedly and talked over one another, limiting progress. Dx: Z63.0',
     {'psychotherapy_minutes': 50, 'service_type': 'family_with_patient', 'modality': 'video', 'factors': ['maladaptive_communication'], 'dx': {'Z63.0'}}),
    ('Pt is a 15 y/o F seen with mother. Session time 10:30–11:20. Mom answered questions for pt and undermined the exposure plan during session. Discussed with mom privately. Dx: OCD',
     {'psychotherapy_minutes': 50, 'factors': ['caregiver_interference'], 'dx': {'F42.2'}}),
    ('Video visit. 40 min. Pt located in her dorm room at college. Consent obtained. Dx: Social anxiety disorder (F40.10); history of anorexia nervosa',
     {'psychotherapy_minutes': 40, 'modality': 'video', 'patient_location': 'home', 'telehealth_consent': True, 'dx': {'F40.10'}}),
    ('Psychotherapy 9:00-9:30 then break for pt to take a call, resumed 9:40-10:05. Total psychotherapy 55 min. In person.',
     {'psychotherapy_minutes': 55, 'modality': 'in_person'}),
    ("Telehealth session. Modality: audio/video. Start 2:03 PM. End 2:42 PM. Client's location: parked car outside work. Client gave verbal consent for telehealth.",
     {'psychotherapy_minutes': 39, 'modality': 'video', 'patient_location': 'car', 'telehealth_consent': True}),
    ('Pt disclosed that her boyfriend has been hitting her 6-year-old; clinician explained mandated reporter obligations and called DCFS hotline with pt present. 45 minute session. Dx: F43.10',
     {'psychotherapy_minutes': 45, 'factors': ['sentinel_event'], 'dx': {'F43.10'}}),
    ('Session Duration: 60 minutes\nSession Type: Individual\nService Setting: Office\nClient denies need for interpreter.\nDX: F41.1 GAD, F33.0 MDD recurrent mild',
     {'psychotherapy_minutes': 60, 'modality': 'in_person', 'interpreter': False, 'dx': {'F41.1', 'F33.0'}}),
    ('Asynchronous check-in messages reviewed (not billable). No session today.',
     {'psychotherapy_minutes': None}),
    ('Pt participated in 45 minute session from home via phone (pt does not have video capability). Telehealth consent on file.\nDx: Alcohol use disorder, severe, in early remission',
     {'psychotherapy_minutes': 45, 'modality': 'audio_only', 'patient_location': 'home', 'telehealth_consent': True, 'dx': {'F10.21'}}),
    ('ASL interpreter present for Deaf client throughout session; communication through interpreter required additional time for clarification. 1400-1450. Dx: F43.23',
     {'psychotherapy_minutes': 50, 'interpreter': True, 'factors': ['interpreter_or_device'], 'dx': {'F43.23'}}),
    ('Med management only today - 15 min. Lithium level reviewed. Continue lithium 900 mg. Dx: Bipolar disorder, current episode hypomanic',
     {'service_type': 'em_only', 'em_present': True, 'dx': {'F31.0'}}),
    ('Play therapy session with 5 y/o using toys and puppets to express feelings, as child has limited expressive language. 45 min. Dx: F84.0',
     {'psychotherapy_minutes': 45, 'factors': ['interpreter_or_device'], 'dx': {'F84.0'}}),
    ('Individual therapy 38 minutes. Patient denies depression, anxiety. Dx: F43.21',
     {'psychotherapy_minutes': 38, 'dx': {'F43.21'}}),
    ('PSYCHIATRIC EVALUATION\nHPI: six months of depressed mood and passive suicidal thoughts without plan.\nDIAGNOSES:\nAxis I: Major depressive disorder, recurrent, severe without psychotic features.\nAxis III: Hypothyroidism.\nPLAN: Start escitalopram 10 mg daily. Return in 4 weeks.',
     {'service_type': 'diagnostic_eval', 'dx': {'F33.2', 'E03.9'}, 'risk_screen': 'documented'}),
    ('Telehealth (video) 10:00-10:53. Patient located in Texas. Consent on file. CBT for worry. Dx: F41.1',
     {'modality': 'video', 'patient_location': 'other', 'telehealth_consent': True}),
    ('Session in office 45 min. Client was located in Ohio last week for a funeral; processed grief. Dx: F43.21',
     {'modality': 'in_person', 'patient_location': 'clinic'}),
    ('Date of Visit: 4 March 2026\nIndividual therapy 45 min in office. Dx: F41.1',
     {'date_of_service': '2026-03-04', 'psychotherapy_minutes': 45}),
    ('Date of session: Tues 3/4/2026\nNext appointment: 3/11/2026.\nIndividual therapy 45 min in office. Dx: F41.1',
     {'date_of_service': '2026-03-04'}),
    ('Telehealth Progress Note\nPt seen via Doxy 3:02p-3:55p. Pt located in her car, parked outside work (private). Consent for TH reviewed and pt agreed.\nI: CBT - interoceptive exposure.\nDx: Panic disorder (F41.0); Unspecified insomnia',
     {'psychotherapy_minutes': 53, 'modality': 'video', 'patient_location': 'car', 'telehealth_consent': True, 'dx': {'F41.0', 'G47.00'}}),
    ('Progress note - individual\nASL interpreter present for entire session (client is Deaf; interpreter required to communicate).\n45 min psychotherapy, in person. Role play of assertiveness scripts.\nDx: Social anxiety disorder (social phobia) F40.10',
     {'psychotherapy_minutes': 45, 'interpreter': True, 'factors': ['interpreter_or_device'], 'dx': {'F40.10'}}),
    ('Family Therapy\nConjoint session with pt (16) and her mother, 50 minutes, telehealth via Zoom; both at home. Consent on file.\nDx: F91.3 ODD',
     {'psychotherapy_minutes': 50, 'service_type': 'family_with_patient', 'modality': 'video', 'patient_location': 'home', 'telehealth_consent': True, 'dx': {'F91.3'}}),
    ('Psychiatric follow-up\nE/M: 99214 based on MDM. Psychotherapy add-on: 20 min of supportive psychotherapy (separate from E/M).\nVideo visit (Zoom); pt at home; consent documented.\nDx: F33.1, F41.1',
     {'psychotherapy_minutes': 20, 'em_present': True, 'modality': 'video', 'patient_location': 'home', 'telehealth_consent': True, 'dx': {'F33.1', 'F41.1'}}),
    ('PSYCHIATRIC MEDICATION MANAGEMENT\nSeen in clinic. Mood stable on lithium 900 mg qhs. No SI/HI.\nA/P: Bipolar I disorder, most recent episode depressed, in partial remission - continue lithium. RTC 3 months.',
     {'service_type': 'em_only', 'em_present': True, 'dx': {'F31.75'}}),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_clinician_phrasing(facts, text, expected):
    f = facts(text)
    for key, value in expected.items():
        if key == "dx":
            got = {d["code"] for d in f["diagnoses"] if d["status"] == "affirmed"}
        elif key == "factors":
            got = f["interactive_complexity_factors"]
        else:
            got = f[key]
        assert got == value, key


# Coding through analyze: notes written to probe the selector with real phrasing.
CODING_CASES = [
    ('Psychiatric follow-up. Pt seen in clinic.\nE/M: 99214 based on moderate MDM (2 chronic illnesses, Rx drug management).\nPsychotherapy (separate from E/M): 20 minutes of supportive therapy addressing grief.\nDx: F33.1',
     {'psychotherapy_minutes': 20, 'em_present': True, 'em_code': '99214', 'codes': ['99214', '90833']}),
    ('Teletherapy session via HIPAA-compliant platform. Client in her home. Total time: 60 minutes. Challenged cognitive distortions and processed grief. Dx: F43.21',
     {'psychotherapy_minutes': 60, 'modality': 'video', 'patient_location': 'home', 'codes': ['90837']}),
    ('10a-10:53a individual session in office. Dx: F41.1',
     {'psychotherapy_minutes': 53, 'start_time': '10:00', 'end_time': '10:53', 'codes': ['90837']}),
    ('Client was seen for 38 min. Seen in person at clinic. Dx F43.23',
     {'psychotherapy_minutes': 38, 'codes': ['90834']}),
    ('Session x 53 minutes in office. Dx: F33.2',
     {'psychotherapy_minutes': 53, 'codes': ['90837']}),
    ('Duration of session: 52 minutes. In-person. Dx: F40.10',
     {'psychotherapy_minutes': 52, 'codes': ['90834']}),
    ("Phone call with client's probation officer re: attendance (10 min, non-billable). No session today.",
     {'codes': []}),
    ('Pt seen with Spanish interpreter via video, 30 minutes, patient at home; consent obtained. Dx: F32.1',
     {'psychotherapy_minutes': 30, 'modality': 'video', 'interpreter': True, 'codes': ['90832']}),
    ('Group psychotherapy, 6 members, 90 minutes, DBT skills. Dx: F60.3',
     {'service_type': 'group', 'codes': ['90853']}),
    ('Initial psychiatric evaluation with medication recommendations; started fluoxetine 10 mg. 60 min. Dx: F32.1',
     {'service_type': 'diagnostic_eval', 'codes': ['90792']}),
    ('Intake assessment completed by LCSW, 55 minutes, in person. Biopsychosocial history obtained. Dx: F41.1',
     {'service_type': 'diagnostic_eval', 'codes': ['90791']}),
    ('Couples therapy 60 min in office, both partners present. Dx: Z63.0',
     {'service_type': 'family_with_patient', 'codes': ['90847']}),
    ('Follow-up visit for ADHD medication, in office. Vitals reviewed. Continue methylphenidate ER 36 mg. Also discussed coping strategies for school stress.\nDx: F90.2',
     {'service_type': 'em_only', 'em_present': True, 'codes': ['E/M']}),
    ('Psychiatry f/u via Zoom (pt at home; consent on file). Total time 30 min, of which 16 min psychotherapy (supportive). Continue sertraline 100 mg.\nDx: F33.1',
     {'em_present': True, 'psychotherapy_minutes': 16, 'codes': ['E/M', '90833']}),
    ('Therapy session 45 min in office. Client has psychiatry follow-up next week for her medications. CBT for worry.\nDx: F41.1',
     {'em_present': False, 'codes': ['90834']}),
    ('CHILD PSYCHIATRY CONSULTATION\nREASON FOR REFERRAL: 9-year-old boy referred by school for inattention.\nIMPRESSION: Attention-deficit/hyperactivity disorder, combined presentation.\nRECOMMENDATIONS: Trial of methylphenidate; parent management training.',
     {'service_type': 'diagnostic_eval', 'diagnostic_eval_medical': True, 'codes': ['90792']}),
    ('Intake assessment by LCSW, 60 min, in person. Client asked whether to start sertraline; advised to discuss with PCP.\nDx: F41.1',
     {'service_type': 'diagnostic_eval', 'codes': ['90791']}),
    ('Initial psychiatric evaluation. 60 min in office. Recommend starting sertraline 50 mg daily.\nDx: F33.1',
     {'service_type': 'diagnostic_eval', 'diagnostic_eval_medical': True, 'codes': ['90792']}),
    ('Initial evaluation in office. Patient previously prescribed fluoxetine 20 mg by PCP, stopped last year. Recommend weekly therapy.\nDx: F32.1',
     {'service_type': 'diagnostic_eval', 'diagnostic_eval_medical': False, 'codes': ['90791']}),
    ('Session duration: 0:45. Office visit.\nCBT for depression; reviewed thought records.\nDx: F33.1',
     {'psychotherapy_minutes': 45, 'modality': 'in_person', 'codes': ['90834']}),
    ("Home visit: session conducted in client's home, 60 minutes. Worked on medication adherence and coping skills.\nDx: F20.9",
     {'psychotherapy_minutes': 60, 'modality': 'in_person', 'patient_location': 'home', 'codes': ['90837'], 'pos': ['12']}),
    ('School-based session at the school counseling office, 30 min.\nDx: F90.2',
     {'modality': 'in_person', 'patient_location': 'school', 'codes': ['90832'], 'pos': ['03']}),
    ('Pt declined video; phone used for the session. 25 minutes. Pt at home.\nDx: F32.1',
     {'psychotherapy_minutes': 25, 'modality': 'audio_only', 'patient_location': 'home'}),
    ('Session conducted via telephone due to lack of broadband; client in her kitchen at home. 40 minutes.\nDx: F41.1',
     {'psychotherapy_minutes': 40, 'modality': 'audio_only', 'patient_location': 'home'}),
    ("Individual tx session 45 minutes. Seen in person. Pt's son interpreted (Spanish) as pt speaks limited English.\nDx: F32.1",
     {'psychotherapy_minutes': 45, 'interpreter': True, 'interactive_complexity_factors': ['interpreter_or_device'],
      'codes': ['90834', '90785']}),
    ('Duration of session: 1 hour. Modality: telehealth (video). Location of client: home. Consent: yes.\nDx: F41.1',
     {'psychotherapy_minutes': 60, 'modality': 'video', 'patient_location': 'home', 'telehealth_consent': True}),
    ('Session 10:00-10:50 in office. Pt previously reported abuse last year and a CPS report was made at that time. Processed shame.\nDx: F43.10',
     {'interactive_complexity_factors': [], 'codes': ['90834']}),
    ('Therapy session 45 min. She had been in the hospital last month after a fall. Worked on pacing.\nDx: F41.1',
     {'modality': None}),
    ('Session 10:00-10:50 in office with 6-year-old; used play therapy with dolls and drawings because child lacks verbal skills to describe the trauma.\nDx: F43.10',
     {'interactive_complexity_factors': ['interpreter_or_device'], 'codes': ['90834', '90785']}),
    ('Session 45 min in office. Client brought drawings she made this week as homework; discussed language used at school.\nDx: F41.1',
     {'interactive_complexity_factors': [], 'codes': ['90834']}),
    ('Intake assessment, 60 min, in person. Reviewed limits of confidentiality, including that the writer is a mandated reporter; no disclosures made.\nDx: F41.1',
     {'interactive_complexity_factors': [], 'codes': ['90791']}),
    ('Individual session 45 min in office. Client reports her parents argued at home all weekend, which upsets her. CBT for worry.\nDx: F41.1',
     {'interactive_complexity_factors': [], 'codes': ['90834']}),
    ('Family session 50 min in office. Mother reported that she feels unheard, then the parents argued with each other, requiring redirection.\nDx: F91.3',
     {'interactive_complexity_factors': ['maladaptive_communication'], 'codes': ['90847']}),
    ('Group therapy, 60 minutes, in person. Member shared a trigger and practiced grounding.\nDx: F41.1',
     {'service_type': 'group', 'codes': ['90853']}),
    ('Individual therapy 45 min in office. Client also attends group therapy on Tuesdays.\nDx: F41.1',
     {'service_type': 'individual', 'codes': ['90834']}),
    ('Multi-family group, 90 min, in person, 4 families present. Psychoeducation on ADHD and parenting skills.\nDx: F90.2',
     {'service_type': 'group', 'multiple_family_group': True, 'group_participants': 4, 'codes': ['90849']}),
    ('Process group 75 min, in person; group census 9. Client engaged and shared a trigger.\nDx: F33.1',
     {'service_type': 'group', 'group_participants': 9, 'codes': ['90853']}),
    ('Group psychotherapy, 60 min, in person, with 5 other group members. Client practiced assertive requests.\nDx: F41.1',
     {'group_participants': 6, 'codes': ['90853']}),
    ('Patient participated via telephone; video not available. 45 min. Supportive therapy.\nDx: F41.1',
     {'psychotherapy_minutes': 45, 'modality': 'audio_only', 'codes': ['90834']}),
    ("Session 2:00-2:53 PM in office. Pt's mother joined for the last 10 minutes to review the safety plan.\nDx: F32.2",
     {'psychotherapy_minutes': 53, 'time_conflicts': [], 'codes': ['90837']}),
    ('Last 45 min session before her move; in office. Reviewed relapse-prevention plan.\nDx: F41.1',
     {'psychotherapy_minutes': 45, 'codes': ['90834']}),
    ('PSYCHIATRIC CONSULTATION\nREASON FOR CONSULTATION: depression after a hip fracture.\nMENTAL STATUS: Elderly woman lying in bed, cooperative, mood sad.\nIMPRESSION: Major depressive disorder, recurrent, moderate.\nRECOMMENDATIONS: Start sertraline 25 mg daily. Will follow while in hospital.',
     {'service_type': 'diagnostic_eval', 'modality': 'in_person', 'codes': ['90792']}),
    ('EMERGENCY DEPARTMENT VISIT\nCHIEF COMPLAINT: anxiety and chest tightness.\nED COURSE: EKG normal; lorazepam 1 mg given with relief.\nASSESSMENT: Panic attack. Generalized anxiety disorder.\nPLAN: Discharge home; follow up with PCP.',
     {'modality': 'in_person', 'patient_location': 'emergency_department', 'pos': ['23']}),
]


@pytest.mark.parametrize("text,expected", CODING_CASES)
def test_clinician_phrasing_codes(text, expected):
    import billfacts

    result = billfacts.analyze(text, date_of_service="2026-03-02")
    facts = result.facts.model_dump()
    for key, value in expected.items():
        if key in ("codes", "pos"):
            got = [line.code if key == "codes" else line.pos for line in result.coding.lines]
        else:
            got = facts[key]
        assert got == value, key


# Complete notes written in prose: no documentation gap should be raised.
PROSE_COMPLETE = [
    "Session 10:00-10:53 in office.\nClinician facilitated cognitive restructuring of negative core beliefs. Pt was receptive and completed a thought record in session. Pt's depression interferes with caring for her children. Safety: no safety concerns; pt denies thoughts of self-harm. Will continue weekly CBT.\nDx: F33.1",
    "Session 10:00-10:53 in office.\nTherapist provided psychoeducation on sleep hygiene and behavioral activation. Client demonstrated good insight and agreed to schedule 3 activities. Low mood is causing missed days at work. Risk assessed: low. Next appt in 1 week.\nDx: F33.1",
    'Progress Note 3/4/26. 9:00-9:53 am, in office.\nS: Pt reports ongoing low mood, poor sleep, missing work 2 days/week due to depression.\nO: Flat affect, tearful. Denies SI/HI.\nA: We explored the connection between her withdrawal and mood and challenged all-or-nothing thinking. Pt was able to identify one alternative thought and agreed to schedule a walk with her sister. Continued impairment at work supports ongoing weekly therapy.\nP: Continue weekly sessions; target goal 2 (increase activity).\nDx: F33.1',
    'DAP Note\nD: Client attended 45 min session in person (11:00-11:45). Client discussed her panic attacks at the grocery store, which have caused her to stop shopping alone. Therapist guided interoceptive exposure (spinning, breath holding) and reviewed the fear hierarchy.\nA: Client tolerated exposures with SUDS peaking at 70 and dropping to 30. Denies suicidal ideation.\nP: Continue exposure hierarchy next week per treatment plan.\nDx: Panic disorder (F41.0)',
    "Telehealth note (Zoom). Client located at home in Ohio; verbal consent for telehealth on file and confirmed. Start 4:00 PM, end 4:53 PM.\nClient processed the anniversary of her son's death. Used grief-focused interventions: narrative reconstruction and continuing-bonds work. Client was tearful but engaged and reported feeling some relief. Grief symptoms continue to interfere with her ability to work.\nSafety: denies SI.\nPlan: weekly sessions, revisit goals in 4 weeks.\nDx: F43.81",
]


@pytest.mark.parametrize("text", PROSE_COMPLETE)
def test_complete_prose_notes_raise_no_gap(text):
    import billfacts

    report = billfacts.analyze(text, date_of_service="2026-03-02").gaps
    assert report.items == [] and report.score == 100


@pytest.mark.parametrize("plan", ["Recommend starting sertraline 50 mg daily.", "Recommend a trial of an SSRI.",
                                  "Start escitalopram 10 mg daily."])
def test_a_medication_started_or_recommended_is_a_plan(plan):
    """The plan of an evaluation is often its medication: one span reads it as both the 90792 medical part
    and the next step, so the plan is not flagged as missing."""
    import billfacts

    note = ("Initial psychiatric evaluation in office, 60 min. Six months of low mood; denies SI. Symptoms impair "
            f"her work. {plan}\nDx: F33.1")
    result = billfacts.analyze(note, date_of_service="2026-03-02")
    assert [line.code for line in result.coding.lines] == ["90792"]
    assert "missing_treatment_plan" not in {gap.id for gap in result.gaps.items}
