"""What the registry's commands share: the ledger's object types, the before/after of each row,
the locked re-read of a unit and the small checks several commands make."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from baro.core.errors import DomainError, NotFoundError
from baro.core.timeutil import format_date
from baro.core.validation import clean_fields, required_text
from baro.org.models import (
    PATH_SEGMENT_WIDTH,
    PATH_SEPARATOR,
    Delegation,
    Person,
    Position,
    Role,
    Unit,
    UnitKind,
)

OBJ_UNIT = "org.unit"
OBJ_PERSON = "org.person"
OBJ_POSITION = "org.position"
OBJ_DELEGATION = "org.delegation"
OBJ_TOKEN = "org.api_token"  # noqa: S105 (an object type, not a secret)
OBJ_IMPORT = "org.import"

PATH_MAX_LENGTH = Unit._meta.get_field("path").max_length or 255

clean = partial(clean_fields, area="org")
required = partial(required_text, area="org")


def unit_path(parent_path: str, unit_id: int) -> str:
    """The materialised path of unit `unit_id` under a parent with path `parent_path`."""
    return f"{parent_path}{unit_id:0{PATH_SEGMENT_WIDTH}d}{PATH_SEPARATOR}"


def locked_unit(unit: Unit) -> Unit:
    """`unit` re-read with select_for_update (NotFoundError if it is gone)."""
    try:
        return Unit.objects.select_for_update().get(pk=unit.pk)
    except Unit.DoesNotExist as exc:
        raise NotFoundError(_("Không tìm thấy đơn vị.")) from exc


def ensure_active_unit(unit: Unit, day: dt.date, field: str) -> None:
    if not unit.is_active_on(day):
        raise DomainError(
            "org.unit_inactive",
            _("Đơn vị %(unit)s không còn hiệu lực vào ngày %(day)s.")
            % {"unit": unit.name, "day": format_date(day)},
            field=field,
        )


def ensure_kind(kind: str) -> str:
    if kind not in UnitKind.values:
        raise DomainError(
            "org.unit_kind_invalid",
            _("Loại đơn vị “%(kind)s” không hợp lệ.") % {"kind": kind},
            field="kind",
        )
    return kind


def ensure_role(role: str) -> str:
    if role not in Role.values:
        raise DomainError(
            "org.role_invalid", _("Vai trò “%(role)s” không hợp lệ.") % {"role": role}, field="role"
        )
    return role


def aware(value: dt.datetime, field: str) -> dt.datetime:
    if timezone.is_naive(value):
        raise DomainError("org.naive_datetime", _("Thời điểm phải có múi giờ."), field=field)
    return value


# --------------------------------------------------------------------------------------------
# the before/after the ledger records


def unit_state(unit: Unit) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "parent_id": unit.parent_id,
        "path": unit.path,
        "depth": unit.depth,
        "mandate": unit.mandate,
        "address": unit.address,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
    }


def person_state(person: Person) -> dict[str, Any]:
    return {
        "code": person.code,
        "full_name": person.full_name,
        "email": person.email,
        "phone": person.phone,
        "is_active": person.is_active,
        "user_id": person.user_id,
    }


def position_state(position: Position) -> dict[str, Any]:
    return {
        "person_id": position.person_id,
        "unit_id": position.unit_id,
        "role": position.role,
        "title": position.title,
        "valid_from": position.valid_from,
        "valid_to": position.valid_to,
        "decision_ref": position.decision_ref,
        "end_reason": position.end_reason,
    }


def delegation_state(delegation: Delegation) -> dict[str, Any]:
    return {
        "delegator_id": delegation.delegator_id,
        "delegate_id": delegation.delegate_id,
        "unit_id": delegation.unit_id,
        "powers": list(delegation.powers),
        "valid_from": delegation.valid_from,
        "valid_to": delegation.valid_to,
        "reason": delegation.reason,
        "decision_ref": delegation.decision_ref,
        "revoked_at": delegation.revoked_at,
        "revoke_reason": delegation.revoke_reason,
    }
