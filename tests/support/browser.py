"""Debian's Chromium for the dashboard tests (nothing downloads a browser)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # installed by `make` (package.json)
ARTIFACTS = Path(os.environ.get("CONTINUO_ARTIFACTS", ROOT / "test-artifacts"))


def artifact(name: str) -> Path:
    """Where a test keeps a screenshot (CI keeps the folder; README shows some of them)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name


async def serious_accessibility_violations(page: Any) -> list[str]:
    """What axe-core finds of serious or critical impact on the page as it is now."""
    if not await page.evaluate("typeof axe !== 'undefined'"):
        # evaluated by the browser's debugger, which the page's CSP (script-src 'self') allows
        await page.evaluate(AXE.read_text() + "\n;void 0")
    found = await page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.help + ' @ ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"
    )
    return [str(v) for v in found]
