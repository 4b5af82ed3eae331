"""The gold format of ``annotations/`` as pydantic models: one validator for readers and one JSON Schema for
writers (``annotations/gold.schema.json`` is generated from these models: ``billfacts schema --gold``).

A line is one note: its text, its gold spans (character offsets, end exclusive) and its gold document facts.
Researchers' tools read it directly, through the JSON Schema, or through the brat, Prodigy and spaCy
converters in ``billfacts.evaluation.converters``."""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

from billfacts.models import DiagnosisStatus, InteractiveComplexityFactor, MentionLabel, Modality, ServiceType

SPAN_LABELS: tuple[str, ...] = MentionLabel.__args__
ATTRIBUTES = ("negated", "historical", "hypothetical", "family")


class GoldSpan(BaseModel):
    """A labelled stretch of the note (GUIDELINES.md "Spans"). DX spans carry the ICD-10-CM code and the
    four attributes; time spans carry neither."""

    model_config = ConfigDict(extra="forbid")
    label: MentionLabel
    start: int = Field(ge=0)
    end: int = Field(ge=0, description="exclusive: text[start:end] is the span")
    code: Optional[str] = Field(None, pattern=r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")
    negated: Optional[bool] = None
    historical: Optional[bool] = None
    hypothetical: Optional[bool] = Field(None, description="rule-out, possible, or if/would: not asserted as present")
    family: Optional[bool] = None

    @model_validator(mode="after")
    def _ordered(self):
        if self.end <= self.start:
            raise ValueError("a span ends after it starts")
        return self


class GoldDiagnosis(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str
    status: DiagnosisStatus


class GoldFacts(BaseModel):
    """Document-level gold; a field left out is not scored for that note."""

    model_config = ConfigDict(extra="allow")
    psychotherapy_minutes: Optional[int] = Field(None, ge=0)
    em_minutes: Optional[int] = Field(None, ge=0)
    modality: Optional[Modality] = None
    patient_location: Optional[str] = None
    telehealth_consent: Optional[bool] = None
    interpreter: Optional[bool] = None
    interactive_complexity_factors: list[InteractiveComplexityFactor] = Field(default_factory=list)
    em_present: Optional[bool] = None
    service_type: Optional[ServiceType] = None
    start_time: Optional[str] = Field(None, pattern=r"^\d{2}:\d{2}$")
    end_time: Optional[str] = Field(None, pattern=r"^\d{2}:\d{2}$")
    diagnoses: list[GoldDiagnosis] = Field(default_factory=list)
    gaps: Optional[list[str]] = None


class GoldRecord(BaseModel):
    """One annotated note."""

    model_config = ConfigDict(extra="forbid")
    note_id: str = Field(min_length=1)
    text: str
    spans: list[GoldSpan] = Field(default_factory=list)
    gold: GoldFacts = Field(default_factory=GoldFacts)
    meta: dict = Field(default_factory=dict, description="provenance: kind, format, split, written_for ...")

    @model_validator(mode="after")
    def _inside_the_text(self):
        for span in self.spans:
            if span.end > len(self.text):
                raise ValueError(f"span {span.label} {span.start}-{span.end} ends past the text")
        return self


def gold_schema() -> dict:
    schema = GoldRecord.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://github.com/billfacts/billfacts/annotations/gold.schema.json"
    return schema
