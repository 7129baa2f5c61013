"""The import page: a whole file of units and people (.xlsx or .csv), or nothing, with every
bad row listed when the file is refused (see baro.org.importer)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from baro.core.errors import AuthorityError, DomainError
from baro.core.pages import deny_unless, person_required
from baro.core.run import run_command
from baro.org import forms
from baro.org import services as org_services
from baro.org.models import Person
from baro.org.permissions import may_import


@person_required
def import_units(request: HttpRequest, person: Person) -> HttpResponse:
    deny_unless(may_import(person))
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result: Any = None
    problems: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # Not form_command: it keeps only a refusal's message, and the import's refusal also
        # lists every bad row ({row, column, reason}), which this page shows as a table.
        try:
            result = run_command(
                org_services.org_import,
                actor=person,
                data=upload.read(),
                filename=upload.name,
                parent=form.cleaned_data["parent"],
            )
        except AuthorityError as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            problems = list(error.details.get("rows") or error.details.get("problems") or [])
            form.add_error(None, error.message)
    return render(
        request,
        "org/import.html",
        {
            "form": form,
            "result": result,
            "problems": problems,
            "breadcrumbs": [
                {"label": _("Trang chủ"), "url": reverse("home")},
                {"label": _("Cơ cấu tổ chức"), "url": reverse("org:unit_list")},
                {"label": _("Nhập từ tệp"), "url": ""},
            ],
            "nav_active": "import",
        },
        status=400 if form.errors else 200,
    )
