"""The code table, pair rules and payer profiles (data files beside this module), read once.

Dates are inclusive: a code is valid on a date of service when ``valid_from <= dos <= valid_to``.
Deleted codes stay in the table so that a legacy code on a claim is recognised, reported as deleted,
and crosswalked (the 2013 psychotherapy overhaul, the 2023 deletion of 99354/99355).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Optional


@dataclass(frozen=True)
class CodeRow:
    code: str
    label: str
    kind: str  # primary | addon | em_partner | legacy
    valid_from: dt.date
    valid_to: Optional[dt.date]
    time_basis: str
    band: Optional[tuple[int, Optional[int]]]
    allowed_primaries: Optional[tuple[str, ...]]
    units_rule: str
    crosswalk: Optional[tuple[str, ...]]
    sources: tuple[str, ...]
    notes: Optional[str] = None
    crosswalk_note: Optional[str] = None
    payers: Optional[tuple[str, ...]] = None
    never_with_psychotherapy: bool = False
    time_ladder: Optional[str] = None  # codes of one service that differ only by minutes

    def valid_on(self, dos: dt.date) -> bool:
        return self.valid_from <= dos and (self.valid_to is None or dos <= self.valid_to)

    @property
    def deleted_on(self) -> Optional[dt.date]:
        return self.valid_to + dt.timedelta(days=1) if self.valid_to else None


@dataclass(frozen=True)
class PairRule:
    id: str
    codes_a: frozenset
    codes_b: frozenset
    indicator: int
    rule: str
    source: str

    def applies(self, a: str, b: str) -> bool:
        return (a in self.codes_a and b in self.codes_b) or (b in self.codes_a and a in self.codes_b)


@dataclass
class PayerProfile:
    name: str
    label: str
    video_modifier: Optional[str]
    audio_modifier: Optional[str]
    telehealth_pos: dict
    in_person_pos: str
    modifier_25_on_em: bool
    crisis_hcpcs: bool
    two_units_90834_for_90_plus: bool
    source: str
    eras: list = field(default_factory=list)

    def on(self, dos: dt.date) -> "PayerProfile":
        """The profile as it applied on a date (``eras`` override fields up to their 'until' date)."""
        values = dict(self.__dict__)
        for era in sorted(self.eras, key=lambda e: e["until"]):
            if dos <= dt.date.fromisoformat(era["until"]):
                values.update({k: v for k, v in era.items() if k not in ("until", "note")})
                break
        values["eras"] = []
        return PayerProfile(**values)


def _read(name: str) -> dict:
    with resources.files("billfacts.coding").joinpath(name).open(encoding="utf-8") as handle:
        return json.load(handle)


def _date(value: Optional[str]) -> Optional[dt.date]:
    return dt.date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class CodeTable:
    edition: str
    rows: dict
    eras: tuple = ()  # (first date or None, last date or None, name)

    def get(self, code: str) -> Optional[CodeRow]:
        return self.rows.get(code.upper())

    def rules_on(self, on: dt.date) -> str:
        """The edition and the era of its rules that a date of service falls in."""
        for first, last, name in self.eras:
            if (first is None or on >= first) and (last is None or on <= last):
                return f"{self.edition}, rules in force on {on.isoformat()}: {name}"
        return f"{self.edition}, rules in force on {on.isoformat()}"


@lru_cache(maxsize=1)
def code_table() -> CodeTable:
    data = _read("code_table.json")
    rows = {}
    for raw in data["codes"]:
        band = tuple(raw["band"]) if raw.get("band") else None
        rows[raw["code"]] = CodeRow(
            code=raw["code"], label=raw["label"], kind=raw["kind"], valid_from=_date(raw["valid_from"]),
            valid_to=_date(raw.get("valid_to")), time_basis=raw.get("time_basis", "untimed"), band=band,
            allowed_primaries=tuple(raw["allowed_primaries"]) if raw.get("allowed_primaries") else None,
            units_rule=raw.get("units_rule", "one"),
            crosswalk=tuple(raw["crosswalk"]) if raw.get("crosswalk") else None,
            sources=tuple(raw.get("sources", [])), notes=raw.get("notes"), crosswalk_note=raw.get("crosswalk_note"),
            payers=tuple(raw["payers"]) if raw.get("payers") else None,
            never_with_psychotherapy=bool(raw.get("never_with_psychotherapy")), time_ladder=raw.get("time_ladder"),
        )
    eras = tuple((_date(e["from"]), _date(e["to"]), e["name"]) for e in data.get("eras", []))
    return CodeTable(edition=data["edition"], rows=rows, eras=eras)


@lru_cache(maxsize=1)
def place_of_service() -> dict[str, str]:
    """In-person place-of-service codes by the place the note names (``place_of_service.json``)."""
    return dict(_read("place_of_service.json")["in_person_by_location"])


@lru_cache(maxsize=1)
def pair_rules() -> tuple[PairRule, ...]:
    return tuple(
        PairRule(id=p["id"], codes_a=frozenset(p["codes_a"]), codes_b=frozenset(p["codes_b"]),
                 indicator=int(p["indicator"]), rule=p["rule"], source=p["source"])
        for p in _read("ncci_pairs.json")["pairs"]
    )


@lru_cache(maxsize=None)
def payer_profile(name: str) -> PayerProfile:
    profiles = _read("payer_profiles.json")["profiles"]
    if name not in profiles:
        raise KeyError(f"unknown payer profile {name!r}; known: {', '.join(sorted(profiles))}")
    raw = dict(profiles[name])
    return PayerProfile(name=name, **raw)


def payer_profiles() -> list[str]:
    return sorted(_read("payer_profiles.json")["profiles"])


def is_em(code: str) -> bool:
    """An E/M partner code, or the 'E/M' line the selector writes when the note states no level."""
    row = code_table().get(code)
    return row is not None and row.kind == "em_partner"


def barred_pairs(codes: list[str]) -> list[tuple[str, str, PairRule]]:
    """Pairs among ``codes`` that a pair rule with indicator 0 bars."""
    found = []
    for i, a in enumerate(codes):
        for b in codes[i + 1:]:
            for rule in pair_rules():
                if rule.indicator == 0 and rule.applies(a, b):
                    found.append((a, b, rule))
    return found
