"""The time normaliser: every format clinicians write, and properties that must hold for any input."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from billfacts import timeparse

CLOCK_RANGES = [
    ("2:05 PM - 2:50 PM", "14:05", "14:50", 45),
    ("2:05PM-2:50PM", "14:05", "14:50", 45),
    ("10:00–10:53", "10:00", "10:53", 53),
    ("10:00-10:47 AM", "10:00", "10:47", 47),
    ("1400-1453", "14:00", "14:53", 53),
    ("0900-0953 hrs", "09:00", "09:53", 53),
    ("from 1:00 to 1:45pm", "13:00", "13:45", 45),
    ("11:30-12:15 PM", "11:30", "12:15", 45),  # am/pm once, crossing noon
    ("11:45 AM - 12:30 PM", "11:45", "12:30", 45),
    ("11:30 to 12:15", "11:30", "12:15", 45),
    ("12:50-1:40 PM", "12:50", "13:40", 50),
    ("9:00 am to 9:53", "09:00", "09:53", 53),
    ("3:02 until 3:48 p.m.", "15:02", "15:48", 46),
    ("10-10:45am", "10:00", "10:45", 45),
    ("2:00 p.m. - 2:58 p.m..", "14:00", "14:58", 58),
    ("11:30 PM - 12:15 AM", "23:30", "00:15", 45),
]


@pytest.mark.parametrize("text,start,end,minutes", CLOCK_RANGES)
def test_clock_range_formats(text, start, end, minutes):
    parsed = timeparse.parse_clock_range(text)
    assert parsed is not None, text
    assert (parsed.start, parsed.end, parsed.minutes) == (start, end, minutes)


DURATIONS = [
    ("45 minutes", 45), ("45-min", 45), ("45min", 45), ("45 mins", 45), ("1 hour 15 minutes", 75),
    ("1 hr 10 min", 70), ("1.5 hours", 90), ("an hour", 60), ("1hr", 60), ("ninety minutes", 90),
    ("forty-five minutes", 45), ("half an hour", 30), ("an hour and a half", 90), ("one and a half hours", 90),
    ("1 1/2 hours", 90), ("approximately 53 minutes", 53), ("~15 min", 15), ("45-50 min", 45),
]


@pytest.mark.parametrize("text,minutes", DURATIONS)
def test_duration_formats(text, minutes):
    assert timeparse.parse_duration(text) == minutes


@pytest.mark.parametrize("text", ["", "no time here", "PHQ-9 12-15", "03/02/2026", "25:00-26:00", "10:75-11:00"])
def test_non_times_give_none(text):
    assert timeparse.parse_clock_range(text) is None


@settings(max_examples=300, deadline=None)
@given(start=st.integers(0, 23 * 60 + 59), length=st.integers(1, 8 * 60), fmt=st.sampled_from(["24", "12both", "mil"]))
def test_any_valid_clock_range_gives_end_minus_start(start, length, fmt):
    end = start + length
    sh, sm, eh, em = start // 60, start % 60, (end // 60) % 24, end % 60

    def h12(h):
        return f"{12 if h % 12 == 0 else h % 12}:{{:02d}} {'AM' if h < 12 else 'PM'}"

    if fmt == "24":
        text = f"{sh:02d}:{sm:02d}-{eh:02d}:{em:02d}"
    elif fmt == "mil":
        text = f"{sh:02d}{sm:02d}-{eh:02d}{em:02d}"
    else:
        text = h12(sh).format(sm) + " - " + h12(eh).format(em)
    parsed = timeparse.parse_clock_range(text)
    assert parsed is not None, text
    assert parsed.minutes == length
    assert parsed.start == f"{sh:02d}:{sm:02d}"


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=40))
def test_parsers_never_raise_and_never_go_negative(text):
    parsed = timeparse.parse_clock_range(text)
    assert parsed is None or parsed.minutes > 0
    minutes = timeparse.parse_duration(text)
    assert minutes is None or minutes > 0
    timeparse.parse_clock(text)
    timeparse.words_to_number(text)
