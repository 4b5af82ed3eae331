"""billfacts on Apache Spark: a DataFrame of notes in, a DataFrame of results out, row for row the same
results as ``analyze_many`` on one machine.

    from billfacts.spark import analyze_df
    results = analyze_df(notes, text_col="text", id_col="note_id", date_col="visit_date")

The work runs in ``mapInPandas``: each executor's Python worker builds the pipeline once (``load`` is
cached per process, and Spark reuses its Python workers) and analyses Arrow batches of rows with
``analyze_many``. A row that cannot be analysed (no text, a wrong type, an unreadable date, an unknown
payer) becomes an error row with its code; it never fails the task. Needs the ``spark`` extra (PySpark)."""

from __future__ import annotations

import re
from typing import Iterator, Optional, Sequence

# The flattened columns, as in results.parquet (billfacts.qa.tables), with the full result as JSON.
RESULT_SCHEMA = (
    "note_id string, status string, error_code string, date_of_service string, payer_profile string, "
    "note_genre string, service_type string, modality string, patient_location string, psychotherapy_minutes int, "
    "em_minutes int, total_minutes int, em_present boolean, interpreter boolean, "
    "interactive_complexity_factors array<string>, diagnoses array<string>, codes array<string>, "
    "code_lines array<string>, gap_ids array<string>, gap_score int, result_json string")
COLUMNS = [part.strip().split(" ")[0] for part in RESULT_SCHEMA.split(", ")]
_BATCH_PLACE = re.compile(r"^record \d+: ")
_INPUT = ("_bf_text", "_bf_id", "_bf_date", "_bf_payer", "_bf_billed")


def _records(frame) -> list[dict]:
    """The rows of one Arrow batch as analyze_many records (Spark's nulls as missing values)."""
    records = []
    for text, note_id, date, payer, billed in zip(*(frame[column] for column in _INPUT)):
        record = {"text": _value(text), "note_id": _value(note_id)}
        if _value(date) is not None:
            record["date_of_service"] = _value(date)
        if _value(payer) is not None:
            record["payer"] = _value(payer)
        billed = _value(billed)
        if isinstance(billed, str):
            billed = [billed]
        billed = [str(item) for item in billed or [] if item is not None]
        if billed:
            record["billed_codes"] = billed
        if record["text"] is None:
            record.pop("text")  # analyze_many answers it as an invalid record
        records.append(record)
    return records


def _value(value):
    """A pandas cell as a plain Python value: None for null and NaN, lists for arrays (``analyze_df`` casts
    every other input column to text)."""
    if value is None:
        return None
    if hasattr(value, "tolist") and not isinstance(value, str):
        value = value.tolist()
    if isinstance(value, float) and value != value:
        return None
    return value


def analyse_batches(frames: Iterator, time_limit: Optional[float] = None, keep: Sequence[str] = ()) -> Iterator:
    """``mapInPandas`` body: each pandas batch of input rows to a batch of result rows, in the same order,
    with the ``keep`` columns carried over."""
    import pandas as pd

    from .analysis import analyze_many, load
    from .qa.tables import flatten

    load()  # once per Python worker process
    for frame in frames:
        rows = []
        for result in analyze_many(_records(frame), time_limit=time_limit):
            if result.error is not None and _BATCH_PLACE.match(result.error.message):
                # "record 3: ..." would name the row's place in one Arrow batch, which means nothing here.
                result.error.message = _BATCH_PLACE.sub("", result.error.message)
            row = flatten(result.model_dump_json())
            rows.append({column: row.get(column) for column in COLUMNS})
        out = pd.DataFrame(rows, columns=COLUMNS)
        for name in keep:
            out[name] = frame[name].to_numpy()
        yield out


def analyze_df(df, text_col: str = "text", id_col: str = "note_id", date_col: Optional[str] = None,
               payer_col: Optional[str] = None, billed_col: Optional[str] = None,
               time_limit: Optional[float] = 60.0, keep: Sequence[str] = ()):
    """Results of every row of ``df`` (a Spark DataFrame of notes) as a Spark DataFrame of RESULT_SCHEMA.

    ``date_col``, ``payer_col`` and ``billed_col`` are optional (dates as dates or YYYY-MM-DD text; billed
    codes as text, "90837-95, 90785", or an array of text). ``time_limit`` is the per-note limit in
    seconds inside each Python worker (a note past it is a ``timeout`` error row). ``keep`` names input
    columns to carry over to each result row (a patient id, a row number)."""
    from pyspark.sql import functions as F

    clashes = sorted(set(keep) & set(COLUMNS))
    if clashes:
        raise ValueError(f"keep: {', '.join(clashes)} would stand beside the result column of the same name; "
                         "rename it first (note_id is in every result row already)")

    def column(name, cast=None):
        if name is None:
            return F.lit(None).cast(cast or "string")
        return F.col(name) if cast is None else F.col(name).cast(cast)

    billed = F.lit(None).cast("array<string>")
    if billed_col is not None:
        kind = dict(df.dtypes)[billed_col]
        billed = F.col(billed_col).cast("array<string>") if kind.startswith("array") else \
            F.when(F.col(billed_col).isNull(), F.lit(None).cast("array<string>")).otherwise(
                F.array(F.col(billed_col).cast("string")))
    prepared = df.select(column(text_col).cast("string").alias("_bf_text"),
                         column(id_col).cast("string").alias("_bf_id"),
                         column(date_col).cast("string").alias("_bf_date"), column(payer_col).alias("_bf_payer"),
                         billed.alias("_bf_billed"), *[F.col(name) for name in keep])
    kept = ", ".join(f"`{field.name}` {field.dataType.simpleString()}" for field in df.schema.fields
                     if field.name in keep)
    keep = list(keep)

    def body(frames):
        return analyse_batches(frames, time_limit=time_limit, keep=keep)

    return prepared.mapInPandas(body, RESULT_SCHEMA + (", " + kept if kept else ""))


def results_in_order(spark, records: list[dict], time_limit: Optional[float] = 60.0) -> list[str]:
    """The AnalysisResult JSON of each record, in the records' order, analysed on ``spark`` (batch QA's
    Spark engine: the driver reads and checks the input, the cluster analyses it)."""
    rows = [(i, r.get("text"), r.get("note_id"), _as_text(r.get("date_of_service")), r.get("payer"),
             r.get("billed_codes")) for i, r in enumerate(records)]
    frame = spark.createDataFrame(rows, "_bf_order long, text string, note_id string, date_of_service string, "
                                        "payer string, billed_codes array<string>")
    analysed = analyze_df(frame, date_col="date_of_service", payer_col="payer", billed_col="billed_codes",
                          time_limit=time_limit, keep=["_bf_order"])
    return [row.result_json for row in analysed.orderBy("_bf_order").select("result_json").collect()]


def _as_text(value) -> Optional[str]:
    return None if value is None else str(value)


def session(master: str = "local[2]", app: str = "billfacts"):
    """A SparkSession for billfacts on ``master`` (local or a cluster's), with Arrow batches on and the
    executors' Python the driver's own (in local mode)."""
    import os
    import sys

    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    return (SparkSession.builder.master(master).appName(app)
            .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.sql.execution.arrow.maxRecordsPerBatch", "256")
            .getOrCreate())


__all__ = ["analyze_df", "RESULT_SCHEMA", "session", "results_in_order"]
