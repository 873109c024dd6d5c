"""The Nash bargaining solution, issue by issue, with the status quo as disagreement point.

For each issue the outcome x* maximises Π_i [U_i(x) − U_i(d)]^{w_i} over the bargainers i, subject
to every bargainer gaining (U_i(x) ≥ U_i(d)) and x lying inside every bargainer's red line
(Nash 1950; the asymmetric form with bargaining weights as used for EU decisions by Schneider,
Finke & Bailer 2010, *Political Studies* 58(1):85–103, whose salience-weighted variant predicted
best).

Choices (parameters):

- ``utility``: ``"quadratic"`` (default) U_i(x) = −s_i (x − x_i)², the salience-weighted quadratic
  loss under which Achen (2006) derives the compromise model; or ``"linear"`` U_i(x) = −s_i |x − x_i|.
- ``weights``: ``"capability_salience"`` (default, w_i = c_i s_i, Schneider et al.'s best variant),
  ``"capability"`` or ``"equal"``.
- ``bargainers``: who must gain. The voters on an issue are the deciders
  (:attr:`accord.arrays.ScenarioArrays.deciders`: the veto players, else the principals, else
  every actor) that hold a stance there with salience > 0.

  - ``"winning_coalition"`` (default): only a coalition that can carry the move must gain — the
    voters on one side of the status quo, from the far end inward, until they hold ``quota`` of
    the voters' capability (and every veto player; with veto players present the deciders *are*
    the veto players, so the coalition is all of them, as under ``"all_deciders"``). The
    coalition's nearest member is the pivot p; the outcome is the Nash solution among the
    coalition over the points between the status quo and 2p − d. Where no side reaches the quota,
    the status quo stands. This is Nash bargaining under a qualified-majority rule rather than
    unanimity (the pivot logic of Tsebelis 2002, *Veto Players*; Steunenberg 1994).
  - ``"all_deciders"``: every voter must gain (the behaviour before the coalition rule: with
    voters on both sides of the status quo, or one at it, nothing can move).

With one dimension each gain is concave, so the log of the product is concave on the feasible
interval, and the optimum is found by bisection on the sign of its derivative, for all draws and
issues at once. Where the feasible interval is empty (red lines or gains exclude every point) the
solution is the disagreement point and ``details["feasible"]`` is False there;
``details["red_lines_overlap"]`` says whether the bargainers' red lines alone left any point.
:meth:`NashBargaining.describe` reports both, so the record and the narration say where Nash fell
back and why.

>>> from accord.arrays import from_table
>>> a = from_table(["a", "b"], [1, 1], [20, 80], [1.0, 1.0], status_quo=50)
>>> round(float(NashBargaining().run(a).outcome[0, 0]), 6)
50.0
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from accord.arrays import ScenarioArrays
from accord.models.base import BargainingModel, Result, Settings, static_result

_ITERATIONS = 60  # bisection halvings: 100 / 2**60 is far below float resolution


def bargainer_mask(arrays: ScenarioArrays) -> np.ndarray:
    """(D, A, I) bool: who bargains over each issue: the deciders that hold a stance on it with
    salience > 0."""
    return arrays.deciders[None, :, None] & arrays.has_stance[None] & (arrays.salience > 0)


class NashSettings(Settings):
    utility: Literal["quadratic", "linear"] = Field(
        "quadratic",
        description="each bargainer's utility: salience-weighted quadratic or linear loss",
        json_schema_extra={"source": "Achen 2006 (quadratic); Schneider, Finke & Bailer 2010"},
    )
    weights: Literal["capability_salience", "capability", "equal"] = Field(
        "capability_salience",
        description="bargaining weights w_i: capability × salience, capability, or equal",
        json_schema_extra={"source": "Schneider, Finke & Bailer 2010 (salience variant best)"},
    )
    bargainers: Literal["winning_coalition", "all_deciders"] = Field(
        "winning_coalition",
        description="who must gain: a coalition holding quota of the voters' capability on the "
        "side of the move, or every decider (the rule before coalitions)",
        json_schema_extra={"source": "Tsebelis 2002 (pivots); Steunenberg 1994"},
    )
    quota: float = Field(
        255 / 345,
        gt=0.5,
        le=1.0,
        description="winning_coalition: the share of the voters' capability a coalition needs "
        "(1 = unanimity)",
        json_schema_extra={"source": "Treaty of Nice, EU-27: 255 of 345 votes"},
    )


def coalition_mask(arrays: ScenarioArrays, quota: float) -> np.ndarray:
    """(D, A, I) bool: the winning coalition that bargains over each issue (empty where none can
    form): the voters on one side of the status quo from the far end inward until they hold
    ``quota`` of all the voters' capability, together with every veto player (who must then all be
    on that side)."""
    voter = bargainer_mask(arrays)
    x = arrays.position
    d = arrays.status_quo[None, None, :]
    weight = np.where(voter, arrays.capability[:, :, None], 0.0)
    need = quota * weight.sum(axis=1) * (1 - 1e-12)
    veto = voter & arrays.veto[None, :, None]
    out = np.zeros(x.shape, dtype=bool)
    for side in (1.0, -1.0):
        on = voter & (side * (x - d) > 0)
        key = np.where(on, side * x, -np.inf)  # from the far end of this side inward
        order = np.argsort(-key, axis=1, kind="stable")
        cum = np.cumsum(np.take_along_axis(np.where(on, weight, 0.0), order, axis=1), axis=1)
        reached = cum >= need[:, None, :]
        first = np.argmax(reached, axis=1)
        pivot = np.take_along_axis(np.take_along_axis(key, order, axis=1), first[:, None], axis=1)
        pivot = np.minimum(pivot[:, 0], np.where(veto, side * x, np.inf).min(axis=1))
        wins = reached.any(axis=1) & (need > 0) & ~(veto & ~on).any(axis=1)
        out |= on & (key >= pivot[:, None, :]) & wins[:, None, :]
    return out


class NashBargaining(BargainingModel):
    name = "nash"
    label = "Nash bargaining (status quo as disagreement)"
    reference = "Nash 1950; Schneider, Finke & Bailer 2010, Political Studies 58(1)"
    Settings = NashSettings

    def _run(self, arrays: ScenarioArrays, rng: np.random.Generator) -> Result:
        x = arrays.position
        d = arrays.status_quo[None, None, :]
        if self.params["bargainers"] == "winning_coalition":
            bar = coalition_mask(arrays, self.params["quota"])
        else:
            bar = bargainer_mask(arrays)
        if self.params["weights"] == "capability_salience":
            w = arrays.capability[:, :, None] * arrays.salience
        elif self.params["weights"] == "capability":
            w = np.broadcast_to(arrays.capability[:, :, None], x.shape)
        else:
            w = np.ones_like(x)
        w = np.where(bar, w, 0.0)

        # Individual rationality: |x - x_i| <= |d - x_i|; plus red lines. Non-bargainers: no limit.
        radius = np.abs(d - x)
        lo = np.where(bar, np.maximum(x - radius, arrays.red_low), -np.inf).max(axis=1)
        hi = np.where(bar, np.minimum(x + radius, arrays.red_high), np.inf).min(axis=1)
        lo = np.maximum(lo, arrays.low)
        hi = np.minimum(hi, arrays.high)
        feasible = lo <= hi + 1e-12
        red_lo = np.where(bar, arrays.red_low, -np.inf).max(axis=1)
        red_hi = np.where(bar, arrays.red_high, np.inf).min(axis=1)
        red_lines_overlap = red_lo <= red_hi + 1e-12
        any_bargainer = bar.any(axis=1)

        quadratic = self.params["utility"] == "quadratic"
        a, b = lo.copy(), hi.copy()
        for _ in range(_ITERATIONS):  # loop over bisection steps, never over draws
            m = 0.5 * (a + b)
            diff = m[:, None, :] - x
            if quadratic:
                gain = radius**2 - diff**2
                slope = -2.0 * diff
            else:
                gain = radius - np.abs(diff)
                slope = -np.sign(diff)
            with np.errstate(divide="ignore", invalid="ignore"):
                term = np.where(w > 0, w * slope / np.maximum(gain, 1e-300), 0.0)
            up = term.sum(axis=1) > 0
            a = np.where(up, m, a)
            b = np.where(up, b, m)
        solution = 0.5 * (a + b)
        d_flat = np.broadcast_to(arrays.status_quo, solution.shape)
        out = np.where(feasible & any_bargainer, solution, d_flat)
        return static_result(
            self,
            arrays,
            out,
            feasible=feasible & any_bargainer,
            red_lines_overlap=red_lines_overlap,
            any_bargainer=any_bargainer,
        )

    def describe(self, result: Result, arrays: ScenarioArrays, draw: int = 0) -> dict:
        """Where the bargain fell back on the disagreement point (the status quo) because no point
        satisfied every bargainer, and why: their red lines do not overlap, or no point inside
        them leaves every bargainer better off than the status quo."""
        feasible = result.details.get("feasible")
        if feasible is None:
            return {}
        ok = np.asarray(feasible)[draw]
        overlap = np.asarray(result.details.get("red_lines_overlap", np.ones_like(ok)))[draw]
        # the same bargainers as the run: a winning coalition, or every decider
        bar = np.asarray(result.details.get("any_bargainer", bargainer_mask(arrays).any(axis=1)))[
            draw
        ]
        coalition = self.params["bargainers"] == "winning_coalition"
        issues = {}
        for k, issue in enumerate(arrays.issue_ids):
            if not bar[k]:
                # nobody can move it: the status quo stands, which is no failure to find a point
                issues[issue] = {
                    "feasible": True,
                    "why": "no_winning_coalition" if coalition else "no_bargainer",
                }
                continue
            if ok[k]:
                why = None
            else:
                why = "red_lines" if not overlap[k] else "gains"
            issues[issue] = {"feasible": bool(ok[k]), "why": why}
        return {
            "issues": issues,
            "infeasible": [i for i, v in issues.items() if not v["feasible"]],
            "fallback": "status_quo",
        }
