"""billfacts: billing facts, code suggestions and documentation gaps from behavioral-health notes.

The public face::

    import billfacts
    nlp = billfacts.load()                       # a spacy.Language
    result = billfacts.analyze("Session 2:05 PM - 2:50 PM via Zoom ...")
    for result in billfacts.analyze_many(notes, workers=2): ...
"""

from .deferred_imports import defer_unused_imports as _defer
from .privacy import silence_third_party_loggers as _silence

_defer()

_silence()

from .analysis import analyze, analyze_many, load  # noqa: E402
from .coding import select_codes  # noqa: E402
from .gaps import score_gaps  # noqa: E402
from .version import __version__  # noqa: E402

__all__ = ["analyze", "analyze_many", "load", "score_gaps", "select_codes", "__version__"]
