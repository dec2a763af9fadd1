"""Fixtures for the form engine: a fixed today (the engine never reads the clock) and the
built-in gazetteer; tests.walks answers a form step by step."""

from __future__ import annotations

from datetime import date

import pytest

from harmwatch.places.gazetteer import builtin_gazetteer
from tests.walks import TODAY, answer_all  # noqa: F401  (the form tests import them from here)


@pytest.fixture(scope="session")
def syria():
    return builtin_gazetteer()


@pytest.fixture
def today() -> date:
    return TODAY
