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


import re
from dataclasses import dataclass, field, replace
from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc, Span

from .. import timeparse
from ..rules import load_resource
from .spans import evidence, flag, section_at, targets, text_of

TIME_LABELS = ("CLOCK_RANGE", "CLOCK_RANGE_24H", "CLOCK_START", "CLOCK_END", "DURATION", "DURATION_BARE")
CONFLICT_TOLERANCE = 2
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
        connectors = r"(?:\s*(?:of|in|on|for|spent|doing|providing|devoted to|dedicated to|was|were|the|individual|face[- ]to[- ]face|direct|separate|separately|documented)\b)*\s*"
        self.right_adjacent = {
            role: re.compile(r"^" + connectors + r"(?:" + regex.pattern + r")", re.IGNORECASE)
            for role, regex in self.specific.items()
        }
        self.section_roles = data["section_roles"]


# A minus sign written against a duration ("-5 min"), not a dash between words ("session - 45 minutes")
# nor a range ("45-50 min" is one span).
_SIGNED = re.compile(r"(?:^|[^\w])[-\u2212]$")
ROLE_WINDOW = 240
_CLAUSE_BREAK = re.compile(r"[;,(\[]|\band\b|\bplus\b|\+|\bthen\b|\bwith\b", re.IGNORECASE)


class SessionTime:
    def __init__(self, nlp: Language, name: str):
        self.name = name
        self.cues = _Cues()

    # ---- role of one mention -------------------------------------------------------------
    def _nearest_specific(self, text: str) -> Optional[str]:
        best, best_pos = None, -1
        for role, regex in self.cues.specific.items():
            for match in regex.finditer(text):
                if match.end() > best_pos:
                    best, best_pos = role, match.end()
        return best

    def role(self, doc: Doc, start: int, end: int, kind: str) -> Optional[str]:
        text = text_of(doc)
        sent = doc.char_span(start, end, alignment_mode="expand")
        sent_start = sent.sent.start_char if sent is not None else max(0, start - 200)
        sent_end = sent.sent.end_char if sent is not None else min(len(text), end + 200)
        # The words that say what a time measures stand near it: reading at most ROLE_WINDOW characters
        # either side keeps a sentence packed with times ("1:00-2:00 1:00-2:00 ...") linear.
        sent_start, sent_end = max(sent_start, start - ROLE_WINDOW), min(sent_end, end + ROLE_WINDOW)
        left = text[sent_start:start]
        right = text[end:sent_end]
        right_clause = "" if text[start:end].rstrip().endswith(".") else re.split(r"[;,.(\n]", right, maxsplit=1)[0]
        if kind == "stated" and self.cues.relative_after.match(right_clause):
            return None
        if kind == "stated" and self.cues.excluded.search(right_clause[:60]):
            return "excluded"  # "8 minutes were spent on scheduling and paperwork"
        for role, regex in self.cues.right_adjacent.items():
            if regex.match(right_clause):
                return role
        clause_left = _CLAUSE_BREAK.split(left)[-1]
        role = self._nearest_specific(clause_left)
        if role:
            return role
        right_sentence = re.split(r"[;.(\n]", right, maxsplit=1)[0][:60]
        role = self._nearest_specific(right_sentence)
        if role and not _CLAUSE_BREAK.search(right_sentence.split(",")[-1] if "," in right_sentence else ""):
            return role
        if self.cues.session.search(clause_left) or self.cues.session.search(right_clause):
            return "session"
        if self.cues.not_session.search(clause_left) or self.cues.not_session.search(right_clause):
            return None
        role = self._nearest_specific(left)
        if role:
            return role
        section = section_at(doc, start)
        if section in self.cues.section_roles:
            return self.cues.section_roles[section]
        if self.cues.not_session.search(left) or self.cues.not_session.search(right):
            return None
        if (kind == "clock" and _session_note(doc)) or self.cues.session.search(left) or \
                self.cues.session.search(right):
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
        taken: list[tuple[int, int]] = []

        def overlaps(a: int, b: int) -> bool:
            return any(a < t_end and t_start < b for t_start, t_end in taken)

        for span in spans:
            if span.label_ not in ("CLOCK_RANGE", "CLOCK_RANGE_24H"):
                continue
            if span.label_ == "CLOCK_RANGE_24H" and not self._plausible_24h(doc, span):
                continue
            parsed = timeparse.parse_clock_range(span.text)
            if parsed is None:
                continue
            role = self.role(doc, span.start_char, span.end_char, "clock")
            if role is None:
                continue
            found.append(
                TimeMention(span.start_char, span.end_char, parsed.minutes, "clock", role, parsed.start, parsed.end,
                            spans=[(span.start_char, span.end_char)])
            )
            taken.append((span.start_char, span.end_char))

        starts = [s for s in spans if s.label_ == "CLOCK_START" and not overlaps(s.start_char, s.end_char)]
        ends = [s for s in spans if s.label_ == "CLOCK_END" and not overlaps(s.start_char, s.end_char)]
        for start_span in starts:
            end_span = next((e for e in ends if e.start_char > start_span.start_char
                             and e.start_char - start_span.end_char < 400), None)
            if end_span is None:
                continue
            ends.remove(end_span)
            start_clock = timeparse.parse_clock(_clock_text(start_span.text))
            end_clock = timeparse.parse_clock(_clock_text(end_span.text))
            if start_clock is None or end_clock is None:
                continue
            parsed = timeparse.clock_span(start_clock, end_clock)
            if parsed is None:
                continue
            role = self.role(doc, start_span.start_char, start_span.end_char, "clock") or "session"
            found.append(
                TimeMention(start_span.start_char, end_span.end_char, parsed.minutes, "clock", role, parsed.start,
                            parsed.end, spans=[(start_span.start_char, start_span.end_char),
                                               (end_span.start_char, end_span.end_char)])
            )
            taken.append((start_span.start_char, end_span.end_char))

        for span in spans:
            if span.label_ not in ("DURATION", "DURATION_BARE") or overlaps(span.start_char, span.end_char):
                continue
            if span.label_ == "DURATION":
                minutes = timeparse.parse_duration(span.text)
            else:
                number = re.search(r"(\d{1,3})\s*$", span.text)
                minutes = int(number.group(1)) if number else None
            signed = span.text[:1] in "-\u2212" or _SIGNED.search(text_of(doc), max(0, span.start_char - 3),
                                                                     span.start_char)
            if not minutes or signed:
                continue  # "-5 minutes" is no session length (and never 5 minutes)
            if span.label_ == "DURATION_BARE":
                # The label is part of the match: "total 55", "Psychotherapy time: 40".
                role = self._nearest_specific(span.text) or self.role(doc, span.start_char, span.end_char,
                                                                      "stated") or "session"
            else:
                role = self.role(doc, span.start_char, span.end_char, "stated")
            if role is None:
                continue
            left = text_of(doc)[max(0, span.start_char - 40): span.start_char]
            segment = bool(self.cues.segment.search(_CLAUSE_BREAK.split(left)[-1]))
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
        doc._.bf_time = result
        return doc


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
    return [evidence(doc, a, b) for m in mentions for a, b in m.spans]


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
