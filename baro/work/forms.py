"""Forms of the directive and task pages. They parse and check shapes; the services decide.

A service's DomainError is put back on the form by baro.core.pages.attach_error, next to the
field it names. The unit and person choices offered here are only what the actor can sensibly
pick (units where they hold the power, people of the lead unit); the services re-check all of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from baro.core.inputs import LONG_TEXT_MAX, MAX_DEADLINE_DAYS, PERIOD_YEAR_MAX, PERIOD_YEAR_MIN
from baro.org.forms import DATE_WIDGET, PersonCodeField
from baro.org.models import Person, Unit
from baro.work.models import (
    DeadlineRule,
    DirectiveKind,
    EffectivenessGrade,
    LineReach,
    Priority,
    QualityGrade,
    TaskGroup,
)
from baro.workdays.calendar import PeriodKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE_ERRORS = {"invalid": _("Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.")}


def _date(
    label: StrOrPromise, *, required: bool = False, help_text: StrOrPromise = ""
) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE_WIDGET,
        help_text=help_text or _("Ngày theo dạng dd/mm/yyyy."),
        error_messages=DATE_ERRORS,
    )


def _text(
    label: StrOrPromise, *, required: bool = False, rows: int = 3, **kwargs: Any
) -> forms.CharField:
    kwargs.setdefault("max_length", LONG_TEXT_MAX)  # the API's bound too (baro.core.inputs)
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


def unit_label(unit: Unit, base_depth: int = 0) -> str:
    """A unit in a select, indented under its superior so the tree stays readable."""
    return "\u00a0\u00a0" * max(unit.depth - base_depth, 0) + unit.name


def unit_groups(units: list[Unit], base_depth: int) -> list[tuple[Any, Any]]:
    """`units` (in tree order) as select choices: those at `base_depth` first, then one option
    group per superior, in tree order, named after it (one query for the superiors' names
    that are not among `units`)."""
    names = {unit.pk: unit.name for unit in units}
    missing = {u.parent_id for u in units if u.parent_id is not None} - names.keys()
    if missing:
        names.update(Unit.objects.filter(pk__in=missing).values_list("pk", "name"))
    top: list[tuple[Any, Any]] = []
    groups: dict[int, list[tuple[int, str]]] = {}
    for unit in units:
        if unit.depth <= base_depth or unit.parent_id is None:
            top.append((unit.pk, unit.name))
        else:
            groups.setdefault(unit.parent_id, []).append((unit.pk, unit.name))
    return top + [(names[parent], options) for parent, options in groups.items()]


class UnitChoiceField(forms.TypedChoiceField):
    """One unit among the given ones, chosen from a select by id."""

    def __init__(self, *, units: Iterable[Unit] = (), empty: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault(
            "invalid_choice", _("Đơn vị đã chọn không có trong danh sách.")
        )
        super().__init__(coerce=int, **kwargs)
        self.set_units(units, empty=empty)

    def set_units(self, units: Iterable[Unit], *, empty: str = "", grouped: bool = False) -> None:
        """Offer `units` (in tree order), indented under their superiors; or, `grouped`, in
        one option group per superior, named after it (a department's offices under the
        department), so the tree reads right even when a superior is not offered itself."""
        self.units = {unit.pk: unit for unit in units}
        base = min((unit.depth for unit in self.units.values()), default=0)
        choices: list[tuple[Any, Any]] = [("", empty or _("— Chọn đơn vị —"))]
        if grouped:
            choices += unit_groups(list(self.units.values()), base)
        else:
            choices += [(pk, unit_label(unit, base)) for pk, unit in self.units.items()]
        self.choices = choices

    def clean(self, value: Any) -> Unit | None:  # type: ignore[override]
        pk = super().clean(value)
        if pk in (None, ""):
            return None
        return self.units[pk]


# --------------------------------------------------------------------------------------------
# directives


class DirectiveSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm văn bản"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Số, ký hiệu hoặc trích yếu")}
        ),
    )
    unit = forms.TypedChoiceField(label=_("Cơ quan ban hành"), required=False, coerce=int)
    year = forms.TypedChoiceField(label=_("Năm"), required=False, coerce=int)

    def __init__(self, *args: Any, units: Iterable[Unit], years: Iterable[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Tất cả")), *((u.pk, u.name) for u in units)]
        self.fields["year"].choices = [("", _("Tất cả các năm")), *((y, str(y)) for y in years)]


class DirectiveRegisterForm(forms.Form):
    number_symbol = forms.CharField(
        label=_("Số, ký hiệu"),
        max_length=80,
        help_text=_("Như in trên văn bản, ví dụ 24-CT/TU."),
        error_messages={"required": _("Chưa nhập số, ký hiệu.")},
    )
    kind = forms.ChoiceField(
        label=_("Loại văn bản"),
        choices=[("", _("— Chọn loại văn bản —")), *DirectiveKind.choices],
        error_messages={"required": _("Chưa chọn loại văn bản.")},
    )
    issuing_unit = UnitChoiceField(
        label=_("Cơ quan ban hành"), error_messages={"required": _("Chưa chọn cơ quan ban hành.")}
    )
    signer = PersonCodeField(
        label=_("Người ký (mã cán bộ)"), required=False, help_text=_("Để trống nếu chưa rõ.")
    )
    signed_on = _date(_("Ngày ký"), required=True)
    title = forms.CharField(
        label=_("Trích yếu"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Chưa nhập trích yếu.")},
    )
    summary = _text(_("Tóm tắt nội dung"), rows=4)
    requires_cascade = forms.BooleanField(
        label=_("Yêu cầu các đơn vị cụ thể hóa bằng kế hoạch và quán triệt đến từng cán bộ"),
        required=False,
    )
    plan_days = forms.IntegerField(
        label=_("Số ngày ban hành kế hoạch"),
        initial=lambda: settings.BARO_CASCADE_PLAN_DAYS,
        min_value=1,
        max_value=365,
        error_messages={
            "required": _("Chưa nhập số ngày."),
            "invalid": _("Hãy nhập một số nguyên."),
            "min_value": _("Số ngày phải từ 1 trở lên."),
            "max_value": _("Số ngày không quá 365."),
        },
    )
    deploy_days = forms.IntegerField(
        label=_("Số ngày quán triệt, triển khai"),
        initial=lambda: settings.BARO_CASCADE_DEPLOY_DAYS,
        min_value=1,
        max_value=365,
        error_messages={
            "required": _("Chưa nhập số ngày."),
            "invalid": _("Hãy nhập một số nguyên."),
            "min_value": _("Số ngày phải từ 1 trở lên."),
            "max_value": _("Số ngày không quá 365."),
        },
    )
    groups = _text(
        _("Các nhóm nhiệm vụ"),
        rows=5,
        help_text=_("Mỗi dòng một nhóm, theo thứ tự trong văn bản."),
    )

    def __init__(self, *args: Any, units: Iterable[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuing_unit"].set_units(units)  # type: ignore[attr-defined]
        self.fields["signed_on"].error_messages["required"] = _("Chưa nhập ngày ký.")

    def clean_groups(self) -> list[str]:
        # Blank lines are only spacing, not nameless groups.
        return [line.strip() for line in self.cleaned_data["groups"].splitlines() if line.strip()]


# --------------------------------------------------------------------------------------------
# assignment


PERIOD_KIND_CHOICES = [("", _("— Loại kỳ —")), *PeriodKind.choices]


# The parameters each deadline rule reads: the assign form shows those of the chosen rule only,
# and its preview waits for them (RULE_HINTS) before computing the deadline.
RULE_FIELDS: dict[str, tuple[str, ...]] = {
    DeadlineRule.DATE: ("deadline",),
    DeadlineRule.CALENDAR_DAYS: ("deadline_days",),
    DeadlineRule.WORKING_DAYS: ("deadline_days",),
    DeadlineRule.PERIOD: ("period_kind", "period_year", "period_number"),
}
RULE_HINTS: dict[str, StrOrPromise] = {
    DeadlineRule.DATE: _("Nhập hạn xử lý (ngày cụ thể) để xem hạn."),
    DeadlineRule.CALENDAR_DAYS: _("Nhập số ngày để xem hạn xử lý."),
    DeadlineRule.WORKING_DAYS: _("Nhập số ngày làm việc để xem hạn xử lý."),
    DeadlineRule.PERIOD: _("Chọn loại kỳ và năm để xem hạn xử lý."),
}


class TaskAssignForm(forms.Form):
    title = forms.CharField(
        label=_("Tên nhiệm vụ"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Chưa nhập tên nhiệm vụ.")},
    )
    description = _text(_("Nội dung, yêu cầu"), rows=4)
    expected_output = _text(_("Sản phẩm"), rows=2, help_text=_("Kết quả phải có khi hoàn thành."))
    quality_criteria = _text(_("Yêu cầu chất lượng"), rows=2)
    priority = forms.ChoiceField(
        label=_("Mức độ ưu tiên"), choices=Priority.choices, initial=Priority.NORMAL
    )
    is_new_difficult = forms.BooleanField(label=_("Việc mới, việc khó"), required=False)
    is_innovation = forms.BooleanField(
        label=_("Đề xuất đổi mới, sáng tạo đã được duyệt (Nghị định 73/2023/NĐ-CP)"),
        required=False,
    )
    group = forms.TypedChoiceField(label=_("Nhóm nhiệm vụ"), required=False, coerce=int)
    assigning_unit = UnitChoiceField(
        label=_("Đơn vị giao"),
        help_text=_("Đơn vị mà anh/chị có quyền giao nhiệm vụ."),
        error_messages={"required": _("Chưa chọn đơn vị giao.")},
    )
    lead_unit = UnitChoiceField(
        label=_("Đơn vị chủ trì"),
        help_text=_("Đúng một đơn vị chủ trì, chịu trách nhiệm chính."),
        error_messages={"required": _("Chưa chọn đơn vị chủ trì.")},
    )
    officer = forms.TypedChoiceField(
        label=_("Cán bộ xử lý"),
        required=False,
        coerce=int,
        help_text=_("Không bắt buộc; đơn vị chủ trì có thể tự phân công."),
    )
    deadline_rule = forms.ChoiceField(
        label=_("Cách tính hạn"),
        choices=DeadlineRule.choices,
        initial=DeadlineRule.WORKING_DAYS,
        widget=forms.RadioSelect,
    )
    deadline = _date(_("Hạn xử lý (ngày cụ thể)"))
    deadline_days = forms.IntegerField(
        label=_("Số ngày"),
        required=False,
        min_value=1,
        max_value=MAX_DEADLINE_DAYS,
        error_messages={
            "invalid": _("Hãy nhập một số nguyên."),
            "min_value": _("Số ngày phải từ 1 trở lên."),
            "max_value": _("Số ngày quá lớn."),
        },
    )
    period_kind = forms.ChoiceField(label=_("Loại kỳ"), choices=PERIOD_KIND_CHOICES, required=False)
    period_year = forms.IntegerField(
        label=_("Năm"),
        required=False,
        min_value=PERIOD_YEAR_MIN,
        max_value=PERIOD_YEAR_MAX,
        error_messages={"invalid": _("Năm không hợp lệ.")},
    )
    period_number = forms.IntegerField(
        label=_("Kỳ số"),
        required=False,
        min_value=1,
        max_value=12,
        help_text=_("Tháng 1–12, quý 1–4, nửa năm 1–2; bỏ trống với kỳ năm."),
        error_messages={"invalid": _("Hãy nhập một số nguyên.")},
    )

    def __init__(
        self,
        *args: Any,
        assigning_units: Iterable[Unit],
        lead_units: Iterable[Unit],
        officers: Iterable[Person] = (),
        groups: Iterable[TaskGroup] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigning_unit"].set_units(assigning_units)  # type: ignore[attr-defined]
        self.fields["lead_unit"].set_units(lead_units)  # type: ignore[attr-defined]
        self.officers = {person.pk: person for person in officers}
        self.fields["officer"].choices = [
            ("", _("— Đơn vị chủ trì tự phân công —")),
            *((pk, person.full_name) for pk, person in self.officers.items()),
        ]
        self.groups = {group.pk: group for group in groups}
        self.fields["group"].choices = [
            ("", _("— Không thuộc nhóm nào —")),
            *((pk, group.name) for pk, group in self.groups.items()),
        ]
        if not self.groups:
            self.fields["group"].widget = forms.HiddenInput()

    def clean_officer(self) -> Person | None:
        pk = self.cleaned_data.get("officer")
        return self.officers.get(pk) if pk not in (None, "") else None

    def clean_group(self) -> TaskGroup | None:
        pk = self.cleaned_data.get("group")
        return self.groups.get(pk) if pk not in (None, "") else None

    def chosen_rule(self) -> str:
        """The deadline rule chosen (in the data, else the initial one), a known rule."""
        value = self.data.get("deadline_rule") if self.is_bound else None
        value = value or self.initial.get("deadline_rule") or DeadlineRule.WORKING_DAYS
        return value if value in RULE_FIELDS else DeadlineRule.WORKING_DAYS

    def rule_fields(self) -> list[forms.BoundField]:
        """The fields of the chosen rule's parameters, the ones the form shows."""
        return [self[name] for name in RULE_FIELDS[self.chosen_rule()]]

    def deadline_kwargs(self) -> dict[str, Any]:
        """The deadline rule and its parameters, as task_assign and compute_deadline take them."""
        data = self.cleaned_data
        return {
            "deadline_rule": data.get("deadline_rule") or "",
            "deadline": data.get("deadline"),
            "deadline_days": data.get("deadline_days"),
            "deadline_period_kind": data.get("period_kind") or "",
            "deadline_period_year": data.get("period_year"),
            "deadline_period_number": data.get("period_number"),
        }


class CoordinatorForm(forms.Form):
    """One coordinating unit: which unit, its part of the work, its own sub-deadline."""

    unit = UnitChoiceField(label=_("Đơn vị phối hợp"), required=False)
    part = forms.CharField(label=_("Phần việc phối hợp"), max_length=1000, required=False)
    sub_deadline = _date(_("Hạn phối hợp"))

    def __init__(self, *args: Any, units: Iterable[Unit] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].set_units(units, empty=_("— Không —"))  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("unit") is None and (data.get("part") or data.get("sub_deadline")):
            self.add_error("unit", _("Chưa chọn đơn vị phối hợp cho phần việc này."))
        return data


CoordinatorFormSet = forms.formset_factory(CoordinatorForm, extra=3, max_num=20)


# --------------------------------------------------------------------------------------------
# transitions


def _reason(label: StrOrPromise, missing: StrOrPromise, rows: int = 3) -> forms.CharField:
    return _text(label, required=True, rows=rows, error_messages={"required": missing})


class RefuseForm(forms.Form):
    reason = _reason(_("Lý do từ chối"), _("Chưa nhập lý do từ chối."))
    proposed_unit = UnitChoiceField(
        label=_("Đơn vị đề xuất chủ trì"),
        help_text=_("Đơn vị mà anh/chị cho là có thẩm quyền, trách nhiệm chủ trì nhiệm vụ này."),
        error_messages={"required": _("Chưa chọn đơn vị đề xuất chủ trì.")},
    )

    def __init__(self, *args: Any, units: Iterable[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proposed_unit"].set_units(units, grouped=True)  # type: ignore[attr-defined]


class ProgressForm(forms.Form):
    percent = forms.IntegerField(
        label=_("Tiến độ (%)"),
        min_value=0,
        max_value=100,
        error_messages={
            "required": _("Chưa nhập tiến độ."),
            "invalid": _("Hãy nhập một số nguyên từ 0 đến 100."),
            # Django formats these with the limit as a parameter, hence the doubled %.
            "min_value": _("Tiến độ phải từ 0 đến 100%%."),
            "max_value": _("Tiến độ phải từ 0 đến 100%%."),
        },
    )
    text = _reason(_("Nội dung báo cáo"), _("Chưa nhập nội dung báo cáo."), rows=4)
    blocker = _text(
        _("Vướng mắc, kiến nghị"),
        help_text=_("Điều cần cấp trên cho ý kiến, quyết định (nếu có)."),
    )


class SubmitForm(forms.Form):
    note = _text(_("Ghi chú kết quả"), help_text=_("Tóm tắt kết quả, sản phẩm đã hoàn thành."))


class ApproveForm(forms.Form):
    quality_grade = forms.ChoiceField(
        label=_("Chất lượng"),
        choices=[("", _("— Chọn mức chất lượng —")), *QualityGrade.choices],
        error_messages={"required": _("Chưa chọn mức chất lượng.")},
    )
    effectiveness_grade = forms.ChoiceField(
        label=_("Hiệu quả"),
        choices=[("", _("— Chọn mức hiệu quả —")), *EffectivenessGrade.choices],
        error_messages={"required": _("Chưa chọn mức hiệu quả.")},
    )
    note = _text(_("Nhận xét"))


class ReturnForm(forms.Form):
    reason = _reason(_("Lý do trả lại"), _("Chưa nhập lý do trả lại."))


class CancelForm(forms.Form):
    reason = _reason(_("Lý do hủy"), _("Chưa nhập lý do hủy."))


class ExtensionRequestForm(forms.Form):
    new_deadline = _date(_("Hạn đề nghị"), required=True)
    reason = _reason(_("Lý do đề nghị gia hạn"), _("Chưa nhập lý do đề nghị gia hạn."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_deadline"].error_messages["required"] = _("Chưa nhập hạn đề nghị.")


class ExtensionDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[("approve", _("Đồng ý gia hạn")), ("refuse", _("Không đồng ý"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Chưa chọn đồng ý hay không đồng ý.")},
    )
    note = _text(_("Ý kiến"), help_text=_("Bắt buộc khi không đồng ý."))


class DisputeDecideForm(forms.Form):
    unit = UnitChoiceField(
        label=_("Giao đơn vị chủ trì"),
        error_messages={"required": _("Chưa chọn đơn vị chủ trì.")},
    )
    reason = _reason(_("Lý do quyết định"), _("Chưa nhập lý do quyết định."))

    def __init__(self, *args: Any, units: Iterable[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].set_units(units, grouped=True)  # type: ignore[attr-defined]


class AssignmentLineForm(forms.Form):
    """One assignment line's reach and note (assignment_line_set re-checks both)."""

    reach = forms.ChoiceField(
        label=_("Phạm vi giao chủ trì"),
        choices=LineReach.choices,
        required=False,
        help_text=_("Đơn vị của khối giao được giao chủ trì cho đơn vị nào của khối chủ trì."),
        error_messages={"invalid_choice": _("Phạm vi “%(value)s” không hợp lệ.")},
    )
    note = forms.CharField(
        label=_("Căn cứ, ghi chú"),
        max_length=255,
        required=False,
        help_text=_("Căn cứ của tuyến; hiện kèm thông báo khi việc giao bị từ chối theo tuyến."),
        error_messages={"max_length": _("Căn cứ, ghi chú không quá %(limit_value)d ký tự.")},
    )
