"""What the API's handlers use, under one key: the worker's services, as the root built them.

`cloud.services` (the one composition root) builds every service once; the app puts them under
`SERVICES`. The API sees them through this protocol, so it depends on what it uses, not on the
root above it.
"""

from __future__ import annotations

from typing import Protocol

from aiohttp import web

from cloud.alerts.escalation import Escalator
from cloud.config import CloudConfig
from cloud.delivery.engine import Deliveries
from cloud.identity.users import Authenticator
from cloud.ingest.consumer import Ingest
from cloud.needs.pieces import Needs
from cloud.orders.catalog import Catalog
from cloud.orders.fulfiller import Fulfiller
from cloud.store.changes import ChangeFeed
from cloud.supervisor import Supervisor
from common.clock import Clock


class Services(Protocol):
    """One worker's services, as the handlers see them (read-only)."""

    @property
    def config(self) -> CloudConfig:
        """The worker's configuration."""
        ...

    @property
    def clock(self) -> Clock:
        """The one clock."""
        ...

    @property
    def feed(self) -> ChangeFeed:
        """The change feed the dashboard follows."""
        ...

    @property
    def catalog(self) -> Catalog:
        """What can be ordered."""
        ...

    @property
    def deliveries(self) -> Deliveries:
        """The notice delivery engine."""
        ...

    @property
    def fulfiller(self) -> Fulfiller:
        """Orders to the firm."""
        ...

    @property
    def escalator(self) -> Escalator:
        """Alerts and who is told."""
        ...

    @property
    def needs(self) -> Needs:
        """The needs layer."""
        ...

    @property
    def ingest(self) -> Ingest:
        """The MQTT ingest (and commands to devices)."""
        ...

    @property
    def authenticator(self) -> Authenticator:
        """Logins and sessions."""
        ...

    @property
    def supervisor(self) -> Supervisor:
        """Every background unit."""
        ...


SERVICES: web.AppKey[Services] = web.AppKey("services")


def services(request: web.Request) -> Services:
    """The services of the worker serving `request`."""
    return request.app[SERVICES]
