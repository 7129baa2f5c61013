"""What oversight contributes to work's pages (baro.core.panels): the directive's own urging
ladder, and the third clear on the task page."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from baro.org.models import Person
from baro.work.models import Directive, Task
from baro.work.permissions import may_act_for_directives


def directive_actions(request: HttpRequest, person: Person, directive: Directive) -> str:
    """The directive's urging ladder, for who acts for the issuing unit's directives."""
    if not may_act_for_directives(person, directive.issuing_unit):
        return ""
    return render_to_string(
        "oversight/_directive_actions.html", {"directive": directive}, request=request
    )


def task_panel(request: HttpRequest, person: Person, task: Task) -> str:
    """The panel of urgings, inspections and handling, loaded from oversight by htmx (a link
    without JavaScript): the task page is shown before oversight has read its records."""
    return render_to_string("oversight/_task_panel_slot.html", {"task": task}, request=request)
