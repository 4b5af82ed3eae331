"""Score documentation gaps: what an auditor would flag before the claim goes out.

A pure function over ``BillingFacts`` and ``CodingResult`` (and, when given, the codes that were billed),
driven by ``checklist.json``. Every applicable check is reported in ``checks`` as met or a gap, with the
evidence that decided it, so "documented as denied" (evidence: "denies SI/HI") is told apart from "not
documented" (no evidence, and the message says so). The score is the documented formula in the checklist.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from importlib import resources
from typing import Optional, Union

from billfacts.models import BillingFacts, CheckResult, CodingResult, Gap, GapReport

from ..coding.table import code_table
from .billed import parse_billed, unknown_codes
from .predicates import PREDICATES, AuditContext


@lru_cache(maxsize=1)
def checklist() -> dict:
    with resources.files("billfacts.gaps").joinpath("checklist.json").open(encoding="utf-8") as handle:
        data = json.load(handle)
    for check in data["checks"]:
        predicate = check["requires"].get("predicate")
        if predicate and predicate not in PREDICATES:
            raise ValueError(f"checklist: check {check['id']} names an unknown predicate {predicate!r}")
    return data


def _present(value) -> bool:
    return value is not None and value is not False and value != [] and value != ""


def _applies(cond: dict, ctx: AuditContext) -> bool:
    f = ctx.facts
    if "any_of" in cond and not any(_applies(sub, ctx) for sub in cond["any_of"]):
        return False
    if "services" in cond and f.service_type not in cond["services"]:
        return False
    if "modalities" in cond and f.modality not in cond["modalities"]:
        return False
    for field in ("em_present", "interpreter", "modality_switch"):
        if field in cond and bool(getattr(f, field)) != cond[field]:
            return False
    if cond.get("billed") and not (ctx.billed or ctx.billed_problems):
        return False
    if "billed_any" in cond and not {b.code for b in ctx.billed} & set(cond["billed_any"]):
        return False
    if "codes_any" in cond and not set(ctx.selected()) & set(cond["codes_any"]):
        return False
    return True


def _evaluate(requires: dict, ctx: AuditContext):
    """(met, evidence, detail) for a check's requirements."""
    f = ctx.facts
    evidence, details = [], []
    met = True
    for field in requires.get("facts_present", []):
        evidence.extend(ctx.evidence(field))
        if not _present(getattr(f, field)):
            met = False
            details.append(f"{field.replace('_', ' ')}: not documented")
    if "evidence_any" in requires:
        found = ctx.evidence(*requires["evidence_any"])
        evidence.extend(found)
        if not found:
            met = False
            details.append("nothing in the note documents it")
    if requires.get("affirmed_billable_diagnosis"):
        affirmed = [d for d in f.diagnoses if d.status == "affirmed" and d.billable]
        evidence.extend(ctx.evidence("diagnoses") if affirmed else [])
        if not affirmed:
            met = False
            details.append("no affirmed, billable diagnosis in the note")
    if "predicate" in requires:
        ok, found, detail = PREDICATES[requires["predicate"]](ctx)
        evidence.extend(found)
        if not ok:
            met = False
            details.append(detail)
    return met, evidence, "; ".join(d for d in details if d)


def score_gaps(
    facts: Union[BillingFacts, dict],
    coding: Optional[CodingResult] = None,
    billed_codes: Optional[list[str]] = None,
    *,
    date_of_service: Union[dt.date, str, None] = None,
    payer: Optional[str] = None,
) -> GapReport:
    if isinstance(facts, dict):
        facts = BillingFacts.model_validate(facts)
    if date_of_service is None and coding is not None and coding.date_of_service:
        date_of_service = coding.date_of_service
    dos = dt.date.fromisoformat(str(date_of_service)[:10]) if date_of_service else None
    payer = payer or (coding.payer_profile if coding else "commercial")
    billed, problems = parse_billed(billed_codes)
    problems += unknown_codes(billed, lambda code: code_table().get(code) is not None)
    known = {problem.item for problem in problems if problem.reason == "unknown"}
    billed = [code for code in billed if code.code not in known]
    ctx = AuditContext(facts=facts, coding=coding, billed=billed, date_of_service=dos, payer=payer,
                       billed_problems=problems)
    data = checklist()
    weights = data["scoring"]["weights"]
    gaps, checks = [], []
    for check in data["checks"]:
        if not _applies(check["applies"], ctx):
            continue
        met, evidence, detail = _evaluate(check["requires"], ctx)
        severity = check["severity"]
        for override in check.get("severity_when", []):
            condition = {k: v for k, v in override.items() if k != "severity"}
            if _applies(condition, ctx):
                severity = override["severity"]
        checks.append(CheckResult(id=check["id"], status="met" if met else "gap", evidence=evidence,
                                  detail=detail or None))
        if not met:
            message = check["message"] + (f": {detail}" if detail else "")
            gaps.append(Gap(id=check["id"], severity=severity, message=message, evidence=evidence,
                            fix=check["fix"], source=check["source"]))
    score = max(0, 100 - sum(weights[g.severity] for g in gaps))
    return GapReport(score=score, items=gaps, checks=checks)
