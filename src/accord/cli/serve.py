"""``accord serve``: the web dashboard and JSON API on this machine."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from accord.cli import app


@app.command(short_help="The web dashboard and JSON API (loopback by default).")
def serve(
    host: Annotated[
        str, typer.Option(help="address to listen on (127.0.0.1: this machine only)")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on", min=0, max=65535)] = 8000,
    db: Annotated[
        str | None,
        typer.Option(
            help="the run store: a SQLite file or a database URL (default: ACCORD_DB, "
            "else the user's data folder)"
        ),
    ] = None,  # fmt: skip
    max_draws: Annotated[
        int | None, typer.Option(help="the most draws one request may ask for", min=1)
    ] = None,
    max_request_kb: Annotated[
        int | None, typer.Option(help="the largest request body, in KiB", min=1)
    ] = None,
    jobs: Annotated[int, typer.Option(help="background runs computed at once", min=1)] = 2,
    max_running: Annotated[
        int | None,
        typer.Option(help="requests computed at once, the rest queue (default: the cores)", min=1),
    ] = None,
) -> None:
    """Serve the dashboard (forecast, what-ifs, sensitivity, scenarios, runs) and the JSON API
    (docs at /api/docs) until Ctrl-C. It opens on the built-in Muscat scenario."""
    import dataclasses

    import uvicorn

    from accord.web.app import create_app
    from accord.web.settings import LOOPBACK, Settings, hosts_for

    settings = Settings(host=host, port=port, db=db, max_jobs=jobs, allowed_hosts=hosts_for(host))
    if max_draws is not None:
        settings = dataclasses.replace(settings, max_draws=max_draws)
    if max_running is not None:
        settings = dataclasses.replace(settings, max_running=max_running)
    if max_request_kb is not None:
        settings = dataclasses.replace(settings, max_request_bytes=1024 * max_request_kb)
    web = create_app(settings)
    where = f"[{host}]" if ":" in host else host
    sys.stdout.write(
        f"accord serving on http://{where}:{port}/ (runs kept in {web.state.keeper.where}; "
        f"API docs at /api/docs; Ctrl-C stops)\n"
    )
    if host not in LOOPBACK:
        sys.stdout.write(f"note: listening on {host}: other machines can reach this server\n")
    sys.stdout.flush()
    uvicorn.run(web, host=host, port=port, log_level="warning")


__all__ = ["serve"]
