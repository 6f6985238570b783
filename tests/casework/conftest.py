"""The people fixtures serve the casework tests too."""

from tests.people.conftest import involve, locality_teams, make_child

__all__ = ["involve", "locality_teams", "make_child"]
