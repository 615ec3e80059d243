"""Uploaded CSV/XLSX files to validated string columns, refusing dangerous files first.

``read_table`` is the one entry point of the import pipeline for tabular uploads:

* the format comes from the file's magic bytes, never its name (the user-supplied
  name is only quoted in messages, and refused if it looks like a path);
* size limits are checked with ``os.stat`` before a byte of content is read;
* an XLSX file (a zip) is inspected member by member *before* any XML parser sees
  it: path-like member names, too many members, too many uncompressed bytes, zip
  bombs (declared and actual sizes), and ``<!DOCTYPE``/``<!ENTITY`` declarations;
* CSV text is decoded strictly (BOM, UTF-8, GB18030, else refused), so U+FFFD is
  never produced; the text is parsed by polars, with Python's ``csv`` module as
  referee when polars fails or sees short rows, so errors point at spreadsheet rows.

Every value comes back as a string (or null): typing values is the importer's job.
Errors carry a stable ``code``, a ``params`` dict and an English message.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import polars as pl
from python_calamine import CalamineWorkbook

__all__ = [
    "DEFAULT_LIMITS",
    "ROW_COLUMN",
    "Limits",
    "RowError",
    "Table",
    "TabularError",
    "detect_encoding",
    "read_table",
]

ROW_COLUMN: Final = "__row__"
MAX_ROW_ERRORS: Final = 100
MIB: Final = 1024 * 1024

_UTF8_BOM: Final = b"\xef\xbb\xbf"
_UTF16_BOMS: Final = (b"\xff\xfe", b"\xfe\xff")
_UTF8_FFFD: Final = "\ufffd".encode()
_ZIP_MAGICS: Final = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SENTINEL: Final = "\x00"  # NUL never survives decoding, so it is free to mark record ends
_DELIMITERS: Final = (",", "\t", ";")
_XML_SUFFIXES: Final = (".xml", ".rels", ".vml")
_XML_DECLARATION: Final = re.compile(rb"<!(?:doctype|entity)", re.IGNORECASE)
_CHUNK: Final = 64 * 1024
_EOCD_SEARCH: Final = 22 + 65535 + 20  # end record, longest comment, zip64 locator
_MAX_DIRECTORY_ENTRY: Final = 4096  # generous bytes per central-directory entry
_HEADER_QUOTES: Final = "\ufeff\"'`\u201c\u201d\u2018\u2019"
_HEADER_IGNORED: Final = re.compile(r"[\s_\-]+")
_MAX_SHOWN_HEADERS: Final = 30

_Cell = int | float | str | bool | dt.time | dt.date | dt.datetime | dt.timedelta


# -- public types ------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """A problem with one record (or one cell) of the file."""

    row: int  # spreadsheet row number: the header is row 1, the first data row is row 2
    column: str  # column header as in the file, "" if the problem is not column-specific
    code: str
    message: str
    params: dict[str, object] = field(default_factory=dict)


class TabularError(Exception):
    """A whole-file problem: ``code`` is a stable machine id, ``params`` feed the message.

    ``errors`` lists the offending rows (at most ``MAX_ROW_ERRORS``) when the problem
    is row-shaped, e.g. ``code == "malformed"``.
    """

    def __init__(
        self, code: str, message: str, *, errors: Sequence[RowError] = (), **params: object
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params: dict[str, object] = dict(params)
        self.errors: list[RowError] = list(errors)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Limits:
    """Upper bounds on what an upload may cost us."""

    max_bytes: int = 512 * MIB
    max_rows: int = 5_000_000
    max_xlsx_uncompressed: int = 1024 * MIB  # total uncompressed bytes of all zip members
    max_compression_ratio: int = 200  # per member, uncompressed / compressed
    max_zip_members: int = 1000
    max_columns: int = 16_384  # Excel's own limit; bounds what a single header line costs


DEFAULT_LIMITS: Final = Limits()


@dataclass(frozen=True)
class Table:
    """The parsed file.

    ``frame`` has one ``String`` column per canonical name (in the order of the
    ``columns`` mapping; null where empty or absent) and ``__row__`` (``Int64``), the
    spreadsheet row number of each record.
    """

    frame: pl.DataFrame
    encoding: str  # "utf-8", "utf-8-sig", "gb18030", "utf-16" or "xlsx"
    source_columns: dict[str, str]  # canonical name -> header as found in the file


# -- entry points ------------------------------------------------------------------


def detect_encoding(data: bytes) -> str:
    """Name the encoding of CSV bytes, or raise ``TabularError("encoding")``.

    BOM first (UTF-8 -> "utf-8-sig", UTF-16 either order -> "utf-16"), then strict
    UTF-8, then strict GB18030 (a superset of GBK and GB2312). Text that would decode
    to NUL or U+FFFD is refused, which also catches UTF-16 without a BOM.
    """
    return _decode(data, "")[0]


def read_table(
    path: str | Path,
    *,
    columns: Mapping[str, Sequence[str]],
    required: Collection[str],
    filename: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Table:
    """Read the CSV or XLSX file at ``path`` (a server-side path we chose).

    ``columns`` maps each canonical name to the headers accepted for it; the canonical
    name itself is always accepted too. ``filename`` is the name the user gave the
    upload; it is only ever quoted in messages.
    """
    spec = _ColumnSpec.build(columns, required)
    subject = _subject(filename)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise TabularError("unreadable", f"{subject} could not be opened.") from exc
    if not stat.S_ISREG(info.st_mode):
        raise TabularError("unreadable", f"{subject} is not a regular file.")
    if info.st_size > limits.max_bytes:
        raise _too_large(subject, info.st_size, limits)
    if info.st_size == 0:
        raise TabularError("empty", f"{subject} is empty.")

    try:
        with open(path, "rb") as fh:
            head = fh.read(len(_OLE_MAGIC))
    except OSError as exc:
        raise TabularError("unreadable", f"{subject} could not be opened.") from exc
    if head.startswith(_ZIP_MAGICS):
        return _read_xlsx(Path(path), spec, subject, limits)
    if head.startswith(_OLE_MAGIC):
        raise TabularError(
            "unsupported_format",
            f"{subject} is a legacy .xls or password-protected workbook; "
            "save it as .xlsx (without a password) or as CSV and upload it again.",
        )
    return _read_csv(Path(path), spec, subject, limits)


# -- file names and messages ---------------------------------------------------------


def _subject(filename: str | None) -> str:
    """'The file "x.csv"' for messages, refusing names that look like paths."""
    if not filename:
        return "The file"
    shown = _printable(filename)
    if (
        "/" in filename
        or "\\" in filename
        or ".." in filename
        or len(filename) > 255
        or any(unicodedata.category(ch) == "Cc" for ch in filename)
    ):
        raise TabularError(
            "unsafe_name",
            f'The file name "{shown}" is not allowed: rename the file without '
            "folders, '..' or control characters and upload it again.",
            filename=shown,
        )
    return f'The file "{shown}"'


def _error(code: str, message: str, params: Mapping[str, object]) -> TabularError:
    error = TabularError(code, message)
    error.params.update(params)
    return error


def _printable(text: str) -> str:
    """Text safe to echo in a message: no control characters, no U+FFFD."""
    return "".join("?" if ch == "\ufffd" or unicodedata.category(ch) == "Cc" else ch for ch in text)


def _too_large(subject: str, size: int, limits: Limits) -> TabularError:
    return TabularError(
        "too_large",
        f"{subject} is {_mib(size)}; the limit is {_mib(limits.max_bytes)}.",
        size=size,
        limit=limits.max_bytes,
    )


def _mib(size: int) -> str:
    return f"{size / MIB:.1f} MiB" if size >= MIB else f"{size} bytes"


# -- header mapping -----------------------------------------------------------------


def _clean_header(raw: str) -> str:
    """The header as a user would name it: no surrounding space, BOM or quotes."""
    text, previous = raw, None
    while text != previous:
        previous = text
        text = text.strip().strip(_HEADER_QUOTES)
    return text


def _header_key(raw: str) -> str:
    """Match key: NFKC, case-folded, spaces, underscores and hyphens ignored."""
    text = _clean_header(unicodedata.normalize("NFKC", raw)).casefold()
    return _HEADER_IGNORED.sub("", text)


@dataclass(frozen=True)
class _ColumnSpec:
    names: tuple[str, ...]
    labels: dict[str, str]  # canonical -> first alias, for messages
    lookup: dict[str, str]  # header key -> canonical
    required: frozenset[str]

    @classmethod
    def build(cls, columns: Mapping[str, Sequence[str]], required: Collection[str]) -> _ColumnSpec:
        """Validate the caller's column spec (a programming error raises ValueError)."""
        if isinstance(required, str):
            raise ValueError("required must be a collection of names, not a string")
        unknown = sorted(set(required) - set(columns))
        if unknown:
            raise ValueError(f"required names not in columns: {unknown}")
        lookup: dict[str, str] = {}
        labels: dict[str, str] = {}
        for name, aliases in columns.items():
            if isinstance(aliases, str):
                raise ValueError(f"aliases of {name!r} must be a sequence, not a string")
            if name == ROW_COLUMN:
                raise ValueError(f"{ROW_COLUMN!r} is reserved")
            labels[name] = aliases[0] if aliases else name
            for alias in (*aliases, name):
                key = _header_key(alias)
                if not key:
                    raise ValueError(f"empty header alias for {name!r}")
                if lookup.setdefault(key, name) != name:
                    raise ValueError(f"alias {alias!r} names both {lookup[key]!r} and {name!r}")
        return cls(tuple(columns), labels, lookup, frozenset(required))

    def describe(self, name: str) -> str:
        label = self.labels[name]
        return label if label == name else f"{label} ({name})"

    def map_headers(self, headers: Sequence[str], subject: str) -> dict[str, tuple[int, str]]:
        """canonical -> (column index, header as found); raises on duplicates/missing."""
        found: dict[str, tuple[int, str]] = {}
        for index, raw in enumerate(headers):
            name = self.lookup.get(_header_key(raw))
            if name is None:
                continue
            shown = _clean_header(raw)
            if name in found:
                first = found[name][1]
                raise TabularError(
                    "duplicate_header",
                    f'{subject} has two columns for "{self.describe(name)}": '
                    f'"{first}" and "{shown}". Delete or rename one of them.',
                    header=shown,
                    other=first,
                    column=name,
                )
            found[name] = (index, shown)
        missing = [name for name in self.names if name in self.required and name not in found]
        if missing:
            present = [_printable(_clean_header(h)) for h in headers if _clean_header(h)]
            listed = present[:_MAX_SHOWN_HEADERS]
            listed += ["…"] if len(present) > _MAX_SHOWN_HEADERS else []
            raise TabularError(
                "missing_columns",
                f"{subject} lacks required column(s): "
                + ", ".join(self.describe(name) for name in missing)
                + ". Expected columns: "
                + ", ".join(self.describe(name) for name in self.names)
                + ". Found: "
                + (", ".join(listed) or "none")
                + ".",
                missing=missing,
                expected=[(name, self.labels[name]) for name in self.names],
                found=present,
            )
        return found


# -- encodings -----------------------------------------------------------------------


def _decode(data: bytes, subject: str) -> tuple[str, bytes]:
    """(encoding name, the text as UTF-8 bytes without BOM); strict, never U+FFFD."""
    subject = subject or "The file"
    if data.startswith(_UTF8_BOM):
        body = data[len(_UTF8_BOM) :]
        if _valid_utf8(body):
            _refuse_nul_fffd(body, subject, "utf-8-sig")
            return "utf-8-sig", body
        raise _encoding_error(subject, "invalid_utf8_after_bom")
    if data.startswith(_UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _encoding_error(subject, "invalid_utf16") from exc
        body = text.encode("utf-8")
        _refuse_nul_fffd(body, subject, "utf-16")
        return "utf-16", body
    if b"\x00" in data:
        hint = "utf16_without_bom" if data.count(b"\x00") * 4 >= len(data) else "nul_bytes"
        raise _encoding_error(subject, hint)
    if _valid_utf8(data):
        _refuse_nul_fffd(data, subject, "utf-8")
        return "utf-8", data
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise _encoding_error(subject, "unknown") from exc
    body = text.encode("utf-8")
    _refuse_nul_fffd(body, subject, "gb18030")
    return "gb18030", body


def _valid_utf8(data: bytes) -> bool:
    """Strict UTF-8 check in slices, so no full-size str is built only to be dropped."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(view), _CHUNK * 16):
            decoder.decode(view[start : start + _CHUNK * 16])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _refuse_nul_fffd(body: bytes, subject: str, encoding: str) -> None:
    if b"\x00" in body:
        raise _encoding_error(subject, "nul_bytes", encoding=encoding)
    if _UTF8_FFFD in body:
        raise _encoding_error(subject, "replacement_character", encoding=encoding)


_ENCODING_HINTS: Final = {
    "utf16_without_bom": "it looks like UTF-16 without a byte-order mark",
    "nul_bytes": "it contains NUL bytes, so it is probably not a text file",
    "replacement_character": "it contains U+FFFD replacement characters, "
    "the trace of an earlier failed conversion",
    "invalid_utf8_after_bom": "it starts with a UTF-8 byte-order mark but is not valid UTF-8",
    "invalid_utf16": "it starts with a UTF-16 byte-order mark but is not valid UTF-16",
    "unknown": "it is neither UTF-8 nor GB18030/GBK text",
}


def _encoding_error(subject: str, reason: str, **params: object) -> TabularError:
    return _error(
        "encoding",
        f"{subject} could not be read as text: {_ENCODING_HINTS[reason]}. "
        "Save it as CSV UTF-8 (or as .xlsx) and upload it again.",
        {"reason": reason, **params},
    )


# -- CSV -------------------------------------------------------------------------------


def _read_csv(path: Path, spec: _ColumnSpec, subject: str, limits: Limits) -> Table:
    try:
        with open(path, "rb") as fh:
            data = fh.read(limits.max_bytes + 1)  # the file may have grown since os.stat
    except OSError as exc:
        raise TabularError("unreadable", f"{subject} could not be read.") from exc
    if len(data) > limits.max_bytes:
        raise _too_large(subject, len(data), limits)
    encoding, body = _decode(data, subject)
    del data  # the copies below are big enough
    if b"\r" in body:
        # CRLF (and old-Mac CR) line ends become LF, also inside quoted values.
        body = body.replace(b"\r\n", b"\n") if b"\n" in body else body.replace(b"\r", b"\n")
    body, skipped = _skip_blank_lines(body)
    if not body:
        raise TabularError("empty", f"{subject} has no rows.")
    first_line = body[: body.find(b"\n")] if b"\n" in body else body
    sep = _sniff_delimiter(first_line)
    if first_line.count(sep.encode()) + 1 > limits.max_columns:
        raise _too_many_columns(subject, first_line.count(sep.encode()) + 1, limits)
    first_row = skipped + 1

    headers = _read_header(body, sep, first_row, subject)
    mapping = spec.map_headers(headers, subject)  # a wrong file is told so before parsing

    marked = _Marked.of(body, sep)
    del body  # only the marked copy stays alive while polars parses
    parsed = _parse_with_polars(marked, first_row)
    if parsed is None or len(parsed[0]) != len(headers):
        parsed = _parse_with_csv(marked.text(), sep, first_row, subject)
    del marked
    wanted = sorted({f"c{index}" for index, _ in mapping.values()})
    frame = _normalise_frame(parsed[1], wanted)
    del parsed
    return _assemble(frame, mapping, spec, encoding, subject, limits)


def _normalise_frame(raw: pl.DataFrame, wanted: list[str]) -> pl.DataFrame:
    """The wanted columns, stripped, empty values null, blank records dropped.

    Only columns that need it are rewritten: a 1M-row file would otherwise be copied
    twice more, and most columns need nothing.
    """
    columns = [c for c in raw.columns if c != ROW_COLUMN]
    blank = pl.all_horizontal(
        pl.col(c).is_null() | pl.col(c).str.contains(r"^\s*$") for c in columns
    )
    frame = raw.select(ROW_COLUMN, *wanted)
    if columns and raw.select(blank.any()).item():
        frame = frame.filter(~raw.select(blank).to_series())
    if not wanted:
        return frame
    needs = frame.select(pl.col(c).str.contains(r"^\s|\s$|^$").any() for c in wanted).row(0)
    dirty = [c for c, flag in zip(wanted, needs, strict=True) if flag]
    return frame.with_columns(_normalise(c) for c in dirty) if dirty else frame


def _read_header(body: bytes, sep: str, first_row: int, subject: str) -> list[str]:
    """The first record, read by the csv module without decoding the whole body."""
    text = io.TextIOWrapper(io.BytesIO(body), encoding="utf-8", newline="")
    try:
        return next(csv.reader(text, delimiter=sep, quotechar='"', strict=True))
    except csv.Error as exc:
        error = _quote_error(first_row, str(exc))
        raise TabularError(
            "malformed",
            f"{subject} has a malformed header: {error.message}",
            errors=[error],
            count=1,
            first_row=first_row,
        ) from exc


def _skip_blank_lines(body: bytes) -> tuple[bytes, int]:
    """Drop leading lines holding only blanks or delimiters; count them for row numbers."""
    start = skipped = 0
    blank = b" \t" + "".join(_DELIMITERS).encode()
    while start < len(body):
        end = body.find(b"\n", start)
        stop = len(body) if end < 0 else end
        if body[start:stop].strip(blank):
            break
        skipped += 1
        start = stop + 1
    return (body[start:] if start else body), skipped


def _sniff_delimiter(first_line: bytes) -> str:
    """Comma unless the header line clearly uses tabs (Excel "Unicode text") or semicolons."""
    counts = {sep: first_line.count(sep.encode()) for sep in _DELIMITERS}
    return max(_DELIMITERS, key=lambda sep: counts[sep])  # ties go to the comma


@dataclass
class _Marked:
    """The CSV body with a sentinel field added to every line (see _parse_with_polars)."""

    data: bytes
    lines: int
    sep: str

    @classmethod
    def of(cls, body: bytes, sep: str) -> _Marked:
        if not body.endswith(b"\n"):
            body += b"\n"
        return cls(body.replace(b"\n", cls.marker(sep).encode()), body.count(b"\n"), sep)

    @staticmethod
    def marker(sep: str) -> str:
        return sep + _SENTINEL + "\n"

    def text(self) -> str:
        """The original body again, for the slow path."""
        return self.data.replace(self.marker(self.sep).encode(), b"\n").decode("utf-8")


def _parse_with_polars(marked: _Marked, first_row: int) -> tuple[list[str], pl.DataFrame] | None:
    """Fast path: (headers, raw data frame) or None when the csv module must referee.

    polars silently pads records that have too *few* fields with nulls (only too many
    fields raise), so every line gets an extra sentinel field before parsing: a record
    whose sentinel column is null was short. Quoted values spanning lines get a
    sentinel inside them too; it is taken out again afterwards.
    """
    sep, marker = marked.sep, _Marked.marker(marked.sep)
    try:
        frame = pl.read_csv(
            marked.data,
            has_header=False,
            separator=sep,
            quote_char='"',
            eol_char="\n",
            infer_schema=False,
            truncate_ragged_lines=False,
            raise_if_empty=False,
        )
    except (Exception, pl.exceptions.PanicException):
        return None
    if frame.width < 2 or frame.height == 0:
        return None
    sentinel = frame.columns[-1]
    data_columns = frame.columns[:-1]
    if frame.height != marked.lines:  # some quoted values span lines
        marked_columns = frame.select(
            pl.col(c).str.contains(_SENTINEL, literal=True).any() for c in data_columns
        ).row(0)
        frame = frame.with_columns(
            pl.col(c).str.replace_all(marker, "\n", literal=True)
            for c, marked_column in zip(data_columns, marked_columns, strict=True)
            if marked_column
        )
    frame = frame.with_row_index(ROW_COLUMN, offset=first_row)
    if frame.get_column(sentinel).null_count():
        short = pl.col(sentinel).is_null()
        blank = pl.all_horizontal(
            pl.col(c).is_null() | (pl.col(c) == _SENTINEL) | (pl.col(c).str.strip_chars() == "")
            for c in data_columns
        )
        if frame.select((short & ~blank).any()).item():
            return None  # a record with too few fields: the csv module will say where
        frame = frame.filter(~short)  # blank lines: one empty field, nothing to lose
    headers = ["" if h is None else h for h in frame.row(0)[1:-1]]
    raw = (
        frame.lazy()
        .slice(1)
        .select(
            pl.col(ROW_COLUMN).cast(pl.Int64),
            *(pl.col(c).alias(f"c{i}") for i, c in enumerate(data_columns)),
        )
    )
    return headers, raw.collect()


def _parse_with_csv(
    text: str, sep: str, first_row: int, subject: str
) -> tuple[list[str], pl.DataFrame]:
    """Referee and slow path, for when polars failed or saw records with too few fields.

    The csv module rewrites the text, properly quoted, and polars parses that: this
    reads a stray quote inside an unquoted value (which polars refuses) literally, as
    the csv module and Excel do. Blank records of the wrong length are emptied. If a
    record has the wrong number of fields, or the csv module stumbles on a quote,
    ``_diagnose`` lists the problems instead.
    """
    clean = io.StringIO()
    try:
        csv.writer(clean, delimiter=sep, quotechar='"', lineterminator="\n").writerows(
            _checked_records(text, sep)
        )
    except (csv.Error, _RaggedRecord):
        _diagnose(text, sep, first_row, subject)
        raise  # not reached: _diagnose meets the same problem and raises
    parsed = _parse_with_polars(_Marked.of(clean.getvalue().encode(), sep), first_row)
    if parsed is None:  # not expected: this is the csv module's own output
        raise TabularError("malformed", f"{subject} could not be parsed as CSV.", count=0)
    return parsed


class _RaggedRecord(Exception):
    """A record with the wrong number of fields: stop and let _diagnose report it."""


def _checked_records(text: str, sep: str) -> Iterator[list[str]]:
    reader = _csv_reader(text, sep)
    header = next(reader, None)
    if header is None:
        return
    yield header
    width = len(header)
    for fields in reader:
        if len(fields) == width:
            yield fields
        elif any(value.strip() for value in fields):
            raise _RaggedRecord
        else:
            yield []  # a blank record keeps its place (and so the row numbers after it)


def _csv_reader(text: str, sep: str) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(text, newline=""), delimiter=sep, quotechar='"', strict=True)


def _diagnose(text: str, sep: str, first_row: int, subject: str) -> None:
    """Raise ``TabularError("malformed")`` listing ragged records and quote errors."""
    errors: list[RowError] = []
    problems = 0
    width = 0
    row = first_row
    try:
        for row, fields in enumerate(_csv_reader(text, sep), start=first_row):
            if row == first_row:
                width = len(fields)
            elif len(fields) != width and any(value.strip() for value in fields):
                problems += 1
                if len(errors) < MAX_ROW_ERRORS:
                    errors.append(_ragged(row, width, len(fields)))
    except csv.Error as exc:
        problems += 1
        errors.append(_quote_error(row + 1 if width else first_row, str(exc)))
    if errors:
        first = errors[0].row
        raise TabularError(
            "malformed",
            f"{subject} has {problems} malformed row(s); {errors[0].message}",
            errors=errors,
            count=problems,
            first_row=first,
        )


def _ragged(row: int, expected: int, found: int) -> RowError:
    side = "more" if found > expected else "fewer"
    return RowError(
        row=row,
        column="",
        code="ragged_row",
        message=f"row {row} has {found} fields, {side} than the {expected} columns of the "
        "header. Check for a stray or missing delimiter, or an unquoted comma in a value.",
        params={"expected": expected, "found": found},
    )


def _quote_error(row: int, detail: str) -> RowError:
    if "unexpected end of data" in detail or "field larger than field limit" in detail:
        return RowError(
            row=row,
            column="",
            code="unclosed_quote",
            message=f'row {row} opens a quoted value (") that is never closed.',
        )
    return RowError(
        row=row,
        column="",
        code="bad_quote",
        message=f'row {row} has a quote (") in the wrong place: a quoted value must be '
        'followed by a delimiter or the end of the line; write a literal quote as "".',
    )


def _too_many_columns(subject: str, found: int, limits: Limits) -> TabularError:
    return TabularError(
        "too_many_columns",
        f"{subject} has {found} columns; the limit is {limits.max_columns}.",
        found=found,
        limit=limits.max_columns,
    )


def _normalise(column: str) -> pl.Expr:
    """Surrounding whitespace stripped; empty becomes null."""
    value = pl.col(column).str.strip_chars()
    return pl.when(value.str.len_bytes() > 0).then(value).alias(column)


# -- the shared tail --------------------------------------------------------------------


def _assemble(
    frame: pl.DataFrame,
    mapping: Mapping[str, tuple[int, str]],
    spec: _ColumnSpec,
    encoding: str,
    subject: str,
    limits: Limits,
) -> Table:
    """Rename mapped ``c<index>`` columns to canonical names, add absent optional ones."""
    if frame.height > limits.max_rows:
        raise _too_many_rows(subject, f"{frame.height:,}", limits, rows=frame.height)
    selected = [
        pl.col(f"c{mapping[name][0]}").alias(name)
        if name in mapping
        else pl.lit(None, dtype=pl.String).alias(name)
        for name in spec.names
    ]
    result = frame.select(*selected, pl.col(ROW_COLUMN))
    return Table(
        frame=result,
        encoding=encoding,
        source_columns={name: mapping[name][1] for name in spec.names if name in mapping},
    )


def _too_many_rows(subject: str, count: str, limits: Limits, **params: object) -> TabularError:
    return _error(
        "too_many_rows",
        f"{subject} has {count} rows; the limit is {limits.max_rows:,}. "
        "Split it into smaller files.",
        {"limit": limits.max_rows, **params},
    )


# -- XLSX -------------------------------------------------------------------------------


def _read_xlsx(path: Path, spec: _ColumnSpec, subject: str, limits: Limits) -> Table:
    _inspect_zip(path, subject, limits)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        try:
            if not workbook.sheet_names:
                raise TabularError("empty", f"{subject} has no worksheets.")
            sheet = workbook.get_sheet_by_index(0)
            if sheet.width > limits.max_columns:
                raise _too_many_columns(subject, sheet.width, limits)
            start = sheet.start
            rows = sheet.to_python(skip_empty_area=True) if start is not None else []
        finally:
            workbook.close()
    except TabularError:
        raise
    except Exception as exc:  # the Rust reader raises several unrelated types
        raise _unreadable_xlsx(subject) from exc
    if start is None or not rows:
        raise TabularError("empty", f"{subject}: the first worksheet is empty.")

    first_row, first_column = start[0] + 1, start[1]
    headers = [_cell_text(cell) for cell in rows[0]]
    for index, header in enumerate(headers):
        if "\ufffd" in header or "\x00" in header:
            raise _bad_cell(subject, first_row, "", first_column + index)
    mapping = spec.map_headers(headers, subject)
    wanted = sorted({index for index, _ in mapping.values()})
    body = rows[1:]
    width = max(map(len, rows))
    if any(len(cells) != width for cells in body):  # calamine pads rows; be sure
        body = [cells + [""] * (width - len(cells)) for cells in body]
    # Rows of empty cells are skipped here; rows of whitespace-only cells further down.
    kept = [k for k, cells in enumerate(body) if cells.count("") != width]
    if len(kept) > limits.max_rows:  # (whitespace-only rows count here; they are rare)
        raise _too_many_rows(subject, f"more than {limits.max_rows:,}", limits)
    frame = pl.DataFrame(
        [pl.Series(ROW_COLUMN, [first_row + 1 + k for k in kept], dtype=pl.Int64)]
        + [
            pl.Series(f"c{i}", _column_texts([body[k][i] for k in kept]), dtype=pl.String)
            for i in wanted
        ]
    ).with_columns(_normalise(f"c{index}") for index in wanted)
    blank = frame.filter(
        pl.all_horizontal(pl.lit(True), *(pl.col(f"c{i}").is_null() for i in wanted))
    )
    if blank.height:
        empty = [
            number
            for number in blank.get_column(ROW_COLUMN).to_list()
            if all(
                isinstance(cell, str) and not cell.strip() for cell in body[number - first_row - 1]
            )
        ]
        frame = frame.filter(~pl.col(ROW_COLUMN).is_in(empty))
    del rows, body
    for index, header in mapping.values():
        bad = frame.filter(pl.col(f"c{index}").str.contains("[\ufffd\x00]"))
        if bad.height:
            row = int(bad.get_column(ROW_COLUMN)[0])
            raise _bad_cell(subject, row, header, first_column + index)
    columns_order = [ROW_COLUMN, *(f"c{i}" for i in wanted)]
    return _assemble(frame.select(columns_order), mapping, spec, "xlsx", subject, limits)


def _bad_cell(subject: str, row: int, header: str, column: int) -> TabularError:
    letter = _column_letter(column)
    error = RowError(
        row=row,
        column=_printable(header),
        code="bad_character",
        message=f"cell {letter}{row} contains a NUL or U+FFFD replacement character, "
        "the trace of an earlier failed conversion.",
        params={"cell": f"{letter}{row}"},
    )
    return TabularError(
        "encoding",
        f"{subject} contains damaged text: {error.message} Fix the cell and upload again.",
        errors=[error],
        reason="replacement_character",
    )


def _column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _column_texts(cells: list[_Cell]) -> list[str]:
    """A column of calamine cells as text, like ``_cell_text`` but faster per column.

    calamine turns a datetime at midnight into a date: in a column that also has times
    of day, the midnights get theirs back, so that the column has one format.
    """
    kinds = set(map(type, cells))
    if kinds <= {str, float}:
        return [_float_text(cell) if isinstance(cell, float) else str(cell) for cell in cells]
    texts = [cell if isinstance(cell, str) else _cell_text(cell) for cell in cells]
    if dt.datetime in kinds and dt.date in kinds:
        for position, cell in enumerate(cells):
            if type(cell) is dt.date:
                texts[position] += " 00:00:00"
    return texts


def _float_text(cell: float) -> str:
    if cell.is_integer() and abs(cell) < 1e16:
        return str(int(cell))
    return f"{cell:.15g}"  # Excel shows 15 significant digits; this hides float noise


def _cell_text(cell: object) -> str:
    """One calamine cell as text; whole numbers without '.0', dates in ISO form."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float):
        return _float_text(cell)
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, dt.datetime):
        return _round_seconds(cell).isoformat(" ", "seconds")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, dt.time):
        moment = _round_seconds(dt.datetime.combine(dt.date(2000, 1, 1), cell))
        return moment.time().isoformat("seconds")
    if isinstance(cell, dt.timedelta):
        seconds = round(cell.total_seconds())
        sign, seconds = ("-", -seconds) if seconds < 0 else ("", seconds)
        return f"{sign}{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return str(cell)


def _round_seconds(moment: dt.datetime) -> dt.datetime:
    if not moment.microsecond:
        return moment
    rounded = moment.replace(microsecond=0)
    if moment.microsecond >= 500_000:
        rounded += dt.timedelta(seconds=1)
    return rounded


def _unreadable_xlsx(subject: str) -> TabularError:
    return TabularError(
        "unreadable",
        f"{subject} starts like an .xlsx workbook but could not be read; "
        "open it in Excel, save it again as .xlsx or CSV, and upload it again.",
    )


def _unsafe(subject: str, reason: str, detail: str, **params: object) -> TabularError:
    return _error(
        "unsafe_xlsx",
        f"{subject} was refused as unsafe ({detail}). Open it in Excel, save it again "
        "as .xlsx or CSV, and upload it again.",
        {"reason": reason, **params},
    )


def _unsafe_member_name(name: str) -> bool:
    parts = re.split(r"[/\\]", name)
    return (
        not name
        or name.startswith(("/", "\\"))
        or re.match(r"[A-Za-z]:", name) is not None
        or ".." in parts
        or "\x00" in name
    )


def _inspect_zip(path: Path, subject: str, limits: Limits) -> None:
    """Refuse zip tricks before any XML parser sees the workbook.

    Declared sizes are checked first (member count, total, per-member ratio); then every
    member is inflated in bounded chunks to verify that its actual size and CRC match
    what it declares, and XML members are scanned for DTD declarations.
    """
    try:
        _check_directory_size(path, subject, limits)
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _unreadable_xlsx(subject) from exc
    if len(members) > limits.max_zip_members:
        raise _too_many_members(subject, len(members), limits)
    seen: set[str] = set()
    total = 0
    for member in members:
        name = member.orig_filename
        if _unsafe_member_name(name) or _unsafe_member_name(member.filename):
            raise _unsafe(
                subject,
                "member_name",
                "an archive member has a path-like name",
                member=_printable(name),
            )
        if name in seen:
            raise _unsafe(
                subject,
                "duplicate_member",
                "two archive members share a name",
                member=_printable(name),
            )
        seen.add(name)
        if member.flag_bits & 0x1:
            raise _unsafe(subject, "encrypted", "an archive member is encrypted")
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _unsafe(
                subject, "compression", "an unusual compression method", method=member.compress_type
            )
        total += member.file_size
        if total > limits.max_xlsx_uncompressed:
            raise _unsafe(
                subject,
                "too_large_uncompressed",
                f"more than {_mib(limits.max_xlsx_uncompressed)} uncompressed",
                limit=limits.max_xlsx_uncompressed,
            )
        if member.file_size > MIB and (
            member.compress_size == 0
            or member.file_size > member.compress_size * limits.max_compression_ratio
        ):
            raise _unsafe(
                subject,
                "compression_ratio",
                f"a member expands more than {limits.max_compression_ratio} times",
                member=_printable(name),
                limit=limits.max_compression_ratio,
            )
    try:
        with open(path, "rb") as fh:
            for member in members:
                _scan_member(fh, member, subject)
    except (OSError, zlib.error, struct.error) as exc:
        raise _unreadable_xlsx(subject) from exc


def _check_directory_size(path: Path, subject: str, limits: Limits) -> None:
    """Bound the central directory before ``zipfile`` turns every entry into an object.

    ``zipfile`` walks the directory by its byte size, not its entry count, so both are
    read from the end-of-central-directory record (zip64 included) and checked.
    """
    size = path.stat().st_size
    with open(path, "rb") as fh:
        fh.seek(max(0, size - _EOCD_SEARCH))
        tail = fh.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < 22:
            raise _unreadable_xlsx(subject)
        _, _, _, _, entries, directory, _, _ = struct.unpack("<4s4H2LH", tail[at : at + 22])
        if entries == 0xFFFF or directory == 0xFFFFFFFF:
            locator = tail[at - 20 : at] if at >= 20 else b""
            if not locator.startswith(b"PK\x06\x07"):
                raise _unreadable_xlsx(subject)
            fh.seek(struct.unpack("<Q", locator[8:16])[0])
            record = fh.read(56)
            if len(record) != 56 or not record.startswith(b"PK\x06\x06"):
                raise _unreadable_xlsx(subject)
            entries, directory = struct.unpack("<2Q", record[32:48])
    if entries > limits.max_zip_members:
        raise _too_many_members(subject, entries, limits)
    if directory > limits.max_zip_members * _MAX_DIRECTORY_ENTRY:
        raise _unsafe(subject, "directory_size", "an oversized archive directory", size=directory)


def _too_many_members(subject: str, members: int, limits: Limits) -> TabularError:
    return _unsafe(
        subject,
        "too_many_members",
        f"{members} archive members, the limit is {limits.max_zip_members}",
        members=members,
    )


def _scan_member(fh: io.BufferedReader, member: zipfile.ZipInfo, subject: str) -> None:
    """Inflate one member in chunks: true size and CRC as declared, no DTD in XML."""
    fh.seek(member.header_offset)
    local = fh.read(30)
    if len(local) != 30 or not local.startswith(b"PK\x03\x04"):
        raise _unreadable_xlsx(subject)
    name_length, extra_length = struct.unpack("<HH", local[26:30])
    fh.seek(member.header_offset + 30 + name_length + extra_length)
    name = member.filename.lower()
    is_xml = name.endswith(_XML_SUFFIXES)
    produced = 0
    crc = 0
    tail = b""
    for chunk in _inflate(fh, member, subject):
        if produced == 0 and not name.startswith("xl/media/"):
            # calamine follows relationships, not file names: sniff XML by content too
            is_xml = is_xml or chunk.lstrip(b" \t\r\n").removeprefix(_UTF8_BOM).startswith(b"<")
        if is_xml and produced == 0 and (chunk.startswith(_UTF16_BOMS) or b"\x00" in chunk[:4]):
            raise _unsafe(
                subject,
                "xml_encoding",
                "an XML part is not UTF-8",
                member=_printable(member.filename),
            )
        produced += len(chunk)
        if produced > member.file_size:
            raise _unsafe(
                subject,
                "size_mismatch",
                "a member is larger than it declares",
                member=_printable(member.filename),
            )
        crc = zlib.crc32(chunk, crc)
        if is_xml:
            window = tail + chunk
            if _XML_DECLARATION.search(window):
                raise _unsafe(
                    subject,
                    "dtd",
                    "an XML part declares a DOCTYPE or ENTITY",
                    member=_printable(member.filename),
                )
            tail = window[-16:]
    if produced != member.file_size or crc != member.CRC:
        raise _unreadable_xlsx(subject)


def _inflate(fh: io.BufferedReader, member: zipfile.ZipInfo, subject: str) -> Iterator[bytes]:
    """The member's bytes in chunks of at most ``_CHUNK``, whatever its compression."""
    remaining = member.compress_size
    inflater = zlib.decompressobj(-15) if member.compress_type == zipfile.ZIP_DEFLATED else None
    while remaining > 0:
        chunk = fh.read(min(_CHUNK, remaining))
        if not chunk:
            raise _unreadable_xlsx(subject)
        remaining -= len(chunk)
        if inflater is None:
            yield chunk
            continue
        while chunk and not inflater.eof:
            out = inflater.decompress(chunk, _CHUNK)
            if out:
                yield out
            chunk = inflater.unconsumed_tail
    if inflater is not None and not inflater.eof:
        raise _unreadable_xlsx(subject)
