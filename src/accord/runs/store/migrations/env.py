"""Alembic's entry point: runs the migrations on the connection the store hands over (inside the
store's own locked transaction), or on a URL given to the ``alembic`` command."""

from __future__ import annotations

from alembic import context


def _run() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    import sqlalchemy as sa  # pragma: no cover - the alembic command line, for developers

    engine = sa.create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        context.configure(connection=conn, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


try:
    context.config  # noqa: B018 - only set while Alembic runs this file
except AttributeError:  # imported by something else (doctest collection): nothing to run
    pass
else:
    _run()
