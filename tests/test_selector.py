"""The code selector from plain facts: bands, boundaries, dates, payers, pairs, properties."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from billfacts import select_codes
from billfacts.coding.table import barred_pairs, code_table
from ledger import tried

DX = [{"code": "F41.1", "text": "F41.1", "status": "affirmed"}]


def facts(**kw):
    base = {"service_type": "individual", "modality": "in_person", "patient_location": "clinic", "diagnoses": DX}
    base.update(kw)
    return base


def codes(result):
    return [(line.code, line.units) for line in result.lines]


@pytest.mark.parametrize("minutes,expected", [
    (15, []), (16, [("90832", 1)]), (37, [("90832", 1)]), (38, [("90834", 1)]), (52, [("90834", 1)]),
    (53, [("90837", 1)]), (75, [("90837", 1)]), (90, [("90837", 1)]), (140, [("90837", 1)]),
])
def test_individual_bands_2026(minutes, expected):
    assert codes(select_codes(facts(psychotherapy_minutes=minutes), "2026-03-01")) == expected


@pytest.mark.parametrize("minutes,expected", [
    (15, [("E/M", 1)]), (16, [("E/M", 1), ("90833", 1)]), (37, [("E/M", 1), ("90833", 1)]),
    (38, [("E/M", 1), ("90836", 1)]), (52, [("E/M", 1), ("90836", 1)]), (53, [("E/M", 1), ("90838", 1)]),
])
def test_em_addon_bands(minutes, expected):
    result = select_codes(facts(psychotherapy_minutes=minutes, em_present=True, em_minutes=15), "2026-03-01")
    assert codes(result) == expected


@pytest.mark.parametrize("minutes,expected", [
    (29, [("90832", 1)]), (30, [("90839", 1)]), (74, [("90839", 1)]), (75, [("90839", 1), ("90840", 1)]),
    (104, [("90839", 1), ("90840", 1)]), (105, [("90839", 1), ("90840", 2)]), (135, [("90839", 1), ("90840", 3)]),
])
def test_crisis_bands(minutes, expected):
    f = facts(service_type="crisis", psychotherapy_minutes=minutes, crisis_elements=["risk_assessment", "safety_planning"])
    assert codes(select_codes(f, "2026-03-01")) == expected


@pytest.mark.parametrize("minutes,expected", [(25, []), (26, [("90847", 1)]), (50, [("90847", 1)])])
def test_family_threshold(minutes, expected):
    f = facts(service_type="family_with_patient", psychotherapy_minutes=minutes)
    assert codes(select_codes(f, "2026-03-01")) == expected


@pytest.mark.parametrize("minutes,expected", [
    (89, [("90837", 1)]), (90, [("90837", 1), ("99354", 1)]), (134, [("90837", 1), ("99354", 1)]),
    (135, [("90837", 1), ("99354", 1), ("99355", 1)]), (165, [("90837", 1), ("99354", 1), ("99355", 2)]),
])
def test_prolonged_with_90837_before_2023(minutes, expected):
    assert codes(select_codes(facts(psychotherapy_minutes=minutes), "2021-06-01")) == expected


@pytest.mark.parametrize("minutes,expected", [
    (79, [("90847", 1)]), (80, [("90847", 1), ("99354", 1)]), (124, [("90847", 1), ("99354", 1)]),
    (125, [("90847", 1), ("99354", 1), ("99355", 1)]),
])
def test_prolonged_with_90847_before_2023(minutes, expected):
    f = facts(service_type="family_with_patient", psychotherapy_minutes=minutes)
    assert codes(select_codes(f, "2021-06-01")) == expected


def test_prolonged_codes_end_on_2022_12_31():
    assert codes(select_codes(facts(psychotherapy_minutes=95), "2022-12-31")) == [("90837", 1), ("99354", 1)]
    result = select_codes(facts(psychotherapy_minutes=95), "2023-01-01")
    assert codes(result) == [("90837", 1)]
    assert any(w.rule_id == "prolonged_deleted" for w in result.warnings)


def test_2013_edge():
    assert codes(select_codes(facts(psychotherapy_minutes=45), "2013-01-01")) == [("90834", 1)]
    result = select_codes(facts(psychotherapy_minutes=45), "2012-12-31")
    assert "90834" not in [c for c, _ in codes(result)]
    assert any(w.rule_id == "pre_2013" for w in result.warnings)


def test_interactive_complexity_needs_a_factor_and_a_primary():
    with_factor = facts(psychotherapy_minutes=47, interpreter=True, interactive_complexity_factors=["interpreter_or_device"])
    assert codes(select_codes(with_factor, "2026-03-01")) == [("90834", 1), ("90785", 1)]
    interpreter_only = facts(psychotherapy_minutes=47, interpreter=True)
    assert codes(select_codes(interpreter_only, "2026-03-01")) == [("90834", 1)]
    crisis = facts(service_type="crisis", psychotherapy_minutes=80, interactive_complexity_factors=["sentinel_event"])
    assert "90785" not in [c for c, _ in codes(select_codes(crisis, "2026-03-01"))]
    family = facts(service_type="family_with_patient", psychotherapy_minutes=50,
                   interactive_complexity_factors=["maladaptive_communication"])
    assert "90785" not in [c for c, _ in codes(select_codes(family, "2026-03-01"))]


def test_modifiers_and_pos_by_payer():
    video_home = facts(psychotherapy_minutes=46, modality="video", patient_location="home")
    medicare = select_codes(video_home, "2026-03-01", "medicare").lines[0]
    assert (medicare.modifiers, medicare.pos) == ([], "10")
    commercial = select_codes(video_home, "2026-03-01", "commercial").lines[0]
    assert (commercial.modifiers, commercial.pos) == (["95"], "10")
    legacy = select_codes(video_home, "2026-03-01", "legacy_gt").lines[0]
    assert legacy.modifiers == ["GT"]
    audio = select_codes(facts(psychotherapy_minutes=46, modality="audio_only", patient_location="home"),
                         "2026-03-01", "medicare").lines[0]
    assert audio.modifiers == ["93"]
    fqhc = select_codes(facts(psychotherapy_minutes=46, modality="audio_only", patient_location="home"),
                        "2026-03-01", "medicare_fqhc").lines[0]
    assert fqhc.modifiers == ["FQ"]
    elsewhere = select_codes(facts(psychotherapy_minutes=46, modality="video", patient_location="work"),
                             "2026-03-01", "medicare").lines[0]
    assert elsewhere.pos == "02"


def test_modifier_25_only_where_the_profile_asks():
    f = facts(psychotherapy_minutes=40, em_present=True, em_minutes=15)
    assert select_codes(f, "2026-03-01", "commercial").lines[0].modifiers == []
    assert select_codes(f, "2026-03-01", "commercial_modifier_25").lines[0].modifiers == ["25"]


def test_two_units_of_90834_only_as_an_opt_in():
    f = facts(psychotherapy_minutes=90)
    assert codes(select_codes(f, "2026-03-01", "commercial")) == [("90837", 1)]
    assert codes(select_codes(f, "2026-03-01", "commercial_two_units")) == [("90834", 2)]


def test_no_minutes_no_timed_code():
    result = select_codes(facts(psychotherapy_minutes=None), "2026-03-01")
    assert result.lines == [] and any(w.rule_id == "no_time" for w in result.warnings)


def test_every_line_explains_itself():
    f = facts(psychotherapy_minutes=45, evidence={"psychotherapy_minutes": [{"start": 0, "end": 6, "text": "45 min"}]})
    line = select_codes(f, "2026-03-01").lines[0]
    assert line.rule_id and line.rationale and line.evidence[0].text == "45 min"


FACTS = st.fixed_dictionaries({
    "em_code": st.sampled_from([None, "99214", "99201", "99213", "99999"]),
    "service_type": st.sampled_from(["individual", "crisis", "family_with_patient", "family_without_patient", "group",
                                     "diagnostic_eval", "em_only", "other", None]),
    "psychotherapy_minutes": st.one_of(st.none(), st.integers(0, 240)),
    "em_present": st.booleans(),
    "modality": st.sampled_from(["in_person", "video", "audio_only", None]),
    "patient_location": st.sampled_from(["home", "car", "work", "clinic", None]),
    "interpreter": st.booleans(),
    "interactive_complexity_factors": st.lists(st.sampled_from(["maladaptive_communication", "caregiver_interference",
                                                                "sentinel_event", "interpreter_or_device"]),
                                               unique=True, max_size=2),
    "crisis_elements": st.just(["risk_assessment", "safety_planning"]),
    "diagnostic_eval_medical": st.booleans(),
    "group_participants": st.one_of(st.none(), st.integers(2, 12)),
})
DATES = st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2027, 12, 31))
PAYERS = st.sampled_from(["commercial", "medicare", "legacy_gt", "medicare_fqhc", "commercial_two_units"])


@settings(max_examples=400, deadline=None)
@given(FACTS, DATES, PAYERS)
def test_properties(f, dos, payer):
    tried("property examples: selector invariants")
    result = select_codes(f, dos, payer)
    table = code_table()
    emitted = [line.code for line in result.lines]
    for line in result.lines:
        row = table.get(line.code)
        assert row is not None and row.valid_on(dos), f"{line.code} invalid on {dos}"
        if row.kind == "addon":
            primaries = set(row.allowed_primaries)
            has_em = any(table.get(code).kind == "em_partner" for code in emitted)
            assert primaries & set(emitted) or ("E/M" in primaries and has_em), f"{line.code} alone"
        assert line.rule_id and line.rationale
    assert not barred_pairs(emitted)
    assert select_codes(f, dos, payer).model_dump() == result.model_dump()


RANK = {"90832": 1, "90834": 2, "90837": 3, "90833": 1, "90836": 2, "90838": 3}


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 200), st.integers(1, 60), st.booleans(), DATES)
def test_codes_never_move_down_when_minutes_grow(minutes, more, em, dos):
    tried("property examples: selector invariants")
    def level(m):
        lines = select_codes(facts(psychotherapy_minutes=m, em_present=em), dos).lines
        return max([RANK.get(line.code, 0) for line in lines] + [0]), sum(line.units for line in lines)

    assert level(minutes + more) >= level(minutes)


def test_e_m_code_stated_in_the_note_is_used_when_valid_on_the_date():
    f = facts(psychotherapy_minutes=20, em_present=True, em_code="99214")
    assert codes(select_codes(f, "2026-03-02")) == [("99214", 1), ("90833", 1)]
    deleted = facts(psychotherapy_minutes=20, em_present=True, em_code="99201")
    result = select_codes(deleted, "2026-03-02")
    assert codes(result) == [("E/M", 1), ("90833", 1)]
    assert any(w.rule_id == "em_code_invalid" for w in result.warnings)


# Codes that replace one another as minutes grow, cheapest first (CMS fee schedule order; crisis time
# under 30 minutes is billed as routine psychotherapy, and Medicare's outside-office crisis code G0017
# pays above 90839). E/M lines are leveled by decision making, not minutes, and are left out.
PAY_LADDERS = (("90832", "90834", "90837", "90839", "G0017"), ("90833", "90836", "90838", "90839", "G0017"),
               ("90804", "90806", "90808"), ("90805", "90807", "90809"), ("90810", "90812", "90814"),
               ("90811", "90813", "90815"), ("90816", "90818", "90821"), ("90817", "90819", "90822"),
               ("90846", "90847"))


def _outranks(code: str, other: str) -> bool:
    return any(code in ladder and other in ladder and ladder.index(code) > ladder.index(other)
               for ladder in PAY_LADDERS)


@settings(max_examples=400, deadline=None)
@given(FACTS, st.integers(1, 90), DATES, PAYERS)
def test_more_minutes_never_pay_less(f, more, dos, payer):
    """Whatever the service, date and payer, adding minutes never drops a code or a unit without a code
    that pays more in its place: no claim pays more for fewer minutes."""
    tried("property examples: selector invariants")
    if f["psychotherapy_minutes"] is None:
        f = dict(f, psychotherapy_minutes=0)
    fewer = select_codes(f, dos, payer).lines
    longer = select_codes(dict(f, psychotherapy_minutes=f["psychotherapy_minutes"] + more), dos, payer).lines
    units = {}
    for line in longer:
        units[line.code] = units.get(line.code, 0) + line.units
    table = code_table()

    def replaced(code):
        # A payer that takes two units of 90834 for 90 minutes or more pays them above one 90837.
        two_units = code == "90837" and units.get("90834", 0) >= 2
        return two_units or any(_outranks(other, code) for other in units)

    for line in fewer:
        if table.get(line.code).kind == "em_partner":
            continue
        kept = units.get(line.code, 0) >= line.units
        # Interactive complexity rides on its primary: a crisis code that outranks the primary bars it.
        rode_on_a_replaced_primary = line.code == "90785" and any(replaced(other.code) for other in fewer)
        assert kept or replaced(line.code) or rode_on_a_replaced_primary, \
            (line.code, line.units, sorted(units.items()))
