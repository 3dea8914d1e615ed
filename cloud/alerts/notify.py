"""Notification channels behind one interface: webhook, e-mail over SMTP, SMS gateway."""

from __future__ import annotations

import asyncio
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from enum import StrEnum
from typing import Protocol

import aiohttp
import msgspec

from cloud.config import NotifySettings
from common.errors import ContinuoError


class NotifyError(ContinuoError):
    """A channel could not deliver a notification."""


class Purpose(StrEnum):
    """Why a person is told: an alert, or that an alert they had was a false alarm."""

    ALERT = "alert"
    FALSE_ALARM = "false_alarm"


@dataclass(frozen=True, slots=True)
class Notice:
    """What a person is told (a webhook receives these fields as JSON)."""

    incident_id: str
    severity: str
    subject: str
    body: str
    purpose: Purpose = Purpose.ALERT


class Channel(Protocol):
    """Delivers a notice to a target (a URL, an address, a phone number)."""

    async def send(self, target: str, notice: Notice) -> None:
        """Deliver, or raise NotifyError."""
        ...


class WebhookChannel:
    """POSTs the notice as JSON (an emergency-services integration, a pager)."""

    def __init__(self, *, timeout_s: float) -> None:
        """Configure the timeout."""
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)

    async def send(self, target: str, notice: Notice) -> None:
        """POST and expect a 2xx."""
        body = msgspec.json.encode(notice)
        try:
            async with (
                aiohttp.ClientSession(timeout=self._timeout) as session,
                session.post(
                    target, data=body, headers={"Content-Type": "application/json"}
                ) as response,
            ):
                if response.status // 100 != 2:  # noqa: PLR2004
                    raise NotifyError(f"webhook {target} answered {response.status}")
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise NotifyError(f"webhook {target} failed: {exc or type(exc).__name__}") from exc


class EmailChannel:
    """Sends a plain-text e-mail through an SMTP server."""

    def __init__(self, settings: NotifySettings) -> None:
        """Keep the server settings."""
        self._s = settings

    def _send_sync(self, target: str, notice: Notice) -> None:
        message = EmailMessage()
        message["From"] = self._s.smtp_from
        message["To"] = target
        message["Subject"] = notice.subject
        message.set_content(notice.body)
        with smtplib.SMTP(self._s.smtp_host, self._s.smtp_port, timeout=self._s.timeout_s) as smtp:
            if self._s.smtp_starttls:
                smtp.starttls()
            if self._s.smtp_username and self._s.smtp_password:
                smtp.login(self._s.smtp_username, self._s.smtp_password)
            smtp.send_message(message)

    async def send(self, target: str, notice: Notice) -> None:
        """Send in a worker thread (smtplib blocks)."""
        try:
            await asyncio.to_thread(self._send_sync, target, notice)
        except (smtplib.SMTPException, OSError) as exc:
            raise NotifyError(f"e-mail to {target} failed: {exc}") from exc


class SmsChannel:
    """Posts the text to an SMS gateway's HTTP API: {"to": number, "text": message}."""

    def __init__(self, *, gateway_url: str | None, timeout_s: float) -> None:
        """Configure the gateway."""
        self._url = gateway_url
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)

    async def send(self, target: str, notice: Notice) -> None:
        """One SMS of at most 160 characters."""
        if not self._url:
            raise NotifyError("no SMS gateway is configured ([notify] sms_gateway_url)")
        payload = msgspec.json.encode({"to": target, "text": notice.body[:160]})
        try:
            async with (
                aiohttp.ClientSession(timeout=self._timeout) as session,
                session.post(
                    self._url, data=payload, headers={"Content-Type": "application/json"}
                ) as response,
            ):
                if response.status // 100 != 2:  # noqa: PLR2004
                    raise NotifyError(f"SMS gateway answered {response.status}")
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise NotifyError(f"SMS gateway failed: {exc or type(exc).__name__}") from exc


def channels(settings: NotifySettings) -> dict[str, Channel]:
    """Every channel, by the name escalation steps use."""
    return {
        "webhook": WebhookChannel(timeout_s=settings.timeout_s),
        "email": EmailChannel(settings),
        "sms": SmsChannel(gateway_url=settings.sms_gateway_url, timeout_s=settings.timeout_s),
    }
