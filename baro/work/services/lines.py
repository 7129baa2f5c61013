"""Changing an assignment line (baro.work.lines): which system of units may make which the
lead of a task, and how far.

Who: Baro's system actor, or a holder of registry.manage over an active root unit (an
installation administrator). The lines apply across every tree, so a power over a department
or a commune does not reach them (as for the working-day calendar).
"""

from __future__ import annotations

from django.utils.translation import gettext

from baro.core.errors import DomainError
from baro.core.run import command
from baro.ledger.services import record_action
from baro.org.models import Person, UnitSystem
from baro.work.lines import current_lines
from baro.work.models import AssignmentLine, LineReach
from baro.work.permissions import require_line_manager

OBJ_LINE = "work.assignment_line"


@command
def assignment_line_set(
    *, actor: Person, assigner_system: str, lead_system: str, reach: str, note: str = ""
) -> AssignmentLine:
    """Set whether (and how far: LineReach) units of `assigner_system` may make units of
    `lead_system` the lead of a task. One event, with the line before and after."""
    decision = require_line_manager(actor)
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
