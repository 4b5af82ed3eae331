"""The ``billfacts`` command.

    billfacts analyze [FILE|-] [--format json|jsonl|text|html]
    billfacts qa INPUT --out DIR [--workers N] [--resume] [--redact]
    billfacts serve [--host H] [--port P] [--workers N] [--token T]
    billfacts demo [FOLDER]          # the bundled sample notes, summarised
    billfacts evaluate GOLD [--system PRED ...] [--out DIR] [--baseline]
    billfacts convert INPUT OUTPUT --from gold|brat|prodigy --to gold|brat|docbin
    billfacts schema [--gold]

Errors name the record and the problem, never the note's text.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Iterable, Optional

from .models import AnalysisResult


BILLED_HELP = ('codes billed on the claim, separated by commas, semicolons or spaces; modifiers follow their code '
               'after "-" ("90837-95, 90785"); a two-character item after a code is its modifier, so "90837-95", '
               '"90837 95" and "90837,95" all mean 90837 with modifier 95. A malformed or unknown code is reported '
               'as billed_code_invalid')


def decode_note(data: bytes) -> str:
    """A note's bytes as text, the same way for a file and for standard input: UTF-8 (with or without a
    byte-order mark) or UTF-16 with its byte-order mark; anything else raises UnicodeDecodeError."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")


def _read_text(source: str) -> str:
    data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    return decode_note(data)


def _usage_error(command: str, args: argparse.Namespace) -> bool:
    """Whether ``--payer`` or ``--date-of-service`` is unusable (said on standard error, naming the choices)."""
    import datetime as dt

    from .coding import payer_profiles

    if args.payer not in payer_profiles():
        print(f"billfacts {command}: unknown --payer; choose one of: {', '.join(payer_profiles())}", file=sys.stderr)
        return True
    if args.date_of_service:
        try:
            dt.date.fromisoformat(args.date_of_service)
        except ValueError:
            print(f"billfacts {command}: --date-of-service must be a date written YYYY-MM-DD", file=sys.stderr)
            return True
    return False


def _cmd_analyze(args: argparse.Namespace) -> int:
    from . import analyze
    from .analysis import _error as analysis_error

    if _usage_error("analyze", args):
        return 2
    try:
        text = _read_text(args.file)
    except OSError as exc:
        print(f"billfacts: cannot read {args.file}: {type(exc).__name__}", file=sys.stderr)
        return 2
    except UnicodeDecodeError:
        # The same answer for a file and for standard input: an error record, exit code 1.
        print(analysis_error(args.note_id, "undecodable_text", "the note is neither UTF-8 nor UTF-16 with a "
                                                               "byte-order mark").model_dump_json(indent=2))
        return 1
    billed = [args.billed] if args.billed else None  # one string: billfacts.gaps.billed reads its syntax
    result = analyze(text, note_id=args.note_id, date_of_service=args.date_of_service, payer=args.payer,
                     billed_codes=billed)
    if args.format == "html":
        from .report import review_page

        print(review_page(result, None if args.redact else text, title=f"billfacts review: {args.note_id or Path(args.file).name}"))
    elif args.format == "text":
        _print_summary([(args.note_id or Path(args.file).name, result)])
        _print_gaps(result)
    elif args.format == "jsonl":
        print(result.model_dump_json())
    else:
        print(result.model_dump_json(indent=2))
    return 0 if result.status == "ok" else 1


def _fmt_minutes(value: Optional[int]) -> str:
    return "-" if value is None else str(value)


def _print_summary(rows: Iterable[tuple[str, AnalysisResult]]) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="billfacts: facts per note", show_lines=False)
    for column in ("note", "date / payer", "time", "psy min", "E/M min", "modality", "location", "consent", "interp.",
                   "IC factors", "service", "diagnoses", "codes", "gaps"):
        table.add_column(column, overflow="fold")
    for name, result in rows:
        name = escape(name)  # a note id is the caller's text: "[/bold]x" must print as written
        if result.status != "ok" or result.facts is None:
            table.add_row(name, "", f"[red]error: {result.error.code if result.error else '?'}[/red]",
                          *[""] * 11)
            continue
        f = result.facts
        clock = f"{f.start_time}-{f.end_time}" if f.start_time else "-"
        dx = ", ".join(f"{d.code}{'' if d.status == 'affirmed' else f' ({d.status})'}" for d in f.diagnoses) or "-"
        used = f"{result.coding.date_of_service or '-'} {result.coding.payer_profile}" if result.coding else "-"
        table.add_row(
            name, used, clock, _fmt_minutes(f.psychotherapy_minutes), _fmt_minutes(f.em_minutes), f.modality or "-",
            f.patient_location or "-", "-" if f.telehealth_consent is None else str(f.telehealth_consent).lower(),
            "yes" if f.interpreter else "no", ", ".join(f.interactive_complexity_factors) or "-",
            f.service_type or "-", dx, _codes_text(result),
            f"{result.gaps.score} ({len(result.gaps.items)})" if result.gaps else "-",
        )
    console = _console()
    console.print(table)
    console.print("codes: E/M = an E/M line whose level billfacts leaves to medical decision making. "
                  "gaps: score 0-100 (100 = nothing an auditor would flag) and the number of gaps.")


def _print_gaps(result: AnalysisResult) -> None:
    from rich.markup import escape

    console = _console()
    if result.coding:
        source = {"dos_from_note": "from the note", "dos_today": "today's date: none given or found"}
        how = next((source[w.rule_id] for w in result.coding.warnings if w.rule_id in source), "as given")
        console.print(f"date of service {result.coding.date_of_service} ({how}); payer profile "
                      f"{escape(result.coding.payer_profile)}")
        for line in result.coding.lines:
            mods = "-" + "-".join(line.modifiers) if line.modifiers else ""
            console.print(f"[bold]{line.code}{mods}[/bold] x{line.units} POS {line.pos or '-'}: {line.rationale}")
        for warning in result.coding.warnings:
            console.print(f"  note: {warning.message}")
    if result.gaps:
        console.print(f"[bold]documentation score {result.gaps.score}/100[/bold]")
        for gap in result.gaps.items:
            console.print(escape(f"  [{gap.severity}] {gap.id}: {gap.message}. Fix: {gap.fix}"))


def _console():
    """A console as wide as the terminal; 160 columns (or $COLUMNS) when the output is not a terminal."""
    import os

    from rich.console import Console

    console = Console()
    if not console.is_terminal:
        console = Console(width=int(os.environ.get("COLUMNS", "160") or 160))
    return console


def _codes_text(result: AnalysisResult) -> str:
    if result.coding is None or not result.coding.lines:
        return "-"
    parts = []
    for line in result.coding.lines:
        text = line.code + (f" x{line.units}" if line.units > 1 else "")
        if line.modifiers:
            text += "-" + "-".join(line.modifiers)
        parts.append(text)
    pos = result.coding.lines[0].pos
    return ", ".join(parts) + (f" (POS {pos})" if pos else "")


def _cmd_demo(args: argparse.Namespace) -> int:
    from . import analyze_many

    folder = Path(args.folder) if args.folder else _default_samples()
    files = sorted(folder.glob("*.txt"))
    if not files:
        print(f"billfacts: no .txt notes in {folder}", file=sys.stderr)
        return 2
    notes = [{"text": p.read_text(encoding="utf-8"), "note_id": p.stem} for p in files]
    results = list(analyze_many(notes))
    _print_summary([(r.note_id or "?", r) for r in results])
    return 0 if all(r.status == "ok" for r in results) else 1


def _default_samples() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "annotations" / "samples", Path.cwd() / "annotations" / "samples"):
        if candidate.is_dir():
            return candidate
    raise SystemExit("billfacts: sample notes not found; pass a folder of .txt notes")


def _cmd_codes(args: argparse.Namespace) -> int:
    import datetime as dt

    from .coding.lookup import describe, format_description

    try:
        on = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    except ValueError:
        print(f"billfacts: --date must be YYYY-MM-DD, got {args.date!r}", file=sys.stderr)
        return 2
    info = describe(args.code, on)
    print(json.dumps(info, indent=2) if args.json else format_description(info))
    return 0 if info["known"] else 1


def _cmd_qa(args: argparse.Namespace) -> int:
    import datetime as dt

    try:
        from .qa.checkpoint import ResultsConflict
        from .qa.inputs import InputError
        from .qa.runner import QAOptions, run_qa
    except ImportError:
        print("billfacts: batch QA needs its extra: pip install 'billfacts[qa]'", file=sys.stderr)
        return 2
    if _usage_error("qa", args):
        return 2
    dos = dt.date.fromisoformat(args.date_of_service) if args.date_of_service else None
    columns = {key: value for key, value in (("id", args.id_col), ("text", args.text_col), ("date", args.date_col),
                                             ("clinician", args.clinician_col), ("patient", args.patient_col),
                                             ("payer", args.payer_col), ("billed", args.billed_col)) if value}
    options = QAOptions(workers=max(1, args.workers), payer=args.payer, date_of_service=dos, columns=columns,
                        resume=args.resume, redact=args.redact, norm_90837=args.norm_90837,
                        clone_threshold=args.clone_threshold, review_limit=args.review_limit, clones=not args.no_clones,
                        progress=args.progress, engine=args.engine, master=args.master)
    if args.engine == "spark":
        try:
            import pyspark  # noqa: F401
        except ImportError:
            print("billfacts qa: --engine spark needs the spark extra: pip install 'billfacts[spark]'", file=sys.stderr)
            return 2
    out = Path(args.out)
    try:
        summary = run_qa(Path(args.input), out, options)
    except (InputError, ResultsConflict) as exc:
        print(f"billfacts qa: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"billfacts qa: stopped; the results so far are in {out / 'results.jsonl'}; run the same command with "
              "--resume to go on", file=sys.stderr)
        return 130
    print(f"billfacts qa: {summary['records']:,} records, {summary['analysed']:,} analysed, {summary['errors']:,} not "
          f"analysed; {out}/results.jsonl, results.parquet, summary.json, report.html")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    try:
        from .service.settings import ServiceSettings, SettingsError
    except ImportError:
        print("billfacts: the service needs its extra: pip install 'billfacts[service]'", file=sys.stderr)
        return 2
    try:
        settings = ServiceSettings.from_env().with_flags(
            host=args.host, port=args.port, workers=args.workers, token=args.token, max_body_bytes=args.max_body_bytes,
            max_batch=args.max_batch, time_limit=args.time_limit, cors_origins=args.cors_origin,
            log_level=args.log_level)
        settings.check()
    except SettingsError as exc:
        print(f"billfacts serve: {exc}", file=sys.stderr)
        return 2
    from .service.run import run

    run(settings)
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    if args.gold:
        from .evaluation.gold_format import gold_schema

        print(json.dumps(gold_schema(), indent=2))
        return 0
    print(json.dumps(AnalysisResult.model_json_schema(), indent=2))
    return 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluation.corpus import evaluate_corpus
    from .evaluation.real_notes import evaluate_real_notes, format_real_report, is_real_note_record, read_records
    from .evaluation.report_views import comparison_table, markdown_real_report, markdown_report, print_report

    gold = Path(args.gold)
    systems = [Path(s) for s in args.system or []]
    skipped: list[str] = []
    try:
        records = read_records(gold, skipped)
        for system in systems:
            if not system.is_file():
                raise FileNotFoundError(system)
    except OSError as exc:
        print(f"billfacts: cannot read {getattr(exc, 'filename', None) or gold}: {type(exc).__name__}", file=sys.stderr)
        return 2
    for problem in skipped:  # file and line number only: a gold line may hold note text
        print(f"billfacts: skipped {problem}", file=sys.stderr)
    if args.baseline:
        return _print_baseline(gold, records, is_real_note_record(records[0]) if records else False)
    if records and is_real_note_record(records[0]):
        report = evaluate_real_notes(gold, records=records, systems=systems)
        singles = report["systems"] if "systems" in report else {"billfacts": report}
        # note ids, fields, values and offsets: never note text
        summary = "\n\n".join(f"system: {name}\n{format_real_report(single)}" if len(singles) > 1
                               else format_real_report(single) for name, single in singles.items())
        print(summary)
        for comparison in report.get("comparisons", []):
            _console().print(comparison_table(comparison))
        markdown = markdown_real_report(report)
    else:
        report = evaluate_corpus(gold, systems=systems, records=records)
        print_report(report, _console())  # note ids, fields, values and offsets: never note text
        markdown = markdown_report(report)
    if skipped:
        print(f"skipped gold lines: {len(skipped)} (" + "; ".join(skipped[:20]) + ")")
        report["skipped_lines"] = skipped
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
        (out / "report.md").write_text(markdown, encoding="utf-8")
        print(f"wrote {out / 'report.json'} and {out / 'report.md'}")
    return 0


def _cmd_convert(args: argparse.Namespace) -> int:
    from .evaluation import converters

    source, target = Path(args.input), Path(args.output)
    readers = {"gold": converters.read_gold, "brat": converters.from_brat, "prodigy": converters.from_prodigy}
    writers = {"gold": converters.write_jsonl, "brat": converters.to_brat, "docbin": converters.to_docbin}
    try:
        count = writers[args.to](readers[args.from_](source), target)
    except (OSError, ValueError, KeyError) as exc:  # the message names a file, a line and fields; never text
        detail = str(exc) if isinstance(exc, ValueError) else type(exc).__name__
        print(f"billfacts: cannot convert {source}: {detail}", file=sys.stderr)
        return 2
    print(f"converted {count} notes from {args.from_} to {args.to}: {target}")
    return 0


def _print_baseline(gold: Path, records: list[dict], real_notes: bool) -> int:
    from . import analyze_many
    from .evaluation.baseline import FIELDS, compare, format_baseline

    if real_notes:
        texts = [r["note_text"] for r in records]
        ids = [r["id"] for r in records]
    else:
        texts = [r["text"] for r in records]
        ids = [r["note_id"] for r in records]
    truth = {field: [(r.get("gold") or {}).get(field) for r in records] for field in FIELDS}
    results = list(analyze_many({"text": text, "note_id": note_id} for text, note_id in zip(texts, ids)))
    rules = {field: [getattr(r.facts, field) if r.facts else None for r in results] for field in FIELDS}
    print(format_baseline(compare(texts, truth, rules), gold.name))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="billfacts", description=__doc__.splitlines()[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("analyze", help="analyse one note (a file, or - for standard input)")
    p.add_argument("file", nargs="?", default="-")
    p.add_argument("--note-id", default=None)
    p.add_argument("--date-of-service", default=None, help="YYYY-MM-DD")
    p.add_argument("--payer", default="commercial")
    p.add_argument("--billed", default=None, help=BILLED_HELP)
    p.add_argument("--format", choices=("json", "jsonl", "text", "html"), default="json",
                   help="html: the review view (the note with its evidence marked beside facts, codes and gaps)")
    p.add_argument("--redact", action="store_true", help="with --format html: leave every piece of note text out")
    p.set_defaults(func=_cmd_analyze)

    p = sub.add_parser("qa", help="batch note QA: every note of a folder or table in, results, summary and report out",
                       description="Analyse every record of INPUT (a folder of .txt files, or a .jsonl, .csv or "
                                   ".parquet file) into DIR: results.jsonl and results.parquet (one record per input, "
                                   "in input order), summary.json (cross-note patterns) and report.html. Billed codes "
                                   "(the billed column): " + BILLED_HELP + ".")
    p.add_argument("input")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--workers", type=int, default=1, help="processes, each with its own pipeline (same results for any)")
    p.add_argument("--payer", default="commercial", help="payer profile for records without a valid one")
    p.add_argument("--date-of-service", default=None, help="YYYY-MM-DD for records without a date (else the note's)")
    for name, default in (("id", "note_id"), ("text", "text"), ("date", "date_of_service"), ("clinician", "clinician"),
                          ("patient", "patient"), ("payer", "payer"), ("billed", "billed_codes")):
        p.add_argument(f"--{name}-col", default=None, help=f"column or field of the {name} (default {default})")
    p.add_argument("--resume", action="store_true", help="go on from the results already in DIR (after a stop)")
    p.add_argument("--redact", action="store_true", help="leave every piece of note text out of every output")
    p.add_argument("--norm-90837", type=float, default=0.4, help="flag a clinician whose 90837 share among individual "
                                                                 "sessions is above this (default 0.4)")
    p.add_argument("--clone-threshold", type=float, default=0.9, help="cosine similarity that marks two notes as "
                                                                      "cloned (default 0.9)")
    p.add_argument("--no-clones", action="store_true", help="skip the cloned-note search")
    p.add_argument("--review-limit", type=int, default=300, help="review views embedded in report.html (default 300)")
    p.add_argument("--engine", choices=("local", "spark"), default="local",
                   help="spark: analyse on Apache Spark (the spark extra); the same results and report")
    p.add_argument("--master", default=None, help="with --engine spark: the Spark master (default local[WORKERS])")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show a progress bar (default: when standard error is a terminal)")
    p.set_defaults(func=_cmd_qa)

    p = sub.add_parser("serve", help="run the HTTP service (FastAPI under uvicorn)")
    p.add_argument("--host", default=None, help="default 127.0.0.1 (env BILLFACTS_HOST); any other needs a token")
    p.add_argument("--port", type=int, default=None, help="default 8000 (env BILLFACTS_PORT)")
    p.add_argument("--workers", type=int, default=None, help="analysis processes, each with its own pipeline "
                                                             "(env BILLFACTS_WORKERS, default 1)")
    p.add_argument("--token", default=None, help="bearer token callers must send (env BILLFACTS_TOKEN; "
                                                 "required unless bound to loopback)")
    p.add_argument("--max-body-bytes", type=int, default=None, help="env BILLFACTS_MAX_BODY_BYTES, default 1 MB")
    p.add_argument("--max-batch", type=int, default=None, help="notes per batch request (env BILLFACTS_MAX_BATCH, "
                                                               "default 100)")
    p.add_argument("--time-limit", type=float, default=None, help="seconds per request (env "
                                                                  "BILLFACTS_TIME_LIMIT, default 30)")
    p.add_argument("--cors-origin", action="append", default=None, help="allow this browser origin (repeatable; "
                                                                        "env BILLFACTS_CORS_ORIGINS, comma-separated)")
    p.add_argument("--log-level", default=None, help="uvicorn log level (env BILLFACTS_LOG_LEVEL, default info)")
    p.set_defaults(func=_cmd_serve)

    p = sub.add_parser("demo", help="analyse the bundled sample notes and print a summary")
    p.add_argument("folder", nargs="?", default=None)
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("evaluate", help="score extraction against a gold corpus (JSONL)")
    p.add_argument("gold")
    p.add_argument("--system", nargs="+", default=None, metavar="PRED",
                   help="billfacts JSONL output of any run (analyze --format jsonl, qa's results.jsonl) to score "
                        "instead of running billfacts; with two or more, the later ones are compared with the first "
                        "by paired bootstrap")
    p.add_argument("--out", default=None, help="a folder for report.json and report.md (every error)")
    p.add_argument("--baseline", action="store_true", help="also train and score a learned baseline (TF-IDF + "
                                                           "logistic regression, cross-validated) for service type, "
                                                           "modality and E/M presence, against the rules")
    p.set_defaults(func=_cmd_evaluate)

    p = sub.add_parser("codes", help="what the code table knows about a code on a date")
    p.add_argument("code")
    p.add_argument("--date", default=None, help="YYYY-MM-DD (default: today)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_codes)

    p = sub.add_parser("convert", help="convert a gold corpus between formats (gold JSONL, brat, Prodigy, spaCy)")
    p.add_argument("input", help="gold JSONL, a brat folder, or Prodigy JSONL")
    p.add_argument("output", help="gold JSONL, a brat folder, or a .spacy DocBin file")
    p.add_argument("--from", dest="from_", choices=("gold", "brat", "prodigy"), default="gold")
    p.add_argument("--to", choices=("gold", "brat", "docbin"), required=True)
    p.set_defaults(func=_cmd_convert)

    p = sub.add_parser("schema", help="print the JSON Schema of the result contract (--gold: of the gold format)")
    p.add_argument("--gold", action="store_true")
    p.set_defaults(func=_cmd_schema)
    return parser


def main(argv: Optional[list[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
