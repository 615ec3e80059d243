"""The attendance policy comes from the ATT-08/09/10 rule values, never from code."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ccops.core.attendance import default_policy, policy_from_rules
from ccops.core.errors import InputError
from ccops.core.ruleset import DEFAULTS, check_shape

ATT08 = DEFAULTS["ATT-08"]
ATT09 = DEFAULTS["ATT-09"]
ATT10 = DEFAULTS["ATT-10"]


@pytest.mark.rule("ATT-08", "ATT-09", "ATT-10")
def test_the_defaults_read_as_the_source_says() -> None:
    policy = default_policy()
    assert [(b.up_to_minutes, b.fine) for b in policy.bands] == [
        (5, Decimal("2")),
        (10, Decimal("5")),
    ]
    assert policy.fine_above_last_band == Decimal("5.00")
    assert [(s.in_a_row, s.in_month, s.amount) for s in policy.surcharges] == [
        (3, 5, Decimal("20")),
        (5, 10, Decimal("50")),
    ]
    assert policy.half_day_after_minutes == 30
    assert (policy.fine_per_day, policy.half_day_fine) == (Decimal("50"), Decimal("25"))
    assert policy.dismissal_days == 3


@pytest.mark.rule("ATT-08")
def test_the_fine_above_the_last_band_is_a_setting() -> None:
    policy = policy_from_rules({**ATT08, "fine_above_last_band": "8"}, ATT09, ATT10)
    assert [policy.lateness_fine(m) for m in (10, 11, 30)] == [5, 8, 8]


@pytest.mark.rule("ATT-08")
def test_a_value_saved_before_the_setting_existed_still_reads() -> None:
    older = {"fines": [[5, "3"], [10, "6"]], "streak_surcharges": [[3, 5, "20"], [5, 10, "50"]]}
    check_shape(ATT08, older)
    check_shape(ATT08, {**older, "fine_above_last_band": "7"})
    assert policy_from_rules(older, ATT09, ATT10).fine_above_last_band == Decimal("6")


@pytest.mark.rule("ATT-10")
def test_half_a_day_is_rounded_half_up_to_the_cent() -> None:
    policy = policy_from_rules(ATT08, ATT09, {**ATT10, "fine_per_day": "25.25"})
    assert policy.half_day_fine == Decimal("12.63")


@pytest.mark.parametrize(
    ("rule", "value", "field"),
    [
        ("ATT-08", {**ATT08, "fines": [[10, "5"], [5, "2"]]}, "ATT-08.fines"),
        ("ATT-08", {**ATT08, "fines": []}, "ATT-08.fines"),
        ("ATT-08", {**ATT08, "fines": [[5, "-2"]]}, "ATT-08.fines"),
        ("ATT-08", {**ATT08, "fines": [[5, 2.5]]}, "ATT-08.fines"),
        ("ATT-08", {**ATT08, "streak_surcharges": [[3, "20"]]}, "ATT-08.streak_surcharges"),
        ("ATT-08", {**ATT08, "fine_above_last_band": "lots"}, "ATT-08.fine_above_last_band"),
        ("ATT-09", {"half_day_absence_after_minutes": -1}, "ATT-09.half_day_absence_after_minutes"),
        ("ATT-10", {**ATT10, "dismissal_days_per_month": 0}, "ATT-10.dismissal_days_per_month"),
        ("ATT-10", {"dismissal_days_per_month": 3}, "ATT-10.fine_per_day"),
    ],
)
def test_a_value_that_does_not_fit_names_its_field(rule: str, value: dict, field: str) -> None:
    values = {"ATT-08": ATT08, "ATT-09": ATT09, "ATT-10": ATT10, rule: value}
    with pytest.raises(InputError) as caught:
        policy_from_rules(values["ATT-08"], values["ATT-09"], values["ATT-10"])
    assert caught.value.field == field
