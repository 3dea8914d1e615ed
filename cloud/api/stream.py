"""The live change stream (server-sent events) and this worker's ingest counters."""

from __future__ import annotations

import contextlib
import json

from aiohttp import web

from cloud.api.access import PRINCIPAL
from cloud.api.context import services
from cloud.api.errors import respond
from cloud.api.schemas import (
    IngestStats,
)
from cloud.api.table import OPS, Route
from cloud.store.changes import ChangeFeed


async def ingest_stats(request: web.Request) -> web.Response:
    """Counters of this worker: messages stored, duplicates, rejections by reason."""
    s = services(request)
    replenishment = dict(s.fulfiller.counters) | dict(s.needs.counters)
    return respond(IngestStats(dict(s.ingest.counters), replenishment))


REREAD = 200  # ids looked at again: another worker's insert may commit after a later one's


async def stream(request: web.Request) -> web.StreamResponse:
    """Server-sent events: one `change` event per change, for the live dashboard.

    The stream ends within a second of its session ending (logout, revocation, the user
    disabled, expiry): a login's rights are checked at each wake, not only at the start.
    """
    s = services(request)
    feed, session = s.feed, request[PRINCIPAL].session_id
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
    )
    await response.prepare(request)
    last = await feed.latest_id()
    sent = set(range(max(0, last - REREAD) + 1, last + 1))  # before this stream: not news
    await response.write(b"event: hello\ndata: {}\n\n")
    with contextlib.suppress(ConnectionResetError):  # the browser went away
        while await s.authenticator.standing(session):
            last = await _stream_once(response, feed, last, sent)
    return response


async def _stream_once(
    response: web.StreamResponse, feed: ChangeFeed, last: int, sent: set[int]
) -> int:
    """Send what changed since `last`, or a keep-alive; then wait for the next change.

    The last `REREAD` ids are read again, and what was sent is skipped: two workers'
    inserts can commit out of id order, and a stream woken at once must not step over the
    one that committed second.
    """
    mark = feed.mark()
    fresh = [e for e in await feed.since(max(0, last - REREAD)) if e.id not in sent]
    for event in fresh:
        data = json.dumps({"topic": event.topic, "subject": event.subject})
        await response.write(f"event: change\nid: {event.id}\ndata: {data}\n\n".encode())
        sent.add(event.id)
        last = max(last, event.id)
    sent.difference_update({i for i in sent if i <= last - REREAD})
    if not fresh:
        await response.write(b": keep-alive\n\n")
    await feed.wait(timeout_s=1.0, mark=mark)
    return last


ROUTES: list[Route] = [
    Route(
        method="GET",
        path="/api/v1/ingest/stats",
        handler=ingest_stats,
        summary="Ingest counters of this worker",
        roles=OPS,
        response=IngestStats,
    ),
    Route(
        method="GET",
        path="/api/v1/stream",
        handler=stream,
        summary="Server-sent change events",
        roles=OPS,
    ),
]
