"""The plain-SQL paths of commands and authority give what the ORM gave, row for row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from baro.core.errors import DomainError
from baro.core.sql import insert_row, locked_row, row_by
from baro.core.timeutil import today
from baro.core.validation import clean_fields
from baro.org import authority
from baro.org.authority import ROLE_POWERS, Power
from baro.org.models import Position, Role, Unit
from baro.testing.factories import PositionFactory
from baro.testing.org import World

pytestmark = pytest.mark.django_db


def _orm_positions(person: object, power: str, unit: Unit, day: dt.date) -> list[Position]:
    """The queryset positions_granting used to run, as the reference."""
    roles = [role for role, powers in ROLE_POWERS.items() if power in powers]
    return list(
        Position.objects.filter(
            authority._active_on(day), person=person, unit_id__in=unit.ancestor_ids, role__in=roles
        ).select_related("unit")
    )


def test_positions_granting_matches_the_queryset(world: World) -> None:
    # The head of Sở A also deputises at the root, held an ended position in Sở B, and starts
    # as an officer in Phòng A1 next month: only current positions over the unit count.
    day = today()
    PositionFactory(person=world.head, unit=world.root, role=Role.DEPUTY)
    PositionFactory(
        person=world.head,
        unit=world.dept_b,
        role=Role.HEAD,
        valid_from=day - dt.timedelta(days=60),
        valid_to=day,
    )
    PositionFactory(
        person=world.head,
        unit=world.div_a1,
        role=Role.OFFICER,
        valid_from=day + dt.timedelta(days=30),
    )
    for power in Power.values:
        for unit in (world.root, world.dept_a, world.div_a1, world.dept_b, world.other_root):
            for when in (day, day - dt.timedelta(days=1), day + dt.timedelta(days=31)):
                fast = authority.positions_granting(world.head, power, unit, day=when)
                slow = _orm_positions(world.head, power, unit, when)
                assert [p.pk for p in fast] == [p.pk for p in slow], (power, unit.code, when)
                for mine, theirs in zip(fast, slow, strict=True):
                    for f in Position._meta.concrete_fields:
                        assert getattr(mine, f.attname) == getattr(theirs, f.attname)
                    for f in Unit._meta.concrete_fields:
                        assert getattr(mine.unit, f.attname) == getattr(theirs.unit, f.attname)
    granted = authority.positions_granting(world.head, Power.TASK_ASSIGN, world.div_a1, day=day)
    assert [(p.unit.code, p.role) for p in granted] == [("HN", Role.DEPUTY), ("SO-A", Role.HEAD)]


def _full_clean_first(obj: object, exclude: list[str]) -> tuple[str, list[str]] | None:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)  # type: ignore[attr-defined]
    except ValidationError as exc:
        return next(iter(exc.message_dict.items()))
    return None


@pytest.mark.parametrize(
    ("changes", "exclude"),
    [
        ({}, []),
        ({"person_id": 987654}, []),  # a person that does not exist
        ({"person_id": 987654, "role": "chief"}, []),  # two bad fields: the first one is named
        ({"unit_id": 987654, "title": "x" * 200}, []),
        ({"unit_id": 987654}, ["unit"]),  # excluded: not checked
        ({"role": "chief"}, ["person"]),
    ],
)
def test_clean_fields_reports_what_full_clean_reports(
    world: World, changes: dict[str, object], exclude: list[str]
) -> None:
    position = Position.objects.get(person=world.head)
    for name, value in changes.items():
        setattr(position, name, value)
    expected = _full_clean_first(position, exclude)
    if expected is None:
        clean_fields(position, area="org", exclude=exclude)
        return
    with pytest.raises(DomainError) as info:
        clean_fields(position, area="org", exclude=exclude)
    field, messages = expected
    assert info.value.field == field
    assert info.value.message == f"Giá trị không hợp lệ ở trường “{field}”: {' '.join(messages)}"


def test_locked_row_is_the_locked_queryset(world: World) -> None:
    with transaction.atomic():
        fast = locked_row(Position, Position.objects.get(person=world.officer).pk, related="unit")
        slow = Position.objects.select_for_update().select_related("unit").get(pk=fast.pk)
        with CaptureQueriesContext(transaction.get_connection()) as queries:
            unit = fast.unit  # loaded with the row
        assert len(queries) == 0
        for f in Position._meta.concrete_fields:
            assert getattr(fast, f.attname) == getattr(slow, f.attname)
        for f in Unit._meta.concrete_fields:
            assert getattr(unit, f.attname) == getattr(slow.unit, f.attname)
        assert not fast._state.adding
        with pytest.raises(Position.DoesNotExist):
            locked_row(Position, 987654, related="unit")
        plain = locked_row(Unit, world.root.pk)
        assert (plain.code, plain.path) == ("HN", world.root.path)


def test_row_by_is_the_queryset_by_a_unique_field(world: World) -> None:
    from baro.org.api_auth import hash_token
    from baro.org.models import ApiToken
    from baro.org.services import api_token_issue

    _token, raw = api_token_issue(actor=world.officer, person=world.officer, name="tích hợp")
    fast = row_by(ApiToken, "token_hash", hash_token(raw), related="person")
    slow = ApiToken.objects.select_related("person").get(token_hash=hash_token(raw))
    for f in ApiToken._meta.concrete_fields:
        assert getattr(fast, f.attname) == getattr(slow, f.attname)
    with CaptureQueriesContext(transaction.get_connection()) as queries:
        assert fast.person.full_name == slow.person.full_name  # loaded with the row
    assert len(queries) == 0
    with pytest.raises(ApiToken.DoesNotExist):
        row_by(ApiToken, "token_hash", hash_token("not a token"), related="person")
    assert row_by(Unit, "pk", world.root.pk).code == "HN"


def test_insert_row_stores_what_save_stores(world: World) -> None:
    def new_unit(code: str) -> Unit:
        return Unit(
            code=code,
            name=f"Phòng {code}",
            kind=world.div_a1.kind,
            parent=world.dept_a,
            path=world.dept_a.path,
            depth=world.dept_a.depth + 1,
            valid_from=world.dept_a.valid_from,
        )

    fast = insert_row(new_unit("X1"), related=("parent",))
    slow = new_unit("X2")
    slow.save(force_insert=True)
    assert fast.pk is not None
    # A saved row as a query loads it: its unique code is not taken by itself, and the parent
    # it was given is attached without a query.
    fast.full_clean()
    with CaptureQueriesContext(connection) as queries:
        assert fast.parent == world.dept_a
    assert len(queries) == 0
    assert {f.attname: getattr(fast, f.attname) for f in Unit._meta.concrete_fields} == {
        f.attname: getattr(Unit.objects.get(pk=fast.pk), f.attname)
        for f in Unit._meta.concrete_fields
    }
    stored_fast = Unit.objects.get(pk=fast.pk)
    stored_slow = Unit.objects.get(pk=slow.pk)
    for f in Unit._meta.concrete_fields:
        if getattr(f, "auto_now_add", False):  # stamped by pre_save, a moment apart
            assert getattr(stored_fast, f.attname) is not None
        elif f.name not in ("id", "code", "name"):
            assert getattr(stored_fast, f.attname) == getattr(stored_slow, f.attname), f.name
    assert (stored_fast.code, stored_fast.name) == ("X1", "Phòng X1")
    with pytest.raises(ValueError):
        insert_row(stored_fast)
