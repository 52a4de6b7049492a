"""A ``ScoreTrace`` as bytes, and a digest of the scores a computation used.

The trace is written in NumPy's ``.npz`` format (a zip of ``.npy`` arrays, read back with
``allow_pickle=False``: loading a stored trace can never run code). Names and items travel as
one JSON document inside it. Integer and percentage arrays are stored in the smallest type that
holds them exactly (a cycle's reviewer percentages are whole numbers and fit in a byte), so a
full cycle of 322,000 scores takes a few megabytes; they are widened again on reading.

The digest identifies the data, not its order: it hashes the prepared arrays, whose order is
fixed by sorting (see ``scores``), together with the names they index.
"""

from __future__ import annotations

import hashlib
import io
import json

import numpy as np

from .explain import ScoreTrace
from .scores import PreparedScores
from .types import ItemDef

TRACE_FORMAT = 1
_ARRAYS = (
    "row_reviewer",
    "row_percent",
    "cell_percent",
    "cell_points",
    "cell_source",
    "stage_present",
    "stage_weight",
    "stage_total",
    "stage_categories",
)
_COMPACT_TYPES = (np.uint8, np.int8, np.uint16, np.int16, np.int32, np.float32)


def _compact(values: np.ndarray) -> np.ndarray:
    """``values`` in the smallest listed type that gives back exactly the same numbers."""
    if values.dtype == np.bool_ or values.size == 0:
        return values
    for dtype in _COMPACT_TYPES:
        with np.errstate(invalid="ignore", over="ignore"):  # NaN or too large: not equal below
            narrowed = values.astype(dtype)
        if np.array_equal(narrowed, values, equal_nan=values.dtype.kind == "f"):
            return narrowed
    return values


def _widen(values: np.ndarray, like: str) -> np.ndarray:
    if values.dtype == np.bool_:
        return values
    return values.astype(np.float64 if like == "f" else np.int64)


_KINDS = {
    "row_cell": "i",
    "row_reviewer": "i",
    "row_percent": "f",
    "row_normalized": "f",
    "cell_percent": "f",
    "cell_points": "f",
    "cell_source": "i",
    "stage_weight": "f",
    "stage_total": "f",
    "stage_categories": "f",
}


def trace_to_bytes(trace: ScoreTrace) -> bytes:
    if len(trace.row_cell) and (np.diff(trace.row_cell) < 0).any():
        raise ValueError("a score trace's rows must be sorted by cell")
    header = {
        "format": TRACE_FORMAT,
        "applications": list(trace.applications),
        "reviewers": list(trace.reviewers),
        "stages": list(trace.stages),
        "items": [[item.code, item.category, item.max_points] for item in trace.items],
        "categories": list(trace.categories),
    }
    arrays = {name: _compact(np.asarray(getattr(trace, name))) for name in _ARRAYS}
    # Rows are sorted by cell: how many each dense cell has gives them back, in a tenth of
    # the space; the used flags take a bit each.
    arrays["cell_rows"] = _compact(np.bincount(trace.row_cell, minlength=len(trace.cell_percent)))
    arrays["row_used_bits"] = np.packbits(trace.row_used)
    if trace.row_normalized is not None:
        arrays["row_normalized"] = _compact(trace.row_normalized)
    buffer = io.BytesIO()
    np.savez(buffer, header=np.frombuffer(json.dumps(header).encode(), dtype=np.uint8), **arrays)
    return buffer.getvalue()


def trace_from_bytes(data: bytes) -> ScoreTrace:
    with np.load(io.BytesIO(bytes(data)), allow_pickle=False) as stored:
        header = json.loads(stored["header"].tobytes().decode())
        if header.get("format") != TRACE_FORMAT:
            raise ValueError(f"unknown score trace format {header.get('format')!r}")
        arrays = {
            name: _widen(stored[name], _KINDS.get(name, "b"))
            for name in (*_ARRAYS, "row_normalized")
            if name in stored.files
        }
        cell_rows = _widen(stored["cell_rows"], "i")
        used_bits = stored["row_used_bits"]
    row_cell = np.repeat(np.arange(len(cell_rows), dtype=np.int64), cell_rows)
    arrays["row_cell"] = row_cell
    arrays["row_used"] = np.unpackbits(used_bits, count=len(row_cell)).astype(bool)
    return ScoreTrace(
        applications=tuple(header["applications"]),
        reviewers=tuple(header["reviewers"]),
        stages=tuple(header["stages"]),
        items=tuple(ItemDef(code, category, points) for code, category, points in header["items"]),
        categories=tuple(header["categories"]),
        row_normalized=arrays.pop("row_normalized", None),
        **arrays,
    )


def scores_digest(prepared: PreparedScores) -> str:
    """SHA-256 of the names, the sorted score rows and the consensus percentages."""
    digest = hashlib.sha256()
    names = [
        prepared.applications,
        prepared.reviewers,
        prepared.stages,
        [item.code for item in prepared.items],
    ]
    digest.update(json.dumps(names, ensure_ascii=False).encode())
    order = np.argsort(prepared.consensus_cells, kind="stable")
    for values, dtype in (
        (prepared.row_cell, "<i8"),
        (prepared.row_reviewer, "<i8"),
        (prepared.row_percent, "<f8"),
        (prepared.consensus_cells[order], "<i8"),
        (prepared.consensus_percent[order], "<f8"),
    ):
        array = np.ascontiguousarray(values, dtype=dtype)
        digest.update(len(array).to_bytes(8, "little"))
        digest.update(array.tobytes())
    return digest.hexdigest()
