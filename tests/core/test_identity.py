from __future__ import annotations

import pytest

from ccops.core import identity


def test_check_digit_matches_published_example() -> None:
    # GB 11643 example: 11010519491231002X
    assert identity.national_id_check_digit("11010519491231002") == "X"
    assert identity.normalise_national_id("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize("value", ["110105194912310021", "1101051949123100", "ABCDEFGHIJKLMNOPQR"])
def test_bad_national_ids_are_refused(value: str) -> None:
    with pytest.raises(identity.IdentityError):
        identity.normalise_national_id(value)


def test_phone_normalised_and_checked() -> None:
    assert identity.normalise_phone("+86 138 1234 5678") == "13812345678"
    assert identity.normalise_phone("025-83001234") == "025-83001234"
    with pytest.raises(identity.IdentityError):
        identity.normalise_phone("12345")


def test_masks_keep_only_ends() -> None:
    assert identity.mask_phone("13812345678") == "138****5678"
    assert identity.mask_national_id("11010519491231002X") == "110***********002X"
    assert identity.mask_phone("") == ""
