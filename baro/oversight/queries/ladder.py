"""Reads of the urging ladder: the installation's, a directive's, the one a task follows."""

from __future__ import annotations

from baro.oversight.ladder import DEFAULT_LADDER, Ladder, ladder_of
from baro.oversight.models import LadderConfig
from baro.work.models import Directive, Task


def ladder_of_installation() -> tuple[Ladder, LadderConfig | None]:
    """The installation's ladder and its row (None: Baro's defaults, never configured)."""
    config = LadderConfig.objects.select_related("updated_by").filter(scope="installation").first()
    return (ladder_of(config) if config else DEFAULT_LADDER), config


def ladder_of_directive(directive: Directive) -> tuple[Ladder, LadderConfig | None]:
    """The directive's own ladder and row, or the installation's ladder and None."""
    config = (
        LadderConfig.objects.select_related("updated_by")
        .filter(scope=f"directive:{directive.pk}")
        .first()
    )
    if config is not None:
        return ladder_of(config), config
    return ladder_of_installation()[0], None


def task_ladder(task: Task) -> tuple[Ladder, bool]:
    """The ladder `task` follows (its directive's own, else the installation's) and whether
    it is the directive's own."""
    scopes = ["installation"]
    if task.directive_id is not None:
        scopes.append(f"directive:{task.directive_id}")
    configs = {c.scope: c for c in LadderConfig.objects.filter(scope__in=scopes)}
    own = configs.get(f"directive:{task.directive_id}") if task.directive_id else None
    if own is not None:
        return ladder_of(own), True
    default = configs.get("installation")
    return (ladder_of(default) if default else DEFAULT_LADDER), False
