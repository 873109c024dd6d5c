"""Exact voting power in weighted voting games: Shapley–Shubik and Penrose–Banzhaf.

A weighted voting game ``[q; w_1, …, w_n]`` (optionally with a second rule, "at least ``m``
members") lets a coalition win when its members' weights reach the quota ``q`` and it has at least
``m`` members. A player's **swing** is a coalition that loses without it and wins with it.

- **Penrose–Banzhaf**: the number of swings of each player; *normalised*, each player's share of
  all swings; *absolute*, swings / 2^(n−1) (Penrose 1946; Banzhaf 1965).
- **Shapley–Shubik**: the share of the n! orderings in which the player is pivotal; a swing
  coalition of k other members counts k!·(n−k−1)!/n! (Shapley & Shubik 1954).

Both are computed **exactly** with generating functions: the number of coalitions of each size and
each total weight, built once over all players (dynamic programming), with each player taken out
again by the inverse step — O(n² · Σw) integer operations, no enumeration of the 2^n coalitions.
The results are :class:`fractions.Fraction`.

Known values (tests): unanimity among n gives 1/n to each; in ``[3; 2, 1, 1]`` Shapley–Shubik gives
(2/3, 1/6, 1/6) and Banzhaf (3/5, 1/5, 1/5); in the EEC Council of 1958 (quota 12 of 17 votes:
Germany, France, Italy 4, the Netherlands and Belgium 2, Luxembourg 1) Luxembourg is a null player,
with zero power under both indices (as *Games* 2018, 9(2):29, "Luxembourg in the Early Days of the
EEC: Null Player or Not?" states).

>>> [str(x) for x in shapley_shubik([2, 1, 1], 3)]
['2/3', '1/6', '1/6']
>>> [str(x) for x in banzhaf([4, 4, 4, 2, 2, 1], 12)]
['5/21', '5/21', '5/21', '1/7', '1/7', '0']
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from accord.errors import ParameterError

#: counts are exact in int64 up to this many players (C(60, 30) < 2^63)
MAX_PLAYERS = 60


def _check(weights: Sequence[int], quota: int, min_members: int) -> list[int]:
    w = [int(x) for x in weights]
    if any(x != y for x, y in zip(w, weights, strict=True)) or any(x < 0 for x in w):
        raise ParameterError("weights must be whole numbers >= 0", field="weights")
    if not 1 <= len(w) <= MAX_PLAYERS:
        raise ParameterError(f"a game needs 1 to {MAX_PLAYERS} players", field="weights")
    if int(quota) != quota or not 0 < quota <= sum(w):
        raise ParameterError(
            f"quota={quota!r} must be a whole number between 1 and the total weight {sum(w)}",
            field="quota",
        )
    if int(min_members) != min_members or not 0 <= min_members <= len(w):
        raise ParameterError(
            f"min_members={min_members!r} must be between 0 and {len(w)}", field="min_members"
        )
    return w


def _coalitions(weights: Sequence[int]) -> np.ndarray:
    """``c[k, s]``: how many coalitions of ``k`` players weigh ``s`` in total."""
    n, total = len(weights), sum(weights)
    c = np.zeros((n + 1, total + 1), dtype=np.int64)
    c[0, 0] = 1
    for wi in weights:  # add one player: size +1, weight +wi (sizes downward, so each once)
        c[1:, wi:] += c[:-1, : total + 1 - wi].copy()
    return c


def _without(full: np.ndarray, wi: int) -> np.ndarray:
    """The counts of :func:`_coalitions` with one player of weight ``wi`` taken out again."""
    out = np.zeros_like(full[:-1])
    out[0] = full[0]
    for k in range(1, full.shape[0] - 1):
        out[k] = full[k]
        out[k, wi:] -= out[k - 1, : full.shape[1] - wi]
    return out


def swings(weights: Sequence[int], quota: int, min_members: int = 0) -> list[list[int]]:
    """``out[i][k]``: the swings of player ``i`` among coalitions of ``k`` other players."""
    w = _check(weights, quota, min_members)
    n = len(w)
    full = _coalitions(w)
    size = np.arange(n)[:, None]
    weight = np.arange(full.shape[1])[None, :]
    out = []
    for wi in w:
        others = _without(full, wi)  # (n, W+1): coalitions of the others
        wins_without = (weight >= quota) & (size >= min_members)
        wins_with = (weight + wi >= quota) & (size + 1 >= min_members)
        out.append([int(x) for x in np.where(wins_with & ~wins_without, others, 0).sum(axis=1)])
    return out


def shapley_shubik(weights: Sequence[int], quota: int, min_members: int = 0) -> list[Fraction]:
    """Each player's Shapley–Shubik index (exact; they sum to 1)."""
    n = len(weights)
    counts = swings(weights, quota, min_members)
    share = [
        Fraction(math.factorial(k) * math.factorial(n - k - 1), math.factorial(n)) for k in range(n)
    ]
    return [sum((c * s for c, s in zip(row, share, strict=True)), Fraction(0)) for row in counts]


def banzhaf(
    weights: Sequence[int], quota: int, min_members: int = 0, *, normalised: bool = True
) -> list[Fraction]:
    """Each player's Penrose–Banzhaf index (exact): normalised (shares of all swings, summing to
    1) or absolute (swings / 2^(n−1), the chance of being decisive under random voting)."""
    raw = [sum(row) for row in swings(weights, quota, min_members)]
    if normalised:
        total = sum(raw)
        return [Fraction(r, total) if total else Fraction(0) for r in raw]
    return [Fraction(r, 2 ** (len(raw) - 1)) for r in raw]


__all__ = ["MAX_PLAYERS", "banzhaf", "shapley_shubik", "swings"]
