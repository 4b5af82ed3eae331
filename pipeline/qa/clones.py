"""Notes cloned across dates: pairs of notes of one patient, or of one clinician, whose TF-IDF vectors
(word uni- and bigrams, hashed with scikit-learn's HashingVectorizer, so no vocabulary is held; each note
kept to its heaviest features) are closer than the threshold in cosine similarity, written on different
dates. scikit-learn makes the vectors; the radius search runs within each
group, so the cost follows the groups' sizes rather than the square of the whole run. The report keeps the
MAX_PAIRS most similar pairs and counts them all."""

from __future__ import annotations

import heapq
from collections import defaultdict
from pathlib import Path

from .inputs import read_records
from .tables import read_rows

MAX_PAIRS = 500
CHUNK = 2_000
FEATURES = 2 ** 20
TOP_FEATURES = 64
ROWS_PER_PRODUCT = 512


def find_clones(results: Path, source: Path, options) -> dict:
    meta = {}  # index -> (note_id, date, clinician, patient) of analysed notes
    for row in read_rows(Path(results).with_name("results.parquet"),
                         ["index", "note_id", "status", "date_of_service", "clinician", "patient"]):
        if row["status"] == "ok":
            meta[row["index"]] = (row["note_id"], row["date_of_service"], row["clinician"], row["patient"])
    if len(meta) < 2:
        return {"pairs": [], "pairs_found": 0, "threshold": options.clone_threshold}
    order, matrix = _vectors(source, options, meta)
    groups = defaultdict(list)
    for row, index in enumerate(order):
        _, _, clinician, patient = meta[index]
        if patient:
            groups[("patient", patient)].append(row)
        if clinician:
            groups[("clinician", clinician)].append(row)
    found = 0
    best: list = []  # a heap of the MAX_PAIRS most similar pairs
    for (kind, name), rows in groups.items():
        if len(rows) < 2:
            continue
        for i, j, similarity in _similar_pairs(matrix[rows], options.clone_threshold):
            a, b = order[rows[i]], order[rows[j]]
            if meta[a][1] == meta[b][1]:
                continue  # the same date: not cloned across dates
            if kind == "clinician" and meta[a][3] and meta[a][3] == meta[b][3]:
                continue  # one patient's pair: counted in the patient's group (no set of every pair held)
            key = (min(a, b), max(a, b))
            found += 1
            entry = (round(similarity, 3), -key[0], -key[1], kind, name)
            if len(best) < MAX_PAIRS:
                heapq.heappush(best, entry)
            else:
                heapq.heappushpop(best, entry)
    pairs = [{"a": {"index": -a, "note_id": meta[-a][0], "date": meta[-a][1]},
              "b": {"index": -b, "note_id": meta[-b][0], "date": meta[-b][1]},
              "similarity": similarity, "same": kind, "who": name}
             for similarity, a, b, kind, name in sorted(best, reverse=True)]
    return {"pairs": pairs, "pairs_found": found, "threshold": options.clone_threshold}


def _texts(source: Path, options, wanted: dict):
    """The analysed notes' indices and texts, CHUNK at a time, in input order."""
    indices, texts = [], []
    for record in read_records(source, options.columns):
        if record.index in wanted and record.text:
            indices.append(record.index)
            texts.append(record.text)
            if len(texts) >= CHUNK:
                yield indices, texts
                indices, texts = [], []
    if texts:
        yield indices, texts


def _vectors(source: Path, options, wanted: dict):
    """Each analysed note as a TF-IDF vector over hashed word uni- and bigrams, reduced to its TOP_FEATURES
    heaviest features and L2-normalised, as one CSR matrix in input order.

    Two passes over the notes: the first counts document frequencies, the second weighs each note
    (scikit-learn's smooth idf and sublinear tf, as TfidfTransformer computes them, which needs the whole
    matrix at once). Keeping a note's heaviest features keeps near-duplicates near (they share them) and
    holds memory to about half a kilobyte a note, where whole vectors took several."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import HashingVectorizer

    hasher = HashingVectorizer(ngram_range=(1, 2), n_features=FEATURES, alternate_sign=False, norm=None,
                               dtype=np.float32)
    documents = np.zeros(FEATURES, dtype=np.int64)
    count = 0
    for _, texts in _texts(source, options, wanted):
        counts = hasher.transform(texts)
        documents += np.bincount(counts.indices, minlength=FEATURES)
        count += counts.shape[0]
    idf = (np.log((1 + count) / (1 + documents)) + 1).astype(np.float32)
    order: list[int] = []
    data, indices, indptr = [], [], [0]
    for chunk_indices, texts in _texts(source, options, wanted):
        counts = hasher.transform(texts)
        for row in range(counts.shape[0]):
            start, end = counts.indptr[row], counts.indptr[row + 1]
            weights = (1 + np.log(counts.data[start:end])) * idf[counts.indices[start:end]]
            columns = counts.indices[start:end]
            if len(weights) > TOP_FEATURES:
                keep = np.argpartition(weights, -TOP_FEATURES)[-TOP_FEATURES:]
                weights, columns = weights[keep], columns[keep]
            norm = float(np.sqrt((weights * weights).sum())) or 1.0
            data.append((weights / norm).astype(np.float32))
            indices.append(columns.astype(np.int32))
            indptr.append(indptr[-1] + len(weights))
        order.extend(chunk_indices)
    matrix = csr_matrix((np.concatenate(data) if data else np.zeros(0, np.float32),
                         np.concatenate(indices) if indices else np.zeros(0, np.int32),
                         np.asarray(indptr, dtype=np.int64)), shape=(len(order), FEATURES))
    matrix.sort_indices()
    return order, matrix


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
