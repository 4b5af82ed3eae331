"""``results.jsonl`` as a checkpoint: whole lines appended in input order, flushed after every batch and
synced to disk every few seconds. After Ctrl-C, a crash or ``kill -9`` the file holds the answers to the
first N records, perhaps with half a line after them; ``--resume`` cuts that half line off and goes on from
record N, so the finished file has exactly one line per input record."""

from __future__ import annotations

import os
import time
from pathlib import Path

from .tables import qa_of

SYNC_SECONDS = 2.0


class ResultsConflict(Exception):
    """The output already holds results and resuming was not asked for (or they are not this input's)."""


class ResultsFile:
    def __init__(self, path: Path, resume: bool):
        self.path = Path(path)
        self.done = 0
        if self.path.exists() and self.path.stat().st_size and not resume:
            raise ResultsConflict(f"{self.path} already holds results: add --resume to go on from them, or choose "
                                  "another --out")
        if resume and self.path.exists():
            self.done = self._recover()
        self.handle = self.path.open("ab" if resume else "wb")
        self.synced_at = time.monotonic()

    def _recover(self) -> int:
        """Cut a half-written last line off; check the lines answer records 0..N-1 in order; return N."""
        with self.path.open("rb+") as handle:
            data_end = handle.seek(0, os.SEEK_END)
            keep = data_end
            if data_end:
                handle.seek(max(0, data_end - 1))
                if handle.read(1) != b"\n":  # the last line was cut: find where it began
                    position = data_end
                    while position > 0:
                        step = min(65536, position)
                        handle.seek(position - step)
                        chunk = handle.read(step)
                        newline = chunk.rfind(b"\n")
                        if newline >= 0:
                            keep = position - step + newline + 1
                            break
                        position -= step
                    else:
                        keep = 0
            handle.truncate(keep)
        count = 0
        with self.path.open("rb") as handle:
            for count, line in enumerate(handle, 1):
                try:
                    index = qa_of(line.decode("utf-8"))["index"]
                except (ValueError, KeyError, TypeError):
                    raise ResultsConflict(f"{self.path} line {count} is not a billfacts qa result") from None
                if index != count - 1:
                    raise ResultsConflict(f"{self.path} line {count} answers record {index}, not {count - 1}: "
                                          "these results are not in input order")
        return count

    def append(self, line: str) -> None:
        self.handle.write(line.encode("utf-8") + b"\n")
        self.done += 1

    def checkpoint(self, force: bool = False) -> None:
        self.handle.flush()
        if force or time.monotonic() - self.synced_at >= SYNC_SECONDS:
            os.fsync(self.handle.fileno())
            self.synced_at = time.monotonic()

    def close(self) -> None:
        self.checkpoint(force=True)
        self.handle.close()
