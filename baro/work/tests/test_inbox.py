"""The home page's "Việc cần làm": each person sees what waits for their own action, and only
that."""

from __future__ import annotations

from baro.core.timeutil import today
from baro.testing.work import WorkWorld, assign
from baro.work import services
from baro.work.queries.inbox import work_inbox


def _counts(person) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {box.key: box.count for box in work_inbox(person, today()).lists}


def test_a_new_task_waits_for_the_lead_units_head_only(ww: WorkWorld) -> None:
    task = assign(ww)
    assert _counts(ww.w.head)["accept"] == 1  # head of Sở A, the lead
    assert _counts(ww.head_b)["accept"] == 0
    # The city's head assigned it: not theirs to accept, though they hold task.handle above.
    assert _counts(ww.city_head)["accept"] == 0
    items = work_inbox(ww.w.head, today()).lists[0].items
    assert items == [task]


def test_submitted_results_wait_for_the_assigner_and_disputes_for_the_decider(
    ww: WorkWorld,
) -> None:
    task = assign(ww, officer=ww.w.officer)
    services.task_accept(actor=ww.w.head, task=task)
    assert _counts(ww.w.officer)["handle"] == 1
    services.task_submit(actor=ww.w.officer, task=task, note="Xong")
    assert _counts(ww.w.officer)["handle"] == 0
    assert _counts(ww.city_head)["approve"] == 1
    assert _counts(ww.head_b)["approve"] == 0

    other = assign(ww, title="Việc bị từ chối")
    services.task_refuse(
        actor=ww.w.head, task=other, reason="Thuộc chức năng của Sở B", proposed_unit=ww.dept_b
    )
    assert _counts(ww.city_head)["dispute"] == 1  # head of the lowest common superior
    assert _counts(ww.w.head)["dispute"] == 0
    assert _counts(ww.head_b)["dispute"] == 0


def test_an_extension_request_waits_for_the_assigning_side(ww: WorkWorld) -> None:
    task = assign(ww)
    services.task_accept(actor=ww.w.head, task=task)
    services.extension_request(
        actor=ww.w.head,
        task=task,
        reason="Chờ số liệu của các phường",
        new_deadline=task.deadline.replace(year=task.deadline.year + 1),
    )
    assert _counts(ww.city_head)["extension"] == 1
    assert _counts(ww.city_deputy)["extension"] == 1  # task.approve over the city
    assert _counts(ww.w.head)["extension"] == 0
