"""What the cascade contributes to the directive page of work (baro.core.panels)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from baro.cascade.permissions import can_follow, can_send
from baro.org.models import Person
from baro.work.models import Directive


def directive_actions(request: HttpRequest, person: Person, directive: Directive) -> str:
    """The buttons to follow the cascade and to send the directive down, for who may."""
    if not directive.requires_cascade:
        return ""
    context = {
        "directive": directive,
        "can_follow": can_follow(person, directive),
        "can_send": can_send(person, directive),
    }
    if not (context["can_follow"] or context["can_send"]):
        return ""
    return render_to_string("cascade/_directive_actions.html", context, request=request)
