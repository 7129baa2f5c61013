"""Carrying a merged unit's open plans to its successor (registered in CascadeConfig.ready()).

Called by org's unit_merge and unit_close (with a successor) through baro.org.succession,
inside their transaction; the merger's one event lists what moved.

Open means not yet deployed to the members: a receipt still waiting for its plan, or planned
and not yet deployed. Such a receipt becomes the successor's, dues and plan unchanged, so the
issuer still sees who is late down the tree. A deployed receipt stays with the unit that
deployed it (its members acknowledged it there). When the successor (or another merged unit)
received the same directive too, the two obligations cannot become one row: the merger is
refused, naming the directive, until the merged unit has deployed it.

open_plan_items answers, for a unit closing without a successor, which of its plans are open
(baro.org.succession's open_items): the closing is refused while any is.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from django.utils.translation import gettext as _

from baro.cascade.models import DirectiveReceipt
from baro.cascade.services import OBJ_RECEIPT
from baro.org.models import Unit
from baro.org.succession import Carried, MergeBlocked, OpenItem


def carry_open_plans(units: Sequence[Unit], into: Unit, on: dt.date) -> Carried:
    """Move the receipts `units` have not deployed yet to `into`; MergeBlocked on a directive
    the successor (or another merged unit) also received."""
    merged = {unit.pk for unit in units}
    receipts = list(
        DirectiveReceipt.objects.select_for_update()
        .filter(unit_id__in=merged, deployed_on__isnull=True)
        .select_related("directive", "unit")
        .order_by("pk")
    )
    directives = [receipt.directive_id for receipt in receipts]
    held = set(
        DirectiveReceipt.objects.filter(unit=into, directive_id__in=directives).values_list(
            "directive_id", flat=True
        )
    )
    twice = Counter(
        DirectiveReceipt.objects.filter(
            unit_id__in=merged, directive_id__in=directives
        ).values_list("directive_id", flat=True)
    )
    blockers = [
        (
            _(
                "kế hoạch thực hiện văn bản %(number)s của %(unit)s chưa triển khai xong, mà "
                "%(successor)s cũng nhận văn bản này"
            )
            if receipt.directive_id in held
            else _(
                "kế hoạch thực hiện văn bản %(number)s của %(unit)s chưa triển khai xong, mà "
                "đơn vị hợp nhất khác cũng nhận văn bản này"
            )
        )
        % {
            "number": receipt.directive.number_symbol,
            "unit": receipt.unit.name,
            "successor": into.name,
        }
        for receipt in receipts
        if receipt.directive_id in held or twice[receipt.directive_id] > 1
    ]
    if blockers:
        raise MergeBlocked(blockers)
    moved = [receipt.pk for receipt in receipts]
    rows = [
        {"id": r.pk, "directive_id": r.directive_id, "unit_id": [r.unit_id, into.pk]}
        for r in receipts
    ]
    DirectiveReceipt.objects.filter(pk__in=moved).update(unit=into)
    return Carried(refs=[f"{OBJ_RECEIPT}:{pk}" for pk in moved], summary={"receipts": rows})


def open_plan_items(units: Sequence[Unit]) -> list[OpenItem]:
    """The receipts `units` have not deployed yet (read only)."""
    receipts = (
        DirectiveReceipt.objects.filter(unit__in=list(units), deployed_on__isnull=True)
        .select_related("directive", "unit")
        .order_by("pk")
    )
    return [
        OpenItem(
            f"{OBJ_RECEIPT}:{receipt.pk}",
            _("kế hoạch thực hiện văn bản %(directive)s của %(unit)s chưa triển khai xong")
            % {"directive": receipt.directive.number_symbol, "unit": receipt.unit.name},
        )
        for receipt in receipts
    ]
