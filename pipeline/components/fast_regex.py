"""A drop-in for medspaCy's RegexMatcher that reads the Doc's text once per call.

medspaCy 1.3.1's ``RegexMatcher.__call__`` evaluates ``doc.text_with_ws`` (a join over every token)
for every regex rule, and resolves misaligned matches with a linear scan over tokens. With the ~100
regex rules billfacts keeps as data, that was 85% of pipeline time (measured with cProfile on the
development corpus). This subclass computes the text once and uses spaCy's ``char_span`` in "expand"
mode, which is what medspaCy's default resolution (start to the left, end to the right) does.
The matches are the same; ``tests/test_fast_regex.py`` compares the two on the development corpus.
"""

from medspacy.common.regex_matcher import RegexMatcher
from spacy.tokens import Doc

from .text_cache import text_of


class FastRegexMatcher(RegexMatcher):
    # match_id -> (substrings of the lower-cased text, substrings of the text): a rule runs only if one is present.
    _triggers: dict = {}

    def __call__(self, doc: Doc):
        text = text_of(doc)
        lower = text.lower()
        matches = []
        for match_id, patterns in self._patterns.items():
            trigger = self._triggers.get(match_id)
            if trigger is not None:
                lowered, cased = trigger
                if not any(t in lower for t in lowered) and not any(t in text for t in cased):
                    continue
            on_match = self._callbacks[match_id]
            for pattern in patterns:
                for re_match in pattern.finditer(text):
                    span = doc.char_span(re_match.start(), re_match.end(), alignment_mode="expand")
                    if span is not None and len(span):
                        matches.append((match_id, span.start, span.end))
                    if on_match is not None:
                        on_match(self, doc, len(matches) - 1, matches)
        return matches


def speed_up(medspacy_matcher) -> None:
    """Swap the RegexMatcher inside a medspaCy MedspacyMatcher for FastRegexMatcher, keeping its rules.

    Rules whose ``metadata`` has ``requires_any`` (lower-case substrings) or ``requires_any_cased`` only run
    on notes that contain one of them."""
    attribute = "_MedspacyMatcher__regex_matcher"
    old = getattr(medspacy_matcher, attribute)
    fast = FastRegexMatcher.__new__(FastRegexMatcher)
    fast.__dict__.update(old.__dict__)
    triggers = {}
    for rule_id, rule in medspacy_matcher.rule_map.items():
        metadata = getattr(rule, "metadata", None) or {}
        if metadata.get("requires_any") or metadata.get("requires_any_cased"):
            key = old.vocab.strings[rule_id]
            triggers[key] = (tuple(w.lower() for w in metadata.get("requires_any", ())),
                             tuple(metadata.get("requires_any_cased", ())))
    fast._triggers = triggers
    setattr(medspacy_matcher, attribute, fast)
