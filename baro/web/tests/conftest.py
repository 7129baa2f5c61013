"""The shell's tests reuse the registry's personas (see baro/org/tests/conftest.py)."""

from __future__ import annotations

from baro.org.tests.conftest import new_person, world  # noqa: F401
