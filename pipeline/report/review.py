"""The review view of one analysed note: one self-contained HTML fragment (inline CSS, no script, no
network), the note on the left with each evidence span marked, and on the right the facts, code lines
and gaps, each linking to the marks that support it.

Everything from the note or the caller is HTML-escaped. With ``text=None`` (a redacted report) no note
text is shown at all: evidence appears as character offsets only, and quoted evidence is left out.
"""

from __future__ import annotations

import html
from typing import Iterable, Optional

from ..models import AnalysisResult, Evidence

STYLE = """
.bf-review{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2430;display:grid;
 grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:18px;margin:0 0 28px}
.bf-review h2{font-size:17px;margin:0 0 6px}.bf-review h3{font-size:14px;margin:14px 0 4px;color:#3d4a5c}
.bf-note{white-space:pre-wrap;font:13px/1.5 ui-monospace,Menlo,Consolas,monospace;background:#fbfbf8;
 border:1px solid #dcdcd2;border-radius:6px;padding:12px;overflow-wrap:anywhere;max-height:80vh;overflow:auto}
.bf-note mark{background:#fff0a8;border-bottom:2px solid #e0b400;padding:0 1px;border-radius:2px}
.bf-note mark.bf-gap{background:#ffd9d2;border-bottom-color:#d5412b}
.bf-note mark.bf-code{background:#d9ecff;border-bottom-color:#2b6fd5}
.bf-note mark:target{outline:3px solid #7b3fe4}
.bf-side table{border-collapse:collapse;width:100%;font-size:13px}
.bf-side td,.bf-side th{border-bottom:1px solid #e6e6e0;padding:3px 6px;text-align:left;vertical-align:top}
.bf-side a{color:#2b57c5;text-decoration:none;font-size:12px;margin-right:4px}
.bf-sev-high{color:#b3261e;font-weight:600}.bf-sev-medium{color:#a15c00}.bf-sev-low{color:#51606f}
.bf-muted{color:#6a7686;font-size:12px}.bf-code-id{font-weight:600}
.bf-error{color:#b3261e;font-weight:600}
"""

_FACT_FIELDS = ("service_type", "note_genre", "psychotherapy_minutes", "em_minutes", "total_minutes", "start_time",
                "end_time", "modality", "patient_location", "telehealth_consent", "platform", "interpreter",
                "interactive_complexity_factors", "em_present", "em_code", "date_of_service", "group_participants",
                "crisis_elements", "scheduled_minutes", "risk_screen")


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


class _Marks:
    """Numbers every distinct evidence span once, so that facts, code lines and gaps that cite the same
    characters link to the same mark."""

    def __init__(self):
        self.numbers: dict[tuple[int, int], int] = {}
        self.kinds: dict[tuple[int, int], set[str]] = {}
        self.labels: dict[tuple[int, int], list[str]] = {}

    def cite(self, records: Iterable[Evidence], kind: str, label: str) -> list[int]:
        cited = []
        for record in records:
            key = (record.start, record.end)
            number = self.numbers.setdefault(key, len(self.numbers) + 1)
            self.kinds.setdefault(key, set()).add(kind)
            labels = self.labels.setdefault(key, [])
            if label not in labels:
                labels.append(label)
            cited.append(number)
        return cited


def _links(numbers: list[int], records: list[Evidence], redacted: bool, prefix: str) -> str:
    if not numbers:
        return '<span class="bf-muted">nothing in the note</span>'
    if redacted:
        return " ".join(f'<span class="bf-muted">[{r.start}-{r.end}]</span>' for r in records)
    return " ".join(f'<a href="#{prefix}bf-ev-{n}">[{n}]</a>' for n in dict.fromkeys(numbers))


def _marked_note(text: str, marks: _Marks, prefix: str) -> str:
    """The note with each cited span in a <mark>. Spans may overlap or nest: the text is cut at every
    span boundary and each piece is marked by the innermost (shortest) span that covers it; each span's
    first piece carries its anchor."""
    spans = sorted(((start, end) for start, end in marks.numbers if 0 <= start < end <= len(text)),
                   key=lambda s: (s[0], -s[1]))
    if not spans:
        return _esc(text)
    cuts = sorted({0, len(text), *(s for s, _ in spans), *(e for _, e in spans)})
    out: list[str] = []
    anchored: set[tuple[int, int]] = set()
    open_spans: list[tuple[int, int]] = []  # spans covering the current piece
    next_span = 0
    for left, right in zip(cuts, cuts[1:]):
        while next_span < len(spans) and spans[next_span][0] <= left:
            open_spans.append(spans[next_span])
            next_span += 1
        open_spans = [s for s in open_spans if s[1] > left]
        piece = _esc(text[left:right])
        if not open_spans:
            out.append(piece)
            continue
        span = min(open_spans, key=lambda s: s[1] - s[0])
        kinds = marks.kinds[span]
        css = "bf-gap" if "gap" in kinds else "bf-code" if "code" in kinds else "bf-fact"
        title = _esc("; ".join(marks.labels[span])[:300])
        anchor = ""
        if span not in anchored:
            anchored.add(span)
            anchor = f' id="{prefix}bf-ev-{marks.numbers[span]}"'
        out.append(f'<mark class="{css}"{anchor} title="{title}">{piece}</mark>')
        # A nested span whose own first piece is inside another's gets its anchor here too.
        for other in open_spans:
            if other not in anchored and other[0] == left:
                anchored.add(other)
                out.insert(len(out) - 1, f'<span id="{prefix}bf-ev-{marks.numbers[other]}"></span>')
    return "".join(out)


def review_html(result: AnalysisResult, text: Optional[str], *, anchor_prefix: str = "") -> str:
    """The review view of one note as an HTML fragment (``<section>``). ``text`` is the note as analysed
    (the caller's own text, which evidence offsets index), or None to leave every piece of note text out.
    ``anchor_prefix`` keeps anchors unique when several views share one page."""
    redacted = text is None
    marks = _Marks()
    title = _esc(result.note_id or "note")
    parts = [f'<section class="bf-review" id="{anchor_prefix}bf-note">']
    side: list[str] = [f'<div class="bf-side"><h2>{title}</h2>']
    if result.status != "ok":
        error = result.error
        side.append(f'<p class="bf-error">not analysed: {_esc(error.code if error else "error")}</p>'
                    f'<p class="bf-muted">{_esc(error.message if error else "")}</p></div>')
        note = '<div class="bf-note bf-muted">(note text left out)</div>' if redacted or not text else \
            f'<div class="bf-note">{_esc(text)}</div>'
        return "".join(parts) + note + "".join(side) + "</section>"
    facts, coding, gaps = result.facts, result.coding, result.gaps
    prefix = anchor_prefix

    def link(records, kind, label):
        records = list(records)
        return _links(marks.cite(records, kind, label), records, redacted, prefix)

    side.append(f'<p class="bf-muted">date of service {_esc(coding.date_of_service or "-")} &middot; payer '
                f'{_esc(coding.payer_profile)} &middot; gap score {gaps.score}</p>')
    side.append('<h3>Code lines</h3><table><tr><th>code</th><th>units</th><th>mod</th><th>POS</th>'
                '<th>why</th><th>evidence</th></tr>')
    for line in coding.lines:
        side.append(f'<tr><td class="bf-code-id">{_esc(line.code)}</td><td>{line.units}</td>'
                    f'<td>{_esc(" ".join(line.modifiers))}</td><td>{_esc(line.pos or "")}</td>'
                    f'<td>{_esc(line.rationale)}</td><td>{link(line.evidence, "code", line.code)}</td></tr>')
    if not coding.lines:
        side.append('<tr><td colspan="6" class="bf-muted">no code line</td></tr>')
    side.append("</table>")
    for warning in coding.warnings:
        side.append(f'<p class="bf-muted">{_esc(warning.rule_id)}: {_esc(warning.message)}</p>')
    side.append('<h3>Documentation gaps</h3><table><tr><th>gap</th><th>severity</th><th>what</th><th>evidence</th></tr>')
    checks = {check.id: check for check in gaps.checks}
    for gap in gaps.items:
        evidence = gap.evidence or (checks[gap.id].evidence if gap.id in checks else [])
        side.append(f'<tr><td>{_esc(gap.id)}</td><td class="bf-sev-{_esc(gap.severity)}">{_esc(gap.severity)}</td>'
                    f'<td>{_esc(gap.message)}</td><td>{link(evidence, "gap", gap.id)}</td></tr>')
    if not gaps.items:
        side.append('<tr><td colspan="4" class="bf-muted">no gap</td></tr>')
    side.append("</table>")
    side.append('<h3>Facts</h3><table><tr><th>fact</th><th>value</th><th>evidence</th></tr>')
    data = facts.model_dump(mode="json")
    for field in _FACT_FIELDS:
        value = data.get(field)
        if value in (None, [], False) and field not in facts.evidence:
            continue
        shown = ", ".join(map(str, value)) if isinstance(value, list) else value
        side.append(f'<tr><td>{_esc(field)}</td><td>{_esc(shown)}</td>'
                    f'<td>{link(facts.evidence.get(field, []), "fact", field)}</td></tr>')
    side.append("</table><h3>Diagnoses</h3><table><tr><th>code</th><th>status</th><th>title</th></tr>")
    for diagnosis in facts.diagnoses:
        side.append(f'<tr><td class="bf-code-id">{_esc(diagnosis.code)}</td><td>{_esc(diagnosis.status)}</td>'
                    f'<td>{_esc(diagnosis.description or "")}</td></tr>')
    if facts.diagnoses:
        side.append(f'<tr><td colspan="3">{link(facts.evidence.get("diagnoses", []), "fact", "diagnoses")}</td></tr>')
    side.append("</table></div>")
    if redacted:
        note = '<div class="bf-note bf-muted">(note text left out: redacted)</div>'
    else:
        note = f'<div class="bf-note">{_marked_note(text, marks, prefix)}</div>'
    return "".join(parts) + note + "".join(side) + "</section>"


def review_page(result: AnalysisResult, text: Optional[str], *, title: str = "billfacts review",
                body_before: str = "") -> str:
    """A whole HTML page holding one review view (``analyze --format html``, the service's review)."""
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{_esc(title)}</title><style>body{{margin:20px}}{STYLE}</style></head><body>"
            f"{body_before}{review_html(result, text)}</body></html>")
