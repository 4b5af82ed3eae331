"""A drop-in for medspaCy's RegexMatcher that finds the same matches several times faster.

medspaCy 1.3.1's ``RegexMatcher.__call__`` evaluates ``doc.text_with_ws`` (a join over every token)
for every regex rule, and resolves misaligned matches with a linear scan over tokens. With the ~85
regex rules billfacts keeps as data, that was 85% of pipeline time (measured with cProfile on the
development corpus). This subclass reads the text once, scans each rule as ``regex_scan.RuleScan``
plans it (same matches as ``finditer``, far fewer places tried), and resolves a match to tokens with
spaCy's ``char_span``, giving the spans medspaCy's default resolution gives (start to the left, end to
the right): a match that starts in whitespace (" no" after "SI:") starts at the token before it, so
that a backward "SI: no" rule outranks a forward "no" over the same word.
``tests/test_fast_regex.py`` compares the matcher with medspaCy's on the development corpus.
"""

from __future__ import annotations

from typing import Optional

from medspacy.common.regex_matcher import RegexMatcher
from spacy.tokens import Doc

from .regex_scan import LazyPattern, RuleScan, WordStarts
from .scratch import text_of


def _resolve(doc: Doc, start: int, end: int) -> Optional[tuple[int, int]]:
    """Token bounds of a character match, as medspaCy resolves them: the token holding the first
    character (or, when the match starts in whitespace, the token before it) to the token holding the
    last character. None when no token is covered."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    first, last = span.start, span.end
    if first > 0 and doc[first].idx > start:  # started in the whitespace after doc[first - 1]
        first -= 1
    return (first, last) if last > first else None


class FastRegexMatcher(RegexMatcher):
    # match_id -> (substrings of the lower-cased text, substrings of the text): a rule runs only if one is present.
    _triggers: dict = {}
    # match_id -> one RuleScan per pattern.
    _scans: dict = {}
    _word_starts: Optional[WordStarts] = None

    def add(self, match_id, regex_rules, on_match=None):
        """As medspaCy's ``RegexMatcher.add``, but each pattern is compiled when a note first needs it."""
        if match_id not in self.vocab:
            self.vocab.strings.add(match_id)
        key = self.vocab.strings[match_id]
        self._patterns.setdefault(key, [])
        for pattern in regex_rules:
            self._patterns[key].append(LazyPattern(pattern, self.flags))
            self._callbacks[key] = on_match

    def __call__(self, doc: Doc):
        if not self._scans:
            return []
        text = text_of(doc)
        lower = text.lower()
        if len(lower) != len(text):
            lower = None
        searchable = lower if lower is not None else text.lower()
        candidates = self._word_starts.candidates(lower) if lower is not None and self._word_starts else {}
        matches = []
        for match_id, scans in self._scans.items():
            trigger = self._triggers.get(match_id)
            if trigger is not None:
                lowered, cased = trigger
                if not any(t in searchable for t in lowered) and not any(t in text for t in cased):
                    continue
            on_match = self._callbacks[match_id]
            for scan in scans:
                for start, end in scan.spans(text, lower, candidates.get(id(scan))):
                    span = _resolve(doc, start, end)
                    if span is not None:
                        matches.append((match_id, span[0], span[1]))
                    if on_match is not None:
                        on_match(self, doc, len(matches) - 1, matches)
        return matches


_ATTRIBUTE = "_MedspacyMatcher__regex_matcher"


def install(medspacy_matcher) -> None:
    """Put a FastRegexMatcher inside a medspaCy MedspacyMatcher before its rules are added, so that their
    regexes are not compiled at start-up; ``speed_up`` then plans the scans."""
    old = getattr(medspacy_matcher, _ATTRIBUTE)
    if isinstance(old, FastRegexMatcher):
        return
    fast = FastRegexMatcher.__new__(FastRegexMatcher)
    fast.__dict__.update(old.__dict__)
    setattr(medspacy_matcher, _ATTRIBUTE, fast)


def speed_up(medspacy_matcher) -> None:
    """Swap the RegexMatcher inside a medspaCy MedspacyMatcher for FastRegexMatcher, keeping its rules.

    Rules whose ``metadata`` has ``requires_any`` (lower-case substrings) or ``requires_any_cased`` only run
    on notes that contain one of them."""
    install(medspacy_matcher)
    old = fast = getattr(medspacy_matcher, _ATTRIBUTE)
    triggers = {}
    for rule_id, rule in medspacy_matcher.rule_map.items():
        metadata = getattr(rule, "metadata", None) or {}
        if metadata.get("requires_any") or metadata.get("requires_any_cased"):
            key = old.vocab.strings[rule_id]
            triggers[key] = (tuple(w.lower() for w in metadata.get("requires_any", ())),
                             tuple(metadata.get("requires_any_cased", ())))
    fast._triggers = triggers
    fast._scans = {match_id: [RuleScan.plan(p) for p in patterns] for match_id, patterns in fast._patterns.items()}
    fast._word_starts = WordStarts(scan for scans in fast._scans.values() for scan in scans)
