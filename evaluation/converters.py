"""Gold corpus formats researchers' tools read: brat standoff (both ways), Prodigy-style JSONL (in) and spaCy
``DocBin`` (out, with billfacts' ``Doc`` extensions).

- brat: one ``NAME.txt`` and ``NAME.ann`` per note. A span is a text-bound annotation (``T1<TAB>DX 10 15<TAB>
  words``), each true attribute a binary attribute (``A1<TAB>Negated T1``), a DX code an annotator note
  (``#1<TAB>AnnotatorNotes T1<TAB>F41.1``). Document facts have no brat form: a note's gold facts and meta ride
  in ``NAME.json`` beside it, so gold -> brat -> gold gives back the same lines.
- Prodigy: ``{"text", "spans": [{"start", "end", "label"}], "meta", "answer"}`` lines (``ner_manual`` and
  ``spans.manual`` output); rejected and ignored answers are left out; a span may carry ``code`` and the four
  attributes as extra keys.
- DocBin: each note run through the billfacts pipeline, gold spans in ``doc.spans["gold"]`` (a span group, as
  spans may nest or overlap), the facts in ``doc._.billing_facts``; ``store_user_data`` keeps the extensions.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Iterator

from .gold_format import ATTRIBUTES, GoldRecord

BRAT_ATTRIBUTE = {name: name.capitalize() for name in ATTRIBUTES}
ATTRIBUTE_OF = {value: key for key, value in BRAT_ATTRIBUTE.items()}


def read_gold(path: Path) -> Iterator[dict]:
    """Gold lines, each checked against the gold format (an invalid line raises naming its number)."""
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    yield GoldRecord.model_validate_json(line).model_dump(exclude_unset=True)
                except ValueError as exc:
                    raise ValueError(f"{Path(path).name} line {number}: not a gold record ({_fields(exc)})") from None


def _fields(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):  # pydantic: field locations and error types, never the input (a note's text)
        return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['type']}" for e in errors()[:5])
    return type(exc).__name__


def write_jsonl(records: Iterable[dict], path: Path) -> int:
    count = 0
    with Path(path).open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


# ---- brat standoff -----------------------------------------------------------------------------------
def to_brat(records: Iterable[dict], folder: Path) -> int:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for record in records:
        name = _file_name(record["note_id"])
        (folder / f"{name}.txt").write_text(record["text"], encoding="utf-8", newline="")
        (folder / f"{name}.ann").write_text(brat_annotations(record), encoding="utf-8")
        side = {"note_id": record["note_id"], "gold": record.get("gold", {}), "meta": record.get("meta", {})}
        (folder / f"{name}.json").write_text(json.dumps(side, ensure_ascii=False), encoding="utf-8")
        count += 1
    (folder / "annotation.conf").write_text(BRAT_CONF, encoding="utf-8")
    return count


def brat_annotations(record: dict) -> str:
    lines, attribute, note = [], 0, 0
    text = record["text"]
    for index, span in enumerate(record.get("spans", []), 1):
        covered = text[span["start"]:span["end"]]
        if "\n" in covered:  # brat writes a span across lines as fragments
            pieces, offset = [], span["start"]
            for part in covered.split("\n"):
                if part:
                    pieces.append(f"{offset} {offset + len(part)}")
                offset += len(part) + 1
            where = ";".join(pieces)
        else:
            where = f"{span['start']} {span['end']}"
        lines.append(f"T{index}\t{span['label']} {where}\t{covered.replace(chr(10), ' ')}")
        for name in ATTRIBUTES:
            if span.get(name):
                attribute += 1
                lines.append(f"A{attribute}\t{BRAT_ATTRIBUTE[name]} T{index}")
        if span.get("code"):
            note += 1
            lines.append(f"#{note}\tAnnotatorNotes T{index}\t{span['code']}")
    return "\n".join(lines) + ("\n" if lines else "")


def from_brat(folder: Path) -> Iterator[dict]:
    """Gold lines from a brat folder (notes in name order). A ``.json`` beside a note gives back its id,
    facts and meta; without one the file name is the id and the facts are empty. A DX span without an
    attribute line reads as affirmed (all four attributes false)."""
    for txt in sorted(Path(folder).glob("*.txt")):
        text = txt.read_bytes().decode("utf-8")  # as written: line endings are part of the offsets
        ann = txt.with_suffix(".ann")
        side_path = txt.with_suffix(".json")
        side = json.loads(side_path.read_text(encoding="utf-8")) if side_path.exists() else {}
        spans: dict[str, dict] = {}
        order: list[str] = []
        for line in (ann.read_text(encoding="utf-8").splitlines() if ann.exists() else []):
            fields = line.split("\t")
            key = fields[0]
            if key.startswith("T") and len(fields) >= 2:
                label, _, where = fields[1].partition(" ")
                offsets = [tuple(int(n) for n in piece.split()) for piece in where.split(";")]
                spans[key] = {"label": label, "start": offsets[0][0], "end": offsets[-1][1]}
                order.append(key)
            elif key.startswith("A") and len(fields) >= 2:
                parts = fields[1].split()
                name = ATTRIBUTE_OF.get(parts[0])
                if name and len(parts) >= 2 and parts[1] in spans:
                    spans[parts[1]][name] = True
            elif key.startswith("#") and len(fields) >= 3:
                parts = fields[1].split()
                if parts[0] == "AnnotatorNotes" and len(parts) >= 2 and parts[1] in spans:
                    spans[parts[1]]["code"] = fields[2].strip()
        out = []
        for key in order:
            span = spans[key]
            if span["label"] == "DX":
                span = {**span, **{name: bool(span.get(name)) for name in ATTRIBUTES}}
            out.append(_ordered_span(span))
        record = {"note_id": side.get("note_id", txt.stem), "text": text, "spans": out,
                  "gold": side.get("gold", {}), "meta": side.get("meta", {})}
        yield GoldRecord.model_validate(record).model_dump(exclude_unset=True)


BRAT_CONF = """[entities]
CLOCK
DURATION
SCHEDULED
PSY_TIME
EM_TIME
TOTAL_TIME
DX

[relations]

[events]

[attributes]
Negated Arg:DX
Historical Arg:DX
Hypothetical Arg:DX
Family Arg:DX
"""


# ---- Prodigy ------------------------------------------------------------------------------------------
def from_prodigy(path: Path) -> Iterator[dict]:
    """Gold lines from Prodigy-style JSONL: accepted answers only; the note id from ``meta.note_id``,
    ``meta.id`` or the task's ``_input_hash``; spans by character offsets."""
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            task = json.loads(line)
            if task.get("answer", "accept") != "accept":
                continue
            meta = task.get("meta") or {}
            note_id = meta.get("note_id") or meta.get("id") or str(task.get("_input_hash", f"prodigy-{number}"))
            spans = []
            for span in task.get("spans") or []:
                kept = {"label": span["label"], "start": span["start"], "end": span["end"]}
                kept.update({k: span[k] for k in ("code", *ATTRIBUTES) if k in span})
                if kept["label"] == "DX":
                    kept.update({name: bool(kept.get(name)) for name in ATTRIBUTES})
                spans.append(_ordered_span(kept))
            record = {"note_id": str(note_id), "text": task["text"], "spans": spans,
                      "gold": task.get("gold") or {}, "meta": {k: v for k, v in meta.items() if k != "note_id"}}
            yield GoldRecord.model_validate(record).model_dump(exclude_unset=True)


# ---- spaCy DocBin -------------------------------------------------------------------------------------
def to_docbin(records: Iterable[dict], path: Path) -> int:
    """Run billfacts on each note and write the Docs, gold spans in ``doc.spans["gold"]`` (attributes and
    codes in the span group's attrs, by span index) and the facts in ``doc._.billing_facts``."""
    from spacy.tokens import DocBin

    from billfacts.analysis import load

    nlp = load()
    records = list(records)
    docs = nlp.pipe((r["text"] for r in records), batch_size=32)
    bin_ = DocBin(store_user_data=True)
    for record, doc in zip(records, docs):
        gold = []
        extras = []
        for span in record.get("spans", []):
            piece = doc.char_span(span["start"], span["end"], label=span["label"], alignment_mode="expand")
            if piece is not None:
                gold.append(piece)
                extras.append({k: span[k] for k in ("code", *ATTRIBUTES) if k in span})
        doc.spans["gold"] = gold
        doc.spans["gold"].attrs["annotations"] = extras
        doc.user_data["note_id"] = record["note_id"]
        bin_.add(doc)
    bin_.to_disk(path)
    return len(records)


def _ordered_span(span: dict) -> dict:
    keys = ("label", "start", "end", "code", *ATTRIBUTES)
    return {k: span[k] for k in keys if k in span}


def _file_name(note_id: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in note_id) or "note"
