"""The index of oversight (/giam-sat/): what the signed-in person may read and do here."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from baro.core.pages import person_required
from baro.org.models import Person
from baro.oversight import permissions, queries
from baro.oversight.models import InspectionStatus
from baro.oversight.views.common import crumbs


@person_required
def index(request: HttpRequest, person: Person) -> HttpResponse:
    sees_flags = permissions.can_see_flags(person)
    return render(
        request,
        "oversight/index.html",
        {
            "sees_flags": sees_flags,
            "flag_counts": queries.flag_status_counts(actor=person) if sees_flags else {},
            "planned": queries.inspection_list(
                actor=person, filters=queries.InspectionFilters(status=InspectionStatus.PLANNED)
            ).count(),
            "concluded": queries.inspection_list(
                actor=person,
                filters=queries.InspectionFilters(status=InspectionStatus.CONCLUDED),
            ).count(),
            "sees_inspections": permissions.can_see_inspections(person),
            "may_inspect": permissions.can_open_inspections(person),
            "letter_units": queries.letter_units(person),
            "letter_count": queries.letter_list(actor=person).count(),
            "may_configure": permissions.can_configure_installation_ladder(person),
            "is_head": queries.heads_a_unit(person),
            "breadcrumbs": [*crumbs()[:-1], {"label": _("Giám sát"), "url": ""}],
            "nav_active": "oversight",
        },
    )
