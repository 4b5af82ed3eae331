import pytest


@pytest.mark.parametrize("note,interpreter,factors", [
    ("Spanish interpreter present throughout.", True, []),
    ("No interpreter needed.", False, []),
    ("Interpreter declined.", False, []),
    ("Professional interpreter used due to limited English proficiency; interpretation slowed the work.", True,
     ["interpreter_or_device"]),
    ("Client does not speak English; session through a Somali interpreter.", True, ["interpreter_or_device"]),
    ("Parents argued with each other and talked over one another.", False, ["maladaptive_communication"]),
    ("Mother repeatedly interrupted and answered for him, interfering with the plan.", False, ["caregiver_interference"]),
    ("Client disclosed abuse; clinician filed a report with CPS.", False, ["sentinel_event"]),
    ("No mandated report required; no caregiver interference noted.", False, []),
    ("Used play equipment to communicate with the 5-year-old.", False, ["interpreter_or_device"]),
    ("Court-mandated therapy; probation officer called the clinician.", False, []),
])
def test_factors(facts, note, interpreter, factors):
    f = facts(note)
    assert f["interpreter"] is interpreter
    assert f["interactive_complexity_factors"] == factors
    for factor in factors:
        assert f["evidence"][f"interactive_complexity_factors.{factor}"]
