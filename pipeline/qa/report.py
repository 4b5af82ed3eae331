"""``report.html``: one self-contained file (inline CSS and SVG, no script, no network) that a billing
manager reads without help: the run at a glance, the code distribution, psychotherapy minutes against the
16/38/53 band edges, gap frequencies, the per-clinician table, cloned-note pairs, the lowest-scoring notes,
and a review view for each of the notes it lists (the note with every evidence span marked beside its
facts, code lines and gaps). ``--redact`` leaves every piece of note text out."""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

from ..models import AnalysisResult
from ..report.review import STYLE as REVIEW_STYLE
from ..report.review import review_html
from .inputs import read_records
from .tables import qa_of

PAGE_STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2430;margin:24px;max-width:1400px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #dcdcd2;padding-bottom:4px}
table.bf-t{border-collapse:collapse;font-size:13px}table.bf-t td,table.bf-t th{border-bottom:1px solid #e6e6e0;
padding:4px 8px;text-align:left}table.bf-t th{background:#f4f4ef}.bf-flag{color:#b3261e;font-weight:600}
.bf-cards{display:flex;gap:12px;flex-wrap:wrap}.bf-card{border:1px solid #dcdcd2;border-radius:6px;padding:8px 14px;
min-width:120px}.bf-card b{display:block;font-size:20px}.bf-note-head{margin:26px 0 6px;font-weight:600}
svg text{font:12px system-ui,sans-serif;fill:#1d2430}
"""


def _esc(value) -> str:
    return html.escape(str(value), quote=True)


def _bars(items: list[tuple[str, int]], width: int = 720, color: str = "#2b6fd5", label: str = "") -> str:
    """A horizontal bar chart as inline SVG."""
    if not items:
        return '<p class="bf-muted">nothing to show</p>'
    top = max(count for _, count in items) or 1
    row = 22
    height = row * len(items) + 10
    parts = [f'<svg role="img" aria-label="{_esc(label)}" class="bf-chart" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}">']
    for i, (name, count) in enumerate(items):
        y = 5 + i * row
        length = max(1, int((width - 320) * count / top))
        parts.append(f'<text x="0" y="{y + 14}">{_esc(name[:36])}</text>'
                     f'<rect x="260" y="{y + 3}" width="{length}" height="15" fill="{color}"></rect>'
                     f'<text x="{266 + length}" y="{y + 14}">{count:,}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _histogram(minutes: dict, edges: list[int], width: int = 760, height: int = 240) -> str:
    """Psychotherapy minutes in 5-minute bins (120 and over in the last), with the band edges drawn."""
    bins = [0] * 25
    for value, count in minutes.items():
        bins[min(int(value) // 5, 24)] += count
    top = max(bins) or 1
    left, bottom, plot_w, plot_h = 40, height - 30, width - 60, height - 50
    bar_w = plot_w / len(bins)
    parts = [f'<svg role="img" aria-label="psychotherapy minutes" class="bf-chart" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}">',
             f'<line x1="{left}" y1="{bottom}" x2="{left + plot_w}" y2="{bottom}" stroke="#8a94a3"></line>']
    for i, count in enumerate(bins):
        h = plot_h * count / top
        parts.append(f'<rect x="{left + i * bar_w + 1:.1f}" y="{bottom - h:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
                     f'fill="#7b9fd8"><title>{i * 5}-{i * 5 + 4} min: {count}</title></rect>')
        if i % 2 == 0:
            parts.append(f'<text x="{left + i * bar_w:.1f}" y="{bottom + 16}">{i * 5}{"+" if i == 24 else ""}</text>')
    for edge in edges:
        x = left + edge / 5 * bar_w
        parts.append(f'<line class="bf-band-edge" x1="{x:.1f}" y1="{bottom - plot_h - 6}" x2="{x:.1f}" y2="{bottom}" '
                     f'stroke="#d5412b" stroke-dasharray="4 3"></line><text x="{x + 3:.1f}" y="{bottom - plot_h + 4}" '
                     f'style="fill:#d5412b">{edge}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    if not rows:
        return '<p class="bf-muted">none</p>'
    head = "".join(f"<th>{_esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f'<table class="bf-t"><tr>{head}</tr>{body}</table>'


def _note_link(index, note_id, linked: set) -> str:
    name = _esc(note_id if note_id is not None else f"record {index}")
    return f'<a href="#n{index}-bf-note">{name}</a>' if index in linked else name


def write_report(results: Path, source: Path, summary: dict, target: Path, options) -> None:
    chosen = [item["index"] for item in summary["lowest_scoring"]]
    for pair in summary["clones"]["pairs"][:20]:
        chosen += [pair["a"]["index"], pair["b"]["index"]]
    chosen = list(dict.fromkeys(chosen))[: options.review_limit]
    linked = set(chosen)
    views = _review_views(results, source, linked, options)
    parts = ["<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>billfacts QA report</title>",
             f"<style>{PAGE_STYLE}{REVIEW_STYLE}</style></head><body>",
             "<h1>billfacts batch QA</h1>",
             f'<p class="bf-muted">{summary["records"]:,} records from {_esc(Path(source).name)}'
             f'{" &middot; note text left out (redacted)" if options.redact else ""}</p>',
             '<div class="bf-cards">']
    cards = [("records", summary["records"]), ("analysed", summary["analysed"]), ("not analysed", summary["errors"]),
             ("notes with a gap", f'{(summary["gap_rate"] or 0) * 100:.0f}%'),
             ("revenue at risk (notes)", summary["claims"]["notes_with_revenue_at_risk"]),
             ("left behind (notes)", summary["claims"]["notes_with_revenue_left_behind"]),
             ("cloned pairs", summary["clones"]["pairs_found"])]
    parts += [f'<div class="bf-card"><b>{_esc(value if isinstance(value, str) else f"{value:,}")}</b>{_esc(name)}</div>'
              for name, value in cards]
    parts.append("</div>")
    if summary["errors_by_code"]:
        parts.append("<h2>Records not analysed</h2>" + _table(
            ["error code", "records"], [[_esc(code), f"{n:,}"] for code, n in summary["errors_by_code"].items()]))
    parts.append("<h2>Codes suggested</h2>" + _bars(list(summary["code_distribution"].items())[:20],
                                                     label="code distribution"))
    parts.append("<h2>Psychotherapy minutes</h2><p class=\"bf-muted\">dashed lines: the 16, 38 and 53 minute edges of "
                 "90832/90834/90837</p>" + _histogram(summary["psychotherapy_minutes"], summary["band_edges"]))
    parts.append("<h2>Documentation gaps</h2>" + _bars(
        [(gap, value["notes"]) for gap, value in list(summary["gap_frequencies"].items())[:20]], color="#d5412b",
        label="gap frequencies"))
    parts.append(f"<h2>Clinicians</h2><p class=\"bf-muted\">90837 share among individual sessions, flagged above "
                 f"{summary['norm_90837']:.0%} with 10 or more sessions; a session length repeated to the minute in 80% "
                 "or more of sessions is flagged</p>")
    parts.append(_table(["clinician", "notes", "individual", "90837 share", "most common minutes", "gap rate",
                         "mean gap score"],
                        [[_esc(c["clinician"]), f'{c["notes"]:,}', f'{c["individual_sessions"]:,}',
                          _flag(_pct(c["share_90837"]), c["above_90837_norm"]),
                          _flag(f'{c["most_common_minutes"]} ({_pct(c["most_common_minutes_share"])})'
                                if c["most_common_minutes"] is not None else "-", c["repeated_length_flag"]),
                          _pct(c["gap_rate"]), _esc(c["mean_gap_score"])] for c in summary["clinicians"]]))
    claims = summary["claims"]
    parts.append("<h2>Claims</h2>" + _table(["", "code lines"], [
        ["revenue at risk: billed, not supported", _esc(", ".join(f"{k} ×{v}" for k, v in claims["revenue_at_risk"].items()) or "-")],
        ["revenue left behind: supported, not billed", _esc(", ".join(f"{k} ×{v}" for k, v in claims["revenue_left_behind"].items()) or "-")]]))
    parts.append(f"<h2>Notes cloned across dates</h2><p class=\"bf-muted\">TF-IDF cosine similarity of "
                 f"{summary['clones'].get('threshold', options.clone_threshold)} or more, same patient or clinician</p>")
    parts.append(_table(["note", "date", "note", "date", "similarity", "same"],
                        [[_note_link(p["a"]["index"], p["a"]["note_id"], linked), _esc(p["a"]["date"]),
                          _note_link(p["b"]["index"], p["b"]["note_id"], linked), _esc(p["b"]["date"]),
                          f'{p["similarity"]:.3f}', _esc(f'{p["same"]} {p["who"]}')]
                         for p in summary["clones"]["pairs"][:100]]))
    parts.append("<h2>Lowest-scoring notes</h2>" + _table(
        ["note", "clinician", "gap score", "gaps"],
        [[_note_link(n["index"], n["note_id"], linked), _esc(n["clinician"] or "-"), _esc(n["score"]),
          _esc(", ".join(n["gaps"]))] for n in summary["lowest_scoring"]]))
    parts.append(f"<h2>Review</h2><p class=\"bf-muted\">{len(views)} notes (those listed above, up to "
                 f"{options.review_limit}); any other note: <code>billfacts analyze NOTE --format html</code></p>")
    parts += [views[index] for index in chosen if index in views]
    parts.append("</body></html>")
    partial = target.with_suffix(".html.partial")
    partial.write_text("".join(parts), encoding="utf-8")
    os.replace(partial, target)


def _review_views(results: Path, source: Path, wanted: set, options) -> dict:
    found = {}
    with Path(results).open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip() or qa_of(line)["index"] not in wanted:
                continue
            data = json.loads(line)
            index = data.pop("qa")["index"]
            found[index] = AnalysisResult.model_validate(data)
    texts = {}
    if not options.redact and found:
        for record in read_records(source, options.columns):
            if record.index in found:
                texts[record.index] = record.text
    return {index: review_html(result, texts.get(index) if not options.redact else None,
                               anchor_prefix=f"n{index}-") for index, result in found.items()}


def _pct(value) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def _flag(text: str, flagged: bool) -> str:
    return f'<span class="bf-flag">{_esc(text)} &#9873;</span>' if flagged else _esc(text)
