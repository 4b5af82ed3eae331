"""Keep note text out of logs: silence third-party loggers that echo tokens.

PyRuSH (pulled in by medspaCy) logs every token's text at DEBUG through loguru as soon as it runs;
medspaCy's TargetMatcher warns with the span text when entities overlap. Notes are PHI, so billfacts
disables these loggers on import, whatever level the host application configures.
"""

from __future__ import annotations

import logging

_SILENCED_LOGURU = ("PyRuSH", "medspacy", "quickumls", "medspacy_quickumls", "PyFastNER")


def silence_third_party_loggers() -> None:
    try:
        from loguru import logger
    except ImportError:  # loguru is a medspaCy dependency; without it nothing logs through it
        return
    for name in _SILENCED_LOGURU:
        logger.disable(name)
    for name in ("medspacy", "PyRuSH", "quickumls"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
