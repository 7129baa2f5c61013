"""The calendar's refusal check: the registry's check (baro.testing.org) widened to the
calendar's own rows, so that a refused calendar command is seen to change nothing at all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from baro.testing.org import registry_snapshot
from baro.workdays.models import CalendarOverride


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
