"""Call arrivals for the demo center, shaped like a real call center's week.

The shape comes from the 1999 call log of an anonymous Israeli bank (6-minute arrival
counts for a whole year, published for queueing research). ``aggregate_bank_csv``
turns that log into the average calls per weekday and 30-minute slot, which ships as
``samples/bank_1999_weekly_profile.csv``; ``CenterProfile`` maps it onto a Chinese
week. The bank worked Sunday to Thursday, so its Sunday-Thursday become our
Monday-Friday; its Friday was a half day and its Saturday closed until dusk, so our
weekend keeps only their volume (Friday's share for Saturday, the Friday/Saturday
average for Sunday) with the weekday intraday shape. Statutory holidays (from the
``chinese_calendar`` package) get Sunday's volume; the make-up working days around
them get Monday's.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import chinese_calendar
import numpy as np

SLOT_MINUTES = 30
SLOT_SECONDS = SLOT_MINUTES * 60
SLOTS_PER_DAY = 24 * 60 // SLOT_MINUTES
OPEN_FROM_SLOT = 16  # 08:00: the agents' hours; night calls stay in the IVR
OPEN_TO_SLOT = 42  # 21:00 (exclusive)
OPEN_SLOTS = np.arange(OPEN_FROM_SLOT, OPEN_TO_SLOT)
PROFILE_PATH = Path(__file__).with_name("samples") / "bank_1999_weekly_profile.csv"
YEARLY_GROWTH = 0.06  # the gentle upward trend of the history, per year


def aggregate_bank_csv(path: Path) -> np.ndarray:
    """Average calls per (bank ISO weekday - 1, 30-minute slot) from the 6-minute log.

    Each day's 6-minute counts are summed into its 30-minute slots and averaged over
    all days that fell on the same weekday; the result has shape (7, 48).
    """
    totals = np.zeros((7, SLOTS_PER_DAY))
    days: dict[int, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            stamp = dt.datetime.fromisoformat(row["interval_start"])
            weekday = stamp.weekday()
            totals[weekday, (stamp.hour * 60 + stamp.minute) // SLOT_MINUTES] += int(row["calls"])
            days[weekday].add(row["interval_start"][:10])
    counts = np.array([len(days[w]) for w in range(7)], dtype=float)
    return totals / counts[:, None]


def write_profile(profile: np.ndarray, path: Path = PROFILE_PATH) -> None:
    """Store the averaged weekly profile (7 x 48) as CSV: weekday, slot start, mean calls."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["bank_weekday", "slot_start", "mean_calls"])
        for weekday in range(7):
            for slot in range(SLOTS_PER_DAY):
                minutes = slot * SLOT_MINUTES
                writer.writerow(
                    [
                        weekday + 1,
                        f"{minutes // 60:02d}:{minutes % 60:02d}",
                        f"{profile[weekday, slot]:.4f}",
                    ]
                )


def read_profile(path: Path = PROFILE_PATH) -> np.ndarray:
    """The shipped weekly profile, shape (7, 48), rows Monday..Sunday of the bank's week."""
    profile = np.zeros((7, SLOTS_PER_DAY))
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            hours, minutes = row["slot_start"].split(":")
            slot = (int(hours) * 60 + int(minutes)) // SLOT_MINUTES
            profile[int(row["bank_weekday"]) - 1, slot] = float(row["mean_calls"])
    return profile


@dataclass(frozen=True)
class CenterProfile:
    """Relative daily volume per weekday and intraday shape, on the center's calendar.

    ``levels[w]`` is day w's volume (Monday=0) relative to the average Monday-Friday;
    ``shapes[w]`` its share of calls per open slot (sums to 1 over OPEN_SLOTS).
    """

    levels: np.ndarray
    shapes: np.ndarray

    @classmethod
    def from_bank(cls, bank: np.ndarray) -> CenterProfile:
        """Map the bank's Sunday-Thursday week onto Monday-Friday (see module docstring)."""
        mon, tue, wed, thu, fri, sat, sun = range(7)
        business = [sun, mon, tue, wed, thu]  # the bank's week, in our Monday..Friday order
        daily = bank.sum(axis=1)
        weekday_mean = daily[business].mean()
        open_part = bank[:, OPEN_SLOTS]
        weekday_shapes = open_part[business] / open_part[business].sum(axis=1, keepdims=True)
        average_shape = weekday_shapes.mean(axis=0)
        levels = np.array(
            [
                *(daily[business] / weekday_mean),
                daily[fri] / weekday_mean,
                (daily[fri] + daily[sat]) / 2 / weekday_mean,
            ]
        )
        shapes = np.vstack([weekday_shapes, average_shape, average_shape])
        return cls(levels=levels, shapes=shapes)

    def day_pattern(self, day: dt.date) -> tuple[float, np.ndarray]:
        """(relative volume, intraday shape) for a calendar day, holidays included."""
        kind = day_kind(day)
        if kind == DayKind.HOLIDAY:
            return float(self.levels[6]), self.shapes[6]
        if kind == DayKind.MAKEUP_WORKDAY:
            return float(self.levels[0]), self.shapes[0]
        return float(self.levels[day.weekday()]), self.shapes[day.weekday()]


@cache
def center_profile() -> CenterProfile:
    return CenterProfile.from_bank(read_profile())


class DayKind:
    """What kind of day the calendar says it is (plain strings, for cheap comparisons)."""

    WEEKDAY = "weekday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"  # statutory holiday (法定节假日), weekends inside it included
    MAKEUP_WORKDAY = "makeup"  # weekend day worked to bridge a holiday (调休上班)


@cache
def day_kind(day: dt.date) -> str:
    """Classify a day; years the calendar package does not cover fall back to weekdays."""
    weekend = day.weekday() >= 5
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return DayKind.WEEKEND if weekend else DayKind.WEEKDAY
    if on_holiday and name is not None:
        return DayKind.HOLIDAY
    if weekend and not on_holiday:
        return DayKind.MAKEUP_WORKDAY
    return DayKind.WEEKEND if weekend else DayKind.WEEKDAY


def expected_calls(
    day: dt.date, *, weekday_volume: float, today: dt.date, day_noise: float
) -> np.ndarray:
    """Expected arrivals per open slot for one queue and day (before Poisson noise)."""
    level, shape = center_profile().day_pattern(day)
    trend = 1 + YEARLY_GROWTH * (day - today).days / 365
    return weekday_volume * level * trend * day_noise * shape
