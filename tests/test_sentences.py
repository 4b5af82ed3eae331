def test_line_breaks_and_full_stops_end_sentences(nlp):
    doc = nlp("Session 10:00-10:45\nNo interpreter needed. Client denies SI.\nDx: F41.1")
    sentences = [s.text.strip() for s in doc.sents if s.text.strip()]
    assert "Session 10:00-10:45" in sentences
    assert "No interpreter needed." in sentences
    assert "Client denies SI." in sentences


def test_abbreviation_does_not_split_but_capital_after_it_does(nlp):
    doc = nlp("Spent approx. 40 min.  Psychotherapy followed.")
    texts = [s.text.strip() for s in doc.sents]
    assert texts[0].startswith("Spent approx. 40 min.")
    assert texts[-1] == "Psychotherapy followed."
