"""Build the billfacts spaCy pipeline on ``spacy.blank("en")``.

Order matters: sections and ConText must exist before the fact components read them, and the facts
component runs last because it makes the Doc serialisable for ``nlp.pipe(n_process=...)``.
"""

from __future__ import annotations

import spacy
from spacy.language import Language

from . import components  # noqa: F401  (registers the factories)
from .privacy import silence_third_party_loggers

PIPE_NAMES = (
    "billfacts_sentences",
    "billfacts_sections",
    "billfacts_targets",
    "billfacts_context",
    "billfacts_genre",
    "billfacts_session_time",
    "billfacts_modality",
    "billfacts_interactive_complexity",
    "billfacts_em",
    "billfacts_service_type",
    "billfacts_diagnoses",
    "billfacts_documentation",
    "billfacts_facts",
)


def build() -> Language:
    silence_third_party_loggers()
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "billfacts.clinical_tokenizer.v1"}}})
    for name in PIPE_NAMES:
        nlp.add_pipe(name)
    nlp.meta["name"] = "billfacts"
    return nlp
