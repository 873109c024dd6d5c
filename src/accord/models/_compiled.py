"""The numba loops behind :mod:`accord.models.kernels` (imported only when numba is installed and a
scenario is big enough; see there). Module-level functions, so numba's on-disk cache finds them
again in the next process instead of compiling them anew."""

from __future__ import annotations

import numba
import numpy as np

_jit = numba.njit(cache=True, nogil=True, fastmath=False, error_model="numpy")
_inline = numba.njit(cache=True, nogil=True, fastmath=False, error_model="numpy", inline="always")


@_jit
def vote(rule, w, du):  # accord.models.pce.vote, operation for operation (rule: kernels.RULES)
    if rule == 0:  # Prop
        return w * du
    if rule == 1:  # Binary
        return w * min(max(du / 1e-8, -1.0), 1.0)
    if rule == 2:  # PropBin
        return w * ((1 - 0.2) * du + 0.2 * min(max(du / 1e-8, -1.0), 1.0))
    if rule == 3:  # PropCbc
        return w * ((1 - 0.5) * du + 0.5 * (du * du * du))
    if rule == 4:  # Cubic
        return w * (du * du * du)
    # ASymProsp
    if du < 0.0:
        return w * du
    if du > 0.0:
        return (2.0 * w * du) / 3.0
    return 0.0


@_jit
def bs_util(sd, r):  # accord.models.smp.bs_util, operation for operation
    if sd > 1:
        return (1 - sd) * (1 + r)
    return (sd * r + 1) * (1 - sd)


@_jit
def third_party_strengths(rule, chij, chji, dist, r_hi, weight):
    """SMP's SemiCommit sums for i challenging j, every third party n ∉ {i, j} in order
    (:func:`accord.models.smp._third_party_strengths`), with i's estimates of the utilities
    U_i(n, m) = bs_util(d_nm, r_hi[i, n]) computed as they are needed.

    ``chij``/``chji`` (D, A, A) the principals' strengths, ``dist`` (D, A, A) the distances,
    ``r_hi`` (D, H, I) the estimated risk attitudes, ``weight`` (D, A) = c·S. Returns (s_ij, s_ji),
    each (D, A, A)."""
    n_d, n_a = chij.shape[0], chij.shape[1]
    s_ij = chij.copy()
    s_ji = chji.copy()
    for d in range(n_d):
        for i in range(n_a):
            for n in range(n_a):
                if n == i:
                    continue
                wn = weight[d, n]
                r = r_hi[d, i, n]
                uni = bs_util(dist[d, n, i], r)
                unn = bs_util(dist[d, n, n], r)
                u_ik_def_j = uni + uni + unn
                u_i_def_jk = uni + uni + uni
                # j runs over everyone but n (n is no third party there: its vote would be 0,
                # and adding 0 is exact); two ranges keep the inner loop free of branches
                _third_party_row(
                    rule,
                    wn,
                    r,
                    uni,
                    unn,
                    u_ik_def_j,
                    u_i_def_jk,
                    dist[d, n],
                    chij[d, i],
                    chji[d, i],
                    s_ij[d, i],
                    s_ji[d, i],
                    0,
                    n,
                )
                _third_party_row(
                    rule,
                    wn,
                    r,
                    uni,
                    unn,
                    u_ik_def_j,
                    u_i_def_jk,
                    dist[d, n],
                    chij[d, i],
                    chji[d, i],
                    s_ij[d, i],
                    s_ji[d, i],
                    n + 1,
                    n_a,
                )
    return s_ij, s_ji


@_inline
def _third_party_row(
    rule, wn, r, uni, unn, u_ik_def_j, u_i_def_jk, dist_n, a_ij, a_ji, s_ij, s_ji, lo, hi
):
    if rule == 0:  # Prop, KTAB's default, spelt out so that the loop vectorises
        for j in range(lo, hi):
            unj = bs_util(dist_n[j], r)
            vn = wn * (uni - unj)
            cni = max(vn, 0.0) + a_ij[j]
            cnj = a_ji[j] - min(vn, 0.0)
            pin = cni / (cni + cnj)
            pjn = 1.0 - pin
            two = unj + unj
            vk = wn * (
                (pin * u_ik_def_j + pjn * (two + unj)) - (pin * u_i_def_jk + pjn * (two + unn))
            )
            s_ij[j] += max(vk, 0.0)
            s_ji[j] += max(-vk, 0.0)
        return
    for j in range(lo, hi):
        unj = bs_util(dist_n[j], r)
        vn = vote(rule, wn, uni - unj)
        cni = max(vn, 0.0) + a_ij[j]
        cnj = a_ji[j] - min(vn, 0.0)
        pin = cni / (cni + cnj)
        pjn = 1.0 - pin
        two = unj + unj
        u_ik_j = pin * u_ik_def_j + pjn * (two + unj)
        u_i_jk = pin * u_i_def_jk + pjn * (two + unn)
        vk = vote(rule, wn, u_ik_j - u_i_jk)
        s_ij[j] += max(vk, 0.0)
        s_ji[j] += max(-vk, 0.0)


@_jit
def coalitions(rule, u, w, floor):
    """:func:`accord.models.pce.coalitions` on flattened problems: ``u`` (P, K, O), ``w`` (P, K)."""
    n_p, n_k, n_o = u.shape
    pos = np.empty((n_p, n_o, n_o))
    for q in range(n_p):
        for a in range(n_o):
            for b in range(n_o):
                pos[q, a, b] = floor
        for k in range(n_k):
            wk = w[q, k]
            for a in range(n_o):
                ua = u[q, k, a]
                if rule == 0:  # Prop, KTAB's default, spelt out so that the loop vectorises
                    for b in range(n_o):
                        pos[q, a, b] += max(wk * (ua - u[q, k, b]), 0.0)
                else:
                    for b in range(n_o):
                        pos[q, a, b] += max(vote(rule, wk, ua - u[q, k, b]), 0.0)
        if rule == 5:  # ASymProsp: above the diagonal, the negative part of the reverse vote
            for a in range(n_o):
                for b in range(a + 1, n_o):
                    s = floor
                    for k in range(n_k):
                        s += max(-vote(rule, w[q, k], u[q, k, b] - u[q, k, a]), 0.0)
                    pos[q, a, b] = s
        for a in range(n_o):
            pos[q, a, a] = floor
    return pos


@_jit
def bargain_sums(u_init, u_rcvr, own, init, rcvr):
    """Each actor's sum of utilities of the state after bargain b (:func:`accord.models.smp._resolve`):
    u(init) + u(rcvr) + its utilities of every position the bargain leaves alone, in actor order.

    ``u_init``/``u_rcvr`` (D, N, B), ``own`` (D, N, M), ``init``/``rcvr`` (D, B). Returns
    (D, N, B)."""
    n_d, n_n, n_b = u_init.shape
    n_m = own.shape[2]
    out = np.empty_like(u_init)
    for d in range(n_d):
        for n in range(n_n):
            row = own[d, n]
            for b in range(n_b):
                s = u_init[d, n, b] + u_rcvr[d, n, b]
                skip_i, skip_r = init[d, b], rcvr[d, b]
                for m in range(n_m):
                    if m != skip_i and m != skip_r:  # the others add 0: exact either way
                        s += row[m]
                out[d, n, b] = s
    return out
