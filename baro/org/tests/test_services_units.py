from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from baro.core.errors import ConflictError
from baro.org import queries, services
from baro.org.models import Position, SuccessionKind, Unit, UnitKind, UnitSuccession
from baro.testing.factories import UnitFactory
from baro.testing.ledger import last_seq, one_new_event
from baro.testing.org import World, assert_refused

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + dt.timedelta(days=1)


def test_unit_create_sets_path_depth_and_records_one_event(world: World) -> None:
    seq = last_seq()
    unit = services.unit_create(
        actor=world.admin, code="PHONG-A2", name="Phòng A2", kind="division", parent=world.dept_a
    )
    unit.refresh_from_db()
    assert unit.path == f"{world.dept_a.path}{unit.pk:010d}."
    assert unit.depth == 2
    assert unit.ancestor_ids == [world.root.pk, world.dept_a.pk, unit.pk]
    event = one_new_event(seq)
    assert (event.action, event.object_type, event.object_id) == (
        "org.unit.created",
        "org.unit",
        str(unit.pk),
    )
    assert event.actor == world.admin.ledger_ref
    assert event.payload["before"] is None
    assert event.payload["after"]["code"] == "PHONG-A2"


def test_a_root_gets_a_one_segment_path(world: World) -> None:
    root = services.unit_create(actor=world.system, code="DN", name="Đà Nẵng", kind="province")
    assert (root.path, root.depth, root.parent_id) == (f"{root.pk:010d}.", 0, None)


def test_unit_create_refuses_a_taken_code(world: World) -> None:
    assert_refused(
        "org.unit_code_taken",
        lambda: services.unit_create(
            actor=world.admin, code="SO-B", name="Trùng", kind="department", parent=world.root
        ),
        error=ConflictError,
    )


def test_unit_create_refuses_an_unknown_kind(world: World) -> None:
    assert_refused(
        "org.unit_kind_invalid",
        lambda: services.unit_create(
            actor=world.admin, code="X1", name="X", kind="galaxy", parent=world.root
        ),
    )


def test_unit_create_refuses_a_closed_parent(world: World) -> None:
    closed = UnitFactory(parent=world.root, valid_to=timezone.localdate())
    assert_refused(
        "org.unit_inactive",
        lambda: services.unit_create(
            actor=world.system, code="X2", name="X", kind="division", parent=closed
        ),
    )


def test_unit_update_changes_fields_with_before_and_after(world: World) -> None:
    seq = last_seq()
    unit = services.unit_update(
        actor=world.admin, unit=world.dept_a, name="Sở Nội vụ", mandate="Tổ chức bộ máy"
    )
    assert Unit.objects.get(pk=unit.pk).name == "Sở Nội vụ"
    event = one_new_event(seq)
    assert event.payload["before"]["name"] == "Sở A"
    assert event.payload["after"]["name"] == "Sở Nội vụ"
    assert sorted(event.payload["fields"]) == ["mandate", "name"]


def test_unit_update_refuses_an_empty_name(world: World) -> None:
    assert_refused(
        "org.field_required",
        lambda: services.unit_update(actor=world.admin, unit=world.dept_a, name="  "),
    )


def test_unit_move_rewrites_the_whole_subtree(world: World) -> None:
    grandchild = UnitFactory(parent=world.div_a1, code="TO-1", kind=UnitKind.OTHER)
    seq = last_seq()
    services.unit_move(actor=world.admin, unit=world.dept_a, new_parent=world.dept_b)
    one_new_event(seq)
    for unit in (world.dept_a, world.div_a1, grandchild):
        unit.refresh_from_db()
    assert world.dept_a.parent_id == world.dept_b.pk
    assert world.dept_a.path == f"{world.dept_b.path}{world.dept_a.pk:010d}."
    assert grandchild.path == f"{world.div_a1.path}{grandchild.pk:010d}."
    assert (world.dept_a.depth, world.div_a1.depth, grandchild.depth) == (2, 3, 4)
    assert [u.code for u in queries.ancestors(grandchild)] == ["HN", "SO-B", "SO-A", "PHONG-A1"]
    assert {u.code for u in queries.subtree(world.dept_b)} == {
        "SO-B",
        "SO-A",
        "PHONG-A1",
        "TO-1",
    }
    assert {u.code for u in queries.subtree(world.root)} == {
        "HN",
        "SO-A",
        "PHONG-A1",
        "SO-B",
        "TO-1",
    }
    assert queries.lowest_common_superior(grandchild, world.dept_b) == world.dept_b


def test_unit_move_refuses_a_cycle(world: World) -> None:
    assert_refused(
        "org.unit_cycle",
        lambda: services.unit_move(actor=world.admin, unit=world.dept_a, new_parent=world.div_a1),
    )
    assert_refused(
        "org.unit_cycle",
        lambda: services.unit_move(actor=world.admin, unit=world.dept_a, new_parent=world.dept_a),
    )


def test_unit_close_ends_positions_and_records_the_successor(world: World) -> None:
    seq = last_seq()
    services.unit_close(
        actor=world.admin,
        unit=world.div_a1,
        on=TOMORROW,
        successor=world.dept_b,
        kind=SuccessionKind.DISSOLVED,
        decision_ref="QĐ 12/QĐ-UBND",
    )
    event = one_new_event(seq)
    world.div_a1.refresh_from_db()
    assert world.div_a1.valid_to == TOMORROW
    position = Position.objects.get(person=world.officer)
    assert position.valid_to == TOMORROW
    assert event.payload["positions_ended"] == [position.pk]
    assert UnitSuccession.objects.get(predecessor=world.div_a1).successor == world.dept_b
    assert queries.current_successors(world.div_a1) == [world.dept_b]
    assert world.div_a1 not in queries.children(world.dept_a, on=TOMORROW)
    assert world.div_a1 in queries.children(world.dept_a)  # still open today


def test_unit_close_refuses_a_unit_with_active_children(world: World) -> None:
    assert_refused(
        "org.unit_has_children",
        lambda: services.unit_close(actor=world.admin, unit=world.dept_a, on=TOMORROW),
    )


def test_unit_merge_closes_each_unit_into_the_target_with_one_event(world: World) -> None:
    extra = UnitFactory(parent=world.root, code="SO-C")
    services.unit_close(actor=world.admin, unit=world.div_a1, on=TOMORROW)
    seq = last_seq()
    services.unit_merge(
        actor=world.admin, units=[world.dept_a, extra], into=world.dept_b, on=TOMORROW
    )
    event = one_new_event(seq)
    assert event.action == "org.unit.merged"
    assert Unit.objects.filter(code__in=["SO-A", "SO-C"], valid_to=TOMORROW).count() == 2
    assert set(
        UnitSuccession.objects.filter(kind=SuccessionKind.MERGED).values_list(
            "predecessor__code", flat=True
        )
    ) == {"SO-A", "SO-C"}
    # a closed successor is followed on to the active one
    assert queries.current_successors(world.div_a1) == []
    assert queries.current_successors(world.dept_a, on=TOMORROW) == [world.dept_b]


def test_unit_merge_refuses_all_when_one_unit_has_children(world: World) -> None:
    extra = UnitFactory(parent=world.root, code="SO-C")
    assert_refused(
        "org.unit_has_children",
        lambda: services.unit_merge(
            actor=world.admin, units=[extra, world.dept_a], into=world.dept_b, on=TOMORROW
        ),
    )
