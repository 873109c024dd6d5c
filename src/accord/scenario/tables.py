"""The plain one-issue table: ``actor,capability,position,salience``, one actor a row.

This is the shape of the classic expected-utility data sets (Bueno de Mesquita's EC car emissions,
Scholz et al.'s examples). Conventions (documented in docs/scenario-format.md):

* a header row is required; its four names are matched case-insensitively, in any order;
* blank lines are skipped; lines starting with ``#`` are comments, except ``# key: value``
  directives for what a row cannot say: ``id``, ``title``, ``issue`` (the issue's id),
  ``issue_name``, ``status_quo``, ``scale`` (two numbers, ``low high``) and ``salience_scale``
  (``1`` or ``100``);
* scale: 0–100, unless a position lies outside it, then the lowest to the highest position;
* status quo: the middle of the scale unless given;
* salience: read as 0–1 (and multiplied by 100) when no salience exceeds 1, else as 0–100;
* actor ids: the actor's name in lower case with runs of other characters turned into ``-``.

:func:`read_table` returns raw scenario data, a map of raw paths to (line, column) for every cell,
and problems only the table can see (bad header, ragged rows); types and meaning are checked by
:mod:`accord.scenario.validate` like any other scenario.
"""

from __future__ import annotations

import csv
import difflib
import math
import re
from typing import Any

from accord.errors import Problem

COLUMNS = ("actor", "capability", "position", "salience")
DIRECTIVES = ("id", "title", "issue", "issue_name", "status_quo", "scale", "salience_scale")
_DIRECTIVE = re.compile(r"^#\s*([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")


def slug(text: str) -> str:
    """An id from a name: ``"United States"`` -> ``"united-states"``."""
    return re.sub(r"[\W_]+", "-", text.strip().lower()).strip("-")


class CellError(ValueError):
    """A line the csv module cannot read (a cell over its size limit, a NUL byte)."""


def _cells(line: str) -> list[tuple[str, int]]:
    """The cells of one CSV line with the 1-based column where each starts (:class:`CellError`
    when the csv module refuses the line)."""
    try:
        row = next(csv.reader([line]), [])
    except csv.Error as exc:
        raise CellError(str(exc)) from None
    starts, col, quoted = [1], 1, False
    for ch in line:
        col += 1
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            starts.append(col)
    out = []
    for k, cell in enumerate(row):
        start = starts[k] if k < len(starts) else 1
        raw = line[start - 1 :]
        start += len(raw) - len(raw.lstrip())  # point at the value, not the spaces before it
        out.append((cell.strip(), start))
    while out and out[-1][0] == "":  # KTAB-style trailing commas
        out.pop()
    return out


def _number(text: str) -> float | str:
    """A float if the cell is one (an infinite one too, for the type check to report at its
    cell); otherwise the text, for the type check to report."""
    try:
        return float(text)
    except (ValueError, OverflowError):
        return text


def _finite(x: Any) -> bool:
    return isinstance(x, float) and math.isfinite(x)


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def looks_plain(text: str) -> bool:
    """Whether a CSV is a plain table (a header naming ``actor``, or a headerless 4-column table),
    as opposed to a KTAB actor table (whose first line names the scenario)."""
    for line in text.splitlines():
        if not line.strip() or _is_comment(line):
            continue
        try:
            cells = [c.lower() for c, _ in _cells(line)]
        except CellError:
            return True  # the plain reader says what is wrong with the line
        if "actor" in cells and "description" not in cells:
            return True
        return len(cells) == 4 and all(isinstance(_number(c), float) for c in cells[1:])
    return True


def read_table(
    text: str, *, name: str = "table"
) -> tuple[dict, dict[tuple[str, ...], tuple[int, int]], list[Problem]]:
    """Read a plain table into raw scenario data (see the module docs for the conventions)."""
    problems: list[Problem] = []
    pos: dict[tuple[str, ...], tuple[int, int]] = {(): (1, 1)}
    directives: dict[str, tuple[str, int]] = {}
    header: dict[str, int] | None = None
    order: list[str] = []
    rows: list[tuple[int, list[tuple[str, int]]]] = []

    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if _is_comment(line):
            m = _DIRECTIVE.match(line.strip())
            if m:
                key = m.group(1).lower()
                if key in DIRECTIVES:
                    directives[key] = (m.group(2), n)
                else:
                    close = difflib.get_close_matches(key, DIRECTIVES, n=1, cutoff=0.75)
                    if close:
                        problems.append(
                            Problem(
                                f"unknown directive `{key}`",
                                path=key,
                                line=n,
                                column=1,
                                hint=f"did you mean `# {close[0]}: ...`? directives: "
                                + ", ".join(DIRECTIVES),
                            )
                        )
            continue
        try:
            cells = _cells(line)
        except CellError as exc:
            problems.append(
                Problem(
                    f"this line cannot be read as CSV ({exc})",
                    line=n,
                    column=1,
                    hint="a cell holds at most 131,072 characters and no NUL byte; check the quotes",
                )
            )
            continue
        if header is None:
            names = [c.lower() for c, _ in cells]
            if (
                "actor" not in names
                and len(cells) == 4
                and all(isinstance(_number(c), float) for c, _ in cells[1:])
            ):
                problems.append(
                    Problem(
                        "the table has no header row",
                        line=n,
                        column=1,
                        hint="add a first line `actor,capability,position,salience`",
                    )
                )
                return {}, pos, problems
            header = {}
            for cell, col in cells:
                low = cell.lower()
                if low in COLUMNS and low not in header:
                    header[low] = col
                else:
                    problems.append(
                        Problem(
                            f"unknown or repeated column `{cell}`",
                            path="header",
                            line=n,
                            column=col,
                            hint="the plain table has exactly the columns "
                            + ",".join(COLUMNS)
                            + "; for several issues use a YAML scenario or a KTAB actor table",
                        )
                    )
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                problems.append(
                    Problem(
                        "missing column" + ("s " if len(missing) > 1 else " ") + ", ".join(missing),
                        path="header",
                        line=n,
                        column=1,
                        hint="the header must name " + ",".join(COLUMNS) + " (any order)",
                    )
                )
            pos[("actors",)] = (n, 1)
            pos[("issues",)] = (n, 1)
            order = [c.lower() for c, _ in cells]
            continue
        rows.append((n, cells))
    if header is None:
        problems.append(
            Problem(
                "the table is empty",
                line=1,
                column=1,
                hint="write a header `actor,capability,position,salience` and one row per actor",
            )
        )
        return {}, pos, problems
    if any(p.path == "header" for p in problems):
        return {}, pos, problems

    col_of = {c: order.index(c) for c in COLUMNS}
    values: list[dict[str, tuple[Any, int]]] = []
    for n, cells in rows:
        if len(cells) != len(order):
            label = cells[col_of["actor"]][0] if len(cells) > col_of["actor"] else ""
            problems.append(
                Problem(
                    f"row has {len(cells)} cell{'s' if len(cells) != 1 else ''}, the header has {len(order)}",
                    path=f"actors.{slug(label)}" if label else "",
                    line=n,
                    column=1,
                    hint="each row is " + ",".join(order) + "; quote a name that contains a comma",
                )
            )
            continue
        values.append({c: cells[col_of[c]] for c in COLUMNS} | {"_line": (n, 1)})

    # -- the conventions ------------------------------------------------------------------------
    issue_id = slug(directives.get("issue", ("", 0))[0]) or "issue"
    # the conventions read the finite numbers; the others are reported at their cells
    positions = [p for p in (_number(v["position"][0]) for v in values) if _finite(p)]
    saliences = [s for s in (_number(v["salience"][0]) for v in values) if _finite(s)]

    low, high = 0.0, 100.0
    if "scale" in directives:
        text_, line = directives["scale"]
        ends = [_number(x) for x in re.split(r"[\s,;]+", text_) if x]
        if len(ends) == 2 and all(isinstance(e, float) for e in ends) and ends[0] < ends[1]:
            low, high = ends  # type: ignore[assignment]
        else:
            problems.append(
                Problem(
                    f"`# scale: {text_}` is not two increasing numbers",
                    path="scale",
                    line=line,
                    column=1,
                    hint="write e.g. `# scale: 0 100`",
                )
            )
    elif positions and (min(positions) < 0 or max(positions) > 100):
        low, high = min(positions), max(positions)
        if low == high:
            low, high = low - 1, high + 1

    sal_factor = 100.0 if saliences and max(saliences) <= 1 else 1.0
    if "salience_scale" in directives:
        text_, line = directives["salience_scale"]
        if text_ in ("1", "1.0", "0-1"):
            sal_factor = 100.0
        elif text_ in ("100", "100.0", "0-100"):
            sal_factor = 1.0
        else:
            problems.append(
                Problem(
                    f"`# salience_scale: {text_}` must be 1 or 100",
                    path="salience_scale",
                    line=line,
                    column=1,
                    hint="1 means saliences are 0–1, 100 means 0–100",
                )
            )

    status_quo: Any = (low + high) / 2
    if "status_quo" in directives:
        text_, line = directives["status_quo"]
        status_quo = _number(text_)
        pos[("issues", "0", "status_quo")] = (line, 1)

    actors = []
    for k, v in enumerate(values):
        label, col = v["actor"]
        ident = slug(label) or f"actor-{k + 1}"
        sal = _number(v["salience"][0])
        if isinstance(sal, float):
            sal = round(sal * sal_factor, 10)
        actors.append(
            {
                "id": ident,
                "name": label or ident,
                "capability": _number(v["capability"][0]),
                "stances": {issue_id: {"position": _number(v["position"][0]), "salience": sal}},
            }
        )
        line = v["_line"][0]
        base = ("actors", str(k))
        pos[base] = (line, 1)
        pos[(*base, "id")] = pos[(*base, "name")] = (line, col)
        pos[(*base, "capability")] = (line, v["capability"][1])
        pos[(*base, "stances")] = pos[(*base, "stances", issue_id)] = (line, v["position"][1])
        pos[(*base, "stances", issue_id, "position")] = (line, v["position"][1])
        pos[(*base, "stances", issue_id, "salience")] = (line, v["salience"][1])

    def directive(key: str, default: str) -> str:
        return directives[key][0] if key in directives else default

    for key in ("id", "title"):
        if key in directives:
            pos[(key,)] = (directives[key][1], 1)
    data = {
        "id": directive("id", slug(name) or "table"),
        "title": directive("title", f"{name} (plain table)"),
        "issues": [
            {
                "id": issue_id,
                "name": directive("issue_name", issue_id),
                "scale": {low: "lowest position", high: "highest position"},
                "status_quo": status_quo,
            }
        ],
        "actors": actors,
    }
    return data, pos, problems
