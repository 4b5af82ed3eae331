import json
import subprocess
import sys

from billfacts.coding.lookup import describe
from billfacts.coding.table import code_table
import datetime as dt


def run(args, tmp_path):
    return subprocess.run([sys.executable, "-m", "billfacts.cli", *args], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)


def test_90812_is_deleted_and_crosswalked(tmp_path):
    out = run(["codes", "90812", "--date", "2026-01-01"], tmp_path).stdout
    assert "deleted on 2013-01-01" in out
    assert "90834 + 90785" in out


def test_99354_valid_with_90837_in_2021(tmp_path):
    info = json.loads(run(["codes", "99354", "--date", "2021-06-01", "--json"], tmp_path).stdout)
    assert info["valid"] is True and "90837" in info["allowed_primaries"]


def test_date_aware_in_both_directions():
    assert describe("90817", dt.date(2012, 6, 1))["valid"] is True
    assert describe("90817", dt.date(2013, 1, 1))["valid"] is False
    assert describe("90821", dt.date(2026, 1, 1))["crosswalk"] == ["90837"]
    assert describe("90834", dt.date(2012, 12, 31))["valid"] is False


def test_table_covers_the_required_codes():
    table = code_table()
    required = ["90832", "90833", "90834", "90836", "90837", "90838", "90785", "90839", "90840", "90791", "90792",
                "90845", "90846", "90847", "90849", "90853", "90863", "99354", "99355", "G0017", "G0018", "99417",
                "G2212", "90801", "90802", "90857", "90862"] + [f"908{n:02d}" for n in range(4, 30) if n not in (20, 25)]
    for code in required:
        assert table.get(code) is not None, code
    assert table.get("99417").never_with_psychotherapy and table.get("G2212").never_with_psychotherapy
    assert table.get("G0017").valid_from == dt.date(2024, 1, 1)


def test_labels_are_our_own_short_text():
    for row in code_table().rows.values():
        assert len(row.label) <= 110
