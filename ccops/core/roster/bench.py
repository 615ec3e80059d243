"""Run the optimiser on a benchmark file and score its roster with the independent
checker: what `ccops roster bench` and `benchmarks/roster_curtois.py` report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ccops.core.roster.checker import Score, score_curtois
from ccops.core.roster.curtois import read_curtois, roster_rows
from ccops.core.roster.solve import RosterResult, solve


@dataclass(frozen=True)
class BenchRun:
    result: RosterResult
    score: Score | None  # None when no roster was found

    def summary(self) -> dict[str, object]:
        """The CLI contract's keys: objective (the checker's), status, seconds, bound."""
        bound = self.result.lower_bound
        return {
            "objective": self.score.objective if self.score else None,
            "status": self.result.status,
            "seconds": round(self.result.seconds, 3),
            "lower_bound": round(bound, 6) if bound is not None else None,
        }


def bench_curtois(path: Path, *, time_limit: float, workers: int = 2, seed: int = 0) -> BenchRun:
    text = path.read_text(encoding="utf-8")
    result = solve(read_curtois(text), time_limit=time_limit, workers=workers, seed=seed)
    if result.status not in ("OPTIMAL", "FEASIBLE"):
        return BenchRun(result, None)
    return BenchRun(result, score_curtois(text, roster_rows(result.assignment)))
