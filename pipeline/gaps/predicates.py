"""Named checks the checklist refers to when a requirement is more than "this fact is present".

Each predicate takes the audit context and returns ``(met, evidence, detail)``: whether the requirement
holds, the evidence behind the finding, and a sentence that makes the gap message specific ("90837 billed;
the note supports 90834").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Optional

from billfacts.models import BillingFacts, CodingResult, Evidence

from ..coding.table import code_table, is_em, payer_profile
from .billed import BilledCode, BilledProblem, describe_problems

EM_LINE = "E/M"


@dataclass
class AuditContext:
    facts: BillingFacts
    coding: Optional[CodingResult]
    billed: list[BilledCode]
    date_of_service: Optional[dt.date]
    payer: str
    billed_problems: list[BilledProblem] = field(default_factory=list)

    def selected(self) -> list[str]:
        return [line.code for line in self.coding.lines] if self.coding else []

    def evidence(self, *names: str) -> list[Evidence]:
        return [record for name in names for record in self.facts.evidence.get(name, [])]


Result = tuple[bool, list[Evidence], str]


def times_consistent(ctx: AuditContext) -> Result:
    f = ctx.facts
    if f.time_conflicts:
        detail = "; ".join(f"{c.message} ({', '.join(map(str, c.values))})" for c in f.time_conflicts)
        return False, ctx.evidence("psychotherapy_minutes", "total_minutes", "em_minutes"), detail
    if (f.scheduled_minutes is not None and f.psychotherapy_minutes == f.scheduled_minutes
            and f.session_ran_short_or_long):
        return False, ctx.evidence("scheduled_minutes", "session_ran_short_or_long", "psychotherapy_minutes"), (
            f"the documented minutes equal the booked {f.scheduled_minutes}-minute slot although the note says the "
            "session ran short or long")
    return True, [], ""


def telehealth_consent_given(ctx: AuditContext) -> Result:
    consent = ctx.facts.telehealth_consent
    if consent:
        return True, ctx.evidence("telehealth_consent"), ""
    if consent is False:
        return False, ctx.evidence("telehealth_consent"), "the note says consent was not given or not obtained"
    return False, [], "nothing in the note documents consent"


def crisis_elements_complete(ctx: AuditContext) -> Result:
    missing = {"risk_assessment", "safety_planning"} - set(ctx.facts.crisis_elements)
    if not missing:
        return True, [], ""
    return False, ctx.evidence("service_type"), "missing: " + ", ".join(sorted(m.replace("_", " ") for m in missing))


def billed_codes_supported(ctx: AuditContext) -> Result:
    selected = ctx.selected()
    unsupported = []
    for billed in ctx.billed:
        row = code_table().get(billed.code)
        if row is None or (ctx.date_of_service and not row.valid_on(ctx.date_of_service)):
            continue  # unknown or deleted codes are the deleted_code check's business
        if billed.code in selected or (is_em(billed.code) and EM_LINE in selected):
            continue
        if under_coded(billed.code, selected):
            continue  # a lower code of the service the note supports: revenue left behind, not unsupported
        unsupported.append(billed.code)
    if not unsupported:
        return True, [], ""
    supported = ", ".join(selected) or "no psychotherapy code"
    minutes = ctx.facts.psychotherapy_minutes
    basis = f" ({minutes} documented psychotherapy minutes)" if minutes is not None else ""
    return False, ctx.evidence("psychotherapy_minutes", "service_type"), (
        f"billed {', '.join(unsupported)}; the note supports {supported}{basis}")


def billed_codes_valid(ctx: AuditContext) -> Result:
    if ctx.date_of_service is None:
        return True, [], ""
    problems = []
    for billed in ctx.billed:
        row = code_table().get(billed.code)
        if row is None or row.valid_on(ctx.date_of_service):
            continue
        if row.deleted_on and ctx.date_of_service >= row.deleted_on:
            crosswalk = " + ".join(row.crosswalk) if row.crosswalk else "no direct replacement"
            problems.append(f"{row.code} was deleted on {row.deleted_on.isoformat()} (crosswalk: {crosswalk})")
        else:
            problems.append(f"{row.code} is valid only from {row.valid_from.isoformat()}")
    if not problems:
        return True, [], ""
    return False, [], "; ".join(problems)


def billed_modifiers_valid(ctx: AuditContext) -> Result:
    modality = ctx.facts.modality
    profile = payer_profile(ctx.payer)
    problems = []
    for billed in ctx.billed:
        for modifier in billed.modifiers:
            if modifier == "GT" and profile.video_modifier != "GT":
                problems.append(f"GT on {billed.code}: GT left professional claims in 2018 (POS 02/10 replaced it)")
            elif modifier == "95" and modality == "audio_only":
                problems.append(f"95 on {billed.code}: 95 means audio-video; this session was audio-only (93)")
            elif modifier in ("93", "FQ") and modality == "video":
                problems.append(f"{modifier} on {billed.code}: audio-only modifier on an audio-video session")
            elif modifier in ("95", "93", "GT") and modality == "in_person":
                problems.append(f"{modifier} on {billed.code}: telehealth modifier on an in-person visit")
    if not problems:
        return True, [], ""
    return False, ctx.evidence("modality"), "; ".join(problems)


def under_coded(billed: str, selected: list[str]) -> Optional[str]:
    """The selected code that ``billed`` is a lower rung of (same time ladder, shorter band), if any."""
    table = code_table()
    row = table.get(billed)
    if row is None or row.time_ladder is None or row.band is None:
        return None
    for code in selected:
        other = table.get(code)
        if other is not None and other.time_ladder == row.time_ladder and other.band and other.band[0] > row.band[0]:
            return code
    return None


def supported_codes_billed(ctx: AuditContext) -> Result:
    billed = {b.code for b in ctx.billed}
    if not billed:
        return True, [], ""
    missing = [code for code in ctx.selected()
               if code not in billed and code != EM_LINE and code_table().get(code).kind == "addon"]
    lower = [(code, under_coded(code, ctx.selected())) for code in sorted(billed)]
    lower = [(code, higher) for code, higher in lower if higher and higher not in billed]
    if not missing and not lower:
        return True, [], ""
    names = [f"interactive_complexity_factors.{f}" for f in ctx.facts.interactive_complexity_factors]
    parts = [f"billed {code} where the note supports {higher}" for code, higher in lower]
    if missing:
        parts.append("supported but not billed: " + ", ".join(missing))
    return False, ctx.evidence("psychotherapy_minutes", *names), "; ".join(parts)


def billed_codes_well_formed(ctx: AuditContext) -> Result:
    detail = describe_problems(ctx.billed_problems)
    return (True, [], "") if detail is None else (False, [], detail)


PREDICATES: dict[str, Callable[[AuditContext], Result]] = {
    "times_consistent": times_consistent,
    "telehealth_consent_given": telehealth_consent_given,
    "crisis_elements_complete": crisis_elements_complete,
    "billed_codes_supported": billed_codes_supported,
    "billed_codes_valid": billed_codes_valid,
    "billed_modifiers_valid": billed_modifiers_valid,
    "supported_codes_billed": supported_codes_billed,
    "billed_codes_well_formed": billed_codes_well_formed,
}
