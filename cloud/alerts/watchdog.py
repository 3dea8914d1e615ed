"""The site watchdog: a home with a wearable whose Pi goes silent is itself a warning.

A lost link to the base station is an alarm in social-alarm practice (EN 50134): a power
cut or an unplugged router leaves a wearer with nobody listening. A device that has a
wearable (`Device.watched`) and has not been heard for `site_silent_after_s` (5 minutes by
default, so a router's nightly reboot pages nobody) opens a "hub silent" warning for the
household and its caregiver; as soon as the Pi is heard again the warning clears itself
and everyone told hears so.

Silence is only what this side could have heard: while the cloud's own ingest is down (the
broker lost, the database failing) nothing is heard from anyone, so no round raises
anything, and after it returns a Pi must stay silent for the whole threshold again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter

from cloud.alerts import incidents
from cloud.alerts.escalation import CLEARED, Escalator
from cloud.alerts.kinds import SITE_SILENT
from cloud.config import AlertSettings
from cloud.store.models import Device, Incident
from common.clock import Clock, utc

log = logging.getLogger(__name__)


class SiteWatchdog:
    """Raises and clears "hub silent" warnings, one round at a time."""

    def __init__(self, *, clock: Clock, settings: AlertSettings, escalator: Escalator) -> None:
        """Wire the escalation that tells people."""
        self._clock = clock
        self._settings = settings
        self._escalator = escalator
        self.counters: Counter[str] = Counter()

    async def round(self, *, listening_since: float | None) -> None:
        """Clear the warnings of Pis heard again, then raise those of Pis silent too long.

        Args:
            listening_since: Since when this worker's ingest has been working (None: not
                now). A Pi counts as silent only if it was silent while ingest listened.
        """
        after = self._settings.site_silent_after_s
        if after <= 0 or listening_since is None:
            return
        now = utc(self._clock.now())
        for incident in await Incident.filter(
            kind=SITE_SILENT, open_key__isnull=False
        ).prefetch_related("device"):
            heard = incident.device.last_seen
            back = heard is not None and heard > incident.raised_at - dt.timedelta(seconds=after)
            if back and await self._escalator.close_incident(
                incident, purpose=CLEARED, by="the hub is heard again"
            ):
                self.counters["site_silent_cleared"] += 1
        if listening_since > now.timestamp() - after:
            return  # not listening for long enough to tell silence from our own outage
        silent = Device.filter(
            watched=True,
            revoked=False,
            quarantined_at__isnull=True,
            last_seen__lt=now - dt.timedelta(seconds=after),
        )
        raised = 0
        for device in await silent:
            if await incidents.raise_site_silent(device, now=now, silent_s=after):
                raised += 1
                log.warning("site watchdog: %s silent since %s", device.id, device.last_seen)
        if raised:
            self.counters["site_silent_raised"] += raised
            self._escalator.wake()
