"""How a notice leaves: webhook (Standard Webhooks), e-mail over SMTP, SMS through a gateway.

Every channel takes one `Outgoing` message to one target and either returns or raises
`SendError`, which says whether trying again can help (`permanent`) and when the receiver
asked to be tried again (`retry_after_s`). Retrying is the delivery engine's business.

Webhooks follow Standard Webhooks 1.0: the same `webhook-id` on every attempt, a
`webhook-timestamp`, and `webhook-signature` = `v1,` + base64 HMAC-SHA256 over
`id.timestamp.body` with each of the receiver's live secrets (two while one is rotated
out). A redirect is a failure (never followed), 410 Gone is permanent (the receiver
disabled itself), `Retry-After` is honoured. Targets a customer set go through a guarded
session that connects to public addresses only (`cloud.delivery.targets`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

import aiohttp
import msgspec
from standardwebhooks import Webhook

from cloud.config import NotifySettings
from cloud.delivery.targets import GuardedResolver, UnsafeTargetError, check_url
from common.clock import Clock, SystemClock, utc
from common.errors import ContinuoError

USER_AGENT = "Continuo-Webhooks/1"
SMS_LENGTH = 160
_GONE = 410
_TOO_MANY = 429
_UNAVAILABLE = 503


class SendError(ContinuoError):
    """One attempt failed.

    Attributes:
        status: The HTTP status the receiver answered, if it answered.
        permanent: Trying again cannot help (410 Gone, an unsafe target).
        retry_after_s: How long the receiver asked us to wait, if it said.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        permanent: bool = False,
        retry_after_s: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.permanent = permanent
        self.retry_after_s = retry_after_s


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One notice as it leaves, the same on every attempt."""

    id: str  # the webhook-id: stable across attempts, so receivers can drop duplicates
    subject: str
    text: str  # e-mail body; an SMS carries its first 160 characters
    payload: bytes  # the webhook's JSON body
    secrets: tuple[str, ...] = ()  # the receiver's live signing secrets ("whsec_...")
    trusted: bool = False  # set by staff: no address checks


class Channel(Protocol):
    """Delivers an outgoing notice to a target (a URL, an address, a phone number)."""

    async def send(self, target: str, message: Outgoing, *, timeout_s: float) -> None:
        """Deliver within `timeout_s`, or raise SendError."""
        ...


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); None if absent."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = dt.datetime.strptime(value, "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=dt.UTC)
    except ValueError:
        return None
    return max(0.0, when.timestamp() - now)


def signature(message: Outgoing, at: dt.datetime) -> str:
    """The webhook-signature header: one v1 signature per live secret."""
    return " ".join(
        Webhook(secret).sign(message.id, at, message.payload) for secret in message.secrets
    )


async def _post(
    url: str,
    payload: bytes,
    headers: dict[str, str],
    *,
    timeout_s: float,
    clock: Clock,
    connector: aiohttp.BaseConnector | None = None,
) -> tuple[int, float | None]:
    """POST once, never following a redirect: the status, and any Retry-After in seconds.

    A session per attempt: notices are few, and nothing is left open between them.
    """
    async with (
        aiohttp.ClientSession(connector=connector) as session,
        session.post(
            url,
            data=payload,
            headers=headers,
            allow_redirects=False,
            timeout=aiohttp.ClientTimeout(total=timeout_s),
        ) as response,
    ):
        return response.status, retry_after(response.headers.get("Retry-After"), clock.now())


class WebhookChannel:
    """POSTs the notice as signed JSON (an alarm receiving centre, a pager, a customer's app)."""

    def __init__(self, clock: Clock | None = None) -> None:
        """Stamp and sign with `clock`'s time (the receiver checks it against its own)."""
        self._clock = clock or SystemClock()

    async def send(self, target: str, message: Outgoing, *, timeout_s: float) -> None:
        """POST and expect a 2xx; anything else, or no answer in time, is a SendError."""
        if not message.trusted:
            try:
                check_url(target)
            except UnsafeTargetError as exc:
                raise SendError(f"refused: {exc}", permanent=True) from exc
        at = utc(self._clock.now())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "webhook-id": message.id,
            "webhook-timestamp": str(int(at.timestamp())),
        }
        if message.secrets:
            headers["webhook-signature"] = signature(message, at)
        # A customer's target may reach public addresses only, checked where it connects.
        connector = None if message.trusted else aiohttp.TCPConnector(resolver=GuardedResolver())
        try:
            status, wait = await _post(
                target,
                message.payload,
                headers,
                timeout_s=timeout_s,
                clock=self._clock,
                connector=connector,
            )
        except UnsafeTargetError as exc:
            raise SendError(f"refused: {exc}", permanent=True) from exc
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            cause = exc.__cause__ or exc.__context__
            if isinstance(cause, UnsafeTargetError):
                raise SendError(f"refused: {cause}", permanent=True) from exc
            raise SendError(f"no answer: {exc or type(exc).__name__}") from exc
        if 200 <= status < 300:  # noqa: PLR2004
            return
        if 300 <= status < 400:  # noqa: PLR2004
            raise SendError(f"answered {status}: redirects are not followed", status=status)
        if status == _GONE:
            raise SendError(
                "answered 410 Gone: the receiver is disabled", status=status, permanent=True
            )
        raise SendError(
            f"answered {status}",
            status=status,
            retry_after_s=wait if status in {_TOO_MANY, _UNAVAILABLE} else None,
        )


class EmailChannel:
    """Sends a plain-text e-mail through an SMTP server."""

    def __init__(self, settings: NotifySettings) -> None:
        """Keep the server settings."""
        self._s = settings

    def _send_sync(self, target: str, message: Outgoing, timeout_s: float) -> None:
        mail = EmailMessage()
        mail["From"] = self._s.smtp_from
        mail["To"] = target
        mail["Subject"] = message.subject
        mail["Message-ID"] = f"<{message.id}@continuo>"  # the same on a retry: one thread
        mail.set_content(message.text)
        with smtplib.SMTP(self._s.smtp_host, self._s.smtp_port, timeout=timeout_s) as smtp:
            if self._s.smtp_starttls:
                smtp.starttls()
            if self._s.smtp_username and self._s.smtp_password:
                smtp.login(self._s.smtp_username, self._s.smtp_password)
            smtp.send_message(mail)

    async def send(self, target: str, message: Outgoing, *, timeout_s: float) -> None:
        """Send in a worker thread (smtplib blocks)."""
        try:
            await asyncio.to_thread(self._send_sync, target, message, timeout_s)
        except smtplib.SMTPRecipientsRefused as exc:
            raise SendError(f"e-mail to {target} refused: {exc}", permanent=True) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise SendError(f"e-mail failed: {exc}") from exc


class SmsChannel:
    """Posts the text to an SMS gateway's HTTP API: {"to", "text", "id"}, with its API key."""

    def __init__(
        self, *, gateway_url: str | None, token: str | None, clock: Clock | None = None
    ) -> None:
        """Configure the gateway (the key goes in `Authorization: Bearer`)."""
        self._url = gateway_url
        self._token = token
        self._clock = clock or SystemClock()

    async def send(self, target: str, message: Outgoing, *, timeout_s: float) -> None:
        """One SMS of at most 160 characters; the message id lets the gateway drop repeats."""
        if not self._url:
            raise SendError("no SMS gateway is configured ([notify] sms_gateway_url)")
        headers = {"Content-Type": "application/json", "Idempotency-Key": message.id}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        payload = msgspec.json.encode(
            {"to": target, "text": message.text[:SMS_LENGTH], "id": message.id}
        )
        try:
            status, wait = await _post(
                self._url, payload, headers, timeout_s=timeout_s, clock=self._clock
            )
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise SendError(f"SMS gateway: no answer: {exc or type(exc).__name__}") from exc
        if not 200 <= status < 300:  # noqa: PLR2004
            raise SendError(f"SMS gateway answered {status}", status=status, retry_after_s=wait)


def channels(settings: NotifySettings, clock: Clock) -> dict[str, Channel]:
    """Every channel, by the name a receiver's step uses."""
    return {
        "webhook": WebhookChannel(clock),
        "email": EmailChannel(settings),
        "sms": SmsChannel(
            gateway_url=settings.sms_gateway_url, token=settings.sms_gateway_token, clock=clock
        ),
    }
