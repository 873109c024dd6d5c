"""Many small linear programs at once: a bounded-variable revised simplex, batched over draws.

Every draw ``d`` holds its own linear program with the same shape,

    maximise   c[d] · x
    subject to A[d] x ≤ b[d]                    (m rows; a slack per row makes them equations)
               lo[d] ≤ x ≤ hi[d]               (n columns, finite bounds)

and all of them take their simplex steps together: one step is a handful of numpy operations on
``(D, m, n)`` arrays, so nothing loops over draws in Python. The programs accord solves this way
(:mod:`accord.deal`) have a row per decider and a few dozen bounded columns, so the inverse of a
basis is a tiny ``(m, m)`` matrix per draw (the *revised* simplex keeps it and updates it at every
pivot, refactoring it from scratch now and then).

The starting basis is the slacks, every column at its lower bound: ``b − A·lo ≥ 0`` must hold (the
callers build their programs so that it does, see :mod:`accord.deal`). After a solve, a new
objective (:meth:`Batch.solve` again) starts from the optimal basis of the last one — a *warm
start* — and so may any change that keeps the current point feasible: bounds that still contain
a column's value (:meth:`Batch.set_bounds`), or the coefficients of a column held at zero
(:meth:`Batch.set_column`).

Pricing follows Dantzig's rule (the most improving column) and switches to Bland's rule (the first
improving column, ties in the ratio test to the lowest index), which cannot cycle, when a solve
takes long (Dantzig 1963, *Linear Programming and Extensions*; Bland 1977, *Math. of OR* 2(2)).

>>> import numpy as np
>>> # max x + y  s.t.  x + 2y <= 4,  3x + y <= 6,  0 <= x, y <= 10   (optimum x = 1.6, y = 1.2)
>>> lp = Batch(np.array([[[1.0, 2.0], [3.0, 1.0]]]), np.array([[4.0, 6.0]]),
...            np.zeros((1, 2)), np.full((1, 2), 10.0))
>>> lp.solve(np.array([[1.0, 1.0]])).round(6).tolist(), lp.x.round(6).tolist()
([2.8], [[1.6, 1.2]])
"""

from __future__ import annotations

import numpy as np

#: a reduced cost this small does not improve the objective
PRICE_TOL = 1e-11
#: a pivot element this small is treated as zero
PIVOT_TOL = 1e-10
#: Dantzig's rule for this many steps of one solve, then Bland's
BLAND_AFTER = 200
#: refactor the basis inverse after this many pivots
REFACTOR_EVERY = 40
#: price only the unfinished programs once they are fewer than this share
SUBSET_BELOW = 0.3


class NotConverged(RuntimeError):
    """A solve hit its step limit (never expected: Bland's rule terminates)."""


class Batch:
    """``D`` linear programs ``max c·x, A x ≤ b, lo ≤ x ≤ hi`` solved together (see the module).

    ``A`` is ``(D, m, n)``, ``b`` ``(D, m)``, ``lo`` and ``hi`` ``(D, n)``. Columns ``n .. n+m-1``
    are the rows' slacks (``≥ 0``). :attr:`x` holds the current point, :attr:`slack` the slacks.
    """

    def __init__(self, A: np.ndarray, b: np.ndarray, lo: np.ndarray, hi: np.ndarray):
        A = np.asarray(A, dtype=float)
        d, m, n = A.shape
        self.n, self.m = n, m
        self.A = np.concatenate([A, np.broadcast_to(np.eye(m), (d, m, m))], axis=2)
        self.b = np.array(b, dtype=float)
        self.lo = np.concatenate([np.asarray(lo, float), np.zeros((d, m))], axis=1)
        self.hi = np.concatenate([np.asarray(hi, float), np.full((d, m), np.inf)], axis=1)
        self._x = self.lo.copy()
        self.at_upper = np.zeros((d, n + m), dtype=bool)
        self.basis = np.broadcast_to(np.arange(n, n + m), (d, m)).copy()
        self.is_basic = np.zeros((d, n + m), dtype=bool)
        self.is_basic[:, n:] = True
        self.binv = np.broadcast_to(np.eye(m), (d, m, m)).copy()
        self._rows = np.arange(d)
        self._x[:, n:] = self.b - np.einsum("dmn,dn->dm", self.A[:, :, :n], self.lo[:, :n])
        if (self._x[:, n:] < -1e-9).any():
            raise ValueError(
                "Batch: the starting point (every column at its lower bound) is infeasible"
            )
        self._x[:, n:] = np.maximum(self._x[:, n:], 0.0)

    @property
    def n_draws(self) -> int:
        return self.b.shape[0]

    @property
    def x(self) -> np.ndarray:
        """(D, n) the current value of every column."""
        return self._x[:, : self.n]

    @property
    def slack(self) -> np.ndarray:
        """(D, m) each row's slack ``b − A x``."""
        return self._x[:, self.n :]

    # -- changes that keep the current point feasible ---------------------------------------

    def set_bounds(self, col: int, lo: np.ndarray, hi: np.ndarray, where: np.ndarray) -> None:
        """New bounds for column ``col`` in the draws ``where``; each must contain the column's
        current value there (so the point stays feasible)."""
        d = self.n_draws
        v = self._x[where, col]
        lo = np.broadcast_to(np.asarray(lo, dtype=float), (d,))[where]
        hi = np.broadcast_to(np.asarray(hi, dtype=float), (d,))[where]
        if v.size and ((v < lo - 1e-9).any() or (v > hi + 1e-9).any()):
            raise ValueError("Batch.set_bounds: a column's value lies outside its new bounds")
        self.lo[where, col], self.hi[where, col] = lo, hi
        # a nonbasic column sits on a bound: on the one its value equals
        nb = ~self.is_basic[where, col]
        self.at_upper[where, col] = nb & (np.abs(v - hi) <= np.abs(v - lo))

    def set_column(self, col: int, values: np.ndarray, where: np.ndarray) -> None:
        """New coefficients ``(D, m)`` of column ``col`` in the draws ``where``, where the column
        must be nonbasic at zero (so no row's value changes)."""
        if (self.is_basic[where, col]).any() or (np.abs(self._x[where, col]) > 0).any():
            raise ValueError("Batch.set_column: the column must be nonbasic at zero")
        self.A[where, :, col] = values[where]

    # -- solving --------------------------------------------------------------------------------

    def refactor(self) -> None:
        """Rebuild every basis inverse and the basic values from scratch (rounding drifts)."""
        B = np.take_along_axis(self.A, self.basis[:, None, :], axis=2)
        self.binv = np.linalg.inv(B)
        xn = np.where(self.is_basic, 0.0, self._x)
        rhs = self.b - np.einsum("dmn,dn->dm", self.A, xn)
        xb = np.einsum("dij,dj->di", self.binv, rhs)
        np.put_along_axis(self._x, self.basis, xb, axis=1)

    def solve(
        self, c: np.ndarray, active: np.ndarray | None = None, max_steps: int | None = None
    ) -> np.ndarray:
        """Maximise ``c·x`` (``c``: ``(D, n)``) from the current basis in the draws ``active``
        (default all) and return the optimal values ``(D,)`` (NaN where not active)."""
        d, n, m = self.n_draws, self.n, self.m
        cf = np.concatenate([np.asarray(c, dtype=float), np.zeros((d, m))], axis=1)
        todo = np.ones(d, dtype=bool) if active is None else np.asarray(active, dtype=bool).copy()
        limit = max_steps or 20 * (n + m) + 100
        movable = (self.hi > self.lo) & ~self.is_basic
        self._sign = np.where(movable, np.where(self.at_upper, -1.0, 1.0), 0.0)
        self._sign[~todo] = 0.0
        self.refactor()
        steps = 0
        while todo.any():
            if steps >= limit:
                raise NotConverged(
                    f"simplex: {int(todo.sum())} programs not solved in {limit} steps"
                )
            bland = steps >= BLAND_AFTER
            # price every program at once (finished ones have no sign left and find nothing),
            # or, once most have finished, only those still going
            idx = np.flatnonzero(todo)
            if idx.size > SUBSET_BELOW * d:
                entering, direction = self._price(cf, self._sign, bland)
            else:
                entering, direction = np.full(d, -1), np.zeros(d)
                entering[idx], direction[idx] = self._price(cf, self._sign, bland, idx)
            found = entering >= 0
            self._sign[todo & ~found] = 0.0
            todo &= found
            idx = np.flatnonzero(todo)
            if idx.size:
                self._step(idx, entering[idx], direction[idx], bland)
            steps += 1
            if steps % REFACTOR_EVERY == 0:
                self.refactor()
        self.refactor()
        value = np.einsum("dn,dn->d", cf, self._x)
        return value if active is None else np.where(active, value, np.nan)

    def _price(
        self, cf: np.ndarray, sign: np.ndarray, bland: bool, idx: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The entering column of every program (or of the programs ``idx``; -1: optimal) and
        its direction.

        ``sign`` is +1 for a nonbasic column that can grow from its lower bound, −1 for one that
        can fall from its upper bound, 0 otherwise (basic, fixed, or a finished program)."""
        A, basis, binv = self.A, self.basis, self.binv
        if idx is not None:
            A, basis, binv, cf, sign = A[idx], basis[idx], binv[idx], cf[idx], sign[idx]
        cb = np.take_along_axis(cf, basis, axis=1)
        # the row prices y = c_B B⁻¹ and the reduced costs c − y A, summed row by row (m is
        # small, and numpy's batched matmul is slow on tiny matrices)
        y = cb[:, 0, None] * binv[:, 0, :]
        for r in range(1, self.m):
            y += cb[:, r, None] * binv[:, r, :]
        score = cf.copy()
        tmp = np.empty_like(score)
        for r in range(self.m):
            np.multiply(A[:, r, :], y[:, r, None], out=tmp)
            score -= tmp
        score *= sign  # > 0: moving the column improves the objective
        if bland:
            j = np.argmax(score > PRICE_TOL, axis=1)
        else:
            j = np.argmax(score, axis=1)
        rows = np.arange(score.shape[0])
        return np.where(score[rows, j] > PRICE_TOL, j, -1), sign[rows, j]

    def _step(self, idx: np.ndarray, j: np.ndarray, direction: np.ndarray, bland: bool) -> None:
        """Move column ``j`` in ``direction`` as far as the bounds allow, in programs ``idx``."""
        k = np.arange(idx.size)
        basis = self.basis[idx]  # (K, m)
        # the basics' change per unit of the entering column, B⁻¹ a_j (summed over the few rows:
        # faster than numpy's batched matmul on tiny matrices)
        binv, col = self.binv[idx], self.A[idx, :, j]
        alpha = binv[:, :, 0] * col[:, 0, None]
        for r in range(1, self.m):
            alpha += binv[:, :, r] * col[:, r, None]
        g = direction[:, None] * alpha  # basics fall by g per unit step
        rows = idx[:, None]
        xb, lob, hib = self._x[rows, basis], self.lo[rows, basis], self.hi[rows, basis]
        with np.errstate(divide="ignore", invalid="ignore"):
            room = np.where(
                g > PIVOT_TOL,
                (xb - lob) / g,
                np.where(g < -PIVOT_TOL, (hib - xb) / -g, np.inf),
            )
        room = np.maximum(room, 0.0)
        flip = self.hi[idx, j] - self.lo[idx, j]
        if bland:  # ties in the ratio test go to the lowest column index
            best = room.min(axis=1, keepdims=True)
            tied = room <= best * (1 + 1e-12) + 1e-15
            r = np.argmin(np.where(tied, basis, np.iinfo(np.int64).max), axis=1)
        else:
            r = np.argmin(room, axis=1)
        t = room[k, r]
        flips = flip <= t
        t = np.where(flips, flip, t)
        if not np.isfinite(t).all():
            raise NotConverged("simplex: an unbounded step (every column must have finite bounds)")
        # the basics move; the entering column moves by t in its direction
        self._x[rows, basis] = xb - t[:, None] * g
        self._x[idx, j] += direction * t
        # bound flips: the column stays nonbasic, on its other bound
        fi, fj = idx[flips], j[flips]
        up = direction[flips] > 0
        self.at_upper[fi, fj] = up
        self._sign[fi, fj] = np.where(up, -1.0, 1.0)
        self._x[fi, fj] = np.where(up, self.hi[fi, fj], self.lo[fi, fj])
        # pivots: the column enters, the basic in row r leaves onto the bound it reached
        p = ~flips
        if not p.any():
            return
        pi, pj, pr, pk = idx[p], j[p], r[p], k[p]
        leaving = basis[pk, pr]
        to_upper = g[pk, pr] < 0
        self._x[pi, leaving] = np.where(to_upper, self.hi[pi, leaving], self.lo[pi, leaving])
        self.at_upper[pi, leaving] = to_upper
        self.is_basic[pi, leaving] = False
        self.is_basic[pi, pj] = True
        self.at_upper[pi, pj] = False
        self._sign[pi, pj] = 0.0
        movable = self.hi[pi, leaving] > self.lo[pi, leaving]
        self._sign[pi, leaving] = np.where(movable, np.where(to_upper, -1.0, 1.0), 0.0)
        self.basis[pi, pr] = pj
        a = alpha[pk]  # (P, m)
        q = np.arange(pi.size)
        binv = binv[pk]
        row = binv[q, pr] / a[q, pr][:, None]
        binv -= a[:, :, None] * row[:, None, :]
        binv[q, pr] = row
        self.binv[pi] = binv


__all__ = ["Batch", "NotConverged"]
