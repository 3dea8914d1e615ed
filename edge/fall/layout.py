"""The detector's numbers: its rates, state and parameter layouts, and its settings.

Pure NumPy, so that the edge agent can run the ahead-of-time compiled detector
(`edge.fall.aot`) without importing numba; `edge.fall.detector` holds the compiled code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace

import numpy as np
import numpy.typing as npt

from edge.fall.model import N_FEATURES, N_TERMS, Model
from edge.fall.weights import DEFAULT_MODEL

INTERNAL_HZ = 25.0
MIN_RATE_HZ = 10.0
MAX_RATE_HZ = 1000.0
_RING_LEN = 200  # internal samples of history (8 s)
_SECOND = 25  # internal samples per second

# --- state layout -------------------------------------------------------------------------
_BQ = 0  # 2 biquads x 3 axes x 2 delay elements = 12
_PREV = 12  # the previous filtered sample, 3 (for interpolation)
_I = 15  # input samples seen
_K = 16  # internal samples produced
_COOL = 17  # no detection before this internal sample
_POS = 18  # where internal sample _K goes in the ring
_FEAT = 19  # the last candidate's features
_RING = _FEAT + N_FEATURES  # x, y, z, SVM per internal sample
_STATE_LEN = _RING + 4 * _RING_LEN

# --- compiled parameter layout ------------------------------------------------------------
_P_RATE = 10  # 0-9: the two biquads
_P_TRIG = 11
_P_BEFORE = 12
_P_POST = 13
_P_COOL = 14
_P_THRESH = 15
_P_BIAS = 16
_P_W = 17
_P_MEAN = _P_W + N_TERMS
_P_SCALE = _P_MEAN + N_TERMS
_P_LEN = _P_SCALE + N_TERMS


@dataclass(frozen=True)
class Params:
    """Detector settings; times in seconds, accelerations in g. The same at every rate."""

    lp_hz: float = 5.0
    trig_g: float = 1.5
    before_s: float = 1.0
    post_s: float = 2.0
    cooldown_s: float = 5.0
    threshold: float = 0.0
    model: Model = field(default=DEFAULT_MODEL)

    def replace(self, **changes: float | Model) -> Params:
        """A copy with some settings changed."""
        names = {f.name for f in fields(self)}
        unknown = set(changes) - names
        if unknown:
            msg = f"unknown detector settings: {sorted(unknown)}"
            raise ValueError(msg)
        return replace(self, **changes)  # type: ignore[arg-type]


def _biquad_lowpass(cutoff_hz: float, rate_hz: float, q: float) -> tuple[float, ...]:
    """RBJ cookbook low-pass biquad (b0, b1, b2, a1, a2), normalised by a0."""
    w0 = 2 * math.pi * cutoff_hz / rate_hz
    alpha = math.sin(w0) / (2 * q)
    cos_w0 = math.cos(w0)
    a0 = 1 + alpha
    b0 = (1 - cos_w0) / 2 / a0
    return (b0, 2 * b0, b0, -2 * cos_w0 / a0, (1 - alpha) / a0)


def compile_params(params: Params, rate_hz: float) -> npt.NDArray[np.float64]:
    """The numeric parameter vector the compiled code uses, for one input rate."""
    if not MIN_RATE_HZ <= rate_hz <= MAX_RATE_HZ:
        msg = f"sample rate {rate_hz} Hz is outside 10-1000 Hz"
        raise ValueError(msg)
    cutoff = min(params.lp_hz, rate_hz * 0.4)
    # A 4th-order Butterworth low-pass is two biquads with these Qs.
    sections = _biquad_lowpass(cutoff, rate_hz, 0.54119610) + _biquad_lowpass(
        cutoff, rate_hz, 1.30656296
    )
    post = round(params.post_s * INTERNAL_HZ)
    if not _SECOND + 5 <= post <= _RING_LEN - 3 * _SECOND - 1:
        msg = f"post_s {params.post_s} s is outside 1.2-4.9 s"
        raise ValueError(msg)
    before = round(params.before_s * INTERNAL_HZ)
    if not 0 <= before < _RING_LEN - post:
        msg = f"before_s {params.before_s} s does not fit the 8 s history with post_s"
        raise ValueError(msg)
    m = params.model
    values = [
        *sections,
        float(rate_hz),
        params.trig_g,
        before,
        post,
        round(params.cooldown_s * INTERNAL_HZ),
        params.threshold,
        m.bias,
        *m.weights,
        *m.mean,
        *m.scale,
    ]
    return np.array(values, dtype=np.float64)


def new_state(compiled: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """A fresh detector state for parameters compiled at some rate."""
    del compiled  # the state's size does not depend on the rate
    return np.zeros(_STATE_LEN, dtype=np.float64)
