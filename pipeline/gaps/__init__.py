"""Documentation-gap scoring: the checklist as data and a pure scorer."""

from .scorer import checklist, score_gaps

__all__ = ["checklist", "score_gaps"]
