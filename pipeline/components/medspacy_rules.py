"""medspaCy's Sectionizer, TargetMatcher and ConText, loaded with billfacts' own rule files.

Each factory wraps the medspaCy class so that the pipeline config names a packaged rule set
("billfacts") rather than an absolute path, and so that results land where our components read them:
target spans in the span group ``billfacts_targets`` (not ``doc.ents``: ents cannot overlap, and
medspaCy warns with the span text when they would, which would put note text in logs).
"""

from medspacy.context.context import DEFAULT_ATTRIBUTES
from medspacy.target_matcher import TargetMatcher
from spacy.language import Language
from spacy.tokens import Doc, Span

from .. import rules
from .scratch import scratch, text_of
from .fast_regex import install, speed_up
from .line_sectionizer import LineHeaderSectionizer
from .scoped_context import ScopedConText
from .target_pruning import keep_shared_spans, prune_linearly

TARGET_GROUP = "billfacts_targets"

for _name, _default in (("bf_value", None), ("is_scheduled", False)):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=_default)
if not Doc.has_extension("bf_sections"):
    # [(category, start_char, end_char)]: plain data, safe for nlp.pipe(n_process=2).
    Doc.set_extension("bf_sections", default=[])

CONTEXT_ATTRIBUTES = {**DEFAULT_ATTRIBUTES, "SCHEDULED": {"is_scheduled": True}}


def _char(doc: Doc, token_index: int) -> int:
    return doc[token_index].idx if token_index < len(doc) else len(text_of(doc))


def matched_target_spans(doc: Doc) -> list[Span] | None:
    """The target Span objects the target component made, or None when there are none or the span
    group has been changed since (then the group itself is the truth)."""
    spans = scratch(doc).get("target_spans")
    if spans is None or len(spans) != len(doc.spans.get(TARGET_GROUP, ())):
        return None
    return spans


class BillfactsSections:
    """medspaCy Sectionizer with behavioral-health headers; also records sections as plain offsets."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        self._sectionizer = LineHeaderSectionizer(
            nlp,
            name=name,
            rules=None,
            require_start_line=True,
            span_attrs=None,
            apply_sentence_boundary=True,
        )
        self._sectionizer.add(rules.section_rules())
        self._sectionizer.add_line_headers(rules.line_header_rules())
        speed_up(self._sectionizer._Sectionizer__matcher)

    def __call__(self, doc: Doc) -> Doc:
        doc = self._sectionizer(doc)
        doc._.bf_sections = [
            (section.category, _char(doc, section.title_start), _char(doc, section.body_end))
            for section in doc._.sections
            if section.category
        ]
        return doc


class BillfactsTargets:
    """medspaCy TargetMatcher with our target rules (times, modality, factors, services, diagnoses)."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        self._matcher = TargetMatcher(nlp, name=name, result_type=None)
        install(self._matcher._TargetMatcher__matcher)
        self._matcher.add(rules.target_rules())
        speed_up(self._matcher._TargetMatcher__matcher)
        keep_shared_spans(self._matcher._TargetMatcher__matcher)
        self._vocab = nlp.vocab

    def _spans(self, doc: Doc) -> list[Span]:
        """What ``TargetMatcher.__call__`` makes (a Span per match, labelled with its rule's category,
        ``span._.target_rule`` and the rule's attributes set), with the extension values written to
        ``Doc.user_data`` in one pass under the keys spaCy's Underscore uses, instead of one
        Underscore object per span and value."""
        matcher = self._matcher._TargetMatcher__matcher
        rule_map, strings, user_data = matcher.rule_map, self._vocab.strings, doc.user_data
        spans = []
        for match_id, start, end in matcher(doc):
            rule = rule_map[strings[match_id]]
            span = Span(doc, start, end, label=rule.category)
            spans.append(span)
            key_end = (span.start_char, span.end_char)
            user_data[("._.", "target_rule", *key_end)] = rule
            for attribute, value in (rule.attributes or {}).items():
                setattr(span._, attribute, value)
        return spans

    def __call__(self, doc: Doc) -> Doc:
        spans = self._spans(doc)
        doc.spans[TARGET_GROUP] = spans
        scratch(doc)["target_spans"] = spans  # reused by ConText and the fact components
        return doc


class BillfactsContext:
    """medspaCy ConText with modifiers for how clinicians write ("denies", "SI: no", "r/o", "if symptoms
    return", "mother has", "scheduled 60 min")."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        self._context = ScopedConText(
            nlp,
            name=name,
            rules=None,
            span_attrs=CONTEXT_ATTRIBUTES,
            input_span_type="group",
            span_group_name=TARGET_GROUP,
        )
        install(self._context._ConText__matcher)
        self._context.add(rules.context_rules())
        speed_up(self._context._ConText__matcher)
        prune_linearly(self._context._ConText__matcher)

    def __call__(self, doc: Doc) -> Doc:
        return self._context(doc, spans=matched_target_spans(doc))


@Language.factory("billfacts_sections", assigns=["doc._.sections", "doc._.bf_sections"])
def make_sections(nlp: Language, name: str) -> BillfactsSections:
    return BillfactsSections(nlp, name)


@Language.factory("billfacts_targets", assigns=["doc.spans"])
def make_targets(nlp: Language, name: str) -> BillfactsTargets:
    return BillfactsTargets(nlp, name)


@Language.factory("billfacts_context", assigns=["span._.is_negated", "span._.is_scheduled"])
def make_context(nlp: Language, name: str) -> BillfactsContext:
    return BillfactsContext(nlp, name)
