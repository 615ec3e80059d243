"""CSV and Excel downloads of a table, with formula-looking text escaped."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook

from ccops.core.cells import escape_formula

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _safe_row(row: Iterable[Any]) -> list[Any]:
    return [escape_formula("" if v is None else v) for v in row]


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Iterable[Any]]
) -> HttpResponse:
    """UTF-8 with BOM so Excel on Chinese Windows opens it correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_safe_row(header))
    writer.writerows(_safe_row(r) for r in rows)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Iterable[Any]]
) -> HttpResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(filename[:31])
    sheet.append(_safe_row(header))
    for row in rows:
        sheet.append(_safe_row(row))
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def xlsx_book_response(
    filename: str, sheets: Sequence[tuple[str, Sequence[str], Iterable[Iterable[Any]]]]
) -> HttpResponse:
    """One workbook with a sheet per (name, header, rows)."""
    book = Workbook(write_only=True)
    for name, header, rows in sheets:
        sheet = book.create_sheet(str(name)[:31])
        sheet.append(_safe_row(header))
        for row in rows:
            sheet.append(_safe_row(row))
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
