"""FAISS indexes: exact, IVF with 8-bit scalar quantisation, or HNSW; built, tuned and searched here.

Used by the index builder (qa.index.store), the retriever (qa.answer.retrieve) and bench/scale.py, so the
scale figures measure the code the product runs.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def build_ann(vectors: np.ndarray, ann: str, auto_threshold: int) -> tuple[Any, dict[str, Any]]:
    """A FAISS inner-product index over ``vectors`` and the parameters that describe it.

    ``exact`` is a flat index. ``ivf`` is IVF with 8-bit scalar quantisation (4x smaller than
    float32; recall@10 about 0.97-0.98 against exact search at the default nprobe, see
    bench/scale.py); ``hnsw`` is HNSW over flat vectors. ``auto`` means exact up to ``auto_threshold`` vectors, IVF above.
    """
    import faiss

    n, dim = vectors.shape
    kind = ann if ann != "auto" else ("ivf" if n > auto_threshold else "exact")
    if kind == "ivf" and n < 10_000:
        kind = "exact"  # too few vectors to train useful centroids; exact search is fast anyway
    if kind == "exact":
        index = faiss.IndexFlatIP(dim)
        params: dict[str, Any] = {"type": "exact", "factory": "Flat"}
    elif kind == "ivf":
        nlist = int(min(4 * np.sqrt(n), n // 39))
        nprobe = max(8, nlist // 32)
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFScalarQuantizer(quantizer, dim, nlist, faiss.ScalarQuantizer.QT_8bit,
                                              faiss.METRIC_INNER_PRODUCT)
        sample = vectors[np.random.default_rng(0).choice(n, size=min(n, nlist * 64), replace=False)]
        index.train(sample)
        index.nprobe = nprobe
        params = {"type": "ivf", "factory": f"IVF{nlist},SQ8", "nlist": nlist, "nprobe": nprobe}
    elif kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 96
        params = {"type": "hnsw", "factory": "HNSW32,Flat", "M": 32, "efConstruction": 80, "efSearch": 96}
    else:
        raise ValueError(f"unknown ANN type {ann!r}")
    if n:
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    params["requested"] = ann
    return index, params


def apply_search_params(index: Any, params: dict[str, Any]) -> None:
    """Restore query-time parameters recorded in the manifest (nprobe, efSearch)."""
    import faiss

    if params.get("type") == "ivf":
        faiss.extract_index_ivf(index).nprobe = int(params["nprobe"])
    elif params.get("type") == "hnsw":
        index.hnsw.efSearch = int(params["efSearch"])


def reconstruct(index: Any) -> np.ndarray:
    import faiss

    ivf = faiss.try_extract_index_ivf(index)
    if ivf is not None:
        ivf.make_direct_map()  # IVF lists do not support reconstruction by id without it
    return index.reconstruct_n(0, index.ntotal)


def search_params(ann: dict[str, Any], ids: np.ndarray | None) -> Any:
    """FAISS search parameters restricting a search to ``ids`` (None: no restriction).

    Building the ID selector costs more than an exact search over a small index (a hash set of the
    ids: ~1 ms for a thousand); the retriever keeps the parameters of each row set it sees."""
    import faiss

    if ids is None:
        return None
    selector = faiss.IDSelectorBatch(ids.astype(np.int64))
    if ann.get("type") == "ivf":
        return faiss.SearchParametersIVF(sel=selector, nprobe=int(ann["nprobe"]))
    if ann.get("type") == "hnsw":
        return faiss.SearchParametersHNSW(sel=selector, efSearch=int(ann["efSearch"]))
    return faiss.SearchParameters(sel=selector)


def search(index: Any, ann: dict[str, Any], vector: np.ndarray, depth: int,
            ids: np.ndarray | None, params: Any = None) -> list[tuple[int, float]]:
    """(id, score) of the ``depth`` nearest vectors, restricted to ``ids`` when given (``params``:
    :func:`search_params` of ``ann`` and ``ids`` made earlier, else made here)."""
    depth = min(depth, index.ntotal if ids is None else ids.size)
    if depth <= 0:
        return []
    if params is None:
        params = search_params(ann, ids)
    scores, found = index.search(vector, depth, params=params)
    return [(int(i), float(s)) for s, i in zip(scores[0], found[0], strict=True) if i >= 0]
