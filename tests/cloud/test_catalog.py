"""The product catalog maps printer models to the cartridges they take, and never guesses."""

from __future__ import annotations

import pytest

from cloud.orders.catalog import Catalog, Pack, normalize_model

CATALOG = Catalog.load()


def test_catalog_covers_at_least_15_models_of_four_brands() -> None:
    assert len(CATALOG.models) >= 15
    brands = {name.split()[0] for name in CATALOG.models.values()}
    assert {"HP", "Brother", "Canon", "Epson"} <= brands


@pytest.mark.parametrize(
    ("make", "model", "color", "pack", "sku"),
    [
        ("HP", "OfficeJet Pro 8710", "black", Pack.STANDARD, "F6U15AN"),  # HP 952
        ("HP", "OfficeJet Pro 8710", "black", Pack.XL, "F6U19AN"),  # HP 952XL
        ("HP", "OfficeJet Pro 6978", "black", Pack.STANDARD, "T6L98AN"),  # HP 902
        ("HP", "Officejet Pro 6978 series", "cyan", Pack.XL, "T6M02AN"),
        ("Brother", "HL-L2350DW", "black", Pack.XL, "TN760"),
        ("Canon", "PIXMA MG3620", "cyan+magenta+yellow", Pack.STANDARD, "1288C001"),
        ("Epson", "WorkForce WF-2830", "magenta", Pack.STANDARD, "T212320-S"),
        ("Epson", "EcoTank ET-2800", "yellow", Pack.XL, "T502420-S"),  # only one pack exists
    ],
)
def test_models_map_to_their_own_cartridges(
    make: str, model: str, color: str, pack: Pack, sku: str
) -> None:
    cartridge = CATALOG.pick(make, model, color, pack)
    assert cartridge is not None
    assert cartridge.sku == sku


def test_the_6978_and_the_8710_take_different_cartridges() -> None:
    a = {c.sku for c in CATALOG.choices("HP", "OfficeJet Pro 6978", "black")}
    b = {c.sku for c in CATALOG.choices("HP", "OfficeJet Pro 8710", "black")}
    assert a
    assert b
    assert not a & b


@pytest.mark.parametrize(
    ("make", "model", "color"),
    [
        ("HP", "OfficeJet Pro 8711", "black"),
        ("HP", "OfficeJet Pro", "black"),
        ("Brother", "OfficeJet Pro 8710", "black"),
        (None, None, "black"),
        ("HP", "LaserJet Pro M404dn", "cyan"),  # a mono laser has no cyan
    ],
)
def test_unknown_models_and_colours_give_nothing(
    make: str | None, model: str | None, color: str
) -> None:
    assert CATALOG.pick(make, model, color) is None


def test_normalisation_ignores_case_spacing_and_series() -> None:
    assert normalize_model("hp", "  OfficeJet   PRO 8710 Series ") == "hp officejet pro 8710"
