"""A streaming fall detector, compiled with numba: constant work per sample, no allocation.

The detector is rate-independent: whatever the wearable's rate (10-1000 Hz), each axis is
low-pass filtered at the input rate (4th-order Butterworth at `lp_hz`, or 0.4 of the rate
if that is lower) and resampled to a fixed internal rate of 25 Hz by linear interpolation
on an exact clock (at 200, 100, 50 or 25 Hz that is plain decimation). Everything after
that runs at 25 Hz, so one set of parameters serves every rate.

At 25 Hz, the signal magnitude SVM = |a| of the filtered axes goes into an 8 s ring
buffer. Every internal sample looks back `post_s` at a candidate impact: a sample with SVM
of at least `trig_g` that is the largest over the `before_s` before it and everything
since. For each candidate, ten features of the seconds around it (free-fall depth and
time, impact size, activity before, during and after, the turn of the gravity direction)
and their pairwise products go into a small logistic model (`edge.fall.model`), trained
on labelled recordings and checked with subject-wise cross-validation. A score of at
least `threshold` declares a fall, `post_s` after the impact; `cooldown_s` of silence
follows.

Batch (`detect`), wearable frames and single samples (`StreamingDetector`) all run the
same compiled `run`, so they agree sample for sample at every rate.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from numba import njit

from edge.fall.layout import (
    _BQ,
    _COOL,
    _FEAT,
    _I,
    _K,
    _P_BEFORE,
    _P_BIAS,
    _P_COOL,
    _P_LEN,
    _P_MEAN,
    _P_POST,
    _P_RATE,
    _P_SCALE,
    _P_THRESH,
    _P_TRIG,
    _P_W,
    _POS,
    _PREV,
    _RING,
    _RING_LEN,
    _SECOND,
    INTERNAL_HZ,
    Params,
    compile_params,
    new_state,
)
from edge.fall.model import N_FEATURES


@njit(cache=True)
def _svm_at(state: npt.NDArray[np.float64], j: int) -> float:
    value: float = state[_RING + 4 * (j % _RING_LEN) + 3]
    return value


@njit(cache=True)
def _features(state: npt.NDArray[np.float64], pk: int, k: int) -> None:  # noqa: PLR0915 (one pass per window, kept whole)
    """The candidate impact at internal sample `pk`, seen from `k`, into state[_FEAT:]."""
    s = _SECOND
    peak = _svm_at(state, pk)
    # before: activity over [-3 s, -1 s), gravity over [-2 s, -1 s)
    total = 0.0
    total_sq = 0.0
    absdev = 0.0
    gx0 = gy0 = gz0 = 0.0
    for j in range(pk - 3 * s, pk - s):
        v = _svm_at(state, j)
        total += v
        total_sq += v * v
        absdev += abs(v - 1.0)
        if j >= pk - 2 * s:
            o = _RING + 4 * (j % _RING_LEN)
            gx0 += state[o]
            gy0 += state[o + 1]
            gz0 += state[o + 2]
    n = 2.0 * s
    pre_std = math.sqrt(max(0.0, total_sq / n - (total / n) ** 2))
    pre_dev = absdev / n
    # free fall: the lowest SVM in the second before, and time below 0.75 g in 1.5 s
    low = peak
    ff = 0.0
    for j in range(pk - s - s // 2, pk + 1):
        v = _svm_at(state, j)
        if j >= pk - s:
            low = min(low, v)
        if v < 0.75:  # noqa: PLR2004
            ff += 1.0
    # impact: g-seconds above 1 g within half a second of the peak
    area = 0.0
    for j in range(pk - s // 2, pk + s // 2 + 1):
        area += max(0.0, _svm_at(state, j) - 1.0)
    # after: movement from 0.2 s to the last second, then the last second
    total = 0.0
    total_sq = 0.0
    mid_n = 0.0
    for j in range(pk + s // 5, k - s + 1):
        v = _svm_at(state, j)
        total += v
        total_sq += v * v
        mid_n += 1.0
    mid_std = math.sqrt(max(0.0, total_sq / mid_n - (total / mid_n) ** 2))
    total = 0.0
    total_sq = 0.0
    gx1 = gy1 = gz1 = 0.0
    for j in range(k - s + 1, k + 1):
        o = _RING + 4 * (j % _RING_LEN)
        v = state[o + 3]
        total += v
        total_sq += v * v
        gx1 += state[o]
        gy1 += state[o + 1]
        gz1 += state[o + 2]
    post_mean = total / s
    post_std = math.sqrt(max(0.0, total_sq / s - post_mean * post_mean))
    norm = math.sqrt((gx0 * gx0 + gy0 * gy0 + gz0 * gz0) * (gx1 * gx1 + gy1 * gy1 + gz1 * gz1))
    turn = 1.0 if norm <= 1e-12 else (gx0 * gx1 + gy0 * gy1 + gz0 * gz1) / norm  # noqa: PLR2004
    f = _FEAT
    state[f] = math.log(peak)
    state[f + 1] = low
    state[f + 2] = ff / s
    state[f + 3] = math.log(pre_std + 0.02)
    state[f + 4] = math.log(pre_dev + 0.02)
    state[f + 5] = math.log(area / s + 0.01)
    state[f + 6] = math.log(mid_std + 0.02)
    state[f + 7] = math.log(post_std + 0.02)
    state[f + 8] = abs(post_mean - 1.0)
    state[f + 9] = turn


@njit(cache=True)
def _score(state: npt.NDArray[np.float64], p: npt.NDArray[np.float64]) -> float:
    """The model over the features and their pairwise products (see `edge.fall.model`)."""
    score: float = p[_P_BIAS]
    t = 0
    for a in range(N_FEATURES):
        score += p[_P_W + t] * (state[_FEAT + a] - p[_P_MEAN + t]) / p[_P_SCALE + t]
        t += 1
    for a in range(N_FEATURES):
        for b in range(a, N_FEATURES):
            term = state[_FEAT + a] * state[_FEAT + b]
            score += p[_P_W + t] * (term - p[_P_MEAN + t]) / p[_P_SCALE + t]
            t += 1
    return score


@njit(cache=True)
def _judge(state: npt.NDArray[np.float64], p: npt.NDArray[np.float64], k: int, pk: int) -> bool:
    """The rare path: is the candidate at `pk` the largest around it, and a fall."""
    peak = _svm_at(state, pk)
    for j in range(pk - int(p[_P_BEFORE]), pk):
        if _svm_at(state, j) > peak:
            return False
    for j in range(pk + 1, k + 1):
        if _svm_at(state, j) >= peak:
            return False
    _features(state, pk, k)
    if _score(state, p) < p[_P_THRESH]:
        return False
    state[_COOL] = k + p[_P_COOL]
    return True


@njit(cache=True, inline="always")
def _biquad(
    v: float, c: tuple[float, float, float, float, float], s1: float, s2: float
) -> tuple[float, float, float]:
    """One transposed direct form II section: (output, new s1, new s2)."""
    w = c[0] * v + s1
    return w, c[1] * v - c[3] * w + s2, c[2] * v - c[4] * w


@njit(cache=True)
def run(  # noqa: C901, PLR0912, PLR0915 (the hot loop keeps everything in local variables)
    p: npt.NDArray[np.float64],
    state: npt.NDArray[np.float64],
    xyz: npt.NDArray[np.float64],
    flags: npt.NDArray[np.bool_] | npt.NDArray[np.float64],
) -> int:
    """Feed samples (rows of x, y, z in g); the index of the first fall, or -1.

    `flags` (as long as `xyz`, or empty) gets True where a fall is declared. Batch, frames
    and single samples all go through here, so they agree sample for sample.
    """
    n = len(xyz)
    rate = p[_P_RATE]
    trig = p[_P_TRIG]
    post = int(p[_P_POST])
    i = state[_I]
    k = state[_K]
    pos = int(state[_POS])
    cool = state[_COOL]
    a0, a1, a2, a3 = state[_BQ], state[_BQ + 1], state[_BQ + 2], state[_BQ + 3]
    b0, b1, b2, b3 = state[_BQ + 4], state[_BQ + 5], state[_BQ + 6], state[_BQ + 7]
    c0, c1, c2, c3 = state[_BQ + 8], state[_BQ + 9], state[_BQ + 10], state[_BQ + 11]
    px, py, pz = state[_PREV], state[_PREV + 1], state[_PREV + 2]
    fx, fy, fz = px, py, pz
    keep = len(flags) > 0
    first = -1
    lo = (p[0], p[1], p[2], p[3], p[4])
    hi = (p[5], p[6], p[7], p[8], p[9])
    r = 0
    fell = False
    resume = False
    while r < n:
        candidate = -1
        # the hot loop makes no calls, so the filters stay in registers; a candidate
        # impact leaves it, is judged below, and the same row resumes
        while r < n:
            if not resume:
                row = xyz[r]
                x, y, z = row[0], row[1], row[2]
                if i == 0.0:  # start the filters in their steady state: no start-up ramp
                    a0, a1 = (p[1] - p[3] + p[2] - p[4]) * x, (p[2] - p[4]) * x
                    a2, a3 = (p[6] - p[8] + p[7] - p[9]) * x, (p[7] - p[9]) * x
                    b0, b1 = (p[1] - p[3] + p[2] - p[4]) * y, (p[2] - p[4]) * y
                    b2, b3 = (p[6] - p[8] + p[7] - p[9]) * y, (p[7] - p[9]) * y
                    c0, c1 = (p[1] - p[3] + p[2] - p[4]) * z, (p[2] - p[4]) * z
                    c2, c3 = (p[6] - p[8] + p[7] - p[9]) * z, (p[7] - p[9]) * z
                    px, py, pz = x, y, z
                # section by section across the axes: independent work side by side
                fx, a0, a1 = _biquad(x, lo, a0, a1)
                fy, b0, b1 = _biquad(y, lo, b0, b1)
                fz, c0, c1 = _biquad(z, lo, c0, c1)
                fx, a2, a3 = _biquad(fx, hi, a2, a3)
                fy, b2, b3 = _biquad(fy, hi, b2, b3)
                fz, c2, c3 = _biquad(fz, hi, c2, c3)
            resume = False
            # internal sample k is due at k / 25 s; sample i arrived at i / rate s
            while k * rate <= i * INTERNAL_HZ:
                w = 1.0 if i == 0.0 else (k * rate - (i - 1.0) * INTERNAL_HZ) / INTERNAL_HZ
                ix = px + w * (fx - px)
                iy = py + w * (fy - py)
                iz = pz + w * (fz - pz)
                svm = math.sqrt(ix * ix + iy * iy + iz * iz)
                if k == 0.0:  # no history yet: assume the past looked like now
                    for j in range(_RING_LEN):
                        o = _RING + 4 * j
                        state[o], state[o + 1], state[o + 2], state[o + 3] = ix, iy, iz, svm
                o = _RING + 4 * pos  # pos is k modulo the ring's length, without a division
                state[o], state[o + 1], state[o + 2], state[o + 3] = ix, iy, iz, svm
                back = pos - post
                if back < 0:
                    back += _RING_LEN
                pos = 0 if pos == _RING_LEN - 1 else pos + 1
                k += 1.0
                if k > post and k > cool and state[_RING + 4 * back + 3] >= trig:
                    candidate = int(k) - 1
                    break
            if candidate >= 0:
                break
            px, py, pz = fx, fy, fz
            i += 1.0
            if keep:
                flags[r] = fell
            if fell and first < 0:
                first = r
            fell = False
            r += 1
        if candidate >= 0:
            if _judge(state, p, candidate, candidate - post):
                fell = True
                cool = state[_COOL]
            resume = True
    state[_I] = i
    state[_K] = k
    state[_POS] = pos
    state[_BQ], state[_BQ + 1], state[_BQ + 2], state[_BQ + 3] = a0, a1, a2, a3
    state[_BQ + 4], state[_BQ + 5], state[_BQ + 6], state[_BQ + 7] = b0, b1, b2, b3
    state[_BQ + 8], state[_BQ + 9], state[_BQ + 10], state[_BQ + 11] = c0, c1, c2, c3
    state[_PREV], state[_PREV + 1], state[_PREV + 2] = px, py, pz
    return first


@njit(cache=True)
def _frame(buffer: npt.NDArray[np.float64], xyz: npt.NDArray[np.float64]) -> int:
    """`run` on parameters and state kept in one array: one argument less to dispatch."""
    return run(buffer[:_P_LEN], buffer[_P_LEN:], xyz, xyz[:0, 0])


@njit(cache=True)
def _candidates_into(
    p: npt.NDArray[np.float64],
    state: npt.NDArray[np.float64],
    xyz: npt.NDArray[np.float64],
    where: npt.NDArray[np.int64],
    feats: npt.NDArray[np.float64],
) -> int:
    """Run sample by sample, keeping each firing's features (for training)."""
    count = 0
    for r in range(len(xyz)):
        one = xyz[r : r + 1]
        if run(p, state, one, one[:0, 0]) == 0 and count < where.shape[0]:
            where[count] = r
            for j in range(N_FEATURES):
                feats[count, j] = state[_FEAT + j]
            count += 1
    return count


def _rows(xyz: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    if xyz.ndim != 2 or xyz.shape[1] != 3:  # noqa: PLR2004
        msg = f"samples must be n x 3, not {xyz.shape}"
        raise ValueError(msg)
    rows: npt.NDArray[np.float64] = np.ascontiguousarray(xyz, dtype=np.float64)
    return rows


def detect(xyz: npt.NDArray[np.float64], params: Params, rate_hz: float) -> npt.NDArray[np.bool_]:
    """Run the detector over a whole recording (n x 3, in g); True where a fall is declared."""
    compiled = compile_params(params, rate_hz)
    state = new_state(compiled)
    out = np.zeros(xyz.shape[0], dtype=np.bool_)
    run(compiled, state, _rows(xyz), out)
    return out


def candidates(
    xyz: npt.NDArray[np.float64], params: Params, rate_hz: float
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Every candidate impact the model would judge: input index of its decision, features.

    The model and the cool-down are switched off, so this is what training sees.
    """
    compiled = compile_params(params.replace(threshold=-math.inf, cooldown_s=0.0), rate_hz)
    state = new_state(compiled)
    most = xyz.shape[0] // 8 + 8
    where = np.zeros(most, dtype=np.int64)
    feats = np.zeros((most, N_FEATURES), dtype=np.float64)
    count = _candidates_into(compiled, state, _rows(xyz), where, feats)
    return where[:count], feats[:count]
