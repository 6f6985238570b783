"""The DfE code tables: dated by collection year."""

import pytest

from outstanding.codes import CIN, SSDA903, year_label, year_start


def test_year_parsing() -> None:
    assert year_start("2025-26") == 2025
    assert year_label(2025) == "2025-26"
    with pytest.raises(ValueError):
        year_start("2025-27")


def test_sex_replaces_gender_from_2024_25() -> None:
    assert CIN.SEX.valid("2024-25") == {"M", "F", "U"}
    assert CIN.SEX.valid("2023-24") == frozenset()
    assert CIN.GENDER_CURRENT.valid("2023-24") == {"0", "1", "2", "9"}
    assert CIN.GENDER_CURRENT.valid("2024-25") == frozenset()


def test_z1_split_from_2025_26() -> None:
    assert "Z1" in SSDA903.PLACE.valid("2024-25")
    assert "Z11" not in SSDA903.PLACE.valid("2024-25")
    assert {"Z11", "Z12", "Z13", "Z14"} <= SSDA903.PLACE.valid("2025-26")
    assert "Z1" not in SSDA903.PLACE.valid("2026-27")
    assert "K3" in SSDA903.PLACE.valid("2024-25")
    assert "H5" not in SSDA903.PLACE.valid("2024-25") and "H5" in SSDA903.PLACE.all()


def test_factor_codes() -> None:
    factors = CIN.ASSESSMENT_FACTORS.valid("2025-26")
    assert {"1A", "1B", "1C", "21", "24A", "8F"} <= factors
    assert "18A" not in factors and "8A" not in factors
    assert CIN.LEGACY_ASSESSMENT_FACTORS.valid("2025-26") == {"18A", "19A"}


def test_accommodation_codes_carry_suitability() -> None:
    assert len(SSDA903.ACCOM.valid("2025-26")) == 30
    assert "S2" in SSDA903.ACCOM and "S1" not in SSDA903.ACCOM
    assert SSDA903.ACCOM.describe("Z1").endswith("suitable")


def test_pre_proceedings_outcomes_from_2026_27() -> None:
    assert CIN.PP_OUTCOME.valid("2026-27") == {"A", "B", "C"}
    assert CIN.PP_OUTCOME.valid("2025-26") == frozenset()
    assert CIN.PP_OUTCOME.all() == {"A", "B", "C"}
