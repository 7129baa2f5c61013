"""The working-day calendar page (/lich-lam-viec/): thin views over queries and services.

Everyone signed in reads the calendar (which days are worked is public, see queries.py) and may
check a deadline with the "tính hạn" helper. Changing it takes calendar.manage over a root unit,
decided exactly as the services decide it (require_calendar_manage); others get the 403 page.
A service's DomainError goes back onto the form next to the field it names.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baro.core.pages import deny_unless, form_command, person_required
from baro.core.timeutil import format_date, today
from baro.org.models import Person
from baro.workdays import calendar, forms, queries, services
from baro.workdays.models import CalendarOverride, OverrideKind
from baro.workdays.permissions import calendar_decision

# Where each listed day comes from, as the page names it.
SOURCE_LABELS = {
    calendar.SOURCE_HOLIDAY: gettext_lazy("Nghỉ lễ, Tết theo Bộ luật Lao động"),
    calendar.SOURCE_SWAPPED: gettext_lazy("Hoán đổi ngày làm việc của Chính phủ"),
    calendar.SOURCE_OVERRIDE: gettext_lazy("Điều chỉnh của quản trị viên"),
}
# The package names a day off the Government swapped for a worked Saturday
# "Ngày nghỉ (thay cho ngày 26/04/2025)"; its other days off are holidays of the law.
SWAPPED_DAY_OFF_MARK = "(thay cho ngày"

SET_PAGES = {
    OverrideKind.HOLIDAY: {
        "title": gettext_lazy("Thêm ngày nghỉ"),
        "intro": gettext_lazy(
            "Biến một ngày làm việc thành ngày nghỉ cho mọi thời hạn, ví dụ ngày nghỉ do Thủ "
            "tướng quyết định mà lịch nghỉ lễ chưa có. Thời hạn tính theo ngày làm việc được "
            "tính lại theo lịch mới."
        ),
        "done": gettext_lazy("Đã thêm ngày nghỉ %(day)s."),
    },
    OverrideKind.WORKING_DAY: {
        "title": gettext_lazy("Thêm ngày làm việc bù"),
        "intro": gettext_lazy(
            "Biến một ngày nghỉ (thứ Bảy, Chủ nhật hoặc ngày nghỉ lễ) thành ngày làm việc, ví "
            "dụ ngày thứ Bảy làm bù theo thông báo hoán đổi. Thời hạn tính theo ngày làm việc "
            "được tính lại theo lịch mới."
        ),
        "done": gettext_lazy("Đã thêm ngày làm việc bù %(day)s."),
    },
}


# --------------------------------------------------------------------------------------------
# helpers


def _day_label(day: dt.date) -> str:
    return f"{calendar.WEEKDAY_NAMES[day.weekday()]} {format_date(day)}"


def year_url(year: int) -> str:
    return f"{reverse('workdays:year')}?year={year}"


def _crumbs(*extra: tuple[str, str]) -> list[dict[str, str]]:
    return [
        {"label": _("Trang chủ"), "url": reverse("home")},
        {"label": _("Lịch làm việc"), "url": reverse("workdays:year")},
        *({"label": label, "url": url} for label, url in extra),
    ]


def _source_label(row: queries.HolidayRow) -> str:
    if row.source == calendar.SOURCE_HOLIDAY and SWAPPED_DAY_OFF_MARK in row.name:
        return str(SOURCE_LABELS[calendar.SOURCE_SWAPPED])
    return str(SOURCE_LABELS[row.source])


def _year_rows(year: int) -> list[dict[str, Any]]:
    """Every day off and extra working day of `year`, with its source and, for an
    administrator's override, the override itself (to show who decided it and to remove it)."""
    overrides = {override.day: override for override in queries.overrides_in(year)}
    return [
        {
            "row": row,
            "source_label": _source_label(row),
            "override": overrides.get(row.day) if row.source == calendar.SOURCE_OVERRIDE else None,
        }
        for row in queries.holidays_in(year)
    ]


def _deadline(form: forms.DeadlineForm) -> dict[str, Any] | None:
    """The answer of the "tính hạn" helper, or None (with the error on the form)."""
    if not form.is_valid():
        return None
    start, days = form.cleaned_data["start"], form.cleaned_data["days"]
    try:
        deadline = calendar.add_working_days(start, days)
    except OverflowError:
        form.add_error("days", _("Hạn vượt quá năm 9999."))
        return None
    return {
        "start": start,
        "start_label": _day_label(start),
        "days": days,
        "deadline": deadline,
        "deadline_label": _day_label(deadline),
    }


# --------------------------------------------------------------------------------------------
# the year page


@person_required
def year_view(request: HttpRequest, person: Person) -> HttpResponse:
    this_year = today().year
    year = forms.parse_year(request.GET, today())
    deadline_form = forms.DeadlineForm(
        request.GET if {"start", "days"} & set(request.GET) else None
    )
    deadline = _deadline(deadline_form) if deadline_form.is_bound else None
    rows = _year_rows(year)
    history = queries.override_history_in(year).order_by("-created_at", "-pk")
    return render(
        request,
        "workdays/year.html",
        {
            "year": year,
            "years": forms.YearForm.choices(this_year, year),
            "previous_year": year - 1 if year > forms.YEAR_MIN else None,
            "next_year": year + 1 if year < forms.YEAR_MAX else None,
            "rows": rows,
            "working_day_count": len(calendar.working_days_in(year)),
            # So that the three figures add up: working days in the year = its Mondays to
            # Fridays − off_count + extra_working_count.
            "off_count": sum(
                1 for r in rows if not r["row"].is_working and r["row"].day.weekday() < 5
            ),
            "extra_working_count": sum(
                1 for r in rows if r["row"].is_working and r["row"].day.weekday() >= 5
            ),
            "history": list(history),
            "deadline_form": deadline_form,
            "deadline": deadline,
            "can_manage": bool(calendar_decision(person)),
            "breadcrumbs": _crumbs(),
            "nav_active": "calendar",
        },
        status=400 if deadline_form.errors else 200,
    )


# --------------------------------------------------------------------------------------------
# changes


@person_required
def override_set(request: HttpRequest, person: Person, kind: str) -> HttpResponse:
    """Add a day off (kind HOLIDAY) or a compensatory working day (kind WORKING_DAY)."""
    deny_unless(calendar_decision(person))
    page = SET_PAGES[OverrideKind(kind)]
    form = forms.OverrideSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        override = form_command(
            form,
            services.calendar_override_set,
            # "Already a working day / already off" is about the chosen day: the kind is the page.
            aliases={"kind": "day"},
            actor=person,
            day=data["day"],
            kind=kind,
            reason=data["reason"],
            decision_ref=data["decision_ref"],
        )
        if override is not None:
            messages.success(request, str(page["done"]) % {"day": _day_label(override.day)})
            return redirect(year_url(override.day.year))
    title = str(page["title"])
    return render(
        request,
        "web/form_page.html",
        {
            "form": form,
            "page_title": title,
            "intro": page["intro"],
            "cancel_url": reverse("workdays:year"),
            "submit_label": title,
            "breadcrumbs": _crumbs((title, "")),
            "nav_active": "calendar",
        },
        status=400 if form.errors else 200,
    )


@person_required
def override_remove(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    """Remove an administrator's override after a confirmation page that asks why."""
    override = CalendarOverride.objects.select_related("set_by", "revoked_by").filter(pk=pk).first()
    if override is None:
        raise Http404(_("Không tìm thấy điều chỉnh lịch làm việc."))
    deny_unless(calendar_decision(person))
    back = year_url(override.day.year)
    if not override.is_active:
        messages.info(request, _("Điều chỉnh này đã được gỡ bỏ."))
        return redirect(back)
    form = forms.OverrideRemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        removed = form_command(
            form,
            services.calendar_override_remove,
            actor=person,
            day=override.day,
            reason=form.cleaned_data["reason"],
        )
        if removed is not None:
            messages.success(
                request,
                _("Đã gỡ bỏ điều chỉnh ngày %(day)s; ngày này trở lại theo lịch chung.")
                % {"day": _day_label(override.day)},
            )
            return redirect(back)
    base = calendar.base_day_info(override.day)
    title = _("Gỡ bỏ điều chỉnh lịch làm việc")
    return render(
        request,
        "workdays/override_remove.html",
        {
            "form": form,
            "override": override,
            "day_label": _day_label(override.day),
            "base_is_working": base.is_working,
            "base_name": base.name,
            "page_title": title,
            "cancel_url": back,
            "breadcrumbs": _crumbs((str(override.day.year), back), (title, "")),
            "nav_active": "calendar",
        },
        status=400 if form.errors else 200,
    )
