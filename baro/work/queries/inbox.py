"""What waits for a person's own action: the "Việc cần làm" section of every home page.

Each list is the person's direct business (their own units, not everything below them: a city
chairman does not accept a ward's tasks), newest deadline pressure first, capped for the page;
the counts are exact. The task page and the services still decide who may act.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from baro.core.timeutil import now
from baro.org import authority
from baro.org.authority import ROLE_POWERS, Power
from baro.org.models import Delegation, Person
from baro.work import rules
from baro.work.models import (
    Dispute,
    DisputeStatus,
    Extension,
    ExtensionStatus,
    Task,
    TaskStatus,
)

__all__ = ["Inbox", "InboxList", "work_inbox"]

SHOWN = 5


@dataclass
class InboxList:
    key: str
    label: str | Promise
    count: int
    items: list[object] = field(default_factory=list)


@dataclass
class Inbox:
    lists: list[InboxList]

    @property
    def total(self) -> int:
        return sum(item.count for item in self.lists)


def _units_by_power(person: Person, day: dt.date, powers: tuple[str, ...]) -> dict[str, set[int]]:
    """For each of `powers`, the units where `person` holds it by their own position (its
    role's powers) or a current delegation: two queries for all of them."""
    held: dict[str, set[int]] = {power: set() for power in powers}
    for position in authority.positions_held(person, day):
        for power in powers:
            if power in ROLE_POWERS.get(position.role, ()):
                held[power].add(position.unit_id)
    at = now()
    for unit_id, delegated in Delegation.objects.filter(
        delegate=person, valid_from__lte=at, valid_to__gt=at, revoked_at__isnull=True
    ).values_list("unit_id", "powers"):
        for power in powers:
            if power in delegated:
                held[power].add(unit_id)
    return held


def _listed(key: str, label: str | Promise, qs: QuerySet, today: dt.date) -> InboxList:
    items = list(qs[:SHOWN])
    for item in items:
        task = item if isinstance(item, Task) else item.task
        task.timing = rules.timing_status(task, today)
    return InboxList(key=key, label=label, count=qs.count(), items=items)


def work_inbox(person: Person, today: dt.date) -> Inbox:
    held = _units_by_power(
        person, today, (Power.TASK_HANDLE, Power.TASK_APPROVE, Power.DISPUTE_DECIDE)
    )
    handle_units, approve_units = held[Power.TASK_HANDLE], held[Power.TASK_APPROVE]
    # Only the head of the deciding unit (or their delegate) decides a dispute, and the head's
    # role is the only one holding dispute.decide.
    head_units = held[Power.DISPUTE_DECIDE]
    tasks = Task.objects.select_related("lead_unit", "assigning_unit").order_by("deadline", "pk")
    mine = Q(officer=person) | Q(officer__isnull=True, lead_unit_id__in=handle_units)
    approver = Q(assigner=person) | Q(assigning_unit_id__in=approve_units)
    return Inbox(
        lists=[
            _listed(
                "accept",
                _("Chờ tiếp nhận"),
                tasks.filter(status=TaskStatus.ASSIGNED, lead_unit_id__in=handle_units),
                today,
            ),
            _listed(
                "handle",
                _("Đang xử lý"),
                tasks.filter(mine, status=TaskStatus.IN_PROGRESS),
                today,
            ),
            _listed(
                "approve",
                _("Chờ duyệt kết quả"),
                tasks.filter(approver, status=TaskStatus.SUBMITTED),
                today,
            ),
            _listed(
                "extension",
                _("Đề nghị gia hạn chờ quyết định"),
                Extension.objects.filter(
                    Q(task__assigner=person) | Q(task__assigning_unit_id__in=approve_units),
                    status=ExtensionStatus.REQUESTED,
                )
                .select_related("task", "task__lead_unit")
                .order_by("task__deadline", "pk"),
                today,
            ),
            _listed(
                "dispute",
                _("Tranh chấp thẩm quyền chờ quyết định"),
                Dispute.objects.filter(status=DisputeStatus.OPEN, decider_unit_id__in=head_units)
                .select_related("task", "task__lead_unit", "refusing_unit", "proposed_unit")
                .order_by("deadline", "pk"),
                today,
            ),
        ]
    )
