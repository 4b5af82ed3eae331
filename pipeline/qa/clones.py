"""Notes cloned across dates: pairs of notes of one patient, or of one clinician, whose TF-IDF vectors
(word uni- and bigrams, hashed, so no vocabulary is held) are closer than the threshold in cosine
similarity, written on different dates. scikit-learn makes the vectors; the radius search runs within each
group, so the cost follows the groups' sizes rather than the square of the whole run. The report keeps the
MAX_PAIRS most similar pairs and counts them all."""

from __future__ import annotations

import heapq
import json
from collections import defaultdict
from pathlib import Path

from .inputs import read_records

MAX_PAIRS = 500
CHUNK = 2_000
ROWS_PER_PRODUCT = 512


def find_clones(results: Path, source: Path, options) -> dict:
    from scipy.sparse import vstack
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

    meta = {}  # index -> (note_id, date, clinician, patient) of analysed notes
    with Path(results).open(encoding="utf-8") as handle:
        for line in handle:
            data = json.loads(line)
            if data.get("status") == "ok":
                qa = data["qa"]
                meta[qa["index"]] = (data.get("note_id"), data["coding"].get("date_of_service"), qa.get("clinician"),
                                     qa.get("patient"))
    if len(meta) < 2:
        return {"pairs": [], "pairs_found": 0, "threshold": options.clone_threshold}
    hasher = HashingVectorizer(ngram_range=(1, 2), n_features=2 ** 20, alternate_sign=False, norm=None,
                               lowercase=True)
    order, blocks, texts = [], [], []
    for record in read_records(source, options.columns):
        if record.index in meta and record.text:
            order.append(record.index)
            texts.append(record.text)
            if len(texts) >= CHUNK:
                blocks.append(hasher.transform(texts))
                texts = []
    if texts:
        blocks.append(hasher.transform(texts))
    matrix = TfidfTransformer(sublinear_tf=True).fit_transform(vstack(blocks).tocsr())
    groups = defaultdict(list)
    for row, index in enumerate(order):
        _, _, clinician, patient = meta[index]
        if patient:
            groups[("patient", patient)].append(row)
        if clinician:
            groups[("clinician", clinician)].append(row)
    seen: set = set()
    best: list = []  # a heap of the MAX_PAIRS most similar pairs
    for (kind, name), rows in groups.items():
        if len(rows) < 2:
            continue
        for i, j, similarity in _similar_pairs(matrix[rows], options.clone_threshold):
            a, b = order[rows[i]], order[rows[j]]
            if meta[a][1] == meta[b][1]:
                continue  # the same date: not cloned across dates
            key = (min(a, b), max(a, b))
            if key in seen:
                continue
            seen.add(key)
            entry = (round(similarity, 3), -key[0], -key[1], kind, name)
            if len(best) < MAX_PAIRS:
                heapq.heappush(best, entry)
            else:
                heapq.heappushpop(best, entry)
    pairs = [{"a": {"index": -a, "note_id": meta[-a][0], "date": meta[-a][1]},
              "b": {"index": -b, "note_id": meta[-b][0], "date": meta[-b][1]},
              "similarity": similarity, "same": kind, "who": name}
             for similarity, a, b, kind, name in sorted(best, reverse=True)]
    return {"pairs": pairs, "pairs_found": len(seen), "threshold": options.clone_threshold}


def _similar_pairs(block, threshold: float):
    """(i, j, cosine) for i < j with cosine >= threshold: a brute-force radius search over one group, as
    sparse products of row chunks with the whole group (the TF-IDF rows are L2-normalised, so a product is
    a cosine). scikit-learn's NearestNeighbors gives the same pairs but costs some 4 ms to set up per
    group, and a run has a group per patient."""
    import numpy as np
    from scipy.sparse import csr_matrix

    # The group's own vocabulary as its columns: converting a product's operand over the 2**20 hashed
    # columns cost a millisecond a group whatever its size.
    used, columns = np.unique(block.indices, return_inverse=True)
    block = csr_matrix((block.data, columns, block.indptr), shape=(block.shape[0], len(used)))
    transposed = block.T.tocsr()
    for start in range(0, block.shape[0], ROWS_PER_PRODUCT):
        sims = (block[start:start + ROWS_PER_PRODUCT] @ transposed).toarray()
        rows, cols = np.nonzero(sims >= threshold - 1e-9)
        for i, j in zip(rows.tolist(), cols.tolist()):
            if start + i < j:
                yield start + i, j, float(sims[i, j])
