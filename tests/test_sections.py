import pytest


@pytest.mark.parametrize("header,category", [
    ("Subjective:", "subjective"), ("S:", "subjective"), ("Data:", "data"), ("Behavior:", "behavior"),
    ("Intervention:", "intervention"), ("Response:", "response"), ("Goal:", "goal"), ("Assessment:", "assessment"),
    ("Plan:", "plan"), ("Mental Status Exam:", "mental_status_exam"), ("MSE:", "mental_status_exam"),
    ("Risk Assessment:", "risk_assessment"), ("MEDICATION MANAGEMENT:", "medication_management"),
    ("Psychotherapy:", "psychotherapy"), ("Diagnosis:", "diagnosis"), ("Dx:", "diagnosis"),
])
def test_behavioral_health_headers(nlp, header, category):
    doc = nlp(f"Progress note\n{header} some text here.\n")
    assert category in [c for c, _, _ in doc._.bf_sections]


def test_header_must_start_a_line(nlp):
    doc = nlp("Client reported a plan: to call her sister.")
    assert "plan" not in [c for c, _, _ in doc._.bf_sections]


def _stock_sectionizer(nlp):
    """medspaCy's own Sectionizer with our headers as it took them before the line lookup: phrase rules
    for "Header:" forms and token patterns (header words, then whitespace) for headers alone on a line."""
    from medspacy.section_detection import Sectionizer, SectionRule

    from billfacts import rules

    stock = Sectionizer(nlp, name="stock_sections", rules=None, require_start_line=True, span_attrs=None,
                        apply_sentence_boundary=True)
    line_rules = [
        SectionRule(literal=rule.literal, category=rule.category,
                    pattern=[{"LOWER": t.lower_} for t in nlp.make_doc(rule.literal)] + [{"IS_SPACE": True}])
        for rule in rules.line_header_rules()
    ]
    stock.add(rules.section_rules() + line_rules)
    return stock


def test_sections_are_those_of_medspacys_stock_sectionizer(nlp, dev_texts):
    ours = nlp.get_pipe("billfacts_sections")._sectionizer
    stock = _stock_sectionizer(nlp)
    sentences = nlp.get_pipe("billfacts_sentences")
    extra = ["Mental Status Exam\nCalm.\nPLAN\n", "  Risk assessment  \nLow.\nplan", "Plan\tnext week\nAssessment"]
    for text in list(dev_texts) + extra:
        mine, theirs = sentences(nlp.make_doc(text)), sentences(nlp.make_doc(text))
        ours(mine)
        stock(theirs)
        assert [(s.category, s.title_span, s.body_span) for s in mine._.sections] == \
            [(s.category, s.title_span, s.body_span) for s in theirs._.sections]
        assert [t._.section_category for t in mine] == [t._.section_category for t in theirs]
        assert [t.is_sent_start for t in mine] == [t.is_sent_start for t in theirs]


def test_parent_sections_are_refused(nlp):
    from medspacy.section_detection import SectionRule

    with pytest.raises(NotImplementedError):
        nlp.get_pipe("billfacts_sections")._sectionizer.add(
            [SectionRule(literal="sub plan:", category="sub", parents=["plan"])])
