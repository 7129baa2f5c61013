"""Fixtures of the calendar tests: the registry's personas (reused from baro.org), a clean
calendar cache around every test, and a refusal check that also covers the calendar's rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from baro.org.tests.conftest import (  # noqa: F401 (fixtures, registered by import)
    World,
    fast_password_hashing,
    new_person,
    registry_snapshot,
    world,
)
from baro.workdays import calendar
from baro.workdays.models import CalendarOverride


@pytest.fixture(autouse=True)
def fresh_calendar_cache() -> Iterator[None]:
    # Each test rolls its rows back, which no on_commit hook sees: start and end clean.
    calendar.invalidate()
    yield
    calendar.invalidate()


def snapshot() -> dict[str, list[dict[str, object]]]:
    rows = registry_snapshot()
    rows["CalendarOverride"] = list(CalendarOverride.objects.order_by("pk").values())
    return rows


def assert_refused(code: str, action: Callable[[], Any]) -> Any:
    """Run `action`; it must raise a DomainError with `code` and change nothing at all."""
    from baro.core.errors import DomainError

    before = snapshot()
    with pytest.raises(DomainError) as info:
        action()
    assert info.value.code == code, info.value.message
    assert snapshot() == before
    return info.value


__all__ = ["World", "assert_refused", "snapshot"]
