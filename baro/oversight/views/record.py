"""The responsibility record's pages ("Hồ sơ trách nhiệm"): one's own, and another person's for
whom permissions.can_see_record allows (anyone else: the 404 page)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from baro.core.pages import person_required
from baro.org.models import Person
from baro.oversight import permissions, queries
from baro.oversight.views.common import crumbs


def _record_page(request: HttpRequest, person: Person, subject: Person) -> HttpResponse:
    record = queries.responsibility_record(subject)
    own = subject.pk == person.pk
    title = (
        _("Hồ sơ trách nhiệm")
        if own
        else _("Hồ sơ trách nhiệm: %(name)s") % {"name": subject.full_name}
    )
    return render(
        request,
        "oversight/record.html",
        {
            "record": record,
            "subject": subject,
            "own": own,
            "page_title": title,
            "breadcrumbs": crumbs((title, "")),
            "nav_active": "oversight",
        },
    )


@person_required
def record(request: HttpRequest, person: Person) -> HttpResponse:
    return _record_page(request, person, person)


@person_required
def record_of(request: HttpRequest, person: Person, person_id: int) -> HttpResponse:
    subject = permissions.record_person_get_for_actor(person, person_id)
    return _record_page(request, person, subject)
