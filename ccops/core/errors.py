"""The one error type of the planning maths: bad input, naming the field and the value."""

from __future__ import annotations


class InputError(ValueError):
    """An input to a planning calculation is out of its domain.

    Attributes:
        field: the input's name as the caller knows it (``calls``, ``aht``, ``interval_start``).
        value: the offending value, as given.
        code: a stable key (``negative``, ``not_numeric``, ``not_positive``, ``misaligned``,
            ``too_short``, ``out_of_range``, ``missing``) that the app layer translates.
        reason: an English sentence for logs and the CLI.
        row: 1-based data row of a file or array element, when there is one.
    """

    def __init__(
        self, field: str, value: object, code: str, reason: str, *, row: int | None = None
    ) -> None:
        self.field = field
        self.value = value
        self.code = code
        self.reason = reason
        self.row = row
        where = f"row {row}: " if row is not None else ""
        super().__init__(f"{where}{field}={value!r}: {reason}")
