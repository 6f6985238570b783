"""NHS numbers (modulus 11) and UPNs (DfE check letter), without a database."""

import pytest

from outstanding.people.identifiers import (
    nhs_number_problem,
    nhs_number_with_check_digit,
    upn_check_letter,
    upn_problem,
)


@pytest.mark.parametrize("number", ["9434765919", "943 476 5919", "943-476-5919", "9999913733"])
def test_valid_nhs_numbers(number):
    assert nhs_number_problem(number) is None


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("9434765918", "not a valid NHS number"),  # wrong check digit
        ("943476591", "10 digits"),
        ("94347659190", "10 digits"),
        ("94347G5919", "10 digits"),
    ],
)
def test_invalid_nhs_numbers(number, message):
    assert message in nhs_number_problem(number)


def test_check_digit_is_computed_and_ten_means_no_number():
    assert nhs_number_with_check_digit("943476591") == "9434765919"
    assert all(
        nhs_number_with_check_digit(n) is None or nhs_number_problem(nhs_number_with_check_digit(n)) is None
        for n in (f"999{i:06d}" for i in range(0, 2000, 7))
    )


def test_upn_check_letter_round_trip():
    body = "201123410001"
    upn = upn_check_letter(body) + body
    assert upn_problem(upn) is None
    assert upn_problem(upn.lower()) is None  # typed in lower case is still that UPN


@pytest.mark.parametrize(
    ("upn", "message"),
    [
        ("A201123410001", "check letter doesn't match"),
        ("J20112341000", "13 characters"),
        ("120112341000A", "13 characters"),
        ("J20112341000I", "13 characters"),  # I is never used in a UPN
    ],
)
def test_invalid_upns(upn, message):
    assert message in upn_problem(upn)


def test_temporary_upn_ending_in_a_letter():
    body = "20112341000A"
    assert upn_problem(upn_check_letter(body) + body) is None
