"""`continuo`: one command with a sub-command per user."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cloud.cli import app as cloud_app
from edge.cli import app as edge_app
from edge.fall.cli import app as fall_app
from firmware_sim.cli import app as sim_app

app = typer.Typer(
    help="Continuo: edge agents and the cloud fulfilment backend.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.add_typer(edge_app, name="edge", help="The agent on the Pi, and the installer's tools.")
app.add_typer(cloud_app, name="cloud", help="The backend, and operating it.")
app.add_typer(sim_app, name="sim", help="Simulated devices.")
app.add_typer(fall_app, name="fall", help="The fall detector: evaluation and benchmarks.")


@app.command()
def demo(
    printer_uri: Annotated[
        str | None,
        typer.Option(
            help="Use this real printer (ipp://host:port/path) instead of the simulated one."
        ),
    ] = None,
    workdir: Annotated[Path, typer.Option(help="Where the demo keeps its files.")] = Path(".demo"),
    http_port: Annotated[int, typer.Option(min=0, max=65535)] = 8080,
    duration: Annotated[float | None, typer.Option(help="Stop after this many seconds.")] = None,
    pages_per_minute: Annotated[float, typer.Option(min=1, max=10_000)] = 60.0,
) -> None:
    """Run broker, cloud and a customer site; print the dashboard URL."""
    from continuo.demo import DemoOptions, run_demo  # noqa: PLC0415

    raise typer.Exit(
        run_demo(
            DemoOptions(
                printer_uri=printer_uri,
                workdir=workdir,
                http_port=http_port,
                duration_s=duration,
                pages_per_minute=pages_per_minute,
            )
        )
    )


bench_app = typer.Typer(help="End-to-end benchmarks of the running system.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")


@bench_app.command("alerts")
def bench_alerts(
    alerts: Annotated[int, typer.Option(min=1, max=1000)] = 40,
    devices: Annotated[int, typer.Option(min=0, max=500, help="Background devices.")] = 20,
    rate: Annotated[float, typer.Option(min=0.1, max=100, help="Messages/s per device.")] = 5.0,
    update: Annotated[
        Path | None, typer.Option(help="Write the table into this BENCHMARKS.md.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Latency from the edge's fall decision to the dashboard and the first channel."""
    from continuo.bench import alerts as b  # noqa: PLC0415
    from edge.fall.cli import _replace_section  # noqa: PLC0415

    result = b.bench(alerts=alerts, devices=devices, rate=rate)
    print(b.as_json(result) if as_json else b.markdown(result))
    if update is not None:
        _replace_section(update, "alert-latency", b.markdown(result))


@sim_app.command("population")
def sim_population(
    customers: Annotated[int, typer.Option(min=1, max=1_000_000)] = 1000,
    days: Annotated[int, typer.Option(min=7, max=3650)] = 365,
    seed: Annotated[int, typer.Option()] = 1,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Processes.")] = 2,
    service_z: Annotated[
        float, typer.Option(min=0, max=5, help="The engine's safety against running out.")
    ] = 2.3,
    update: Annotated[
        Path | None, typer.Option(help="Write the table into this BENCHMARKS.md.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """A simulated population through the real decision engine, against two baselines."""
    import json  # noqa: PLC0415
    import time  # noqa: PLC0415

    from continuo.bench import population  # noqa: PLC0415
    from edge.fall.cli import _replace_section  # noqa: PLC0415

    started = time.perf_counter()
    figures = population.metrics(
        population.simulate(
            customers=customers, days=days, seed=seed, workers=workers, service_z=service_z
        )
    )
    took = time.perf_counter() - started
    header = (
        f"{customers} households, {days} days, seed {seed}, service z {service_z}: "
        f"{took:.0f} s on {workers} process(es)."
    )
    table = population.markdown(figures, header=header)
    print(
        json.dumps(
            {
                "customers": customers,
                "days": days,
                "seed": seed,
                "seconds": round(took, 1),
                "strategies": figures,
            },
            indent=2,
        )
        if as_json
        else table
    )
    if update is not None:
        _replace_section(update, "population", table)


def main() -> None:
    """Console entry point."""
    app()
