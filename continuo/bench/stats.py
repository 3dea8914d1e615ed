"""What the benchmarks measure with: nearest-rank percentiles, and a process's memory and CPU."""

from __future__ import annotations

import math
import os
import re
import resource
from collections.abc import Sequence
from pathlib import Path


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank `q`-th percentile of `values` (not empty): a value that occurred."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


def _status_mb(pid: int, field: str) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    found = re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)
    return round(int(found.group(1)) / 1024, 1) if found else 0.0


def rss_mb(pid: int) -> float:
    """A running process's resident memory now (VmRSS), 0 where it cannot be read."""
    return _status_mb(pid, "VmRSS")


def peak_rss_mb(pid: int) -> float:
    """A running process's peak resident memory (VmHWM), 0 where it cannot be read."""
    return _status_mb(pid, "VmHWM")


def own_peak_rss_mb() -> float:
    """The peak resident memory of the process that calls it."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def cpu_seconds(pid: int) -> float:
    """A process's CPU time so far (user + system), 0 where it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    try:
        first = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except (OSError, IndexError):
        return 0.0, 0.0
    ticks = [int(v) for v in first]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # noqa: PLR2004 (idle, iowait)
    hz = os.sysconf("SC_CLK_TCK")
    return (sum(ticks) - idle) / hz, sum(ticks) / hz
