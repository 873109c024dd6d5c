"""The run store: runs and forecast history kept in SQLite (by default) or PostgreSQL.

- :class:`Store` (``store.py``): open (migrations applied, dead runs marked interrupted), write a
  run step by step, read runs back (their records equal the ones written), list, find, delete;
- :func:`save_forecast` (``saving.py``): a forecast saved as it runs, chunk by chunk;
- ``draws.py``: per-draw outputs as Parquet files beside the database;
- ``engine.py``: where the store lives (``--db URL`` / ``ACCORD_DB``, else the user's data
  directory) and the SQLite settings; ``schema.py`` and ``migrations/``: the tables.

Everything here imports SQLAlchemy, Alembic and pyarrow only when used: ``import accord.cli``
does not load them.
"""

from __future__ import annotations

from accord.runs.store.engine import ENV, StoreError, default_url, resolve_url
from accord.runs.store.saving import SavedForecast, save_forecast
from accord.runs.store.store import ChunkInfo, RunInfo, Store, StoredRun

__all__ = [
    "ENV",
    "ChunkInfo",
    "RunInfo",
    "SavedForecast",
    "Store",
    "StoreError",
    "StoredRun",
    "default_url",
    "resolve_url",
    "save_forecast",
]
