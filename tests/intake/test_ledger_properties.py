"""Whatever is wrong with a file, every row lands in one bucket and nothing is half-written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccops.intake.models import AcdInterval, ImportBatch
from tests.intake.helpers import ACD_HEADER, acd_rows, run_import

MUTATIONS = [
    "drop_field",
    "extra_field",
    "open_quote",
    "bad_number",
    "bad_time",
    "duplicate",
    "blank",
]


def _render(rows: list[list[Any]], mutations: list[tuple[str, int]]) -> tuple[str, bool, int]:
    """CSV text, whether it must be refused, and how many duplicates it holds."""
    lines = [",".join(map(str, r)) for r in rows]
    refuse, duplicates, touched = False, 0, set()
    for kind, index in mutations:
        i = index % len(lines)
        if i in touched:
            continue  # two damages to one line may cancel out (add a field, drop a field)
        touched.add(i)
        if kind == "drop_field":
            lines[i] = lines[i].rsplit(",", 1)[0]
        elif kind == "extra_field":
            lines[i] += ",surplus"
        elif kind == "open_quote":
            lines[i] = lines[i].replace(",", ',"', 1)
        elif kind == "bad_number":
            lines[i] = lines[i].replace(",30,", ",thirty,", 1)
        elif kind == "bad_time":
            lines[i] = lines[i].replace("2026-11-02", "2026-02-30", 1)
        elif kind in ("duplicate", "blank"):
            lines.append(lines[i] if kind == "duplicate" else "")
            touched.add(len(lines) - 1)  # an added line is not damaged again
            duplicates += kind == "duplicate"
            continue
        refuse = True
    return "\n".join([",".join(ACD_HEADER), *lines]) + "\n", refuse, duplicates


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    n=st.integers(min_value=1, max_value=12),
    mutations=st.lists(st.tuples(st.sampled_from(MUTATIONS), st.integers(0, 50)), max_size=4),
)
def test_every_row_is_accounted_for(
    center: Any, tmp_path: Path, n: int, mutations: list[tuple[str, int]]
) -> None:
    AcdInterval.objects.all().delete()
    text, must_refuse, _ = _render(acd_rows(n=n), mutations)
    path = tmp_path / "mutated.csv"
    path.write_text(text, encoding="utf-8")
    batch = run_import(path, "acd", center.user("planner"))
    assert batch.balanced
    stored = AcdInterval.objects.count()
    if batch.status == ImportBatch.Status.FAILED:
        assert stored == 0, "a refused batch wrote rows"
        assert batch.error_count > 0 and batch.errors
        assert all(0 <= e["row"] <= n + 10 for e in batch.errors)
    else:
        assert not must_refuse, f"a damaged file was accepted: {mutations}"
        assert stored == batch.inserted + batch.updated + batch.unchanged
        assert batch.inserted + batch.unchanged + batch.updated + batch.rejected == batch.rows_read
