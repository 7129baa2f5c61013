"""Forms of the working-day calendar page. They parse and check shapes; the services decide the
rest (a refusal goes back next to its field through baro.core.pages.attach_error)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from baro.org.forms import _date
from baro.workdays.services import DECISION_REF_MAX, REASON_MAX

YEAR_MIN = 1995  # the `holidays` package knows Viet Nam's holidays from then on
YEAR_MAX = 2100
DAYS_MAX = 3650  # a period of ten years of working days is already far beyond any document


class YearForm(forms.Form):
    """Which year the page shows (?year=2026); the current year when absent or wrong."""

    year = forms.IntegerField(label=_("Năm"), min_value=YEAR_MIN, max_value=YEAR_MAX)

    @staticmethod
    def choices(current: int, shown: int) -> list[int]:
        """The years the selector offers: five either side of this year, and the one shown."""
        return sorted({*range(current - 5, current + 6), shown})


class DeadlineForm(forms.Form):
    """ "Tính hạn": the n-th working day after a start date (the start itself not counted)."""

    start = _date(
        _("Kể từ ngày"),
        required=True,
        help_text=_("Ngày nhận văn bản, ngày giao việc… (không tính ngày này). Dạng dd/mm/yyyy."),
    )
    days = forms.IntegerField(
        label=_("Số ngày làm việc"),
        min_value=0,
        max_value=DAYS_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Ví dụ 5 cho “trong 5 ngày làm việc”."),
        error_messages={
            "required": _("Chưa nhập số ngày làm việc."),
            "invalid": _("Số ngày làm việc phải là một số nguyên."),
            "min_value": _("Số ngày làm việc không được âm."),
            "max_value": _("Số ngày làm việc tối đa là %(limit_value)s."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start"].error_messages["required"] = _("Chưa nhập ngày bắt đầu tính.")


class OverrideSetForm(forms.Form):
    """A day off or a compensatory working day decided by a competent authority."""

    day = _date(_("Ngày"), required=True)
    reason = forms.CharField(
        label=_("Lý do"),
        max_length=REASON_MAX,
        help_text=_("Hiện cho mọi người khi xem lịch, ví dụ “Làm bù cho ngày 02/5/2025”."),
        error_messages={
            "required": _("Chưa nhập lý do."),
            "max_length": _("Lý do dài quá %(limit_value)d ký tự."),
        },
    )
    decision_ref = forms.CharField(
        label=_("Căn cứ (văn bản)"),
        max_length=DECISION_REF_MAX,
        required=False,
        help_text=_("Số, ngày của văn bản quyết định, ví dụ “Thông báo số 6150/TB-LĐTBXH”."),
        error_messages={"max_length": _("Căn cứ dài quá %(limit_value)d ký tự.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].error_messages["required"] = _("Chưa nhập ngày.")


class OverrideRemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do gỡ bỏ"),
        max_length=REASON_MAX,
        error_messages={
            "required": _("Chưa nhập lý do gỡ bỏ."),
            "max_length": _("Lý do gỡ bỏ dài quá %(limit_value)d ký tự."),
        },
    )


def parse_year(data: dict[str, str] | None, today: dt.date) -> int:
    """The year asked for in the query string, else this year."""
    form = YearForm(data or None)
    return form.cleaned_data["year"] if form.is_valid() else today.year
