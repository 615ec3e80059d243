"""Benchmark: import 1,000,000 call detail records into PostgreSQL through the real pipeline.

Generates a CDR file, imports it with `ccops.intake.pipeline.run_batch` (reading,
validation, agent and queue resolution, idempotent merge, audit) in a child process,
and prints rows/s and the child's peak RSS. The peer, timed in the same run, is
PostgreSQL's own `COPY` of the same file into a bare table: the floor any loader has.
Targets: >= 50,000 rows/s and peak RSS < 1 GB.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ccops_bench \
        .venv/bin/python benchmarks/intake.py [--rows N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from postgres import fresh_database, setup_django  # noqa: E402

AGENTS = 2000


def seed_center() -> int:
    """A client, a vendor, one queue and AGENTS agents; returns an administrator's id."""
    from django.contrib.auth import get_user_model

    from ccops.org.models import Organisation, Person, Profile, Queue, SeatType

    client = Organisation.objects.create(code="CLIENT", name="client", kind="client")
    vendor = Organisation.objects.create(code="VA", name="vendor", kind="vendor")
    seat = SeatType.objects.create(
        code="GEN", name="general", min_knowledge_score=80, min_typing_cpm=60, max_lookup_seconds=40
    )
    Queue.objects.create(code="Q-GEN", name="general", seat_type=seat)
    Person.objects.bulk_create(
        Person(
            organisation=vendor,
            employee_no=f"VA{i:05d}",
            name=f"agent {i}",
            hire_date=dt.date(2025, 1, 1),
            acd_account=f"8{i:05d}",
        )
        for i in range(AGENTS)
    )
    admin = get_user_model().objects.create_superuser("bench", password=None)
    Profile.objects.create(user=admin, organisation=client, role="admin")
    return admin.pk


def generate_cdr(path: Path, rows: int, seed: int = 1999) -> None:
    """Realistic CDRs: arrivals over 30 days, most answered, a few transferred or abandoned."""
    rng = np.random.default_rng(seed)
    base = int(dt.datetime(2026, 10, 1, 8, tzinfo=dt.UTC).timestamp())
    answered = rng.random(rows) > 0.06
    frame = pl.DataFrame(
        {
            "i": np.arange(rows),
            "arrival_s": base + np.sort(rng.integers(0, 30 * 86400, rows)),
            "wait": rng.exponential(15, rows).astype("int64"),
            "answered": answered,
            "talk": np.where(answered, rng.gamma(2.0, 120, rows).astype("int64"), 0),
            "hold": np.where(answered, rng.poisson(8, rows), 0),
            "acw": np.where(answered, rng.poisson(30, rows), 0),
            "agent_no": rng.integers(0, AGENTS, rows),
            "transferred": np.where(rng.random(rows) < 0.03, "1", "0"),
        }
    )
    fmt = "%Y-%m-%d %H:%M:%S"
    when = pl.col("answered")
    arrival = pl.from_epoch("arrival_s")
    answer = pl.from_epoch(pl.col("arrival_s") + pl.col("wait"))
    end = pl.from_epoch(pl.col("arrival_s") + pl.col("wait") + pl.col("talk") + pl.col("hold"))
    frame.select(
        call_id=pl.format("C{}", pl.col("i").cast(pl.Utf8).str.zfill(9)),
        leg=pl.lit(1),
        queue=pl.lit("Q-GEN"),
        agent=pl.when(when).then(pl.format("VA{}", pl.col("agent_no").cast(pl.Utf8).str.zfill(5))),
        arrival=arrival.dt.strftime(fmt),
        answer=pl.when(when).then(answer.dt.strftime(fmt)),
        end=end.dt.strftime(fmt),
        talk="talk",
        hold="hold",
        acw="acw",
        transferred="transferred",
        disposition=pl.when(when).then(pl.lit("resolved")).otherwise(pl.lit("abandoned")),
    ).write_csv(path)


def run_child(batch_id: int) -> None:
    setup_django()
    from ccops.intake.pipeline import run_batch

    started = time.perf_counter()
    batch = run_batch(batch_id)
    elapsed = time.perf_counter() - started
    print(f"{batch.status} {batch.rows_read} {batch.inserted} {elapsed:.3f}")


def import_in_child(batch_id: int) -> str:
    """Run one batch in a fresh process, so its peak memory is measured alone."""
    child = subprocess.run(
        [sys.executable, __file__, "--child", str(batch_id)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return child.stdout


def time_copy_peer(url: str, path: Path) -> float:
    import psycopg

    with psycopg.connect(url) as conn:
        conn.execute(
            "CREATE TEMP TABLE peer (call_id text, leg int, queue text, agent text, "
            "arrival timestamp, answer timestamp, ended timestamp, talk int, hold int, acw int, "
            "transferred boolean, disposition text)"
        )
        started = time.perf_counter()
        with (
            conn.cursor().copy("COPY peer FROM STDIN (FORMAT csv, HEADER true)") as copy,
            path.open("rb") as f,
        ):
            while chunk := f.read(1 << 20):
                copy.write(chunk)
        conn.commit()
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.child)
        return
    url = fresh_database("intake.py")
    from django.contrib.auth import get_user_model

    from ccops.intake.services import do_create_batch

    admin = get_user_model().objects.get(pk=seed_center())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cdr.csv"
        t0 = time.perf_counter()
        generate_cdr(path, args.rows)
        size_mib = path.stat().st_size / 2**20
        print(
            f"generated {args.rows:,} rows ({size_mib:.0f} MiB) in {time.perf_counter() - t0:.1f} s"
        )
        with path.open("rb") as stream:
            batch = do_create_batch(
                kind="cdr", stream=stream, filename=path.name, acting_user=admin
            )
        with path.open("rb") as stream:
            again = do_create_batch(
                kind="cdr", stream=stream, filename=path.name, acting_user=admin
            )
        from django.db import connection

        connection.close()
        status, read, inserted, seconds = import_in_child(batch.pk).split()[-4:]
        peak_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        _, _, reinserted, reseconds = import_in_child(again.pk).split()[-4:]
        peer = time_copy_peer(url, path)
    rate = int(read) / float(seconds)
    print(f"pipeline: {status}, {int(read):,} rows read, {int(inserted):,} inserted")
    print(f"pipeline time: {float(seconds):.2f} s")
    print(f"pipeline rows/s: {rate:,.0f} (target >= 50,000)")
    print(f"pipeline peak RSS: {peak_rss_mb:,.0f} MiB (target < 1024)")
    print(f"re-import of the same file: {float(reseconds):.2f} s, {int(reinserted):,} inserted")
    print(f"peer, a bare PostgreSQL COPY of the same file: {peer:.2f} s")
    print(f"peer rows/s: {int(read) / peer:,.0f}")
    print(f"ratio pipeline/COPY time: {float(seconds) / peer:.2f}x")
    ok = status == "succeeded" and rate >= 50_000 and peak_rss_mb < 1024
    print("RESULT:", "PASS" if ok else "FAIL")


if __name__ == "__main__":
    main()
