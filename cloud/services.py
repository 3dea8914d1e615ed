"""The composition root: the one place the backend's services are built and wired.

The app, the CLI and the tests all build their services here, so each runs the same wiring.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from cloud.alerts.escalation import Escalator
from cloud.alerts.watchdog import SiteWatchdog
from cloud.config import CloudConfig
from cloud.decide import engine
from cloud.delivery.channels import Channel
from cloud.delivery.channels import channels as notify_channels
from cloud.delivery.engine import Deliveries
from cloud.identity.users import Authenticator
from cloud.ingest.consumer import Ingest
from cloud.needs.absences import Calendar
from cloud.needs.apply import Executor
from cloud.needs.doses import Doses
from cloud.needs.held import HeldOrders
from cloud.needs.observe import Observer
from cloud.needs.offer import Offers
from cloud.needs.pieces import Needs
from cloud.needs.population import Priors
from cloud.needs.printers import PrinterNeeds
from cloud.needs.reminders import Reminders
from cloud.needs.requests import Requests
from cloud.needs.snapshot import Snapshots
from cloud.needs.sweep import Sweeper
from cloud.orders.catalog import Catalog
from cloud.orders.fulfiller import Fulfiller
from cloud.orders.fulfilment import FulfilmentProvider, SimulatedProvider
from cloud.store.changes import ChangeFeed
from cloud.supervisor import Supervisor
from common.clock import Clock, SystemClock


def engine_policy(config: CloudConfig) -> engine.Policy:
    """The decision engine's policy from the config file."""
    r = config.replenish
    return engine.Policy(
        service_z=r.service_z,
        stale_after_s=r.stale_after_hours * 3600,
        min_days=r.min_history_hours / 24,
        reminder_period_s=r.reminder_period_hours * 3600,
        cancel_window_s=r.cancel_window_s,
    )


@dataclass(frozen=True, slots=True)
class Services:
    """Every long-lived service of one backend worker (the API sees them as `cloud.api.context`)."""

    config: CloudConfig
    clock: Clock
    feed: ChangeFeed
    catalog: Catalog
    channels: dict[str, Channel]
    deliveries: Deliveries
    fulfiller: Fulfiller
    escalator: Escalator
    watchdog: SiteWatchdog
    needs: Needs
    ingest: Ingest
    authenticator: Authenticator
    supervisor: Supervisor


def build_services(
    config: CloudConfig,
    *,
    clock: Clock | None = None,
    provider: FulfilmentProvider | None = None,
    catalog: Catalog | None = None,
    channels: dict[str, Channel] | None = None,
    rng: random.Random | None = None,
) -> Services:
    """Build one worker's services from its configuration (database and broker not opened)."""
    clock = clock or SystemClock()
    provider = provider or SimulatedProvider(
        clock=clock,
        ship_after_s=config.fulfilment.ship_after_s,
        deliver_after_s=config.fulfilment.deliver_after_s,
    )
    feed = ChangeFeed(database_url=config.database_url, clock=clock)
    catalog = catalog or Catalog.load()
    channels = notify_channels(config.notify, clock) if channels is None else channels
    fulfiller = Fulfiller(provider=provider, clock=clock, feed=feed)
    deliveries = Deliveries(
        channels=channels, clock=clock, feed=feed, settings=config.notify, rng=rng
    )
    escalator = Escalator(
        deliveries=deliveries,
        clock=clock,
        feed=feed,
        settings=config.alerts,
        public_url=config.http.public_url,
    )
    watchdog = SiteWatchdog(clock=clock, settings=config.alerts, escalator=escalator)
    needs = build_needs(
        config, clock=clock, feed=feed, catalog=catalog, deliveries=deliveries, fulfiller=fulfiller
    )
    ingest = Ingest(
        settings=config.broker,
        tuning=config.ingest,
        clock=clock,
        feed=feed,
        rng=rng,
        escalator=escalator,
        needs=needs,
        rules=config.alerts,
    )
    authenticator = Authenticator(
        clock=clock,
        session_s=config.http.session_hours * 3600,
        trusted_proxies=tuple(config.http.trusted_proxies),
    )
    return Services(
        config=config,
        clock=clock,
        feed=feed,
        catalog=catalog,
        channels=channels,
        deliveries=deliveries,
        fulfiller=fulfiller,
        escalator=escalator,
        watchdog=watchdog,
        needs=needs,
        ingest=ingest,
        authenticator=authenticator,
        supervisor=Supervisor(clock=clock, rng=rng),
    )


def build_needs(
    config: CloudConfig,
    *,
    clock: Clock,
    feed: ChangeFeed,
    catalog: Catalog,
    deliveries: Deliveries,
    fulfiller: Fulfiller,
) -> Needs:
    """Wire the needs layer: snapshot -> decide -> apply, and every way into it."""
    policy = engine_policy(config)
    counters: Counter[str] = Counter()
    priors = Priors(clock=clock)
    snapshots = Snapshots(policy=policy, clock=clock, priors=priors)
    reminders = Reminders(deliveries=deliveries, feed=feed, counters=counters)
    executor = Executor(
        snapshots=snapshots,
        catalog=catalog,
        policy=policy,
        fulfiller=fulfiller,
        reminders=reminders,
        clock=clock,
        feed=feed,
        counters=counters,
    )
    observer = Observer(executor=executor, clock=clock, feed=feed, counters=counters)
    held = HeldOrders(fulfiller=fulfiller, clock=clock, feed=feed, counters=counters)
    doses = Doses(clock=clock, reminders=reminders)
    return Needs(
        clock=clock,
        counters=counters,
        priors=priors,
        printers=PrinterNeeds(
            catalog=catalog,
            clock=clock,
            feed=feed,
            lead_hours=config.replenish.lead_time_days * 24,
        ),
        observer=observer,
        executor=executor,
        requests=Requests(
            executor=executor,
            snapshots=snapshots,
            catalog=catalog,
            clock=clock,
            counters=counters,
            undo_s=config.replenish.request_undo_s,
        ),
        offers=Offers(snapshots=snapshots, policy=policy, clock=clock),
        held=held,
        calendar=Calendar(executor=executor, counters=counters),
        doses=doses,
        sweeper=Sweeper(
            held=held,
            priors=priors,
            observer=observer,
            executor=executor,
            doses=doses,
            counters=counters,
        ),
    )
