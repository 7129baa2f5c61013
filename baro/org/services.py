"""Commands of the organisation registry: the only code that changes units, people, positions,
delegations and API tokens.

Every public command is keyword-only, takes the acting `actor: Person`, runs in its own durable
transaction, authorises first (authority.require), re-reads the rows its decision depends on with
select_for_update, validates (DomainError with a stable code, a Vietnamese message and the field
at fault), writes, and appends exactly one ledger event with the before/after of the change.

Each public command is a thin durable wrapper around a private `_…` function so that a command
built from others (head_replace, unit_merge, bootstrap_installation) runs them in one transaction.

Who may create a root unit (parent=None): Baro's system actor, or someone holding
registry.manage over an existing root (an installation administrator). Nobody else: a root is
outside every subtree, so no lower power can reach it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from baro.core.errors import AuthorityError, ConflictError, DomainError, NotFoundError
from baro.core.timeutil import format_date, now, today
from baro.core.validation import clean_fields, required_text
from baro.ledger.services import record_action, record_event
from baro.org import authority
from baro.org.api_auth import hash_token
from baro.org.authority import Decision, Power
from baro.org.importer import CHUNK, ImportPlan, ImportResult, check_plan, parse_rows
from baro.org.models import (
    PATH_SEGMENT_WIDTH,
    PATH_SEPARATOR,
    ApiToken,
    Delegation,
    Person,
    Position,
    Role,
    SuccessionKind,
    Unit,
    UnitKind,
    UnitSuccession,
    system_person,
)
from baro.org.queries import subtree_q

OBJ_UNIT = "org.unit"
OBJ_PERSON = "org.person"
OBJ_POSITION = "org.position"
OBJ_DELEGATION = "org.delegation"
OBJ_TOKEN = "org.api_token"  # noqa: S105 (an object type, not a secret)
OBJ_IMPORT = "org.import"

PATH_MAX_LENGTH = Unit._meta.get_field("path").max_length or 255

__all__ = [
    "api_token_issue",
    "api_token_revoke",
    "bootstrap_installation",
    "delegation_grant",
    "delegation_revoke",
    "head_replace",
    "org_import",
    "person_create",
    "person_update",
    "position_appoint",
    "position_end",
    "unit_close",
    "unit_create",
    "unit_merge",
    "unit_move",
    "unit_path",
    "unit_update",
]


# --------------------------------------------------------------------------------------------
# helpers


_clean = partial(clean_fields, area="org")
_required = partial(required_text, area="org")
_event = record_action


def unit_path(parent_path: str, unit_id: int) -> str:
    """The materialised path of unit `unit_id` under a parent with path `parent_path`."""
    return f"{parent_path}{unit_id:0{PATH_SEGMENT_WIDTH}d}{PATH_SEPARATOR}"


def _locked_unit(unit: Unit) -> Unit:
    try:
        return Unit.objects.select_for_update().get(pk=unit.pk)
    except Unit.DoesNotExist as exc:
        raise NotFoundError("Không tìm thấy đơn vị.") from exc


def _require_active_unit(unit: Unit, day: dt.date, field: str) -> None:
    if not unit.is_active_on(day):
        raise DomainError(
            "org.unit_inactive",
            f"Đơn vị {unit.name} không còn hiệu lực vào ngày {format_date(day)}.",
            field=field,
        )


def _unit_state(unit: Unit) -> dict[str, Any]:
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


def _person_state(person: Person) -> dict[str, Any]:
    return {
        "code": person.code,
        "full_name": person.full_name,
        "email": person.email,
        "phone": person.phone,
        "is_active": person.is_active,
        "user_id": person.user_id,
    }


def _position_state(position: Position) -> dict[str, Any]:
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


def _delegation_state(delegation: Delegation) -> dict[str, Any]:
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


def _require_manage(actor: Person, unit: Unit) -> Decision:
    return authority.require(actor, Power.REGISTRY_MANAGE, unit)


def _ensure_kind(kind: str) -> str:
    if kind not in UnitKind.values:
        raise DomainError(
            "org.unit_kind_invalid", f"Loại đơn vị “{kind}” không hợp lệ.", field="kind"
        )
    return kind


def _ensure_role(role: str) -> str:
    if role not in Role.values:
        raise DomainError("org.role_invalid", f"Vai trò “{role}” không hợp lệ.", field="role")
    return role


def _aware(value: dt.datetime, field: str) -> dt.datetime:
    if timezone.is_naive(value):
        raise DomainError("org.naive_datetime", "Thời điểm phải có múi giờ.", field=field)
    return value


# --------------------------------------------------------------------------------------------
# units


def _unit_create(
    *,
    actor: Person,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None = None,
    short_name: str = "",
    mandate: str = "",
    address: str = "",
    valid_from: dt.date | None = None,
    _record: bool = True,
) -> Unit:
    if parent is None:
        decision = authority.require_root_creator(actor)
    else:
        decision = _require_manage(actor, parent)
        parent = _locked_unit(parent)
    valid_from = valid_from or today()
    code = _required(code, "code", "mã đơn vị")
    name = _required(name, "name", "tên đơn vị")
    _ensure_kind(kind)
    if parent is not None:
        _require_active_unit(parent, valid_from, "parent")
    if Unit.objects.filter(code=code).exists():
        raise ConflictError(
            "org.unit_code_taken", f"Mã đơn vị “{code}” đã được dùng.", field="code"
        )
    if parent is not None and len(parent.path) + PATH_SEGMENT_WIDTH + 1 > PATH_MAX_LENGTH:
        raise DomainError("org.unit_too_deep", "Cây đơn vị quá sâu.", field="parent")
    unit = Unit(
        code=code,
        name=name,
        short_name=short_name.strip(),
        kind=kind,
        parent=parent,
        path="",
        depth=0 if parent is None else parent.depth + 1,
        mandate=mandate,
        address=address,
        valid_from=valid_from,
    )
    _clean(unit, exclude=["path", "parent"])
    try:
        with transaction.atomic():
            unit.save(force_insert=True)
    except IntegrityError as exc:
        raise ConflictError(
            "org.unit_code_taken", f"Mã đơn vị “{code}” đã được dùng.", field="code"
        ) from exc
    unit.path = unit_path(parent.path if parent else "", unit.pk)
    unit.save(update_fields=["path"])
    if not _record:
        return unit
    _event(
        actor=actor,
        decision=decision,
        action="org.unit.created",
        object_type=OBJ_UNIT,
        object_id=unit.pk,
        payload={"before": None, "after": _unit_state(unit)},
    )
    return unit


@transaction.atomic
def unit_create(
    *,
    actor: Person,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None = None,
    short_name: str = "",
    mandate: str = "",
    address: str = "",
    valid_from: dt.date | None = None,
) -> Unit:
    """Create a unit under `parent` (or a root: see the module docstring)."""
    return _unit_create(
        actor=actor,
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        short_name=short_name,
        mandate=mandate,
        address=address,
        valid_from=valid_from,
    )


@transaction.atomic
def unit_update(
    *,
    actor: Person,
    unit: Unit,
    name: str | None = None,
    short_name: str | None = None,
    kind: str | None = None,
    mandate: str | None = None,
    address: str | None = None,
) -> Unit:
    """Change a unit's descriptive fields (registry.manage over the unit)."""
    decision = _require_manage(actor, unit)
    unit = _locked_unit(unit)
    before = _unit_state(unit)
    changed: list[str] = []
    if name is not None:
        unit.name = _required(name, "name", "tên đơn vị")
        changed.append("name")
    if short_name is not None:
        unit.short_name = short_name.strip()
        changed.append("short_name")
    if kind is not None:
        unit.kind = _ensure_kind(kind)
        changed.append("kind")
    if mandate is not None:
        unit.mandate = mandate
        changed.append("mandate")
    if address is not None:
        unit.address = address
        changed.append("address")
    if not changed:
        raise DomainError("org.nothing_to_change", "Không có thay đổi nào.")
    _clean(unit, exclude=["parent"])
    unit.save(update_fields=changed)
    _event(
        actor=actor,
        decision=decision,
        action="org.unit.updated",
        object_type=OBJ_UNIT,
        object_id=unit.pk,
        payload={"before": before, "after": _unit_state(unit), "fields": changed},
    )
    return unit


@transaction.atomic
def unit_move(*, actor: Person, unit: Unit, new_parent: Unit) -> Unit:
    """Move `unit` (and its whole subtree) under `new_parent`.

    Needs registry.manage over the old parent (over the unit itself if it was a root) and over
    the new parent. The subtree's paths and depths are rewritten by one UPDATE.
    """
    unit = _locked_unit(unit)
    old_parent = unit.parent
    decision = _require_manage(actor, old_parent if old_parent is not None else unit)
    decision_new = _require_manage(actor, new_parent)
    new_parent = _locked_unit(new_parent)
    day = today()
    _require_active_unit(unit, day, "unit")
    _require_active_unit(new_parent, day, "new_parent")
    if new_parent.path.startswith(unit.path):
        raise DomainError(
            "org.unit_cycle",
            f"Không thể chuyển {unit.name} vào {new_parent.name}: "
            "đơn vị cấp trên mới nằm trong chính cây đơn vị được chuyển.",
            field="new_parent",
        )
    if new_parent.pk == unit.parent_id:
        raise DomainError(
            "org.nothing_to_change",
            f"{unit.name} đã trực thuộc {new_parent.name}.",
            field="new_parent",
        )
    old_path = unit.path
    new_path = unit_path(new_parent.path, unit.pk)
    subtree = Unit.objects.filter(subtree_q(old_path))
    deepest = subtree.aggregate(m=models.Max(models.functions.Length("path")))["m"] or 0
    if deepest - len(old_path) + len(new_path) > PATH_MAX_LENGTH:
        raise DomainError("org.unit_too_deep", "Cây đơn vị quá sâu.", field="new_parent")
    before = _unit_state(unit)
    delta = new_parent.depth + 1 - unit.depth
    moved = subtree.update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + delta,
    )
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
    unit.refresh_from_db()
    _event(
        actor=actor,
        decision=decision if decision.on_behalf_of_ref else decision_new,
        action="org.unit.moved",
        object_type=OBJ_UNIT,
        object_id=unit.pk,
        payload={
            "before": before,
            "after": _unit_state(unit),
            "old_parent_id": old_parent.pk if old_parent else None,
            "new_parent_id": new_parent.pk,
            "units_moved": moved,
        },
    )
    return unit


def _close_one(
    *,
    actor: Person,
    unit: Unit,
    on: dt.date,
    successor: Unit | None,
    kind: str,
    decision_ref: str,
    note: str,
) -> tuple[Decision, dict[str, Any]]:
    """Close `unit` on `on` (no event): returns the authority decision and the change."""
    decision = _require_manage(actor, unit.parent if unit.parent_id else unit)
    unit = _locked_unit(unit)
    if unit.valid_to is not None and unit.valid_to <= today():
        raise DomainError("org.unit_closed", f"Đơn vị {unit.name} đã hết hiệu lực.", field="unit")
    if on <= unit.valid_from:
        raise DomainError(
            "org.unit_close_before_start",
            f"Ngày kết thúc phải sau ngày đơn vị {unit.name} bắt đầu hiệu lực "
            f"({format_date(unit.valid_from)}).",
            field="on",
        )
    active_children = Unit.objects.filter(parent=unit).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on)
    )
    if active_children.exists():
        names = ", ".join(active_children.values_list("name", flat=True)[:5])
        raise DomainError(
            "org.unit_has_children",
            f"Đơn vị {unit.name} còn đơn vị trực thuộc đang hoạt động ({names}): "
            "chuyển hoặc kết thúc chúng trước.",
            field="unit",
        )
    if successor is not None:
        if successor.pk == unit.pk or successor.path.startswith(unit.path):
            raise DomainError(
                "org.successor_invalid",
                "Đơn vị kế thừa không được là chính đơn vị hay đơn vị trực thuộc của nó.",
                field="successor",
            )
        _require_active_unit(successor, on, "successor")
    kind = kind or SuccessionKind.DISSOLVED
    if kind not in SuccessionKind.values:
        raise DomainError(
            "org.succession_kind_invalid", f"Hình thức “{kind}” không hợp lệ.", field="kind"
        )
    current = Position.objects.select_for_update().filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on), unit=unit
    )
    positions = list(current)
    if any(position.valid_from >= on for position in positions):
        raise DomainError(
            "org.unit_close_future_positions",
            f"Đơn vị {unit.name} có chức vụ bắt đầu từ ngày {format_date(on)} trở đi.",
            field="on",
        )
    before = _unit_state(unit)
    unit.valid_to = on
    unit.save(update_fields=["valid_to"])
    ended = [position.pk for position in positions]
    Position.objects.filter(pk__in=ended).update(
        valid_to=on, end_reason=f"Đơn vị kết thúc hoạt động ngày {format_date(on)}"
    )
    succession_id = None
    if successor is not None:
        succession = UnitSuccession.objects.create(
            predecessor=unit,
            successor=successor,
            kind=kind,
            effective_on=on,
            decision_ref=decision_ref,
            note=note,
        )
        succession_id = succession.pk
    change = {
        "unit_id": unit.pk,
        "before": before,
        "after": _unit_state(unit),
        "positions_ended": ended,
        "successor_id": successor.pk if successor else None,
        "succession_id": succession_id,
        "kind": kind,
        "decision_ref": decision_ref,
        "note": note,
    }
    return decision, change


@transaction.atomic
def unit_close(
    *,
    actor: Person,
    unit: Unit,
    on: dt.date,
    successor: Unit | None = None,
    kind: str = SuccessionKind.DISSOLVED,
    decision_ref: str = "",
    note: str = "",
) -> Unit:
    """Close (dissolve) a unit on `on`; its current positions end that day.

    Refuses a unit that still has active children (`org.unit_has_children`). With a successor,
    records the succession so that older tasks and scores carry over.
    """
    decision, change = _close_one(
        actor=actor,
        unit=unit,
        on=on,
        successor=successor,
        kind=kind,
        decision_ref=decision_ref,
        note=note,
    )
    _event(
        actor=actor,
        decision=decision,
        action="org.unit.closed",
        object_type=OBJ_UNIT,
        object_id=unit.pk,
        payload=change,
    )
    unit.refresh_from_db()
    return unit


@transaction.atomic
def unit_merge(
    *, actor: Person, units: Sequence[Unit], into: Unit, on: dt.date, decision_ref: str = ""
) -> Unit:
    """Merge `units` into `into` on `on`: each closes with `into` as successor (one event)."""
    decision = _require_manage(actor, into)
    if not units:
        raise DomainError("org.merge_empty", "Chưa chọn đơn vị để hợp nhất.", field="units")
    if len({unit.pk for unit in units}) != len(units):
        raise DomainError("org.merge_duplicate", "Một đơn vị được chọn hai lần.", field="units")
    changes = []
    for unit in units:
        _, change = _close_one(
            actor=actor,
            unit=unit,
            on=on,
            successor=into,
            kind=SuccessionKind.MERGED,
            decision_ref=decision_ref,
            note="",
        )
        changes.append(change)
    _event(
        actor=actor,
        decision=decision,
        action="org.unit.merged",
        object_type=OBJ_UNIT,
        object_id=into.pk,
        payload={
            "into_id": into.pk,
            "on": on,
            "decision_ref": decision_ref,
            "merged": changes,
        },
    )
    into.refresh_from_db()
    return into


# --------------------------------------------------------------------------------------------
# people and positions


def _position_appoint(
    *,
    actor: Person,
    decision: Decision,
    person: Person,
    unit: Unit,
    role: str,
    title: str,
    valid_from: dt.date,
    decision_ref: str,
) -> Position:
    """Insert a current position (no authority check, no event): the callers do both."""
    _ensure_role(role)
    _require_active_unit(unit, valid_from, "unit")
    if person.is_system:
        raise DomainError(
            "org.person_is_system", "Tác nhân hệ thống không giữ chức vụ.", field="person"
        )
    if not person.is_active:
        raise DomainError(
            "org.person_inactive", f"{person.full_name} không còn công tác.", field="person"
        )
    if role == Role.HEAD:
        head = (
            Position.objects.select_related("person")
            .filter(unit=unit, role=Role.HEAD, valid_to__isnull=True)
            .first()
        )
        if head is not None:
            raise ConflictError(
                "org.head_exists",
                f"Đơn vị {unit.name} đã có người đứng đầu ({head.person.full_name}). "
                "Dùng “Thay người đứng đầu” để bổ nhiệm người khác.",
                field="role",
            )
    if Position.objects.filter(person=person, unit=unit, role=role, valid_to__isnull=True).exists():
        raise ConflictError(
            "org.position_exists",
            f"{person.full_name} đang giữ vai trò {Role(role).label} tại {unit.name}.",
            field="role",
        )
    position = Position(
        person=person,
        unit=unit,
        role=role,
        title=title.strip(),
        valid_from=valid_from,
        decision_ref=decision_ref,
    )
    _clean(position, exclude=["person", "unit"])
    try:
        with transaction.atomic():
            position.save(force_insert=True)
    except IntegrityError as exc:  # a concurrent appointment won the race
        raise ConflictError(
            "org.head_exists" if role == Role.HEAD else "org.position_exists",
            f"Đơn vị {unit.name} vừa có thay đổi chức vụ đồng thời; hãy tải lại và thử lại.",
            field="role",
        ) from exc
    return position


def _person_create(
    *,
    actor: Person,
    unit: Unit,
    full_name: str,
    code: str,
    email: str = "",
    phone: str = "",
    username: str | None = None,
    password: str | None = None,
    role: str | None = None,
    title: str = "",
    valid_from: dt.date | None = None,
    _record: bool = True,
) -> Person:
    decision = _require_manage(actor, unit)
    unit = _locked_unit(unit)
    valid_from = valid_from or today()
    full_name = _required(full_name, "full_name", "họ và tên")
    code = _required(code, "code", "mã cán bộ")
    if Person.objects.filter(code=code).exists():
        raise ConflictError(
            "org.person_code_taken", f"Mã cán bộ “{code}” đã được dùng.", field="code"
        )
    person = Person(full_name=full_name, code=code, email=(email or "").strip(), phone=phone or "")
    _clean(person, exclude=["user"])
    user_model = get_user_model()
    if username:
        username = username.strip()
        if user_model.objects.filter(username=username).exists():
            raise ConflictError(
                "org.username_taken", f"Tên đăng nhập “{username}” đã được dùng.", field="username"
            )
        if not password:
            raise DomainError("org.field_required", "Chưa nhập mật khẩu.", field="password")
        try:
            validate_password(password)
        except ValidationError as exc:
            raise DomainError(
                "org.password_invalid", " ".join(exc.messages), field="password"
            ) from exc
    elif password:
        raise DomainError(
            "org.field_required", "Có mật khẩu nhưng chưa có tên đăng nhập.", field="username"
        )
    if role is not None:
        _ensure_role(role)
        _require_active_unit(unit, valid_from, "unit")
    if username:
        user = user_model(username=username, email=person.email)
        user.set_password(password)
        user.save()
        person.user = user
    person.save(force_insert=True)
    position = None
    if role is not None:
        position = _position_appoint(
            actor=actor,
            decision=decision,
            person=person,
            unit=unit,
            role=role,
            title=title,
            valid_from=valid_from,
            decision_ref="",
        )
    if not _record:
        return person
    _event(
        actor=actor,
        decision=decision,
        action="org.person.created",
        object_type=OBJ_PERSON,
        object_id=person.pk,
        payload={
            "before": None,
            "after": _person_state(person),
            "username": username or "",
            "unit_id": unit.pk,
            "position_id": position.pk if position else None,
            "position": _position_state(position) if position else None,
        },
    )
    return person


@transaction.atomic
def person_create(
    *,
    actor: Person,
    unit: Unit,
    full_name: str,
    code: str,
    email: str = "",
    phone: str = "",
    username: str | None = None,
    password: str | None = None,
    role: str | None = None,
    title: str = "",
    valid_from: dt.date | None = None,
) -> Person:
    """Register a person in `unit`'s registry (registry.manage over `unit`).

    With `username` a Django user with a hashed password is created; with `role` the first
    position in `unit` is appointed in the same command. One event.
    """
    return _person_create(
        actor=actor,
        unit=unit,
        full_name=full_name,
        code=code,
        email=email,
        phone=phone,
        username=username,
        password=password,
        role=role,
        title=title,
        valid_from=valid_from,
    )


@transaction.atomic
def person_update(
    *,
    actor: Person,
    person: Person,
    full_name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    is_active: bool | None = None,
) -> Person:
    """Change a person's details (registry.manage over a unit where they hold a position)."""
    decision = authority.require_over_person(actor, person, Power.REGISTRY_MANAGE)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.is_system:
        raise DomainError(
            "org.person_is_system", "Không sửa được tác nhân hệ thống.", field="person"
        )
    before = _person_state(person)
    changed: list[str] = []
    if full_name is not None:
        person.full_name = _required(full_name, "full_name", "họ và tên")
        changed.append("full_name")
    if email is not None:
        person.email = email.strip()
        changed.append("email")
    if phone is not None:
        person.phone = phone.strip()
        changed.append("phone")
    if is_active is not None:
        person.is_active = is_active
        changed.append("is_active")
    if not changed:
        raise DomainError("org.nothing_to_change", "Không có thay đổi nào.")
    _clean(person, exclude=["user"])
    person.save(update_fields=changed)
    if is_active is not None and person.user_id:
        get_user_model().objects.filter(pk=person.user_id).update(is_active=is_active)
    _event(
        actor=actor,
        decision=decision,
        action="org.person.updated",
        object_type=OBJ_PERSON,
        object_id=person.pk,
        payload={"before": before, "after": _person_state(person), "fields": changed},
    )
    return person


@transaction.atomic
def position_appoint(
    *,
    actor: Person,
    person: Person,
    unit: Unit,
    role: str,
    title: str = "",
    valid_from: dt.date | None = None,
    decision_ref: str = "",
) -> Position:
    """Appoint `person` to `role` in `unit`. A second current head is a ConflictError
    `org.head_exists` (and the database refuses it too)."""
    decision = _require_manage(actor, unit)
    unit = _locked_unit(unit)
    person = Person.objects.select_for_update().get(pk=person.pk)
    position = _position_appoint(
        actor=actor,
        decision=decision,
        person=person,
        unit=unit,
        role=role,
        title=title,
        valid_from=valid_from or today(),
        decision_ref=decision_ref,
    )
    _event(
        actor=actor,
        decision=decision,
        action="org.position.appointed",
        object_type=OBJ_POSITION,
        object_id=position.pk,
        payload={"before": None, "after": _position_state(position)},
    )
    return position


def _position_end(*, position: Position, on: dt.date, reason: str) -> dict[str, Any]:
    """End a locked current position on `on` (no authority, no event); returns its before."""
    if position.valid_to is not None:
        raise DomainError(
            "org.position_already_ended",
            f"Chức vụ này đã kết thúc ngày {format_date(position.valid_to)}.",
            field="position",
        )
    if on <= position.valid_from:
        raise DomainError(
            "org.position_end_before_start",
            f"Ngày kết thúc phải sau ngày bắt đầu ({format_date(position.valid_from)}).",
            field="on",
        )
    before = _position_state(position)
    position.valid_to = on
    position.end_reason = reason
    _clean(position, exclude=["person", "unit"])
    position.save(update_fields=["valid_to", "end_reason"])
    return before


@transaction.atomic
def position_end(*, actor: Person, position: Position, on: dt.date, reason: str) -> Position:
    """End a position on `on` (kept in history, never deleted)."""
    decision = _require_manage(actor, position.unit)
    position = Position.objects.select_for_update().get(pk=position.pk)
    reason = _required(reason, "reason", "lý do kết thúc")
    before = _position_end(position=position, on=on, reason=reason)
    _event(
        actor=actor,
        decision=decision,
        action="org.position.ended",
        object_type=OBJ_POSITION,
        object_id=position.pk,
        payload={"before": before, "after": _position_state(position)},
    )
    return position


@transaction.atomic
def head_replace(
    *,
    actor: Person,
    unit: Unit,
    person: Person,
    title: str = "",
    on: dt.date | None = None,
    decision_ref: str = "",
) -> Position:
    """End the current head's position on `on` (if any) and appoint `person` from `on`."""
    decision = _require_manage(actor, unit)
    unit = _locked_unit(unit)
    on = on or today()
    current = (
        Position.objects.select_for_update()
        .filter(unit=unit, role=Role.HEAD, valid_to__isnull=True)
        .first()
    )
    before = None
    if current is not None:
        if current.person_id == person.pk:
            raise DomainError(
                "org.head_same_person",
                f"{person.full_name} đang là người đứng đầu {unit.name}.",
                field="person",
            )
        reason = "Thay người đứng đầu" + (f" theo {decision_ref}" if decision_ref else "")
        before = _position_end(position=current, on=on, reason=reason)
    position = _position_appoint(
        actor=actor,
        decision=decision,
        person=person,
        unit=unit,
        role=Role.HEAD,
        title=title,
        valid_from=on,
        decision_ref=decision_ref,
    )
    _event(
        actor=actor,
        decision=decision,
        action="org.unit.head_replaced",
        object_type=OBJ_POSITION,
        object_id=position.pk,
        payload={
            "unit_id": unit.pk,
            "previous_position_id": current.pk if current else None,
            "previous_before": before,
            "previous_after": _position_state(current) if current else None,
            "before": None,
            "after": _position_state(position),
        },
    )
    return position


# --------------------------------------------------------------------------------------------
# delegations


@transaction.atomic
def delegation_grant(
    *,
    actor: Person,
    delegator: Person,
    delegate: Person,
    unit: Unit,
    powers: Sequence[str],
    valid_from: dt.datetime,
    valid_to: dt.datetime,
    reason: str,
    decision_ref: str = "",
) -> Delegation:
    """Let `delegate` use some of `delegator`'s own powers over `unit`'s subtree for a while.

    The actor is the delegator, or someone with registry.manage over `unit`. Only powers the
    delegator holds by position (not by another delegation) over `unit` at `valid_from` may be
    delegated, and not beyond the end of that position.
    """
    if actor.pk == delegator.pk:
        decision = Decision(True, Power.REGISTRY_MANAGE, "Người ủy quyền tự ủy quyền.")
    else:
        decision = _require_manage(actor, unit)
    unit = _locked_unit(unit)
    reason = _required(reason, "reason", "lý do ủy quyền")
    _aware(valid_from, "valid_from")
    _aware(valid_to, "valid_to")
    if delegator.pk == delegate.pk:
        raise DomainError(
            "org.delegation_self", "Không thể tự ủy quyền cho chính mình.", field="delegate"
        )
    if valid_to <= valid_from:
        raise DomainError(
            "org.delegation_bad_range",
            "Thời điểm kết thúc ủy quyền phải sau thời điểm bắt đầu.",
            field="valid_to",
        )
    if delegate.is_system or not delegate.is_active:
        raise DomainError(
            "org.person_inactive",
            f"{delegate.full_name} không thể nhận ủy quyền.",
            field="delegate",
        )
    powers = list(dict.fromkeys(powers))
    if not powers:
        raise DomainError("org.delegation_no_powers", "Chưa chọn quyền ủy quyền.", field="powers")
    unknown = [power for power in powers if power not in Power.values]
    if unknown:
        raise DomainError(
            "org.delegation_unknown_power",
            f"Quyền không tồn tại: {', '.join(unknown)}.",
            field="powers",
        )
    start_day = timezone.localtime(valid_from).date()
    _require_active_unit(unit, start_day, "unit")
    for power in powers:
        positions = authority.positions_granting(delegator, power, unit, day=start_day)
        if not positions:
            raise DomainError(
                "org.delegation_power_not_held",
                f"{delegator.full_name} không giữ quyền “{authority.power_label(power)}” đối với "
                f"{unit.name} vào ngày {format_date(start_day)}, nên không thể ủy quyền.",
                field="powers",
            )
        if all(position.valid_to is not None for position in positions):
            last_day = max(position.valid_to for position in positions if position.valid_to)
            position_end = timezone.make_aware(dt.datetime.combine(last_day, dt.time.min))
            if valid_to > position_end:
                raise DomainError(
                    "org.delegation_outlives_position",
                    f"Ủy quyền không thể kéo dài quá ngày {format_date(last_day)}, khi chức vụ "
                    f"của {delegator.full_name} kết thúc.",
                    field="valid_to",
                )
    delegation = Delegation(
        delegator=delegator,
        delegate=delegate,
        unit=unit,
        powers=powers,
        valid_from=valid_from,
        valid_to=valid_to,
        reason=reason,
        decision_ref=decision_ref,
    )
    _clean(delegation, exclude=["delegator", "delegate", "unit"])
    delegation.save(force_insert=True)
    _event(
        actor=actor,
        decision=decision,
        action="org.delegation.granted",
        object_type=OBJ_DELEGATION,
        object_id=delegation.pk,
        payload={"before": None, "after": _delegation_state(delegation)},
    )
    return delegation


@transaction.atomic
def delegation_revoke(*, actor: Person, delegation: Delegation, reason: str) -> Delegation:
    """Revoke a delegation now (the delegator, or registry.manage over its unit)."""
    delegation = Delegation.objects.select_for_update().select_related("unit").get(pk=delegation.pk)
    if actor.pk == delegation.delegator_id:
        decision = Decision(True, Power.REGISTRY_MANAGE, "Người ủy quyền thu hồi.")
    else:
        decision = _require_manage(actor, delegation.unit)
    reason = _required(reason, "reason", "lý do thu hồi")
    if delegation.revoked_at is not None:
        raise DomainError(
            "org.delegation_already_revoked", "Ủy quyền này đã bị thu hồi.", field="delegation"
        )
    before = _delegation_state(delegation)
    delegation.revoked_at = now()
    delegation.revoke_reason = reason[:255]
    delegation.save(update_fields=["revoked_at", "revoke_reason"])
    _event(
        actor=actor,
        decision=decision,
        action="org.delegation.revoked",
        object_type=OBJ_DELEGATION,
        object_id=delegation.pk,
        payload={"before": before, "after": _delegation_state(delegation)},
    )
    return delegation


# --------------------------------------------------------------------------------------------
# API tokens


def _require_token_authority(actor: Person, person: Person) -> Decision:
    if actor.pk == person.pk and not actor.is_system:
        if not person.is_active:
            raise AuthorityError(f"{person.full_name} không còn công tác.")
        return Decision(True, Power.REGISTRY_MANAGE, "Tự quản lý mã truy cập của mình.")
    return authority.require_over_person(actor, person, Power.REGISTRY_MANAGE)


@transaction.atomic
def api_token_issue(
    *, actor: Person, person: Person, name: str, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Issue a bearer token acting as `person`; returns it with the raw secret (shown once).

    Only its SHA-256 is stored; the ledger records its name and prefix, never the secret.
    """
    decision = _require_token_authority(actor, person)
    name = _required(name, "name", "tên mã truy cập")
    if expires_at is not None:
        _aware(expires_at, "expires_at")
        if expires_at <= now():
            raise DomainError(
                "org.token_expiry_past", "Thời hạn phải ở tương lai.", field="expires_at"
            )
    raw = "baro_" + secrets.token_urlsafe(32)
    token = ApiToken(
        person=person, name=name, prefix=raw[:12], token_hash=hash_token(raw), expires_at=expires_at
    )
    _clean(token, exclude=["person"])
    token.save(force_insert=True)
    _event(
        actor=actor,
        decision=decision,
        action="org.api_token.issued",
        object_type=OBJ_TOKEN,
        object_id=token.pk,
        payload={
            "person_id": person.pk,
            "name": token.name,
            "prefix": token.prefix,
            "expires_at": token.expires_at,
        },
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: Person, token: ApiToken) -> ApiToken:
    """Revoke a token now."""
    token = ApiToken.objects.select_for_update().select_related("person").get(pk=token.pk)
    decision = _require_token_authority(actor, token.person)
    if token.revoked_at is not None:
        raise DomainError("org.token_already_revoked", "Mã truy cập đã bị thu hồi.", field="token")
    token.revoked_at = now()
    token.save(update_fields=["revoked_at"])
    _event(
        actor=actor,
        decision=decision,
        action="org.api_token.revoked",
        object_type=OBJ_TOKEN,
        object_id=token.pk,
        payload={
            "person_id": token.person_id,
            "prefix": token.prefix,
            "revoked_at": token.revoked_at,
        },
    )
    return token


# --------------------------------------------------------------------------------------------
# installation


@transaction.atomic
def bootstrap_installation(
    *,
    root_name: str,
    root_code: str,
    admin_username: str,
    admin_password: str,
    admin_full_name: str,
    root_kind: str = UnitKind.PROVINCE,
    admin_code: str | None = None,
    root_valid_from: dt.date | None = None,
) -> Person:
    """First set-up, as Baro's system actor: a root unit and its administrator (ADMIN position).

    One command, one event (`org.installation.bootstrapped`) holding both the unit and the
    administrator, so an installation's ledger starts with a single, complete founding record.
    """
    system = system_person()
    root = _unit_create(
        actor=system,
        code=root_code,
        name=root_name,
        kind=root_kind,
        valid_from=root_valid_from,
        _record=False,
    )
    admin = _person_create(
        actor=system,
        unit=root,
        full_name=admin_full_name,
        code=admin_code or f"{root_code}-admin",
        username=admin_username,
        password=admin_password,
        role=Role.ADMIN,
        title="Quản trị hệ thống",
        valid_from=root_valid_from,
        _record=False,
    )
    position = Position.objects.get(person=admin, unit=root, role=Role.ADMIN)
    _event(
        actor=system,
        decision=None,
        action="org.installation.bootstrapped",
        object_type=OBJ_UNIT,
        object_id=root.pk,
        payload={
            "unit": _unit_state(root),
            "admin": _person_state(admin),
            "username": admin_username,
            "position": _position_state(position),
        },
    )
    return admin


# --------------------------------------------------------------------------------------------
# import: the write half (reading and checking the file is baro.org.importer's)


def _import_write(plan: ImportPlan, parent: Unit | None) -> tuple[list[Unit], list[Person], int]:
    day = today()
    by_code: dict[str, Unit] = dict(plan.db_units)
    pending = list(plan.units)
    created: list[Unit] = []
    while pending:  # one level at a time: parents exist before their children are inserted
        level = [
            row
            for row in pending
            if not row.get("ma_don_vi_cap_tren") or row.get("ma_don_vi_cap_tren") in by_code
        ]
        assert level, "the plan is acyclic"
        objs = []
        for row in level:
            parent_code = row.get("ma_don_vi_cap_tren")
            up = by_code[parent_code] if parent_code else parent
            objs.append(
                Unit(
                    code=row.get("ma_don_vi"),
                    name=row.get("ten_don_vi"),
                    short_name=row.get("ten_viet_tat"),
                    kind=row.get("loai_don_vi"),
                    parent=up,
                    path="",
                    depth=0 if up is None else up.depth + 1,
                    mandate=row.get("chuc_nang_nhiem_vu"),
                    address=row.get("dia_chi"),
                    valid_from=day,
                )
            )
        objs = Unit.objects.bulk_create(objs, batch_size=CHUNK)
        for obj in objs:
            obj.path = unit_path(obj.parent.path if obj.parent else "", obj.pk)
            by_code[obj.code] = obj
        Unit.objects.bulk_update(objs, ["path"], batch_size=CHUNK)
        created.extend(objs)
        done = {id(row) for row in level}
        pending = [row for row in pending if id(row) not in done]
    persons = Person.objects.bulk_create(
        [
            Person(
                full_name=row.get("ho_ten"),
                code=row.get("ma_can_bo"),
                email=row.get("email"),
                phone=row.get("dien_thoai"),
            )
            for row in plan.persons
        ],
        batch_size=CHUNK,
    )
    positions = Position.objects.bulk_create(
        [
            Position(
                person=person,
                unit=by_code[row.get("ma_don_vi")],
                role=row.get("vai_tro"),
                title=row.get("chuc_danh"),
                valid_from=day,
            )
            for person, row in zip(persons, plan.persons, strict=True)
        ],
        batch_size=CHUNK,
    )
    return created, persons, len(positions)


@transaction.atomic
def org_import(
    *, actor: Person, data: bytes, filename: str, parent: Unit | None = None
) -> ImportResult:
    """Import a whole file of units and people, or nothing (see baro.org.importer).

    registry.import over `parent` (or anywhere, for a file of roots); one event for the file.
    """
    decision: Decision | None = None
    if parent is not None:
        decision = authority.require(actor, Power.REGISTRY_IMPORT, parent)
        parent = Unit.objects.select_for_update().get(pk=parent.pk)
        if not parent.is_active_on(today()):
            raise DomainError(
                "org.unit_inactive", f"Đơn vị {parent.name} không còn hiệu lực.", field="parent"
            )
    elif not actor.is_system and not authority.holds_anywhere(actor, Power.REGISTRY_IMPORT):
        raise AuthorityError(
            f"{actor.full_name} không có quyền “{authority.power_label(Power.REGISTRY_IMPORT)}”.",
            details={"power": Power.REGISTRY_IMPORT},
        )
    rows = parse_rows(data, filename)
    plan = check_plan(actor, rows, parent)
    units, persons, positions = _import_write(plan, parent)
    digest = hashlib.sha256(data).hexdigest()
    decision = decision or plan.decision
    event = record_event(
        actor=actor.ledger_ref,
        action="org.import.completed",
        object_type=OBJ_IMPORT,
        object_id=digest,
        on_behalf_of=decision.on_behalf_of_ref if decision else "",
        payload={
            "filename": filename,
            "sha256": digest,
            "parent_id": parent.pk if parent else None,
            "counts": {
                "units": len(units),
                "persons": len(persons),
                "positions": positions,
                "rows": len(rows),
            },
            "unit_codes": [unit.code for unit in units],
            "person_codes": [person.code for person in persons],
        },
    )
    return ImportResult(
        filename=filename,
        sha256=digest,
        units_created=len(units),
        persons_created=len(persons),
        positions_created=positions,
        unit_codes=[unit.code for unit in units],
        person_codes=[person.code for person in persons],
        event_seq=event.seq,
    )
