"""Billed codes as people write them (issue 9): one syntax, malformed and unknown codes are findings,
a lower code than the note supports is revenue left behind."""

import pytest

import billfacts
from billfacts.gaps.billed import parse_billed

NOTE = "Individual psychotherapy in office, 1:00-1:55 PM. CBT for worry. Plan: weekly. Dx F41.1"


@pytest.mark.parametrize("written", ["90837-95", "90837 95", "90837,95", "90837:95", " 90837-95 ", "90837 - 95"])
def test_one_modifier_written_four_ways_is_read_one_way(written):
    codes, problems = parse_billed(written)
    assert [(c.code, c.modifiers) for c in codes] == [("90837", ["95"])] and not problems


def test_several_codes_and_modifiers():
    codes, problems = parse_billed(["90834-95-59; 90785", "G0017"])
    assert [(c.code, c.modifiers) for c in codes] == [("90834", ["95", "59"]), ("90785", []), ("G0017", [])]
    assert not problems


@pytest.mark.parametrize("written,reason", [("9083X", "malformed"), ("95", "modifier_without_code"),
                                            ("90837-955", "malformed"), ("hello", "malformed")])
def test_what_is_not_a_code_is_named(written, reason):
    codes, problems = parse_billed(written)
    assert [p.reason for p in problems] == [reason]


def gap_ids(billed):
    result = billfacts.analyze(NOTE, billed_codes=billed, date_of_service="2026-03-02")
    return {gap.id: gap.message for gap in result.gaps.items}


@pytest.mark.parametrize("billed", [["99999"], ["9083X"], ["90837", "ABCDEFG"]])
def test_a_malformed_or_unknown_billed_code_is_a_finding_of_its_own(billed):
    assert "billed_code_invalid" in gap_ids(billed)


def test_a_lower_code_than_the_note_supports_is_revenue_left_behind_not_unsupported():
    gaps = gap_ids(["90834"])
    assert "billed_code_unsupported" not in gaps
    assert "billed 90834 where the note supports 90837" in gaps["supported_code_not_billed"]


def test_a_higher_code_than_the_note_supports_is_unsupported():
    short = "Individual psychotherapy in office, 1:00-1:40 PM. CBT. Plan: weekly. Dx F41.1"
    result = billfacts.analyze(short, billed_codes=["90837"], date_of_service="2026-03-02")
    assert "billed_code_unsupported" in {gap.id for gap in result.gaps.items}


def test_the_supported_code_billed_as_written_raises_no_claim_finding():
    assert not {"billed_code_invalid", "billed_code_unsupported", "supported_code_not_billed"} & set(gap_ids(["90837"]))
