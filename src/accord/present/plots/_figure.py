"""Shared plumbing for the static charts: a figure on the Agg canvas, and saving it.

Charts use matplotlib's object API (``Figure`` + ``FigureCanvasAgg``), never ``pyplot``: no global
backend switch, no GUI, nothing done at import time (matplotlib itself is imported inside the
functions). PNG or SVG is chosen by the file's extension.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

from accord.errors import ParameterError
from accord.runs.output import IMAGE_SUFFIXES, check_output_path, write_output

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FORMATS = ("png", "svg")
#: PNG resolution: a figure of w × h inches is (w·DPI) × (h·DPI) pixels
DPI = 100

from accord.present.colours import STATUS_COLOURS  # noqa: E402, F401  (re-exported for the charts)


def new_figure(width: float, height: float) -> Figure:
    """A blank ``width × height``-inch figure attached to an Agg canvas, whose texts are shown
    literally (:func:`literal`) whenever it is laid out or drawn."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = _literal_figure()(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


_classes: dict[str, type] = {}


def _literal_figure() -> type:
    """A Figure that makes its texts literal before anything measures or draws them (matplotlib
    is imported only here, on first use)."""
    if "figure" not in _classes:
        from matplotlib.figure import Figure

        class LiteralFigure(Figure):
            def tight_layout(self, *args, **kwargs):
                literal(self)
                return super().tight_layout(*args, **kwargs)

            def get_tightbbox(self, *args, **kwargs):
                literal(self)
                return super().get_tightbbox(*args, **kwargs)

            def draw(self, renderer):
                literal(self)
                return super().draw(renderer)

        _classes["figure"] = LiteralFigure
    return _classes["figure"]


def figure_legend(fig: Figure, max_columns: int) -> int:
    """One legend at the foot of the figure for the entries of all its panels (each label once);
    returns how many entries it has."""
    handles: dict[str, object] = {}
    for ax in fig.axes:
        for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
            handles.setdefault(lab, h)
    fig.legend(
        list(handles.values()),
        list(handles),
        loc="lower center",
        ncol=max(1, min(len(handles), max_columns)),
        fontsize=8,
        frameon=False,
    )
    return len(handles)


def image_format(path: str | Path) -> str:
    """``"png"`` or ``"svg"`` from the file's extension, once :func:`check_output_path` has found
    that the file can be written there; :class:`ParameterError` otherwise."""
    return check_output_path(path, IMAGE_SUFFIXES).suffix.lower().lstrip(".")


def save(fig: Figure, path: str | Path) -> Path:
    """Write ``fig`` to ``path`` (PNG or SVG by extension) and return the path.

    A path that cannot be written (wrong extension, missing folder, a folder, no permission, a
    failed write) raises :class:`ParameterError` naming it.
    """
    return write_output(path, render(fig, image_format(path)))


def literal(fig: Figure) -> None:
    """Every text in ``fig`` shown as the text it is: never parsed as mathtext (a ``$`` in an
    actor's name would be, and ``$\\frac$`` raised an error) and without control characters."""
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        text.set_parse_math(False)
        shown = text.get_text()
        if _CONTROL.search(shown):
            text.set_text(_CONTROL.sub("", shown))


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def render(fig: Figure, fmt: str = "svg") -> bytes:
    """The figure as PNG or SVG bytes (SVG text as paths, so no font is needed to view it); its
    texts literal (:func:`literal`)."""
    if fmt not in FORMATS:
        raise ParameterError(f"unknown image format {fmt!r}", hint="use png or svg")
    import matplotlib

    literal(fig)
    buf = io.BytesIO()
    # no creation date, fixed hash salt: the same chart gives the same bytes
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "accord"}):
        fig.savefig(
            buf,
            format=fmt,
            dpi=DPI,
            metadata={"Date": None} if fmt == "svg" else {"Software": None},
        )
    return buf.getvalue()
