"""`continuo fall ...`: evaluate the fall detector on recordings, and benchmark it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from edge.fall.detector import Params
from edge.fall.evaluate import evaluate, holdout_evaluation
from edge.fall.sisfall import RecordingError, load

app = typer.Typer(
    help="The fall detector: evaluation on real recordings, benchmarks.", no_args_is_help=True
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
DEFAULT_CACHE = Path.home() / ".cache" / "continuo" / "sisfall"


def _subjects(raw: str | None) -> list[str] | None:
    return [s.strip() for s in raw.split(",") if s.strip()] if raw else None


@app.command("evaluate")
def evaluate_command(
    directory: Annotated[Path, typer.Argument(help="Recordings in the SisFall layout.")],
    subjects: Annotated[
        str | None, typer.Option(help="Only these subjects, e.g. SA01,SE02.")
    ] = None,
    rate: Annotated[
        int, typer.Option(help="Evaluate at 200 Hz, or decimate to 50 Hz first.")
    ] = 200,
    labels: Annotated[
        Path | None, typer.Option(help="Enhanced labels (same layout) for delays.")
    ] = None,
    holdout: Annotated[
        str | None,
        typer.Option(
            help="Tune on the other subjects with cross-validation; report these unseen ones."
        ),
    ] = None,
    cache: Annotated[
        Path | None, typer.Option(help="Where parsed recordings are cached.")
    ] = DEFAULT_CACHE,
    update: Annotated[
        Path | None, typer.Option(help="Write the results into this BENCHMARKS.md.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Run the detector on each recording as a stream.

    Prints sensitivity, specificity, per-activity results and the delay from impact to
    detection; with --holdout, cross-validated tuning and figures on unseen subjects.
    """
    if rate not in (200, 100, 50, 40, 25):
        err.print(f"[red]error:[/red] --rate must divide 200 Hz (200, 100, 50, 40, 25), not {rate}")
        raise typer.Exit(2)
    try:
        recordings = load(directory, subjects=_subjects(subjects), labels_root=labels, cache=cache)
    except (RecordingError, OSError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    if holdout:
        result = holdout_evaluation(recordings, set(_subjects(holdout) or []), rate_hz=rate)
    else:
        result = {
            "rate_hz": rate,
            "params": Params().__dict__,
            "result": evaluate(recordings, Params(), rate_hz=rate).summary(),
        }
    if update is not None:
        _replace_section(update, f"fall-eval-{rate}", _evaluation_markdown(result, rate))
    if as_json:
        print(json.dumps(result, indent=2))
        return
    for name in ("result", "cross_validated", "holdout"):
        if name not in result:
            continue
        summary = result[name]
        assert isinstance(summary, dict)  # noqa: S101
        table = Table("measure", "value", title=f"{name} at {rate} Hz")
        for key in ("recordings", "falls", "sensitivity", "specificity", "specificity_elderly"):
            value = summary[key]
            table.add_row(
                key, f"{value:.1%}" if isinstance(value, float) and value <= 1 else str(value)
            )
        delay = summary["delay"]
        table.add_row("delay median / p90", f"{delay['median_s']} s / {delay['p90_s']} s")
        out.print(table)


@app.command()
def bench(
    directory: Annotated[
        Path | None,
        typer.Option("--data", help="SisFall-layout recordings to use (default: synthetic)."),
    ] = None,
    seconds: Annotated[float, typer.Option(min=10, help="Synthetic data length.")] = 600.0,
    update: Annotated[
        Path | None, typer.Option(help="Write the table into this BENCHMARKS.md.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Samples per second of the detector: numba batch and streaming, NumPy, pure Python.

    All versions run the same algorithm on the same data; numba's start-up is timed too.
    """
    import random  # noqa: PLC0415

    import numpy as np  # noqa: PLC0415

    from edge.fall import bench as fall_bench  # noqa: PLC0415

    if directory is not None:
        recordings = load(directory, cache=DEFAULT_CACHE)
        xyz = np.concatenate([r.xyz for r in recordings])
        source = f"{len(recordings)} SisFall recordings"
    else:
        xyz = fall_bench.synthetic(seconds, random.Random(1))  # noqa: S311 (test data)
        source = f"{seconds:g} s of synthetic walking with falls"
    result = fall_bench.run(xyz)
    result["data"] = source
    if as_json:
        print(json.dumps(result, indent=2))
    table = Table("version", "samples/s", "x pure Python", title=f"fall detector on {source}")
    for name, row in result["results"].items():
        table.add_row(name, f"{row['samples_per_s']:,.0f}", f"{row['x_pure_python']:,.1f}")
    if not as_json:
        out.print(table)
        out.print(
            f"numba start-up: {result['startup_first_s']:.2f} s first, "
            f"{result['startup_warm_cache_s']:.2f} s with a warm compile cache"
        )
    if update is not None:
        lines = ["| version | samples/s | x pure Python |", "| --- | --- | --- |"]
        lines += [
            f"| {name} | {row['samples_per_s']:,.0f} | {row['x_pure_python']:,.1f} |"
            for name, row in result["results"].items()
        ]
        lines.append(
            f"\nData: {source} ({result['samples']:,} samples at 200 Hz). Numba start-up "
            f"in a fresh process: {result['startup_first_s']:.2f} s, "
            f"{result['startup_warm_cache_s']:.2f} s with a warm compile cache."
        )
        _replace_section(update, "fall-bench", "\n".join(lines))


def _evaluation_markdown(result: dict[str, object], rate: int) -> str:
    lines = [
        f"At {rate} Hz:",
        "",
        "| set | recordings | falls | sensitivity | specificity | specificity, elderly "  # noqa: ISC004
        "| delay median / p90 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name in ("result", "cross_validated", "holdout"):
        s = result.get(name)
        if not isinstance(s, dict):
            continue
        d = s["delay"]
        spec_se = s["specificity_elderly"]
        lines.append(
            f"| {name.replace('_', '-')} | {s['recordings']} | {s['falls']} | {s['sensitivity']:.1%} "
            f"| {s['specificity']:.1%} | {'-' if spec_se is None else f'{spec_se:.1%}'} | "
            f"{d['median_s']:.2f} s / {d['p90_s']:.2f} s |"
        )
    tuning, unseen = result.get("tuning_subjects"), result.get("holdout_subjects")
    if isinstance(tuning, list) and isinstance(unseen, list):
        lines.append(
            f"\nTuned on {', '.join(tuning)} (4-fold subject-wise cross-validation); "
            f"held out: {', '.join(unseen)}."
        )
    return "\n".join(lines)


def _replace_section(path: Path, name: str, body: str) -> None:
    """Replace the text between `<!-- name -->` and `<!-- /name -->` markers (or append)."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    block = f"{start}\n{body}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)
