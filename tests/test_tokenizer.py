import pytest


@pytest.mark.parametrize("text,tokens", [
    ("2:05PM-2:50PM", ["2:05", "PM", "-", "2:50", "PM"]),
    ("10:00–10:53", ["10:00", "–", "10:53"]),
    ("1400-1453", ["1400", "-", "1453"]),
    ("45min", ["45", "min"]),
    ("1hr", ["1", "hr"]),
    ("F43.10,F41.1", ["F43.10", ",", "F41.1"]),
    ("sertraline 50mg", ["sertraline", "50", "mg"]),
])
def test_clinical_times_split_cleanly(nlp, text, tokens):
    assert [t.text for t in nlp.make_doc(text)] == tokens


def test_tokenizer_is_in_the_config(nlp):
    assert nlp.config["nlp"]["tokenizer"]["@tokenizers"] == "billfacts.clinical_tokenizer.v1"
