"""The fall detector: streaming and batch agree, it finds real falls, and the tools work."""

from __future__ import annotations

import json
import random
import tarfile
from pathlib import Path

import numpy as np
import pytest

from edge.fall.bench import synthetic
from edge.fall.detector import Params, StreamingDetector, compile_params, detect, new_state, step
from edge.fall.evaluate import evaluate
from edge.fall.sisfall import RecordingError, decimate, load, parse_text
from tests.peers import continuo

SHARED = Path(__file__).resolve().parents[2] / "shared" / "falldata"


@pytest.fixture(scope="session")
def sisfall(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """SA01 and SE01 (recordings and labels), unpacked outside the repository."""
    if not (SHARED / "sisfall-dev.tar.xz").exists():
        pytest.skip("needs ../shared/falldata")
    root = tmp_path_factory.mktemp("sisfall")
    for archive, folder in (
        ("sisfall-dev.tar.xz", "data"),
        ("sisfall-enhanced-labels-dev.tar.xz", "labels"),
    ):
        with tarfile.open(SHARED / archive) as tar:
            members = [
                m for m in tar.getmembers() if m.name.split("/")[-2:-1] in (["SA01"], ["SE01"])
            ]
            tar.extractall(root / folder, members=members, filter="data")
    data = next(p.parent.parent for p in (root / "data").rglob("F01_SA01_R01.txt"))
    labels = next(p.parent.parent for p in (root / "labels").rglob("F01_SA01_R01.txt"))
    return data, labels


def test_streaming_frames_and_batch_agree_sample_for_sample() -> None:
    xyz = synthetic(120, random.Random(3))
    batch = np.flatnonzero(detect(xyz, Params(), 200)).tolist()
    assert len(batch) == 6  # a fall every 20 s
    one = StreamingDetector(Params(), 200)
    assert [i for i in range(len(xyz)) if one.feed(*xyz[i])] == batch
    framed = StreamingDetector(Params(), 200)
    hits = []
    for start in range(0, len(xyz), 10):
        hit = framed.feed_frame(np.ascontiguousarray(xyz[start : start + 10]))
        if hit is not None:
            hits.append(start + hit)
    assert hits == batch
    assert framed.samples_seen == len(xyz)


def test_interpreted_source_is_the_same_algorithm() -> None:
    xyz = synthetic(25, random.Random(4))
    p = compile_params(Params(), 200)
    state = new_state(p).tolist()
    plain = [i for i in range(len(xyz)) if step.py_func(state, p.tolist(), *xyz[i])]
    assert plain == np.flatnonzero(detect(xyz, Params(), 200)).tolist()


def test_rates_outside_the_supported_range_are_refused() -> None:
    with pytest.raises(ValueError, match="outside 10-1000 Hz"):
        compile_params(Params(), 5)


def test_real_falls_are_found_and_daily_activities_are_not(sisfall: tuple[Path, Path]) -> None:
    data, labels = sisfall
    recordings = load(data, subjects=["SA01"], labels_root=labels)
    report = evaluate(recordings, Params())
    assert report.sensitivity is not None
    assert report.sensitivity >= 0.9
    assert report.specificity is not None
    assert report.specificity >= 0.95
    delays = report.delays()
    assert delays["n"]
    median = delays["median_s"]
    assert median is not None
    assert 1.0 < median < 3.0
    at_50 = evaluate(recordings, Params(), rate_hz=50)
    assert at_50.sensitivity is not None
    assert at_50.sensitivity >= 0.9


def test_decimation_keeps_the_signal(sisfall: tuple[Path, Path]) -> None:
    data, _ = sisfall
    (walk,) = [r for r in load(data, subjects=["SA01"]) if r.code == "D01"]
    low = decimate(walk.xyz, 4)
    assert len(low) == len(walk.xyz) // 4 + (len(walk.xyz) % 4 > 0)
    assert np.mean(low[:, 1]) == pytest.approx(np.mean(walk.xyz[:, 1]), abs=0.02)


def test_malformed_recordings_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(RecordingError, match="expected 9 values"):
        parse_text("1,2,3;\n", where="x")
    with pytest.raises(RecordingError, match="not all values are numbers"):
        parse_text("1,2,x,4,5,6,7,8,9;\n", where="x")
    assert parse_text("-9,-257, -25,  84, 247,  27,-120,-987,  63;\r\n", where="x").tolist() == [
        [-9 / 256, -257 / 256, -25 / 256]
    ]
    with pytest.raises(RecordingError, match="not a directory"):
        load(tmp_path / "missing")


def test_evaluate_command_reports_sensitivity_specificity_and_activities(
    sisfall: tuple[Path, Path],
) -> None:
    data, labels = sisfall
    result = continuo(
        "fall",
        "evaluate",
        str(data),
        "--subjects",
        "SA01,SE01",
        "--labels",
        str(labels),
        "--json",
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)["result"]
    assert summary["falls"] == 75
    assert summary["sensitivity"] >= 0.9
    assert summary["specificity_elderly"] >= 0.95
    assert {"F01", "D19"} <= set(summary["per_activity"])
    bad = continuo("fall", "evaluate", str(data), "--rate", "60")
    assert bad.returncode == 2
    missing = continuo("fall", "evaluate", str(data), "--subjects", "SZ99")
    assert missing.returncode == 2
    assert "no recordings" in missing.stderr


def test_bench_command_compares_all_versions_on_the_same_data(tmp_path: Path) -> None:
    target = tmp_path / "BENCHMARKS.md"
    result = continuo(
        "fall", "bench", "--seconds", "30", "--json", "--update", str(target), timeout=300
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    names = set(data["results"])
    assert {"numba batch", "pure Python", "NumPy (interpreted)"} <= names
    assert data["results"]["pure Python"]["x_pure_python"] == pytest.approx(1.0)
    assert "<!-- fall-bench -->" in target.read_text()
