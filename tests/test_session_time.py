"""Session time through the whole pipeline: formats, roles, scheduled time, conflicts, segments."""

import pytest


@pytest.mark.parametrize("note,minutes,start,end", [
    ("Session 2:05 PM - 2:50 PM via Zoom.", 45, "14:05", "14:50"),
    ("Session time: 10:00–10:53", 53, "10:00", "10:53"),
    ("Seen 1400-1453 hrs.", 53, "14:00", "14:53"),
    ("Start: 10:02 End: 10:58", 56, "10:02", "10:58"),
    ("Session began at 11:30 am and ended at 12:15 pm.", 45, "11:30", "12:15"),
    ("Visit from 12:50 until 1:40 PM.", 50, "12:50", "13:40"),
])
def test_clock_formats(facts, note, minutes, start, end):
    f = facts(note)
    assert (f["psychotherapy_minutes"], f["start_time"], f["end_time"]) == (minutes, start, end)


@pytest.mark.parametrize("note,minutes", [
    ("45 minute psychotherapy session.", 45),
    ("Met with client for 1 hour 15 minutes.", 75),
    ("Session length: 1.5 hours.", 90),
    ("Individual therapy, an hour.", 60),
    ("Duration: ninety minutes.", 90),
    ("Psychotherapy time: 38", 38),
])
def test_stated_durations(facts, note, minutes):
    assert facts(note)["psychotherapy_minutes"] == minutes


def test_em_time_kept_apart_from_psychotherapy_and_total(facts):
    f = facts("Medication management ~15 min; psychotherapy 40 min; total 55.")
    assert (f["em_minutes"], f["psychotherapy_minutes"], f["total_minutes"]) == (15, 40, 55)


def test_em_and_psychotherapy_in_one_sentence(facts):
    f = facts("Spent 15 minutes on medication management and 40 minutes in psychotherapy.")
    assert (f["em_minutes"], f["psychotherapy_minutes"]) == (15, 40)


def test_scheduled_time_is_never_taken_for_actual(facts):
    f = facts("Scheduled 60 min, ended at 42 min because client had to leave.")
    assert f["psychotherapy_minutes"] == 42


def test_non_continuous_segments_are_summed(facts):
    f = facts("Psychotherapy 10:00-10:20 and 10:35-10:55 (interrupted by a fire drill).")
    assert f["psychotherapy_minutes"] == 40


def test_contradiction_is_kept_visible_and_resolved_down(facts):
    f = facts("Session 2:00 PM - 2:45 PM. Total session time 60 minutes.")
    assert f["psychotherapy_minutes"] == 45
    assert f["time_conflicts"] and sorted(f["time_conflicts"][0]["values"]) == [45, 60]
    texts = {e["text"] for e in f["evidence"]["psychotherapy_minutes"]}
    assert "2:00 PM - 2:45 PM" in texts and any("60 minutes" in t for t in texts)


@pytest.mark.parametrize("note", [
    "Client sleeps 6 hours a night and walks 30 minutes daily.",
    "She described panic attacks lasting 10 minutes.",
    "Arrived 10 minutes late.",
    "Next session in 1 week, 45 minutes.",
])
def test_times_that_are_not_the_session(facts, note):
    assert facts(note)["psychotherapy_minutes"] is None


def test_evidence_offsets_slice_the_note(facts):
    note = "Progress note\nSession 3:02-3:48 PM, by phone."
    f = facts(note)
    for records in f["evidence"].values():
        for record in records:
            assert note[record["start"]:record["end"]] == record["text"]
