"""Reads of the cascade: who has planned, deployed, acknowledged, and by how many days late.

Members of a unit are counted as baro.cascade.members says. The list of who has not
acknowledged is always read against today's members, so a newcomer is asked too and someone
who left is no longer counted. Who may see what is decided in baro.cascade.permissions.

A stage (plan, deployment) is on time when done on or before its due day, late by N days when
done N days after it, and, while not done, "overdue by N days" once the due day has passed
(the due day itself is still in time). A unit's "days late" is the largest of those figures,
including members who have not acknowledged past the deployment due.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from baro.cascade.members import members_by_unit, members_q
from baro.cascade.models import Acknowledgement, DirectiveReceipt
from baro.cascade.permissions import overview_scope
from baro.core.errors import NotFoundError
from baro.core.timeutil import format_date, today
from baro.org.models import Person, Position, Role, Unit
from baro.work.models import Directive

__all__ = [
    "CascadeOverview",
    "ReceiptRow",
    "Stage",
    "cascade_overview",
    "filter_rows",
    "forwards_of",
    "my_pending_acknowledgements",
    "pending_receipts",
    "receipt_rows",
    "receipts_to_handle",
]

# ?loc= values of the overview's filters, with their labels.
FILTER_PLAN_MISSING = "chua-ke-hoach"
FILTER_NOT_DEPLOYED = "chua-trien-khai"
FILTER_UNACKNOWLEDGED = "chua-quan-triet"
FILTERS = {
    FILTER_PLAN_MISSING: "Chưa ban hành kế hoạch",
    FILTER_NOT_DEPLOYED: "Chưa triển khai",
    FILTER_UNACKNOWLEDGED: "Còn cán bộ chưa quán triệt",
}


# --------------------------------------------------------------------------------------------
# the status of one receipt


@dataclass(frozen=True)
class Stage:
    """The plan or the deployment of one receipt, as of `today`.

    state      "on_time", "late" (done after the due day), "pending" (not done, still in
               time) or "overdue" (not done, due day passed)
    days       days late (late), days overdue (overdue), days left (pending), 0 when on time
    """

    kind: str  # "plan" or "deployment"
    due: dt.date
    done_on: dt.date | None
    state: str
    days: int

    @classmethod
    def of(cls, kind: str, due: dt.date, done_on: dt.date | None, today: dt.date) -> Stage:
        if done_on is not None:
            late = (done_on - due).days
            return cls(kind, due, done_on, "late" if late > 0 else "on_time", max(late, 0))
        if today > due:
            return cls(kind, due, None, "overdue", (today - due).days)
        return cls(kind, due, None, "pending", (due - today).days)

    @property
    def days_late(self) -> int:
        return self.days if self.state in ("late", "overdue") else 0

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    @property
    def label(self) -> str:
        missing = "Chưa ban hành" if self.kind == "plan" else "Chưa triển khai"
        if self.state == "on_time":
            return f"Đúng hạn ({format_date(self.done_on)})"
        if self.state == "late":
            return f"Trễ {self.days} ngày ({format_date(self.done_on)})"
        if self.state == "overdue":
            return f"{missing}, quá hạn {self.days} ngày"
        return f"{missing}, còn {self.days} ngày (hạn {format_date(self.due)})"

    @property
    def tone(self) -> str:
        """The badge colour: ok, warn (late or waiting), danger (overdue)."""
        return {"on_time": "ok", "late": "warn", "pending": "", "overdue": "danger"}[self.state]


@dataclass
class ReceiptRow:
    receipt: DirectiveReceipt
    level: int
    plan: Stage
    deployment: Stage
    members: list[Person]
    acknowledged: list[Person]
    not_acknowledged: list[Person]
    acknowledged_at: dict[int, dt.datetime] = field(default_factory=dict)
    ack_overdue_days: int = 0

    @property
    def unit(self) -> Unit:
        return self.receipt.unit

    @property
    def days_late(self) -> int:
        return max(self.plan.days_late, self.deployment.days_late, self.ack_overdue_days)

    @property
    def ack_label(self) -> str:
        return f"{len(self.acknowledged)}/{len(self.members)}"


def receipt_rows(receipts: Sequence[DirectiveReceipt], day: dt.date) -> list[ReceiptRow]:
    """The status rows of `receipts` (already ordered like the tree), in three queries in all."""
    receipts = list(receipts)
    members = members_by_unit({r.unit_id for r in receipts}, day)
    acks: dict[int, dict[int, dt.datetime]] = defaultdict(dict)
    for receipt_id, person_id, at in Acknowledgement.objects.filter(
        receipt__in=receipts
    ).values_list("receipt_id", "person_id", "acknowledged_at"):
        acks[receipt_id][person_id] = at
    parents = {r.pk: r.parent_id for r in receipts}
    rows = []
    for receipt in receipts:
        level, parent = 0, receipt.parent_id
        while parent is not None and parent in parents:
            level, parent = level + 1, parents[parent]
        people = members.get(receipt.unit_id, [])
        done = acks.get(receipt.pk, {})
        missing = [p for p in people if p.pk not in done]
        rows.append(
            ReceiptRow(
                receipt=receipt,
                level=level,
                plan=Stage.of("plan", receipt.plan_due, receipt.plan_issued_on, day),
                deployment=Stage.of("deployment", receipt.deploy_due, receipt.deployed_on, day),
                members=people,
                acknowledged=[p for p in people if p.pk in done],
                not_acknowledged=missing,
                acknowledged_at=done,
                ack_overdue_days=(
                    (day - receipt.deploy_due).days if missing and day > receipt.deploy_due else 0
                ),
            )
        )
    return rows


def filter_rows(rows: Sequence[ReceiptRow], key: str) -> list[ReceiptRow]:
    """The rows one of the overview's filters keeps (all rows for an unknown key)."""
    if key == FILTER_PLAN_MISSING:
        return [row for row in rows if not row.plan.is_done]
    if key == FILTER_NOT_DEPLOYED:
        return [row for row in rows if not row.deployment.is_done]
    if key == FILTER_UNACKNOWLEDGED:
        return [row for row in rows if row.not_acknowledged]
    return list(rows)


# --------------------------------------------------------------------------------------------
# the issuer's overview


@dataclass
class CascadeOverview:
    directive: Directive
    today: dt.date
    rows: list[ReceiptRow]

    @property
    def unit_count(self) -> int:
        return len(self.rows)

    @property
    def plan_missing(self) -> list[ReceiptRow]:
        return filter_rows(self.rows, FILTER_PLAN_MISSING)

    @property
    def plan_overdue(self) -> list[ReceiptRow]:
        return [row for row in self.rows if row.plan.state == "overdue"]

    @property
    def plan_late(self) -> list[ReceiptRow]:
        return [row for row in self.rows if row.plan.state == "late"]

    @property
    def not_deployed(self) -> list[ReceiptRow]:
        return filter_rows(self.rows, FILTER_NOT_DEPLOYED)

    @property
    def with_unacknowledged(self) -> list[ReceiptRow]:
        return filter_rows(self.rows, FILTER_UNACKNOWLEDGED)

    @property
    def member_count(self) -> int:
        return sum(len(row.members) for row in self.rows)

    @property
    def acknowledged_count(self) -> int:
        return sum(len(row.acknowledged) for row in self.rows)


def _tree_receipts(directive: Directive) -> QuerySet[DirectiveReceipt]:
    # Forwarded units lie inside their parent's unit, so the unit path orders the receipts
    # like the tree (a parent before its forwards, siblings by their place in the registry).
    return (
        DirectiveReceipt.objects.filter(directive=directive)
        .select_related("unit", "directive")
        .order_by("unit__path")
    )


def cascade_overview(
    actor: Person, directive: Directive, today: dt.date | None = None
) -> CascadeOverview:
    """The receipts of `directive` that `actor` follows (all of them on the issuer's side, else
    those of the units they lead and below), unit by unit down the tree, as on `today`."""
    scope = overview_scope(actor, directive)
    if scope is not None and not scope:
        raise NotFoundError(_("Không tìm thấy văn bản chỉ đạo."))
    receipts = _tree_receipts(directive)
    if scope is not None:
        receipts = receipts.filter(_within(scope))
    day = today or _today()
    return CascadeOverview(directive, day, receipt_rows(receipts, day))


def _within(paths: Sequence[str]) -> Q:
    """The receipts of the units at `paths` and below them."""
    condition = Q()
    for path in paths:
        condition |= Q(unit__path__startswith=path)
    return condition


def _today() -> dt.date:
    # cascade_overview's argument `today` hides the function of that name.
    return today()


# --------------------------------------------------------------------------------------------
# the receiving side


def forwards_of(receipt: DirectiveReceipt) -> list[DirectiveReceipt]:
    """Receipts forwarded from `receipt`, and theirs, down the tree."""
    return list(
        DirectiveReceipt.objects.filter(
            directive_id=receipt.directive_id,
            unit__path__startswith=receipt.unit.path,
        )
        .exclude(pk=receipt.pk)
        .select_related("unit", "directive")
        .order_by("unit__path")
    )


def my_pending_acknowledgements(person: Person, day: dt.date | None = None) -> list[ReceiptRow]:
    """Receipts of the units `person` is a member of today that they have not acknowledged,
    the most urgent first."""
    day = day or _today()
    return receipt_rows(list(pending_receipts(person, day)), day)


def pending_receipts(person: Person, day: dt.date | None = None) -> QuerySet[DirectiveReceipt]:
    """The receipts behind my_pending_acknowledgements, as a query (the API pages it)."""
    unit_ids = Position.objects.filter(members_q(day or _today()), person=person).values("unit_id")
    return (
        DirectiveReceipt.objects.filter(unit_id__in=unit_ids)
        .exclude(acknowledgements__person=person)
        .select_related("unit", "directive", "directive__issuing_unit")
        .order_by("deploy_due", "pk")
    )


def receipts_to_handle(person: Person, day: dt.date | None = None) -> list[ReceiptRow]:
    """Receipts of the units `person` heads or deputises today (their own position there, not
    one above), not yet deployed first."""
    day = day or _today()
    unit_ids = Position.objects.filter(
        members_q(day), person=person, role__in=[Role.HEAD, Role.DEPUTY]
    ).values("unit_id")
    receipts = (
        DirectiveReceipt.objects.filter(unit_id__in=unit_ids)
        .select_related("unit", "directive", "directive__issuing_unit")
        .order_by("deployed_on", "plan_due", "pk")
    )
    rows = receipt_rows(list(receipts), day)
    return sorted(rows, key=lambda row: (row.deployment.is_done, row.receipt.plan_due))
