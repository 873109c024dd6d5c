"""Per-draw outputs beside the database: one compressed Parquet file per chunk of draws.

The Monte Carlo parent hands each chunk to :class:`DrawWriter` as it merges it (workers never
write). A chunk's file is written under a temporary name and renamed into place, and only then
recorded in the store, so a file the store references is always whole; a killed run leaves at most
a ``.tmp`` file, which the next opening of the store removes.

Columns (one row per draw): ``draw`` (the draw's index in the run), then per model ``M``:
``M.status`` (0 agreement, 1 stalemate, 2 escalation), ``M.margin`` (the deal margin),
``M.outcome.ISSUE`` per issue and ``M.utility.ACTOR`` per actor. Read them back with
:func:`read_draws` (a ``pyarrow.Table``; ``.to_pandas()`` where pandas is installed).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

COMPRESSION = "zstd"


def columns(models: Sequence[str], issues: Sequence[str], actors: Sequence[str]) -> list[str]:
    """The column names of a per-draw file, in order."""
    out = ["draw"]
    for m in models:
        out += [f"{m}.status", f"{m}.margin"]
        out += [f"{m}.outcome.{i}" for i in issues]
        out += [f"{m}.utility.{a}" for a in actors]
    return out


class DrawWriter:
    """Writes each chunk's per-draw outputs to ``folder`` (created on the first chunk)."""

    def __init__(
        self,
        folder: str | os.PathLike,
        models: Sequence[str],
        issues: Sequence[str],
        actors: Sequence[str],
    ):
        self.folder = Path(folder)
        self.models, self.issues, self.actors = list(models), list(issues), list(actors)

    def table(self, start: int, parts: Sequence[Any]) -> Any:
        """The chunk's rows as a ``pyarrow.Table``: ``parts`` are its ChunkParts, one per model."""
        import pyarrow as pa

        n = int(parts[0].status.shape[0])
        arrays: dict[str, Any] = {"draw": np.arange(start, start + n, dtype=np.int64)}
        for m, part in zip(self.models, parts, strict=True):
            arrays[f"{m}.status"] = np.asarray(part.status, dtype=np.int8)
            arrays[f"{m}.margin"] = np.asarray(part.margin, dtype=np.float64)
            for k, issue in enumerate(self.issues):
                arrays[f"{m}.outcome.{issue}"] = np.ascontiguousarray(part.outcome[:, k])
            for a, actor in enumerate(self.actors):
                arrays[f"{m}.utility.{actor}"] = np.ascontiguousarray(part.utility[:, a])
        return pa.table(arrays)

    def write(self, index: int, start: int, parts: Sequence[Any]) -> tuple[str, int]:
        """Write chunk ``index``; returns its file name (relative to the folder) and size."""
        import pyarrow.parquet as pq

        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"chunk-{int(index):06d}.parquet"
        final = self.folder / name
        tmp = final.with_name(name + ".tmp")
        pq.write_table(self.table(start, parts), tmp, compression=COMPRESSION)
        os.replace(tmp, final)
        return name, final.stat().st_size


def read_draws(files: Sequence[str | os.PathLike]) -> Any:
    """The per-draw rows of ``files`` as one ``pyarrow.Table``, sorted by draw."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not files:
        return pa.table({"draw": np.empty(0, dtype=np.int64)})
    table = pa.concat_tables([pq.read_table(f) for f in files])
    return table.sort_by("draw")


__all__ = ["COMPRESSION", "DrawWriter", "columns", "read_draws"]
