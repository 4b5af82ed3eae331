"""Batch note QA (``billfacts qa``): a folder of notes or a table of them in, one result per record out
(``results.jsonl`` and ``results.parquet``), cross-note patterns (``summary.json``) and a report a billing
manager reads (``report.html``). Streams, resumes after a crash, and never loses or duplicates a record.
Needs the ``qa`` extra (pandas, pyarrow, scikit-learn)."""
