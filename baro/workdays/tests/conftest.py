"""Fixtures of the calendar tests: the registry's personas (`world`, `new_person` from
baro/testing/org.py) with passwords hashed fast, and a clean calendar cache around every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from baro.workdays import calendar


@pytest.fixture(autouse=True)
def fast_password_hashing(fast_password_hashing: None) -> None:
    """baro.testing.org's fixture, on for every test of this package."""


@pytest.fixture(autouse=True)
def fresh_calendar_cache() -> Iterator[None]:
    # Each test rolls its rows back, which no on_commit hook sees: start and end clean.
    calendar.invalidate()
    yield
    calendar.invalidate()
