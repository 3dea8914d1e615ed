"""`continuo bench agent`, as a user runs it: a real agent process with its peers, measured."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.peers import continuo


def test_bench_agent_measures_a_running_agent_and_writes_its_table(tmp_path: Path) -> None:
    benchmarks = tmp_path / "BENCHMARKS.md"
    benchmarks.write_text(
        "# Benchmarks\n\n<!-- agent-footprint -->\nstale figures\n<!-- /agent-footprint -->\n"
    )
    done = continuo(
        "bench", "agent", "--seconds", "1", "--json", "--update", str(benchmarks), timeout=240
    )
    assert done.returncode == 0, done.stdout + done.stderr
    figures = json.loads(done.stdout)
    # With numba's kernel the agent holds more than a bare interpreter and numba together;
    # with the ahead-of-time kernel (`make` builds it) it holds much less: no numba, no LLVM.
    assert figures["numba_rss_mb"] > figures["python_rss_mb"] + figures["numba_import_mb"] > 0
    assert figures["kernel"] == "ahead-of-time"
    assert figures["python_rss_mb"] < figures["rss_mb"] < figures["numba_rss_mb"] - 50
    assert figures["peak_rss_mb"] >= figures["rss_mb"]
    # It read every sensor; a warm numba cache is not slower than compiling into a cold one.
    assert 0 < figures["warm_start_s"] <= figures["cold_start_s"] * 1.5
    table = benchmarks.read_text()
    assert "stale figures" not in table
    assert "resident memory, running (VmRSS)" in table
