"""Overlapping target matches: longest wins; a phrase two rules share keeps both labels."""


def test_a_phrase_two_rules_share_keeps_both_labels(nlp):
    """'C-SSRS' is a crisis risk assessment and a documented risk screen; 'grounding' both a
    de-escalation element and an intervention: neither label may be lost to the other."""
    doc = nlp("Completed C-SSRS; low risk. Used grounding. Watching video games is a coping skill.")
    labels = {(s.text, s.label_) for s in doc.spans["billfacts_targets"]}
    assert {("C-SSRS", "CRISIS_RISK"), ("C-SSRS", "DOC_RISK")} <= labels
    assert {("grounding", "CRISIS_DEESCALATION"), ("grounding", "DOC_INTERVENTION")} <= labels
    assert ("video", "MODALITY_VIDEO") not in labels  # a longer match still wins over a shorter one


def test_shared_span_pruning_is_by_position_only():
    from billfacts.components.target_pruning import prune_keeping_shared_spans

    label_of = {1: "A", 2: "B", 3: "C", 4: "A"}
    order_of = {1: 0, 2: 1, 3: 2, 4: 3}
    matches = [(2, 0, 2), (1, 0, 2), (4, 0, 2), (3, 1, 4)]  # (3) is longest and overlaps the others
    assert prune_keeping_shared_spans(matches, label_of, order_of) == [(3, 1, 4)]
    assert prune_keeping_shared_spans([(2, 0, 2), (1, 0, 2), (4, 0, 2), (3, 5, 6)], label_of, order_of) == \
        [(1, 0, 2), (2, 0, 2), (3, 5, 6)]
