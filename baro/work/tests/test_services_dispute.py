"""Refusal opens a dispute; only the lowest common superior's head (or its delegate) decides,
and the decision binds."""

from __future__ import annotations

from baro.core.errors import AuthorityError
from baro.core.timeutil import today
from baro.testing.ledger import last_seq, one_new_event
from baro.testing.work import WorkWorld, assign, refused
from baro.work import services
from baro.work.models import Dispute, DisputeStatus, Task, TaskCoordinator, TaskStatus
from baro.work.queries.detail import open_dispute
from baro.workdays.calendar import add_working_days

REASON = "Nội dung thuộc chức năng quản lý nhà nước của Sở B"


def refuse(ww: WorkWorld, task: Task | None = None) -> Task:
    task = task or assign(ww)
    return services.task_refuse(actor=ww.w.head, task=task, reason=REASON, proposed_unit=ww.dept_b)


def test_refusal_opens_a_dispute_and_keeps_the_lead(ww: WorkWorld) -> None:
    task = assign(ww)
    seq = last_seq()
    task = refuse(ww, task)
    assert task.status == TaskStatus.DISPUTED
    assert task.lead_unit == ww.dept_a  # never ownerless
    assert task.bounce_count == 1
    dispute = open_dispute(task)
    assert dispute is not None
    assert dispute.decider_unit == ww.root  # lowest common superior of Sở A and Sở B
    assert dispute.deadline == add_working_days(today(), services.DISPUTE_DECISION_WORKING_DAYS)
    assert (dispute.refusing_unit, dispute.proposed_unit) == (ww.dept_a, ww.dept_b)
    event = one_new_event(seq)  # one event for the refusal and the dispute it opens
    assert event.action == "work.task.refused"
    assert event.payload["dispute"]["decider_unit_id"] == ww.root.pk
    assert event.payload["after"]["bounce_count"] == 1


def test_refusal_bad_input(ww: WorkWorld) -> None:
    task = assign(ww)
    refused(
        "work.field_required",
        lambda: services.task_refuse(
            actor=ww.w.head, task=task, reason="  ", proposed_unit=ww.dept_b
        ),
    )
    refused(
        "work.field_required",
        lambda: services.task_refuse(actor=ww.w.head, task=task, reason=REASON, proposed_unit=None),
    )
    refused(
        "work.proposed_is_lead",
        lambda: services.task_refuse(
            actor=ww.w.head, task=task, reason=REASON, proposed_unit=ww.dept_a
        ),
    )
    refused(
        "work.no_common_superior",
        lambda: services.task_refuse(
            actor=ww.w.head, task=task, reason=REASON, proposed_unit=ww.w.other_root
        ),
    )


def test_refusal_by_someone_else_or_in_the_wrong_state(ww: WorkWorld) -> None:
    task = assign(ww, officer=ww.w.head)
    for actor in (ww.head_b, ww.w.officer, ww.w.outsider):
        refused(
            "auth.denied",
            lambda a=actor: services.task_refuse(
                actor=a, task=task, reason=REASON, proposed_unit=ww.dept_b
            ),
            error=AuthorityError,
        )
    services.task_accept(actor=ww.w.head, task=task)
    refused("work.wrong_state", lambda: refuse(ww, task))


def test_city_head_decides_and_the_decision_binds(ww: WorkWorld) -> None:
    task = refuse(ww)
    dispute = open_dispute(task)
    assert dispute is not None
    seq = last_seq()
    dispute = services.dispute_decide(
        actor=ww.city_head, dispute=dispute, unit=ww.dept_b, reason="Đúng chức năng Sở B"
    )
    task.refresh_from_db()
    assert (task.lead_unit, task.status) == (ww.dept_b, TaskStatus.ASSIGNED)
    assert (dispute.status, dispute.decided_unit, dispute.decided_by) == (
        DisputeStatus.DECIDED,
        ww.dept_b,
        ww.city_head,
    )
    event = one_new_event(seq)
    assert event.action == "work.dispute.decided"
    assert event.object_type == "work.dispute"
    assert event.on_behalf_of == ""
    assert event.payload["before"]["lead_unit_id"] == ww.dept_a.pk
    assert event.payload["after"]["lead_unit_id"] == ww.dept_b.pk
    # Sở B may not throw it back.
    refused(
        "work.dispute_final",
        lambda: services.task_refuse(
            actor=ww.head_b, task=task, reason="Không phải của chúng tôi", proposed_unit=ww.dept_a
        ),
    )
    services.task_accept(actor=ww.head_b, task=task)


def test_decision_keeping_the_first_lead_binds_it_too(ww: WorkWorld) -> None:
    task = refuse(ww)
    services.dispute_decide(
        actor=ww.city_head, dispute=open_dispute(task), unit=ww.dept_a, reason="Giữ nguyên"
    )
    task.refresh_from_db()
    assert task.lead_unit == ww.dept_a
    refused("work.dispute_final", lambda: refuse(ww, task))


def test_delegate_of_the_head_decides_on_his_behalf(ww: WorkWorld) -> None:
    task = refuse(ww)
    seq = last_seq()
    services.dispute_decide(
        actor=ww.chief, dispute=open_dispute(task), unit=ww.dept_b, reason="Theo ủy quyền"
    )
    assert one_new_event(seq).on_behalf_of == ww.city_head.ledger_ref


def test_only_the_decider_head_may_decide(ww: WorkWorld) -> None:
    task = refuse(ww)
    dispute = open_dispute(task)
    assert dispute is not None
    # Deputy holds task powers over Hà Nội, the admin and Sở A's head hold other powers, the
    # refusing and proposed heads are parties: none decides.
    for actor in (ww.city_deputy, ww.w.admin, ww.w.head, ww.head_b, ww.w.outsider, ww.w.system):
        refused(
            "work.not_decider",
            lambda a=actor: services.dispute_decide(
                actor=a, dispute=dispute, unit=ww.dept_b, reason="x"
            ),
            error=AuthorityError,
        )


def test_a_higher_head_may_not_take_over_a_lower_dispute(ww: WorkWorld) -> None:
    # Phòng A1 refuses towards Sở A itself: the lowest common superior is Sở A.
    task = assign(ww, actor=ww.w.head, assigning_unit=ww.dept_a, lead_unit=ww.div_a1)
    services.task_refuse(actor=ww.w.head, task=task, reason=REASON, proposed_unit=ww.dept_a)
    dispute = open_dispute(task)
    assert dispute is not None and dispute.decider_unit == ww.dept_a
    refused(
        "work.not_decider",
        lambda: services.dispute_decide(
            actor=ww.city_head, dispute=dispute, unit=ww.dept_a, reason="x"
        ),
        error=AuthorityError,
    )
    services.dispute_decide(actor=ww.w.head, dispute=dispute, unit=ww.dept_a, reason="Sở làm")


def test_decision_bad_input(ww: WorkWorld) -> None:
    task = refuse(ww, assign(ww, coordinators=[(ww.div_a1, "Phối hợp", None)]))
    dispute = open_dispute(task)
    assert dispute is not None
    decide = services.dispute_decide
    refused(
        "work.field_required",
        lambda: decide(actor=ww.city_head, dispute=dispute, unit=ww.dept_b, reason=""),
    )
    refused(
        "work.decided_outside",
        lambda: decide(actor=ww.city_head, dispute=dispute, unit=ww.w.other_root, reason="x"),
    )
    decide(actor=ww.city_head, dispute=dispute, unit=ww.dept_b, reason="x")
    refused(
        "work.dispute_closed",
        lambda: decide(actor=ww.city_head, dispute=dispute, unit=ww.dept_a, reason="x"),
    )
    assert Dispute.objects.filter(task=task).count() == 1


def test_a_disputed_task_accepts_nothing_but_the_decision(ww: WorkWorld) -> None:
    task = refuse(ww)
    refused("work.wrong_state", lambda: services.task_accept(actor=ww.w.head, task=task))
    refused(
        "work.wrong_state",
        lambda: services.task_cancel(actor=ww.city_head, task=task, reason="x"),
    )


def test_moving_the_lead_clears_the_officer_and_closes_the_old_leads_extension(
    ww: WorkWorld,
) -> None:
    import datetime as dt

    from baro.work.models import ExtensionStatus

    task = assign(ww, officer=ww.w.officer)
    extension = services.extension_request(
        actor=ww.w.head,  # the unit asks before accepting (its officer may not yet)
        task=task,
        new_deadline=task.deadline + dt.timedelta(days=5),
        reason="Cần thêm thời gian",
    )
    task = refuse(ww, task)
    seq = last_seq()
    services.dispute_decide(
        actor=ww.city_head, dispute=open_dispute(task), unit=ww.dept_b, reason="Sở B"
    )
    task.refresh_from_db()
    extension.refresh_from_db()
    assert task.officer is None
    assert extension.status == ExtensionStatus.REFUSED
    assert one_new_event(seq).payload["extensions_closed"] == [extension.pk]


def test_the_decider_may_give_the_lead_to_a_coordinating_unit(ww: WorkWorld) -> None:
    # Sở A refuses, naming Sở B, which was coordinating: the decision binds, so Sở B leads and
    # its coordinating part ends, kept in the one event of the decision.
    task = refuse(ww, assign(ww, coordinators=[(ww.dept_b, "Thẩm định hồ sơ", None)]))
    dispute = open_dispute(task)
    assert dispute is not None
    seq = last_seq()
    services.dispute_decide(
        actor=ww.city_head, dispute=dispute, unit=ww.dept_b, reason="Sở B chủ trì"
    )
    event = one_new_event(seq)
    task.refresh_from_db()
    assert task.lead_unit == ww.dept_b
    assert not TaskCoordinator.objects.filter(task=task, unit=ww.dept_b).exists()
    ended = event.payload["coordination_ended"]
    assert ended["unit_id"] == ww.dept_b.pk and ended["part"] == "Thẩm định hồ sơ"


def test_a_stale_page_cannot_accept_a_task_whose_lead_moved_meanwhile(ww: WorkWorld) -> None:
    # Sở A's head opened the task while Sở A led it; meanwhile it was refused and the city's
    # head gave it to Sở B. Accepting from the stale page is judged on the locked, current row.
    stale = assign(ww)
    services.task_refuse(actor=ww.w.head, task=stale, reason=REASON, proposed_unit=ww.dept_b)
    dispute = open_dispute(stale)
    assert dispute is not None
    services.dispute_decide(actor=ww.city_head, dispute=dispute, unit=ww.dept_b, reason="Sở B")
    assert stale.lead_unit == ww.dept_a  # the object the page still holds
    refused(
        "auth.denied",
        lambda: services.task_accept(actor=ww.w.head, task=stale),
        error=AuthorityError,
    )
    stale.refresh_from_db()
    assert services.task_accept(actor=ww.head_b, task=stale).lead_unit == ww.dept_b
