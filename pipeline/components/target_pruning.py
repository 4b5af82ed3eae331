"""Overlapping target matches: the longest wins, and a phrase that two rules share keeps both labels.

medspaCy's ``prune_overlapping_matches`` keeps one match per span. When two rules match the very same
words ("grounding" is a de-escalation element and an intervention; "C-SSRS" a crisis risk assessment
and a documented risk screen), which one survives depended on the hash of medspaCy's rule ids, which
number the rules in file order: adding a rule anywhere could silently change the labels of unrelated
phrases. Here spans are pruned by position only (medspaCy's "longest wins" over distinct spans), and
every rule that matched a surviving span keeps its match, one per label, in rule-file order.

Spans with the same offsets share their extension values in spaCy (``span._`` is keyed by offsets),
so the ConText flags are shared too, as they should be: it is the same text.
"""

from __future__ import annotations

from collections import deque

from medspacy.common.medspacy_matcher import MedspacyMatcher
from medspacy.common.util import overlaps
from spacy.tokens import Doc


def prune_overlapping_matches(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """medspaCy's ``prune_overlapping_matches`` ("longest wins"), pass for pass, with the queue popped from
    the left in constant time: medspaCy's ``list.pop(0)`` made every pass quadratic in the matches (64,000
    semicolons, each a ConText terminator, took seconds). Same result; ``tests/test_context.py`` compares."""
    current = matches
    while True:
        if not current:
            return current
        unpruned = deque(sorted(current, key=lambda x: (x[1], x[2])))
        pruned = []
        curr_match = unpruned.popleft()
        while True:
            if not unpruned:
                pruned.append(curr_match)
                break
            next_match = unpruned.popleft()
            if overlaps(curr_match, next_match):
                pruned.append(max(curr_match, next_match, key=lambda x: (x[2] - x[1])))
                if not unpruned:
                    break
                curr_match = unpruned.popleft()
            else:
                pruned.append(curr_match)
                curr_match = next_match
        if len(pruned) == len(current):
            return pruned
        current = pruned


def prune_keeping_shared_spans(matches: list[tuple[int, int, int]], label_of: dict[int, str],
                               order_of: dict[int, int]) -> list[tuple[int, int, int]]:
    """Longest-wins pruning over distinct (start, end) spans; all labels of a surviving span kept."""
    if not matches:
        return matches
    spans = {(start, end): None for _, start, end in matches}
    surviving = {(start, end) for _, start, end in prune_overlapping_matches([(0, s, e) for s, e in spans])}
    kept, seen = [], set()
    for match in sorted(matches, key=lambda m: (m[1], m[2], order_of.get(m[0], 0))):
        key = (label_of.get(match[0]), match[1], match[2])
        if (match[1], match[2]) in surviving and key not in seen:
            seen.add(key)
            kept.append(match)
    return kept


class SharedSpanMatcher(MedspacyMatcher):
    """medspaCy's MedspacyMatcher with ``prune_keeping_shared_spans`` in place of its pruning."""

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        token_matcher = self._MedspacyMatcher__matcher
        matches = token_matcher(doc) if len(token_matcher) else []  # spaCy warns on every call when empty
        matches += self._MedspacyMatcher__phrase_matcher(doc)
        matches += self._MedspacyMatcher__regex_matcher(doc)
        if not self._prune:
            return matches
        if getattr(self, "_label_of", None) is None or len(self._order_of) != len(self.rule_map):
            strings = self._MedspacyMatcher__regex_matcher.vocab.strings
            self._order_of = {strings.add(rule_id): i for i, rule_id in enumerate(self.rule_map)}
            self._label_of = {strings.add(rule_id): rule.category for rule_id, rule in self.rule_map.items()}
        return prune_keeping_shared_spans(matches, self._label_of, self._order_of)


class LinearPruningMatcher(MedspacyMatcher):
    """medspaCy's MedspacyMatcher with the constant-time-pop ``prune_overlapping_matches``."""

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        token_matcher = self._MedspacyMatcher__matcher
        matches = token_matcher(doc) if len(token_matcher) else []
        matches += self._MedspacyMatcher__phrase_matcher(doc)
        matches += self._MedspacyMatcher__regex_matcher(doc)
        return prune_overlapping_matches(matches) if self._prune else matches


def prune_linearly(medspacy_matcher: MedspacyMatcher) -> None:
    """Make a medspaCy matcher (ConText's) prune with the linear ``prune_overlapping_matches``."""
    medspacy_matcher.__class__ = LinearPruningMatcher


def keep_shared_spans(medspacy_matcher: MedspacyMatcher) -> None:
    """Make a TargetMatcher's inner matcher prune with ``prune_keeping_shared_spans``."""
    medspacy_matcher.__class__ = SharedSpanMatcher
