"""Every cascade command: who may, who may not, its one ledger event, and bad input refused
with nothing changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from baro.cascade import services
from baro.cascade.models import Acknowledgement, DeploymentForm, DirectiveReceipt
from baro.core.errors import AuthorityError, ConflictError
from baro.org.models import UnitKind
from baro.org.services import unit_close, unit_create
from baro.testing.cascade import DEPLOY_DUE, PLAN_DUE, SENT, CascadeWorld, at, refused, register
from baro.testing.ledger import last_seq, one_new_event

pytestmark = pytest.mark.django_db


def send(cw: CascadeWorld, *units: Any, actor: Any = None, **kwargs: Any) -> list[DirectiveReceipt]:
    return services.directive_send(
        actor=actor or cw.city_head,
        directive=cw.directive,
        units=list(units) or [cw.dept_a, cw.dept_b],
        **kwargs,
    )


def receipt_a(cw: CascadeWorld) -> DirectiveReceipt:
    return send(cw, cw.dept_a, cw.dept_b)[0]


def plan(cw: CascadeWorld, receipt: DirectiveReceipt, **kwargs: Any) -> DirectiveReceipt:
    values: dict[str, Any] = {
        "actor": cw.head,
        "receipt": receipt,
        "number_symbol": "15-KH/ĐU",
        "issued_on": SENT,
        "title": "Kế hoạch thực hiện Chỉ thị 24-CT/TU",
    }
    values.update(kwargs)
    return services.plan_issue(**values)


# --------------------------------------------------------------------------------------------
# send


@pytest.mark.parametrize("who", ["city_head", "secretary"])
def test_the_issuer_or_the_secretariat_sends_to_many_units_in_one_event(
    cw: CascadeWorld, who: str
) -> None:
    before = last_seq()
    receipts = send(cw, cw.dept_a, cw.dept_b, cw.div_a1, actor=getattr(cw, who))
    assert [r.unit for r in receipts] == [cw.dept_a, cw.dept_b, cw.div_a1]
    for receipt in receipts:
        assert (receipt.sent_on, receipt.plan_due, receipt.deploy_due) == (
            SENT,
            PLAN_DUE,
            DEPLOY_DUE,
        )
        assert receipt.parent is None and receipt.sent_by == getattr(cw, who)
    event = one_new_event(before)
    assert event.action == "cascade.directive.sent"
    assert event.actor == getattr(cw, who).ledger_ref
    assert event.object_id == str(cw.directive.pk)
    assert [r["unit_id"] for r in event.payload["receipts"]] == [
        cw.dept_a.pk,
        cw.dept_b.pk,
        cw.div_a1.pk,
    ]


@pytest.mark.parametrize("who", ["city_deputy", "head", "officer", "outsider", "admin"])
def test_others_may_not_send(cw: CascadeWorld, who: str) -> None:
    # A deputy assigns tasks but does not issue or register directives; the head of Sở A has
    # no power over Hà Nội; an administrator manages the registry, not documents.
    refused("auth.denied", lambda: send(cw, actor=getattr(cw, who)), error=AuthorityError)


def test_a_due_on_a_day_off_moves_to_the_next_working_day(cw: CascadeWorld, clock: Any) -> None:
    clock.move_to(at(dt.date(2025, 10, 4)))  # a Saturday: +7 is Saturday 11/10 → Monday 13/10
    receipt = send(cw, cw.dept_a, sent_on=dt.date(2025, 10, 4))[0]
    assert receipt.plan_due == dt.date(2025, 10, 13)
    assert receipt.deploy_due == dt.date(2025, 10, 20)  # Saturday 18/10 → Monday 20/10


def test_sending_twice_to_a_unit_is_refused_as_a_whole(cw: CascadeWorld) -> None:
    send(cw, cw.dept_a)
    error = refused("cascade.already_sent", lambda: send(cw, cw.dept_b, cw.dept_a))
    assert isinstance(error, ConflictError)
    assert "Sở A" in error.message
    assert not DirectiveReceipt.objects.filter(unit=cw.dept_b).exists()


def test_an_inactive_unit_is_refused(cw: CascadeWorld) -> None:
    closed = unit_create(
        actor=cw.admin,
        code="SO-C",
        name="Sở C",
        kind=UnitKind.DEPARTMENT,
        parent=cw.root,
        valid_from=dt.date(2025, 1, 1),
    )
    unit_close(actor=cw.admin, unit=closed, on=dt.date(2025, 9, 1), note="Sáp nhập")
    closed.refresh_from_db()
    error = refused("cascade.unit_inactive", lambda: send(cw, cw.dept_a, closed))
    assert error.field == "units" and "Sở C" in error.message


def test_bad_sends_are_refused_with_nothing_changed(cw: CascadeWorld) -> None:
    refused(
        "cascade.no_units",
        lambda: services.directive_send(actor=cw.city_head, directive=cw.directive, units=[]),
    )
    refused("cascade.unit_duplicate", lambda: send(cw, cw.dept_a, cw.dept_a))
    refused("cascade.unit_outside", lambda: send(cw, cw.other_root))
    refused("cascade.unit_outside", lambda: send(cw, cw.root))
    refused("cascade.date_in_future", lambda: send(cw, sent_on=SENT + dt.timedelta(days=1)))
    refused("cascade.sent_before_signed", lambda: send(cw, sent_on=dt.date(2025, 9, 29)))
    plain = register(cw.ww, number="25-CT/TU", requires_cascade=False)
    refused(
        "cascade.not_required",
        lambda: services.directive_send(actor=cw.city_head, directive=plain, units=[cw.dept_a]),
    )


# --------------------------------------------------------------------------------------------
# forward


def test_the_receiving_head_forwards_to_a_sub_unit(cw: CascadeWorld, clock: Any) -> None:
    receipt = receipt_a(cw)
    clock.move_to(at(dt.date(2025, 10, 3)))
    before = last_seq()
    [child] = services.receipt_forward(actor=cw.head, receipt=receipt, units=[cw.div_a1])
    assert (child.unit, child.parent, child.sent_on) == (cw.div_a1, receipt, dt.date(2025, 10, 3))
    assert (child.plan_due, child.deploy_due) == (dt.date(2025, 10, 10), dt.date(2025, 10, 17))
    event = one_new_event(before)
    assert event.action == "cascade.receipt.forwarded"
    assert event.object_id == str(receipt.pk)
    assert event.payload["receipts"] == [{"id": child.pk, "unit_id": cw.div_a1.pk}]


@pytest.mark.parametrize("who", ["head_b", "officer", "delegate", "outsider"])
def test_others_may_not_forward(cw: CascadeWorld, who: str) -> None:
    receipt = receipt_a(cw)
    refused(
        "auth.denied",
        lambda: services.receipt_forward(
            actor=getattr(cw, who), receipt=receipt, units=[cw.div_a1]
        ),
        error=AuthorityError,
    )


def test_bad_forwards_are_refused(cw: CascadeWorld) -> None:
    receipt = receipt_a(cw)
    forward = services.receipt_forward
    refused(
        "cascade.unit_outside", lambda: forward(actor=cw.head, receipt=receipt, units=[cw.dept_b])
    )
    refused(
        "cascade.unit_outside", lambda: forward(actor=cw.head, receipt=receipt, units=[cw.dept_a])
    )
    refused(
        "cascade.forward_before_received",
        lambda: forward(
            actor=cw.head, receipt=receipt, units=[cw.div_a1], sent_on=dt.date(2025, 9, 30)
        ),
    )
    forward(actor=cw.head, receipt=receipt, units=[cw.div_a1])
    refused(
        "cascade.already_sent", lambda: forward(actor=cw.head, receipt=receipt, units=[cw.div_a1])
    )


# --------------------------------------------------------------------------------------------
# plan


@pytest.mark.parametrize("who", ["head", "city_head", "city_deputy"])
def test_the_unit_leaders_issue_the_plan(cw: CascadeWorld, clock: Any, who: str) -> None:
    receipt = receipt_a(cw)
    clock.move_to(at(dt.date(2025, 10, 6)))
    before = last_seq()
    done = plan(cw, receipt, actor=getattr(cw, who), issued_on=dt.date(2025, 10, 6))
    assert done.plan_issued_on == dt.date(2025, 10, 6)
    assert done.plan_number_symbol == "15-KH/ĐU"
    assert done.plan_recorded_by == getattr(cw, who)
    event = one_new_event(before)
    assert event.action == "cascade.plan.issued"
    assert event.payload["before"]["plan_issued_on"] is None
    assert event.payload["after"]["plan_issued_on"] == "2025-10-06"


@pytest.mark.parametrize("who", ["delegate", "officer", "head_b", "secretary", "outsider"])
def test_members_and_strangers_may_not_issue_the_plan(cw: CascadeWorld, who: str) -> None:
    receipt = receipt_a(cw)
    refused("auth.denied", lambda: plan(cw, receipt, actor=getattr(cw, who)), error=AuthorityError)


def test_bad_plans_are_refused(cw: CascadeWorld) -> None:
    receipt = receipt_a(cw)
    refused("cascade.plan_before_sent", lambda: plan(cw, receipt, issued_on=dt.date(2025, 9, 30)))
    refused("cascade.date_in_future", lambda: plan(cw, receipt, issued_on=dt.date(2025, 10, 2)))
    refused("cascade.field_required", lambda: plan(cw, receipt, number_symbol="  "))
    refused("cascade.field_required", lambda: plan(cw, receipt, title=""))
    plan(cw, receipt)
    refused("cascade.plan_already_issued", lambda: plan(cw, receipt))


# --------------------------------------------------------------------------------------------
# deployment


def test_deployment_after_the_plan_keeps_the_member_count(cw: CascadeWorld, clock: Any) -> None:
    receipt = plan(cw, receipt_a(cw))
    clock.move_to(at(dt.date(2025, 10, 9)))
    before = last_seq()
    done = services.deployment_record(
        actor=cw.head,
        receipt=receipt,
        deployed_on=dt.date(2025, 10, 9),
        form=DeploymentForm.CONFERENCE,
        note="Hội nghị cán bộ chủ chốt",
    )
    assert (done.deployed_on, done.deployment_form) == (dt.date(2025, 10, 9), "conference")
    assert done.member_count == 3  # head, delegate, deputy of Sở A
    event = one_new_event(before)
    assert event.action == "cascade.deployment.recorded"
    assert event.payload["after"]["member_count"] == 3


def test_bad_deployments_are_refused(cw: CascadeWorld, clock: Any) -> None:
    receipt = receipt_a(cw)
    clock.move_to(at(dt.date(2025, 10, 9)))

    def deploy(
        day: dt.date = dt.date(2025, 10, 9), form: str = "meeting", actor: Any = None
    ) -> Any:
        return services.deployment_record(
            actor=actor or cw.head, receipt=receipt, deployed_on=day, form=form
        )

    refused("cascade.plan_missing", deploy)
    plan(cw, receipt, issued_on=dt.date(2025, 10, 7))
    refused("cascade.deploy_before_plan", lambda: deploy(dt.date(2025, 10, 6)))
    refused("cascade.date_in_future", lambda: deploy(dt.date(2025, 10, 10)))
    refused("cascade.invalid_choice", lambda: deploy(form="email"))
    refused("auth.denied", lambda: deploy(actor=cw.delegate), error=AuthorityError)
    deploy()
    refused("cascade.already_deployed", deploy)


# --------------------------------------------------------------------------------------------
# acknowledgement


def test_a_member_acknowledges_once_and_a_second_click_changes_nothing(cw: CascadeWorld) -> None:
    receipt = receipt_a(cw)
    before = last_seq()
    ack = services.receipt_acknowledge(actor=cw.delegate, receipt=receipt)
    assert (ack.receipt, ack.person) == (receipt, cw.delegate)
    event = one_new_event(before)
    assert event.action == "cascade.acknowledgement.recorded"
    assert event.actor == cw.delegate.ledger_ref
    assert event.payload["person_id"] == cw.delegate.pk
    seq = last_seq()
    again = services.receipt_acknowledge(actor=cw.delegate, receipt=receipt)
    assert again.pk == ack.pk
    assert last_seq() == seq
    assert Acknowledgement.objects.count() == 1


@pytest.mark.parametrize("who", ["officer", "city_head", "head_b", "outsider"])
def test_non_members_may_not_acknowledge(cw: CascadeWorld, who: str) -> None:
    # The officer of Phòng A1 is a member of the sub-unit, not of Sở A; the city head holds
    # powers over Sở A but is not one of its members.
    receipt = receipt_a(cw)
    refused(
        "cascade.not_member",
        lambda: services.receipt_acknowledge(actor=getattr(cw, who), receipt=receipt),
        error=AuthorityError,
    )
