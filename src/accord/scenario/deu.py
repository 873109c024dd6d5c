"""Reading DEU-format files (Decision-making in the European Union) as backtest cases.

The file is one row per issue × actor with the columns ``issue_id, proposal_id, proposal_name,
procedure (COD | CNS), council_vote_rule (QMV | Unan), actor (com, ep, or a member state's
two-letter code), position, salience (0–100, may be empty), reference_point (may be empty),
outcome (0–100, empty when not known)`` — the layout of the development split
``shared/reference/deu/deu_issues_dev.csv`` (DEU I–III: Thomson et al. 2006, 2012; Arregui &
Perarnaud 2022, doi:10.34810/data53). Any file with these columns can be read, so other splits
can be scored.

Each issue becomes one :class:`~accord.scenario.case.Case`: a one-issue scenario (every listed
actor a stakeholder holding its stance, the status quo from the reference point), its outcome, its
proposal as its group (issues of one proposal are not independent), and its procedure, rule and
treaty period as tags. How capabilities and the status quo are set is chosen by
:class:`DeuOptions`:

- ``capability``: ``nice`` (default: every member state its Nice-treaty votes, whatever the
  period — the convention of issue #10's baseline table), ``period`` (the votes of the treaty
  period the proposal was decided in, :mod:`accord.scenario.eu`), or ``shapley_shubik`` /
  ``banzhaf`` (each member's exact power index in that period's qualified-majority game; under
  unanimity every member has the same power, 1/n). The period is inferred per proposal from the
  member states present and the year in its id (``d00032``: a 2000 proposal) — an inference, the
  file has no dates.
- ``commission_weight`` / ``parliament_weight``: the Commission's and the Parliament's capability
  as a multiple of the mean capability of the issue's member states (default 1: the mean).
- ``institutions``: ``both`` (default: both institutions weigh in on every issue) or ``formal``
  (only where the procedure gives them a formal say: under consultation the Parliament is only
  consulted, capability 0; under co-decision the Commission has no formal role, capability 0 —
  Tsebelis & Garrett 2000, *European Union Politics* 1(1):9–36; the procedural model applies these
  roles in any case).
- ``status_quo``: ``reference`` (the reference point, or 50 where none is given) or ``midpoint``.
- ``missing_salience``: ``50`` (default), ``mean`` (the issue's mean salience) or ``drop`` (leave
  the actor out of the issue).

An issue with an outcome is counted as agreement reached (a decision was taken and coded); one
without is not scored. The scenarios carry the procedural settings (``models: procedural``:
consultation or co-decision, the Council's rule and quota, the Commission as agenda setter, the
Parliament) that :class:`~accord.models.procedural.Procedural`, ``nash`` and ``ensemble`` read.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import os
import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from accord.errors import ParameterError, Problem, ScenarioError
from accord.scenario import eu
from accord.scenario.case import Case, IssueOutcome, Outcome
from accord.scenario.types import Actor, Issue, Scenario, Source, Stance

COLUMNS = (
    "issue_id",
    "proposal_id",
    "proposal_name",
    "procedure",
    "council_vote_rule",
    "actor",
    "position",
    "salience",
    "reference_point",
    "outcome",
)
PROCEDURES = {"COD": "codecision", "CNS": "consultation"}
RULES = {"QMV": "qualified_majority", "UNAN": "unanimity"}
DEU_SOURCE = Source(
    id="deu",
    title="Decision-making in the European Union (DEU I–III): Thomson et al. 2006, 2012; "
    "Arregui & Perarnaud 2022, the DEU III dataset, doi:10.34810/data53",
    note="positions, saliences, reference points and outcomes on 0–100, from expert interviews",
)


#: issue #10's table for the dev split under the default options (nash with its old
#: ``all_deciders`` rule): predictor -> (MAE, median absolute error, % within 10 points). The
#: defaults reproduce it (tests/runs/test_backtest.py, scripts/accuracy.py, bench/).
ISSUE_10_TABLE = {
    "mean": (24.6, 19.7, 29),
    "compromise": (24.2, 18.5, 28),
    "smp": (25.7, 19.9, 29),
    "bdm": (28.4, 25.0, 37),
    "median": (28.5, 20.0, 43),
    "condorcet": (28.5, 20.0, 43),
    "nash": (40.3, 40.0, 27),
    "status_quo": (43.6, 50.0, 25),
}


class DeuOptions(BaseModel):
    """How a DEU file becomes scenarios (see the module docstring)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    capability: Literal["nice", "period", "shapley_shubik", "banzhaf"] = "nice"
    commission_weight: float = Field(1.0, ge=0)
    parliament_weight: float = Field(1.0, ge=0)
    institutions: Literal["both", "formal"] = "both"
    status_quo: Literal["reference", "midpoint"] = "reference"
    missing_salience: Literal["50", "mean", "drop"] = "50"


@dataclass
class DeuCases:
    """The cases read from one DEU file, with what the record says about it."""

    cases: list[Case]
    options: DeuOptions
    file: str
    content_hash: str
    rows: int
    issues: int
    notes: list[str] = field(default_factory=list)

    @property
    def scored(self) -> int:
        return sum(
            1 for c in self.cases if c.outcome.issues[c.scenario.issues[0].id].value is not None
        )


def read_options(options: DeuOptions | Mapping[str, Any] | None) -> DeuOptions:
    if isinstance(options, DeuOptions):
        return options
    try:
        return DeuOptions(**dict(options or {}))
    except ValidationError as exc:
        err = exc.errors()[0]
        key = str(err["loc"][0]) if err["loc"] else ""
        f = DeuOptions.model_fields.get(key)
        choices = typing.get_args(f.annotation) if f is not None else ()
        raise ParameterError(
            f"{key}={err.get('input')!r}: {str(err['msg']).lower()}",
            hint=("one of: " + ", ".join(map(str, choices))) if choices else "",
            field=key,
        ) from None


def _number(text: str, what: str, line: int, label: str, *, lo: float = 0, hi: float = 100):
    text = text.strip()
    if text == "" or text.lower() in ("na", "nan"):
        return None
    try:
        v = float(text)
    except ValueError:
        v = math.nan
    if not math.isfinite(v) or not lo <= v <= hi:
        raise ScenarioError(
            [
                Problem(
                    f"{what} {text!r} is not a number from {lo:g} to {hi:g}",
                    file=label,
                    line=line,
                    hint="DEU positions, saliences, reference points and outcomes are 0–100",
                )
            ],
            source=label,
        )
    return v


@dataclass
class _Issue:
    id: str
    proposal: str
    name: str
    procedure: str
    rule: str
    reference: float | None
    outcome: float | None
    line: int
    actors: list[tuple[str, float, float | None]] = field(default_factory=list)


def _read(text: str, label: str) -> tuple[dict[str, _Issue], int]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ScenarioError(
            [
                Problem(
                    "not a DEU-format file: missing column(s) " + ", ".join(missing),
                    file=label,
                    line=1,
                    hint="the header must name: " + ", ".join(COLUMNS),
                )
            ],
            source=label,
        )
    issues: dict[str, _Issue] = {}
    n = 0
    for n, row in enumerate(reader, start=1):
        line = n + 1
        iid = (row["issue_id"] or "").strip()
        code = (row["actor"] or "").strip().lower()
        proc = (row["procedure"] or "").strip().upper()
        rule = (row["council_vote_rule"] or "").strip().upper()
        problems = []
        if not iid or re.search(r"[.=\s]", iid):
            problems.append(f"issue_id {iid!r} is empty or has a dot, '=' or a space")
        if proc not in PROCEDURES:
            problems.append(f"procedure {proc!r} is not COD or CNS")
        if rule not in RULES:
            problems.append(f"council_vote_rule {rule!r} is not QMV or Unan")
        if code not in eu.MEMBER_NAMES and code not in eu.INSTITUTION_NAMES:
            problems.append(f"actor {code!r} is not com, ep or a member state's code")
        if problems:
            raise ScenarioError(
                [
                    Problem(p, file=label, line=line, hint="see the columns of the DEU dev split")
                    for p in problems
                ],
                source=label,
            )
        pos = _number(row["position"], "position", line, label)
        if pos is None:
            continue  # an actor with no position holds no stance
        sal = _number(row["salience"], "salience", line, label)
        ref = _number(row["reference_point"], "reference_point", line, label)
        out = _number(row["outcome"], "outcome", line, label)
        issue = issues.get(iid)
        if issue is None:
            issue = issues[iid] = _Issue(
                iid,
                row["proposal_id"].strip() or iid,
                row["proposal_name"].strip(),
                proc,
                rule,
                ref,
                out,
                line,
            )
        elif (proc, rule, ref, out) != (
            issue.procedure,
            issue.rule,
            issue.reference,
            issue.outcome,
        ):
            raise ScenarioError(
                [
                    Problem(
                        f"issue {iid!r}: procedure, rule, reference point or outcome differ from "
                        f"its first row (line {issue.line})",
                        file=label,
                        line=line,
                        hint="every row of an issue repeats the same issue-level values",
                    )
                ],
                source=label,
            )
        if any(a == code for a, _, _ in issue.actors):
            raise ScenarioError(
                [Problem(f"issue {iid!r}: actor {code!r} appears twice", file=label, line=line)],
                source=label,
            )
        issue.actors.append((code, pos, sal))
    return issues, n


def _year(proposal_id: str) -> int | None:
    """``d00032`` -> 2000, ``n98123`` -> 1998 (the COM number's year; an inference)."""
    m = re.match(r"^[a-z](\d\d)", proposal_id)
    if not m:
        return None
    yy = int(m.group(1))
    return 1900 + yy if yy >= 50 else 2000 + yy


def read_deu(
    source: str | os.PathLike, options: DeuOptions | Mapping[str, Any] | None = None
) -> DeuCases:
    """Read a DEU-format CSV file into one case per issue (see the module docstring)."""
    from accord.scenario.load import decode, read_bytes

    opts = read_options(options)
    path = Path(source)
    label = str(source)
    raw = read_bytes(path, label, max_bytes=256 * 2**20)
    text = decode(raw, label)
    issues, rows = _read(text, label)
    members_of: dict[str, set[str]] = {}
    for issue in issues.values():
        members_of.setdefault(issue.proposal, set()).update(
            a for a, _, _ in issue.actors if a in eu.MEMBER_NAMES
        )
    cases = [_case(issue, members_of[issue.proposal], opts) for issue in issues.values()]
    cases = [c for c in cases if c is not None]
    notes = [
        "Commission and Parliament capability: "
        f"{opts.commission_weight:g} and {opts.parliament_weight:g} times the mean of the "
        "issue's member states",
    ]
    if opts.capability != "nice":
        notes.append(
            "treaty periods are inferred per proposal from the member states present and the "
            "year in its id; decisions after 31 Oct 2014 get the EU-28 Nice weights (the Lisbon "
            "double majority needs population figures accord does not have)"
        )
    return DeuCases(
        cases=cases,
        options=opts,
        file=label,
        content_hash="sha256:" + hashlib.sha256(raw).hexdigest(),
        rows=rows,
        issues=len(issues),
        notes=notes,
    )


def _capabilities(members: list[str], period: eu.Period, opts: DeuOptions) -> dict[str, float]:
    if opts.capability == "nice":
        return {m: float(eu.NICE[m]) for m in members}
    if opts.capability == "period":
        weights = eu.COUNCILS[period].weights
        return {m: float(weights[m]) for m in members}
    index = eu.power(period, opts.capability)
    return {m: float(index[m]) for m in members}


def _case(issue: _Issue, proposal_members: set[str], opts: DeuOptions) -> Case | None:
    actors = list(issue.actors)
    known = [s for _, _, s in actors if s is not None]
    if opts.missing_salience == "drop":
        actors = [a for a in actors if a[2] is not None]
    else:
        fill = 50.0 if opts.missing_salience == "50" or not known else sum(known) / len(known)
        actors = [(a, p, fill if s is None else s) for a, p, s in actors]
    if not actors:
        return None
    period = eu.period_of(frozenset(proposal_members), _year(issue.proposal))
    council = eu.COUNCILS[period]
    unanimity = issue.rule == "UNAN"
    members = [a for a, _, _ in actors if a in eu.MEMBER_NAMES]
    if unanimity and opts.capability in ("shapley_shubik", "banzhaf"):
        caps = {m: 1.0 / len(council.weights) for m in members}  # everyone a veto: equal power
    else:
        caps = _capabilities(members, period, opts)
    if caps:
        mean = sum(caps.values()) / len(caps)
    else:
        table = _capabilities(list(council.weights), period, opts)
        mean = sum(table.values()) / len(table)
    formal = opts.institutions == "formal"
    # formal roles: the Parliament is only consulted under CNS; under COD the Commission has no
    # formal say (Tsebelis & Garrett 2000)
    caps[eu.COMMISSION] = (
        0.0 if formal and issue.procedure == "COD" else opts.commission_weight * mean
    )
    caps[eu.PARLIAMENT] = (
        0.0 if formal and issue.procedure == "CNS" else opts.parliament_weight * mean
    )
    sq = 50.0 if opts.status_quo == "midpoint" or issue.reference is None else issue.reference
    codes = {a for a, _, _ in actors}
    procedural: dict[str, Any] = {
        "procedure": PROCEDURES[issue.procedure],
        "voting_rule": RULES[issue.rule],
        "quota": 1.0 if unanimity else council.quota_share,
        "agenda_setter": eu.COMMISSION if eu.COMMISSION in codes else None,
        "parliament": eu.PARLIAMENT if eu.PARLIAMENT in codes else None,
    }
    scenario = Scenario(
        id=issue.id,
        title=f"{issue.name or issue.proposal} ({issue.proposal}), issue {issue.id}",
        sources=[DEU_SOURCE],
        issues=[
            Issue(
                id=issue.id,
                name=f"{issue.name or issue.proposal}: issue {issue.id}",
                scale={0.0: "one end of the DEU issue scale", 100.0: "the other end"},
                status_quo=sq,
            )
        ],
        actors=[
            Actor(
                id=code,
                name=eu.MEMBER_NAMES.get(code) or eu.INSTITUTION_NAMES[code],
                kind="state" if code in eu.MEMBER_NAMES else "organisation",
                capability=caps[code],
                stances={issue.id: Stance(position=pos, salience=sal)},
            )
            for code, pos, sal in actors
        ],
        models={
            "procedural": procedural,
            "ensemble": procedural,
            "nash": {"quota": procedural["quota"]},
        },
    )
    return Case(
        id=issue.id,
        title=scenario.title,
        scenario=scenario,
        group=issue.proposal,
        tags={
            "procedure": issue.procedure,
            "rule": "QMV" if issue.rule == "QMV" else "Unan",
            "period": period,
        },
        outcome=Outcome(
            agreement=True if issue.outcome is not None else None,
            issues={issue.id: IssueOutcome(value=issue.outcome)},
        ),
        sources=[],
    )


__all__ = [
    "COLUMNS",
    "DEU_SOURCE",
    "ISSUE_10_TABLE",
    "DeuCases",
    "DeuOptions",
    "read_deu",
    "read_options",
]
