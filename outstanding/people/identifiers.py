"""Checks for a child's identifiers: NHS number and Unique Pupil Number. Plain Python, no database."""

import re

from nhs_number import is_valid as _nhs_number_is_valid
from nhs_number.validate import calculate_checksum

from outstanding.codes.upn import UPN_LETTERS, upn_check_letter

_UPN_SHAPE = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")


def normalise_nhs_number(value: str) -> str:
    return re.sub(r"[\s-]", "", value)


def nhs_number_problem(value: str) -> str | None:
    """Why `value` is not a valid NHS number (modulus-11 check), or None if it is."""
    digits = normalise_nhs_number(value)
    if not re.fullmatch(r"\d{10}", digits):
        return "An NHS number is 10 digits, like 999 123 4560."
    if not _nhs_number_is_valid(digits):
        return "This is not a valid NHS number: check the digits (the last one is a check digit)."
    return None


def nhs_number_with_check_digit(nine_digits: str) -> str | None:
    """The full NHS number for nine digits, or None where no check digit exists (remainder 10)."""
    check = calculate_checksum(nine_digits)
    return None if check is None or check == 10 else f"{nine_digits}{check}"


def upn_problem(value: str) -> str | None:
    """Why `value` is not a valid Unique Pupil Number, or None if it is."""
    upn = value.strip().upper()
    if not _UPN_SHAPE.match(upn) or (upn[-1].isalpha() and upn[-1] not in UPN_LETTERS):
        return "A UPN is 13 characters: a check letter, 11 digits, then a digit or letter."
    if upn[0] != upn_check_letter(upn[1:]):
        return "This is not a valid UPN: the check letter doesn't match."
    return None
