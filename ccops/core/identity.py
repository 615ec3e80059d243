"""Personal identifiers: validation of Chinese national ID and phone numbers, and masking.

Masking is what every page, export and API response shows unless the viewer may reveal.
"""

from __future__ import annotations

import re

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
_PHONE_PATTERN = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")


class IdentityError(ValueError):
    """A personal identifier that cannot be valid; `code` names which check failed."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def national_id_check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits of a resident ID."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def normalise_national_id(value: str) -> str:
    """Upper-cased 18-character resident ID; raises IdentityError if malformed."""
    text = value.strip().upper()
    if not _ID_PATTERN.match(text):
        raise IdentityError(
            "national_id_format", "national ID must be 17 digits followed by a digit or X"
        )
    if national_id_check_digit(text[:17]) != text[17]:
        raise IdentityError("national_id_check", "national ID check digit does not match")
    return text


def normalise_phone(value: str) -> str:
    """A mainland mobile (11 digits) or landline number; raises IdentityError otherwise."""
    text = re.sub(r"[\s()]", "", value.strip())
    if text.startswith("+86"):
        text = text[3:]
    if not _PHONE_PATTERN.match(text):
        raise IdentityError(
            "phone_format", "phone must be an 11-digit mobile or a landline with area code"
        )
    return text


def mask_phone(value: str) -> str:
    """Keep the first 3 and last 4 characters: 138****5678."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_national_id(value: str) -> str:
    """Keep the first 3 and last 4 characters of an ID number."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
