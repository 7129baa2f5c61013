"""The registry tests use the personas of baro/testing/org.py (`world`, `new_person`), with
passwords hashed fast for every test."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(fast_password_hashing: None) -> None:
    """baro.testing.org's fixture, on for every test of this package."""
