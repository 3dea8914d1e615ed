"""The one way tests wait: on a condition, polled, with a deadline that names what it waited for."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Callable


async def wait_until(check: Callable[[], object], what: str, timeout_s: float = 30.0) -> None:
    """Return once `check()` is truthy (or awaits to truthy); fail with `what` after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = check()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s:.0f} s waiting until {what}")
        await asyncio.sleep(0.05)
