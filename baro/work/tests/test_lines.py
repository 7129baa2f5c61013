"""Assignment lines across the political system (issue 13, point 6): which units may make
which the lead of a task is one rule, data an administrator changes, asked by the command and
by the assign form alike; coordination is wider. The refusal's drop-down shows the tree.

Hà Nội ── Thành ủy
       ├─ UBND Thành phố ── Sở Tài chính ── Phòng Ngân sách
       │                 └─ Phường Ba Đình ── Đảng ủy phường, Ủy ban MTTQ phường, Phòng Văn hóa
       └─ Ủy ban MTTQ Thành phố ── Hội Liên hiệp Phụ nữ Thành phố
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from baro.core.errors import AuthorityError
from baro.core.timeutil import today
from baro.org.models import Person, Role, Unit, UnitKind, UnitSystem
from baro.org.services import person_create, unit_create
from baro.org.systems import systems_of
from baro.testing.ledger import last_seq, one_new_event
from baro.testing.work import WorkWorld, refused
from baro.work import lines, services
from baro.work.models import AssignmentLine, DeadlineRule, LineReach, Task


@dataclass
class Tree:
    ww: WorkWorld
    party: Unit
    ubnd: Unit
    finance: Unit
    budget: Unit
    ward: Unit
    ward_party: Unit
    ward_front: Unit
    ward_culture: Unit
    front: Unit
    women: Unit
    chairman: Person
    secretary: Person
    ward_secretary: Person


@pytest.fixture
def tree(ww: WorkWorld) -> Tree:
    admin = ww.w.admin

    def unit(code: str, name: str, kind: str, parent: Unit) -> Unit:
        return unit_create(actor=admin, code=code, name=name, kind=kind, parent=parent)

    def head(unit: Unit, code: str) -> Person:
        return person_create(
            actor=admin,
            unit=unit,
            full_name=f"Trưởng {unit.name}",
            code=code,
            role=Role.HEAD,
            username=code.lower(),
            password="mat-khau-thu-nghiem",
        )

    party = unit("TU", "Thành ủy", UnitKind.PARTY_COMMITTEE, ww.root)
    ubnd = unit("UBND", "UBND Thành phố", UnitKind.PEOPLES_COMMITTEE, ww.root)
    finance = unit("STC", "Sở Tài chính", UnitKind.DEPARTMENT, ubnd)
    budget = unit("STC-NS", "Phòng Ngân sách", UnitKind.DIVISION, finance)
    ward = unit("BD", "Phường Ba Đình", UnitKind.COMMUNE, ubnd)
    ward_party = unit("BD-DU", "Đảng ủy phường Ba Đình", UnitKind.PARTY_COMMITTEE, ward)
    ward_front = unit("BD-MT", "Ủy ban MTTQ phường Ba Đình", UnitKind.FATHERLAND_FRONT, ward)
    ward_culture = unit("BD-VH", "Phòng Văn hóa - Xã hội", UnitKind.DIVISION, ward)
    front = unit("MTTQ", "Ủy ban MTTQ Thành phố", UnitKind.FATHERLAND_FRONT, ww.root)
    women = unit("HLHPN", "Hội Liên hiệp Phụ nữ", UnitKind.SOCIO_POLITICAL, front)
    return Tree(
        ww,
        party,
        ubnd,
        finance,
        budget,
        ward,
        ward_party,
        ward_front,
        ward_culture,
        front,
        women,
        chairman=head(ubnd, "CT-UBND"),
        secretary=head(party, "BT-TU"),
        ward_secretary=head(ward_party, "BT-BD"),
    )


def give(tree: Tree, actor: Person, through: Unit, lead: Unit, **extra: Any) -> Task:
    return services.task_assign(
        actor=actor,
        title="Nhiệm vụ",
        lead_unit=lead,
        assigning_unit=through,
        deadline_rule=DeadlineRule.WORKING_DAYS,
        deadline_days=10,
        **extra,
    )


def test_each_unit_belongs_to_a_system_divisions_to_their_superiors(tree: Tree) -> None:
    systems = systems_of([tree.budget, tree.ward_culture, tree.ward_party, tree.women])
    assert systems == {
        tree.budget.pk: UnitSystem.GOVERNMENT,
        tree.ward_culture.pk: UnitSystem.GOVERNMENT,
        tree.ward_party.pk: UnitSystem.PARTY,
        tree.women.pk: UnitSystem.SOCIO_POLITICAL,
    }


def test_a_government_body_never_makes_a_party_or_front_body_the_lead(tree: Tree) -> None:
    for lead in (tree.ward_party, tree.ward_front):
        error = refused(
            "work.lead_line",
            lambda lead=lead: give(tree, tree.chairman, tree.ubnd, lead),
            error=AuthorityError,
        )
        assert "có thể được mời phối hợp" in error.message
    # government bodies below it it does lead, divisions of a department included
    assert give(tree, tree.chairman, tree.ubnd, tree.budget).lead_unit == tree.budget
    assert give(tree, tree.chairman, tree.ubnd, tree.ward).lead_unit == tree.ward


def test_the_front_and_its_members_may_be_asked_to_coordinate(tree: Tree) -> None:
    task = give(
        tree,
        tree.chairman,
        tree.ubnd,
        tree.finance,
        coordinators=[(tree.ward_front, "", None), (tree.front, "", None), (tree.women, "", None)],
    )
    assert set(task.coordinators.values_list("unit_id", flat=True)) == {
        tree.ward_front.pk,
        tree.front.pk,
        tree.women.pk,
    }
    # beyond the assigning unit's level, not even coordination
    refused(
        "work.coordinator_outside",
        lambda: give(
            tree,
            tree.chairman,
            tree.ubnd,
            tree.finance,
            coordinators=[(tree.ww.w.other_root, "", None)],
        ),
        error=AuthorityError,
    )


def test_a_party_committee_directs_the_political_system_at_its_level_and_below(
    tree: Tree,
) -> None:
    for lead in (tree.ubnd, tree.front, tree.women, tree.ward_party, tree.budget):
        assert give(tree, tree.secretary, tree.party, lead).lead_unit == lead
    # the city as a unit (the whole political system there) leads any unit below it
    for lead in (tree.party, tree.front, tree.ward_party):
        assert give(tree, tree.ww.city_head, tree.ww.root, lead).lead_unit == lead
    # the ward's Party committee: the ward's bodies, not the city's
    assert give(tree, tree.ward_secretary, tree.ward_party, tree.ward).lead_unit == tree.ward
    assert give(tree, tree.ward_secretary, tree.ward_party, tree.ward_front).lead_unit == (
        tree.ward_front
    )
    refused(
        "work.lead_outside",
        lambda: give(tree, tree.ward_secretary, tree.ward_party, tree.finance),
        error=AuthorityError,
    )


@pytest.mark.django_db
def test_the_migration_seeds_every_pair_with_the_defaults() -> None:
    rows = {
        (r.assigner_system, r.lead_system): (r.reach, r.note) for r in AssignmentLine.objects.all()
    }
    assert len(rows) == len(UnitSystem.values) ** 2
    expected = {pair: lines.DEFAULT_LINES.get(pair, (LineReach.NONE, "")) for pair in rows}
    assert rows == expected


def test_an_administrator_changes_a_line_and_the_command_and_the_form_follow(
    tree: Tree,
) -> None:
    day = today()
    assert tree.ward_front not in lines.lead_choices([tree.ubnd], day)
    seq = last_seq()
    services.assignment_line_set(
        actor=tree.ww.w.admin,
        assigner_system=UnitSystem.GOVERNMENT,
        lead_system=UnitSystem.FRONT,
        reach=LineReach.BELOW,
        note="Thí điểm theo quyết định của Thành phố",
    )
    event = one_new_event(seq)
    assert event.action == "work.assignment_line.set"
    assert event.payload["before"]["reach"] == ""
    assert event.payload["after"]["reach"] == "below"
    assert tree.ward_front in lines.lead_choices([tree.ubnd], day)
    assert give(tree, tree.chairman, tree.ubnd, tree.ward_front).lead_unit == tree.ward_front


@pytest.mark.parametrize("who", ["chairman", "secretary"])
def test_only_an_installation_administrator_changes_a_line(tree: Tree, who: str) -> None:
    before = list(AssignmentLine.objects.order_by("pk").values())
    seq = last_seq()
    with pytest.raises(AuthorityError):
        services.assignment_line_set(
            actor=getattr(tree, who),
            assigner_system=UnitSystem.GOVERNMENT,
            lead_system=UnitSystem.PARTY,
            reach=LineReach.BELOW,
        )
    assert list(AssignmentLine.objects.order_by("pk").values()) == before
    assert last_seq() == seq


def test_the_form_offers_only_the_leads_the_command_accepts(tree: Tree) -> None:
    day = today()
    offered = lines.lead_choices([tree.ubnd], day)
    assert tree.ward_party not in offered and tree.ward_front not in offered
    assert {tree.ubnd, tree.finance, tree.budget, tree.ward, tree.ward_culture} <= set(offered)
    for lead in offered:  # every unit offered is one the command takes
        lines.check_lead(tree.ubnd, lead)
    assert tree.chairman.user is not None
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(tree.chairman.user)
    page = client.get(reverse("work:task_assign")).content.decode()
    lead_select = re.search(r'<select name="lead_unit".*?</select>', page, re.S)
    assert lead_select is not None
    assert "Đảng ủy phường Ba Đình" not in lead_select.group(0)
    assert "Phòng Ngân sách" in lead_select.group(0)
    coordinator_select = re.search(r'<select name="coord-0-unit".*?</select>', page, re.S)
    assert coordinator_select is not None
    assert "Ủy ban MTTQ phường Ba Đình" in coordinator_select.group(0)


def test_the_refusal_drop_down_groups_units_under_their_superior(tree: Tree) -> None:
    task = give(tree, tree.chairman, tree.ubnd, tree.ward)
    ward_head = person_create(
        actor=tree.ww.w.admin,
        unit=tree.ward,
        full_name="Chủ tịch phường",
        code="CT-BD",
        role=Role.HEAD,
        username="ct-bd",
        password="mat-khau-thu-nghiem",
    )
    assert ward_head.user is not None
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(ward_head.user)
    page = client.get(reverse("work:task_refuse", args=[task.pk])).content.decode()
    select = re.search(r'<select name="proposed_unit".*?</select>', page, re.S)
    assert select is not None
    groups = dict(re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select.group(0), re.S))
    assert "Phòng Ngân sách" in groups["Sở Tài chính"]
    assert "Phòng Ngân sách" not in groups["UBND Thành phố"]
    assert "Sở Tài chính" in groups["UBND Thành phố"]
    # the refusing ward is not offered, yet its divisions still show under its name
    assert "Phòng Văn hóa - Xã hội" in groups["Phường Ba Đình"]
