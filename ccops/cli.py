"""The `ccops` command: imports, demo data, serving, and Django's own commands."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="ccops: contact-center operations platform.", no_args_is_help=True)
KINDS = ("acd", "cdr", "states", "clock", "people")


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccops.settings")
    import django

    django.setup()


@app.command("import")
def import_file(
    kind: Annotated[str, typer.Argument(help="acd, cdr, states, clock or people")],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    org: Annotated[str | None, typer.Option("--org", help="organisation code")] = None,
    user: Annotated[str | None, typer.Option("--user", help="act as this user")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the ledger as JSON")] = False,
) -> None:
    """Import one file now and print its ledger (exit 1 if the batch was rejected)."""
    if kind not in KINDS:
        raise typer.BadParameter(f"kind must be one of {', '.join(KINDS)}")
    _setup()
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils import translation

    from ccops.intake import messages as texts
    from ccops.intake.pipeline import run_batch
    from ccops.intake.services import do_create_batch

    users = get_user_model().objects
    actor = (
        users.filter(username=user).first()
        if user
        else users.filter(is_superuser=True).order_by("pk").first()
    )
    if actor is None:
        typer.echo("no such user (create an administrator first)", err=True)
        raise typer.Exit(2)
    translation.activate(os.environ.get("CCOPS_LANGUAGE", "en"))
    try:
        with file.open("rb") as stream:
            batch = do_create_batch(
                kind=kind, stream=stream, filename=file.name, acting_user=actor, org_code=org
            )
    except (ValidationError, PermissionDenied) as exc:
        typer.echo(
            f"{file.name}: {' '.join(getattr(exc, 'messages', [str(exc) or 'forbidden']))}",
            err=True,
        )
        raise typer.Exit(2) from exc
    batch = run_batch(batch.pk)
    ledger = {
        "batch": batch.pk,
        "status": batch.status,
        "rows_read": batch.rows_read,
        "inserted": batch.inserted,
        "updated": batch.updated,
        "unchanged": batch.unchanged,
        "rejected": batch.rejected,
        "errors": batch.error_count,
    }
    if as_json:
        typer.echo(json.dumps(ledger))
    else:
        typer.echo("  ".join(f"{k}={v}" for k, v in ledger.items()))
    for error in batch.errors[:50]:
        typer.echo(f"{file.name}: {texts.location(error)}: {texts.describe(error)}", err=True)
    if batch.status != "succeeded":
        raise typer.Exit(1)


def _number(text: str) -> float:
    """A number option; the error names the value the user typed."""
    try:
        return float(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a number") from None


def _refuse(error: Exception) -> typer.Exit:
    """Print a bad-input error (naming field, value and row) and give exit code 2."""
    typer.echo(f"error: {error}", err=True)
    return typer.Exit(2)


@app.command("erlang")
def erlang_command(
    calls: Annotated[
        float | None, typer.Option(parser=_number, help="calls offered in the interval")
    ] = None,
    aht: Annotated[
        float | None, typer.Option(parser=_number, help="average handle time, seconds")
    ] = None,
    interval_minutes: Annotated[
        float, typer.Option(parser=_number, help="interval length, minutes")
    ] = 30,
    sl: Annotated[float, typer.Option(parser=_number, help="service-level target (PLAN-10)")] = 0.8,
    threshold: Annotated[
        float, typer.Option(parser=_number, help="service-level threshold, seconds")
    ] = 20,
    patience: Annotated[
        float | None,
        typer.Option(parser=_number, help="callers' mean patience in seconds: Erlang A"),
    ] = None,
    max_occupancy: Annotated[
        float | None, typer.Option(parser=_number, help="occupancy cap, e.g. 0.85")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
    batch: Annotated[
        Path | None,
        typer.Option(help="CSV with calls,aht,interval_minutes[,sl,threshold,patience]"),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="where --batch writes its answers")] = None,
) -> None:
    """Agents needed to meet a service level (Erlang C, or Erlang A with --patience)."""
    from ccops.core.errors import InputError
    from ccops.planning import headless

    try:
        if batch is not None:
            if out is None:
                raise typer.BadParameter("--batch needs --out", param_hint="--out")
            rows = headless.erlang_batch(batch, out, sl=sl, threshold=threshold)
            typer.echo(f"{rows} intervals written to {out}", err=True)
            return
        if calls is None or aht is None:
            raise typer.BadParameter("give --calls and --aht, or --batch", param_hint="--calls")
        answer = headless.erlang_answer(
            calls=calls,
            aht=aht,
            interval_minutes=interval_minutes,
            sl=sl,
            threshold=threshold,
            patience=patience,
            max_occupancy=max_occupancy,
        )
    except InputError as exc:
        raise _refuse(exc) from exc
    if as_json:
        typer.echo(json.dumps(answer))
    else:
        typer.echo("  ".join(f"{key}={value}" for key, value in answer.items()))


@app.command("staff")
def staff_command(
    forecast: Annotated[
        Path, typer.Option(help="CSV with interval_start,calls (and optionally aht)")
    ],
    out: Annotated[Path, typer.Option(help="CSV to write the agents per interval to")],
    aht: Annotated[float, typer.Option(parser=_number, help="average handle time, seconds")],
    sl: Annotated[float, typer.Option(parser=_number, help="service-level target (PLAN-10)")] = 0.8,
    threshold: Annotated[
        float, typer.Option(parser=_number, help="service-level threshold, seconds")
    ] = 20,
    shrinkage: Annotated[
        float, typer.Option(parser=_number, help="share of paid time off the phones")
    ] = 0.3,
    interval_minutes: Annotated[
        int | None, typer.Option(help="interval length; learnt from the file if not given")
    ] = None,
    patience: Annotated[
        float | None,
        typer.Option(parser=_number, help="callers' mean patience in seconds: Erlang A"),
    ] = None,
    max_occupancy: Annotated[
        float | None, typer.Option(parser=_number, help="occupancy cap, e.g. 0.85")
    ] = None,
) -> None:
    """Agents on the phones and scheduled after shrinkage for every forecast interval."""
    from ccops.core.errors import InputError
    from ccops.planning import headless

    try:
        rows = headless.staff_file(
            forecast,
            out,
            aht=aht,
            sl=sl,
            threshold=threshold,
            shrinkage=shrinkage,
            interval_minutes=interval_minutes,
            patience=patience,
            max_occupancy=max_occupancy,
        )
    except InputError as exc:
        raise _refuse(exc) from exc
    typer.echo(f"{rows} intervals written to {out}", err=True)


@app.command("forecast")
def forecast_command(
    history: Annotated[Path, typer.Option(help="CSV with interval_start,calls")],
    out: Annotated[Path, typer.Option(help="CSV to write interval_start,calls to")],
    interval_minutes: Annotated[int, typer.Option(help="interval length, minutes")] = 30,
    horizon_days: Annotated[int, typer.Option(help="days to forecast")] = 28,
) -> None:
    """Forecast calls per open interval for the days after the history."""
    from ccops.core.errors import InputError
    from ccops.planning import headless

    try:
        rows = headless.forecast_file(
            history, out, interval_minutes=interval_minutes, horizon_days=horizon_days
        )
    except InputError as exc:
        raise _refuse(exc) from exc
    typer.echo(f"{rows} intervals written to {out}", err=True)


roster_app = typer.Typer(help="Roster optimisation.", no_args_is_help=True)
app.add_typer(roster_app, name="roster")


@roster_app.command("bench")
def roster_bench(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    format_: Annotated[
        str, typer.Option("--format", help="benchmark format (curtois)")
    ] = "curtois",
    time_limit: Annotated[float, typer.Option(help="seconds the solver may take")] = 60.0,
    workers: Annotated[int, typer.Option(help="solver threads")] = 2,
    seed: Annotated[int, typer.Option(help="solver random seed")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="print the result as JSON")] = False,
    out: Annotated[Path | None, typer.Option(help="CSV to write employee,day,shift to")] = None,
) -> None:
    """Roster a benchmark instance; the objective is the independent checker's."""
    from ccops.core.errors import InputError
    from ccops.core.roster.bench import bench_curtois
    from ccops.core.roster.curtois import roster_rows, write_roster

    if format_ != "curtois":
        raise _refuse(InputError("format", format_, "unknown", "only curtois is known"))
    if time_limit <= 0:
        raise _refuse(InputError("time-limit", time_limit, "not_positive", "must be above 0"))
    try:
        run = bench_curtois(file, time_limit=time_limit, workers=workers, seed=seed)
    except InputError as exc:
        raise _refuse(exc) from exc
    if out is not None:
        with out.open("w", encoding="utf-8", newline="") as stream:
            write_roster(stream, roster_rows(run.result.assignment))
    summary = run.summary()
    if as_json:
        typer.echo(json.dumps(summary))
    else:
        for key, value in summary.items():
            typer.echo(f"{key}: {value}")
    if run.score is not None and run.score.violations:
        for violation in run.score.violations:
            typer.echo(f"broken: {violation}", err=True)
        raise typer.Exit(1)


attendance_app = typer.Typer(
    help="Attendance: lateness, early leave, absence and fines.", no_args_is_help=True
)
app.add_typer(attendance_app, name="attendance")


def _refuse_file(path: Path, error: Exception) -> typer.Exit:
    """Print a bad-input error naming the file (and row, field and reason); exit code 2."""
    typer.echo(f"error: {path.name}: {error}", err=True)
    return typer.Exit(2)


@attendance_app.command("fines")
def attendance_fines(
    roster: Annotated[Path, typer.Option(help="CSV with employee,date,shift_start,shift_end")],
    clock: Annotated[Path, typer.Option(help="CSV with employee,punch_time,direction")],
    month: Annotated[str, typer.Option(help="the month to fine, e.g. 2026-10")],
    out: Annotated[Path, typer.Option(help="CSV to write one row per rostered employee to")],
) -> None:
    """Lateness, early leave and absence fines of a month (ATT-08/09/10 defaults).

    Days with a missing punch and punches near no shift are listed on stderr for a
    clerk; they are never guessed.
    """
    from ccops.core.attendance import Month, default_policy, month_report
    from ccops.core.attendance.files import read_clock, read_roster, write_summary
    from ccops.core.errors import InputError

    try:
        period = Month.parse(month, field="--month")
    except InputError as exc:
        raise _refuse(exc) from exc
    try:
        shifts = read_roster(roster)
    except InputError as exc:
        raise _refuse_file(roster, exc) from exc
    try:  # the roster is sound: what is left to refuse is in the clock
        report = month_report(shifts, read_clock(clock), period, default_policy())
    except InputError as exc:
        raise _refuse_file(clock, exc) from exc
    try:
        with out.open("w", encoding="utf-8", newline="") as stream:
            rows = write_summary(stream, report)
    except OSError as exc:
        raise _refuse_file(out, exc) from exc
    for day in report.flagged:
        flags = ", ".join(day.flags)
        typer.echo(f"flagged: {day.employee} {day.day.isoformat()}: {flags}", err=True)
    for punch in report.unattributed:
        where = f"{clock.name} row {punch.row}"
        typer.echo(f"unattributed: {where}: {punch.employee} {punch.describe()}", err=True)
    typer.echo(f"{rows} employees written to {out}", err=True)


@app.command("demo-data")
def demo_data(
    seed: Annotated[
        int, typer.Option(help="random seed; the same seed builds the same center")
    ] = 7,
    weeks: Annotated[int, typer.Option(help="weeks of half-hourly ACD history")] = 12,
    detail_days: Annotated[
        int, typer.Option(help="days of call records, agent states and clock records")
    ] = 14,
    reset: Annotated[bool, typer.Option(help="delete an earlier demo center first")] = False,
) -> None:
    """Build the deterministic demo center and print one login per role."""
    args = ["demo_data", f"--seed={seed}", f"--weeks={weeks}", f"--detail-days={detail_days}"]
    _manage([*args, "--reset"] if reset else args)


@app.command("manage", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(ctx: typer.Context) -> None:
    """Run a Django management command, e.g. `ccops manage migrate`."""
    _manage(ctx.args)


def _manage(args: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccops.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ccops", *args])


def main() -> None:
    app(prog_name="ccops")


if __name__ == "__main__":
    sys.exit(main())
