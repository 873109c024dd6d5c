"""The ``accord`` command: thin wrappers that parse input, call one service and render.

Exit codes: 0 ok, 1 user error (a message, never a traceback), 2 internal error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from accord.errors import AccordError, ScenarioError

app = typer.Typer(
    help="accord: turn a negotiation into a computable model and forecast where it lands.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
plot_app = typer.Typer(help="Charts saved as images (PNG or SVG, by the file's extension).", no_args_is_help=True)
app.add_typer(plot_app, name="plot")

DEFAULT_SCENARIO = "us-iran-muscat-2026"
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


# -- helpers ---------------------------------------------------------------------------------------


def parse_sets(items: list[str] | None) -> dict[str, Any]:
    """``["a.b=20", "c=true"]`` -> ``{"a.b": 20, "c": True}`` (values read as YAML scalars)."""
    changes: dict[str, Any] = {}
    for item in items or []:
        path, sep, raw = item.partition("=")
        if not sep or not path.strip():
            raise AccordError(
                f"--set {item!r} is not PATH=VALUE",
                hint="e.g. --set actors.us.stances.missiles.position=20",
            )
        try:
            value = yaml.safe_load(raw) if raw.strip() else None
        except yaml.YAMLError:
            value = raw
        changes[path.strip()] = value
    return changes


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
    scenario: Annotated[str, typer.Argument(help="built-in id or path to a scenario file")] = DEFAULT_SCENARIO,
    model: Annotated[str, typer.Option("--model", "-m", help="a model name, a comma-separated list, or 'all'")] = "all",
    variant: Annotated[str | None, typer.Option(help="a named variant of the scenario")] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="PATH=VALUE change, repeatable")
    ] = None,
    rounds: Annotated[int | None, typer.Option(help="rounds for the BDM model", min=1)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON (schema: accord schema)")] = False,
) -> None:
    """Forecast where each issue lands, and whether the deciders agree."""
    from accord.services.forecast import forecast as run_forecast
    from accord.services.forecast import model_names

    sc = _load(scenario)
    names = model_names(model)
    params = {"bdm": {"rounds": rounds}} if rounds is not None and "bdm" in names else None
    fc = run_forecast(sc, names, variant=variant, changes=parse_sets(set_), params=params)
    if as_json:
        sys.stdout.write(json.dumps(fc.to_json(), indent=2, ensure_ascii=False) + "\n")
        return
    render_forecast(fc, narrate=len(names) == 1)


def render_forecast(fc, narrate: bool = False) -> None:
    sc = fc.scenario
    title = sc.title + (f"  [variant: {fc.variant}]" if fc.variant else "")
    out.print(f"[bold]{title}[/bold]")
    if sc.as_of:
        out.print(f"as of {sc.as_of.isoformat()} · {len(sc.actors)} actors · {len(sc.issues)} issues")
    if fc.changes:
        out.print("changes: " + ", ".join(f"{k}={v}" for k, v in fc.changes.items()))

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

    agree = Table(title="Agreement analysis (deciders: " + ", ".join(
        a for a, d in zip(fc.arrays.actor_ids, next(iter(fc.models.values())).analysis.decider) if d
    ) + ")", title_justify="left")
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
            lines = mf.model.narrate(mf.result, fc.arrays)
            if lines:
                out.print(f"\n[bold]{mf.label}: how the positions moved[/bold]")
                for line in lines:
                    out.print("  " + line)


def _reason_text(reason: dict, sc) -> str:
    actor = sc.actor(reason["actor"]).name
    if reason["kind"] == "red_line":
        issue = sc.issue(reason["issue"]).name
        side = "below its minimum" if reason["bound"] == "min" else "above its maximum"
        return f"{actor}: red line on {issue} ({side})"
    return f"{actor}: prefers its outside option"


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
    scenario: Annotated[str, typer.Argument(help="built-in id or path")] = DEFAULT_SCENARIO,
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


@plot_app.command("quadrant")
def plot_quadrant(
    scenario: Annotated[str, typer.Argument(help="built-in id or path")] = DEFAULT_SCENARIO,
    actor: Annotated[str, typer.Option(help="whose perspective")] = ...,
    issue: Annotated[str | None, typer.Option(help="issue id (default: the first)")] = None,
    round_: Annotated[int, typer.Option("--round", min=1, help="BDM round")] = 1,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="PNG or SVG file")] = None,
) -> None:
    """BDM quadrant chart: the actor's expected utility against each other actor's."""
    from accord.plots.quadrant import quadrant_chart
    from accord.scenario import to_arrays
    from accord.services.forecast import forecast as run_forecast

    sc = _load(scenario)
    sc.actor(actor)  # clear error for an unknown id
    k = sc.issues.index(sc.issue(issue)) if issue else 0
    fc = run_forecast(sc, ["bdm"], params={"bdm": {"rounds": max(round_, 1)}})
    path = output or Path(f"quadrant-{sc.id}-{actor}.png")
    if path.suffix.lower() not in (".png", ".svg"):
        raise AccordError(f"cannot write {path}: unknown image type", hint="use a .png or .svg file name")
    quadrant_chart(fc.models["bdm"].result, to_arrays(fc.scenario), actor, path, round=round_, issue=k)
    out.print(f"wrote {path}")


# -- entry point -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code: 1 for user errors, 2 for anything unexpected.

    The console script wraps this in ``sys.exit``.
    """
    try:
        app(args=argv, standalone_mode=False)
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
        if _is_usage_error(exc):  # a bad option or argument: the user's to fix
            err.print(f"[red]error:[/red] {escape(exc.format_message())}")
            return 1
        err.print(f"[red]internal error:[/red] {escape(type(exc).__name__ + ': ' + str(exc))}")
        err.print("This is a bug in accord; please report it with the command you ran.")
        return 2
    return 0


def _is_usage_error(exc: Exception) -> bool:
    # Typer's parser raises its own (vendored click) exceptions; recognise them by shape.
    return hasattr(exc, "format_message") and type(exc).__name__ != "Exit" and hasattr(exc, "exit_code")


if __name__ == "__main__":
    sys.exit(main())
