import pytest

import billfacts


@pytest.fixture(scope="session")
def nlp():
    return billfacts.load()


@pytest.fixture(scope="session")
def facts(nlp):
    """Facts dict for a note, through the full pipeline."""

    def run(text: str) -> dict:
        return nlp(text)._.billing_facts

    return run
