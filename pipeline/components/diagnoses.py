"""ICD-10-CM diagnoses: codes written in the note and named disorders mapped to codes.

Every code is checked against the ICD-10-CM code set shipped by ``simple-icd-10-cm`` (valid, and a
billable leaf or not). A named disorder is mapped with its qualifiers ("recurrent, moderate",
"combined type", "with mixed anxiety and depressed mood") through ``resources/diagnosis_names.json``;
a name written next to a code ("F41.1 Generalized anxiety disorder") is the same diagnosis, not a second.
Each diagnosis gets a ConText status: affirmed, negated, historical, uncertain (rule-outs, hypotheticals)
or family.
"""


import bisect
import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from .. import icd10cm
from ..rules import load_resource
from .diagnosis_lists import Item, ListRules, words
from .poisoning import PoisoningRules
from .scratch import scratch
from .spans import evidence, flag, line_of, section_at, span_evidence, targets, text_of

if not Doc.has_extension("bf_diagnoses"):
    Doc.set_extension("bf_diagnoses", default=None)

class SortedSpans:
    """Spans (or (span, value) pairs) in text order, with the range questions the readers ask answered by
    bisection: a note with thousands of names costs time in proportion to them, not to their square."""

    def __init__(self, items, key=lambda item: item):
        self.key = key
        self.items = sorted(items, key=lambda item: key(item).start_char)
        self.starts = [key(item).start_char for item in self.items]
        self.ends = sorted(key(item).end_char for item in self.items)

    def __iter__(self):
        return iter(self.items)

    def starting_in(self, low: int, high: int) -> list:
        """Items whose span starts at or after ``low`` and before ``high``."""
        return self.items[bisect.bisect_left(self.starts, low): bisect.bisect_left(self.starts, high)]

    def last_end_upto(self, position: int):
        index = bisect.bisect_right(self.ends, position)
        return self.ends[index - 1] if index else None

    def first_start_from(self, position: int):
        index = bisect.bisect_left(self.starts, position)
        return self.starts[index] if index < len(self.starts) else None


STATUS_RANK = {"affirmed": 0, "uncertain": 1, "historical": 2, "negated": 3, "family": 4}
DX_SECTIONS = {"diagnosis"}
HISTORY_SECTIONS = {"history"}
_DX_LABEL = re.compile(r"\b(?:dx|diagnos[ie]s|diagnostic impression|impression|icd-?10)\b", re.IGNORECASE)
_NAME_NEAR_CODE_CHARS = 90
MAX_TERM_WORDS = 8
# DSM-IV / ICD-9-CM numbers in a list ("Adjustment disorder with disturbance of conduct (309.3)", "V61.20").
_LEGACY = re.compile(r"(?<![\w.])(V\d{2}(?:\.\d{1,2})?|[23]\d{2}(?:\.\d{1,2})?)(?![\w.]|\s*(?:mg|mcg|ml|%|/))",
                     re.IGNORECASE)


def icd_check(code: str) -> tuple[str, bool] | None:
    """(canonical code with dot, billable) for a valid ICD-10-CM code, else None."""
    return icd10cm.check(code)


_TRAILING = frozenset(" \t\r\n.;,:")


SPECIFIER_CHARS = 60
_CLAUSE_STOP = re.compile(r"[.;:!?](?:\s|$)|\s(?:and|but|which|who|that|because|since|as)\s", re.IGNORECASE)
_LIST_MARK = re.compile(r"[\s\-*\u2022\u00b7]*(?:\(?\d{1,2}[.)]\s+|[a-z][.)]\s+)?")


def _listed(text: str, item, region_end: int) -> bool:
    """An item that is a list entry for its mention's extent: a list-like item, or a short one that a
    semicolon or the line's end closes ("ICD-10: F33.1 MDD, recurrent, moderate; ADHD, inattentive type" is
    too long a line to be list-like, but each of its parts is an entry). A sentence is never one."""
    return item.list_like or (item.end - item.start <= 120 and (item.end >= region_end or text[item.end] in ";\n"))


def _item_extent(text: str, item, found: list) -> tuple[int, int] | None:
    """The words of a list item that write one diagnosis (GUIDELINES.md "Spans"), given the item's (or one
    part's) hits as ``[(part, hits)]``: from the item's first word ("chronic PTSD", "Posttraumatic stress
    disorder, unspecified (F43.10)") to the end of the last part with hits or after them ("MDD, recurrent,
    severe without psychotic features"), without list marker and trailing punctuation. A status cue before
    the first name ("R/O PTSD", "h/o AUD") stays out. None when the parts name several diagnoses: each
    then keeps its own words."""
    hits = [hit for _, part_hits in found for hit in part_hits]
    if not hits or len({hit[0] for hit in hits}) != 1:
        return None
    first = min(hit[2]["start"] for hit in hits)
    first_part = next(part for part, part_hits in found if part_hits)
    start = _LIST_MARK.match(text, first_part.start, first).end() if first_part.status == "affirmed" else first
    end = max(part.end for part, _ in found) if len(found) > 1 else found[0][0].end
    end = min(end, item.end)
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    end = max(end, max(hit[2]["end"] for hit in hits))
    return (start, end) if end > start else None


def status_of(span: Span) -> str:
    section = section_at(span.doc, span.start_char)
    if flag(span, "is_family") or section == "family_history":
        return "family"
    if flag(span, "is_negated"):
        return "negated"
    if flag(span, "is_uncertain") or flag(span, "is_hypothetical"):
        return "uncertain"
    if flag(span, "is_historical") or section in HISTORY_SECTIONS:
        return "historical"
    return "affirmed"


class Diagnoses:
    def __init__(self, nlp: Language, name: str):
        self.name = name
        data = load_resource("diagnosis_names.json")
        self.disorders = {d["key"]: d for d in data["disorders"]}
        self.related_categories = [set(group) for group in data.get("related_categories", [])]
        self.lists = ListRules(load_resource("diagnosis_lists.json"))
        self.legacy = load_resource("legacy_dx_codes.json")["codes"]
        self.combinations = data.get("diagnosis_combinations", [])
        self.poisoning = PoisoningRules(load_resource("poisoning.json"))
        self._keys_by_disorder: dict[str, frozenset] = {}
        self.qualifiers = {
            key: re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
                            + r")(?![\w-])", re.IGNORECASE)
            for key, phrases in data["qualifiers"].items()
        }

    def in_dx_context(self, span: Span) -> bool:
        if section_at(span.doc, span.start_char) in DX_SECTIONS:
            return True
        line_start, _ = line_of(span.doc, span.start_char)
        return bool(_DX_LABEL.search(text_of(span.doc), max(line_start, span.start_char - 200), span.start_char))

    def qualifiers_near(self, span: Span, all_dx: SortedSpans, keys: frozenset | None = None) -> set[str]:
        """Qualifier keys written around a name, up to the neighbouring diagnoses on its line (only
        ``keys`` and their ``no_`` forms when given: the ones the name's coding rules ask about)."""
        text = text_of(span.doc)
        line_start, line_end = line_of(span.doc, span.start_char)
        before, after = all_dx.last_end_upto(span.start_char), all_dx.first_start_from(span.end_char)
        left_edge = max([line_start, span.start_char - 60] + ([before] if before is not None else []))
        right_edge = min([line_end, span.end_char + 120] + ([after] if after is not None else []))
        left = re.split(r"[;.]\s", text[left_edge:span.start_char])[-1]
        right = re.split(r"[;.]\s", text[span.end_char:right_edge])[0]
        window = left + " " + span.text + " " + right
        wanted = self.qualifiers.items() if keys is None else \
            [(key, self.qualifiers[key]) for key in keys if key in self.qualifiers]
        found = {key for key, regex in wanted if regex.search(window)}
        # "without psychotic features": a no_<key> qualifier cancels <key>.
        found -= {key[3:] for key in found if key.startswith("no_")}
        return found

    def _rule_keys(self, name: str, disorder: dict) -> frozenset:
        """The qualifier keys a disorder's rules ask about, with their ``no_`` forms (which cancel them):
        searching only these, not all of them, for each of a list's names."""
        keys = self._keys_by_disorder.get(name)
        if keys is None:
            asked = {q for rule in disorder["codes"] + disorder.get("also", []) for q in rule["when"]}
            keys = self._keys_by_disorder[name] = frozenset(asked | {f"no_{q}" for q in asked})
        return keys

    @staticmethod
    def _first_rule(rules: list[dict], found: set[str]) -> str | None:
        for rule in rules:
            if all(q in found for q in rule["when"]):
                return rule["code"]
        return None

    def map_name(self, span: Span, all_dx: SortedSpans) -> str | None:
        disorder = self.disorders.get(span._.bf_value)
        if disorder is None:
            return None
        found = self.qualifiers_near(span, all_dx, self._rule_keys(span._.bf_value, disorder))
        return self._first_rule(disorder["codes"], found) or disorder["default"]

    def map_name_all(self, span: Span, all_dx: SortedSpans) -> list[str]:
        """The name's code and the codes reported with it ("Alzheimer's dementia": G30.9 and F02.80)."""
        disorder = self.disorders.get(span._.bf_value)
        if disorder is None:
            return []
        found = self.qualifiers_near(span, all_dx, self._rule_keys(span._.bf_value, disorder))
        codes = [self._first_rule(disorder["codes"], found) or disorder["default"]]
        also = self._first_rule(disorder.get("also", []), found)
        return codes + ([also] if also else [])

    def __call__(self, doc: Doc) -> Doc:
        code_spans = []
        regions = self.lists.regions(doc)
        for span in targets(doc, "DX_CODE"):
            text = span.text
            has_dot = "." in text
            if not has_dot and text[0].upper() not in "FZ" and not (
                    self.in_dx_context(span) or any(s <= span.start_char < e for s, e, _ in regions)):
                continue  # "I10" after "Dx:" is hypertension; "A12" in a sentence is a room number
            if not text[0].isupper() and not (has_dot and self.in_dx_context(span)):
                continue
            checked = icd_check(text)
            if checked is not None:
                code_spans.append((span, checked))
        name_spans = list(targets(doc, "DX_NAME"))
        # Edges for qualifier windows: codes and specific names, not generic words that may be qualifiers
        # themselves ("adjustment disorder with mixed anxiety and depressed mood").
        all_dx = SortedSpans([s for s, _ in code_spans] + [s for s in name_spans if not self._generic(s)])
        code_spans = SortedSpans(code_spans, key=lambda pair: pair[0])
        name_spans = SortedSpans(name_spans)

        found: dict[str, dict] = {}
        keys_of: dict[str, set[str]] = {}  # the named disorders behind each code

        def add(code: str, billable: bool, record: dict, status: str, source: str, key: str | None = None,
                mention: tuple[int, int] | None = None):
            entry = found.get(code)
            if entry is None:
                found[code] = entry = {"code": code, "text": record["text"], "description": _description(code),
                                       "status": status, "billable": billable, "source": source,
                                       "evidence": [record], "mentions": []}
                keys_of[code] = set()
            else:
                entry["evidence"].append(record)
            # Where the diagnosis is written (a list item's whole wording, else the name or code), with the
            # status this place gives it: the entry keeps the strongest, each mention its own.
            start, end = mention or (record["start"], record["end"])
            entry["mentions"].append((start, end, status))
            if key:
                keys_of[code].add(key)
            if STATUS_RANK[status] < STATUS_RANK[entry["status"]]:
                entry["status"] = status

        if regions:
            # The note lists its diagnoses: those lists are the claim. Codes written elsewhere still count
            # (a code is a deliberate statement); names elsewhere are history, screening or narrative.
            self.read_lists(doc, regions, code_spans, name_spans, all_dx, add)
            region_starts = [start for start, _, _ in regions]

            def outside(span: Span) -> bool:
                index = bisect.bisect_right(region_starts, span.start_char) - 1
                return index < 0 or span.start_char >= regions[index][1]

            for span, (code, billable) in code_spans:
                if outside(span):
                    add(code, billable, span_evidence(span), status_of(span), "code")
            # Elsewhere a named disorder is reported only when it is not a present claim (negated,
            # historical, uncertain, family): what the note rules out or recalls stays visible.
            self.read_names(code_spans, [s for s in name_spans if outside(s) and status_of(s) != "affirmed"],
                            all_dx, add)
        else:
            for span, (code, billable) in code_spans:
                add(code, billable, span_evidence(span), status_of(span), "code")
            self.read_names(code_spans, name_spans, all_dx, add)
        self.most_specific(found, keys_of)
        self.combine(found)
        ordered = sorted(found.values(), key=lambda d: d["evidence"][0]["start"])
        doc._.bf_diagnoses = ordered
        return doc

    def read_names(self, code_spans, name_spans, all_dx, add) -> None:
        """Named disorders outside a diagnosis list: medical conditions and symptoms only after a 'Dx:'
        label or in a diagnosis section, and never twice for a name written beside its code."""
        for span in name_spans:
            disorder = self.disorders.get(span._.bf_value)
            if disorder is None:
                continue
            if disorder.get("dx_context_only") and (not self.in_dx_context(span) or
                                                    self._inside_other(span, all_dx)):
                continue
            for code, billable in self.name_codes(span, code_spans, all_dx):
                add(code, billable, span_evidence(span), status_of(span), "name", span._.bf_value,
                    mention=self.specified_extent(span, disorder, all_dx))

    def specified_extent(self, span: Span, disorder: dict, all_dx: SortedSpans) -> tuple[int, int]:
        """A named disorder in prose with the specifiers written right after it, as its mention ("ADHD,
        inattentive type", "alcohol use disorder, in sustained remission"): the farthest match of the
        qualifiers its coding rules ask about, within SPECIFIER_CHARS of the name, before the clause ends
        or the next diagnosis starts. The cue before the name ("Rule out") is no part of it."""
        text = text_of(span.doc)
        _, line_end = line_of(span.doc, span.start_char)
        after = all_dx.first_start_from(span.end_char)
        limit = min([line_end, span.end_char + SPECIFIER_CHARS] + ([after] if after is not None else []))
        stop = _CLAUSE_STOP.search(text, span.end_char, limit)
        limit = stop.start() if stop else limit
        end = span.end_char
        for key in self._rule_keys(span._.bf_value, disorder):
            regex = self.qualifiers.get(key)
            if regex is not None:
                for match in regex.finditer(text, span.end_char, limit):
                    end = max(end, match.end())
        return span.start_char, end

    def name_codes(self, span: Span, code_spans, all_dx) -> list[tuple[str, bool]]:
        """(code, billable) for a named disorder, none when it only describes a code written beside it."""
        codes = self.map_name_all(span, all_dx)
        if not codes or self._next_to_code(span, code_spans, codes[0]):
            return []
        return [checked for checked in (icd_check(code) for code in codes if code) if checked is not None]

    def most_specific(self, found: dict, keys_of: dict) -> None:
        """One disorder named twice ("conversion disorder" in the summary, "conversion disorder with
        pseudoseizures" in Axis I) is one diagnosis: its unspecified code goes when a specific one is there."""
        affirmed = {code for code, entry in found.items() if entry["status"] == "affirmed"}
        for code in list(affirmed):
            for key in keys_of.get(code, ()):
                disorder = self.disorders.get(key, {})
                if code != disorder.get("default"):
                    continue
                if any(other != code and key in keys_of.get(other, ()) and other[:3] == code[:3]
                       for other in affirmed):
                    found.pop(code, None)

    def combine(self, found: dict) -> None:
        """ICD-10-CM's 'with' convention: conditions the classification links are coded together
        (diabetes with chronic kidney disease E11.22, hypertension with CKD I12.9)."""
        for rule in self.combinations:
            affirmed = [c for c, e in found.items() if e["status"] == "affirmed"]
            if not all(any(c.startswith(prefix) for c in affirmed) for prefix in rule["when_all"]):
                continue
            if rule["replace"] not in affirmed:
                continue
            entry = found.pop(rule["replace"])
            if rule["with"] and rule["with"] not in found:
                checked = icd_check(rule["with"])
                if checked is not None:
                    found[rule["with"]] = {**entry, "code": checked[0], "billable": checked[1],
                                           "description": _description(checked[0])}

    # ---- diagnosis lists -------------------------------------------------------------------
    def read_lists(self, doc: Doc, regions, code_spans, name_spans, all_dx, add) -> None:
        text = text_of(doc)
        for region_start, region_end, opening in regions:
            for item in self.lists.items(text, region_start, region_end, opening):
                names = tuple((s.start_char, s.end_char) for s in name_spans.starting_in(item.start, item.end))
                codes = tuple((s.start_char, s.end_char) for s, _ in code_spans.starting_in(item.start, item.end))
                found = [(part, self.read_part(doc, text, item, part, code_spans, name_spans, all_dx))
                         for part in self.lists.qualify(text, item, names, names + codes)]
                listed = _listed(text, item, region_end)
                whole = _item_extent(text, item, found) if listed else None
                for part, hits in found:
                    extent = whole or (_item_extent(text, item, [(part, hits)]) if listed else None)
                    for hit in hits:
                        add(*hit, mention=extent)

    def read_part(self, doc, text, item: Item, part, code_spans, name_spans, all_dx) -> list[tuple]:
        """The codes one qualified part of a list item names: written codes, named disorders (with their
        specifiers), then code-set terms for the words neither covers, then legacy DSM-IV/ICD-9 numbers.
        Each hit is (code, billable, evidence, status, source[, disorder key])."""
        hits: list[tuple[str, bool, dict, str, str]] = []  # code, billable, evidence, status, source
        covered: list[tuple[int, int]] = []
        codes_here = [(s, c) for s, c in code_spans.starting_in(part.start, part.end) if s.end_char <= part.end]
        for span, (code, billable) in codes_here:
            hits.append((code, billable, span_evidence(span), self._status(part, span), "code"))
            covered.append((span.start_char, span.end_char))
        here = [s for s in name_spans.starting_in(part.start, part.end) if s.end_char <= part.end]
        specific = SortedSpans([s for s, _ in codes_here] + [s for s in here if not self._generic(s)])
        absorbed = {key for s in here for key in self.disorders.get(s._.bf_value, {}).get("absorbs", [])}
        covered += [(s.start_char, s.end_char) for s in here]
        for span in here:
            kind = self.disorders.get(span._.bf_value, {}).get("kind")
            if kind == "generic" and self._inside_other(span, specific):
                continue  # "adjustment disorder with anxiety": the word qualifies the diagnosis before it
            if kind in ("generic", "symptom") and not (item.list_like and
                                                       self.lists.opens_entry(text, item, span.start_char, covered)):
                continue  # "depression" or "fatigue" in a sentence is a complaint, not a claim
            if span._.bf_value in absorbed:
                continue  # "mild dementia, most likely Alzheimer type": the Alzheimer entry codes the dementia
            for code, billable in self.name_codes(span, code_spans, all_dx):
                hits.append((code, billable, span_evidence(span), self._status(part, span), "name", span._.bf_value))
        terms = self.code_set_terms(text, part, covered) if item.list_like else []
        covered += [(start, end) for _, start, end in terms]
        for code, start, end in terms:
            if not self.lists.opens_entry(text, item, start, covered):
                continue
            checked = icd_check(code)
            if checked is not None:
                hits.append((checked[0], checked[1], evidence(doc, start, end), part.status, "name"))
        for poisoning in self.poisoning.in_part(text, part.start, part.end, scratch(doc)) if item.list_like else ():
            hits.append((poisoning.code, True, evidence(doc, poisoning.start, poisoning.end), part.status, "name"))
        if not hits:
            for match in _LEGACY.finditer(text, part.start, part.end):
                mapped = self.legacy.get(match.group(1).upper()) or self.legacy.get(match.group(1).rstrip("0"))
                checked = icd_check(mapped) if mapped else None
                if checked is not None:
                    hits.append((checked[0], checked[1], evidence(doc, match.start(1), match.end(1)), part.status,
                                 "code"))
        cue = self.lists.symptom_cue_at(text, part.start, part.end)
        if cue is not None and any(h[2]["start"] > cue for h in hits):
            # "Headaches and dizziness, consistent with migraine", "peripheral neuropathy, consistent with
            # diabetic neuropathy": the diagnosis after the cue explains, or refines, what comes before it.
            hits = [h for h in hits if h[2]["start"] > cue]
        if part.status == "historical":
            # "Axis III: History of ... chronic bronchitis" in a note that says "The patient has chronic
            # bronchitis": the condition is present, whatever the list's wording.
            memo = scratch(doc).setdefault("stated_present", {})
            hits = [(*h[:3], "affirmed", *h[4:]) if self.lists.stated_present(text, h[2]["text"], memo) else h
                    for h in hits]
        return hits

    @staticmethod
    def _status(part, span: Span) -> str:
        """Inside a list the list is the context: the item's qualifiers (rule out, versus, possible,
        history of ...), then the span's own ConText flags for negation, family and hypotheticals (not the
        section, which a list header the sectionizer does not know may leave wrong). ConText's uncertainty
        cues that the item qualifiers do not share ("likely", "probable", "consistent with") name the
        clinician's working diagnosis, which is coded as written in an assessment."""
        if part.status != "affirmed" or part.decided:
            return part.status  # "chest pain with MI ruled out": the clause reading, not ConText's scope
        if flag(span, "is_family"):
            return "family"
        if flag(span, "is_negated"):
            return "negated"
        if flag(span, "is_hypothetical"):
            return "uncertain"
        return "historical" if flag(span, "is_historical") and not part.current else "affirmed"

    @staticmethod
    @lru_cache(maxsize=65536)
    def term_code(phrase: str) -> str | None:
        """The code a phrase names, also as a plural ("headaches") and with the site written first
        ("right shoulder bursitis" is the code set's "bursitis of right shoulder")."""
        code = icd10cm.lookup(phrase)
        if code is None and phrase.endswith("s") and len(phrase) > 4 and not phrase.endswith(("ss", "is", "us")):
            code = icd10cm.lookup(phrase[:-1])
        if code is None and " " in phrase:
            site, _, condition = phrase.rpartition(" ")
            code = icd10cm.lookup(f"{condition} of {site}")
        return code

    def code_set_terms(self, text: str, part, covered) -> list[tuple[str, int, int]]:
        """Codes whose ICD-10-CM title or inclusion term the words of a list item spell, longest first.
        Not run over sentences of prose: there the code set's terms name complaints far more often than
        claims ("panic attacks", "poor sleep"); named disorders and conditions still count there."""
        tokens = [(icd10cm.normalise(w[0]), w[1], w[2]) for w in words(text, part.start, part.end)
                  if not any(s <= w[1] < e for s, e in covered)]
        out, i = [], 0
        while i < len(tokens):
            hit = None
            for j in range(min(len(tokens), i + MAX_TERM_WORDS), i, -1):
                if tokens[j - 1][2] - tokens[i][1] > 3 * MAX_TERM_WORDS * 12:
                    continue
                phrase = " ".join(t[0] for t in tokens[i:j] if t[0])  # words normalise one by one
                if not phrase or phrase in self.lists.not_diagnoses:
                    continue
                code = self.term_code(phrase)
                if code is not None and j - i == 1 and code.startswith("F1"):
                    code = None  # a substance's name alone ("ecstasy") is no use disorder
                leaf = icd10cm.billable_leaf(code) if code else None
                if leaf:
                    hit = (leaf, tokens[i][1], tokens[j - 1][2], j)
                    break
            if hit:
                out.append(hit[:3])
                i = hit[3]
            else:
                i += 1
        return out

    def _generic(self, span: Span) -> bool:
        return bool(self.disorders.get(span._.bf_value, {}).get("dx_context_only"))

    @staticmethod
    def _inside_other(span: Span, specific: SortedSpans) -> bool:
        """A generic word right after a specific diagnosis on the same line qualifies it."""
        doc = span.doc
        for other in specific.starting_in(span.start_char - 200, span.start_char):
            if other.end_char <= span.start_char and span.start_char - other.end_char < 60:
                if not re.search(r"[;\n]", text_of(doc)[other.end_char: span.start_char]):
                    return True
        return False

    def _related(self, a: str | None, b: str) -> bool:
        if a is None:
            return True
        if a[:3] == b[:3]:
            return True
        return any(a[:3] in group and b[:3] in group for group in self.related_categories)

    def _next_to_code(self, span: Span, code_spans, mapped: str | None) -> bool:
        """A name beside a written code on the same line describes that code ("F41.1 Generalized anxiety
        disorder", "MDD (F33.1)"), unless a comma separates two unrelated diagnoses ("ODD (F91.3), ADHD")."""
        doc = span.doc
        line_start, line_end = line_of(doc, span.start_char)
        nearby = code_spans.starting_in(max(line_start, span.start_char - _NAME_NEAR_CODE_CHARS - 20),
                                        min(line_end, span.end_char + _NAME_NEAR_CODE_CHARS) + 1)
        for code_span, _ in nearby:
            gap_text = text_of(doc)[min(code_span.end_char, span.end_char): max(code_span.start_char, span.start_char)]
            if len(gap_text) <= _NAME_NEAR_CODE_CHARS and not re.search(r"[;]|\b[A-TV-Z]\d[0-9A-Z]\.", gap_text):
                if "," not in gap_text or self._related(mapped, code_span.text.upper()):
                    return True
        return False


def _description(code: str) -> str:
    return icd10cm.title(code)


@Language.factory("billfacts_diagnoses", assigns=["doc._.bf_diagnoses"])
def make_diagnoses(nlp: Language, name: str) -> Diagnoses:
    return Diagnoses(nlp, name)
