"""medspaCy's ConText, asking each modifier only about the targets and modifiers near its scope.

medspaCy 1.3.1's ``ConTextGraph.apply_modifiers`` asks every modifier about every target in the note
(``modifier.modifies(target)``), although a modifier can only modify a target that overlaps its scope,
which ends at its sentence. Our notes carry some 150 targets and dozens of modifiers, and those calls
were most of ConText's time (cProfile, development corpus). Here the targets are sorted by start once,
and each modifier is asked, with medspaCy's own ``modifies``, only about the targets that start before
its scope ends and end after it starts; it records them in the order medspaCy would. Edges, flags and
``span._.modifiers`` come out the same; ``tests/test_context.py`` compares with the stock ConText.
"""

from __future__ import annotations

import bisect
from typing import Optional

from medspacy.context import ConText
from medspacy.context.context_graph import ConTextGraph
from medspacy.context.context_modifier import ConTextModifier
from medspacy.util import tuple_overlaps
from spacy.tokens import Doc


class ScopedConTextGraph(ConTextGraph):
    def update_scopes(self):
        """medspaCy's pairwise scope limiting, in its order, skipping pairs whose scopes are apart.

        A pair whose scopes do not touch now never will (scopes only shrink), and for such a pair
        ``limit_scope`` changes nothing in either direction. The touching pairs are found through the
        scopes sorted by start (a scope ends at its sentence, and sentences are bounded), so a note with
        thousands of modifiers costs time in proportion to them, not to their square."""
        initial = [modifier.scope_span for modifier in self.modifiers]
        if not initial:
            return
        order = sorted(range(len(initial)), key=lambda k: initial[k][0])
        starts = [initial[k][0] for k in order]
        longest = max(end - start for start, end in initial)
        for i in range(len(self.modifiers) - 1):
            start_i, end_i = initial[i]
            modifier1 = self.modifiers[i]
            low = bisect.bisect_left(starts, start_i - longest)
            high = bisect.bisect_right(starts, end_i)
            for j in sorted(order[k] for k in range(low, high) if order[k] > i):
                start_j, end_j = initial[j]
                if start_j > end_i or start_i > end_j:
                    continue
                modifier2 = self.modifiers[j]
                limit_scope(modifier1, modifier2)
                limit_scope(modifier2, modifier1)

    def apply_modifiers(self):
        targets = list(self.targets)  # a SpanGroup makes new Span objects on every pass
        by_start = sorted(range(len(targets)), key=lambda i: targets[i].start)
        starts = [targets[i].start for i in by_start]
        longest = max((t.end - t.start for t in targets), default=0)
        if self.prune_on_modifier_overlap:
            kept = []
            for modifier in self.modifiers:
                span_start, span_end = modifier.modifier_span
                low = bisect.bisect_left(starts, span_start - longest)
                high = bisect.bisect_left(starts, span_end)
                if not any(tuple_overlaps((targets[k].start, targets[k].end), modifier.modifier_span)
                           for k in by_start[low:high]):
                    kept.append(modifier)
            self.modifiers[:] = kept
        for modifier in self.modifiers:
            scope_start, scope_end = modifier.scope_span
            # A target overlapping the scope starts before it ends and, being at most `longest` long,
            # starts after scope_start - longest.
            low = bisect.bisect_left(starts, scope_start - longest + 1)
            high = bisect.bisect_left(starts, scope_end)
            candidates = sorted(i for i in by_start[low:high] if targets[i].end > scope_start)
            for i in candidates:
                if modifier.modifies(targets[i]):
                    modifier.modify(targets[i])

        edges = []
        for modifier in self.modifiers:
            modifier.reduce_targets()
            for target in modifier._targets:
                edges.append((target, modifier))
        self.edges = edges


def limit_scope(modifier: ConTextModifier, other: ConTextModifier) -> bool:
    """medspaCy's ``ConTextModifier.limit_scope`` with the overlap test corrected.

    medspaCy 1.3.1 asks ``tuple_overlaps(self.scope_span, other.scope_span)``, which is true only when the
    other scope starts inside this one or ends inside it: a scope lying wholly inside the other's is not an
    overlap there. A terminator's scope is its whole sentence, so it never cut the scope of a negation inside
    it: "via telephone; video not available" negated the telephone too (the ";" is a terminator). Two
    half-open spans overlap when each starts before the other ends."""
    (start, end), (other_start, other_end) = modifier.scope_span, other.scope_span
    if not (start < other_end and other_start < end):
        return False
    if modifier.direction.upper() == "TERMINATE":
        return False
    if (other.direction.upper() != "TERMINATE" and other.category.upper() not in modifier.rule.terminated_by
            and other.category.upper() != modifier.category.upper()):
        return False
    if modifier.category == other.category and (modifier.allowed_types != other.allowed_types
                                                 or modifier.excluded_types != other.excluded_types):
        return False
    before = modifier.scope_span
    if modifier.direction.lower() in ("forward", "bidirectional") and other > modifier:
        modifier._scope_end = min(modifier._scope_end, other.modifier_span[0])
    if modifier.direction.lower() in ("backward", "bidirectional") and other < modifier:
        modifier._scope_start = max(modifier._scope_start, other.modifier_span[1])
    return before != modifier.scope_span


def _ends_of_terminate_runs(matches: list) -> list:
    """The matches less the inner ones of a run of adjacent TERMINATE matches (";;;;;;" to 32 KB).

    A run holds no target, so what its inner terminators do (stop a scope) the run's first one already does
    for scopes reaching forward into it and its last one for scopes reaching back: the flags come out the
    same, and a note made of punctuation no longer gives ConText one modifier per character."""
    keep = []
    for index, (rule, start, end) in enumerate(matches):
        if rule.category == "TERMINATE" and 0 < index < len(matches) - 1:
            before, after = matches[index - 1], matches[index + 1]
            if before[0].category == "TERMINATE" and before[2] == start and \
                    after[0].category == "TERMINATE" and after[1] == end:
                continue
        keep.append((rule, start, end))
    return keep


class ScopedConText(ConText):
    """ConText whose graph checks each modifier against the targets near its scope only."""

    def __call__(self, doc: Doc, targets: str = None, spans: Optional[list] = None) -> Doc:
        """As medspaCy's; ``spans``, when given, are the targets as Span objects already made."""
        if spans is not None:
            targets = spans
        elif not targets and self.input_span_type == "ents":
            targets = doc.ents
        elif not targets and self.input_span_type == "group":
            targets = doc.spans[self.span_group_name]
        elif targets:
            targets = getattr(doc._, targets)
        graph = ScopedConTextGraph(prune_on_modifier_overlap=self.prune_on_target_overlap)
        graph.targets = targets
        matcher = self._ConText__matcher
        matches = [(matcher.rule_map[self.nlp.vocab[match_id].text], start, end)
                   for match_id, start, end in matcher(doc)]
        graph.modifiers = [ConTextModifier(rule, start, end, doc, max_scope=self.max_scope)
                           for rule, start, end in _ends_of_terminate_runs(matches)]
        graph.update_scopes()
        graph.apply_modifiers()
        for target, modifier in graph.edges:
            target._.modifiers += (modifier,)
        if self.context_attributes_mapping:
            self.set_context_attributes(graph.edges)
        doc._.context_graph = graph
        return doc
