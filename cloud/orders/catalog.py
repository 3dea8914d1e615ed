"""The product catalog: which cartridges each printer model takes.

Matching is exact after normalisation; an unknown model or colour yields None so that the
caller flags it for an operator instead of guessing (a Brother cartridge shipped to an HP
printer is the failure this prevents).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Final

_DEFAULT_PATH: Final = Path(__file__).with_name("catalog.toml")
_TRICOLOR: Final = frozenset({"cyan+magenta+yellow", "tricolor", "color", "tri-color"})


class Pack(StrEnum):
    """Pack sizes."""

    STANDARD = "standard"
    XL = "xl"


@dataclass(frozen=True, slots=True)
class Cartridge:
    """One orderable product."""

    sku: str
    product: str
    color: str
    pack: Pack
    page_yield: int
    price_cents: int


def normalize_model(make: str | None, model: str | None) -> str:
    """Canonical key for a make and model: lower case, single spaces, no 'series'."""
    text = f"{make or ''} {model or ''}".lower()
    text = re.sub(r"\bseries\b", " ", text)
    text = re.sub(r"[^a-z0-9-]+", " ", text)
    return " ".join(text.split())


def _color_key(color: str) -> str:
    color = color.lower().strip()
    return "tricolor" if color in _TRICOLOR else color


@dataclass(frozen=True, slots=True)
class Good:
    """A weight-based product read by a scale."""

    sku: str
    product: str
    kind: str
    grams: float
    price_cents: int
    lead_hours: float


@dataclass(frozen=True)
class Catalog:
    """Printer models and their cartridges, and the goods a scale can keep in stock."""

    models: dict[str, str]  # normalised key -> display name
    cartridges: dict[str, tuple[Cartridge, ...]]  # normalised key -> cartridges
    goods: dict[str, Good] = field(default_factory=dict)  # sku -> good

    @classmethod
    def load(cls, path: Path = _DEFAULT_PATH) -> Catalog:
        """Read a catalog file; ValueError if it is inconsistent."""
        data = tomllib.loads(path.read_text())
        products = {}
        for key, row in data["cartridges"].items():
            sku, product, color, pack, page_yield, price = row
            products[key] = Cartridge(sku, product, color, Pack(pack), int(page_yield), int(price))
        models, cartridges = {}, {}
        for name, families in data["models"].items():
            chosen = tuple(
                c
                for k, c in products.items()
                if any(k == f or k.startswith(f + "-") for f in families)
            )
            if not chosen:
                msg = f"catalog model {name!r} names no known cartridge family"
                raise ValueError(msg)
            key = normalize_model(name, None)
            models[key] = name
            cartridges[key] = chosen
        goods = {}
        for sku, row in data.get("goods", {}).items():
            product, kind, grams, price, lead = row
            goods[sku] = Good(sku, product, kind, float(grams), int(price), float(lead))
        return cls(models, cartridges, goods)

    def packs(self, kind: str) -> tuple[Good, ...]:
        """Every pack size of a kind of good, smallest first."""
        return tuple(
            sorted((g for g in self.goods.values() if g.kind == kind), key=lambda g: g.grams)
        )

    def cartridge(self, sku: str) -> Cartridge | None:
        """A cartridge by its SKU."""
        for options in self.cartridges.values():
            for c in options:
                if c.sku == sku:
                    return c
        return None

    def model_name(self, make: str | None, model: str | None) -> str | None:
        """The catalog's name for a printer, or None when the model is not in the catalog."""
        return self.models.get(normalize_model(make, model))

    def choices(self, make: str | None, model: str | None, color: str) -> tuple[Cartridge, ...]:
        """Every cartridge for this printer and colour, standard packs first; () if unknown."""
        found = self.cartridges.get(normalize_model(make, model), ())
        key = _color_key(color)
        return tuple(
            sorted((c for c in found if c.color == key), key=lambda c: c.pack != Pack.STANDARD)
        )

    def pick(
        self, make: str | None, model: str | None, color: str, pack: Pack = Pack.STANDARD
    ) -> Cartridge | None:
        """The cartridge of the preferred pack (or the only one there is), or None."""
        options = self.choices(make, model, color)
        for cartridge in options:
            if cartridge.pack == pack:
                return cartridge
        return options[0] if options else None
