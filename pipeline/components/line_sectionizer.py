"""medspaCy's Sectionizer, with headers alone on their line found by line and sections written in bulk.

Two parts of medspaCy 1.3.1's ``Sectionizer.__call__`` cost more than everything else it does on our
notes (cProfile, development corpus):

- headers written alone on their line ("Mental Status Exam", or before a tab) were token patterns, and
  spaCy's Matcher tries every pattern at every token: some 300 patterns times some 280 tokens per note.
  Here the start of each line, up to a line break, tab or double space, is looked up lower-cased in a
  table of those headers: one dict lookup a line.
- every token of every section gets ``token._.section`` through spaCy's ``Underscore``, some 280
  attribute writes per note. Here the same values go into ``Doc.user_data`` in one update, under the
  keys ``Underscore`` itself reads; ``token._.section`` and medspaCy's getters built on it answer as before.

Sections, titles, bodies and sentence starts come out as the stock Sectionizer gives them;
``tests/test_sections.py`` runs both on the development corpus and compares. Parent sections are not
supported (billfacts defines none); adding a rule with parents raises.
"""

from __future__ import annotations

import re

from .target_pruning import prune_overlapping_matches
from medspacy.section_detection import Sectionizer
from medspacy.section_detection.section import Section
from medspacy.section_detection.util import is_end_line, is_start_line
from spacy.attrs import IDX, SENT_START
from spacy.tokens import Doc

from .scratch import text_of

# A line's content without its surrounding spaces and tabs.
_LINE = re.compile(r"[^\S\n]*(\S(?:[^\n]*\S)?)[^\S\n]*(?:\n|$)")
# Whitespace that spaCy makes a token of (a tab, two spaces): a header may end there ("Plan<tab>f/u 2 wk").
_SPACE_TOKEN = re.compile(r"\s{2,}|[^\S ]")


class LineHeaderSectionizer(Sectionizer):
    """The medspaCy Sectionizer plus a whole-line lookup for headers that stand alone on their line."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._line_headers: dict = {}

    def add(self, rules):
        rules = [rules] if not isinstance(rules, (list, tuple)) else list(rules)
        if any(rule.parents for rule in rules):
            raise NotImplementedError("billfacts' sectionizer does not support parent sections")
        super().add(rules)

    def add_line_headers(self, rules) -> None:
        """Rules whose literal is matched only at a line start and before a line break, tab or double
        space (case ignored)."""
        for rule in rules:
            self._line_headers[" ".join(rule.literal.lower().split())] = rule

    def _line_header_matches(self, doc: Doc) -> list[tuple]:
        """(rule, start, end) for every line that opens with a header followed by a line break, a tab or
        two spaces; like the token patterns they replace, a match takes in that whitespace token."""
        found = []
        if not self._line_headers:
            return found
        text = text_of(doc)
        for line in _LINE.finditer(text):
            content = line.group(1)
            gap = _SPACE_TOKEN.search(content)
            head = content[:gap.start()] if gap else content
            rule = self._line_headers.get(head.lower())
            if rule is None:
                continue
            span = doc.char_span(line.start(1), line.start(1) + len(head))
            if span is None:
                continue
            if span.end >= len(doc) or not doc[span.end].is_space:
                continue  # the last line of the note: the token patterns needed a line break after it
            found.append((rule, span.start, span.end + 1))
        return found

    def __call__(self, doc: Doc) -> Doc:
        matcher = self._Sectionizer__matcher
        strings = self.nlp.vocab.strings
        matches = [(matcher.rule_map[strings[match_id]], start, end) for match_id, start, end in matcher(doc)]
        line_matches = self._line_header_matches(doc)
        if line_matches:
            matches = prune_overlapping_matches(matches + line_matches)
        matches.sort(key=lambda match: match[1])
        if self.require_start_line:
            matches = [m for m in matches if self._starts_line(doc, m[1])]
        if self.require_end_line:
            matches = [m for m in matches if self._ends_line(doc, m[2] - 1)]

        if not matches:
            sections = [Section(None, 0, 0, 0, len(doc))]
        else:
            sections = [] if matches[0][1] == 0 else [Section(None, 0, 0, 0, matches[0][1])]
            if self._apply_sentence_boundary:
                _start_sentences_at(doc, [start for _, start, _ in matches] + [end for _, _, end in matches])
            for i, (rule, start, end) in enumerate(matches):
                limit = len(doc) if i == len(matches) - 1 else matches[i + 1][1]
                scope = rule.max_scope if rule.max_scope is not None else self.max_section_length
                body_end = limit if scope is None else min(end + scope, limit)
                sections.append(Section(rule.category, start, end, end, body_end, None, rule))
        doc._.sections = sections
        self._write_token_sections(doc, sections)

        if self.assertion_attributes_mapping:
            if self._input_span_type.lower() == "ents":
                self.set_assertion_attributes(doc.ents)
            elif self._input_span_type.lower() == "group":
                self.set_assertion_attributes(doc.spans[self._span_group_name])
        return doc

    @staticmethod
    def _write_token_sections(doc: Doc, sections: list) -> None:
        offsets = doc.to_array(IDX).tolist() if len(doc) else []
        user_data = doc.user_data
        for section in sections:
            start, end = section.section_span
            # spaCy's Underscore keeps a token's extension value under ("._.", name, token.idx, None).
            keys = [("._.", "section", offset, None) for offset in offsets[start:end]]
            user_data.update(dict.fromkeys(keys, section))

    def _starts_line(self, doc: Doc, index: int) -> bool:
        return is_start_line(index, doc, self.newline_pattern)

    def _ends_line(self, doc: Doc, index: int) -> bool:
        return is_end_line(index, doc, self.newline_pattern)


def _start_sentences_at(doc: Doc, tokens: list[int]) -> None:
    """Make each token index a sentence start, in one array write (what medspaCy does with
    ``doc[i].sent_start = True`` per header: spaCy's setter scans the whole Doc at every call, so a
    note of thousands of headers was quadratic)."""
    tokens = [i for i in tokens if i < len(doc)]
    if not tokens:
        return
    values = doc.to_array([SENT_START]).astype("int64")  # 1 start, -1 not a start, 0 unset (wraps in uint64)
    values[tokens] = 1
    doc.from_array([SENT_START], values.reshape(-1, 1).astype("uint64"))
