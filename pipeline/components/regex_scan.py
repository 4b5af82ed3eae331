"""How each regex rule is scanned: the analysis behind ``FastRegexMatcher``.

Python's ``re`` finds a rule's matches fast when the rule opens with a literal or a character class:
it jumps to the characters that can start a match. Our rules mostly open with an assertion ("\\b",
"(?<![\\w:/.])"), a case-insensitive flag, an optional word or a digit, and ``re`` then tries the whole
rule at every character of the note. ``RuleScan.plan`` finds, for each rule, a way to search that
gives exactly ``pattern.finditer(text)``:

- case-insensitive rules whose source names no upper-case letter run without ``re.IGNORECASE`` over
  the lower-cased text (used only when it has the text's length: a few Unicode letters, such as "İ",
  lengthen when lower-cased, which would shift offsets);
- a rule guarded by "\\b" whose matches can only begin with a few known beginnings of up to three
  characters ("pat", "pt", "cli" for "patient|pt|client") is tried only at word starts with such a beginning
  (``WordStarts`` finds them once per note for all rules);
- a rule whose every match starts with a digit is tried only at digits that pass its leading assertion;
- any other rule that opens with an assertion is searched without it, the assertion checked at each
  candidate start, a failed candidate retried one character later.

Candidates are tried in text order, resuming after each match, which is how ``finditer`` proceeds.
``tests/test_fast_regex.py`` checks every rule we ship against ``finditer`` on the development corpus.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Iterator, Optional

try:  # the regular-expression parser behind ``re`` (``sre_parse`` before Python 3.11)
    from re import _constants as _sre, _parser as _sre_parse
except ImportError:  # pragma: no cover
    import sre_constants as _sre
    import sre_parse as _sre_parse

# An upper-case letter that is not an escape ("\\S") nor a named group ("(?P<n>"), or an inline "-i" flag.
class LazyPattern:
    """A regular expression compiled on first use. Compiling the ~130 rule regexes (twice: medspaCy's own
    and the search plan's) was a third of the pipeline's start-up, and most rules never run on a given
    note (their ``requires_any`` words are absent). Answers like the ``re.Pattern`` it stands for."""

    __slots__ = ("pattern", "flags", "_compiled")

    def __init__(self, pattern: str, flags: int = 0):
        self.pattern, self._compiled = pattern, None
        if re.match(r"\(\?[aiLmsux]+\)", pattern):  # inline global flags count in .flags: compile to learn them
            flags = self.compiled_with(flags).flags
        self.flags = flags | re.UNICODE  # as re.Pattern.flags reports a str pattern's flags

    def compiled_with(self, flags: int) -> re.Pattern:
        self._compiled = re.compile(self.pattern, flags)
        return self._compiled

    def compiled(self) -> re.Pattern:
        return self._compiled if self._compiled is not None else self.compiled_with(self.flags)

    def __getattr__(self, name):  # match, search, finditer ... of the compiled pattern
        return getattr(self.compiled(), name)


_UPPER_OUTSIDE_ESCAPES = re.compile(r"(?<!\\)(?<!\(\?)[A-Z]|\(\?[a-zA-Z]*-[a-zA-Z]*i")


def _structure(source: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, depth before it) for each "(", ")" and "|" of a regex source that is not
    escaped nor inside a character class."""
    depth, i, in_class = 0, start, False
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
        elif char in "()|":
            yield i, char, depth
            depth += {"(": 1, ")": -1, "|": 0}[char]
        i += 1


def _closing_paren(source: str, open_at: int) -> Optional[int]:
    """Index of the parenthesis closing the group opened at ``open_at``."""
    for i, char, depth in _structure(source, open_at):
        if char == ")" and depth == 1:
            return i
    return None


def _has_top_level_alternation(source: str) -> bool:
    return any(char == "|" and depth == 0 for _, char, depth in _structure(source))


def _top_level_alternatives(group_body: str) -> list[str]:
    cuts = [i for i, char, depth in _structure(group_body) if char == "|" and depth == 0]
    bounds = [-1] + cuts + [len(group_body)]
    return [group_body[a + 1:b] for a, b in zip(bounds, bounds[1:])]


_SCOPED_FLAGS = re.compile(r"\(\?[aiLmsux]*(?:-[imsx]+)?:")  # "(?:", "(?-i:", "(?i:"


def opens_with_a_letter(source: str) -> bool:
    """True when every match of ``source`` starts with a literal letter: "plan", "(?:pt|client)".

    Only then does the search without the assertion find few false candidates; Python's ``re``
    jumps to them by their first letters."""
    if source[:1].isalpha():
        return True
    group = _SCOPED_FLAGS.match(source) or (re.match(r"\(\?P<\w+>", source))
    if group is None:
        return False
    close = _closing_paren(source, 0)
    if close is None or source[close + 1:close + 2] in ("*", "?", "{"):
        return False
    body = source[group.end():close]
    return all(opens_with_a_letter(branch) for branch in _top_level_alternatives(body))


_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")  # "(?m)" at the start: already in the pattern's flags
_ZERO_WIDTH = re.compile(r"\^|\\b|\\A|\(\?<?[=!](?:\[(?:\\.|[^\]\\])*\]|\\.|[^()\[\\])*\)")


def _leading_assertion(source: str) -> Optional[int]:
    """Length of the zero-width assertion that opens ``source``: "\\b", a lookbehind, or a group whose
    alternatives are all assertions ("(?:^|(?<=[.;:]) )")."""
    if source.startswith(r"\b"):
        return 2
    if source.startswith(("(?<!", "(?<=")):
        close = _closing_paren(source, 0)
        return None if close is None else close + 1
    if source.startswith("(?:"):
        close = _closing_paren(source, 0)
        if close is None:
            return None
        branches = _top_level_alternatives(source[3:close])
        if all(branch and all(_ZERO_WIDTH.fullmatch(part) for part in _assertion_parts(branch))
               for branch in branches):
            return close + 1
    return None


def _assertion_parts(branch: str) -> list[str]:
    parts, position = [], 0
    while position < len(branch):
        match = _ZERO_WIDTH.match(branch, position)
        if match is None:
            return [branch]  # not made of assertions only: fullmatch will fail on it
        parts.append(match.group())
        position = match.end()
    return parts


def split_leading_assertion(source: str, letter_led: bool = True) -> Optional[tuple[str, str]]:
    """(assertion, rest) when ``source`` opens with an assertion that guards the whole rule ("\\b", a
    lookbehind, "(?:^|(?<=[.;:]))"), and, unless ``letter_led`` is False, the rest opens with a letter.
    Global inline flags ("(?m)") are left out: the compiled pattern's flags carry them."""
    flags = _GLOBAL_FLAGS.match(source)
    if flags is not None:
        source = source[flags.end():]
    if _has_top_level_alternation(source):
        alternatives = _top_level_alternatives(source)
        if not all(alternative.startswith(r"\b") for alternative in alternatives):
            return None  # "\\bA|B": the assertion guards only the first alternative
        source = r"\b(?:" + "|".join(alternative[2:] for alternative in alternatives) + ")"  # \bA|\bB is \b(?:A|B)
    split = _leading_assertion(source)
    if split is None:
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


# ---- beginnings of a match, for rules tried at word starts ----------------------------------------

PREFIX_LENGTH = 3  # word starts are indexed by their first three characters
_MAX_CLASS = 40  # a character class larger than this is not enumerated
_MAX_BEGINNINGS = 160  # more beginnings than this and a rule would be tried at most word starts anyway


# Stands for "any digit" among a rule's beginnings ("\\d" cannot be listed: it takes every script's digits).
ANY_DIGIT = "\x00"


def _class_chars(items) -> Optional[set[str]]:
    if items and all(kind is _sre.CATEGORY and value is _sre.CATEGORY_DIGIT for kind, value in items):
        return {ANY_DIGIT}
    chars: set[str] = set()
    for kind, value in items:
        if kind is _sre.LITERAL:
            chars.add(chr(value))
        elif kind is _sre.RANGE and value[1] - value[0] < _MAX_CLASS:
            chars.update(chr(c) for c in range(value[0], value[1] + 1))
        else:  # NEGATE, CATEGORY (\w, \s), or a wide range
            return None
    return chars if len(chars) <= _MAX_CLASS else None


def _element_beginnings(op, av, limit: int) -> Optional[set[tuple[str, bool]]]:
    """What one parsed element can match, as (text, complete): complete when the element's whole match
    is that text, otherwise its first ``limit`` characters. None when it cannot be told."""
    if op is _sre.LITERAL:
        return {(chr(av), True)}
    if op is _sre.IN:
        chars = _class_chars(av)
        if chars == {ANY_DIGIT}:
            return {(ANY_DIGIT, False)}  # nothing after it can be keyed
        return None if chars is None else {(c, True) for c in chars}
    if op is _sre.BRANCH:
        found: set[tuple[str, bool]] = set()
        for branch in av[1]:
            beginnings = _beginnings(branch.data, limit)
            if beginnings is None:
                return None
            found |= beginnings
        return found
    if op is _sre.SUBPATTERN:
        return _beginnings(av[-1].data, limit)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
        low, high, item = av
        if high == 0:
            return {("", True)}
        item_beginnings = _beginnings(item.data, limit)
        if item_beginnings is None or ("", True) in item_beginnings:
            return None  # an item that can match nothing would not shorten the search
        remaining = (op, (max(low - 1, 0), high if high == _sre.MAXREPEAT else high - 1, item))
        once_more = _beginnings(list(item.data) + [remaining], limit)
        if once_more is None:
            return None
        return once_more if low >= 1 else once_more | {("", True)}
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
        return {("", True)}  # zero-width: ignoring it can only add beginnings
    return None


def _beginnings(items, limit: int) -> Optional[set[tuple[str, bool]]]:
    """Beginnings of what the sequence ``items`` matches, at most ``limit`` characters each."""
    if limit <= 0:
        return {("", False)}
    if not items:
        return {("", True)}
    first = _element_beginnings(*items[0], limit)
    if first is None:
        return None
    found: set[tuple[str, bool]] = set()
    for text, complete in first:
        if not complete or len(text) >= limit:
            found.add((text[:limit], False))
            continue
        rest = _beginnings(items[1:], limit - len(text))
        if rest is None:
            found.add((text, False))  # what follows is unknown: the known part still has to be there
        else:
            found.update((text + more, more_complete) for more, more_complete in rest)
    return found


def _cache_key(source: str, flags: int) -> str:
    return f"{int(flags)}:{source}"


@lru_cache(maxsize=1)
def _shipped_beginnings() -> dict:
    """Beginnings of the shipped rules, computed ahead by ``scripts/build_regex_beginnings.py``: working
    them out is a recursive walk of each parsed regex, a sixth of a second at every start-up. A rule not in
    the file (edited since) is worked out as before; ``tests/test_fast_regex.py`` checks the file is current."""
    try:
        with resources.files("billfacts").joinpath("resources", "regex_beginnings.json").open(encoding="utf-8") as fh:
            return json.load(fh)["beginnings"]
    except (OSError, ValueError, KeyError):
        return {}


def word_beginnings(source: str, flags: int) -> Optional[frozenset[str]]:
    """The beginnings (up to PREFIX_LENGTH characters) every match of ``source`` starts with, when each is a word
    character followed by anything; None when they cannot be listed."""
    shipped = _shipped_beginnings().get(_cache_key(source, flags), False)
    if shipped is not False:
        return None if shipped is None else frozenset(shipped)
    return compute_word_beginnings(source, flags)


def compute_word_beginnings(source: str, flags: int) -> Optional[frozenset[str]]:
    try:
        beginnings = _beginnings(_sre_parse.parse(source, flags).data, PREFIX_LENGTH)
    except Exception:  # an unexpected parse shape: scan the plain way
        return None
    if not beginnings:
        return None
    texts = frozenset(text for text, _ in beginnings)
    if len(texts) > _MAX_BEGINNINGS or any(
            not text or not (text[0].isalnum() or text[0] in ("_", ANY_DIGIT)) for text in texts):
        return None
    return texts


_WORD_START = re.compile(r"\b\w")


def _only_after_a_non_word(guard_source: str) -> bool:
    """True for "\\b" and for a negative one-character lookbehind that excludes word characters
    ("(?<![\\w:/.])"): before a word character, either one means the match starts a word."""
    if guard_source == r"\b":
        return True
    match = _ONE_CHAR_LOOKBEHIND.fullmatch(guard_source)
    return match is not None and match.group(1) == "!" and r"\w" in match.group(2)


class WordStarts:
    """Where words start in a note, grouped by the rules whose beginnings they carry."""

    def __init__(self, scans: Iterable["RuleScan"]):
        # beginning -> scan numbers; beginnings are 1 to PREFIX_LENGTH characters long
        self._by_beginning: dict[str, list[int]] = {}
        self._cache: dict[str, tuple[int, ...]] = {}  # a word's first characters -> scans, filled as words come
        self.indexed: list[RuleScan] = [scan for scan in scans if scan.beginnings is not None]
        for number, scan in enumerate(self.indexed):
            for text in scan.beginnings:
                self._by_beginning.setdefault(text, []).append(number)

    def candidates(self, subject: str) -> dict[int, list[int]]:
        """id(scan) -> word starts in ``subject`` (lower-cased text) where that scan may match."""
        if not self.indexed:
            return {}
        found: list[list[int]] = [[] for _ in self.indexed]
        rules_for, cache = self._rules_for, self._cache
        for word in _WORD_START.finditer(subject):
            start = word.start()
            head = subject[start:start + PREFIX_LENGTH]
            numbers = cache.get(head)
            if numbers is None:
                numbers = cache[head] = rules_for(head)
            for number in numbers:
                found[number].append(start)
        return {id(scan): starts for scan, starts in zip(self.indexed, found)}

    def _rules_for(self, head: str) -> tuple[int, ...]:
        """The scans a word starting with ``head`` (its first characters) may begin a match of."""
        numbers: set[int] = set()
        for length in range(1, len(head) + 1):
            numbers.update(self._by_beginning.get(head[:length], ()))
        if head[0].isdigit():
            numbers.update(self._by_beginning.get(ANY_DIGIT, ()))
        return tuple(sorted(numbers))


# ---- the plan for one rule --------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class RuleScan:
    """How one regex pattern is searched: on which text, and where its matches may start."""

    pattern: "re.Pattern | LazyPattern"  # the rule as written: the fallback, and the reference
    search: "re.Pattern | LazyPattern"  # what is searched (maybe without IGNORECASE, maybe without the assertion)
    guard: Optional[re.Pattern] = None  # a leading assertion checked at each candidate start
    lower_case: bool = False  # search the lower-cased text
    digits: Optional[re.Pattern] = None  # finds the candidate starts of a digit-led rule
    beginnings: Optional[frozenset[str]] = None  # a "\b" rule's possible first characters

    @classmethod
    def plan(cls, pattern: re.Pattern) -> "RuleScan":
        flags = pattern.flags
        lower_case = bool(flags & re.IGNORECASE) and not _UPPER_OUTSIDE_ESCAPES.search(pattern.pattern)
        if lower_case:
            flags &= ~re.IGNORECASE
        source = pattern.pattern
        any_split = split_leading_assertion(source, letter_led=False)
        if any_split is not None and lower_case and _only_after_a_non_word(any_split[0]):
            beginnings = word_beginnings(any_split[1], flags)
            if beginnings is not None:
                guard = None if any_split[0] == r"\b" else LazyPattern(any_split[0], flags)
                return cls(pattern, LazyPattern(any_split[1], flags), guard, lower_case, beginnings=beginnings)
        split = split_leading_assertion(source)
        if split is not None:
            return cls(pattern, LazyPattern(split[1], flags), LazyPattern(split[0], flags), lower_case)
        rest = any_split[1] if any_split else source
        if starts_with_digit(rest, flags):
            finder = digit_finder(any_split[0] if any_split else None, flags)
            if finder is not None:
                return cls(pattern, LazyPattern(rest, flags), lower_case=lower_case, digits=finder)
        return cls(pattern, LazyPattern(source, flags), lower_case=lower_case)

    def spans(self, text: str, lower: Optional[str],
              word_starts: Optional[list[int]] = None) -> Iterator[tuple[int, int]]:
        """(start, end) of every match, as ``self.pattern.finditer(text)`` gives them.

        ``lower`` is ``text.lower()``, or None when lower-casing changed its length. ``word_starts``,
        for a rule with ``beginnings``, are the candidates ``WordStarts`` found (computed here if not given)."""
        if self.lower_case and lower is None:  # lower-casing changed the length: the plain way
            for match in self.pattern.finditer(text):
                yield match.span()
            return
        subject = lower if self.lower_case else text
        if self.beginnings is not None:
            if word_starts is None:
                word_starts = WordStarts([self]).candidates(subject)[id(self)]
            yield from self._try_at(subject, word_starts)
        elif self.digits is not None:
            yield from self._try_at(subject, (m.start() for m in self.digits.finditer(subject)))
        elif self.guard is None:
            for match in self.search.finditer(subject):
                yield match.span()
        else:
            yield from self._search_guarded(subject)

    def _try_at(self, subject: str, starts: Iterable[int]) -> Iterator[tuple[int, int]]:
        match_at, resume = self.search.match, 0
        guard = self.guard.match if self.guard is not None and self.digits is None else None
        for start in starts:
            if start < resume or (guard is not None and guard(subject, start) is None):
                continue
            match = match_at(subject, start)
            if match is not None:
                end = match.end()
                resume = end if end > start else start + 1
                yield start, end

    def _search_guarded(self, subject: str) -> Iterator[tuple[int, int]]:
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
