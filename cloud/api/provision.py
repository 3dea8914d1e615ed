"""Provisioning: a one-time installer token becomes a device's credentials."""

from __future__ import annotations

from aiohttp import web

from cloud.api.context import services
from cloud.api.errors import decode_body, respond
from cloud.api.table import Route
from cloud.identity.provisioning import redeem, refresh_broker
from common.messages import Provisioned, ProvisionRequest


async def provision(request: web.Request) -> web.Response:
    """Redeem an installer's one-time token: register the device, return its credentials."""
    body = decode_body(await request.read(), ProvisionRequest, "provisioning request")
    s = services(request)
    broker = s.config.broker
    device = await redeem(body.token, clock=s.clock, device_id=body.device_id)
    await refresh_broker(broker)
    out = Provisioned(
        device.device_id,
        device.site,
        device.username,
        device.password,
        broker.public_host or broker.host,
        broker.devices_port,
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
