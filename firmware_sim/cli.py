"""`continuo sim ...`: simulated devices for tests, demos and installer training."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.markup import escape

# the values of firmware_sim.printer.Report and firmware_sim.scale.Consumable, named here so
# that `--help` need not import the simulators (tests/continuo/test_cli.py checks they agree)
ReportName = Literal["markers", "supply", "both"]
ConsumableName = Literal["milk", "pet-food", "coffee", "pills"]

app = typer.Typer(
    help="Simulated device firmware speaking the real protocols.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
out = Console(soft_wrap=True, emoji=False)
err = Console(stderr=True, soft_wrap=True, emoji=False, highlight=False)


@app.command()
def printer(
    port: Annotated[
        int, typer.Option(min=0, max=65535, help="TCP port (0: any free port).")
    ] = 8631,
    host: str = "127.0.0.1",
    pages_per_minute: Annotated[float, typer.Option(min=0.1, max=10_000)] = 60.0,
    make_and_model: str = "HP OfficeJet Pro 8710",
    report: ReportName = "both",
    seed: int | None = None,
) -> None:
    """Serve a simulated IPP printer whose ink drains as pages print."""
    import asyncio  # noqa: PLC0415
    import random  # noqa: PLC0415

    from aiohttp import web  # noqa: PLC0415

    from common.clock import SystemClock  # noqa: PLC0415
    from firmware_sim.printer import Report, SimulatedPrinter, create_printer_app  # noqa: PLC0415

    sim = SimulatedPrinter(
        clock=SystemClock(),
        rng=random.Random(seed),  # noqa: S311
        make_and_model=make_and_model,
        pages_per_minute=pages_per_minute,
        report=Report(report),
    )

    async def main() -> None:
        runner = web.AppRunner(create_printer_app(sim))
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound = runner.addresses[0][1]
        out.print(f"ipp://{host}:{bound}/ipp/print", highlight=False)
        try:
            await sim.run()
        finally:
            await runner.cleanup()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())


@app.command()
def scale(
    consumable: ConsumableName = "milk",
    continuous: Annotated[
        bool, typer.Option(help="Stream continuous output, not MT-SICS.")
    ] = False,
    speed: Annotated[
        float, typer.Option(min=1, max=100_000, help="Simulated seconds per second.")
    ] = 1.0,
    garbage_rate: Annotated[float, typer.Option(min=0, max=1)] = 0.0,
    seed: int | None = None,
) -> None:
    """Open a pseudo-terminal, print its path, and behave like a scale under a consumable."""
    import asyncio  # noqa: PLC0415
    import random  # noqa: PLC0415

    from common.clock import SystemClock  # noqa: PLC0415
    from firmware_sim.scale import Consumable, PtyScale, ScaleModel  # noqa: PLC0415

    model = ScaleModel(
        clock=SystemClock(),
        rng=random.Random(seed),  # noqa: S311
        consumable=Consumable(consumable),
        speed=speed,
        garbage_rate=garbage_rate,
    )
    pty_scale = PtyScale(model, continuous=continuous)
    out.print(pty_scale.path, highlight=False)
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(pty_scale.run())
    finally:
        pty_scale.close()


@app.command()
def wearable(
    source: Annotated[
        str,
        typer.Option(
            help="'synthetic', or a SisFall recording (SUBJECT/CODE_SUBJECT_Rnn.txt) to replay."
        ),
    ] = "synthetic",
    rate_hz: Annotated[int, typer.Option(min=5, max=200)] = 50,
    fall_every_s: Annotated[
        float | None, typer.Option(help="Synthetic: a fall this often.")
    ] = None,
    frames: Annotated[int | None, typer.Option(min=1, help="Stop after this many frames.")] = None,
    seed: int | None = None,
) -> None:
    """Stream the wearable's accelerometer notifications: one hex payload per line, in real time.

    The payloads are byte for byte what the GATT characteristic notifies (see
    hardware/wearable.py for the profile), so they can be piped into tools and tests.
    """
    import itertools  # noqa: PLC0415
    import random  # noqa: PLC0415
    import time  # noqa: PLC0415

    from firmware_sim.wearable import encode_frame, sisfall_motion, synthetic_motion  # noqa: PLC0415

    rng = random.Random(seed)  # noqa: S311
    if source == "synthetic":
        motion = synthetic_motion(rng, rate_hz, fall_every_s=fall_every_s)
    else:
        path = Path(source)
        if not path.is_file():
            err.print(f"[red]error:[/red] {escape(str(path))} is not a SisFall recording file")
            raise typer.Exit(2)
        try:
            motion = iter(sisfall_motion(path, rate_hz))
        except ValueError as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}")
            raise typer.Exit(2) from exc
    per_frame = 10
    seq = 0
    with contextlib.suppress(KeyboardInterrupt):
        while frames is None or seq < frames:
            samples = list(itertools.islice(motion, per_frame))
            if len(samples) < per_frame:
                break
            print(encode_frame(seq, rate_hz, 16, samples).hex(), flush=True)
            seq += 1
            time.sleep(per_frame / rate_hz)
