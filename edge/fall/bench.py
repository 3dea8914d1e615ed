"""`continuo fall bench`: samples per second of one algorithm written three ways, one run.

* numba: `detect` over whole arrays (batch); `StreamingDetector.feed_frame` per wearable
  frame of 40 samples (the GATT profile's largest) and of 10; `feed`, one call per sample
  (the streaming rows run the kernel the agent runs: numba's ahead-of-time build when
  `make` has built it, `edge.fall.stream`);
* NumPy, vectorised the way an expert would (`edge.fall.vectorised`: block-wise filter,
  array expressions for everything else);
* pure Python: the numba source itself, run by the interpreter with lists and floats.

All versions must flag the same samples. Times are this process's CPU time, and the
versions take turns for several rounds, each keeping its fastest run (the machine is
shared); the process is pinned to one CPU core while timing, so BLAS threads cannot help
NumPy. Numba's start-up is timed in fresh processes, the second
one with the on-disk compile cache warm.
"""

from __future__ import annotations

import math
import os
import random
import subprocess
import sys
import time
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from edge.fall import vectorised
from edge.fall.detector import detect, run
from edge.fall.layout import Params, compile_params, new_state
from edge.fall.stream import StreamingDetector, kernel

RATE_HZ = 200
# CPU time of this process, not wall time: on a shared machine a version that happens to
# wait for the CPU should not look slower than the code is
_clock = time.process_time
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


def interpreted(fn: Any) -> Callable[..., Any]:
    """The pure-Python source behind a numba function, calling pure-Python callees too."""
    namespace = dict(fn.py_func.__globals__)
    for name, value in list(namespace.items()):
        if hasattr(value, "py_func"):
            namespace[name] = types.FunctionType(value.py_func.__code__, namespace, name)
    function: Callable[..., Any] = namespace[fn.__name__]
    return function


def _pure_python(xyz: npt.NDArray[np.float64]) -> list[int]:
    p = compile_params(Params(), RATE_HZ).tolist()
    state = new_state(np.zeros(0)).tolist()
    rows = xyz.tolist()
    flags = [False] * len(rows)
    interpreted(run)(p, state, rows, flags)
    return [i for i, fell in enumerate(flags) if fell]


def _batch(xyz: npt.NDArray[np.float64]) -> list[int]:
    hits: list[int] = np.flatnonzero(detect(xyz, Params(), RATE_HZ)).tolist()
    return hits


def _numpy(xyz: npt.NDArray[np.float64]) -> list[int]:
    hits: list[int] = np.flatnonzero(vectorised.detect(xyz, Params(), RATE_HZ)).tolist()
    return hits


def _frames(size: int) -> Callable[[npt.NDArray[np.float64]], list[int]]:
    def framed(xyz: npt.NDArray[np.float64]) -> list[int]:
        frames = [np.ascontiguousarray(xyz[i : i + size]) for i in range(0, len(xyz), size)]
        detector = StreamingDetector(Params(), RATE_HZ)
        feed_frame = detector.feed_frame
        start = _clock()
        hits = []
        for k, frame in enumerate(frames):
            hit = feed_frame(frame)
            if hit is not None:
                hits.append(k * size + hit)
        framed.seconds = _clock() - start  # type: ignore[attr-defined]
        return hits

    return framed


def _per_sample(xyz: npt.NDArray[np.float64]) -> list[int]:
    detector = StreamingDetector(Params(), RATE_HZ)
    feed = detector.feed
    rows = xyz.tolist()
    start = _clock()
    hits = [i for i, (x, y, z) in enumerate(rows) if feed(x, y, z)]
    _per_sample.seconds = _clock() - start  # type: ignore[attr-defined]
    return hits


def _best(
    version: Callable[[npt.NDArray[np.float64]], list[int]],
    xyz: npt.NDArray[np.float64],
    repeats: int,
) -> tuple[list[int], float]:
    """Flags and the fastest of `repeats` runs (frame set-up and list building excluded)."""
    best = math.inf
    hits: list[int] = []
    for _ in range(repeats):
        start = _clock()
        hits = version(xyz)
        seconds = getattr(version, "seconds", _clock() - start)
        best = min(best, seconds)
    return hits, best


@contextmanager
def _one_core() -> Iterator[None]:
    """Pin this process (and every thread it has) to the CPU it is on, then restore."""
    if not hasattr(os, "sched_setaffinity"):
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(before)})
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def startup_seconds() -> tuple[float, float]:
    """Import and first call in a fresh process: (first run, warm compile cache)."""
    code = (
        "import time; t = time.perf_counter();"
        "import numpy as np; from edge.fall.detector import detect;"
        " from edge.fall.layout import Params;"
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


def run_all(
    xyz: npt.NDArray[np.float64], *, python_samples: int = 40_000, rounds: int = 5
) -> dict[str, Any]:
    """Time every version on `xyz`; pure Python on its first `python_samples`.

    The versions take turns for `rounds` rounds, so a busy moment on the shared machine
    hits them alike; each keeps its fastest run.
    """
    detect(xyz[:100], Params(), RATE_HZ)  # compile (or load from cache) before timing
    StreamingDetector(Params(), RATE_HZ).feed_frame(np.ascontiguousarray(xyz[:10]))
    head = np.ascontiguousarray(xyz[:python_samples])
    # name: (version, runs on the head only, runs per round)
    versions: dict[str, tuple[Callable[[npt.NDArray[np.float64]], list[int]], bool, int]] = {
        "numba batch": (_batch, False, 3),
        "numba streaming, 40-sample frames": (_frames(40), False, 3),
        "numba streaming, 10-sample frames": (_frames(10), False, 3),
        "numba streaming, one call per sample": (_per_sample, False, 1),
        "NumPy, vectorised": (_numpy, False, 1),
        "pure Python": (_pure_python, True, 1),
    }
    timings: dict[str, tuple[int, float]] = {}
    flagged: dict[str, list[int]] = {}
    with _one_core():
        for _ in range(rounds):
            for name, (version, short, times) in versions.items():
                data = head if short else xyz
                hits, seconds = _best(version, data, times)
                if name not in timings or seconds < timings[name][1]:
                    timings[name] = (len(data), seconds)
                flagged[name] = [h for h in hits if h < len(head)]
    if len({tuple(hits) for hits in flagged.values()}) != 1:
        msg = f"the versions disagree: {flagged}"
        raise AssertionError(msg)
    first, warm = startup_seconds()
    base = timings["pure Python"][0] / timings["pure Python"][1]
    batch = timings["numba batch"][0] / timings["numba batch"][1]
    return {
        "samples": len(xyz),
        "python_samples": len(head),
        "falls_flagged": len(_batch(xyz)),
        "results": {
            name: {
                "samples_per_s": n / s,
                "x_pure_python": n / s / base,
                "x_slower_than_batch": batch / (n / s),
            }
            for name, (n, s) in timings.items()
        },
        "startup_first_s": first,
        "startup_warm_cache_s": warm,
        "streaming_kernel": kernel()[1],
    }
