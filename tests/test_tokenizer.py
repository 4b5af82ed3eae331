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


def test_dropping_whitespace_exceptions_changes_no_token(nlp, dev_texts):
    """The speed-up (no special case for "\\n"/"\\t") must give exactly English's tokens, offsets and norms."""
    from spacy.lang.en import English
    from spacy.tokenizer import Tokenizer

    ours = nlp.tokenizer
    reference = Tokenizer(nlp.vocab, rules=English.Defaults.tokenizer_exceptions, prefix_search=ours.prefix_search,
                          suffix_search=ours.suffix_search, infix_finditer=ours.infix_finditer,
                          token_match=ours.token_match, url_match=ours.url_match)
    extra = ["Pt seen\tin person.\r\n\r\nS: 'can't sleep'\n\n\tO: calm\u00a0affect \n", "a.m.\n\n10 p.m.\t:)\n"]
    for text in list(dev_texts) + extra:
        seen = [(t.text, t.idx, t.norm_, t.whitespace_) for t in ours(text)]
        expected = [(t.text, t.idx, t.norm_, t.whitespace_) for t in reference(text)]
        assert seen == expected
