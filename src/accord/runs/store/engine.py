"""Where the store lives and how to connect: SQLite by default, PostgreSQL by URL.

- No setting: SQLite in the user's data directory (``platformdirs``), e.g.
  ``~/.local/share/accord/accord.db`` on Linux, created on first use.
- ``--db URL`` or the environment variable ``ACCORD_DB``: a ``sqlite:///PATH`` URL, a plain file
  path (SQLite), or ``postgresql://USER:PASSWORD@HOST:PORT/DB`` (psycopg 3; ``postgres://`` and
  ``postgresql+psycopg://`` are accepted too).

SQLite connections use write-ahead logging (readers never block the writer; a killed writer
leaves the last committed state), foreign keys on, a 30-second busy timeout, and take the write
lock when a transaction begins (``BEGIN IMMEDIATE``), so concurrent writers queue instead of
failing half-way.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from accord.errors import AccordError

#: the environment variable naming the store
ENV = "ACCORD_DB"
#: seconds a writer waits for another one to finish (SQLite busy timeout)
BUSY_TIMEOUT = 30.0
FILE_NAME = "accord.db"


class StoreError(AccordError):
    """The store cannot be opened or used (a bad URL, an unreachable server, a full disk)."""


def data_dir() -> Path:
    """The user's accord data directory (platformdirs), e.g. ``~/.local/share/accord``."""
    import platformdirs

    return Path(platformdirs.user_data_dir("accord", appauthor=False))


def default_url() -> str:
    return f"sqlite:///{data_dir() / FILE_NAME}"


def resolve_url(url: str | os.PathLike | None = None) -> str:
    """The SQLAlchemy URL of the store: ``url``, else ``ACCORD_DB``, else the default SQLite file."""
    text = str(url) if url is not None else os.environ.get(ENV, "").strip()
    if not text:
        return default_url()
    if "://" not in text:  # a plain path: a SQLite file
        return f"sqlite:///{Path(text).expanduser().resolve()}"
    scheme, rest = text.split("://", 1)
    scheme = scheme.lower()
    if scheme in ("postgres", "postgresql", "postgresql+psycopg"):
        return f"postgresql+psycopg://{rest}"
    if scheme == "sqlite":
        return text
    raise StoreError(
        f"unsupported database URL {_redact(text)!r}",
        hint="use sqlite:///PATH, a file path, or postgresql://USER@HOST:PORT/DB",
        field="db",
    )


def _redact(url: str) -> str:
    """A URL without its password, for messages."""
    if "://" in url and "@" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        if ":" in creds:
            creds = creds.split(":", 1)[0] + ":***"
        return f"{scheme}://{creds}@{host}"
    return url


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for an in-memory database or another back end)."""
    if not url.startswith("sqlite:"):
        return None
    path = url.split(":///", 1)[1] if ":///" in url else ""
    return Path(path) if path and path != ":memory:" else None


def make_engine(url: str) -> Any:
    """A SQLAlchemy engine for ``url`` with the settings above."""
    import sqlalchemy as sa

    if url.startswith("sqlite"):
        path = sqlite_path(url)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"cannot create the folder of the store {path}: {exc.strerror or exc}",
                    hint="choose another place with --db PATH or ACCORD_DB",
                    field="db",
                ) from None
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT})
        sa.event.listen(engine, "connect", _sqlite_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        return sa.create_engine(url, pool_pre_ping=True)
    except ImportError as exc:  # pragma: no cover - psycopg is a dependency
        raise StoreError(f"PostgreSQL needs psycopg: {exc}", hint="pip install psycopg") from None


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    # the driver's own transaction handling off: the "begin" hook below emits BEGIN IMMEDIATE
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")  # with WAL: a killed process loses no commit
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def describe(url: str) -> str:
    """The store's URL for people (no password)."""
    path = sqlite_path(url)
    return str(path) if path is not None else _redact(url)


__all__ = ["ENV", "StoreError", "data_dir", "default_url", "describe", "make_engine", "resolve_url"]
