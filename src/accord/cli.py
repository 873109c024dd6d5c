"""The ``accord`` command: thin wrappers that parse input, call one service and render.

Exit codes: 0 ok, 1 user error (a message, never a traceback), 2 internal error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from accord._version import __version__
from accord.errors import AccordError, ScenarioError
from accord.services.output import HTML_SUFFIXES, IMAGE_SUFFIXES, check_output_path

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}
app = typer.Typer(
    help="accord: turn a negotiation into a computable model and forecast where it lands.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings=HELP_OPTIONS,
)
plot_app = typer.Typer(
    help="Charts saved as images (PNG or SVG, by the file's extension).",
    no_args_is_help=True,
    context_settings=HELP_OPTIONS,
)
app.add_typer(plot_app, name="plot")


def _print_version(value: bool) -> None:
    if value:
        out.print(f"accord {__version__}")
        raise typer.Exit(0)


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="print accord's version and exit",
            callback=_print_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """accord: turn a negotiation into a computable model and forecast where it lands."""


DEFAULT_SCENARIO = "us-iran-muscat-2026"
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


# -- options shared by several commands ------------------------------------------------------------

ScenarioArg = Annotated[str, typer.Argument(help="built-in id or path to a scenario file")]
ModelsOpt = Annotated[
    str, typer.Option("--model", "-m", help="a model name, a comma-separated list, or 'all'")
]
VariantOpt = Annotated[str | None, typer.Option(help="a named variant of the scenario")]
SetOpt = Annotated[list[str] | None, typer.Option("--set", help="PATH=VALUE change, repeatable")]
RunsOpt = Annotated[int, typer.Option(help="draws of the uncertain inputs", min=1)]
SeedOpt = Annotated[
    int | None, typer.Option(help="random seed (default: fresh, and reported)", min=0)
]
UncertaintyOpt = Annotated[str, typer.Option(help="default, ranges (the scenario's only) or none")]
EngineOpt = Annotated[str, typer.Option(help="local (processes on this machine) or dask")]
WorkersOpt = Annotated[
    int | None, typer.Option(help="worker processes (default: one per CPU)", min=1)
]
AddressOpt = Annotated[
    str | None, typer.Option(help="Dask scheduler, tcp://HOST:PORT (with --engine dask)")
]
RoundsOpt = Annotated[int | None, typer.Option(help="rounds for the BDM model", min=1)]
ImageOpt = Annotated[Path | None, typer.Option("--output", "-o", help="PNG or SVG file")]


# -- helpers ---------------------------------------------------------------------------------------


def parse_sets(items: list[str] | None) -> dict[str, str]:
    """``["a.b=20", "title=2026"]`` -> ``{"a.b": "20", "title": "2026"}``.

    Values stay the text typed: the patch (:func:`accord.scenario.with_changes`) reads each as the
    field it goes to needs, so a text field keeps ``2026`` or ``No`` as text and a number gets 20.
    """
    from accord.scenario.patch import parse_assignment

    changes: dict[str, str] = {}
    for item in items or []:
        path, _ = parse_assignment(item)  # checks the PATH=VALUE form
        changes[path] = item.partition("=")[2].strip()
    return changes


def _bdm_params(rounds: int | None, names: list[str]) -> dict[str, dict[str, Any]] | None:
    """``--rounds`` as model parameters; a note when no model that takes it runs."""
    if rounds is None:
        return None
    if "bdm" not in names:
        err.print("[yellow]note:[/yellow] --rounds applies to the bdm model only; ignored")
        return None
    return {"bdm": {"rounds": rounds}}


def _changes_text(changes: dict[str, Any]) -> str:
    from accord.services.forecast import change_text

    return ", ".join(change_text(k, v) for k, v in changes.items())


def _load(scenario: str):
    from accord.scenario import load

    return load(scenario)


def _fmt(x: float) -> str:
    """Numbers as people write them: 90, 62.4, 7.39."""
    text = f"{x:.1f}" if abs(x) >= 10 else f"{x:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# -- commands --------------------------------------------------------------------------------------


@app.command()
def forecast(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    model: ModelsOpt = "all",
    variant: VariantOpt = None,
    set_: SetOpt = None,
    rounds: RoundsOpt = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="print JSON (schema: accord schema)")
    ] = False,
    runs: Annotated[
        int,
        typer.Option(help="draws of the uncertain inputs (1: the scenario's own numbers)", min=1),
    ] = 1,
    seed: SeedOpt = None,
    engine: EngineOpt = "local",
    workers: WorkersOpt = None,
    address: AddressOpt = None,
    uncertainty: UncertaintyOpt = "default",
) -> None:
    """Forecast where each issue lands, and whether the deciders agree.

    With --runs N the uncertain inputs are drawn N times (docs/uncertainty.md) and every number
    comes with its distribution: the median and 80% interval per issue, the probabilities of
    agreement, stalemate and escalation, who blocks and in what share of draws.
    """
    from accord.services.forecast import forecast as run_forecast
    from accord.services.forecast import model_names

    sc = _load(scenario)
    names = model_names(model)
    params = _bdm_params(rounds, names)
    with _progress_bar(f"{runs:,} draws × {len(names)} model(s)", enabled=runs > 1) as bar:
        fc = run_forecast(
            sc,
            names,
            variant=variant,
            changes=parse_sets(set_),
            params=params,
            runs=runs,
            seed=seed,
            engine=engine,
            workers=workers,
            address=address,
            progress=bar,
            uncertainty=uncertainty,
        )
    if as_json:
        sys.stdout.write(json.dumps(fc.to_json(), indent=2, ensure_ascii=False) + "\n")
    elif runs > 1:
        render_monte_carlo(fc)
    else:
        render_forecast(fc, narrate=len(names) == 1)
    if fc.interrupted:
        _report_interrupted(fc.draws, fc.runs)
        raise typer.Exit(130)


def render_header(fc) -> None:
    """Title, date, size, and the what-if applied (with any adjustment it made)."""
    sc = fc.scenario
    title = sc.title + (f"  [variant: {fc.variant}]" if fc.variant else "")
    out.print(f"[bold]{escape(title)}[/bold]")
    if sc.as_of:
        out.print(
            f"as of {sc.as_of.isoformat()} · {len(sc.actors)} actors · {len(sc.issues)} issues"
        )
    if fc.changes:
        out.print(escape("changes: " + _changes_text(fc.changes)))
    for note in sc.notes:
        if note.startswith("what-if:"):
            out.print("  " + escape(note), style="dim")


def render_forecast(fc, narrate: bool = False) -> None:
    sc = fc.scenario
    render_header(fc)

    table = Table(title="Predicted outcome per issue (issue scale)", title_justify="left")
    table.add_column("issue")
    table.add_column("scale", style="dim")
    table.add_column("status quo", justify="right")
    for mf in fc.models.values():
        table.add_column(mf.name, justify="right")
    for k, issue in enumerate(sc.issues):
        scale = f"{_fmt(issue.low)}={issue.scale[issue.low][:28]} … {_fmt(issue.high)}={issue.scale[issue.high][:28]}"
        row = [issue.name, scale, _fmt(issue.status_quo)]
        row += [_fmt(float(mf.result.outcome[0, k])) for mf in fc.models.values()]
        table.add_row(*row)
    out.print(table)

    decider = next(iter(fc.models.values())).analysis.decider
    names = [a for a, d in zip(fc.arrays.actor_ids, decider, strict=True) if d]
    agree = Table(title=f"Agreement analysis (deciders: {', '.join(names)})", title_justify="left")
    agree.add_column("model")
    agree.add_column("result")
    agree.add_column("who blocks, and why")
    colours = {"agreement": "green", "stalemate": "yellow", "escalation": "red"}
    for mf in fc.models.values():
        why = "; ".join(_reason_text(r, sc) for r in mf.blockers) or "—"
        agree.add_row(mf.name, f"[{colours[mf.status]}]{mf.status}[/]", why)
    out.print(agree)
    out.print(
        "[dim]A decider accepts when the outcome is inside all its red lines and worth at least its "
        "outside option; see docs/outcome.md.[/dim]"
    )
    if narrate:
        for mf in fc.models.values():
            lines = mf.model.narrate(mf.result, fc.arrays, names={a.id: a.name for a in sc.actors})
            if lines:
                out.print(f"\n[bold]{mf.label}: how the positions moved[/bold]")
                for line in lines:
                    out.print("  " + escape(line))


def _reason_text(reason: dict, sc) -> str:
    actor = sc.actor(reason["actor"]).name
    if reason["kind"] == "red_line":
        issue = sc.issue(reason["issue"]).name
        side = "below its minimum" if reason["bound"] == "min" else "above its maximum"
        return f"{actor}: red line on {issue} ({side})"
    return f"{actor}: prefers its outside option"


# -- Monte Carlo: progress, distributions, comparisons ----------------------------------------


class _ProgressBar:
    """A Rich progress bar with an ETA on stderr, shown only once a run has taken a second.

    Called as ``bar(done, total)`` by the Monte Carlo service after every chunk of draws.
    """

    def __init__(self, what: str, enabled: bool):
        import threading

        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.enabled = enabled and err.is_terminal
        self._lock = threading.Lock()
        self._started = self._stopped = False
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn(escape(what)),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=err,
            transient=True,
        )
        self.task = self.progress.add_task(what, total=None)
        self._timer = threading.Timer(1.0, self._start)
        self._timer.daemon = True

    def _start(self) -> None:
        with self._lock:
            if not self._stopped:
                self.progress.start()
                self._started = True

    def __call__(self, done: int, total: int) -> None:
        self.progress.update(self.task, completed=done, total=total)

    def __enter__(self) -> _ProgressBar | None:
        if not self.enabled:
            return None
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.enabled:
            return
        self._timer.cancel()
        with self._lock:
            self._stopped = True
            if self._started:
                self.progress.stop()


def _progress_bar(what: str, enabled: bool = True) -> _ProgressBar:
    return _ProgressBar(what, enabled)


def _report_interrupted(done: int, total: int) -> None:
    err.print(
        f"[yellow]interrupted:[/yellow] {done:,} of {total:,} draws finished; "
        "the numbers above use those draws only."
    )


def _interval_text(lo: float, hi: float) -> str:
    return f"[{_fmt(lo)}–{_fmt(hi)}]"


def _uncertainty_text(unc) -> str:
    if unc is None:
        return "none"
    if unc.is_none:
        return "none (every draw is the scenario)"
    spreads = (
        f"± {unc.position:g}% of the scale on positions, ± {unc.salience:g} salience, "
        f"± {unc.capability:.0%} capability, ± {unc.red_line:g}% of the scale on red lines, "
        f"± {unc.outside_value:g} outside value"
    )
    ranges = "the scenario's ranges, else " if unc.ranges else ""
    return f"{unc.distribution}; {ranges}{spreads} (docs/uncertainty.md)"


def _share(x: float) -> str:
    return f"{100 * x:.1f}%"


def _reason_short(reason: dict, sc) -> str:
    actor = sc.actor(reason["actor"]).name
    if reason["kind"] == "red_line":
        return f"{actor}: {reason['issue']} red line ({reason['bound']}) {_share(reason['share'])}"
    return f"{actor}: outside option {_share(reason['share'])}"


def render_monte_carlo(fc) -> None:
    """Distributions over the draws: issues (median [80%]), probabilities, blockers, utilities."""
    sc = fc.scenario
    render_header(fc)
    out.print(
        f"{fc.draws:,} draws · seed {fc.seed} · uncertainty: {_uncertainty_text(fc.uncertainty)}"
    )

    table = Table(
        title="Outcome per issue: median [80% interval] over the draws", title_justify="left"
    )
    table.add_column("issue")
    table.add_column("status quo", justify="right")
    for mf in fc.models.values():
        table.add_column(mf.name, justify="right")
    for issue in sc.issues:
        row = [issue.name, _fmt(issue.status_quo)]
        for mf in fc.models.values():
            isf = mf.issues[issue.id]
            row.append(f"{_fmt(isf.median)} {_interval_text(*isf.interval(0.8))}")
        table.add_row(*row)
    out.print(table)

    agree = Table(title="Agreement over the draws", title_justify="left")
    for col in ("model", "agreement", "stalemate", "escalation", "who blocks (share of draws)"):
        agree.add_column(col, justify="right" if col in STATUS_COLUMNS else "left")
    for mf in fc.models.values():
        p = mf.probabilities
        why = "; ".join(_reason_short(r, sc) for r in mf.blockers[:3]) or "—"
        agree.add_row(
            mf.name, _share(p["agreement"]), _share(p["stalemate"]), _share(p["escalation"]), why
        )
    out.print(agree)

    util = Table(
        title="Each actor's utility of the outcome (0–1): median [80% interval]",
        title_justify="left",
    )
    util.add_column("actor")
    for mf in fc.models.values():
        util.add_column(mf.name, justify="right")
    first = next(iter(fc.models.values()))
    for actor in sc.actors:
        mark = " (decides)" if first.actors[actor.id].decider else ""
        cells = []
        for mf in fc.models.values():
            af = mf.actors[actor.id]
            lo, hi = af.interval(0.8)
            cells.append(f"{af.median:.2f} [{lo:.2f}–{hi:.2f}]")
        util.add_row(actor.name + mark, *cells)
    out.print(util)
    out.print(
        f"[dim]{fc.seconds:.1f} s ({_where_text(fc)}). Same seed, same numbers, whatever the workers "
        "or engine.[/dim]"
    )


STATUS_COLUMNS = ("agreement", "stalemate", "escalation")


def _where_text(fc) -> str:
    """What ran the draws, e.g. "local, 1 chunk on 1 worker" (one chunk never runs in parallel)."""
    chunks = -(-fc.runs // fc.chunk_size) if fc.chunk_size else 1
    used = max(min(fc.workers, chunks), 1)
    text = f"{fc.engine}, {chunks:,} chunk{'s' if chunks != 1 else ''} on {used} worker"
    text += "s" if used != 1 else ""
    if fc.engine == "dask" and fc.workers > used:
        text += f" of {fc.workers}"
    return text


@app.command()
def compare(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    variants: Annotated[
        str | None,
        typer.Option(
            help="comma-separated variant ids (default: all the scenario's); base is the reference"
        ),
    ] = None,
    model: ModelsOpt = "all",
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="PATH=VALUE change to the base, repeatable")
    ] = None,
    rounds: RoundsOpt = None,
    runs: Annotated[
        int, typer.Option(help="draws of the uncertain inputs, the same for every column", min=1)
    ] = 1000,
    seed: SeedOpt = None,
    engine: EngineOpt = "local",
    workers: WorkersOpt = None,
    address: AddressOpt = None,
    uncertainty: UncertaintyOpt = "default",
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Compare what-ifs with the base scenario, side by side, on the same random draws.

    Every column sees the same draws of the random inputs (common random numbers), so a delta is
    the variant's effect, not noise; each variant's `expect` is checked (✓ / ✗).
    """
    from accord.services.compare import compare as run_compare
    from accord.services.forecast import model_names

    sc = _load(scenario)
    names = model_names(model)
    params = _bdm_params(rounds, names)
    wanted = [v.strip() for v in variants.split(",") if v.strip()] if variants else None
    n_cols = 1 + (len(wanted) if wanted is not None else len(sc.variants))
    with _progress_bar(
        f"{runs:,} draws × {n_cols} columns × {len(names)} model(s)", enabled=runs > 1
    ) as bar:
        cmp = run_compare(
            sc,
            wanted,
            names,
            changes=parse_sets(set_),
            params=params,
            runs=runs,
            seed=seed,
            engine=engine,
            workers=workers,
            address=address,
            progress=bar,
            uncertainty=uncertainty,
        )
    if as_json:
        sys.stdout.write(json.dumps(cmp.to_json(), indent=2, ensure_ascii=False) + "\n")
    else:
        render_compare(cmp)
    if cmp.interrupted:
        _report_interrupted(cmp.draws, cmp.runs)
        raise typer.Exit(130)


def _delta_text(value: float, lo: float, hi: float, scale: float = 1.0, unit: str = "") -> str:
    colour = "green" if value > 0 else "red" if value < 0 else "dim"
    v, a, b = value * scale, lo * scale, hi * scale
    return f"[{colour}]Δ {v:+.1f}{unit}[/{colour}] [{a:+.1f}, {b:+.1f}]"


def render_compare(cmp) -> None:
    """One table per model: the base column, then each variant's deltas with 80% intervals."""
    sc = cmp.scenario
    out.print(f"[bold]{sc.title}[/bold]: base and what-ifs on the same draws")
    if cmp.changes:
        out.print(escape("changes to the base: " + _changes_text(cmp.changes)))
    out.print(
        f"{cmp.draws:,} draws · seed {cmp.seed} · uncertainty: {_uncertainty_text(cmp.uncertainty)}"
    )
    for c in cmp.variants:
        out.print(f"  [bold]{escape(c)}[/bold]: {escape(cmp.titles[c])}")
    for mc_ in cmp.models.values():
        table = Table(title=f"{mc_.label}", title_justify="left")
        table.add_column("")
        table.add_column("base", justify="right")
        for c in cmp.variants:
            table.add_column(c, justify="right")
        base = mc_.columns["base"]
        for issue in sc.issues:
            isf = base.issues[issue.id]
            row = [issue.name, f"{_fmt(isf.median)} {_interval_text(*isf.interval(0.8))}"]
            for c in cmp.variants:
                d = mc_.issue_delta(c, issue.id)
                row.append(_delta_text(d.value, *d.interval(0.8)))
            table.add_row(*row)
        for status in STATUS_COLUMNS:
            row = [f"P({status})", _share(base.probabilities[status])]
            for c in cmp.variants:
                d = mc_.probability_delta(c, status)
                row.append(_delta_text(d.value, *d.interval(0.8), scale=100, unit=" pts"))
            table.add_row(*row, style="bold" if status == "agreement" else None)
        m0 = float(base.agreement.margin.mean())
        row = ["deal margin (mean)", f"{m0:+.3f}"]
        for c in cmp.variants:
            dm = float(mc_.columns[c].agreement.margin.mean()) - m0
            row.append(f"Δ {dm:+.3f}")
        table.add_row(*row, style="dim")
        checks = [cmp.expectations(mc_.name, c) for c in cmp.variants]
        if any(checks):
            row = ["as the variant expects", ""]
            for ch in checks:
                if not ch:
                    row.append("—")
                    continue
                bad = [k.key for k in ch if not k.holds]
                row.append(
                    f"[green]✓ {len(ch)}/{len(ch)}[/green]"
                    if not bad
                    else f"[red]✗ {', '.join(bad)}[/red]"
                )
            table.add_row(*row)
        out.print(table)
    out.print(
        "[dim]Δ = variant − base. Issues: change of the median, [80% interval of the per-draw "
        "change]. Probabilities: change in points, [80% Monte Carlo interval]. A probability stuck "
        "at 0 or 1 is judged by the deal margin; issues by their mean (docs/uncertainty.md).[/dim]"
    )


@app.command()
def scenarios() -> None:
    """List the built-in scenarios."""
    from accord.scenario import builtin_ids, load

    table = Table(title="Built-in scenarios", title_justify="left")
    for col in ("id", "title", "as of", "actors", "issues", "variants"):
        table.add_column(col)
    for sid in builtin_ids():
        sc = load(sid)
        table.add_row(
            sid,
            sc.title,
            sc.as_of.isoformat() if sc.as_of else "",
            str(len(sc.actors)),
            str(len(sc.issues)),
            ", ".join(v.id for v in sc.variants) or "—",
        )
    out.print(table)


@app.command()
def show(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
) -> None:
    """Show a scenario as an actors × issues table (position / salience, red line)."""
    sc = _load(scenario)
    out.print(f"[bold]{sc.title}[/bold] ({sc.id})")
    table = Table(title="position / salience  [red line]", title_justify="left")
    table.add_column("actor")
    table.add_column("role")
    table.add_column("cap.", justify="right")
    for issue in sc.issues:
        table.add_column(issue.id, justify="right")
    for actor in sc.actors:
        cells = []
        for issue in sc.issues:
            st = actor.stances.get(issue.id)
            if st is None:
                cells.append("·")
                continue
            cell = f"{_fmt(st.position)} / {st.salience:.0f}"
            if st.red_line is not None:
                lo = "" if st.red_line.min is None else _fmt(st.red_line.min)
                hi = "" if st.red_line.max is None else _fmt(st.red_line.max)
                cell += f" [{lo}–{hi}]"
            cells.append(cell)
        role = actor.role + (" (veto)" if actor.veto else "")
        table.add_row(escape(actor.name), role, _fmt(actor.capability), *map(escape, cells))
    table.add_row("status quo", "", "", *[_fmt(i.status_quo) for i in sc.issues], style="dim")
    out.print(table)
    if sc.variants:
        out.print("variants: " + ", ".join(v.id for v in sc.variants))


@app.command()
def validate(file: Annotated[str, typer.Argument(help="scenario file to check")]) -> None:
    """Check a scenario file and list every problem with its location."""
    from accord.scenario import check_file

    problems = check_file(file)
    if problems:
        raise ScenarioError(problems, source=file)
    out.print(f"[green]ok[/green] {file}: valid scenario")


@app.command()
def schema() -> None:
    """Print the JSON Schema of `accord forecast --json` output."""
    from accord.services.schema import forecast_schema

    sys.stdout.write(json.dumps(forecast_schema(), indent=2) + "\n")


@plot_app.command("trajectory")
def plot_trajectory(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    model: Annotated[str, typer.Option("--model", "-m", help="one dynamic model")] = "smp",
    variant: VariantOpt = None,
    set_: SetOpt = None,
    output: ImageOpt = None,
) -> None:
    """Each actor's position turn by turn in one run of a dynamic model (SMP, BDM)."""
    from accord.plots.trajectory import trajectory_plot
    from accord.services.forecast import forecast as run_forecast
    from accord.services.forecast import one_model

    name = one_model(model)
    sc = _load(scenario)
    path = check_output_path(output or f"trajectory-{sc.id}-{name}.png", IMAGE_SUFFIXES)
    fc = run_forecast(sc, name, variant=variant, changes=parse_sets(set_))
    result = fc.models[name].result
    if result.n_steps < 2:
        raise AccordError(
            f"model {name!r} is one-shot: its positions do not move",
            hint="use a dynamic model such as smp or bdm",
        )
    trajectory_plot(result, fc.arrays, path)
    out.print(f"wrote {path}")


@plot_app.command("quadrant")
def plot_quadrant(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    actor: Annotated[str, typer.Option(help="whose perspective")] = ...,
    issue: Annotated[str | None, typer.Option(help="issue id (default: the first)")] = None,
    round_: Annotated[int, typer.Option("--round", min=1, help="BDM round")] = 1,
    variant: VariantOpt = None,
    set_: SetOpt = None,
    output: ImageOpt = None,
) -> None:
    """BDM quadrant chart: the actor's expected utility against each other actor's."""
    from accord.plots.quadrant import quadrant_chart
    from accord.services.forecast import forecast as run_forecast

    sc = _load(scenario)
    chosen = sc.issue(issue) if issue else sc.issues[0]
    if chosen.id not in sc.actor(actor).stances:  # (an unknown actor id is a clear error too)
        raise AccordError(
            f"actor {actor!r} has no stance on {chosen.id!r}: it plays no part in that issue's game",
            hint="choose an issue it has a stance on: " + ", ".join(sc.actor(actor).stances),
        )
    k = sc.issues.index(chosen)
    path = check_output_path(output or f"quadrant-{sc.id}-{actor}.png", IMAGE_SUFFIXES)
    fc = run_forecast(
        sc,
        ["bdm"],
        variant=variant,
        changes=parse_sets(set_),
        params={"bdm": {"rounds": max(round_, 1)}},
    )
    quadrant_chart(fc.models["bdm"].result, fc.arrays, actor, path, round=round_, issue=k)
    out.print(f"wrote {path}")


# -- sensitivity, report and charts of the forecast -------------------------------------------------


def _default_model() -> str:
    from accord.models import MODELS

    return "bdm" if "bdm" in MODELS else "compromise"


@app.command()
def sensitivity(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    model: Annotated[
        str | None, typer.Option("--model", "-m", help="one model (default: bdm)")
    ] = None,
    method: Annotated[
        str, typer.Option(help="sobol (variance shares) or morris (elementary effects, cheaper)")
    ] = "sobol",
    output: Annotated[
        str, typer.Option("--output", help="agreement (the agreement margin) or issue:ID")
    ] = "agreement",
    input_: Annotated[
        list[str] | None,
        typer.Option(
            "--input",
            "-i",
            help="an input to vary: PATH, PATH=[LO,HI] or a pattern like 'actors.us.*'; repeatable "
            "(default: every position, salience, capability and outside-option value)",
        ),
    ] = None,
    n: Annotated[
        int | None,
        typer.Option(
            "--n",
            min=2,
            help="base sample: Sobol' N (power of 2; N·(k+2) runs, default 256) or Morris trajectories (default 50)",
        ),
    ] = None,
    seed: SeedOpt = None,
    variant: VariantOpt = None,
    set_: SetOpt = None,
    uncertainty: Annotated[
        str,
        typer.Option(
            help="default spreads where the scenario gives no range: default, ranges or none"
        ),
    ] = "default",
    top: Annotated[int, typer.Option(help="inputs to show", min=1)] = 20,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="also save the chart (PNG or SVG)")
    ] = None,
    kind: Annotated[
        str, typer.Option(help="chart: bar (indices) or tornado (one at a time)")
    ] = "bar",
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Which inputs move the forecast: Sobol' or Morris sensitivity, inputs ranked by influence."""
    from accord.services.forecast import one_model, prepare
    from accord.services.sensitivity import parse_input
    from accord.services.sensitivity import sensitivity as run_sensitivity

    if method not in ("sobol", "morris"):
        raise AccordError(
            f"--method {method!r} is not sobol or morris",
            hint="use --method sobol or --method morris",
        )
    if kind not in ("bar", "tornado"):
        raise AccordError(
            f"--kind {kind!r} is not bar or tornado", hint="use --kind bar or --kind tornado"
        )
    if plot is not None:
        check_output_path(plot, IMAGE_SUFFIXES)
    name = one_model(model) if model else _default_model()
    sc = prepare(_load(scenario), variant=variant, changes=parse_sets(set_))
    parsed = [parse_input(item) for item in input_ or []]
    paths = [p for p, _ in parsed]
    bounds = {p: b for p, b in parsed if b is not None}
    res = run_sensitivity(
        sc,
        name,
        method=method,
        output=output,  # type: ignore[arg-type]
        inputs=paths or None,
        bounds=bounds,
        n=n,
        seed=seed,
        uncertainty=uncertainty,
    )
    if plot is not None:
        from accord.plots.sensitivity import sensitivity_chart

        sensitivity_chart(res, plot, kind=kind, top=top)
    if as_json:
        sys.stdout.write(json.dumps(res.to_json(), indent=2, ensure_ascii=False) + "\n")
    else:
        render_sensitivity(res, top)
    if plot is not None:
        err.print(f"wrote {plot}")


def render_sensitivity(res, top: int = 20) -> None:
    sobol = res.method == "sobol"
    out.print(
        f"[bold]Sensitivity of {res.output}[/bold] under {res.model} ({'Sobol' if sobol else 'Morris'}): "
        f"{len(res.effects)} input{'s' if len(res.effects) != 1 else ''}, {res.evaluations:,} runs, seed {res.seed}"
    )
    table = Table(title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("input", overflow="fold")
    table.add_column("interval", justify="right")
    if sobol:
        table.add_column("S1 ± CI", justify="right")
        table.add_column("ST ± CI", justify="right")
    else:
        table.add_column("mu* ± CI", justify="right")
        table.add_column("sigma", justify="right")
    table.add_column("at low / high", justify="right", style="dim")
    for rank, e in enumerate(res.effects[:top], 1):
        first = (
            f"{e.s1:.3f} ± {e.s1_conf:.3f}" if sobol else f"{e.mu_star:.3g} ± {e.mu_star_conf:.2g}"
        )
        second = f"{e.st:.3f} ± {e.st_conf:.3f}" if sobol else f"{e.sigma:.3g}"
        swing = "" if e.swing_low is None else f"{e.swing_low:.3g} / {e.swing_high:.3g}"
        table.add_row(str(rank), e.name, f"{e.low:g}–{e.high:g}", first, second, swing)
    out.print(table)
    if len(res.effects) > top:
        out.print(f"[dim]… and {len(res.effects) - top} more (--top to show them)[/dim]")
    for note in res.notes:
        out.print(f"[yellow]note:[/yellow] {note}")
    what = (
        "the agreement margin (the tightest decider's surplus; ≥ 0 when every decider accepts)"
        if res.output == "agreement"
        else res.output
    )
    out.print(
        f"[dim]Output: {what}; {res.output_mean:.3g} ± {res.output_std:.3g} over the sample, "
        f"{res.base_output:.3g} on the scenario's numbers. See docs/sensitivity.md.[/dim]"
    )


@app.command()
def report(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="HTML file (default: report-ID.html)")
    ] = None,
    model: ModelsOpt = "all",
    runs: RunsOpt = 1000,
    seed: SeedOpt = None,
    variant: VariantOpt = None,
    set_: SetOpt = None,
    uncertainty: UncertaintyOpt = "default",
    sensitivity_: Annotated[
        bool, typer.Option("--sensitivity/--no-sensitivity", help="include a sensitivity analysis")
    ] = True,
    sensitivity_model: Annotated[
        str | None,
        typer.Option(
            help="its model (default: bdm, else smp, else compromise, else the first of --model)"
        ),
    ] = None,
    sensitivity_method: Annotated[str, typer.Option(help="sobol or morris")] = "morris",
    sensitivity_output: Annotated[str, typer.Option(help="agreement or issue:ID")] = "agreement",
    sensitivity_n: Annotated[int | None, typer.Option(help="its base sample size", min=2)] = None,
) -> None:
    """Write a self-contained HTML report: forecast, charts, sensitivity, inputs and sources."""
    from accord.services.report import write_report

    sc = _load(scenario)
    path = output or Path(f"report-{sc.id}{'-' + variant if variant else ''}.html")
    check_output_path(path, HTML_SUFFIXES)
    write_report(
        sc,
        path,
        models=model,
        runs=runs,
        seed=seed,
        variant=variant,
        changes=parse_sets(set_),
        uncertainty=uncertainty,
        sensitivity=sensitivity_,
        sensitivity_model=sensitivity_model,
        sensitivity_method=sensitivity_method,
        sensitivity_output=sensitivity_output,
        sensitivity_n=sensitivity_n,
    )
    out.print(f"wrote {path}")


def _chart_forecast(
    sc, model: str, runs: int, seed: int | None, variant: str | None, set_: list[str] | None
):
    from accord.services.forecast import forecast as run_forecast

    return run_forecast(sc, model, variant=variant, changes=parse_sets(set_), runs=runs, seed=seed)


@plot_app.command("distributions")
def plot_distributions(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    model: ModelsOpt = "all",
    runs: RunsOpt = 1000,
    seed: SeedOpt = None,
    variant: VariantOpt = None,
    set_: SetOpt = None,
    output: ImageOpt = None,
) -> None:
    """Histograms of each issue's predicted outcome, with the status quo and the principals marked."""
    from accord.plots.distributions import distributions_chart
    from accord.services.report import outcome_draws

    sc = _load(scenario)
    path = check_output_path(output or f"distributions-{sc.id}.png", IMAGE_SUFFIXES)
    fc = _chart_forecast(sc, model, runs, seed, variant, set_)
    distributions_chart(fc.scenario, {m.name: outcome_draws(m) for m in fc.models.values()}, path)
    out.print(f"wrote {path}")


@plot_app.command("agreement")
def plot_agreement(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    model: ModelsOpt = "all",
    runs: RunsOpt = 1000,
    seed: SeedOpt = None,
    variant: VariantOpt = None,
    set_: SetOpt = None,
    output: ImageOpt = None,
) -> None:
    """Agreement / stalemate / escalation shares per model, as stacked bars."""
    from accord.plots.agreement import agreement_chart

    sc = _load(scenario)
    path = check_output_path(output or f"agreement-{sc.id}.png", IMAGE_SUFFIXES)
    fc = _chart_forecast(sc, model, runs, seed, variant, set_)
    agreement_chart(
        {m.name: m.probabilities for m in fc.models.values()},
        path,
        labels={m.name: m.label for m in fc.models.values()},
        runs=fc.draws if fc.draws > 1 else None,
    )
    out.print(f"wrote {path}")


@plot_app.command("bands")
def plot_bands(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    model: Annotated[
        str | None, typer.Option("--model", "-m", help="one dynamic model (default: bdm)")
    ] = None,
    runs: RunsOpt = 1000,
    seed: SeedOpt = None,
    variant: VariantOpt = None,
    set_: SetOpt = None,
    output: ImageOpt = None,
) -> None:
    """Each actor's position over the rounds: the median with the band holding 80% of the draws."""
    from accord.plots._figure import save
    from accord.services.forecast import one_model
    from accord.services.report import bands_figure_for

    name = one_model(model) if model else _default_model()
    sc = _load(scenario)
    path = check_output_path(output or f"bands-{sc.id}-{name}.png", IMAGE_SUFFIXES)
    fc = _chart_forecast(sc, name, runs, seed, variant, set_)
    if fc.models[name].result.n_steps < 2:
        raise AccordError(
            f"model {name!r} is one-shot: its positions do not move",
            hint="use a dynamic model such as bdm or smp",
        )
    save(bands_figure_for(fc, fc.models[name]), path)
    out.print(f"wrote {path}")


# -- entry point -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code: 1 for user errors, 2 for anything unexpected.

    The console script wraps this in ``sys.exit``.
    """
    try:
        # a command's typer.Exit(n) comes back as n
        code = app(args=argv, prog_name="accord", standalone_mode=False)
    except AccordError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)
        return 1
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        err.print("aborted")
        return 1
    except KeyboardInterrupt:
        err.print("interrupted")
        return 1
    except Exception as exc:  # noqa: BLE001 - the one place that turns bugs into exit 2
        if type(exc).__name__ == "NoArgsIsHelpError":  # `accord`, `accord plot`: help shown
            return 0
        if _is_usage_error(exc):  # a bad option or argument: the user's to fix
            err.print(f"[red]error:[/red] {escape(_usage_text(exc))}", soft_wrap=True)
            return 1
        err.print(f"[red]internal error:[/red] {escape(type(exc).__name__ + ': ' + str(exc))}")
        err.print("This is a bug in accord; please report it with the command you ran.")
        return 2
    return code if isinstance(code, int) else 0


def _is_usage_error(exc: Exception) -> bool:
    # Typer's parser raises its own (vendored click) exceptions; recognise them by shape.
    return (
        hasattr(exc, "format_message")
        and type(exc).__name__ != "Exit"
        and hasattr(exc, "exit_code")
    )


def _usage_text(exc: Any) -> str:
    """The parser's message, its "Possible options" kept only for real near-misses, and where to
    read the command's options."""
    import difflib

    wrong = str(getattr(exc, "option_name", "") or "").lstrip("-")
    if wrong and getattr(exc, "possibilities", None):
        exc.possibilities = [
            p
            for p in exc.possibilities
            if difflib.SequenceMatcher(None, wrong, p.lstrip("-")).ratio() >= 0.75
        ]
    text = exc.format_message()
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        text += f" (see `{ctx.command_path} --help`)"
    return text


if __name__ == "__main__":
    sys.exit(main())
