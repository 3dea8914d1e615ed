"""Medication adherence: a missed dose tells the patient, then the caregiver, each once."""

from __future__ import annotations

from dataclasses import dataclass

from cloud.decide import engine
from cloud.decide.learning import DAY
from cloud.decide.weight import LiftFilter, settle
from cloud.needs.reminders import Reminders
from cloud.privacy import consent
from cloud.store.models import Customer, Need, SensorSample
from cloud.terms import Purpose, Stream
from common.clock import Clock, utc

TAKEN_SHARE = 0.5  # a drop of half a dose's weight is the dose taken
BEFORE_S = 12 * 3600.0  # how far back the weight before a dose is looked for
LATE_S = 24 * 3600.0  # a dose missed this long ago is no longer reminded of


@dataclass(frozen=True, slots=True)
class DoseSettings:
    """Timing of dose reminders."""

    dose_window_s: float = 3600.0  # a dose counts as taken this long after its time
    caregiver_after_s: float = 2 * 3600.0  # then the caregiver is told


class Doses:
    """Checks each need with dose times against its scale's readings."""

    def __init__(
        self,
        *,
        clock: Clock,
        reminders: Reminders,
        lift: LiftFilter | None = None,
        settings: DoseSettings | None = None,
    ) -> None:
        self._clock = clock
        self._reminders = reminders
        self._lift = lift or LiftFilter()
        self._settings = settings or DoseSettings()

    async def check(self, need: Need) -> None:
        """A dose time passed with no weight drop: remind the patient, then the caregiver."""
        if not need.dose_times or not need.dose_grams or need.sensor is None:
            return
        customer = await Customer.get(id=need.customer_id)
        if not await consent.granted(customer.id, Stream.WEIGHTS, Purpose.COACHING):
            return
        now = self._clock.now()
        offset = customer.utc_offset_min * 60.0
        local_day = (now + offset) // DAY * DAY
        for day in (local_day - DAY, local_day):
            for hhmm in need.dose_times:
                hours, minutes = (int(x) for x in hhmm.split(":"))
                due = day + hours * 3600 + minutes * 60 - offset
                await self._check_dose(need, customer, due, now)

    async def _check_dose(self, need: Need, customer: Customer, due: float, now: float) -> None:
        s = self._settings
        if now < due + s.dose_window_s or now > due + LATE_S:
            return
        if await self._taken(need, due, now):
            return
        when = engine.iso(due)
        local = hhmm_of(due + customer.utc_offset_min * 60)
        await self._reminders.send(
            need,
            customer,
            "dose_missed",
            f"The {local} dose of {need.product} has not been taken yet.",
            to="customer",
            now=now,
            key=f"dose:{need.id}:{when}:customer",
        )
        if now >= due + s.dose_window_s + s.caregiver_after_s:
            await self._reminders.send(
                need,
                customer,
                "dose_missed",
                f"{customer.name} has not taken the {local} dose of {need.product}.",
                to="caregiver",
                now=now,
                key=f"dose:{need.id}:{when}:caregiver",
            )

    async def _taken(self, need: Need, due: float, now: float) -> bool:
        """Whether the scale's weight dropped by a dose in the dose's window."""
        stable = SensorSample.filter(
            device_id=need.device_id,
            sensor=need.sensor,
            kind="scale",
            state="stable",
            grams__isnull=False,
        )
        start = utc(due - self._settings.dose_window_s)
        before = (  # the weight before the dose window, to compare against
            await stable.filter(at__lt=start, at__gte=utc(due - BEFORE_S)).order_by("-at").first()
        )
        rows = [
            *([] if before is None else [(before.at, before.grams)]),
            *await stable.filter(at__gte=start, at__lte=utc(now))
            .order_by("at")
            .values_list("at", "grams"),
        ]
        settled = settle([(a.timestamp(), float(g)) for a, g in rows], self._lift)
        return any(
            earlier[1] - later[1] >= TAKEN_SHARE * (need.dose_grams or 0)
            for i, earlier in enumerate(settled)
            for later in settled[i + 1 :]
        )


def hhmm_of(local: float) -> str:
    """'HH:MM' of a local time of day."""
    seconds = int(local % DAY)
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"
