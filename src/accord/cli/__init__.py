"""The ``accord`` command: thin wrappers that parse input, call one service and render its views.

One module per group of commands (``forecast``, ``compare``, ``concessions``, ``sensitivity``,
``scenarios``, ``report``, ``plot``, ``models``, ``backtest``, ``draft``, ``runs``, ``history``);
rendering lives in :mod:`accord.cli.render`, the words and
numbers in :mod:`accord.present`. Heavy imports (numpy, the models, matplotlib) happen inside the
commands, so ``accord --help`` starts at once.

Exit codes: 0 ok, 1 user error (a message, never a traceback), 2 internal error.
"""

from __future__ import annotations

import sys
import warnings
from typing import Annotated, Any

import typer

from accord._version import __version__

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}
app = typer.Typer(
    help="accord: turn a negotiation into a computable model and forecast where it lands.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings=HELP_OPTIONS,
    rich_markup_mode=None,
)
plot_app = typer.Typer(
    help="Charts saved as images (PNG or SVG, by the file's extension).",
    no_args_is_help=True,
    context_settings=HELP_OPTIONS,
    rich_markup_mode=None,
)
app.add_typer(plot_app, name="plot")


def _print_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"accord {__version__}\n")
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


# the commands register themselves on `app` / `plot_app`
from accord.cli import backtest as _backtest  # noqa: E402, F401
from accord.cli import compare as _compare  # noqa: E402, F401
from accord.cli import concessions as _concessions  # noqa: E402, F401
from accord.cli import draft as _draft  # noqa: E402, F401
from accord.cli import forecast as _forecast  # noqa: E402, F401
from accord.cli import history as _history  # noqa: E402, F401
from accord.cli import plot as _plot  # noqa: E402, F401
from accord.cli import report as _report  # noqa: E402, F401
from accord.cli import runs as _runs  # noqa: E402, F401
from accord.cli import scenarios as _scenarios  # noqa: E402, F401
from accord.cli import sensitivity as _sensitivity  # noqa: E402, F401
from accord.cli import serve as _serve  # noqa: E402, F401


def _short_helps(typer_app: typer.Typer) -> None:
    """Give every command a short help, its docstring's first sentence whole, so that command
    lists never cut a description with "..." (Click's default)."""
    import inspect

    def first_sentence(text: str | None) -> str | None:
        if not text:
            return None
        para = inspect.cleandoc(text).split("\n\n", 1)[0].replace("\n", " ")
        end = para.find(". ")
        return para if end < 0 else para[: end + 1]

    for info in typer_app.registered_commands:
        if info.short_help is None:
            info.short_help = first_sentence(info.help or (info.callback and info.callback.__doc__))
    for group in typer_app.registered_groups:
        if group.short_help is None:
            group.short_help = first_sentence(group.help or group.typer_instance.info.help)
        _short_helps(group.typer_instance)


_short_helps(app)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code: 1 for user errors, 2 for anything unexpected.

    The console script wraps this in ``sys.exit``.
    """
    from accord.cli.render import err, plain, reset_consoles
    from accord.errors import AccordError

    reset_consoles()  # made on first use, so that COLUMNS applies and --help loads no Rich
    try:
        with warnings.catch_warnings():
            # warnings (a long run's estimate, say) are printed like every other text: rendered
            warnings.showwarning = _show_warning
            # a command's typer.Exit(n) comes back as n
            code = app(args=argv, prog_name="accord", standalone_mode=False)
    except AccordError as exc:
        err().print(plain("error: ", "red") + plain(_error_text(exc)), soft_wrap=True)
        return 1
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        err().print("aborted")
        return 1
    except KeyboardInterrupt:
        err().print("interrupted")
        return 1
    except Exception as exc:  # noqa: BLE001 - the one place that turns bugs into exit 2
        if type(exc).__name__ == "NoArgsIsHelpError":  # `accord`, `accord plot`: the help
            ctx = getattr(exc, "ctx", None)
            sys.stdout.write((ctx.get_help() if ctx is not None else str(exc)) + "\n")
            return 0
        if _is_usage_error(exc):  # a bad option or argument: the user's to fix
            err().print(plain("error: ", "red") + plain(_usage_text(exc)), soft_wrap=True)
            return 1
        err().print(plain("internal error: ", "red") + plain(f"{type(exc).__name__}: {exc}"))
        err().print("This is a bug in accord; please report it with the command you ran.")
        return 2
    return code if isinstance(code, int) else 0


def _show_warning(message: Any, category: type, *args: Any, **kwargs: Any) -> None:
    from accord.budget import CostWarning
    from accord.cli.render import err, plain

    label = "note: " if issubclass(category, CostWarning) else f"warning ({category.__name__}): "
    err().print(plain(label + str(message), "yellow"), soft_wrap=True)


def _error_text(exc: Any) -> str:
    """The error's message, led by the flag its field came from (``--runs: ...``)."""
    from accord.cli.options import flag_for

    text = str(exc)
    flag = flag_for(getattr(exc, "field", "") or "")
    if flag and not text.startswith(flag.split(" ")[0]):
        text = f"{flag}: {text}"
    return text


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
    text = exc.format_message().replace("Value error, ", "")  # pydantic's prefix, via Typer
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        text += f" (see `{ctx.command_path} --help`)"
    return text


__all__ = ["app", "main", "plot_app"]
