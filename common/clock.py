"""Time as an injected dependency, so decisions and retries can be tested without sleeping."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import time
from typing import Protocol


def utc(seconds: float) -> dt.datetime:
    """The aware UTC datetime of epoch seconds (what the database stores)."""
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


class Clock(Protocol):
    """Wall time for records, monotonic time for intervals, and a way to wait."""

    def now(self) -> float:
        """Seconds since the Unix epoch."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait for `seconds`."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> float:
        """Seconds since the Unix epoch."""
        return time.time()

    def monotonic(self) -> float:
        """Seconds on the OS monotonic clock."""
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        """Wait for `seconds` of real time."""
        await asyncio.sleep(seconds)


class FakeClock:
    """A clock that moves only when a test advances it.

    `sleep` returns once `advance` has moved time past its deadline.
    """

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self._now = start
        self._mono = 0.0
        self._waiters: list[tuple[float, asyncio.Future[None]]] = []

    def now(self) -> float:
        """Current fake wall time."""
        return self._now

    def monotonic(self) -> float:
        """Current fake monotonic time."""
        return self._mono

    async def sleep(self, seconds: float) -> None:
        """Wait until the fake time has advanced by `seconds`."""
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append((self._mono + seconds, future))
        await future

    def advance(self, seconds: float) -> None:
        """Move time forward and wake every sleeper whose deadline has passed."""
        self._now += seconds
        self._mono += seconds
        due = [w for w in self._waiters if w[0] <= self._mono]
        self._waiters = [w for w in self._waiters if w[0] > self._mono]
        for _, future in due:
            if not future.done():
                future.set_result(None)


class Backoff:
    """Capped exponential backoff with full jitter, for reconnect loops.

    The n-th delay is uniform in [base * 2**n / 2, min(cap, base * 2**n)].
    """

    def __init__(
        self, *, base_s: float = 0.5, cap_s: float = 30.0, rng: random.Random | None = None
    ) -> None:
        """Start at attempt 0; `rng` makes the jitter reproducible in tests."""
        self._base = base_s
        self._cap = cap_s
        self._rng = rng or random.Random()  # noqa: S311 (jitter, not security)
        self.attempt = 0

    def next_delay(self) -> float:
        """The delay before the next attempt; each call grows it until the cap."""
        delay = self.delay(self.attempt)
        self.attempt += 1
        return delay

    def delay(self, attempt: int) -> float:
        """The delay before retry number `attempt` (0: the first), counting nothing."""
        ceiling = min(self._cap, self._base * 2 ** min(attempt, 30))
        return self._rng.uniform(ceiling / 2, ceiling)

    def reset(self) -> None:
        """Start again from the shortest delay (after a success)."""
        self.attempt = 0
