"""Notes cloned across dates: pairs of notes of one patient, or of one clinician, whose TF-IDF vectors
(word uni- and bigrams, hashed, so no vocabulary is held) are closer than the threshold in cosine
similarity, written on different dates. scikit-learn does the vectors and the radius search, within each
group, so the cost follows the groups' sizes rather than the square of the whole run."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from .inputs import read_records

MAX_PAIRS = 500
CHUNK = 2_000


def find_clones(results: Path, source: Path, options) -> dict:
    from scipy.sparse import vstack
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
    from sklearn.neighbors import NearestNeighbors

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
    pairs = {}
    radius = 1.0 - options.clone_threshold
    for (kind, name), rows in groups.items():
        if len(rows) < 2:
            continue
        block = matrix[rows]
        search = NearestNeighbors(radius=radius, metric="cosine", algorithm="brute").fit(block)
        distances, neighbours = search.radius_neighbors(block)
        for i, (found, far) in enumerate(zip(neighbours, distances)):
            for j, distance in zip(found, far):
                if j <= i:
                    continue
                a, b = order[rows[i]], order[rows[j]]
                if meta[a][1] == meta[b][1]:
                    continue  # the same date: not cloned across dates
                key = (min(a, b), max(a, b))
                similarity = round(1.0 - float(distance), 3)
                if key not in pairs or pairs[key]["similarity"] < similarity:
                    pairs[key] = {"a": {"index": key[0], "note_id": meta[key[0]][0], "date": meta[key[0]][1]},
                                  "b": {"index": key[1], "note_id": meta[key[1]][0], "date": meta[key[1]][1]},
                                  "similarity": similarity, "same": kind, "who": name}
    ranked = sorted(pairs.values(), key=lambda p: (-p["similarity"], p["a"]["index"], p["b"]["index"]))
    return {"pairs": ranked[:MAX_PAIRS], "pairs_found": len(ranked), "threshold": options.clone_threshold}
