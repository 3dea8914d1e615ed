"""What each alert is: its kind of notice and how people read it, as a table of descriptions.

A fall is an emergency (it climbs the escalation ladder); a battery running out, a wearable
not worn, a wearable that stopped reporting, a silent Pi are warnings (to the household and
its caregiver at once). An alert the table does not know is an emergency when its device
called it critical, a warning otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from cloud.terms import NoticeClass

SITE_SILENT: Final = "site_silent"  # raised by the cloud's site watchdog, not by a device
FLOODING: Final = "flooding"  # the one incident a device's surplus alerts fold into
FLOOD_SENSOR: Final = "*"


@dataclass(frozen=True, slots=True)
class AlertKind:
    """One kind of alert: its notice class and its words (a noun phrase and a headline)."""

    name: str
    notice: NoticeClass
    what: str  # "a fall", used in sentences
    headline: str  # "FALL", the first word of an SMS


KINDS: Final = {
    k.name: k
    for k in (
        AlertKind("fall", NoticeClass.EMERGENCY, "a fall", "FALL"),
        AlertKind(
            "monitoring_lost",
            NoticeClass.WARNING,
            "the wearable stopped reporting",
            "NOT MONITORED",
        ),
        AlertKind("battery_low", NoticeClass.WARNING, "a low wearable battery", "BATTERY LOW"),
        AlertKind(
            "battery_dying",
            NoticeClass.WARNING,
            "a wearable battery about to run out",
            "BATTERY",
        ),
        AlertKind("not_worn", NoticeClass.WARNING, "the wearable not being worn", "NOT WORN"),
        AlertKind(SITE_SILENT, NoticeClass.WARNING, "the home's hub going silent", "HUB SILENT"),
        AlertKind(FLOODING, NoticeClass.WARNING, "a device sending too many alerts", "FLOODING"),
    )
}


def kind_of(name: str, severity: str) -> AlertKind:
    """The description of an alert kind; an unknown one by its severity."""
    known = KINDS.get(name)
    if known is not None:
        return known
    notice = NoticeClass.EMERGENCY if severity == "critical" else NoticeClass.WARNING
    words = name.replace("_", " ")
    return AlertKind(name, notice, words, words.upper())
