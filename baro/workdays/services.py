"""Commands of the working-day calendar: the only code that changes CalendarOverride rows.

Who may: a holder of calendar.manage (Role.ADMIN, or a delegation of it) over a *root* unit.
The calendar is installation-wide, so it moves deadlines in every tree; a power held only over
a department or a commune must not reach that far. (authority.holds_anywhere would accept an
administrator of any unit, hence the explicit check over the roots, as for creating a root.)

Each command runs in its own durable transaction, authorises first, locks the day's active
override, validates, writes, appends exactly one ledger event and, on commit, drops this
process's cached calendar (other processes notice within BARO_CALENDAR_RECHECK_SECONDS).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from baro.core.errors import ConflictError, DomainError
from baro.core.run import command
from baro.core.timeutil import format_date, now
from baro.ledger.services import record_action
from baro.org.authority import Decision
from baro.org.models import Person
from baro.workdays import calendar
from baro.workdays.models import CalendarOverride, OverrideKind
from baro.workdays.permissions import require_calendar_manage

OBJ_OVERRIDE = "workdays.override"
ACTION_SET = "workdays.override.set"
ACTION_REMOVED = "workdays.override.removed"

REASON_MAX = CalendarOverride._meta.get_field("reason").max_length or 255
DECISION_REF_MAX = CalendarOverride._meta.get_field("decision_ref").max_length or 255

__all__ = ["calendar_override_remove", "calendar_override_set"]


def _text(value: str, field: str, label: str, max_length: int, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(
            "workdays.field_required", _("Chưa nhập %(label)s.") % {"label": label}, field=field
        )
    if len(value) > max_length:
        raise DomainError(
            "workdays.field_too_long",
            _("%(label)s dài quá %(max_length)s ký tự.")
            % {"label": label.capitalize(), "max_length": max_length},
            field=field,
        )
    return value


def _day(day: Any) -> dt.date:
    # A datetime is a date subclass: accepting one would silently drop its time and zone.
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise DomainError("workdays.day_invalid", _("Ngày không hợp lệ."), field="day")
    return day


def _state(override: CalendarOverride) -> dict[str, Any]:
    return {
        "day": override.day,
        "kind": override.kind,
        "reason": override.reason,
        "decision_ref": override.decision_ref,
        "set_by_id": override.set_by_id,
        "revoked_at": override.revoked_at,
        "revoked_by_id": override.revoked_by_id,
        "revoke_reason": override.revoke_reason,
    }


def _event(
    *,
    actor: Person,
    decision: Decision,
    action: str,
    override: CalendarOverride,
    payload: dict[str, Any],
) -> None:
    record_action(
        actor=actor,
        decision=decision,
        action=action,
        object_type=OBJ_OVERRIDE,
        object_id=override.pk,
        payload=payload,
    )


def _active_locked(day: dt.date) -> CalendarOverride | None:
    """The day's active override, locked until commit (None: nothing to lock, see the insert)."""
    return (
        CalendarOverride.objects.select_for_update()
        .filter(day=day, revoked_at__isnull=True)
        .first()
    )


def _recorded_name(day: dt.date) -> str:
    """What the calendar calls `day`, in Vietnamese whatever the actor reads: the ledger is
    one record for everyone, not a page."""
    with translation.override("vi"):
        return calendar.base_day_info(day).name


def _label(day: dt.date) -> str:
    return f"{calendar.WEEKDAY_NAMES[day.weekday()]} {format_date(day)}"


@command
def calendar_override_set(
    *,
    actor: Person,
    day: dt.date,
    kind: str,
    reason: str,
    decision_ref: str = "",
) -> CalendarOverride:
    """Make `day` a day off (HOLIDAY) or a working day (WORKING_DAY) for every deadline.

    Refused when the day already has an active override (remove it first, so that each change
    carries its own reason), or when the override would change nothing: WORKING_DAY on a day
    already worked, HOLIDAY on a day already off.
    """
    decision = require_calendar_manage(actor)
    day = _day(day)
    if kind not in OverrideKind.values:
        raise DomainError(
            "workdays.kind_invalid",
            _("Loại điều chỉnh “%(kind)s” không hợp lệ.") % {"kind": kind},
            field="kind",
        )
    reason = _text(reason, "reason", _("lý do"), REASON_MAX, required=True)
    decision_ref = _text(
        decision_ref, "decision_ref", _("căn cứ"), DECISION_REF_MAX, required=False
    )
    existing = (
        CalendarOverride.objects.select_for_update()
        .filter(day=day, revoked_at__isnull=True)
        .first()
    )
    if existing is not None:
        raise ConflictError(
            "workdays.override_exists",
            _(
                "Ngày %(day)s đã được điều chỉnh thành “%(kind)s” "
                "(%(reason)s). Hãy gỡ điều chỉnh đó trước."
            )
            % {"day": _label(day), "kind": existing.get_kind_display(), "reason": existing.reason},
            field="day",
        )
    base = calendar.base_day_info(day)
    if kind == OverrideKind.WORKING_DAY and base.is_working:
        raise DomainError(
            "workdays.already_working",
            _("Ngày %(day)s đã là ngày làm việc; không cần đặt làm ngày làm việc bù.")
            % {"day": _label(day)},
            field="kind",
        )
    if kind == OverrideKind.HOLIDAY and not base.is_working:
        why = _("nghỉ cuối tuần") if base.source == calendar.SOURCE_WEEKEND else base.name
        raise DomainError(
            "workdays.already_off",
            _("Ngày %(day)s đã là ngày nghỉ (%(why)s); không cần đặt thêm ngày nghỉ.")
            % {"day": _label(day), "why": why},
            field="kind",
        )
    override = CalendarOverride(
        day=day, kind=kind, reason=reason, decision_ref=decision_ref, set_by=actor
    )
    try:
        # Savepoint: a concurrent set of the same day (possible on PostgreSQL, where there was
        # no row to lock) hits the unique constraint; report it instead of a broken transaction.
        with transaction.atomic():
            override.save(force_insert=True)
    except IntegrityError as exc:
        raise ConflictError(
            "workdays.override_exists",
            _("Ngày %(day)s vừa được người khác điều chỉnh. Hãy tải lại trang.")
            % {"day": _label(day)},
            field="day",
        ) from exc
    _event(
        actor=actor,
        decision=decision,
        action=ACTION_SET,
        override=override,
        payload={"before": None, "after": _state(override), "base": _recorded_name(day)},
    )
    transaction.on_commit(calendar.invalidate)
    return override


@command
def calendar_override_remove(*, actor: Person, day: dt.date, reason: str) -> CalendarOverride:
    """Remove the active override of `day`: it falls back to the package and weekends.

    The row is closed (revoked_at, revoked_by, revoke_reason), not deleted; see models.py.
    """
    decision = require_calendar_manage(actor)
    day = _day(day)
    reason = _text(reason, "reason", _("lý do gỡ bỏ"), REASON_MAX, required=True)
    override = (
        CalendarOverride.objects.select_for_update()
        .filter(day=day, revoked_at__isnull=True)
        .first()
    )
    if override is None:
        raise DomainError(
            "workdays.override_missing",
            _("Ngày %(day)s không có điều chỉnh nào đang hiệu lực.") % {"day": _label(day)},
            field="day",
        )
    before = _state(override)
    override.revoked_at = now()
    override.revoked_by = actor
    override.revoke_reason = reason
    override.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    _event(
        actor=actor,
        decision=decision,
        action=ACTION_REMOVED,
        override=override,
        payload={"before": before, "after": _state(override)},
    )
    transaction.on_commit(calendar.invalidate)
    return override
