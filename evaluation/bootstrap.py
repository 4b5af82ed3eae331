"""The one bootstrap every evaluation measure uses: documents resampled with replacement ROUNDS times from a
fixed seed, the 2.5th and 97.5th percentiles of a statistic as its 95% interval, and the paired form that
resamples the same documents for two systems (the interval of a difference)."""

from __future__ import annotations

import random
from typing import Callable, Sequence

ROUNDS = 1000


def resamples(size: int, seed: int) -> list[list[int]]:
    """ROUNDS lists of ``size`` document indices drawn with replacement."""
    rng = random.Random(seed)
    return [[rng.randrange(size) for _ in range(size)] for _ in range(ROUNDS)] if size else []


def interval(sorted_values: Sequence[float]) -> tuple[float, float]:
    """The 95% interval of bootstrap values already sorted."""
    if not sorted_values:
        return (0.0, 0.0)
    return (round(sorted_values[int(0.025 * len(sorted_values))], 4),
            round(sorted_values[int(0.975 * len(sorted_values)) - 1], 4))


def bootstrap(values: Sequence, statistic: Callable, seed: int = 7) -> tuple[float, float]:
    """The 95% interval of ``statistic`` over documents' ``values`` (one value or row per document)."""
    return interval(sorted(statistic([values[i] for i in sample]) for sample in resamples(len(values), seed)))


def paired(rows: Sequence[tuple], statistic: Callable, rounds: list[list[int]]) -> dict:
    """statistic(B) - statistic(A) over rows of (A's value, B's value), with its paired interval."""
    a = [row[0] for row in rows]
    b = [row[1] for row in rows]
    point = statistic(b) - statistic(a)
    spread = sorted(statistic([b[i] for i in sample]) - statistic([a[i] for i in sample]) for sample in rounds)
    return {"difference": round(point, 4), "ci95": interval(spread)}
