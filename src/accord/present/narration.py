"""Each dynamic model's run in words, built from its structured account (the record's
``account``: BDM's moves per round, SMP's turns) — never from prose inside the models.

An :class:`Account` has a short ``summary`` (who moved most, where the last round left things)
and the round-by-round ``detail`` (shown with ``--verbose``). It can be told from a run record
(:func:`for_record`: a stored run needs nothing else) or straight from a model's result
(:func:`for_result`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from accord.present.formats import fixed, number


@dataclass(frozen=True)
class Account:
    """A model run told in sentences."""

    title: str
    summary: list[str]
    detail: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    """What a narration needs besides the model's account."""

    actor_ids: Sequence[str]
    issue_ids: Sequence[str]
    names: Mapping[str, str]  # actor id -> display name
    issue_names: Mapping[str, str]
    series: Mapping[str, Sequence[Sequence[float | None]]]  # the point run's [step][issue]
    outcome: Mapping[str, float]  # issue id -> point forecast
    settings: Mapping[str, Any]

    def name(self, actor: str) -> str:
        return self.names.get(actor, actor)

    def issue(self, issue: str) -> str:
        return self.issue_names.get(issue, issue)


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


# -- BDM ------------------------------------------------------------------------------------------

_BDM_VERBS = {
    "conflict": "loses a confrontation to {j} and moves",
    "compromise": "compromises with {j}, moving",
    "capitulation": "capitulates to {j}, moving",
}


def bdm_issue_lines(
    issue_account: Mapping[str, Any],
    median: Sequence[float],
    mean: Sequence[float],
    ctx: Context,
    tolerance: float | None,
    rounds: int,
) -> list[str]:
    """Every round of one issue in the wording of the Scholz-code replication's log (who
    compromises with / loses a confrontation to / capitulates to whom, with the two expected
    utilities that decided it), then each round's median and mean."""
    ran = int(issue_account["rounds_run"])
    moves = issue_account["moves"]
    lines = [f"Start: median {fixed(median[0], 2)}, mean {fixed(mean[0], 2)}"]
    for k in range(1, ran + 1):
        these = [m for m in moves if m["round"] == k]
        if not these:
            lines.append(f"Round {k}: nobody moves")
        for m in these:
            who, other = ctx.name(m["actor"]), ctx.name(m["counterpart"])
            verb = _BDM_VERBS[m["kind"]].format(j=other)
            lines.append(
                f"Round {k}: {who} {verb} from {fixed(m['old_position'], 2)} to "
                f"{fixed(m['new_position'], 2)} (its expected utility of challenging "
                f"{other} {fixed(m['eu_own'], 3)} vs {_possessive(other)} "
                f"{fixed(m['eu_other'], 3)})"
            )
        lines.append(f"Round {k}: median {fixed(median[k], 2)}, mean {fixed(mean[k], 2)}")
    if ran < rounds:
        lines.append(
            f"Stopped after round {ran}: the median moved by at most {tolerance} (forecast "
            f"{fixed(median[ran], 2)})"
        )
    return lines


def _movers(moves: Sequence[Mapping[str, Any]], ctx: Context, top: int = 3) -> str:
    total: dict[str, float] = {}
    count: dict[str, int] = {}
    for m in moves:
        total[m["actor"]] = total.get(m["actor"], 0.0) + abs(m["new_position"] - m["old_position"])
        count[m["actor"]] = count.get(m["actor"], 0) + 1
    ranked = sorted(total, key=lambda a: (-total[a], a))[:top]
    return ", ".join(
        f"{ctx.name(a)} ({count[a]} move{'s' if count[a] != 1 else ''}, {number(total[a])} points)"
        for a in ranked
    )


def bdm(account: Mapping[str, Any], ctx: Context) -> Account:
    rounds = int(ctx.settings.get("rounds", 0))
    tolerance = ctx.settings.get("tolerance")
    median, mean = ctx.series["median"], ctx.series["mean"]
    summary, detail = [], []
    issues = account.get("issues", {})
    for k, issue in enumerate(ctx.issue_ids):
        acc = issues.get(issue)
        if acc is None:
            continue
        med = [row[k] for row in median]
        avg = [row[k] for row in mean]
        ran = int(acc["rounds_run"])
        name = ctx.issue(issue)
        moves = acc["moves"]
        start = f"(start: median {number(med[0])}, mean {number(avg[0])})"
        if moves:
            summary.append(
                f"{name}: {len(moves)} move{'s' if len(moves) != 1 else ''} in {ran} round"
                f"{'s' if ran != 1 else ''}; moved most: {_movers(moves, ctx)}; after round "
                f"{ran}: median {number(med[ran])}, mean {number(avg[ran])} {start}"
            )
        else:
            summary.append(
                f"{name}: nobody moves in {ran} round{'s' if ran != 1 else ''}; median "
                f"{number(med[ran])}, mean {number(avg[ran])}"
            )
        if len(ctx.issue_ids) > 1:
            detail.append(f"Issue {issue}:")
        detail += bdm_issue_lines(acc, med, avg, ctx, tolerance, rounds)
    return Account("how the positions moved, round by round", summary, detail)


# -- SMP ------------------------------------------------------------------------------------------


def smp(account: Mapping[str, Any], ctx: Context) -> Account:
    turns = int(account["turns"])
    positions = account["positions"]  # actor -> issue -> [turn 0 .. turns]
    targets = account["target"]
    detail = [
        "Each turn: who moved, and whom it challenged that turn (an actor also moves when it "
        "accepts a bargain another offers it)"
    ]
    moved_total: dict[str, float] = {a: 0.0 for a in ctx.actor_ids}
    for t in range(1, turns + 1):
        moved = []
        for a in ctx.actor_ids:
            steps = []
            for issue, path in positions.get(a, {}).items():
                old, new = fixed(path[t - 1], 1), fixed(path[t], 1)
                moved_total[a] += abs(path[t] - path[t - 1])
                if old != new:  # only moves that show at this precision
                    steps.append(f"{issue} {old} → {new}")
            if steps:
                j = targets.get(a, [None] * turns)[t - 1]
                why = f" (challenging {ctx.name(j)})" if j is not None else ""
                moved.append(f"  {ctx.name(a)}{why}: " + ", ".join(steps))
        detail.append(f"Turn {t}:" + ("" if moved else " nobody moves"))
        detail += moved
    fractions = account.get("fractional_change") or []
    ratio = fractions[turns - 1] if turns and len(fractions) >= turns else None
    if account.get("stopped_early") and ratio is not None:
        stop = (
            f"Stopped after turn {turns}: positions changed by {fixed(ratio, 3)} of the first turn's "
            f"change, under the {ctx.settings.get('min_delta_ratio')} threshold"
        )
    else:
        stop = f"Stopped at the turn limit ({turns})"
    outcome = ", ".join(f"{issue} {fixed(ctx.outcome[issue], 1)}" for issue in ctx.issue_ids)
    detail += [stop, f"Most likely outcome: {outcome}"]

    ranked = sorted((a for a in moved_total if moved_total[a] > 0), key=lambda a: -moved_total[a])
    movers = ", ".join(f"{ctx.name(a)} ({number(moved_total[a])} points)" for a in ranked[:3])
    summary = [
        f"{turns} turn{'s' if turns != 1 else ''}; " + stop[0].lower() + stop[1:] + ".",
        f"Moved most (points moved over all turns and issues): {movers or 'nobody moved'}.",
        "Most likely outcome: "
        + ", ".join(f"{ctx.issue(i)} {number(ctx.outcome[i])}" for i in ctx.issue_ids)
        + ".",
    ]
    return Account("how the positions moved, turn by turn", summary, detail)


# -- Nash -----------------------------------------------------------------------------------------

_NASH_WHY = {
    "red_lines": "the deciders' red lines do not overlap",
    "gains": "no point inside the red lines leaves every decider better off than the status quo",
    "no_bargainer": "no decider holds a stance on it",
    "no_winning_coalition": "no winning coalition wants to move it (a veto player stands at the "
    "status quo, or those who would move it lack the votes)",
}


def nash(account: Mapping[str, Any], ctx: Context) -> Account:
    """Where the bargain fell back on the status quo (the disagreement point), and why."""
    issues = account.get("issues", {})
    fell = [i for i in ctx.issue_ids if i in issues and issues[i].get("why")]
    if not fell:
        return Account(
            "where a bargain exists",
            ["On every issue a point keeps the deciders inside their red lines and better off "
             "than the status quo: the outcome is the Nash bargain there."],
        )  # fmt: skip
    summary = []
    for why, text in _NASH_WHY.items():
        these = [ctx.issue(i) for i in fell if issues[i]["why"] == why]
        if these:
            summary.append(
                f"{', '.join(these)}: {text}, so Nash falls back on the disagreement point, the "
                "status quo "
                f"({', '.join(number(ctx.outcome[i]) for i in fell if issues[i]['why'] == why)})."
            )
    return Account("where no bargain exists", summary)


#: model name -> its narrator
NARRATORS: dict[str, Callable[[Mapping[str, Any], Context], Account]] = {
    "bdm": bdm,
    "smp": smp,
    "nash": nash,
}


def narrate(model: str, account: Mapping[str, Any], ctx: Context) -> Account | None:
    """The account of a run of ``model`` (None for models that have nothing to tell)."""
    teller = NARRATORS.get(model)
    if teller is None or not account:
        return None
    return teller(account, ctx)


def for_record(model_result: Any, spec: Any, scenario: Any) -> Account | None:
    """Tell one model's part of a forecast record (:class:`~accord.runs.records.ModelResult`
    with its :class:`~accord.runs.records.ModelSpec`) on the scenario it ran on."""
    ctx = Context(
        actor_ids=[a.id for a in scenario.actors],
        issue_ids=[i.id for i in scenario.issues],
        names={a.id: a.name for a in scenario.actors},
        issue_names={i.id: i.name for i in scenario.issues},
        series=model_result.series,
        outcome={i.id: i.point for i in model_result.issues},
        settings=spec.settings,
    )
    return narrate(model_result.name, model_result.account, ctx)


def for_result(
    model: Any, result: Any, arrays: Any, names: Mapping[str, str] | None = None, draw: int = 0
) -> Account | None:
    """Tell one draw of a model's :class:`~accord.models.Result` (on its arrays)."""
    ctx = Context(
        actor_ids=list(arrays.actor_ids),
        issue_ids=list(arrays.issue_ids),
        names=dict(names or {}),
        issue_names={},
        series={k: v[draw].tolist() for k, v in result.series.items()},
        outcome={i: float(result.outcome[draw, k]) for k, i in enumerate(arrays.issue_ids)},
        settings=result.params,
    )
    return narrate(model.name, model.describe(result, arrays, draw), ctx)


__all__ = ["Account", "Context", "NARRATORS", "for_record", "for_result", "narrate"]
