"""The synthetic generator: seeded, readable without reader findings, fake but valid-in-form UPNs."""

from __future__ import annotations

import random
import re
from pathlib import Path

from outstanding.returns.readers.cin import read_cin
from outstanding.returns.readers.ssda903 import read_903
from outstanding.returns.synthetic import fake_upn, upn_check_letter, write_903_folder, write_cin_xml


def test_upn_check_letter_known_example() -> None:
    # Worked example from the DfE's UPN guidance shape: weights 2..13 over the 12 characters, mod 23.
    body = "820200101001"
    total = sum(w * int(c) for w, c in enumerate(body, start=2))
    assert upn_check_letter(body) == "ABCDEFGHJKLMNPQRTUVWXYZ"[total % 23]
    upn = fake_upn(random.Random(3))
    assert re.fullmatch(r"[A-Z]\d{12}", upn) and upn[1:4] == "999"
    assert upn_check_letter(upn[1:]) == upn[0]


def test_cin_generator_is_seeded_and_readable(tmp_path: Path) -> None:
    a = write_cin_xml(tmp_path / "a.xml", 200, seed=5)
    b = write_cin_xml(tmp_path / "b.xml", 200, seed=5)
    assert a.read_bytes() == b.read_bytes()
    result = read_cin(a)
    assert result.findings.height == 0
    assert result.tables["ChildIdentifiers"].height == 200


def test_903_generator_is_readable(tmp_path: Path) -> None:
    folder = write_903_folder(tmp_path / "903", 200, seed=5)
    result = read_903(folder)
    assert result.findings.height == 0
    assert result.tables["Header"].height == 200 and result.tables["Episodes"].height >= 200
