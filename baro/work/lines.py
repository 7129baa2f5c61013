"""Assignment lines: which units may make which the lead of a task, and which may be asked to
coordinate. The one place both task_assign (and so subtask_assign, the API, the CLI) and the
assign form's unit choices ask, so the form never offers a unit the command refuses.

The rule is data (AssignmentLine, one row per pair of UnitSystem, changed by an administrator
through assignment_line_set); a pair without a row takes DEFAULT_LINES. By default:
- a province or the central level as a unit (the whole political system there) leads any
  unit below it;
- a government body makes government bodies below it the lead (its own tree);
- a Party committee (and its divisions) leads the bodies of the political system at its
  level and below: the tree of its superior (Thành ủy: everything under the city; Đảng ủy
  phường: UBND phường, its divisions, the ward's Front committee…);
- the Front leads the Front's committees and its member organisations below it, a
  socio-political organisation its own branches;
- a government body never makes a Party body, the Front or a socio-political organisation
  the lead: they are not subordinate to it.
Coordination is wider: any unit, of any system, at the assigning unit's level or below (the
tree of its superior), may be asked to coordinate, the Front and its members included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db.models import Q
from django.utils.translation import gettext

from baro.core.errors import AuthorityError
from baro.org.authority import Power
from baro.org.models import PATH_SEGMENT_WIDTH, Unit, UnitSystem
from baro.org.queries import active_on, subtree_q
from baro.org.systems import systems_of
from baro.work.models import AssignmentLine, LineReach

W, G, P, F, S = (
    UnitSystem.WHOLE,
    UnitSystem.GOVERNMENT,
    UnitSystem.PARTY,
    UnitSystem.FRONT,
    UnitSystem.SOCIO_POLITICAL,
)

# (assigner's system, lead's system) -> (reach, basis). Pairs left out: never.
DEFAULT_LINES: dict[tuple[str, str], tuple[str, str]] = {
    **{
        (W, lead): (
            LineReach.BELOW,
            "Cấp tỉnh, Trung ương chỉ đạo toàn hệ thống chính trị cấp dưới.",
        )
        for lead in (W, G, P, F, S)
    },
    (G, G): (LineReach.BELOW, "Cơ quan nhà nước chỉ đạo cơ quan nhà nước cấp dưới."),
    (P, G): (LineReach.LEVEL, "Cấp ủy lãnh đạo hệ thống chính trị cùng cấp và cấp dưới."),
    (P, P): (LineReach.LEVEL, "Cấp ủy lãnh đạo hệ thống chính trị cùng cấp và cấp dưới."),
    (P, F): (LineReach.LEVEL, "Cấp ủy lãnh đạo hệ thống chính trị cùng cấp và cấp dưới."),
    (P, S): (LineReach.LEVEL, "Cấp ủy lãnh đạo hệ thống chính trị cùng cấp và cấp dưới."),
    (F, F): (LineReach.BELOW, "Ủy ban MTTQ hướng dẫn Ủy ban MTTQ cấp dưới."),
    (F, S): (LineReach.BELOW, "Ủy ban MTTQ chủ trì phối hợp với các tổ chức thành viên."),
    (S, S): (LineReach.BELOW, "Tổ chức chính trị - xã hội chỉ đạo cấp dưới của mình."),
}

Lines = dict[tuple[str, str], tuple[str, str]]


def current_lines() -> Lines:
    """Every pair's (reach, note): the administrator's rows over the defaults (one query)."""
    lines: Lines = {
        (a, b): DEFAULT_LINES.get((a, b), (LineReach.NONE, ""))
        for a in UnitSystem.values
        for b in UnitSystem.values
    }
    for row in AssignmentLine.objects.all():
        lines[(row.assigner_system, row.lead_system)] = (row.reach, row.note)
    return lines


def level_path(unit: Unit) -> str:
    """The path of `unit`'s superior (its own for a root): the tree of its level and below."""
    if unit.parent_id is None:
        return unit.path
    return unit.path[: -(PATH_SEGMENT_WIDTH + 1)]


def reach_path(unit: Unit, reach: str) -> str | None:
    if reach == LineReach.BELOW:
        return unit.path
    if reach == LineReach.LEVEL:
        return level_path(unit)
    return None


def check_lead(assigning: Unit, lead: Unit, lines: Lines | None = None) -> None:
    """Refuse (AuthorityError) making `lead` the lead of a task assigned through `assigning`:
    `work.lead_line` when the line between their systems forbids it, `work.lead_outside` when
    `lead` is beyond the line's reach."""
    lines = lines if lines is not None else current_lines()
    systems = systems_of([assigning, lead])
    mine, theirs = systems[assigning.pk], systems[lead.pk]
    reach, note = lines[(mine, theirs)]
    path = reach_path(assigning, reach)
    details = {"power": Power.TASK_ASSIGN, "unit": lead.code, "line": [mine, theirs]}
    if path is None:
        raise AuthorityError(
            gettext(
                "%(assigning)s (%(mine)s) không giao nhiệm vụ chủ trì cho %(lead)s (%(theirs)s): "
                "không thuộc tuyến chỉ đạo của đơn vị giao.%(note)s Đơn vị này có thể được mời "
                "phối hợp."
            )
            % {
                "assigning": assigning.name,
                "mine": str(UnitSystem(mine).label).lower(),
                "lead": lead.name,
                "theirs": str(UnitSystem(theirs).label).lower(),
                "note": " " + note if note else "",
            },
            code="work.lead_line",
            details=details,
        )
    if not lead.path.startswith(path):
        where = (
            gettext("chỉ giao nhiệm vụ cho đơn vị trực thuộc.")
            if reach == LineReach.BELOW
            else gettext("chỉ giao nhiệm vụ cho đơn vị cùng cấp và cấp dưới.")
        )
        raise AuthorityError(
            gettext("%(lead)s không thuộc phạm vi chỉ đạo của %(assigning)s: %(where)s")
            % {"lead": lead.name, "assigning": assigning.name, "where": where},
            code="work.lead_outside",
            details=details,
        )


def check_coordinator(assigning: Unit, unit: Unit) -> None:
    """Refuse (`work.coordinator_outside`) a coordinator beyond the assigning unit's level."""
    if not unit.path.startswith(level_path(assigning)):
        raise AuthorityError(
            gettext(
                "%(unit)s không thuộc %(assigning)s hay các đơn vị cùng cấp: không mời phối hợp "
                "được."
            )
            % {"unit": unit.name, "assigning": assigning.name},
            code="work.coordinator_outside",
            details={"power": Power.TASK_ASSIGN, "unit": unit.code},
        )


def _active_under(paths: Iterable[str], day: dt.date) -> list[Unit]:
    condition = Q()
    for path in set(paths):
        condition |= subtree_q(path)
    if not condition:
        return []
    return list(Unit.objects.filter(condition).filter(active_on(day)).order_by("path"))


def lead_choices(assigning_units: Sequence[Unit], day: dt.date) -> list[Unit]:
    """The active units some of `assigning_units` may make the lead, in tree order."""
    lines = current_lines()
    mine = systems_of(assigning_units)
    allowed: list[tuple[str, str, str]] = []  # (reach path, assigner's system, lead's system)
    for unit in assigning_units:
        for (a, b), (reach, _note) in lines.items():
            path = reach_path(unit, reach) if a == mine[unit.pk] else None
            if path is not None:
                allowed.append((path, a, b))
    candidates = _active_under((path for path, _a, _b in allowed), day)
    theirs = systems_of(candidates)
    return [
        unit
        for unit in candidates
        if any(unit.path.startswith(path) and theirs[unit.pk] == b for path, _a, b in allowed)
    ]


def coordinator_choices(assigning_units: Sequence[Unit], day: dt.date) -> list[Unit]:
    """The active units at the level of some of `assigning_units` or below, in tree order."""
    return _active_under((level_path(unit) for unit in assigning_units), day)
