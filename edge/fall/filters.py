"""Whole-array filters used to prepare recordings (decimation); causal, like a device."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit

from edge.fall.layout import _biquad_lowpass


@njit(cache=True)
def _sosfilt(
    coeffs: npt.NDArray[np.float64], x: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    out = np.empty_like(x)
    for axis in range(x.shape[1]):
        z = np.zeros((coeffs.shape[0], 2))
        for i in range(x.shape[0]):
            v = x[i, axis]
            for s in range(coeffs.shape[0]):
                b0, b1, b2, a1, a2 = coeffs[s]
                w = b0 * v + z[s, 0]
                z[s, 0] = b1 * v - a1 * w + z[s, 1]
                z[s, 1] = b2 * v - a2 * w
                v = w
            out[i, axis] = v
    return out


def butter_lowpass(
    x: npt.NDArray[np.float64], *, cutoff_hz: float, rate_hz: float
) -> npt.NDArray[np.float64]:
    """4th-order Butterworth low-pass of each column."""
    coeffs = np.array(
        [
            _biquad_lowpass(cutoff_hz, rate_hz, 0.54119610),
            _biquad_lowpass(cutoff_hz, rate_hz, 1.30656296),
        ]
    )
    return _sosfilt(coeffs, np.ascontiguousarray(x, dtype=np.float64))
