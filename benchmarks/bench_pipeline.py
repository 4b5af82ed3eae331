"""Throughput of the billfacts pipeline against stock medspaCy and a bare spaCy tokenizer, in one run.

    python benchmarks/bench_pipeline.py [--notes N]

It ends with ``bench_startup.py``: the median of five whole-process runs of ``billfacts analyze -``.

All read the same notes (the development corpus, cycled to N) in the same process, so the ratios are
comparable on any machine; absolute notes/s depend on the machine and are printed for context only.
The single-process systems are timed in interleaved rounds (each round gives every system the same
slice of notes), so that a machine slowing down or speeding up during the run weighs on all alike.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path

DEV = Path(__file__).resolve().parents[1] / "annotations" / "dev" / "dev.jsonl"


def notes_per_second(label, process, texts):
    process(texts[:5])  # warm-up: rule compilation, lazy imports
    start = time.perf_counter()
    process(texts)
    elapsed = time.perf_counter() - start
    rate = len(texts) / elapsed
    print(f"{label:<34} {rate:>10.1f} notes/s  ({elapsed:.2f} s for {len(texts)} notes)")
    return rate


def interleaved(systems: dict, texts: list[str], rounds: int = 10) -> dict[str, float]:
    """notes/s of each system, timed round by round over the same slices of ``texts``."""
    for process in systems.values():
        process(texts[:5])  # warm-up: rule compilation, lazy imports
    elapsed = {label: 0.0 for label in systems}
    size = -(-len(texts) // rounds)
    for start in range(0, len(texts), size):
        part = texts[start:start + size]
        for label, process in systems.items():
            began = time.perf_counter()
            process(part)
            elapsed[label] += time.perf_counter() - began
    rates = {}
    for label, seconds in elapsed.items():
        rates[label] = len(texts) / seconds
        print(f"{label:<34} {rates[label]:>10.1f} notes/s  ({seconds:.2f} s for {len(texts)} notes)")
    return rates


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=300)
    args = parser.parse_args()
    base = [json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines()]
    texts = [base[i % len(base)] for i in range(args.notes)]
    tokens = sum(len(t.split()) for t in texts) / len(texts)
    print(f"{len(texts)} notes, mean {tokens:.0f} whitespace tokens per note")

    import medspacy
    import spacy

    import billfacts

    nlp = billfacts.load()
    stock = medspacy.load()
    blank = spacy.blank("en")
    # The loaded pipelines (rule tables, the ICD-10-CM tree) are long-lived: move them out of the cyclic
    # garbage collector's reach, so that a collection triggered in one system's turn does not walk them
    # and land on whichever system happens to be running.
    gc.collect()
    gc.freeze()
    rates = interleaved({
        "billfacts pipeline": lambda xs: [d._.billing_facts for d in nlp.pipe(xs)],
        "medspacy.load() (stock)": lambda xs: list(stock.pipe(xs)),
        "spacy.blank('en') tokenizer only": lambda xs: list(blank.pipe(xs)),
    }, texts)
    ours, med, tok = rates["billfacts pipeline"], rates["medspacy.load() (stock)"], rates["spacy.blank('en') tokenizer only"]
    both = notes_per_second("billfacts pipeline, n_process=2",
                            lambda xs: [d._.billing_facts for d in nlp.pipe(xs, n_process=2, batch_size=25)], texts)
    many = notes_per_second("billfacts.analyze_many(workers=2)",
                            lambda xs: list(billfacts.analyze_many(xs, workers=2)), texts)
    print(f"\nsingle process: billfacts / stock medspaCy {ours / med:.1f}x; billfacts / bare tokenizer {ours / tok:.3f}x")
    print(f"both cores:     analyze_many(workers=2), full results with codes and gaps / stock medspaCy "
          f"{many / med:.1f}x; nlp.pipe(n_process=2) {both / med:.1f}x "
          f"(stock medspaCy 1.3.1 cannot use n_process: its TargetRule objects do not serialise)")
    print()
    from bench_startup import main as startup

    sys.argv = sys.argv[:1]
    startup()


if __name__ == "__main__":
    main()
