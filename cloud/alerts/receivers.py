"""A household's receivers: who is told of what, how, and (emergencies) when.

Each receiver is a step of the household's ladder: a channel and target, who it is
(`Receiver`: the customer, a caregiver, an alarm centre, someone else) and which kinds of
notice it gets. By default an alarm centre gets emergencies only, never warnings or
reminders; the household may ask for warnings there too, never reminders. Reminders go only
to the customer's (or, for a caregiver's reminder, the caregiver's) own channels.

A webhook receiver has a signing secret (Standard Webhooks), made when it is added and
shown once; rotating it keeps the old one valid for an overlap, so a receiver can switch
without losing a notice. Webhooks a customer sets must be safe targets
(`cloud.delivery.targets`); staff may set any (`trusted`).
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import secrets
from typing import Annotated

import msgspec

from cloud.delivery.targets import UnsafeTargetError, check_target, mask
from cloud.store.db import transaction
from cloud.store.models import EscalationStep
from cloud.terms import NoticeClass, Receiver
from common.errors import NotFoundError, RefusedError

DEFAULT_GETS: dict[Receiver, frozenset[NoticeClass]] = {
    Receiver.CUSTOMER: frozenset(NoticeClass),
    Receiver.CAREGIVER: frozenset(NoticeClass),
    Receiver.ALARM_CENTRE: frozenset({NoticeClass.EMERGENCY}),
    Receiver.OTHER: frozenset({NoticeClass.EMERGENCY}),
}
REMINDED = frozenset({Receiver.CUSTOMER, Receiver.CAREGIVER})  # who may get reminders


class StepSpec(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """One receiver as a household or an operator writes it."""

    after_s: Annotated[float, msgspec.Meta(ge=0, le=7 * 86_400)]
    channel: Annotated[str, msgspec.Meta(pattern="^(webhook|email|sms)$")]
    target: Annotated[str, msgspec.Meta(min_length=3, max_length=512)]
    who: Receiver = Receiver.OTHER
    gets: Annotated[list[NoticeClass], msgspec.Meta(max_length=3)] | None = None  # None: who's


class StepOut(msgspec.Struct, frozen=True, omit_defaults=True):
    """One receiver as the API shows it (a webhook's secret only when it was just made)."""

    position: int
    after_s: float
    channel: str
    target: str  # masked for everyone but staff
    who: Receiver
    gets: list[NoticeClass]
    signed: bool = False  # a webhook with a signing secret
    disabled_at: dt.datetime | None = None  # the receiver answered 410 Gone
    secret: str | None = None  # shown once: when made or rotated


_TARGETS = {
    "webhook": re.compile(r"^https?://[^\s]+$"),
    "email": re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    "sms": re.compile(r"^\+?[0-9]{6,15}$"),
}


class LadderError(RefusedError):
    """A set of receivers that cannot work."""


def gets(step: StepSpec) -> frozenset[NoticeClass]:
    """What a receiver gets: what it asked for, or its kind's default."""
    return DEFAULT_GETS[step.who] if step.gets is None else frozenset(step.gets)


def check_ladder(steps: list[StepSpec], *, max_steps: int = 10) -> None:
    """Raise LadderError unless the ladder is short, in order, and every target fits."""
    if len(steps) > max_steps:
        raise LadderError(f"at most {max_steps} receivers")
    for i, step in enumerate(steps):
        if not _TARGETS[step.channel].match(step.target):
            raise LadderError(f"step {i + 1}: {step.target!r} is not a valid {step.channel} target")
        if i and step.after_s < steps[i - 1].after_s:
            raise LadderError(f"step {i + 1} comes before step {i}: delays must not decrease")
        if NoticeClass.REMINDER in gets(step) and step.who not in REMINDED:
            raise LadderError(
                f"step {i + 1}: reminders go only to the customer's or a caregiver's own channels"
            )


def new_secret() -> str:
    """A Standard Webhooks signing secret: whsec_ and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


async def ladder(customer_id: str) -> list[EscalationStep]:
    """A household's receivers, in order."""
    return await EscalationStep.filter(customer_id=customer_id).order_by("position")


def receives(step: EscalationStep, notice: NoticeClass) -> bool:
    """Whether a stored receiver gets this kind of notice."""
    return notice.value in step.gets


async def set_ladder(
    customer_id: str, steps: list[StepSpec], *, trusted: bool, max_steps: int = 10
) -> list[StepOut]:
    """Replace a household's receivers; what the caller is shown (new secrets once).

    A receiver already on the ladder (the same channel and target, or its masked form as the
    API shows it) keeps its secret, its trust and its state. Staff (`trusted`) make the
    receivers they add trusted; a receiver a customer added stays a customer's (checked at
    every send) however often staff save the ladder around it.

    Args:
        customer_id: The household.
        steps: Its receivers, in ladder order.
        trusted: Staff set these (any target). Otherwise every new webhook must be a safe
            target.
        max_steps: At most this many.

    Raises:
        LadderError: The ladder cannot work, or a webhook is not a safe target.
    """
    check_ladder(steps, max_steps=max_steps)
    current = await ladder(customer_id)
    steps = _unmasked(steps, current)
    before = {(s.channel, s.target): s for s in current}
    for i, step in enumerate(steps):
        kept = before.get((step.channel, step.target))
        if step.channel != "webhook" or trusted or kept is not None:
            continue  # not a webhook, staff's, or on the ladder already (checked then, and
            # at every send if a customer's)
        try:
            await check_target(step.target)
        except UnsafeTargetError as exc:
            raise LadderError(f"step {i + 1}: {exc}") from exc
    made: dict[int, str] = {}
    async with transaction():
        await EscalationStep.filter(customer_id=customer_id).delete()
        for position, step in enumerate(steps):
            kept = before.get((step.channel, step.target))
            secret = kept.secret if kept is not None else ""
            if step.channel == "webhook" and not secret:
                secret = made[position] = new_secret()
            await EscalationStep.create(
                customer_id=customer_id,
                position=position,
                after_s=step.after_s,
                channel=step.channel,
                target=step.target,
                who=step.who.value,
                gets=sorted(n.value for n in gets(step)),
                trusted=kept.trusted if kept is not None else trusted,
                secret=secret,
                previous_secret=kept.previous_secret if kept is not None else "",
                previous_until=kept.previous_until if kept is not None else None,
                disabled_at=kept.disabled_at if kept is not None else None,
            )
    return [shown(s, staff=trusted, secret=made.get(s.position)) for s in await ladder(customer_id)]


def _unmasked(steps: list[StepSpec], current: list[EscalationStep]) -> list[StepSpec]:
    """A ladder read back from the API names its receivers masked: those mean the same ones."""
    by_mask: dict[tuple[str, str], set[str]] = {}
    for s in current:
        by_mask.setdefault((s.channel, mask(s.target)), set()).add(s.target)
    out: list[StepSpec] = []
    for step in steps:
        if "…" not in step.target:
            out.append(step)
            continue
        real = by_mask.get((step.channel, step.target), set())
        if len(real) != 1:
            raise LadderError(
                f"{step.target!r} is the masked target of no single current receiver; "
                "give the whole target"
            )
        out.append(msgspec.structs.replace(step, target=next(iter(real))))
    return out


async def rotate_secret(
    customer_id: str, position: int, *, now: dt.datetime, overlap_s: float, staff: bool
) -> StepOut:
    """Give a webhook receiver a new secret; the old one stays valid for `overlap_s`.

    Raises:
        NotFoundError: No such webhook receiver.
    """
    step = await EscalationStep.get_or_none(
        customer_id=customer_id, position=position, channel="webhook"
    )
    if step is None:
        raise NotFoundError(f"no webhook receiver at position {position}")
    secret = new_secret()
    step.previous_secret, step.previous_until = step.secret, now + dt.timedelta(seconds=overlap_s)
    step.secret = secret
    await step.save(update_fields=["secret", "previous_secret", "previous_until"])
    return shown(step, staff=staff, secret=secret)


def shown(step: EscalationStep, *, staff: bool, secret: str | None = None) -> StepOut:
    """A receiver as the API shows it: the target masked unless `staff` asks."""
    return StepOut(
        position=step.position,
        after_s=step.after_s,
        channel=step.channel,
        target=step.target if staff else mask(step.target),
        who=Receiver(step.who),
        gets=[NoticeClass(n) for n in step.gets],
        signed=bool(step.secret),
        disabled_at=step.disabled_at,
        secret=secret,
    )


def parse_step(text: str) -> StepSpec:
    """'[WHO=]AFTER_S:CHANNEL:TARGET', e.g. 'caregiver=300:sms:+15551234567'."""
    who = Receiver.OTHER
    head, eq, rest = text.partition("=")
    if eq and ":" not in head:
        try:
            who = Receiver(head)
        except ValueError:
            names = ", ".join(r.value for r in Receiver)
            raise LadderError(f"step {text!r}: who must be one of {names}") from None
        text = rest
    after, sep, rest = text.partition(":")
    channel, sep2, target = rest.partition(":")
    if not sep or not sep2:
        raise LadderError(f"step {text!r} is not [WHO=]AFTER_S:CHANNEL:TARGET")
    try:
        seconds = float(after)
    except ValueError:
        raise LadderError(f"step {text!r}: AFTER_S must be a number of seconds") from None
    try:
        return msgspec.convert(
            {"after_s": seconds, "channel": channel, "target": target, "who": who}, StepSpec
        )
    except msgspec.ValidationError as exc:
        raise LadderError(f"step {text!r}: {exc}") from exc
