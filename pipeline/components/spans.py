"""Helpers shared by the fact components: evidence records and the target spans they read."""

from __future__ import annotations

import bisect
import re
from typing import Iterable, Iterator

from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.tokens import Doc, Span

from .medspacy_rules import TARGET_GROUP, matched_target_spans
from .scratch import scratch, text_of

# A mention that any of these ConText attributes marks does not assert a present fact.
NOT_ASSERTED = ("is_negated", "is_hypothetical", "is_uncertain", "is_historical", "is_family")


def section_at(doc: Doc, char: int) -> str | None:
    """The section category containing a character offset (``None`` before the first header)."""
    # Read from Doc.user_data directly (where spaCy's Underscore keeps it): an Underscore object per call
    # was most of the cost for readers that ask once per mention.
    sections = doc.user_data.get(("._.", "bf_sections", None, None))
    if not sections:
        return None
    values = scratch(doc)
    starts = values.get("section_starts")
    if starts is None or len(starts) != len(sections):
        starts = values["section_starts"] = [start for _, start, _ in sections]
    index = bisect.bisect_right(starts, char) - 1
    if index < 0:
        return None
    category, start, end = sections[index]
    return category if start <= char < end or char == end else None


def evidence(doc: Doc, start: int, end: int) -> dict:
    """An Evidence record (plain dict) for ``text_of(doc)[start:end]``."""
    return {"start": start, "end": end, "text": text_of(doc)[start:end], "section": section_at(doc, start)}


def evidence_records(doc: Doc, pairs: Iterable[tuple[int, int]]) -> list[dict]:
    """Evidence records for many (start, end) pairs: the text and the section starts read once, not once
    a record (a note of thousands of clock ranges cites each of them)."""
    text = text_of(doc)
    sections = doc.user_data.get(("._.", "bf_sections", None, None))
    if not sections:
        return [{"start": a, "end": b, "text": text[a:b], "section": None} for a, b in pairs]
    return [{"start": a, "end": b, "text": text[a:b], "section": section_at(doc, a)} for a, b in pairs]


def span_evidence(span: Span) -> dict:
    return evidence(span.doc, span.start_char, span.end_char)


def _target_index(doc: Doc) -> dict[str, list[Span]]:
    """Target spans by label, each list in text order, built once per Doc.

    Iterating a SpanGroup makes a new Span object for every member; the fact components ask for targets
    some 35 times per note, which was a fifth of pipeline time. Extension values (ConText's flags) live in
    ``Doc.user_data`` under the span's offsets, so these Span objects see them as any other would."""
    values = scratch(doc)
    index = values.get("target_index")
    group = doc.spans.get(TARGET_GROUP, ())
    if index is None or index[0] != len(group):
        made = matched_target_spans(doc)
        by_label: dict[str, list[Span]] = {}
        for span in made if made is not None else group:
            by_label.setdefault(span.label_, []).append(span)
        for spans in by_label.values():
            spans.sort(key=lambda s: s.start_char)
        index = (len(group), by_label)
        values["target_index"] = index
    return index[1]


def targets(doc: Doc, *labels: str) -> list[Span]:
    """Target spans with one of ``labels``, in text order."""
    if TARGET_GROUP not in doc.spans:
        return []
    index = _target_index(doc)
    if len(labels) == 1:
        return list(index.get(labels[0], ()))
    return sorted((s for label in set(labels) for s in index.get(label, ())), key=lambda s: s.start_char)


def flag(span: Span, name: str) -> bool:
    """A boolean span extension (ConText's ``is_negated`` ...), read from ``Doc.user_data`` directly.

    Same value as ``span._.<name>`` (spaCy's Underscore keeps it under ("._.", name, start_char, end_char),
    default False), without building an Underscore object per read: the fact components read these
    flags some 150 times per note."""
    return bool(span.doc.user_data.get(("._.", name, span.start_char, span.end_char), False))


def asserted(spans: Iterable[Span]) -> Iterator[Span]:
    """Spans that ConText leaves as present facts: not negated, hypothetical, uncertain, past or family."""
    for span in spans:
        user_data, start, end = span.doc.user_data, span.start_char, span.end_char
        if not any(user_data.get(("._.", attr, start, end), False) for attr in NOT_ASSERTED):
            yield span


def sentence_of(doc: Doc, char: int) -> tuple[int, int]:
    """Character bounds of the sentence holding ``char`` (as ``Span.sent`` gives them), by bisection over
    sentence starts read once per note. ``Span.sent`` walks token by token to its sentence's ends at every
    call, which the readers asked for each of thousands of mentions on a long note. Read after the
    sectionizer, the last component that moves sentence boundaries."""
    values = scratch(doc)
    bounds = values.get("sentence_bounds")
    if bounds is None:
        bounds = values["sentence_bounds"] = _sentence_bounds(doc)
    starts, ends = bounds
    if not starts:
        return 0, len(text_of(doc))
    index = max(0, bisect.bisect_right(starts, char) - 1)
    return starts[index], ends[index]


def _sentence_bounds(doc: Doc) -> tuple[list[int], list[int]]:
    if not len(doc):
        return [], []
    rows = doc.to_array([IDX, LENGTH, SENT_START]).astype("int64").tolist()
    firsts = [i for i, (_, _, sent_start) in enumerate(rows) if sent_start == 1 or i == 0]
    lasts = [i - 1 for i in firsts[1:]] + [len(rows) - 1]
    return [rows[i][0] for i in firsts], [rows[i][0] + rows[i][1] for i in lasts]


def sentence_text(span: Span) -> str:
    """The text of the sentence holding the span's start (``span.sent.text``)."""
    start, end = sentence_of(span.doc, span.start_char)
    return text_of(span.doc)[start:end]


def sentence_text_before(span: Span, limit: int = 160) -> str:
    """The text of the span's sentence before it (lower case), at most ``limit`` characters."""
    sent_start, _ = sentence_of(span.doc, span.start_char)
    return text_of(span.doc)[max(sent_start, span.start_char - limit): span.start_char].lower()


_LINE_BREAK = re.compile("\n")


def line_of(doc: Doc, char: int) -> tuple[int, int]:
    """Character bounds of the line containing ``char``, by bisection over the note's line breaks (found
    once per note): searching back and forth from ``char`` costs the line's length at every call, which a
    note written as one 150,000-character line turned into a quadratic."""
    values = scratch(doc)
    breaks = values.get("line_breaks")
    text = text_of(doc)
    if breaks is None:
        breaks = values["line_breaks"] = [m.start() for m in _LINE_BREAK.finditer(text)]
    index = bisect.bisect_left(breaks, char)
    start = breaks[index - 1] + 1 if index else 0
    end = breaks[index] if index < len(breaks) else len(text)
    return start, end
