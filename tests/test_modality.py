import pytest


@pytest.mark.parametrize("note,modality", [
    ("Session via Zoom.", "video"),
    ("Telehealth video visit using Doxy.me.", "video"),
    ("Session conducted by telephone (audio-only).", "audio_only"),
    ("Audio-only telehealth; patient declined video.", "audio_only"),
    ("Client seen in person.", "in_person"),
    ("Video dropped after 20 minutes; session completed by phone.", "audio_only"),
    ("Client discussed video games and his phone number changed.", None),
    ("Therapy session - 45 minutes.", None),
])
def test_modality(facts, note, modality):
    assert facts(note)["modality"] == modality


def test_switch_is_flagged(facts):
    f = facts("Started on Zoom; video froze so we switched to phone.")
    assert f["modality"] == "audio_only" and f["modality_switch"] is True


@pytest.mark.parametrize("note,location", [
    ("Via video, patient at home.", "home"),
    ("Patient location: car (parked).", "car"),
    ("Client joined from work.", "work"),
    ("Pt located at school.", "school"),
    ("Seen in office.", "clinic"),
])
def test_patient_location(facts, note, location):
    assert facts(note)["patient_location"] == location


@pytest.mark.parametrize("note,consent", [
    ("Verbal consent for telehealth obtained.", True),
    ("Client consented to telehealth services.", True),
    ("Telehealth consent not obtained today.", False),
    ("Session via Zoom.", None),
])
def test_consent(facts, note, consent):
    assert facts(note)["telehealth_consent"] is consent


def test_platform(facts):
    assert facts("Session via Zoom, patient at home.")["platform"] == "zoom"
