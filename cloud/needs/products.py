"""The products behind a need: its own pack, the packs that fit it, their prices."""

from __future__ import annotations

from collections.abc import Sequence

from cloud.decide.engine import Product
from cloud.decide.kinds import Fit, describe
from cloud.needs.errors import NeedError
from cloud.orders.catalog import Catalog
from cloud.store.models import Need, PrinterInfo, Supply
from common.errors import Refusal

PrinterModel = tuple[str | None, str | None, str]  # make, model, colour


def product_of(need: Need) -> Product:
    """The pack a need is kept in stock with."""
    return Product(
        need.sku, need.product, need.pack_units, need.price_cents, need.lead_hours * 3600
    )


def priced(catalog: Catalog, need: Need, sku: str) -> Product:
    """The product behind a SKU ordered for a need: its own, or another pack that fits."""
    if sku == need.sku:
        return product_of(need)
    good = catalog.goods.get(sku)
    if good is not None:
        return Product(good.sku, good.product, good.grams, good.price_cents, 0.0)
    cartridge = catalog.cartridge(sku)
    if cartridge is not None:
        return Product(cartridge.sku, cartridge.product, 100.0, cartridge.price_cents, 0.0)
    raise NeedError(f"{sku!r} is not in the catalog", refusal=Refusal.INVALID)


def offers_for(catalog: Catalog, need: Need, printer: PrinterModel | None) -> Sequence[Product]:
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


async def printer_of(need: Need) -> PrinterModel | None:
    """The printer (make, model) and supply colour of a need whose packs fit a printer model."""
    if describe(need.kind).fit is not Fit.PRINTER_MODEL:
        return None
    info = await PrinterInfo.get_or_none(device_id=need.device_id, sensor=need.sensor)
    supply = await Supply.get_or_none(
        device_id=need.device_id, sensor=need.sensor, index=need.supply_index
    )
    return None if info is None or supply is None else (info.make, info.model, supply.color)


async def fitting(catalog: Catalog, need: Need) -> Sequence[Product]:
    """The products that fit a need, its printer looked up where it has one."""
    return offers_for(catalog, need, await printer_of(need))
