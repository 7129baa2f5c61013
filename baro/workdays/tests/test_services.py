"""calendar_override_set / calendar_override_remove: who may, what is refused, one ledger event,
nothing written on refusal, and the cache following the change on commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone, translation

from baro.org.models import Person, Role
from baro.testing.factories import (
    CalendarOverrideFactory,
    DelegationFactory,
    PersonFactory,
    PositionFactory,
)
from baro.testing.ledger import last_seq, one_new_event
from baro.testing.org import World
from baro.testing.workdays import assert_refused
from baro.workdays import calendar
from baro.workdays.calendar import add_working_days, is_working_day
from baro.workdays.models import CalendarOverride, OverrideKind
from baro.workdays.services import calendar_override_remove, calendar_override_set

D = dt.date
SATURDAY = D(2026, 10, 10)  # an ordinary Saturday
MONDAY = D(2026, 10, 12)  # an ordinary Monday


def set_override(actor: Person, day: dt.date, kind: str, **kwargs: Any) -> CalendarOverride:
    kwargs.setdefault("reason", "Làm bù theo kế hoạch của Thành phố")
    return calendar_override_set(actor=actor, day=day, kind=kind, **kwargs)


def committed(capture: Any, action: Callable[[], Any]) -> Any:
    """Run a command and its on-commit callbacks, as a real commit would."""
    with capture(execute=True) as callbacks:
        result = action()
    assert len(callbacks) == 1  # the cache invalidation
    return result


def test_admin_adds_a_compensatory_working_saturday(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    assert add_working_days(D(2026, 10, 9), 1) == MONDAY  # warm the cache first
    seq = last_seq()
    override = committed(
        django_capture_on_commit_callbacks,
        lambda: set_override(
            world.admin,
            SATURDAY,
            OverrideKind.WORKING_DAY,
            decision_ref="Thông báo số 123/TB-UBND",
        ),
    )
    assert (override.day, override.kind, override.set_by) == (SATURDAY, "working_day", world.admin)
    assert override.decision_ref == "Thông báo số 123/TB-UBND"
    event = one_new_event(seq)
    assert (event.action, event.object_type, event.object_id) == (
        "workdays.override.set",
        "workdays.override",
        str(override.pk),
    )
    assert event.actor == world.admin.ledger_ref
    assert event.payload["before"] is None
    assert event.payload["after"]["kind"] == "working_day"
    # The cached calendar follows the commit: Fri 09/10 + 1 is now that Saturday.
    assert is_working_day(SATURDAY)
    assert add_working_days(D(2026, 10, 9), 1) == SATURDAY
    assert add_working_days(D(2026, 10, 9), 2) == MONDAY


def test_admin_adds_a_holiday_then_removes_it(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    committed(
        django_capture_on_commit_callbacks,
        lambda: set_override(
            world.admin, MONDAY, OverrideKind.HOLIDAY, reason="Nghỉ theo Công điện của Thủ tướng"
        ),
    )
    assert not is_working_day(MONDAY)
    assert add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 13)
    assert calendar.day_info(MONDAY).name == "Ngày nghỉ: Nghỉ theo Công điện của Thủ tướng"

    seq = last_seq()
    removed = committed(
        django_capture_on_commit_callbacks,
        lambda: calendar_override_remove(
            actor=world.admin, day=MONDAY, reason="Công điện đã được thu hồi"
        ),
    )
    assert removed.revoked_at is not None
    assert (removed.revoked_by, removed.revoke_reason) == (world.admin, "Công điện đã được thu hồi")
    event = one_new_event(seq)
    assert event.action == "workdays.override.removed"
    assert event.payload["before"]["revoked_at"] is None
    assert event.payload["after"]["revoke_reason"] == "Công điện đã được thu hồi"
    assert is_working_day(MONDAY)
    assert add_working_days(D(2026, 10, 9), 1) == MONDAY
    # The day can be set again; the removed row stays as history.
    set_override(world.admin, MONDAY, OverrideKind.HOLIDAY)
    assert CalendarOverride.objects.filter(day=MONDAY).count() == 2


def test_an_override_can_make_a_package_holiday_a_working_day(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    culture_day = D(2026, 11, 24)
    committed(
        django_capture_on_commit_callbacks,
        lambda: set_override(world.admin, culture_day, OverrideKind.WORKING_DAY),
    )
    assert add_working_days(D(2026, 11, 23), 1) == culture_day


def test_a_delegate_of_the_root_admin_may(world: World) -> None:
    helper = PositionFactory(unit=world.dept_b, role=Role.OFFICER).person
    DelegationFactory(
        delegator=world.admin, delegate=helper, unit=world.root, powers=["calendar.manage"]
    )
    seq = last_seq()
    set_override(helper, SATURDAY, OverrideKind.WORKING_DAY)
    assert one_new_event(seq).on_behalf_of == world.admin.ledger_ref


def test_the_admin_of_another_root_may(world: World) -> None:
    # The calendar is one for the whole installation: every root's administrator keeps it.
    set_override(world.outsider, SATURDAY, OverrideKind.WORKING_DAY)


@pytest.mark.parametrize("who", ["officer", "head", "delegate", "deputy"])
def test_it_refuses_people_without_calendar_power(world: World, who: str) -> None:
    actor = getattr(world, who)
    assert_refused("auth.denied", lambda: set_override(actor, SATURDAY, OverrideKind.WORKING_DAY))


def test_it_refuses_a_person_with_no_position(world: World, new_person: Person) -> None:
    assert_refused(
        "auth.denied", lambda: set_override(new_person, SATURDAY, OverrideKind.WORKING_DAY)
    )


def test_it_refuses_an_administrator_below_the_root(world: World) -> None:
    # An ADMIN of Sở B holds calendar.manage over Sở B only: not enough for the whole calendar.
    dept_admin = PositionFactory(unit=world.dept_b, role=Role.ADMIN).person
    assert_refused(
        "auth.denied", lambda: set_override(dept_admin, SATURDAY, OverrideKind.WORKING_DAY)
    )


def test_it_refuses_a_former_admin(world: World) -> None:
    former = PersonFactory(full_name="Cựu Quản Trị")
    PositionFactory(
        person=former,
        unit=world.root,
        role=Role.ADMIN,
        valid_from=D(2020, 1, 1),
        valid_to=timezone.localdate() - dt.timedelta(days=1),
    )
    assert_refused("auth.denied", lambda: set_override(former, SATURDAY, OverrideKind.WORKING_DAY))


def test_it_refuses_to_remove_for_outsiders(world: World) -> None:
    set_override(world.admin, SATURDAY, OverrideKind.WORKING_DAY)
    assert_refused(
        "auth.denied",
        lambda: calendar_override_remove(actor=world.officer, day=SATURDAY, reason="Không cần"),
    )


def test_reason_is_required(world: World) -> None:
    error = assert_refused(
        "workdays.field_required",
        lambda: set_override(world.admin, SATURDAY, OverrideKind.WORKING_DAY, reason="   "),
    )
    assert error.field == "reason"
    set_override(world.admin, SATURDAY, OverrideKind.WORKING_DAY)
    error = assert_refused(
        "workdays.field_required",
        lambda: calendar_override_remove(actor=world.admin, day=SATURDAY, reason=""),
    )
    assert error.field == "reason"


def test_it_refuses_a_working_day_on_a_working_day(world: World) -> None:
    error = assert_refused(
        "workdays.already_working",
        lambda: set_override(world.admin, MONDAY, OverrideKind.WORKING_DAY),
    )
    assert error.field == "kind"
    assert error.message == (
        "Ngày Thứ Hai 12/10/2026 đã là ngày làm việc; không cần đặt làm ngày làm việc bù."
    )
    # The Government's own swapped Saturday is already a working day too.
    assert_refused(
        "workdays.already_working",
        lambda: set_override(world.admin, D(2025, 4, 26), OverrideKind.WORKING_DAY),
    )


def test_it_refuses_a_holiday_on_a_day_off(world: World) -> None:
    error = assert_refused(
        "workdays.already_off",
        lambda: set_override(world.admin, SATURDAY, OverrideKind.HOLIDAY),
    )
    assert "nghỉ cuối tuần" in error.message
    error = assert_refused(
        "workdays.already_off",
        lambda: set_override(world.admin, D(2026, 2, 17), OverrideKind.HOLIDAY),
    )
    assert error.message == (
        "Ngày Thứ Ba 17/02/2026 đã là ngày nghỉ (Tết Nguyên Đán); không cần đặt thêm ngày nghỉ."
    )


def test_it_refuses_a_second_override_on_the_same_day(world: World) -> None:
    set_override(world.admin, MONDAY, OverrideKind.HOLIDAY)
    assert_refused(
        "workdays.override_exists",
        lambda: set_override(world.admin, MONDAY, OverrideKind.WORKING_DAY),
    )


def test_it_refuses_removing_a_day_without_override(world: World) -> None:
    assert_refused(
        "workdays.override_missing",
        lambda: calendar_override_remove(actor=world.admin, day=MONDAY, reason="Nhầm"),
    )


def test_it_refuses_bad_kind_and_day(world: World) -> None:
    assert_refused("workdays.kind_invalid", lambda: set_override(world.admin, MONDAY, "weekend"))
    noon = timezone.now()
    assert_refused(
        "workdays.day_invalid",
        lambda: set_override(world.admin, noon, OverrideKind.HOLIDAY),  # type: ignore[arg-type]
    )
    assert_refused(
        "workdays.field_too_long",
        lambda: set_override(
            world.admin, MONDAY, OverrideKind.HOLIDAY, decision_ref="Số " + "9" * 300
        ),
    )


def test_the_system_actor_may(world: World) -> None:
    seq = last_seq()
    set_override(world.system, SATURDAY, OverrideKind.WORKING_DAY)
    assert one_new_event(seq).actor == world.system.ledger_ref


def test_other_processes_notice_a_change_at_their_next_recheck(world: World, settings: Any) -> None:
    # Another process's commit runs no hook here: the version check after
    # BARO_CALENDAR_RECHECK_SECONDS is what makes this process drop its tables.
    settings.BARO_CALENDAR_RECHECK_SECONDS = 3600
    assert is_working_day(MONDAY)
    CalendarOverrideFactory(day=MONDAY, kind=OverrideKind.HOLIDAY, set_by=world.admin)
    assert is_working_day(MONDAY)  # still the cached answer, until the next check
    settings.BARO_CALENDAR_RECHECK_SECONDS = 0
    calendar._current().recheck_at = 0.0
    assert not is_working_day(MONDAY)
    CalendarOverride.objects.filter(day=MONDAY).update(
        revoked_at=timezone.now(), revoked_by=world.admin
    )
    assert is_working_day(MONDAY)


def test_the_database_allows_one_active_override_per_day(world: World) -> None:
    from django.db import IntegrityError, transaction

    first = CalendarOverrideFactory(day=MONDAY, set_by=world.admin)
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarOverrideFactory(day=MONDAY, set_by=world.admin)
    CalendarOverride.objects.filter(pk=first.pk).update(
        revoked_at=timezone.now(), revoked_by=world.admin
    )
    CalendarOverrideFactory(day=MONDAY, set_by=world.admin)  # a removed one does not count


def test_each_web_request_sees_other_processes_changes(world: World, settings: Any) -> None:
    # Several server processes (gunicorn workers) each cache the calendar; a request that
    # starts after another process's change must not answer from the old tables.
    from django.core.signals import request_started

    settings.BARO_CALENDAR_RECHECK_SECONDS = 3600
    assert is_working_day(MONDAY)
    CalendarOverrideFactory(day=MONDAY, kind=OverrideKind.HOLIDAY, set_by=world.admin)
    assert is_working_day(MONDAY)  # inside the same request: the cached answer
    # The next request: what request_started runs for the calendar (the whole signal would
    # also close the test's database connection, Django's own handler).
    sync_receivers, _async = request_started._live_receivers(sender=None)
    assert calendar.recheck_soon in sync_receivers
    calendar.recheck_soon()
    assert not is_working_day(MONDAY)


def test_an_english_refusal_names_the_weekday_in_english(world: World) -> None:
    with translation.override("en"):
        error = assert_refused(
            "workdays.already_off",
            lambda: set_override(world.admin, D(2026, 2, 17), OverrideKind.HOLIDAY),
        )
    assert error.message == (
        "Tuesday 17/02/2026 is already a day off (Tết Nguyên Đán); it need not be made a day off."
    )


def test_the_ledger_names_the_day_in_vietnamese_whatever_the_actor_reads(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    seq = last_seq()
    with translation.override("en"):
        committed(
            django_capture_on_commit_callbacks,
            lambda: set_override(world.admin, MONDAY, OverrideKind.HOLIDAY),
        )
    assert one_new_event(seq).payload["base"] == "Thứ Hai"
