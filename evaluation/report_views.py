"""How an evaluation report is shown: rich tables on the terminal and a Markdown report that lists every
error. Both say which corpus was scored, how many notes, by which system, and which labels are thin.
Neither quotes a note: errors carry note ids, values and character offsets only."""

from __future__ import annotations

from typing import Iterable

from rich.console import Console
from rich.table import Table


def _ci(pair) -> str:
    lo, hi = pair
    return f"[{lo:.3f}, {hi:.3f}]"


def corpus_line(report: dict) -> str:
    corpus = report.get("corpus") or {}
    written = ", ".join(corpus.get("written_for") or []) or "not stated"
    splits = ", ".join(corpus.get("splits") or []) or "none stated"
    kind = "synthetic" if corpus.get("synthetic") else "not marked synthetic"
    return (f"corpus {corpus.get('path', '?')}: {corpus.get('notes', report.get('documents', 0))} notes "
            f"({kind}; written for: {written}; split: {splits})")


def thin_line(report: dict) -> str:
    thin = (report.get("spans") or {}).get("thin")
    if not thin:
        return ""
    labels = ", ".join(f"{k} ({v})" for k, v in thin["labels"].items()) or "none"
    attributes = ", ".join(f"{k} ({v})" for k, v in thin["attributes"].items()) or "none"
    return f"thin (fewer than {thin['threshold']} gold spans): labels {labels}; attributes {attributes}"


def system_tables(report: dict) -> list[Table]:
    """The tables of one system's report: document fields, diagnoses and gaps, spans, attributes."""
    tables = []
    fields = Table(title=f"document measures: {report.get('system', '')}", title_justify="left")
    for column in ("measure", "value", "95% CI", "n"):
        fields.add_column(column, justify="right" if column != "measure" else "left")
    for field, row in report["fields"].items():
        fields.add_row(field, f"{row['accuracy']:.3f}", _ci(row["ci95"]), str(row["n"]))
    dx = report["diagnosis_codes"]
    fields.add_row("diagnosis codes F1 (affirmed)", f"{dx['f1']:.3f}", _ci(dx["ci95_f1"]),
                   f"tp {dx['tp']} fp {dx['fp']} fn {dx['fn']}")
    status = report["diagnoses_with_status"]
    fields.add_row("diagnoses with status F1", f"{status['f1']:.3f}", _ci(status["ci95_f1"]),
                   f"tp {status['tp']} fp {status['fp']} fn {status['fn']}")
    if "gaps" in report:
        gaps = report["gaps"]
        fields.add_row("gap ids F1", f"{gaps['f1']:.3f}", _ci(gaps["ci95_f1"]),
                       f"tp {gaps['tp']} fp {gaps['fp']} fn {gaps['fn']}")
    tables.append(fields)
    spans = report.get("spans")
    if spans:
        table = Table(title="spans (strict: same offsets and label; lenient: overlapping, same label)",
                      title_justify="left")
        for column in ("label", "gold", "system", "strict P", "strict R", "strict F1", "95% CI", "lenient F1",
                       "95% CI "):
            table.add_column(column, justify="left" if column == "label" else "right")
        for label in ["overall", *spans["labels"]]:
            strict, lenient = spans["strict"][label], spans["lenient"][label]
            table.add_row(label, str(strict["gold"]), str(strict["system"]), f"{strict['precision']:.3f}",
                          f"{strict['recall']:.3f}", f"{strict['f1']:.3f}", _ci(strict["f1_ci95"]),
                          f"{lenient['f1']:.3f}", _ci(lenient["f1_ci95"]))
        tables.append(table)
        attributes = Table(title="DX attributes on spans matched exactly", title_justify="left")
        for column in ("attribute", "accuracy", "95% CI", "spans"):
            attributes.add_column(column, justify="left" if column == "attribute" else "right")
        for name, row in spans["attributes"].items():
            accuracy = "n/a" if row["accuracy"] is None else f"{row['accuracy']:.3f}"
            attributes.add_row(name, accuracy, _ci(row["ci95"]) if row.get("ci95") else "", str(row["spans"]))
        tables.append(attributes)
    return tables


def comparison_table(comparison: dict) -> Table:
    table = Table(title=f"paired comparison: {comparison['b']} minus {comparison['a']}", title_justify="left")
    for column in ("measure", "difference", "95% CI (paired bootstrap)"):
        table.add_column(column, justify="left" if column == "measure" else "right")
    for measure, row in comparison["b_minus_a"].items():
        table.add_row(measure, f"{row['difference']:+.3f}", _ci(row["ci95"]))
    return table


def print_report(report: dict, console: Console, max_errors: int = 40) -> None:
    console.print(corpus_line(report), markup=False, highlight=False)
    reports = list(report["systems"].values()) if "systems" in report else [report]
    console.print(f"documents: {reports[0]['documents']}", markup=False, highlight=False)
    if thin_line(reports[0]):
        console.print(thin_line(reports[0]), markup=False, highlight=False)
    for single in reports:
        for table in system_tables(single):
            console.print(table)
    for comparison in report.get("comparisons", []):
        console.print(comparison_table(comparison))
    for single in reports:
        errors = single["errors"]
        console.print(f"errors of {single.get('system', 'the system')}: {len(errors)} (note, field, gold, system, "
                      f"evidence offsets)", markup=False, highlight=False)
        for error in errors[:max_errors]:
            console.print("  " + _error_text(error), markup=False, highlight=False)
        if len(errors) > max_errors:
            console.print(f"  ... {len(errors) - max_errors} more in report.md and report.json", markup=False,
                          highlight=False)


def _error_text(error: dict) -> str:
    kind = f" [{error['kind']}]" if error.get("kind") else ""
    evidence = f"  evidence {', '.join(error['evidence'])}" if error.get("evidence") else ""
    detail = f"  ({error['detail']})" if error.get("detail") else ""
    return f"{error['note_id']}  {error['field']}{kind}: gold={error['gold']!r} system={error['system']!r}" \
           f"{evidence}{detail}"


def markdown_report(report: dict) -> str:
    """The whole report as Markdown, with every error."""
    reports = list(report["systems"].values()) if "systems" in report else [report]
    lines = ["# billfacts evaluation", "", corpus_line(report), "", f"documents: {reports[0]['documents']}"]
    if thin_line(reports[0]):
        lines += ["", thin_line(reports[0])]
    for single in reports:
        for table in system_tables(single):
            lines += ["", f"## {table.title}", "", *markdown_table(table)]
    for comparison in report.get("comparisons", []):
        table = comparison_table(comparison)
        lines += ["", f"## {table.title}", "", *markdown_table(table)]
    for single in reports:
        lines += ["", f"## errors of {single.get('system', 'the system')} ({len(single['errors'])})", "",
                  "| note | field | kind | gold | system | evidence / detail |", "|---|---|---|---|---|---|"]
        for error in single["errors"]:
            where = ", ".join(error.get("evidence") or []) or error.get("detail") or ""
            lines.append(f"| {error['note_id']} | {error['field']} | {error.get('kind', '')} | "
                         f"{_cell(error['gold'])} | {_cell(error['system'])} | {_cell(where)} |")
    return "\n".join(lines) + "\n"


def markdown_real_report(report: dict) -> str:
    """A real-note report (``real_notes.evaluate_real_notes``) as Markdown: each system's measures and every
    error, then the paired comparisons."""
    from .real_notes import format_real_report

    singles = report["systems"] if "systems" in report else {"billfacts": report}
    markdown = "# billfacts evaluation (real notes)\n\n" + "\n\n".join(
        f"## {name}\n\n```\n{format_real_report(single, max_errors=10**9)}\n```" for name, single in singles.items())
    for comparison in report.get("comparisons", []):
        table = comparison_table(comparison)
        markdown += f"\n\n## {table.title}\n\n" + "\n".join(markdown_table(table))
    return markdown + "\n"


def markdown_table(table: Table) -> Iterable[str]:
    headers = [column.header for column in table.columns]
    cells = [list(column.cells) for column in table.columns]
    yield "| " + " | ".join(str(h).strip() for h in headers) + " |"
    yield "|" + "---|" * len(headers)
    for row in zip(*cells):
        yield "| " + " | ".join(str(c) for c in row) + " |"


def _cell(value) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")
