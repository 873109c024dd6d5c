"""Alembic migrations of the run store, applied automatically when a store is opened
(:func:`accord.runs.store.migrate.upgrade`). A new schema change is a new file in ``versions/``
(``alembic -c src/accord/runs/store/migrations/alembic.ini revision -m "..."``) and a matching
change to :mod:`accord.runs.store.schema`."""
