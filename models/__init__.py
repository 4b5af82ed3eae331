"""The result contract: the one shape every way out of billfacts speaks.

These pydantic models mirror ``DESIGN.md`` ("The result contract"). Field names and literal values are
a public contract relied on by scribe vendors, the evaluation harness and batch reports: fields may be
added, never renamed. Everything here is plain data (no spaCy objects), so a vendor that extracts facts
its own way can build ``BillingFacts`` directly and call the selector and scorer.
"""

from __future__ import annotations

import datetime as _dt
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator

Modality = Literal["in_person", "video", "audio_only"]
InteractiveComplexityFactor = Literal[
    "maladaptive_communication", "caregiver_interference", "sentinel_event", "interpreter_or_device"
]
ServiceType = Literal[
    "individual",
    "family_with_patient",
    "family_without_patient",
    "group",
    "crisis",
    "diagnostic_eval",
    "em_only",
    "other",
]
DiagnosisStatus = Literal["affirmed", "negated", "historical", "uncertain", "family"]
Severity = Literal["high", "medium", "low"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Model):
    """A character span of the note that supports a fact: ``note[start:end] == text``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    section: Optional[str] = None


MentionLabel = Literal["CLOCK", "DURATION", "SCHEDULED", "PSY_TIME", "EM_TIME", "TOTAL_TIME", "DX"]


class Mention(_Model):
    """One thing the note says, where it says it: a time phrase with its role, a diagnosis as written.

    Facts are decisions drawn from several places (psychotherapy minutes may come from a clock range and a
    stated length); mentions are the places themselves, one a phrase, labelled as ``annotations/GUIDELINES.md``
    labels gold spans, so that span-level accuracy can be measured against annotated notes."""

    label: MentionLabel
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    value: Optional[str] = Field(None, description="minutes, an HH:MM-HH:MM range, or an ICD-10-CM code")
    status: Optional[DiagnosisStatus] = Field(None, description="for a diagnosis: affirmed, negated, historical, "
                                                                "uncertain (rule-out or hypothetical) or family")


class Diagnosis(_Model):
    code: str
    text: str = Field(description="the note's own words for the diagnosis")
    description: Optional[str] = Field(None, description="the ICD-10-CM title of the code")
    status: DiagnosisStatus
    billable: bool = Field(True, description="a valid billable leaf of the ICD-10-CM edition in use")
    source: Literal["code", "name"] = Field("code", description="written as a code, or mapped from a named disorder")


class TimeConflict(_Model):
    """Two documented times that disagree; kept visible, never silently resolved."""

    kind: str
    values: list[int]
    message: str


class BillingFacts(_Model):
    start_time: Optional[str] = Field(None, pattern=r"^\d{2}:\d{2}$", description="HH:MM, 24 h")
    end_time: Optional[str] = Field(None, pattern=r"^\d{2}:\d{2}$")
    psychotherapy_minutes: Optional[int] = Field(None, ge=0)
    em_minutes: Optional[int] = Field(None, ge=0)
    total_minutes: Optional[int] = Field(None, ge=0)
    modality: Optional[Modality] = None
    patient_location: Optional[str] = None
    telehealth_consent: Optional[bool] = None
    interpreter: bool = False
    interactive_complexity_factors: list[InteractiveComplexityFactor] = Field(default_factory=list)
    em_present: bool = False
    em_code: Optional[str] = Field(None, description="the E/M code the note itself states (its level is MDM's)")
    service_type: Optional[ServiceType] = None
    diagnoses: list[Diagnosis] = Field(default_factory=list)
    evidence: dict[str, list[Evidence]] = Field(default_factory=dict)
    mentions: list[Mention] = Field(default_factory=list, description="time phrases and diagnoses as written, "
                                                                      "in note order")
    # Additions beyond the core contract (allowed: "fields may be added").
    clock_minutes: Optional[int] = Field(None, ge=0, description="minutes between the documented clock times")
    stated_minutes: Optional[int] = Field(None, ge=0, description="the session length stated in words or digits")
    time_conflicts: list[TimeConflict] = Field(default_factory=list)
    platform: Optional[str] = None
    modality_switch: bool = False
    group_participants: Optional[int] = Field(None, ge=1)
    multiple_family_group: bool = Field(False, description="a group of several patients' families (90849), not 90853")
    crisis_elements: list[Literal["risk_assessment", "safety_planning", "de_escalation"]] = Field(
        default_factory=list
    )
    diagnostic_eval_medical: bool = False
    date_of_service: Optional[str] = Field(None, description="YYYY-MM-DD when the note states it")
    scheduled_minutes: Optional[int] = Field(None, ge=0, description="a booked or scheduled length, never used as time")
    risk_screen: Optional[Literal["denied", "documented"]] = Field(
        None, description="denied: risk asked about and denied; documented: risk findings recorded; null: not mentioned")
    session_ran_short_or_long: bool = False
    note_genre: Optional[Literal["blank_form", "disability_exam", "discharge_summary", "testing_report", "case_summary",
                                 "diagnostic_eval", "medical_visit", "med_management"]] = Field(
        None, description="what kind of document the note is, from its structure and wording; null: a session note "
                          "read by the service-type rules (psychotherapy, family, group, crisis)")


class CodeLine(_Model):
    code: str
    units: int = Field(1, ge=1)
    modifiers: list[str] = Field(default_factory=list)
    pos: Optional[str] = None
    rule_id: str
    rationale: str
    evidence: list[Evidence] = Field(default_factory=list)


class Warning_(_Model):
    rule_id: str
    message: str


class CodingResult(_Model):
    date_of_service: Optional[str] = None
    payer_profile: str = "commercial"
    lines: list[CodeLine] = Field(default_factory=list)
    warnings: list[Warning_] = Field(default_factory=list)


class Gap(_Model):
    id: str
    severity: Severity
    message: str
    evidence: list[Evidence] = Field(default_factory=list, description="empty: nothing in the note supports it")
    fix: str = ""
    source: Optional[str] = None


class CheckResult(_Model):
    """One applicable checklist item, met or not, with the evidence that decided it."""

    id: str
    status: Literal["met", "gap"]
    evidence: list[Evidence] = Field(default_factory=list)
    detail: Optional[str] = None


class GapReport(_Model):
    score: int = Field(100, ge=0, le=100)
    items: list[Gap] = Field(default_factory=list)
    checks: list[CheckResult] = Field(default_factory=list)


class ErrorInfo(_Model):
    code: str
    message: str = Field(description="never quotes the note")


class Versions(_Model):
    billfacts: str
    code_table: Optional[str] = None
    icd10cm: Optional[str] = Field(None, description="the ICD-10-CM edition diagnoses were validated against")
    code_rules: Optional[str] = Field(None, description="which of the code table's eras the date of service used "
                                                         "(codes are born and deleted: 2013, 2023 ...)")


class AnalysisResult(_Model):
    note_id: Optional[str] = None
    status: Literal["ok", "error"] = "ok"
    error: Optional[ErrorInfo] = None
    facts: Optional[BillingFacts] = None
    coding: Optional[CodingResult] = None
    gaps: Optional[GapReport] = None
    versions: Versions


class NoteInput(_Model):
    """One note to analyse, with what the caller knows about the visit."""

    text: str
    note_id: Optional[str] = None
    date_of_service: Optional[_dt.date] = None
    payer: str = "commercial"
    billed_codes: Optional[list[str]] = None
    provider_type: Optional[str] = None
    place_of_service: Optional[str] = None

    @field_validator("note_id", mode="before")
    @classmethod
    def _id_as_text(cls, value):
        """A numeric id (a JSON or CSV number) is the same record id written as text."""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(int(value)) if float(value).is_integer() else str(value)
        return value

    @field_validator("billed_codes", mode="before")
    @classmethod
    def _split_billed(cls, value):
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value


__all__ = [
    "AnalysisResult",
    "BillingFacts",
    "CheckResult",
    "CodeLine",
    "CodingResult",
    "Diagnosis",
    "ErrorInfo",
    "Evidence",
    "Gap",
    "GapReport",
    "NoteInput",
    "TimeConflict",
    "Versions",
    "Warning_",
]
