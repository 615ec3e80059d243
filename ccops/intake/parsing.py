"""Vectorised parsing of string columns into typed ones, collecting row errors.

Every check compares the parsed value with the raw text, so a value that could not be
read becomes a row error naming its row and column instead of a silent null.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

ROW = "__row__"
NAIVE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S%.f",
)
OFFSET_FORMATS = ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%dT%H:%M:%S%.f%z")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d")
TRUE_WORDS = ("true", "t", "yes", "y", "1", "是", "真")
FALSE_WORDS = ("false", "f", "no", "n", "0", "否", "假")
MAX_STORED_ERRORS = 1000


@dataclass
class Problems:
    """Row errors found so far; only the first MAX_STORED_ERRORS are kept, all are counted."""

    items: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0

    def add_mask(
        self,
        frame: pl.DataFrame,
        mask: pl.Expr,
        column: str,
        code: str,
        value_of: str | None = None,
    ) -> None:
        """Record `code` for every row where `mask` holds, quoting the raw text of `value_of`."""
        selected = [ROW] + ([value_of] if value_of else [])
        hits = frame.lazy().filter(mask.fill_null(False)).select(selected).collect()
        self.count += hits.height
        room = max(MAX_STORED_ERRORS - len(self.items), 0)
        for record in hits.head(room).iter_rows(named=True):
            params = {"value": record[value_of]} if value_of else {}
            self.add(record[ROW], column, code, **params)

    def add(self, row: int, column: str, code: str, **params: Any) -> None:
        if len(self.items) < MAX_STORED_ERRORS:
            self.items.append({"row": row, "column": column, "code": code, "params": params})

    def add_counted(self, row: int, column: str, code: str, **params: Any) -> None:
        self.count += 1
        self.add(row, column, code, **params)

    def sorted(self) -> list[dict[str, Any]]:
        return sorted(self.items, key=lambda e: (e["row"], e["column"]))

    def __bool__(self) -> bool:
        return self.count > 0


def integer(name: str) -> pl.Expr:
    return pl.col(name).str.replace(r"\.0+$", "").cast(pl.Int64, strict=False)


def boolean(name: str) -> pl.Expr:
    text = pl.col(name).str.to_lowercase()
    return (
        pl.when(text.is_in(TRUE_WORDS))
        .then(True)
        .when(text.is_in(FALSE_WORDS))
        .then(False)
        .otherwise(None)
    )


def _parse_all_formats(text: pl.Series, time_zone: str) -> pl.Series:
    """Naive UTC datetimes from text in any accepted format (slow: used on few values)."""
    frame = text.to_frame("t")
    col = pl.col("t")
    naive = pl.coalesce(
        [col.str.strptime(pl.Datetime("us"), f, strict=False, exact=True) for f in NAIVE_FORMATS]
    )
    local = naive.dt.replace_time_zone(time_zone, ambiguous="earliest", non_existent="null")
    with_offset = pl.coalesce(
        [
            col.str.strptime(pl.Datetime("us", "UTC"), f, strict=False, exact=True)
            for f in OFFSET_FORMATS
        ]
    )
    utc = pl.coalesce([with_offset, local.dt.convert_time_zone("UTC")]).dt.replace_time_zone(None)
    return frame.select(utc).to_series()


def _parse_one_format(text: pl.Series, fmt: str, time_zone: str) -> pl.Series:
    if fmt in OFFSET_FORMATS:
        parsed = text.str.strptime(pl.Datetime("us", "UTC"), fmt, strict=False, exact=True)
        return parsed.dt.replace_time_zone(None)
    parsed = text.str.strptime(pl.Datetime("us"), fmt, strict=False, exact=True)
    local = parsed.dt.replace_time_zone(time_zone, ambiguous="earliest", non_existent="null")
    return local.dt.convert_time_zone("UTC").dt.replace_time_zone(None)


def utc_datetime(time_zone: str) -> Callable[[pl.Series], pl.Series]:
    """A parser: text in the center's time zone (or with an offset) to naive UTC datetimes.

    A file nearly always uses one format throughout, so the format of the first value
    parses the whole column; only the values it misses are tried against every format.
    """

    def parse(text: pl.Series) -> pl.Series:
        sample = text.drop_nulls().head(1)
        if sample.is_empty():
            return pl.Series(text.name, [None] * len(text), dtype=pl.Datetime("us"))
        fmt = next(
            (
                f
                for f in (*NAIVE_FORMATS, *OFFSET_FORMATS)
                if _parse_one_format(sample, f, time_zone).null_count() == 0
            ),
            None,
        )
        result = (
            _parse_one_format(text, fmt, time_zone) if fmt else _parse_all_formats(text, time_zone)
        )
        missed = result.is_null() & text.is_not_null()
        if fmt and missed.any():
            indices = missed.arg_true()
            result = result.scatter(indices, _parse_all_formats(text.gather(indices), time_zone))
        return result.alias(text.name)

    return parse


def date(name: str) -> pl.Expr:
    col = pl.col(name)
    return pl.coalesce(
        [col.str.strptime(pl.Date, f, strict=False, exact=True) for f in DATE_FORMATS]
    )


Parser = pl.Expr | Callable[[pl.Series], pl.Series]


def parse_columns(
    frame: pl.DataFrame, parsers: dict[str, Parser], problems: Problems, codes: dict[str, str]
) -> pl.DataFrame:
    """Replace each column by its parsed form, recording a row error where text did not parse."""
    parsed = frame.with_columns(
        **{f"{k}__parsed": v if isinstance(v, pl.Expr) else v(frame[k]) for k, v in parsers.items()}
    )
    for name in parsers:
        failed = pl.col(name).is_not_null() & pl.col(f"{name}__parsed").is_null()
        problems.add_mask(parsed, failed, name, codes[name], value_of=name)
    return parsed.drop(list(parsers)).rename({f"{k}__parsed": k for k in parsers})


def require_present(frame: pl.DataFrame, names: list[str], problems: Problems) -> None:
    for name in names:
        problems.add_mask(frame, pl.col(name).is_null(), name, "required")


def check(frame: pl.DataFrame, problems: Problems, mask: pl.Expr, column: str, code: str) -> None:
    problems.add_mask(frame, mask, column, code)
