import pytest

from casebook.home.seed import load_initial_content


@pytest.fixture
def seeded(db):
    """The full seed content: for the smoke test and the seed-fact tests only."""
    return load_initial_content()
