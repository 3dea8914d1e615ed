"""The chaos suite's short form: every fault on one running stack, nothing lost or doubled.

`continuo bench chaos` (continuo/bench/chaos.py) with short outages: Mosquitto, two real
workers on PostgreSQL, the real agent reading a simulated printer, simulated devices with
readings, events and alerts; then the broker SIGKILLed, a worker SIGKILLed, the database
locked, the agent's disk full (where a tmpfs can be mounted) and the link cut, in turn.
Every wait inside is on a condition (messages acknowledged or stored), never a sleep.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from continuo.bench import chaos
from tests.support.peers import POSTGRES_ADMIN_URL

pytestmark = pytest.mark.postgres


async def test_every_fault_on_a_running_stack_loses_and_doubles_nothing(tmp_path: Path) -> None:
    options = chaos.Options(
        outage_s=3.0,
        devices=5,
        telemetry_s=0.5,
        alert_s=5.0,
        postgres_url=POSTGRES_ADMIN_URL,
        workdir=tmp_path / "chaos",
        catch_up_timeout_s=180.0,
    )
    chaos.quiet_mqtt()
    result = await chaos.run(options)
    report = result.as_json()
    assert [f.fault for f in result.faults] == [f.value for f in chaos.Fault], report
    for fault in result.faults:
        if fault.fault == chaos.Fault.DISK_FULL and fault.note:  # no tmpfs here (as test_outbox)
            assert fault.note.startswith("skipped: "), report
            continue
        assert fault.catch_up_s is not None, report
        assert fault.made_before_end > 0, report
    assert result.lost == 0, report
    assert result.doubled == 0, report
    assert result.stored_distinct <= result.made, report
    assert result.fleet is not None
    assert result.fleet.unacked == 0, report
    assert result.fleet.disconnects >= 1, report  # the broker's death and the cut were felt
    assert result.alert_messages >= 1, report
    assert result.alert_messages == result.incident_occurrences, report
    assert result.needs_ordered_twice == 0, report
    assert result.fleet_gaps == 0, report
    assert not result.agent_exited, report
    assert result.passed, report
