"""Telling the receiving units' heads that a directive reached them, with its plan and
deployment dues: the cascade's hand-over of work (issue 13.7), as work's notices do for tasks.

Called inside directive_send and receipt_forward, so nothing is sent for a send that rolled
back. One notification per head (a send to 126 wards is two notify() statements per 200
heads, not one round trip per ward); the link is the heads' own list of directives to plan,
deploy and acknowledge. Who sent it is not told of their own act.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse

from baro.cascade.models import DirectiveReceipt
from baro.core.timeutil import format_date, today
from baro.notify.services import notify
from baro.org.models import Person, Position, Role
from baro.org.queries import active_on
from baro.work.models import Directive

OBJ_DIRECTIVE = "work.directive"


def receiving_heads(receipts: Sequence[DirectiveReceipt]) -> list[Person]:
    """The current heads of the receiving units, in one query."""
    positions = (
        Position.objects.filter(active_on(today()), role=Role.HEAD)
        .filter(unit_id__in=[r.unit_id for r in receipts])
        .select_related("person")
        .order_by("unit_id", "-valid_from")
    )
    seen: set[int] = set()
    heads: list[Person] = []
    for position in positions:
        if position.unit_id not in seen:
            seen.add(position.unit_id)
            heads.append(position.person)
    return heads


def tell_received(
    actor: Person, directive: Directive, receipts: Sequence[DirectiveReceipt], *, sender: str
) -> int:
    """Each receiving unit's head: the directive, who sent it, and the two dues."""
    first = receipts[0]
    return notify(
        recipients=[p for p in receiving_heads(receipts) if p.pk != actor.pk],
        kind="cascade.directive.received",
        title=f"Văn bản cần cụ thể hóa: {directive.number_symbol}",
        body=(
            f"{sender} gửi văn bản {directive.number_symbol} “{directive.title}”. Đơn vị ban "
            f"hành kế hoạch cụ thể hóa trước {format_date(first.plan_due)}, triển khai, quán "
            f"triệt trước {format_date(first.deploy_due)}."
        ),
        url=reverse("cascade:pending"),
        object_type=OBJ_DIRECTIVE,
        object_id=directive.pk,
    )
