"""A drop-in for medspaCy's RegexMatcher that finds the same matches several times faster.

medspaCy 1.3.1's ``RegexMatcher.__call__`` evaluates ``doc.text_with_ws`` (a join over every token)
for every regex rule, and resolves misaligned matches with a linear scan over tokens. With the ~85
regex rules billfacts keeps as data, that was 85% of pipeline time (measured with cProfile on the
development corpus). This subclass computes the text once and resolves a match to tokens with spaCy's ``char_span``, giving
the spans medspaCy's default resolution gives (start to the left, end to the right): a match that starts
in whitespace (" no" after "SI:") starts at the token before it, so that a backward "SI: no" rule
outranks a forward "no" over the same word.

Two more changes make each rule's scan cheaper without changing what it matches
(``tests/test_fast_regex.py`` compares every rule against medspaCy's matcher):

- Case-insensitive rules whose source names no upper-case letter run without ``re.IGNORECASE`` over
  the lower-cased text: under IGNORECASE Python's ``re`` case-folds every character it compares.
  The lower-cased text is used only when it has the text's length (a few Unicode letters, such as
  "İ", lengthen when lower-cased), so offsets stay valid.
- A rule that opens with a zero-width assertion (``\\b``, ``(?<!\\w)``) keeps Python's ``re`` from
  using its literal-prefix and first-character search: it tries the whole rule at every character.
  Such a rule is searched without the assertion, which is then checked at each candidate start;
  a candidate that fails it is retried one character later, exactly as the full rule would be.
- A rule whose every match starts with a digit (clock times, durations, group sizes) gets no such
  search from ``re`` either. Its candidate starts are found by one scan for digits that pass the
  rule's leading assertion, and the rule is tried only there, in order, resuming after each match,
  which is how ``finditer`` proceeds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator, Optional

from medspacy.common.regex_matcher import RegexMatcher
from spacy.tokens import Doc

from .text_cache import text_of

try:  # the regular-expression parser behind ``re`` (``sre_parse`` before Python 3.11)
    from re import _constants as _sre, _parser as _sre_parse
except ImportError:  # pragma: no cover
    import sre_constants as _sre
    import sre_parse as _sre_parse

# An upper-case letter that is not an escape ("\\S") nor a named group ("(?P<n>"), or an inline "-i" flag.
_UPPER_OUTSIDE_ESCAPES = re.compile(r"(?<!\\)(?<!\(\?)[A-Z]|\(\?[a-zA-Z]*-[a-zA-Z]*i")


def _closing_paren(source: str, open_at: int) -> Optional[int]:
    """Index of the parenthesis closing the group opened at ``open_at`` (escapes and classes skipped)."""
    depth, i, in_class = 0, open_at, False
    while i < len(source):
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if source[i + 1:i + 2] == "]":  # "[]...]": a leading "]" is a literal
                i += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def _has_top_level_alternation(source: str) -> bool:
    depth, i, in_class = 0, 0, False
    while i < len(source):
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if source[i + 1:i + 2] == "]":
                i += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
        i += 1
    return False


def _top_level_alternatives(group_body: str) -> list[str]:
    parts, depth, i, in_class, last = [], 0, 0, False, 0
    while i < len(group_body):
        char = group_body[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(group_body[last:i])
            last = i + 1
        i += 1
    return parts + [group_body[last:]]


def opens_with_a_letter(source: str) -> bool:
    """True when every match of ``source`` starts with a literal letter: "plan", "(?:pt|client)".

    Only then does the search without the assertion find few false candidates; Python's ``re``
    jumps to them by their first letters."""
    if source[:1].isalpha():
        return True
    if source.startswith(("(?:", "(?P<")):
        close = _closing_paren(source, 0)
        if close is None or source[close + 1:close + 2] in ("*", "?", "{"):
            return False
        body = source[3:close] if source.startswith("(?:") else source[source.index(">") + 1:close]
        return all(opens_with_a_letter(branch) for branch in _top_level_alternatives(body))
    return False


def split_leading_assertion(source: str, letter_led: bool = True) -> Optional[tuple[str, str]]:
    """(assertion, rest) when ``source`` opens with ``\\b`` or a lookbehind that guards the whole rule
    (and, unless ``letter_led`` is False, the rest opens with a letter)."""
    if _has_top_level_alternation(source):
        return None  # "\\bA|B": the assertion guards only the first alternative
    if source.startswith(r"\b"):
        split = 2
    elif source.startswith(("(?<!", "(?<=")):
        close = _closing_paren(source, 0)
        if close is None:
            return None
        split = close + 1
    else:
        return None
    rest = source[split:]
    if not rest or rest[0] in "*+?{" or (letter_led and not opens_with_a_letter(rest)):
        return None  # a quantified assertion, or a rest that would stop at every digit or space
    return source[:split], rest


def _starts_with_digit(items) -> bool:
    """True when every match of the parsed pattern ``items`` begins with a (Unicode) digit."""
    if not items:
        return False
    op, av = items[0]
    if op is _sre.LITERAL:
        return chr(av).isdigit()
    if op is _sre.IN:
        return all(
            (kind is _sre.LITERAL and chr(value).isdigit())
            or (kind is _sre.RANGE and "0" <= chr(value[0]) and chr(value[1]) <= "9")
            or (kind is _sre.CATEGORY and value is _sre.CATEGORY_DIGIT)
            for kind, value in av
        )
    if op is _sre.BRANCH:
        return all(_starts_with_digit(branch.data) for branch in av[1])
    if op is _sre.SUBPATTERN:
        return _starts_with_digit(av[-1].data)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
        low, _, item = av
        return low >= 1 and _starts_with_digit(item.data)
    return False


def starts_with_digit(source: str, flags: int) -> bool:
    try:
        return _starts_with_digit(_sre_parse.parse(source, flags).data)
    except Exception:  # an unexpected parse shape: scan the plain way
        return False


_ONE_CHAR_LOOKBEHIND = re.compile(r"\(\?<([!=])(\[(?:\\.|[^\]\\])+\]|\\.|[^\\()\[\]|?*+{}.^$])\)")


def digit_finder(guard_source: Optional[str], flags: int) -> Optional[re.Pattern]:
    """A pattern matching one digit wherever a match may start: the guard folded in behind the digit
    ("\\b" becomes "\\d(?<!\\w\\d)"), or None when the guard is not a one-character assertion."""
    if guard_source is None:
        return re.compile(r"\d", flags)
    if guard_source == r"\b":
        return re.compile(r"\d(?<!\w\d)", flags)
    match = _ONE_CHAR_LOOKBEHIND.fullmatch(guard_source)
    if match is None:
        return None
    return re.compile(rf"\d(?<{match.group(1)}{match.group(2)}\d)", flags)


@dataclass(frozen=True)
class RuleScan:
    """How one regex pattern is searched: on which text, and with its leading assertion checked apart."""

    pattern: re.Pattern  # as medspaCy compiled it: the fallback, and the reference
    search: re.Pattern  # what is searched (maybe without IGNORECASE, maybe without the assertion)
    guard: Optional[re.Pattern]  # the leading assertion, checked at each candidate start
    lower_case: bool  # search the lower-cased text
    digits: Optional[re.Pattern] = field(default=None)  # candidate starts of a digit-led rule

    @classmethod
    def plan(cls, pattern: re.Pattern) -> "RuleScan":
        flags = pattern.flags
        lower_case = bool(flags & re.IGNORECASE) and not _UPPER_OUTSIDE_ESCAPES.search(pattern.pattern)
        if lower_case:
            flags &= ~re.IGNORECASE
        source, guard = pattern.pattern, None
        split = split_leading_assertion(source)
        if split is not None:
            guard = re.compile(split[0], flags)
            source = split[1]
        else:
            digit_split = split_leading_assertion(source, letter_led=False)
            rest = digit_split[1] if digit_split else source
            if starts_with_digit(rest, flags):
                finder = digit_finder(digit_split[0] if digit_split else None, flags)
                if finder is not None:
                    return cls(pattern, re.compile(rest, flags), None, lower_case, finder)
        return cls(pattern, re.compile(source, flags), guard, lower_case)

    def spans(self, text: str, lower: Optional[str]) -> Iterator[tuple[int, int]]:
        """(start, end) of every match, as ``self.pattern.finditer(text)`` gives them."""
        if self.lower_case and lower is None:  # lower-casing changed the length: the plain way
            for match in self.pattern.finditer(text):
                yield match.span()
            return
        subject = lower if self.lower_case else text
        if self.digits is not None:
            match_at, resume = self.search.match, 0
            for candidate in self.digits.finditer(subject):
                start = candidate.start()
                if start < resume:
                    continue
                match = match_at(subject, start)
                if match is not None:
                    resume = match.end()
                    yield start, resume
            return
        if self.guard is None:
            for match in self.search.finditer(subject):
                yield match.span()
            return
        search, guard, size, position = self.search.search, self.guard.match, len(subject), 0
        while position <= size:
            match = search(subject, position)
            if match is None:
                return
            start, end = match.span()
            if guard(subject, start) is None:
                position = start + 1
                continue
            yield start, end
            position = end if end > start else end + 1


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

    def __call__(self, doc: Doc):
        text = text_of(doc)
        lower = text.lower()
        if len(lower) != len(text):
            lower = None
        searchable = lower if lower is not None else text.lower()
        matches = []
        for match_id, scans in self._scans.items():
            trigger = self._triggers.get(match_id)
            if trigger is not None:
                lowered, cased = trigger
                if not any(t in searchable for t in lowered) and not any(t in text for t in cased):
                    continue
            on_match = self._callbacks[match_id]
            for scan in scans:
                for start, end in scan.spans(text, lower):
                    span = _resolve(doc, start, end)
                    if span is not None:
                        matches.append((match_id, span[0], span[1]))
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
    fast._scans = {match_id: [RuleScan.plan(p) for p in patterns] for match_id, patterns in fast._patterns.items()}
    setattr(medspacy_matcher, attribute, fast)
