"""``accord runs list | show | compare | export | delete``: the forecasts kept in the run store.

Runs are kept by ``accord forecast --save`` (or always, with ``ACCORD_SAVE=1``) and by ``accord
history``. Everything here reads the stored records: nothing is recomputed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from accord.cli import HELP_OPTIONS, app
from accord.cli.common import print_json
from accord.cli.options import DbOpt, JsonOpt, VerboseOpt
from accord.cli.render import Column, Grid, out, plain, prose, show

runs_app = typer.Typer(
    help="Stored runs: list, show, compare, export, delete (the store: --db or ACCORD_DB).",
    no_args_is_help=True,
    context_settings=HELP_OPTIONS,
    rich_markup_mode=None,
)
app.add_typer(runs_app, name="runs", short_help="Stored runs: list, show, compare, export, delete.")

#: environment variable: save every forecast (1, true, yes or on)
SAVE_ENV = "ACCORD_SAVE"
RunArg = Annotated[int, typer.Argument(help="a run id (`accord runs list` shows them)", min=1)]


def save_by_default() -> bool:
    """Whether ``ACCORD_SAVE`` asks to keep every forecast."""
    return os.environ.get(SAVE_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def open_store(db: str | None):
    """The run store at ``db`` (else ``ACCORD_DB``, else the default file)."""
    from accord.runs.store import Store

    return Store(db)


class Keeper:
    """Where a forecast command keeps its run (``--save``, ``--db``, ``--draws``, or
    ``ACCORD_SAVE``): the store is opened before the run, so a bad ``--db`` fails at once."""

    def __init__(self, save: bool | None, db: str | None, draws: bool = False):
        from accord.errors import ParameterError

        self.keep = save_by_default() if save is None else save
        if draws and not self.keep:
            raise ParameterError(
                "per-draw outputs are kept with the run", hint="add --save", field="draws"
            )
        self.draws = draws
        self.store = open_store(db) if self.keep else None
        self.where = self.store.where if self.store is not None else None
        self.run_id: int | None = None

    def __enter__(self) -> Keeper:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.store is not None:
            self.store.close()

    def forecast(self, sc, names, *, source: str = "", **options):
        """:func:`accord.runs.forecast.forecast`, saved as it runs when the run is kept."""
        if self.store is None:
            from accord.runs.forecast import forecast

            return forecast(sc, names, **options)
        from accord.runs.store import save_forecast

        saved = save_forecast(self.store, sc, names, per_draw=self.draws, source=source, **options)
        self.run_id = saved.run_id
        return saved.forecast

    def report(self, to_stderr: bool = False) -> None:
        """Say where the run was kept (on stderr under --json, so the JSON stays clean)."""
        if self.run_id is None:
            return
        from accord.cli.render import err

        text = f"saved as run {self.run_id} in {self.where} (accord runs show {self.run_id})"
        (err() if to_stderr else out()).print(plain(text, "dim"), soft_wrap=True)


def _when(moment) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else "—"


def _draws_text(info) -> str:
    text = f"{info.draws:,} of {info.runs:,}" if info.draws != info.runs else f"{info.runs:,}"
    return text


@runs_app.command("list")
def list_runs(
    scenario: Annotated[str | None, typer.Option(help="only runs of this scenario id")] = None,
    status: Annotated[
        str | None,
        typer.Option(help="only runs with this status: running, complete, failed, interrupted"),
    ] = None,
    limit: Annotated[int, typer.Option(help="how many runs, newest first", min=1)] = 20,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The stored runs, newest first: when, which scenario version, models, draws, seed, status."""
    from accord.errors import ParameterError
    from accord.present import formats as f
    from accord.runs.store.store import STATUSES

    if status is not None and status not in STATUSES:
        raise ParameterError(
            f"--status {status!r} is not one of {', '.join(STATUSES)}", field="status"
        )
    with open_store(db) as store:
        infos = store.list(scenario=scenario, status=status, limit=limit)
        where = store.where
    if as_json:
        print_json([_info_json(i) for i in infos])
        return
    if not infos:
        prose(f"No stored runs in {where}. Keep one with `accord forecast ... --save`.")
        return
    grid = Grid(
        f"Stored runs ({where})",
        [
            Column("run", "number"),
            Column("started", "id"),
            Column("scenario", "id"),
            Column("as of", "id"),
            Column("models", "text"),
            Column("draws", "number"),
            Column("seed", "number"),
            Column("status", "id"),
            Column("P(agreement)", "text"),
        ],
    )
    for i in infos:
        agreement = ", ".join(f"{m} {f.share(p)}" for m, p in i.agreement.items()) or "—"
        grid.add(
            str(i.id),
            _when(i.started),
            i.scenario_id + (f" [{i.variant}]" if i.variant else ""),
            i.as_of.isoformat() if i.as_of else "—",
            ", ".join(i.models),
            _draws_text(i),
            str(i.seed),
            plain(i.status, _status_style(i.status)),
            agreement,
        )
    show(grid)
    prose(
        "`accord runs show RUN` shows one; `accord runs compare A B` sets two side by side.",
        style="dim",
    )


def _status_style(status: str) -> str | None:
    return {"complete": "up", "failed": "down", "interrupted": "down", "running": None}[status]


def _info_json(i) -> dict:
    return {
        "id": i.id,
        "kind": i.kind,
        "status": i.status,
        "scenario": i.scenario_id,
        "as_of": i.as_of.isoformat() if i.as_of else None,
        "variant": i.variant,
        "models": i.models,
        "seed": i.seed,
        "runs": i.runs,
        "draws": i.draws,
        "chunks": i.chunks,
        "chunk_size": i.chunk_size,
        "started": i.started.isoformat() if i.started else None,
        "finished": i.finished.isoformat() if i.finished else None,
        "seconds": i.seconds,
        "accord_version": i.accord_version,
        "error": i.error,
        "per_draw": bool(i.draws_dir),
        "request": i.request,
        "agreement": i.agreement,
    }


class _Shown:
    """A stored forecast, shaped as the forecast views expect (scenario + record)."""

    def __init__(self, scenario, record):
        self.scenario, self.record = scenario, record

    def __getattr__(self, name: str):
        if name == "variant":
            return self.record.scenario.variant
        return getattr(self.record, name)


@runs_app.command("show")
def show_run(
    run: RunArg,
    db: DbOpt = None,
    as_json: JsonOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """One stored run: how it went, and its forecast as `accord forecast` showed it."""
    from accord.cli.forecast import render_monte_carlo, render_point

    with open_store(db) as store:
        got = store.get(run)
        where = store.where
    info = got.info
    if as_json:
        print_json(got.record.to_json() if got.record is not None else _info_json(info))
        return
    status = plain(info.status, _status_style(info.status))
    out().print(plain(f"Run {info.id} · ", "bold") + status + plain(f" · {where}", "dim"))
    facts = [
        f"{info.kind} of {info.scenario_id}" + (f" as of {info.as_of}" if info.as_of else ""),
        f"models {', '.join(info.models)}",
        f"draws {_draws_text(info)}",
        f"seed {info.seed}",
        f"started {_when(info.started)}",
        f"finished {_when(info.finished)}",
        f"accord {info.accord_version}",
    ]
    prose(" · ".join(facts))
    if info.chunks:
        stored = sum(1 for c in got.chunks if c.file)
        size = sum(c.bytes or 0 for c in got.chunks)
        text = f"{info.chunks:,} chunk(s) of draws stored"
        if stored:
            text += f", {stored:,} with per-draw files ({size / 2**20:,.1f} MiB)"
        prose(text)
    if info.error:
        prose(f"why it stopped: {info.error}", style="yellow")
    if got.record is None:
        prose(
            "No results: the run did not finish. Run it again with the same seed to reproduce "
            "it: " + _rerun_hint(info),
            style="dim",
        )
        return
    if got.record.kind != "forecast":
        prose(f"A {got.record.kind} run; `accord runs export {info.id}` prints its record.")
        return
    out().print()
    shown = _Shown(got.effective or got.scenario, got.record)
    if got.record.draws > 1:
        render_monte_carlo(shown)
    else:
        render_point(shown, narrate=len(got.record.models) == 1, verbose=verbose)


def _rerun_hint(info) -> str:
    req = info.request
    parts = [f"accord forecast {info.scenario_id}", f"--model {','.join(info.models)}"]
    parts += [f"--runs {info.runs}", f"--seed {info.seed}"]
    if req.get("as_of"):
        parts.append(f"--as-of {req['as_of']}")
    if req.get("variant"):
        parts.append(f"--variant {req['variant']}")
    for path, value in (req.get("changes") or {}).items():
        parts.append(f"--set {path}={value}")
    return " ".join(parts) + " --save"


@runs_app.command("compare")
def compare_runs(
    a: Annotated[int, typer.Argument(help="run A (the reference)", min=1)],
    b: Annotated[int, typer.Argument(help="run B", min=1)],
    model: Annotated[
        str | None, typer.Option("--model", "-m", help="one model (default: every model in both)")
    ] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Two stored forecasts side by side, from their stored results (nothing is run again)."""
    from accord.errors import AccordError
    from accord.present.views import run_diff_rows, run_differences

    with open_store(db) as store:
        ra, rb = store.get(a), store.get(b)
    for got in (ra, rb):
        if got.record is None or got.record.kind != "forecast":
            raise AccordError(
                f"run {got.id} has no forecast to compare ({got.status}, {got.info.kind})",
                hint="compare two finished forecasts (`accord runs list --status complete`)",
                field="run",
            )
    names_a = [m.name for m in ra.record.results.models]
    names_b = {m.name for m in rb.record.results.models}
    common = [n for n in names_a if n in names_b]
    if model is not None:
        if model not in common:
            raise AccordError(
                f"model {model!r} is not in both runs",
                hint="models in both: " + (", ".join(common) or "none"),
                field="model",
            )
        common = [model]
    if not common:
        raise AccordError(f"runs {a} and {b} have no model in common", field="run")
    sc = rb.effective or rb.scenario
    if as_json:
        print_json(
            {
                "a": a,
                "b": b,
                "differences": run_differences(ra.record, rb.record),
                "models": {
                    m: [row.__dict__ for row in run_diff_rows(ra.record, rb.record, sc, m)]
                    for m in common
                },
            }
        )
        return
    console = out()
    console.print(plain(f"Run {a} (A) and run {b} (B), from the stored results", "bold"))
    for run_id, got in (("A", ra), ("B", rb)):
        ref = got.record.scenario
        prose(
            f"{run_id}: run {got.id} · {ref.id}"
            + (f" as of {ref.as_of}" if ref.as_of else "")
            + (f" [{ref.variant}]" if ref.variant else "")
            + f" · {got.record.draws:,} draws · seed {got.record.seed} · {_when(got.info.started)}",
            indent=2,
        )
    diffs = run_differences(ra.record, rb.record)
    prose("What differs: " + ("; ".join(diffs) if diffs else "nothing (the same inputs and seed)"))
    for name in common:
        grid = Grid(
            f"{name}",
            [
                Column("", "key"),
                Column("A", "number"),
                Column("B", "number"),
                Column("B − A", "number"),
            ],
        )
        for row in run_diff_rows(ra.record, rb.record, sc, name):
            grid.add(row.label, row.a, row.b, plain(row.delta, row.style), style=row.emphasis)
        show(grid)
    prose(
        "Issues: median [80% interval] over each run's draws, and the change of the median. "
        "Probabilities: the change in points, [80% interval of its Monte Carlo error, the runs' "
        "draws taken as independent]. For paired what-ifs on common draws use `accord compare`.",
        style="dim",
    )


@runs_app.command("export")
def export_run(
    run: RunArg,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="write the record here (.json)")
    ] = None,
    draws: Annotated[
        Path | None,
        typer.Option(help="also write the per-draw outputs here (.parquet or .csv)"),
    ] = None,
    db: DbOpt = None,
) -> None:
    """A stored run's record as JSON (stdout, or --output), and its per-draw outputs (--draws)."""
    import json

    from accord.errors import AccordError
    from accord.runs.output import check_output_path, write_output

    if output is not None:
        check_output_path(output, (".json",))
    if draws is not None:
        check_output_path(draws, (".parquet", ".csv"))
    with open_store(db) as store:
        got = store.get(run)
        files = store.draw_files(run)
    data = got.record.to_json() if got.record is not None else _info_json(got.info)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        print_json(data)
    else:
        write_output(output, text)
    if draws is not None:
        if not files:
            raise AccordError(
                f"run {run} kept no per-draw outputs",
                hint="save a run with them: accord forecast ... --runs N --save --draws",
                field="draws",
            )
        from accord.runs.store.draws import read_draws

        table = read_draws(files)
        if draws.suffix.lower() == ".csv":
            import pyarrow.csv as pacsv

            pacsv.write_csv(table, draws)
        else:
            import pyarrow.parquet as pq

            pq.write_table(table, draws, compression="zstd")
    err_lines = [f"wrote {output}"] if output is not None else []
    if draws is not None:
        err_lines.append(f"wrote {draws} ({sum(1 for _ in files)} chunk(s))")
    from accord.cli.render import err

    for line in err_lines:
        err().print(plain(line))


@runs_app.command("delete")
def delete_runs(
    run: Annotated[list[int], typer.Argument(help="run ids to delete", min=1)],
    db: DbOpt = None,
) -> None:
    """Delete stored runs, with their chunks, summaries and per-draw files."""
    from accord.errors import AccordError

    with open_store(db) as store:
        missing = [r for r in run if not store.delete(r)]
    gone = [r for r in run if r not in missing]
    if gone:
        out().print(
            plain("deleted run" + ("s " if len(gone) > 1 else " ") + ", ".join(map(str, gone)))
        )
    if missing:
        raise AccordError(
            "no run " + ", ".join(map(str, missing)) + " in the store",
            hint="`accord runs list` shows the stored runs",
            field="run",
        )


__all__ = ["Keeper", "open_store", "runs_app", "save_by_default"]
