from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from baro.core.errors import ConflictError, DomainError
from baro.ledger.models import LedgerEvent
from baro.org import queries, services
from baro.org.models import Person, Position, Role, Unit
from baro.testing.factories import PersonFactory
from baro.testing.ledger import last_seq, one_new_event
from baro.testing.org import World, assert_refused

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_person_create_with_login_and_first_position(world: World) -> None:
    seq = last_seq()
    person = services.person_create(
        actor=world.admin,
        unit=world.div_a1,
        full_name="Lê Văn Cường",
        code="CB-100",
        email="cuong@example.gov.vn",
        username="cuong",
        password="mot-mat-khau-dai",
        role=Role.DEPUTY,
        title="Phó trưởng phòng",
    )
    user = get_user_model().objects.get(username="cuong")
    assert person.user == user
    assert user.check_password("mot-mat-khau-dai")
    assert user.password != "mot-mat-khau-dai"
    position = Position.objects.get(person=person)
    assert (position.unit, position.role, position.valid_to) == (world.div_a1, Role.DEPUTY, None)
    event = one_new_event(seq)
    assert event.action == "org.person.created"
    assert event.payload["position_id"] == position.pk
    assert "mot-mat-khau-dai" not in event.body


def test_person_create_refuses_a_taken_code_or_username(world: World) -> None:
    assert_refused(
        "org.person_code_taken",
        lambda: services.person_create(
            actor=world.admin, unit=world.dept_a, full_name="X", code=world.officer.code
        ),
        error=ConflictError,
    )
    assert_refused(
        "org.username_taken",
        lambda: services.person_create(
            actor=world.admin,
            unit=world.dept_a,
            full_name="X",
            code="CB-NEW",
            username=world.officer.user.username,
            password="mot-mat-khau-dai",
        ),
        error=ConflictError,
    )


def test_person_create_refuses_a_second_head_without_creating_the_person(world: World) -> None:
    assert_refused(
        "org.head_exists",
        lambda: services.person_create(
            actor=world.admin, unit=world.dept_a, full_name="X", code="CB-NEW", role=Role.HEAD
        ),
        error=ConflictError,
    )


def test_person_update_changes_details(world: World) -> None:
    seq = last_seq()
    services.person_update(actor=world.admin, person=world.officer, email="cv@example.gov.vn")
    assert Person.objects.get(pk=world.officer.pk).email == "cv@example.gov.vn"
    event = one_new_event(seq)
    assert event.payload["before"]["email"] == ""
    assert event.payload["after"]["email"] == "cv@example.gov.vn"


def test_person_update_refuses_a_bad_email(world: World) -> None:
    assert_refused(
        "org.invalid",
        lambda: services.person_update(actor=world.admin, person=world.officer, email="khong"),
    )


def test_position_appoint_and_end_keep_history(world: World) -> None:
    person = PersonFactory()
    seq = last_seq()
    position = services.position_appoint(
        actor=world.admin,
        person=person,
        unit=world.div_a1,
        role=Role.DEPUTY,
        valid_from=TODAY - dt.timedelta(days=10),
        decision_ref="QĐ 1",
    )
    assert one_new_event(seq).action == "org.position.appointed"
    assert position in queries.unit_positions(world.div_a1)
    seq = last_seq()
    services.position_end(actor=world.admin, position=position, on=TODAY, reason="Chuyển công tác")
    event = one_new_event(seq)
    assert event.payload["before"]["valid_to"] is None
    assert event.payload["after"]["valid_to"] == TODAY.isoformat()
    position.refresh_from_db()
    assert (position.valid_to, position.end_reason) == (TODAY, "Chuyển công tác")
    assert position not in queries.unit_positions(world.div_a1)
    assert position in queries.unit_position_history(world.div_a1)
    assert position in queries.unit_positions(world.div_a1, on=TODAY - dt.timedelta(days=1))


def test_position_end_refuses_an_ended_position_or_no_reason(world: World) -> None:
    position = Position.objects.get(person=world.officer)
    assert_refused(
        "org.field_required",
        lambda: services.position_end(actor=world.admin, position=position, on=TODAY, reason=""),
    )
    services.position_end(actor=world.admin, position=position, on=TODAY, reason="Nghỉ")
    assert_refused(
        "org.position_already_ended",
        lambda: services.position_end(
            actor=world.admin, position=position, on=TODAY, reason="Nghỉ"
        ),
    )


def test_a_second_head_is_refused_by_the_service(world: World) -> None:
    error = assert_refused(
        "org.head_exists",
        lambda: services.position_appoint(
            actor=world.admin, person=world.officer, unit=world.dept_a, role=Role.HEAD
        ),
        error=ConflictError,
    )
    assert "Trưởng Sở A" in error.message
    assert "Thay người đứng đầu" in error.message


def test_a_second_head_is_refused_by_the_database(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(
            person=world.officer, unit=world.dept_a, role=Role.HEAD, valid_from=TODAY
        )
    assert Position.objects.filter(unit=world.dept_a, role=Role.HEAD).count() == 1


def test_head_replace_ends_the_old_head_and_appoints_the_new_with_one_event(world: World) -> None:
    old = queries.unit_head(world.dept_a)
    assert old is not None
    seq = last_seq()
    new = services.head_replace(
        actor=world.admin, unit=world.dept_a, person=world.officer, on=TODAY, decision_ref="QĐ 9"
    )
    event = one_new_event(seq)
    assert event.action == "org.unit.head_replaced"
    old.refresh_from_db()
    assert old.valid_to == TODAY
    assert queries.unit_head(world.dept_a) == new
    assert queries.unit_head(world.dept_a, on=TODAY - dt.timedelta(days=1)) == old
    assert set(queries.unit_position_history(world.dept_a).filter(role=Role.HEAD)) == {old, new}
    history = list(queries.unit_history(world.dept_a))
    assert history[0] == event


def test_head_replace_refuses_the_current_head(world: World) -> None:
    assert_refused(
        "org.head_same_person",
        lambda: services.head_replace(actor=world.admin, unit=world.dept_a, person=world.head),
    )


def test_bootstrap_installation_creates_root_and_admin(db: None) -> None:
    admin = services.bootstrap_installation(
        root_name="Thành phố Hà Nội",
        root_code="HN",
        admin_username="quantri",
        admin_password="mot-mat-khau-dai",
        admin_full_name="Quản trị viên",
    )
    position = Position.objects.get(person=admin)
    assert position.role == Role.ADMIN
    assert position.unit.parent is None
    assert admin.user.check_password("mot-mat-khau-dai")
    events = list(LedgerEvent.objects.order_by("seq"))
    assert [e.action for e in events] == ["org.installation.bootstrapped"]
    assert events[0].actor == "system:baro-system"
    assert events[0].payload["username"] == "quantri"
    assert events[0].payload["unit"]["code"] == "HN"


def test_bootstrap_installation_fails_whole(db: None) -> None:
    with pytest.raises(DomainError) as refused:
        services.bootstrap_installation(
            root_name="Thành phố Hà Nội",
            root_code="HN",
            admin_username="quantri",
            admin_password="short",
            admin_full_name="Quản trị viên",
        )
    assert refused.value.field == "password"
    assert not Unit.objects.exists()
    assert not LedgerEvent.objects.exists()
