"""What the reliability tests tried in this run, printed at the end of the run (conftest's terminal
summary): records fed, property examples checked, faults injected, and what went wrong with them."""

from collections import Counter

TRIED: Counter = Counter()


def tried(what: str, count: int = 1) -> None:
    TRIED[what] += count
