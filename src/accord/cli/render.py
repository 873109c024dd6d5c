"""Terminal rendering with Rich: tables that fit, text that is safe.

Two rules hold for everything the CLI prints:

- **Nothing a user needs is cut.** Ids, numbers and intervals never wrap or get an ellipsis; only
  prose wraps, at spaces. A table is printed as it is when it fits the terminal; otherwise its value
  columns are split over several tables (each repeating the key columns); and when even one value
  column does not fit, every row becomes a short block of ``header: value`` lines.
- **Text from a scenario is shown as text.** It is never read as Rich markup, and control
  characters (an ANSI escape in a title, say) are removed before it reaches the terminal.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # Rich loads when something is printed: `accord --help` needs none of it
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

#: characters never written to a terminal: C0 controls but tab and newline, DEL, C1 controls,
#: the bidirectional embedding/override/isolate controls (which can make text display reversed),
#: and lone surrogates (undecodable bytes of a command line; no terminal encoding can take them)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
#: what JSON leaves raw with ensure_ascii=False but a terminal must not see: escaped as \\uXXXX
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
NBSP = "\u00a0"

#: cell styles of accord.present.views -> Rich styles
STYLES = {
    "up": "green",
    "down": "red",
    "flat": "dim",
    "bold": "bold",
    "dim": "dim",
    "agreement": "green",
    "stalemate": "yellow",
    "escalation": "red",
    None: "",
}


def safe(text: object) -> str:
    """``text`` with control characters removed (terminal injection)."""
    return _CONTROL.sub("", str(text))


def json_text(data: object) -> str:
    """``data`` as strict JSON for a terminal: NaN or infinity is an error (never printed), and no
    control character is written raw — JSON escapes C0 controls itself; DEL, C1 controls, line
    separators and lone surrogates are escaped here (the text reads back the same)."""
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def write_json(data: object) -> None:
    """Print ``data`` as JSON on stdout (see :func:`json_text`)."""
    sys.stdout.write(json_text(data) + "\n")


def plain(text: object, style: str | None = None) -> Text:
    """Scenario text as a Rich ``Text``: shown literally, never parsed as markup."""
    from rich.text import Text

    return Text(safe(text), style=STYLES.get(style, style or ""))


_consoles: dict[str, Console] = {}


def consoles(reset: bool = False) -> tuple[Console, Console]:
    """(stdout, stderr) consoles, made once per command run so that ``COLUMNS`` applies."""
    from rich.console import Console

    if reset or not _consoles:
        width = os.environ.get("COLUMNS")
        w = int(width) if width and width.isdigit() and int(width) > 0 else None
        _consoles["out"] = Console(highlight=False, width=w, soft_wrap=False)
        _consoles["err"] = Console(stderr=True, highlight=False, width=w)
    return _consoles["out"], _consoles["err"]


def reset_consoles() -> None:
    """Forget the consoles: the next print makes new ones (a new command run)."""
    _consoles.clear()


def out() -> Console:
    return consoles()[0]


def err() -> Console:
    return consoles()[1]


# -- grids ----------------------------------------------------------------------------------------

Kind = Literal["key", "id", "number", "text"]


@dataclass
class Column:
    """A column: ``key`` columns (a row's name) repeat in every part of a split table; ``id`` and
    ``number`` cells never wrap; ``text`` wraps at spaces."""

    header: str
    kind: Kind = "text"

    @property
    def right(self) -> bool:
        return self.kind == "number"


@dataclass
class Grid:
    """A table to print: columns, rows of cells (text or ``Text``), optional row styles."""

    title: str
    columns: list[Column]
    rows: list[list[str | Text]] = field(default_factory=list)
    row_styles: list[str | None] = field(default_factory=list)

    def add(self, *cells: str | Text, style: str | None = None) -> None:
        self.rows.append(list(cells))
        self.row_styles.append(style)


def _cell(value: str | Text) -> Text:
    from rich.text import Text

    return value if isinstance(value, Text) else plain(value)


def _wraps(grid: Grid, j: int) -> bool:
    c = grid.columns[j]
    return c.kind == "text" or (c.kind == "key" and j == 0)


def _widths(grid: Grid, cols: Sequence[int], width: int) -> list[int] | None:
    """Content widths for ``cols`` so the table fits ``width`` with no cell cut: cells that never
    wrap get their full width, wrapping ones at least their longest word and the rest shared out;
    None when that is impossible."""
    from rich.cells import cell_len

    lines: dict[int, list[str]] = {
        j: [safe(grid.columns[j].header)] + [_cell(row[j]).plain for row in grid.rows] for j in cols
    }
    full = {j: max((cell_len(x) for x in v), default=0) for j, v in lines.items()}
    least = {
        j: (
            max((cell_len(w) for x in v for w in x.split()), default=0)
            if _wraps(grid, j)
            else full[j]
        )
        for j, v in lines.items()
    }
    overhead = 3 * len(cols) + 1  # one space each side of a cell, and the box lines
    spare = width - overhead - sum(least.values())
    if spare < 0:
        return None
    wanted = {j: full[j] - least[j] for j in cols if _wraps(grid, j)}
    total = sum(wanted.values())
    out = dict(least)
    if total <= spare:
        for j in wanted:
            out[j] = full[j]
    else:
        for j, w in wanted.items():
            out[j] = least[j] + (spare * w) // total
    return [max(out[j], 1) for j in cols]


def _table(grid: Grid, cols: Sequence[int], title: str, widths: Sequence[int]) -> Table:
    from rich.table import Table

    # the title is printed above the table (see show), so a narrow table does not squeeze it
    t = Table(title=None)
    for j, w in zip(cols, widths, strict=True):
        c = grid.columns[j]
        t.add_column(
            plain(c.header),
            justify="right" if c.right else "left",
            no_wrap=not _wraps(grid, j),
            width=w,
        )
    for row, style in zip(grid.rows, grid.row_styles or [None] * len(grid.rows), strict=False):
        t.add_row(*(_cell(row[j]) for j in cols), style=STYLES.get(style, style or ""))
    return t


def fits(console: Console, table: Table) -> bool:
    """Whether ``table`` can be printed within the console's width without cutting a cell."""
    from rich.measure import Measurement

    return Measurement.get(console, console.options, table).minimum <= console.width


def show(grid: Grid, console: Console | None = None) -> None:
    """Print ``grid`` whole: as one table, split into parts, or as blocks (see module docstring)."""
    console = console or out()
    width = console.width
    keys = [j for j, c in enumerate(grid.columns) if c.kind == "key"]
    values = [j for j, c in enumerate(grid.columns) if c.kind != "key"]
    whole = _widths(grid, keys + values, width)
    if whole is not None:
        _title(grid.title, console)
        console.print(_table(grid, keys + values, grid.title, whole))
        return
    # split the value columns into as few parts as fit
    parts: list[list[int]] = []
    current: list[int] = []
    for j in values:
        if current and _widths(grid, keys + current + [j], width) is None:
            parts.append(current)
            current = [j]
        else:
            current.append(j)
    if current:
        parts.append(current)
    # as even as the greedy count allows: 4 + 3 rather than 6 + 1
    k = len(parts)
    size = -(-len(values) // k)
    even = [values[i : i + size] for i in range(0, len(values), size)]
    if len(even) == k and all(_widths(grid, keys + part, width) is not None for part in even):
        parts = even
    sized = [_widths(grid, keys + part, width) for part in parts]
    if len(parts) > 1 and all(w is not None for w in sized):
        for n, (part, w) in enumerate(zip(parts, sized, strict=True), 1):
            title = f"{grid.title} ({n} of {len(parts)})" if grid.title else ""
            _title(title, console)
            console.print(_table(grid, keys + part, title, w))  # type: ignore[arg-type]
        return
    blocks(grid, console)


def _title(title: str, console: Console) -> None:
    if title:
        prose(title, console, style="bold")


def wrap(text: str, width: int, indent: int = 0, hang: int = 0) -> list[str]:
    """``text`` in lines of at most ``width`` terminal cells (wide scripts count double), broken
    at spaces only — a word (an id, a number, a value glued with non-breaking spaces) is never
    split; one longer than the line stands alone on its own."""
    from rich.cells import cell_len

    words = safe(text).split(" ")
    lines: list[str] = []
    line, used = " " * indent, indent
    first = True
    for word in words:
        if not word:
            continue
        w = cell_len(word)
        if not first and used + 1 + w > width:
            lines.append(line)
            line, used = " " * (indent + hang) + word, indent + hang + w
        else:
            line += ("" if first else " ") + word
            used += (0 if first else 1) + w
        first = False
    lines.append(line)
    return [x.replace(NBSP, " ") for x in lines]


def blocks(grid: Grid, console: Console | None = None) -> None:
    """Every row as a block: its key cells on one line, then ``header: value`` pairs, wrapped
    between words; an id or a number is never split, and a header stays with its value."""
    from rich.cells import cell_len
    from rich.text import Text

    console = console or out()
    width = max(console.width, 20)
    _title(grid.title, console)
    keys = [j for j, c in enumerate(grid.columns) if c.kind == "key"]
    values = [j for j, c in enumerate(grid.columns) if c.kind != "key"]
    for row, style in zip(grid.rows, grid.row_styles or [None] * len(grid.rows), strict=False):
        head = " · ".join(_cell(row[j]).plain for j in keys) or "—"
        prose(head, console, style=style or "bold", hang=2)
        pairs = []
        for j in values:
            v = safe(_cell(row[j]).plain)
            if not v:
                continue
            header = safe(grid.columns[j].header).replace(" ", NBSP)
            if grid.columns[j].kind == "text":  # prose wraps; the header holds on to its first word
                first, _, rest = v.partition(" ")
                glue = NBSP if cell_len(header) + cell_len(first) + 4 < width else " "
                pairs.append(f"{header}:{glue}{first}" + (f" {rest}" if rest else ""))
            else:  # an id or a number stays whole, with its header where both fit on a line
                value = v.replace(" ", NBSP)
                glue = NBSP if cell_len(header) + cell_len(value) + 4 < width else " "
                pairs.append(f"{header}:{glue}{value}")
        for line in wrap(";  ".join(pairs), width, indent=2, hang=2):
            console.print(Text(line), soft_wrap=True)


def prose(
    text: str,
    console: Console | None = None,
    style: str | None = None,
    indent: int = 0,
    hang: int = 0,
) -> None:
    """A paragraph wrapped at spaces to the terminal (ids and numbers stay whole): the first line
    indented by ``indent``, the others by ``indent + hang``."""
    from rich.text import Text

    console = console or out()
    for line in wrap(text, max(console.width, 20), indent, hang):
        console.print(Text(line, style=STYLES.get(style, style or "")), soft_wrap=True)


__all__ = [
    "Column",
    "Grid",
    "blocks",
    "consoles",
    "err",
    "fits",
    "json_text",
    "out",
    "plain",
    "prose",
    "reset_consoles",
    "safe",
    "show",
    "wrap",
    "write_json",
]
