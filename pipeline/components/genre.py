"""Note genre: what kind of document this is, before any service or code is read from it.

Real notes are not all psychotherapy progress notes. A certified coder first asks what the document is:
a discharge summary, a psychological or neuropsychological testing report, a disability or independent
medical examination, or a blank form is no billable encounter of its own; a psychiatric evaluation, consult
or admission evaluation is a diagnostic evaluation (90791/90792); a medical visit (history, physical
examination, assessment) or a medication-management visit is an E/M. The answer comes from the note's
structure (which headers it has) and its wording (phrase cues in the opening), through the ordered rules of
``resources/genre_rules.json``. Notes that meet none of them get ``genre=None`` and are read by the
service-type rules as before (psychotherapy, family, group, crisis ...).
"""


import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from ..rules import load_resource
from .headers import note_headers
from .spans import asserted, evidence, targets, text_of

if not Doc.has_extension("bf_genre"):
    Doc.set_extension("bf_genre", default=None)

_QUESTION_LINE = re.compile(r"(?m)\?[ \t]*$")
_NON_EMPTY_LINE = re.compile(r"(?m)^[ \t]*\S")


class GenreRules:
    """The ordered genre rules and their header groups, read once from ``genre_rules.json``."""

    def __init__(self, data: dict):
        self.opening_chars = int(data["opening_chars"])
        self.header_groups: dict[str, list[str]] = {}
        for group, headers in data["header_cues"].items():
            for header in headers:
                self.header_groups.setdefault(header, []).append(group)
        self.genres = data["genres"]
        self.third_party_prescriber = named_before(data["prescribers"])


def named_before(prescribers: str) -> re.Pattern:
    """A prescriber named just before a prescribing cue ("her psychiatrist increased sertraline to 100 mg"):
    searched in the 60 characters that end where the cue starts."""
    return re.compile(r"\b" + prescribers + r"\b[^.;\n]{0,30}$", re.IGNORECASE)


@lru_cache(maxsize=1)
def prescribers() -> str:
    """The regular expression for a clinician who prescribes (``genre_rules.json``), shared by the readers
    that tell someone else's prescription from the note author's."""
    return load_resource("genre_rules.json")["prescribers"]


class NoteGenre:
    def __init__(self, nlp: Language, name: str):
        self.name = name
        self.rules = GenreRules(load_resource("genre_rules.json"))

    def headers(self, doc: Doc) -> dict[str, list[tuple[int, int]]]:
        """Header groups found in the note, each with the offsets of its headers."""
        found: dict[str, list[tuple[int, int]]] = {}
        for header in note_headers(doc):
            for group in self.rules.header_groups.get(header.name, ()):
                found.setdefault(group, []).append((header.start, header.end))
        return found

    def cues(self, doc: Doc) -> dict[str, list[tuple[int, int]]]:
        """Phrase cues (asserted target spans) by cue name: a GENRE_CUE's value, else its label."""
        found: dict[str, list[tuple[int, int]]] = {}
        text = text_of(doc)
        for label in ("GENRE_CUE", "SVC_DIAG_EVAL", "EM_CUE"):
            for span in asserted(targets(doc, label)):
                name = span._.bf_value if label == "GENRE_CUE" else label.lower()
                if name == "prescribing" and self.rules.third_party_prescriber.search(
                        text, max(0, span.start_char - 60), span.start_char):
                    continue  # "her psychiatrist increased sertraline to 100 mg": someone else's order
                found.setdefault(name, []).append((span.start_char, span.end_char))
        return found

    def holds(self, cond: dict, text: str, headers: dict, cues: dict, used: list) -> bool:
        """Whether a condition holds; the offsets that made it hold are appended to ``used``."""
        if "any" in cond:
            return any(self.holds(sub, text, headers, cues, used) for sub in cond["any"])
        mark = len(used)
        for group, count in cond.get("headers_min", {}).items():
            if len(headers.get(group, ())) < count:
                del used[mark:]
                return False
            used.extend(headers[group][:count])
        for cue, count in cond.get("cue_min", {}).items():
            if len(cues.get(cue, ())) < count:
                del used[mark:]
                return False
            used.extend(cues[cue][:count])
        if "opening_cue" in cond:
            limit = cond.get("within", self.rules.opening_chars)
            opening = [o for cue in cond["opening_cue"] for o in cues.get(cue, ()) if o[0] < limit]
            if not opening:
                del used[mark:]
                return False
            used.append(min(opening))
        if "question_lines" in cond:
            questions = [(m.start(), m.end()) for m in _QUESTION_LINE.finditer(text)]
            lines = len(_NON_EMPTY_LINE.findall(text))
            rule = cond["question_lines"]
            if len(questions) < rule["min"] or len(questions) < rule["share"] * max(lines, 1):
                del used[mark:]
                return False
            used.extend(questions[:3])
        return True

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        headers = self.headers(doc)
        cues = self.cues(doc)
        genre = None
        for rule in self.rules.genres:
            used: list[tuple[int, int]] = []
            if not self.holds(rule["when"], text, headers, cues, used):
                continue
            if "unless" in rule and self.holds(rule["unless"], text, headers, cues, []):
                continue
            genre = {"genre": rule["genre"], "service": rule["service"],
                     "evidence": [evidence(doc, start, end) for start, end in used]}
            break
        genre = genre or {"genre": None, "service": None, "evidence": []}
        genre["hands_on_exam"] = [evidence(doc, start, end) for start, end in headers.get("hands_on_exam", ())[:2]]
        doc._.bf_genre = genre
        return doc


@Language.factory("billfacts_genre", assigns=["doc._.bf_genre"])
def make_genre(nlp: Language, name: str) -> NoteGenre:
    return NoteGenre(nlp, name)
