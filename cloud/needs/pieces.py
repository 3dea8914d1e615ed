"""The needs layer's pieces, built together in `cloud.services` and used one by one."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from cloud.needs.absences import Calendar
from cloud.needs.apply import Executor
from cloud.needs.doses import Doses
from cloud.needs.held import HeldOrders
from cloud.needs.observe import Observer
from cloud.needs.offer import Offers
from cloud.needs.population import Priors
from cloud.needs.printers import PrinterNeeds
from cloud.needs.requests import Requests
from cloud.needs.sweep import Sweeper
from common.clock import Clock


@dataclass(frozen=True, slots=True)
class Needs:
    """Every piece of the needs layer; each caller reaches for the one it uses."""

    clock: Clock
    counters: Counter[str]  # shared by the pieces, reported as replenishment counters
    priors: Priors
    printers: PrinterNeeds
    observer: Observer
    executor: Executor
    requests: Requests
    offers: Offers
    held: HeldOrders
    calendar: Calendar
    doses: Doses
    sweeper: Sweeper
