"""FastRegexMatcher must find exactly what medspaCy's own RegexMatcher finds, for every rule we ship."""

import re

import pytest
from medspacy.common.regex_matcher import RegexMatcher

from billfacts.components.regex_scan import RuleScan, split_leading_assertion, word_beginnings

EDGE_TEXTS = [
    "",
    "İstanbul trip; pt seen via video at 2:05 PM - 2:50 PM.",  # lower-casing lengthens "İ"
    "explan: plan: PLAN:\nPlan : next week",
    "Time in 10:02\ttime out 10:58 (56 min) ~45min",
    "SESSION 14:00-14:53 VIA ZOOM, PT AT HOME. DX F41.1, F43.10",
    "maladaptive communication;maladaptivecommunication _plan: x",
]


def _matchers(nlp):
    for pipe, attribute in (("billfacts_targets", "_matcher"), ("billfacts_context", "_context"),
                            ("billfacts_sections", "_sectionizer")):
        medspacy_component = getattr(nlp.get_pipe(pipe), attribute)
        inner = next(value for key, value in vars(medspacy_component).items() if key.endswith("__matcher"))
        yield inner._MedspacyMatcher__regex_matcher


@pytest.fixture(scope="module")
def scans(nlp):
    return [(scan.pattern, scan) for matcher in _matchers(nlp) for rule in matcher._scans.values() for scan in rule]


def test_every_rule_scans_as_medspacy_would(scans, dev_texts):
    assert len(scans) > 50
    texts = list(dev_texts) + EDGE_TEXTS + [t.upper() for t in dev_texts[:20]]
    for text in texts:
        lower = text.lower()
        lower = lower if len(lower) == len(text) else None
        for pattern, scan in scans:
            assert list(scan.spans(text, lower)) == [m.span() for m in pattern.finditer(text)], pattern.pattern


def _medspacy_matcher(matcher):
    """medspaCy's own RegexMatcher holding the same compiled patterns."""
    reference = RegexMatcher(matcher.vocab)
    for match_id, patterns in matcher._patterns.items():
        reference._patterns[match_id] = patterns
        reference._callbacks[match_id] = None
    return reference


def test_the_whole_matcher_agrees_with_medspacys(nlp, dev_texts):
    """Same spans as medspaCy's RegexMatcher (its resolution of misaligned matches included); our
    triggers only skip rules that cannot match."""
    for matcher in _matchers(nlp):
        reference = _medspacy_matcher(matcher)
        for text in list(dev_texts) + EDGE_TEXTS + ["SI: no. HI:  none\nSelf-harm:\tdenies"]:
            doc = nlp.make_doc(text)
            assert sorted(matcher(doc)) == sorted(reference(doc))


@pytest.mark.parametrize("source,split", [
    (r"\bplan\s*:", (r"\b", r"plan\s*:")),
    (r"(?<![\w:/.])(?:about|around)\s*\d+", (r"(?<![\w:/.])", r"(?:about|around)\s*\d+")),
    (r"(?<![\w:/.])(?:about|~)\s*\d+", None),  # "~" and digits: too many candidates to check one by one
    (r"\b(?:about\s*)?\d+", None),
    (r"\b(?P<n>two|three)\s+members", (r"\b", r"(?P<n>two|three)\s+members")),
    (r"(?<=[(])x", (r"(?<=[(])", "x")),
    (r"\bfoo|bar", None),  # the assertion guards the first alternative only
    (r"\bfoo|\bbar", (r"\b", r"(?:foo|bar)")),  # every alternative guarded: one guard for all
    (r"(?m)^plan", None),
    (r"plan\b", None),
])
def test_leading_assertions_are_split_only_when_they_guard_the_whole_rule(source, split):
    assert split_leading_assertion(source) == split


def test_a_candidate_failing_its_assertion_is_retried_one_character_later():
    scan = RuleScan.plan(re.compile(r"\b(?:ab)+c", re.IGNORECASE))
    text = "xabab abc ABABC"
    assert list(scan.spans(text, text.lower())) == [m.span() for m in scan.pattern.finditer(text)] == [(6, 9), (10, 15)]


@pytest.mark.parametrize("source,expected", [
    (r"\d{1,2}:\d{2}", True), (r"(?:[01]\d|2[0-3])[0-5]\d", True), (r"99(?:213|214)", True),
    (r"(?:from\s+)?\d+", False), (r"\d*x", False), (r"(?:\d+|two)\s+members", False), (r"[0-9a]", False),
])
def test_digit_led_rules_are_recognised(source, expected):
    from billfacts.components.regex_scan import starts_with_digit

    assert starts_with_digit(source, 0) is expected


@pytest.mark.parametrize("source,way", [
    (r"(?<![\d/:.])\d{1,2}:\d{2}", "digits"), (r"\d\d", "digits"), (r"(?<=x)\d+", "digits"),
    (r"\b\d{2,3}\s*min", "beginnings"), (r"\b(?:\d{1,2}|two|three)\s+members", "beginnings"),
])
def test_digit_led_scanning_matches_finditer(source, way):
    scan = RuleScan.plan(re.compile(source, re.IGNORECASE))
    assert getattr(scan, way) is not None
    text = "12:30 1:05 x45 min 999 10:15-10:45 /3:20 a12 x7 2026-01-01 3:4 ٣:٤٥ 12 members, two members ٣ members"
    assert list(scan.spans(text, text.lower())) == [m.span() for m in scan.pattern.finditer(text)]


@pytest.mark.parametrize("source,expected", [
    (r"(?:patient|pt|client)\.?\s+is", {"pat", "pt.", "pt", "cli"}),  # after "pt" may come \s: unknown
    (r"(?:we|i)\s+(?:explored|reviewed)", {"we", "i"}),  # after "i" comes \s: only "i" is known
    (r"plan\s*:", {"pla"}),
    (r"(?:e-?prescribed|rx sent)", {"e-p", "epr", "rx "}),
    (r"(?P<n>two|three)\s+members", {"two", "thr"}),
    (r"(?:session\s+)?(?:start|began)", {"ses", "sta", "beg"}),
    (r"[a-z]+[- ]focused", None),
    (r"(?:~|about)\s*\d+", None),
])
def test_word_beginnings(source, expected):
    assert word_beginnings(source, 0) == (frozenset(expected) if expected is not None else None)


def test_shipped_beginnings_are_current():
    """resources/regex_beginnings.json (read at start-up instead of walking each regex) holds exactly what
    the walk gives for every shipped rule; after editing a rule run scripts/build_regex_beginnings.py."""
    import importlib.util
    from pathlib import Path

    from billfacts.components import regex_scan

    script = Path(__file__).resolve().parents[1] / "scripts" / "build_regex_beginnings.py"
    spec = importlib.util.spec_from_file_location("build_regex_beginnings", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.computed() == regex_scan._shipped_beginnings(), "run scripts/build_regex_beginnings.py"


def test_lazy_patterns_compile_on_first_use_only():
    from billfacts.components.regex_scan import LazyPattern

    lazy = LazyPattern(r"\bplan\b", re.IGNORECASE)
    assert lazy._compiled is None and lazy.flags == re.compile(r"\bplan\b", re.IGNORECASE).flags
    assert [m.span() for m in lazy.finditer("Plan: x plan")] == [(0, 4), (8, 12)]
    assert LazyPattern(r"(?m)^x", 0).flags == re.compile(r"(?m)^x").flags
