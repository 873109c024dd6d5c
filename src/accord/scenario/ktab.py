"""Reading KTAB Spatial Model of Politics inputs (CSV and XML) as accord scenarios.

KTAB (KAPSARC Toolkit for Behavioral Analysis, MIT licence; formats read in lsyaseen/KTAB
``examples/smp/libsrc/smpread.cpp`` and the examples in ``examples/smp/doc/``):

* **CSV** — line 1: scenario name, description, number of actors, number of dimensions (more,
  empty, fields are allowed); line 2: a header ``Actor, Description, Power, <dim> Position,
  <dim> Salience, …``; then one line per actor: ``name, description, power, position₁,
  salience₁, …``. Positions and saliences are on 0–100; an actor's saliences sum to at most 100.
* **XML** — ``<Scenario>`` with ``name``, ``desc``, ``prngSeed``, optional ``ModelParameters``
  (the model switches), ``Dimensions/dName``, ``Actors/Actor`` (``name``, ``description``,
  ``capability``, ``Position/dCoord``, ``Salience/dSal``) and optional ``IdealAdjustment``.

Mapping to accord: each dimension becomes an :class:`~accord.scenario.types.Issue` with scale
``{0: …, 100: …}``; KTAB has no status quo, so ``status_quo`` is the scale midpoint **50** (SMP does
not use it; other models do — set it by hand where it matters). Each actor keeps its KTAB name as
``id``, its description as ``name``, KTAB power as ``capability``, and its 0–100 saliences unchanged
(``to_arrays`` divides by 100, which is exactly KTAB's scaling).

Every problem found is reported at once as a :class:`~accord.errors.ScenarioError` whose
:class:`~accord.errors.Problem` entries name the file, line, column and a hint.

>>> import pathlib, tempfile
>>> text = "Toy,A toy,3,1\\nActor,Desc,Power,X Position,X Salience\\n" \\
...        "a,,10,20,50\\nb,,10,50,50\\nc,,10,80,50\\n"
>>> path = pathlib.Path(tempfile.mkdtemp()) / "toy.csv"
>>> _ = path.write_text(text)
>>> sc = read_ktab_csv(path)
>>> [a.id for a in sc.actors], sc.issues[0].status_quo
(['a', 'b', 'c'], 50.0)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from pydantic import ValidationError

from accord.budget import MAX_ACTORS, MAX_ISSUES
from accord.errors import Problem, ScenarioError
from accord.numbers import MAX_CAPABILITY, shown
from accord.numbers import number as _number
from accord.scenario.load import read_bytes
from accord.scenario.types import Actor, Issue, Scenario, Stance

#: the status quo given to every imported issue (KTAB has none)
DEFAULT_STATUS_QUO = 50.0
_SCALE = {0.0: "0 on the KTAB scale", 100.0: "100 on the KTAB scale"}
_SAL_TOL = 1e-9  # rounding slack on "saliences sum to at most 100"


# -- helpers ------------------------------------------------------------------------------------


def _slug(text: str, fallback: str) -> str:
    s = re.sub(r"[^0-9a-zA-Z]+", "_", text.strip()).strip("_").lower()
    return s or fallback


def _unique(ids: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i in ids:
        if i in seen:
            seen[i] += 1
            out.append(f"{i}_{seen[i]}")
        else:
            seen[i] = 1
            out.append(i)
    return out


def _split_fields(line: str) -> list[tuple[str, int]]:
    """Split one CSV line on commas, honouring double quotes; each field is stripped and paired with
    the 1-based column where it starts."""
    out: list[tuple[str, int]] = []
    i, n = 0, len(line)
    while True:
        while i < n and line[i] in " \t":
            i += 1
        start = i
        if i < n and line[i] == '"':
            i += 1
            buf = []
            while i < n:
                if line[i] == '"':
                    if i + 1 < n and line[i + 1] == '"':
                        buf.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                buf.append(line[i])
                i += 1
            text = "".join(buf)
            while i < n and line[i] != ",":
                text += line[i]
                i += 1
            text = text.strip()
        else:
            j = line.find(",", i)
            j = n if j < 0 else j
            text = line[i:j].strip()
            i = j
        out.append((text, start + 1))
        if i >= n:
            break
        i += 1  # skip the comma
        if i == n:
            out.append(("", i + 1))
            break
    return out


def _trim(fields: list[tuple[str, int]]) -> list[tuple[str, int]]:
    while fields and fields[-1][0] == "":
        fields = fields[:-1]
    return fields


@dataclass
class _Actor:
    name: str
    desc: str
    power: float
    pos: list[float]
    sal: list[float]
    line: int | None = None


@dataclass
class _Collected:
    problems: list[Problem] = field(default_factory=list)

    def add(
        self,
        message: str,
        *,
        file: str,
        line: int | None,
        column: int | None = None,
        hint: str = "",
        path: str = "",
    ) -> None:
        self.problems.append(
            Problem(message, path=path, file=file, line=line, column=column, hint=hint)
        )


def _check_actor_values(
    col: _Collected,
    fname: str,
    line: int | None,
    name: str,
    power: float | None,
    pos: list[float | None],
    sal: list[float | None],
    cols: dict[str, int | None],
    dims: list[str],
) -> None:
    """Range checks shared by both formats (KTAB ``csvRead``: 0 ≤ position, salience ≤ 100,
    Σ salience ≤ 100, power ≥ 0)."""
    if power is not None and not 0 <= power <= MAX_CAPABILITY:
        col.add(
            f"actor {name!r}: power {power:g} is "
            + ("negative" if power < 0 else f"more than {MAX_CAPABILITY:g}"),
            file=fname,
            line=line,
            column=cols.get("power"),
            hint=f"capability (power) must be from 0 to {MAX_CAPABILITY:g}; only ratios matter",
        )
    for k, v in enumerate(pos):
        if v is not None and not (0.0 <= v <= 100.0):
            col.add(
                f"actor {name!r}: position {v:g} on {dims[k]!r} is outside 0–100",
                file=fname,
                line=line,
                column=cols.get(f"pos{k}"),
                hint="KTAB positions are on a 0–100 scale",
            )
    for k, v in enumerate(sal):
        if v is not None and not (0.0 <= v <= 100.0):
            col.add(
                f"actor {name!r}: salience {v:g} on {dims[k]!r} is outside 0–100",
                file=fname,
                line=line,
                column=cols.get(f"sal{k}"),
                hint="KTAB saliences are on a 0–100 scale",
            )
    if all(v is not None for v in sal):
        try:
            total = math.fsum(sal)  # type: ignore[arg-type]
        except OverflowError:  # saliences near 1e308 are reported above; their sum is too
            total = math.inf
        if total > 100.0 + _SAL_TOL:
            col.add(
                f"actor {name!r}: saliences sum to {total:g}, more than 100",
                file=fname,
                line=line,
                column=cols.get("sal0"),
                hint="KTAB treats an actor's saliences as shares of its attention: scale them so they sum to at most 100",
            )


def _build(
    fname: str,
    scen_name: str,
    scen_desc: str,
    dims: list[str],
    actors: list[_Actor],
    notes: list[str],
    source_line: int | None,
    models: dict[str, dict[str, str]] | None = None,
) -> Scenario:
    issue_ids = _unique([_slug(d, f"dim{k}") for k, d in enumerate(dims)])
    issues = [
        Issue(
            id=iid,
            name=d or iid,
            description=f"KTAB dimension {k} ({d})",
            scale=dict(_SCALE),
            status_quo=DEFAULT_STATUS_QUO,
        )
        for k, (iid, d) in enumerate(zip(issue_ids, dims, strict=True))
    ]
    recs = [
        Actor(
            id=a.name,
            name=a.desc or a.name,
            kind="other",
            capability=a.power,
            stances={
                iid: Stance(position=a.pos[k], salience=a.sal[k]) for k, iid in enumerate(issue_ids)
            },
        )
        for a in actors
    ]
    stem = Path(fname).stem
    notes = [
        f"Imported from the KTAB file {Path(fname).name}. KTAB has no status quo: every issue's "
        f"status_quo is the scale midpoint {DEFAULT_STATUS_QUO:g}.",
        *notes,
    ]
    try:
        return Scenario(
            id=_slug(scen_name, _slug(stem, "ktab")),
            title=scen_name or stem,
            description=scen_desc,
            issues=issues,
            actors=recs,
            models=models or {},
            notes=notes,
        )
    except ValidationError as exc:  # pragma: no cover - the checks above should catch everything
        raise ScenarioError(
            [
                Problem(e["msg"], path=".".join(map(str, e["loc"])), file=fname, line=source_line)
                for e in exc.errors()
            ],
            source=fname,
        ) from None


def _read_text(path: Path) -> str:
    fname = str(path)
    data = read_bytes(path, fname)  # size-limited, like every scenario file
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise ScenarioError(
                [
                    Problem(
                        "the file is not UTF-8 text",
                        file=fname,
                        line=line,
                        hint="save the CSV as UTF-8",
                    )
                ],
                source=fname,
            ) from None


# -- CSV ----------------------------------------------------------------------------------------


def looks_like_ktab_csv(first_line: str) -> bool:
    """Whether a CSV's first line has KTAB's shape: name, description, #actors, #dimensions."""
    fields = _trim(_split_fields(first_line.lstrip("\ufeff").rstrip("\r\n")))
    if len(fields) < 4:
        return False
    try:
        return int(fields[2][0]) >= 1 and int(fields[3][0]) >= 1
    except ValueError:
        return False


def read_ktab_csv(path: str | Path) -> Scenario:
    """Read a KTAB SMP CSV file (``smpread.cpp`` ``SMPModel::csvRead``) as a :class:`Scenario`.

    Raises :class:`ScenarioError` listing every problem (file, line, column, hint): wrong number
    of columns, a value that is not a number, positions or saliences outside 0–100, saliences summing
    to more than 100, a negative power, duplicate actor names, or a declared number of actors or
    dimensions that the file does not have.
    """
    path = Path(path)
    fname = str(path)
    text = _read_text(path)
    lines = text.splitlines()
    col = _Collected()
    if not lines or not lines[0].strip():
        raise ScenarioError(
            [
                Problem(
                    "the file is empty",
                    file=fname,
                    line=1,
                    hint="line 1 must be: scenario name, description, number of actors, number of dimensions",
                )
            ],
            source=fname,
        )

    head = _trim(_split_fields(lines[0]))
    if len(head) < 4:
        raise ScenarioError(
            [
                Problem(
                    f"line 1 has {len(head)} field(s); KTAB expects: scenario name, description, number of actors, number of dimensions",
                    file=fname,
                    line=1,
                    column=1,
                    hint="e.g. 'MyScenario, My description, 5, 2'",
                )
            ],
            source=fname,
        )
    scen_name, scen_desc = head[0][0], head[1][0]
    counts = []
    for (txt, c), what in ((head[2], "number of actors"), (head[3], "number of dimensions")):
        v = _number(txt)
        if v is None or v != int(v) or v < 1:
            col.add(
                f"the {what} is {shown(txt)}, not a whole number ≥ 1",
                file=fname,
                line=1,
                column=c,
                hint="line 1 must be: scenario name, description, number of actors, number of dimensions",
            )
            counts.append(None)
        else:
            counts.append(int(v))
    for (_, c), what, n, limit in (
        (head[2], "actors", counts[0], MAX_ACTORS),
        (head[3], "dimensions", counts[1], MAX_ISSUES),
    ):
        if n is not None and n > limit:
            col.add(
                f"line 1 declares {n:,} {what}; accord takes at most {limit:,}",
                file=fname,
                line=1,
                column=c,
                hint="check the counts on line 1: name, description, number of actors, number "
                "of dimensions",
            )
    if col.problems:
        raise ScenarioError(col.problems, source=fname)
    n_act, n_dim = counts
    n_cols = 3 + 2 * n_dim
    layout = (
        f"name, description, power, then position and salience for each of the {n_dim} dimension(s)"
    )

    if len(lines) < 2 or not lines[1].strip():
        raise ScenarioError(
            [
                Problem(
                    "line 2 (the column header) is missing",
                    file=fname,
                    line=2,
                    hint="line 2 names the columns: Actor, Description, Power, <dim> Position, <dim> Salience, …",
                )
            ],
            source=fname,
        )
    header = _trim(_split_fields(lines[1]))
    if len(header) != n_cols:
        col.add(
            f"the header has {len(header)} column(s) but line 1 declares {n_dim} dimension(s), i.e. {n_cols} columns",
            file=fname,
            line=2,
            column=header[-1][1] if header else 1,
            hint=f"the columns are {layout}; fix the header or the number of dimensions on line 1",
        )
    dims = []
    for k in range(n_dim):
        idx = 3 + 2 * k
        dims.append(header[idx][0] if idx < len(header) and header[idx][0] else f"Dim{k}")

    actors: list[_Actor] = []
    seen: dict[str, int] = {}
    rows = [(n + 1, ln) for n, ln in enumerate(lines[2:], start=2) if ln.replace(",", "").strip()]
    if len(rows) > MAX_ACTORS:
        col.add(
            f"the file has {len(rows):,} actor rows; accord takes at most {MAX_ACTORS:,}",
            file=fname,
            line=rows[MAX_ACTORS][0],
            hint="use fewer actors",
        )
        raise ScenarioError(col.problems, source=fname)
    for line_no, ln in rows:
        fields = _trim(_split_fields(ln))
        if len(fields) != n_cols:
            col.add(
                f"this row has {len(fields)} value(s), expected {n_cols}",
                file=fname,
                line=line_no,
                column=fields[min(len(fields), n_cols) - 1][1] if fields else 1,
                hint=f"each actor row is: {layout}",
            )
            continue
        name, desc = fields[0][0], fields[1][0]
        if not name:
            col.add(
                "the actor name is empty",
                file=fname,
                line=line_no,
                column=fields[0][1],
                hint="give every actor a short name in the first column",
            )
        elif name in seen:
            col.add(
                f"actor {name!r} appears twice (first on line {seen[name]})",
                file=fname,
                line=line_no,
                column=fields[0][1],
                hint="actor names must be unique",
            )
        else:
            seen[name] = line_no
        values: list[float | None] = []
        for k in range(2, n_cols):
            txt, c = fields[k]
            v = _number(txt)
            if v is None:
                what = "power" if k == 2 else ("position" if k % 2 == 1 else "salience")
                dim = "" if k == 2 else f" on {dims[(k - 3) // 2]!r}"
                col.add(
                    f"the {what}{dim} is {shown(txt)}, not a number",
                    file=fname,
                    line=line_no,
                    column=c,
                    hint="write a plain number such as 42.5 (dot as the decimal point)",
                )
            values.append(v)
        power = values[0]
        pos = values[1::2]
        sal = values[2::2]
        cols = {"power": fields[2][1]}
        cols.update({f"pos{k}": fields[3 + 2 * k][1] for k in range(n_dim)})
        cols.update({f"sal{k}": fields[4 + 2 * k][1] for k in range(n_dim)})
        _check_actor_values(col, fname, line_no, name, power, pos, sal, cols, dims)
        if power is not None and None not in pos and None not in sal:
            actors.append(_Actor(name, desc, power, pos, sal, line_no))  # type: ignore[arg-type]

    if len(rows) != n_act:
        col.add(
            f"line 1 declares {n_act} actor(s) but the file has {len(rows)} actor row(s)",
            file=fname,
            line=1,
            column=head[2][1],
            hint="fix the number of actors on line 1, or add/remove actor rows",
        )
    if col.problems:
        raise ScenarioError(col.problems, source=fname)
    return _build(fname, scen_name, scen_desc, dims, actors, [], 1)


# -- XML ----------------------------------------------------------------------------------------


@dataclass
class _Node:
    tag: str
    line: int
    column: int
    children: list[_Node] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)  # expat hands text over in pieces

    @property
    def text(self) -> str:
        if len(self.parts) > 1:
            self.parts[:] = ["".join(self.parts)]  # joined once: appending stays linear
        return self.parts[0] if self.parts else ""

    def find(self, tag: str) -> _Node | None:
        return next((c for c in self.children if c.tag == tag), None)

    def findall(self, tag: str) -> list[_Node]:
        return [c for c in self.children if c.tag == tag]


def _parse_xml(data: bytes, fname: str) -> _Node:
    parser = expat.ParserCreate()
    stack: list[_Node] = []
    root: list[_Node] = []

    def start(tag: str, attrs: dict) -> None:
        node = _Node(tag, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
        if stack:
            stack[-1].children.append(node)
        else:
            root.append(node)
        stack.append(node)

    def end(tag: str) -> None:
        stack.pop()

    def chars(text: str) -> None:
        if stack:
            stack[-1].parts.append(text)

    def doctype(*args: Any) -> None:
        # KTAB files carry no DTD; refusing one rules out entity expansion attacks
        raise ValueError("DTD")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = doctype
    try:
        parser.Parse(data, True)
    except (LookupError, UnicodeError) as exc:  # an encoding Python does not know, or bytes in it
        raise ScenarioError(
            [
                Problem(
                    f"the XML declares an encoding that cannot be read ({exc})",
                    file=fname,
                    line=1,
                    column=1,
                    hint='save the file as UTF-8 with <?xml version="1.0" encoding="UTF-8"?>',
                )
            ],
            source=fname,
        ) from None
    except expat.ExpatError as exc:
        raise ScenarioError(
            [
                Problem(
                    f"not well-formed XML: {expat.errors.messages[exc.code]}",
                    file=fname,
                    line=exc.lineno,
                    column=exc.offset + 1,
                    hint="check the tags around this place",
                )
            ],
            source=fname,
        ) from None
    except ValueError as exc:
        if str(exc) != "DTD":  # e.g. a multi-byte encoding expat cannot take from Python
            raise ScenarioError(
                [
                    Problem(
                        f"the XML cannot be read: {exc}",
                        file=fname,
                        line=parser.CurrentLineNumber,
                        hint='save the file as UTF-8 with <?xml version="1.0" encoding="UTF-8"?>',
                    )
                ],
                source=fname,
            ) from None
        raise ScenarioError(
            [
                Problem(
                    "the XML has a document type declaration (DTD)",
                    file=fname,
                    line=parser.CurrentLineNumber,
                    hint="KTAB scenario files have none; remove the <!DOCTYPE …> part",
                )
            ],
            source=fname,
        ) from None
    return root[0]


def read_ktab_xml(path: str | Path) -> Scenario:
    """Read a KTAB SMP XML scenario (``smpread.cpp`` ``SMPModel::xmlRead``).

    The model switches found in ``<ModelParameters>`` become the scenario's settings for SMP
    (``scenario.models["smp"]``, keyed by :class:`accord.models.smp.SMP` setting names, e.g.
    ``{"pce_model": "MarkovIncentive"}``), so a forecast of the file runs with them; absent
    switches keep their defaults. The PRNG seed and any
    ``<IdealAdjustment>`` (not modelled: ideals follow positions) are recorded in the scenario's
    notes. An empty ``<dCoord>`` is an error (KTAB silently reads it as 0).
    """
    from accord.models.smp import KTAB_SWITCHES, SMP

    path = Path(path)
    fname = str(path)
    data = read_bytes(path, fname)  # size-limited, like every scenario file
    root = _parse_xml(data, fname)
    col = _Collected()

    def add(msg: str, node: _Node | None, hint: str = "", **kw: Any) -> None:
        col.add(
            msg,
            file=fname,
            line=node.line if node else None,
            column=node.column if node else None,
            hint=hint,
            **kw,
        )

    if root.tag != "Scenario":
        add(
            f"the root element is <{root.tag}>, expected <Scenario>",
            root,
            "a KTAB scenario file starts with <Scenario>",
        )
        raise ScenarioError(col.problems, source=fname)
    name_el, desc_el = root.find("name"), root.find("desc")
    scen_name = name_el.text.strip() if name_el is not None else ""
    scen_desc = desc_el.text.strip() if desc_el is not None else ""
    notes: list[str] = []
    seed_el = root.find("prngSeed")
    if seed_el is not None and seed_el.text.strip():
        notes.append(f"KTAB prngSeed {seed_el.text.strip()} (used by KTAB's stochastic runs only).")

    switches: dict[str, str] = {}
    mp = root.find("ModelParameters")
    if mp is not None:
        for child in mp.children:
            key = KTAB_SWITCHES.get(child.tag)
            if key is None:
                add(
                    f"unknown model parameter <{child.tag}>",
                    child,
                    "known: " + ", ".join(KTAB_SWITCHES),
                )
                continue
            value = child.text.strip()
            allowed = SMP.choices[key]
            if value not in allowed:
                add(
                    f"<{child.tag}> is {shown(value)}",
                    child,
                    "choose one of: " + ", ".join(allowed),
                )
                continue
            switches[key] = value

    dims: list[str] = []
    dims_el = root.find("Dimensions")
    if dims_el is None or not dims_el.findall("dName"):
        add(
            "no <Dimensions> with at least one <dName>",
            dims_el or root,
            "list each dimension as <dName>…</dName>",
        )
    else:
        dims = [d.text.strip() or f"Dim{k}" for k, d in enumerate(dims_el.findall("dName"))]
    n_dim = len(dims)

    actors: list[_Actor] = []
    acts_el = root.find("Actors")
    actor_nodes = acts_el.findall("Actor") if acts_el is not None else []
    for what, nodes, n, limit in (
        ("dimensions", dims_el, n_dim, MAX_ISSUES),
        ("actors", acts_el, len(actor_nodes), MAX_ACTORS),
    ):
        if n > limit:
            add(f"the file has {n:,} {what}; accord takes at most {limit:,}", nodes, "use fewer")
    if col.problems:
        raise ScenarioError(col.problems, source=fname)
    if not actor_nodes:
        add(
            "no <Actors> with at least one <Actor>",
            acts_el or root,
            "describe each actor in an <Actor> element",
        )
    seen: dict[str, int] = {}
    for a in actor_nodes:
        nm = a.find("name")
        name = nm.text.strip() if nm is not None else ""
        if not name:
            add("an actor has no <name>", a, "give every actor a short name")
        elif name in seen:
            add(
                f"actor {name!r} appears twice (first on line {seen[name]})",
                nm,
                "actor names must be unique",
            )
        else:
            seen[name] = a.line
        de = a.find("description")
        desc = de.text.strip() if de is not None else ""
        cap_el = a.find("capability")
        power = None
        if cap_el is None:
            add(f"actor {name!r} has no <capability>", a, "add <capability>number</capability>")
        else:
            power = _number(cap_el.text.strip())
            if power is None:
                add(
                    f"actor {name!r}: capability {shown(cap_el.text.strip())} is not a number",
                    cap_el,
                    "write a plain number",
                )
        vals: dict[str, list[float | None]] = {}
        for group, item, what in (
            ("Position", "dCoord", "position"),
            ("Salience", "dSal", "salience"),
        ):
            g = a.find(group)
            items = g.findall(item) if g is not None else []
            if len(items) != n_dim:
                add(
                    f"actor {name!r} has {len(items)} <{item}> value(s) for {n_dim} dimension(s)",
                    g or a,
                    f"give one <{item}> per dimension, in the order of <Dimensions>",
                )
                vals[what] = [None] * n_dim
                continue
            row: list[float | None] = []
            for k, it in enumerate(items):
                txt = it.text.strip()
                v = _number(txt)
                if v is None:
                    hint = (
                        "KTAB silently reads an empty value as 0; write the number you mean"
                        if not txt
                        else "write a plain number such as 42.5"
                    )
                    add(
                        f"actor {name!r}: {what} on {dims[k]!r} is {shown(txt)}, not a number",
                        it,
                        hint,
                    )
                row.append(v)
            vals[what] = row
        pos, sal = vals["position"], vals["salience"]
        _check_actor_values(col, fname, a.line, name, power, pos, sal, {}, dims)
        if power is not None and None not in pos and None not in sal and name:
            actors.append(_Actor(name, desc, power, pos, sal, a.line))  # type: ignore[arg-type]

    ia = root.find("IdealAdjustment")
    if ia is not None:
        pairs = []
        for pair in ia.findall("iaPair"):
            parts = {
                t: (pair.find(t).text.strip() if pair.find(t) is not None else "")
                for t in ("adjustingIdeal", "referencePos", "adjust")
            }
            for t in ("adjustingIdeal", "referencePos"):
                if parts[t] not in seen:
                    add(
                        f"<{t}> names {parts[t]!r}, which is not an actor",
                        pair,
                        "use an actor's <name>",
                    )
            v = _number(parts["adjust"])
            if v is None or not (0.0 <= v <= 1.0):
                add(
                    f"<adjust> is {shown(parts['adjust'])}, not a number in 0–1",
                    pair,
                    "an adjustment rate lies in [0, 1]",
                )
            pairs.append(f"{parts['adjustingIdeal']}←{parts['referencePos']}: {parts['adjust']}")
        if pairs:
            notes.append(
                "KTAB IdealAdjustment (" + "; ".join(pairs) + ") is not modelled by accord's SMP: "
                "ideals follow positions, as with KTAB's identity accommodation matrix."
            )
    if col.problems:
        raise ScenarioError(col.problems, source=fname)
    models = {"smp": switches} if switches else {}
    return _build(fname, scen_name, scen_desc, dims, actors, notes, root.line, models)
