"""Respond to desire: orders on request, button presses, menu picks, the customer's changes.

A request holds its idempotency key and a button press within `press_window_s` of the last
one is the same press, so retried requests and double presses make one order.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections import Counter

import msgspec

from cloud.decide import engine
from cloud.decide.kinds import describe
from cloud.decide.reasons import VERSION, OrderTerms, Reason, to_json
from cloud.needs.apply import Executor
from cloud.needs.errors import NeedError
from cloud.needs.snapshot import Snapshots
from cloud.orders.catalog import Catalog
from cloud.store.models import Customer, DecisionRecord, Device, Need, Order
from cloud.terms import DecisionAction, Experience, OrderSource
from common.clock import Clock, utc
from common.errors import NotFoundError, Refusal


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class NewNeed:
    """A weight-based good a customer asks to keep in stock: a scale, a button, or both."""

    device_id: str
    sku: str
    label: str
    sensor: str | None = None
    button: str | None = None
    experience: str = Experience.DESIRE.value
    authorized: bool = False
    quantity: int = 1
    dose_times: list[str] = dataclasses.field(default_factory=list)
    dose_grams: float | None = None


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class NeedChange:
    """What a customer may change about a need at any time; None stays as it is."""

    experience: str | None = None
    authorized: bool | None = None
    quantity: int | None = None
    button: str | None = None
    label: str | None = None


class Requests:
    """What a customer asks for, by the API or a button: ordered exactly, once."""

    def __init__(
        self,
        *,
        executor: Executor,
        snapshots: Snapshots,
        catalog: Catalog,
        clock: Clock,
        counters: Counter[str],
        press_window_s: float = 600.0,
        undo_s: float = 0.0,
    ) -> None:
        self._executor = executor
        self._snapshots = snapshots
        self._catalog = catalog
        self._clock = clock
        self._counters = counters
        self._press_window_s = press_window_s
        self._undo_s = undo_s  # a requested order is held this long, so that it can be undone

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
            raise NotFoundError(f"no need {need_id!r}")
        idem = f"{need_id}:{key}"[:160]
        existing = await Order.get_or_none(idempotency_key=idem)
        if existing is not None:
            return existing, False
        customer = await Customer.get(id=need.customer_id)
        snap = await self._snapshots.of(need, customer)
        action = engine.decide_request(
            snap,
            self._clock.now(),
            quantity=quantity or need.quantity,
            source=source,
            undo_s=self._undo_s,
        )
        if sku is not None and sku != action.sku:
            terms = OrderTerms(sku=sku, quantity=action.quantity, picked_from_menu=True)
            action = dataclasses.replace(
                action, sku=sku, reason=msgspec.structs.replace(action.reason, order=terms)
            )
        order = await self._executor.place(need, action, source=OrderSource(source), key=idem)
        if order is None:  # the same key raced us from another request or worker
            return await Order.get(idempotency_key=idem), False
        if sku is not None and sku != need.sku:
            await self._prefer(need, sku)
        return order, True

    async def press(self, device_id: str, button: str, at: float) -> Order | None:
        """A reorder button was pressed: one order per press window, however often pressed."""
        order = None
        for need in await Need.filter(device_id=device_id, button=button):
            window = int(at // self._press_window_s)
            recent = await Order.filter(
                need_id=need.id,
                source=OrderSource.BUTTON,
                created_at__gte=utc(at - self._press_window_s),
            ).first()
            if recent is not None:
                self._counters["presses_merged"] += 1
                continue
            order, _ = await self.request(
                need.id, quantity=None, key=f"button:{window}", source=OrderSource.BUTTON
            )
        return order

    async def add(self, customer: Customer, new: NewNeed) -> Need:
        """Keep a good of the catalog in stock for `customer`, on one of their devices."""
        good = self._catalog.goods.get(new.sku)
        if good is None:
            raise NeedError(f"no good {new.sku!r} in the catalog", refusal=Refusal.INVALID)
        device = await Device.get_or_none(id=new.device_id).prefetch_related("site")
        if device is None or device.site.customer_id != customer.id:
            raise NeedError(
                f"{new.device_id!r} is not a device of this customer", refusal=Refusal.INVALID
            )
        if new.dose_times and new.dose_grams is None:
            raise NeedError(
                "dose_times need dose_grams (what one dose weighs)", refusal=Refusal.INVALID
            )
        now = utc(self._clock.now())
        return await Need.create(
            id=uuid.uuid4().hex,
            customer=customer,
            device=device,
            kind=good.kind,
            label=new.label,
            sensor=new.sensor,
            button=new.button,
            sku=good.sku,
            product=good.product,
            pack_units=good.grams,
            price_cents=good.price_cents,
            lead_hours=good.lead_hours,
            quantity=new.quantity,
            experience=new.experience,
            authorized=new.authorized,
            authorized_at=now if new.authorized else None,
            dose_times=list(new.dose_times),
            dose_grams=new.dose_grams,
            created_at=now,
        )

    async def change(self, need: Need, change: NeedChange) -> None:
        """The customer changed a need: store it, note it on its timeline and decide again."""
        fields = {k: v for k, v in dataclasses.asdict(change).items() if v is not None}
        if change.experience is not None:
            need.experience = Experience(change.experience)
        if change.authorized is not None and change.authorized != need.authorized:
            need.authorized = change.authorized
            need.authorized_at = utc(self._clock.now()) if change.authorized else None
        for name in ("quantity", "button", "label"):
            if (value := getattr(change, name)) is not None:
                setattr(need, name, value)
        await need.save(
            update_fields=[
                "experience",
                "authorized",
                "authorized_at",
                "quantity",
                "button",
                "label",
            ]
        )
        names = ", ".join(sorted(fields))
        await self._note_change(
            need,
            note=f"customer changed {names}",
            rule="the customer changed the need",
            summary=f"changed {names}",
            changed={k: str(v) for k, v in fields.items()},
        )
        await self._executor.evaluate(need)

    async def _prefer(self, need: Need, sku: str) -> None:
        """A pick from the menu is the customer's preferred pack from now on."""
        if not await self._store_preference(need, sku):
            return
        await self._note_change(
            need,
            note=f"the customer now prefers {sku}",
            rule="a pick from the menu becomes the preference",
            summary=f"the customer now prefers {sku}",
            changed={"sku": sku},
        )

    async def _store_preference(self, need: Need, sku: str) -> bool:
        """Make `sku` the need's pack (a good) or the household's (a cartridge)."""
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
            return True
        cartridge = self._catalog.cartridge(sku)
        if cartridge is None:
            return False
        need.sku, need.product, need.price_cents = sku, cartridge.product, cartridge.price_cents
        await need.save(update_fields=["sku", "product", "price_cents"])
        await Customer.filter(id=need.customer_id).update(preferred_pack=cartridge.pack.value)
        return True

    async def _note_change(
        self, need: Need, *, note: str, rule: str, summary: str, changed: dict[str, str]
    ) -> None:
        """A change of the need on its timeline, with its reason."""
        now = self._clock.now()
        await DecisionRecord.create(
            need_id=need.id,
            at=utc(now),
            note=note[:512],
            action=DecisionAction.CHANGE,
            reason=to_json(
                Reason(
                    version=VERSION,
                    rule=rule,
                    summary=summary,
                    decided_at=engine.iso(now),
                    changed=changed,
                )
            ),
        )
