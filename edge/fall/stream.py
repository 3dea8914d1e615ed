"""The detector fed one sample or one wearable frame at a time, as the agent runs it.

The compiled kernel is the ahead-of-time build of `edge.fall.detector._frame`
(`python -m edge.fall.aot`, which `make` runs) when it is there and was built from this
very source: then the agent never imports numba or LLVM, which are two thirds of its
memory. Otherwise the same function is compiled by numba at first use. Both are the same
code through the same compiler, so they agree sample for sample (tests/edge/test_fall_detector.py).
"""

from __future__ import annotations

import hashlib
import importlib
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from edge.fall.layout import _I, _P_LEN, Params, compile_params, new_state

Kernel = Callable[[npt.NDArray[np.float64], npt.NDArray[np.float64]], int]
HERE = Path(__file__).parent
SOURCES = ("detector.py", "layout.py", "model.py")  # what the compiled kernel is built from


def source_digest() -> int:
    """A 62-bit digest of the kernel's source, which the ahead-of-time build carries."""
    h = hashlib.sha256()
    for name in SOURCES:
        h.update((HERE / name).read_bytes())
    return int.from_bytes(h.digest()[:8], "big") >> 2


@cache
def kernel() -> tuple[Kernel, str]:
    """The frame kernel and where it comes from: "ahead-of-time" or "numba".

    An ahead-of-time build from other source (the detector changed since) is not used;
    CONTINUO_FALL_KERNEL=numba asks for numba's (the benchmark's baseline).
    """
    try:
        if os.environ.get("CONTINUO_FALL_KERNEL") == "numba":
            raise ImportError  # noqa: TRY301 (the same way as a missing build)
        aot = importlib.import_module("edge.fall._aot")
        if int(aot.digest()) == source_digest():
            frame: Kernel = aot.frame
            return frame, "ahead-of-time"
    except ImportError:
        pass
    from edge.fall.detector import _frame  # noqa: PLC0415 (numba only when needed)

    return _frame, "numba"


class StreamingDetector:
    """The same detector, one sample (or one wearable frame) at a time."""

    def __init__(self, params: Params, rate_hz: float) -> None:
        """Allocate the state and buffers once; feeding allocates nothing."""
        compiled = compile_params(params, rate_hz)
        self._buffer = np.concatenate([compiled, new_state(compiled)])
        self._one = np.zeros((1, 3), dtype=np.float64)
        self._frame, self.compiled_by = kernel()
        self.rate_hz = rate_hz

    def feed(self, x: float, y: float, z: float) -> bool:
        """One sample in g; True when a fall is declared on it."""
        one = self._one
        one[0, 0], one[0, 1], one[0, 2] = x, y, z
        return bool(self._frame(self._buffer, one) == 0)

    def feed_frame(self, xyz: npt.NDArray[np.float64]) -> int | None:
        """A frame of samples (n x 3, in g, C-contiguous float64) in one compiled call.

        Returns the index within the frame of the sample where a fall is declared, if any.
        """
        first = int(self._frame(self._buffer, xyz))
        return None if first < 0 else first

    @property
    def samples_seen(self) -> int:
        """How many samples were fed."""
        return int(self._buffer[_P_LEN + _I])
