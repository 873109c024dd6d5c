"""The project's own fuzzing: seeded inputs for every input format, and the one property every
input must have — it loads (and then forecasts) or it is refused with the project's error
(:class:`~accord.errors.AccordError`), within a time budget; never a traceback, a hang, NaN in the
record or a control character on the terminal.

Formats (:data:`FORMATS`): ``yaml``, ``json``, ``csv`` (the plain table), ``ktab-csv``,
``ktab-xml``, ``set`` (a ``--set PATH=VALUE`` on a built-in scenario), ``param`` (a
``--param MODEL.SETTING=VALUE``) and ``structured`` (a scenario built from random parts, as YAML
or JSON). :func:`make_case` turns ``(seed, index)`` into one input deterministically — a corpus
file mutated one to four times (bytes flipped, spans cut or repeated, tokens that broke readers
before inserted, numbers made extreme), or a random ``--set``/``--param``, or a random scenario —
so a failure is reproduced from its two numbers. :func:`check` runs one case in-process;
``scripts/fuzz.py`` runs thousands in worker processes that can be killed (a hang, a crash of the
interpreter) and records the result; ``tests/test_fuzz.py`` drives the same cases from hypothesis.

The time budget of a case is :data:`BUDGET_SECONDS` of CPU time (not wall time: the machine may be
shared) plus twice what :func:`accord.budget.check_run` estimates for its forecast: a run the budget
announces is not a hang; one that takes far longer than announced is.
"""

from __future__ import annotations

import io
import json
import math
import random
import re
import tempfile
import time
import traceback
import warnings
from collections.abc import Iterable, Sequence
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMATS = ("yaml", "json", "csv", "ktab-csv", "ktab-xml", "set", "param", "structured")
#: seconds one small input may take (the issue's hang threshold)
BUDGET_SECONDS = 2.0
#: what a terminal must never see (tab and newline are text)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

SUFFIX = {
    "yaml": ".yaml",
    "json": ".json",
    "csv": ".csv",
    "ktab-csv": ".csv",
    "ktab-xml": ".xml",
}

#: text that broke a reader, a validator or a renderer once, or could
TOKENS: tuple[str, ...] = (
    "&a ", "*a", "&a [*a]", "<<: *a\n", "!!python/object/apply:os.system ['true']", "!!binary ",
    "!!set ", "? ", "[", "{", "]", "}", "- ", ": ", "\t", "---\n", "...\n", "#", "'", '"', "\\",
    "9" * 5000, "-" + "9" * 400, "1" + "0" * 310, "1e999", "1.0e+999", ".nan", "-.inf", "nan",
    "inf", "NaN", "Infinity", "1e308", "-1e308", "1e-320", "0", "-1", "1000000000", "0x" + "f" * 500,
    "0o777", "1:2:3:4:5", "1_000", "~", "null", "true", "yes", "2026-02-30", "2026-02-06T25:61:00",
    "2026-13-01", "\x1b[31m", "\x1b]0;x\x07", "\x07", "\r", "\x00", "\x7f", "\x9b", "\u202e",
    "\ufeff", "\udcff", "[/]", "[/bold]", "[bold]", "\\ud800", "\\u001b", "&amp;", "&#0;",
    "<!DOCTYPE x [<!ENTITY a 'b'>]>", '<?xml version="1.0" encoding="bogus-enc"?>',
    '<?xml version="1.0" encoding="utf-16"?>', "<dName>x</dName>", "<Actor>", "</Actor>",
    ",", ",,,,", "\n", "\n\n", '"a,b"', "[" * 200, "{a: " * 100, "- " * 300,
)  # fmt: skip

#: text a name or a title may hold
TEXT_TOKENS: tuple[str, ...] = (
    "\x1b[31m", "\x1b]0;x\x07", "\x07", "\r", "\x7f", "\x9b", "\x85", "\u202e", "[/]", "[/bold]",
    "[bold]", "&amp;", "\\", "'", '"', ": ", "- ", "#", "{", "*a", "\n",
)  # fmt: skip

#: values a --set may give
SET_VALUES: tuple[str, ...] = (
    "20", "-5", "1e15", "1e16", "1e308", "9" * 5000, "0.0", "nan", ".nan", ".inf", "true", "null",
    "~", "[20, 35]", "[35, 20]", "[1, 2, 3]", "[" * 3000, "[" * 40 + "]" * 40, "{position: 40, salience: 60}",
    "{a: 1}", "2026-02-30", "2026-02-28", "2026-02-06T25:61:00", "x", "", "[/]", "\x1b[31mred",
    "'quoted'", "&a [*a]", "*a", "!!python/name:os.system", "0x10", "1:30", "a" * 10_000,
)  # fmt: skip

#: how many of one draw's inputs go through the CLI too (every CLI_EVERY-th case)
CLI_EVERY = 25


@dataclass
class Case:
    """One fuzz input: its format, a label (the corpus file or the --set/--param) and its data
    (file bytes, or the argument text)."""

    seed: int
    index: int
    format: str
    label: str
    data: bytes
    scenario: str = ""  # the built-in a --set applies to

    def describe(self) -> str:
        shown = self.data[:120].decode("utf-8", "backslashreplace")
        return f"seed {self.seed} case {self.index} ({self.format}, {self.label}): {shown!r}"


@dataclass
class Outcome:
    """What a case did: ``ok`` (loaded and forecast), ``refused`` (an AccordError, with its
    message), ``crash`` (anything else, with where), and the CPU seconds it took against its
    budget."""

    status: str
    seconds: float
    budget: float
    detail: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def over_budget(self) -> bool:
        return self.seconds > self.budget


# -- the corpus ------------------------------------------------------------------------------------


Seed = tuple[str, bytes, bool]  # name, content, whether it loads as it is


def corpus(paths: Iterable[str | Path] = ()) -> dict[str, list[Seed]]:
    """Seed files per format: the built-in scenarios (YAML, and as JSON) and ``paths`` (files or
    folders; ``.yaml``/``.yml``, ``.json``, ``.csv`` — KTAB or plain by their first line — and
    ``.xml``), each marked with whether it loads unchanged (valid seeds are mutated more often,
    so that mutations reach the models, not only the readers)."""
    raw = _files(paths)
    with tempfile.TemporaryDirectory() as work:
        return {
            fmt: [(n, b, _loads(fmt, b, Path(work))) for n, b in items]
            for fmt, items in raw.items()
        }


def _loads(fmt: str, data: bytes, work: Path) -> bool:
    from accord.errors import AccordError
    from accord.scenario import load

    path = work / f"seed{SUFFIX[fmt]}"
    path.write_bytes(data)
    try:
        load(str(path), only="path")
    except AccordError:
        return False
    return True


def _files(paths: Iterable[str | Path]) -> dict[str, list[tuple[str, bytes]]]:
    from importlib import resources

    from accord.scenario.ktab import looks_like_ktab_csv

    out: dict[str, list[tuple[str, bytes]]] = {f: [] for f in SUFFIX}
    root = resources.files("accord") / "data" / "scenarios"
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            raw = entry.read_bytes()
            out["yaml"].append((entry.name, raw))
            out["json"].append((entry.name[:-5] + ".json", _as_json(raw)))
    files: list[Path] = []
    for p in map(Path, paths):
        files += sorted(p.rglob("*")) if p.is_dir() else [p]
    for f in files:
        if not f.is_file():
            continue
        raw = f.read_bytes()
        suffix = f.suffix.lower()
        if suffix in (".yaml", ".yml"):
            out["yaml"].append((f.name, raw))
        elif suffix == ".json":
            out["json"].append((f.name, raw))
        elif suffix == ".xml":
            out["ktab-xml"].append((f.name, raw))
        elif suffix == ".csv":
            first = raw.decode("utf-8", "replace").splitlines()[:1]
            kind = "ktab-csv" if first and looks_like_ktab_csv(first[0]) else "csv"
            out[kind].append((f.name, raw))
    return out


def _as_json(raw: bytes) -> bytes:
    from accord.scenario import load_text

    return json.dumps(load_text(raw.decode("utf-8")).model_dump(mode="json"), indent=1).encode()


# -- making cases ----------------------------------------------------------------------------------


_NUMBER = re.compile(rb"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
EXTREMES = (b"0", b"-0", b"1e15", b"1e16", b"1e308", b"1e-320", b"-1", b"9" * 400, b"100.0000001")


def mutate(data: bytes, rng: random.Random, times: int, gentle: bool = False) -> bytes:
    """``data`` changed ``times`` times by one of: flip or set a byte, cut a span, repeat a span
    or a line (up to a few thousand times), insert a token, make a number extreme, truncate.
    ``gentle`` only makes numbers extreme, which keeps most files readable, so the forecast is
    fuzzed too."""
    buf = bytearray(data)
    for _ in range(times):
        n = len(buf)
        op = 7 if gentle else rng.randrange(9)
        at = rng.randrange(n + 1)
        if op == 0 and n:  # one byte, anything
            buf[min(at, n - 1)] = rng.randrange(256)
        elif op == 1 and n:  # cut a span
            del buf[at : at + rng.randrange(1, 64)]
        elif op == 2 and n:  # repeat a span
            span = bytes(buf[at : at + rng.randrange(1, 200)])
            buf[at:at] = span * rng.choice((1, 2, 10, 100))
        elif op == 3:  # repeat a whole line, many times (size growth)
            lines = bytes(buf).split(b"\n")
            k = rng.randrange(len(lines))
            lines[k : k + 1] = [lines[k]] * rng.choice((2, 50, 500, 3000))
            buf = bytearray(b"\n".join(lines))
        elif op in (4, 5, 6):  # a token that broke something once
            buf[at:at] = rng.choice(TOKENS).encode("utf-8", "surrogatepass")
        elif op == 7:  # an extreme number in place of one
            found = list(_NUMBER.finditer(bytes(buf)))
            if found:
                m = rng.choice(found)
                buf[m.start() : m.end()] = rng.choice(EXTREMES)
        else:  # truncate
            del buf[at:]
    return bytes(buf)


def make_case(seed: int, index: int, seeds: dict[str, list[Seed]],
              formats: Sequence[str] = FORMATS) -> Case:  # fmt: skip
    """Case ``index`` of the run seeded ``seed``: the same two numbers give the same input."""
    rng = random.Random(f"{seed}:{index}")
    usable = [f for f in formats if f not in SUFFIX or seeds.get(f)]
    fmt = usable[index % len(usable)]  # every format in turn
    if fmt in SUFFIX:
        valid = [x for x in seeds[fmt] if x[2]]
        name, raw, _ = rng.choice(valid if valid and rng.random() < 0.7 else seeds[fmt])
        times = rng.choice((0, 1, 1, 1, 2, 2, 3, 4)) if index >= len(usable) else 0
        return Case(seed, index, fmt, name, mutate(raw, rng, times, gentle=rng.random() < 0.4))
    if fmt == "set":
        sid = rng.choice(("us-iran-muscat-2026", "ec-car-emissions"))
        path = rng.choice(_set_paths(sid))
        value = rng.choice(SET_VALUES) if rng.random() < 0.8 else _random_text(rng)
        return Case(seed, index, fmt, path, f"{path}={value}".encode("utf-8", "surrogatepass"), sid)
    if fmt == "param":
        text = _param(rng)
        return Case(seed, index, fmt, text.split("=")[0], text.encode("utf-8", "surrogatepass"))
    kind = rng.choice(("yaml", "json"))
    return Case(seed, index, "structured", kind, structured(rng, kind))


def _random_text(rng: random.Random) -> str:
    return "".join(
        rng.choice(TOKENS[:40] + ("a", "1", ".", " ")) for _ in range(rng.randrange(1, 6))
    )


_PATHS: dict[str, list[str]] = {}


def _set_paths(sid: str) -> list[str]:
    if sid not in _PATHS:
        from accord.scenario import load
        from accord.scenario.fields import UNCERTAIN

        sc = load(sid, only="builtin")
        a, i = sc.actors[0], sc.issues[0]
        st = next(iter(a.stances))
        paths = [f.path(a.id, st) if f.per_issue else f.path(a.id) for f in UNCERTAIN]
        paths += [f.range_path(a.id, st) if f.per_issue else f.range_path(a.id) for f in UNCERTAIN]
        paths += [
            "title", "as_of", "id", "description", f"actors.{a.id}.name", f"actors.{a.id}.id",
            f"actors.{a.id}.veto", f"actors.{a.id}.role", f"actors.{a.id}.stances.{st}",
            f"actors.{a.id}.stances.{i.id}", f"actors.{a.id}.outside_option",
            f"issues.{i.id}.status_quo", f"issues.{i.id}.scale", f"issues.{i.id}.name",
            f"issues.{i.id}.scale.0", "actors", "issues", "variants", "models", "models.smp",
            f"actors.{a.id}.evidence.[0].note", "actors.nobody.capability", "a..b", ".", "x" * 300,
        ]  # fmt: skip
        _PATHS[sid] = paths
    return _PATHS[sid]


def _param(rng: random.Random) -> str:
    from accord.models import MODELS

    model = rng.choice([*MODELS, "nosuch"])
    settings = list(MODELS[model].defaults) if model in MODELS else ["x"]
    setting = rng.choice([*settings, "nosuch"])
    choices = MODELS[model].choices.get(setting, ()) if model in MODELS else ()
    if rng.random() < 0.5:  # a value the setting takes: the run goes ahead with it
        default = MODELS[model].defaults.get(setting) if model in MODELS else None
        good = [*map(str, choices)] or [str(default), "3", "0.5", "2", "null"]
        return f"{model}.{setting}={rng.choice(good)}"
    pool = [*SET_VALUES, "5", "0", "10000", "10001", "-1", "0.5"]
    return f"{model}.{setting}={rng.choice(pool)}"


NUMBERS: tuple[Any, ...] = (
    0, 1, 50, 100, -1, 0.5, 1e15, 1e16, 1e308, -1e308, 1e-320, 5e-324, math.nan, math.inf,
    10**400, 2**64, True, None, "50", "x", [], {}, [20, 35], [35, 20], "2026-02-30",
)  # fmt: skip


def structured(rng: random.Random, kind: str = "yaml") -> bytes:
    """A scenario made of random parts — numbers from :data:`NUMBERS` now and then, texts with
    control characters and markup, random roles, red lines, ranges, outside options, variants and
    model settings — as YAML or JSON text."""

    def num(good: float) -> Any:
        return rng.choice(NUMBERS) if rng.random() < 0.03 else good

    def key(good: float) -> Any:  # a mapping key: anything hashable
        bad = [x for x in NUMBERS if not isinstance(x, (list, dict))]
        return rng.choice(bad) if rng.random() < 0.03 else good

    def text(base: str) -> str:
        pool = TEXT_TOKENS + (("\udcff", "\ud800") if kind == "json" else ())
        return base + (rng.choice(pool) if rng.random() < 0.3 else "")

    n_i = rng.choice((0, 1, 1, 1, 2, 2, 3, 3, 4))
    n_a = rng.choice((0, 1, 2, 2, 3, 3, 4, 5, 6, 9, 14))
    issues = [
        {
            "id": f"i{k}",
            "name": text(f"Issue {k}"),
            "scale": {key(0): text("low"), key(100): text("high")},
            "status_quo": num(rng.uniform(0, 100)),
        }
        for k in range(n_i)
    ]
    actors = []
    for j in range(n_a):
        stances = {}
        for k in range(n_i):
            if rng.random() < 0.8:
                pos = rng.uniform(0, 100)
                st: dict[str, Any] = {"position": num(pos), "salience": num(rng.uniform(0, 100))}
                if rng.random() < 0.4:
                    st["red_line"] = {rng.choice(("min", "max")): num(rng.uniform(0, 100))}
                if rng.random() < 0.3:
                    st["position_range"] = [num(pos - 5), num(pos + 5)]
                stances[f"i{k}"] = st
        actor: dict[str, Any] = {
            "id": f"a{j}",
            "name": text(f"Actor {j}"),
            "capability": num(rng.uniform(0, 100)),
            "role": rng.choice(("principal", "mediator", "stakeholder")),
            "veto": rng.random() < 0.4,
            "stances": stances,
        }
        if rng.random() < 0.4:
            actor["outside_option"] = {
                "kind": rng.choice(("status_quo", "walk_away", "escalation")),
                "value": num(rng.uniform(0, 100)),
            }
        actors.append(actor)
    data: dict[str, Any] = {
        "id": "fuzz",
        "title": text("A fuzzed scenario"),
        "as_of": rng.choice(("2026-01-15",) * 16 + ("2026-02-30", None, 20260115)),
        "issues": issues,
        "actors": actors,
    }
    if actors and issues and rng.random() < 0.3:
        path = f"actors.a0.stances.i0.{rng.choice(('position', 'salience'))}"
        data["variants"] = [{"id": "v", "rationale": "r", "set": {path: num(50)}}]
    if rng.random() < 0.2:
        data["models"] = {"bdm": {"rounds": num(5)}, "smp": {"max_turns": num(20)}}
    if kind == "json":
        return json.dumps(data, default=str).encode("utf-8", "surrogatepass")
    import yaml

    return yaml.safe_dump(data, allow_unicode=True).encode("utf-8", "surrogatepass")


# -- checking one case ---------------------------------------------------------------------------


def check(case: Case, workdir: str | Path | None = None, *, cli: bool | None = None,
          budget: float = BUDGET_SECONDS) -> Outcome:  # fmt: skip
    """Run ``case`` in-process: load it (or apply the ``--set``/``--param``), forecast it with
    every model (and, for every fourth, a few draws), write the record as strict JSON; and, for
    every :data:`CLI_EVERY`-th case (or when ``cli``), run it through the CLI and check the exit
    code and the output. Never raises."""
    from accord.errors import AccordError

    t0, cpu0 = time.perf_counter(), time.process_time()
    limit = budget
    notes: list[str] = []
    tmp = None
    try:
        if workdir is None:
            tmp = tempfile.TemporaryDirectory()
            workdir = tmp.name
        path = _write(case, Path(workdir))
        status, detail, estimate = "ok", "", 0.0
        try:
            with warnings.catch_warnings(record=True):
                warnings.simplefilter("always")
                estimate = _run(case, path)
        except AccordError as exc:
            problems = getattr(exc, "problems", None)
            status, detail = "refused", (problems[0].message if problems else str(exc))[:300]
        limit = budget + 2 * estimate
        if cli if cli is not None else case.index % CLI_EVERY == 0:
            limit += 3 * (budget + 2 * estimate)  # three more commands
            problem = _cli(case, path)
            if problem:
                status, detail = "crash", problem
        notes.append(f"wall {time.perf_counter() - t0:.3f} s")
        return Outcome(status, time.process_time() - cpu0, limit, detail, notes)
    except Exception as exc:  # noqa: BLE001 - what the fuzzer looks for
        where = traceback.extract_tb(exc.__traceback__)[-3:]
        spot = " <- ".join(f"{Path(f.filename).name}:{f.lineno}" for f in reversed(where))
        what = f"{type(exc).__name__}: {exc}"[:300] + f" at {spot}"
        return Outcome("crash", time.process_time() - cpu0, limit, what)
    finally:
        if tmp is not None:
            tmp.cleanup()


def _write(case: Case, workdir: Path) -> Path | None:
    if case.format in SUFFIX:
        path = workdir / f"case{SUFFIX[case.format]}"
    elif case.format == "structured":
        path = workdir / f"case.{case.label}"
    else:
        return None
    path.write_bytes(case.data)
    return path


def _run(case: Case, path: Path | None) -> float:
    """Load or patch, estimate, forecast, serialise; returns the run's estimated seconds."""
    from accord.budget import check_run
    from accord.cli.render import json_text
    from accord.runs.forecast import forecast
    from accord.runs.options import build_models, model_names, params_from_text
    from accord.scenario import load, parse_assignment, whatif

    text = case.data.decode("utf-8", "surrogateescape")
    params = None
    if case.format == "set":
        sc = load(case.scenario, only="builtin")
        p, _ = parse_assignment(text)
        sc = whatif(sc, {p: text.partition("=")[2].strip()}).scenario
    elif case.format == "param":
        sc = load("ec-car-emissions", only="builtin")
        params = params_from_text([text])
    else:
        sc = load(str(path), only="path")
    names = model_names("all")
    runs = 16 if case.index % 4 == 0 else 1
    models = [m for m, _ in build_models(names, sc, params).values()]
    estimate = check_run(len(sc.actors), len(sc.issues), models, draws=runs).seconds
    fc = forecast(sc, names, params=params, runs=runs, seed=case.index, workers=1)
    json.loads(json_text(fc.to_json()), parse_constant=_no_constant)  # strict: no NaN
    return estimate


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} in the JSON record")


def _cli(case: Case, path: Path | None) -> str:
    """Run the case through ``accord`` (forecast --json, forecast, show); '' when all is well."""
    from accord.cli import main

    text = case.data.decode("utf-8", "surrogateescape")
    if case.format == "set":
        base = [case.scenario, "--set", text]
    elif case.format == "param":
        base = ["ec-car-emissions", "--param", text]
    else:
        base = [str(path)]
    for args in (
        ["forecast", *base, "--json"],
        ["forecast", *base, "-m", "all"],
        ["show", base[0]],
    ):
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main(args)
        shown = out.getvalue() + err.getvalue()
        if code not in (0, 1):
            return f"accord {args[0]} exited {code}: {err.getvalue()[-300:]}"
        if CONTROL.search(shown):
            return f"accord {args[0]} wrote a control character: {CONTROL.search(shown).group()!r}"
        if code == 0 and "--json" in args:
            json.loads(out.getvalue(), parse_constant=_no_constant)
        if code == 1 and "Traceback" in shown:
            return f"accord {args[0]} printed a traceback"
    return ""


__all__ = [
    "BUDGET_SECONDS",
    "FORMATS",
    "Case",
    "Outcome",
    "check",
    "corpus",
    "make_case",
    "mutate",
    "structured",
]
