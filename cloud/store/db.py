"""Database start-up and shutdown: the one module that touches tortoise's global registry.

Schemas are created and upgraded with aerich migrations, kept per SQL dialect under
``cloud/store/migrations/{sqlite,postgres}``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import urllib.parse
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
from aerich import Command
from tortoise import BaseDBAsyncClient, Tortoise, connections
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.context import get_current_context
from tortoise.transactions import in_transaction

from common.errors import ContinuoError

MIGRATIONS = Path(__file__).parent / "migrations"
log = logging.getLogger(__name__)


def dialect(url: str) -> str:
    """'sqlite' or 'postgres' for a database URL; ValueError for anything else."""
    scheme = url.split(":", 1)[0]
    if scheme == "sqlite":
        return "sqlite"
    if scheme in {"postgres", "postgresql", "asyncpg"}:
        return "postgres"
    msg = f"unsupported database URL scheme {scheme!r} (use sqlite:// or postgres://)"
    raise ValueError(msg)


def postgres_dsn(url: str) -> str:
    """A PostgreSQL URL (postgres://, postgresql:// or asyncpg://) as asyncpg takes it."""
    return "postgres://" + url.split("://", 1)[1]


def tortoise_config(url: str) -> dict[str, Any]:
    """Tortoise configuration for `url` (also what aerich reads)."""
    if dialect(url) == "postgres":
        url = postgres_dsn(url)
    return {
        "connections": {"default": url},
        "apps": {
            "models": {
                "models": ["cloud.store.models", "aerich.models"],
                "default_connection": "default",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def migrate(url: str) -> None:
    """Apply every pending migration to the database at `url`."""
    command = Command(
        tortoise_config=tortoise_config(url), app="models", location=str(MIGRATIONS / dialect(url))
    )
    await command.init()
    await command.upgrade(run_in_transaction=True)
    await close_database()


class DatabaseUnreachableError(ContinuoError, ConnectionError):
    """The database cannot be reached or used: which one, why, and what to check."""


def _shown(url: str) -> str:
    """A database URL as a message may show it: no password."""
    parts = urllib.parse.urlsplit(postgres_dsn(url))
    user = f"{parts.username}@" if parts.username else ""
    return f"postgres://{user}{parts.hostname}:{parts.port or 5432}{parts.path}"


async def reachable(url: str, timeout_s: float = 10.0) -> None:
    """Raise DatabaseUnreachableError, saying what to check, unless `url` can be opened."""
    if dialect(url) == "sqlite":
        path = Path(url.removeprefix("sqlite://"))
        if str(path) != ":memory:" and not path.parent.is_dir():
            msg = f"the SQLite database's folder {path.parent} does not exist: create it"
            raise DatabaseUnreachableError(msg)
        return
    parts = urllib.parse.urlsplit(postgres_dsn(url))
    where = f"{parts.hostname}:{parts.port or 5432}"
    try:
        connection = await asyncpg.connect(postgres_dsn(url), timeout=timeout_s)
    except asyncpg.InvalidCatalogNameError:
        name = parts.path.lstrip("/")
        msg = (
            f"PostgreSQL at {where} has no database {name!r}: create it "
            f"(createdb -h {parts.hostname} -p {parts.port or 5432} "
            f"-U {parts.username or 'postgres'} {name})"
        )
        raise DatabaseUnreachableError(msg) from None
    except (asyncpg.PostgresError, OSError, TimeoutError) as exc:
        why = str(exc) or type(exc).__name__
        msg = (
            f"cannot reach the database {_shown(url)}: {why}; check that PostgreSQL runs "
            "there and accepts this user, and the config's database_url"
        )
        raise DatabaseUnreachableError(msg) from None
    await connection.close()


async def open_database(url: str) -> None:
    """Migrate, then connect tortoise for the application (a clear error if it cannot)."""
    await reachable(url)
    await migrate(url)
    await Tortoise.init(config=tortoise_config(url))


async def close_database() -> None:
    """Close every connection and drop tortoise's cached SQL.

    Tortoise caches each model's INSERT statement by connection name, not by dialect;
    without the clear, opening a database of another dialect in the same process (tests,
    tools) would run SQLite's SQL against PostgreSQL.
    """
    ctx = get_current_context()
    if ctx is not None:
        # Leaving the context closes its connections and unbinds the models, so the next
        # open starts clean (tortoise 1.x keeps one context per task).
        with contextlib.suppress(ValueError):  # opened in another task: already closed
            await ctx.__aexit__(None, None, None)
    EXECUTOR_CACHE.clear()


@contextlib.asynccontextmanager
async def database(url: str) -> AsyncIterator[None]:
    """Open (and migrate) the database for the duration of a block."""
    await open_database(url)
    try:
        yield
    finally:
        await close_database()


async def answers(timeout_s: float = 2.0) -> bool:
    """Whether the database answers a trivial query within `timeout_s` (never raises)."""
    try:
        async with asyncio.timeout(timeout_s):
            await connections.get("default").execute_query("SELECT 1")
    except Exception:  # any failure means "not answering"; a probe must answer
        log.warning("the database does not answer", exc_info=True)
        return False
    return True


@contextlib.asynccontextmanager
async def transaction() -> AsyncIterator[BaseDBAsyncClient]:
    """Tortoise's `in_transaction`, safe to cancel while it begins.

    Tortoise takes its connection lock (SQLite) or a pooled connection (PostgreSQL) before it
    sends BEGIN; a task cancelled during BEGIN (a unit's round timeout, shutdown) would keep
    them for ever, and every later query of the process would wait on SQLite's lock. Here a
    cancellation while beginning gives them back. Every transaction of the backend uses this.
    """
    context = in_transaction()
    try:
        connection = await context.__aenter__()
    except BaseException:
        if hasattr(context, "token"):  # past the lock and the connection: give them back
            with contextlib.suppress(Exception):
                await context.__aexit__(*sys.exc_info())
        raise
    try:
        yield connection
    except BaseException:
        await context.__aexit__(*sys.exc_info())
        raise
    await context.__aexit__(None, None, None)
