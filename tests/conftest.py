import json
from pathlib import Path

import pytest

import billfacts
from ledger import TRIED


def pytest_terminal_summary(terminalreporter):
    """The reliability suite's counts (issue 13), when it ran: what was tried, and that nothing was lost."""
    if not TRIED:
        return
    terminalreporter.write_sep("-", "reliability suite")
    parts = [f"{what}: {count:,}" for what, count in sorted(TRIED.items())]
    terminalreporter.write_line("; ".join(parts))


@pytest.fixture(scope="session")
def nlp():
    return billfacts.load()


@pytest.fixture(scope="session")
def facts(nlp):
    """Facts dict for a note, through the full pipeline."""

    def run(text: str) -> dict:
        return nlp(text)._.billing_facts

    return run


DEV_CORPUS = Path(__file__).resolve().parents[1] / "annotations" / "dev" / "dev.jsonl"


@pytest.fixture(scope="session")
def dev_texts() -> list[str]:
    """The development corpus's note texts, in file order."""
    return [json.loads(line)["text"] for line in DEV_CORPUS.read_text(encoding="utf-8").splitlines()]
