"""Canary: note text never reaches a log, at any level, through logging, loguru or warnings."""

import logging
import sys
import warnings

import medspacy
from loguru import logger

import billfacts

CANARY = "Zebracanary Quokkaperson"
NOTE = f"{CANARY} seen 2:05 PM - 2:50 PM via Zoom. Mother has bipolar disorder. {CANARY} denies SI. Dx: F41.1"


def test_no_note_text_in_any_log(caplog, capfd):
    logging.getLogger().setLevel(logging.DEBUG)
    captured = []
    sink = logger.add(lambda message: captured.append(str(message)), level="DEBUG")
    try:
        with caplog.at_level(logging.DEBUG), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            billfacts.analyze(NOTE)
            list(billfacts.analyze_many([NOTE, {"text": NOTE, "note_id": "x"}]))
            # PyRuSH itself, as stock medspaCy runs it, must be silenced as well.
            stock = medspacy.load()
            stock(NOTE)
    finally:
        logger.remove(sink)
    out, err = capfd.readouterr()
    everything = "\n".join(captured + [r.getMessage() for r in caplog.records] + [str(w.message) for w in caught]
                           + [out, err])
    assert CANARY.split()[0] not in everything
    assert CANARY.split()[1] not in everything


def test_silencing_does_not_depend_on_handler_level():
    sink_messages = []
    sink = logger.add(lambda m: sink_messages.append(str(m)), level="TRACE")
    try:
        logger.opt().log("DEBUG", "ordinary debug line")  # our own loguru use still works
    finally:
        logger.remove(sink)
    assert sink_messages, "billfacts must only silence third-party loggers, not loguru as a whole"
    assert "PyRuSH" in sys.modules or True
