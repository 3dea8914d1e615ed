"""`continuo fall ...`: evaluate the fall detector on recordings, and benchmark it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from edge.report import write_section

if TYPE_CHECKING:
    from edge.fall.sisfall import Recording

app = typer.Typer(
    help="The fall detector: training and evaluation on real recordings, benchmarks.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
out = Console(soft_wrap=True, emoji=False)
err = Console(stderr=True, soft_wrap=True, emoji=False, highlight=False)
DEFAULT_CACHE = Path.home() / ".cache" / "continuo" / "sisfall"


def _subjects(raw: str | None) -> list[str] | None:
    return [s.strip() for s in raw.split(",") if s.strip()] if raw else None


RATES = (200, 100, 50, 40, 25, 20, 10)
# the speed goals of issue 13, checked in every benchmark run
GOAL_BATCH_SAMPLES_PER_S = 50e6
GOAL_X_PURE_PYTHON = 300
GOAL_FRAMES_X_BATCH = 2
ACTIVITIES = {
    "D01": "walking slowly",
    "D02": "walking quickly",
    "D03": "jogging slowly",
    "D04": "jogging quickly",
    "D05": "stairs up and down, slowly",
    "D06": "stairs up and down, quickly",
    "D07": "sit in a half-height chair slowly, get up",
    "D08": "sit in a half-height chair quickly, get up",
    "D09": "sit in a low chair slowly, get up",
    "D10": "sit in a low chair quickly, get up",
    "D11": "try to get up, collapse into the chair",
    "D12": "lie down slowly from sitting, sit up",
    "D13": "lie down quickly from sitting, sit up",
    "D14": "on the back, turn to the side and back",
    "D15": "bend at the knees, get up",
    "D16": "bend without bending the knees, get up",
    "D17": "get into a car, sit, get out",
    "D18": "stumble while walking",
    "D19": "jump gently (reach a high object)",
    "F01": "forward, slip while walking",
    "F02": "backward, slip while walking",
    "F03": "lateral, slip while walking",
    "F04": "forward, trip while walking",
    "F05": "forward while jogging, trip",
    "F06": "vertical, fainting while walking",
    "F07": "fainting while walking, hands on a table",
    "F08": "forward, trying to get up",
    "F09": "lateral, trying to get up",
    "F10": "forward, trying to sit down",
    "F11": "backward, trying to sit down",
    "F12": "lateral, trying to sit down",
    "F13": "forward while sitting (fainting or asleep)",
    "F14": "backward while sitting",
    "F15": "lateral while sitting",
}


@app.command("evaluate")
def evaluate_command(
    directory: Annotated[Path, typer.Argument(help="Recordings in the SisFall layout.")],
    subjects: Annotated[
        str | None, typer.Option(help="Only these subjects, e.g. SA01,SE02.")
    ] = None,
    rate: Annotated[
        int, typer.Option(help="Evaluate at 200 Hz, or decimate first (100, 50, 40, 25, 20, 10).")
    ] = 200,
    labels: Annotated[
        Path | None,
        typer.Option(help="Enhanced labels (same layout): delays, and cross-validation."),
    ] = None,
    holdout: Annotated[
        str | None,
        typer.Option(
            help="Cross-validate on the other subjects; judge these with a model trained there."
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

    Prints sensitivity, specificity, the delay from impact to detection and false alarms
    per hour for the shipped model; with --labels, also leave-one-subject-out
    cross-validated figures (a model trained without the subject judges it); with
    --holdout, figures on those subjects from a model trained on the others.
    """
    from rich.table import Table  # noqa: PLC0415

    from edge.fall.evaluate import TrainingError  # noqa: PLC0415
    from edge.fall.sisfall import RecordingError, load  # noqa: PLC0415

    if rate not in RATES:
        err.print(f"[red]error:[/red] --rate must divide 200 Hz {RATES}, not {rate}")
        raise typer.Exit(2)
    try:
        recordings = load(directory, subjects=_subjects(subjects), labels_root=labels, cache=cache)
        result = _evaluation(recordings, rate, holdout=set(_subjects(holdout) or []))
    except (RecordingError, TrainingError, OSError) as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    if update is not None:
        write_section(update, f"fall-eval-{rate}", _evaluation_markdown(result, rate))
        write_section(update, f"fall-activities-{rate}", _activities_markdown(result, rate))
    if as_json:
        print(json.dumps(result, indent=2))
        return
    for name in ("result", "cross_validated", "holdout"):
        summary = result.get(name)
        if not isinstance(summary, dict):
            continue
        table = Table("measure", "value", title=f"{name} at {rate} Hz")
        for key in ("recordings", "falls", "sensitivity", "specificity", "specificity_elderly"):
            value = summary[key]
            table.add_row(key, _percent(value) if isinstance(value, float) else str(value))
        delay = summary["delay"]
        table.add_row("delay median / p90 / max", _delay(delay))
        table.add_row("false alarms per hour", _per_hour(summary["false_alarms"]["all"]))
        out.print(table)


def _evaluation(recordings: list[Recording], rate: int, *, holdout: set[str]) -> dict[str, Any]:
    """The shipped model's figures; cross-validated and held-out ones where labels allow."""
    from dataclasses import fields  # noqa: PLC0415

    from edge.fall.evaluate import cross_validate, evaluate, holdout_evaluation  # noqa: PLC0415
    from edge.fall.layout import Params  # noqa: PLC0415

    result: dict[str, Any] = {
        "rate_hz": rate,
        "params": {f.name: getattr(Params(), f.name) for f in fields(Params) if f.name != "model"},
        "result": evaluate(recordings, Params(), rate_hz=rate).summary(),
    }
    labelled = all(r.labels is not None for r in recordings if r.is_fall)
    with_falls = {r.subject for r in recordings if r.is_fall and r.subject not in holdout}
    if holdout:
        result.update(holdout_evaluation(recordings, holdout, rate_hz=rate))
    elif labelled and len(with_falls) > 1:
        result["subjects"] = sorted({r.subject for r in recordings})
        result["cross_validated"] = cross_validate(recordings, rate_hz=rate).summary()
    return result


@app.command("train")
def train_command(
    directory: Annotated[Path, typer.Argument(help="Recordings in the SisFall layout.")],
    labels: Annotated[Path, typer.Option(help="Enhanced labels (same layout).")],
    subjects: Annotated[
        str | None, typer.Option(help="Only these subjects, e.g. SA01,SE02.")
    ] = None,
    write: Annotated[
        Path | None, typer.Option(help="Write the weights module here (edge/fall/weights.py).")
    ] = None,
    cache: Annotated[
        Path | None, typer.Option(help="Where parsed recordings are cached.")
    ] = DEFAULT_CACHE,
) -> None:
    """Fit the detector's model on every candidate impact, at 200, 50 and 25 Hz at once."""
    from edge.fall.evaluate import TrainingError, train  # noqa: PLC0415
    from edge.fall.model import source  # noqa: PLC0415
    from edge.fall.sisfall import RecordingError, load  # noqa: PLC0415

    try:
        recordings = load(directory, subjects=_subjects(subjects), labels_root=labels, cache=cache)
        trained = train(recordings)
    except (RecordingError, TrainingError, OSError) as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    text = source(trained.model)
    if write is None:
        print(text, end="")
        return
    write.write_text(text)
    out.print(f"wrote {write} from {len(recordings)} recordings")


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
    """Samples per second of one algorithm: numba (batch, frames, per sample), NumPy, Python.

    All versions run on the same data in one run and must flag the same samples; numba's
    start-up is timed too.
    """
    import random  # noqa: PLC0415

    import numpy as np  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    from edge.fall import bench as fall_bench  # noqa: PLC0415
    from edge.fall.sisfall import load  # noqa: PLC0415

    if directory is not None:
        recordings = load(directory, cache=DEFAULT_CACHE)
        xyz = np.concatenate([r.xyz for r in recordings])
        source_name = f"{len(recordings)} SisFall recordings"
    else:
        xyz = fall_bench.synthetic(seconds, random.Random(1))  # noqa: S311 (test data)
        source_name = f"{seconds:g} s of synthetic walking with falls"
    result = fall_bench.run_all(xyz)
    result["data"] = source_name
    if as_json:
        print(json.dumps(result, indent=2))
    else:
        table = Table(
            "version", "samples/s", "x pure Python", "x slower than batch", title=source_name
        )
        for name, row in result["results"].items():
            table.add_row(
                name,
                f"{row['samples_per_s']:,.0f}",
                f"{row['x_pure_python']:,.1f}",
                f"{row['x_slower_than_batch']:,.2f}",
            )
        out.print(table)
        out.print(
            f"numba start-up: {result['startup_first_s']:.2f} s first, "
            f"{result['startup_warm_cache_s']:.2f} s with a warm compile cache"
        )
    if update is not None:
        write_section(update, "fall-bench", _bench_markdown(result))


def _percent(value: object) -> str:
    return "-" if not isinstance(value, float) else f"{value:.2%}"


def _bench_markdown(result: dict[str, Any]) -> str:
    lines = [
        "| version | samples/s | x pure Python | x slower than numba batch |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| {name} | {row['samples_per_s']:,.0f} | {row['x_pure_python']:,.1f} "
        f"| {row['x_slower_than_batch']:,.2f} |"
        for name, row in result["results"].items()
    ]
    lines.append(
        f"\nData: {result['data']} ({result['samples']:,} samples at 200 Hz; pure Python "
        f"on the first {result['python_samples']:,}). CPU time; the versions take turns for "
        "five rounds, each keeping its fastest run, pinned to one core. Numba start-up in a "
        f"fresh process (wall time): {result['startup_first_s']:.2f} s, "
        f"{result['startup_warm_cache_s']:.2f} s with a warm compile cache. The streaming "
        f"rows ran the {result.get('streaming_kernel', 'numba')} build of the frame kernel, "
        "as the agent does."
    )
    rows = result["results"]
    batch = rows["numba batch"]
    frames = rows["numba streaming, 40-sample frames"]
    goals = (
        (
            "numba batch at least 50 M samples/s",
            batch["samples_per_s"] >= GOAL_BATCH_SAMPLES_PER_S,
            f"{batch['samples_per_s'] / 1e6:.1f} M",
        ),
        (
            "numba batch at least 300x pure Python",
            batch["x_pure_python"] >= GOAL_X_PURE_PYTHON,
            f"{batch['x_pure_python']:.0f}x",
        ),
        (
            "streaming frames (40 samples) within 2x of batch",
            frames["x_slower_than_batch"] <= GOAL_FRAMES_X_BATCH,
            f"{frames['x_slower_than_batch']:.2f}x",
        ),
    )
    lines.append(
        "\nGoals in this run: "
        + "; ".join(
            f"{goal}: {'met' if met else '**not met**'} ({value})" for goal, met, value in goals
        )
        + "."
    )
    return "\n".join(lines)


def _evaluation_markdown(result: dict[str, Any], rate: int) -> str:
    lines = [
        f"At {rate} Hz:",
        "",
        "| set | recordings | falls | sensitivity | specificity | specificity, elderly "  # noqa: ISC004
        "| missed falls | alarmed ADL recordings | delay median / p90 / max "
        "| false alarms per hour of ADL, young | elderly |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    names = {
        "result": "shipped model (trained on all of these: in-sample)",
        "cross_validated": "cross-validated (leave one subject out)",
        "holdout": "held out",
    }
    for name, title in names.items():
        s = result.get(name)
        if not isinstance(s, dict):
            continue
        fa = s["false_alarms"]
        delay = _delay(s["delay"])
        lines.append(
            f"| {title} | {s['recordings']} | {s['falls']} | {_percent(s['sensitivity'])} "
            f"| {_percent(s['specificity'])} | {_percent(s['specificity_elderly'])} "
            f"| {s['missed_falls']} | {s['false_alarm_recordings']} | {delay} "
            f"| {_per_hour(fa['young'])} | {_per_hour(fa['elderly'])} |"
        )
    tuning, unseen = result.get("tuning_subjects"), result.get("holdout_subjects")
    if isinstance(tuning, list) and isinstance(unseen, list):
        lines.append(f"\nCross-validated on {', '.join(tuning)}; held out: {', '.join(unseen)}.")
    elif isinstance(result.get("subjects"), list):
        lines.append(f"\nSubjects: {', '.join(result['subjects'])}.")
    return "\n".join(lines)


def _delay(d: dict[str, Any]) -> str:
    if d["median_s"] is None:
        return "-"
    return f"{d['median_s']:.2f} / {d['p90_s']:.2f} / {d['max_s']:.2f} s"


def _per_hour(fa: dict[str, Any]) -> str:
    if fa["per_hour"] is None:
        return "-"
    return f"{fa['per_hour']:.2f} ({fa['alarms']} in {fa['hours']:.1f} h)"


def _activities_markdown(result: dict[str, Any], rate: int) -> str:
    name = "cross_validated" if "cross_validated" in result else "result"
    summary = result[name]
    lines = [
        f"At {rate} Hz, {name.replace('_', '-')}: recordings with an alarm, per activity.",
        "",
        "| code | activity | recordings | alarmed | missed falls / false alarms |",
        "| --- | --- | --- | --- | --- |",
    ]
    for code, row in summary["per_activity"].items():
        wrong = row["recordings"] - row["detected"] if code.startswith("F") else row["detected"]
        lines.append(
            f"| {code} | {ACTIVITIES.get(code, '')} | {row['recordings']} | {row['detected']} "
            f"| {wrong or ''} |"
        )
    return "\n".join(lines)
