"""The fall detector: every path agrees at every rate, it finds real falls, the tools work."""

from __future__ import annotations

import importlib.util
import json
import random
import subprocess
import sys
import tarfile
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from typer.testing import CliRunner

from edge.fall import vectorised
from edge.fall.bench import interpreted, synthetic
from edge.fall.cli import app
from edge.fall.detector import detect, run
from edge.fall.evaluate import cross_validate, evaluate, train
from edge.fall.filters import butter_lowpass
from edge.fall.layout import Params, compile_params, new_state
from edge.fall.model import Model, expand, source
from edge.fall.sisfall import RecordingError, decimate, load, parse_text
from edge.fall.stream import StreamingDetector
from edge.fall.weights import DEFAULT_MODEL
from tests.support.paths import ROOT

SHARED = ROOT.parent / "shared" / "falldata"
# Wearables report 12.5-200 Hz; the detector takes 10-1000 Hz, integer or not.
RATES = (10.0, 12.5, 13.0, 20.0, 25.0, 30.0, 40.0, 50.0, 60.0, 100.0, 200.0, 400.0, 1000.0)
FALLS_IN_120_S = 6  # the synthetic workload falls every 20 s
Array = npt.NDArray[np.float64]


def at_rate(xyz: Array, rate: float) -> Array:
    """200 Hz samples as a wearable at `rate` would report them (anti-aliased, resampled)."""
    if rate < 200:
        xyz = butter_lowpass(xyz, cutoff_hz=0.4 * rate, rate_hz=200)
    t_in = np.arange(len(xyz)) / 200
    t_out = np.arange(int(len(xyz) * rate / 200)) / rate
    return np.column_stack([np.interp(t_out, t_in, xyz[:, c]) for c in range(3)])


@pytest.fixture(scope="module")
def walk_and_falls() -> Array:
    """Two minutes of synthetic walking with six falls, at 200 Hz."""
    return synthetic(120, random.Random(3))


@pytest.fixture(scope="session")
def sisfall(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """SA01 and SA02 (recordings and labels), unpacked outside the repository."""
    if not (SHARED / "sisfall-dev.tar.xz").exists():
        pytest.skip("needs ../shared/falldata")
    root = tmp_path_factory.mktemp("sisfall")
    wanted = {"SA01", "SA02"}
    for archive, folder in (
        ("sisfall-dev.tar.xz", "data"),
        ("sisfall-enhanced-labels-dev.tar.xz", "labels"),
    ):
        with tarfile.open(SHARED / archive, "r|xz") as tar:  # subjects come in order
            for member in tar:
                subject = member.name.split("/")[-2:-1]
                if subject and subject[0] in wanted:
                    tar.extract(member, root / folder, filter="data")
                elif subject and subject[0] > max(wanted):
                    break
    data = next(p.parent.parent for p in (root / "data").rglob("F01_SA01_R01.txt"))
    labels = next(p.parent.parent for p in (root / "labels").rglob("F01_SA01_R01.txt"))
    return data, labels


@pytest.fixture(scope="session")
def cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Where the command-line tests keep parsed recordings, so each file is parsed once."""
    return str(tmp_path_factory.mktemp("parsed"))


@pytest.mark.parametrize("rate", RATES)
def test_streaming_frames_and_batch_agree_sample_for_sample(
    walk_and_falls: Array, rate: float
) -> None:
    xyz = at_rate(walk_and_falls, rate)
    batch = np.flatnonzero(detect(xyz, Params(), rate)).tolist()
    assert len(batch) == FALLS_IN_120_S
    one = StreamingDetector(Params(), rate)
    assert [i for i in range(len(xyz)) if one.feed(*xyz[i])] == batch
    framed = StreamingDetector(Params(), rate)
    rng = random.Random(int(rate))
    hits, start = [], 0
    while start < len(xyz):
        size = rng.randint(1, 40)  # any frame the GATT profile allows
        hit = framed.feed_frame(np.ascontiguousarray(xyz[start : start + size]))
        if hit is not None:
            hits.append(start + hit)
        start += size
    assert hits == batch
    assert framed.samples_seen == one.samples_seen == len(xyz)


def test_frames_and_batch_agree_at_every_rate_a_wearable_reports() -> None:
    walk = synthetic(45, random.Random(5))  # two falls
    rng = random.Random(6)
    for rate in [12.5, *range(10, 201)]:
        xyz = at_rate(walk, rate)
        batch = np.flatnonzero(detect(xyz, Params(), rate)).tolist()
        assert len(batch) == 2, rate
        framed = StreamingDetector(Params(), rate)
        hits, start = [], 0
        while start < len(xyz):
            size = rng.randint(1, 40)
            hit = framed.feed_frame(np.ascontiguousarray(xyz[start : start + size]))
            if hit is not None:
                hits.append(start + hit)
            start += size
        assert hits == batch, rate


@pytest.mark.parametrize("rate", [12.5, 25.0, 50.0, 200.0])
def test_vectorised_numpy_version_flags_the_same_samples(
    walk_and_falls: Array, rate: float
) -> None:
    xyz = at_rate(walk_and_falls, rate)
    expected = detect(xyz, Params(), rate)
    assert expected.sum() == FALLS_IN_120_S
    assert np.array_equal(vectorised.detect(xyz, Params(), rate), expected)


def test_pure_python_source_is_the_same_algorithm(walk_and_falls: Array) -> None:
    xyz = walk_and_falls[: 25 * 200]
    p = compile_params(Params(), 200)
    flags = [False] * len(xyz)
    interpreted(run)(p.tolist(), new_state(p).tolist(), xyz.tolist(), flags)
    assert flags == detect(xyz, Params(), 200).tolist()
    assert sum(flags) == 1


def test_one_set_of_parameters_finds_the_same_falls_at_every_rate(walk_and_falls: Array) -> None:
    times = {
        rate: np.flatnonzero(detect(at_rate(walk_and_falls, rate), Params(), rate)) / rate
        for rate in (12.5, 25.0, 50.0, 200.0)
    }
    for found in times.values():
        assert np.abs(found - times[200.0]).max() < 0.1  # seconds
    assert np.all((times[200.0] - 10.35) % 20 < 2.5)


def test_a_still_wearer_and_the_first_sample_raise_nothing() -> None:
    lying = np.tile([0.0, 0.0, 1.0], (200 * 30, 1))
    assert not detect(lying, Params(), 200).any()
    assert not detect(lying[:1], Params(), 200).any()


def test_rates_and_settings_outside_the_supported_range_are_refused() -> None:
    with pytest.raises(ValueError, match="outside 10-1000 Hz"):
        compile_params(Params(), 5)
    with pytest.raises(ValueError, match="post_s"):
        compile_params(Params(post_s=0.5), 50)
    with pytest.raises(ValueError, match="before_s"):
        compile_params(Params(before_s=7.0), 50)
    with pytest.raises(ValueError, match="unknown detector settings"):
        Params().replace(impact_g=2.0)
    with pytest.raises(ValueError, match="65 weights"):
        Model(bias=0.0, weights=(1.0,), mean=(0.0,), scale=(1.0,))


def test_model_terms_and_weights_module_round_trip() -> None:
    features = np.arange(20.0).reshape(2, 10)
    terms = expand(features)
    assert terms.shape == (2, 65)
    assert terms[1, 10] == features[1, 0] ** 2
    namespace: dict[str, object] = {}
    exec(source(DEFAULT_MODEL), namespace)  # noqa: S102 (our own generated module)
    assert namespace["DEFAULT_MODEL"] == DEFAULT_MODEL


def test_real_falls_are_found_and_daily_activities_are_not(sisfall: tuple[Path, Path]) -> None:
    data, labels = sisfall
    recordings = load(data, subjects=["SA01"], labels_root=labels)
    for rate in (200, 50, 25):
        report = evaluate(recordings, Params(), rate_hz=rate)
        assert report.sensitivity is not None
        assert report.sensitivity >= 0.97
        assert report.specificity is not None
        assert report.specificity >= 0.97
        delays = report.delays()
        median = delays["median_s"]
        assert median is not None
        assert 1.5 < median < 2.5
        alarms = report.false_alarms_per_hour()
        assert alarms["hours"]
        assert alarms["alarms"] is not None
        assert alarms["alarms"] <= 2


def test_cross_validation_judges_each_subject_with_a_model_that_never_saw_it(
    sisfall: tuple[Path, Path],
) -> None:
    data, labels = sisfall
    some = {"F01", "F05", "F08", "F13", "D01", "D06", "D10", "D13", "D19"}
    recordings = [r for r in load(data, labels_root=labels) if r.code in some]
    report = cross_validate(recordings, rate_hz=25)
    assert {o.subject for o in report.outcomes} == {"SA01", "SA02"}
    assert len(report.outcomes) == len(recordings)
    assert report.sensitivity is not None
    assert report.sensitivity >= 0.75  # each fold learns from one subject only
    assert {s.subject for s in report.streams} == {"SA01", "SA02"}
    trained = train(recordings, rates=(25,))
    assert trained.model != DEFAULT_MODEL


def test_decimation_keeps_the_signal(sisfall: tuple[Path, Path]) -> None:
    data, _ = sisfall
    path = data / "SA01" / "D01_SA01_R01.txt"
    walk = parse_text(path.read_text(), where=str(path))
    low = decimate(walk, 4)
    assert len(low) == len(walk) // 4 + (len(walk) % 4 > 0)
    assert np.mean(low[:, 1]) == pytest.approx(np.mean(walk[:, 1]), abs=0.02)


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


def test_evaluate_command_reports_cross_validation_activities_and_alarms(
    sisfall: tuple[Path, Path], cache: str, tmp_path: Path
) -> None:
    data, labels = sisfall
    target = tmp_path / "BENCHMARKS.md"
    runner = CliRunner()
    args = ["evaluate", str(data), "--labels", str(labels), "--rate", "25", "--cache", cache]
    result = runner.invoke(app, [*args, "--json", "--update", str(target)])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["result"]["falls"] == 150
    assert figures["cross_validated"]["recordings"] == figures["result"]["recordings"]
    assert {"F01", "D19"} <= set(figures["cross_validated"]["per_activity"])
    assert figures["cross_validated"]["false_alarms"]["young"]["hours"] > 0
    text = target.read_text()
    assert "<!-- fall-eval-25 -->" in text
    assert "| D19 | jump gently" in text
    bad = runner.invoke(app, ["evaluate", str(data), "--rate", "60", "--cache", cache])
    assert bad.exit_code == 2
    missing = runner.invoke(app, ["evaluate", str(data), "--subjects", "SZ99", "--cache", cache])
    assert missing.exit_code == 2
    assert "no recordings" in missing.output


def test_train_command_writes_an_importable_weights_module(
    sisfall: tuple[Path, Path], cache: str, tmp_path: Path
) -> None:
    data, labels = sisfall
    target = tmp_path / "weights.py"
    args = ["train", str(data), "--labels", str(labels), "--subjects", "SA01"]
    result = CliRunner().invoke(app, [*args, "--write", str(target), "--cache", cache])
    assert result.exit_code == 0, result.output
    namespace: dict[str, object] = {}
    exec(target.read_text(), namespace)  # noqa: S102 (the module it just wrote)
    assert isinstance(namespace["DEFAULT_MODEL"], Model)
    args = ["train", str(data), "--labels", str(tmp_path), "--cache", cache]
    unlabelled = CliRunner().invoke(app, args)
    assert unlabelled.exit_code == 2


def test_bench_command_compares_all_versions_on_the_same_data(tmp_path: Path) -> None:
    target = tmp_path / "BENCHMARKS.md"
    result = CliRunner().invoke(
        app, ["bench", "--seconds", "30", "--json", "--update", str(target)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    names = set(data["results"])
    assert {"numba batch", "pure Python", "NumPy, vectorised"} <= names
    assert data["results"]["pure Python"]["x_pure_python"] == pytest.approx(1.0)
    assert data["results"]["numba batch"]["x_slower_than_batch"] == pytest.approx(1.0)
    assert "<!-- fall-bench -->" in target.read_text()


def test_the_ahead_of_time_kernel_is_numba_s_bit_for_bit_and_the_agent_needs_no_numba(
    walk_and_falls: Array, tmp_path: Path
) -> None:
    from edge.fall import aot  # noqa: PLC0415
    from edge.fall.detector import _frame  # noqa: PLC0415
    from edge.fall.stream import source_digest  # noqa: PLC0415

    built = aot.build(tmp_path)  # what `make` builds into edge/fall/, here into a scratch folder
    spec = importlib.util.spec_from_file_location("_aot", built)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.digest() == source_digest()
    for rate in (12.5, 25.0, 50.0, 200.0):
        xyz = at_rate(walk_and_falls, rate)
        p = compile_params(Params(), rate)
        ahead, jit = np.concatenate([p, new_state(p)]), np.concatenate([p, new_state(p)])
        for start in range(0, len(xyz), 17):
            frame = np.ascontiguousarray(xyz[start : start + 17])
            assert module.frame(ahead, frame) == _frame(jit, frame)
        assert np.array_equal(ahead, jit), rate  # every filter tap and feature, bit for bit
    code = (
        "import sys, numpy as np, edge.agent\n"
        "from edge.fall.layout import Params\nfrom edge.fall.stream import StreamingDetector\n"
        "d = StreamingDetector(Params(), 50.0)\nd.feed_frame(np.zeros((10, 3)))\n"
        "print(d.compiled_by, 'numba' in sys.modules, 'llvmlite' in sys.modules)"
    )
    agent = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert agent.stdout.split() == ["ahead-of-time", "False", "False"], "run make first"
