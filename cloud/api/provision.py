"""Provisioning: a one-time installer token becomes a device's credentials."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from cloud.api.errors import ApiError, decode_body, respond
from cloud.api.table import Route
from cloud.config import BrokerSettings
from cloud.identity.provisioning import EnrollmentError, redeem, refresh_broker
from cloud.identity.registry import RegistryError
from common.clock import Clock
from common.messages import Provisioned, ProvisionRequest


@dataclass(frozen=True)
class Provisioning:
    """What the provisioning and device-account routes need from the app."""

    clock: Clock
    broker: BrokerSettings
    forget: Callable[[str], None] | None = None  # ingest drops what it cached of a device


PROVISIONING = web.AppKey("provisioning", Provisioning)


async def provision(request: web.Request) -> web.Response:
    """Redeem an installer's one-time token: register the device, return its credentials."""
    body = decode_body(await request.read(), ProvisionRequest, "provisioning request")
    ctx = request.app[PROVISIONING]
    try:
        device = await redeem(body.token, clock=ctx.clock, device_id=body.device_id)
    except EnrollmentError as exc:
        raise ApiError(403, "Forbidden", str(exc)) from exc
    except RegistryError as exc:
        raise ApiError(409, "Conflict", str(exc)) from exc
    await refresh_broker(ctx.broker)
    out = Provisioned(
        device.device_id,
        device.site,
        device.username,
        device.password,
        ctx.broker.public_host or ctx.broker.host,
        ctx.broker.devices_port,
    )
    return respond(out, status=201)


ROUTES: list[Route] = [
    Route(
        method="POST",
        path="/api/v1/provision",
        handler=provision,
        summary="Provision a device with a one-time token",
        roles=None,
        response=Provisioned,
        body=ProvisionRequest,
    ),
]
