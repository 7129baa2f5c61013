"""What the read modules of oversight share: the units a filter or a drop-down offers. The
names are the package's own."""

from __future__ import annotations

from collections.abc import Sequence

from baro.core.timeutil import today
from baro.org.models import Unit
from baro.org.queries import active_on
from baro.oversight.permissions import subtrees

# How many units or tasks a drop-down or a checkbox list offers at most.
CHOICE_LIMIT = 400


def page_units(roots: Sequence[Unit]) -> list[Unit]:
    """The units a filter offers: the subtrees of `roots`, active today, tree order, capped."""
    condition = subtrees(roots, "")
    if condition is None:
        return []
    return list(
        Unit.objects.filter(condition).filter(active_on(today())).order_by("path")[:CHOICE_LIMIT]
    )
