"""The refusal check of the collaboration commands (coordinator inputs, guidance requests,
attachments), shared by their test modules: it also covers the rows the task check does not.
"""

from __future__ import annotations

from typing import Any

import pytest

from baro.core.errors import DomainError
from baro.testing.work import work_snapshot
from baro.work.models import Attachment, GuidanceRequest, InputRequest


def snapshot() -> dict[str, list[dict[str, object]]]:
    rows = work_snapshot()
    for model in (InputRequest, GuidanceRequest, Attachment):
        rows[model.__name__] = list(model.objects.order_by("pk").values())
    return rows


def refused(code: str, action: Any, *, error: type[Exception] = DomainError) -> DomainError:
    """Run `action`: it must raise `error` with `code` and change no row and no event."""
    before = snapshot()
    with pytest.raises(error) as info:
        action()
    assert getattr(info.value, "code", None) == code, info.value
    assert snapshot() == before
    return info.value  # type: ignore[return-value]
