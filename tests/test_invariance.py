"""Property tests (issue 13): the facts, codes and gaps of a note do not depend on its line-ending style
or on whitespace before and after it, and evidence always quotes the caller's own text."""

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import billfacts
from ledger import tried
from result_views import comparable, evidence_records

DEV_CORPUS = Path(__file__).resolve().parents[1] / "annotations" / "dev" / "dev.jsonl"
DEV_TEXTS = [json.loads(line)["text"] for line in DEV_CORPUS.read_text(encoding="utf-8").splitlines()]
LINE_BREAKS = st.sampled_from(["\n", "\r\n", "\r", "\u2028", "\u2029", "\x0c", "\x0b", "\x85"])
BLANKS = st.text(alphabet=" \t\n\r\u2028\u2029\x0c\u00a0", max_size=12)
# Lines of the kinds notes are made of, to build notes the corpus does not hold.
LINES = [line for text in DEV_TEXTS[::6] for line in text.splitlines() if line.strip()]
SETTINGS = settings(max_examples=60, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _assert_evidence_quotes(result, text):
    for record in evidence_records(result):
        assert text[record.start:record.end] == record.text


def _variant(text, line_break, before, after):
    return before + text.replace("\n", line_break) + after


@SETTINGS
@given(st.sampled_from(range(len(DEV_TEXTS))), LINE_BREAKS, BLANKS, BLANKS)
def test_a_corpus_note_reads_the_same_whatever_its_line_breaks_and_margins(index, line_break, before, after):
    tried("property examples: line breaks and margins")
    text = DEV_TEXTS[index]
    variant = _variant(text, line_break, before, after)
    result = billfacts.analyze(variant, note_id="n", date_of_service="2026-03-02")
    assert comparable(result) == comparable(billfacts.analyze(text, note_id="n", date_of_service="2026-03-02"))
    _assert_evidence_quotes(result, variant)


@SETTINGS
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=12), LINE_BREAKS, BLANKS, BLANKS)
def test_a_built_note_reads_the_same_whatever_its_line_breaks_and_margins(lines, line_break, before, after):
    tried("property examples: line breaks and margins")
    text = "\n".join(lines)
    variant = _variant(text, line_break, before, after)
    result = billfacts.analyze(variant, date_of_service="2026-03-02")
    assert comparable(result) == comparable(billfacts.analyze(text, date_of_service="2026-03-02"))
    _assert_evidence_quotes(result, variant)
