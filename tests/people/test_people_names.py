"""Name keys for spelling-tolerant search, without a database."""

import pytest

from outstanding.people.names import fold, likeness, sound_key, split_query


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Jon", "John"),
        ("Smyth", "Smith"),
        ("Mohammed", "Muhammad"),
        ("Catherine", "Katherine"),
        ("O'Brien", "OBrien"),
    ],
)
def test_names_that_sound_alike_share_a_key(a, b):
    assert sound_key(a) == sound_key(b)


def test_different_names_differ():
    assert sound_key("Smith") != sound_key("Jones")
    assert sound_key("") == ""


def test_fold():
    assert fold("Zoë O'Brien-Smith") == "zoeobriensmith"


def test_split_query():
    assert split_query("Jon Smyth") == ("Jon", "Smyth")
    assert split_query("  smyth ") == ("", "smyth")
    assert split_query("Mary Ann Jones") == ("Mary", "Jones")
    assert split_query("") == ("", "")
    assert split_query("Smith, John") == ("John", "Smith")
    assert split_query("Smyth,Jon") == ("Jon", "Smyth")


def test_likeness_ranks_closer_spellings_higher():
    assert likeness("Smyth", "Smith") > likeness("Smyth", "Smithers")
