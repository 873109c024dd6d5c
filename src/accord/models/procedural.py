"""A procedural model of EU-style legislative rules, issue by issue (one dimension each).

Who must agree decides where an issue lands (the spatial models of EU procedures: Steunenberg
1994 and Crombez 1996 for consultation, Steunenberg 1997 and Crombez 1997/2000 for co-decision,
tested on the DEU data by Steunenberg & Selck 2006, ch. 3 of *The European Union Decides*, CUP;
Tsebelis 2002, *Veto Players*, ch. 11). Actors have symmetric preferences around their positions.

1. **The voting body** is every actor holding a stance on the issue except the agenda setter and
   the parliament (settings ``agenda_setter``, ``parliament``: actor ids), each voting with its
   capability. A move away from the status quo needs a **qualified majority** (``quota``, a share
   of the voters' capability; ``voting_rule=unanimity``: every voter) that includes every veto
   player among the voters.
2. **Pivots.** A move to the right needs the voter at which the weight counted from the right first
   reaches the quota (and every veto player right of the status quo); a move to the left the one
   counted from the left. Between the two pivots lies the body's **core**: a status quo inside it
   cannot be moved by anyone (**gridlock**). Otherwise the pivot p on the side of the move accepts
   exactly the points between the status quo and its reflection 2p − SQ.
3. **Consultation** (``procedure=consultation``): the agenda setter proposes its favourite point
   among those the pivot accepts and the body cannot amend unanimously (between the voters' extreme
   positions); it keeps the status quo when no such point is closer to it than the status quo.
   Without an agenda setter on the issue the outcome is the pivot's position. (When the agenda
   setter sits beyond 2p − SQ this is the reflection 2p − SQ, the standard result: Tsebelis 2002,
   citing Crombez 1995, Steunenberg 1994 and Moser 1996.)
4. **Co-decision** (``procedure=codecision``): the body's pivot and the parliament must both accept;
   they settle on the segment between their positions, within what both accept, ``split`` of the
   way from the pivot to the parliament (0.5: half-way; how conciliation splits the difference is
   not fixed by the sources — a documented choice). If the parliament prefers the status quo, it
   stands. Without a parliament on the issue the outcome is the pivot's position.

An issue nobody in the voting body holds a stance on is left to the agenda setter (consultation) or
the parliament (co-decision), and else stays at the status quo.

>>> from accord.arrays import from_table
>>> a = from_table(["com", "x", "y", "z"], [1, 1, 1, 1], [90, 20, 60, 80], [1.0] * 4, status_quo=0)
>>> m = Procedural(agenda_setter="com", quota=0.6)
>>> float(m.run(a).outcome[0, 0])  # y (60) pivots and accepts up to 120; beyond 80 all would amend
80.0
>>> float(Procedural(agenda_setter="com", voting_rule="unanimity").run(a).outcome[0, 0])
40.0
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from pydantic import Field

from accord.arrays import ScenarioArrays
from accord.errors import ParameterError
from accord.models.base import BargainingModel, Result, Settings, static_result

_TOL = 1e-9
#: the Council's qualified majority under the Treaty of Nice for EU-27: 255 of 345 votes
NICE_EU27_QUOTA = 255 / 345


class ProceduralSettings(Settings):
    procedure: Literal["consultation", "codecision"] = Field(
        "consultation",
        description="consultation: the agenda setter proposes, the body decides; codecision: "
        "the body's pivot and the parliament must both agree",
        json_schema_extra={
            "source": "Steunenberg & Selck 2006 (The European Union Decides, ch. 3)"
        },
    )
    voting_rule: Literal["qualified_majority", "unanimity"] = Field(
        "qualified_majority",
        description="how the voting body decides: a qualified majority of capability, or every voter",
        json_schema_extra={"source": "EC Treaty Art. 205; TEU Art. 16"},
    )
    quota: float = Field(
        NICE_EU27_QUOTA,
        gt=0.5,
        le=1.0,
        description="the qualified majority as a share of the voters' capability",
        json_schema_extra={"source": "Treaty of Nice, EU-27: 255 of 345 votes"},
    )
    agenda_setter: str | None = Field(
        None,
        description="the actor that makes the proposal under consultation (e.g. com); none: "
        "the pivot's position passes",
        json_schema_extra={"source": "Steunenberg 1994; Crombez 1996"},
    )
    parliament: str | None = Field(
        None,
        description="the second chamber whose consent co-decision needs (e.g. ep)",
        json_schema_extra={"source": "Steunenberg 1997; Crombez 1997, 2000"},
    )
    split: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="co-decision: how far from the body's pivot toward the parliament the two "
        "settle (0 = the pivot's terms, 1 = the parliament's)",
        json_schema_extra={"source": "a documented choice (the sources fix no split)"},
    )


def _actor_index(arrays: ScenarioArrays, actor: str | None, setting: str) -> int | None:
    if actor is None or actor == "":
        return None
    try:
        return arrays.actor_ids.index(actor)
    except ValueError:
        raise ParameterError(
            f"model 'procedural': {setting}={actor!r} is not an actor of this scenario",
            hint="actors: " + ", ".join(arrays.actor_ids),
            field=f"procedural.{setting}",
        ) from None


def pivots(
    position: np.ndarray,
    weight: np.ndarray,
    voter: np.ndarray,
    veto: np.ndarray,
    quota: float,
    unanimity: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """(right_move, left_move) pivots, each ``(D, I)``: the position a move to the right (left) of
    the status quo needs the consent of; NaN where no voter takes part.

    ``position``, ``weight`` (D, A, I); ``voter`` (A, I) or (D, A, I) bool; ``veto`` (A,)."""
    voter = np.broadcast_to(voter, position.shape)
    w = np.where(voter, weight, 0.0)
    total = w.sum(axis=1, keepdims=True)
    out = []
    for side in (1.0, -1.0):
        # side*x sorted from the far end (largest first): the weight that backs a move that way
        key = np.where(voter, side * position, -np.inf)
        order = np.argsort(-key, axis=1, kind="stable")
        k_sorted = np.take_along_axis(key, order, axis=1)
        if unanimity:
            pivot = np.where(voter, side * position, np.inf).min(axis=1)
        else:
            cum = np.cumsum(np.take_along_axis(w, order, axis=1), axis=1)
            first = np.argmax(cum >= quota * total - _TOL * np.maximum(total, 1.0), axis=1)
            pivot = np.take_along_axis(k_sorted, first[:, None], axis=1)[:, 0]
        vetoing = voter & veto[None, :, None]
        pivot = np.minimum(pivot, np.where(vetoing, side * position, np.inf).min(axis=1))
        none = ~voter.any(axis=1) | (total[:, 0] <= 0) & ~unanimity
        out.append(np.where(none, np.nan, side * pivot))
    return out[0], out[1]


class Procedural(BargainingModel):
    name = "procedural"
    label = "Procedural (pivots, agenda setter, co-decision)"
    reference = "Steunenberg 1994, 1997; Crombez 1996, 1997; Steunenberg & Selck 2006"
    Settings = ProceduralSettings

    def _parts(self, arrays: ScenarioArrays) -> dict[str, Any]:
        p = self.params
        setter = _actor_index(arrays, p["agenda_setter"], "agenda_setter")
        chamber = _actor_index(arrays, p["parliament"], "parliament")
        body = np.ones(arrays.n_actors, dtype=bool)
        for k in (setter, chamber):
            if k is not None:
                body[k] = False
        voter = body[:, None] & arrays.has_stance
        x = arrays.position
        right, left = pivots(
            x,
            np.broadcast_to(arrays.capability[:, :, None], x.shape),
            voter,
            arrays.veto,
            p["quota"],
            p["voting_rule"] == "unanimity",
        )
        return {"setter": setter, "chamber": chamber, "voter": voter, "right": right, "left": left}

    def _run(self, arrays: ScenarioArrays, rng: np.random.Generator) -> Result:
        parts = self._parts(arrays)
        out, _ = self._solve(arrays, parts)
        return static_result(self, arrays, out, core=np.stack([parts["right"], parts["left"]]))

    def _solve(self, arrays: ScenarioArrays, parts: dict[str, Any]) -> tuple[np.ndarray, dict]:
        x, sq = arrays.position, arrays.status_quo[None, :]
        d, i = x.shape[0], x.shape[2]
        right, left, voter = parts["right"], parts["left"], parts["voter"]
        no_body = np.isnan(right)
        gridlock = ~no_body & (sq >= right - _TOL) & (sq <= left + _TOL)
        pivot = np.where(sq < right, right, left)
        # what the pivot accepts: from the status quo to its reflection (the whole scale if no body)
        a = np.where(no_body, arrays.low, np.minimum(sq, 2 * pivot - sq))
        b = np.where(no_body, arrays.high, np.maximum(sq, 2 * pivot - sq))
        pivot = np.where(no_body, sq, pivot)

        def stance(k: int | None) -> tuple[np.ndarray, np.ndarray]:
            if k is None:
                return np.zeros((d, i), dtype=bool), np.zeros((d, i))
            return np.broadcast_to(arrays.has_stance[k], (d, i)), x[:, k, :]

        if self.params["procedure"] == "consultation":
            has_c, c = stance(parts["setter"])
            # beyond the voters' extreme positions the body would amend a proposal unanimously
            lo = np.where(no_body, arrays.low, np.where(voter[None], x, np.inf).min(axis=1))
            hi = np.where(no_body, arrays.high, np.where(voter[None], x, -np.inf).max(axis=1))
            lo, hi = np.maximum(a, lo), np.minimum(b, hi)
            proposal = np.clip(c, lo, np.maximum(lo, hi))
            better = np.abs(proposal - c) < np.abs(sq - c) - _TOL
            moved = np.where(has_c, np.where(better, proposal, sq), pivot)
        else:
            has_e, e = stance(parts["chamber"])
            ea, eb = np.minimum(sq, 2 * e - sq), np.maximum(sq, 2 * e - sq)
            lo, hi = np.maximum(a, ea), np.minimum(b, eb)
            stuck = (hi - lo <= _TOL) | (lo > hi)
            seg_lo = np.maximum(lo, np.minimum(pivot, e))
            seg_hi = np.minimum(hi, np.maximum(pivot, e))
            empty = seg_lo > seg_hi + _TOL
            near = np.where(pivot <= e, seg_lo, seg_hi)  # the pivot's end of the segment
            far = np.where(pivot <= e, seg_hi, seg_lo)
            split = self.params["split"]
            deal = np.where(
                empty, np.clip(pivot, lo, np.maximum(lo, hi)), near + split * (far - near)
            )
            moved = np.where(has_e, np.where(stuck, sq, deal), pivot)
            moved = np.where(no_body & has_e, e, moved)  # no voting body: the parliament decides
        out = np.where(gridlock, np.broadcast_to(sq, (d, i)), moved)
        out = np.where(
            no_body & ~self._decides_alone(parts, arrays), np.broadcast_to(sq, (d, i)), out
        )
        return out, {"gridlock": gridlock, "pivot": pivot}

    def _decides_alone(self, parts: dict[str, Any], arrays: ScenarioArrays) -> np.ndarray:
        """(I,) whether the agenda setter (consultation) or the parliament (co-decision) holds a
        stance, and so decides an issue no voter takes part in."""
        k = parts["setter"] if self.params["procedure"] == "consultation" else parts["chamber"]
        if k is None:
            return np.zeros(arrays.n_issues, dtype=bool)
        return arrays.has_stance[k]

    def describe(self, result: Result, arrays: ScenarioArrays, draw: int = 0) -> dict[str, Any]:
        """Per issue: the core (the two pivots), whether the status quo is gridlocked, the pivot
        whose consent a move needs and the outcome."""
        parts = self._parts(arrays.take_draws(slice(draw, draw + 1)))
        out, info = self._solve(arrays.take_draws(slice(draw, draw + 1)), parts)
        issues = {}
        for k, issue in enumerate(arrays.issue_ids):
            right, left = float(parts["right"][0, k]), float(parts["left"][0, k])
            issues[issue] = {
                "core": None if np.isnan(right) else [right, left],
                "gridlock": bool(info["gridlock"][0, k]),
                "pivot": None if np.isnan(right) else float(info["pivot"][0, k]),
                "outcome": float(out[0, k]),
            }
        return {"procedure": self.params["procedure"], "issues": issues}


__all__ = ["NICE_EU27_QUOTA", "Procedural", "ProceduralSettings", "pivots"]
