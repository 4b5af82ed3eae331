"""Session time: clock times, psychotherapy minutes kept apart from E/M and total visit minutes.

Reads the time mentions the TargetMatcher found (clock ranges, labelled start/end times, stated
durations), drops what ConText marks as scheduled or hypothetical ("scheduled 60 min", "next session
45 min"), gives every remaining mention a role from the words around it (``resources/time_cues.json``)
and combines them:

- psychotherapy minutes: explicit psychotherapy time, else psychotherapy clock segments (summed), else,
  with a separately documented E/M part, total minus E/M; without E/M, the session length;
- a stated length and a clock range that disagree by more than two minutes are both kept, as a
  ``time_conflicts`` entry, and the smaller value is used: doubt never raises the code.
"""


import bisect
import re
from collections import deque
from dataclasses import dataclass, field, replace
from typing import Iterable, Optional

from spacy.language import Language
from spacy.tokens import Doc, Span

from .. import timeparse
from ..rules import load_resource
from .regex_scan import RuleScan, WordStarts
from .spans import evidence, evidence_records, flag, section_at, sentence_of, targets, text_of

TIME_LABELS = ("CLOCK_RANGE", "CLOCK_RANGE_24H", "CLOCK_START", "CLOCK_END", "DURATION", "DURATION_BARE")
CONFLICT_TOLERANCE = 2
_NAMES_A_SESSION = re.compile(r"\s*-?\s*(?:session|visit|appointment|appt|meeting)\b", re.IGNORECASE)
HEADER_CHARS = 250

if not Doc.has_extension("bf_time"):
    Doc.set_extension("bf_time", default=None)


@dataclass
class TimeMention:
    start_char: int
    end_char: int
    minutes: int
    kind: str  # "clock" | "stated"
    role: str  # "psychotherapy" | "em" | "total" | "session"
    clock_start: Optional[str] = None
    clock_end: Optional[str] = None
    segment: bool = False
    spans: list[tuple[int, int]] = field(default_factory=list)


def _cue_regex(words: list[str]) -> re.Pattern:
    escaped = sorted((re.escape(w) for w in words), key=len, reverse=True)
    return re.compile(r"(?<![\w/&])(?:" + "|".join(escaped) + r")(?![\w/&])", re.IGNORECASE)


class _Cues:
    def __init__(self):
        data = load_resource("time_cues.json")
        self.specific = {role: _cue_regex(data[role]) for role in ("em", "psychotherapy", "counseling", "total")}
        self.session = _cue_regex(data["session"])
        self.not_session = _cue_regex(data["not_session"])
        self.excluded = _cue_regex(data["excluded"])
        self.segment = _cue_regex(data["segment"])
        self.relative_after = re.compile(
            r"^\s*(?:" + "|".join(re.escape(w) for w in data["relative_after"]) + r")\b", re.IGNORECASE
        )
        self.relative_before = re.compile(
            r"\b(?:" + "|".join(re.escape(w) for w in data["relative_before"]) + r")\s+$", re.IGNORECASE
        )
        connectors = r"(?:\s*(?:of|in|on|for|spent|doing|providing|devoted to|dedicated to|was|were|the|individual|face[- ]to[- ]face|direct|separate|separately|documented)\b)*\s*"
        self.right_adjacent = {
            role: re.compile(r"^" + connectors + r"(?:" + regex.pattern + r")", re.IGNORECASE)
            for role, regex in self.specific.items()
        }
        self.section_roles = data["section_roles"]
        named = {**self.specific, "session": self.session, "not_session": self.not_session,
                 "excluded": self.excluded, "segment": self.segment, "clause_break": _CLAUSE_BREAK}
        self.scans = {name: RuleScan.plan(pattern) for name, pattern in named.items()}
        self.word_starts = WordStarts(self.scans.values())


# A minus sign written against a duration ("-5 min"), not a dash between words ("session - 45 minutes")
# nor a range ("45-50 min" is one span).
_SIGNED = re.compile(r"(?:^|[^\w])[-\u2212]$")
ROLE_WINDOW = 240
_CLAUSE_BREAK = re.compile(r"[;,(\[]|\band\b|\bplus\b|\+|\bthen\b|\bwith\b", re.IGNORECASE)


_CLAUSE_END = re.compile(r"[;,.(\n]")
_SENTENCE_END = re.compile(r"[;.(\n]")


def _first_break(pattern: re.Pattern, text: str, start: int, end: int) -> int:
    """Where the first break of ``pattern`` in ``text[start:end]`` begins (``end`` when none)."""
    match = pattern.search(text, start, end)
    return match.start() if match else end


class _CueMatches:
    """Where one cue pattern matches in a note, found in one left-to-right scan. Matches of one scan do
    not overlap, so their starts and their ends both rise, and a window's question is two bisections
    (``_CueIndex.has`` and ``last_end``)."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in spans:
            self.starts.append(start)
            self.ends.append(end)


class _CueIndex:
    """The time cues of one note, asked about windows around each time mention (is there a psychotherapy
    word in this clause, a session word in this sentence?).

    A typical note has a few mentions, and searching their windows directly is cheapest. A note packed
    with times ("1:00-2:00 1:00-2:00 ...") asks thousands of times about overlapping windows: once the
    windows searched for a cue add up to a quarter of the note's length, the cue is found once in the whole note
    (the target rules' scan, ``regex_scan``: lower-cased text, tried only at word starts where the cue can
    begin) and every later question is two bisections. Either way a note costs time linear in its length.
    A window search looks SCAN_SLACK characters past the window so a cue's closing assertion reads the
    same text as in the whole-note scan."""

    SCAN_SLACK = 30  # longer than any cue phrase (time_cues.json)
    INDEX_AFTER = 4  # a whole-note scan costs about a quarter of searching as many characters in windows

    def __init__(self, text: str, cues: "_Cues", session_note: bool = True):
        self.text = text
        self.session_note = session_note
        self._cues = cues
        self._matches: dict[str, _CueMatches] = {}
        self._searched: dict[str, int] = {}
        self._lower: Optional[str] = None
        self._word_starts: Optional[dict[int, list[int]]] = None
        self._specific: Optional[tuple[list[int], list[int], list[str]]] = None  # all specific cues, by end

    def _indexed(self, name: str, window: int) -> Optional[_CueMatches]:
        """The whole-note matches of a cue, once searching windows has cost as much as one scan."""
        matches = self._matches.get(name)
        if matches is None:
            searched = self._searched[name] = self._searched.get(name, 0) + window
            if searched * self.INDEX_AFTER < len(self.text):
                return None
            matches = self._matches[name] = self._scan(name)
        return matches

    def _scan(self, name: str) -> _CueMatches:
        if self._word_starts is None:
            lower = self.text.lower()
            self._lower = lower if len(lower) == len(self.text) else None
            self._word_starts = self._cues.word_starts.candidates(lower) if self._lower is not None else {}
        scan = self._cues.scans[name]
        return _CueMatches(scan.spans(self.text, self._lower, self._word_starts.get(id(scan))))

    def has(self, name: str, start: int, end: int) -> bool:
        """Whether a match of the cue lies wholly inside ``[start, end)``."""
        if start >= end:
            return False
        matches = self._matches.get(name) or self._indexed(name, end - start)
        if matches is not None:
            first = bisect.bisect_left(matches.starts, start)
            return first < len(matches.starts) and matches.ends[first] <= end
        # The first match from ``start`` on decides: any later one starts after it ends.
        match = self._cues.scans[name].pattern.search(self.text, start, min(len(self.text), end + self.SCAN_SLACK))
        return match is not None and match.end() <= end

    def last_end(self, name: str, start: int, end: int) -> int:
        """The end of the last match of the cue wholly inside ``[start, end)``, or -1."""
        if start >= end:
            return -1
        matches = self._matches.get(name) or self._indexed(name, end - start)
        if matches is not None:
            last = bisect.bisect_right(matches.ends, end) - 1
            return matches.ends[last] if last >= 0 and matches.starts[last] >= start else -1
        found = -1
        for match in self._cues.scans[name].pattern.finditer(self.text, start,
                                                             min(len(self.text), end + self.SCAN_SLACK)):
            if match.end() > end:
                break
            found = match.end()
        return found

    def nearest_specific(self, start: int, end: int) -> Optional[str]:
        """The role (em, psychotherapy, counseling, total) whose cue ends last in ``[start, end)``."""
        if self._specific is not None:
            return self._nearest_indexed(start, end)
        best, best_end = None, -1
        for role in self._cues.specific:
            found = self.last_end(role, start, end)
            if found > best_end:
                best, best_end = role, found
        if all(role in self._matches for role in self._cues.specific):
            # Every role is indexed now: one merged list, ordered by end, answers later questions.
            # Equal ends: the role listed first wins, as in the loop above (walking back meets it first).
            order = {role: i for i, role in enumerate(self._cues.specific)}
            merged = sorted((end_, -order[role], start_, role) for role in self._cues.specific
                            for start_, end_ in zip(self._matches[role].starts, self._matches[role].ends))
            self._specific = ([m[0] for m in merged], [m[2] for m in merged], [m[3] for m in merged])
        return best

    def _nearest_indexed(self, start: int, end: int) -> Optional[str]:
        """``nearest_specific`` from the merged index: walking back from the last match ending by ``end``,
        the first match of a role not met yet that lies inside the window is the answer (each role's last
        match decides for that role, as ``last_end`` reads it). At most one match of a role straddles
        ``start``, so the walk takes a few steps."""
        ends, starts, roles = self._specific
        seen: set = set()
        index = bisect.bisect_right(ends, end) - 1
        while index >= 0 and ends[index] > start and len(seen) < len(self._cues.specific):
            role = roles[index]
            if role not in seen:
                if starts[index] >= start:
                    return role
                seen.add(role)
            index -= 1
        return None

    def clause_start(self, start: int, end: int) -> int:
        """Where the clause that ends at ``end`` begins: after the last clause break in ``[start, end)``."""
        found = self.last_end("clause_break", start, end)
        return found if found >= 0 else start


class SessionTime:
    def __init__(self, nlp: Language, name: str):
        self.name = name
        self.cues = _Cues()

    # ---- role of one mention -------------------------------------------------------------
    def role(self, doc: Doc, start: int, end: int, kind: str, where: Optional["_CueIndex"] = None) -> Optional[str]:
        where = where or _CueIndex(text_of(doc), self.cues, _session_note(doc))
        text = where.text
        sent_start, sent_end = sentence_of(doc, start)
        sent_end = max(sent_end, end)
        # The words that say what a time measures stand near it: reading at most ROLE_WINDOW characters
        # either side, and asking the note-wide cue index about those windows, keeps a sentence packed with
        # times ("1:00-2:00 1:00-2:00 ...") linear.
        sent_start, sent_end = max(sent_start, start - ROLE_WINDOW), min(sent_end, end + ROLE_WINDOW)
        clause_end = end if text[start:end].rstrip().endswith(".") else _first_break(_CLAUSE_END, text, end, sent_end)
        right_clause = text[end:clause_end]
        if kind == "stated" and self.cues.relative_after.match(right_clause):
            return None  # "10 minutes late", "5 minutes into the session": a shift, not a length
        if kind == "stated" and where.has("excluded", end, min(clause_end, end + 60)):
            return "excluded"  # "(the first) 8 minutes were spent on scheduling and paperwork"
        if kind == "stated" and self.cues.relative_before.search(text, max(0, start - 12), start) \
                and not _NAMES_A_SESSION.match(right_clause):
            # "for the last 10 minutes": a part of the session, not its length ("last 45 min session" is
            # one: the word orders the session, not the minutes)
            return None
        for role, regex in self.cues.right_adjacent.items():
            if regex.match(right_clause):
                return role
        clause_start = where.clause_start(sent_start, start)
        role = where.nearest_specific(clause_start, start)
        if role:
            return role
        sentence_end = min(_first_break(_SENTENCE_END, text, end, sent_end), end + 60)
        role = where.nearest_specific(end, sentence_end)
        if role:
            right_sentence = text[end:sentence_end]
            if not _CLAUSE_BREAK.search(right_sentence.split(",")[-1] if "," in right_sentence else ""):
                return role
        if where.has("session", clause_start, start) or where.has("session", end, clause_end):
            return "session"
        if where.has("not_session", clause_start, start) or where.has("not_session", end, clause_end):
            return None
        role = where.nearest_specific(sent_start, start)
        if role:
            return role
        section = section_at(doc, start)
        if section in self.cues.section_roles:
            return self.cues.section_roles[section]
        if where.has("not_session", sent_start, start) or where.has("not_session", end, sent_end):
            return None
        if (kind == "clock" and where.session_note) or where.has("session", sent_start, start) or \
                where.has("session", end, sent_end):
            return "session"  # outside session notes a bare clock range is a schedule ("supper 5:00 to 5:30")
        if start < HEADER_CHARS:  # a bare length in the note's header ("80min sesion.") is the session's
            return "session"
        if section in ("session_info", "telehealth"):
            return "session"
        return None

    # ---- mentions ------------------------------------------------------------------------
    def mentions(self, doc: Doc) -> list[TimeMention]:
        spans = [s for s in targets(doc, *TIME_LABELS) if not (flag(s, "is_scheduled") or flag(s, "is_hypothetical"))]
        found: list[TimeMention] = []
        where = _CueIndex(text_of(doc), self.cues, _session_note(doc))

        def quote(span: Span) -> str:  # Span.text joins its tokens anew at each read
            return where.text[span.start_char:span.end_char]
        # Characters already read as part of a clock time (a bytearray: the overlap test costs the
        # mention's length, not the number of times found before it).
        taken = bytearray(len(where.text))

        def overlaps(a: int, b: int) -> bool:
            return taken.find(1, a, b) != -1

        def take(a: int, b: int) -> None:
            taken[a:b] = b"\x01" * (b - a)

        for span in spans:
            if span.label_ not in ("CLOCK_RANGE", "CLOCK_RANGE_24H"):
                continue
            if span.label_ == "CLOCK_RANGE_24H" and not self._plausible_24h(doc, span):
                continue
            parsed = timeparse.parse_clock_range(quote(span))
            if parsed is None:
                continue
            role = self.role(doc, span.start_char, span.end_char, "clock", where)
            if role is None:
                continue
            found.append(
                TimeMention(span.start_char, span.end_char, parsed.minutes, "clock", role, parsed.start, parsed.end,
                            spans=[(span.start_char, span.end_char)])
            )
            take(span.start_char, span.end_char)

        starts = [s for s in spans if s.label_ == "CLOCK_START" and not overlaps(s.start_char, s.end_char)]
        ends = deque(s for s in spans if s.label_ == "CLOCK_END" and not overlaps(s.start_char, s.end_char))
        for start_span in starts:
            # Each start takes the first unused end after it, within 400 characters; an end before this
            # start is before every later start too.
            while ends and ends[0].start_char <= start_span.start_char:
                ends.popleft()
            if not ends or ends[0].start_char - start_span.end_char >= 400:
                continue
            end_span = ends.popleft()
            start_clock = timeparse.parse_clock(_clock_text(quote(start_span)))
            end_clock = timeparse.parse_clock(_clock_text(quote(end_span)))
            if start_clock is None or end_clock is None:
                continue
            parsed = timeparse.clock_span(start_clock, end_clock)
            if parsed is None:
                continue
            role = self.role(doc, start_span.start_char, start_span.end_char, "clock", where) or "session"
            found.append(
                TimeMention(start_span.start_char, end_span.end_char, parsed.minutes, "clock", role, parsed.start,
                            parsed.end, spans=[(start_span.start_char, start_span.end_char),
                                               (end_span.start_char, end_span.end_char)])
            )
            take(start_span.start_char, end_span.end_char)

        for span in spans:
            if span.label_ not in ("DURATION", "DURATION_BARE") or overlaps(span.start_char, span.end_char):
                continue
            if span.label_ == "DURATION":
                minutes = timeparse.parse_duration(quote(span))
            else:
                number = re.search(r"(\d{1,3})\s*$", quote(span))
                minutes = int(number.group(1)) if number else None
            signed = quote(span)[:1] in "-\u2212" or _SIGNED.search(where.text, max(0, span.start_char - 3),
                                                                     span.start_char)
            if not minutes or signed:
                continue  # "-5 minutes" is no session length (and never 5 minutes)
            if span.label_ == "DURATION_BARE":
                # The label is part of the match: "total 55", "Psychotherapy time: 40".
                role = where.nearest_specific(span.start_char, span.end_char) or \
                    self.role(doc, span.start_char, span.end_char, "stated", where) or "session"
            else:
                role = self.role(doc, span.start_char, span.end_char, "stated", where)
            if role is None:
                continue
            segment = where.has("segment", where.clause_start(max(0, span.start_char - 40), span.start_char),
                                span.start_char)
            found.append(TimeMention(span.start_char, span.end_char, minutes, "stated", role, segment=segment,
                                     spans=[(span.start_char, span.end_char)]))
        found.sort(key=lambda m: m.start_char)
        return found

    @staticmethod
    def _plausible_24h(doc: Doc, span: Span) -> bool:
        """'1400-1453' is a session; '2019-2020' is a school year. Accept 24-hour digit ranges with a unit
        or a time word close by, and never two plausible years without one."""
        text = span.text.lower()
        if re.search(r"(?:hrs?|hours|h)\s*$", text):
            return True
        numbers = [int(n) for n in re.findall(r"\d{4}", text)]
        left = text_of(doc)[max(0, span.start_char - 40): span.start_char].lower()
        cue = re.search(r"(?:session|time|seen|from|start|visit|appointment|psychotherapy|therapy|met)\W*$|"
                        r"(?:session|time|seen|visit|psychotherapy|therapy)\b", left)
        if not cue:
            return False
        if all(1900 <= n <= 2099 for n in numbers) and re.search(r"\b(?:year|school|grade)\b",
                                                                  text_of(doc)[span.end_char: span.end_char + 20].lower()):
            return False
        return True

    # ---- combination ---------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        mentions = self.mentions(doc)
        therapy_note = _session_note(doc)
        result = combine(doc, mentions, therapy_note)
        scheduled = [s for s in targets(doc, "DURATION") if flag(s, "is_scheduled")]
        if scheduled:
            result["scheduled_minutes"] = timeparse.parse_duration(scheduled[0].text)
            result["evidence"]["scheduled_minutes"] = [evidence(doc, scheduled[0].start_char, scheduled[0].end_char)]
        result["mentions"] = time_mentions(doc, mentions, scheduled, therapy_note)
        doc._.bf_time = result
        return doc


# A stated length's label by its role; "counseling" is psychotherapy in a session note and the visit's
# (E/M) time elsewhere, as ``combine`` reads it.
_STATED_LABEL = {"psychotherapy": "PSY_TIME", "em": "EM_TIME", "total": "TOTAL_TIME", "session": "DURATION"}


def time_mentions(doc: Doc, mentions: list[TimeMention], scheduled: list[Span], therapy_note: bool) -> list[dict]:
    """Each time phrase the note states, labelled as annotators label it (GUIDELINES.md, "Spans"): a clock
    range is CLOCK whatever its role, a stated length PSY_TIME, EM_TIME, TOTAL_TIME or (unlabelled) DURATION,
    a booked length SCHEDULED."""
    text = text_of(doc)
    out = []
    for mention in mentions:
        if mention.kind == "clock":
            label, value = "CLOCK", f"{mention.clock_start}-{mention.clock_end}"
        else:
            role = mention.role if mention.role != "counseling" else ("psychotherapy" if therapy_note else "session")
            label, value = _STATED_LABEL.get(role, "DURATION"), str(mention.minutes)
        out.append(_mention(text, mention.start_char, mention.end_char, label, value))
    for span in scheduled:
        minutes = timeparse.parse_duration(span.text)
        out.append(_mention(text, span.start_char, span.end_char, "SCHEDULED", str(minutes) if minutes else None))
    return out


_UNIT_AFTER = re.compile(r"\s?-?\s?(?:minutes?|mins?|hours?|hrs?)\b", re.IGNORECASE)
_MERIDIEM_DOTS = re.compile(r"[ap]\.m\.$", re.IGNORECASE)
_DIGIT = re.compile(r"\d")


def _mention(text: str, start: int, end: int, label: str, value: Optional[str]) -> dict:
    """The time expression itself (GUIDELINES.md "Spans"): from its first digit, so a label the rule
    matched with it ("Duration: 65", "total 45", "Session Start:") stays out; without the sentence's full
    stop ("45 min." is "45 min", "2:58 p.m.." is "2:58 p.m."); with a unit written right after a bare
    number ("Duration: 65 mins" is "65 mins"). Spelled-out lengths ("an hour") are kept whole."""
    if not text[start].isdigit():
        first_digit = _DIGIT.search(text, start, end)
        if first_digit:
            start = first_digit.start()
    if text[end - 1] == "." and end - start > 1 and not _MERIDIEM_DOTS.search(text, start, end):
        end -= 1
    if text[end - 1].isdigit():
        unit = _UNIT_AFTER.match(text, end, min(len(text), end + 12))
        if unit:
            end = unit.end()
    return {"label": label, "start": start, "end": end, "text": text[start:end], "value": value}


def _session_note(doc: Doc) -> bool:
    """A note the genre rules left to the session reading (no E/M visit, evaluation or non-encounter)."""
    return (doc._.bf_genre or {}).get("service") is None


def _clock_text(labelled: str) -> str:
    """'Start: 10:02 AM' -> '10:02 AM'."""
    match = re.search(r"(\d{1,2}(?::\d{2})?\s*(?:[ap]\.?\s?m\.?|[ap])?|\d{3,4})\s*$", labelled, re.IGNORECASE)
    return match.group(1) if match else labelled


def _sum_clock(mentions: list[TimeMention]) -> Optional[int]:
    """Total minutes of distinct clock segments (a range repeated in the note counts once)."""
    seen = {}
    for m in mentions:
        seen[(m.clock_start, m.clock_end)] = m.minutes
    return sum(seen.values()) if seen else None


def _stated_value(mentions: list[TimeMention]) -> tuple[Optional[int], bool]:
    """One value from stated durations of one role: segments are summed, repeats count once, and
    different values without segment words are a conflict resolved to the smallest."""
    if not mentions:
        return None, False
    if any(m.segment for m in mentions[1:]):
        return sum(m.minutes for m in mentions), False
    values = sorted({m.minutes for m in mentions})
    return values[0], len(values) > 1


def _ev(doc: Doc, mentions: list[TimeMention]) -> list[dict]:
    return evidence_records(doc, (pair for m in mentions for pair in m.spans))


def combine(doc: Doc, mentions: list[TimeMention], therapy_note: bool = True) -> dict:
    """Session times and minutes from the mentions. In a note whose genre is not a session note (an E/M
    visit, an evaluation, a document with no encounter), a session or total length is the visit's time,
    not psychotherapy: only minutes labelled as psychotherapy count as psychotherapy there."""
    # "Counseling" names psychotherapy in a session note and E/M counselling in a medical visit.
    counseling_role = "psychotherapy" if therapy_note else "session"
    mentions = [replace(m, role=counseling_role) if m.role == "counseling" else m for m in mentions]
    by = lambda kind, role: [m for m in mentions if m.kind == kind and m.role == role]  # noqa: E731
    result: dict = {
        "start_time": None, "end_time": None, "psychotherapy_minutes": None, "em_minutes": None,
        "total_minutes": None, "clock_minutes": None, "stated_minutes": None, "time_conflicts": [], "evidence": {},
    }
    ev = result["evidence"]
    conflicts = result["time_conflicts"]

    clocks = [m for m in mentions if m.kind == "clock"]
    if clocks:
        first = min(clocks, key=lambda m: m.clock_start)
        last = max(clocks, key=lambda m: m.clock_end)
        result["start_time"], result["end_time"] = first.clock_start, last.clock_end
        ev["start_time"] = _ev(doc, [first])
        ev["end_time"] = _ev(doc, [last])

    em_stated, em_conflict = _stated_value(by("stated", "em"))
    em_clock = _sum_clock(by("clock", "em"))
    em_minutes = em_stated if em_stated is not None else em_clock
    if em_stated is not None and em_clock is not None and abs(em_stated - em_clock) > CONFLICT_TOLERANCE:
        conflicts.append(_conflict("em_stated_vs_clock", [em_stated, em_clock]))
        em_minutes = min(em_stated, em_clock)
    if em_minutes is not None:
        result["em_minutes"] = em_minutes
        ev["em_minutes"] = _ev(doc, by("stated", "em") + by("clock", "em"))

    total_stated, _ = _stated_value(by("stated", "total"))
    session_clock = _sum_clock(by("clock", "session") + by("clock", "total"))
    all_clock = _sum_clock(clocks)
    result["clock_minutes"] = all_clock

    psy_stated, psy_conflict = _stated_value(by("stated", "psychotherapy"))
    psy_clock = _sum_clock(by("clock", "psychotherapy"))
    session_stated, session_conflict = _stated_value(by("stated", "session"))
    if psy_conflict:
        conflicts.append(_conflict("psychotherapy_stated_disagree", sorted({m.minutes for m in by("stated", "psychotherapy")})))
    if session_conflict:
        conflicts.append(_conflict("session_stated_disagree", sorted({m.minutes for m in by("stated", "session")})))

    psy, psy_ev = None, []
    if psy_stated is not None:
        psy, psy_ev = psy_stated, by("stated", "psychotherapy")
        if psy_clock is not None and abs(psy_clock - psy_stated) > CONFLICT_TOLERANCE:
            conflicts.append(_conflict("psychotherapy_stated_vs_clock", [psy_stated, psy_clock]))
            psy = min(psy, psy_clock)
            psy_ev = psy_ev + by("clock", "psychotherapy")
        result["stated_minutes"] = psy_stated
    elif psy_clock is not None:
        psy, psy_ev = psy_clock, by("clock", "psychotherapy")
    elif not therapy_note:
        result["stated_minutes"] = session_stated if session_stated is not None else total_stated
    elif em_minutes is not None:
        # E/M documented separately: only a stated total (or session clock) less E/M time is psychotherapy.
        base = total_stated if total_stated is not None else session_clock
        if base is not None and base - em_minutes > 0:
            psy = base - em_minutes
            psy_ev = by("stated", "total") + by("clock", "session") + by("stated", "em") + by("clock", "em")
    else:
        stated = session_stated if session_stated is not None else total_stated
        result["stated_minutes"] = stated
        if stated is not None and session_clock is not None:
            psy = stated
            psy_ev = by("stated", "session") or by("stated", "total")
            if abs(stated - session_clock) > CONFLICT_TOLERANCE:
                conflicts.append(_conflict("stated_vs_clock", [stated, session_clock]))
                psy = min(stated, session_clock)
                psy_ev = psy_ev + by("clock", "session") + by("clock", "total")
        elif session_clock is not None:
            psy, psy_ev = session_clock, by("clock", "session") + by("clock", "total")
        elif stated is not None:
            psy, psy_ev = stated, by("stated", "session") or by("stated", "total")
    excluded = by("stated", "excluded")
    if psy is not None and excluded and psy_stated is None and psy_clock is None:
        # Time the note says went to scheduling, paperwork or technical problems is not psychotherapy.
        psy = max(0, psy - sum(m.minutes for m in excluded))
        psy_ev = psy_ev + excluded
    if psy is not None:
        result["psychotherapy_minutes"] = psy
        ev["psychotherapy_minutes"] = _ev(doc, psy_ev)

    if total_stated is not None:
        result["total_minutes"] = total_stated
        ev["total_minutes"] = _ev(doc, by("stated", "total"))
    elif not therapy_note and session_stated is not None:
        result["total_minutes"] = session_stated
        ev["total_minutes"] = _ev(doc, by("stated", "session"))
    elif all_clock is not None and (em_minutes is None or by("clock", "em") or by("clock", "session")):
        result["total_minutes"] = max(all_clock, (psy or 0) + (em_minutes or 0)) if em_minutes else all_clock
        ev["total_minutes"] = _ev(doc, clocks)
    elif psy is not None or em_minutes is not None:
        result["total_minutes"] = (psy or 0) + (em_minutes or 0)
        ev["total_minutes"] = ev.get("psychotherapy_minutes", []) + ev.get("em_minutes", [])
    if result["total_minutes"] is not None and total_stated is not None and all_clock is not None \
            and abs(total_stated - all_clock) > CONFLICT_TOLERANCE:
        conflicts.append(_conflict("total_stated_vs_clock", [total_stated, all_clock]))
    if psy is not None and em_minutes is not None and total_stated is not None \
            and psy + em_minutes > total_stated + CONFLICT_TOLERANCE:
        conflicts.append(_conflict("parts_exceed_total", [psy, em_minutes, total_stated]))
    return result


def _conflict(kind: str, values: list[int]) -> dict:
    messages = {
        "stated_vs_clock": "the stated session length and the clock times disagree",
        "psychotherapy_stated_vs_clock": "the stated psychotherapy time and its clock times disagree",
        "em_stated_vs_clock": "the stated E/M time and its clock times disagree",
        "total_stated_vs_clock": "the stated total time and the clock times disagree",
        "psychotherapy_stated_disagree": "the note states different psychotherapy times",
        "session_stated_disagree": "the note states different session lengths",
        "parts_exceed_total": "psychotherapy plus E/M minutes exceed the stated total",
    }
    return {"kind": kind, "values": values, "message": messages[kind]}


@Language.factory("billfacts_session_time", assigns=["doc._.bf_time"], requires=["doc.sents", "doc._.bf_genre"])
def make_session_time(nlp: Language, name: str) -> SessionTime:
    return SessionTime(nlp, name)
