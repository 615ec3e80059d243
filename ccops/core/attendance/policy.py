"""The fine amounts and thresholds of ATT-08, ATT-09 and ATT-10, read from the rule values.

Nothing in the attendance maths knows a number of its own: every amount, band and
threshold comes from an ``AttendancePolicy`` built from the rule values (the shape of
``DEFAULTS["ATT-08"]`` etc. in ``ccops.core.ruleset``), so a center's override of a rule
is what gets applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ccops.core.errors import InputError
from ccops.core.ruleset import DEFAULTS, JSON

CENT = Decimal("0.01")


def money(amount: Decimal) -> Decimal:
    """An amount rounded half-up to the cent, the way fines are paid."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class FineBand:
    """A lateness or early leave of at most ``up_to_minutes`` minutes costs ``fine``."""

    up_to_minutes: int
    fine: Decimal


@dataclass(frozen=True)
class Surcharge:
    """ATT-08: ``amount`` once a month when ``in_a_row`` scheduled days in a row have an
    incident, or when the month has ``in_month`` incidents, whichever comes first."""

    in_a_row: int
    in_month: int
    amount: Decimal


@dataclass(frozen=True)
class AttendancePolicy:
    """The attendance fine rules in force (ATT-08, ATT-09, ATT-10).

    Attributes:
        bands: lateness/early-leave fines by minutes, ascending (ATT-08 ``fines``).
        fine_above_last_band: the fine past the last band up to the half-day threshold
            (ATT-08 ``fine_above_last_band``; the source is silent, null = last band's fine).
        surcharges: monthly surcharges (ATT-08 ``streak_surcharges``), each paid once.
        half_day_after_minutes: later or earlier than this is a half-day absence (ATT-09).
        fine_per_day: the fine for a day of absence; a half day pays half (ATT-10).
        dismissal_days: absence days in a month that flag dismissal (ATT-10).
    """

    bands: tuple[FineBand, ...]
    fine_above_last_band: Decimal
    surcharges: tuple[Surcharge, ...]
    half_day_after_minutes: int
    fine_per_day: Decimal
    dismissal_days: Decimal

    @property
    def half_day_fine(self) -> Decimal:
        """Half the day's absence fine, rounded half-up to the cent."""
        return money(self.fine_per_day / 2)

    def lateness_fine(self, minutes: int) -> Decimal:
        """The ATT-08 fine for ``minutes`` (1 up to the half-day threshold) late or early."""
        for band in self.bands:
            if minutes <= band.up_to_minutes:
                return band.fine
        return self.fine_above_last_band

    def band_label(self, minutes: int) -> str:
        """The band ``minutes`` falls in, as a clerk would name it: ``up to 5 min``."""
        for band in self.bands:
            if minutes <= band.up_to_minutes:
                return f"up to {band.up_to_minutes} min"
        above = self.bands[-1].up_to_minutes + 1
        return f"{above}-{self.half_day_after_minutes} min"

    def is_half_day(self, minutes: int) -> bool:
        """Whether being ``minutes`` late or early is a half-day absence (ATT-09)."""
        return minutes > self.half_day_after_minutes


def policy_from_rules(
    att08: Mapping[str, JSON], att09: Mapping[str, JSON], att10: Mapping[str, JSON]
) -> AttendancePolicy:
    """The policy of three rule values (defaults, or a center's overrides).

    A value saved before ``fine_above_last_band`` existed has no such key: it reads as
    null, the last band's fine.

    Raises:
        InputError: a value that does not fit (field ``ATT-08.fines`` etc.).
    """
    bands = _bands(_get(att08, "ATT-08", "fines"))
    above = att08.get("fine_above_last_band")
    return AttendancePolicy(
        bands=bands,
        fine_above_last_band=(
            bands[-1].fine if above is None else _amount(above, "ATT-08.fine_above_last_band")
        ),
        surcharges=_surcharges(_get(att08, "ATT-08", "streak_surcharges")),
        half_day_after_minutes=_count(
            _get(att09, "ATT-09", "half_day_absence_after_minutes"),
            "ATT-09.half_day_absence_after_minutes",
            low=0,
        ),
        fine_per_day=_amount(_get(att10, "ATT-10", "fine_per_day"), "ATT-10.fine_per_day"),
        dismissal_days=_days(
            _get(att10, "ATT-10", "dismissal_days_per_month"), "ATT-10.dismissal_days_per_month"
        ),
    )


def default_policy() -> AttendancePolicy:
    """The policy of the rule defaults in ``ccops.core.ruleset``."""
    return policy_from_rules(DEFAULTS["ATT-08"], DEFAULTS["ATT-09"], DEFAULTS["ATT-10"])


def _get(value: Mapping[str, JSON], rule: str, key: str) -> JSON:
    if key not in value:
        raise InputError(f"{rule}.{key}", None, "missing", "the rule value has no such key")
    return value[key]


def _bands(raw: JSON) -> tuple[FineBand, ...]:
    field = "ATT-08.fines"
    pairs = _rows(raw, field, 2)
    bands = tuple(
        FineBand(_count(minutes, field, low=1), _amount(fine, field)) for minutes, fine in pairs
    )
    if not bands:
        raise InputError(field, raw, "missing", "needs at least one band")
    limits = [band.up_to_minutes for band in bands]
    if limits != sorted(set(limits)):
        raise InputError(field, raw, "out_of_range", "band minutes must rise strictly")
    return bands


def _surcharges(raw: JSON) -> tuple[Surcharge, ...]:
    field = "ATT-08.streak_surcharges"
    return tuple(
        Surcharge(_count(row, field, low=1), _count(month, field, low=1), _amount(amount, field))
        for row, month, amount in _rows(raw, field, 3)
    )


def _rows(raw: JSON, field: str, width: int) -> list[list[JSON]]:
    if not isinstance(raw, list) or any(
        not isinstance(item, list) or len(item) != width for item in raw
    ):
        raise InputError(field, raw, "out_of_range", f"must be a list of {width}-item lists")
    return raw


def _count(raw: JSON, field: str, *, low: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < low:
        raise InputError(field, raw, "out_of_range", f"must be a whole number >= {low}")
    return raw


def _amount(raw: JSON, field: str) -> Decimal:
    """Money from a rule value: text like "20" (ints too); never through float."""
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise InputError(field, raw, "not_numeric", 'money must be text like "20"')
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise InputError(field, raw, "not_numeric", "not an amount of money") from None
    if not amount.is_finite() or amount < 0:
        raise InputError(field, raw, "out_of_range", "must be an amount of at least 0")
    return money(amount)


def _days(raw: JSON, field: str) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise InputError(field, raw, "not_numeric", "must be a number of days")
    try:
        days = Decimal(str(raw))
    except InvalidOperation:
        raise InputError(field, raw, "not_numeric", "must be a number of days") from None
    if not days.is_finite() or days <= 0:
        raise InputError(field, raw, "out_of_range", "must be above 0")
    return days
