"""Benchmark: the Shift Scheduling Benchmark instances 1-12 of Curtois & Qu.

Each instance is rostered by `ccops roster bench` (the same engine as the product) with
a time limit per instance on two solver threads; its objective comes from the
independent checker of the benchmark's official definition and is compared with the
best known value (`../shared/data/curtois/best_known.csv`, all proven optimal). Target:
the best known value on 1-7 and within 2 % of it on 8-12. Exits 1 when a target fails
or a roster breaks a hard rule.

    .venv/bin/python benchmarks/roster_curtois.py [--time-limit 60] [--instances 1-12]
"""

from __future__ import annotations

import argparse
import csv
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ccops.core.roster.bench import bench_curtois  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "curtois"
EXACT, WITHIN = range(1, 8), 0.02


def instances(spec: str) -> list[int]:
    first, _, last = spec.partition("-")
    return list(range(int(first), int(last or first) + 1))


def target_met(number: int, gap: float) -> bool:
    return gap <= 0 if number in EXACT else gap <= WITHIN


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--instances", default="1-12")
    args = parser.parse_args()
    with (DATA / "best_known.csv").open() as stream:
        best = {row["instance"]: int(row["best_known_solution"]) for row in csv.DictReader(stream)}
    print(
        f"{platform.node()} {platform.processor() or platform.machine()}, "
        f"{args.workers} threads, {args.time_limit:g} s per instance, {time.strftime('%Y-%m-%d')}"
    )
    print(
        f"{'instance':<11}{'objective':>10}{'best':>8}{'gap':>8}{'bound':>10}"
        f"{'status':>10}{'seconds':>9}  target"
    )
    failed = 0
    for number in instances(args.instances):
        name = f"Instance{number}"
        run = bench_curtois(DATA / f"{name}.txt", time_limit=args.time_limit, workers=args.workers)
        summary = run.summary()
        objective = summary["objective"]
        gap = (objective - best[name]) / best[name] if isinstance(objective, int) else float("inf")
        broken = bool(run.score and run.score.violations)
        ok = target_met(number, gap) and not broken
        failed += not ok
        bound = summary["lower_bound"]
        print(
            f"{name:<11}{objective!s:>10}{best[name]:>8}{gap:>8.2%}{bound!s:>10}"
            f"{summary['status']!s:>10}{summary['seconds']!s:>9}  "
            f"{'met' if ok else 'MISSED'}{' (breaks a hard rule)' if broken else ''}",
            flush=True,
        )
    print(
        f"targets met on {len(instances(args.instances)) - failed} of "
        f"{len(instances(args.instances))} instances"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
