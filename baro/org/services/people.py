"""People and their positions: register, describe, appoint, end, replace a head.

A position is never deleted: it ends on a day and stays in the history. A unit has at most one
current head, which the database enforces too (a second one is `org.head_exists`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from baro.core.errors import ConflictError, DomainError
from baro.core.run import command
from baro.core.timeutil import format_date, today
from baro.ledger.services import record_action
from baro.org.models import Person, Position, Role, Unit
from baro.org.permissions import require_manage, require_manage_person
from baro.org.services._shared import (
    OBJ_PERSON,
    OBJ_POSITION,
    clean,
    ensure_active_unit,
    ensure_role,
    locked_unit,
    person_state,
    position_state,
    required,
)


def new_position_row(
    *,
    person: Person,
    unit: Unit,
    role: str,
    title: str,
    valid_from: dt.date,
    decision_ref: str,
) -> Position:
    """Check and insert a current position (no authority, no event: the callers do both)."""
    ensure_role(role)
    ensure_active_unit(unit, valid_from, "unit")
    if person.is_system:
        raise DomainError(
            "org.person_is_system", _("Tác nhân hệ thống không giữ chức vụ."), field="person"
        )
    if not person.is_active:
        raise DomainError(
            "org.person_inactive",
            _("%(person)s không còn công tác.") % {"person": person.full_name},
            field="person",
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
                _(
                    "Đơn vị %(unit)s đã có người đứng đầu (%(person)s). "
                    "Dùng “Thay người đứng đầu” để bổ nhiệm người khác."
                )
                % {"unit": unit.name, "person": head.person.full_name},
                field="role",
            )
    if Position.objects.filter(person=person, unit=unit, role=role, valid_to__isnull=True).exists():
        raise ConflictError(
            "org.position_exists",
            _("%(person)s đang giữ vai trò %(label)s tại %(unit)s.")
            % {"person": person.full_name, "label": Role(role).label, "unit": unit.name},
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
    clean(position, exclude=["person", "unit"])
    try:
        with transaction.atomic():
            position.save(force_insert=True)
    except IntegrityError as exc:  # a concurrent appointment won the race
        raise ConflictError(
            "org.head_exists" if role == Role.HEAD else "org.position_exists",
            _("Đơn vị %(unit)s vừa có thay đổi chức vụ đồng thời; hãy tải lại và thử lại.")
            % {"unit": unit.name},
            field="role",
        ) from exc
    return position


def new_person_row(
    *,
    unit: Unit,
    full_name: str,
    code: str,
    email: str,
    phone: str,
    username: str | None,
    password: str | None,
    role: str | None,
    title: str,
    valid_from: dt.date | None,
) -> tuple[Person, Position | None]:
    """Check and insert a person registered in a locked `unit`, with their login account and
    first position when asked for. No authority and no event: person_create and
    bootstrap_installation do both, each its own way."""
    valid_from = valid_from or today()
    full_name = required(full_name, "full_name", _("họ và tên"))
    code = required(code, "code", _("mã cán bộ"))
    if Person.objects.filter(code=code).exists():
        raise ConflictError(
            "org.person_code_taken",
            _("Mã cán bộ “%(code)s” đã được dùng.") % {"code": code},
            field="code",
        )
    person = Person(full_name=full_name, code=code, email=(email or "").strip(), phone=phone or "")
    clean(person, exclude=["user"])
    user_model = get_user_model()
    if username:
        username = username.strip()
        if user_model.objects.filter(username=username).exists():
            raise ConflictError(
                "org.username_taken",
                _("Tên đăng nhập “%(username)s” đã được dùng.") % {"username": username},
                field="username",
            )
        if not password:
            raise DomainError("org.field_required", _("Chưa nhập mật khẩu."), field="password")
        try:
            validate_password(password)
        except ValidationError as exc:
            raise DomainError(
                "org.password_invalid", " ".join(exc.messages), field="password"
            ) from exc
    elif password:
        raise DomainError(
            "org.field_required", _("Có mật khẩu nhưng chưa có tên đăng nhập."), field="username"
        )
    if role is not None:
        ensure_role(role)
        ensure_active_unit(unit, valid_from, "unit")
    if username:
        user = user_model(username=username, email=person.email)
        user.set_password(password)
        user.save()
        person.user = user
    person.save(force_insert=True)
    position = None
    if role is not None:
        position = new_position_row(
            person=person,
            unit=unit,
            role=role,
            title=title,
            valid_from=valid_from,
            decision_ref="",
        )
    return person, position


@command
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
    decision = require_manage(actor, unit)
    unit = locked_unit(unit)
    person, position = new_person_row(
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
    record_action(
        actor=actor,
        decision=decision,
        action="org.person.created",
        object_type=OBJ_PERSON,
        object_id=person.pk,
        payload={
            "before": None,
            "after": person_state(person),
            "username": username or "",
            "unit_id": unit.pk,
            "position_id": position.pk if position else None,
            "position": position_state(position) if position else None,
        },
    )
    return person


@command
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
    decision = require_manage_person(actor, person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.is_system:
        raise DomainError(
            "org.person_is_system", _("Không sửa được tác nhân hệ thống."), field="person"
        )
    before = person_state(person)
    changed: list[str] = []
    if full_name is not None:
        person.full_name = required(full_name, "full_name", _("họ và tên"))
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
        raise DomainError("org.nothing_to_change", _("Không có thay đổi nào."))
    clean(person, exclude=["user"])
    person.save(update_fields=changed)
    if is_active is not None and person.user_id:
        get_user_model().objects.filter(pk=person.user_id).update(is_active=is_active)
    record_action(
        actor=actor,
        decision=decision,
        action="org.person.updated",
        object_type=OBJ_PERSON,
        object_id=person.pk,
        payload={"before": before, "after": person_state(person), "fields": changed},
    )
    return person


@command
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
    decision = require_manage(actor, unit)
    unit = locked_unit(unit)
    person = Person.objects.select_for_update().get(pk=person.pk)
    position = new_position_row(
        person=person,
        unit=unit,
        role=role,
        title=title,
        valid_from=valid_from or today(),
        decision_ref=decision_ref,
    )
    record_action(
        actor=actor,
        decision=decision,
        action="org.position.appointed",
        object_type=OBJ_POSITION,
        object_id=position.pk,
        payload={"before": None, "after": position_state(position)},
    )
    return position


def end_position_row(*, position: Position, on: dt.date, reason: str) -> dict[str, Any]:
    """End a locked current position on `on` (no authority, no event); returns its before."""
    if position.valid_to is not None:
        raise DomainError(
            "org.position_already_ended",
            _("Chức vụ này đã kết thúc ngày %(valid_to)s.")
            % {"valid_to": format_date(position.valid_to)},
            field="position",
        )
    if on <= position.valid_from:
        raise DomainError(
            "org.position_end_before_start",
            _("Ngày kết thúc phải sau ngày bắt đầu (%(valid_from)s).")
            % {"valid_from": format_date(position.valid_from)},
            field="on",
        )
    before = position_state(position)
    position.valid_to = on
    position.end_reason = reason
    clean(position, exclude=["person", "unit"])
    position.save(update_fields=["valid_to", "end_reason"])
    return before


@command
def position_end(*, actor: Person, position: Position, on: dt.date, reason: str) -> Position:
    """End a position on `on` (kept in history, never deleted)."""
    decision = require_manage(actor, position.unit)
    position = Position.objects.select_for_update().get(pk=position.pk)
    reason = required(reason, "reason", _("lý do kết thúc"))
    before = end_position_row(position=position, on=on, reason=reason)
    record_action(
        actor=actor,
        decision=decision,
        action="org.position.ended",
        object_type=OBJ_POSITION,
        object_id=position.pk,
        payload={"before": before, "after": position_state(position)},
    )
    return position


@command
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
    decision = require_manage(actor, unit)
    unit = locked_unit(unit)
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
                _("%(person)s đang là người đứng đầu %(unit)s.")
                % {"person": person.full_name, "unit": unit.name},
                field="person",
            )
        reason = "Thay người đứng đầu" + (f" theo {decision_ref}" if decision_ref else "")
        before = end_position_row(position=current, on=on, reason=reason)
    position = new_position_row(
        person=person,
        unit=unit,
        role=Role.HEAD,
        title=title,
        valid_from=on,
        decision_ref=decision_ref,
    )
    record_action(
        actor=actor,
        decision=decision,
        action="org.unit.head_replaced",
        object_type=OBJ_POSITION,
        object_id=position.pk,
        payload={
            "unit_id": unit.pk,
            "previous_position_id": current.pk if current else None,
            "previous_before": before,
            "previous_after": position_state(current) if current else None,
            "before": None,
            "after": position_state(position),
        },
    )
    return position
