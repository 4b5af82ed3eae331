"""The pipeline as a spaCy Language: factories, entry points, serialisable Docs, multiprocessing."""

import json
from importlib.metadata import entry_points
from pathlib import Path

import spacy

import billfacts
from billfacts.nlp import PIPE_NAMES

DEV = Path(__file__).resolve().parents[1] / "annotations" / "dev" / "dev.jsonl"


def test_load_returns_a_blank_english_pipeline_with_our_components(nlp):
    assert isinstance(nlp, spacy.Language)
    assert nlp.lang == "en"
    assert tuple(nlp.pipe_names) == PIPE_NAMES
    assert "medspacy_pyrush" not in nlp.pipe_names


def test_factories_are_published_as_entry_points():
    published = {ep.name for ep in entry_points(group="spacy_factories")}
    assert set(PIPE_NAMES) <= published


def test_docs_round_trip_through_bytes(nlp):
    doc = nlp("Session 2:05 PM - 2:50 PM via Zoom. Dx: F41.1. No interpreter needed.")
    data = doc.to_bytes()
    restored = spacy.tokens.Doc(nlp.vocab).from_bytes(data)
    assert restored._.billing_facts == doc._.billing_facts
    negated = [s for s in restored.spans["billfacts_targets"] if s.label_ == "INTERPRETER"]
    assert negated and negated[0]._.is_negated


def test_n_process_2_gives_the_same_facts_as_one_process(nlp):
    texts = [json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines()]
    single = [doc._.billing_facts for doc in nlp.pipe(texts)]
    multi = [doc._.billing_facts for doc in nlp.pipe(texts, n_process=2, batch_size=20)]
    assert multi == single


def test_same_input_same_output():
    note = "Session 10:00-10:53, in person. Dx: MDD, recurrent, moderate."
    first = billfacts.analyze(note).model_dump_json()
    assert billfacts.analyze(note).model_dump_json() == first
