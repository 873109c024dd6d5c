"""Case files: a real negotiation with its known outcome, for backtests (``accord backtest cases``).

A case file (YAML or JSON) holds a scenario — inline, or named: a built-in id or a path relative to
the case file — and what really happened, with sources::

    id: ec-car-emissions-1987
    title: EC car-emission standards, settled in 1987
    scenario: ec-car-emissions          # or ./my-scenario.yaml, or the scenario itself, inline
    group: ec-car-emissions             # cases of one group are resampled together (optional)
    tags: {rule: unanimity}             # for breakdowns (optional)
    outcome:
      agreement: true                   # was agreement reached? (true / false / null = unknown)
      status: agreement                 # optional detail: agreement, stalemate or escalation
      date: 1987-12-03
      issues:
        delay:
          value: null                   # the outcome on the issue's scale; null = not known
          note: why it is what it is
          evidence: [{source: hansard1987, quote: "...", note: "..."}]
      evidence: [{source: hansard1987, note: "adopted on 3 December 1987"}]
    sources:
      - {id: hansard1987, title: ..., url: ...}
    notes: [...]

Evidence may cite the case's own sources or the scenario's. ``accord validate`` checks a case file
like a scenario — every problem with its file, line and path — and the loaded :class:`Case` holds
the scenario itself, so :func:`dump_case` writes a self-contained file that loads back equal.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Mapping
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, ValidationError

from accord.errors import AccordError, Problem, ScenarioError, UnknownNameError
from accord.scenario.types import Evidence, Record, Scenario, Source
from accord.scenario.validate import Locator, check_data, did_you_mean

_load = importlib.import_module("accord.scenario.load")  # the module (the package exports load())

#: the keys that make a file a case file rather than a scenario
CASE_KEYS = ("outcome", "scenario")


class IssueOutcome(Record):
    """What an issue came to, on its own scale; ``value`` None when it is not known."""

    value: float | None = None
    note: str = ""
    evidence: list[Evidence] = Field(default_factory=list)


class Outcome(Record):
    """What really happened: whether agreement was reached and where each issue landed."""

    agreement: bool | None = Field(None, description="was agreement reached? None: not known")
    status: Literal["agreement", "stalemate", "escalation"] | None = None
    date: dt.date | None = None
    issues: dict[str, IssueOutcome] = Field(default_factory=dict)
    note: str = ""
    evidence: list[Evidence] = Field(default_factory=list)

    @property
    def reached(self) -> bool | None:
        """Whether agreement was reached (from ``agreement``, else from ``status``)."""
        if self.agreement is not None:
            return self.agreement
        return None if self.status is None else self.status == "agreement"

    def value(self, issue: str) -> float | None:
        known = self.issues.get(issue)
        return None if known is None else known.value


class Case(Record):
    """A scenario and its real outcome."""

    id: str
    title: str = ""
    scenario: Scenario
    group: str | None = Field(
        None, description="cases of one group (e.g. the issues of one proposal) are not independent"
    )
    tags: dict[str, str] = Field(default_factory=dict)
    outcome: Outcome
    sources: list[Source] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    @property
    def group_id(self) -> str:
        return self.group or self.id

    def __repr__(self) -> str:
        known = [k for k, v in self.outcome.issues.items() if v.value is not None]
        return (
            f"Case({self.id!r}: scenario {self.scenario.id!r}, agreement "
            f"{self.outcome.reached}, {len(known)} issue outcome(s) known)"
        )

    __str__ = __repr__


# -- built-ins ------------------------------------------------------------------------------------


def _builtin_root() -> Any:
    return resources.files("accord") / "data" / "cases"


def builtin_case_ids() -> list[str]:
    """Ids of the case files shipped with accord (``accord/data/cases/<id>.yaml``)."""
    return sorted(
        p.name[: -len(".yaml")] for p in _builtin_root().iterdir() if p.name.endswith(".yaml")
    )


def builtin_case_path(case_id: str) -> Path:
    if case_id not in builtin_case_ids():
        raise UnknownNameError(
            f"no built-in case {case_id!r} and no such file",
            hint="built-in cases: " + (", ".join(builtin_case_ids()) or "none"),
            field="cases",
        )
    return Path(str(_builtin_root() / f"{case_id}.yaml"))


# -- reading --------------------------------------------------------------------------------------

_PLACEHOLDER = Scenario(
    id="placeholder",
    title="placeholder",
    issues=[{"id": "i", "name": "i", "scale": {0: "0", 100: "100"}, "status_quo": 50}],
    actors=[],
)


def _parse(path: Path, label: str) -> tuple[Any, dict, list[Problem]]:
    raw = _load.read_bytes(path, label)
    text = _load.decode(raw, label)
    if path.suffix.lower() == ".json":
        data, pos, dups = _load._parse_json(text, label)
    else:
        data, pos, dups = _load._parse_yaml(text, label)
    return data, pos, _load._dup_problems(dups, label, data, pos)


def is_case_file(path: str | Path) -> bool:
    """Whether ``path`` holds a case file (a mapping with ``outcome`` and ``scenario``) rather
    than a scenario; False for anything that cannot be read as one."""
    path = Path(path)
    if path.suffix.lower() not in (".yaml", ".yml", ".json") or not path.is_file():
        return False
    try:
        data, _, _ = _parse(path, str(path))
    except AccordError:
        return False
    return isinstance(data, Mapping) and all(k in data for k in CASE_KEYS)


def _type_problems(exc: ValidationError, where: Locator) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        if loc[:1] == ("scenario",):
            continue  # the scenario is checked on its own
        name = str(loc[-1]) if loc else "case"
        if err["type"] == "extra_forbidden":
            out.append(
                where.problem(loc, f"unknown key `{name}`", "remove it or check its spelling")
            )
        elif err["type"] == "missing":
            out.append(where.problem(loc, f"missing required field `{name}`", f"add `{name}: ...`"))
        else:
            msg = str(err["msg"]).removeprefix("Value error, ")
            got = err.get("input")
            shown = "" if isinstance(got, (dict, list)) or got is None else f" (got {got!r})"
            out.append(where.problem(loc, f"`{name}`: {msg}{shown}"))
    return out


def _scenario(
    ref: Any, base: Path | None, label: str, pos: Mapping, where: Locator
) -> tuple[Scenario | None, list[Problem]]:
    """The case's scenario: inline (checked here, its problems under ``scenario.``), or named."""
    if isinstance(ref, Mapping):
        sub = {k[1:]: v for k, v in pos.items() if k[:1] == ("scenario",)}
        sc, problems = check_data(ref, file=label, positions=sub)
        problems = [
            replace(p, path="scenario." + p.path if p.path else "scenario") for p in problems
        ]
        return (sc if not problems else None), problems
    if not isinstance(ref, str) or not ref.strip():
        return None, [
            where.problem(
                ("scenario",),
                "`scenario` must be a built-in id, a path to a scenario file or a scenario",
                "e.g. `scenario: ec-car-emissions` or `scenario: ./my-scenario.yaml`",
            )
        ]
    looks_like_path = "/" in ref or Path(ref).suffix.lower() in _load.SUFFIXES
    try:
        if looks_like_path:
            target = Path(ref) if base is None or Path(ref).is_absolute() else base / ref
            return _load.load(target, only="path"), []
        return _load.load(ref, only="builtin"), []
    except ScenarioError as exc:
        return None, exc.problems
    except AccordError as exc:
        return None, [where.problem(("scenario",), exc.message, exc.hint)]


def _meaning(case: Case, where: Locator, complete: bool = True) -> list[Problem]:
    """What types cannot say: outcomes name the scenario's issues and lie on their scales,
    evidence cites known sources, the outcome says something."""
    out = []
    sc = case.scenario
    issues = {i.id: i for i in sc.issues}
    known_sources = {s.id for s in case.sources} | {s.id for s in sc.sources}
    seen: set[str] = set()
    for k, s in enumerate(case.sources):
        if s.id in seen or s.id in {t.id for t in sc.sources}:
            out.append(
                where.problem(("sources", k, "id"), f"duplicate source id {s.id!r}", "rename it")
            )
        seen.add(s.id)

    def cite(loc: tuple, evidence: list[Evidence]) -> None:
        for j, e in enumerate(evidence):
            if e.source not in known_sources:
                out.append(
                    where.problem(
                        (*loc, "evidence", j, "source"),
                        f"evidence cites unknown source {e.source!r}",
                        "known sources: " + (", ".join(sorted(known_sources)) or "none"),
                    )
                )

    o = case.outcome
    cite(("outcome",), o.evidence)
    for issue_id, io in o.issues.items():
        loc = ("outcome", "issues", issue_id)
        issue = issues.get(issue_id)
        if issue is None:
            out.append(
                where.problem(
                    loc,
                    f"the scenario has no issue {issue_id!r}",
                    did_you_mean(issue_id, issues) + "its issues: " + ", ".join(issues),
                )
            )
            continue
        if io.value is not None and not (issue.low <= io.value <= issue.high):
            out.append(
                where.problem(
                    (*loc, "value"),
                    f"value {io.value:g} is off the issue's scale [{issue.low:g}, {issue.high:g}]",
                    "give the outcome on the scenario's own scale",
                )
            )
        cite(loc, io.evidence)
    if not complete:  # a salvaged case: its agreement and status did not type
        return out
    if (
        o.agreement is not None
        and o.status is not None
        and o.agreement != (o.status == "agreement")
    ):
        out.append(
            where.problem(
                ("outcome", "status"),
                f"status {o.status!r} contradicts agreement: {str(o.agreement).lower()}",
                "agreement is true exactly when the status is agreement",
            )
        )
    if o.reached is None and all(v.value is None for v in o.issues.values()):
        out.append(
            where.problem(
                ("outcome",),
                "the outcome gives neither whether agreement was reached nor any issue's value",
                "a case needs something known to score against: `agreement: true/false` or an "
                "issue's `value`",
            )
        )
    if not case.id.strip():
        out.append(where.problem(("id",), "empty case id", "give the case a short id"))
    return out


def check_case_data(
    data: Any,
    *,
    file: str | None = None,
    positions: Mapping | None = None,
    base: Path | None = None,
) -> tuple[Case | None, list[Problem]]:
    """Validate parsed case data; the case (if valid) and every problem found."""
    pos = positions or {}
    where = Locator(data, pos, file)
    if not isinstance(data, Mapping):
        return None, [
            where.problem(
                (),
                "a case file must be a mapping of keys to values",
                "keys: " + ", ".join(Case.model_fields),
            )
        ]
    problems: list[Problem] = []
    sc = None
    if "scenario" in data:
        sc, problems = _scenario(data["scenario"], base, file or "<case>", pos, where)
    try:
        case = Case.model_validate({**data, "scenario": sc or _PLACEHOLDER})
    except ValidationError as exc:
        problems += _type_problems(exc, where)
        if sc is not None:  # check the meaning of the parts that typed, too
            problems += _meaning(_salvage(data, sc), where, complete=False)
        return None, problems
    if sc is None:
        return None, problems
    problems += _meaning(case, where)
    return (None if problems else case), problems


def _valid(model: type[Record], value: Any) -> Any:
    try:
        return model.model_validate(value)
    except ValidationError:
        return None


def _salvage(data: Mapping[str, Any], sc: Scenario) -> Case:
    """The parts of a case that pass the type check (the rest left out), to check their meaning."""
    raw = data.get("outcome") if isinstance(data.get("outcome"), Mapping) else {}
    issues = raw.get("issues") if isinstance(raw.get("issues"), Mapping) else {}
    kept = {str(k): v for k, v in ((k, _valid(IssueOutcome, v)) for k, v in issues.items()) if v}
    evidence = raw.get("evidence") if isinstance(raw.get("evidence"), list) else []
    sources = data.get("sources") if isinstance(data.get("sources"), list) else []
    return Case.model_construct(
        id=str(data.get("id", "")),
        scenario=sc,
        outcome=Outcome.model_construct(
            agreement=None,
            status=None,
            issues=kept,
            evidence=[e for e in (_valid(Evidence, x) for x in evidence) if e is not None],
        ),
        sources=[x for x in (_valid(Source, s) for s in sources) if x is not None],
    )


def load_case(source: str | Path) -> Case:
    """Load and check a case file (or a built-in case id); :class:`ScenarioError` lists every
    problem, with file, line and path."""
    path = Path(source)
    if not path.exists() and "/" not in str(source) and not path.suffix:
        path = builtin_case_path(str(source))
    label = str(source)
    data, pos, pre = _parse(path, label)
    case, problems = check_case_data(data, file=label, positions=pos, base=path.parent)
    problems = pre + problems
    if problems or case is None:
        raise ScenarioError(problems, source=label)
    return case


def check_case_file(path: str | Path) -> list[Problem]:
    """Every problem of a case file; empty when it is valid."""
    try:
        load_case(path)
    except ScenarioError as exc:
        return exc.problems
    except AccordError as exc:
        return [Problem(exc.message, file=str(path), hint=exc.hint)]
    return []


def dump_case(case: Case) -> str:
    """The case as a self-contained YAML case file (its scenario inline) that loads back equal."""
    data = case.model_dump(mode="json", exclude_defaults=True)
    for issue in data["scenario"]["issues"]:  # scale points are numbers, not text, in YAML
        issue["scale"] = {float(k): v for k, v in issue["scale"].items()}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


__all__ = [
    "Case",
    "IssueOutcome",
    "Outcome",
    "builtin_case_ids",
    "builtin_case_path",
    "check_case_data",
    "check_case_file",
    "dump_case",
    "is_case_file",
    "load_case",
]
