"""`continuo fall bench`: samples per second of the detector, four ways, on the same data.

* numba batch: `detect` over whole arrays;
* numba streaming: `StreamingDetector.feed_frame` per 10-sample wearable frame (what the
  agent does), and `feed`, one Python call per sample;
* NumPy: the same `step` source run by the interpreter with numpy state arrays;
* pure Python: the same source with state in Python lists and floats.

All four must flag the same samples. Numba's start-up is timed in fresh processes, the
second one with the on-disk compile cache warm.
"""

from __future__ import annotations

import math
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from edge.fall.detector import Params, StreamingDetector, compile_params, detect, new_state, step

RATE_HZ = 200
_CYCLE_S, _FALL_AT_S, _IMPACT_AT_S, _LYING_AT_S, _UP_AT_S = 20.0, 10.0, 10.35, 10.41, 14.0


def synthetic(seconds: float, rng: random.Random) -> npt.NDArray[np.float64]:
    """Walking with a fall every 20 s: a standard workload when no recordings are given."""
    n = int(seconds * RATE_HZ)
    out = np.empty((n, 3))
    for i in range(n):
        t = i / RATE_HZ
        phase = t % _CYCLE_S
        if _FALL_AT_S <= phase < _IMPACT_AT_S:
            out[i] = (0.0, -0.15, 0.0)  # free fall
        elif _IMPACT_AT_S <= phase < _LYING_AT_S:
            out[i] = (4.0, -5.0, 3.0)  # impact
        elif _LYING_AT_S <= phase < _UP_AT_S:
            out[i] = (-1.0, 0.0, 0.0)  # lying on the side
        else:
            s = 0.35 * math.sin(2 * math.pi * 1.8 * t)
            out[i] = (rng.gauss(0, 0.03), -1.0 + s + rng.gauss(0, 0.03), rng.gauss(0, 0.03))
    return out


def _interpreted(xyz: npt.NDArray[np.float64], *, as_lists: bool) -> tuple[list[int], float]:
    p = compile_params(Params(), RATE_HZ)
    state = new_state(p)
    fn = step.py_func  # the same source, interpreted
    state_any: Any = state.tolist() if as_lists else state
    p_any: Any = p.tolist() if as_lists else p
    rows: Any = xyz.tolist() if as_lists else xyz
    hits = []
    start = time.perf_counter()
    for i in range(len(rows)):
        row = rows[i]
        if fn(state_any, p_any, row[0], row[1], row[2]):
            hits.append(i)
    return hits, time.perf_counter() - start


def startup_seconds() -> tuple[float, float]:
    """Import and first call in a fresh process: (first run, warm compile cache)."""
    code = (
        "import time; t = time.perf_counter();"
        "import numpy as np; from edge.fall.detector import detect, Params;"
        "detect(np.zeros((10, 3)), Params(), 200); print(time.perf_counter() - t)"
    )
    root = Path(__file__).resolve().parents[2]
    runs = [
        float(
            subprocess.run(  # noqa: S603 (this interpreter, our own code)
                [sys.executable, "-c", code],
                capture_output=True,
                text=True,
                check=True,
                cwd=root,
            ).stdout
        )
        for _ in range(2)
    ]
    return runs[0], runs[1]


def run(xyz: npt.NDArray[np.float64], *, python_samples: int = 40_000) -> dict[str, Any]:
    """Time every version on `xyz`; the interpreted ones on its first `python_samples`."""
    detect(xyz[:100], Params(), RATE_HZ)  # compile (or load from cache) before timing
    start = time.perf_counter()
    batch_hits = np.flatnonzero(detect(xyz, Params(), RATE_HZ)).tolist()
    batch_s = time.perf_counter() - start

    stream = StreamingDetector(Params(), RATE_HZ)
    feed = stream.feed
    start = time.perf_counter()
    stream_hits = [i for i in range(len(xyz)) if feed(xyz[i, 0], xyz[i, 1], xyz[i, 2])]
    stream_s = time.perf_counter() - start

    framed = StreamingDetector(Params(), RATE_HZ)
    frames = [np.ascontiguousarray(xyz[i : i + 10]) for i in range(0, len(xyz), 10)]
    start = time.perf_counter()
    frame_hits = []
    for k, frame in enumerate(frames):
        hit = framed.feed_frame(frame)
        if hit is not None:
            frame_hits.append(k * 10 + hit)
    frame_s = time.perf_counter() - start

    head = xyz[:python_samples]
    numpy_hits, numpy_s = _interpreted(head, as_lists=False)
    python_hits, python_s = _interpreted(head, as_lists=True)
    head_hits = [h for h in batch_hits if h < len(head)]
    if not (stream_hits == batch_hits == frame_hits and numpy_hits == head_hits == python_hits):
        msg = "the four versions disagree"
        raise AssertionError(msg)
    first, warm = startup_seconds()
    rows = {
        "numba batch": (len(xyz), batch_s),
        "numba streaming, 10-sample frames": (len(xyz), frame_s),
        "numba streaming, one call per sample": (len(xyz), stream_s),
        "NumPy (interpreted)": (len(head), numpy_s),
        "pure Python": (len(head), python_s),
    }
    base = len(head) / python_s
    return {
        "samples": len(xyz),
        "falls_flagged": len(batch_hits),
        "results": {
            name: {"samples_per_s": n / s, "x_pure_python": n / s / base}
            for name, (n, s) in rows.items()
        },
        "startup_first_s": first,
        "startup_warm_cache_s": warm,
    }
