"""Deterministic, date-aware CPT/HCPCS selection from billing facts.

A pure function of ``BillingFacts``, a date of service and a payer profile: no spaCy, no clock (the caller
resolves "today"), so the same input always gives the same lines. Thresholds come from the code table's
bands; payer differences from the profile. Doubt never resolves toward the higher-paying code: with
contradictory times the facts already carry the smaller value, and with no documented minutes no timed
code is emitted. Every line carries a rule id, a rationale and the evidence it rests on.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional, Union

from billfacts.models import BillingFacts, CodeLine, CodingResult, Evidence, Warning_

from .table import CodeRow, barred_pairs, code_table, is_em, payer_profile, place_of_service

POS10_FROM = dt.date(2022, 1, 1)
TELEHEALTH_POS_FROM = dt.date(2017, 1, 1)
FAMILY_TIMED_FROM = dt.date(2017, 1, 1)
# Where G0017/G0018 apply: a non-facility place other than the office (not a hospital, an ED or a nursing facility).
NON_FACILITY_OUTSIDE_OFFICE = {"home", "school", "shelter", "work", "car", "other"}
LEGACY_UNTIL = dt.date(2013, 1, 1)  # the psychotherapy overhaul: first date of service of 90791/90832...
PROLONGED_START = {"90837": 60, "90847": 50}  # typical time of the base code


def _as_date(value: Union[dt.date, str, None]) -> Optional[dt.date]:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _band_code(candidates: list[str], minutes: int, dos: dt.date) -> Optional[CodeRow]:
    """The code among ``candidates`` whose minute band holds ``minutes`` and that is valid on ``dos``."""
    table = code_table()
    for code in candidates:
        row = table.get(code)
        if row is None or row.band is None or not row.valid_on(dos):
            continue
        low, high = row.band
        if minutes >= low and (high is None or minutes <= high):
            return row
    return None


class _Builder:
    def __init__(self, facts: BillingFacts, dos: dt.date, profile_name: str):
        self.facts = facts
        self.dos = dos
        self.profile = payer_profile(profile_name).on(dos)
        self.lines: list[CodeLine] = []
        self.warnings: list[Warning_] = []

    # ---- helpers ---------------------------------------------------------------------------
    def ev(self, *names: str) -> list[Evidence]:
        records = []
        for name in names:
            records.extend(self.facts.evidence.get(name, []))
        return records

    def warn(self, rule_id: str, message: str) -> None:
        self.warnings.append(Warning_(rule_id=rule_id, message=message))

    def add(self, code: str, rule_id: str, rationale: str, evidence: list[Evidence], units: int = 1) -> None:
        self.lines.append(CodeLine(code=code, units=units, rule_id=rule_id, rationale=rationale,
                                   evidence=evidence))

    def codes(self) -> list[str]:
        return [line.code for line in self.lines]

    # ---- services ----------------------------------------------------------------------------
    def em_line(self, rule_id: str) -> None:
        """The E/M line: the code the note states when it is a valid partner on the date, else 'E/M'."""
        stated = self.facts.em_code
        row = code_table().get(stated) if stated else None
        if row is not None and row.kind == "em_partner" and row.valid_on(self.dos):
            self.add(row.code, rule_id, f"E/M {row.code} as documented in the note (level from medical decision "
                                        "making, not re-scored by billfacts)", self.ev("em_code", "em_present"))
            return
        if stated:
            self.warn("em_code_invalid", f"the note states E/M {stated}, which is not a valid E/M partner on "
                                         f"{self.dos.isoformat()}")
        self.add("E/M", rule_id, "a separately documented E/M part; its level comes from medical decision making, "
                                 "which billfacts does not score", self.ev("em_present"))

    def individual(self, minutes: Optional[int], with_em: bool) -> None:
        if with_em:
            self.em_line("em_partner")
        if minutes is None:
            self.warn("no_time", "no psychotherapy minutes are documented: no timed psychotherapy code is "
                                 "suggested")
            return
        candidates = ["90833", "90836", "90838"] if with_em else ["90832", "90834", "90837"]
        row = _band_code(candidates, minutes, self.dos)
        if row is None:
            if minutes < 16:
                self.warn("below_minimum", f"{minutes} psychotherapy minutes is below the 16-minute minimum "
                                           "for a psychotherapy code")
            return
        if row.code == "90837" and minutes >= 90 and self.profile.two_units_90834_for_90_plus:
            self.add("90834", "two_units_90834_opt_in",
                     f"{minutes} minutes; this payer profile opts in to two units of 90834 for 90+ minutes",
                     self.ev("psychotherapy_minutes"), units=2)
            return
        where = " with an E/M visit" if with_em else ""
        low, high = row.band
        span = f"{low}-{high}" if high else f"{low}+"
        self.add(row.code, f"psychotherapy_band_{row.code}",
                 f"{minutes} psychotherapy minutes{where} fall in the {span} minute band of {row.code}",
                 self.ev("psychotherapy_minutes"))
        if row.code == "90837":
            self.prolonged("90837", minutes)
        if minutes >= 90 and self.dos >= dt.date(2023, 1, 1) and row.code == "90837":
            self.warn("prolonged_deleted", "99354/99355 were deleted on 2023-01-01 and nothing replaces them "
                                           "for psychotherapy: one unit of 90837 covers the session")

    def prolonged(self, base: str, minutes: int) -> None:
        """99354/99355 on 90837 or 90847, only for dates of service before 2023-01-01."""
        table = code_table()
        first, extra = table.get("99354"), table.get("99355")
        if not first.valid_on(self.dos):
            return
        beyond = minutes - PROLONGED_START[base]
        if beyond < 30:
            return
        self.add("99354", "prolonged_99354",
                 f"{minutes} minutes is {beyond} beyond the {PROLONGED_START[base]} typical for {base} "
                 f"(30-74 minutes beyond: 99354); valid until 2022-12-31", self.ev("psychotherapy_minutes"))
        if beyond >= 75 and extra.valid_on(self.dos):
            units = 1 + (beyond - 75) // 30
            self.add("99355", "prolonged_99355", f"{beyond} minutes beyond the typical time: 99355 for each "
                                                 "further 30 minutes from 75", self.ev("psychotherapy_minutes"),
                     units=units)
        if self.dos < dt.date(2016, 1, 1):
            self.warn("prolonged_start_disputed", "sources disagree whether 99354 applied to psychotherapy "
                                                  "before 2016; check the payer's rules for this date")

    def crisis(self, minutes: Optional[int]) -> None:
        if minutes is None:
            self.warn("no_time", "a crisis service without documented minutes: no crisis code is suggested")
            return
        if minutes < 30:
            self.warn("crisis_under_30", f"crisis psychotherapy needs 30 minutes; {minutes} minutes is billed as "
                                         "routine psychotherapy")
            self.individual(minutes, bool(self.facts.em_present))
            return
        use_hcpcs = (self.profile.crisis_hcpcs and self.facts.modality == "in_person"
                     and self.facts.patient_location in NON_FACILITY_OUTSIDE_OFFICE and code_table().get("G0017").valid_on(self.dos))
        first, extra = ("G0017", "G0018") if use_hcpcs else ("90839", "90840")
        self.add(first, f"crisis_{first}", f"{minutes} crisis minutes: {first} covers 30-74 minutes",
                 self.ev("psychotherapy_minutes", "service_type"))
        if minutes >= 75:
            units = 1 + (minutes - 75) // 30
            self.add(extra, f"crisis_{extra}", f"{minutes} crisis minutes: {extra} for each 30 minutes from 75 "
                                                f"({units} unit{'s' if units > 1 else ''})",
                     self.ev("psychotherapy_minutes"), units=units)
        missing = {"risk_assessment", "safety_planning"} - set(self.facts.crisis_elements)
        if missing:
            self.warn("crisis_elements_missing", "crisis documentation lacks: " + ", ".join(sorted(missing)))

    def family(self, minutes: Optional[int], with_patient: bool) -> None:
        code = "90847" if with_patient else "90846"
        timed = self.dos >= FAMILY_TIMED_FROM
        if minutes is None and timed:
            self.warn("no_time", f"family psychotherapy without documented minutes: {code} needs 26 minutes")
            return
        if timed and minutes < 26:
            self.warn("family_under_26", f"{minutes} minutes is below the 26 minutes {code} needs")
            return
        who = "with" if with_patient else "without"
        self.add(code, f"family_{code}", f"family psychotherapy {who} the patient"
                 + (f", {minutes} minutes (26 or more)" if minutes is not None else ""),
                 self.ev("service_type", "psychotherapy_minutes"))
        if code == "90847" and minutes is not None:
            self.prolonged("90847", minutes)

    def group(self) -> None:
        if self.facts.multiple_family_group:
            self.add("90849", "group_90849", "multiple-family group psychotherapy (untimed)",
                     self.ev("service_type", "multiple_family_group", "group_participants"))
            return
        self.add("90853", "group_90853", "group psychotherapy, one unit per patient (untimed)",
                 self.ev("service_type", "group_participants"))
        if self.facts.group_participants is None:
            self.warn("group_count_missing", "the number of group participants is not documented")

    def diagnostic_eval(self) -> None:
        medical = self.facts.diagnostic_eval_medical
        code = "90792" if medical else "90791"
        why = "with medical services" if medical else "without medical services"
        self.add(code, f"diagnostic_eval_{code}", f"psychiatric diagnostic evaluation {why}",
                 self.ev("service_type", "diagnostic_eval_medical"))

    def legacy(self, service: Optional[str], minutes: Optional[int]) -> None:
        """The codes of the day for a date of service before 2013: 90801/90802 for a diagnostic interview,
        90804-90809 by time for office psychotherapy (with E/M: the odd codes), family and group codes as
        now, and an E/M line for medical or medication visits. There was no crisis code: crisis time is
        office psychotherapy time."""
        self.warn("pre_2013", "date of service before 2013-01-01: the legacy psychiatry codes of that day apply")
        factors = bool(self.facts.interactive_complexity_factors)
        if service == "diagnostic_eval":
            code = "90802" if factors else "90801"
            self.add(code, f"legacy_{code}", "psychiatric diagnostic interview before 2013"
                     + (" with interactive complexity" if factors else ""), self.ev("service_type"))
        elif service in ("individual", "crisis"):
            with_em = bool(self.facts.em_present)
            if with_em:
                self.em_line("em_partner")
            if minutes is None:
                self.warn("no_time", "no psychotherapy minutes are documented: no timed psychotherapy code")
                return
            row = _band_code(["90805", "90807", "90809"] if with_em else ["90804", "90806", "90808"], minutes,
                             self.dos)
            if row is None:
                self.warn("below_minimum", f"{minutes} minutes is below the 20 minutes of the shortest legacy code")
                return
            self.add(row.code, f"legacy_band_{row.code}", f"{minutes} psychotherapy minutes before 2013: "
                                                          f"{row.code}", self.ev("psychotherapy_minutes"))
        elif service in ("family_with_patient", "family_without_patient"):
            self.family(minutes, service == "family_with_patient")
        elif service == "group":
            code = "90849" if self.facts.multiple_family_group else ("90857" if factors else "90853")
            self.add(code, f"legacy_{code}", "group psychotherapy before 2013", self.ev("service_type"))
        elif service == "em_only":
            self.em_line("em_only")

    def interactive_complexity(self) -> None:
        factors = self.facts.interactive_complexity_factors
        if not factors:
            if self.facts.interpreter:
                self.warn("interpreter_without_factor", "an interpreter was present but the note does not say "
                                                         "what barrier made it necessary: no 90785")
            return
        row = code_table().get("90785")
        primaries = [c for c in self.codes() if c in (row.allowed_primaries or ())]
        if not primaries or not row.valid_on(self.dos):
            self.warn("interactive_complexity_not_reportable",
                      "interactive complexity is documented but 90785 has no allowed primary code here")
            return
        names = [f"interactive_complexity_factors.{f}" for f in factors]
        self.add("90785", "interactive_complexity_90785",
                 "documented interactive-complexity factor(s): " + ", ".join(factors), self.ev(*names))

    # ---- modifiers and place of service ----------------------------------------------------
    def finish(self) -> None:
        modality = self.facts.modality
        if modality in ("video", "audio_only"):
            at_home = self.facts.patient_location == "home"
            if self.dos >= POS10_FROM:
                pos = self.profile.telehealth_pos["home" if at_home else "elsewhere"]
            elif self.dos >= TELEHEALTH_POS_FROM:
                pos = "02"
            else:
                pos = self.profile.in_person_pos
            modifier = self.profile.video_modifier if modality == "video" else self.profile.audio_modifier
            if modifier == "93" and self.dos < POS10_FROM:
                modifier = None  # modifier 93 exists from 2022-01-01
        elif modality == "in_person":
            # The facility's own code when the note places the visit there (inpatient unit 21, ED 23 ...).
            pos = place_of_service().get(self.facts.patient_location or "", self.profile.in_person_pos)
            modifier = None
        else:
            pos, modifier = None, None
            if self.lines:
                self.warn("modality_unknown", "the note does not say whether the visit was in person or "
                                              "telehealth: place of service not set")
        for line in self.lines:
            line.pos = pos
            mods = []
            if modifier and line.code not in ("99354", "99355"):
                mods.append(modifier)
            if is_em(line.code) and self.profile.modifier_25_on_em:
                mods.append("25")
            line.modifiers = mods
        # Safety net: a combination the pair rules bar is never emitted.
        for a, b, rule in barred_pairs(self.codes()):
            self.warn(f"pair_{rule.id}", f"{a} and {b}: {rule.rule}; {b} dropped")
            self.lines = [line for line in self.lines if line.code != b]


def select_codes(
    facts: Union[BillingFacts, dict],
    date_of_service: Union[dt.date, str],
    payer_profile: str = "commercial",
) -> CodingResult:
    """Claim lines for documented facts on a date of service under a payer profile."""
    if isinstance(facts, dict):
        facts = BillingFacts.model_validate(facts)
    dos = _as_date(date_of_service)
    if dos is None:
        raise ValueError("select_codes needs a date of service (resolve 'today' in the caller)")
    b = _Builder(facts, dos, payer_profile)
    service = facts.service_type
    minutes = facts.psychotherapy_minutes
    if facts.time_conflicts:
        b.warn("time_conflict", "documented times disagree; the smaller supported value was used: "
               + "; ".join(f"{c.message} ({', '.join(map(str, c.values))})" for c in facts.time_conflicts))
    if dos < LEGACY_UNTIL:
        b.legacy(service, minutes)
    elif service == "crisis":
        b.crisis(minutes)
    elif service == "diagnostic_eval":
        b.diagnostic_eval()
    elif service in ("family_with_patient", "family_without_patient"):
        b.family(minutes, service == "family_with_patient")
    elif service == "group":
        b.group()
    elif service == "em_only":
        b.em_line("em_only")
    elif service == "other":
        b.warn("not_psychotherapy", "the documented service is not psychotherapy (e.g. life coaching): no "
                                    "psychotherapy code")
    elif service == "individual" or minutes is not None:
        b.individual(minutes, bool(facts.em_present))
    else:
        b.warn("no_service", "the note documents no billable service")
    if b.lines:
        b.interactive_complexity()
        affirmed = [d for d in facts.diagnoses if d.status == "affirmed" and d.billable]
        if not affirmed:
            b.warn("no_diagnosis", "no affirmed, billable diagnosis is documented to support the service")
    b.finish()
    return CodingResult(date_of_service=dos.isoformat(), payer_profile=payer_profile, lines=b.lines,
                        warnings=b.warnings)
