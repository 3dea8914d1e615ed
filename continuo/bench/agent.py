"""The edge agent's footprint: memory and cold start, with a printer, a scale and a wearable.

The agent runs as its own process, exactly as `continuo edge run` builds it, against a
simulated IPP printer (`continuo sim printer`, another process), a simulated MT-SICS scale
on a pseudo-terminal (`continuo sim scale`, another process), Mosquitto with the project's
broker config, and a simulated BLE wearable handed in through the driver's `connect` seam
(the one thing that must live in the agent's process; its module is a few hundred lines).

Cold start is from spawning the process to the agent holding a reading of each sensor and
its fall detector running on the wearable's frames. The agent runs three times: twice on
numba's kernel (the second run finds numba's cache warm; the baseline), then on the
kernel compiled ahead of time (what the agent runs when `make` has built it).
Memory is VmRSS after the agent has run for a while, and VmHWM
(its peak). The baseline is a bare `python -c pass` measured the same way, so the table
says what the agent itself adds.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from cloud.identity.broker_config import DeviceAccount, hash_password
from continuo.bench.stats import cpu_seconds, peak_rss_mb, rss_mb
from continuo.stack import Broker, Processes, StackError, free_port

SECTION = "agent-footprint"
READY = "ready"
SENSORS = ("printer", "milk", "wearable")


@dataclass(frozen=True, slots=True)
class Footprint:
    """What the agent runs measured: with the ahead-of-time kernel, and with numba's."""

    kernel: str  # what the default run's detector ran on: "ahead-of-time" or "numba"
    start_s: float  # the default run: spawn -> a reading of every sensor, detector running
    rss_mb: float  # the default run's VmRSS after `seconds` of running
    peak_rss_mb: float  # its VmHWM
    cpu_s: float  # its CPU time while it ran `seconds`
    cold_start_s: float  # numba's kernel, its cache cold
    warm_start_s: float  # numba's kernel, its cache warm
    numba_rss_mb: float
    numba_peak_rss_mb: float
    numba_cpu_s: float
    import_s: float  # `import edge.agent` alone
    python_rss_mb: float  # a bare interpreter, the same way
    python_start_s: float
    numba_import_mb: float  # what `import numba` adds to a bare interpreter
    detector_mb: float  # what the detector's first frame adds (LLVM, the cached code)
    seconds: float


def child(config_path: str, address: str) -> None:
    """The agent's process: run the agent, say "ready" once every sensor has been read."""
    import random  # noqa: PLC0415

    from common.clock import SystemClock  # noqa: PLC0415
    from edge.agent import Agent, Hardware  # noqa: PLC0415
    from edge.config import load_config  # noqa: PLC0415
    from firmware_sim.wearable import SimWearable, synthetic_motion  # noqa: PLC0415

    clock = SystemClock()
    rng = random.Random(1)  # noqa: S311 (simulated motion)
    sim = SimWearable(address=address, clock=clock, motion=synthetic_motion(rng, 50))
    seen: set[str] = set()

    class Watched(Agent):
        def telemetry(self, sensor: str, reading: object) -> None:
            seen.add(sensor)
            super().telemetry(sensor, reading)  # type: ignore[arg-type]

    config = load_config(Path(config_path))
    hardware = Hardware(ble_connect=sim.connect_as_central)
    agent = Watched(config, clock=clock, rng=random.Random(), hardware=hardware)  # noqa: S311

    async def main() -> None:
        task = asyncio.create_task(agent.run())
        monitor = agent.fall_monitors["wearable"]
        while not (seen >= set(SENSORS) and monitor.frames > 0):
            if task.done():
                task.result()
            await asyncio.sleep(0.01)
        from edge.fall.stream import kernel  # noqa: PLC0415

        sys.stdout.write(f"{READY} {kernel()[1]}\n")
        sys.stdout.flush()
        await task

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())


def _agent_config(workdir: Path, *, port: int, password: str, printer: str, scale: str) -> Path:
    path = workdir / "agent.toml"
    path.write_text(
        f"""site = "home-1"
device_id = "pi-1"
state_dir = "{workdir / "state"}"
[mqtt]
host = "127.0.0.1"
port = {port}
username = "pi-1"
password = "{password}"
[[printers]]
name = "printer"
uri = "{printer}"
poll_s = 10.0
[[scales]]
name = "milk"
url = "{scale}"
poll_s = 10.0
[[wearables]]
name = "wearable"
address = "C0:FF:EE:00:00:01"
"""
    )
    return path


def _python_baseline(procs: Processes, workdir: Path) -> tuple[float, float]:
    """A bare interpreter's resident memory, and its time from spawn to its first line."""
    started = time.perf_counter()
    python, _ = procs.start_printing(
        [sys.executable, "-c", "import signal; print('ready', flush=True); signal.pause()"],
        workdir / "python.log",
        timeout_s=30,
    )
    took = time.perf_counter() - started
    rss = rss_mb(python.pid)
    procs.stop([python])
    return rss, took


_NUMBA = """
import re
def rss():
    return int(re.search(r"VmRSS:\\s+(\\d+)", open("/proc/self/status").read()).group(1)) / 1024
bare = rss()
import numba
imported = rss()
import numpy as np
from edge.fall.layout import Params
from edge.fall.stream import StreamingDetector
StreamingDetector(Params(), 50.0).feed_frame(np.zeros((10, 3)))
print(imported - bare, rss() - imported)
"""


def _numba_mb(env: dict[str, str]) -> tuple[float, float]:
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", _NUMBA],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env=env,
    )
    imported, detector = out.stdout.split()
    return round(float(imported), 1), round(float(detector), 1)


def _import_s() -> float:
    code = "import time; t = time.perf_counter(); import edge.agent; print(time.perf_counter() - t)"
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return float(out.stdout.strip())


def measure(seconds: float = 20.0) -> Footprint:
    """Start the peers, run the agent thrice (cold, warm, default), and measure each."""
    with (
        tempfile.TemporaryDirectory(prefix="continuo-agent-bench-") as tmp,
        Processes() as procs,  # stopped before their directory goes
    ):
        return _measure(procs, Path(tmp), seconds)


def _measure(procs: Processes, workdir: Path, seconds: float) -> Footprint:
    password = secrets.token_hex(12)
    broker = Broker(
        workdir / "broker",
        cloud_password=secrets.token_hex(12),
        processes=procs,
    )
    broker.configure([DeviceAccount("pi-1", "home-1", hash_password(password))])
    broker.start()
    continuo = [sys.executable, "-m", "continuo"]
    _, printer_uri = procs.start_printing(
        [*continuo, "sim", "printer", "--port", str(free_port())], workdir / "printer.log"
    )
    _, scale_path = procs.start_printing([*continuo, "sim", "scale"], workdir / "scale.log")
    config = _agent_config(
        workdir, port=broker.port, password=password, printer=printer_uri, scale=scale_path
    )
    # A numba cache of its own: the first run compiles the detector, the second finds it.
    numba = os.environ | {
        "NUMBA_CACHE_DIR": str(workdir / "numba-cache"),
        "CONTINUO_FALL_KERNEL": "numba",
    }
    cold = _run_agent(procs, config, numba, 0.0, "cold")
    warm = _run_agent(procs, config, numba, seconds, "warm")
    default = _run_agent(
        procs,
        config,
        os.environ | {"NUMBA_CACHE_DIR": numba["NUMBA_CACHE_DIR"]},
        seconds,
        "default",
    )
    python_rss, python_start = _python_baseline(procs, workdir)
    numba_import, detector = _numba_mb(numba)
    return Footprint(
        kernel=default.kernel,
        start_s=default.start_s,
        rss_mb=default.rss_mb,
        peak_rss_mb=default.peak_mb,
        cpu_s=default.cpu_s,
        cold_start_s=cold.start_s,
        warm_start_s=warm.start_s,
        numba_rss_mb=warm.rss_mb,
        numba_peak_rss_mb=warm.peak_mb,
        numba_cpu_s=warm.cpu_s,
        import_s=round(_import_s(), 2),
        python_rss_mb=python_rss,
        python_start_s=round(python_start, 3),
        numba_import_mb=numba_import,
        detector_mb=detector,
        seconds=seconds,
    )


@dataclass(frozen=True, slots=True)
class _Run:
    kernel: str
    start_s: float
    rss_mb: float
    peak_mb: float
    cpu_s: float


def _run_agent(
    procs: Processes, config: Path, env: dict[str, str], seconds: float, name: str
) -> _Run:
    """Start the agent, wait until it has read every sensor, let it run, measure, stop it."""
    started = time.perf_counter()
    agent, said = procs.start_printing(
        [
            sys.executable,
            "-c",
            "import sys; from continuo.bench.agent import child; child(*sys.argv[1:])",
            str(config),
            "C0:FF:EE:00:00:01",
        ],
        config.parent / f"agent-{name}.log",
        timeout_s=120,
        env=env,
    )
    words = said.split()
    if not words or words[0] != READY:
        raise StackError(f"the agent said {said!r}, not ready")
    start_s = round(time.perf_counter() - started, 2)
    cpu_before = cpu_seconds(agent.pid)
    time.sleep(seconds)  # the agent runs this long: what is measured, not a wait
    if agent.poll() is not None:
        raise StackError(f"the agent exited with {agent.returncode} while it ran")
    run = _Run(
        kernel=words[1] if len(words) > 1 else "?",
        start_s=start_s,
        rss_mb=rss_mb(agent.pid),
        peak_mb=peak_rss_mb(agent.pid),
        cpu_s=round(cpu_seconds(agent.pid) - cpu_before, 2),
    )
    procs.stop([agent])
    return run


def markdown(result: Footprint) -> str:
    """The table for BENCHMARKS.md."""

    def pct(cpu_s: float) -> str:
        return f"{100 * cpu_s / result.seconds:.1f} % of a core" if result.seconds else ""

    return "\n".join(
        [
            (
                f"| measure | agent, {result.kernel} kernel | agent, numba kernel | bare Python "
                "| goal |"
            ),
            "| --- | ---: | ---: | ---: | ---: |",
            (
                f"| resident memory, running (VmRSS) | {result.rss_mb:.0f} MB | "
                f"{result.numba_rss_mb:.0f} MB | {result.python_rss_mb:.0f} MB | under 150 MB |"
            ),
            (
                f"| peak resident memory (VmHWM) | {result.peak_rss_mb:.0f} MB | "
                f"{result.numba_peak_rss_mb:.0f} MB | | |"
            ),
            f"| of which `import numba` (with NumPy) | | {result.numba_import_mb:.0f} MB | | |",
            (
                f"| of which the detector's first frame (LLVM, cached code) | | "
                f"{result.detector_mb:.0f} MB | | |"
            ),
            (
                f"| start to every sensor read | {result.start_s:.2f} s | "
                f"{result.warm_start_s:.2f} s (cache warm), {result.cold_start_s:.2f} s (cold) | "
                f"{result.python_start_s:.2f} s | under 2 s |"
            ),
            f"| of which `import edge.agent` | {result.import_s:.2f} s | | | |",
            (
                f"| CPU while running ({result.seconds:.0f} s) | {pct(result.cpu_s)} | "
                f"{pct(result.numba_cpu_s)} | | |"
            ),
        ]
    )


def as_json(result: Footprint) -> str:
    """The figures as JSON."""
    return json.dumps(asdict(result), indent=2)
