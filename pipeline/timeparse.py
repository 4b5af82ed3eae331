"""Normalise the time expressions clinicians write into clock times and minutes.

The spaCy components find *where* a time expression is (TargetMatcher rules in
``resources/target_rules.json``); this module says *what it means*. It is pure and total: any string
gives a value or ``None``, never an exception, so one odd note cannot stop a batch.

Conventions (see ``annotations/GUIDELINES.md``):
- a range whose end is earlier than its start crossed noon (12-hour clock) or midnight (24-hour);
- am/pm written once applies to both ends unless that would make the session run backwards;
- a clock time with no am/pm and no 24-hour form is read in clinic hours: 7-11 morning, 12 noon, 1-6 afternoon;
- a range of durations ("45-50 minutes") counts as its lower end: doubt never rounds up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

MAX_SESSION_MINUTES = 8 * 60

_WORD_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "a": 1, "an": 1,
}

_CLOCK = re.compile(
    r"^\s*(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<mer>[ap]\.?\s?m\.?|[ap](?=\s*$))?\s*$", re.IGNORECASE
)
_MILITARY = re.compile(r"^\s*(?P<h>[01]\d|2[0-3]):?(?P<m>[0-5]\d)\s*(?:hrs?|hours|h)?\s*$", re.IGNORECASE)
_RANGE_SPLIT = re.compile(r"\s*(?:-|–|—|\bto\b|\buntil\b|\btill\b|\bthrough\b|\bthru\b)\s*", re.IGNORECASE)
_LEADING_WORDS = re.compile(r"^\s*(?:from|between)\s+", re.IGNORECASE)
_TRAILING_UNITS = re.compile(r"\s*(?:hrs?|hours|h)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Clock:
    """A clock time as written: hour and minute, meridiem if any, and whether it was 24-hour."""

    hour: int
    minute: int
    meridiem: Optional[str]  # "a" | "p" | None
    military: bool = False

    def minutes_of_day(self, meridiem: Optional[str] = None) -> int:
        mer = self.meridiem or meridiem
        hour = self.hour
        if self.military or self.hour > 12:
            return hour * 60 + self.minute
        if mer == "a":
            hour = 0 if hour == 12 else hour
        elif mer == "p":
            hour = hour if hour == 12 else hour + 12
        else:
            hour = _clinic_hour(hour)
        return hour * 60 + self.minute


def _clinic_hour(hour: int) -> int:
    """Read an hour without am/pm the way an outpatient clinic day runs (07:00-18:59)."""
    if hour == 0:
        return 0
    if 1 <= hour <= 6:
        return hour + 12
    return hour


@dataclass(frozen=True)
class ClockRange:
    start: str  # "HH:MM", 24 h
    end: str
    minutes: int


def parse_clock(text: str, allow_military: bool = True) -> Optional[Clock]:
    """Parse one clock time ("2:05 PM", "10:47", "2pm", "1400"). ``None`` when it is not one."""
    if not isinstance(text, str):
        return None
    match = _CLOCK.match(text)
    if match and (match.group("m") is not None or match.group("mer")):
        hour = int(match.group("h"))
        minute = int(match.group("m") or 0)
        mer = match.group("mer")
        if minute > 59 or hour > 23 or (mer and (hour == 0 or hour > 12)):
            return None
        # A zero-padded hour ("09:30", "01:15") is a 24-hour clock.
        padded = len(match.group("h")) == 2 and match.group("h").startswith("0")
        return Clock(hour, minute, mer[0].lower() if mer else None,
                     military=not mer and (hour == 0 or hour > 12 or padded))
    if allow_military:
        match = _MILITARY.match(text)
        if match:
            return Clock(int(match.group("h")), int(match.group("m")), None, military=True)
    return None


def _format(minutes_of_day: int) -> str:
    minutes_of_day %= 24 * 60
    return f"{minutes_of_day // 60:02d}:{minutes_of_day % 60:02d}"


def clock_span(start: Clock, end: Clock) -> Optional[ClockRange]:
    """The session between two clock times, resolving am/pm written once and noon or midnight crossings."""
    start_mer, end_mer = start.meridiem, end.meridiem
    if start.military or end.military:
        a = start.minutes_of_day()
        b = end.minutes_of_day()
        if b < a and (start.military and end.military):
            b += 24 * 60
        elif b < a:
            # One end 24-hour, the other 12-hour without meridiem: read the 12-hour one after the other.
            b += 12 * 60 if b + 12 * 60 > a else 24 * 60
    elif start_mer and end_mer:
        a = start.minutes_of_day()
        b = end.minutes_of_day()
        if b < a:
            b += 24 * 60  # "11:30 PM - 12:15 AM"
    elif end_mer and not start_mer:
        b = end.minutes_of_day()
        a = start.minutes_of_day(end_mer)
        if a > b:  # "11:30-12:15 PM": the start is in the morning
            a = start.minutes_of_day("a" if end_mer == "p" else "p")
            if a > b:
                a -= 12 * 60
    elif start_mer and not end_mer:
        a = start.minutes_of_day()
        b = end.minutes_of_day(start_mer)
        if b < a:  # "11:30 AM - 12:15": the end is after noon
            b = end.minutes_of_day("p" if start_mer == "a" else "a")
            if b < a:
                b += 12 * 60
    else:
        a = start.minutes_of_day()
        b = end.minutes_of_day()
        if b < a:
            # "11:30-1:00" read in clinic hours gives 11:30-13:00 already; a leftover inversion
            # ("5:30-7:10" -> 17:30-07:10) means the end is twelve hours later.
            b += 12 * 60
            if b < a:
                b += 12 * 60
    minutes = b - a
    if minutes <= 0 or minutes > MAX_SESSION_MINUTES:
        return None
    return ClockRange(_format(a), _format(b), minutes)


def parse_clock_range(text: str) -> Optional[ClockRange]:
    """Parse "2:05 PM - 2:50 PM", "10:00–10:53", "from 1:00 to 1:45pm", "1400-1453". ``None`` otherwise."""
    if not isinstance(text, str):
        return None
    return _parse_clock_range(text)


@lru_cache(maxsize=2048)  # a note that repeats its ranges, or a batch of templated notes, parses each once
def _parse_clock_range(text: str) -> Optional[ClockRange]:
    body = _LEADING_WORDS.sub("", text.strip().rstrip(".,;:)] "))
    body = _TRAILING_UNITS.sub("", body) if re.search(r"\d{4}\s*(?:hrs?|hours|h)\s*$", body, re.I) else body
    parts = _RANGE_SPLIT.split(body, maxsplit=1)
    if len(parts) != 2:
        return None
    left, right = parts
    start = parse_clock(left)
    end = parse_clock(right)
    if start is None and re.fullmatch(r"\s*\d{1,2}\s*", left or "") and end is not None and not end.military:
        start = Clock(int(left), 0, None) if 1 <= int(left) <= 12 else None  # "10-10:45am"
    if end is None and re.fullmatch(r"\s*\d{1,2}\s*", right or "") and start is not None and not start.military:
        end = Clock(int(right), 0, None) if 1 <= int(right) <= 12 else None  # "2:00-3"
    if start is None or end is None:
        return None
    if start.military != end.military:
        # "09:30-10:15", "13:00-14:00": one end is plainly 24-hour and the other has no am/pm, so both are.
        other = end if start.military else start
        if other.meridiem:
            return None
        other = Clock(other.hour, other.minute, None, military=True)
        start, end = (start, other) if start.military else (other, end)
    return clock_span(start, end)


def words_to_number(text: str) -> Optional[float]:
    """'forty-five' -> 45, 'ninety' -> 90, 'an' -> 1, '1.5' -> 1.5, 'one and a half' -> 1.5."""
    if not isinstance(text, str):
        return None
    cleaned = text.strip().lower().replace("~", "").replace("approx.", "").strip()
    if not cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError:
        pass
    half = 0.0
    fraction = re.search(r"\s*(?:and\s+(?:a\s+)?half|1/2|½)$", cleaned)
    if fraction:
        half = 0.5
        cleaned = cleaned[: fraction.start()].strip()
        if not cleaned:
            return half
    mixed = re.fullmatch(r"(\d+)\s*(?:1/2|½)", cleaned)
    if mixed:
        return int(mixed.group(1)) + 0.5
    try:
        return float(cleaned) + half
    except ValueError:
        pass
    total = 0
    for word in re.split(r"[\s-]+", cleaned):
        if word not in _WORD_NUMBERS:
            return None
        total += _WORD_NUMBERS[word]
    return total + half


_DURATION_HOURS_MINUTES = re.compile(
    r"(?P<h>[\w.½/]+(?:[\s-]+(?:and\s+)?(?:a\s+)?half|\s*1/2)?)\s*-?\s*(?:hours?|hrs?|h)\b\.?"
    r"(?:\s*(?:and|,)?\s*(?P<m>[\w.]+(?:[\s-]\w+)?)\s*-?\s*(?:minutes?|mins?|m)\b\.?)?",
    re.IGNORECASE,
)
_DURATION_MINUTES = re.compile(
    r"(?:(?P<lo>\d{1,3})\s*(?:-|–|to)\s*)?(?P<m>[\w.]+(?:[\s-]\w+)?)\s*-?\s*(?:minutes?|mins?|mns?|m)\b\.?",
    re.IGNORECASE,
)
_HALF_HOUR = re.compile(r"\bhalf\s+(?:an?\s+)?hour\b", re.IGNORECASE)


_DURATION_CLOCK = re.compile(r"(?:duration|length)\D{0,25}?(?P<h>[0-2]?\d):(?P<m>[0-5]\d)\s*$")


def parse_duration(text: str) -> Optional[int]:
    """Minutes in a stated duration: "45 minutes", "45-min", "1 hour 15 minutes", "1.5 hours",
    "an hour", "ninety minutes", "half an hour", "45-50 min" (-> 45). ``None`` when none is found."""
    if not isinstance(text, str):
        return None
    body = text.strip().lower()
    body = re.sub(r"^(?:approx(?:imately|\.)?|about|around|roughly|~|x)\s*", "", body)
    clock_like = _DURATION_CLOCK.search(body)
    if clock_like:  # "Session duration: 0:45" is hours and minutes, not a time of day
        value = int(clock_like.group("h")) * 60 + int(clock_like.group("m"))
        return value if 0 < value <= MAX_SESSION_MINUTES else None
    if _HALF_HOUR.search(body):
        return 30
    match = _DURATION_HOURS_MINUTES.search(body)
    if match:
        hours = _last_number(match.group("h"))
        if hours is None:
            return None
        if re.search(r"hours?\s+and\s+a\s+half", body):
            hours += 0.5
        minutes = 0.0
        if match.group("m"):
            parsed = _last_number(match.group("m"))
            if parsed is None:
                return None
            minutes = parsed
        value = round(hours * 60 + minutes)
        return value if 0 < value <= MAX_SESSION_MINUTES else None
    match = _DURATION_MINUTES.search(body)
    if match:
        value = _last_number(match.group("m"))
        if value is None:
            return None
        if match.group("lo"):
            value = min(value, float(match.group("lo")))
        value = round(value)
        return value if 0 < value <= MAX_SESSION_MINUTES else None
    return None


def _last_number(text: str) -> Optional[float]:
    """The number at the end of a phrase: "session of forty-five" -> 45, "1.5" -> 1.5."""
    if text is None:
        return None
    text = text.strip()
    value = words_to_number(text)
    if value is not None:
        return value
    words = re.split(r"\s+", text)
    for take in (3, 2, 1):
        if len(words) >= take:
            value = words_to_number(" ".join(words[-take:]))
            if value is not None:
                return value
    return None
