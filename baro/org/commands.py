"""Pieces every command module shares (org, work, workdays and later areas).

A command validates into a DomainError whose code is prefixed by its area ("org.invalid",
"work.field_required"), and records its one ledger event with the actor and, when the power
came by delegation, the person on whose behalf it acted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from baro.core.errors import DomainError
from baro.ledger.services import record_event
from baro.org.authority import Decision
from baro.org.models import Person


def record_action(
    *,
    actor: Person,
    decision: Decision | None,
    action: str,
    object_type: str,
    object_id: int | str,
    payload: dict[str, Any],
) -> None:
    """Append the command's one ledger event (inside the command's transaction)."""
    record_event(
        actor=actor.ledger_ref,
        action=action,
        object_type=object_type,
        object_id=object_id,
        payload=payload,
        on_behalf_of=decision.on_behalf_of_ref if decision else "",
    )


def clean_fields(obj: models.Model, *, area: str, exclude: Iterable[str] = ()) -> None:
    """Field validation (lengths, choices, e-mail) as a DomainError naming the first bad field."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(
            f"{area}.invalid",
            f"Giá trị không hợp lệ ở trường “{field}”: {' '.join(messages)}",
            field=field,
        ) from exc


def required_text(value: str | None, field: str, label: str, *, area: str) -> str:
    """The stripped text, or a DomainError "Chưa nhập …" on the field."""
    value = (value or "").strip()
    if not value:
        raise DomainError(f"{area}.field_required", f"Chưa nhập {label}.", field=field)
    return value
