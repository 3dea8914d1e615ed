"""A transaction cancelled while it begins gives its lock and connection back."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from cloud.store.db import transaction
from cloud.store.models import Customer


async def test_a_transaction_cancelled_during_begin_leaves_the_database_usable(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    del db
    from tortoise import connections  # noqa: PLC0415

    context = connections.get("default")._in_transaction()
    wrapper = type(getattr(context, "connection", None) or context.client)  # SQLite, PostgreSQL
    began = asyncio.Event()
    original = wrapper.begin

    async def slow_begin(self: Any) -> None:
        began.set()
        await asyncio.sleep(5)  # BEGIN on a busy database
        await original(self)

    monkeypatch.setattr(wrapper, "begin", slow_begin)

    async def unit_round() -> None:
        async with transaction():
            await Customer.create(id="never", name="never")

    task = asyncio.create_task(unit_round())
    await asyncio.wait_for(began.wait(), 5)
    task.cancel()  # a round's timeout, or shutdown, right inside BEGIN
    with pytest.raises(asyncio.CancelledError):
        await task
    monkeypatch.setattr(wrapper, "begin", original)

    async with asyncio.timeout(5):  # neither the lock nor the connection was kept
        await Customer.create(id="after", name="after")
        async with transaction():
            await Customer.create(id="inside", name="inside")
    assert sorted([str(i) for i in await Customer.all().values_list("id", flat=True)]) == [
        "after",
        "inside",
    ]
