"""The messages a lane has received and not yet stored: one queue per device, taken in turn.

A batch takes one message from each device in turn, and at most `per_batch` of one device,
so a device that floods (broken or hostile) delays another household's message by at most
that many of its own, not by its whole backlog; the agent's window is 100 messages, so a
well-behaved device never waits on the cap. Each device may hold `per_device` messages
here; past that its messages are shed: never acknowledged, so a well-behaved agent sends
them again when its window reopens, and counted per device (written to its row, and the
device flagged as flooding, by `cloud.ingest.liveness`). When the whole queue holds `total`
messages the receiver waits (`room`), which stops ingest taking more from the broker:
backpressure, not loss.
"""

from __future__ import annotations

import asyncio
from collections import Counter, deque
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Received:
    """A message as it came off the broker."""

    device: str
    topic: str
    payload: bytes
    at: float = 0.0  # when it came off the broker (monotonic), for the lag


class FairQueue:
    """Round-robin over devices, with a cap per device and in all."""

    def __init__(
        self, *, per_device: int = 1000, total: int = 50_000, per_batch: int = 100
    ) -> None:
        """Hold at most `per_device` messages of one device and `total` in all."""
        self._per_device = per_device
        self._total = total
        self._per_batch = per_batch
        self._queues: dict[str, deque[Received]] = {}
        self._turn: deque[str] = deque()  # devices with messages, in the order they are served
        self._size = 0
        self._ready = asyncio.Event()
        self._room = asyncio.Event()
        self._room.set()
        self.shed: Counter[str] = Counter()  # device -> messages shed

    def __len__(self) -> int:
        """Messages waiting."""
        return self._size

    def oldest(self) -> float | None:
        """When the oldest waiting message came off the broker (monotonic); None if empty."""
        return min((queue[0].at for queue in self._queues.values() if queue), default=None)

    def depth(self, device: str) -> int:
        """Messages of one device waiting."""
        queue = self._queues.get(device)
        return len(queue) if queue else 0

    def put(self, item: Received) -> bool:
        """Queue a message; False when its device already holds its share (shed)."""
        queue = self._queues.get(item.device)
        if queue is None:
            queue = self._queues[item.device] = deque()
            self._turn.append(item.device)
        elif len(queue) >= self._per_device:
            self.shed[item.device] += 1
            return False
        queue.append(item)
        self._size += 1
        self._ready.set()
        if self._size >= self._total:
            self._room.clear()
        return True

    async def room(self) -> None:
        """Wait until the queue is below its total."""
        await self._room.wait()

    async def take(self, most: int) -> list[Received]:
        """Wait for a message, then take up to `most`, one per device in turn."""
        while not self._size:
            self._ready.clear()
            await self._ready.wait()
        taken: list[Received] = []
        served: Counter[str] = Counter()
        waiting: list[str] = []  # devices that had their share of this batch
        while self._turn and len(taken) < most:
            device = self._turn.popleft()
            queue = self._queues[device]
            taken.append(queue.popleft())
            served[device] += 1
            if not queue:
                del self._queues[device]
            elif served[device] >= self._per_batch:
                waiting.append(device)
            else:
                self._turn.append(device)
        self._turn.extend(waiting)
        self._size -= len(taken)
        if self._size < self._total:
            self._room.set()
        return taken
