"""Read recordings in the SisFall layout: ``SUBJECT/CODE_SUBJECT_Rnn.txt``.

Each line holds nine integers ending in ``;``; columns 1-3 are the ADXL345 accelerometer
at 200 Hz, g = raw / 256. Enhanced labels (one integer a line: 0 background, 1 alert,
2 the fall itself) may sit in a parallel tree. Parsed recordings are cached as .npy files
so an evaluation reads text once.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from common.errors import ContinuoError

RATE_HZ = 200
_NAME = re.compile(r"^(?P<code>[DF]\d{2})_(?P<subject>S[AE]\d{2})_R(?P<trial>\d{2})\.txt$")


class RecordingError(ContinuoError):
    """A recording file is not in the SisFall format."""


@dataclass(frozen=True)
class Recording:
    """One trial: who, what, and the accelerometer samples in g."""

    subject: str
    code: str
    trial: int
    path: Path
    xyz: npt.NDArray[np.float64]
    labels: npt.NDArray[np.int8] | None

    @property
    def is_fall(self) -> bool:
        """F codes are falls, D codes daily activities."""
        return self.code.startswith("F")


def parse_text(text: str, *, where: str) -> npt.NDArray[np.float64]:
    """The ADXL345 columns of a SisFall file, in g."""
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip().rstrip(";").strip()  # noqa: PLW2901
        if not line:
            continue
        parts = line.split(",")
        if len(parts) != 9:  # noqa: PLR2004
            msg = f"{where}:{number}: expected 9 values, got {len(parts)}"
            raise RecordingError(msg)
        rows.append(",".join(parts[:3]))
    try:
        values = np.array(",".join(rows).split(","), dtype=np.float64) if rows else np.zeros(0)
    except ValueError as exc:
        raise RecordingError(f"{where}: not all values are numbers") from exc
    return values.reshape(-1, 3) / 256.0


def _cached(path: Path, cache: Path | None) -> npt.NDArray[np.float64]:
    if cache is None:
        return parse_text(path.read_text(errors="replace"), where=str(path))
    stat = path.stat()
    key = hashlib.sha1(
        f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode(), usedforsecurity=False
    ).hexdigest()
    target = cache / f"{key}.npy"
    if target.exists():
        cached: npt.NDArray[np.float64] = np.load(target)
        return cached
    xyz = parse_text(path.read_text(errors="replace"), where=str(path))
    cache.mkdir(parents=True, exist_ok=True)
    np.save(target, xyz)
    return xyz


def load(
    root: Path,
    *,
    subjects: list[str] | None = None,
    labels_root: Path | None = None,
    cache: Path | None = None,
) -> list[Recording]:
    """Every recording under `root` (of `subjects` if given), sorted by subject and code."""
    if not root.is_dir():
        raise RecordingError(f"{root} is not a directory of SisFall subjects")
    wanted = set(subjects) if subjects else None
    recordings = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if wanted is not None and folder.name not in wanted:
            continue
        for path in sorted(folder.glob("*.txt")):
            match = _NAME.match(path.name)
            if not match:
                continue
            labels = None
            if labels_root is not None:
                label_path = labels_root / folder.name / path.name
                if label_path.exists():
                    labels = np.loadtxt(label_path, dtype=np.int8, ndmin=1)
            recordings.append(
                Recording(
                    folder.name,
                    match["code"],
                    int(match["trial"]),
                    path,
                    _cached(path, cache),
                    labels,
                )
            )
    if wanted is not None and not recordings:
        raise RecordingError(f"no recordings for {sorted(wanted)} under {root}")
    return recordings


def decimate(xyz: npt.NDArray[np.float64], factor: int) -> npt.NDArray[np.float64]:
    """Low-pass below the new Nyquist (4th-order Butterworth, causal), then keep every nth."""
    if factor == 1:
        return xyz
    from edge.fall.filters import butter_lowpass  # noqa: PLC0415

    filtered = butter_lowpass(xyz, cutoff_hz=0.4 * RATE_HZ / factor, rate_hz=RATE_HZ)
    return filtered[::factor]
