"""The target component: medspaCy's TargetMatcher with our rules, spans in the span group."""


def test_spans_and_rules_are_those_targetmatcher_itself_makes(nlp, dev_texts):
    component = nlp.get_pipe("billfacts_targets")
    before = [pipe for name, pipe in nlp.pipeline[:nlp.pipe_names.index("billfacts_targets")]]
    for text in dev_texts[:60]:
        ours, theirs = nlp.make_doc(text), nlp.make_doc(text)
        for pipe in before:
            ours, theirs = pipe(ours), pipe(theirs)
        component(ours)
        expected = component._matcher(theirs)  # TargetMatcher.__call__ with result_type=None
        got = list(ours.spans["billfacts_targets"])
        assert [(s.start, s.end, s.label_) for s in got] == [(s.start, s.end, s.label_) for s in expected]
        assert [s._.target_rule for s in got] == [s._.target_rule for s in expected]


def test_targets_live_in_a_span_group_not_in_ents(nlp):
    doc = nlp("Session 2:05 PM - 2:50 PM via Zoom, patient at home.")
    assert len(doc.spans["billfacts_targets"]) > 0
    assert len(doc.ents) == 0
