"""ConText rules for how clinicians write: negation, history, hypotheticals, family, scheduled time."""

import pytest


def flags(nlp, text, label):
    doc = nlp(text)
    spans = [s for s in doc.spans["billfacts_targets"] if s.label_ == label]
    assert spans, f"no {label} found"
    s = spans[0]
    return {k for k in ("is_negated", "is_historical", "is_hypothetical", "is_uncertain", "is_family", "is_scheduled")
            if getattr(s._, k)}


@pytest.mark.parametrize("text,label,expected", [
    ("No interpreter needed.", "INTERPRETER", {"is_negated"}),
    ("Interpreter declined; client prefers English.", "INTERPRETER", {"is_negated"}),
    ("Client declined interpreter.", "INTERPRETER", {"is_negated"}),
    ("Interpreter: N/A", "INTERPRETER", {"is_negated"}),
    ("Spanish interpreter present throughout.", "INTERPRETER", set()),
    ("Client denies PTSD symptoms.", "DX_NAME", {"is_negated"}),
    ("R/O bipolar disorder.", "DX_NAME", {"is_uncertain"}),
    ("History of alcohol use disorder.", "DX_NAME", {"is_historical"}),
    ("Mother has bipolar disorder.", "DX_NAME", {"is_family"}),
    ("If symptoms return, consider a crisis session.", "SVC_CRISIS", {"is_hypothetical", "is_uncertain"}),
    ("Will schedule a crisis session if symptoms worsen.", "SVC_CRISIS", {"is_hypothetical"}),
    ("Scheduled 60 min, ended at 42 min.", "DURATION", {"is_scheduled"}),
    ("Patient declined video.", "MODALITY_VIDEO", {"is_negated"}),
    ("No mandated report was filed.", "IC_SENTINEL", {"is_negated"}),
    # a terminator (";", "but") ends a backward scope too: medspaCy 1.3.1's overlap test missed a scope inside it
    ("Patient participated via telephone; video not available.", "MODALITY_AUDIO", set()),
    ("Patient participated via telephone; video not available.", "MODALITY_VIDEO", {"is_negated"}),
])
def test_context_cases(nlp, text, label, expected):
    assert flags(nlp, text, label) == expected


def test_scheduled_scope_stops_at_the_actual_time(nlp):
    doc = nlp("Scheduled 60 min, ended at 42 min.")
    durations = [s for s in doc.spans["billfacts_targets"] if s.label_ == "DURATION"]
    assert [s._.is_scheduled for s in durations] == [True, False]


_FLAGS = ("is_negated", "is_historical", "is_hypothetical", "is_uncertain", "is_family", "is_scheduled")


def _context_outcome(doc):
    targets = sorted(doc.spans["billfacts_targets"], key=lambda s: (s.start, s.end, s.label_))
    return [(s.start, s.end, s.label_, tuple(getattr(s._, f) for f in _FLAGS),
             tuple(sorted((m.category, m.modifier_span) for m in s._.modifiers))) for s in targets]


def test_scoped_context_gives_medspacys_stock_result(nlp, dev_texts, monkeypatch):
    """Our ConText asks modifiers about nearby targets only; flags and modifiers must equal stock ConText's
    (given the same corrected overlap test in scope limiting, ``scoped_context.limit_scope``)."""
    from medspacy.context import ConText
    from medspacy.context.context_modifier import ConTextModifier

    from billfacts import rules
    from billfacts.components.medspacy_rules import CONTEXT_ATTRIBUTES, TARGET_GROUP
    from billfacts.components.scoped_context import limit_scope

    monkeypatch.setattr(ConTextModifier, "limit_scope", limit_scope)

    stock = ConText(nlp, name="stock_context", rules=None, span_attrs=CONTEXT_ATTRIBUTES,
                    input_span_type="group", span_group_name=TARGET_GROUP)
    stock.add(rules.context_rules())
    upto_targets = [pipe for name, pipe in nlp.pipeline[:nlp.pipe_names.index("billfacts_context")]]
    ours = nlp.get_pipe("billfacts_context")
    for text in dev_texts:
        mine, theirs = nlp.make_doc(text), nlp.make_doc(text)
        for pipe in upto_targets:
            mine, theirs = pipe(mine), pipe(theirs)
        assert _context_outcome(ours(mine)) == _context_outcome(stock(theirs))


def test_flags_read_directly_equal_spacys_extension_values(nlp, dev_texts):
    from billfacts.components.spans import flag

    for text in dev_texts[:40]:
        doc = nlp(text)
        for span in doc.spans["billfacts_targets"]:
            for name in _FLAGS:
                assert flag(span, name) == bool(getattr(span._, name))


def test_linear_pruning_equals_medspacys():
    import random

    from medspacy.common.util import prune_overlapping_matches as stock

    from billfacts.components.target_pruning import prune_overlapping_matches as ours

    rng = random.Random(5)
    for _ in range(300):
        matches = []
        for _ in range(rng.randint(0, 40)):
            start = rng.randint(0, 60)
            matches.append((rng.randint(1, 4), start, start + rng.randint(1, 6)))
        assert ours(list(matches)) == stock(list(matches))
