"""spaCy components of billfacts. Importing this package registers every factory with spaCy."""

from . import (  # noqa: F401  (imported for their @Language.factory / registry side effects)
    diagnoses,
    documentation,
    em,
    facts,
    genre,
    interactive_complexity,
    medspacy_rules,
    modality,
    sentences,
    service_type,
    session_time,
    tokenizer,
)
