"""`GET /metrics`: this worker's counters in Prometheus text format (prometheus-client).

Each background unit's failures, restarts and whether it is up come from the supervisor.

Ingest (received, stored by kind, rejected by reason, duplicates, acks, batches, their size
and store time, the lag from the broker to the ack, queue depth per lane, what was shed per
device), decisions, notifications and fulfilment are this worker's own; the fleet's gauges
(devices online, outbox drops the devices reported, open incidents) come from the database
and are the same on every worker. Prometheus scrapes it with an operator's API token.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from aiohttp import web
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from tortoise.functions import Sum

from cloud.api.context import Services, services
from cloud.api.table import OPS, Route
from cloud.store.models import Delivery, Device, Incident
from cloud.terms import DeliveryState

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
PREFIXES = (
    ("stored_", "continuo_ingest_stored", "kind"),
    ("rejected_", "continuo_ingest_rejected", "reason"),
)


def _labelled(name: str, doc: str, label: str, counts: Iterable[tuple[str, float]]) -> Metric:
    family = CounterMetricFamily(name, doc, labels=[label])
    for value, count in sorted(counts):
        family.add_metric([value], count)
    return family


class _Worker(Collector):
    """Reads the live counters at every scrape."""

    def __init__(self, sources: Services) -> None:
        self._s = sources

    def collect(self) -> Iterator[Metric]:
        ingest = self._s.ingest
        counts = dict(ingest.counters)
        plain = dict(counts)
        for prefix, name, label in PREFIXES:
            picked = [
                (k.removeprefix(prefix), v) for k, v in counts.items() if k.startswith(prefix)
            ]
            for key, _ in picked:
                plain.pop(prefix + key)
            yield _labelled(
                name, f"Ingest messages {label.replace('kind', 'stored')} by {label}", label, picked
            )
        yield _labelled("continuo_ingest_events", "Other ingest counters", "event", plain.items())
        depth = GaugeMetricFamily(
            "continuo_ingest_queue_depth", "Messages waiting", labels=["lane"]
        )
        for lane in ingest.lanes:
            depth.add_metric([lane.name], len(lane.queue))
        yield depth
        yield _labelled(
            "continuo_ingest_shed",
            "Messages shed per device (its queue was full)",
            "device",
            ingest.shed.items(),
        )
        yield GaugeMetricFamily(
            "continuo_ingest_decisions_pending",
            "Sensors waiting to be decided",
            value=ingest.router.pending,
        )
        yield GaugeMetricFamily(
            "continuo_ingest_liveness_pending",
            "Devices heard, not yet written",
            value=len(ingest.liveness),
        )
        broker = GaugeMetricFamily(
            "continuo_broker",
            "The broker's own counters ($SYS), as this worker last heard them",
            labels=["stat"],
        )
        for stat, value in sorted(ingest.broker_stats.items()):
            broker.add_metric([stat], value)
        yield broker
        yield from ingest.pipeline.timings.collect()
        yield _labelled(
            "continuo_decisions",
            "Decision engine counters",
            "event",
            self._s.needs.counters.items(),
        )
        yield _labelled(
            "continuo_notifications",
            "Alert notifications",
            "event",
            self._s.escalator.counters.items(),
        )
        yield _labelled(
            "continuo_deliveries",
            "Notice deliveries: queued, delivered, retried, gave up, gone, cancelled per kind",
            "event",
            self._s.deliveries.counters.items(),
        )
        yield _labelled(
            "continuo_fulfilment",
            "Fulfilment counters",
            "event",
            self._s.fulfiller.counters.items(),
        )
        yield _labelled(
            "continuo_auth",
            "Logins by outcome, and X-Forwarded-For headers ignored (not from a trusted proxy)",
            "event",
            self._s.authenticator.counters.items(),
        )
        yield from self._s.supervisor.collect()


class _Fixed(Collector):
    def __init__(self, metrics: list[Metric]) -> None:
        self._metrics = metrics

    def collect(self) -> Iterator[Metric]:
        yield from self._metrics


async def _fleet() -> list[Metric]:
    """The fleet's gauges, from the database (three aggregate queries)."""
    total = await Device.filter(revoked=False).count()
    online = await Device.filter(revoked=False, online=True).count()
    dropped = (
        await Device.filter(revoked=False).annotate(n=Sum("outbox_dropped")).first().values("n")
    )
    open_incidents = await Incident.filter(state__in=("active", "acknowledged")).count()
    failed = await Delivery.filter(state__in=(DeliveryState.FAILED, DeliveryState.GONE)).count()
    devices = GaugeMetricFamily("continuo_devices", "Devices registered", labels=["state"])
    devices.add_metric(["registered"], total)
    devices.add_metric(["online"], online)
    return [
        devices,
        GaugeMetricFamily(
            "continuo_device_outbox_dropped",
            "Telemetry the devices' outboxes dropped when full, as they report it",
            value=float((dropped or {}).get("n") or 0),
        ),
        GaugeMetricFamily(
            "continuo_incidents_open", "Incidents not yet resolved", value=open_incidents
        ),
        GaugeMetricFamily(
            "continuo_deliveries_failed",
            "Notices given up on or refused by their receiver (operators may retry them)",
            value=failed,
        ),
    ]


async def metrics(request: web.Request) -> web.Response:
    """The worker's metrics and the fleet's, in Prometheus text format."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Worker(services(request)))
    registry.register(_Fixed(await _fleet()))
    return web.Response(body=generate_latest(registry), headers={"Content-Type": CONTENT_TYPE})


ROUTES = [
    Route(
        method="GET",
        path="/metrics",
        handler=metrics,
        summary="Prometheus metrics of this worker and the fleet",
        roles=OPS,
    ),
]
