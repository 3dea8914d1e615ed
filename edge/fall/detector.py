"""A streaming fall detector, compiled with numba: constant work per sample, no allocation.

Stages, as in the literature (Bourke 2007, Kangas 2008, the SisFall paper), with a few
improvements:

1. Each axis is low-pass filtered (4th-order Butterworth, `lp_hz`), as SisFall's authors
   did, and the signal magnitude vector SVM = |a| is computed from the filtered axes.
2. Free fall: SVM below `ff_g` for at least `ff_s`.
3. Impact: SVM above `impact_g` within `impact_window_s` of a free fall, or above
   `strong_g` with no free fall (falls from sitting, slow faints).
4. Posture change: the gravity direction (a slower low-pass) `post_s` after the impact
   differs from its direction 1 s before the event by at least `posture_deg`.
   A new free fall or strong impact during the observation restarts it from the new
   impact (an improvement on single-shot state machines: a jogging step no longer hides
   the fall that follows it).
5. Stillness: the standard deviation of SVM over [impact + `still_from_s`, impact +
   `post_s`] is at most `still_g`.

A fall is declared when (2 and 3, or the strong-impact path) holds and then 4 does, with
5 also required on the strong-impact path (a hard sit-down changes posture too, but the
person keeps moving less often than after a fall). The streaming `step` and the batch
`detect` share the same code, so they agree sample for sample.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt
from numba import njit

# --- state layout -------------------------------------------------------------------------
_BQ = 0  # 2 biquads x 3 axes x 2 delay elements = 12
_G = 12  # gravity estimate, 3
_N = 15  # sample counter
_MODE = 16  # 0 idle, 1 in free fall, 2 waiting for impact, 3 observing after impact
_FF_COUNT = 17
_FF_END = 18
_IMPACT_N = 19
_PEAK = 20
_HAD_FF = 21
_SUM = 22
_SUMSQ = 23
_CNT = 24
_COOL_UNTIL = 25
_PRE = 26  # gravity direction before the event, 3
_RING_POS = 29
_RING = 30  # ring buffer of gravity estimates, 3 per sample
_MODE_IDLE, _MODE_FF, _MODE_WAIT, _MODE_OBSERVE = 0.0, 1.0, 2.0, 3.0
_TINY = 1e-9


@dataclass(frozen=True)
class Params:
    """Detector thresholds; times in seconds, accelerations in g."""

    lp_hz: float = 5.0
    gravity_tau_s: float = 0.4
    ff_g: float = 0.6
    ff_s: float = 0.06
    impact_window_s: float = 1.0
    impact_g: float = 1.9
    strong_g: float = 1.8
    posture_deg: float = 35.0
    post_s: float = 2.0
    still_from_s: float = 1.0
    still_g: float = 0.15
    cooldown_s: float = 5.0
    rearm_s: float = 0.25

    def replace(self, **changes: float) -> Params:
        """A copy with some thresholds changed."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return Params(**values)


def _biquad_lowpass(cutoff_hz: float, rate_hz: float, q: float) -> tuple[float, ...]:
    """RBJ cookbook low-pass biquad (b0, b1, b2, a1, a2), normalised by a0."""
    w0 = 2 * math.pi * cutoff_hz / rate_hz
    alpha = math.sin(w0) / (2 * q)
    cos_w0 = math.cos(w0)
    a0 = 1 + alpha
    b0 = (1 - cos_w0) / 2 / a0
    return (b0, 2 * b0, b0, -2 * cos_w0 / a0, (1 - alpha) / a0)


def compile_params(params: Params, rate_hz: float) -> npt.NDArray[np.float64]:
    """The numeric parameter vector the compiled code uses, for one sample rate."""
    if not 10 <= rate_hz <= 1000:  # noqa: PLR2004
        msg = f"sample rate {rate_hz} Hz is outside 10-1000 Hz"
        raise ValueError(msg)
    cutoff = min(params.lp_hz, rate_hz * 0.45)
    # A 4th-order Butterworth low-pass is two biquads with these Qs.
    sections = _biquad_lowpass(cutoff, rate_hz, 0.54119610) + _biquad_lowpass(
        cutoff, rate_hz, 1.30656296
    )
    per = 1.0 / rate_hz
    values = [
        *sections,  # 0-9
        1.0 - math.exp(-per / params.gravity_tau_s),  # 10 gravity smoothing
        params.ff_g,
        max(1.0, round(params.ff_s * rate_hz)),  # 11, 12
        round(params.impact_window_s * rate_hz),
        params.impact_g,
        params.strong_g,  # 13-15
        math.cos(math.radians(params.posture_deg)),  # 16
        round(params.post_s * rate_hz),
        round(params.still_from_s * rate_hz),  # 17, 18
        params.still_g,
        round(params.cooldown_s * rate_hz),  # 19, 20
        round(rate_hz),  # 21 ring length: one second of gravity estimates
        round(params.rearm_s * rate_hz),  # 22 a new event this long after an impact re-arms
    ]
    return np.array(values, dtype=np.float64)


def new_state(compiled: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """A fresh detector state for parameters compiled at some rate."""
    state = np.zeros(_RING + 3 * int(compiled[21]), dtype=np.float64)
    state[_G + 1] = -1.0  # upright until told otherwise
    return state


@njit(cache=True, fastmath=False)
def step(  # noqa: C901, PLR0911, PLR0912, PLR0915 (one compiled state machine, kept whole for speed)
    state: npt.NDArray[np.float64],
    p: npt.NDArray[np.float64],
    x: float,
    y: float,
    z: float,
) -> bool:
    """Feed one sample (in g); True on the sample where a fall is declared."""
    # 1. low-pass each axis through two cascaded biquads (transposed direct form II)
    fx, fy, fz = x, y, z
    for axis in range(3):
        v = fx if axis == 0 else (fy if axis == 1 else fz)
        for sec in range(2):
            o = sec * 5
            i = _BQ + axis * 4 + sec * 2
            w = p[o] * v + state[i]
            state[i] = p[o + 1] * v - p[o + 3] * w + state[i + 1]
            state[i + 1] = p[o + 2] * v - p[o + 4] * w
            v = w
        if axis == 0:
            fx = v
        elif axis == 1:
            fy = v
        else:
            fz = v
    svm = math.sqrt(fx * fx + fy * fy + fz * fz)
    # gravity direction: a slower smoothing of the filtered axes, kept for one second
    a = p[10]
    state[_G] += a * (fx - state[_G])
    state[_G + 1] += a * (fy - state[_G + 1])
    state[_G + 2] += a * (fz - state[_G + 2])
    ring_len = int(p[21])
    pos = int(state[_RING_POS])
    oldest = _RING + 3 * pos  # the slot about to be overwritten holds gravity 1 s ago
    gx1, gy1, gz1 = state[oldest], state[oldest + 1], state[oldest + 2]
    state[oldest] = state[_G]
    state[oldest + 1] = state[_G + 1]
    state[oldest + 2] = state[_G + 2]
    state[_RING_POS] = (pos + 1) % ring_len
    n = state[_N]
    state[_N] = n + 1.0
    if n < ring_len:
        return False  # filters and the one-second history are still settling
    mode = state[_MODE]
    if mode in (_MODE_IDLE, _MODE_FF, _MODE_WAIT):
        if n < state[_COOL_UNTIL]:
            return False
        if svm < p[11]:
            if mode != _MODE_FF:
                state[_PRE] = gx1
                state[_PRE + 1] = gy1
                state[_PRE + 2] = gz1
                state[_FF_COUNT] = 0.0
            state[_MODE] = _MODE_FF
            state[_FF_COUNT] += 1.0
            return False
        if mode == _MODE_FF:
            if state[_FF_COUNT] >= p[12]:
                state[_MODE] = _MODE_WAIT
                state[_FF_END] = n
            else:
                state[_MODE] = _MODE_IDLE
            mode = state[_MODE]
        if mode == _MODE_WAIT and n - state[_FF_END] > p[13]:
            state[_MODE] = _MODE_IDLE
            mode = _MODE_IDLE
        had_ff = mode == _MODE_WAIT
        if (had_ff and svm >= p[14]) or svm >= p[15]:
            if not had_ff:
                state[_PRE] = gx1
                state[_PRE + 1] = gy1
                state[_PRE + 2] = gz1
            state[_MODE] = _MODE_OBSERVE
            state[_FF_COUNT] = 0.0
            state[_HAD_FF] = 1.0 if had_ff else 0.0
            state[_IMPACT_N] = n
            state[_PEAK] = svm
            state[_SUM] = 0.0
            state[_SUMSQ] = 0.0
            state[_CNT] = 0.0
        return False
    # observing after an impact; a new free fall or strong impact restarts the observation
    since = n - state[_IMPACT_N]
    if svm < p[11]:
        state[_FF_COUNT] += 1.0
    else:
        if state[_FF_COUNT] >= p[12]:
            state[_FF_END] = n
        state[_FF_COUNT] = 0.0
    recent_ff = state[_FF_END] > state[_IMPACT_N] and n - state[_FF_END] <= p[13]
    if since >= p[22] and ((recent_ff and svm >= p[14]) or svm >= p[15]):
        state[_PRE] = gx1
        state[_PRE + 1] = gy1
        state[_PRE + 2] = gz1
        state[_HAD_FF] = 1.0 if recent_ff else state[_HAD_FF]
        state[_IMPACT_N] = n
        state[_PEAK] = svm
        state[_SUM] = 0.0
        state[_SUMSQ] = 0.0
        state[_CNT] = 0.0
        return False
    state[_PEAK] = max(state[_PEAK], svm)
    if since >= p[18]:
        state[_SUM] += svm
        state[_SUMSQ] += svm * svm
        state[_CNT] += 1.0
    if since < p[17]:
        return False
    state[_MODE] = _MODE_IDLE
    gx, gy, gz = state[_G], state[_G + 1], state[_G + 2]
    px, py, pz = state[_PRE], state[_PRE + 1], state[_PRE + 2]
    norm = math.sqrt((gx * gx + gy * gy + gz * gz) * (px * px + py * py + pz * pz))
    cos_angle = 1.0 if norm <= _TINY else (gx * px + gy * py + gz * pz) / norm
    turned = cos_angle <= p[16]
    cnt = state[_CNT]
    var = 0.0
    if cnt > 1.0:
        mean = state[_SUM] / cnt
        var = max(0.0, state[_SUMSQ] / cnt - mean * mean)
    still = math.sqrt(var) <= p[19]
    fall = turned and (state[_HAD_FF] == 1.0 or still)
    if fall:
        state[_COOL_UNTIL] = n + p[20]
    return bool(fall)


@njit(cache=True)
def _detect_into(
    state: npt.NDArray[np.float64],
    p: npt.NDArray[np.float64],
    xyz: npt.NDArray[np.float64],
    out: npt.NDArray[np.bool_],
) -> None:
    for i in range(xyz.shape[0]):
        out[i] = step(state, p, xyz[i, 0], xyz[i, 1], xyz[i, 2])


def detect(xyz: npt.NDArray[np.float64], params: Params, rate_hz: float) -> npt.NDArray[np.bool_]:
    """Run the detector over a whole recording (n x 3, in g); True where a fall is declared."""
    compiled = compile_params(params, rate_hz)
    state = new_state(compiled)
    out = np.zeros(xyz.shape[0], dtype=np.bool_)
    _detect_into(state, compiled, np.ascontiguousarray(xyz, dtype=np.float64), out)
    return out


class StreamingDetector:
    """The same detector, one sample (or one wearable frame) at a time."""

    def __init__(self, params: Params, rate_hz: float, *, max_frame: int = 64) -> None:
        """Allocate the state and a frame buffer once; feeding allocates nothing."""
        self._p = compile_params(params, rate_hz)
        self._state = new_state(self._p)
        self._flags = np.zeros(max_frame, dtype=np.bool_)
        self.rate_hz = rate_hz

    def feed(self, x: float, y: float, z: float) -> bool:
        """One sample in g; True when a fall is declared on it."""
        fell: bool = step(self._state, self._p, x, y, z)
        return fell

    def feed_frame(self, xyz: npt.NDArray[np.float64]) -> int | None:
        """A frame of samples (n x 3, in g, n <= max_frame) in one compiled call.

        Returns the index within the frame of the sample where a fall is declared, if any.
        """
        n = xyz.shape[0]
        flags = self._flags[:n]
        _detect_into(self._state, self._p, xyz, flags)
        hits = np.flatnonzero(flags)
        return int(hits[0]) if hits.size else None

    @property
    def samples_seen(self) -> int:
        """How many samples were fed."""
        return int(self._state[_N])
