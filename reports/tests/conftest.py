import pytest

from reports.tests.dataset import build_may_2022


@pytest.fixture
def may_2022(db):
    """The hand-counted dataset of May 2022 (see dataset.py)."""
    return build_may_2022()
