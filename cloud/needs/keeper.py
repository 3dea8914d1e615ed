"""The need keeper: builds each need's snapshot, runs the engine and applies its decisions.

The engine (`cloud.decide.engine`) is pure; this is its one executor. Orders are idempotent by
construction: an automatic order holds the need's unique `open_key` until the new pack is in
use, a request holds its idempotency key, and a button press within `press_window_s` of the
last one is the same press. So redelivered messages, double presses, retried requests and
several workers deciding at once make one order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import msgspec
from tortoise.exceptions import IntegrityError

from cloud.alerts.escalation import ladder
from cloud.alerts.notify import Channel, Notice, NotifyError
from cloud.decide import engine
from cloud.decide.engine import Policy, Product, Snapshot
from cloud.decide.kinds import KINDS, Estimator, Fit, Source, describe
from cloud.decide.learning import DAY, Population, Prior, cadence_days
from cloud.decide.reasons import VERSION, OrderTerms, Reason, to_json
from cloud.decide.weight import LiftFilter, settle
from cloud.needs.calendar_feed import absences as parse_absences
from cloud.orders.catalog import Catalog, Pack
from cloud.orders.fulfiller import Fulfiller
from cloud.privacy import consent
from cloud.privacy.data_rights import audit
from cloud.store.changes import ChangeFeed
from cloud.store.models import (
    Absence,
    Customer,
    DecisionRecord,
    Device,
    Flag,
    Need,
    Order,
    PrinterInfo,
    Reminder,
    SensorSample,
    Supply,
    SupplyLevel,
)
from cloud.terms import (
    OPEN_STATUSES,
    DecisionAction,
    Experience,
    NeedKind,
    OrderSource,
    OrderStatus,
    Purpose,
    Stream,
    Topic,
)
from common.clock import Clock
from common.errors import ContinuoError

log = logging.getLogger(__name__)
OPEN = tuple(OPEN_STATUSES)
Points = list[tuple[float, float]]
FOLLOW_WINDOW = dt.timedelta(days=7)


class NeedError(ContinuoError):
    """A request about a need that cannot be done (the API maps it to 4xx)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status


def _dt(t: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(t, tz=dt.UTC)


def _ts(value: dt.datetime | None) -> float | None:
    return None if value is None else value.timestamp()


def need_key(need_id: str) -> str:
    """The unique key an open automatic order of a need holds."""
    return f"need/{need_id}"


@dataclass(frozen=True, slots=True)
class KeeperSettings:
    """Timing of the keeper."""

    press_window_s: float = 600.0
    dose_window_s: float = 3600.0  # a dose counts as taken this long after its time
    caregiver_after_s: float = 2 * 3600.0  # then the caregiver is told


class NeedKeeper:
    """Decides and acts for every need; the one place engine decisions touch the world."""

    def __init__(
        self,
        *,
        catalog: Catalog,
        policy: Policy,
        fulfiller: Fulfiller,
        clock: Clock,
        feed: ChangeFeed,
        channels: dict[str, Channel] | None = None,
        lift: LiftFilter | None = None,
        settings: KeeperSettings | None = None,
        printer_lead_hours: float = 72.0,
    ) -> None:
        """Wire the keeper to its dependencies."""
        self._policy_lead_hours = printer_lead_hours
        self._catalog = catalog
        self._policy = policy
        self._fulfiller = fulfiller
        self._clock = clock
        self._feed = feed
        self._channels = channels or {}
        self._lift = lift or LiftFilter()
        self._settings = settings or KeeperSettings()
        self._priors: dict[str, Prior] = {}
        self.counters: Counter[str] = Counter()

    def now(self) -> dt.datetime:
        """The keeper's clock, as a datetime."""
        return _dt(self._clock.now())

    async def record_change(self, need: Need, change: object) -> None:
        """The customer changed a need: record it on its timeline and decide again."""
        fields = {k: v for k, v in msgspec_fields(change).items() if v is not None}
        await DecisionRecord.create(
            need_id=need.id,
            at=self.now(),
            note=f"customer changed {', '.join(sorted(fields))}"[:512],
            action=DecisionAction.CHANGE,
            reason=to_json(
                Reason(
                    version=VERSION,
                    rule="the customer changed the need",
                    summary=f"changed {', '.join(sorted(fields))}",
                    decided_at=engine.iso(self._clock.now()),
                    changed={k: str(v) for k, v in fields.items()},
                )
            ),
        )
        await self.evaluate(need)

    async def offer(
        self, need: Need, choices: Sequence[Product]
    ) -> list[tuple[str, engine.Option]]:
        """Curated offering for a need, with the customer's other needs that are also low."""
        customer = await Customer.get(id=need.customer_id)
        snap = await self.snapshot(need, customer)
        others = await Need.filter(customer_id=customer.id, id__not=need.id)
        buyers = set(await Order.filter(sku=need.sku).values_list("need__customer_id", flat=True))
        companions = []
        by_sku = {}
        for other in others:
            both = set(
                await Order.filter(sku=other.sku, need__customer_id__in=list(buyers)).values_list(
                    "need__customer_id", flat=True
                )
            )
            share = len(both) / len(buyers) if buyers else 0.0
            companions.append((await self.snapshot(other, customer), share))
            by_sku[other.sku] = other.id
        options = engine.offer(
            snap, self._clock.now(), choices, companions=companions, policy=self._policy
        )
        return [(by_sku.get(o.sku, need.id), o) for o in options]

    # -- what the engine sees -------------------------------------------------------------

    def _product(self, need: Need) -> Product:
        return Product(
            need.sku, need.product, need.pack_units, need.price_cents, need.lead_hours * 3600
        )

    @staticmethod
    def learner_of(need: Need) -> Estimator:
        """A need's estimator (its kind's), from its stored state."""
        fresh = describe(need.kind).new_estimator(need.pack_units)
        if not need.learner:
            return fresh
        try:
            return msgspec.convert(need.learner, type(fresh))
        except msgspec.ValidationError:  # stored by an older release, or another kind: start again
            return fresh

    @staticmethod
    def store_learner(need: Need, learner: Estimator) -> None:
        """Keep an estimator's state on its need."""
        need.learner = msgspec.to_builtins(learner)

    async def _open_order(self, need: Need) -> Order | None:
        return await Order.filter(open_key=need_key(need.id)).first()

    async def snapshot(self, need: Need, customer: Customer) -> Snapshot:
        """Everything the engine may use about one need, now."""
        now = self._clock.now()
        learner = self.learner_of(need)
        kind = describe(need.kind)
        open_order = await self._open_order(need)
        month = _dt(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        spent = sum(
            o.price_cents
            for o in await Order.filter(
                need__customer_id=customer.id,
                source=OrderSource.ENGINE,
                created_at__gte=month,
                status__not=OrderStatus.CANCELLED,
            )
        )
        away = await Absence.filter(customer_id=customer.id, ends_at__gt=_dt(now - DAY))
        orders = await Order.filter(need_id=need.id, status__not=OrderStatus.CANCELLED).order_by(
            "created_at"
        )
        cancelled = await Order.filter(
            need_id=need.id, status=OrderStatus.CANCELLED, source=OrderSource.ENGINE
        )
        window = now - self._policy.rise_window_s
        ours = sum(o.quantity for o in orders if o.created_at.timestamp() >= window - 7 * DAY)
        quiet = (
            (customer.quiet_start, customer.quiet_end)
            if customer.quiet_start is not None and customer.quiet_end is not None
            else None
        )
        return Snapshot(
            need_id=need.id,
            kind=need.kind,
            experience=Experience(need.experience),
            product=self._product(need),
            level=need.level,
            level_at=_ts(need.level_at),
            rate=learner.estimate(self._priors.get(need.kind)),
            authorized=need.authorized,
            consented=await consent.granted(customer.id, kind.stream, Purpose.REPLENISHMENT),
            unit=kind.unit,
            critical_level=kind.critical_level(need.pack_units),
            idle_nudge=kind.idle_nudge,
            open_order=None
            if open_order is None
            else engine.OpenOrder(
                open_order.id, open_order.created_at.timestamp(), open_order.status
            ),
            rises_recent=max(0, learner.rises_since(window) - ours),
            absences=tuple((a.starts_at.timestamp(), a.ends_at.timestamp()) for a in away),
            spent_this_month_cents=spent,
            spend_cap_cents=customer.spend_cap_cents,
            last_reminder_at=_ts(need.last_reminder_at),
            last_order_at=orders[-1].created_at.timestamp() if orders else None,
            cadence_days=cadence_days([o.created_at.timestamp() for o in orders]),
            last_consumed_at=_ts(need.last_consumed_at),
            last_idle_nudge_at=_ts(need.last_idle_nudge_at),
            quiet_hours=quiet,
            utc_offset_s=customer.utc_offset_min * 60.0,
            last_ask_at=_ts(need.last_ask_at),
            cancelled_at=max((o.updated_at.timestamp() for o in cancelled), default=None),
        )

    # -- readings ----------------------------------------------------------------------

    async def ensure_printer_needs(self, device_id: str) -> None:
        """Every consumable supply of a printer is a need (default: the customer's choice)."""
        known = set(
            await Need.filter(device_id=device_id, supply_index__isnull=False).values_list(
                "sensor", "supply_index"
            )
        )
        missing = [
            s
            for s in await Supply.filter(device_id=device_id)
            if not s.kind.lower().startswith("waste") and (s.sensor, s.index) not in known
        ]
        if not missing:  # the usual case, on every printer reading: one query, nothing to do
            return
        device = await Device.get(id=device_id).prefetch_related("site__customer")
        customer = device.site.customer
        printers = {p.sensor: p for p in await PrinterInfo.filter(device_id=device_id)}
        kind = KINDS[NeedKind.CARTRIDGE]
        for supply in missing:
            printer = printers.get(supply.sensor)
            make, model = (printer.make, printer.model) if printer else (None, None)
            cartridge = self._catalog.pick(make, model, supply.color, Pack(customer.preferred_pack))
            if cartridge is None:
                await self._flag_unknown(device, make, model, supply.color)
            auto = customer.auto_replenish  # the default the installer recorded, per new need
            now = _dt(self._clock.now())
            try:
                await Need.create(
                    id=uuid.uuid4().hex,
                    customer=customer,
                    device=device,
                    kind=kind.kind,
                    label=f"{supply.name} ({supply.sensor})"[:128],
                    sensor=supply.sensor,
                    supply_index=supply.index,
                    sku=cartridge.sku if cartridge else "",
                    product=cartridge.product if cartridge else supply.name,
                    pack_units=kind.pack_units or 100.0,
                    price_cents=cartridge.price_cents if cartridge else 0,
                    lead_hours=self._policy_lead_hours,
                    experience=Experience.AUTO if auto else Experience.DESIRE,
                    authorized=auto,
                    authorized_at=now if auto else None,
                    created_at=now,
                )
            except IntegrityError:
                continue  # another worker made it
            await self._feed.publish(Topic.NEEDS, device_id)

    async def _flag_unknown(
        self, device: Device, make: str | None, model: str | None, color: str
    ) -> None:
        """A printer or colour the catalog does not know: an operator looks, nobody guesses."""
        what = (
            f"{make or '?'} {model or '?'}"
            if self._catalog.model_name(make, model) is None
            else f"{color} for {make} {model}"
        )
        _, created = await Flag.get_or_create(
            device=device,
            kind="unknown_model",
            detail=f"no catalog cartridge for {what}"[:512],
            defaults={"created_at": _dt(self._clock.now())},
        )
        if created:
            log.warning("flagged for an operator: no catalog cartridge for %s", what)
            await self._feed.publish(Topic.FLAGS, device.id)

    async def observe(self, device_id: str, sensor: str) -> None:
        """Learn from a sensor's new readings and decide for the needs it reads."""
        for need in await Need.filter(device_id=device_id, sensor=sensor):
            await self._learn(need)
            await self.evaluate(need)

    async def _scale_readings(self, need: Need) -> tuple[Points, float]:
        """A scale's new settled weights (a carton lifted and put back is not use)."""
        since = need.seen_until or need.created_at
        lookback = since - dt.timedelta(seconds=self._lift.lift_s * 2)
        rows = (
            await SensorSample.filter(
                device_id=need.device_id,
                sensor=need.sensor,
                kind="scale",
                state="stable",
                grams__isnull=False,
                at__gte=lookback,
            )
            .order_by("at")
            .limit(5000)
            .values_list("at", "grams")
        )
        samples = [(at.timestamp(), float(g)) for at, g in rows]
        now = self._clock.now()
        settled = [p for p in settle(samples, self._lift, now=now) if p[0] > since.timestamp()]
        # Only readings older than a lift can be final; later ones are seen again next time.
        final = min(settled[-1][0], now - self._lift.lift_s) if settled else 0.0
        return settled, final

    async def _supply_readings(self, need: Need) -> tuple[Points, float]:
        """A printer supply's new known levels (a new need starts from the recent history)."""
        since = need.seen_until or need.created_at - dt.timedelta(seconds=14 * DAY)
        rows = (
            await SupplyLevel.filter(
                supply__device_id=need.device_id,
                supply__sensor=need.sensor,
                supply__index=need.supply_index,
                level__isnull=False,
                at__gt=since,
            )
            .order_by("at")
            .limit(5000)
            .values_list("at", "level")
        )
        points = [(at.timestamp(), float(level)) for at, level in rows]
        return points, points[-1][0] if points else 0.0

    async def _learn(self, need: Need) -> None:
        read = {Source.SCALE: self._scale_readings, Source.PRINTER_SUPPLY: self._supply_readings}
        readings, final = await read[describe(need.kind).source](need)
        if not readings:
            return
        learner = self.learner_of(need)
        away = await Absence.filter(customer_id=need.customer_id)
        before = len(learner.rises)
        for at, grams in readings:
            is_away = any(a.starts_at.timestamp() <= at < a.ends_at.timestamp() for a in away)
            previous = learner.last_level
            learner = learner.update(at, grams, away=is_away)
            if previous is not None and previous - grams > need.pack_units * 0.005:
                need.last_consumed_at = _dt(at)
        self.store_learner(need, learner)
        need.level, need.level_at = readings[-1][1], _dt(readings[-1][0])
        seen = need.seen_until.timestamp() if need.seen_until else 0.0
        need.seen_until = _dt(max(seen, final))
        # Only what this path owns: the customer may be changing the need at the same time.
        await need.save(
            update_fields=["learner", "level", "level_at", "seen_until", "last_consumed_at"]
        )
        if len(learner.rises) > before:
            await self._complete(need, learner.rises[-1])

    async def _complete(self, need: Need, at: float) -> None:
        """A new pack is in use: the open order's loop is closed."""
        updated = await Order.filter(open_key=need_key(need.id), created_at__lt=_dt(at)).update(
            status=OrderStatus.INSTALLED, open_key=None, updated_at=_dt(self._clock.now())
        )
        if updated:
            self.counters["orders_completed"] += 1
            log.info("need %s: the new pack is in use; its order is closed", need.id)
            await self._feed.publish(Topic.ORDERS, need.id)

    # -- deciding -----------------------------------------------------------------------

    async def evaluate(self, need: Need) -> engine.Decision | None:
        """Decide for one need now and apply what was decided."""
        customer = await Customer.get(id=need.customer_id)
        snap = await self.snapshot(need, customer)
        now = self._clock.now()
        decision = engine.decide(snap, now, self._policy)
        stream = describe(need.kind).stream
        if not await consent.granted(customer.id, stream, Purpose.COACHING):
            kept = tuple(a for a in decision.actions if not isinstance(a, engine.Remind))
            if kept != decision.actions:
                decision = dataclasses.replace(
                    decision, actions=kept, note="coaching is not consented: no reminder"
                )
        ro = decision.runout
        need.runout_at = None if ro.expected_at is None else _dt(ro.expected_at)
        need.runout_early_at = None if ro.early_at is None else _dt(ro.early_at)
        changed = decision.note.split(":")[0] != need.note.split(":")[0]  # a new kind of note
        need.note = decision.note[:512]
        await need.save(update_fields=["runout_at", "runout_early_at", "note"])
        for action in decision.actions:
            await self._act(need, customer, action, now)
        if changed and not decision.actions:
            why = engine.reason(snap, now, ro, snap.level, "no action", summary=decision.note)
            await DecisionRecord.create(
                need_id=need.id, at=_dt(now), note=need.note, reason=to_json(why)
            )
        if changed or decision.actions:
            await self._feed.publish(Topic.NEEDS, need.id)
        return decision

    async def _act(self, need: Need, customer: Customer, action: engine.Action, now: float) -> None:
        if isinstance(action, engine.PlaceOrder):
            order = await self._place(need, action, source=OrderSource.ENGINE, key=None)
            if order is not None:
                await DecisionRecord.create(
                    need_id=need.id,
                    at=_dt(now),
                    note="ordered",
                    action=DecisionAction.ORDER,
                    reason=to_json(msgspec.structs.replace(action.reason, order_id=order.id)),
                )
            return
        if isinstance(action, engine.Ask):
            need.last_ask_at = _dt(now)
            await need.save(update_fields=["last_ask_at"])
            await self._remind(need, customer, "ask", action.message, to="customer", now=now)
            await DecisionRecord.create(
                need_id=need.id,
                at=_dt(now),
                note="asked",
                action=DecisionAction.ASK,
                reason=to_json(action.reason),
            )
            return
        if action.topic == "maintenance":
            need.last_idle_nudge_at = _dt(now)
        else:
            need.last_reminder_at = _dt(now)
        await need.save(update_fields=["last_idle_nudge_at", "last_reminder_at"])
        await self._remind(need, customer, action.topic, action.message, to=action.to, now=now)
        await DecisionRecord.create(
            need_id=need.id,
            at=_dt(now),
            note=f"reminded: {action.topic}",
            action=DecisionAction.REMIND,
            reason=to_json(action.reason),
        )

    async def _remind(
        self,
        need: Need,
        customer: Customer,
        topic: str,
        message: str,
        *,
        to: str,
        now: float,
        key: str | None = None,
    ) -> Reminder | None:
        try:
            reminder = await Reminder.create(
                id=uuid.uuid4().hex,
                need_id=need.id,
                topic=topic,
                recipient=to,
                message=message[:512],
                at=_dt(now),
                key=key,
            )
        except IntegrityError:
            return None  # this one was sent already (another worker, a repeated sweep)
        self.counters[f"reminders_{topic}"] += 1
        await audit(
            at=_dt(now),
            actor="engine",
            role="system",
            action=f"reminder.{topic}",
            customer_id=need.customer_id,
            detail=f"reminder {reminder.id} to the {to} about need {need.id}",
        )
        steps = await ladder(customer.id)
        step = steps[0] if to == "customer" and steps else (steps[1] if len(steps) > 1 else None)
        channel = self._channels.get(step.channel) if step is not None else None
        if step is not None and channel is not None:
            try:
                await channel.send(step.target, Notice(reminder.id, "info", message[:120], message))
                reminder.sent_via = f"{step.channel}:{step.target}"[:200]
            except NotifyError as exc:
                reminder.sent_via = f"failed: {exc}"[:200]
            await reminder.save()
        await self._feed.publish(Topic.REMINDERS, need.id)
        return reminder

    # -- orders -------------------------------------------------------------------------

    async def _place(
        self, need: Need, action: engine.PlaceOrder, *, source: OrderSource, key: str | None
    ) -> Order | None:
        now = self._clock.now()
        product = self._priced(need, action.sku)
        automatic = source is OrderSource.ENGINE
        held = automatic and action.cancel_until is not None and action.cancel_until > now
        try:
            order = await Order.create(
                id=uuid.uuid4().hex,
                device_id=need.device_id,
                need_id=need.id,
                sensor=need.sensor or "",
                supply_index=need.supply_index or 0,
                supply_name=need.label,
                sku=action.sku,
                product=product.name,
                quantity=action.quantity,
                price_cents=product.price_cents * action.quantity,
                status=OrderStatus.HELD if held else OrderStatus.PENDING,
                open_key=need_key(need.id) if automatic else None,
                idempotency_key=key,
                reason=to_json(action.reason),
                experience=Experience.AUTO if automatic else Experience.DESIRE,
                source=source,
                cancel_until=_dt(action.cancel_until) if held and action.cancel_until else None,
                deliver_after=None if action.deliver_after is None else _dt(action.deliver_after),
                created_at=_dt(now),
                updated_at=_dt(now),
            )
        except IntegrityError:
            self.counters["orders_deduplicated"] += 1
            return None
        self.counters[f"orders_{source}"] += 1
        if automatic:
            await audit(
                at=_dt(now),
                actor="engine",
                role="system",
                action="order.placed",
                customer_id=need.customer_id,
                detail=f"order {order.id}: {action.quantity} x {action.sku} for need {need.id}",
                why=action.reason.rule[:256],
            )
        await Reminder.filter(
            need_id=need.id, followed_at__isnull=True, at__gte=_dt(now) - FOLLOW_WINDOW
        ).update(followed_at=_dt(now), order_id=order.id)
        if not held:
            await self._fulfiller.submit(order)
        await self._feed.publish(Topic.ORDERS, order.id)
        return order

    def _priced(self, need: Need, sku: str) -> Product:
        """The product behind a SKU ordered for a need: its own, or another pack that fits."""
        if sku == need.sku:
            return self._product(need)
        good = self._catalog.goods.get(sku)
        if good is not None:
            return Product(good.sku, good.product, good.grams, good.price_cents, 0.0)
        cartridge = self._catalog.cartridge(sku)
        if cartridge is not None:
            return Product(cartridge.sku, cartridge.product, 100.0, cartridge.price_cents, 0.0)
        raise NeedError(400, f"{sku!r} is not in the catalog")

    async def request(
        self,
        need_id: str,
        *,
        quantity: int | None,
        key: str,
        source: str,
        sku: str | None = None,
    ) -> tuple[Order, bool]:
        """Respond to desire: order exactly this; (the order, whether it is new)."""
        need = await Need.get_or_none(id=need_id)
        if need is None:
            raise NeedError(404, f"no need {need_id!r}")
        idem = f"{need_id}:{key}"[:160]
        existing = await Order.get_or_none(idempotency_key=idem)
        if existing is not None:
            return existing, False
        customer = await Customer.get(id=need.customer_id)
        snap = await self.snapshot(need, customer)
        action = engine.decide_request(
            snap, self._clock.now(), quantity=quantity or need.quantity, source=source
        )
        if sku is not None and sku != action.sku:
            terms = OrderTerms(sku=sku, quantity=action.quantity, picked_from_menu=True)
            action = dataclasses.replace(
                action, sku=sku, reason=msgspec.structs.replace(action.reason, order=terms)
            )
        order = await self._place(need, action, source=OrderSource(source), key=idem)
        if order is None:  # the same key raced us from another request or worker
            return await Order.get(idempotency_key=idem), False
        if sku is not None and sku != need.sku:
            await self._prefer(need, sku)
        return order, True

    async def _prefer(self, need: Need, sku: str) -> None:
        """A pick from the menu is the customer's preferred pack from now on."""
        good = self._catalog.goods.get(sku)
        if good is not None and good.kind == need.kind:
            need.sku, need.product = good.sku, good.product
            need.pack_units, need.price_cents = good.grams, good.price_cents
            need.lead_hours = good.lead_hours
            need.learner = {**need.learner, "refill": good.grams * describe(need.kind).refill_share}
            await need.save(
                update_fields=[
                    "sku",
                    "product",
                    "pack_units",
                    "price_cents",
                    "lead_hours",
                    "learner",
                ]
            )
        elif (cartridge := self._catalog.cartridge(sku)) is not None:
            need.sku, need.product, need.price_cents = sku, cartridge.product, cartridge.price_cents
            await need.save(update_fields=["sku", "product", "price_cents"])
            await Customer.filter(id=need.customer_id).update(preferred_pack=cartridge.pack.value)
        else:
            return
        await DecisionRecord.create(
            need_id=need.id,
            at=self.now(),
            note=f"the customer now prefers {sku}",
            action=DecisionAction.CHANGE,
            reason=to_json(
                Reason(
                    version=VERSION,
                    rule="a pick from the menu becomes the preference",
                    summary=f"the customer now prefers {sku}",
                    decided_at=engine.iso(self._clock.now()),
                    changed={"sku": sku},
                )
            ),
        )

    async def press(self, device_id: str, button: str, at: float) -> Order | None:
        """A reorder button was pressed: one order per press window, however often pressed."""
        order = None
        for need in await Need.filter(device_id=device_id, button=button):
            window = int(at // self._settings.press_window_s)
            recent = await Order.filter(
                need_id=need.id,
                source=OrderSource.BUTTON,
                created_at__gte=_dt(at - self._settings.press_window_s),
            ).first()
            if recent is not None:
                self.counters["presses_merged"] += 1
                continue
            order, _ = await self.request(
                need.id, quantity=None, key=f"button:{window}", source=OrderSource.BUTTON
            )
        return order

    async def cancel(self, order_id: str, *, by: str) -> Order:
        """Undo an automatic order inside its cancel window."""
        order = await Order.get_or_none(id=order_id)
        if order is None:
            raise NeedError(404, f"no order {order_id!r}")
        now = self._clock.now()
        if order.status != OrderStatus.HELD or order.cancel_until is None:
            raise NeedError(409, f"order {order_id} is {order.status}; it can no longer be undone")
        if order.cancel_until.timestamp() <= now:
            raise NeedError(409, f"the cancel window of order {order_id} has closed")
        updated = await Order.filter(id=order_id, status=OrderStatus.HELD).update(
            status=OrderStatus.CANCELLED, open_key=None, updated_at=_dt(now)
        )
        if not updated:
            raise NeedError(409, f"order {order_id} was released while cancelling")
        await order.refresh_from_db()
        if order.need_id is not None:
            await DecisionRecord.create(
                need_id=order.need_id,
                at=_dt(now),
                note=f"order cancelled by {by}",
                action=DecisionAction.CANCEL,
                reason=to_json(
                    Reason(
                        version=VERSION,
                        rule="the customer undid an automatic order in its cancel window",
                        summary=f"order {order_id} cancelled by {by}",
                        decided_at=engine.iso(now),
                        order_id=order_id,
                    )
                ),
            )
        self.counters["orders_cancelled"] += 1
        await self._feed.publish(Topic.ORDERS, order_id)
        return order

    async def release_held(self) -> None:
        """Send automatic orders whose cancel window has closed to the provider."""
        now = _dt(self._clock.now())
        for order in await Order.filter(status=OrderStatus.HELD, cancel_until__lte=now):
            claimed = await Order.filter(id=order.id, status=OrderStatus.HELD).update(
                status=OrderStatus.PENDING, updated_at=now
            )
            if claimed:  # one worker wins the release
                await order.refresh_from_db()
                await self._fulfiller.submit(order)

    # -- calendar, doses, sweeps ----------------------------------------------------------

    async def set_calendar(
        self, customer_id: str, feed: bytes, *, all_events: bool
    ) -> list[Absence]:
        """Replace a customer's absences with those in an iCalendar feed."""
        customer = await Customer.get_or_none(id=customer_id)
        if customer is None:
            raise NeedError(404, f"no customer {customer_id!r}")
        if "calendar" not in await consent.collected(customer_id):
            raise NeedError(409, "the customer has not consented to sharing a calendar")
        found, skipped = parse_absences(
            feed, utc_offset=dt.timedelta(minutes=customer.utc_offset_min), all_events=all_events
        )
        self.counters["calendar_events_skipped"] += skipped
        await Absence.filter(customer_id=customer_id).delete()
        rows = [
            await Absence.create(
                customer_id=customer_id, starts_at=a.start, ends_at=a.end, summary=a.summary
            )
            for a in found
        ]
        for need in await Need.filter(customer_id=customer_id):
            await self.evaluate(need)
        return rows

    async def check_doses(self, need: Need) -> None:
        """Medication adherence: a dose time passed with no weight drop: patient, then caregiver."""
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
        if now < due + s.dose_window_s or now > due + 24 * 3600:
            return
        stable = SensorSample.filter(
            device_id=need.device_id,
            sensor=need.sensor,
            kind="scale",
            state="stable",
            grams__isnull=False,
        )
        start = _dt(due - s.dose_window_s)
        before = (  # the weight before the dose window, to compare against
            await stable.filter(at__lt=start, at__gte=_dt(due - 12 * 3600)).order_by("-at").first()
        )
        rows = [
            *([] if before is None else [(before.at, before.grams)]),
            *await stable.filter(at__gte=start, at__lte=_dt(now))
            .order_by("at")
            .values_list("at", "grams"),
        ]
        settled = settle([(a.timestamp(), float(g)) for a, g in rows], self._lift)
        taken = any(
            earlier[1] - later[1] >= 0.5 * (need.dose_grams or 0)
            for i, earlier in enumerate(settled)
            for later in settled[i + 1 :]
        )
        if taken:
            return
        when = engine.iso(due)
        await self._remind(
            need,
            customer,
            "dose_missed",
            f"The {hhmm_of(due + customer.utc_offset_min * 60)} dose of {need.product} "
            "has not been taken yet.",
            to="customer",
            now=now,
            key=f"dose:{need.id}:{when}:customer",
        )
        if now >= due + s.dose_window_s + s.caregiver_after_s:
            await self._remind(
                need,
                customer,
                "dose_missed",
                f"{customer.name} has not taken the "
                f"{hhmm_of(due + customer.utc_offset_min * 60)} dose of {need.product}.",
                to="caregiver",
                now=now,
                key=f"dose:{need.id}:{when}:caregiver",
            )

    async def insights(self, *, weeks: int = 12) -> dict[str, object]:
        """Population learning: priors per kind, demand per product and week, bought together."""
        await self.refresh_priors()
        since = _dt(self._clock.now() - weeks * 7 * DAY)
        population = Population()
        rows = await Order.filter(status__not=OrderStatus.CANCELLED).values_list(
            "need__customer_id", "sku", "created_at", "quantity"
        )
        for customer, sku, at, quantity in rows:
            if customer is None:
                continue
            population.observe_order(str(customer), str(sku), at.timestamp(), int(quantity))
        demand = [
            {"sku": sku, "week_start": engine.iso(week * 7 * DAY), "quantity": quantity}
            for (sku, week), quantity in sorted(population.demand.items())
            if week * 7 * DAY >= since.timestamp() - 7 * DAY
        ]
        skus = sorted({sku for _, sku, _, _ in rows})
        together = [
            {"sku": sku, "also": other, "share": round(share, 3)}
            for sku in skus
            for other, share in population.bought_together(sku)
        ]
        priors = {
            kind: {"mean_per_day": round(p.mean, 3), "std_per_day": round(p.std, 3)}
            for kind, p in sorted(self._priors.items())
        }
        return {"priors": priors, "demand": demand, "bought_together": together}

    async def refresh_priors(self) -> None:
        """Population learning: each kind's prior from the customers who have taught it."""
        population = Population()
        for need in await Need.all():
            stream = describe(need.kind).stream
            if not await consent.granted(need.customer_id, stream, Purpose.POPULATION_LEARNING):
                continue
            own = self.learner_of(need).estimate()
            if own.observed_days >= 14:  # noqa: PLR2004 - two weeks before it teaches others
                population.observe_rate(need.kind, own.mean)
        self._priors = {
            kind: prior
            for kind in population.rates
            if (prior := population.prior(kind)) is not None
        }

    async def sweep(self) -> None:
        """Time-driven work: release held orders, learn what became final, decide, check doses."""
        await self.release_held()
        await self.refresh_priors()
        for need in await Need.all():
            try:
                await self._learn(need)  # readings that became final since (a scale's lifts)
                await self.evaluate(need)
                await self.check_doses(need)
            except (ContinuoError, ValueError):
                self.counters["sweep_errors"] += 1
                log.exception("deciding need %s failed", need.id)


def hhmm_of(local: float) -> str:
    """'HH:MM' of a local time of day."""
    seconds = int(local % DAY)
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def offers_for(
    catalog: Catalog, need: Need, printer: tuple[str | None, str | None, str] | None
) -> Sequence[Product]:
    """The products that fit a need's device: every pack of a good; a printer's cartridges."""
    if describe(need.kind).fit is Fit.PRINTER_MODEL:
        if printer is None:
            return []
        choices = catalog.choices(*printer)
        standard = max(choices[0].page_yield, 1) if choices else 1  # a pack is 100 % of this
        return [
            Product(
                c.sku,
                c.product,
                100.0 * c.page_yield / standard,
                c.price_cents,
                need.lead_hours * 3600,
            )
            for c in choices
        ]
    return [
        Product(g.sku, g.product, g.grams, g.price_cents, g.lead_hours * 3600)
        for g in catalog.packs(need.kind)
    ]


def msgspec_fields(value: object) -> dict[str, object]:
    """The fields of a struct or dataclass as a plain dict (for the decision record)."""
    names = getattr(value, "__struct_fields__", ())
    return {name: getattr(value, name) for name in names}
