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


@_jit
def sal_dist(x, b, sal, ssq, b_has, masked, r, util):
    """:func:`accord.models.smp._sal_dist` (and, with ``util``, ``bs_util`` of it with n's risk
    attitude ``r[d, n]``): the salience-weighted distance from each actor n's position ``x``
    (D, N, I) to each point ``b`` (D, B, I), the issues summed in order. ``masked``: an issue
    where ``b_has[d, b, i]`` is False counts 0."""
    n_d, n_n, n_i = x.shape
    n_b = b.shape[1]
    out = np.empty((n_d, n_n, n_b))
    for d in range(n_d):
        for n in range(n_n):
            s2 = ssq[d, n]
            rr = r[d, n] if util else 0.0
            for q in range(n_b):
                acc = 0.0
                for i in range(n_i):
                    df = x[d, n, i] - b[d, q, i]
                    if masked and not b_has[d, q, i]:
                        df = 0.0
                    v = df * sal[d, n, i]
                    acc = v * v if i == 0 else acc + v * v
                dist = np.sqrt(acc / s2) if s2 > 0 else 0.0
                out[d, n, q] = bs_util(dist, rr) if util else dist
    return out


@_jit
def _block_sum(a, lo, n):  # numpy's pairwise_sum for n <= 128: eight running sums
    if n < 8:
        res = 0.0
        for i in range(n):
            res += a[lo + i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i = 8
    while i < n - (n % 8):
        r0 += a[lo + i]
        r1 += a[lo + i + 1]
        r2 += a[lo + i + 2]
        r3 += a[lo + i + 3]
        r4 += a[lo + i + 4]
        r5 += a[lo + i + 5]
        r6 += a[lo + i + 6]
        r7 += a[lo + i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[lo + i]
        i += 1
    return res


@_jit
def np_sum(a, lo, n):
    """``numpy.add.reduce`` over ``a[lo:lo + n]`` (contiguous) in numpy's own order: blocks of up
    to 128 with eight running sums, longer runs halved (at a multiple of 8) and the halves added
    (``pairwise_sum`` in numpy's loops), so a compiled sum over a row equals numpy's
    ``row.sum()`` bit for bit (``tests/models/test_kernels.py``). The halving runs on an explicit
    stack: numba's cache does not keep recursive functions safely."""
    if n <= 128:
        return _block_sum(a, lo, n)
    seg_lo = np.empty(64, dtype=np.int64)
    seg_n = np.empty(64, dtype=np.int64)
    stage = np.zeros(64, dtype=np.int64)
    vals = np.empty(64)
    top, nv = 0, 0
    seg_lo[0], seg_n[0] = lo, n
    while top >= 0:
        start, m = seg_lo[top], seg_n[top]
        if m <= 128:
            vals[nv] = _block_sum(a, start, m)
            nv += 1
            top -= 1
            continue
        half = m // 2
        half -= half % 8
        if stage[top] == 0:  # the left half first
            stage[top] = 1
            top += 1
            seg_lo[top], seg_n[top], stage[top] = start, half, 0
        elif stage[top] == 1:  # then the right half
            stage[top] = 2
            top += 1
            seg_lo[top], seg_n[top], stage[top] = start + half, m - half, 0
        else:  # both done: left + right
            vals[nv - 2] = vals[nv - 2] + vals[nv - 1]
            nv -= 1
            top -= 1
    return vals[0]


@_jit
def _vp_x(vpm, s1, s2):
    """(x1, x2) of :func:`accord.models.pce.victory_probabilities` for one pair (s1 = c_ab,
    s2 = c_ba); vpm: 0 Linear, 1 Square, 2 Quartic, 3 Octic, 4 Binary."""
    if vpm == 0:
        return s1, s2
    if vpm == 1:
        return s1 * s1, s2 * s2
    if vpm == 2:
        return (s1 * s1) * (s1 * s1), (s2 * s2) * (s2 * s2)
    if vpm == 3:
        q1, q2 = (s1 * s1) * (s1 * s1), (s2 * s2) * (s2 * s2)
        return q1 * q1, q2 * q2
    thresh, min_x = 1.10, 1e-6
    r12 = s1 / (s1 + s2)
    p12 = (r12 * (thresh + 1.0) - 1.0) / (thresh - 1.0)
    if s1 >= thresh * s2:
        return 1.0, min_x
    if s2 >= thresh * s1:
        return min_x, 1.0
    return p12, 1 - p12


@_jit
def conditional_pce(c, mask, masked, vpm):
    """:func:`accord.models.pce.pce` with the conditional PCE on flattened problems: ``c``
    (P, O, O) coalitions, ``mask`` (P, O) the options that exist (when ``masked``). Returns
    (probabilities (P, O), whether some problem's products underflowed: numpy's log-space path
    must then redo it)."""
    n_p, n_o = c.shape[0], c.shape[1]
    out = np.empty((n_p, n_o))
    p = np.empty(n_o)
    bad = False
    for q in range(n_p):
        for a in range(n_o):
            prod = 1.0
            for b in range(n_o):
                if a == b:
                    v = 0.5
                elif a > b:  # P[a beats b] from the pair (a, b): x1 / (x1 + x2)
                    x1, x2 = _vp_x(vpm, c[q, a, b], c[q, b, a])
                    v = x1 / (x1 + x2)
                else:  # from the pair (b, a): x2 / (x1 + x2)
                    x1, x2 = _vp_x(vpm, c[q, b, a], c[q, a, b])
                    v = x2 / (x1 + x2)
                if masked and not mask[q, b]:
                    v = 1.0
                prod = v if b == 0 else prod * v
            if masked and not mask[q, a]:
                prod = 0.0
            p[a] = prod
        total = np_sum(p, 0, n_o)
        if not total > 1e-280:
            bad = True
        for a in range(n_o):
            out[q, a] = p[a] / total
    return out, bad


# -- BDM ------------------------------------------------------------------------------------------

NONE, CONFLICT, COMPROMISE, CAPITULATION = 0, 1, 2, 3
_TIE = 1e-12  # accord.models.bdm._TIE


@_jit
def bdm_pairs(x, width):
    """:class:`accord.models.bdm._Pairs`' geometry: distances |x_k − x_a| / R, the voters in
    position order (a stable sort), how many voters lie strictly below each pair's midpoint, and
    which pairs are below / equal."""
    n_b, n_a = x.shape
    dist = np.empty((n_b, n_a, n_a))
    order = np.empty((n_b, n_a), dtype=np.int64)
    left = np.empty((n_b, n_a, n_a), dtype=np.int32)
    below = np.empty((n_b, n_a, n_a), dtype=np.bool_)
    same = np.empty((n_b, n_a, n_a), dtype=np.bool_)
    xs = np.empty(n_a)
    for b in range(n_b):
        w = width[b]
        for k in range(n_a):
            for a in range(n_a):
                dist[b, k, a] = abs(x[b, k] - x[b, a]) / w
        for t in range(n_a):  # insertion sort: stable, like numpy's kind="stable"
            v = x[b, t]
            u = t
            while u > 0 and x[b, order[b, u - 1]] > v:
                order[b, u] = order[b, u - 1]
                u -= 1
            order[b, u] = t
        for t in range(n_a):
            xs[t] = x[b, order[b, t]]
        for i in range(n_a):
            for j in range(n_a):
                mid = 0.5 * (x[b, i] + x[b, j])
                lo, hi = 0, n_a  # voters strictly below mid: the first sorted position >= mid
                while lo < hi:
                    c = (lo + hi) // 2
                    if xs[c] < mid:
                        lo = c + 1
                    else:
                        hi = c
                left[b, i, j] = lo
                below[b, i, j] = x[b, i] < x[b, j]
                same[b, i, j] = x[b, i] == x[b, j]
    return dist, order, left, below, same


@_jit
def bdm_votes(w, d, order, left, below, same):
    """:meth:`accord.models.bdm._Pairs.votes` from voter k's distance from a, ``d[b, k, a]``, and
    its weight ``w[b, k]``: prefix sums over the voters in position order, then each pair's side
    of the midpoint."""
    n_b, n_a = order.shape
    out = np.empty((n_b, n_a, n_a))
    cum = np.empty((n_a + 1, n_a))
    for b in range(n_b):
        for a in range(n_a):
            cum[0, a] = 0.0
        for t in range(n_a):
            k = order[b, t]
            wk = w[b, k]
            for a in range(n_a):
                cum[t + 1, a] = cum[t, a] + wk * d[b, k, a]
        for i in range(n_a):
            for j in range(n_a):
                cut = left[b, i, j]
                v = cum[cut, j] - cum[cut, i]
                if not below[b, i, j]:
                    v = (cum[n_a, j] - cum[n_a, i]) - v
                if same[b, i, j]:
                    v = 0.0
                elif not v >= 0.0 and v == v:  # np.maximum(v, 0): NaN stays NaN
                    v = 0.0
                out[b, i, j] = v
    return out


@_jit
def bdm_expected(pw_s, pw_f, u_sq, p, s, q, want_x):
    """E^i(U_ij) and E^i(U_ji) (:func:`accord.models.bdm._expected_utilities`, Q = 1 or any Q
    without the U_b/U_w term) from ``pw_s`` = max(½ − ½δ, 0)^r_i and ``pw_f`` = max(½ + ½δ, 0)^r_i
    (B, A, A), ``u_sq`` (B, A) and P (B, A, A)."""
    n_b, n_a = s.shape
    eu_x = np.empty((n_b, n_a, n_a)) if want_x else np.empty((0, 0, 0))
    eu_y = np.empty((n_b, n_a, n_a))
    for b in range(n_b):
        for i in range(n_a):
            for j in range(n_a):
                u_s = 2.0 - 4.0 * pw_s[b, i, j]
                gap = u_s - (2.0 - 4.0 * pw_f[b, i, j])
                base = u_s - q * u_sq[b, i]
                eu_y[b, i, j] = base - s[b, i] * (1.0 - p[b, j, i]) * gap
                if want_x:
                    eu_x[b, i, j] = base - s[b, j] * (1.0 - p[b, i, j]) * gap
    return eu_x, eu_y


@_jit
def _np_min(a, b):  # np.minimum: NaN wins
    if a != a:
        return a
    if b != b:
        return b
    return a if a <= b else b


@_jit
def bdm_choose(x, eu_x, eu_y, part, width, smallest_move, paper_capitulation):
    """Each receiver's response (:func:`accord.models.bdm._choose`): (kind, counterpart, new
    position), each (B, A)."""
    n_b, n_a = x.shape
    kind_out = np.zeros((n_b, n_a), dtype=np.int8)
    counter = np.full((n_b, n_a), -1, dtype=np.int16)
    new_x = x.copy()
    kind = np.empty(n_a, dtype=np.int8)
    rank = np.empty(n_a, dtype=np.int64)
    key = np.empty(n_a)
    new = np.empty(n_a)
    cand = np.empty(n_a, dtype=np.bool_)
    for b in range(n_b):
        for i in range(n_a):
            xi = x[b, i]
            for j in range(n_a):
                xj = x[b, j]
                ex = eu_x[b, i, j]
                ey = eu_y[b, i, j]
                k = NONE
                if part[b, i] and part[b, j] and xi != xj:
                    ax = abs(ex)
                    if ey > ex and ex > 0:
                        k = CONFLICT
                    elif ey > 0 and ex < 0 and ey > ax:
                        k = COMPROMISE
                    elif paper_capitulation and ey > 0 and ex < 0 and ey < ax:
                        k = CAPITULATION
                kind[j] = k
                if k == COMPROMISE:
                    new[j] = xi + (xj - xi) * abs(ex / ey)
                else:
                    new[j] = xj
                if smallest_move:
                    rank[j] = 0 if k > 0 else 1
                    key[j] = abs(new[j] - xi)
                else:
                    rank[j] = k - CONFLICT if k > NONE else 3
                    if k == COMPROMISE:
                        ax, ay = abs(ex), abs(ey)
                        key[j] = (ax * xi + ay * xj) / (ax + ay)
                    else:
                        key[j] = abs(xj - xi)
            # lexicographic choice, as in numpy: best rank, smallest key (within rounding),
            # lower new position, kind, lower index
            low = rank[0]
            for j in range(1, n_a):
                low = min(low, rank[j])
            best = np.inf
            for j in range(n_a):
                cand[j] = rank[j] == low
                if not cand[j]:
                    key[j] = np.inf
                best = key[j] if j == 0 else _np_min(best, key[j])
            lim = best + _TIE * (abs(best) + width[b])
            least = np.inf
            for j in range(n_a):
                cand[j] = cand[j] and key[j] <= lim
                pk = new[j] if cand[j] else np.inf
                least = pk if j == 0 else _np_min(least, pk)
            pick = 0
            top = CAPITULATION + 1
            for j in range(n_a):
                pk = new[j] if cand[j] else np.inf
                cand[j] = cand[j] and pk == least
                kk = kind[j] if cand[j] else CAPITULATION + 1
                if kk < top:
                    top = kk
                    pick = j
            chosen = kind[pick]
            if chosen > 0:
                kind_out[b, i] = chosen
                counter[b, i] = pick
                new_x[b, i] = new[pick]
    return kind_out, counter, new_x


@_jit
def bdm_probability(votes, same, pair, masked, paper):
    """:func:`accord.models.bdm._probability`: P[b, i, j] from the vote totals (``pair`` masks
    the pairs of participants when ``masked``)."""
    n_b, n_a = votes.shape[0], votes.shape[1]
    out = np.empty_like(votes)
    v = np.empty(n_a * n_a)
    for b in range(n_b):
        for i in range(n_a):
            for j in range(n_a):
                x = votes[b, i, j]
                if masked and not pair[b, i, j]:
                    x = 0.0
                v[i * n_a + j] = x
        if paper:
            for i in range(n_a):
                for j in range(n_a):
                    x = v[i * n_a + j]
                    both = x + v[j * n_a + i]
                    q = x / both if both > 0 else 0.5
                    if same[b, i, j]:
                        q = 0.0
                    if masked and not pair[b, i, j]:
                        q = 0.0
                    out[b, i, j] = q
        else:
            denom = 2.0 * np_sum(v, 0, n_a * n_a)
            for i in range(n_a):
                for j in range(n_a):
                    q = v[i * n_a + j] / denom if denom > 0 else 0.0
                    if masked and not pair[b, i, j]:
                        q = 0.0
                    out[b, i, j] = q
    return out


@_jit
def bdm_danger(y1, part):
    """Each actor's danger Σ_{j ≠ i, j takes part} E(U_ji), summed as numpy sums a row."""
    n_b, n_a = part.shape
    out = np.empty((n_b, n_a))
    row = np.empty(n_a)
    for b in range(n_b):
        for i in range(n_a):
            for j in range(n_a):
                row[j] = y1[b, i, j] if part[b, j] and j != i else 0.0
            out[b, i] = np_sum(row, 0, n_a)
    return out
