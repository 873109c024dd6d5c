"""Loading scenarios from built-in ids or files, refusing bad input fast and explaining why.

Formats, by suffix: ``.yaml``/``.yml`` (anything else is read as YAML too), ``.json``, ``.csv``
(a plain table ``actor,capability,position,salience`` — see :mod:`accord.scenario.tables` — or a
KTAB actor table) and ``.xml`` (a KTAB scenario).

Before parsing, a file is refused if it is larger than :data:`MAX_FILE_BYTES` or not UTF-8. YAML
anchors/aliases are allowed, but a document whose aliases would expand it by more than
:data:`MAX_ALIAS_EXPANSION` nodes (a "billion laughs" bomb) or that refers to itself is refused
before anything is built from it, in time linear in the document (milliseconds for a small bomb);
so is one nesting lists and mappings more than :data:`accord.budget.MAX_DEPTH` levels deep (libyaml
would recurse on the C stack). YAML timestamps stay text, so the validator reads dates and says
what is wrong with one (``2026-02-30``); integers take the one checked path of
:mod:`accord.numbers` in YAML and JSON alike. Every problem found (syntax, types, meaning)
is raised at once as a :class:`~accord.errors.ScenarioError` whose problems carry file, line,
column, path and a hint.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import math
import os
import re
import stat
import sys
from collections.abc import Iterator
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml

from accord import numbers
from accord.budget import MAX_DEPTH, too_deep
from accord.checks import optional, whole
from accord.checks import text as text_
from accord.errors import AccordError, Problem, ScenarioError, UnknownNameError
from accord.paths import exists
from accord.scenario import tables
from accord.scenario.types import Scenario
from accord.scenario.validate import Positions, check, check_data

MAX_FILE_BYTES = 10 * 1024 * 1024
"""Largest scenario file read (10 MiB); raise it with ``ACCORD_MAX_SCENARIO_MB`` or ``max_bytes``."""
MAX_ALIAS_EXPANSION = 10_000
"""How many nodes YAML aliases may add to a document when expanded."""
SUFFIXES = (".yaml", ".yml", ".json", ".csv", ".xml")
#: what :func:`load_text` reads (KTAB XML comes only as a file)
TEXT_FORMATS = ("yaml", "yml", "json", "csv")

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: fast


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """YAML as scenarios read it: timestamps stay text (the validator reads dates, and says what is
    wrong with ``2026-02-30``); integers take the checked path (no 5,000-digit ints)."""


def _timestamp_text(loader: Any, node: yaml.ScalarNode) -> str:
    return loader.construct_scalar(node)


def _checked_int(loader: Any, node: yaml.ScalarNode) -> int | float:
    text = loader.construct_scalar(node)
    return numbers.integer_literal(text, lambda t: yaml.SafeLoader.construct_yaml_int(loader, node))


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_text)
_Loader.add_constructor("tag:yaml.org,2002:int", _checked_int)
#: a document whose nesting could exceed this is walked event by event before it is composed
_SAFE_NESTING = 1_000


# --------------------------------------------------------------------------------------------------
# Built-ins
# --------------------------------------------------------------------------------------------------
def _builtin_root() -> Any:
    return resources.files("accord") / "data" / "scenarios"


def builtin_ids() -> list[str]:
    """Ids of the scenarios shipped with accord (``accord/data/scenarios/<id>.yaml``)."""
    return sorted(
        p.name[: -len(".yaml")] for p in _builtin_root().iterdir() if p.name.endswith(".yaml")
    )


_BUILTIN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def builtin_path(scenario_id: str) -> Path:
    """The file of a built-in scenario; :class:`UnknownNameError` lists the built-ins if none.

    Only a plain id names a built-in (letters, digits, ``-``, ``_``): never a path, so no id can
    reach a file outside the package."""
    ok = isinstance(scenario_id, str) and _BUILTIN_ID.match(scenario_id) is not None
    path = Path(str(_builtin_root() / f"{scenario_id}.yaml")) if ok else None
    if path is None or scenario_id not in builtin_ids():
        known = ", ".join(builtin_ids()) or "none"
        raise UnknownNameError(
            f"no built-in scenario {scenario_id!r} and no such file",
            hint=f"built-ins: {known}; or give the path to a scenario file ({', '.join(SUFFIXES)})",
        )
    return path


def _resolve(source: str | Path) -> Path:
    path = Path(source)
    text = str(source)
    named = path.suffix.lower() in SUFFIXES or os.sep in text or "/" in text
    try:
        path.stat()
        return path
    except (FileNotFoundError, NotADirectoryError):
        pass
    except (OSError, ValueError):  # a name too long, say: read_bytes says so
        if named:
            return path
    if named:
        raise ScenarioError(
            [
                Problem(
                    f"no such file: {text}",
                    file=text,
                    hint="check the path; built-in scenarios are named by id: "
                    + (", ".join(builtin_ids()) or "none"),
                )
            ],
            source=text,
        )
    return builtin_path(text)


# --------------------------------------------------------------------------------------------------
# Reading bytes
# --------------------------------------------------------------------------------------------------
#: the largest size limit that can be asked for (1 TiB)
_MAX_LIMIT = 2**40


def _limit(max_bytes: int | None) -> int:
    if max_bytes is not None:
        return min(whole(max_bytes, "max_bytes"), _MAX_LIMIT)
    env = os.environ.get("ACCORD_MAX_SCENARIO_MB")
    if env:
        try:
            mib = float(env)
        except ValueError:
            mib = math.nan
        if not (math.isfinite(mib) and 0 < mib <= 1024 * 1024):
            raise AccordError(
                f"ACCORD_MAX_SCENARIO_MB={env!r} is not a size in MiB",
                hint="set it to a positive number such as 50, or unset it for the 10 MiB default",
            )
        return int(mib * 1024 * 1024)
    return MAX_FILE_BYTES


def _fail(
    file: str,
    message: str,
    hint: str = "",
    line: int | None = None,
    column: int | None = None,
    path: str = "",
) -> ScenarioError:
    return ScenarioError(
        [Problem(message, path=path, file=file, line=line, column=column, hint=hint)], source=file
    )


def read_bytes(path: Path, label: str, max_bytes: int | None = None) -> bytes:
    """The file's bytes, refusing folders, non-regular files and files over the size limit."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise _fail(label, "no such file", "check the path (and the current folder)") from None
    except (OSError, ValueError) as exc:  # a name too long, a NUL byte, a loop of links
        reason = getattr(exc, "strerror", None) or "the system cannot use this name"
        raise _fail(
            label, f"cannot read the file: {reason}", "check the path (and its length)"
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise _fail(label, "this is a folder, not a scenario file", "give the path to a .yaml file")
    if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
        raise _fail(label, "this is not a regular file", "give the path to a scenario file")
    limit = _limit(max_bytes)
    size = info.st_size
    if size > limit:
        raise _fail(
            label,
            f"the file is {size / 2**20:.1f} MiB; scenario files are limited to {limit / 2**20:g} MiB",
            "a scenario this large is probably not one; if it is, set ACCORD_MAX_SCENARIO_MB "
            "to a larger limit (in MiB) and run again",
        )
    try:
        with path.open("rb") as fh:
            raw = _read_upto(fh, limit + 1)  # a file growing under us still stops at the limit
    except OSError as exc:
        raise _fail(
            label,
            f"cannot read the file: {exc.strerror or exc}",
            "check that it exists and that you may read it",
        ) from None
    if len(raw) > limit:
        raise _fail(
            label,
            f"the file is larger than the {limit / 2**20:g} MiB limit",
            "set ACCORD_MAX_SCENARIO_MB to a larger limit (in MiB) if it really is this large",
        )
    return raw


def _read_upto(fh: Any, most: int) -> bytes:
    """At most ``most`` bytes, read in blocks (a buffer of ``most`` bytes is never allocated)."""
    blocks: list[bytes] = []
    got = 0
    while got < most:
        block = fh.read(min(1 << 20, most - got))
        if not block:
            break
        blocks.append(block)
        got += len(block)
    return b"".join(blocks)


def _line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def decode(raw: bytes, label: str) -> str:
    """UTF-8 text (a leading BOM dropped); a ScenarioError saying where the first bad byte is."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail(
            label,
            "the file is UTF-16, not UTF-8",
            "save it as UTF-8 (in Excel: CSV UTF-8)",
            line=1,
            column=1,
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[start : exc.start].decode("utf-8", errors="replace")) + 1
        raise _fail(
            label,
            f"byte 0x{raw[exc.start]:02X} at offset {exc.start} is not UTF-8",
            "save the file as UTF-8 (it is probably Latin-1 or Windows-1252; in Excel: CSV UTF-8)",
            line=line,
            column=column,
        ) from None
    return text.removeprefix("\ufeff")


# --------------------------------------------------------------------------------------------------
# YAML and JSON, with positions
# --------------------------------------------------------------------------------------------------
def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _at(node: yaml.Node | Any) -> dict[str, int]:
    mark = node.start_mark
    return {"line": mark.line + 1, "column": mark.column + 1}


def _too_deep(label: str, node: Any) -> ScenarioError:
    return _fail(
        label,
        f"lists and mappings are nested more than {MAX_DEPTH} levels deep here",
        "a scenario needs about ten levels; remove the extra brackets or indentation",
        **_at(node),
    )


def _check_expansion(root: yaml.Node, label: str) -> None:
    """Refuse alias bombs and self-referring anchors, saying where, in time linear in the composed
    document.

    The composed node graph shares aliased subtrees, so it stays small; its *expanded* size, which
    whatever walks the data later would pay for, is counted here with memoisation, and an alias
    met inside its own anchor (a cycle) is found by the same depth-first walk.
    """
    size: dict[int, int] = {}
    visiting: set[int] = set()
    unique = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            visiting.discard(key)
            total = 1 + sum(size[id(c)] for c in _children(node))
            size[key] = total
            if total - unique > MAX_ALIAS_EXPANSION:
                raise _fail(
                    label,
                    f"YAML aliases expand this document beyond {MAX_ALIAS_EXPANSION:,} extra nodes "
                    "(an alias bomb?)",
                    "write the repeated parts out, or use fewer anchors (&name) and aliases (*name)",
                    **_at(node),
                )
            continue
        if key in size:
            continue
        if key in visiting:
            raise _fail(
                label,
                "a YAML anchor refers to itself (a recursive alias)",
                "an alias (*name) cannot appear inside its own anchor (&name)",
                **_at(node),
            )
        visiting.add(key)
        unique += 1
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node))


def _positions(
    root: yaml.Node, label: str = ""
) -> tuple[dict[tuple[str, ...], tuple[int, int]], list[tuple]]:
    """Map each raw path to (line, column) — of the key for mapping entries — and find duplicate
    keys, which YAML and JSON readers would otherwise resolve silently (the last wins). Nesting
    deeper than :data:`~accord.budget.MAX_DEPTH` is refused here, where it is."""
    pos: dict[tuple[str, ...], tuple[int, int]] = {}
    dups: list[tuple] = []
    stack: list[tuple[tuple[str, ...], yaml.Node, Any]] = [((), root, None)]
    while stack:
        path, node, mark = stack.pop()
        mark = mark or node.start_mark
        pos.setdefault(path, (mark.line + 1, mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            if len(path) >= MAX_DEPTH:
                raise _too_deep(label, node)
            seen: dict[str, Any] = {}
            for k, v in node.value:
                if not isinstance(k, yaml.ScalarNode):
                    continue
                if k.value in seen and k.value != "<<":
                    dups.append(((*path, k.value), k.start_mark, seen[k.value]))
                seen[k.value] = k.start_mark
                stack.append(((*path, k.value), v, k.start_mark))
        elif isinstance(node, yaml.SequenceNode):
            if len(path) >= MAX_DEPTH:
                raise _too_deep(label, node)
            stack.extend(((*path, str(i)), v, None) for i, v in enumerate(node.value))
    return pos, dups


def _yaml_error(exc: yaml.YAMLError, label: str, text: str, kind: str = "YAML") -> ScenarioError:
    mark = getattr(exc, "problem_mark", None)
    line = column = None
    if mark is not None:
        line, column = mark.line + 1, mark.column + 1
    elif isinstance(exc, yaml.reader.ReaderError):
        line, column = _line_col(text, exc.position)
    what = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
    context = getattr(exc, "context", None)
    if "maximum nesting depth" in str(what):  # PyYAML >= 6.0.4 stops at its own depth limit
        return _fail(
            label,
            f"lists and mappings are nested more than {MAX_DEPTH} levels deep here",
            "a scenario needs about ten levels; remove the extra brackets or indentation",
            line=line,
            column=column,
        )
    if context and str(what).startswith("but "):  # "expected X" / "but found Y" reads in order
        message = f"{kind} syntax error: {context}, {what}"
    else:
        message = f"{kind} syntax error: {what}" + (f" ({context})" if context else "")
    hint = "check indentation (spaces, not tabs) and that each `key:` is followed by a space"
    at = mark.index if mark is not None and mark.index is not None else -1
    if "tab" in str(what) or (0 <= at < len(text) and text[at] == "\t"):
        hint = "YAML does not allow tabs for indentation; use spaces"
    elif "single document" in str(what):
        hint = "a scenario file holds one document; remove the extra `---`"
    elif "control characters" in str(what) or "special characters" in str(what):
        hint = "remove the control character (it may be a stray NUL or escape byte)"
    elif "could not determine a constructor" in str(what):
        hint = "tags like !!python/... are not allowed in scenario files"
    return _fail(label, message, hint, line=line, column=column)


_INDENT = re.compile(r"^[ ?-]+", re.MULTILINE)
_NESTERS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSERS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def _guard_nesting(text: str, label: str, kind: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH before libyaml composes the text: its composer recurses
    on the C stack, and a few hundred kilobytes of ``[`` crash the interpreter.

    Nesting needs an opening bracket, or more indentation (or a ``- `` / ``? `` on the line) per
    level, so a text with few brackets and shallow lines cannot nest deeply and is passed at once
    (the walk in :func:`_positions` then enforces the exact limit). Any other text is read event by
    event — a flat loop — up to the first place too deep.
    """
    flow = text.count("[") + text.count("{")
    if flow <= _SAFE_NESTING // 2:
        block = max((len(m) for m in _INDENT.findall(text)), default=0)
        if flow + 2 * block + 2 <= _SAFE_NESTING:
            return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, _NESTERS):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _too_deep(label, event)
            elif isinstance(event, _CLOSERS):
                depth -= 1
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, label, text, kind) from None


def _compose(text: str, label: str, kind: str = "YAML", guard: bool = True) -> yaml.Node | None:
    if guard:
        _guard_nesting(text, label, kind)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, label, text, kind) from None
    return node


def _construct(node: yaml.Node, label: str, text: str) -> Any:
    loader = _Loader("")
    try:
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, label, text) from None
    finally:
        loader.dispose()


_ANCHOR = re.compile(r"&[^\s,\[\]{}]")


def _parse_yaml(text: str, label: str) -> tuple[Any, dict, list[tuple]]:
    node = _compose(text, label)
    if node is None:
        return None, {}, []
    if _ANCHOR.search(text) and "*" in text:  # an anchor and maybe an alias: count what they add
        _check_expansion(node, label)
    pos, dups = _positions(node, label)
    return _construct(node, label, text), pos, dups


def parse_value(text: str, label: str = "<value>") -> Any:
    """One YAML value (a ``--set`` or ``--param`` value) read the scenario reader's way: checked
    integers, dates as text, aliases and nesting bounded. :class:`ScenarioError` for too much
    nesting or aliasing; ``yaml.YAMLError`` for text that is not YAML."""
    _guard_nesting(text, label, "YAML")
    node = yaml.compose(text, Loader=_Loader)
    if node is None:
        return None
    if _ANCHOR.search(text) and "*" in text:
        _check_expansion(node, label)
    _positions(node, label)
    loader = _Loader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


_SURROGATE_ESCAPE = re.compile(r"\\u[dD](?=[0-9a-fA-F]{3})")


def _parse_json(text: str, label: str) -> tuple[Any, dict, list[tuple]]:
    try:
        data = json.loads(text, parse_int=numbers.integer_literal)
    except json.JSONDecodeError as exc:
        raise _fail(
            label,
            f"JSON syntax error: {exc.msg}",
            "check for a missing comma or quote, or a trailing comma before } or ]",
            line=exc.lineno,
            column=exc.colno,
        ) from None
    except RecursionError:
        raise _fail(
            label,
            f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
            "a scenario needs about ten levels; remove the extra brackets",
        ) from None
    # Positions come from composing the same text as YAML (JSON is nearly a subset of it); where
    # that fails, problems still carry their paths, just no lines. json.loads has bounded the
    # nesting (by Python's recursion limit, ~1,000 levels: safe for libyaml), so no guard pass
    # unless that limit was raised far.
    # (tabs become spaces, and \ud8xx escapes \u08xx, which YAML reads: the same columns)
    as_yaml = _SURROGATE_ESCAPE.sub(r"\\u0", text.replace("\t", " "))
    try:
        node = _compose(as_yaml, label, "JSON", guard=sys.getrecursionlimit() > _SAFE_NESTING * 5)
    except ScenarioError as exc:
        if any("nested more than" in p.message for p in exc.problems):
            raise
        return data, {}, []
    if node is None:
        return data, {}, []
    pos, dups = _positions(node, label)
    return data, pos, dups


def _dup_problems(dups: list[tuple], label: str, data: Any, pos: Positions) -> list[Problem]:
    from accord.scenario.validate import Locator

    where = Locator(data, pos, label)
    out = []
    for loc, mark, first in dups:
        p = where.problem(
            loc,
            f"duplicate key `{loc[-1]}` (first at line {first.line + 1}); "
            "the reader would keep only the last",
            "remove or rename one of them",
        )
        out.append(replace(p, line=mark.line + 1, column=mark.column + 1))
    return out


# --------------------------------------------------------------------------------------------------
# KTAB (written in accord.scenario.ktab)
# --------------------------------------------------------------------------------------------------
def _ktab(reader: str, path: Path, label: str) -> Scenario:
    ktab = importlib.import_module("accord.scenario.ktab")  # on demand: only KTAB files need it

    result = getattr(ktab, reader)(path)
    if isinstance(result, Scenario):
        problems = [replace(p, file=label) for p in check(result)]
        if problems:
            raise ScenarioError(problems, source=label)
        return result
    return _finish(result, {}, [], label)


# --------------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------------
def _finish(data: Any, pos: Positions, problems: list[Problem], label: str | None) -> Scenario:
    sc, found = check_data(data, file=label, positions=pos)
    problems = problems + found
    if problems or sc is None:
        raise ScenarioError(problems, source=label)
    return sc


def load_text(
    text: str, *, format: str = "yaml", source: str | None = None, max_bytes: int | None = None
) -> Scenario:
    """Parse and validate a scenario given as text (``format``: ``yaml``, ``json`` or ``csv``).

    Used for files and for scenarios that arrive over HTTP. Raises :class:`ScenarioError`.
    """
    text_(text, "text", field="scenario", hint="a scenario as text; files go to accord.load")
    text_(format, "format", hint="yaml, json or csv")
    optional(source, text_, "source")
    fmt = format.lower().lstrip(".")
    if fmt not in TEXT_FORMATS:
        raise AccordError(
            f"format={format!r} is not one of {', '.join(TEXT_FORMATS)}", field="format"
        )
    label = source or f"<{format}>"
    limit = _limit(max_bytes)
    if len(text) > limit:
        raise _fail(
            label,
            f"the scenario text is over {limit / 2**20:g} MiB",
            "set ACCORD_MAX_SCENARIO_MB to a larger limit (in MiB) if it really is this large",
        )
    with _no_gc():
        return _parse_and_check(text, "yaml" if fmt == "yml" else fmt, source, label)


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects: on a file near the
    size limit it would otherwise rescan them over and over (10x the parse time)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _parse_and_check(text: str, fmt: str, source: str | None, label: str) -> Scenario:
    dups: list[tuple] = []
    pre: list[Problem] = []
    if fmt == "json":
        data, pos, dups = _parse_json(text, label)
    elif fmt == "csv":
        name = Path(source).stem if source else "table"
        data, pos, pre = tables.read_table(text, name=name)
        pre = [replace(p, file=label) for p in pre]
        if not data:
            raise ScenarioError(pre, source=label)
    else:
        data, pos, dups = _parse_yaml(text, label)
    pre += _dup_problems(dups, label, data, pos)
    return _finish(data, pos, pre, label)


def load(
    source: str | os.PathLike,
    *,
    only: Literal["builtin", "path"] | None = None,
    max_bytes: int | None = None,
) -> Scenario:
    """Load and validate a scenario: a built-in id (see :func:`builtin_ids`) or a file path.

    ``only="builtin"`` accepts built-in ids alone and reads no file but the package's own (what a
    server should use for a name that arrives in a request); ``only="path"`` takes a path alone.
    Scenarios that arrive as text are read with :func:`load_text`, never from a path.

    Raises :class:`~accord.errors.ScenarioError` listing every problem (file, line, column, path,
    hint), or :class:`~accord.errors.UnknownNameError` for an unknown built-in id.

    >>> load("us-iran-muscat-2026", only="builtin").id
    'us-iran-muscat-2026'
    """
    if not isinstance(source, (str, os.PathLike)):
        raise AccordError(
            f"a scenario is named by a built-in id or a path, not {type(source).__name__}",
            hint="e.g. accord.load('us-iran-muscat-2026'); text goes to accord.load_text",
            field="scenario",
        )
    if only == "builtin":
        try:
            path = builtin_path(str(source))
        except UnknownNameError:
            raise UnknownNameError(
                f"no built-in scenario {str(source)!r}",
                hint="built-ins: " + (", ".join(builtin_ids()) or "none"),
                field="scenario",
            ) from None
        label = str(source)
    elif only == "path":
        path = Path(source)
        label = str(source)
    elif only is None:
        path = _resolve(source)
        label = str(source) if exists(source) else str(path)
    else:
        raise AccordError(f"only={only!r} is not 'builtin', 'path' or None", field="only")
    raw = read_bytes(path, label, max_bytes)
    suffix = path.suffix.lower()
    if suffix == ".xml":
        return _ktab("read_ktab_xml", path, label)
    text = decode(raw, label)
    if suffix == ".csv":
        if not tables.looks_plain(text):
            return _ktab("read_ktab_csv", path, label)
        return load_text(text, format="csv", source=label, max_bytes=max_bytes)
    fmt = "json" if suffix == ".json" else "yaml"
    return load_text(text, format=fmt, source=label, max_bytes=max_bytes)


def check_file(path: str | Path, *, max_bytes: int | None = None) -> list[Problem]:
    """Every problem of a scenario file (or built-in id); empty when it is valid."""
    if not isinstance(path, (str, os.PathLike)):
        raise AccordError(
            f"a scenario file is named by a path, not {type(path).__name__}", field="scenario"
        )
    _limit(max_bytes)  # a bad limit is the caller's error, not the file's problem
    try:
        load(path, max_bytes=max_bytes)
    except ScenarioError as exc:
        return exc.problems
    except AccordError as exc:
        return [Problem(exc.message, file=str(path), hint=exc.hint)]
    return []


def check_mapping(data: Any, source: str | None = None) -> list[Problem]:
    """Every problem of scenario data already parsed (e.g. a JSON body): a mapping (a list or a
    text is a problem of its own, like in a file); ``source`` names it in the problems."""
    optional(source, text_, "source")
    if too_deep(data):
        return [
            Problem(
                f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
                file=source,
                hint="a scenario needs about ten levels",
            )
        ]
    return check_data(data, file=source)[1]
