from __future__ import annotations

import tarfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from cloud.store.db import close_database, open_database
from tests.support.peers import Broker, Ippeveprinter, database_url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database URL, once for SQLite and once for PostgreSQL."""
    async with database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[str]:
    """A migrated database, opened for the models."""
    await open_database(db_url)
    yield db_url
    await close_database()


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    """A Mosquitto process (configure, then start, in the test)."""
    workdir = tmp_path / "broker"
    workdir.mkdir()
    b = Broker(workdir)
    yield b
    b.stop()


@pytest.fixture
def ippeve(tmp_path: Path) -> Iterator[Ippeveprinter]:
    printer = Ippeveprinter(tmp_path)
    yield printer
    printer.stop()


SISFALL = Path(__file__).resolve().parents[2] / "shared" / "falldata" / "sisfall-dev.tar.xz"


@pytest.fixture(scope="session")
def fall_recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real fall (SisFall F01, subject SA01), unpacked outside the repository."""
    if not SISFALL.exists():
        pytest.skip("needs ../shared/falldata")
    root = tmp_path_factory.mktemp("fall")
    with tarfile.open(SISFALL) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("F01_SA01_R01.txt"))
        tar.extract(member, root, filter="data")
    return next(root.rglob("F01_SA01_R01.txt"))
