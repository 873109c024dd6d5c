"""Bring a store's schema up to date when it is opened: Alembic migrations, applied once, under a
lock, so that processes opening a new store at the same moment do not race."""

from __future__ import annotations

from pathlib import Path
from typing import Any

MIGRATIONS = Path(__file__).with_name("migrations")
#: any number: the PostgreSQL advisory lock that serialises migrations
_LOCK = 0x61636364


def _config() -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head() -> str:
    """The latest revision the package ships."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()  # type: ignore[return-value]


def current(conn: Any) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Any) -> str:
    """Apply the migrations the database lacks, in one transaction; returns the revision."""
    from alembic import command

    target = head()
    with engine.connect() as conn:  # the common case: already up to date, no lock taken
        if current(conn) == target:
            return target
    with engine.begin() as conn:  # SQLite: BEGIN IMMEDIATE takes the write lock
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK})")
        if current(conn) != target:
            cfg = _config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    return target


__all__ = ["head", "upgrade"]
