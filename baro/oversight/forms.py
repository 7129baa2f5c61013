"""Forms of the oversight pages. They parse and check shapes; the services decide the rest (a
refusal goes back next to its field through baro.core.pages.attach_error)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from baro.core.inputs import LONG_TEXT_MAX
from baro.core.timeutil import today
from baro.org.forms import _date
from baro.org.models import Person, Unit
from baro.oversight.models import (
    FlagKind,
    FlagStatus,
    HandlingMeasure,
    Inspection,
    InspectionStatus,
)
from baro.oversight.queries import FlagFilters, InspectionFilters, LetterFilters
from baro.work.models import Task
from baro.workdays.calendar import add_working_days

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ALL = ("", _("Tất cả"))


def _indented(units: Sequence[Unit], base_depth: int | None = None) -> list[tuple[str, str]]:
    """Unit choices indented under their superiors (the registry's tree order)."""
    if not units:
        return []
    depth = min(u.depth for u in units) if base_depth is None else base_depth
    return [(str(u.pk), f"{'· ' * max(u.depth - depth, 0)}{u.name}") for u in units]


def _text(
    label: StrOrPromise, missing: StrOrPromise, *, rows: int = 3, **kwargs: Any
) -> forms.CharField:
    kwargs.setdefault("max_length", LONG_TEXT_MAX)  # the API's bound too (baro.core.inputs)
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": missing},
        **kwargs,
    )


def _required_date(label: StrOrPromise, missing: StrOrPromise, **kwargs: Any) -> forms.DateField:
    field = _date(label, required=True, **kwargs)
    field.error_messages["required"] = missing
    return field


class _UnitFilterMixin:
    """A unit drop-down among the units the person may filter by."""

    fields: dict[str, forms.Field]
    units: dict[int, Unit]

    def _set_units(self, units: Sequence[Unit]) -> None:
        self.units = {u.pk: u for u in units}
        self.fields["unit"].choices = [ALL, *_indented(units)]  # type: ignore[attr-defined]

    def _unit(self, value: str | None) -> Unit | None:
        return self.units.get(int(value)) if value else None


def _check_range(form: forms.Form, start: str, end: str, message: str) -> None:
    data = form.cleaned_data
    if data.get(start) and data.get(end) and data[end] < data[start]:
        form.add_error(end, message)


# --------------------------------------------------------------------------------------------
# flags


class FlagFilterForm(_UnitFilterMixin, forms.Form):
    q = forms.CharField(
        label=_("Từ khóa"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Mô tả, đơn vị, cán bộ, nhiệm vụ")}
        ),
    )
    kind = forms.ChoiceField(label=_("Loại dấu hiệu"), required=False, choices=[ALL])
    status = forms.ChoiceField(label=_("Trạng thái"), required=False, choices=[ALL])
    unit = forms.ChoiceField(label=_("Đơn vị (cả cấp dưới)"), required=False, choices=[ALL])
    date_from = _date(_("Phát hiện từ ngày"))
    date_to = _date(_("đến ngày"))

    def __init__(self, *args: Any, units: Sequence[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [ALL, *FlagKind.choices]  # type: ignore[attr-defined]
        self.fields["status"].choices = [ALL, *FlagStatus.choices]  # type: ignore[attr-defined]
        self._set_units(units)

    def clean(self) -> dict[str, Any]:
        super().clean()
        _check_range(self, "date_from", "date_to", _("Ngày kết thúc trước ngày bắt đầu."))
        return self.cleaned_data

    def filters(self) -> FlagFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return FlagFilters(
            kind=data.get("kind", ""),
            status=data.get("status", ""),
            unit=self._unit(data.get("unit")),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            text=data.get("q", ""),
        )


DECISIONS = [
    ("confirm", _("Xác nhận dấu hiệu (có căn cứ, cần xử lý)")),
    ("dismiss", _("Bác bỏ dấu hiệu (không có căn cứ)")),
]


class FlagDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Quyết định"),
        choices=DECISIONS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Chưa chọn xác nhận hay bác bỏ.")},
    )
    reason = _text(_("Lý do"), _("Chưa nhập lý do."))

    @property
    def confirm(self) -> bool:
        return self.cleaned_data["decision"] == "confirm"


class FlagToInspectionForm(forms.Form):
    inspection = forms.ChoiceField(
        label=_("Cuộc kiểm tra đang tiến hành"),
        error_messages={"required": _("Chưa chọn cuộc kiểm tra.")},
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args: Any, inspections: Sequence[Inspection], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.inspections = {i.pk: i for i in inspections}
        self.fields["inspection"].choices = [  # type: ignore[attr-defined]
            (str(i.pk), f"{i.title} — {i.target_unit.name}") for i in inspections
        ]

    def chosen(self) -> Inspection:
        return self.inspections[int(self.cleaned_data["inspection"])]


# --------------------------------------------------------------------------------------------
# inspections


class InspectionFilterForm(_UnitFilterMixin, forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái"), required=False, choices=[ALL])
    unit = forms.ChoiceField(label=_("Đơn vị được kiểm tra (cả cấp dưới)"), required=False)
    year = forms.TypedChoiceField(
        label=_("Năm"), required=False, coerce=int, empty_value=None, choices=[ALL]
    )

    def __init__(
        self, *args: Any, units: Sequence[Unit], years: Sequence[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [ALL, *InspectionStatus.choices]  # type: ignore[attr-defined]
        self.fields["year"].choices = [ALL, *((str(y), str(y)) for y in years)]  # type: ignore[attr-defined]
        self._set_units(units)

    def filters(self) -> InspectionFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return InspectionFilters(
            status=data.get("status", ""),
            unit=self._unit(data.get("unit")),
            year=data.get("year"),
        )


def _person_choices(people: Sequence[Person], empty: str) -> list[tuple[str, str]]:
    return [("", empty), *((str(p.pk), f"{p.full_name} ({p.code})") for p in people)]


class InspectionOpenForm(forms.Form):
    target_unit = forms.ChoiceField(
        label=_("Đơn vị được kiểm tra"),
        error_messages={
            "required": _("Chưa chọn đơn vị được kiểm tra."),
            "invalid_choice": _("Anh/chị không có thẩm quyền kiểm tra đơn vị này."),
        },
    )
    target_person = forms.ChoiceField(
        label=_("Cán bộ được kiểm tra"),
        required=False,
        help_text=_("Để trống nếu chỉ kiểm tra đơn vị. Thường là người đứng đầu."),
        error_messages={"invalid_choice": _("Cán bộ này không công tác tại đơn vị được chọn.")},
    )
    title = forms.CharField(
        label=_("Tên cuộc kiểm tra"),
        max_length=300,
        error_messages={"required": _("Chưa nhập tên cuộc kiểm tra.")},
    )
    period_from = _required_date(_("Thời kỳ kiểm tra từ ngày"), _("Chưa nhập ngày bắt đầu."))
    period_to = _required_date(_("đến ngày"), _("Chưa nhập ngày kết thúc."))

    def __init__(
        self, *args: Any, units: Sequence[Unit], people: Sequence[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.units = {u.pk: u for u in units}
        self.people = {p.pk: p for p in people}
        self.fields["target_unit"].choices = [  # type: ignore[attr-defined]
            ("", _("— Chọn đơn vị —")),
            *_indented(units),
        ]
        self.fields["target_person"].choices = _person_choices(  # type: ignore[attr-defined]
            people, _("— Không (kiểm tra đơn vị) —")
        )

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        person = data.get("target_person")
        return {
            "target_unit": self.units[int(data["target_unit"])],
            "target_person": self.people[int(person)] if person else None,
            "title": data["title"],
            "period_from": data["period_from"],
            "period_to": data["period_to"],
        }


class EvidenceForm(forms.Form):
    flag = forms.ChoiceField(label=_("Dấu hiệu né tránh"), required=False)
    task = forms.CharField(
        label=_("hoặc nhiệm vụ (số hiệu)"),
        required=False,
        max_length=200,
        help_text=_("Số hiệu nhiệm vụ, ví dụ 123, hoặc đường dẫn /nhiem-vu/123/."),
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args: Any, flags: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.flags = {f.pk: f for f in flags}
        self.fields["flag"].choices = [  # type: ignore[attr-defined]
            ("", _("— Không —")),
            *(
                (
                    str(f.pk),
                    f"#{f.pk} {f.get_kind_display()} — {f.unit.name} ({f.get_status_display()})",
                )
                for f in flags
            ),
        ]

    def clean_task(self) -> int | None:
        raw = (self.cleaned_data.get("task") or "").strip().strip("/")
        if not raw:
            return None
        digits = raw.rsplit("/", 1)[-1].lstrip("#")
        if not digits.isdigit():
            raise forms.ValidationError(_("Số hiệu nhiệm vụ phải là một số, ví dụ 123."))
        return int(digits)

    def chosen_flag(self) -> Any:
        value = self.cleaned_data.get("flag")
        return self.flags[int(value)] if value else None


class FindingsForm(forms.Form):
    findings = _text(_("Kết quả kiểm tra"), _("Chưa nhập kết quả kiểm tra."), rows=6)


class ConcludeForm(forms.Form):
    conclusion = _text(
        _("Kết luận kiểm tra"),
        _("Chưa nhập kết luận."),
        rows=6,
        help_text=_("Kết luận là quyết định cuối cùng: sau khi kết luận không sửa được nữa."),
    )


class HandlingForm(forms.Form):
    measure = forms.ChoiceField(
        label=_("Hình thức xử lý"),
        error_messages={"required": _("Chưa chọn hình thức xử lý.")},
    )
    person = forms.ChoiceField(
        label=_("Cán bộ bị xử lý"),
        required=False,
        help_text=_("Để trống nếu xử lý tập thể đơn vị."),
        error_messages={"invalid_choice": _("Cán bộ này không công tác tại đơn vị được kiểm tra.")},
    )
    unit = forms.ChoiceField(
        label=_("Đơn vị"),
        required=False,
        help_text=_("Để trống: đơn vị được kiểm tra."),
        error_messages={"invalid_choice": _("Đơn vị này không thuộc đơn vị được kiểm tra.")},
    )
    document_number = forms.CharField(
        label=_("Số văn bản xử lý"),
        max_length=80,
        help_text=_("Ví dụ 15-QĐ/UBKTTU."),
        error_messages={"required": _("Chưa nhập số văn bản xử lý.")},
    )
    document_date = _required_date(_("Ngày văn bản"), _("Chưa nhập ngày văn bản xử lý."))
    reason = _text(_("Lý do xử lý"), _("Chưa nhập lý do xử lý."))

    def __init__(
        self, *args: Any, people: Sequence[Person], units: Sequence[Unit], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people = {p.pk: p for p in people}
        self.units = {u.pk: u for u in units}
        self.fields["measure"].choices = [  # type: ignore[attr-defined]
            ("", _("— Chọn hình thức —")),
            *HandlingMeasure.choices,
        ]
        self.fields["person"].choices = _person_choices(people, _("— Không (xử lý tập thể) —"))  # type: ignore[attr-defined]
        self.fields["unit"].choices = [("", _("— Đơn vị được kiểm tra —")), *_indented(units)]  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "measure": data["measure"],
            "person": self.people[int(data["person"])] if data.get("person") else None,
            "unit": self.units[int(data["unit"])] if data.get("unit") else None,
            "document_number": data["document_number"],
            "document_date": data["document_date"],
            "reason": data["reason"],
        }


# --------------------------------------------------------------------------------------------
# urging by hand, letters, the ladder


class UrgeForm(forms.Form):
    note = _text(
        _("Nội dung đôn đốc"),
        _("Chưa nhập nội dung đôn đốc."),
        help_text=_("Yêu cầu cụ thể: việc cần làm, thời hạn báo cáo."),
    )


class LetterFilterForm(_UnitFilterMixin, forms.Form):
    q = forms.CharField(
        label=_("Từ khóa"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Số, ký hiệu, trích yếu")}
        ),
    )
    unit = forms.ChoiceField(label=_("Đơn vị ban hành (cả cấp dưới)"), required=False)
    year = forms.IntegerField(
        label=_("Năm"),
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": _("Năm không hợp lệ.")},
    )

    def __init__(self, *args: Any, units: Sequence[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_units(units)

    def filters(self) -> LetterFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return LetterFilters(
            unit=self._unit(data.get("unit")), year=data.get("year"), text=data.get("q", "")
        )


SIGNER_MARKS = [
    ("", _("Người đứng đầu ký trực tiếp")),
    ("TM.", _("TM. (thay mặt tập thể)")),
    ("KT.", _("KT. (ký thay người đứng đầu)")),
    ("TL.", _("TL. (thừa lệnh)")),
    ("TUQ.", _("TUQ. (thừa ủy quyền)")),
]


class LetterForm(forms.Form):
    """An urging letter (công văn đôn đốc) of one issuing unit, on tasks ticked below."""

    issuing_unit = forms.CharField(widget=forms.HiddenInput)
    tasks = forms.MultipleChoiceField(
        label=_("Nhiệm vụ được đôn đốc"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    number_symbol = forms.CharField(
        label=_("Số, ký hiệu"),
        max_length=80,
        help_text=_("Đề xuất số tiếp theo trong năm của đơn vị; sửa nếu cần."),
        error_messages={"required": _("Chưa nhập số, ký hiệu văn bản.")},
    )
    place = forms.CharField(
        label=_("Địa danh"), max_length=80, error_messages={"required": _("Chưa nhập địa danh.")}
    )
    issued_on = _required_date(_("Ngày ban hành"), _("Chưa nhập ngày ban hành."))
    subject = forms.CharField(
        label=_("Trích yếu"),
        max_length=300,
        error_messages={"required": _("Chưa nhập trích yếu.")},
    )
    opening = _text(_("Căn cứ, tình hình"), _("Chưa nhập nội dung căn cứ, tình hình."), rows=4)
    closing = _text(_("Yêu cầu"), _("Chưa nhập nội dung yêu cầu."), rows=4)
    reply_by = _required_date(_("Hạn báo cáo kết quả"), _("Chưa nhập hạn báo cáo."))
    signer = forms.ChoiceField(
        label=_("Người ký"), error_messages={"required": _("Chưa chọn người ký.")}
    )
    signer_mark = forms.ChoiceField(label=_("Quyền hạn ký"), required=False, choices=SIGNER_MARKS)
    signer_authority = forms.CharField(
        label=_("Ký thay, thay mặt cho"),
        max_length=70,
        required=False,
        help_text=_("Ví dụ: ỦY BAN NHÂN DÂN (với TM.), GIÁM ĐỐC (với KT.)."),
    )
    signer_position = forms.CharField(
        label=_("Chức vụ người ký"),
        max_length=120,
        error_messages={"required": _("Chưa nhập chức vụ người ký.")},
    )
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        tasks: Sequence[Task],
        signers: Sequence[tuple[Person, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.task_rows = {t.pk: t for t in tasks}
        self.signer_rows = {p.pk: p for p, _title in signers}
        self.fields["tasks"].choices = [(str(t.pk), t.title) for t in tasks]  # type: ignore[attr-defined]
        self.fields["signer"].choices = [  # type: ignore[attr-defined]
            (str(p.pk), f"{p.full_name}{f' — {title}' if title else ''}") for p, title in signers
        ]

    def chosen_tasks(self) -> list[Task]:
        return [self.task_rows[int(pk)] for pk in self.cleaned_data.get("tasks") or []]

    def signer_mark_text(self) -> str:
        mark = self.cleaned_data.get("signer_mark") or ""
        who = (self.cleaned_data.get("signer_authority") or "").strip()
        return f"{mark} {who}".strip() if mark else ""


def _ladder_field(label: StrOrPromise, help_text: StrOrPromise) -> forms.CharField:
    # Text, not IntegerField: the ladder's own rule (validated_ladder) says what is wrong, with
    # the same message the API gives.
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"min": 1, "max": 250, "step": 1}),
        error_messages={"required": _("Chưa nhập số ngày làm việc.")},
    )


class LadderForm(forms.Form):
    remind_days_before = _ladder_field(
        _("Nhắc cán bộ xử lý trước hạn (ngày làm việc)"),
        _("Nhắc cán bộ xử lý trước hạn N ngày làm việc; đến đúng ngày hạn, Baro đôn đốc."),
    )
    escalate_head_after = _ladder_field(
        _("Báo người đứng đầu đơn vị chủ trì sau khi quá hạn (ngày làm việc)"),
        _("Quá hạn N ngày làm việc mà chưa hoàn thành: báo người đứng đầu đơn vị chủ trì."),
    )
    escalate_assigner_head_after = _ladder_field(
        _("Báo người đứng đầu đơn vị giao việc sau khi quá hạn (ngày làm việc)"),
        _("Phải lớn hơn số ngày báo người đứng đầu đơn vị chủ trì."),
    )
    inspection_flag_after = _ladder_field(
        _("Đưa vào diện kiểm tra sau khi quá hạn (ngày làm việc)"),
        _(
            "Phải lớn hơn số ngày báo người đứng đầu đơn vị giao việc; Baro lập dấu hiệu để cán "
            "bộ kiểm tra xem xét."
        ),
    )


def default_reply_by(day: dt.date | None = None) -> dt.date:
    """Five working days from `day` (today): the default deadline for a letter's report."""
    return add_working_days(day or today(), 5)
