"""Changing an assignment line (baro.work.lines): which system of units may make which the
lead of a task, and how far.

Who: Baro's system actor, or a holder of registry.manage over an active root unit (an
installation administrator). The lines apply across every tree, so a power over a department
or a commune does not reach them (as for the working-day calendar).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from baro.core.errors import AuthorityError, DomainError
from baro.core.run import command
from baro.ledger.services import record_action
from baro.org import authority
from baro.org.authority import Decision, Power
from baro.org.models import Person, Unit, UnitSystem
from baro.work.lines import current_lines
from baro.work.models import AssignmentLine, LineReach

OBJ_LINE = "work.assignment_line"


def _require_line_manager(actor: Person) -> Decision:
    if actor.is_system:
        return Decision(True, Power.REGISTRY_MANAGE, gettext("Tác nhân hệ thống của Baro."))
    today = timezone.localdate()
    roots = Unit.objects.filter(parent__isnull=True).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=today)
    )
    for root in roots:
        decision = authority.check(actor, Power.REGISTRY_MANAGE, root)
        if decision:
            return decision
    raise AuthorityError(
        gettext(
            "%(person)s không có quyền thay đổi tuyến giao nhiệm vụ: tuyến áp dụng cho toàn hệ "
            "thống, chỉ quản trị viên của một đơn vị cấp cao nhất mới được điều chỉnh."
        )
        % {"person": actor.full_name},
        details={"power": Power.REGISTRY_MANAGE},
    )


def line_manager_decision(actor: Person) -> Decision:
    """May `actor` change the assignment lines, decided exactly as assignment_line_set decides
    it, as a Decision: the lines page and the navigation ask this, so they never offer what the
    command would refuse."""
    try:
        return _require_line_manager(actor)
    except AuthorityError as error:
        return Decision(False, Power.REGISTRY_MANAGE, error.message)


@command
def assignment_line_set(
    *, actor: Person, assigner_system: str, lead_system: str, reach: str, note: str = ""
) -> AssignmentLine:
    """Set whether (and how far: LineReach) units of `assigner_system` may make units of
    `lead_system` the lead of a task. One event, with the line before and after."""
    decision = _require_line_manager(actor)
    for value, field in ((assigner_system, "assigner_system"), (lead_system, "lead_system")):
        if value not in UnitSystem.values:
            raise DomainError(
                "work.invalid_choice",
                gettext("Khối đơn vị “%(value)s” không hợp lệ.") % {"value": value},
                field=field,
            )
    if reach not in LineReach.values:
        raise DomainError(
            "work.invalid_choice",
            gettext("Phạm vi “%(reach)s” không hợp lệ.") % {"reach": reach},
            field="reach",
        )
    before_reach, before_note = current_lines()[(assigner_system, lead_system)]
    line, _created = AssignmentLine.objects.select_for_update().get_or_create(
        assigner_system=assigner_system,
        lead_system=lead_system,
        defaults={"reach": before_reach, "note": before_note},
    )
    note = note.strip()
    if (line.reach, line.note) == (reach, note):
        raise DomainError("work.nothing_to_change", gettext("Tuyến giao nhiệm vụ không thay đổi."))
    line.reach = reach
    line.note = note
    line.full_clean()
    line.save(update_fields=["reach", "note"])
    record_action(
        actor=actor,
        decision=decision,
        action="work.assignment_line.set",
        object_type=OBJ_LINE,
        object_id=line.pk,
        payload={
            "assigner_system": assigner_system,
            "lead_system": lead_system,
            "before": {"reach": before_reach, "note": before_note},
            "after": {"reach": reach, "note": note},
        },
    )
    return line
