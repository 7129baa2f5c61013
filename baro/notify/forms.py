"""Forms of the notification pages. They parse shapes; the services decide the rest (a
refusal goes back next to its field through baro.core.pages.attach_error)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from baro.notify.models import Channel, DeliveryStatus


class WebhookRegisterForm(forms.Form):
    url = forms.CharField(
        label=_("Địa chỉ nhận (URL)"),
        max_length=500,
        help_text=_(
            "Địa chỉ http:// hoặc https:// của hệ thống nhận; Baro gửi đến đó mỗi thông báo "
            "dưới dạng JSON (POST), có chữ ký."
        ),
        error_messages={"required": _("Chưa nhập địa chỉ nhận webhook.")},
        widget=forms.TextInput(attrs={"placeholder": "https://", "inputmode": "url"}),
    )
    description = forms.CharField(
        label=_("Mô tả"),
        max_length=300,
        required=False,
        help_text=_("Hệ thống nào nhận, ai phụ trách."),
    )
    secret = forms.CharField(
        label=_("Khóa ký"),
        max_length=200,
        required=False,
        help_text=_(
            "Để trống để Baro tự tạo một khóa ngẫu nhiên (nên làm). Khóa chỉ hiện một lần, "
            "ngay sau khi đăng ký."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả")), *DeliveryStatus.choices],
    )
    channel = forms.ChoiceField(
        label=_("Kênh"), required=False, choices=[("", _("Tất cả")), *Channel.choices]
    )
