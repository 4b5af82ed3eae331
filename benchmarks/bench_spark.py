"""The Spark path against the native one, from one run: notes/s of ``analyze_df`` on ``local[1]`` and
``local[2]`` against ``analyze_many(workers=1)`` and ``workers=2`` on the same notes.

    python benchmarks/bench_spark.py [--notes 3000]

Typical notes (the development corpus, repeated). Each Spark run is timed after a warm-up job on the same
session (the executors' Python workers have built their pipelines), to the last result row collected.
Target: the Spark path at least 0.5x native per core."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=3000)
    args = parser.parse_args()
    texts = [json.loads(line)["text"] for line in (ROOT / "annotations" / "dev" / "dev.jsonl").read_text().splitlines()]
    rows = [{"note_id": f"n{i}", "text": texts[i % len(texts)], "date_of_service": "2026-03-02"}
            for i in range(args.notes)]

    import billfacts
    from billfacts.spark import analyze_df, session

    rates = {}
    for workers in (1, 2):
        list(billfacts.analyze_many(rows[:50], workers=workers))
        began = time.perf_counter()
        count = sum(1 for _ in billfacts.analyze_many(rows, workers=workers))
        rates[("native", workers)] = count / (time.perf_counter() - began)
    for cores in (1, 2):
        spark = session(f"local[{cores}]", app="billfacts bench")
        frame = spark.createDataFrame(rows, "note_id string, text string, date_of_service string").repartition(cores)
        frame.cache().count()
        analyze_df(frame.limit(100 * cores), date_col="date_of_service").count()  # warm the Python workers
        began = time.perf_counter()
        count = len(analyze_df(frame, date_col="date_of_service").select("status").collect())
        rates[("spark", cores)] = count / (time.perf_counter() - began)
        spark.stop()
    print(f"{args.notes} typical notes")
    for cores in (1, 2):
        native, on_spark = rates[("native", cores)], rates[("spark", cores)]
        print(f"{cores} core(s): analyze_many(workers={cores}) {native:6.1f} notes/s; analyze_df on local[{cores}] "
              f"{on_spark:6.1f} notes/s; Spark / native {on_spark / native:.2f}x (target 0.5x)")


if __name__ == "__main__":
    main()
