"""ccops.core.tabular: uploads to validated string columns, dangerous files refused first."""

from __future__ import annotations

import csv
import datetime as dt
import io
import struct
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccops.core import tabular
from ccops.core.tabular import (
    ROW_COLUMN,
    Limits,
    RowError,
    Table,
    TabularError,
    detect_encoding,
    read_table,
)

COLUMNS = {
    "interval_start": ["Interval Start", "时段"],
    "queue": ["queue", "队列", "技能组"],
    "offered": ["offered", "进线量", "呼入量"],
    "note": ["备注"],
}
REQUIRED = {"queue", "offered"}
MIB10 = 10 * 1024 * 1024


def write(tmp_path: Path, data: bytes, name: str = "upload.bin") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read(path: Path, **kwargs: object) -> Table:
    kwargs.setdefault("columns", COLUMNS)
    kwargs.setdefault("required", REQUIRED)
    return read_table(path, **kwargs)  # type: ignore[arg-type]


def read_bytes(tmp_path: Path, data: bytes, **kwargs: object) -> Table:
    return read(write(tmp_path, data), **kwargs)


def failure(tmp_path: Path, data: bytes, **kwargs: object) -> TabularError:
    with pytest.raises(TabularError) as info:
        read_bytes(tmp_path, data, **kwargs)
    return info.value


def rows(table: Table) -> list[dict[str, object]]:
    return table.frame.to_dicts()


# -- encodings ------------------------------------------------------------------------


def test_utf8_values_rows_and_columns(tmp_path: Path) -> None:
    data = "queue, Offered ,extra\n 售前 ,12,x\nbilling,,y\n".encode()
    table = read_bytes(tmp_path, data)
    assert table.encoding == "utf-8"
    assert table.source_columns == {"queue": "queue", "offered": "Offered"}
    assert table.frame.columns == ["interval_start", "queue", "offered", "note", ROW_COLUMN]
    assert table.frame.schema[ROW_COLUMN] == pl.Int64
    assert all(table.frame.schema[c] == pl.String for c in COLUMNS)
    assert rows(table) == [
        {"interval_start": None, "queue": "售前", "offered": "12", "note": None, "__row__": 2},
        {"interval_start": None, "queue": "billing", "offered": None, "note": None, "__row__": 3},
    ]


def test_utf8_bom(tmp_path: Path) -> None:
    table = read_bytes(tmp_path, "\ufeff队列,进线量\r\n售后,7\r\n".encode())
    assert table.encoding == "utf-8-sig"
    assert table.source_columns == {"queue": "队列", "offered": "进线量"}
    assert rows(table)[0]["queue"] == "售后"


def test_gbk_chinese_headers_and_values(tmp_path: Path) -> None:
    data = "队列,进线量,备注\r\n张三,12,早班\r\n李四,8,\r\n".encode("gbk")
    table = read_bytes(tmp_path, data)
    assert table.encoding == "gb18030"
    assert table.frame["queue"].to_list() == ["张三", "李四"]
    assert table.frame["note"].to_list() == ["早班", None]


def test_gb18030_four_byte_characters(tmp_path: Path) -> None:
    data = "队列,进线量\n𠀀😀,1\n".encode("gb18030")
    with pytest.raises(UnicodeEncodeError):
        "𠀀".encode("gbk")
    table = read_bytes(tmp_path, data)
    assert table.encoding == "gb18030"
    assert table.frame["queue"].to_list() == ["𠀀😀"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf16_with_bom_and_tabs_like_excel_unicode_text(tmp_path: Path, codec: str) -> None:
    text = "\ufeff队列\t进线量\t备注\r\n售前\t3\t有, 逗号\r\n"
    table = read_bytes(tmp_path, text.encode(codec))
    assert table.encoding == "utf-16"
    assert rows(table) == [
        {"interval_start": None, "queue": "售前", "offered": "3", "note": "有, 逗号", "__row__": 2}
    ]


def test_utf16_without_bom_is_refused(tmp_path: Path) -> None:
    error = failure(tmp_path, "queue,offered\na,1\n".encode("utf-16-le"))
    assert error.code == "encoding"
    assert error.params["reason"] == "utf16_without_bom"
    assert "UTF-16" in str(error)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"queue,offered\n\x80abc,\xff\n", "unknown"),
        (b"queue,offered\na\x00b,1\n", "nul_bytes"),
        ("queue,offered\n\ufffd,1\n".encode(), "replacement_character"),
        (b"queue,offered\n\x84\x31\xa4\x37\xd5\xc5,1\n", "replacement_character"),  # GB18030
        (b"\xef\xbb\xbfqueue\n\xff\n", "invalid_utf8_after_bom"),
        (b"\xff\xfeq\x00\x00\xd8", "invalid_utf16"),  # truncated surrogate
    ],
)
def test_undecodable_text_is_refused(tmp_path: Path, data: bytes, reason: str) -> None:
    error = failure(tmp_path, data)
    assert error.code == "encoding"
    assert error.params["reason"] == reason
    assert "\ufffd" not in str(error)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"plain ascii", "utf-8"),
        ("中文".encode(), "utf-8"),
        (b"\xef\xbb\xbf" + "中文".encode(), "utf-8-sig"),
        ("中文".encode("utf-16"), "utf-16"),
        ("中文".encode("gbk"), "gb18030"),
    ],
)
def test_detect_encoding(data: bytes, expected: str) -> None:
    assert detect_encoding(data) == expected


def test_detect_encoding_refuses_with_code() -> None:
    with pytest.raises(TabularError) as info:
        detect_encoding(b"\xff\xff\xff")
    assert info.value.code == "encoding"


# -- headers -----------------------------------------------------------------------------


def test_chinese_aliases(tmp_path: Path) -> None:
    table = read_bytes(tmp_path, "技能组,呼入量,时段\nA,1,2025-01-01 08:00\n".encode())
    assert table.source_columns == {
        "queue": "技能组",
        "offered": "呼入量",
        "interval_start": "时段",
    }
    assert rows(table)[0]["interval_start"] == "2025-01-01 08:00"


@pytest.mark.parametrize(
    "header",
    [
        "interval_start",
        " Interval  Start ",
        "INTERVAL-START",
        "interval start",
        '"Interval_Start"',
        "'interval start'",
        "\ufeffinterval_start",
        "ＩＮＴＥＲＶＡＬ＿ＳＴＡＲＴ",
    ],
)
def test_header_spelling_variants(tmp_path: Path, header: str) -> None:
    data = f'queue,offered,"{header.replace(chr(34), chr(34) * 2)}"\nA,1,08:00\n'.encode()
    table = read_bytes(tmp_path, data)
    assert rows(table)[0]["interval_start"] == "08:00"
    assert table.source_columns["interval_start"] == header.strip().strip("\ufeff\"'")


def test_missing_columns_lists_expected(tmp_path: Path) -> None:
    error = failure(tmp_path, "队列,foo\nA,1\n".encode())
    assert error.code == "missing_columns"
    assert error.params["missing"] == ["offered"]
    assert error.params["expected"] == [
        ("interval_start", "Interval Start"),
        ("queue", "queue"),
        ("offered", "offered"),
        ("note", "备注"),
    ]
    assert error.params["found"] == ["队列", "foo"]
    assert "offered" in str(error) and "备注 (note)" in str(error)


def test_header_problems_come_before_row_problems(tmp_path: Path) -> None:
    assert failure(tmp_path, b"foo,bar\n1,2,3\n").code == "missing_columns"
    error = failure(tmp_path, b'queue,"offered\n1,2\n')
    assert error.code == "malformed"
    assert [(e.row, e.code) for e in error.errors] == [(1, "unclosed_quote")]


def test_duplicate_headers(tmp_path: Path) -> None:
    error = failure(tmp_path, "queue,offered,队列\nA,1,B\n".encode())
    assert error.code == "duplicate_header"
    assert error.params == {"header": "队列", "other": "queue", "column": "queue"}


def test_duplicate_unknown_headers_are_ignored(tmp_path: Path) -> None:
    table = read_bytes(tmp_path, b"queue,x,x,offered,,\nA,1,2,3,,\n")
    assert rows(table)[0]["offered"] == "3"


def test_column_spec_errors_are_programming_errors(tmp_path: Path) -> None:
    path = write(tmp_path, b"queue\nA\n")
    with pytest.raises(ValueError, match="not in columns"):
        read_table(path, columns={"queue": ["queue"]}, required={"offered"})
    with pytest.raises(ValueError, match="names both"):
        read_table(path, columns={"a": ["X"], "b": ["x"]}, required=())
    with pytest.raises(ValueError, match="reserved"):
        read_table(path, columns={ROW_COLUMN: []}, required=())


def test_canonical_name_is_always_accepted(tmp_path: Path) -> None:
    table = read_bytes(tmp_path, b"queue,offered,note\nA,1,n\n")
    assert table.source_columns["note"] == "note"


# -- CSV structure -----------------------------------------------------------------------


def test_embedded_newlines_keep_record_row_numbers(tmp_path: Path) -> None:
    data = b'queue,offered,note\r\nA,1,"two\r\nlines"\r\nB,2,"x\ny\nz"\r\nC,3,\r\n'
    table = read_bytes(tmp_path, data)
    assert rows(table) == [
        {"interval_start": None, "queue": "A", "offered": "1", "note": "two\nlines", "__row__": 2},
        {"interval_start": None, "queue": "B", "offered": "2", "note": "x\ny\nz", "__row__": 3},
        {"interval_start": None, "queue": "C", "offered": "3", "note": None, "__row__": 4},
    ]


def test_quotes_and_delimiters_inside_values(tmp_path: Path) -> None:
    data = b'queue,offered,note\n"a, b",1,"say ""hi"""\n'
    table = read_bytes(tmp_path, data)
    assert table.frame.select("queue", "offered", "note").rows() == [("a, b", "1", 'say "hi"')]


def test_blank_rows_are_dropped_but_keep_numbering(tmp_path: Path) -> None:
    data = b"\n , \nqueue,offered\nA,1\n\n , \n,,\nB,2\n   \n"
    table = read_bytes(tmp_path, data)
    assert table.frame.select("queue", ROW_COLUMN).rows() == [("A", 4), ("B", 8)]


def test_trailing_empty_field_is_not_a_short_row(tmp_path: Path) -> None:
    table = read_bytes(tmp_path, b'queue,offered,note\nA,1,\nB,2,""\n')
    assert table.frame["note"].to_list() == [None, None]


def test_no_final_newline_and_old_mac_line_ends(tmp_path: Path) -> None:
    assert read_bytes(tmp_path, b"queue,offered\nA,1").frame["offered"].to_list() == ["1"]
    table = read_bytes(tmp_path, b"queue,offered\rA,1\rB,2\r")
    assert table.frame.select("queue", ROW_COLUMN).rows() == [("A", 2), ("B", 3)]


def test_semicolon_delimiter_is_sniffed(tmp_path: Path) -> None:
    table = read_bytes(tmp_path, "队列;进线量\nA;1,5\n".encode())
    assert rows(table)[0]["offered"] == "1,5"


def test_header_only_gives_empty_frame(tmp_path: Path) -> None:
    table = read_bytes(tmp_path, b"queue,offered\n")
    assert table.frame.height == 0
    assert table.frame.columns == ["interval_start", "queue", "offered", "note", ROW_COLUMN]


def test_ragged_rows_too_many_and_too_few(tmp_path: Path) -> None:
    data = b'queue,offered,note\nA,1,x\nB,2,"multi\nline"\nC,3,x,extra\n\nD,4\nE,5,y\nF\n'
    error = failure(tmp_path, data)
    assert error.code == "malformed"
    assert [(e.row, e.code, e.params) for e in error.errors] == [
        (4, "ragged_row", {"expected": 3, "found": 4}),
        (6, "ragged_row", {"expected": 3, "found": 2}),
        (8, "ragged_row", {"expected": 3, "found": 1}),
    ]
    assert error.params["count"] == 3
    assert "row 4" in str(error)
    assert all(isinstance(e, RowError) and e.column == "" for e in error.errors)


def test_short_rows_only_are_caught(tmp_path: Path) -> None:
    # polars pads records with too few fields silently; the sentinel field catches them.
    data = b"queue,offered,note\nA,1,x\nB,2\nC,3,\n"
    error = failure(tmp_path, data)
    assert [(e.row, e.params["found"]) for e in error.errors] == [(3, 2)]


def test_common_shapes_stay_on_the_polars_fast_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_slow_path(*args: object) -> None:
        raise AssertionError("the csv-module path was taken")

    monkeypatch.setattr(tabular, "_parse_with_csv", no_slow_path)
    data = b'\r\nqueue,offered,note\r\nA,1,"x\r\ny"\r\n\r\n   \r\nB,2,\r\n\r\n\r\n'
    table = read_bytes(tmp_path, data)
    assert table.frame.select("queue", "note", ROW_COLUMN).rows() == [
        ("A", "x\ny", 3),
        ("B", None, 6),
    ]


def test_stray_quote_and_ragged_row_together(tmp_path: Path) -> None:
    error = failure(tmp_path, b'queue,offered\n5" screen,1\nB,2,3\n')
    assert [(e.row, e.code) for e in error.errors] == [(3, "ragged_row")]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.sampled_from(list('a,"\n x')), max_size=25))
def test_well_formed_text_reads_like_the_csv_module(body: str) -> None:
    """Whatever the csv module parses strictly, polars' fast path reads the same way."""
    text = "queue,offered\n" + body
    expected: list[tuple[str | None, str | None, int]] | str = []
    try:
        for number, fields in enumerate(csv.reader(io.StringIO(text, newline=""), strict=True), 1):
            if number == 1 or not any(v.strip() for v in fields):
                continue
            if len(fields) != 2:
                expected = "malformed"
                break
            a, b = (v.strip() or None for v in fields)
            assert isinstance(expected, list)
            expected.append((a, b, number))
    except csv.Error:
        return  # malformed quoting: polars may be more lenient than the csv module
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_bytes(text.encode())
        try:
            got: object = read(path).frame.select("queue", "offered", ROW_COLUMN).rows()
        except TabularError as error:
            got = error.code
    assert got == expected


def test_row_errors_are_capped_at_100(tmp_path: Path) -> None:
    data = b"queue,offered\n" + b"A,1,2\n" * 150
    error = failure(tmp_path, data)
    assert len(error.errors) == 100
    assert error.params["count"] == 150
    assert error.errors[-1].row == 101


def test_unclosed_quote(tmp_path: Path) -> None:
    data = b'queue,offered\nA,1\nB,"2\nC,3\nD,4\n'
    error = failure(tmp_path, data)
    assert error.code == "malformed"
    assert [(e.row, e.code) for e in error.errors] == [(3, "unclosed_quote")]


def test_text_after_closing_quote(tmp_path: Path) -> None:
    error = failure(tmp_path, b'queue,offered\nA,1\nB,"2"x\n')
    assert [(e.row, e.code) for e in error.errors] == [(3, "bad_quote")]


def test_stray_quote_inside_unquoted_value_is_literal(tmp_path: Path) -> None:
    # polars refuses this; the csv-module path reads it the way Excel does.
    table = read_bytes(tmp_path, b'queue,offered\n5" screen,1\nB,2\n')
    assert table.frame.select("queue", ROW_COLUMN).rows() == [('5" screen', 2), ("B", 3)]


def test_large_file_with_multiline_values_and_late_ragged_row(tmp_path: Path) -> None:
    lines = ["queue,offered,note"]
    for i in range(60_000):
        lines.append(f'q{i},{i},"line one\nline two {i}"' if i % 1000 == 0 else f"q{i},{i},")
    table = read_bytes(tmp_path, ("\n".join(lines) + "\n").encode())
    assert table.frame.height == 60_000
    assert table.frame.row(59_000, named=True) == {
        "interval_start": None,
        "queue": "q59000",
        "offered": "59000",
        "note": "line one\nline two 59000",
        "__row__": 59_002,
    }
    assert table.frame[ROW_COLUMN].to_list() == list(range(2, 60_002))
    lines[50_001] = "bad,row,with,four"
    lines[55_001] = "short"
    error = failure(tmp_path, ("\n".join(lines) + "\n").encode())
    assert [e.row for e in error.errors] == [50_002, 55_002]


# -- whole-file checks ---------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n\n \n", b",,\n;\n"])
def test_empty(tmp_path: Path, data: bytes) -> None:
    assert failure(tmp_path, data).code == "empty"


def test_too_large_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    path = write(tmp_path, b"queue,offered\nA,1\n")
    monkeypatch.setattr(tabular, "open", no_open, raising=False)  # shadows the builtin
    with pytest.raises(TabularError) as info:
        read(path, limits=Limits(max_bytes=10))
    assert info.value.code == "too_large"
    assert info.value.params == {"size": 18, "limit": 10}


def test_too_many_rows_counts_non_empty_rows(tmp_path: Path) -> None:
    data = b"queue,offered\nA,1\n\nB,2\n,\n"
    assert read_bytes(tmp_path, data, limits=Limits(max_rows=2)).frame.height == 2
    error = failure(tmp_path, data + b"C,3\n", limits=Limits(max_rows=2))
    assert error.code == "too_many_rows"
    assert error.params["limit"] == 2


def test_too_many_columns(tmp_path: Path) -> None:
    error = failure(tmp_path, b"queue,offered,a,b\n", limits=Limits(max_columns=3))
    assert error.code == "too_many_columns"


@pytest.mark.parametrize(
    "name",
    ["../x.csv", "/etc/passwd", "a/b.csv", "a\\b.csv", "C:\\x.csv", "..", "x\x00.csv", "x\n.csv"],
)
def test_unsafe_filenames(tmp_path: Path, name: str) -> None:
    error = failure(tmp_path, b"queue,offered\nA,1\n", filename=name)
    assert error.code == "unsafe_name"
    assert "\x00" not in str(error) and "\n" not in str(error)


def test_safe_filename_is_quoted_in_messages(tmp_path: Path) -> None:
    assert read_bytes(tmp_path, b"queue,offered\n", filename="报表 1月.csv").frame.height == 0
    error = failure(tmp_path, b"queue\n", filename="报表 1月.csv")
    assert '"报表 1月.csv"' in str(error)


def test_missing_path_and_directory_are_unreadable(tmp_path: Path) -> None:
    for path in (tmp_path / "gone.csv", tmp_path):
        with pytest.raises(TabularError) as info:
            read(path)
        assert info.value.code == "unreadable"


def test_error_attributes() -> None:
    error = TabularError("x", "message", a=1)
    assert (str(error), error.code, error.params, error.errors) == ("message", "x", {"a": 1}, [])


def test_legacy_xls_is_named(tmp_path: Path) -> None:
    error = failure(tmp_path, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert error.code == "unsupported_format"


# -- CSV round trip (hypothesis) ----------------------------------------------------------

_CELL_CHARS = st.one_of(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffd"),
    st.sampled_from([" ", "\t", "\n", ",", ";", '"', "\u3000", "队"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.text(_CELL_CHARS, max_size=8), min_size=3, max_size=3), max_size=12))
def test_csv_round_trip(grid: list[list[str]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["queue", "offered", "note"])
    writer.writerows(grid)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "grid.csv"
        path.write_bytes(buffer.getvalue().encode())
        table = read(path)

    def cell(value: str) -> str | None:
        return value.strip() or None

    expected = [
        (cell(a), cell(b), cell(c), number)
        for number, (a, b, c) in enumerate(grid, start=2)
        if any(cell(v) for v in (a, b, c))
    ]
    assert table.frame.select("queue", "offered", "note", ROW_COLUMN).rows() == expected


# -- format by magic bytes ------------------------------------------------------------------


def make_xlsx(path: Path, rows_: list[list[object]], *, start: str = "A1") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    first = sheet[start]
    for r, row in enumerate(rows_):
        for c, value in enumerate(row):
            sheet.cell(row=first.row + r, column=first.column + c, value=value)
    workbook.create_sheet("second")["A1"] = "not read"
    workbook.save(path)
    return path


def test_format_comes_from_magic_bytes_not_name(tmp_path: Path) -> None:
    xlsx = make_xlsx(tmp_path / "really.csv", [["queue", "offered"], ["A", 1]])
    assert read(xlsx, filename="report.csv").encoding == "xlsx"
    csv_path = write(tmp_path, b"queue,offered\nA,1\n", "fake.xlsx")
    assert read(csv_path, filename="fake.xlsx").encoding == "utf-8"


# -- XLSX ---------------------------------------------------------------------------------


def test_xlsx_values_become_strings(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "a.xlsx",
        [
            ["技能组", "进线量", "时段", "备注", "ignored"],
            ["  售前 ", 12, dt.datetime(2025, 1, 2, 9, 30), 12.5, "x"],
            ["售后", 7.0, dt.date(2025, 1, 3), True, None],
            [None, None, None, None, None],
            ["VIP", 0.1 + 0.2, dt.time(9, 15), dt.datetime(2025, 1, 2, 9, 29, 59, 999_700), "y"],
            [None, None, None, None, "only an ignored column"],
            ["big", 12345678901234, dt.datetime(2025, 1, 2), False, None],
        ],
    )
    table = read(path)
    assert table.encoding == "xlsx"
    assert table.source_columns == {
        "queue": "技能组",
        "offered": "进线量",
        "interval_start": "时段",
        "note": "备注",
    }
    assert table.frame.select("queue", "offered", "interval_start", "note", ROW_COLUMN).rows() == [
        ("售前", "12", "2025-01-02 09:30:00", "12.5", 2),
        ("售后", "7", "2025-01-03 00:00:00", "true", 3),
        ("VIP", "0.3", "09:15:00", "2025-01-02 09:30:00", 5),
        (None, None, None, None, 6),
        ("big", "12345678901234", "2025-01-02 00:00:00", "false", 7),
    ]
    assert table.frame.schema[ROW_COLUMN] == pl.Int64


def test_xlsx_dates_and_midnights(tmp_path: Path) -> None:
    # calamine hands back a datetime at midnight as a date; a column that also holds
    # times of day gets " 00:00:00" back, a column of dates stays dates.
    path = make_xlsx(
        tmp_path / "a.xlsx",
        [
            ["queue", "offered", "Interval Start", "备注"],
            ["A", 1, dt.datetime(2025, 1, 1, 0, 0), dt.date(2025, 1, 1)],
            ["A", 2, dt.datetime(2025, 1, 1, 0, 30), dt.date(2025, 1, 2)],
            ["A", 3, dt.timedelta(hours=26, minutes=5), "  "],
        ],
    )
    table = read(path)
    assert table.frame.select("interval_start", "note").rows() == [
        ("2025-01-01 00:00:00", "2025-01-01"),
        ("2025-01-01 00:30:00", "2025-01-02"),
        ("26:05:00", None),
    ]


def test_xlsx_whitespace_only_rows_are_dropped(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "a.xlsx",
        [["queue", "offered", "x"], ["A", 1, None], [" ", None, "\t"], [None, None, "kept"]],
    )
    assert read(path).frame.select("queue", ROW_COLUMN).rows() == [("A", 2), (None, 4)]


def test_nothing_mapped_still_counts_rows(tmp_path: Path) -> None:
    rows_ = [["x", "y"], [1, 2], ["  ", None], [None, 3]]
    for path in (make_xlsx(tmp_path / "a.xlsx", rows_), write(tmp_path, b"x,y\n1,2\n  ,\n,3\n")):
        table = read_table(path, columns={"queue": ["queue"]}, required=())
        assert table.frame.rows() == [(None, 2), (None, 4)]
        assert table.source_columns == {}


def test_xlsx_rows_are_spreadsheet_rows_when_data_starts_lower(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "a.xlsx", [["queue", "offered"], ["A", 1], ["B", 2]], start="C3")
    assert read(path).frame.select("queue", ROW_COLUMN).rows() == [("A", 4), ("B", 5)]


def test_xlsx_header_mapping_errors(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "a.xlsx", [["queue", "Queue "], ["A", "B"]])
    with pytest.raises(TabularError) as info:
        read(path)
    assert info.value.code == "duplicate_header"
    path = make_xlsx(tmp_path / "b.xlsx", [["queue", 2025], ["A", "B"]])
    with pytest.raises(TabularError) as info:
        read(path)
    assert info.value.code == "missing_columns"
    assert info.value.params["found"] == ["queue", "2025"]


def test_xlsx_replacement_character_is_refused(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "a.xlsx", [["queue", "offered"], ["A", 1], ["B\ufffd", 2]])
    with pytest.raises(TabularError) as info:
        read(path)
    assert info.value.code == "encoding"
    assert [(e.row, e.column, e.params) for e in info.value.errors] == [
        (3, "queue", {"cell": "A3"})
    ]


def test_xlsx_empty_sheet(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "a.xlsx", [])
    with pytest.raises(TabularError) as info:
        read(path)
    assert info.value.code == "empty"


def test_xlsx_too_many_rows(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "a.xlsx", [["queue", "offered"], ["A", 1], [], ["B", 2]])
    assert read(path, limits=Limits(max_rows=2)).frame.height == 2
    with pytest.raises(TabularError) as info:
        read(path, limits=Limits(max_rows=1))
    assert info.value.code == "too_many_rows"


def rebuild(
    src: Path,
    dst: Path,
    *,
    replace: dict[str, bytes] | None = None,
    extra: dict[str, bytes] | None = None,
    stored: bool = False,
) -> Path:
    """Copy an xlsx member by member, replacing or adding members."""
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w", method) as new:
        for info in old.infolist():
            new.writestr(info.filename, (replace or {}).get(info.filename, old.read(info)))
        for name, data in (extra or {}).items():
            new.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return dst


@pytest.fixture
def good_xlsx(tmp_path: Path) -> Path:
    return make_xlsx(tmp_path / "good.xlsx", [["queue", "offered"], ["A", 1]])


def unsafe_reason(path: Path, limits: Limits | None = None) -> object:
    with pytest.raises(TabularError) as info:
        read(path, limits=limits or Limits())
    assert info.value.code == "unsafe_xlsx", info.value
    return info.value.params["reason"]


def test_xlsx_zip_bomb_member_is_refused(tmp_path: Path, good_xlsx: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    rebuild(good_xlsx, bomb)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/media/zeros.bin", "w") as member:
            block = bytes(1024 * 1024)
            for _ in range(50):
                member.write(block)
    assert unsafe_reason(bomb) == "compression_ratio"
    assert unsafe_reason(
        bomb, Limits(max_compression_ratio=10**6, max_xlsx_uncompressed=MIB10)
    ) == ("too_large_uncompressed")


def test_xlsx_member_lying_about_its_size_is_refused(tmp_path: Path, good_xlsx: Path) -> None:
    liar = rebuild(good_xlsx, tmp_path / "liar.xlsx", extra={"xl/pad.xml": b"<a/>" * 100_000})
    data = bytearray(liar.read_bytes())
    entry = data.rfind(b"PK\x01\x02", 0, data.rfind(b"xl/pad.xml") + 1)
    struct.pack_into("<L", data, entry + 24, 1000)  # central directory: uncompressed size
    liar.write_bytes(bytes(data))
    assert unsafe_reason(liar) == "size_mismatch"


@pytest.mark.parametrize(
    "declaration",
    [b'<!DOCTYPE x [<!ENTITY a "aaaa">]>', b"<!doctype x>", b'<!ENTITY % p SYSTEM "file:///x">'],
)
def test_xlsx_dtd_in_sheet_xml_is_refused(
    tmp_path: Path, good_xlsx: Path, declaration: bytes
) -> None:
    with zipfile.ZipFile(good_xlsx) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    head, _, rest = sheet.partition(b"?>")
    bad = rebuild(
        good_xlsx,
        tmp_path / "dtd.xlsx",
        replace={"xl/worksheets/sheet1.xml": head + b"?>" + declaration + rest},
    )
    assert unsafe_reason(bad) == "dtd"


def test_xlsx_dtd_split_across_read_chunks_is_found(tmp_path: Path, good_xlsx: Path) -> None:
    member = b" " * (64 * 1024 - 4) + b"<!DOCTYPE x>"
    bad = rebuild(good_xlsx, tmp_path / "split.xlsx", extra={"xl/custom.xml": member}, stored=True)
    assert unsafe_reason(bad) == "dtd"


def test_xlsx_xml_is_recognised_by_content_not_only_name(tmp_path: Path, good_xlsx: Path) -> None:
    part = b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'
    bad = rebuild(good_xlsx, tmp_path / "dat.xlsx", extra={"xl/worksheets/sheet9.dat": part})
    assert unsafe_reason(bad) == "dtd"
    # images are never parsed: an SVG with a DOCTYPE does not sink the workbook
    ok = rebuild(good_xlsx, tmp_path / "svg.xlsx", extra={"xl/media/image1.svg": part})
    assert read(ok).frame.height == 1


def test_xlsx_utf16_xml_part_is_refused(tmp_path: Path, good_xlsx: Path) -> None:
    part = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x><a/>'.encode("utf-16")
    bad = rebuild(good_xlsx, tmp_path / "u16.xlsx", extra={"xl/custom.xml": part})
    assert unsafe_reason(bad) == "xml_encoding"


@pytest.mark.parametrize("name", ["../evil", "xl/../../evil", "/evil", "C:/evil", "a\\..\\b"])
def test_xlsx_path_like_member_names_are_refused(
    tmp_path: Path, good_xlsx: Path, name: str
) -> None:
    bad = rebuild(good_xlsx, tmp_path / "evil.xlsx", extra={name: b"x"})
    assert unsafe_reason(bad) == "member_name"


def test_xlsx_member_name_with_dots_inside_is_fine(tmp_path: Path, good_xlsx: Path) -> None:
    ok = rebuild(good_xlsx, tmp_path / "ok.xlsx", extra={"docProps/a..b.bin": b"x"})
    assert read(ok).frame.height == 1


def test_xlsx_too_many_members(tmp_path: Path, good_xlsx: Path) -> None:
    assert unsafe_reason(good_xlsx, Limits(max_zip_members=3)) == "too_many_members"


@pytest.mark.parametrize("data", [b"PK\x03\x04not really a zip", b"PK\x05\x06" + bytes(18)])
def test_not_a_workbook(tmp_path: Path, data: bytes) -> None:
    assert failure(tmp_path, data).code == "unreadable"


def test_corrupt_member_is_unreadable(tmp_path: Path, good_xlsx: Path) -> None:
    data = bytearray(good_xlsx.read_bytes())
    at = data.find(b"xl/worksheets/sheet1.xml") + len(b"xl/worksheets/sheet1.xml") + 10
    data[at : at + 20] = bytes(20)
    assert failure(tmp_path, bytes(data)).code == "unreadable"
