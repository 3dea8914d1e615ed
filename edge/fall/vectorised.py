"""The detector written the way a NumPy expert would: whole arrays, block-wise recursion.

Only the benchmark uses it, to compare the numba version with a fair NumPy one. It follows
`edge.fall.detector` step for step:

* the Butterworth filter is a linear recursion, so it runs block-wise: within a block of
  `_BLOCK` samples, the output is a matrix product with the impulse response plus the
  response to the block's starting state; the 4-element states carried from block to block
  are themselves a linear recursion, solved by a doubling scan (log2(blocks) array steps);
* resampling, the candidate test, the features and the model are array expressions over
  all internal samples or all candidates at once;
* only the cool-down after a fall, which depends on earlier decisions, loops (over the
  few candidates the model accepts).

It agrees with the numba version up to floating-point rounding (sums in another order).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from edge.fall.layout import (
    _P_BEFORE,
    _P_COOL,
    _P_POST,
    _P_RATE,
    _P_THRESH,
    _P_TRIG,
    _RING_LEN,
    _SECOND,
    INTERNAL_HZ,
    Params,
    compile_params,
)
from edge.fall.model import score

_BLOCK = 16
Array = npt.NDArray[np.float64]


def _cascade_responses(p: Array) -> tuple[Array, Array, Array, Array]:
    """For one block of the two-biquad cascade: impulse response, and state maps.

    Returns (h, zero_input_out, block_transition, input_to_state): outputs are h @ x (as a
    Toeplitz product) plus zero_input_out @ s0; the state after the block is
    block_transition @ s0 + input_to_state @ x.
    """
    columns = 5  # four unit starting states, then a unit impulse
    state = np.zeros((4, columns))
    state[:, :4] = np.eye(4)
    outputs = np.zeros((_BLOCK, columns))
    impulse_states = np.zeros((_BLOCK + 1, 4))
    for t in range(_BLOCK):
        u = np.zeros(columns)
        if t == 0:
            u[4] = 1.0
        w1 = p[0] * u + state[0]
        state[0] = p[1] * u - p[3] * w1 + state[1]
        state[1] = p[2] * u - p[4] * w1
        w2 = p[5] * w1 + state[2]
        state[2] = p[6] * w1 - p[8] * w2 + state[3]
        state[3] = p[7] * w1 - p[9] * w2
        outputs[t] = w2
        impulse_states[t + 1] = state[:, 4]
    h = outputs[:, 4]
    lags = np.arange(_BLOCK)[:, None] - np.arange(_BLOCK)[None, :]
    toeplitz = np.where(lags >= 0, h[np.clip(lags, 0, None)], 0.0)
    # an impulse at position j has had _BLOCK - j steps by the end of the block
    input_to_state = impulse_states[_BLOCK - np.arange(_BLOCK)].T
    return toeplitz, outputs[:, :4], state[:, :4].copy(), input_to_state


def lowpass(xyz: Array, p: Array) -> Array:
    """Each column through the cascade, started in its steady state for the first row."""
    n = len(xyz)
    toeplitz, zero_input_out, transition, input_to_state = _cascade_responses(p)
    blocks = -(-n // _BLOCK)
    # linear with unit DC gain: filter the deviation from the first sample, add it back
    flat = np.zeros((3, blocks * _BLOCK))
    flat[:, :n] = (xyz - xyz[0]).T
    x = flat.reshape(3 * blocks, _BLOCK)  # 2-D products: one BLAS call each
    forced = x @ toeplitz.T
    state_push = (x @ input_to_state.T).reshape(3, blocks, 4)
    # state at the end of block b: sum over j <= b of transition^(b - j) @ push_j, by a
    # doubling scan (log2(blocks) array steps instead of a loop over blocks)
    ends = state_push.copy()
    power, shift = transition, 1
    while shift < blocks:
        ends[:, shift:] += (ends[:, :-shift].reshape(-1, 4) @ power.T).reshape(3, -1, 4)
        power, shift = power @ power, shift * 2
    starts = np.zeros_like(ends)
    starts[:, 1:] = ends[:, :-1]
    out = forced + starts.reshape(-1, 4) @ zero_input_out.T
    filtered: Array = out.reshape(3, -1)[:, :n].T + xyz[0]
    return filtered


def resample(filtered: Array, first: Array, rate: float) -> tuple[Array, npt.NDArray[np.int64]]:
    """The 25 Hz samples, and for each the input row whose arrival produced it."""
    n = len(filtered)
    k = np.arange(int(n * INTERNAL_HZ / rate) + 2, dtype=np.float64)
    i = np.ceil(k * rate / INTERNAL_HZ)
    # the detector's own test decides (k * rate <= i * 25); fix the float division's edges
    i = np.where((i >= 1) & (k * rate <= (i - 1) * INTERNAL_HZ), i - 1, i)
    i = np.where(k * rate <= i * INTERNAL_HZ, i, i + 1)
    keep = i < n
    k, i = k[keep], i[keep]
    rows = i.astype(np.int64)
    w = np.where(i == 0, 1.0, (k * rate - (i - 1.0) * INTERNAL_HZ) / INTERNAL_HZ)[:, None]
    cur = filtered[rows]
    prev = np.where((rows == 0)[:, None], first, filtered[np.maximum(rows - 1, 0)])
    return prev + w * (cur - prev), rows


def _window_stats(svm: Array, starts: npt.NDArray[np.int64], length: int) -> tuple[Array, Array]:
    idx = starts[:, None] + np.arange(length)
    window = svm[idx]
    mean = window.sum(axis=1) / length
    mean_sq = (window * window).sum(axis=1) / length
    return mean, np.sqrt(np.maximum(0.0, mean_sq - mean * mean))


def features(hist: Array, pk: npt.NDArray[np.int64], k: npt.NDArray[np.int64]) -> Array:
    """`detector._features` for many candidates: `hist` rows are x, y, z, SVM."""
    s = _SECOND
    svm = hist[:, 3]
    peak = svm[pk]
    _, pre_std = _window_stats(svm, pk - 3 * s, 2 * s)
    pre_dev = np.abs(svm[pk[:, None] + np.arange(-3 * s, -s)] - 1.0).sum(axis=1) / (2 * s)
    g0 = hist[pk[:, None] + np.arange(-2 * s, -s), :3].sum(axis=1)
    low = np.minimum(peak, svm[pk[:, None] + np.arange(-s, 1)].min(axis=1))
    ff = (svm[pk[:, None] + np.arange(-s - s // 2, 1)] < 0.75).sum(axis=1)  # noqa: PLR2004
    area = np.maximum(0.0, svm[pk[:, None] + np.arange(-(s // 2), s // 2 + 1)] - 1.0).sum(axis=1)
    mid_len = int(k[0] - pk[0]) - s + 1 - s // 5 if len(k) else 0
    _, mid_std = _window_stats(svm, pk + s // 5, mid_len)
    post_mean, post_std = _window_stats(svm, k - s + 1, s)
    g1 = hist[k[:, None] + np.arange(-s + 1, 1), :3].sum(axis=1)
    norm = np.sqrt((g0 * g0).sum(axis=1) * (g1 * g1).sum(axis=1))
    turn = np.where(norm <= 1e-12, 1.0, (g0 * g1).sum(axis=1) / np.maximum(norm, 1e-300))  # noqa: PLR2004
    return np.column_stack(
        [
            np.log(peak),
            low,
            ff / s,
            np.log(pre_std + 0.02),
            np.log(pre_dev + 0.02),
            np.log(area / s + 0.01),
            np.log(mid_std + 0.02),
            np.log(post_std + 0.02),
            np.abs(post_mean - 1.0),
            turn,
        ]
    )


def detect(xyz: Array, params: Params, rate_hz: float) -> npt.NDArray[np.bool_]:
    """Like `edge.fall.detector.detect`, with arrays instead of a state machine."""
    p = compile_params(params, rate_hz)
    out = np.zeros(len(xyz), dtype=np.bool_)
    if not len(xyz):
        return out
    xyz = np.asarray(xyz, dtype=np.float64)
    internal, rows = resample(lowpass(xyz, p), xyz[0], p[_P_RATE])
    x, y, z = internal[:, 0], internal[:, 1], internal[:, 2]
    svm = np.sqrt(x * x + y * y + z * z)
    # the ring buffer starts full of the first internal sample; shift indices by its length
    hist = np.vstack([np.repeat([[x[0], y[0], z[0], svm[0]]], _RING_LEN, axis=0)])
    hist = np.vstack([hist, np.column_stack([internal, svm])])
    post, before = int(p[_P_POST]), int(p[_P_BEFORE])
    k = np.arange(post, len(internal)) + _RING_LEN
    pk = k - post
    h = hist[:, 3]
    pk = pk[h[pk] >= p[_P_TRIG]]
    if before:
        pk = pk[h[pk[:, None] + np.arange(-before, 0)].max(axis=1) <= h[pk]]
    pk = pk[h[pk[:, None] + np.arange(1, post + 1)].max(axis=1) < h[pk]]
    k = pk + post
    if not len(k):
        return out
    scores = score(params.model, features(hist, pk, k))
    cool_until, cool = -1, int(p[_P_COOL])
    for when in k[scores >= p[_P_THRESH]]:
        if when >= cool_until:
            out[rows[when - _RING_LEN]] = True
            cool_until = when + cool
    return out
