"""The generated ICD-10-CM table (``resources/icd10cm.tsv.gz``) against simple-icd-10-cm, its source."""

import importlib.metadata
import random
import subprocess
import sys

import pytest

from billfacts import icd10cm

icd = pytest.importorskip("simple_icd_10_cm")


def test_edition_is_the_one_the_package_ships():
    edition = icd10cm.edition()
    assert f"simple-icd-10-cm {importlib.metadata.version('simple-icd-10-cm')}" in edition
    assert "FY20" in edition
    import billfacts

    assert billfacts.analyze("Dx: F41.1").versions.icd10cm == edition


def test_table_matches_the_package_on_a_sample():
    codes = [c for c in icd.get_all_codes(True) if not icd.is_chapter_or_block(c)]
    for code in random.Random(3).sample(codes, 400) + ["F41.1", "F32.A", "F43.8", "F02.A0", "T43.641A"]:
        assert icd10cm.check(code) == (code, bool(icd.is_leaf(code))), code
        assert icd10cm.title(code) == " ".join(icd.get_description(code).split()), code
    assert len(codes) == len(icd10cm.code_set()._codes)


@pytest.mark.parametrize("words,code", [
    ("hypertension", "I10"), ("depression", "F32.A"), ("anxiety", "F41.9"), ("chronic renal failure", "N18.9"),
    ("osteoarthritis", "M19.90"), ("dyspareunia", "N94.10"),
])
def test_term_lookup(words, code):
    found = icd10cm.lookup(icd10cm.normalise(words))
    assert icd10cm.billable_leaf(found) == code


@pytest.mark.parametrize("category,leaf", [("F20", "F20.9"), ("G30", "G30.9"), ("G47.3", "G47.30"),
                                          ("I25.1", "I25.10"), ("R10.2", "R10.20"), ("F41.1", "F41.1")])
def test_categories_narrow_to_their_unspecified_leaf(category, leaf):
    assert icd10cm.billable_leaf(category) == leaf


def test_run_time_never_imports_the_slow_packages():
    """Start-up: the table replaces simple-icd-10-cm (a 2 s import); NLTK, which medspaCy's QuickUMLS
    imports, and requests stay stand-ins until something reads them."""
    code = ("import sys, billfacts; billfacts.analyze('Dx: F41.1, I10'); "
            "print('simple_icd_10_cm' in sys.modules, type(sys.modules['nltk']).__name__, "
            "type(sys.modules['requests']).__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "_DeferredModule", "_DeferredModule"]


def test_deferred_module_loads_the_real_one_when_read():
    code = ("import billfacts, sys, nltk; assert type(sys.modules['nltk']).__name__ == '_DeferredModule'; "
            "nltk.corpus; print(type(sys.modules['nltk']).__name__, hasattr(nltk, 'word_tokenize'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["module", "True"]


def test_shipped_table_is_what_the_script_writes(tmp_path):
    """The committed table is current with the pinned simple-icd-10-cm (rerun scripts/build_icd10cm.py)."""
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "scripts" / "build_icd10cm.py"
    spec = importlib.util.spec_from_file_location("build_icd10cm", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path / "icd10cm.tsv.gz")
    assert (tmp_path / "icd10cm.tsv.gz").read_bytes() == module.OUT.read_bytes()
