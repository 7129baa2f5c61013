"""Forms of the registry pages. They parse and check shapes; the services decide the rest.

The pages run their commands through baro.core.pages.form_command, which puts a refusal back on
the form: next to the field it names when the form has that field, else at the top of the form.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baro.core.inputs import LONG_TEXT_MAX
from baro.org.authority import Power
from baro.org.models import Person, Role, SuccessionKind, Unit, UnitKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE_WIDGET = forms.DateInput(
    format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "class": "date-input"}
)
DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%dT%H:%M"]


class UnitCodeField(forms.CharField):
    """A unit chosen by its code (the registry's stable identifier)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("help_text", _("Nhập mã đơn vị, ví dụ HN-SNV."))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Unit | None:
        code = super().clean(value)
        if not code:
            return None
        unit = Unit.objects.filter(code=code.strip()).first()
        if unit is None:
            raise ValidationError(_("Không có đơn vị nào mã “%(code)s”."), params={"code": code})
        return unit


class PersonCodeField(forms.CharField):
    """A person chosen by their official code."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("help_text", _("Nhập mã cán bộ."))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Person | None:
        code = super().clean(value)
        if not code:
            return None
        person = Person.objects.filter(code=code.strip(), is_system=False).first()
        if person is None:
            raise ValidationError(_("Không có cán bộ nào mã “%(code)s”."), params={"code": code})
        return person


def _date(
    label: StrOrPromise, *, required: bool = False, help_text: StrOrPromise = ""
) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE_WIDGET,
        help_text=help_text or _("Ngày theo dạng dd/mm/yyyy."),
        error_messages={"invalid": _("Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.")},
    )


def _moment(label: StrOrPromise) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(
            format="%d/%m/%Y %H:%M", attrs={"placeholder": "dd/mm/yyyy hh:mm"}
        ),
        help_text=_("Dạng dd/mm/yyyy hh:mm, giờ Việt Nam."),
        error_messages={
            "required": _("Chưa nhập thời điểm."),
            "invalid": _("Thời điểm không hợp lệ, hãy nhập theo dạng dd/mm/yyyy hh:mm."),
        },
    )


KIND_CHOICES = [("", _("— Chọn loại đơn vị —")), *UnitKind.choices]
ROLE_CHOICES = [("", _("— Chọn vai trò —")), *Role.choices]


class UnitSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm đơn vị"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Tên hoặc mã đơn vị")}),
    )
    kind = forms.ChoiceField(
        label=_("Loại đơn vị"),
        required=False,
        choices=[("", _("Tất cả các loại")), *UnitKind.choices],
    )
    closed = forms.BooleanField(label=_("Hiện cả đơn vị đã giải thể, sáp nhập"), required=False)


class UnitCreateForm(forms.Form):
    code = forms.CharField(
        label=_("Mã đơn vị"),
        max_length=40,
        help_text=_("Mã duy nhất, không trùng với đơn vị khác."),
        error_messages={"required": _("Chưa nhập mã đơn vị.")},
    )
    name = forms.CharField(
        label=_("Tên đơn vị"),
        max_length=255,
        error_messages={"required": _("Chưa nhập tên đơn vị.")},
    )
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=80, required=False)
    kind = forms.ChoiceField(
        label=_("Loại đơn vị"),
        choices=KIND_CHOICES,
        error_messages={"required": _("Chưa chọn loại đơn vị.")},
    )
    mandate = forms.CharField(
        label=_("Chức năng, nhiệm vụ"),
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    valid_from = _date(_("Hiệu lực từ"), help_text=_("Để trống: từ hôm nay. Dạng dd/mm/yyyy."))


class UnitEditForm(forms.Form):
    name = forms.CharField(
        label=_("Tên đơn vị"),
        max_length=255,
        error_messages={"required": _("Chưa nhập tên đơn vị.")},
    )
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=80, required=False)
    kind = forms.ChoiceField(label=_("Loại đơn vị"), choices=KIND_CHOICES)
    mandate = forms.CharField(
        label=_("Chức năng, nhiệm vụ"),
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)


class UnitMoveForm(forms.Form):
    new_parent = UnitCodeField(
        label=_("Đơn vị cấp trên mới"),
        error_messages={"required": _("Chưa nhập mã đơn vị cấp trên mới.")},
    )


class UnitCloseForm(forms.Form):
    on = _date(_("Hết hiệu lực từ ngày"), required=True)
    kind = forms.ChoiceField(
        label=_("Hình thức"), choices=SuccessionKind.choices, initial=SuccessionKind.DISSOLVED
    )
    successor = UnitCodeField(
        label=_("Đơn vị kế thừa"),
        required=False,
        help_text=_("Mã đơn vị nhận lại nhiệm vụ (nếu có)."),
    )
    decision_ref = forms.CharField(
        label=_("Quyết định"),
        max_length=255,
        required=False,
        help_text=_("Số, ngày của quyết định giải thể, sáp nhập."),
    )
    note = forms.CharField(
        label=_("Ghi chú"),
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].error_messages["required"] = _("Chưa nhập ngày hết hiệu lực.")


class PositionAppointForm(forms.Form):
    person = PersonCodeField(
        label=_("Cán bộ"), error_messages={"required": _("Chưa nhập mã cán bộ.")}
    )
    role = forms.ChoiceField(
        label=_("Vai trò"),
        choices=ROLE_CHOICES,
        error_messages={"required": _("Chưa chọn vai trò.")},
    )
    title = forms.CharField(
        label=_("Chức danh"),
        max_length=160,
        required=False,
        help_text=_("Ví dụ: Phó Giám đốc, Trưởng phòng."),
    )
    valid_from = _date(_("Từ ngày"), help_text=_("Để trống: từ hôm nay. Dạng dd/mm/yyyy."))
    decision_ref = forms.CharField(label=_("Quyết định bổ nhiệm"), max_length=255, required=False)


class HeadReplaceForm(forms.Form):
    person = PersonCodeField(
        label=_("Người đứng đầu mới"), error_messages={"required": _("Chưa nhập mã cán bộ.")}
    )
    title = forms.CharField(
        label=_("Chức danh"),
        max_length=160,
        required=False,
        help_text=_("Ví dụ: Giám đốc Sở, Chủ tịch UBND."),
    )
    on = _date(
        _("Từ ngày"),
        help_text=_(
            "Để trống: từ hôm nay. Người đứng đầu hiện tại (nếu có) thôi giữ chức từ ngày này."
        ),
    )
    decision_ref = forms.CharField(label=_("Quyết định bổ nhiệm"), max_length=255, required=False)


class PositionEndForm(forms.Form):
    on = _date(_("Thôi giữ chức từ ngày"), required=True)
    reason = forms.CharField(
        label=_("Lý do"), max_length=255, error_messages={"required": _("Chưa nhập lý do.")}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].error_messages["required"] = _("Chưa nhập ngày thôi giữ chức.")


class PersonCreateForm(forms.Form):
    full_name = forms.CharField(
        label=_("Họ và tên"), max_length=160, error_messages={"required": _("Chưa nhập họ và tên.")}
    )
    code = forms.CharField(
        label=_("Mã cán bộ"), max_length=40, error_messages={"required": _("Chưa nhập mã cán bộ.")}
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )
    phone = forms.CharField(label=_("Điện thoại"), max_length=32, required=False)
    role = forms.ChoiceField(
        label=_("Vai trò trong đơn vị"),
        choices=[("", _("— Chưa giao chức vụ —")), *Role.choices],
        required=False,
    )
    title = forms.CharField(label=_("Chức danh"), max_length=160, required=False)
    valid_from = _date(_("Từ ngày"), help_text=_("Để trống: từ hôm nay. Dạng dd/mm/yyyy."))
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        required=False,
        help_text=_("Để trống nếu cán bộ chưa cần tài khoản."),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Ít nhất 8 ký tự, không quá phổ biến."),
    )


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm cán bộ"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Họ tên, mã cán bộ hoặc thư điện tử")}
        ),
    )
    unit = UnitCodeField(
        label=_("Thuộc đơn vị (mã)"),
        required=False,
        help_text=_("Kể cả các đơn vị trực thuộc."),
    )
    inactive = forms.BooleanField(label=_("Hiện cả người đã thôi công tác"), required=False)


class PersonEditForm(forms.Form):
    full_name = forms.CharField(
        label=_("Họ và tên"), max_length=160, error_messages={"required": _("Chưa nhập họ và tên.")}
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )
    phone = forms.CharField(label=_("Điện thoại"), max_length=32, required=False)
    is_active = forms.BooleanField(
        label=_("Đang công tác"),
        required=False,
        help_text=_("Bỏ chọn khi cán bộ thôi công tác: tài khoản đăng nhập bị khóa theo."),
    )


class PersonAppointForm(PositionAppointForm):
    """Appoint a known person (from their page): the unit is chosen by its code."""

    person = None  # type: ignore[assignment]
    unit = UnitCodeField(label=_("Đơn vị"), error_messages={"required": _("Chưa nhập mã đơn vị.")})
    field_order = ["unit", "role", "title", "valid_from", "decision_ref"]


class UnitMergeForm(forms.Form):
    into = UnitCodeField(
        label=_("Hợp nhất vào đơn vị"),
        help_text=_("Mã đơn vị tiếp nhận (đơn vị kế thừa), ví dụ HN-SNV."),
        error_messages={"required": _("Chưa nhập mã đơn vị tiếp nhận.")},
    )
    others = forms.CharField(
        label=_("Cùng hợp nhất các đơn vị khác"),
        required=False,
        help_text=_("Mã các đơn vị khác cũng hợp nhất vào, cách nhau bởi dấu phẩy (nếu có)."),
    )
    on = _date(_("Hợp nhất từ ngày"), required=True)
    decision_ref = forms.CharField(
        label=_("Quyết định"),
        max_length=255,
        required=False,
        help_text=_("Số, ngày của quyết định hợp nhất, sáp nhập."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].error_messages["required"] = _("Chưa nhập ngày hợp nhất.")

    def clean_others(self) -> list[Unit]:
        codes = [c.strip() for c in self.cleaned_data["others"].replace(";", ",").split(",")]
        units: list[Unit] = []
        for code in filter(None, codes):
            unit = Unit.objects.filter(code=code).first()
            if unit is None:
                raise ValidationError(
                    _("Không có đơn vị nào mã “%(code)s”."), params={"code": code}
                )
            units.append(unit)
        return units


class ApiTokenIssueForm(forms.Form):
    name = forms.CharField(
        label=_("Tên mã truy cập"),
        max_length=120,
        help_text=_("Để nhận ra mã dùng cho việc gì, ví dụ “Đồng bộ phần mềm văn bản”."),
        error_messages={"required": _("Chưa nhập tên mã truy cập.")},
    )
    expires_on = _date(
        _("Dùng được đến hết ngày"),
        help_text=_("Để trống: không tự hết hạn. Dạng dd/mm/yyyy."),
    )

    def expires_at(self) -> dt.datetime | None:
        """The end of the chosen day (Viet Nam time), as the moment the token stops working."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


class DelegationGrantForm(forms.Form):
    delegate = PersonCodeField(
        label=_("Người được ủy quyền"),
        error_messages={"required": _("Chưa nhập mã cán bộ được ủy quyền.")},
    )
    unit = UnitCodeField(
        label=_("Phạm vi (đơn vị)"),
        error_messages={"required": _("Chưa nhập mã đơn vị.")},
        help_text=_("Ủy quyền có hiệu lực với đơn vị này và các đơn vị trực thuộc."),
    )
    powers = forms.MultipleChoiceField(
        label=_("Quyền ủy quyền"),
        choices=Power.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Chưa chọn quyền ủy quyền.")},
    )
    valid_from = _moment(_("Từ"))
    valid_to = _moment(_("Đến"))
    reason = forms.CharField(
        label=_("Lý do"),
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Chưa nhập lý do ủy quyền.")},
    )
    decision_ref = forms.CharField(label=_("Văn bản ủy quyền"), max_length=255, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_to")
        if isinstance(start, dt.datetime) and isinstance(end, dt.datetime) and end <= start:
            self.add_error("valid_to", _("Thời điểm kết thúc phải sau thời điểm bắt đầu."))
        return data


class DelegationRevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do thu hồi"),
        max_length=255,
        error_messages={"required": _("Chưa nhập lý do thu hồi.")},
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp cơ cấu tổ chức (.xlsx hoặc .csv)"),
        error_messages={"required": _("Chưa chọn tệp."), "empty": _("Tệp rỗng.")},
    )
    parent = UnitCodeField(
        label=_("Nhập vào dưới đơn vị"),
        required=False,
        help_text=_("Mã đơn vị cấp trên của các đơn vị trong tệp (để trống nếu tệp tự ghi)."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".xlsx", ".csv")):
            raise ValidationError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
        return upload


def default_delegation_window() -> dict[str, dt.datetime]:
    start = timezone.localtime().replace(second=0, microsecond=0)
    return {"valid_from": start, "valid_to": start + dt.timedelta(days=7)}
